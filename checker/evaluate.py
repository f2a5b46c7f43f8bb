"""Labeled NLI files -> metrics: the library side of ``newscheck eval``.

Why built so: files are read by :mod:`checker.labeled` (field and label aliases, numeric
labels only through a label map, every skipped row counted); the counts are returned and
reported with the scores.

Scores are computed twice when a calibration is given: ``raw`` (the model's argmax, at the
top level of the result) and ``tuned`` (temperature and contradiction threshold applied), so
a report always shows what the calibration changed. A two-way file is scored on two labels,
the model's neutral and contradiction both counting as not_entailment (see
``checker.metrics``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np

from checker.calibration import Calibration, apply_temperature, predict_labels
from checker.errors import InputError, LabeledDataError
from checker.labeled import (  # re-exported: the reader lived here
    FIELD_ALIASES,
    LABEL_ALIASES,
    SUFFIXES,
    LabeledRow,
    LabeledSet,
    file_suffix,
    read_labeled,
)
from checker.metrics import (
    CONTRADICTION,
    NOT_ENTAILMENT,
    THREE_WAY_LABELS,
    TWO_WAY_LABELS,
    argmax_labels,
    classification_scores,
    confidence_of,
    reliability_bins,
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
    "read_labeled",
    "write_plots",
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


def _stem(file: str) -> str:
    name = Path(file).name
    suffix = file_suffix(Path(name))
    return name[: -len(suffix)] if suffix else Path(name).stem


def write_plots(result: Mapping, probs, gold: Sequence[str], out_dir: str | Path) -> list[Path]:
    """Write a confusion-matrix heat map and a reliability diagram as PNG files.

    Files: ``<stem>_confusion.png`` and ``<stem>_reliability.png`` in ``out_dir`` (created
    if missing), ``<stem>`` being the labeled file's name without its extension. Both plots
    show the raw (uncalibrated) predictions, on the label set of ``result["confusion"]``.

    Args:
        result: a dict from :func:`evaluate_set`.
        probs: its ``(n, 3)`` raw probabilities (``result.probs``).
        gold: its gold labels (``result.gold``).
        out_dir: output folder.

    Returns:
        The two paths written.
    """
    # the object-oriented API with an explicit Agg canvas: no pyplot, no global backend
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = list(result["confusion"]["labels"])
    matrix = np.asarray(result["confusion"]["matrix"])
    probs3 = np.asarray(probs, dtype=np.float64)
    if tuple(labels) == TWO_WAY_LABELS:
        pred = to_two_way_labels(argmax_labels(probs3, THREE_WAY_LABELS))
        probs_k = to_two_way_probs(probs3)
    else:
        pred = argmax_labels(probs3, labels)
        probs_k = probs3
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} labels but probs has {len(pred)} rows")
    conf = np.clip(confidence_of(probs_k, pred, labels), 0.0, 1.0)
    correct = np.array([g == p for g, p in zip(gold, pred)], dtype=np.float64)
    bins = reliability_bins(conf, correct)

    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create plot folder {out}: {exc}") from None
    stem = _stem(str(result["file"]))

    fig = Figure(figsize=(4.8, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    image = ax.imshow(matrix, cmap="Blues")
    fig.colorbar(image, ax=ax)
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"{stem}: confusion (n={int(matrix.sum())})")
    high = matrix.max() if matrix.size else 0
    for i in range(matrix.shape[0]):
        for j in range(matrix.shape[1]):
            ax.text(
                j,
                i,
                str(int(matrix[i, j])),
                ha="center",
                va="center",
                color="white" if high and matrix[i, j] > high / 2 else "black",
            )
    confusion_path = out / f"{stem}_confusion.png"
    fig.savefig(confusion_path, dpi=120)

    fig = Figure(figsize=(4.8, 4.2), layout="constrained")
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    edges = bins["edges"]
    centers = (edges[:-1] + edges[1:]) / 2
    filled = bins["count"] > 0
    widths = np.diff(edges)[filled]
    acc, mean_conf = bins["accuracy"][filled], bins["confidence"][filled]
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey", label="perfect calibration")
    ax.bar(centers[filled], acc, width=widths, edgecolor="black", color="tab:blue", alpha=0.8, label="accuracy")
    # the gap between accuracy and mean confidence of each bin: what ECE averages
    ax.bar(
        centers[filled],
        np.abs(mean_conf - acc),
        bottom=np.minimum(acc, mean_conf),
        width=widths,
        edgecolor="darkred",
        color="tab:red",
        alpha=0.3,
        hatch="//",
        label="gap to mean confidence",
    )
    for x, y, n in zip(centers[filled], np.maximum(acc, mean_conf), bins["count"][filled]):
        ax.text(x, min(y + 0.02, 0.95), str(int(n)), ha="center", fontsize=7)
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("confidence of the predicted label")
    ax.set_ylabel("accuracy")
    ece = result.get("ece")
    ax.set_title(f"{stem}: reliability" + (f" (ECE {ece:.3f})" if ece is not None else ""))
    ax.legend(loc="upper left")
    reliability_path = out / f"{stem}_reliability.png"
    fig.savefig(reliability_path, dpi=120)
    return [confusion_path, reliability_path]
