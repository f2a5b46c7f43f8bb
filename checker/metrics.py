"""Evaluation metrics for NLI predictions: pure functions of gold labels, predicted labels
and predicted probabilities.

Why built so: ``newscheck eval`` scores three-way files (entailment / neutral /
contradiction) and two-way files (entailment / not_entailment) with the same code, so every
function takes the label set as a parameter and fixes the order of its output by it. No
I/O, no prints, no globals; numpy only, so importing this module is cheap (scikit-learn is
used in the tests as an independent cross-check, not here).

Conventions:

* Labels are strings; ``labels`` fixes the order of every per-class output, the columns of
  ``probs`` and the rows/columns of the confusion matrix (rows gold, columns predicted).
* A ratio whose denominator is zero (precision of a class never predicted, recall of a
  class absent from gold, F1 when both are zero) is 0.0, as scikit-learn's
  ``zero_division=0``. Macro-F1 averages over *every* label of ``labels``, so a class absent
  from both gold and predictions counts as F1 0.0 (scikit-learn with ``labels=`` given).
* Two-way scoring: a three-way prediction is collapsed with :func:`to_two_way_labels`
  (neutral and contradiction become not_entailment) and :func:`to_two_way_probs`
  (p(not_entailment) = p(neutral) + p(contradiction)).

What this module deliberately does not do: choose thresholds or temperatures (see
``checker.calibration``), read files (``checker.evaluate``), or average over anything but
the listed labels (no micro/weighted averages).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

ENTAILMENT = "entailment"
NEUTRAL = "neutral"
CONTRADICTION = "contradiction"
NOT_ENTAILMENT = "not_entailment"

#: three-way label set, in the column order of every NLI probability array.
THREE_WAY_LABELS: tuple[str, ...] = (ENTAILMENT, NEUTRAL, CONTRADICTION)
#: two-way (RTE-style) label set.
TWO_WAY_LABELS: tuple[str, ...] = (ENTAILMENT, NOT_ENTAILMENT)
#: number of equal-width confidence bins of :func:`expected_calibration_error`.
ECE_BINS = 10


def _check_labels(values: Sequence[str], labels: Sequence[str], what: str) -> None:
    allowed = set(labels)
    unknown = sorted({str(v) for v in values if v not in allowed})
    if unknown:
        raise ValueError(f"{what} label(s) {unknown} not in the label set {list(labels)}")


def _check_pair(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> None:
    if len(labels) < 2 or len(set(labels)) != len(labels):
        raise ValueError(f"labels must be at least two distinct names, got {list(labels)}")
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} labels but pred has {len(pred)}")
    if len(gold) == 0:
        raise ValueError("no labels to score (gold and pred are empty)")
    _check_labels(gold, labels, "gold")
    _check_labels(pred, labels, "predicted")


def _check_probs(probs, n: int, k: int) -> np.ndarray:
    arr = np.asarray(probs, dtype=np.float64)
    if arr.ndim != 2 or arr.shape != (n, k):
        raise ValueError(f"probs must have shape ({n}, {k}), got {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError("probs must be finite and non-negative")
    return arr


def _ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den else 0.0


def to_two_way_labels(labels: Sequence[str]) -> list[str]:
    """Collapse three-way labels: neutral and contradiction become not_entailment.

    Labels that are already two-way pass through unchanged.

    Raises:
        ValueError: a label that is neither three-way nor two-way.
    """
    allowed = set(THREE_WAY_LABELS) | set(TWO_WAY_LABELS)
    _check_labels(labels, tuple(allowed), "NLI")
    return [ENTAILMENT if lab == ENTAILMENT else NOT_ENTAILMENT for lab in labels]


def to_two_way_probs(probs) -> np.ndarray:
    """``(n, 2)`` array (p(entailment), p(neutral) + p(contradiction)) from ``(n, 3)`` probs."""
    arr = np.asarray(probs, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ValueError(f"three-way probs must have shape (n, 3), got {arr.shape}")
    return np.stack([arr[:, 0], arr[:, 1] + arr[:, 2]], axis=1)


def argmax_labels(probs, labels: Sequence[str]) -> list[str]:
    """The label of the highest column of each row (first column wins a tie)."""
    arr = np.asarray(probs, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != len(labels):
        raise ValueError(f"probs must have shape (n, {len(labels)}), got {arr.shape}")
    return [labels[i] for i in np.argmax(arr, axis=1)]


def accuracy(gold: Sequence[str], pred: Sequence[str]) -> float:
    """Fraction of rows whose predicted label equals the gold label.

    Raises:
        ValueError: different lengths or no rows.
    """
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} labels but pred has {len(pred)}")
    if len(gold) == 0:
        raise ValueError("no labels to score (gold and pred are empty)")
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)


def confusion_matrix(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """Counts ``(k, k)``: row = gold label, column = predicted label, both in ``labels`` order.

    Raises:
        ValueError: different lengths, no rows, or a label outside ``labels``.
    """
    _check_pair(gold, pred, labels)
    index = {lab: i for i, lab in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for g, p in zip(gold, pred):
        matrix[index[g], index[p]] += 1
    return matrix


def per_class_scores(
    gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]
) -> dict[str, dict[str, float | int]]:
    """Precision, recall, F1 and support of each label, zero division giving 0.0.

    Returns:
        ``{label: {"precision", "recall", "f1", "support"}}`` in ``labels`` order; support
        is the number of gold rows with that label.
    """
    matrix = confusion_matrix(gold, pred, labels)
    out: dict[str, dict[str, float | int]] = {}
    for i, lab in enumerate(labels):
        tp = matrix[i, i]
        precision = _ratio(tp, matrix[:, i].sum())
        recall = _ratio(tp, matrix[i, :].sum())
        f1 = _ratio(2 * precision * recall, precision + recall)
        out[lab] = {"precision": precision, "recall": recall, "f1": f1, "support": int(matrix[i, :].sum())}
    return out


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> float:
    """Unweighted mean of the per-class F1 over every label in ``labels``."""
    scores = per_class_scores(gold, pred, labels)
    return float(np.mean([s["f1"] for s in scores.values()]))


def roc_auc(gold: Sequence[str], scores, positive: str) -> float | None:
    """Area under the ROC curve of ``positive``-vs-rest ranked by ``scores``.

    Computed as the Mann-Whitney statistic: the probability that a random positive row
    scores higher than a random negative row, ties counting one half (identical to
    scikit-learn's ``roc_auc_score``).

    Returns:
        The AUC, or None when gold holds only positives or only negatives (undefined).
    """
    s = np.asarray(scores, dtype=np.float64)
    if s.ndim != 1 or len(s) != len(gold):
        raise ValueError(f"scores must be a vector of {len(gold)} values, got shape {s.shape}")
    if not np.all(np.isfinite(s)):
        raise ValueError("scores must be finite")
    is_pos = np.array([g == positive for g in gold], dtype=bool)
    n_pos = int(is_pos.sum())
    n_neg = len(is_pos) - n_pos
    if n_pos == 0 or n_neg == 0:
        return None
    # average ranks (1-based) so that tied scores share their rank
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    ranks = np.empty(len(s), dtype=np.float64)
    start = 0
    while start < len(s):
        end = start
        while end + 1 < len(s) and sorted_s[end + 1] == sorted_s[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    u = ranks[is_pos].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


def reliability_bins(confidence, correct, n_bins: int = ECE_BINS) -> dict[str, np.ndarray]:
    """Rows grouped by confidence into ``n_bins`` equal-width bins over [0, 1].

    Bin ``k`` holds confidences in ``(k/n_bins, (k+1)/n_bins]``; the first bin also holds 0.

    Returns:
        ``{"edges": (n_bins+1,), "count": (n_bins,), "confidence": (n_bins,),
        "accuracy": (n_bins,)}``; mean confidence and accuracy are 0.0 in an empty bin.
    """
    conf = np.asarray(confidence, dtype=np.float64)
    ok = np.asarray(correct, dtype=np.float64)
    if n_bins < 1:
        raise ValueError(f"n_bins must be at least 1, got {n_bins}")
    if conf.ndim != 1 or conf.shape != ok.shape:
        raise ValueError("confidence and correct must be vectors of the same length")
    if np.any(~np.isfinite(conf)) or np.any(conf < 0) or np.any(conf > 1):
        raise ValueError("confidence values must lie in [0, 1]")
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.clip(np.searchsorted(edges, conf, side="left") - 1, 0, n_bins - 1)
    count = np.bincount(idx, minlength=n_bins).astype(np.int64)
    conf_sum = np.bincount(idx, weights=conf, minlength=n_bins)
    ok_sum = np.bincount(idx, weights=ok, minlength=n_bins)
    nonzero = np.maximum(count, 1)
    return {
        "edges": edges,
        "count": count,
        "confidence": np.where(count > 0, conf_sum / nonzero, 0.0),
        "accuracy": np.where(count > 0, ok_sum / nonzero, 0.0),
    }


def confidence_of(probs, pred: Sequence[str], labels: Sequence[str]) -> np.ndarray:
    """Probability each row gives to its predicted label (columns in ``labels`` order)."""
    arr = _check_probs(probs, len(pred), len(labels))
    _check_labels(pred, labels, "predicted")
    index = {lab: i for i, lab in enumerate(labels)}
    cols = np.array([index[p] for p in pred], dtype=np.int64)
    return arr[np.arange(len(pred)), cols]


def expected_calibration_error(
    gold: Sequence[str], probs, labels: Sequence[str], pred: Sequence[str] | None = None, n_bins: int = ECE_BINS
) -> float:
    """Expected calibration error of the confidence of the predicted label.

    Definition: each row's confidence is the probability it gives to its predicted label;
    rows are put into ``n_bins`` equal-width bins over [0, 1] (see
    :func:`reliability_bins`), and

        ECE = sum over bins b of (|b| / n) * |accuracy(b) - mean confidence(b)|

    where accuracy(b) is the fraction of rows in b whose prediction equals gold.

    Args:
        gold: gold labels.
        probs: ``(n, len(labels))`` probabilities, columns in ``labels`` order.
        labels: the label set.
        pred: predicted labels. Defaults to the argmax of ``probs``.
        n_bins: number of bins. Defaults to 10.
    """
    if pred is None:
        pred = argmax_labels(_check_probs(probs, len(gold), len(labels)), labels)
    _check_pair(gold, pred, labels)
    conf = np.clip(confidence_of(probs, pred, labels), 0.0, 1.0)
    correct = np.array([g == p for g, p in zip(gold, pred)], dtype=np.float64)
    bins = reliability_bins(conf, correct, n_bins)
    weights = bins["count"] / len(gold)
    return float(np.sum(weights * np.abs(bins["accuracy"] - bins["confidence"])))


def classification_scores(gold: Sequence[str], pred: Sequence[str], probs, labels: Sequence[str]) -> dict:
    """Accuracy, macro-F1, per-class scores, confusion matrix and ECE in one dict.

    Args:
        gold: gold labels.
        pred: predicted labels.
        probs: ``(n, len(labels))`` probabilities, columns in ``labels`` order; ECE uses the
            probability of ``pred``.
        labels: the label set fixing every order.

    Returns:
        ``{"accuracy", "macro_f1", "per_class", "confusion": {"labels", "matrix"}, "ece"}``
        with plain Python numbers (JSON-serialisable).
    """
    matrix = confusion_matrix(gold, pred, labels)
    per_class = per_class_scores(gold, pred, labels)
    return {
        "accuracy": accuracy(gold, pred),
        "macro_f1": float(np.mean([s["f1"] for s in per_class.values()])),
        "per_class": per_class,
        "confusion": {"labels": list(labels), "matrix": matrix.tolist()},
        "ece": expected_calibration_error(gold, probs, labels, pred=pred),
    }
