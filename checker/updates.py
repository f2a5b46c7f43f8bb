"""Updates: a later report of an evolving fact supersedes an earlier one instead of contradicting it.

Why built so: on a developing story the morning wire's "120 killed" and the evening's "310
killed" are both right when written; a desk that sees them as a contradiction drowns. Only
facts that change as a story develops can be updated: counts of the dead, injured, missing,
arrested, displaced, evacuated or affected, damage counted so far, money raised or spent so
far, people rescued, and statuses (a road blocked -> reopened, systems offline -> restored,
a suspect at large -> caught, an order in force -> lifted, a fire burning -> contained). A magnitude, a place, a role, a source or the
date of the event never evolves, so a later report that differs on them is still a
contradiction. Direction matters: a count that falls is a contradiction unless the later
text says it was revised or corrected, or it counts people still missing or trapped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from checker import defaults
from checker.findings import extract_quantities, latest_event_day

#: evolving counts: category -> words that name it.
EVOLVING_COUNTS = {
    "dead": r"kill(?:ed|ing|s)?|dead|deaths?|died|die|toll|fatalit\w+|bodies|lives|drown\w*|perish\w*",
    "injured": r"injured|injuries|hurt|wounded",
    # in hospital is a count of its own: of 17 injured, 7 may be kept in hospital
    "in hospital": r"hospitali[sz]ed|hospitals?|admissions?|admitted|medical cent(?:er|re)|treat(?:ed|ing)",
    # an outbreak's cases: "at least 23 people have reported falling ill" -> "61 now sick"
    "ill": r"ill|illness(?:es)?|sick(?:ened)?|infected|infections?|poisoned|poisoning",
    "missing": r"missing|unaccounted|trapped|stranded underground|still underground|at large|on the run",
    "arrested": r"arrest\w*|detained|custody|recaptured|captured|charged",
    "displaced": r"displaced|evacuat\w+|homeless|fled|shelters?|unable to return home|(?:out of|from) their homes"
    r"|(?:left|leave|leaving) their homes|(?:moved|forced|ordered) (?:out|from)|relocated",
    "rescued": r"rescued|saved|brought (?:out|up)|pulled (?:out|free)|to the surface|alive|surviv\w+",
    "affected": r"affected|without power|stranded|cancel(?:l?ed|lations?)|grounded|stolen|expos(?:ed|es|ing)|compromised|leaked|breach\w*"
    r"|(?:data|records|files|details|information) (?:was |were )?taken",
    "spilled": r"spill\w*|spilt|leaked|discharged|(?:released|escaped) (?:into|from)",
    "damage": r"destroyed|damaged|burned|burnt|scorched|lost|acres|hectares|contain\w*",
    "money": r"raised|donated|pledged|spent|so far",
}
#: evolving statuses: (before, after) word groups.
STATUS_CHANGES = (
    (r"blocked|clos\w*|shut|sealed|cut off|impassable", r"reopen\w*|re-open\w*|open again|cleared"),
    (
        r"offline|off-line|out of service|unavailable|(?:was|were|is|are|remained|remain|went) down"
        r"|could not (?:log in|connect|access)|not working",
        r"back online|back up|restored|working (?:normally )?again|running again|back in service",
    ),
    (r"missing|unaccounted", r"found|located|safe"),
    (r"detained|arrested|in custody|held", r"released|freed|let go"),
    (r"at large|on the run|escaped|fugitive|still free", r"caught|captured|recaptured|arrested|in custody"),
    (
        r"in force|in place|issued|ordered|in effect|(?:told|urged|advised) to stay|until further notice",
        r"lifted|ended|cancelled|rescinded",
    ),
    (r"suspended|halted|stopped|not running", r"resumed|restarted|returned to|running again|back in service"),
    (r"burning|battling|out of control|raging|not contained", r"under control|extinguished|put out"),
)
#: counts of people in a state they leave as a story develops (found, freed, brought out):
#: such a count falls without any correction
CURRENT_STATE = frozenset({"missing"})
#: counts that are of a current state when the later text says so ("one passenger remained
#: in hospital", "2,000 are still in shelters"): patients go home, evacuees return
CURRENT_WHEN_SAID = frozenset({"in hospital", "displaced", "affected", "ill"})
_STILL = re.compile(r"\b(?:still|remain(?:s|ed|ing)?)\b", re.I)
REVISION = re.compile(r"\b(revis\w+|correct\w*|lowered|adjusted|overcount\w*|double[- ]counted)\b", re.I)


def _has(pattern: str, text: str) -> bool:
    return re.search(rf"\b(?:{pattern})\b", text, re.I) is not None


#: a count of none: "no deaths had been confirmed", "no one was hurt", "nobody was arrested",
#: "no leopards remain at large"
_ZERO = re.compile(
    r"\b(?:no|zero)\s+(?:deaths?|fatalities|casualties|injuries|arrests)\b|\bno one\b|\bnobody\b"
    r"|\bno\s+\w+\s+(?:remain|remained|are|were|is|was)\s+(?:still\s+)?(?:at large|missing|unaccounted|trapped|on the run)"
    r"|\bnot\s+(?:yet\s+)?(?:contained|found|rescued|arrested|recovered|evacuated)\s+any\b",
    re.I,
)


def named_categories(words: str) -> set[str]:
    """The evolving-count categories whose words occur in ``words`` ("were trapped" -> {missing})."""
    return {cat for cat, pattern in EVOLVING_COUNTS.items() if _has(pattern, words)}


#: what helpers were sent to do ("600 soldiers to help with evacuations"): it names their
#: task, not what befell those they count
_MISSION = re.compile(r"\b(?:to (?:help|assist|support|aid)|helping|assisting)\b[^.;]*", re.I)


def evolving_categories(text: str) -> set[str]:
    """Categories of evolving counts the text gives a figure for (none counts: "no deaths")."""
    if (
        not extract_quantities(text)
        and not re.search(r"\b(one|two|three|four|five|six|seven|eight|nine|ten)\b", text, re.I)
        and not _ZERO.search(text)
    ):
        return set()
    return named_categories(_MISSION.sub(" ", text))


def fact_keys(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(keys the statement offers, keys it seeks): the evolving facts it gives a value of, so
    that pairing can put it beside another outlet's value of the same fact. A figure of the
    injured offers and seeks ``count:injured``; a road "blocked" offers ``status:0:before``
    and seeks ``status:0:after`` ("reopened"), and the reverse."""
    offers = {f"count:{c}" for c in evolving_categories(text)} if _max_count(text) is not None else set()
    seeks = set(offers)
    for g, (before, after) in enumerate(STATUS_CHANGES):
        is_before, is_after = _has(before, text), _has(after, text)
        if is_before != is_after:
            side, other = ("before", "after") if is_before else ("after", "before")
            offers.add(f"status:{g}:{side}")
            seeks.add(f"status:{g}:{other}")
    return frozenset(offers), frozenset(seeks)


@dataclass(frozen=True, slots=True)
class EvolvingDifference:
    kind: str  # "count" or "status"
    category: str
    a_value: float | None = None
    b_value: float | None = None


#: units of a size, depth, distance, weight or age: such a figure is a fixed fact ("trapped 600
#: feet below the surface"), never the count of an evolving one
_MEASURE_UNIT = re.compile(
    r"\s*(?:feet|foot|ft|metres?|meters?|miles?|km|kilomet(?:re|er)s?|inch(?:es)?|cm|yards?|tonnes?|tons?|kg"
    r"|kilograms?|pounds?|lbs?|degrees?|storeys?|stories|floors?|years? old|mph)\b",
    re.I,
)


#: the whole a part is counted out of ("five of the nine climbers"): a total, not the count
_PARTITIVE = re.compile(r"\bof\s+(?:the|all|its|their)\s+$", re.I)


def _max_count(text: str) -> float | None:
    values = [
        q.high
        for q in extract_quantities(text)
        if q.kind in ("count", "percent")
        and not q.vague
        and not _MEASURE_UNIT.match(text, q.span[1])
        and not _PARTITIVE.search(text, 0, q.span[0])
    ]
    if not values and _ZERO.search(text):
        return 0.0  # "no deaths had been confirmed": none is a count too
    return max(values) if values else None


def evolving_difference(a_text: str, b_text: str) -> EvolvingDifference | None:
    """How two statements differ on an evolving fact, or None when they do not.

    Counts are compared by their largest figure: "more than 9,000 acres" then "11,350 acres"
    is a new figure for the same fact even though the two could both be true.
    """
    shared = evolving_categories(a_text) & evolving_categories(b_text)
    va, vb = _max_count(a_text), _max_count(b_text)
    if shared and va is not None and vb is not None and abs(va - vb) > 0.01 * max(va, vb):
        return EvolvingDifference("count", sorted(shared)[0], va, vb)
    for before, after in STATUS_CHANGES:
        a_before, a_after = _has(before, a_text), _has(after, a_text)
        b_before, b_after = _has(before, b_text), _has(after, b_text)
        if (a_before and not a_after and b_after) or (b_before and not b_after and a_after):
            return EvolvingDifference("status", before.split("|")[0])
    return None


def is_backwards(diff: EvolvingDifference, later_is_a: bool, later_text: str) -> bool:
    """A count that falls in the later report without a stated revision (a count of people
    still missing or trapped may fall: they are found or brought out)."""
    if diff.kind != "count" or diff.a_value is None or diff.b_value is None or diff.category in CURRENT_STATE:
        return False
    if diff.category in CURRENT_WHEN_SAID and _STILL.search(later_text):
        return False
    earlier, later = (diff.b_value, diff.a_value) if later_is_a else (diff.a_value, diff.b_value)
    return later < earlier and not REVISION.search(later_text)


#: an event dated this many days or more before the report is over: its counts are settled
SETTLED_DAYS = 30


def settled_event(text: str, published: datetime) -> str | None:
    """The date of the event the text reports when it lies at least :data:`SETTLED_DAYS`
    before ``published`` (read at its latest, :func:`checker.findings.latest_event_day`), else
    None. A toll of a collapse in April 2024 reported by an inquiry in October 2025 no longer
    evolves: two outlets that differ on it conflict, however many hours apart they wrote."""
    day = latest_event_day(text)
    if day is not None and (published.date() - day).days >= SETTLED_DAYS:
        return day.isoformat()
    return None


#: two reports less than this many hours apart are simultaneous: a changed figure is a conflict.
UPDATE_WINDOW_HOURS = defaults.UPDATE_WINDOW_HOURS


def update_verdict(a_text: str, b_text: str, a_time, b_time, window_hours: float = UPDATE_WINDOW_HOURS):
    """``(verdict, evidence)`` when the pair differs on an evolving fact, else None (also when
    either text dates its event a month or more before it was published: that count is settled).

    ``updated`` when both publication times are known and further apart than the window (the
    later report supersedes); ``contradiction`` when a count falls without a stated revision or
    when a time is unknown or within the window (with the reason).
    """
    diff = evolving_difference(a_text, b_text)
    if diff is None:
        return None
    what = f"{diff.category} {diff.kind}"
    if a_time is None or b_time is None or a_time.when is None or b_time.when is None:
        return "contradiction", f"evolving fact ({what}); publication time unknown"
    if settled_event(a_text, a_time.when) or settled_event(b_text, b_time.when):
        return None  # an event long past: its counts no longer evolve, the verdict decides
    gap = abs((a_time.when - b_time.when).total_seconds()) / 3600
    same_day_only = (a_time.date_only or b_time.date_only) and a_time.when.date() == b_time.when.date()
    if gap <= window_hours or same_day_only:
        return "contradiction", f"evolving fact ({what}) reported at the same time"
    later_is_a = a_time.when > b_time.when
    if is_backwards(diff, later_is_a, a_text if later_is_a else b_text):
        return "contradiction", f"{diff.category} count fell in the later report without a correction"
    first, then = (b_time, a_time) if later_is_a else (a_time, b_time)
    values = ""
    if diff.kind == "count" and diff.a_value is not None and diff.b_value is not None:
        old, new = (diff.b_value, diff.a_value) if later_is_a else (diff.a_value, diff.b_value)
        values = f" {old:g} -> {new:g}"
    return "updated", f"update: {what}{values} ({first.iso} -> {then.iso})"
