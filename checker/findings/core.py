"""The finding of a pair: what the typed checks found and what that does to its verdict.

:func:`type_finding` runs the checks of the kind modules in the order of the package's
precedence rules (:mod:`checker.findings`), :func:`apply_findings` applies the verdict
changes to labeled pairs, and :func:`compare_frames` gives every check's raw answer for the
calibrated verdict (:mod:`checker.verdict`).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from checker.defaults import ENTAILMENT_THRESHOLD
from checker.findings.attribution import _attribution_difference
from checker.findings.dates import _date_conflict, same_event
from checker.findings.entities import _entity_swap
from checker.findings.number_conflicts import _different_subjects, _fmt_q, _number_conflict
from checker.findings.numbers import Quantity, extract_quantities, match_quantities
from checker.findings.places import _location_finding
from checker.findings.polarity import _negation_flip
from checker.findings.roles import _role_conflict
from checker.findings.text import (
    FINDING_TYPES,
    Conflict,
    FindingType,
    _content_tokens,
    _overlap,
    _token_ratio,
)
from checker.types import LabeledPair, NliScores, Verdict

Adjust = Literal["raise", "lower"]

NEAR_IDENTICAL = 0.75
DEFAULT_ENTAILMENT_THRESHOLD = ENTAILMENT_THRESHOLD


@dataclass(frozen=True, slots=True)
class Finding:
    """What differs between the two statements of a pair, and what that does to the verdict.

    ``type`` is None when no check explains the pair. ``adjust`` is "raise" (to
    contradiction) or "lower" (away from contradiction) and ``verdict`` the proposed new
    verdict; both None when the NLI verdict stands. ``check`` names the rule that decided
    ("number", "role/title", "attribution", ...) for the ``evidence`` field of the pair.
    """

    type: FindingType | None = None
    a_spans: tuple[tuple[int, int], ...] = ()
    b_spans: tuple[tuple[int, int], ...] = ()
    evidence: str = ""
    adjust: Adjust | None = None
    verdict: Verdict | None = None
    check: str | None = None


_NONE = Finding()


def _lowered(c: Conflict, note: str = "") -> Finding:
    """A finding that lowers a contradiction to neutral, explained by ``c`` (and ``note``)."""
    return Finding(c.type, c.a_spans, c.b_spans, c.evidence + note, "lower", "neutral", c.type)


def _only_ids_differ(a_text: str, b_text: str) -> bool:
    """True when every differing token carries digits that are not quantities (ids, times)."""
    ta = re.findall(r"\S+", a_text)
    tb = re.findall(r"\S+", b_text)
    sm = difflib.SequenceMatcher(a=ta, b=tb, autojunk=False)
    diffs = [w for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal" for w in ta[i1:i2] + tb[j1:j2]]
    if not diffs or not all(re.search(r"\d", w) for w in diffs):
        return False
    qtexts = " ".join(q.text for q in extract_quantities(a_text) + extract_quantities(b_text))
    return not any(re.sub(r"\W", "", w) and re.sub(r"\W", "", w) in re.sub(r"[^\w ]", "", qtexts) for w in diffs)


def type_finding(a_text: str, b_text: str, verdict: Verdict) -> Finding:
    """Type the difference between two statements and propose a verdict change.

    Args:
        a_text: statement A.
        b_text: statement B.
        verdict: the NLI verdict of the pair.

    Returns:
        A :class:`Finding`. For ``neutral``/``agree`` only raising conflicts are reported;
        the precedence of checks is in the package docstring (:mod:`checker.findings`).
    """
    if verdict not in ("contradiction", "agree", "a_adds", "b_adds", "neutral"):
        raise ValueError(f"verdict must be one of contradiction, agree, a_adds, b_adds, neutral; got {verdict!r}")
    is_contra = verdict == "contradiction"
    full = verdict in ("contradiction", "a_adds", "b_adds")
    near = _token_ratio(a_text, b_text) >= NEAR_IDENTICAL

    def conflict(c: Conflict, raises: bool) -> Finding:
        if not is_contra and raises:
            return Finding(c.type, c.a_spans, c.b_spans, c.evidence, "raise", "contradiction", c.type)
        return Finding(c.type, c.a_spans, c.b_spans, c.evidence, None, None, c.type)

    qa, qb = extract_quantities(a_text), extract_quantities(b_text)
    if nc := _number_conflict(qa, qb, a_text, b_text):
        return conflict(nc, raises=True)
    if rc := _role_conflict(a_text, b_text):
        return conflict(rc, raises=True)
    if (ng := _negation_flip(a_text, b_text)) and (full or near):
        return conflict(ng, raises=near)
    if (dc := _date_conflict(a_text, b_text)) and (full or near):
        return conflict(dc, raises=near)
    if (es := _entity_swap(a_text, b_text)) and (full or es[1] >= NEAR_IDENTICAL):
        return conflict(es[0], raises=es[1] >= NEAR_IDENTICAL)
    if not full:
        return _NONE
    if is_contra and (ds := _different_subjects(qa, qb)):
        return _lowered(ds)
    if ad := _attribution_difference(a_text, b_text):
        if is_contra:
            return _lowered(ad, " (the claim itself is not contradicted)")
        return conflict(ad, raises=False)
    if lc := _location_finding(a_text, b_text):
        return conflict(lc, raises=False)
    if not is_contra:
        return _NONE
    ok = _precise_agreements(qa, qb)
    if ok:
        ev = "numbers agree: " + "; ".join(f"{_fmt_q(x)} ~ {_fmt_q(y)}" for x, y in ok)
        return Finding(
            "number", tuple(x.span for x, _ in ok), tuple(y.span for _, y in ok), ev, "lower", "neutral", "number"
        )
    context = _overlap(_content_tokens(a_text), _content_tokens(b_text))
    if ds := _different_subjects(qa, qb, nouns_too=True, context=context):
        return _lowered(ds)
    if _only_ids_differ(a_text, b_text):
        return Finding(None, (), (), "only ids, times or years-as-labels differ", "lower", "neutral", "ids")
    return _NONE


def _precise_agreements(qa: Sequence[Quantity], qb: Sequence[Quantity]) -> list[tuple[Quantity, Quantity]]:
    """The matched quantity pairs that agree and are precise, written-out figures: only those
    are evidence that the numbers agree ("two men" and "millions" match too much to explain
    away a contradiction)."""
    ok, _ = match_quantities(qa, qb)
    return [
        (x, y)
        for x, y in ok
        if not x.vague
        and not y.vague
        and re.search(r"\d", x.text)
        and re.search(r"\d", y.text)
        and (x.noun or y.noun or x.kind != "count")
    ]


def _verdict_without_contradiction(ab: NliScores, ba: NliScores, entailment_threshold: float) -> Verdict:
    a_e, b_e = ab.entailment >= entailment_threshold, ba.entailment >= entailment_threshold
    if a_e and b_e:
        return "agree"
    if a_e:
        return "a_adds"
    if b_e:
        return "b_adds"
    return "neutral"


def apply_finding(
    lp: LabeledPair, entailment_threshold: float = DEFAULT_ENTAILMENT_THRESHOLD
) -> tuple[LabeledPair, Finding]:
    """One pair with its finding applied; see :func:`apply_findings`."""
    f = type_finding(lp.pair.a.text, lp.pair.b.text, lp.verdict)
    ab, ba = lp.a_to_b, lp.b_to_a
    if f.adjust == "raise":
        # The score stays an NLI probability (the model's contradiction belief, low here);
        # the evidence says a rule decided.
        return replace(
            lp, verdict="contradiction", evidence=f"rule:{f.check}", score=max(ab.contradiction, ba.contradiction)
        ), f
    if f.adjust == "lower":
        new = _verdict_without_contradiction(ab, ba, entailment_threshold)
        score = {"agree": min(ab.entailment, ba.entailment), "a_adds": ab.entailment, "b_adds": ba.entailment}.get(
            new, max(ab.neutral, ba.neutral)
        )
        f = replace(f, verdict=new)
        return replace(lp, verdict=new, evidence=f"rule:{f.check}", score=score), f
    if f.type:
        return replace(lp, evidence=f"{lp.evidence}+{f.type}"), f
    return lp, f


def apply_findings(
    labeled_pairs: Iterable[LabeledPair], entailment_threshold: float = DEFAULT_ENTAILMENT_THRESHOLD
) -> list[tuple[LabeledPair, Finding]]:
    """Run the typed checks on every pair and apply their verdict changes.

    Inputs are not mutated: a pair whose verdict or evidence changes is a new
    :class:`LabeledPair` (``dataclasses.replace``). Its ``score`` stays an NLI probability:
    for a raised pair the larger contradiction probability, for a lowered one the
    probability behind its new verdict.

    ``evidence`` becomes "nli" (no finding), "nli+<type>" (typed, verdict kept) or
    "rule:<check>" (verdict raised or lowered by that check). A raised pair becomes
    ``contradiction``; a lowered one gets the verdict its NLI entailment scores support
    once contradiction is ruled out (agree / a_adds / b_adds / neutral).

    Args:
        labeled_pairs: output of :func:`checker.label.label_pairs`.
        entailment_threshold: used to re-decide a lowered verdict. Defaults to 0.5.

    Returns:
        (pair, finding) in input order.
    """
    return [apply_finding(lp, entailment_threshold) for lp in labeled_pairs]


@dataclass(frozen=True, slots=True)
class FrameComparison:
    """Every typed check's raw answer for one pair, before any verdict gating: the evidence
    the calibrated verdict (:mod:`checker.verdict`) weighs together with the NLI scores."""

    number_conflict: bool = False
    numbers_agree: bool = False
    role_conflict: bool = False
    date_conflict: bool = False
    #: the two differing event dates date one event, named by one word or stem (see
    #: :func:`checker.findings.dates.same_event`)
    date_same_event: bool = False
    negation_flip: bool = False
    entity_swap: bool = False
    attribution_difference: bool = False
    location_difference: bool = False
    different_subjects: bool = False
    token_ratio: float = 0.0


@functools.lru_cache(maxsize=65536)
def compare_frames(a_text: str, b_text: str) -> FrameComparison:
    """Run each typed check on the two texts (pure, memoised)."""
    qa, qb = extract_quantities(a_text), extract_quantities(b_text)
    context = _overlap(_content_tokens(a_text), _content_tokens(b_text))
    date_conflict = _date_conflict(a_text, b_text) is not None
    return FrameComparison(
        number_conflict=_number_conflict(qa, qb, a_text, b_text) is not None,
        numbers_agree=bool(_precise_agreements(qa, qb)),
        role_conflict=_role_conflict(a_text, b_text) is not None,
        date_conflict=date_conflict,
        date_same_event=date_conflict and same_event(a_text, b_text),
        negation_flip=_negation_flip(a_text, b_text) is not None,
        entity_swap=_entity_swap(a_text, b_text) is not None,
        attribution_difference=_attribution_difference(a_text, b_text) is not None,
        location_difference=_location_finding(a_text, b_text) is not None,
        different_subjects=_different_subjects(qa, qb, nouns_too=True, context=context) is not None,
        token_ratio=round(_token_ratio(a_text, b_text), 4),
    )


def finding_to_dict(f: Finding) -> dict:
    """JSON-ready form of a finding for the report."""
    return {
        "type": f.type,
        "check": f.check,
        "adjust": f.adjust,
        "new_verdict": f.verdict,
        "evidence": f.evidence,
        "a_spans": [list(s) for s in f.a_spans],
        "b_spans": [list(s) for s in f.b_spans],
    }


__all__ = [
    "DEFAULT_ENTAILMENT_THRESHOLD",
    "FINDING_TYPES",
    "NEAR_IDENTICAL",
    "Adjust",
    "Conflict",
    "Finding",
    "FindingType",
    "FrameComparison",
    "apply_finding",
    "apply_findings",
    "compare_frames",
    "finding_to_dict",
    "type_finding",
]
