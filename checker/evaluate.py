"""Labeled NLI files -> metrics: the library side of ``newscheck eval``.

Why built so: files are read by :mod:`checker.labeled` (field and label aliases, numeric
labels only through a label map, every skipped row counted); the counts are returned and
reported with the scores.

Scores are computed twice when a calibration is given: ``raw`` (the model's argmax, at the
top level of the result) and ``tuned`` (temperature and contradiction threshold applied), so
a report always shows what the calibration changed. A two-way file is scored on two labels,
the model's neutral and contradiction both counting as not_entailment (see
``checker.metrics``).

A score is only comparable with the model and backend that produced it, so each result can
carry :func:`model_record`; per-example predictions (:func:`prediction_records`) and scores per
value of a field of the labeled rows (:func:`scores_by`, e.g. the ``kind`` of an edit) show
where a model fails, not only how often.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from checker.calibration import Calibration, apply_temperature, predict_labels
from checker.errors import InputError, LabeledDataError
from checker.eval_plots import write_plots  # re-exported: the plots lived here
from checker.labeled import (  # re-exported: the reader lived here
    FIELD_ALIASES,
    LABEL_ALIASES,
    SUFFIXES,
    LabeledRow,
    LabeledSet,
    read_labeled,
)
from checker.metrics import (
    CONTRADICTION,
    NOT_ENTAILMENT,
    THREE_WAY_LABELS,
    TWO_WAY_LABELS,
    accuracy,
    argmax_labels,
    classification_scores,
    confusion_matrix,
    per_class_scores,
    roc_auc,
    to_two_way_labels,
    to_two_way_probs,
)

__all__ = [
    "FIELD_ALIASES",
    "LABEL_ALIASES",
    "RESULT_KEYS",
    "SUFFIXES",
    "TUNED_KEYS",
    "EvalResult",
    "LabeledRow",
    "LabeledSet",
    "evaluate_set",
    "model_record",
    "prediction_records",
    "read_labeled",
    "scores_by",
    "write_plots",
    "write_predictions",
]

#: keys of the dict :func:`evaluate_set` returns (plus ``tuned`` when calibrated).
RESULT_KEYS: tuple[str, ...] = (
    "file",
    "n",
    "accuracy",
    "macro_f1",
    "per_class",
    "confusion",
    "roc_auc_contradiction",
    "ece",
    "skipped",
)
#: keys of ``result["tuned"]``.
TUNED_KEYS: tuple[str, ...] = (
    "accuracy",
    "macro_f1",
    "per_class",
    "confusion",
    "ece",
    "temperature",
    "contradiction_threshold",
)


class EvalResult(dict):
    """The metrics dict of :func:`evaluate_set` (JSON-serialisable as it is), carrying the
    run's non-serialisable data as attributes.

    Attributes:
        seconds: wall time of the NLI predictions.
        probs: ``(n, 3)`` raw probabilities (entailment, neutral, contradiction).
        gold: gold labels of the scored rows, in the file's label set.
        pairs_per_second: ``n / seconds`` (0.0 when no time was measured).
    """

    __slots__ = ("seconds", "probs", "gold")

    def __init__(self, metrics: dict, seconds: float, probs: np.ndarray, gold: list[str]):
        super().__init__(metrics)
        self.seconds = seconds
        self.probs = probs
        self.gold = gold

    @property
    def pairs_per_second(self) -> float:
        return self["n"] / self.seconds if self.seconds > 0 else 0.0


def _scores(gold: list[str], probs3: np.ndarray, pred3: list[str], two_way: bool) -> dict:
    if two_way:
        return classification_scores(gold, to_two_way_labels(pred3), to_two_way_probs(probs3), TWO_WAY_LABELS)
    return classification_scores(gold, pred3, probs3, THREE_WAY_LABELS)


def evaluate_set(
    labeled_set: LabeledSet,
    nli,
    calibration: Calibration | None = None,
    limit: int | None = None,
    progress: Callable[[int], object] | None = None,
) -> EvalResult:
    """Score an NLI model on a labeled set.

    Args:
        labeled_set: from :func:`read_labeled`.
        nli: any object with ``predict(pairs, progress=None) -> (n, 3)`` probabilities in
            (entailment, neutral, contradiction) order, e.g. ``checker.nli.NliModel``.
        calibration: when given, the result also holds ``tuned``: the same scores with the
            calibration's temperature and contradiction threshold applied. Defaults to None.
        limit: score only the first ``limit`` rows. Defaults to None (all rows).
        progress: passed to ``nli.predict``; called with the number of pairs just scored.

    Returns:
        An :class:`EvalResult`: a dict with the keys of :data:`RESULT_KEYS` (raw argmax
        scores), plus ``tuned`` (keys :data:`TUNED_KEYS`) when calibrated. On a two-way file
        the per-class scores and confusion matrix are over entailment/not_entailment, ECE
        uses p(not_entailment) = p(neutral) + p(contradiction), and
        ``roc_auc_contradiction`` is the AUC of not_entailment vs entailment by
        p(neutral) + p(contradiction), the same number as entailment-vs-rest by
        p(entailment). ``roc_auc_contradiction`` is None when gold holds one class only.
        Elapsed seconds, raw probabilities and gold labels are attributes of the result.
    """
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be a positive number of rows, got {limit}")
    rows = labeled_set.rows[:limit] if limit is not None else labeled_set.rows
    if not rows:
        raise LabeledDataError(f"{labeled_set.path} has no labeled rows to score")
    pairs = [(r.premise, r.hypothesis) for r in rows]
    gold = [r.label for r in rows]

    start = time.perf_counter()
    probs = np.asarray(nli.predict(pairs, progress=progress), dtype=np.float64)
    seconds = time.perf_counter() - start
    if probs.shape != (len(pairs), 3):
        raise ValueError(f"nli.predict returned shape {probs.shape}, expected ({len(pairs)}, 3)")

    two_way = labeled_set.two_way
    raw = _scores(gold, probs, argmax_labels(probs, THREE_WAY_LABELS), two_way)
    if two_way:
        auc = roc_auc(gold, probs[:, 1] + probs[:, 2], NOT_ENTAILMENT)
    else:
        auc = roc_auc(gold, probs[:, 2], CONTRADICTION)
    result = {
        "file": str(labeled_set.path),
        "n": len(rows),
        "accuracy": raw["accuracy"],
        "macro_f1": raw["macro_f1"],
        "per_class": raw["per_class"],
        "confusion": raw["confusion"],
        "roc_auc_contradiction": auc,
        "ece": raw["ece"],
        "skipped": dict(labeled_set.skipped),
    }
    if calibration is not None:
        scaled = apply_temperature(probs, calibration.temperature)
        tuned = _scores(gold, scaled, predict_labels(probs, calibration), two_way)
        tuned.update(calibration.to_dict())
        result["tuned"] = {k: tuned[k] for k in TUNED_KEYS}
    return EvalResult(result, seconds=seconds, probs=probs, gold=gold)


def model_record(nli: Any) -> dict[str, str | None]:
    """What scored a file: ``model`` (folder or hub id), ``model_hash`` (the sha256 of a local
    model folder's files, as keys the ONNX cache; None for a hub id) and ``backend``."""
    from checker.model_cache import model_content_hash

    name = str(getattr(nli, "name", type(nli).__name__))
    folder = Path(name).expanduser()
    digest = model_content_hash(folder) if (folder / "config.json").is_file() else None
    backend = getattr(nli, "backend", None)
    return {"model": name, "model_hash": digest, "backend": None if backend is None else str(backend)}


def predicted_labels(result: EvalResult, two_way: bool) -> list[str]:
    """The model's argmax label per scored row, on the file's label set."""
    pred = argmax_labels(result.probs, THREE_WAY_LABELS)
    return to_two_way_labels(pred) if two_way else pred


def prediction_records(
    labeled_set: LabeledSet, result: EvalResult, calibration: Calibration | None = None
) -> list[dict]:
    """One JSON-ready record per scored row: the texts, gold and predicted label, the three
    probabilities, the calibrated prediction when ``calibration`` is given, and the row's
    other fields (``fields``: id, kind, ...)."""
    pred = predicted_labels(result, labeled_set.two_way)
    tuned = predict_labels(result.probs, calibration) if calibration is not None else None
    if tuned is not None and labeled_set.two_way:
        tuned = to_two_way_labels(tuned)
    out = []
    for i, (row, probs) in enumerate(zip(labeled_set.rows, result.probs)):
        rec: dict[str, Any] = {
            "file": result["file"],
            "index": i,
            "premise": row.premise,
            "hypothesis": row.hypothesis,
            "gold": row.label,
            "predicted": pred[i],
            "correct": pred[i] == row.label,
            "probs": {label: round(float(x), 4) for label, x in zip(THREE_WAY_LABELS, probs)},
        }
        if tuned is not None:
            rec["tuned_predicted"] = tuned[i]
        rec["fields"] = dict(row.extra)
        out.append(rec)
    return out


#: the group of rows that lack the field ``--by`` names
NO_VALUE = "(none)"


def scores_by(
    values: Sequence[str | None], gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]
) -> dict[str, dict]:
    """Scores per value of a field: ``{value: {n, accuracy, per_class, confusion}}``, values in
    sorted order, rows without the field under :data:`NO_VALUE`. No macro-F1: a group rarely
    holds every class, and a class without support would count as F1 0."""
    keys = [NO_VALUE if v is None else v for v in values]
    out = {}
    for value in sorted(set(keys)):
        idx = [i for i, k in enumerate(keys) if k == value]
        g, p = [gold[i] for i in idx], [pred[i] for i in idx]
        out[value] = {
            "n": len(idx),
            "accuracy": accuracy(g, p),
            "per_class": per_class_scores(g, p, labels),
            "confusion": {"labels": list(labels), "matrix": confusion_matrix(g, p, labels).tolist()},
        }
    return out


def field_values(labeled_set: LabeledSet, field: str, n: int) -> list[str | None]:
    """The value of ``field`` in each of the first ``n`` rows.

    Raises:
        LabeledDataError: no row has the field.
    """
    values = [row.extra.get(field) for row in labeled_set.rows[:n]]
    if all(v is None for v in values):
        raise LabeledDataError(f"{labeled_set.path} has no {field!r} field to break the scores down by")
    return values


def write_predictions(records: Sequence[Mapping], path: str | Path, overwrite: bool = False) -> Path:
    """Write prediction records as JSON lines.

    Raises:
        InputError: the file exists and ``overwrite`` is False, or it cannot be written.
    """
    out = Path(path)
    if out.exists() and not overwrite:
        raise InputError(f"{out} already exists; pass --force to overwrite it")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out
