"""The NLI layer: what every NLI model offers (:class:`NliPredictor`), the core they share,
and the PyTorch model.

Why built so: the NLI stage dominates the cost of an audit on a CPU, and two runtimes
(PyTorch here, ONNX Runtime in :mod:`checker.onnx_runtime`) must give the same answers. So
everything but the forward pass is shared: pairs are tokenised once, sorted by length so
each batch pads little (:func:`score_by_length`), and logits become probabilities in one
place (:func:`probabilities`: softmax, the model's label order, the calibrated
temperature). The long-input policy (:mod:`checker.long_inputs`) needs only
``count_tokens`` and ``max_length``, which both models offer. Labels are read from the
model's own ``config.id2label``; a model that lacks one of the three labels is refused
instead of being read as zeros. Any local folder or hub id of a 3-way
sequence-classification model works; the default is newscheck's own model, shipped inside
the installed package so it loads offline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from checker.errors import ModelError

#: canonical column order of every probability array newscheck passes around.
NLI_LABELS = ("entailment", "neutral", "contradiction")
_ALIASES = {
    "entailment": "entailment",
    "entail": "entailment",
    "entails": "entailment",
    "neutral": "neutral",
    "contradiction": "contradiction",
    "contradict": "contradiction",
    "contradicts": "contradiction",
}


def default_nli_model_path() -> Path:
    """The model shipped with newscheck (package ``newscheck_models``)."""
    import newscheck_models

    return newscheck_models.nli_model_path()


def label_columns(id2label: dict) -> list[int]:
    """Model output column for each of :data:`NLI_LABELS`.

    Raises:
        ModelError: when the model does not name all three labels.
    """
    by_name = {}
    for idx, name in id2label.items():
        canon = _ALIASES.get(str(name).strip().lower())
        if canon:
            by_name[canon] = int(idx)
    missing = [lab for lab in NLI_LABELS if lab not in by_name]
    if missing:
        raise ModelError(
            f"the NLI model's id2label {dict(id2label)} lacks {', '.join(missing)}: "
            "newscheck needs a 3-way entailment/neutral/contradiction classifier"
        )
    return [by_name[lab] for lab in NLI_LABELS]


def _encode_pairs(tokenizer, pairs: Sequence[tuple[str, str]], max_length: int):
    """Tokenise once, cutting the premise first; a hypothesis that alone exceeds
    ``max_length`` (which "only_first" cannot fit) falls back to cutting both, longest first."""
    premises, hypotheses = [p for p, _ in pairs], [h for _, h in pairs]
    try:
        return tokenizer(premises, hypotheses, truncation="only_first", max_length=max_length)
    except Exception:  # tokenizers: "Sequence to truncate too short to respect the provided max_length"
        return tokenizer(premises, hypotheses, truncation="longest_first", max_length=max_length)


@runtime_checkable
class NliPredictor(Protocol):
    """What the pipeline, the store and the evaluation need from an NLI model
    (:class:`NliModel`, :class:`checker.onnx_runtime.OnnxNliModel`)."""

    name: str  # what reports record; where calibration.json is looked for
    backend: str  # "torch", "onnx", "onnx-int8": part of the store's key
    temperature: float
    max_length: int  # token limit of premise + hypothesis, special tokens included

    def predict(
        self, pairs: Sequence[tuple[str, str]], progress: Callable[[int], None] | None = None
    ) -> np.ndarray: ...

    def count_tokens(self, text: str) -> int: ...


def score_by_length(
    lengths: Sequence[int] | np.ndarray,
    batch_size: int,
    run_batch: Callable[[np.ndarray], np.ndarray],
    width: int,
    progress: Callable[[int], None] | None = None,
) -> np.ndarray:
    """``(n, width)`` rows from ``run_batch(indices)``, called on batches of similar length.

    Rows are sorted by length (stable) and cut into batches, so a batch pads to its own
    longest row; the result comes back in input order. ``progress`` gets the rows just scored.
    """
    n = len(lengths)
    out = np.zeros((n, width), dtype=np.float32)
    order = np.argsort(np.asarray(lengths), kind="stable")
    for start in range(0, n, batch_size):
        idx = order[start : start + batch_size]
        out[idx] = run_batch(idx)
        if progress:
            progress(len(idx))
    return out


def probabilities(logits: np.ndarray, cols: Sequence[int], temperature: float = 1.0) -> np.ndarray:
    """Logits in the model's column order -> ``(n, 3)`` probabilities in :data:`NLI_LABELS`
    order, with the calibrated temperature applied (``softmax(log p / T)``)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    out = (exp / exp.sum(axis=1, keepdims=True))[:, list(cols)]
    if temperature != 1.0:
        from checker.calibration import apply_temperature

        out = apply_temperature(out, temperature)
    return out


def predict_probs(
    model,
    tokenizer,
    pairs: Sequence[tuple[str, str]],
    id2label: dict,
    batch_size: int = 32,
    max_length: int = 256,
    progress=None,
    temperature: float = 1.0,
) -> np.ndarray:
    """Probabilities ``(n, 3)`` in :data:`NLI_LABELS` order for ``pairs``.

    All pairs are tokenised once, sorted by length and padded per batch
    (:func:`score_by_length`); the result comes back in the input order. ``progress``
    (optional) is called with the pairs just scored.
    """
    import torch

    cols = label_columns(id2label)
    if not pairs:
        return np.zeros((0, 3), dtype=np.float32)
    enc = _encode_pairs(tokenizer, pairs, max_length)
    keys = [k for k in ("input_ids", "token_type_ids", "attention_mask") if k in enc]

    def run_batch(idx: np.ndarray) -> np.ndarray:
        batch = tokenizer.pad({k: [enc[k][i] for i in idx] for k in keys}, return_tensors="pt")
        return model(**batch).logits.float().numpy()

    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            lengths = [len(x) for x in enc["input_ids"]]
            logits = score_by_length(lengths, batch_size, run_batch, len(id2label), progress)
    finally:
        if was_training:
            model.train()
    return probabilities(logits, cols, temperature)


class NliModel:
    """A 3-way NLI cross-encoder loaded from a local folder or a hub id.

    Args:
        model: folder or hub id. Defaults to newscheck's shipped model.
        batch_size: pairs per forward pass. Defaults to 32.
        max_length: token limit of premise + hypothesis. Defaults to 256.
    """

    def __init__(self, model: str | Path | None = None, batch_size: int = 32, max_length: int = 256):
        from checker.models import load_sequence_classifier

        self.name = str(model) if model else str(default_nli_model_path())
        self.backend = "torch"
        self.model, self.tokenizer = load_sequence_classifier(self.name)
        self.cols = label_columns(self.model.config.id2label)
        self.batch_size = batch_size
        self.temperature = 1.0  # set from the model's calibration.json by the pipeline
        self.max_length = min(max_length, getattr(self.tokenizer, "model_max_length", max_length) or max_length)

    @property
    def id2label(self) -> dict:
        return self.model.config.id2label

    def count_tokens(self, text: str) -> int:
        """Tokens of one text without special tokens (for the long-input policy)."""
        return len(self.tokenizer(text, add_special_tokens=False)["input_ids"])

    def predict(self, pairs: Sequence[tuple[str, str]], progress=None) -> np.ndarray:
        """``(n, 3)`` probabilities (entailment, neutral, contradiction) for ``pairs``.

        Args:
            pairs: (premise, hypothesis) texts.
            progress: optional callable taking the number of pairs just scored.
        """
        return predict_probs(
            self.model,
            self.tokenizer,
            pairs,
            self.id2label,
            self.batch_size,
            self.max_length,
            progress,
            self.temperature,
        )
