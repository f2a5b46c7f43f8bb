"""The NLI cross-encoder façade: one batched call turns (premise, hypothesis) pairs into
entailment / neutral / contradiction probabilities.

Why built so: the NLI stage dominates the cost of an audit on a CPU. Pairs are sorted by
length so each batch pads little, run under ``torch.inference_mode()``, and tokenised once.
Labels are read from the model's own ``config.id2label``; a model that lacks one of the
three labels is refused instead of being read as zeros. Any local folder or hub id of a
3-way sequence-classification model works; the default is newscheck's own model, shipped
inside the installed package so it loads offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

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


def predict_probs(
    model,
    tokenizer,
    pairs: Sequence[tuple[str, str]],
    id2label: dict,
    batch_size: int = 32,
    max_length: int = 256,
    progress=None,
) -> np.ndarray:
    """Probabilities ``(n, 3)`` in :data:`NLI_LABELS` order for ``pairs``.

    All pairs are tokenised once, sorted by length and padded per batch; the result comes
    back in the input order. ``progress`` (optional) is called with the pairs just scored.
    """
    import torch

    cols = label_columns(id2label)
    n = len(pairs)
    out = np.zeros((n, 3), dtype=np.float32)
    if n == 0:
        return out
    enc = _encode_pairs(tokenizer, pairs, max_length)
    lengths = [len(x) for x in enc["input_ids"]]
    order = np.argsort(lengths, kind="stable")
    keys = [k for k in ("input_ids", "token_type_ids", "attention_mask") if k in enc]
    was_training = model.training
    model.eval()
    with torch.inference_mode():
        for start in range(0, n, batch_size):
            idx = order[start : start + batch_size]
            batch = tokenizer.pad({k: [enc[k][i] for i in idx] for k in keys}, return_tensors="pt")
            logits = model(**batch).logits.float()
            out[idx] = torch.softmax(logits, dim=-1)[:, cols].numpy()
            if progress:
                progress(len(idx))
    if was_training:
        model.train()
    return out


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
        out = predict_probs(
            self.model, self.tokenizer, pairs, self.id2label, self.batch_size, self.max_length, progress
        )
        if self.temperature != 1.0:
            from checker.calibration import apply_temperature

            out = apply_temperature(out, self.temperature)
        return out
