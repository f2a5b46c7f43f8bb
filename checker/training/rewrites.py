"""Meaning-preserving rewrites of news sentences, for the paraphrase experiments of the training
data (off in the shipped model's recipe; see :mod:`checker.training.edits`).

Reporting verb and attribution moved, number and date formats, contractions, a few safe
synonyms, region and appositive order: the meaning stays, so a rewritten sentence entails
the original both ways (:func:`edit_paraphrase`), and an edit with a rewrite on one side
keeps its label (:func:`with_rewrite`).
"""

from __future__ import annotations

import random
import re

from checker.findings import MONTHS
from checker.training.edit_words import APPOSITIVE, Edit, is_year, replace_span

_SAFE_SYNONYMS = [
    ("began", "started"),
    ("bought", "purchased"),
    ("attempted", "tried"),
    ("nearly", "almost"),
    ("large", "big"),
    ("huge", "enormous"),
    ("rapidly", "quickly"),
    ("residents", "inhabitants"),
    ("stated", "said"),
    ("says", "states"),
    ("approximately", "about"),
    ("roughly", "around"),
    ("more than", "over"),
    ("at least", "no fewer than"),
    ("percent", "per cent"),
    ("per cent", "%"),
    ("did not", "didn't"),
    ("does not", "doesn't"),
    ("is not", "isn't"),
    ("are not", "aren't"),
    ("was not", "wasn't"),
    ("will not", "won't"),
    ("cannot", "can't"),
    ("has not", "hasn't"),
    ("have not", "haven't"),
]
_LOWER_START = {
    "The",
    "A",
    "An",
    "It",
    "This",
    "That",
    "These",
    "Those",
    "Its",
    "Their",
    "His",
    "Her",
    "Some",
    "Many",
    "Most",
    "All",
    "Several",
    "Two",
    "Three",
    "More",
    "No",
}
_SPEAKER = r"((?:he|she|they|officials|police|witnesses|analysts|sources|the (?:ministry|army|company|police)|[A-Z][a-z]+(?: [A-Z][a-z]+)?))"


def _rewrite_number(s: str, rng: random.Random) -> str | None:
    m = re.search(r"(?<![\w.,$])(\d{1,3}),(\d{3})(?![\d,.])", s)
    if m and not is_year(m.group(0)):
        return s[: m.start()] + m.group(1) + m.group(2) + s[m.end() :]  # 12,000 -> 12000
    m = re.search(r"\$(\d+(?:\.\d+)?) (million|billion)\b", s)
    if m:
        return s[: m.start()] + f"{m.group(1)} {m.group(2)} dollars" + s[m.end() :]
    m = re.search(r"\b(\d+(?:\.\d+)?) (million|billion)\b", s)
    if m and "$" not in s[max(0, m.start() - 1) : m.start()]:
        value = float(m.group(1)) * (1e6 if m.group(2) == "million" else 1e9)
        if value == int(value):
            return s[: m.start()] + f"{int(value):,}" + s[m.end() :]
    return None


def _rewrite_date(s: str, rng: random.Random) -> str | None:
    m = re.search(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})(?:, (\d{4}))?\b", s)
    if not m:
        return None
    year = f" {m.group(3)}" if m.group(3) else ""
    return s[: m.start()] + f"{m.group(2)} {m.group(1)}{year}" + s[m.end() :]


def _rewrite_attribution(s: str, rng: random.Random) -> str | None:
    """ "X, police said." <-> "Police said X." and "X, according to Y." -> "According to Y, X." """
    m = re.fullmatch(r"(.{25,}?), " + _SPEAKER + r" (said|says|told reporters)\.", s)
    if m:
        claim, who, verb = m.groups()
        if claim.startswith(("“", '"')) or claim.count('"') % 2 or claim.count("“") != claim.count("”"):
            return None  # quoted speech: moving it would change the quotation
        first = claim.split(" ", 1)[0]
        if first in _LOWER_START:
            claim = first.lower() + claim[len(first) :]
        who = who[0].upper() + who[1:]
        return f"{who} {verb} {'that ' if rng.random() < 0.5 else ''}{claim}."
    m = re.fullmatch(r"(.{25,}?), according to ([^,]{3,60})\.", s)
    if m:
        claim, who = m.groups()
        first = claim.split(" ", 1)[0]
        if first in _LOWER_START:
            claim = first.lower() + claim[len(first) :]
        return f"According to {who}, {claim}."
    return None


def _rewrite_synonym(s: str, rng: random.Random) -> str | None:
    options = []
    for a, b in _SAFE_SYNONYMS:
        for old, new in ((a, b), (b, a)):
            for m in re.finditer(r"\b" + re.escape(old) + r"(?![\w'])", s):
                options.append((m.start(), m.end(), new))
    if not options:
        return None
    start, end, new = rng.choice(options)
    return replace_span(s, start, end, new)


def _rewrite_region(s: str, rng: random.Random) -> str | None:
    """ "the coastal region of Tartus" <-> "the coastal Tartus region"."""
    m = re.search(r"\bthe (\w+ )?region of ([A-Z][a-z]+)\b", s)
    if m:
        return s[: m.start()] + f"the {m.group(1) or ''}{m.group(2)} region" + s[m.end() :]
    m = re.search(r"\bthe (\w+ )?([A-Z][a-z]+) region\b", s)
    if m:
        return s[: m.start()] + f"the {m.group(1) or ''}region of {m.group(2)}" + s[m.end() :]
    return None


def _rewrite_appositive_order(s: str, rng: random.Random) -> str | None:
    """ "Ahmed al-Shami, governor of Tartus, said" -> "The governor of Tartus, Ahmed al-Shami, said"."""
    m = APPOSITIVE.search(s)
    if not m or m.start() != 0:
        return None
    role = m.group("role")
    role = role[4:] if role.startswith("the ") else role
    return f"The {role}, {m.group('name')}," + s[m.end() :]


_REWRITES = (
    _rewrite_attribution,
    _rewrite_number,
    _rewrite_date,
    _rewrite_synonym,
    _rewrite_region,
    _rewrite_appositive_order,
)


def with_rewrite(edit: Edit, rng: random.Random) -> Edit:
    """The same edit with one meaning-preserving rewrite on one side: the label stands, so a
    reworded sentence can still contradict (a different role survives "said" -> "stated")."""
    p, h, label, kind = edit
    side = rng.random() < 0.5
    new = _REWRITES[rng.randrange(len(_REWRITES))](p if side else h, rng)
    if not new:
        return edit
    return (new, h, label, kind + "+rewrite") if side else (p, new, label, kind + "+rewrite")


def edit_paraphrase(s: str, rng: random.Random) -> Edit | None:
    """One to three meaning-preserving rewrites: entailment, whichever side is the premise."""
    out = s
    for rewrite in rng.sample(_REWRITES, len(_REWRITES)):
        new = rewrite(out, rng)
        if new and new != out:
            out = new
            if rng.random() < 0.5:
                break
    if out == s:
        return None
    return (out, s, "entailment", "paraphrase") if rng.random() < 0.5 else (s, out, "entailment", "paraphrase")
