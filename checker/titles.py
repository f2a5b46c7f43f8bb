"""Titles of people in a statement's parse, and when two titles name different offices.

Why built so: a person's office ("Fire Chief Dana Whitcombe", "Dana Whitcombe, the county's
fire chief") is one slot of a claim's frame (:mod:`checker.frames`) and the key that pairs two
outlets' statements about one person. Read from spaCy's compounds and appositions; ranks,
kin, places and fillers are no office, and only nouns of people count ("a farming village"
that the parser hangs on a name it takes for a person is none).
"""

from __future__ import annotations

import re

from checker.findings import KIN as _KIN
from checker.findings import PAST_OFFICE_WORDS, SUBORDINATE_TITLES, canonical_office, is_office, person_key
from checker.findings import RANKS as _RANKS
from checker.findings import ROLE_SYNONYMS as _ROLE_SYNONYMS
from checker.findings.role_words import ANY_OFFICE, member_of_same_body

_GENERIC_TITLE = frozenset(
    "mr mrs ms dr the a an his her their its former then acting interim ex late "
    "coastal local regional national key top senior".split()
)
#: person nouns that are not offices ("a former Assad supporter" is no title).
_NOT_OFFICE = frozenset(
    "supporter member loyalist ally figure man woman person people resident citizen businessman "
    "friend insider defector critic opponent rival veteran exile relative family "
    "male female boy girl child adult teenager pair partner associate".split()
)
#: heads that name whoever leads the body ("Brightway boss Priya Nandakumar" / "Brightway chief
#: executive Priya Nandakumar"): true of its chief executive, chair or director, never of a
#: deputy. Read before the role synonyms, which fold "boss" into "head" with "chief",
#: "director" and "chair" (offices that do differ from each other).
ANY_HEAD = frozenset({"boss"})
_NOT_TITLE_ENTS = {"GPE", "LOC", "FAC", "NORP", "ORG", "PERSON", "DATE", "TIME"}


def _title_word(tok) -> str | None:
    """The office word a token contributes to a title, or None (names, places, ranks, kin, fillers)."""
    if tok.ent_type_ in _NOT_TITLE_ENTS or tok.is_punct or tok.like_num or tok.pos_ not in ("NOUN", "PROPN", "ADJ"):
        return None
    word = tok.lemma_.lower().rstrip(".")  # "Gen." is the rank "gen", "Gov." the office "gov"
    if word in _GENERIC_TITLE or word in _RANKS or word in _KIN or word in _NOT_OFFICE:
        return None
    return word if word in ANY_HEAD else _ROLE_SYNONYMS.get(word, word)


#: marks the modifiers of a title held once (:data:`checker.findings.PAST_OFFICE_WORDS`)
PAST = "(past)"


def _title(tok, names: set[str]) -> tuple[str, frozenset[str]] | None:
    """(office head word, modifier words) of a title noun and its compound/adjective modifiers."""
    head = _title_word(tok) if tok.pos_ != "ADJ" else None  # "Mira, the older of the pair": no office
    if head is None or head in names:
        return None
    mods = {
        w
        for c in tok.children
        if c.dep_ in ("compound", "amod")
        for x in c.subtree
        if (w := _title_word(x)) and w not in names and w != head
    }
    if any(c.lemma_.lower() in PAST_OFFICE_WORDS for c in tok.children):
        mods.add(PAST)  # "retired judge", "former banker": an office once held
    return head, frozenset(mods)


def person_titles(doc, persons) -> list[tuple[str, str, frozenset[str]]]:
    """(person key, office head, modifiers) for each person given a title: "Fire Chief Dana
    Whitcombe" (chief; fire), "Dana Whitcombe, the county's fire chief", "the governor of
    Tartus, Ahmed al-Shami" (governor). Ranks, places, kin and fillers are not offices."""
    out = []
    for ent in persons:
        root = ent.root
        names = {w.lower() for w in ent.text.split()}
        candidates = [
            t
            for t in root.children
            if t.dep_ in ("compound", "appos")
            and not t.ent_type_ == "PERSON"
            and (t.dep_ == "appos" or t.i < ent.start)
        ]
        if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ == "NOUN":
            candidates.insert(0, root.head.head)  # "head of military intelligence Kamal Hassan"
        comma_before = ent.start > 0 and doc[ent.start - 1].text == ","
        if root.dep_ == "appos" and root.head.ent_type_ != "PERSON" and comma_before:
            candidates.append(root.head)  # "the governor of Tartus, Ahmed al-Shami"
        for tok in candidates:
            if (t := _title(tok, names)) is not None:
                out.append((person_key(ent.text), *t))
                # "founder and chief executive": each coordinated office is one of the titles
                out += [(person_key(ent.text), *c) for x in tok.conjuncts if (c := _title(x, names)) is not None]
                break
        else:
            if (t := _heads(root)) is not None:
                out.append((person_key(ent.text), *t))
    return out


#: verbs that give their subject the office of head ("Ilse Varga, who heads the rescue service");
#: "led the rescue" or "runs a bakery" name a task or a trade, not an office
_HEADING_VERBS = frozenset("head chair".split())


def _heads(root) -> tuple[str, frozenset[str]] | None:
    """The title of a person "who heads" or "who chairs" something: a boss (:data:`ANY_HEAD`),
    true of whoever leads the body under any office's name, never of a deputy."""
    for clause in root.children:
        if clause.dep_ == "relcl" and clause.lemma_.lower() in _HEADING_VERBS:
            if any(c.dep_ == "nsubj" and c.lower_ == "who" for c in clause.children):
                return "boss", frozenset()
    return None


def titled_entities(doc) -> list:
    """Entities the tagger did not read as people that a title shows are people ("Odile
    Farrant, chief executive of Merrowgate International Airport" tagged ORG): an organisation's
    name in title case with an office beside it in apposition, or with a clause of "who"."""
    out = []
    for ent in doc.ents:
        if ent.label_ != "ORG" or len(ent) < 2 or not all(t.is_title for t in ent):
            continue
        beside = [c for c in ent.root.children if c.dep_ == "appos"]
        if ent.root.dep_ == "appos":
            beside.append(ent.root.head)
        who = any(
            c.dep_ == "relcl" and any(g.dep_ == "nsubj" and g.lower_ == "who" for g in c.children)
            for c in ent.root.children
        )  # "Helena Marsh, who leads infection prevention": "who" is said of people
        if who or any(is_office(t.lemma_.lower()) and t.pos_ == "NOUN" for t in beside):
            out.append(ent)
    return out


def titles_differ(ha: str, ma: frozenset[str], hb: str, mb: frozenset[str]) -> bool:
    """Two titles of one person name different offices: other head words, disjoint modifiers or
    one subordinate ("deputy"), unless both name one office ("CFO" / "finance chief"). An
    office once held ("retired judge") and a present one ("inquiry chair") are two facts."""
    if (PAST in ma) != (PAST in mb):
        return False
    if (ha in ANY_OFFICE and ma <= mb | {hb}) or (hb in ANY_OFFICE and mb <= ma | {ha}):
        return False  # "coastguard official Fiona Marr" / "the chief coastguard": both can hold
    if member_of_same_body(ha, mb | {hb}) or member_of_same_body(hb, ma | {ha}):
        return False  # "councillor" / "council deputy leader": a member holds the body's office
    for (h, m), (h2, m2) in (((ha, ma), (hb, mb)), ((hb, mb), (ha, ma))):
        # the body's name may be tagged in one sentence and not the other: offices only
        if h in ANY_HEAD and {w for w in m if is_office(w)} <= m2 | {h2} and not (m | m2) & SUBORDINATE_TITLES:
            return False  # "Brightway boss" / "Brightway chief executive": the one who leads it
    if (ma & SUBORDINATE_TITLES) != (mb & SUBORDINATE_TITLES):
        return True
    ca, cb = canonical_office(ma | {ha}), canonical_office(mb | {hb})
    if ca and cb:
        return ca != cb
    return ha != hb or bool(ma and mb and not (ma & mb))


#: endings of nouns of people ("registrar", "consultant", "administrator", "economist")
_PERSON_NOUN = re.compile(r"(?:er|or|ist|ant|(?<!m)ent|ian|ar|ess|man|woman|person)$")  # not "government"


def is_office_title(head: str, mods: frozenset[str]) -> bool:
    """A title that names a person's office or job ("deputy governor", "registrar", "outside
    consultant"): the parser also hangs "a farming village" or "the first sign" on names it
    takes for people. An office word of the rules, or a noun with an ending of people."""
    return any(is_office(w) or w in _ROLE_SYNONYMS.values() or _PERSON_NOUN.search(w) for w in (head, *mods))
