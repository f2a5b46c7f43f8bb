"""Label: candidate pairs -> NLI scores in both directions and one verdict per pair.

Why built so: entailment is directional. "Hassan claims 12,000 fighters and spent $1.5m"
entails "Hassan claims 12,000 fighters" but not the reverse; scoring A→B and B→A in one
batched call tells an agreement (both entail) from one outlet adding a detail (one
direction entails) at no extra model load. A contradiction in either direction is a
contradiction: outlets do not choose which of them is the premise.

The verdict rule (pure, see :func:`verdict`):
1. ``contradiction`` when max(P(c|A→B), P(c|B→A)) >= the contradiction threshold;
2. ``agree`` when both directions entail (P(e) >= the entailment threshold);
3. ``a_adds`` when only A→B entails (A says everything B says, and more), ``b_adds``
   for the reverse;
4. ``neutral`` otherwise.
The score is the probability that decided the verdict.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from checker.defaults import CONTRADICTION_THRESHOLD, ENTAILMENT_THRESHOLD
from checker.long_inputs import predict_windowed
from checker.types import CandidatePair, LabeledPair, NliScores, Verdict

if TYPE_CHECKING:
    from checker.verdict import VerdictCalibration

DEFAULT_CONTRADICTION_THRESHOLD = CONTRADICTION_THRESHOLD
DEFAULT_ENTAILMENT_THRESHOLD = ENTAILMENT_THRESHOLD


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Decision thresholds; the contradiction one may come from a tuned calibration."""

    contradiction: float = DEFAULT_CONTRADICTION_THRESHOLD
    entailment: float = DEFAULT_ENTAILMENT_THRESHOLD
    #: the calibrated verdict that replaces this rule in audits (checker.verdict), when fitted
    verdict: VerdictCalibration | None = None

    def __post_init__(self):
        for name in ("contradiction", "entailment"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ValueError(f"{name} threshold must be in (0, 1], got {value}")


def verdict(ab: NliScores, ba: NliScores, th: Thresholds = Thresholds()) -> tuple[Verdict, float]:
    """The verdict for one pair and the probability that decided it."""
    contra = max(ab.contradiction, ba.contradiction)
    if contra >= th.contradiction:
        return "contradiction", contra
    return directional(ab, ba, th.entailment)


def directional(ab: NliScores, ba: NliScores, threshold: float) -> tuple[Verdict, float]:
    """agree / a_adds / b_adds / neutral from the entailment scores alone (steps 2-4 of the
    rule above), and the probability that decided it."""
    a_entails_b = ab.entailment >= threshold
    b_entails_a = ba.entailment >= threshold
    if a_entails_b and b_entails_a:
        return "agree", min(ab.entailment, ba.entailment)
    if a_entails_b:
        return "a_adds", ab.entailment
    if b_entails_a:
        return "b_adds", ba.entailment
    return "neutral", max(ab.neutral, ba.neutral)


def label_pairs(
    pairs: Sequence[CandidatePair],
    predict: Callable[[list[tuple[str, str]]], np.ndarray],
    thresholds: Thresholds = Thresholds(),
    count_tokens: Callable[[str], int] | None = None,
    max_length: int = 256,
) -> list[LabeledPair]:
    """Score every pair in both directions with one call to ``predict`` and decide verdicts.

    Args:
        pairs: candidate pairs.
        predict: maps (premise, hypothesis) texts to ``(n, 3)`` probabilities in
            (entailment, neutral, contradiction) order, e.g. ``NliModel.predict``.
        thresholds: decision thresholds. Defaults to 0.5 / 0.5.
        count_tokens: the NLI model's token count of a text; with it, a premise too long for
            ``max_length`` is scored in windows (:mod:`checker.long_inputs`) and the pair's
            ``long_input`` says so. Defaults to None (the model truncates).
        max_length: the NLI model's limit for premise + hypothesis. Defaults to 256.
    """
    if not pairs:
        return []
    texts = [(p.a.text, p.b.text) for p in pairs] + [(p.b.text, p.a.text) for p in pairs]
    probs, notes = predict_windowed(predict, texts, count_tokens, max_length)
    if probs.shape != (len(texts), 3):
        raise ValueError(f"predict returned shape {probs.shape}, expected {(len(texts), 3)}")
    n = len(pairs)
    out = []
    for i, p in enumerate(pairs):
        ab, ba = NliScores.from_probs(probs[i]), NliScores.from_probs(probs[n + i])
        v, score = verdict(ab, ba, thresholds)
        long_input = "; ".join(f"{d}: {notes[j]}" for d, j in (("A→B", i), ("B→A", n + i)) if j in notes) or None
        out.append(LabeledPair(p, ab, ba, v, round(score, 4), long_input=long_input))
    return out
