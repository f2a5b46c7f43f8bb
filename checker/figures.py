"""Figures in frames: which two figures of two statements are one figure, read with the parse.

Why built so: the rules' quantity reader (:mod:`checker.findings.numbers`) reads no parse, so
it cannot tell what a percentage measures or that a tally ("7-4") is a count of votes; the
frame comparison (:mod:`checker.frames`) and the slot swaps (:mod:`checker.swaps`) need both.
"""

from __future__ import annotations

import re
from dataclasses import replace

from checker.findings import (
    extract_quantities,
    match_quantities,
    person_key,
    quantities_comparable,
    quantities_compatible,
)
from checker.nlp import PRONOUNS as _PRONOUNS
from checker.nlp import child, entity_of, parse
from checker.updates import named_categories


def _spelling(word: str | None) -> str | None:
    """British and American spellings of a unit noun fold together (kilometre ~ kilometer)."""
    return re.sub(r"re$", "er", word) if word else word


def comparable_figures(a_text: str, b_text: str) -> list[tuple]:
    """Pairs of figures (A's, B's) of the same kind, unit and counted noun, the subject not
    required to match (the overlap weight says whether the statements are about one thing);
    never two that are two facts whatever their values (:func:`_two_facts`)."""
    qa = [replace(q, subject=None, noun=_spelling(q.noun_head)) for q in extract_quantities(a_text) if not q.vague]
    qb = [replace(q, subject=None, noun=_spelling(q.noun_head)) for q in extract_quantities(b_text) if not q.vague]
    return [
        (x, y)
        for x in qa
        for y in qb
        if quantities_comparable(x, y) and x.noun_head == y.noun_head and not _two_facts(a_text, x, b_text, y)
    ]


def _two_facts(a_text: str, x, b_text: str, y) -> bool:
    """Two figures that are two facts whatever their values: percentages of other measures
    ("online sales grew 18%" / "comparable-store sales grew 3.1%"), counts of other outcomes
    ("two miners died" / "seventeen miners trapped"), an increment and a total ("adds 6 sound
    stages" / "has five sound stages"), an order of magnitude apart ("$400 million" / "$48.30")
    or told of two named people ("Tyler Moss was jailed for nine years" / "Dean Forsyth ... for
    six years")."""
    return (
        (x.kind == y.kind == "percent" and not _same_measure(_measured(a_text, x.span), _measured(b_text, y.span)))
        or _other_outcomes(_outcome(a_text, x.span), _outcome(b_text, y.span))
        or _increment(a_text, x.span) != _increment(b_text, y.span)
        or _orders_apart(x.low, y.low)
        or _other_people(a_text, x, b_text, y)
    )


def lone_figures(a_text: str, b_text: str) -> tuple | None:
    """The one figure of each statement when the two are of one kind and unit, cannot both
    hold, and count nouns that differ or are not named ("Nineteen seafarers were on board" /
    "There were 14 crew on board"; "90 houses" / "140 homes"): whether they count one thing is
    not for a word list to say but for the model, asked again with the figures made equal
    (:mod:`checker.swaps`). None when either statement gives another figure, or the two read
    as two facts (:func:`_two_facts`, or two periods)."""
    qa = [q for q in extract_quantities(a_text) if not q.vague]
    qb = [q for q in extract_quantities(b_text) if not q.vague]
    if len(qa) != 1 or len(qb) != 1:
        return None
    x, y = qa[0], qb[0]
    if x.kind != y.kind or x.unit != y.unit or x.kind in ("percent", "age"):
        return None
    bare_x, bare_y = replace(x, noun=None, subject=None), replace(y, noun=None, subject=None)
    if quantities_compatible(bare_x, bare_y) or _other_periods(a_text, b_text) or _two_facts(a_text, x, b_text, y):
        return None
    if x.noun_head and y.noun_head and _verb_of(a_text, x.span) != _verb_of(b_text, y.span):
        return None  # "73 people were rescued" / "73 homes were flooded": two counted things, two events
    return x, y


def _verb_token(text: str, span: tuple[int, int]):
    """The verb a figure's phrase hangs on, or None when the parse gives none."""
    piece = parse(text).char_span(span[0], span[1], alignment_mode="expand")
    if piece is None or not len(piece):
        return None
    tok = piece.root
    while tok.pos_ not in ("VERB", "AUX") and tok.head.i != tok.i:
        tok = tok.head
    return tok if tok.pos_ in ("VERB", "AUX") else None


def _verb_of(text: str, span: tuple[int, int]) -> str | None:
    """The lemma of the verb a figure's phrase hangs on ("Tickets for all 21,000 seats had been
    sold" -> sell), None when the parse gives none."""
    verb = _verb_token(text, span)
    return verb.lemma_.lower() if verb is not None else None


def _person_of(text: str, span: tuple[int, int]) -> str | None:
    """The named person a figure is told of: the subject of its verb when the tagger reads it as
    a person ("Tyler Moss was jailed for nine years" -> moss), else None."""
    verb = _verb_token(text, span)
    subject = child(verb, "nsubj", "nsubjpass") if verb is not None else None
    if subject is None or subject.ent_type_ != "PERSON":
        return None
    ent = entity_of(subject)
    return person_key(ent.text if ent is not None else subject.text)


def _other_people(a_text: str, x, b_text: str, y) -> bool:
    """Two figures told of two named people ("Dean Forsyth ... was jailed for six years" /
    "Tyler Moss was jailed for nine years"): two facts, however alike the rest."""
    pa, pb = _person_of(a_text, x.span), _person_of(b_text, y.span)
    return pa is not None and pb is not None and pa != pb


#: words that make a count an increment, not a total ("six more stages", "another 40 jobs",
#: "32 new police officers")
_MORE_WORDS = frozenset("more another additional extra further new".split())
#: verbs whose object is an increment ("the plan adds 6 sound stages")
_ADDING_VERBS = frozenset(("add",))


def _bound(tok) -> bool:
    """ "More than 40": a bound on the figure, not what is added."""
    return tok.i + 1 < len(tok.doc) and tok.nbor(1).lower_ == "than"


def _increment(text: str, span: tuple[int, int]) -> bool:
    """The figure counts what is added, not how many there are: "the expansion adds 6 sound
    stages" / "Kestrel Lane has five sound stages" are two facts; an increment compares only
    with an increment."""
    doc = parse(text)
    piece = doc.char_span(span[0], span[1], alignment_mode="expand")
    if piece is None or not len(piece):
        return False
    number = piece.root
    noun = number.head if number.dep_ in ("nummod", "quantmod") else number
    if any(t.lower_ in _MORE_WORDS and not _bound(t) for t in (*noun.children, *number.children)):
        return True
    # "the plan adds 6 stages", "twenty cars will be added to the fleet"
    return noun.dep_ in ("dobj", "nsubjpass") and noun.head.lemma_.lower() in _ADDING_VERBS


#: dependents of a verb that say what happened to its subject or object ("remain unaccounted",
#: "leaving 16 missing", "brought ... alive", "pulled to safety")
_OUTCOME_DEPS = frozenset("acomp oprd prt xcomp advcl dative agent".split())
#: prepositions of where the counted went ("brought out of the mine", "taken to hospital")
_OUTCOME_PREPOSITIONS = frozenset("out up to into from".split())


def _outcome(text: str, span: tuple[int, int]) -> frozenset[str]:
    """What happened to what a count counts, as the evolving-fact categories of
    :mod:`checker.updates` its predicate names: "two miners died" -> {dead}, "seventeen miners
    trapped" -> {missing}, "rescuers brought eleven miners to the surface alive" -> {rescued};
    empty when the predicate names none ("40 miners were underground")."""
    doc = parse(text)
    piece = doc.char_span(span[0], span[1], alignment_mode="expand")
    if piece is None or not len(piece):
        return frozenset()
    noun = piece.root
    while noun.dep_ in ("nummod", "quantmod", "compound", "advmod") and noun.head.i != noun.i:
        noun = noun.head  # "Two" -> "miners"
    words = [t for c in noun.children if c.dep_ in ("acl", "relcl", "amod") for t in (c, *c.children)]
    if noun.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and noun.head.pos_ in ("VERB", "AUX", "ADJ"):
        verb = noun.head
        words += [verb] + [
            t
            for c in verb.children
            if (c.dep_ in _OUTCOME_DEPS and not (c.dep_ == "advcl" and _has_subject(c)))
            or (c.dep_ == "prep" and c.lower_ in _OUTCOME_PREPOSITIONS)
            for t in _own_clause(c)
        ]
    said = " ".join(t.text for t in words if t.i not in range(piece.start, piece.end) and t.i != noun.i)
    return frozenset(named_categories(said))


def _has_subject(tok) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _own_clause(tok) -> list:
    """``tok``'s subtree without coordinated clauses that have a subject of their own. With a
    subordinate clause that has its own subject ("when the ferry overturned, and divers were
    searching for those who remain missing"), they tell what befell others (the caller leaves
    those out)."""
    others = {t.i for x in tok.subtree if x.dep_ == "conj" and x.i != tok.i and _has_subject(x) for t in x.subtree}
    return [t for t in tok.subtree if t.i not in others]


def _other_outcomes(x: frozenset[str], y: frozenset[str]) -> bool:
    """Two counts of what befell different people ("two miners died" / "seventeen miners
    trapped"): both predicates name an outcome and they share none."""
    return bool(x) and bool(y) and not x & y


#: modifiers that say over what time or how a figure is taken, not what it measures ("annual
#: inflation" / "consumer price inflation" are one measure)
_WHEN_WORDS = frozenset("annual yearly monthly quarterly weekly daily overall average headline latest current".split())


def _measured(text: str, span: tuple[int, int]) -> tuple[str, frozenset[str]] | None:
    """What a percentage measures, as (head lemma, modifier lemmas): the noun it modifies
    ("a 12% profit gain" -> gain, {profit}), else what its verb moves ("cut its main rate to
    4.75 percent" -> rate) or the verb's subject ("online sales grew 18 percent" -> sale,
    {online}; "unemployment climbed to 6.8%"); None when the parse does not say."""
    doc = parse(text)
    piece = doc.char_span(span[0], span[1], alignment_mode="expand")
    if piece is None or not len(piece):
        return None
    unit = piece.root  # "%" or "percent", the number hanging from it
    if unit.dep_ in ("compound", "amod", "nmod") and unit.head.pos_ in ("NOUN", "PROPN"):
        noun = unit.head
    else:
        verb = unit.head
        moved = None
        if unit.dep_ == "pobj" and verb.dep_ == "prep":  # "climbed to 6.8%", "stood at 5.25 percent"
            verb = verb.head
            moved = next((c for c in verb.children if c.dep_ == "dobj"), None)
        noun = moved or next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if verb.pos_ not in ("VERB", "AUX") or noun is None or noun.lower_ in _PRONOUNS:
            return None
    mods = frozenset(
        c.lemma_.lower()
        for c in noun.children
        if c.dep_ in ("compound", "amod") and not c.like_num and c.lower_ != "%" and c.lower_ not in _WHEN_WORDS
    )
    # whose or where: "shares of Corrigan Telecom" / "shares in MSE Holdings", "sales in Asia",
    # "Calloway's shares"
    named = frozenset(
        g.lower_
        for c in noun.children
        if c.dep_ == "prep" and c.lower_ in ("of", "in", "at", "for")
        for g in c.children
        if g.dep_ == "pobj" and g.pos_ == "PROPN"
    ) | frozenset(c.lower_ for c in noun.children if c.dep_ == "poss" and c.pos_ == "PROPN")
    return noun.lemma_.lower(), mods | named


def figures_of_other_things(a_text: str, b_text: str) -> bool:
    """Every pair of figures that cannot both hold is two facts (:func:`_two_facts`), or the
    statements give them for two periods ("this year" / "next year"): the rules' number
    conflict, which reads no parse, is then no conflict, and the slot swap exchanges nothing."""
    _, bad = match_quantities(extract_quantities(a_text), extract_quantities(b_text))
    if bad and _other_periods(a_text, b_text):
        return True  # "this year ... 28,300 tonnes" / "18,400 tonnes ... next year"
    return bool(bad) and all(_two_facts(a_text, x, b_text, y) for x, y in bad)


#: figures this many times apart are two facts, not one figure reported two ways: no planted
#: number conflict or update of the dev and train stories (152 pairs) is more than 5 times
#: apart, while 56 dev pairs of other figures are 8 times apart or more ("1,850" / "96,000")
ORDERS_APART = 10.0


def _orders_apart(x: float, y: float) -> bool:
    lo, hi = sorted((abs(x), abs(y)))
    return lo > 0 and hi / lo >= ORDERS_APART


#: the period a figure is given for: "this year", "next season", "last quarter", "in 2024"
_PERIOD = re.compile(
    r"\b(?:(this|last|next|previous|coming)\s+(year|season|quarter|month|week)|(?:19|20)\d\d(?!\s*-))\b", re.I
)


def _periods(text: str) -> set[str]:
    return {" ".join(m.groups()).lower() if m.group(1) else m.group(0) for m in _PERIOD.finditer(text)}


def _other_periods(a_text: str, b_text: str) -> bool:
    """Both statements name the period their figures are for, in the same way (two years, or
    two periods relative to now), and no period is the same ("this year the fleet landed
    28,300 tonnes" / "18,400 tonnes next year"): two facts. "Last year" and "2025" may be one
    year, so a relative and a calendar period are never compared."""
    pa, pb = _periods(a_text), _periods(b_text)
    for calendar in (True, False):
        xa = {p for p in pa if p[0].isdigit() == calendar}
        xb = {p for p in pb if p[0].isdigit() == calendar}
        if xa and xb and not xa & xb:
            return True
    return False


def _same_measure(x: tuple[str, frozenset[str]] | None, y: tuple[str, frozenset[str]] | None) -> bool:
    """Two percentages may be one figure unless they measure other things: other head nouns,
    or one head with modifiers that share nothing ("online sales" / "comparable-store sales")."""
    if x is None or y is None:
        return True
    (hx, mx), (hy, my) = x, y
    return hx == hy and not (mx and my and not mx & my)


def numbers_differ(a_text: str, b_text: str) -> bool:
    """Comparable figures whose ranges cannot both hold."""
    pairs = comparable_figures(a_text, b_text)
    return bool(pairs) and not any(quantities_compatible(x, y) for x, y in pairs)


_WORD_NUMBERS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
_N = r"(\d{1,3}|" + "|".join(_WORD_NUMBERS) + r")"
TALLY = re.compile(
    rf"\b{_N}\s*(?:-|–|—|votes? to|to)\s*{_N}\b(?!\s*(?:percent|%|years?|months?|days?|hours?|[ap]\.?m))",
    re.IGNORECASE,
)


def tallies(text: str) -> set[tuple[int, int]]:
    """Vote tallies and scores ("7-4", "eight votes to three", "2-1"), winner first."""
    out = set()
    for m in TALLY.finditer(text):
        x, y = (int(g) if g.isdigit() else _WORD_NUMBERS[g.lower()] for g in m.groups())
        out.add((max(x, y), min(x, y)))
    return out


def disjoint_tallies(a_text: str, b_text: str) -> bool:
    ta, tb = tallies(a_text), tallies(b_text)
    return bool(ta) and bool(tb) and not (ta & tb)
