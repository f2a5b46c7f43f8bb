"""Shared pieces of the typed checks: the :class:`Conflict` every check returns, token and
name helpers (content tokens, overlap, token similarity, spelling variants, singulars) and the
small vocabularies several kinds of fact need (months, weekdays, capitalised stop words).

Nothing here knows about a kind of fact, so every check module can import it without cycles.
"""

from __future__ import annotations

import copy
import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

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
# names within this normalised edit distance are spelling variants (:func:`similar_spelling`)
PLACE_EDIT_DISTANCE = 0.25


@dataclass(frozen=True, slots=True)
class Conflict:
    """What one check found between two statements: the kind of difference, a sentence that
    explains it (the report's ``evidence``) and the character spans that differ on each side.

    The check decides only *what* differs; :func:`checker.findings.type_finding` decides
    what that does to the verdict.
    """

    type: FindingType
    evidence: str
    a_spans: tuple[tuple[int, int], ...]
    b_spans: tuple[tuple[int, int], ...]


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
    if w.endswith(("ches", "shes", "xes", "sses")) and len(w) > 4:
        return w[:-2]  # "inches", "branches", "crashes", "taxes", "classes"
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

#: month and weekday names (also used by the training edits in :mod:`checker.training.edits`)
MONTHS = (
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
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS, _WEEKDAYS = MONTHS, WEEKDAYS  # the names before they were public
_MONTH_RE = r"(?:" + "|".join(MONTHS + _MONTH_ABBR) + r")\.?"
_CAP_STOP = frozenset(
    MONTHS
    + WEEKDAYS
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
_NON_PERSON = frozenset("reuters afp ap un hts syria russia moscow lebanon iran israel".split())


def _inside(span: tuple[int, int], blocked: list[tuple[int, int]]) -> bool:
    return any(s < span[1] and span[0] < e for s, e in blocked)
