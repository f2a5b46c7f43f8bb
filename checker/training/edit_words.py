"""Word lists and text helpers shared by the training edits (:mod:`checker.training.edits`)
and rewrites (:mod:`checker.training.rewrites`): places, titles, roles, sources, polarity
flips, the number pattern, and WordNet antonyms.

Why a module of their own: the edits, the meaning-preserving rewrites and the contrastive
twins (:mod:`checker.training.contrastive`) all draw on the same vocabulary; one place
keeps them from drifting apart.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from checker.findings import MONTHS, UNIT_WORDS, WEEKDAYS

#: (premise, hypothesis, label, kind) made by one edit.
Edit = tuple[str, str, str, str]

PLACES = [
    "Syria",
    "Iraq",
    "Iran",
    "Lebanon",
    "Israel",
    "Egypt",
    "Turkey",
    "Russia",
    "Ukraine",
    "China",
    "Japan",
    "India",
    "Pakistan",
    "Afghanistan",
    "France",
    "Germany",
    "Britain",
    "Italy",
    "Spain",
    "Mexico",
    "Canada",
    "Brazil",
    "Nigeria",
    "Kenya",
    "Australia",
    "Saudi Arabia",
    "Jordan",
    "Yemen",
    "Libya",
    "Sweden",
    "Poland",
    "Greece",
    "Cuba",
    "Venezuela",
    "North Korea",
    "South Korea",
    "Texas",
    "California",
    "Florida",
    "New York",
    "London",
    "Paris",
    "Moscow",
    "Beijing",
    "Tokyo",
    "Damascus",
    "Baghdad",
    "Beirut",
    "Cairo",
    "Berlin",
    "Washington",
    "Chicago",
    "Los Angeles",
    "Toronto",
    "Sydney",
    "Kabul",
    "Tehran",
    "Istanbul",
    "Mumbai",
    "Madrid",
    "Rome",
    "Kiev",
    "Gaza",
    "Aleppo",
    "Latakia",
]
TITLES = [
    "president",
    "prime minister",
    "governor",
    "mayor",
    "spokesman",
    "spokeswoman",
    "foreign minister",
    "defence minister",
    "interior minister",
    "senator",
    "general",
    "commander",
    "chief executive",
    "chairman",
    "director",
    "ambassador",
    "police chief",
    "judge",
    "head of intelligence",
    "army chief",
    "secretary of state",
    "lawmaker",
    "deputy",
    "envoy",
    "adviser",
    "prosecutor",
    "coach",
    "professor",
    "researcher",
]
#: role phrases for appositive edits ("X, governor of the Y region," -> "X, head of ... in the Y region,").
ROLE_PHRASES = [
    "governor of {place}",
    "mayor of {place}",
    "commander of a police unit in {place}",
    "police chief in {place}",
    "military commander in {place}",
    "a senior adviser to the president",
    "spokesman for the interior ministry",
    "the former defence minister",
    "head of the local council in {place}",
    "a member of parliament for {place}",
    "the country's chief prosecutor",
    "director of the intelligence service",
    "a businessman from {place}",
    "a former army officer",
    "the deputy foreign minister",
]
#: who a claim is credited to, for attribution swaps.
SOURCES = [
    "his relatives",
    "her relatives",
    "officials",
    "police",
    "researchers",
    "a spokesman",
    "witnesses",
    "the ministry",
    "local media",
    "diplomats",
    "analysts",
    "the company",
    "two people familiar with the matter",
    "the United Nations",
    "the army",
    "activists",
    "doctors",
    "prosecutors",
]
QUANTITY_FLIPS = {
    "all": "none",
    "most": "few",
    "many": "few",
    "more": "fewer",
    "increased": "decreased",
    "increase": "decrease",
    "rose": "fell",
    "higher": "lower",
    "before": "after",
    "after": "before",
    "first": "last",
    "won": "lost",
    "confirmed": "denied",
    "accepted": "rejected",
    "approved": "rejected",
    "always": "never",
    "largest": "smallest",
    "majority": "minority",
    "killed": "injured",
    "arrested": "released",
    "opened": "closed",
}
NUMBER_WORDS = {w: n for w, n in UNIT_WORDS.items() if 2 <= n <= 12 and n != 11} | {"twenty": 20, "hundred": 100}
AUX_NEG = {
    "is": "is not",
    "are": "are not",
    "was": "was not",
    "were": "were not",
    "has": "has not",
    "have": "have not",
    "had": "had not",
    "will": "will not",
    "would": "would not",
    "can": "cannot",
    "could": "could not",
    "should": "should not",
}
NEG_REMOVE = [
    (r"\b(is|are|was|were|has|have|had|will|would|could|should) not\b", r"\1"),
    (r"\bcannot\b", "can"),
    (r"\b(is|are|was|were|has|have|had)n't\b", r"\1"),
    (r"\bwon't\b", "will"),
    (r"\bnever\b", ""),
]

#: a figure ("12", "12,000", "1.5"), not part of a word, a price or a longer decimal
NUMBER = re.compile(r"(?<![\w.,$])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?!\w|[.,]\d)")
#: text ending in a month name: the figure after it is a day, not a count
AFTER_MONTH = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$")
#: two or three capitalised words inside a sentence (a candidate person name)
FULL_NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+(?: [A-Z][a-z]+){1,2})")
#: capitalised words that never start a person name
STOP_CAPS = set(MONTHS) | set(WEEKDAYS) | {"The", "He", "She", "It", "They", "But", "And", "In", "On"}


def format_like(value: float, like: str) -> str:
    """``value`` written the way ``like`` is (decimals, thousands separators)."""
    if "." in like and "," not in like:
        return f"{value:.{len(like.split('.')[1])}f}"
    value = int(round(value))
    return f"{value:,}" if "," in like or value >= 10000 else str(value)


def is_year(tok: str) -> bool:
    return tok.isdigit() and len(tok) == 4 and 1900 <= int(tok) <= 2100


def replace_span(text: str, start: int, end: int, new: str) -> str:
    return text[:start] + new + text[end:]


#: "Name, governor of X," : a person and the role given to them
APPOSITIVE = re.compile(
    r"(?P<name>[A-Z][\w'-]+(?: (?:[a-z]{1,3}-)?[A-Z][\w'-]+){1,2}), (?P<role>(?:the )?(?:former |deputy |acting )?"
    r"(?:" + "|".join(t for t in TITLES) + r")(?: of| for| in| at)?[^,]{0,50}),"
)


def wordnet_antonyms(
    wordnet_dir: Path = Path("/usr/share/wordnet"), vocab: Counter | None = None, min_count: int = 5
) -> dict[str, str]:
    """Direct antonyms (``!`` pointers) of adjectives and verbs from WordNet's data files.

    Kept only when both words occur often in the given vocabulary, so edits stay natural.
    Returns an empty dict when WordNet is not installed (Debian package ``wordnet-base``).
    """
    pairs: dict[str, str] = dict(QUANTITY_FLIPS)
    for pos in ("adj", "verb"):
        path = wordnet_dir / f"data.{pos}"
        if not path.exists():
            continue
        synsets: dict[str, list[str]] = {}
        pointers = []
        for line in path.read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            f = line.split(" ")
            n_words = int(f[3], 16)
            words = [f[4 + 2 * i].split("(")[0].lower() for i in range(n_words)]
            synsets[f[0]] = words
            i = 4 + 2 * n_words
            for j in range(int(f[i])):
                sym, off, _, st = f[i + 1 + 4 * j : i + 5 + 4 * j]
                if sym == "!":
                    pointers.append((f[0], off, int(st[:2], 16), int(st[2:], 16)))
        for src_off, dst_off, si, ti in pointers:
            src = synsets[src_off][si - 1] if si else None
            dst = synsets.get(dst_off, [None] * (ti or 1))[ti - 1] if ti else None
            if not src or not dst or "_" in src + dst:
                continue
            if vocab is not None and (vocab[src] < min_count or vocab[dst] < min_count):
                continue
            pairs.setdefault(src, dst)
    return pairs


#: the generated mix of the shipped model: kind -> share of the pairs.
