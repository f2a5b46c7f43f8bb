"""Plots of a ``newscheck eval`` result: a confusion-matrix heat map and a reliability diagram.

Why apart from :mod:`checker.evaluate`: matplotlib is only needed for ``--plots``; the scores
themselves need none of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from checker.errors import InputError
from checker.labeled import file_suffix
from checker.metrics import (
    THREE_WAY_LABELS,
    TWO_WAY_LABELS,
    argmax_labels,
    confidence_of,
    reliability_bins,
    to_two_way_labels,
    to_two_way_probs,
)


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
