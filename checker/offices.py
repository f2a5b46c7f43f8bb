"""Offices taken and superlatives given: two relations of :mod:`checker.relations` read apart.

Why apart: who takes which office ("will become chairman", "will serve as acting mayor") needs
its own reading of what makes an office one office among others ("finance minister" and
"health minister" are two), and of who leaves one ("stepped down as mayor").
"""

from __future__ import annotations

from checker.findings import is_office
from checker.nlp import child

#: particles that make "step" a leaving ("stepped down as mayor", "stepped aside as chairman")
_LEAVING = frozenset("down aside back away".split())
#: words before an office that say who holds it, not which office it is ("the first female
#: finance minister" is the finance minister)
_NOT_AN_OFFICE = frozenset("first female male new current longtime long-serving veteran young popular".split())


def office_name(office) -> str:
    """An office with the words that make it one office among others: "finance minister" and
    "health minister", "interim mayor" and "mayor" are other offices; "chief executive" is one."""
    words = [
        c
        for c in office.children
        if (c.dep_ == "compound" or (c.dep_ == "amod" and c.lower_ not in _NOT_AN_OFFICE))
        and c.pos_ in ("NOUN", "ADJ", "VERB")  # "acting" is a participle
        and c.ent_type_ != "ORDINAL"
    ]
    return " ".join([*(w.lower_ for w in sorted(words, key=lambda w: w.i)), office.lemma_.lower()])


def offices(tok) -> list[tuple[str, object]]:
    """(office, holder token) for a person said to take an office: "X will become chairman",
    "Y will take over as chairman", "Z will serve as interim mayor", "W was named chairman"
    (not "V stepped down as mayor", who leaves it)."""
    lemma = tok.lemma_.lower()
    offices = []
    if lemma == "become":
        offices = [c for c in tok.children if c.dep_ == "attr"]
    elif lemma == "step" and any(c.dep_ in ("prt", "advmod") and c.lower_ in _LEAVING for c in tok.children):
        offices = []
    elif lemma in ("serve", "take", "step", "stay", "remain", "continue"):
        offices = [
            g for c in tok.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"
        ]
    elif lemma in ("name", "appoint", "elect", "install"):
        offices = [c for c in tok.children if c.dep_ in ("oprd", "attr")]
        offices += [
            g for c in tok.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children if g.dep_ == "pobj"
        ]
    holder = child(tok, "nsubj", "nsubjpass")
    return [
        (office_name(o), holder)
        for o in offices
        if holder is not None and o.pos_ == "NOUN" and is_office(o.lemma_.lower())
    ]


#: superlatives of size, folded together ("biggest" / "largest")
_SIZE = {"big": "large", "large": "large", "small": "small", "little": "small", "old": "old", "new": "new"}


def superlative(tok) -> str | None:
    """The superlative an appositive noun is given ("the biggest fish processor" -> "large"),
    or None."""
    for c in tok.children:
        if c.dep_ == "amod" and c.tag_ == "JJS":
            word = c.lemma_.lower()
            return _SIZE.get(word, word)
    return None
