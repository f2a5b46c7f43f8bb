"""Numbers: quantities with bound, unit, counted noun and subject, and whether two can both be true.

Tolerances (documented constants): an exact number matches another within
``EXACT_TOLERANCE`` (1 % relative); "about/roughly/nearly/an estimated N" stands for
N ± ``ABOUT_TOLERANCE`` (10 %); "at least N" is [N, ∞), "more than/over N" is (N, ∞),
"up to N" is [0, N], "fewer than N" is [0, N); number words such as "tens of thousands"
are the ranges in ``_VAGUE_RANGES`` (:mod:`checker.findings.atoms`) and are marked ``vague``
(a vague quantity never raises, it can only explain). Two quantities are compatible when
their intervals overlap.

Deliberately not done: parsing (no dependency parser, no coreference: "he" is never
resolved, a subject is the first name or plural noun phrase of the clause); fractions and
multiplicatives ("half", "twice"); unit conversion (km vs miles, dollars vs euros are not
comparable).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from checker.findings.atoms import (
    _BOUND_RE,
    _CLAUSE_BOUNDARY,
    _CURRENCY_WORD,
    _NOUN_ADJ,
    _NOUN_STOP,
    _NP_WORDS,
    _PLURAL_SUBJECT,
    _RANGE_JOIN,
    _SCALES,
    _UNITS,
    _Atom,
    _atoms,
    _is_year,
    time_unit_after,
)
from checker.findings.text import (
    _CAP_STOP,
    _IRREGULAR_PLURALS,
    _NON_PERSON,
    _STOP,
    _norm_name,
    _per_text,
    _singular,
)

Bound = Literal["exact", "at_least", "more_than", "at_most", "less_than", "about", "range"]
QuantityKind = Literal["count", "money", "percent", "duration", "age"]

EXACT_TOLERANCE = 0.01
ABOUT_TOLERANCE = 0.10
NUMBER_CONTEXT_OVERLAP = 0.35

_INF = float("inf")


@dataclass(frozen=True, slots=True)
class Quantity:
    """One number mentioned in a text, normalised.

    ``low``/``high`` are the stated numbers (equal unless ``bound == "range"``); the bound
    says how to read them (see :meth:`interval`). ``noun`` is the head phrase the number
    counts ("fighters", "command rooms") and ``subject`` who the clause is about
    ("name:hassan", "plural"), both None when not cheaply recoverable.
    """

    low: float
    high: float
    bound: Bound
    kind: QuantityKind
    unit: str | None
    span: tuple[int, int]
    text: str
    noun: str | None = None
    vague: bool = False
    subject: str | None = None

    @property
    def value(self) -> float | None:
        """The single stated value, None for a range."""
        return self.low if self.bound != "range" else None

    @property
    def noun_head(self) -> str | None:
        return _singular(self.noun.split()[-1]) if self.noun else None

    def interval(
        self, about_tolerance: float = ABOUT_TOLERANCE, exact_tolerance: float = EXACT_TOLERANCE
    ) -> tuple[float, bool, float, bool]:
        """(low, low_open, high, high_open) of the values this quantity allows."""
        v = self.low
        if self.bound == "exact":
            return v * (1 - exact_tolerance), False, v * (1 + exact_tolerance), False
        if self.bound == "about":
            return v * (1 - about_tolerance), False, v * (1 + about_tolerance), False
        if self.bound == "at_least":
            return v, False, _INF, False
        if self.bound == "more_than":
            return v, True, _INF, False
        if self.bound == "at_most":
            return 0.0, False, v, False
        if self.bound == "less_than":
            return 0.0, False, v, True
        return self.low, False, self.high, False


def _noun_after(text: str, pos: int, value: float) -> tuple[str | None, int]:
    """The counted noun phrase right after ``pos`` and where it ends ("a 32-bed ward" counts beds)."""
    cm = re.match(r"-([a-z]+)\b(?!-)", text[pos:])
    if cm:
        return cm.group(1), pos + cm.end()
    m = re.match(r"(?:\s+[a-z][a-z’'-]*){1,5}", text[pos:])
    if not m:
        return None, pos
    toks = []
    for tm in re.finditer(r"[a-z][a-z’'-]*", m.group(0)):
        if tm.group(0) in _NOUN_STOP:
            break
        toks.append((tm.group(0), pos + tm.end()))
    while toks and toks[0][0] in _NOUN_ADJ:
        toks.pop(0)
    for i, (t, end) in enumerate(toks[:4]):
        if t in _IRREGULAR_PLURALS or (t.endswith("s") and not t.endswith("ss") and len(t) > 3):
            first = max(0, i - 1) if i and toks[i - 1][0] not in _NOUN_ADJ and not toks[i - 1][0].endswith("ed") else i
            return " ".join(x for x, _ in toks[first : i + 1]), end
    if toks and value == 1:
        return toks[0][0], toks[0][1]
    return None, pos


def _subject(text: str, start: int) -> str | None:
    """ "name:<key>" / "plural" for the noun phrase opening the clause before ``start``."""
    before = text[:start]
    cut = 0
    for m in _CLAUSE_BOUNDARY.finditer(before):
        cut = m.end()
    clause = before[cut:]
    # drop a short introductory phrase: "Overall, ", "In total, ", "Along with other factions, "
    intro = re.match(r"\s*([^,]{0,40}),\s+", clause)
    if intro and len(intro.group(1).split()) <= 4 and not re.search(r"[A-Z][a-z]+", intro.group(1)[1:]):
        if (
            not re.match(r"\s*(?:[A-Z][\w’'-]+)(?:\s+[A-Z][\w’'-]+)*\s*$", intro.group(1))
            or intro.group(1).strip() in _CAP_STOP
        ):
            clause = clause[intro.end() :]
    names, plural = [], False
    for t in re.finditer(r"[\w’'-]+|,", clause):
        w = t.group(0)
        if w == ",":
            continue
        lw = w.lower()
        initial = not clause[: t.start()].strip()
        common = initial and lw.endswith("s") and not lw.endswith("ss")  # "Details of", "Photos seen"
        if (
            w[0].isupper()
            and w not in _CAP_STOP
            and lw not in _STOP
            and lw not in _UNITS
            and not common
            and _norm_name(w) not in _NON_PERSON
        ):
            names.append(_norm_name(w))
            continue
        if lw in _PLURAL_SUBJECT:
            plural = True
        if lw in _NP_WORDS or lw in _PLURAL_SUBJECT or (w[0].isupper() and w in _CAP_STOP):
            continue
        break
    if plural or len(set(names)) > 1:
        return "plural"
    if names:
        return "name:" + names[-1]
    return None


#: the person an age is given of ("a 24-year-old woman")
_AGED_PERSON = re.compile(
    r"\s+(man|woman|boy|girl|driver|passenger|pilot|mother|father|son|daughter|suspect|victim)\b", re.I
)
#: a name right before ", 44,": the number is that person's age
_APPOSITIVE_AGE = re.compile(r"\b[A-Z][\w'’-]+,\s*$")


@_per_text
def extract_quantities(text: str) -> list[Quantity]:
    """Numbers in ``text`` with bound, unit, counted noun and subject; years, dates,
    times, ordinals, ids and phone numbers are left out.

    Args:
        text: one statement.

    Returns:
        The quantities in text order. "14-year" and "14 years" are typed ``duration``
        (``age`` with "-old" or in apposition: "Hollis, 44,"), "$1.5 million" is ``money`` in USD, "10–12%" a ``percent``
        range, "tens of thousands" a vague ``count`` range.
    """
    atoms = [a for a in _atoms(text) if not _is_year(text, a)]
    # ranges: "between $20 and $30", "10–12%", "1.5 to 2 million"
    merged: list[tuple[_Atom, _Atom | None]] = []
    i = 0
    while i < len(atoms):
        a = atoms[i]
        if i + 1 < len(atoms) and not a.vague and not atoms[i + 1].vague:
            b = atoms[i + 1]
            gap = text[a.end : b.start]
            m = _RANGE_JOIN.match(gap)
            between = re.search(r"\bbetween\s*$", text[max(0, a.start - 10) : a.start], re.I)
            # "rises 12% to $296 million" is a change and a level, not a range: both ends one kind
            same_kind = not ((a.pct and b.currency) or (a.currency and b.pct))
            if m and ("and" not in gap or between) and same_kind:
                merged.append((a, b))
                i += 2
                continue
        merged.append((a, None))
        i += 1
    out: list[Quantity] = []
    for a, b in merged:
        start, end = a.start, (b or a).end
        low, high = a.value, (b.high if b else a.high)
        currency = a.currency or (b.currency if b else None)
        pct = a.pct or (b.pct if b else False)
        if b and b.raw_scale and not a.raw_scale and a.value < 1000:
            low = a.value * _SCALES[b.raw_scale]
        bound: Bound = "range" if (b or a.vague) else "exact"
        prefix = text[max(0, start - 30) : start]
        if b:
            pm = re.search(r"\b(?:between|from)\s*$", prefix, re.I)
            if pm:
                start -= len(prefix) - pm.start()
        else:
            for rx, bd in _BOUND_RE:
                pm = rx.search(prefix)
                if pm:
                    if not a.vague:
                        bound = bd  # type: ignore[assignment]
                    start -= len(prefix) - pm.start()
                    break
        rest = text[end:]
        sm = re.match(r"(?:\+|\s+or\s+more\b|-plus\b)", rest)
        if sm and bound == "exact":
            bound = "at_least"
            end += sm.end()
        elif (sm := re.match(r"\s+or\s+so\b", rest)) and bound == "exact":
            bound = "about"
            end += sm.end()
        kind: QuantityKind = "percent" if pct else ("money" if currency else "count")
        unit = "%" if pct else currency
        noun_pos = end
        dm = time_unit_after(text, start, end)
        if dm and not pct and not currency:
            kind, unit = dm[0], dm[1]  # type: ignore[assignment]
            end += dm[2]
            noun_pos = end
            om = re.match(r"\s+of\b", text[noun_pos:])
            if om:
                noun_pos += om.end()
        else:
            om = re.match(r"\s+of\b", text[end:])
            if om and (a.vague or a.raw_scale or a.word):
                noun_pos = end + om.end()
            cm = re.match(r"\s+(?:US\s+)?(dollars?|euros?|pounds?|usd|eur|gbp)\b", text[noun_pos:], re.I)
            if cm and kind == "count":
                kind, unit = "money", _CURRENCY_WORD[_singular(cm.group(1))]
                end = noun_pos + cm.end()
                noun_pos = end
        if kind == "count" and not b and _APPOSITIVE_AGE.search(text[:start]) and re.match(r"\s*,", text[end:]):
            kind, unit = "age", "years"  # "Dwayne Hollis, 44, a roof bolter"
        noun, _ = (None, noun_pos) if kind in ("money", "percent") else _noun_after(text, noun_pos, low)
        if kind == "age" and noun is None and (pm := _AGED_PERSON.match(text[noun_pos:])):
            noun = pm.group(1).lower()  # "a 24-year-old woman" / "a 31-year-old man": two people
        if kind in ("duration", "age") and noun_pos == end and noun is None:
            noun = None
        if low > high:
            low, high = high, low
        out.append(
            Quantity(
                low=low,
                high=high,
                bound=bound,
                kind=kind,
                unit=unit,
                span=(start, end),
                text=text[start:end],
                noun=noun,
                vague=a.vague or bool(b and b.vague),
                subject=_subject(text, start),
            )
        )
    return out


def quantities_comparable(q1: Quantity, q2: Quantity) -> bool:
    """True when two quantities measure the same thing (kind, unit, noun and subject agree)."""
    if q1.kind != q2.kind or q1.unit != q2.unit:
        return False
    if q1.noun_head and q2.noun_head and q1.noun_head != q2.noun_head:
        return False
    return not (q1.subject and q2.subject and q1.subject != q2.subject)


def quantities_compatible(
    q1: Quantity, q2: Quantity, about_tolerance: float = ABOUT_TOLERANCE, exact_tolerance: float = EXACT_TOLERANCE
) -> bool | None:
    """Whether two quantities can both be true.

    Args:
        q1, q2: quantities from :func:`extract_quantities`.
        about_tolerance: relative half-width of "about N". Defaults to 0.10.
        exact_tolerance: relative half-width of an exact N. Defaults to 0.01.

    Returns:
        None when they are not comparable (different kind, unit, counted noun or subject);
        otherwise True when the value sets overlap ("over 50,000" and "54,000"; "about
        50,000" and "54,000"), False when they do not ("12,000" and "21,000").
    """
    if not quantities_comparable(q1, q2):
        return None
    lo1, lo1o, hi1, hi1o = q1.interval(about_tolerance, exact_tolerance)
    lo2, lo2o, hi2, hi2o = q2.interval(about_tolerance, exact_tolerance)
    lo, lo_open = (lo1, lo1o) if lo1 > lo2 else (lo2, lo2o) if lo2 > lo1 else (lo1, lo1o or lo2o)
    hi, hi_open = (hi1, hi1o) if hi1 < hi2 else (hi2, hi2o) if hi2 < hi1 else (hi1, hi1o or hi2o)
    return lo < hi or (lo == hi and not lo_open and not hi_open)


def match_quantities(
    qa: Sequence[Quantity], qb: Sequence[Quantity]
) -> tuple[list[tuple[Quantity, Quantity]], list[tuple[Quantity, Quantity]]]:
    """(compatible pairs, incompatible pairs) after pairing each quantity with at most one other."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    ok: list[tuple[Quantity, Quantity]] = []
    bad: list[tuple[Quantity, Quantity]] = []
    # exact textual or compatible matches first, so "12,000 ... at least 54,000" pairs up right
    for want in (True, False):
        for i, x in enumerate(qa):
            if i in used_a:
                continue
            for j, y in enumerate(qb):
                if j in used_b:
                    continue
                c = quantities_compatible(x, y)
                if c is want:
                    (ok if want else bad).append((x, y))
                    used_a.add(i)
                    used_b.add(j)
                    break
    return ok, bad
