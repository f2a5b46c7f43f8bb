"""The number vocabulary and scanner under :mod:`checker.findings.numbers`: digit, number-word
and vague ("tens of thousands") atoms with their currency, scale and percent sign, once dates,
times, ordinals, ids and phone numbers are blocked out; which bare four-digit atoms are years;
the words that bound a number ("at least", "about"), durations, and the words around the
counted noun and the clause subject.

Number words such as "tens of thousands" are the ranges in ``_VAGUE_RANGES`` and are marked
``vague`` (a vague quantity never raises, it can only explain).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.findings.text import _MONTH_RE, _STOP, _inside, _per_text

_BLOCKED = [
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s?[ap]\.?m\.?)?"),  # times
    re.compile(r"\b\d{1,2}\s?[ap]\.?m\b\.?", re.I),  # "3 a.m.", "6pm"
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
    "dozen": 12,  # "two dozen officers" (number words only)
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
#: number words below twenty and their values (also used by :mod:`checker.training.edits`)
UNIT_WORDS = {
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
_UNITS = UNIT_WORDS  # the name before it was public
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORD_ATOM = re.compile(
    r"\b(?:(?P<tens>" + "|".join(_TENS) + r")(?:[- ](?P<unit1>" + "|".join(list(_UNITS)[1:10]) + r"))?"
    r"|(?P<unit>" + "|".join(list(_UNITS)[2:]) + r")|(?P<dozen>(?P<half>half\s+)?a\s+dozen)|(?P<a>a|one))"
    r"(?:\s+(?P<scale>hundred|thousand|million|billion|dozen))?\b",
    re.I,
)
#: "one" is a count before a noun of people or casualties ("one person has died"); elsewhere
#: it is a pronoun or an article ("one of the", "at one point")
_ONE_OF = re.compile(
    r"\s+(?:person|man|woman|child|boy|girl|worker|resident|patient|miner|passenger|officer|firefighter"
    r"|soldier|civilian|student|employee|death|fatality|body|victim|casualty|injury)\b",
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
    r"^(?:-|\s+)(?P<u>year|month|week|day|hour|minute|second|decade|century|centuries)s?"
    r"(?P<old>-old|\s+old)?\b",
    re.I,
)
_AGED = re.compile(r"\baged\s*$", re.I)


def time_unit_after(text: str, start: int, end: int) -> tuple[str, str, int] | None:
    """(kind, unit, characters used) when the number at ``text[start:end]`` is a duration ("14
    years", "77 seconds") or an age ("27-year-old", "aged 27"), else None."""
    dm = _DURATION.match(text[end:])
    if dm:
        unit = dm.group("u").lower().replace("centuries", "century")
        return ("age" if dm.group("old") else "duration"), unit, dm.end()
    if _AGED.search(text[max(0, start - 8) : start]):
        return "age", "year", 0
    return None


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


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for rx in _BLOCKED for m in rx.finditer(text)]


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
        if (
            m.group("a")
            and not m.group("scale")
            and not (m.group("a").lower() == "one" and _ONE_OF.match(text, m.end()))
        ):
            continue
        if m.group("tens"):
            v = _TENS[m.group("tens").lower()] + (_UNITS[m.group("unit1").lower()] if m.group("unit1") else 0)
        elif m.group("unit"):
            v = _UNITS[m.group("unit").lower()]
        elif m.group("dozen"):
            v = 6 if m.group("half") else 12  # "half a dozen teams"
        else:
            v = 1
        if m.group("scale"):
            v *= _SCALES[m.group("scale").lower()]
        found.append(_Atom(m.start(), m.end(), v, v, word=True, is_int=False))
    found += _compound_words(text) + _compound_durations(text)
    # longest first wins on overlap
    found.sort(key=lambda a: (a.start, -(a.end - a.start)))
    out: list[_Atom] = []
    for a in found:
        if out and a.start < out[-1].end:
            continue
        out.append(a)
    return out


_NUMBER_WORD = "|".join([*_TENS, *list(_UNITS)[1:], "hundred", "thousand", "million", "billion"])
#: a run of number words with a scale word in it: "six hundred and twenty million"
_WORD_RUN = re.compile(
    rf"\b(?:a\s+)?(?:{_NUMBER_WORD})(?:(?:\s+and\s+|[\s-]+)(?:{_NUMBER_WORD}))+\b",
    re.I,
)
#: "1 minute 17 seconds", "2 hours 4 and a half minutes": read as one number of the smaller unit
_COMPOUND_DURATION = re.compile(
    r"\b(?P<big>\d+)\s+(?P<bu>hours?|minutes?)(?:,?\s+and)?\s+(?P<small>\d+)(?P<half>\s+and\s+a\s+half)?"
    r"(?=\s+(?P<su>minutes?|seconds?)\b)",
    re.I,
)


def _compound_words(text: str) -> list[_Atom]:
    """Runs of number words read whole by text2num ("six hundred and twenty million" is
    620,000,000, not 600 and 20,000,000)."""
    from text_to_num import text2num

    out = []
    for m in _WORD_RUN.finditer(text):
        words = re.sub(r"^a\s+", "one ", m.group(0).lower())
        if not re.search(r"hundred|thousand|million|billion", words):
            continue  # "twenty-one" and "seven to four" are the word atoms' job
        try:
            v = float(text2num(words.replace("-", " "), "en"))
        except ValueError:
            continue
        out.append(_Atom(m.start(), m.end(), v, v, word=True, is_int=False))
    return out


def _compound_durations(text: str) -> list[_Atom]:
    out = []
    for m in _COMPOUND_DURATION.finditer(text):
        big, small = m.group("bu").lower(), m.group("su").lower()
        if big.rstrip("s") == small.rstrip("s") or (big.startswith("hour") and small.startswith("second")):
            continue
        v = int(m.group("big")) * 60 + int(m.group("small")) + (0.5 if m.group("half") else 0)
        out.append(_Atom(m.start(), m.end(), v, v, is_int=False))
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
