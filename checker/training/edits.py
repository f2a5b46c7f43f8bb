"""News-style NLI pairs made by controlled edits of real news sentences.

Public NLI sets are mostly captions and fiction; newscheck must see the disagreements news
outlets actually have: a changed number or date, another person or place, a different
title, a flipped polarity, the same words credited to someone else. Each generator takes a
real sentence and returns ``(premise, hypothesis, label, kind)`` or ``None``.

Guards against artefacts a model could learn instead of meaning:
- contradiction edits keep the length (a word or number swapped), and the edited sentence
  is the premise half the time, so "shorter" or "contains not" never decides the label;
- every deletion that gives an entailment is also used reversed (the longer sentence as
  hypothesis), which is neutral, so "hypothesis is shorter" does not mean entailment;
- negation is both inserted and removed, so "not" appears on either side of a contradiction;
- optionally (``paraphrase_share`` > 0; off for the shipped model): meaning-preserving
  rewrites of the same size as a contradiction edit (reporting verb, number and date
  formats, moved attribution, contractions, a few safe synonyms) as entailments both ways,
  so "one span changed" does not decide the label. They cut false contradictions between
  retellings, but at 22% the model learnt "reworded figure or role = entailment"
  (models/README.md), so they are not in the default recipe.

Not attempted: edits that need parsing (passives, coreference); such sentences are skipped.
"""

from __future__ import annotations

import random
import re
from collections import Counter

from checker.findings import MONTHS, WEEKDAYS
from checker.training.edit_words import (
    AFTER_MONTH,
    APPOSITIVE,
    AUX_NEG,
    FULL_NAME,
    NEG_REMOVE,
    NUMBER,
    PLACES,
    ROLE_PHRASES,
    SOURCES,
    STOP_CAPS,
    TITLES,
    Edit,
    format_like,
    is_year,
    replace_span,
)


def _maybe_swap(p: str, h: str, label: str, kind: str, rng: random.Random) -> Edit:
    """Contradiction is symmetric: put the edited sentence on either side."""
    return (h, p, label, kind) if rng.random() < 0.5 else (p, h, label, kind)


def edit_number(s: str, rng: random.Random) -> Edit | None:
    nums = [m for m in NUMBER.finditer(s) if not is_year(m.group(1)) and not AFTER_MONTH.search(s[: m.start(1)])]
    if not nums:
        return None
    m = rng.choice(nums)
    tok = m.group(1)
    value = float(tok.replace(",", ""))
    if value == 0:
        return None
    roll = rng.random()
    if roll < 0.45:  # contradiction: a clearly different value of the same form
        factor = rng.choice([0.3, 0.5, 2, 3, 1.5, 0.6, 4])
        new = format_like(value * factor, tok)
        if new == tok:
            new = format_like(value + rng.randint(2, 9), tok)
        return _maybe_swap(s, replace_span(s, m.start(1), m.end(1), new), "contradiction", "number", rng)
    # a bound that the exact figure satisfies (entailment) or that it breaks
    base = 10 ** max(0, len(str(int(value))) - 1)
    lower = format_like(max(base, (value // base) * base if value > base else value - 1), tok) if value > 1 else None
    if lower is None or lower == tok:
        return None
    if roll < 0.7:
        hyp = replace_span(s, m.start(1), m.end(1), rng.choice(["more than ", "over ", "at least "]) + lower)
        return (s, hyp, "entailment", "number-bound")
    if roll < 0.85:
        hyp = replace_span(s, m.start(1), m.end(1), rng.choice(["more than ", "over ", "at least "]) + lower)
        return (hyp, s, "neutral", "number-bound")  # the bound does not fix the exact figure
    upper = format_like(value * rng.choice([0.4, 0.5]), tok)
    hyp = replace_span(s, m.start(1), m.end(1), rng.choice(["fewer than ", "less than ", "under "]) + upper)
    return (s, hyp, "contradiction", "number-bound")


def edit_date(s: str, rng: random.Random) -> Edit | None:
    years = [m for m in NUMBER.finditer(s) if is_year(m.group(1))]
    for group in (MONTHS, WEEKDAYS):
        hits = [w for w in group if re.search(rf"\b{w}\b", s)]
        if hits:
            old = rng.choice(hits)
            new = rng.choice([w for w in group if w != old])
            return _maybe_swap(s, re.sub(rf"\b{old}\b", new, s, count=1), "contradiction", "date", rng)
    if years:
        m = rng.choice(years)
        new = str(int(m.group(1)) + rng.choice([-3, -2, -1, 1, 2, 4]))
        return _maybe_swap(s, replace_span(s, m.start(1), m.end(1), new), "contradiction", "date", rng)
    return None


def edit_negation(s: str, rng: random.Random) -> Edit | None:
    for pattern, repl in NEG_REMOVE:
        if re.search(pattern, s):
            new = re.sub(r"\s{2,}", " ", re.sub(pattern, repl, s, count=1))
            return _maybe_swap(s, new, "contradiction", "negation", rng)
    auxes = [m for m in re.finditer(r"\b(is|are|was|were|has|have|had|will|would|can|could|should)\b", s)]
    if not auxes:
        return None
    m = auxes[0]
    new = replace_span(s, m.start(), m.end(), AUX_NEG[m.group(1)])
    return _maybe_swap(s, new, "contradiction", "negation", rng)


def edit_place(s: str, rng: random.Random) -> Edit | None:
    hits = [p for p in PLACES if re.search(rf"\b{p}\b", s)]
    if not hits:
        return None
    old = rng.choice(hits)
    new = rng.choice([p for p in PLACES if p not in hits])
    return _maybe_swap(s, re.sub(rf"\b{old}\b", new, s, count=1), "contradiction", "place", rng)


def edit_title(s: str, rng: random.Random) -> Edit | None:
    hits = [t for t in TITLES if re.search(rf"\b{t}\b", s, flags=re.I)]
    if not hits:
        return None
    old = max(hits, key=len)
    new = rng.choice([t for t in TITLES if t not in hits])
    m = re.search(rf"\b{old}\b", s, flags=re.I)
    assert m is not None  # ``old`` is one of the hits found with this very pattern
    new = new.title() if m.group(0)[0].isupper() else new
    return _maybe_swap(s, replace_span(s, m.start(), m.end(), new), "contradiction", "role", rng)


_PERSON_CONTEXT = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr)\.? |\b(?:President|Governor|Senator|spokesman|spokeswoman|minister) )"
    r"([A-Z][a-z]+(?: [A-Z][a-z]+){0,2})|([A-Z][a-z]+(?: [A-Z][a-z]+){1,2}),? (?:said|says|told|who)\b"
)


def person_names(sentences) -> list[str]:
    """Capitalised names seen as speakers ("X said") or after a title: people, not products."""
    found: Counter[str] = Counter()
    for s in sentences:
        for m in _PERSON_CONTEXT.finditer(s):
            name = m.group(1) or m.group(2)
            if name.split()[0] not in STOP_CAPS and not any(p in name for p in PLACES):
                found[name] += 1
    return sorted(n for n in found if " " in n)


def edit_appositive_role(s: str, rng: random.Random) -> Edit | None:
    """ "X, governor of Tartus, said" -> "X, head of a special unit in Tartus, said": a role conflict."""
    m = APPOSITIVE.search(s)
    if not m:
        return None
    caps = re.findall(r"\b[A-Z][\w-]+", m.group("role"))
    place = f"the {caps[-1]} region" if caps else rng.choice(PLACES)
    role = rng.choice(ROLE_PHRASES).format(place=place)
    if role.split()[0] in m.group("role"):
        return None
    new = s[: m.start("role")] + role + s[m.end("role") :]
    return _maybe_swap(s, new, "contradiction", "role", rng)


_ACCORDING = re.compile(
    r"\b(according to|said|told)\s+(?P<src>(?:his |her |their |the |local |two |a )?[a-z]+(?: [a-z]+)?)\b"
)


def edit_source(s: str, rng: random.Random) -> Edit | None:
    """Credit the same claim to another source ("according to his relatives" -> "according to researchers")."""
    alts = "|".join(map(re.escape, SOURCES))
    m = re.search(r"according to (?P<src>(?:" + alts + r"))\b", s) or re.search(
        r"(?:^|, )(?P<src>" + alts + r") (?:said|say|says|told)\b", s, flags=re.I
    )
    if not m:
        return None
    old = m.group("src")
    new = rng.choice([x for x in SOURCES if x.lower() != old.lower()])
    if old[0].isupper():
        new = new[0].upper() + new[1:]
    return _maybe_swap(s, s[: m.start("src")] + new + s[m.end("src") :], "contradiction", "attribution", rng)


def edit_scope(s: str, rng: random.Random) -> Edit | None:
    """ "in Syria" -> "in Syria and Lebanon" (wider: neutral) or "only in Syria" vs wider (contradiction)."""
    hits = [m for m in re.finditer(r"\b(in|across|along) (?P<place>" + "|".join(PLACES) + r")\b(?![’'-])", s)]
    if not hits:
        return None
    m = rng.choice(hits)
    other = rng.choice([p for p in PLACES if p != m.group("place")])
    wider = s[: m.end("place")] + f" and {other}" + s[m.end("place") :]
    if rng.random() < 0.6:
        return (s, wider, "neutral", "scope")  # the wider claim adds a place the narrower does not state
    only = s[: m.start()] + f"only {m.group(0)}" + s[m.end() :]
    return _maybe_swap(only, wider, "contradiction", "scope", rng)


def edit_person(s: str, rng: random.Random, names: list[str]) -> Edit | None:
    known = set(names)
    found = [m for m in FULL_NAME.finditer(s) if m.group(1) in known]
    if not found or not names:
        return None
    m = rng.choice(found)
    same_len = [n for n in names if len(n.split()) == len(m.group(1).split()) and n != m.group(1)]
    if not same_len:
        return None
    new = rng.choice(same_len)
    said = re.search(rf"{re.escape(m.group(1))},? (said|told|says|according)", s) or re.search(
        rf"according to {re.escape(m.group(1))}", s
    )
    kind = "attribution" if said else "person"
    return _maybe_swap(s, replace_span(s, m.start(1), m.end(1), new), "contradiction", kind, rng)


def edit_antonym(s: str, rng: random.Random, antonyms: dict[str, str]) -> Edit | None:
    words = [m for m in re.finditer(r"\b[a-z]+\b", s) if m.group(0) in antonyms]
    if not words:
        return None
    m = rng.choice(words)
    return _maybe_swap(s, replace_span(s, m.start(), m.end(), antonyms[m.group(0)]), "contradiction", "antonym", rng)


_DELETIONS = [
    (r",\s+(?:who|which)\s[^,]{3,80},", ""),  # relative clause
    (r",\s+(?:a|an|the)\s[a-z][^,]{3,60},", ""),  # appositive
    (
        r"\s+(?:on|last|this|next)\s+(?:" + "|".join(WEEKDAYS) + r"|week|month|year)"
        r"(?:\s+(?:night|morning|afternoon|evening))?(?=[,.;]|\s+(?:to|and|after|when|that|in|at)\b)",
        "",
    ),
    (r"\s+in\s+(?:" + "|".join(MONTHS) + r")(?:\s+\d{4})?(?=[,.;])", ""),
    (r"\b(?:very|reportedly|allegedly|also|recently|now|still|publicly|officially)\s+", ""),
    (r"\s+\([^)]{2,60}\)", ""),  # parenthesis
    (r"\b(?:President|Prime Minister|Gov\.|Governor|Sen\.|Senator|Gen\.|General|Dr\.|Mr\.|Mrs\.|Ms\.)\s+(?=[A-Z])", ""),
]


def edit_delete(s: str, rng: random.Random) -> Edit | None:
    """Drop a modifier: the full sentence entails the shorter one, not the reverse."""
    if re.search(r"\b(not|no|never|n't|without|only|few|none)\b", s):
        return None  # deletions under negation or "only" are not monotone
    options = [(p, r) for p, r in _DELETIONS if re.search(p, s)]
    if not options:
        return None
    pattern, repl = rng.choice(options)
    short = re.sub(r"\s{2,}", " ", re.sub(pattern, repl, s, count=1)).strip()
    if short == s or len(short) < 25:
        return None
    if rng.random() < 0.65:
        return (s, short, "entailment", "deletion")
    return (short, s, "neutral", "addition")


#: one-for-one substitutions that keep the meaning in news prose (both directions apply).


def edit_other_sentence(s: str, others: list[str], rng: random.Random) -> Edit | None:
    """Another sentence of the same article: same topic, different claim -> neutral."""
    words = set(re.findall(r"[a-z]{4,}", s.lower()))
    cands = [o for o in others if o != s and 40 < len(o) < 300]
    rng.shuffle(cands)
    for o in cands[:8]:
        overlap = len(words & set(re.findall(r"[a-z]{4,}", o.lower())))
        if 2 <= overlap and not (words <= set(re.findall(r"[a-z]{4,}", o.lower()))):
            return (s, o, "neutral", "same-topic")
    return None
