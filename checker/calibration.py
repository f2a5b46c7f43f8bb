"""Post-hoc calibration of an NLI model: a softmax temperature and an optional
contradiction threshold, tuned on a labelled dev set and stored next to the model.

Why built so: a fine-tuned cross-encoder is usually over-confident, and its argmax may
under- or over-call contradiction, the one label an audit acts on. Two numbers fix most of
that without retraining: a temperature ``T`` (probabilities become ``softmax(log p / T)``,
which changes confidence but never the argmax) and a threshold on p(contradiction). They
live in ``calibration.json`` inside the model folder so the calibration travels with the
weights it was tuned for; a folder without one means "uncalibrated" (T = 1, argmax).

Everything here except :func:`load_calibration` / :func:`save_calibration` is pure.
:func:`tune` is a plain grid search, not an optimiser: it is cheap for dev sets of a few
thousand rows and gives the same answer on every run.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from checker.errors import LabeledDataError, ModelError
from checker.metrics import CONTRADICTION, ENTAILMENT, NEUTRAL, THREE_WAY_LABELS, macro_f1

#: name of the calibration file inside a model folder.
CALIBRATION_FILE = "calibration.json"
#: temperatures tried by :func:`tune` (0.5, 0.55, ..., 3.0).
TEMPERATURE_GRID: tuple[float, ...] = tuple(round(0.5 + 0.05 * i, 2) for i in range(51))
#: contradiction thresholds tried by :func:`tune` (0.20, 0.21, ..., 0.90).
THRESHOLD_GRID: tuple[float, ...] = tuple(round(0.2 + 0.01 * i, 2) for i in range(71))
# floor for the gold label's probability in the NLL, so a hard 0 does not give inf
_EPS = 1e-12


@dataclass(frozen=True, slots=True)
class Calibration:
    """How to turn raw NLI probabilities into calibrated probabilities and labels.

    Args:
        temperature: divide log-probabilities by this before the softmax; above 1 flattens,
            below 1 sharpens. Defaults to 1.0 (no change).
        contradiction_threshold: predict contradiction when the (temperature-scaled)
            p(contradiction) is at least this, otherwise the larger of entailment and
            neutral. Defaults to None (plain argmax over the three labels).
    """

    temperature: float = 1.0
    contradiction_threshold: float | None = None

    def __post_init__(self) -> None:
        t = self.temperature
        if isinstance(t, bool) or not isinstance(t, (int, float)) or not math.isfinite(t) or t <= 0:
            raise ValueError(f"temperature must be a finite number > 0, got {t!r}")
        c = self.contradiction_threshold
        if c is not None and (isinstance(c, bool) or not isinstance(c, (int, float)) or not 0.0 < c <= 1.0):
            raise ValueError(f"contradiction_threshold must be None or in (0, 1], got {c!r}")

    @property
    def is_identity(self) -> bool:
        """True when this calibration changes nothing (T = 1, argmax)."""
        return self.temperature == 1.0 and self.contradiction_threshold is None

    def to_dict(self) -> dict:
        return {
            "temperature": float(self.temperature),
            "contradiction_threshold": (
                None if self.contradiction_threshold is None else float(self.contradiction_threshold)
            ),
        }


def _parse(text: str, path: Path) -> Calibration:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ModelError(f"{path} must hold a JSON object, got {type(data).__name__}")
    unknown = sorted(set(data) - {"temperature", "contradiction_threshold", "metadata"})
    if unknown:
        raise ModelError(
            f"{path} has unknown key(s) {unknown}; allowed: temperature, contradiction_threshold, metadata"
        )
    try:
        return Calibration(
            temperature=data.get("temperature", 1.0), contradiction_threshold=data.get("contradiction_threshold")
        )
    except ValueError as exc:
        raise ModelError(f"{path}: {exc}") from None


def load_calibration(model_dir: str | Path) -> Calibration:
    """The calibration stored in ``model_dir/calibration.json``.

    Args:
        model_dir: a model folder. A folder without the file, or a hub id that is not a
            local folder, gives the default (identity) calibration.

    Raises:
        ModelError: the file exists but cannot be read or holds invalid values.
    """
    path = Path(model_dir).expanduser() / CALIBRATION_FILE
    if not path.exists():
        return Calibration()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"cannot read {path}: {exc}") from None
    return _parse(text, path)


def save_calibration(
    model_dir: str | Path, cal: Calibration, overwrite: bool = False, metadata: dict | None = None
) -> Path:
    """Write ``cal`` to ``model_dir/calibration.json``.

    Args:
        model_dir: an existing model folder.
        cal: the calibration to store.
        overwrite: replace an existing file holding different values (or unreadable
            content). Defaults to False: such a file is refused.
        metadata: JSON-serialisable notes stored alongside (for example the dev file and
            its scores); ignored by :func:`load_calibration`. Defaults to None.

    Returns:
        The path of the file. An existing file with the same values is left as it is.

    Raises:
        ModelError: ``model_dir`` is not a folder, or a different file exists and
            ``overwrite`` is False.
    """
    folder = Path(model_dir).expanduser()
    if not folder.is_dir():
        raise ModelError(f"model folder does not exist: {model_dir}")
    path = folder / CALIBRATION_FILE
    if path.exists() and not overwrite:
        try:
            existing = _parse(path.read_text(encoding="utf-8"), path)
        except (ModelError, OSError, UnicodeDecodeError):
            existing = None
        if existing == cal:
            return path
        raise ModelError(f"{path} already exists with different values; overwrite it explicitly to replace it")
    data = cal.to_dict()
    if metadata is not None:
        data["metadata"] = metadata
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return path


def _check_probs(probs) -> np.ndarray:
    arr = np.asarray(probs, dtype=np.float64)
    if arr.ndim != 2 or arr.shape[1] != 3:
        raise ValueError(f"probs must have shape (n, 3), got {arr.shape}")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError("probs must be finite and non-negative")
    if np.any(arr.sum(axis=1) <= 0):
        raise ValueError("every row of probs needs a positive probability")
    return arr


def apply_temperature(probs, temperature: float) -> np.ndarray:
    """``softmax(log p / T)`` row by row; T = 1 returns the (renormalised) input.

    Args:
        probs: ``(n, 3)`` probabilities (entailment, neutral, contradiction).
        temperature: T > 0.

    Returns:
        A new ``(n, 3)`` float64 array whose rows sum to 1.
    """
    if not temperature > 0 or not math.isfinite(temperature):
        raise ValueError(f"temperature must be a finite number > 0, got {temperature!r}")
    arr = _check_probs(probs)
    if temperature == 1.0:
        # exact identity up to renormalisation, so thresholds compare against the input
        return arr / arr.sum(axis=1, keepdims=True)
    # a zero probability stays exactly zero (log 0 = -inf), as the formula says
    with np.errstate(divide="ignore"):
        logits = np.log(arr) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    exp = np.exp(logits)
    return exp / exp.sum(axis=1, keepdims=True)


def _labels_with_threshold(scaled: np.ndarray, threshold: float | None) -> list[str]:
    if threshold is None:
        return [THREE_WAY_LABELS[i] for i in np.argmax(scaled, axis=1)]
    # below the threshold, contradiction is ruled out: the larger of entailment and neutral
    rest = np.where(scaled[:, 0] >= scaled[:, 1], 0, 1)
    idx = np.where(scaled[:, 2] >= threshold, 2, rest)
    return [THREE_WAY_LABELS[i] for i in idx]


def predict_labels(probs, cal: Calibration) -> list[str]:
    """Three-way label per row under ``cal``.

    The temperature is applied first; then a row is contradiction when its p(contradiction)
    is at least ``cal.contradiction_threshold``, otherwise the larger of entailment and
    neutral. Without a threshold, the argmax over the three labels.
    """
    scaled = apply_temperature(probs, cal.temperature)
    return _labels_with_threshold(scaled, cal.contradiction_threshold)


def _nll(probs: np.ndarray, gold_idx: np.ndarray) -> float:
    picked = probs[np.arange(len(gold_idx)), gold_idx]
    return float(-np.mean(np.log(np.maximum(picked, _EPS))))


def tune(probs, gold: Sequence[str]) -> Calibration:
    """Fit a temperature and a contradiction threshold on a labelled dev set.

    The temperature is the value of :data:`TEMPERATURE_GRID` with the lowest mean negative
    log-likelihood of the gold labels. Then, on the temperature-scaled probabilities, each
    value of :data:`THRESHOLD_GRID` is scored by macro-F1; the threshold is kept only when
    it beats the plain argmax, and among equally good thresholds the middle one is taken.

    Args:
        probs: ``(n, 3)`` raw probabilities (entailment, neutral, contradiction).
        gold: three-way gold labels, one per row.

    Raises:
        LabeledDataError: gold labels that are not all three-way, or no rows.
    """
    arr = _check_probs(probs)
    if len(gold) != len(arr):
        raise ValueError(f"probs has {len(arr)} rows but gold has {len(gold)} labels")
    if len(gold) == 0:
        raise LabeledDataError("cannot tune a calibration on an empty dev set")
    bad = sorted({g for g in gold if g not in THREE_WAY_LABELS})
    if bad:
        raise LabeledDataError(
            f"tuning needs three-way gold labels ({ENTAILMENT}/{NEUTRAL}/{CONTRADICTION}), got {bad}"
        )
    index = {lab: i for i, lab in enumerate(THREE_WAY_LABELS)}
    gold_idx = np.array([index[g] for g in gold], dtype=np.int64)

    losses = [_nll(apply_temperature(arr, t), gold_idx) for t in TEMPERATURE_GRID]
    temperature = TEMPERATURE_GRID[int(np.argmin(losses))]

    scaled = apply_temperature(arr, temperature)
    base = macro_f1(gold, _labels_with_threshold(scaled, None), THREE_WAY_LABELS)
    scores = np.array([macro_f1(gold, _labels_with_threshold(scaled, t), THREE_WAY_LABELS) for t in THRESHOLD_GRID])
    best = scores.max()
    threshold = None
    if best > base + 1e-12:
        ties = np.flatnonzero(scores >= best - 1e-12)
        threshold = THRESHOLD_GRID[int(ties[len(ties) // 2])]
    return Calibration(temperature=temperature, contradiction_threshold=threshold)
