"""Relations: who owns, runs, built or supplied a thing, and where a thing is.

Why built so: many conflicts between outlets are one relation of one thing with two different
fillers ("the mine is operated by Brannock Coal" / "Halvard Energy, which has operated the
mine since 2019"; "the affected facility is in Aldersey" / "the damaged facility sits in
Kessling"). The two sentences share few words, so neither the model nor the frames' slot
overlap sees them; a relation read from the parse does. A relation is (kind, theme, filler):
the kind a normalised verb or noun ("operate" for run / operator), the theme the lemma of the
thing it is about, the filler a name. Two statements conflict on a relation when they give
one kind and theme two fillers that share nothing and that the other text never names. Besides
agents and places, a relation may be an office taken ("will become chairman",
:mod:`checker.offices`), a claim of responsibility, the largest (oldest, newest) of a kind
given in apposition, where an event took place ("the count was held at"), the journal a
finding appeared in, or who supplied a thing bought "from" a firm.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from checker.findings import country_name, similar_spelling
from checker.names import name_of
from checker.nlp import PRONOUNS, child, doer, parse
from checker.offices import offices, superlative

#: verbs of a relation between a named agent and a thing -> the relation's kind
RELATION_VERBS = {
    "own": "own",
    "operate": "operate",
    "run": "operate",
    "build": "build",
    "manufacture": "build",
    "supply": "supply",
    "organise": "organise",
    "organize": "organise",
    "develop": "develop",
    "hire": "hire",
    "audit": "audit",
    "advise": "advise",
    "insure": "insure",
    "fund": "fund",
    "finance": "fund",
    "sponsor": "sponsor",
    "introduce": "sponsor",  # an amendment or a bill (:data:`_SPONSORED`)
    "design": "design",
    "conduct": "perform",
    "manage": "manage",
    "lead": "lead",
    "head": "lead",
    "direct": "lead",
    "chair": "lead",
    "publish": "publish",
    "represent": "represent",
    "broker": "broker",
    "negotiate": "broker",
    "mediate": "broker",
    "maintain": "maintain",
    "service": "maintain",
    "overhaul": "maintain",
}
#: nouns naming the agent of a relation ("Corvane Chemicals, the site's owner")
RELATION_NOUNS = {
    "owner": "own",
    "operator": "operate",
    "builder": "build",
    "maker": "build",
    "manufacturer": "build",
    "supplier": "supply",
    "organiser": "organise",
    "organizer": "organise",
    "developer": "develop",
    "auditor": "audit",
    "adviser": "advise",
    "advisor": "advise",
    "insurer": "insure",
    "sponsor": "sponsor",
    "designer": "design",
    "manager": "manage",
    "publisher": "publish",
    "representative": "represent",
    "agent": "represent",
    "broker": "broker",
    "mediator": "broker",
}
#: what one introduces as its sponsor ("introduced the amendment"); "introduced a new model"
#: or "introduced the speaker" is no sponsorship
_SPONSORED = frozenset("amendment bill motion measure legislation resolution ordinance proposal".split())
#: verbs of getting a thing from a supplier ("which it had bought from Arvenna Fine Chemicals")
_GETTING_VERBS = frozenset("buy purchase source obtain order import".split())
#: verbs that publish a finding in a journal ("published in the journal Astronomical Letters",
#: "described in a paper in Planetary Science Reports")
_PUBLISHING_VERBS = frozenset("publish describe report detail present".split())
#: nouns that stand for the journal a finding appears in
_PAPER_NOUNS = frozenset("journal paper study article issue edition".split())
#: relations of an agent to a thing: two firms given one of them by two statements already
#: paired conflict even when the thing is told in other words (:func:`_same_theme`)
_AGENT_KINDS = frozenset(RELATION_VERBS.values())
#: verbs that place their subject ("the facility sits in Kessling", "is based in Brannock")
LOCATIVE_VERBS = frozenset("be sit lie stand locate base headquarter situate".split())
_LOCATIVE_PREPOSITIONS = frozenset({"in", "at"})
#: relations that say where a thing is or where an event took place (typed location/scope)
PLACE_KINDS = frozenset({"locate", "venue", "venue town"})
#: verbs that hold an event somewhere ("the count was held at", "a protest took place outside",
#: "the medical was carried out at"), with the particle or object some of them need
_HOLDING_VERBS = {"hold": None, "stage": None, "host": None, "conduct": None, "take": "place", "carry": "out"}
#: verbs whose own act is the event ("ballots were counted at", "protesters gathered for the
#: main rally on"); the event is what they gather "for", else the verb itself
_EVENT_VERBS = frozenset("gather assemble rally march protest demonstrate convene count".split())
#: nouns of events that take place somewhere ("a news conference at ...", "the vigil outside ...")
_EVENT_NOUNS = frozenset(
    "conference meeting rally protest demonstration march vigil hearing trial inquest funeral ceremony "
    "concert match briefing summit count".split()
)
#: prepositions of where an event took place
_VENUE_PREPOSITIONS = frozenset("at in on outside inside near opposite".split())
#: themes too vague to be one thing ("it", "company" is kept: one story's company is one)
_VAGUE_THEMES = PRONOUNS | {"one", "all", "some", "which", "that", "what"}
#: a place is where a thing is, never who owns or runs it ("a company based in the lowland city
#: of Aldermoor that runs trips": the parser hangs "that runs" on the city)
_PLACE_NOUNS = frozenset("city town village region province country state district area county".split())


@dataclass(frozen=True, slots=True)
class Relation:
    kind: str  # a relation verb's kind, "locate", "venue", "office", "claim" or "most"
    theme: str  # lemma of what the relation is about
    filler: str  # the named agent or place, lower case
    person: bool = False  # the filler is a person ("Reiter, who co-owns the tour company")


def _theme(tok) -> str | None:
    if tok is None or tok.lower_ in _VAGUE_THEMES:
        return None
    name = name_of(tok)
    return name or tok.lemma_.lower()


def _relation_kind(verb, lemma: str) -> str | None:
    """The relation a verb states (:data:`RELATION_VERBS`; "carry out" work is performing it)."""
    if lemma == "carry" and any(c.dep_ == "prt" and c.lower_ == "out" for c in verb.children):
        return "perform"
    return RELATION_VERBS.get(lemma)


@functools.lru_cache(maxsize=20000)
def relations(text: str) -> frozenset[Relation]:
    """The relations a statement states (see the module docstring)."""
    doc = parse(text)
    out: set[Relation] = set()
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.pos_ == "VERB" and (kind := _relation_kind(tok, lemma)):
            agent = child(child(tok, "agent") or tok, "pobj") if child(tok, "agent") is not None else None
            if agent is not None:  # "operated by Brannock Coal", "a mine owned by Halvard"
                theme = child(tok, "nsubjpass") or (tok.head if tok.dep_ == "acl" else None)
            else:  # "Halvard, which has operated the mine since 2019"
                agent, theme = doer(tok), child(tok, "dobj")
            if agent is not None and (agent.ent_type_ in ("GPE", "LOC", "FAC") or agent.lemma_.lower() in _PLACE_NOUNS):
                continue
            if lemma == "introduce" and (theme is None or theme.lemma_.lower() not in _SPONSORED):
                continue
            filler, about = (name_of(agent) if agent is not None else None), _theme(theme)
            if filler and about and agent is not None:
                # "who" stands for a person whatever the tagger says of the name
                person = agent.ent_type_ == "PERSON" or any(
                    c.lower_ == "who" for c in tok.children if c.dep_ == "nsubj"
                )
                out.add(Relation(kind, about, filler, person))
        elif lemma == "claim" and (duty := child(tok, "dobj")) is not None and duty.lemma_.lower() == "responsibility":
            # "Greyfang has claimed responsibility for the intrusion": the tagger reads many a
            # group's name as a place, which still names the claimant
            claimant = child(tok, "nsubj")
            if claimant is not None and (filler := name_of(claimant)):
                out.add(Relation("claim", "responsibility", filler))
        elif taken := offices(tok):
            for office, holder in taken:
                if filler := name_of(holder):
                    out.add(Relation("office", office, filler, True))
        elif lemma == "belong":  # "the plant belongs to Halden Agrochem"
            to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "to"), None)
            filler = name_of(child(to, "pobj")) if to is not None and child(to, "pobj") is not None else None
            about = _theme(child(tok, "nsubj"))
            if filler and about and to is not None:
                out.add(Relation("own", about, filler, child(to, "pobj").ent_type_ == "PERSON"))
        elif tok.pos_ == "NOUN" and tok.dep_ == "appos" and (most := superlative(tok)):
            # "Greyholm Seafoods, the town's biggest fish processor" / "Marlow Fish Company, the
            # largest processor in Corran Bay": one thing can be the largest
            if filler := name_of(tok.head):
                out.add(Relation("most", f"{most} {lemma}", filler))
        elif tok.pos_ == "NOUN" and lemma in RELATION_NOUNS and tok.dep_ == "appos":
            # "Corvane Chemicals, the site's owner" / "Ironbridge, the developer behind the project"
            owned = child(tok, "poss") or next(
                (g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"), None
            )
            filler, about = name_of(tok.head), _theme(owned)
            if filler and about:
                out.add(Relation(RELATION_NOUNS[lemma], about, filler, tok.head.ent_type_ == "PERSON"))
        elif lemma in LOCATIVE_VERBS and tok.pos_ in ("VERB", "AUX"):
            # "the facility sits in Kessling"; "the company, headquartered in Halmstrand"
            subject = child(tok, "nsubj", "nsubjpass") or (tok.head if tok.dep_ == "acl" else None)
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ in _LOCATIVE_PREPOSITIONS and child(prep, "pobj") is not None:
                    filler, about = name_of(child(prep, "pobj")), _theme(subject)
                    if filler and about:
                        out.add(Relation("locate", about, filler))
        if tok.pos_ == "NOUN" and lemma in _EVENT_NOUNS:
            # "told a news conference at the bank's Harbour Street headquarters in Port Alvis"
            out.update(_venues_in(lemma, [c for c in tok.children if c.dep_ == "prep"]))
        if tok.pos_ != "VERB":
            continue
        if lemma in _GETTING_VERBS and (supplied := _supplied(tok)) is not None:
            out.add(supplied)
        if lemma in _PUBLISHING_VERBS and (journal := _journal(tok)) is not None:
            out.add(journal)
        out.update(_venues(tok))
    return frozenset(out)


def _supplied(verb) -> Relation | None:
    """Who supplied a thing got "from" a firm ("a lot of corvesartan, which it had bought from
    Arvenna Fine Chemicals" / "a batch supplied by Pellucid Chemicals")."""
    source = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ == "from"), None)
    firm = child(source, "pobj") if source is not None else None
    thing = child(verb, "dobj")
    if thing is not None and thing.lower_ in ("which", "that") and verb.dep_ == "relcl":
        thing = verb.head
    if firm is None or thing is None or firm.ent_type_ in ("GPE", "LOC", "FAC", "PERSON"):
        return None
    filler, about = name_of(firm), _theme(thing)
    return Relation("supply", about, filler) if filler and about else None


def _journal(verb) -> Relation | None:
    """The journal a finding is published in, by name ("published in the journal Astronomical
    Letters", "described in a paper in Planetary Science Reports"); the theme is the journal
    itself, as one story's finding appears in one journal."""
    for prep in verb.children:
        if prep.dep_ != "prep" or prep.lower_ != "in" or (where := child(prep, "pobj")) is None:
            continue
        if where.lemma_.lower() in _PAPER_NOUNS:
            named = [c for c in where.children if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN"]
            named += [g for c in where.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children]
            where = named[0] if named else None
        if where is not None and where.pos_ == "PROPN" and (filler := name_of(where)) and len(filler.split()) >= 2:
            return Relation("journal", "journal", filler)
    return None


def _event(verb):
    """The event a verb holds or is, as its noun token (or the verb itself), or None:
    "the count was held" -> count, "held a protest" -> protest, "gathered for the main rally"
    -> rally, "ballots were counted" -> counted."""
    lemma = verb.lemma_.lower()
    if lemma in _HOLDING_VERBS:
        needs = _HOLDING_VERBS[lemma]
        if needs and not any(c.lower_ == needs for c in verb.children):
            return None
        event = child(verb, "nsubj" if lemma == "take" else "nsubjpass")
        if event is None and needs is None:
            event = child(verb, "dobj")
        return event if event is not None and event.pos_ == "NOUN" else None
    if lemma in _EVENT_VERBS:
        held = next((g for c in verb.children if c.dep_ == "prep" and c.lower_ == "for" for g in c.children), None)
        return held if held is not None and held.pos_ == "NOUN" else verb
    return None


def _venues(verb) -> list[Relation]:
    """Where an event took place, by name ("the count was held at Ostmoor Town Hall" /
    "ballots were counted at Kellbridge Leisure Centre"): one event has one venue."""
    event = _event(verb)
    if event is None:
        return []
    preps = [c for c in verb.children if c.dep_ == "prep"]
    if event.i != verb.i:
        preps += [c for c in event.children if c.dep_ == "prep"]  # "the main rally on Marsal Boulevard"
    return _venues_in(event.lemma_.lower(), preps)


def _town(place, prep) -> bool:
    """A town or city, not a building or a street: tagged so, or a one-word name "in" which the
    event took place ("concert in Calder" in a headline the tagger reads as a person)."""
    one_word_name = place.pos_ == "PROPN" and not any(c.dep_ == "compound" for c in place.children)
    return place.ent_type_ == "GPE" or (prep.lower_ == "in" and one_word_name)


def _venues_in(event: str, preps) -> list[Relation]:
    """The venue named by the first of ``preps`` that places the event ("at/in/on/outside
    ..."), as a place (kind "venue": "the Rivergate Arena") or a town (kind "venue town": "in
    Calder", "at the bank's headquarters in Port Alvis"). A town is compared only with a town
    and a place with a place: "the first concert in Calder" and "held at the Rivergate Arena"
    may both hold."""
    for prep in preps:
        place = child(prep, "pobj") if prep.lower_ in _VENUE_PREPOSITIONS else None
        if place is None or place.ent_type_ in ("DATE", "TIME"):
            continue
        inner = next(
            (
                g
                for c in place.children
                if c.dep_ == "prep" and c.lower_ in ("in", "at")
                for g in c.children
                if g.dep_ == "pobj" and g.ent_type_ not in ("DATE", "TIME")
            ),
            None,
        )
        if _town(place, prep):
            return [Relation("venue town", event, town)] if (town := name_of(place)) else []
        out = [Relation("venue", event, filler)] if (filler := name_of(place)) else []
        if inner is not None and (town := name_of(inner)):  # "a private clinic in Brinmouth"
            out.append(Relation("venue town" if inner.ent_type_ == "GPE" or not out else "venue", event, town))
        if out:
            return out
    return []


def _named_in(name: str, text: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", text.lower()) is not None


def _same_theme(x: Relation, y: Relation) -> bool:
    """One thing: the same lemma or name, or, for an organisation's relation other than where a
    thing is, any theme of two statements already paired as telling one fact (a story's "tour"
    and "trip", "grid" and "network", "Sable Creek No. 3" and "the mine" are one thing; a
    person's relation is left out: "Reiter co-owns the tour company" / "Silverline owns the
    coach"). Where a thing is or an event took place, the largest of its kind, an office and a
    claim need one theme."""
    if x.theme == y.theme:
        return True
    # a lone surname ("Reiter") is a person's more often than a firm's, whatever the tagger says
    firms = all(not r.person and len(r.filler.split()) >= 2 for r in (x, y))
    return x.kind in _AGENT_KINDS and firms


def _one_filler(x: str, y: str) -> bool:
    """One name told two ways: one inside the other ("Brannock Coal" / "Brannock Coal Company"),
    spelt two ways ("Santiago del Estero" / "Santiago del Estro") or a country's other name
    ("the UK" / "Britain")."""
    return x in y or y in x or similar_spelling(x, y) or country_name(x) == country_name(y)


def relation_conflicts(a_text: str, b_text: str) -> tuple[Relation, Relation] | None:
    """(A's relation, B's) of one kind and theme with two fillers, or None. Fillers that overlap
    ("Brannock Coal" / "Brannock Coal Company") or that the other statement also names are no
    conflict."""
    rb = relations(b_text)
    for x in relations(a_text):
        for y in rb:
            if x.kind != y.kind or not _same_theme(x, y) or _one_filler(x.filler, y.filler):
                continue
            if not _named_in(x.filler, b_text) and not _named_in(y.filler, a_text):
                return x, y
    return None


def relation_conflict(a_text: str, b_text: str) -> Relation | None:
    """A's relation of :func:`relation_conflicts`, or None."""
    pair = relation_conflicts(a_text, b_text)
    return pair[0] if pair else None


def relation_keys(text: str) -> tuple[frozenset[str], frozenset[str]]:
    """(keys offered, keys sought) for pairing (:func:`checker.pair.pair_by_keys`): a statement
    that states a relation is put beside the most similar statement of each other article that
    states one of the same kind ("Orland is based in Brannock" / "The company, headquartered in
    Halmstrand, ..."; "The plant belongs to Halden Agrochem" / "Corvane Chemicals, the site's
    owner, ..."), however far apart the rest of the two sentences is."""
    keys = frozenset(f"relation:{r.kind}" for r in relations(text))
    return keys, keys
