"""Checking a fast NLI build against the PyTorch fp32 model on labelled dev sets.

Why built so: a faster graph is only worth having if it gives the same answers. Every build
is compared with PyTorch fp32 on a labelled dev set (XNLI English dev) and the result is
written beside it (``validation.json``). ``backend="auto"`` uses a build only when that
record says it agrees with fp32 on at least :data:`MIN_AGREEMENT` of the pairs and its
accuracy is within :data:`MAX_ACCURACY_DROP` of fp32's, on at least
:data:`MIN_VALIDATION_ROWS` pairs; further dev sets (the demo-corpus labeled pairs) must
pass the same rule without the row minimum.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from checker.model_cache import EXPORT_VERSION, ONNX_FILE, VALIDATION_FILE, model_content_hash
from checker.nli import NLI_LABELS

if TYPE_CHECKING:
    from checker.onnx_runtime import OnnxNliModel

#: a fast build is trusted when it agrees with fp32 on at least this share of dev pairs...
MIN_AGREEMENT = 0.98
#: ...and its dev accuracy is at most this far (absolute, 0.005 = 0.5 point) from fp32's...
MAX_ACCURACY_DROP = 0.005
#: ...measured on at least this many pairs (XNLI en dev has 2,490).
MIN_VALIDATION_ROWS = 1000


@dataclass(frozen=True, slots=True)
class Validation:
    """How a fast build compares with the PyTorch fp32 model on a labelled dev set."""

    dataset: str
    rows: int
    agreement: float
    accuracy_reference: float
    accuracy_fast: float
    max_abs_prob_diff: float
    mean_abs_prob_diff: float

    @property
    def passed(self) -> bool:
        return (
            self.rows >= MIN_VALIDATION_ROWS
            and self.agreement >= MIN_AGREEMENT
            and self.accuracy_reference - self.accuracy_fast <= MAX_ACCURACY_DROP + 1e-9
        )

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "rows": self.rows,
            "agreement": self.agreement,
            "accuracy_reference": self.accuracy_reference,
            "accuracy_fast": self.accuracy_fast,
            "max_abs_prob_diff": self.max_abs_prob_diff,
            "mean_abs_prob_diff": self.mean_abs_prob_diff,
            "passed": self.passed,
            "rule": {
                "min_agreement": MIN_AGREEMENT,
                "max_accuracy_drop": MAX_ACCURACY_DROP,
                "min_rows": MIN_VALIDATION_ROWS,
            },
        }


def compare_predictions(reference: np.ndarray, fast: np.ndarray, gold: Sequence[str], dataset: str = "") -> Validation:
    """Pure: agreement and accuracies of two ``(n, 3)`` probability arrays against gold labels.

    Args:
        reference: fp32 PyTorch probabilities in (entailment, neutral, contradiction) order.
        fast: the fast backend's probabilities, same rows.
        gold: one of :data:`checker.nli.NLI_LABELS` per row.
        dataset: name recorded in the result.
    """
    reference = np.asarray(reference, dtype=np.float64)
    fast = np.asarray(fast, dtype=np.float64)
    if reference.shape != fast.shape or reference.ndim != 2 or reference.shape[1] != 3 or len(gold) != len(reference):
        raise ValueError("reference, fast and gold must have the same number of rows of 3 probabilities")
    n = len(gold)
    if n == 0:
        return Validation(dataset, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
    unknown = set(gold) - set(NLI_LABELS)
    if unknown:
        raise ValueError(f"gold labels must be among {NLI_LABELS}, got {sorted(unknown)}")
    gold_idx = np.array([NLI_LABELS.index(g) for g in gold])
    ref_arg, fast_arg = reference.argmax(1), fast.argmax(1)
    diff = np.abs(reference - fast)
    return Validation(
        dataset,
        n,
        float((ref_arg == fast_arg).mean()),
        float((ref_arg == gold_idx).mean()),
        float((fast_arg == gold_idx).mean()),
        float(diff.max()),
        float(diff.mean()),
    )


def read_nli_jsonl(path: str | Path, limit: int | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """(pairs, gold labels) of a three-way labeled file, read by :func:`checker.labeled.read_labeled`
    (so a bad file gives the same clear error as ``newscheck eval``).

    Raises:
        LabeledDataError: a two-way file (agreement needs the three labels) or no usable row.
    """
    from checker.errors import LabeledDataError
    from checker.labeled import read_labeled

    labeled = read_labeled(path)
    if labeled.two_way:
        raise LabeledDataError(
            f"{path} is two-way (entailment/not_entailment); a fast backend is "
            "validated on a three-way NLI set such as XNLI dev"
        )
    rows = labeled.rows[:limit] if limit else labeled.rows
    return [(r.premise, r.hypothesis) for r in rows], [r.label for r in rows]


def validate_fast_backend(
    onnx_dir: str | Path,
    model_dir: str | Path,
    data: str | Path,
    limit: int | None = None,
    reference: np.ndarray | None = None,
    write: bool = True,
    extra: Sequence[tuple[str | Path, np.ndarray]] = (),
) -> Validation:
    """Score ``data`` with the fast build and with PyTorch fp32, compare, record the result.

    Args:
        onnx_dir: a folder written by :func:`export_onnx`.
        model_dir: the source model folder (the fp32 reference).
        data: labelled NLI pairs (jsonl or jsonl.gz), normally XNLI English dev.
        limit: first rows only (tests). Defaults to all rows; fewer than
            :data:`MIN_VALIDATION_ROWS` never passes.
        reference: fp32 probabilities already computed for these rows (skips that run).
        write: write ``validation.json`` into ``onnx_dir``. Defaults to True.
        extra: further (dev set, fp32 probabilities) to check with the same agreement and
            accuracy rule but no row minimum (the demo-corpus labeled set); recorded as
            ``extra_checks``, and the build passes only if every one does.
    """
    from checker.nli import NliModel
    from checker.onnx_runtime import OnnxNliModel

    pairs, gold = read_nli_jsonl(data, limit)
    if reference is None:
        reference = NliModel(str(model_dir)).predict(pairs)
    fast_model = OnnxNliModel(onnx_dir, name=str(model_dir))
    result = compare_predictions(reference, fast_model.predict(pairs), gold, dataset=Path(data).name.split(".")[0])
    if write:
        checks = [extra_check(fast_model, path, ref) for path, ref in extra]
        record = result.to_dict() | {"source_hash": model_content_hash(model_dir), "export_version": EXPORT_VERSION}
        if checks:
            record |= {"extra_checks": checks, "passed": result.passed and all(c["passed"] for c in checks)}
        (Path(onnx_dir) / VALIDATION_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return result


def passing_record(onnx_dir: Path, source_hash: str) -> bool:
    """True when ``validation.json`` in ``onnx_dir`` is readable and says the build passed."""
    try:
        rec = json.loads((onnx_dir / VALIDATION_FILE).read_text(encoding="utf-8"))
        val = Validation(
            str(rec["dataset"]),
            int(rec["rows"]),
            float(rec["agreement"]),
            float(rec["accuracy_reference"]),
            float(rec["accuracy_fast"]),
            float(rec["max_abs_prob_diff"]),
            float(rec["mean_abs_prob_diff"]),
        )
        extra_ok = all(bool(x["passed"]) for x in rec.get("extra_checks", []))
        return (
            val.passed
            and extra_ok
            and rec.get("source_hash") == source_hash
            and rec.get("export_version") == EXPORT_VERSION
            and (onnx_dir / ONNX_FILE).is_file()
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


def default_validation_data() -> Path | None:
    """Labelled dev set for :func:`build_fast_backend`: ``$NEWSCHECK_NLI_DEV`` if set."""
    env = os.environ.get("NEWSCHECK_NLI_DEV")
    return Path(env).expanduser() if env else None


def extra_check(fast_model: OnnxNliModel, data: str | Path, reference: np.ndarray) -> dict:
    """A further dev set (e.g. the demo-corpus labeled pairs): the same agreement and accuracy
    rule, without the row minimum, recorded beside the main validation."""
    pairs, gold = read_nli_jsonl(data)
    v = compare_predictions(reference, fast_model.predict(pairs), gold, dataset=Path(data).name.split(".")[0])
    ok = v.agreement >= MIN_AGREEMENT and v.accuracy_reference - v.accuracy_fast <= MAX_ACCURACY_DROP + 1e-9
    return v.to_dict() | {"passed": ok}
