"""Negation/polarity: one statement negates what the other asserts ("did not attend" vs "attended")."""

from __future__ import annotations

from checker.findings.text import _NEGATORS, Conflict, _content_tokens, _overlap
from checker.nlp import parse


def _negation_flip(a_text: str, b_text: str) -> Conflict | None:
    na = list(_NEGATORS.finditer(a_text))
    nb = list(_NEGATORS.finditer(b_text))
    if len(na) % 2 == len(nb) % 2:
        return None
    if _overlap(_content_tokens(a_text), _content_tokens(b_text)) < 0.6:
        return None
    neg_side = "A" if len(na) % 2 else "B"
    if negation_restated(*((a_text, b_text) if neg_side == "A" else (b_text, a_text))):
        return None
    words = [m.group(0) for m in (na if neg_side == "A" else nb)]
    return Conflict(
        "negation/polarity",
        f"polarity differs: {neg_side} negates ({', '.join(repr(w) for w in words)})",
        tuple(m.span() for m in na),
        tuple(m.span() for m in nb),
    )


#: Opposite predicates of news reports, as (one side, other side) lemma groups: a statement
#: with a word of one side and another statement with a word of the other, neither with
#: both, say opposite things about what they share ("libraries will keep Sunday hours" /
#: "will stop opening on Sundays"; "he admitted breaking the rules" / "he denied any
#: wrongdoing"). Written by hand because WordNet is not installed everywhere newscheck runs;
#: kept to verbs and adjectives (and the nouns of :data:`OPPOSITE_NOUNS`) whose opposition
#: does not depend on context.
ANTONYM_GROUPS: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a.split()), frozenset(b.split()))
    for a, b in (
        ("rise increase grow climb jump soar surge gain", "fall drop decline decrease shrink plunge slump sink"),
        ("raise boost", "cut lower reduce slash"),
        ("open reopen", "close shut"),
        ("keep continue maintain retain resume", "stop end halt scrap cease abandon suspend discontinue"),
        ("approve accept adopt endorse pass", "reject veto block"),
        ("admit acknowledge confess", "deny"),
        ("confirm", "deny"),
        ("win", "lose"),
        ("convict", "acquit"),
        ("guilty", "innocent"),
        ("allow permit legalise legalize", "ban bar prohibit forbid outlaw"),
        ("impose", "lift"),
        ("support favour favor", "oppose"),
        ("alive", "dead"),
        ("survive", "die"),
        ("include", "exclude"),
        ("succeed", "fail"),
        ("hire appoint", "fire sack dismiss"),
        ("safe", "dangerous unsafe"),
        ("legal lawful", "illegal unlawful"),
        ("profit surplus", "loss deficit"),
        ("agree", "refuse decline"),
    )
)


#: verbs of change: "will not change" / "will not rise" say what a no-change word says
CHANGE_VERBS = frozenset("change rise increase go move shift alter fall drop decline grow climb".split())
#: verbs of one meaning, so that a negation of one denies the other ("have not limited how many
#: potatoes shoppers can buy" / "have begun restricting how many bags each customer may buy")
SYNONYM_GROUPS: tuple[frozenset[str], ...] = tuple(
    frozenset(g.split())
    for g in (
        "limit restrict curb cap ration",
        "revoke withdraw rescind annul",
        "injure hurt wound",
        "arrest detain",
        "check audit inspect examine",
        "damage harm",
        "fund finance bankroll",
    )
)


def same_predicate(x: str, y: str) -> bool:
    """One predicate: the same lemma, synonyms, two words of the same side of an opposite pair
    ("stop" / "halt"), or any change for a negated "change" ("will not change" / "will rise")."""
    if x == y or (x == "change" and y in CHANGE_VERBS):
        return True
    return any(x in g and y in g for g in SYNONYM_GROUPS) or any(
        x in side and y in side for pair in ANTONYM_GROUPS for side in pair
    )


#: words that say something stays as it was ("keeps rates flat", "remain unchanged", "freeze")
NO_CHANGE_WORDS = frozenset("flat unchanged steady same stable freeze frozen hold remain stay constant".split())


def negation_restated(neg_text: str, plain_text: str) -> bool:
    """The plain statement says, without a negation, what the negated one says: the negated
    predicate's opposite ("did not approve" / "rejected"; "did not reopen" / "remains closed") or,
    for a verb of change, a no-change word ("will not change" / "keeps rates flat"). The one
    rule here that reads the parse: which verb a "not" negates."""
    negated = {t.head.lemma_.lower() for t in parse(neg_text) if t.dep_ == "neg"}
    plain = {t.lemma_.lower() for t in parse(plain_text)}
    if not negated:
        return False
    for verb in negated:
        opposite = {
            f
            for left, right in ANTONYM_GROUPS
            for w in (right if verb in left else left if verb in right else ())
            for f in (w, w + "d", w + "ed")  # the participle as adjective: "remains closed"
        }
        if not (plain & opposite or (verb in CHANGE_VERBS and plain & NO_CHANGE_WORDS)):
            return False
    return True


def opposite_words(a_words: frozenset[str], b_words: frozenset[str]) -> list[tuple[str, str]]:
    """(A's word, B's word) for each opposite pair said by one side only."""
    only_a, only_b = a_words - b_words, b_words - a_words
    out = []
    for left, right in ANTONYM_GROUPS:
        for x, y in ((left, right), (right, left)):
            if not (a_words & y) and not (b_words & x):
                out += [(u, v) for u in sorted(only_a & x) for v in sorted(only_b & y)]
    return out


#: phases of one thing's course: a start, a stop, a restart. Two statements that date "trading
#: stopped at 10:14" and "trading resumed at 2:30" tell a sequence, not opposite facts, and date
#: two events, not one (:func:`checker.findings.dates.same_event`).
PHASES: tuple[frozenset[str], ...] = (
    frozenset("start begin launch open erupt ignite impose".split()),
    frozenset("end finish conclude close stop halt suspend pause shut freeze interrupt cease lift".split()),
    frozenset("resume restart reopen restore reconnect".split()),
)


def other_phases(x: str | None, y: str | None) -> bool:
    """Two words that name different phases of one course (:data:`PHASES`)."""
    px = next((i for i, group in enumerate(PHASES) if x in group), None)
    py = next((i for i, group in enumerate(PHASES) if y in group), None)
    return px is not None and py is not None and px != py


#: the nouns of :data:`ANTONYM_GROUPS` (the rest are verbs and adjectives)
OPPOSITE_NOUNS = frozenset("profit surplus loss deficit".split())
#: opposite stances of a speaker (admit / deny): what each is said of is often worded apart
#: ("admitted breaking the rules" / "denied any wrongdoing"), so the speaker alone must match
STANCE_WORDS = frozenset("admit acknowledge confess deny confirm agree refuse decline".split())
