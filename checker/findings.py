"""Findings: typed, deterministic checks that explain, raise or lower an NLI verdict.

Why built so: the NLI model says *that* two statements disagree, not *what* differs, and it
both misses what newsrooms care about (a person given another title, 12,000 read as
21,000 fighters) and raises false alarms ("over 50,000" vs "more than 50,000", the same
claim credited to another source). Cheap, inspectable rules over the two texts name the
kind of difference (number, date/time, role/title, location/scope, attribution,
negation/polarity, entity), point at the character spans that differ, and may move the
verdict. Every rule is a pure function of the texts, so each decision can be re-run and
explained in the report's ``evidence`` string.

Precedence (see :func:`type_finding`; checks run in this order, the first that fires wins):

1. Conflict checks: ``number`` (incompatible quantities counting the same noun for the
   same subject), ``role/title`` (the same person given offices with different head
   nouns), ``negation/polarity``, ``date/time``, ``entity`` (another name in the same
   slot). Number and role conflicts always RAISE a non-contradiction verdict to
   ``contradiction``; negation, date and entity conflicts raise only when the two
   statements are otherwise near-identical (token similarity >= ``NEAR_IDENTICAL``), and
   otherwise just type the pair.
2. Typing checks: ``attribution`` (the same claim credited to different sources, or to a
   source on one side and to nobody on the other), then ``location/scope`` (place sets
   that differ or where one is a refinement/superset of the other). They never raise.
3. Benign explanations, only for an NLI ``contradiction`` that no conflict check
   confirmed: only the attribution differs; every comparable quantity pair is compatible;
   the quantities are about different subjects or nouns; or only ids/times differ. These
   LOWER the verdict (to what the NLI entailment scores support without contradiction,
   see :func:`apply_findings`).

Which pairs are looked at (:func:`apply_findings`): ``contradiction``, ``a_adds`` and
``b_adds`` pairs get every check; ``neutral`` and ``agree`` pairs only the raising conflict
checks (a finding is reported for them only when it raises the verdict).

Tolerances (documented constants): an exact number matches another within
``EXACT_TOLERANCE`` (1 % relative); "about/roughly/nearly/an estimated N" stands for
N ± ``ABOUT_TOLERANCE`` (10 %); "at least N" is [N, ∞), "more than/over N" is (N, ∞),
"up to N" is [0, N], "fewer than N" is [0, N); number words such as "tens of thousands"
are the ranges in ``_VAGUE_RANGES`` and are marked ``vague`` (a vague quantity never
raises, it can only explain). Two quantities are compatible when their intervals overlap.

Deliberately not done: parsing (no dependency parser, no coreference: "he" is never
resolved, a subject is the first name or plural noun phrase of the clause); fractions and
multiplicatives ("half", "twice"); unit conversion (km vs miles, dollars vs euros are not
comparable); relative dates against a reference date ("last week" is only compared with
other relative expressions); place recognition beyond a small gazetteer, locative
prepositions and "coastal X"/"X coast"; deciding which source is right.
"""

from __future__ import annotations

import copy
import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from checker.types import LabeledPair, NliScores, Verdict

FindingType = Literal[
    "number", "date/time", "role/title", "location/scope", "attribution", "negation/polarity", "entity"
]
FINDING_TYPES: tuple[str, ...] = (
    "number",
    "date/time",
    "role/title",
    "location/scope",
    "attribution",
    "negation/polarity",
    "entity",
)
Bound = Literal["exact", "at_least", "more_than", "at_most", "less_than", "about", "range"]
QuantityKind = Literal["count", "money", "percent", "duration", "age"]
Adjust = Literal["raise", "lower"]

EXACT_TOLERANCE = 0.01
ABOUT_TOLERANCE = 0.10
NEAR_IDENTICAL = 0.75
CLAIM_OVERLAP = 0.3
PLACE_EDIT_DISTANCE = 0.25
DEFAULT_ENTAILMENT_THRESHOLD = 0.5

_INF = float("inf")

# ---------------------------------------------------------------------------------------
# shared lexical helpers
# ---------------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z0-9]+(?:[’'\-.,][A-Za-z0-9]+)*")
_STOP = frozenset(
    """
a an the and or but of to in on at for from by with as that this these those is are was
were be been being has have had will would can could may might it its their his her he she
they them we our you your i not no also than then so such which who whom whose what when
where while there here into over about after before since until up out off more most very
said says told say according all any both each other others some one two three four five
""".split()
)
_NEGATORS = re.compile(
    r"\b(?:not|no|never|neither|nor|none|nobody|nothing|without|cannot|deny|denies|denied|"
    r"denying|refuse[sd]?|refusing|fail(?:s|ed)?\s+to)\b|n[’']t\b",
    re.I,
)


def _per_text(fn):
    """Memoise a per-statement extractor: a statement meets up to 2·top_k partners, and
    these regex passes were most of an audit's time once NLI results came from the store.
    Callers get a deep copy, so nothing they do can change the cached value."""
    cached = functools.lru_cache(maxsize=8192)(fn)

    @functools.wraps(fn)
    def wrapper(text):
        return copy.deepcopy(cached(text))

    return wrapper


def _content_tokens(text: str) -> set[str]:
    return {
        t.lower().replace("’", "'")
        for t in _WORD.findall(text)
        if t.lower() not in _STOP and not _NEGATORS.fullmatch(t) and len(t) > 1
    }


def _overlap(a: Iterable[str], b: Iterable[str]) -> float:
    """Overlap coefficient |A∩B| / min(|A|, |B|); 0.0 when either is empty."""
    sa, sb = set(a), set(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def _token_ratio(a: str, b: str) -> float:
    ta = [t.lower() for t in _WORD.findall(a) if not _NEGATORS.fullmatch(t)]
    tb = [t.lower() for t in _WORD.findall(b) if not _NEGATORS.fullmatch(t)]
    if not ta or not tb:
        return 0.0
    return difflib.SequenceMatcher(a=ta, b=tb, autojunk=False).ratio()


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (pure Python, for short names)."""
    if a == b:
        return 0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def similar_spelling(a: str, b: str, max_distance: float = PLACE_EDIT_DISTANCE) -> bool:
    """True when two names are spelling variants: normalised edit distance <= ``max_distance``.

    "Tartus"/"Tartous" (1/7) and "Shahhoud"/"Shahhud" (1/8) match; "Tartus"/"Latakia" do not.
    Names shorter than four characters must be equal.
    """
    a, b = _norm_name(a), _norm_name(b)
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    return edit_distance(a, b) / max(len(a), len(b)) <= max_distance


def _norm_name(s: str) -> str:
    s = s.lower().replace("’", "'")
    s = re.sub(r"'s$", "", s)
    s = re.sub(r"^(?:al|el|ad|as|ash|an|ar)-", "", s)
    return re.sub(r"[^a-z0-9]", "", s)


def _singular(word: str) -> str:
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


_IRREGULAR_PLURALS = {
    "people": "people",
    "men": "man",
    "women": "woman",
    "children": "child",
    "personnel": "personnel",
    "police": "police",
    "staff": "staff",
    "media": "media",
    "troops": "troop",
}

# ---------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------


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


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTH_RE = r"(?:" + "|".join(_MONTHS + _MONTH_ABBR) + r")\.?"

_BLOCKED = [
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?"),  # times
    re.compile(r"\b\d{1,4}[./]\d{1,2}[./]\d{1,4}\b"),  # 10.11.25
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # ISO dates
    re.compile(rf"\b{_MONTH_RE}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!,\d)(?:,?\s+\d{{4}}\b)?"),  # November 25
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}(?:\s+\d{{4}}\b)?"),  # 25 November
    re.compile(rf"\b{_MONTH_RE}\s+\d{{4}}\b"),  # March 2025
    re.compile(r"\b\d+(?:st|nd|rd|th)\b"),  # ordinals
    re.compile(r"\+\d[\d\s().-]{6,}\d"),  # phone numbers
    re.compile(r"\b\d{3}[-.\s]\d{3}[-.\s]\d{4}\b"),
    re.compile(r"(?<![\d,.])\d{7,}(?![\d,])"),  # long ids
    re.compile(r"(?:#|№|\bNo\.\s?)\d+"),
    re.compile(r"\b\d{4}\s*[–—-]\s*\d{2,4}\b(?=\s+(?:season|academic|fiscal|term))"),
]

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALES = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "k": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "bn": 1e9,
    "hundred": 1e2,
}
_CURRENCY_SYMBOL = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP"}
_CURRENCY_WORD = {"dollar": "USD", "euro": "EUR", "pound": "GBP", "usd": "USD", "eur": "EUR", "gbp": "GBP"}
_ATOM = re.compile(
    rf"""
    (?<![\w.,/#@:$€£])(?<![A-Za-z]-)
    (?P<cur>US\$|\$|€|£)?\s?
    (?P<num>{_NUM})
    (?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|m|k)\b)?
    (?P<pct>\s?(?:%|percent\b|per\s+cent\b))?
    (?!\w|[.,:/]\d)
""",
    re.X,
)
_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_ATOM = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:[- ](?P<unit1>" + "|".join(list(_UNITS)[1:10]) + r"))?"
    r"|(?P<unit>" + "|".join(list(_UNITS)[2:]) + r")|(?P<dozen>a\s+dozen)|(?P<a>a|one))"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion))?\b",
    re.I,
)
# Number words used as vague amounts: (low, high) before an "of thousands" multiplier.
_VAGUE_RANGES = {
    "dozens": (20, 199),
    "tens": (10, 99),
    "hundreds": (100, 999),
    "thousands": (1000, 9999),
    "millions": (1e6, 999e6),
    "billions": (1e9, 999e9),
}
_VAGUE = re.compile(
    r"\b(?:a\s+few\s+|several\s+)?(?P<m1>dozens|tens|hundreds|thousands|millions|billions)"
    r"(?:\s+(?:or|to)\s+(?:even\s+)?(?P<m2>dozens|tens|hundreds|thousands|millions|billions))?"
    r"(?:\s+of\s+(?P<of>thousands|millions|billions)\b)?\b",
    re.I,
)
_BOUND_PREFIX = [
    (r"at\s+least|no\s+(?:fewer|less)\s+than|a\s+minimum\s+of|not\s+less\s+than", "at_least"),
    (r"(?:just\s+|well\s+|far\s+)?(?:more\s+than|over|above|upwards\s+of|in\s+excess\s+of|exceeding)", "more_than"),
    (r"up\s+to|at\s+most|no\s+more\s+than|as\s+many\s+as|a\s+maximum\s+of|not\s+more\s+than", "at_most"),
    (r"(?:just\s+)?(?:less\s+than|fewer\s+than|under|below)", "less_than"),
    (
        r"about|around|roughly|approximately|approx\.|nearly|almost|some|close\s+to|circa|an\s+estimated|"
        r"estimated|an\s+approximate|~",
        "about",
    ),
]
_BOUND_RE = [(re.compile(rf"(?:^|(?<=[\s(“\"]))(?:{p})\s*$", re.I), b) for p, b in _BOUND_PREFIX]
_RANGE_JOIN = re.compile(r"^\s*(?:–|—|-|to|and)\s*$")
_DURATION = re.compile(
    r"^(?:-|\s+)(?P<u>year|month|week|day|hour|minute|decade|century|centuries)s?"
    r"(?P<old>-old|\s+old)?\b",
    re.I,
)
_NOUN_STOP = _STOP | frozenset(
    """
since per each every while who which where whose during within across among against toward
towards under between through via including like near around along who's were are is was
""".split()
)
_NOUN_ADJ = frozenset(
    """
potential would-be underground former new old armed additional key local foreign young lightly
heavily estimated total further such other more extra possible alleged suspected registered
""".split()
)
_YEAR_CONTEXT = re.compile(
    r"(?:\b(?:in|since|by|until|till|from|of|during|before|after|through|early|late|mid|the|year|"
    r"and|to|spring|summer|autumn|fall|winter)|" + _MONTH_RE + r"|[–—-])\s*$",
    re.I,
)
_CLAUSE_BOUNDARY = re.compile(r"[;:(]|[.!?](?=\s)|\bwhile\b|\bwhereas\b|\bbut\b|\bthat\b|[–—]")
_NP_WORDS = frozenset(
    """
and the these those two three four both other others men groups group factions they we exiles
loyalists al bin
""".split()
)
_PLURAL_SUBJECT = frozenset("they we these those both others men groups factions exiles loyalists".split())
_CAP_STOP = frozenset(
    _MONTHS
    + _WEEKDAYS
    + (
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "However",
        "Overall",
        "But",
        "And",
        "This",
        "These",
        "That",
        "It",
        "He",
        "She",
        "They",
        "We",
        "Along",
        "Despite",
        "Meanwhile",
        "Today",
    )
)


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for rx in _BLOCKED for m in rx.finditer(text)]


def _inside(span: tuple[int, int], blocked: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in blocked)


def _to_float(num: str) -> float:
    return float(num.replace(",", ""))


@dataclass(slots=True)
class _Atom:
    start: int
    end: int
    value: float
    high: float
    currency: str | None = None
    pct: bool = False
    scaled: bool = False
    vague: bool = False
    word: bool = False
    is_int: bool = True
    raw_scale: str | None = None


@_per_text
def _atoms(text: str) -> list[_Atom]:
    blocked = _blocked_spans(text)
    found: list[_Atom] = []
    for m in _ATOM.finditer(text):
        scale = (m.group("scale") or "").lower() or None
        cur = _CURRENCY_SYMBOL.get(m.group("cur") or "")
        if scale in ("m", "k", "mn", "bn") and not cur:
            # "5 m" is metres, "3k" ambiguous: bare letters only scale money
            if scale in ("m", "k"):
                continue
        start = m.start("cur") if m.group("cur") else m.start("num")
        span = (start, m.end())
        if _inside((m.start("num"), m.end("num")), blocked):
            continue
        v = _to_float(m.group("num")) * (_SCALES[scale] if scale else 1)
        found.append(
            _Atom(
                span[0],
                span[1],
                v,
                v,
                cur,
                bool(m.group("pct")),
                bool(scale),
                is_int="." not in m.group("num") and not scale,
                raw_scale=scale,
            )
        )
    for m in _VAGUE.finditer(text):
        lo, _ = _VAGUE_RANGES[m.group("m1").lower()]
        _, hi = _VAGUE_RANGES[(m.group("m2") or m.group("m1")).lower()]
        mult = _SCALES[m.group("of").lower().rstrip("s")] if m.group("of") else 1
        found.append(_Atom(m.start(), m.end(), lo * mult, hi * mult, vague=True, word=True, is_int=False))
    for m in _WORD_ATOM.finditer(text):
        if m.group("a") and not m.group("scale"):
            continue
        if m.group("tens"):
            v = _TENS[m.group("tens").lower()] + (_UNITS[m.group("unit1").lower()] if m.group("unit1") else 0)
        elif m.group("unit"):
            v = _UNITS[m.group("unit").lower()]
        elif m.group("dozen"):
            v = 12
        else:
            v = 1
        if m.group("scale"):
            v *= _SCALES[m.group("scale").lower()]
        found.append(_Atom(m.start(), m.end(), v, v, word=True, is_int=False))
    # longest first wins on overlap
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    out: list[_Atom] = []
    for a in found:
        if out and a.start < out[-1].end:
            continue
        out.append(a)
    return out


def _is_year(text: str, a: _Atom) -> bool:
    if a.currency or a.pct or a.scaled or a.word or not a.is_int:
        return False
    surface = text[a.start : a.end]
    if not re.fullmatch(r"\d{4}", surface) or not 1900 <= a.value <= 2100:
        return False
    if _YEAR_CONTEXT.search(text[max(0, a.start - 20) : a.start]):
        return True
    nxt = re.match(r"\s+([a-z][a-z-]*)", text[a.end :])
    return not (nxt and nxt.group(1) not in _NOUN_STOP and nxt.group(1).endswith("s"))


def _noun_after(text: str, pos: int, value: float) -> tuple[str | None, int]:
    """The counted noun phrase right after ``pos`` and where it ends."""
    m = re.match(r"(?:\s+[a-z][a-z’'-]*){1,5}", text[pos:])
    if not m:
        return None, pos
    toks = []
    for t in re.finditer(r"[a-z][a-z’'-]*", m.group(0)):
        if t.group(0) in _NOUN_STOP:
            break
        toks.append((t.group(0), pos + t.end()))
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


@_per_text
def extract_quantities(text: str) -> list[Quantity]:
    """Numbers in ``text`` with bound, unit, counted noun and subject; years, dates,
    times, ordinals, ids and phone numbers are left out.

    Args:
        text: one statement.

    Returns:
        The quantities in text order. "14-year" and "14 years" are typed ``duration``
        (``age`` with "-old"), "$1.5 million" is ``money`` in USD, "10–12%" a ``percent``
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
            if m and ("and" not in gap or between):
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
        dm = _DURATION.match(text[end:])
        if dm and not pct and not currency:
            kind = "age" if dm.group("old") else "duration"
            unit = dm.group("u").lower().replace("centuries", "century")
            end += dm.end()
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
        noun, _ = (None, noun_pos) if kind in ("money", "percent") else _noun_after(text, noun_pos, low)
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


def _match_quantities(qa: Sequence[Quantity], qb: Sequence[Quantity]):
    """(compatible pairs, incompatible pairs) after pairing each quantity with at most one other."""
    used_a, used_b, ok, bad = set(), set(), [], []
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


# ---------------------------------------------------------------------------------------
# dates
# ---------------------------------------------------------------------------------------

DateKind = Literal["year", "month", "weekday", "day", "relative"]


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date or time expression; ``value`` is normalised ("2024", "march", "march-25")."""

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


@_per_text
def extract_dates(text: str) -> list[DateExpr]:
    """Months, month-day dates, weekdays, years and relative expressions ("last week")."""
    out: list[DateExpr] = []
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
    for m in re.finditer(r"(?<![\d,.])(?:19|20)\d{2}(?![\d,])", text):
        # years inside blocked date patterns ("December 8, 2025") are dates too
        if not any(d.span == m.span() for d in out) and _inside(m.span(), _blocked_spans(text)):
            out.append(DateExpr("year", m.group(0), m.span(), m.group(0)))
    return sorted(out, key=lambda d: d.span)


def _date_conflict(a_text: str, b_text: str):
    da, db = extract_dates(a_text), extract_dates(b_text)
    for kind in ("day", "month", "weekday", "year", "relative"):
        va = {d.value for d in da if d.kind == kind}
        vb = {d.value for d in db if d.kind == kind}
        if kind == "month":  # "November 25" also names the month
            va |= {d.value.split("-")[0] for d in da if d.kind == "day"}
            vb |= {d.value.split("-")[0] for d in db if d.kind == "day"}
        if va and vb and not va & vb:
            sa = [d.span for d in da if d.value in va or d.value.split("-")[0] in va]
            sb = [d.span for d in db if d.value in vb or d.value.split("-")[0] in vb]
            return kind, sorted(va), sorted(vb), sa, sb
    return None


# ---------------------------------------------------------------------------------------
# people, roles, attributions
# ---------------------------------------------------------------------------------------

_NAME_TOKEN = r"(?:(?:al|el|ad|as|ash|an|ar|abu|bin|ibn|Al|El|Abu)-[A-Z][a-z’'`]+|[A-Z][a-z’'`]+(?:-[A-Z][a-z’']+)?)"
_PARTICLE = r"(?:al|el|bin|ibn|bint|abu|de|da|di|van|von|der|le|la|du|dos|das)"
_NAME = re.compile(rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN})*")
_TITLE_ABBR = re.compile(r"((?:(?:Maj|Gen|Col|Lt|Dr|Mr|Mrs|Ms|Sgt|Capt|Brig|Adm|Gov|Sen|Rep|Prof|Pres)\.\s+)+)$")
_TITLE_WORDS = frozenset(
    """
former interim acting deputy major general president governor researcher prime minister colonel
lieutenant brigadier captain sheikh imam king prince queen emir mayor senator judge professor
doctor commander chief head leader director secretary ambassador spokesman spokeswoman analyst
billionaire foreign defence defense interior vice
""".split()
)
_OFFICE = frozenset(
    """
governor head chief leader director commander minister president mayor spokesman spokeswoman
spokesperson researcher analyst officer official coordinator adviser advisor ambassador envoy
secretary chairman chairwoman chair ceo founder editor professor judge prosecutor senator lawmaker
manager emir king prince queen sheikh imam cleric activist journalist expert boss deputy
""".split()
)
_RANKS = frozenset(
    "major general maj gen colonel col lieutenant lt brigadier brig captain capt "
    "sergeant sgt admiral adm marshal".split()
)
_KIN = frozenset(
    """
cousin brother sister son daughter wife husband father mother uncle nephew niece relative friend
billionaire businessman businesswoman tycoon ally loyalist member
""".split()
)
_ROLE_SYNONYMS = {
    "chief": "head",
    "leader": "head",
    "director": "head",
    "boss": "head",
    "chair": "head",
    "chairman": "head",
    "chairwoman": "head",
    "adviser": "advisor",
    "spokeswoman": "spokesperson",
    "spokesman": "spokesperson",
    "spy": "intelligence",
}
_REGION_WORDS = frozenset("region province governorate state district".split())
_ROLE_MODIFIERS = frozenset("former ex then interim acting ousted deposed late the a an his her its their".split())
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[A-Z][\w-]*[’']s)"
_PREMOD_STOP = frozenset(
    """
and or of by to in with from for as that while including the a an his her its their who which
was were is are has have had said told at on neither nor not no both all
""".split()
)
_NON_PERSON = frozenset("reuters afp ap un hts syria russia moscow lebanon iran israel".split())


@dataclass(frozen=True, slots=True)
class RoleMention:
    """One title or role given to a person, with the role's span in the text."""

    person: str
    role: str
    span: tuple[int, int]


def person_key(name: str) -> str:
    """A key that matches the forms of one name: last token, particle and possessive dropped.

    "Ahmed al-Shami", "al-Shami" and "Al-Shami’s" all give "shami".
    """
    toks = name.replace("’s", "").replace("'s", "").split()
    return _norm_name(toks[-1]) if toks else ""


def _role_noun(tok: str) -> str | None:
    t = _singular(tok.strip(".,").lower())
    if t in _OFFICE or t in _RANKS or t in _KIN:
        return t
    return None


def _names(text: str):
    """(name, start, end, premod_title) for capitalised name sequences, titles peeled off."""
    for m in _NAME.finditer(text):
        toks = list(re.finditer(r"\S+", m.group(0)))
        k = 0
        while k < len(toks) - 1 and toks[k].group(0).lower() in _TITLE_WORDS:
            k += 1
        start = m.start() + toks[k].start()
        name = text[start : m.end()]
        name = re.sub(r"[’']s$", "", name)
        if not name or name in _CAP_STOP or _norm_name(name) in _NON_PERSON:
            continue
        if (
            toks[k].group(0) in _CAP_STOP
            or text[start + len(name) : start + len(name) + 1] == "."
            and re.fullmatch(r"(?:Maj|Gen|Col|Lt|Dr|Mr|Mrs|Ms|Sgt|Capt|Brig|Adm|Gov|Sen|Rep|Prof|Pres)", name)
        ):
            continue
        sentence_initial = not text[:start].strip() or re.search(r"[.!?]\s*$", text[:start])
        if sentence_initial and " " not in name and "-" not in name:
            continue
        yield name, start, start + len(name), (m.start(), start) if k else None


def _premod_run(text: str, end: int) -> int:
    """Start of the run of modifier words right before ``end`` ("Former Syrian intelligence
    chief", "head of military intelligence"), stopping at punctuation, determiners,
    prepositions and possessives; "of" is crossed only after a role noun."""
    base = max(0, end - 100)
    words = list(re.finditer(r"[\w’'.-]+", text[base:end]))
    run_start = end
    k = len(words) - 1
    while k >= 0:
        w = words[k]
        between = text[base + w.end() : run_start]
        tok = w.group(0)
        if between.strip() or re.search(r"[’']s$", tok) or (tok.endswith(".") and len(tok) > 4):
            break
        if tok.lower() in _PREMOD_STOP:
            if (
                tok.lower() == "of"
                and k > 0
                and _role_noun(words[k - 1].group(0)) in _OFFICE
                and not text[base + words[k - 1].end() : base + w.start()].strip()
            ):
                run_start = base + w.start()
                k -= 1
                continue
            break
        run_start = base + w.start()
        k -= 1
    return run_start


@_per_text
def _role_mentions(text: str) -> list[RoleMention]:
    out: list[RoleMention] = []
    for name, start, end, peeled in _names(text):
        # 1. titles before the name: "Maj. Gen. Kamal Hassan", "Researcher Annsar Shahhoud",
        #    "Former Syrian intelligence chief Kamal Hassan", "his billionaire cousin Rami Makhlouf"
        title_start = peeled[0] if peeled else start
        abbr = _TITLE_ABBR.search(text[:title_start])
        if abbr:
            title_start = abbr.start()
        title = text[title_start:start].strip()
        run_start = _premod_run(text, title_start)
        pre = text[run_start:title_start].strip()
        pre_toks = pre.split()
        if (
            not pre_toks
            or pre_toks[-1].lower() == "of"
            or not (any(_role_noun(t) for t in pre_toks) or all(t.lower() in _ROLE_MODIFIERS for t in pre_toks))
        ):
            pre, run_start = "", title_start
        role = " ".join(x for x in (pre, title) if x)
        if role and any(_role_noun(t) for t in role.split()):
            role_span = (run_start, start - (len(text[:start]) - len(text[:start].rstrip())))
            # "Governor Ahmed al-Shami of Tartous"
            post = re.match(r"\s+of\s+(?:the\s+)?([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)", text[end:])
            last = role.split()[-1]
            if post and _role_noun(last) in _OFFICE:
                role = f"{role} of {post.group(1)}"
                role_span = (run_start, end + post.end())
            out.append(RoleMention(name, role, role_span))
        # 2. appositive after: "Ahmed al-Shami, governor of the coastal region of Tartus,"
        am = re.match(
            rf"\s*([,—–(])\s*(?:(?:{_DETERMINER})\s+)?(?P<r>[^,;—–()]{{3,100}}?)(?=\s*[,;—–)]|\.\s|\.$|$)", text[end:]
        )
        if am:
            role = am.group("r").strip()
            rtoks = role.split()
            if (
                rtoks
                and not rtoks[0][0].isupper()
                and any(_role_noun(t) for t in rtoks[:4])
                and not re.match(r"(?:who|which|whose|and|or|said|told)\b", role)
            ):
                s = end + am.start("r")
                out.append(RoleMention(name, role, (s, s + len(role))))
        # 3. appositive before: "the governor of the coastal Tartous region, Ahmed al-Shami,"
        bm = re.search(rf"(?:^|[,;:—–(]\s*)(?:{_DETERMINER})\s+(?P<r>[^,;:—–()]{{3,100}}),\s*$", text[:start])
        if bm:
            role = bm.group("r").strip()
            rtoks = role.split()
            if rtoks and any(_role_noun(t) for t in rtoks[:3]) and text[end : end + 1] in (",", " ", ""):
                out.append(RoleMention(name, role, (bm.start("r"), bm.start("r") + len(role))))
    return out


@_per_text
def extract_roles(text: str) -> dict[str, list[str]]:
    """Titles and roles per person named in ``text``.

    Recognises "Name, role," and "Name—role—", "the role, Name,", "Title Name (of Place)"
    and lowercase pre-modifiers ending in a role noun ("billionaire cousin Rami Makhlouf").
    Mentions of one person ("Ahmed al-Shami", "al-Shami") are merged under the longest name.
    """
    by_key: dict[str, tuple[str, list[str]]] = {}
    for rm in _role_mentions(text):
        key = person_key(rm.person)
        name, roles = by_key.get(key, (rm.person, []))
        if len(rm.person) > len(name):
            name = rm.person
        if rm.role not in roles:
            roles.append(rm.role)
        by_key[key] = (name, roles)
    return {name: roles for name, roles in by_key.values()}


@dataclass(frozen=True, slots=True)
class _RoleSig:
    category: str  # office / rank / kin
    head: str
    obj: str | None
    places: frozenset[str]
    tokens: frozenset[str]


def _role_sig(role: str) -> _RoleSig | None:
    raw = re.findall(r"[\w’'.-]+", role)
    low = [t.lower().rstrip(".") for t in raw]
    idx = next((i for i, t in enumerate(low) if _role_noun(t)), None)
    if idx is None:
        return None
    noun = _role_noun(low[idx]) or ""
    if noun == "deputy" and idx + 1 < len(low) and _role_noun(low[idx + 1]):
        nxt = _role_noun(low[idx + 1]) or ""
        noun = "deputy " + _ROLE_SYNONYMS.get(nxt, nxt)
        idx += 1
    category = "office" if noun.split()[-1] in _OFFICE else "rank" if noun in _RANKS else "kin"
    if category == "rank" and any(_role_noun(t) in _OFFICE for t in low[idx + 1 :]):
        return _role_sig(" ".join(raw[idx + 1 :]))
    head = _ROLE_SYNONYMS.get(noun, noun)
    obj = None
    if idx + 1 < len(low) and low[idx + 1] in ("of", "for", "at"):
        span = []
        for t, r in zip(low[idx + 2 :], raw[idx + 2 :]):
            if t in ("in", "of", "for", "at", "who", "which", "on", "from", "with"):
                break
            if t not in _ROLE_MODIFIERS and not r[0].isupper():
                span.append(t)
        obj = span[-1] if span else None
    else:
        prev = [t for t, r in zip(low[:idx], raw[:idx]) if t not in _ROLE_MODIFIERS and not r[0].isupper()]
        obj = prev[-1] if prev else None
    if obj:
        obj = _ROLE_SYNONYMS.get(_singular(obj), _singular(obj))
    if head == "head" and obj in _REGION_WORDS:
        head = "governor"
    places = frozenset(
        _norm_name(_DEMONYMS.get(r, r))
        for r in raw
        if r[0].isupper()
        and r.lower().rstrip(".") not in _TITLE_WORDS | _RANKS
        and r.lower() not in _ROLE_MODIFIERS
        and "’s" not in r
        and "'s" not in r
    )
    tokens = frozenset(_singular(t) for t in low if t not in _STOP and t not in _ROLE_MODIFIERS)
    return _RoleSig(category, head, obj, places, tokens)


def _fuzzy_subset(a: Iterable[str], b: Iterable[str]) -> bool:
    bl = list(b)
    return all(any(x == y or similar_spelling(x, y) for y in bl) for x in a)


def roles_conflict(r1: str, r2: str) -> bool:
    """True when two roles of the same person cannot both be meant.

    Compatible: one role's words contained in the other's ("head of military intelligence" /
    "former head of military intelligence"), the same head noun with the place spelt
    differently ("governor of Tartus" / "governor of the coastal Tartous region"), synonyms
    ("intelligence chief" / "head of military intelligence"), a rank next to an office
    ("Major General" / "head of military intelligence") and family or descriptive roles
    ("billionaire cousin"), which never conflict. Conflict: different office head nouns
    ("governor" / "head of a special unit"), or the same head noun for a different body or
    for places that are not spelling variants.
    """
    s1, s2 = _role_sig(r1), _role_sig(r2)
    if s1 is None or s2 is None or s1.category != "office" or s2.category != "office":
        return False
    if _fuzzy_subset(s1.tokens, s2.tokens) or _fuzzy_subset(s2.tokens, s1.tokens):
        return False
    if s1.head != s2.head:
        # a bare "leader"/"chief" says too little to contradict a specific office
        return not ((s1.head in _GENERIC_HEADS and not s1.obj) or (s2.head in _GENERIC_HEADS and not s2.obj))
    if s1.obj and s2.obj and s1.obj != s2.obj and not ({s1.obj, s2.obj} <= _REGION_WORDS):
        return True
    if s1.places and s2.places and not any(similar_spelling(x, y) for x in s1.places for y in s2.places):
        return True
    return False


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said what: ``source`` as written, the claim's span, the reporting verb."""

    source: str
    claim_span: tuple[int, int]
    verb: str
    source_span: tuple[int, int] = (0, 0)


_SAY = (
    r"said|says|say|told|tells|stated|states|claims|claimed|claim|added|adds|confirmed|confirms|"
    r"insisted|insists|reported|reports|denied|denies|warned|warns|acknowledged|acknowledges|"
    r"asserted|asserts|argued|argues|noted|notes|explained|wrote|writes|announced|found|show|shows|"
    r"showed|revealed|(?:called|calls)(?=\s+(?:it|them|him|her|this|that)\b)"
)
_SAY_RE = re.compile(rf"\b(?P<verb>{_SAY})\b")
_SOURCE_NOUNS = frozenset(
    """
source sources relative relatives official officials people person resident residents witness
witnesses commander commanders analyst analysts expert experts diplomat diplomats researcher
researchers spokesman spokeswoman spokesperson document documents record records investigation
report media activist activists monitor observers observer coordinator governor minister
ministry army police government family families
""".split()
)
_PRONOUNS = frozenset("he she they it we i".split())
_WIRE = frozenset("reuters ap afp investigation report agency news newspaper".split())
_SOURCE_BOUNDARY = re.compile(r"[,;:(“\"]|[—–]|\bthat\b|\band\b(?=\s+[a-z])|\bwhile\b|\bbut\b")


def _valid_source(src: str) -> bool:
    toks = re.findall(r"[\w’'-]+", src)
    if not toks or len(toks) > 10:
        return False
    low = [t.lower() for t in toks]
    if len(toks) == 1 and low[0] in _PRONOUNS:
        return True
    if any(_singular(t) in _SOURCE_NOUNS or t in _SOURCE_NOUNS for t in low):
        return True
    return all(t[0].isupper() or re.match(r"(?:al|el|bin|ibn|abu|de)(?:-|$)", t) for t in toks)


def source_key(source: str) -> str | None:
    """A comparable key for a source: a person key, a singular group noun, or None.

    Pronouns and the wire or investigation all outlets retell ("Reuters", "the
    investigation") give None: they do not distinguish one source from another.
    """
    s = re.sub(r"[“”\"]", "", source).strip()
    s = re.split(
        r"\s+(?:close to|familiar with|interviewed by|reviewed by|on the ground|with knowledge|"
        r"seen by|who|in\s+)\b",
        s,
    )[0]
    toks = re.findall(r"[\w’'-]+", s)
    low = [t.lower() for t in toks]
    if not toks or (len(toks) == 1 and low[0] in _PRONOUNS):
        return None
    if any(t in _WIRE for t in low):
        return None
    if low[-1] in _SOURCE_NOUNS or _singular(low[-1]) in _SOURCE_NOUNS:
        return _singular(low[-1])
    names = [
        t
        for t in toks
        if (t[0].isupper() or re.match(r"(?:al|el|abu|bin|ibn)-", t))
        and t.lower() not in _TITLE_WORDS
        and t.lower() not in _STOP
        and t.lower() not in _UNITS
        and t.lower() not in _SOURCE_NOUNS
    ]
    if names:
        return person_key(names[-1])
    for t in reversed(low):
        if t in _SOURCE_NOUNS or _singular(t) in _SOURCE_NOUNS:
            return _singular(t)
    return None


@_per_text
def extract_attributions(text: str) -> list[Attribution]:
    """Reported speech: "X said ...", "..., X said", "according to X", "X told Reuters",
    "X called it ...", "X, who ..., claims that ...", "documents show that ...".

    The source is the noun phrase before the reporting verb back to a clause boundary
    (a relative clause "X, who ..., said" is skipped); the claim runs from after the verb
    (and "that", "Reuters", "in a statement,") to the end of the sentence, or is the text
    before the source when the verb ends the sentence.
    """
    out: list[Attribution] = []
    for m in re.finditer(r"\b[Aa]ccording to (?P<src>[^,.;:—–]+)", text):
        src = m.group("src").strip()
        if text[m.end() :].strip(' .”"') == "":
            claim = (0, m.start())
        else:
            claim = (m.end(), len(text))
        while claim[1] > claim[0] and text[claim[1] - 1] in " ,.":
            claim = (claim[0], claim[1] - 1)
        lead = len(text[claim[0] : claim[1]]) - len(text[claim[0] : claim[1]].lstrip(" ,"))
        claim = (claim[0] + lead, claim[1])
        out.append(Attribution(src, claim, "according to", (m.start("src"), m.start("src") + len(src))))
    for m in _SAY_RE.finditer(text):
        prefix = text[: m.start()]
        prefix = re.sub(r"\s+(?:has|have|had|also|reportedly|later|previously|publicly)\s*$", " ", prefix)
        prefix = re.sub(r",\s*(?:who|which|whose)\b[^,]*,\s*$", " ", prefix)
        appos = re.search(r"(?<=[A-Za-z’'])\s*,\s*(?P<r>[^,]{2,100}?),\s*$", prefix)
        if appos and any(_role_noun(t) for t in appos.group("r").split()[:4]):
            prefix = prefix[: appos.start()] + " "
        cut = 0
        for b in _SOURCE_BOUNDARY.finditer(prefix.rstrip()):
            if b.end() < len(prefix.rstrip()):
                cut = b.end()
        raw = prefix[cut:]
        src = raw.strip().strip('”" ')
        if not src or not _valid_source(src):
            continue
        s_start = cut + (len(raw) - len(raw.lstrip())) + (1 if raw.lstrip()[:1] in '“"' else 0)
        after = text[m.end() :]
        skip = (
            re.match(
                r"(?:\s+(?:it|Reuters|reporters|journalists|AFP|the\s+\w+(?:\s+\w+)?|him|her|them)"
                r"(?=\W))?(?:\s+in\s+[^,.]{1,40}?(?=[,:]|\s+that\b))?[\s,:]*(?:that\b)?\s*",
                after,
            )
            if m.group("verb").startswith(("told", "tells", "call"))
            else re.match(r"(?:\s+in\s+[^,.]{1,40}?(?=[,:]|\s+that\b))?[\s,:]*(?:that\b)?\s*", after)
        )
        c_start = m.end() + (skip.end() if skip else 0)
        c_end = len(text.rstrip(" ."))
        trailing = re.fullmatch(
            r"\s*(?:in|on|to|during|via|after|before)\b[^,;:“\"]*", text[c_start:c_end]
        ) or re.fullmatch(r"\s*(?:in|on|to|during|via|after|before)\b[^,;:“\"]*", text[m.end() : c_end])
        if c_end - c_start < 8 or trailing:  # "..., he said." / "..., X said in a message."
            c_start, c_end = 0, max(0, s_start - 1)
            while c_end > 0 and text[c_end - 1] in ' ,”"':
                c_end -= 1
        if any(a.source_span[0] <= s_start < a.source_span[1] for a in out):
            continue
        out.append(Attribution(src, (c_start, c_end), m.group("verb"), (s_start, s_start + len(src))))
    return sorted(out, key=lambda a: a.source_span)


# ---------------------------------------------------------------------------------------
# places
# ---------------------------------------------------------------------------------------

_GAZETTEER = frozenset(
    """
Syria Lebanon Israel Iran Iraq Jordan Turkey Russia Ukraine Egypt Libya Yemen Gaza Palestine
Saudi Qatar Kuwait Bahrain Oman Emirates UAE Afghanistan Pakistan India China Japan Korea
France Germany Britain England Italy Spain Poland Greece Sweden Norway Europe Africa Asia
America Canada Mexico Brazil Venezuela Cuba Nigeria Kenya Ethiopia Sudan Somalia Australia
Moscow Damascus Beirut Baghdad Tehran Cairo Ankara Istanbul Jerusalem Riyadh Doha Dubai London
Paris Berlin Washington Beijing Kyiv Kiev Aleppo Homs Hama Idlib Latakia Tartus Tartous Deraa
Daraa Raqqa Deir Mediterranean Golan Crimea Donbas Kharkiv Odesa Mariupol
""".split()
)
_DEMONYMS = {
    "Syrian": "Syria",
    "Lebanese": "Lebanon",
    "Israeli": "Israel",
    "Iranian": "Iran",
    "Iraqi": "Iraq",
    "Russian": "Russia",
    "Turkish": "Turkey",
    "Egyptian": "Egypt",
    "Ukrainian": "Ukraine",
    "American": "America",
    "British": "Britain",
    "French": "France",
    "German": "Germany",
    "Chinese": "China",
    "Jordanian": "Jordan",
    "Libyan": "Libya",
    "Yemeni": "Yemen",
    "Saudi": "Saudi",
}
_PLACE_TOKEN = r"[A-Z][\w’'-]+"
_COAST_RX = [
    (
        re.compile(
            rf"\bcoastal\s+(?:regions?|provinces?|areas?|governorates?)\s+of\s+(?:the\s+)?(?P<p>{_PLACE_TOKEN})\b"
        ),
        "place",
    ),
    (re.compile(rf"\bcoastal\s+(?P<p>{_PLACE_TOKEN})\s+(?:region|province|governorate)\b"), "place"),
    (re.compile(rf"\bcoastal\s+(?P<p>{_PLACE_TOKEN})\b"), "coast"),
    (
        re.compile(rf"\b(?P<p>{_PLACE_TOKEN})(?:[’']s)?\s+coast(?:line|al\s+(?:regions?|areas?|cities|provinces?))?\b"),
        "coast",
    ),
    (re.compile(rf"\bcoast\s+of\s+(?:the\s+)?(?P<p>{_PLACE_TOKEN})\b"), "coast"),
    (re.compile(r"\b(?:the\s+)?coast(?:al\s+(?:regions?|areas?|cities|provinces?))?\b"), "coast"),
]
_LOCATIVE = re.compile(
    rf"\b(?:in|from|across|near|along|throughout|into|within|outside|region\s+of|"
    rf"province\s+of|city\s+of|provinces\s+of)\s+(?:the\s+)?(?P<p>{_PLACE_TOKEN})"
)
_REGION_SUFFIX = re.compile(rf"\b(?P<p>{_PLACE_TOKEN})\s+(?:region|province|governorate)\b")


@_per_text
def extract_places(text: str) -> dict[str, list[tuple[int, int]]]:
    """Place keys -> spans. "coastal Syria", "the Syrian coast" and "Syria's coast" give
    "coast:syria"; "the coast" alone gives "coast"; other places are lowercased names.

    Places come from a small gazetteer, from capitalised words after locative prepositions
    ("in Tartus", "region of Tartus") and before "region/province".
    """
    places: dict[str, list[tuple[int, int]]] = {}
    covered: list[tuple[int, int]] = []

    def add(key: str, span: tuple[int, int]) -> None:
        places.setdefault(key, []).append(span)
        covered.append(span)

    for rx, mode in _COAST_RX:
        for m in rx.finditer(text):
            if _inside(m.span(), covered):
                continue
            p = m.groupdict().get("p") or ""
            if p and (
                p in _CAP_STOP
                or (
                    mode == "coast"
                    and p not in _DEMONYMS
                    and p not in _GAZETTEER
                    and not rx.pattern.startswith(r"\bcoastal")
                )
            ):
                continue
            p = _DEMONYMS.get(p, p)
            if mode == "place":
                add(_norm_name(p), m.span())
            else:
                add(f"coast:{_norm_name(p)}" if p else "coast", m.span())
    for rx in (_LOCATIVE, _REGION_SUFFIX):
        for m in rx.finditer(text):
            p = m.group("p")
            if (
                _inside(m.span("p"), covered)
                or p in _CAP_STOP
                or p in _DEMONYMS
                or _norm_name(p) in {"reuters", "assad"}
            ):
                continue
            if re.match(r"\s+[A-Z]", text[m.end("p") :]) and p not in _GAZETTEER:
                continue  # "in Bashar al-Assad": a person, not a place
            add(_norm_name(p), m.span("p"))
    for m in re.finditer(r"\b[A-Z][a-z]+\b", text):
        if m.group(0) in _GAZETTEER and not _inside(m.span(), covered):
            add(_norm_name(m.group(0)), m.span())
    return places


def _place_match(x: str, y: str) -> str | None:
    """ "same", "x_in_y" (x refines y), "y_in_x" or None."""
    xp, yp = x.split(":")[-1], y.split(":")[-1]
    same_place = (xp == yp) or (xp and yp and similar_spelling(xp, yp))
    if x.startswith("coast") == y.startswith("coast"):
        return "same" if same_place or (x == y) else None
    if x.startswith("coast") and (same_place or not xp):
        return "x_in_y" if xp else None
    if y.startswith("coast") and (same_place or not yp):
        return "y_in_x" if yp else None
    return None


def _location_finding(a_text: str, b_text: str):
    pa, pb = extract_places(a_text), extract_places(b_text)
    if not pa or not pb:
        return None
    only_a = [x for x in pa if not any(_place_match(x, y) == "same" for y in pb)]
    only_b = [y for y in pb if not any(_place_match(x, y) == "same" for x in pa)]
    if not only_a and not only_b:
        return None
    refined = [(x, y) for x in only_a for y in only_b if _place_match(x, y) in ("x_in_y", "y_in_x")]
    ref_a = {x for x, _ in refined}
    ref_b = {y for _, y in refined}
    extra_a = [x for x in only_a if x not in ref_a]
    extra_b = [y for y in only_b if y not in ref_b]
    shared = len(pa) - len(only_a)
    parts = []
    if refined:
        parts.append("scope differs: " + ", ".join(f"'{_pretty_place(x)}' vs '{_pretty_place(y)}'" for x, y in refined))
    if extra_a and not extra_b:
        parts.append(f"A adds {_fmt_places(extra_a)}")
    elif extra_b and not extra_a:
        parts.append(f"B adds {_fmt_places(extra_b)}")
    elif extra_a and extra_b:
        kind = "different places" if not shared and not refined else "places differ"
        parts.append(f"{kind}: A only {_fmt_places(extra_a)}, B only {_fmt_places(extra_b)}")
    spans_a = sorted(s for x in only_a for s in pa[x])
    spans_b = sorted(s for y in only_b for s in pb[y])
    return "; ".join(parts), spans_a, spans_b


def _pretty_place(key: str) -> str:
    if key.startswith("coast:"):
        return f"coast of {key[6:].title()}"
    return key.title()


def _fmt_places(keys: Iterable[str]) -> str:
    return "{" + ", ".join(_pretty_place(k) for k in keys) + "}"


# ---------------------------------------------------------------------------------------
# the finding
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Finding:
    """What differs between the two statements of a pair, and what that does to the verdict.

    ``type`` is None when no check explains the pair. ``adjust`` is "raise" (to
    contradiction) or "lower" (away from contradiction) and ``verdict`` the proposed new
    verdict; both None when the NLI verdict stands. ``check`` names the rule that decided
    ("number", "role/title", "attribution", ...) for the ``evidence`` field of the pair.
    """

    type: FindingType | None = None
    a_spans: tuple[tuple[int, int], ...] = ()
    b_spans: tuple[tuple[int, int], ...] = ()
    evidence: str = ""
    adjust: Adjust | None = None
    verdict: Verdict | None = None
    check: str | None = None


_NONE = Finding()


def _fmt_q(q: Quantity) -> str:
    return f"'{q.text}{' ' + q.noun if q.noun and q.noun not in q.text else ''}'"


_GENERIC_HEADS = frozenset({"head"})
NUMBER_CONTEXT_OVERLAP = 0.35


def _number_conflict(qa: list[Quantity], qb: list[Quantity], a_text: str, b_text: str):
    """Incompatible quantities that are clearly about the same thing: precise (not vague),
    the same counted noun on both sides (or, for money/percent, the same named subject),
    and either the same named subject or sentences sharing most of their other words."""
    _, bad = _match_quantities(qa, qb)
    strip = lambda text, qs: "".join(  # noqa: E731
        ch for i, ch in enumerate(text) if not any(q.span[0] <= i < q.span[1] for q in qs)
    )
    context = _overlap(_content_tokens(strip(a_text, qa)), _content_tokens(strip(b_text, qb)))

    def same_thing(x: Quantity, y: Quantity) -> bool:
        if x.vague or y.vague:
            return False
        same_subject = bool(x.subject and x.subject == y.subject and x.subject.startswith("name:"))
        if x.kind == "count" and not (x.noun_head and x.noun_head == y.noun_head):
            return False
        if x.kind != "count" and not (same_subject or (x.noun_head and x.noun_head == y.noun_head)):
            return False
        return same_subject or context >= NUMBER_CONTEXT_OVERLAP

    bad = [(x, y) for x, y in bad if same_thing(x, y)]
    if not bad:
        return None
    x, y = bad[0]
    what = x.noun or y.noun or x.unit or y.unit or x.kind
    ev = f"numbers differ for {what}: {_fmt_q(x)} vs {_fmt_q(y)}"
    return ev, [x.span for x, _ in bad], [y.span for _, y in bad]


def _role_conflict(a_text: str, b_text: str):
    ma, mb = _role_mentions(a_text), _role_mentions(b_text)
    keys = {person_key(m.person) for m in ma} & {person_key(m.person) for m in mb}
    for key in sorted(keys):
        ra = [m for m in ma if person_key(m.person) == key and (s := _role_sig(m.role)) and s.category == "office"]
        rb = [m for m in mb if person_key(m.person) == key and (s := _role_sig(m.role)) and s.category == "office"]
        pairs = [(x, y) for x in ra for y in rb]
        if pairs and all(roles_conflict(x.role, y.role) for x, y in pairs):
            x, y = pairs[0]
            name = max((m.person for m in ra + rb), key=len)
            return f"roles differ for {name}: '{x.role}' vs '{y.role}'", [x.span], [y.span]
    return None


def _negation_flip(a_text: str, b_text: str):
    na = list(_NEGATORS.finditer(a_text))
    nb = list(_NEGATORS.finditer(b_text))
    if len(na) % 2 == len(nb) % 2:
        return None
    if _overlap(_content_tokens(a_text), _content_tokens(b_text)) < 0.6:
        return None
    neg_side = "A" if len(na) % 2 else "B"
    words = [m.group(0) for m in (na if neg_side == "A" else nb)]
    return (
        f"polarity differs: {neg_side} negates ({', '.join(repr(w) for w in words)})",
        [m.span() for m in na],
        [m.span() for m in nb],
    )


_NAME_TOKEN_RE = re.compile(r"^(?:[A-Z][\w’'-]*)$")


def _entity_swap(a_text: str, b_text: str):
    ta = list(re.finditer(r"[\w’'-]+", a_text))
    tb = list(re.finditer(r"[\w’'-]+", b_text))
    wa, wb = [t.group(0) for t in ta], [t.group(0) for t in tb]
    sm = difflib.SequenceMatcher(a=[w.lower() for w in wa], b=[w.lower() for w in wb], autojunk=False)
    ratio = sm.ratio()
    if ratio < 0.5:
        return None
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace":
            continue
        xa, xb = wa[i1:i2], wb[j1:j2]
        if not all(_NAME_TOKEN_RE.match(w) and w not in _CAP_STOP and w.lower() not in _STOP for w in xa + xb):
            continue
        na, nb = " ".join(xa), " ".join(xb)
        if any(w in _GAZETTEER or w in _DEMONYMS for w in xa + xb):
            continue  # a place swap: left to the location check
        if person_key(na) == person_key(nb) or similar_spelling(person_key(na), person_key(nb)):
            continue
        return (
            f"different name in the same place: '{na}' vs '{nb}'",
            [(ta[i1].start(), ta[i2 - 1].end())],
            [(tb[j1].start(), tb[j2 - 1].end())],
            ratio,
        )
    return None


def _claim_text(text: str, atts: list[Attribution]) -> str:
    if not atts:
        return text
    return " ".join(text[a.claim_span[0] : a.claim_span[1]] for a in atts)


def _attribution_difference(a_text: str, b_text: str):
    aa, ab = extract_attributions(a_text), extract_attributions(b_text)
    ka = {k for a in aa if (k := source_key(a.source))}
    kb = {k for b in ab if (k := source_key(b.source))}
    if not ka and not kb:
        return None
    named_a = ", ".join(repr(a.source) for a in aa if source_key(a.source))
    named_b = ", ".join(repr(b.source) for b in ab if source_key(b.source))
    if ka and kb:
        if any(x == y or similar_spelling(x, y) for x in ka for y in kb):
            return None
        desc = f"attributed to different sources: {named_a} vs {named_b}"
    elif ka and not ab:
        desc = f"A attributes to {named_a}; B states it unattributed"
    elif kb and not aa:
        desc = f"B attributes to {named_b}; A states it unattributed"
    else:
        return None
    claim_a, claim_b = _claim_text(a_text, aa), _claim_text(b_text, ab)
    if _overlap(_content_tokens(claim_a), _content_tokens(claim_b)) < CLAIM_OVERLAP:
        return None
    return desc, [a.source_span for a in aa], [b.source_span for b in ab]


def _only_ids_differ(a_text: str, b_text: str) -> bool:
    """True when every differing token carries digits that are not quantities (ids, times)."""
    ta = re.findall(r"\S+", a_text)
    tb = re.findall(r"\S+", b_text)
    sm = difflib.SequenceMatcher(a=ta, b=tb, autojunk=False)
    diffs = [w for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal" for w in ta[i1:i2] + tb[j1:j2]]
    if not diffs or not all(re.search(r"\d", w) for w in diffs):
        return False
    qtexts = " ".join(q.text for q in extract_quantities(a_text) + extract_quantities(b_text))
    return not any(re.sub(r"\W", "", w) and re.sub(r"\W", "", w) in re.sub(r"[^\w ]", "", qtexts) for w in diffs)


def _different_subjects(
    qa: list[Quantity], qb: list[Quantity], nouns_too: bool = False, context: float = 0.0
) -> Finding | None:
    """A lowering finding when every same-kind quantity pair is about a different subject,
    or (with ``nouns_too``) counts a different noun in sentences whose other words mostly
    agree (``context`` >= ``NUMBER_CONTEXT_OVERLAP``), so the numbers are what the model saw."""
    pairs = [(x, y) for x in qa for y in qb if x.kind == y.kind and x.unit == y.unit]
    if not pairs or any(quantities_comparable(x, y) for x, y in pairs):
        return None
    subj = [(x, y) for x, y in pairs if x.subject and y.subject and x.subject != y.subject]
    if len(subj) < len(pairs) and (not nouns_too or context < NUMBER_CONTEXT_OVERLAP):
        return None
    x, y = pairs[0]
    why = (
        f"subjects {x.subject.removeprefix('name:')} vs {y.subject.removeprefix('name:')}"
        if x.subject and y.subject and x.subject != y.subject
        else f"nouns {x.noun} vs {y.noun}"
    )
    return Finding(
        "number",
        tuple(sorted({p[0].span for p in pairs})),
        tuple(sorted({p[1].span for p in pairs})),
        f"numbers are about different things ({why}): {_fmt_q(x)} vs {_fmt_q(y)}",
        "lower",
        "neutral",
        "number",
    )


def type_finding(a_text: str, b_text: str, verdict: Verdict) -> Finding:
    """Type the difference between two statements and propose a verdict change.

    Args:
        a_text: statement A.
        b_text: statement B.
        verdict: the NLI verdict of the pair.

    Returns:
        A :class:`Finding`. For ``neutral``/``agree`` only raising conflicts are reported;
        the precedence of checks is in the module docstring.
    """
    if verdict not in ("contradiction", "agree", "a_adds", "b_adds", "neutral"):
        raise ValueError(f"verdict must be one of contradiction, agree, a_adds, b_adds, neutral; got {verdict!r}")
    is_contra = verdict == "contradiction"
    full = verdict in ("contradiction", "a_adds", "b_adds")
    near = _token_ratio(a_text, b_text) >= NEAR_IDENTICAL

    def conflict(ftype: str, ev: str, sa, sb, raises: bool) -> Finding:
        if not is_contra and raises:
            return Finding(ftype, tuple(sa), tuple(sb), ev, "raise", "contradiction", ftype)  # type: ignore[arg-type]
        return Finding(ftype, tuple(sa), tuple(sb), ev, None, None, ftype)  # type: ignore[arg-type]

    qa, qb = extract_quantities(a_text), extract_quantities(b_text)
    if nc := _number_conflict(qa, qb, a_text, b_text):
        return conflict("number", *nc, raises=True)
    if rc := _role_conflict(a_text, b_text):
        return conflict("role/title", *rc, raises=True)
    if (ng := _negation_flip(a_text, b_text)) and (full or near):
        return conflict("negation/polarity", *ng, raises=near)
    if (dc := _date_conflict(a_text, b_text)) and (full or near):
        kind, va, vb, sa, sb = dc
        return conflict("date/time", f"dates differ ({kind}): {', '.join(va)} vs {', '.join(vb)}", sa, sb, raises=near)
    if (es := _entity_swap(a_text, b_text)) and (full or es[3] >= NEAR_IDENTICAL):
        return conflict("entity", *es[:3], raises=es[3] >= NEAR_IDENTICAL)
    if not full:
        return _NONE
    if is_contra and (ds := _different_subjects(qa, qb)):
        return ds
    if ad := _attribution_difference(a_text, b_text):
        ev, sa, sb = ad
        if is_contra:
            return Finding(
                "attribution",
                tuple(sa),
                tuple(sb),
                ev + " (the claim itself is not contradicted)",
                "lower",
                "neutral",
                "attribution",
            )
        return Finding("attribution", tuple(sa), tuple(sb), ev, None, None, "attribution")
    if lc := _location_finding(a_text, b_text):
        ev, sa, sb = lc
        return Finding("location/scope", tuple(sa), tuple(sb), ev, None, None, "location/scope")
    if not is_contra:
        return _NONE
    ok, _ = _match_quantities(qa, qb)
    # only precise, written-out figures are evidence that the numbers agree: "two men" and
    # "millions" match too much to explain away a contradiction
    ok = [
        (x, y)
        for x, y in ok
        if not x.vague
        and not y.vague
        and re.search(r"\d", x.text)
        and re.search(r"\d", y.text)
        and (x.noun or y.noun or x.kind != "count")
    ]
    if ok:
        ev = "numbers agree: " + "; ".join(f"{_fmt_q(x)} ~ {_fmt_q(y)}" for x, y in ok)
        return Finding(
            "number", tuple(x.span for x, _ in ok), tuple(y.span for _, y in ok), ev, "lower", "neutral", "number"
        )
    context = _overlap(_content_tokens(a_text), _content_tokens(b_text))
    if ds := _different_subjects(qa, qb, nouns_too=True, context=context):
        return ds
    if _only_ids_differ(a_text, b_text):
        return Finding(None, (), (), "only ids, times or years-as-labels differ", "lower", "neutral", "ids")
    return _NONE


def _verdict_without_contradiction(ab: NliScores, ba: NliScores, entailment_threshold: float) -> Verdict:
    a_e, b_e = ab.entailment >= entailment_threshold, ba.entailment >= entailment_threshold
    if a_e and b_e:
        return "agree"
    if a_e:
        return "a_adds"
    if b_e:
        return "b_adds"
    return "neutral"


def apply_finding(
    lp: LabeledPair, entailment_threshold: float = DEFAULT_ENTAILMENT_THRESHOLD
) -> tuple[LabeledPair, Finding]:
    """One pair with its finding applied; see :func:`apply_findings`."""
    f = type_finding(lp.pair.a.text, lp.pair.b.text, lp.verdict)
    ab, ba = lp.a_to_b, lp.b_to_a
    if f.adjust == "raise":
        # The score stays an NLI probability (the model's contradiction belief, low here);
        # the evidence says a rule decided.
        return replace(
            lp, verdict="contradiction", evidence=f"rule:{f.check}", score=max(ab.contradiction, ba.contradiction)
        ), f
    if f.adjust == "lower":
        new = _verdict_without_contradiction(ab, ba, entailment_threshold)
        score = {"agree": min(ab.entailment, ba.entailment), "a_adds": ab.entailment, "b_adds": ba.entailment}.get(
            new, max(ab.neutral, ba.neutral)
        )
        f = replace(f, verdict=new)
        return replace(lp, verdict=new, evidence=f"rule:{f.check}", score=score), f
    if f.type:
        return replace(lp, evidence=f"{lp.evidence}+{f.type}"), f
    return lp, f


def apply_findings(
    labeled_pairs: Iterable[LabeledPair], entailment_threshold: float = DEFAULT_ENTAILMENT_THRESHOLD
) -> list[tuple[LabeledPair, Finding]]:
    """Run the typed checks on every pair and apply their verdict changes.

    Inputs are not mutated: a pair whose verdict or evidence changes is a new
    :class:`LabeledPair` (``dataclasses.replace``). Its ``score`` stays an NLI probability:
    for a raised pair the larger contradiction probability, for a lowered one the
    probability behind its new verdict.

    ``evidence`` becomes "nli" (no finding), "nli+<type>" (typed, verdict kept) or
    "rule:<check>" (verdict raised or lowered by that check). A raised pair becomes
    ``contradiction``; a lowered one gets the verdict its NLI entailment scores support
    once contradiction is ruled out (agree / a_adds / b_adds / neutral).

    Args:
        labeled_pairs: output of :func:`checker.label.label_pairs`.
        entailment_threshold: used to re-decide a lowered verdict. Defaults to 0.5.

    Returns:
        (pair, finding) in input order.
    """
    return [apply_finding(lp, entailment_threshold) for lp in labeled_pairs]


@dataclass(frozen=True, slots=True)
class FrameComparison:
    """Every typed check's raw answer for one pair, before any verdict gating: the evidence
    the calibrated verdict (:mod:`checker.verdict`) weighs together with the NLI scores."""

    number_conflict: bool = False
    numbers_agree: bool = False
    role_conflict: bool = False
    date_conflict: bool = False
    negation_flip: bool = False
    entity_swap: bool = False
    attribution_difference: bool = False
    location_difference: bool = False
    different_subjects: bool = False
    token_ratio: float = 0.0


@functools.lru_cache(maxsize=65536)
def compare_frames(a_text: str, b_text: str) -> FrameComparison:
    """Run each typed check on the two texts (pure, memoised)."""
    qa, qb = extract_quantities(a_text), extract_quantities(b_text)
    ok, _ = _match_quantities(qa, qb)
    precise_ok = [
        (x, y)
        for x, y in ok
        if not x.vague
        and not y.vague
        and re.search(r"\d", x.text)
        and re.search(r"\d", y.text)
        and (x.noun or y.noun or x.kind != "count")
    ]
    context = _overlap(_content_tokens(a_text), _content_tokens(b_text))
    return FrameComparison(
        number_conflict=_number_conflict(qa, qb, a_text, b_text) is not None,
        numbers_agree=bool(precise_ok),
        role_conflict=_role_conflict(a_text, b_text) is not None,
        date_conflict=_date_conflict(a_text, b_text) is not None,
        negation_flip=_negation_flip(a_text, b_text) is not None,
        entity_swap=_entity_swap(a_text, b_text) is not None,
        attribution_difference=_attribution_difference(a_text, b_text) is not None,
        location_difference=_location_finding(a_text, b_text) is not None,
        different_subjects=_different_subjects(qa, qb, nouns_too=True, context=context) is not None,
        token_ratio=round(_token_ratio(a_text, b_text), 4),
    )


def finding_to_dict(f: Finding) -> dict:
    """JSON-ready form of a finding for the report."""
    return {
        "type": f.type,
        "check": f.check,
        "adjust": f.adjust,
        "new_verdict": f.verdict,
        "evidence": f.evidence,
        "a_spans": [list(s) for s in f.a_spans],
        "b_spans": [list(s) for s in f.b_spans],
    }


__all__ = [
    "ABOUT_TOLERANCE",
    "EXACT_TOLERANCE",
    "FINDING_TYPES",
    "Attribution",
    "DateExpr",
    "Finding",
    "Quantity",
    "RoleMention",
    "FrameComparison",
    "apply_finding",
    "apply_findings",
    "compare_frames",
    "extract_attributions",
    "extract_dates",
    "extract_places",
    "extract_quantities",
    "extract_roles",
    "finding_to_dict",
    "person_key",
    "quantities_comparable",
    "quantities_compatible",
    "roles_conflict",
    "similar_spelling",
    "source_key",
    "type_finding",
]
