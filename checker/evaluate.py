"""Labeled NLI files -> metrics: the library side of ``newscheck eval``.

Why built so: public NLI sets come in several shapes (SNLI/MNLI JSONL with
``sentence1``/``sentence2``/``gold_label``, GLUE TSV, RTE-style two-way files, CSV exports
with numeric labels), and a silently mis-read label scheme gives plausible but meaningless
scores. So the reader accepts a fixed list of field and label aliases, refuses numeric
labels unless the caller says what they mean, and never drops a row without counting the
reason; the counts are returned and reported with the scores.

Scores are computed twice when a calibration is given: ``raw`` (the model's argmax, at the
top level of the result) and ``tuned`` (temperature and contradiction threshold applied), so
a report always shows what the calibration changed. A two-way file is scored on two labels,
the model's neutral and contradiction both counting as not_entailment (see
``checker.metrics``).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from checker.calibration import Calibration, apply_temperature, predict_labels
from checker.errors import InputError, LabeledDataError
from checker.metrics import (
    CONTRADICTION,
    ENTAILMENT,
    NEUTRAL,
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

#: file name endings the reader understands.
SUFFIXES: tuple[str, ...] = (".jsonl.gz", ".jsonl", ".csv", ".tsv")
#: accepted field names, canonical name first.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "premise": ("premise", "sentence1"),
    "hypothesis": ("hypothesis", "sentence2"),
    "label": ("label", "gold_label"),
}
#: accepted label spellings (compared lower-cased and stripped) -> canonical label.
LABEL_ALIASES: dict[str, str] = {
    "entailment": ENTAILMENT,
    "e": ENTAILMENT,
    "neutral": NEUTRAL,
    "n": NEUTRAL,
    "contradiction": CONTRADICTION,
    "c": CONTRADICTION,
    "not_entailment": NOT_ENTAILMENT,
    "non-entailment": NOT_ENTAILMENT,
}
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

_NUMERIC = re.compile(r"^[+-]?\d+(\.\d*)?$")


@dataclass(frozen=True, slots=True)
class LabeledRow:
    """One labeled pair; ``label`` is canonical (three-way or two-way)."""

    premise: str
    hypothesis: str
    label: str


@dataclass(frozen=True, slots=True)
class LabeledSet:
    """The usable rows of one labeled file and why the other rows were skipped.

    Attributes:
        path: the file read.
        rows: usable rows, in file order.
        two_way: True when every label is entailment or not_entailment (and at least one
            is not_entailment).
        skipped: number of skipped rows per reason, e.g. ``{"missing label": 2}``.
    """

    path: Path
    rows: list[LabeledRow]
    two_way: bool
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        """The label set the file is scored on."""
        return TWO_WAY_LABELS if self.two_way else THREE_WAY_LABELS


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


def _suffix(path: Path) -> str | None:
    name = path.name.lower()
    return next((s for s in SUFFIXES if name.endswith(s)), None)


def _read_text(path: Path, suffix: str) -> str:
    try:
        if suffix == ".jsonl.gz":
            with gzip.open(path, "rb") as fh:
                data = fh.read()
        else:
            data = path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (bad byte at offset {exc.start})") from None


def _jsonl_records(text: str, skipped: Counter) -> Iterator[Mapping]:
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            skipped["bad JSON line"] += 1
            continue
        if not isinstance(record, dict):
            skipped["JSON line is not an object"] += 1
            continue
        yield record


def _table_records(text: str, path: Path, delimiter: str) -> Iterator[Mapping]:
    # GLUE/MNLI TSV files hold unbalanced quotes inside sentences: read them literally
    quoting = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        return
    missing = [name for name, aliases in FIELD_ALIASES.items() if not any(a in header for a in aliases)]
    if missing:
        wanted = ", ".join("/".join(FIELD_ALIASES[m]) for m in missing)
        raise LabeledDataError(f"{path} has no {wanted} column (columns: {', '.join(header)})")
    reader.fieldnames = header
    yield from reader


def _field(record: Mapping, name: str):
    for alias in FIELD_ALIASES[name]:
        value = record.get(alias)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value
    return None


def _is_numeric(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value.strip()))


def _canonical_label_map(label_map: Mapping[str, str] | None) -> dict[str, str]:
    if label_map is None:
        return {}
    out = {}
    for key, value in label_map.items():
        canon = LABEL_ALIASES.get(str(value).strip().lower())
        if canon is None:
            raise LabeledDataError(
                f"label map value {value!r} for {key!r} is not a label; use one of "
                f"{', '.join(THREE_WAY_LABELS + (NOT_ENTAILMENT,))}"
            )
        out[str(key).strip()] = canon
    return out


def _raw_label_key(value) -> str:
    # JSON 1 and 1.0 and CSV "1" all look up the label map key "1"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_labeled(path: str | Path, label_map: Mapping[str, str] | None = None) -> LabeledSet:
    """Read labeled pairs from a ``.jsonl``, ``.jsonl.gz``, ``.csv`` or ``.tsv`` file.

    Fields: ``premise`` (or ``sentence1``), ``hypothesis`` (or ``sentence2``), ``label`` (or
    ``gold_label``). Labels: entailment / neutral / contradiction, e / n / c, or
    entailment / not_entailment (also spelled non-entailment, as in HANS): a two-way file,
    detected when every usable label is one of those two and at least one is
    not_entailment. Case and surrounding spaces are ignored.
    Numeric labels are only read through ``label_map``.

    Rows with a missing field or an unknown label are skipped and counted per reason; so
    are JSONL lines that are not valid JSON objects.

    Args:
        path: the file.
        label_map: raw label -> label name, e.g. ``{"0": "entailment", "1": "neutral",
            "2": "contradiction"}``; applied before the usual spellings. Defaults to None.

    Raises:
        InputError: the file is missing, has an unknown extension, cannot be decompressed or
            is not UTF-8.
        LabeledDataError: numeric labels without ``label_map``, a CSV/TSV header lacking a
            field, two-way and three-way labels mixed, or no usable row.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(f"labeled file does not exist: {path}")
    if not p.is_file():
        raise InputError(f"not a file: {path}")
    suffix = _suffix(p)
    if suffix is None:
        raise InputError(f"unknown labeled file type: {p.name} (expected {', '.join(SUFFIXES)})")
    mapping = _canonical_label_map(label_map)
    text = _read_text(p, suffix)

    skipped: Counter = Counter()
    if suffix in (".jsonl", ".jsonl.gz"):
        records = _jsonl_records(text, skipped)
    else:
        records = _table_records(text, p, "\t" if suffix == ".tsv" else ",")

    rows: list[LabeledRow] = []
    for record in records:
        premise, hypothesis, raw = (_field(record, k) for k in ("premise", "hypothesis", "label"))
        if premise is None or hypothesis is None or raw is None:
            missing = [k for k, v in (("premise", premise), ("hypothesis", hypothesis), ("label", raw)) if v is None]
            skipped[f"missing {' and '.join(missing)}"] += 1
            continue
        if not isinstance(premise, str) or not isinstance(hypothesis, str):
            skipped["premise or hypothesis is not text"] += 1
            continue
        key = _raw_label_key(raw)
        label = mapping.get(key)
        if label is None and _is_numeric(raw):
            if not mapping:
                raise LabeledDataError(
                    f"{p} has numeric labels (e.g. {key!r}): pass --label-map, e.g. "
                    '\'{"0": "entailment", "1": "neutral", "2": "contradiction"}\''
                )
            skipped[f"label {key!r} not in the label map"] += 1
            continue
        if label is None:
            label = LABEL_ALIASES.get(key.lower()) if isinstance(raw, str) else None
        if label is None:
            skipped[f"unknown label {key!r}"] += 1
            continue
        rows.append(LabeledRow(premise.strip(), hypothesis.strip(), label))

    found = {r.label for r in rows}
    two_way = NOT_ENTAILMENT in found
    if two_way and found & {NEUTRAL, CONTRADICTION}:
        raise LabeledDataError(f"{p} mixes two-way (not_entailment) and three-way (neutral/contradiction) labels")
    if not rows:
        why = "; ".join(f"{reason}: {n}" for reason, n in sorted(skipped.items()))
        raise LabeledDataError(f"{p} has no usable labeled row" + (f" ({why})" if why else ""))
    return LabeledSet(path=p, rows=rows, two_way=two_way, skipped=dict(sorted(skipped.items())))


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
    suffix = _suffix(Path(name))
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
