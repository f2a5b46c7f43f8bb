"""Predicates of a parsed statement: who does what to what, and which predicates it denies.

Why a module of its own: the frames (:mod:`checker.frames`) compare predicates and their
negations; reading them off the parse (passive subjects as objects, relative pronouns, verbs
that lend their negation, light verbs whose object names the action) is a stage of its own.
"""

from __future__ import annotations

from typing import Any

from checker.nlp import PRONOUNS as _PRONOUNS

NEG_WORDS = frozenset("not n't no never none nobody nothing neither nor without".split())
REPORTING = frozenset("say tell state claim announce confirm report find conclude insist warn add allege".split())


def _lemmas(tokens) -> frozenset[str]:
    """Lemmas of argument tokens and their compounds ("Sunday hours" -> {"sunday", "hour"})."""
    words = {w.lemma_.lower() for c in tokens for w in (c, *(x for x in c.children if x.dep_ == "compound"))}
    return frozenset(w for w in words if w.isalpha() and w not in _PRONOUNS)


_RELATIVE_PRONOUNS = frozenset("who which that whom".split())


def arguments(tok) -> tuple[frozenset[str], frozenset[str]]:
    """(subjects, objects) of a predicate as lemmas. Objects are nouns (a clause or gerund
    object, "admitted misleading parliament", is no noun to compare); a passive subject is an
    object ("hours were cut"); a predicate without a subject of its own takes its head's ("will stop opening",
    "raised fees and cut hours"); an adjective's subject is the noun it modifies."""
    subj = [c for c in tok.children if c.dep_ == "nsubj"]
    subj += [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
    obj = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr", "oprd") and c.pos_ in ("NOUN", "PROPN")]
    if tok.dep_ == "relcl":  # "a woman who had been trapped": the relative pronoun stands for "woman"
        relative = [c.dep_ for c in tok.children if c.lower_ in _RELATIVE_PRONOUNS]
        subj += [tok.head] if "nsubj" in relative else []
        obj += [tok.head] if "nsubjpass" in relative or "dobj" in relative else []
    if not subj and tok.dep_ in ("xcomp", "ccomp", "conj", "acomp", "advcl"):
        subj = [c for c in tok.head.children if c.dep_ == "nsubj"]
    if tok.dep_ == "amod":
        subj = [tok.head]
    return _lemmas(subj), _lemmas(obj)


#: adjectives that do not sort a thing into one of several ("the new rules" may be the
#: proposed ones; "most schools" are schools)
_NOT_SORTING = frozenset(
    "new proposed planned last first latest main other most many several more some all few further "
    "additional such same whole entire full total big large small major key".split()
)


def argument_kinds(doc) -> tuple[tuple[str, frozenset[str]], ...]:
    """(noun lemma, words) for each subject or object a proper name owns (a possessor, a
    compound, "in"/"of" a name: "Calloway's shares", "Brightway shares", "shares in Orland") or
    that adjectives and nouns before it sort ("state schools", "independent and church schools")."""
    out = []
    for t in doc:
        if t.dep_ in ("nsubj", "nsubjpass", "dobj") and t.pos_ == "NOUN":
            named = [c for c in t.children if c.dep_ in ("poss", "compound") and c.pos_ == "PROPN"]
            named += [
                g
                for c in t.children
                if c.dep_ == "prep" and c.lower_ in ("in", "of")
                for g in c.children
                if g.dep_ == "pobj" and g.pos_ == "PROPN"
            ]
            words = {w.lower_ for c in named for w in c.subtree if w.pos_ == "PROPN"}
            words |= {
                w.lower_
                for c in t.children
                if (c.dep_ == "amod" and c.tag_ == "JJ") or (c.dep_ == "compound" and c.pos_ == "NOUN")
                for w in (c, *c.conjuncts)
                if w.lower_ not in _NOT_SORTING and w.pos_ in ("ADJ", "NOUN", "PROPN")
            }
            if words:
                out.append((t.lemma_.lower(), frozenset(words)))
    return tuple(out)


#: verbs whose negation says nothing about the story's facts ("could not be reached for
#: comment", "did not say when"), and light verbs that carry no predicate of their own
_NOT_NEGATABLE = REPORTING | frozenset(
    "be have do make get take go respond comment know reveal disclose specify explain give".split()
)


#: verbs that lend their negation to the verb they govern ("nobody is known to have fallen
#: ill", "no staff are expected to lose their jobs"): the governed verb is what is negated
_RAISING = frozenset("know believe think expect seem appear report say".split())


#: verbs whose object names the action ("hold a ballot", "make an offer", "carry out a review")
_LIGHT_VERBS = frozenset("hold make take give carry conduct stage launch".split())


def _negated_verbs(verb) -> list:
    """``verb`` and the verbs that share its negation: a verb it lends it to (:data:`_RAISING`),
    and verbs coordinated with it under one subject ("no data was leaked or published")."""
    if verb.lemma_.lower() in _RAISING:
        verb = next((c for c in verb.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), verb)
    return [verb] + [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB" and not _has_own_subject(c)]


def _has_own_subject(tok) -> bool:
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def _negative(t) -> bool:
    """A predicate with "not" / "never" of its own, or "have yet to" ("have yet to detain anyone")."""
    return any(c.dep_ == "neg" or (c.lower_ == "yet" and t.lemma_ in ("have", "be")) for c in t.children)


_NEGATIVE_PRONOUNS = frozenset(("none", "nobody", "nothing", "neither"))
#: nouns that deny the clause they govern when "no" goes before them ("there is no suggestion
#: that the school will close", "it has no plans to appeal", "no sign that data was leaked")
_HEDGE_NOUNS = frozenset("suggestion evidence sign indication plan intention proof prospect".split())


def _denied(doc) -> list[tuple[Any, frozenset[str], frozenset[str]]]:
    """(token, subjects, objects) of each predicate the statement denies."""
    out: list[tuple[Any, frozenset[str], frozenset[str]]] = []
    for t in doc:
        if t.pos_ in ("VERB", "AUX", "ADJ") and _negative(t):
            # "will not stop opening"; "safeguarding was not effective": the adjective a negated
            # copula gives its subject is denied too
            verbs = [t] + [
                c
                for c in t.children
                if (c.dep_ == "xcomp" and c.pos_ == "VERB") or (c.dep_ == "acomp" and c.pos_ == "ADJ")
            ]
            out += [(v, *arguments(v)) for v in verbs]
            if t.lemma_.lower() in _LIGHT_VERBS:  # "will not hold a strike ballot": not "ballot"
                subj = arguments(t)[0]
                out += [(c, subj, frozenset()) for c in t.children if c.dep_ == "dobj" and c.pos_ == "NOUN"]
        elif t.pos_ == "VERB" and t.lemma_.lower() == "stop" and (held := _stopped_short_of(t)) is not None:
            # "the service stopped short of declaring a critical incident": it did not declare one
            out.append((held, arguments(t)[0], arguments(held)[1]))
        elif t.dep_ in ("nsubj", "nsubjpass") and any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
            # "no rain fell", "no landslide alert had been issued": the subject's "no" negates
            # the predicate ("rain did not fall"), and each predicate it shares
            out += [(v, frozenset({t.lemma_.lower()}), arguments(v)[1]) for v in _negated_verbs(t.head)]
        elif t.lemma_.lower() in _HEDGE_NOUNS and any(c.dep_ == "det" and c.lower_ == "no" for c in t.children):
            # "no plans to appeal": the clause the noun governs is denied
            out += [
                (v, *arguments(v))
                for v in t.children
                if v.dep_ in ("acl", "ccomp", "relcl") and v.pos_ in ("VERB", "AUX")
            ]
        elif t.lower_ in _NEGATIVE_PRONOUNS and t.dep_ in ("nsubj", "nsubjpass"):
            # "none of the styrene reached the creek": what "none" is of is the subject
            of = frozenset(
                g.lemma_.lower() for c in t.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"
            )
            out += [(v, of, arguments(v)[1]) for v in _negated_verbs(t.head)]
    # "no ambulance was called until he was found": not a denial but a time ("only once");
    # "had not walked out in eleven years": the time before this one
    return [o for o in out if not _until(o[0]) and not _for_a_span(o[0])]


def _stopped_short_of(stop):
    """The verb "stopped short of" governs ("stopped short of declaring"), or None."""
    for short in stop.children:
        if short.lower_ == "short":
            for of in short.children:
                if of.dep_ == "prep" and of.lower_ == "of":
                    return next((v for v in of.children if v.dep_ == "pcomp" and v.pos_ == "VERB"), None)
    return None


#: units of a span of time ("had not walked out in eleven years", "for a decade")
_SPANS = frozenset("year decade month week century".split())


def _for_a_span(verb) -> bool:
    """The verb is denied, in the past perfect, over a span of time before the event reported
    ("had not walked out in eleven years", "had not struck for a decade", "had not flooded since
    1998"): a history, not a denial of that event. "Has not reopened in three days" still denies
    a reopening."""
    if not any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children):
        return False
    for prep in verb.children:
        if prep.dep_ != "prep":
            continue
        if prep.lower_ == "since":
            return True
        if prep.lower_ in ("in", "for", "over") and any(
            g.dep_ == "pobj"
            and g.lemma_.lower() in _SPANS
            and any(c.dep_ in ("nummod", "det", "amod") for c in g.children)
            for g in prep.children
        ):
            return True
    return False


_UNTIL = frozenset({"until", "till"})


def _until(verb) -> bool:
    """The verb is qualified by "until": "did not reopen until Friday", "no ambulance was
    called until staff found him"."""
    return any(
        c.lower_ in _UNTIL or (c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _UNTIL for m in c.children))
        for c in verb.children
    )


def negated(doc) -> tuple[tuple[str, frozenset[str], frozenset[str]], ...]:
    """(lemma, subjects, objects) of each predicate the statement denies that says something
    of the story's facts (not "could not be reached for comment")."""
    found = ((t.lemma_.lower(), subj, obj) for t, subj, obj in _denied(doc))
    return tuple(o for o in found if o[0] not in _NOT_NEGATABLE)


def not_asserted(doc) -> frozenset[int]:
    """Indices of the tokens that are no plain predicate: the denied ones, and those a negative
    word qualifies ("can pay without losing")."""
    return frozenset(t.i for t, _, _ in _denied(doc)) | frozenset(
        t.i for t in doc if any(c.lower_ in NEG_WORDS for c in t.children)
    )


def universal(doc) -> frozenset[str]:
    """Predicates denied of everything ("nothing had been ruled out", "nobody was hurt");
    "none" is mostly "none of them", said before, and is left out."""
    return frozenset(
        v.lemma_.lower()
        for t in doc
        if t.lower_ in ("nothing", "nobody")
        and t.dep_ in ("nsubj", "nsubjpass")
        and not any(c.dep_ == "prep" for c in t.children)
        for v in _negated_verbs(t.head)
    )
