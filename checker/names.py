"""The name a token of a statement's parse stands for: its entity, its proper-noun phrase, or
the name a common noun is put beside ("the industrial group Velmar Holdings", "the city of
Kessling", "a group calling itself Black Lantern").

Why a module of its own: relations (their fillers, an event's venue, :mod:`checker.relations`)
and bearings (their landmark, :mod:`checker.bearings`) read names one way.
"""

from __future__ import annotations

import re

from checker.nlp import entity_of

#: entity labels that are no name (a date, a figure)
_NOT_NAMES = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "PERCENT", "MONEY"}


def name_of(tok, depth: int = 0) -> str | None:
    """The name a token stands for: its named entity, else its proper-noun phrase, else the
    name a common noun is put beside ("the industrial group Velmar Holdings", "the city of
    Kessling", "Harrier Alpine Guides, the firm that..."); None for anything that is no name."""
    ent = entity_of(tok)
    if ent is not None and ent.label_ not in _NOT_NAMES:
        return re.sub(r"^(?:the|a|an)\s+", "", ent.text.lower()).strip()
    if tok.pos_ == "PROPN" or any(t.pos_ == "PROPN" for t in tok.children if t.dep_ == "compound"):
        words = [t for t in tok.subtree if t.dep_ in ("compound", "amod") or t.i == tok.i]
        return " ".join(t.lower_ for t in sorted(words, key=lambda t: t.i))
    if depth or tok.pos_ != "NOUN":
        return None
    if named := _named_as(tok):
        return named
    beside = [c for c in tok.children if c.dep_ == "appos"]
    beside += [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    if tok.dep_ == "appos":
        beside.append(tok.head)
    return next((n for t in beside if (n := name_of(t, depth + 1))), None)


#: verbs that give a thing its name ("a group calling itself Black Lantern", "a firm known as X")
_NAMING_VERBS = frozenset("call know name dub".split())


def _named_as(tok) -> str | None:
    """The name a participle beside a noun gives it ("a ransomware group calling itself Black
    Lantern"), or None."""
    for acl in tok.children:
        if acl.dep_ == "acl" and acl.lemma_.lower() in _NAMING_VERBS:
            named = [c for c in acl.children if c.dep_ in ("oprd", "attr", "xcomp")]
            named += [g for c in acl.children if c.dep_ == "prep" and c.lower_ == "as" for g in c.children]
            if named and (n := name_of(named[0], 1)):
                return n
    return None
