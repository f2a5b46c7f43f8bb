"""Dates: months, month-day dates, weekdays, years, clock times and relative expressions,
and date conflicts between the dates of events.

Why the event matters: a news sentence carries dates of several kinds, and only one kind can
contradict another outlet's. "The inquiry said on Tuesday" dates the report, "45 percent
contained by Wednesday evening" dates a status, "Sunday library hours" is no date at all;
"the span gave way on 7 March" dates the event. A date conflict is decided on event dates
only (:func:`event_dates`, read from the parse), so two statements that merely mention
different days no longer conflict, and a statement with an event date is paired with the
other outlets' dated statements however it is worded (:func:`date_keys`, decision 0015).

Deliberately not done: relative dates against a reference date ("last week" is only
compared with other relative expressions).
"""

from __future__ import annotations

import calendar
import functools
import os
import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from checker.findings.atoms import _atoms, _blocked_spans, _is_year
from checker.findings.polarity import other_phases
from checker.findings.text import _MONTH_RE, _MONTHS, _WEEKDAYS, Conflict, _inside, _per_text
from checker.nlp import parse

DateKind = Literal["year", "month", "weekday", "day", "time", "relative"]
#: what a date expression dates in its sentence (:func:`_date_anchor`)
DateRole = Literal["event", "state", "report", "modifier"]


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date or time expression; ``value`` is normalised ("2024", "march", "march-25", and
    minutes after midnight for a clock time: "4:20 a.m." -> "260")."""

    kind: DateKind
    value: str
    span: tuple[int, int]
    text: str


_MONTH_NORM = {m[:3].lower(): m.lower() for m in _MONTHS}
_DATE_RX = [
    (re.compile(rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"), "day"),
    (re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_RE})"), "day"),
    (re.compile(r"\b(?P<m>" + "|".join(m for m in _MONTHS if m != "May") + r")\b"), "month"),
    (re.compile(r"(?:(?<=\bin )|(?<=\bof )|(?<=\bby ))(?P<m>May)\b|\b(?P<m2>May)(?=\s+\d)"), "month"),
    (re.compile(r"\b(?P<w>" + "|".join(_WEEKDAYS) + r")\b"), "weekday"),
    (
        re.compile(
            r"\b(?:(?:last|this|next|past|previous|coming)\s+(?:week|month|year|weekend|night|"
            r"spring|summer|autumn|fall|winter|decade)|yesterday|today|tomorrow|tonight|"
            r"(?:a|one)\s+(?:week|month|year)\s+(?:ago|later|earlier))\b",
            re.I,
        ),
        "relative",
    ),
]


#: clock times: "4:20 a.m.", "6 p.m.", "10.20am", "2:50 in the morning", "7:52 on Tuesday
#: morning", "noon", "midnight", and the 24-hour clock after "at" or before "local time"
#: ("at 09:30", "at 03:10", "16:45 local time"), where a bare "11:00" is the morning
_CLOCK = re.compile(
    r"\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>[ap]\.?m\b\.?)"
    r"|\b(?P<h2>\d{1,2}):(?P<m2>\d{2})\s+(?:o'clock\s+)?(?:in\s+the|on\s+\w+)\s+"
    r"(?P<part>morning|afternoon|evening|night)\b"
    r"|(?:\bat\s+(?:(?:about|around|roughly|approximately|exactly|precisely)\s+)?)"
    r"(?P<h3>[01]?\d|2[0-3]):(?P<m3>[0-5]\d)\b(?![:.]\d)(?!\s*(?:[ap]\.?m\b|(?:o'clock\s+)?(?:in\s+the|on\s+\w+)\s+"
    r"(?:morning|afternoon|evening|night)\b))"
    r"|\b(?P<h4>[01]?\d|2[0-3]):(?P<m4>[0-5]\d)(?=\s*(?:local\s+time|GMT|UTC|BST|CET|hrs|hours)\b)"
    r"|\b(?P<word>noon|midday|midnight)\b",
    re.I,
)


def _clock_minutes(m: re.Match) -> int | None:
    if m.group("word"):
        return 0 if m.group("word").lower() == "midnight" else 12 * 60
    if m.group("h3") or m.group("h4"):  # the 24-hour clock
        return int(m.group("h3") or m.group("h4")) * 60 + int(m.group("m3") or m.group("m4"))
    hour = int(m.group("h") or m.group("h2"))
    minute = int(m.group("m") or m.group("m2") or 0)
    if hour > 12 or minute > 59:
        return None
    later = (m.group("ap") or "").lower().startswith("p") or (m.group("part") or "").lower() in ("afternoon", "evening")
    if m.group("part") and m.group("part").lower() == "night" and hour >= 6:
        later = True
    return (hour % 12 + (12 if later else 0)) * 60 + minute


@_per_text
def extract_dates(text: str) -> list[DateExpr]:
    """Months, month-day dates, weekdays, years, clock times and relative expressions ("last week")."""
    out: list[DateExpr] = []
    for m in _CLOCK.finditer(text):
        minutes = _clock_minutes(m)
        if minutes is not None:
            start = m.start("h3") if m.group("h3") else m.start()  # "at 09:30": the time, not "at"
            out.append(DateExpr("time", str(minutes), (start, m.end()), text[start : m.end()]))
    for rx, kind in _DATE_RX:
        for m in rx.finditer(text):
            if kind == "day":
                value = f"{_MONTH_NORM[m.group('m')[:3].lower()]}-{int(m.group('d'))}"
            elif kind == "month":
                value = _MONTH_NORM[(m.groupdict().get("m") or m.group("m2"))[:3].lower()]
            elif kind == "weekday":
                value = m.group("w").lower()
            else:
                value = re.sub(r"\s+", " ", m.group(0).lower())
            out.append(DateExpr(kind, value, m.span(), m.group(0)))  # type: ignore[arg-type]
    for a in _atoms(text):
        if _is_year(text, a):
            out.append(DateExpr("year", text[a.start : a.end], (a.start, a.end), text[a.start : a.end]))
    for m in re.finditer(r"(?<![\d,.])(?:19|20)\d{2}(?!\d|,\d)", text):
        # years inside blocked date patterns ("December 8, 2025") or right after a month
        # ("7 March 2024") are dates too
        after_month = re.search(rf"\b(?:{_MONTH_RE})\s*,?\s*$", text[: m.start()]) is not None
        if not any(d.span == m.span() for d in out) and (_inside(m.span(), _blocked_spans(text)) or after_month):
            out.append(DateExpr("year", m.group(0), m.span(), m.group(0)))
    return sorted(out, key=lambda d: d.span)


#: prepositions that date a state rather than an event ("contained by Wednesday", "closed
#: until Friday", "idle since Monday", "as of Tuesday")
_STATE_PREPOSITIONS = frozenset("by until till through throughout since as from".split())
#: words a reporting date attaches to ("said on Tuesday", "in a statement on Monday")
_REPORTING_VERBS = frozenset("say tell announce state add report".split())
_REPORTING_NOUNS = frozenset("statement briefing interview conference release".split())
#: nouns that are part of a date phrase ("on the night of April 3", "Monday evening")
_TIME_NOUNS = frozenset(
    "night morning evening afternoon day a.m. p.m. am pm weekend week early late dawn end start beginning middle".split()
)
#: verbs of a continuing state: their date says when the state held ("remained trapped on
#: Tuesday"), not when something happened
_STATE_VERBS = frozenset(
    "remain remains remained remaining stay stays stayed staying continue continues continued continuing "
    "keep keeps kept keeping".split()
)
#: a clock time within this many minutes of another is the same time ("about 2 p.m." / "2:30 p.m.")
TIME_TOLERANCE_MINUTES = 45


def _date_anchor(doc, span: tuple[int, int]):
    """What a date expression dates and the word it hangs on, read by climbing the parse from
    the date (through prepositions and date words; a few steps suffice in any sentence)."""
    tokens = doc.char_span(*span, alignment_mode="expand")
    if tokens is None or not len(tokens):
        return "event", None
    token = tokens.root
    inside = {t.i for t in tokens}
    for _ in range(8):
        head = token.head
        if head.i == token.i:
            return "event", token
        if head.i in inside or head.lower_ in _TIME_NOUNS:
            token = head
            continue
        if token.dep_ == "compound" and head.pos_ in ("NOUN", "PROPN"):
            return "modifier", head  # "Sunday library hours"
        if head.ent_type_ in ("DATE", "TIME"):  # the year of "June 2027"
            token = head
            continue
        if head.dep_ in ("prep", "agent") or head.pos_ == "ADP":
            if head.lower_ in _STATE_PREPOSITIONS:
                return "state", head
            token = head
            continue
        verb = head.pos_ in ("VERB", "AUX")
        governing = [head, *(c for c in head.children if c.dep_ in ("aux", "auxpass"))]
        if head.dep_ in ("acomp", "xcomp", "oprd", "ccomp"):
            governing.append(head.head)  # "remained trapped", "kept ... closed"
        if verb and any(t.lower_ in _STATE_VERBS for t in governing):
            return "state", head
        reporting = _REPORTING_VERBS if verb else _REPORTING_NOUNS
        return ("report" if head.lemma_.lower() in reporting else "event"), head
    return "event", None


@functools.lru_cache(maxsize=8192)
def _dated_events(text: str) -> tuple[tuple[DateExpr, tuple[str | None, frozenset[str], str | None]], ...]:
    """Each event date of the text with the words naming its event (:func:`_event_words`),
    read in one pass over the parse (frozen values: the cache is shared safely)."""
    dates = extract_dates(text)
    if not dates:
        return ()
    doc = parse(text)
    out = []
    for d in dates:
        role, anchor = _date_anchor(doc, d.span)
        if role == "event":
            out.append((d, (*_event_words(anchor), _when(anchor))))
    return tuple(out)


def event_dates(text: str) -> list[DateExpr]:
    """The dates of :func:`extract_dates` that date an event: not a reporting date ("said on
    Tuesday"), a state's date ("contained by Wednesday") or a modifier ("Sunday hours")."""
    return [d for d, _ in _dated_events(text)]


_MONTH_NUMBER = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}


def latest_event_day(text: str) -> date | None:
    """The latest calendar day the text's event dates allow ("April 2024" -> 2024-04-30,
    "7 March 2024" -> 2024-03-07), or None without an event date that names a month and a
    year (a year alone often dates something else: "records going back to 2015")."""
    dates = event_dates(text)
    years = [int(d.value) for d in dates if d.kind == "year"]
    months = [_MONTH_NUMBER[d.value.split("-")[0]] for d in dates if d.kind in ("day", "month")]
    if not years or not months:
        return None
    year, month = max(years), max(months)
    last = calendar.monthrange(year, month)[1]
    days = [int(d.value.split("-")[1]) for d in dates if d.kind == "day"]
    return date(year, month, min(max(days), last) if days else last)


def _times_differ(va: set[str], vb: set[str]) -> bool:
    return all(abs(int(x) - int(y)) > TIME_TOLERANCE_MINUTES for x in va for y in vb)


def date_keys(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(keys offered, keys sought) for pairing (:func:`checker.pair.pair_by_keys`): a statement
    that dates an event by day, weekday, month or clock time is put beside the most similar
    statement dating an event the same way in each other article, however it is worded. A
    year alone is no key: histories ("since 2020") would pair everything with everything."""
    kinds = {d.kind for d in event_dates(text)} - {"relative", "year"}
    if "day" in kinds:
        kinds.add("month")
    keys = frozenset(f"date:{k}" for k in kinds)
    return keys, keys


def _date_conflict(a_text: str, b_text: str) -> Conflict | None:
    da, db = event_dates(a_text), event_dates(b_text)
    for kind in ("day", "month", "weekday", "time", "year", "relative"):
        va = {d.value for d in da if d.kind == kind}
        vb = {d.value for d in db if d.kind == kind}
        if kind == "time":
            if va and vb and _times_differ(va, vb):
                sa = [d.span for d in da if d.kind == kind]
                sb = [d.span for d in db if d.kind == kind]
                said = f"{', '.join(d.text for d in da if d.kind == kind)} vs {', '.join(d.text for d in db if d.kind == kind)}"
                return Conflict("date/time", f"times differ: {said}", tuple(sa), tuple(sb))
            continue
        if kind == "month":  # "November 25" also names the month
            va |= {d.value.split("-")[0] for d in da if d.kind == "day"}
            vb |= {d.value.split("-")[0] for d in db if d.kind == "day"}
        if va and vb and not va & vb:
            sa = [d.span for d in da if d.value in va or d.value.split("-")[0] in va]
            sb = [d.span for d in db if d.value in vb or d.value.split("-")[0] in vb]
            ev = f"dates differ ({kind}): {', '.join(sorted(va))} vs {', '.join(sorted(vb))}"
            return Conflict("date/time", ev, tuple(sa), tuple(sb))
    return None


#: verbs that say only that something happened: the event is their subject ("the derailment
#: happened at 4:20 a.m.")
_EVENT_LIGHT = frozenset("be have happen occur take come begin start do get make go".split())


def _event_words(anchor) -> tuple[str | None, frozenset[str]]:
    """(the predicate, the words naming the event) a date dates: the word it hangs on (no
    predicate when it is light: "happened", "took place") and that word's subjects and objects."""
    if anchor is None:
        return None, frozenset()
    predicate = anchor.lemma_.lower() if anchor.lemma_.lower() not in _EVENT_LIGHT else None
    words = [anchor] if predicate else []
    # a named actor names no event ("Minister Ferrante set out the package on Thursday" /
    # "Minister Ferrante visited farms on Monday"), unless beside a light verb ("Ferrante's
    # visit took place on Monday"); what stopped or was suspended does ("trading stopped")
    words += [
        c
        for c in anchor.children
        if c.dep_ in ("nsubj", "nsubjpass", "dobj", "compound")
        and c.pos_ in ("NOUN", "PROPN")
        and not (predicate and c.dep_ == "nsubj" and c.ent_type_ in ("PERSON", "ORG"))
    ]
    return predicate, frozenset(w.lemma_.lower() for w in words)


#: words that make a verb after them a plan ("due to resume", "set to meet", "expected to open")
_PLAN_HEADS = frozenset("due set scheduled expected plan going".split())


def _when(anchor) -> str | None:
    """ "past" for an event told in the past tense ("negotiators met again on Thursday"), "plan"
    for one still to come ("the two sides would meet again on Friday", "due to resume on
    Wednesday"), else None (a present, a headline, a noun)."""
    if anchor is None or anchor.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ == "aux" and c.lower_ in ("will", "would", "shall", "'ll") for c in anchor.children):
        return "plan"
    if anchor.dep_ == "xcomp" and anchor.head.lemma_.lower() in _PLAN_HEADS:
        return "plan"
    return "past" if anchor.tag_ == "VBD" else None


def _related(x: str, y: str) -> bool:
    """One word or two of one stem ("derail" / "derailment", "evacuate" / "evacuation")."""
    n = len(os.path.commonprefix([x, y]))
    return x == y or (n >= 5 and n >= 0.7 * min(len(x), len(y)))


def same_event(a_text: str, b_text: str) -> bool:
    """Some event date of each statement dates one event: the words naming the events share a
    word or a stem ("signed the paperwork last Friday" / "the agreement was signed on Monday").
    Two dates of other events ("the rescue ended on Wednesday" / "miners were trapped on
    Monday") are no conflict, nor are two phases of one thing's course (:data:`checker.findings.polarity.PHASES`)."""
    return any(_one_event(ea, eb) for _, ea in _dated_events(a_text) for _, eb in _dated_events(b_text))


def _one_event(
    ea: tuple[str | None, frozenset[str], str | None], eb: tuple[str | None, frozenset[str], str | None]
) -> bool:
    """One event: words of one stem, not two phases of one course, and not a past occurrence
    beside one still planned ("negotiators met again on Thursday" / "would meet again on Friday")."""
    (pa, wa, ta), (pb, wb, tb) = ea, eb
    if {ta, tb} == {"past", "plan"}:
        return False
    return not other_phases(pa, pb) and any(_related(x, y) for x in wa for y in wb)
