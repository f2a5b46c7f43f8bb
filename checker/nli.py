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

from collections.abc import Callable, Iterable, Sequence
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


#: pairs tokenised at a time: the tokenizer's per-pair objects (tokens, offsets) are dropped
#: after each chunk and only the token ids are kept, packed (:class:`PackedPairs`)
TOKENIZE_CHUNK = 1024


class PackedPairs:
    """Token ids and token type ids of many tokenised pairs in flat arrays.

    Why: the tokenizer's own output keeps, per pair, Python lists or ``Encoding`` objects
    with tokens and offsets; for the ~18,000 pairs of a 200-article audit that was over
    100 MiB held while the whole NLI stage ran. Rows here cost 5 bytes a token.
    """

    def __init__(self, ids: list[np.ndarray], types: list[np.ndarray]):
        lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
        self.starts = np.concatenate(([0], np.cumsum(lengths)))
        self.lengths = lengths
        self.ids = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
        self.types = np.concatenate(types) if types else np.zeros(0, dtype=np.int8)

    def __len__(self) -> int:
        return len(self.lengths)

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """(token ids, token type ids) of pair ``i``."""
        a, b = self.starts[i], self.starts[i + 1]
        return self.ids[a:b], self.types[a:b]

    def padded(
        self, idx: np.ndarray, pad_id: int, width: int | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """int64 (input ids, attention mask, token type ids) of rows ``idx``, right-padded to
        ``width`` (default: the longest of them)."""
        width = width or int(self.lengths[idx].max())
        ids = np.full((len(idx), width), pad_id, dtype=np.int64)
        mask = np.zeros((len(idx), width), dtype=np.int64)
        types = np.zeros((len(idx), width), dtype=np.int64)
        for r, i in enumerate(idx):
            row_ids, row_types = self.row(int(i))
            ids[r, : len(row_ids)] = row_ids
            types[r, : len(row_ids)] = row_types
            mask[r, : len(row_ids)] = 1
        return ids, mask, types


def pack_pairs(
    pairs: Sequence[tuple[str, str]],
    encode: Callable[[Sequence[tuple[str, str]]], Iterable],
    chunk: int = TOKENIZE_CHUNK,
) -> PackedPairs:
    """:class:`PackedPairs` of ``pairs``, tokenised ``chunk`` at a time by ``encode`` (a chunk ->
    ``(ids, type_ids)`` per pair); tokenisation is per pair, so the ids do not depend on ``chunk``."""
    ids: list[np.ndarray] = []
    types: list[np.ndarray] = []
    for start in range(0, len(pairs), chunk):
        for row_ids, row_types in encode(pairs[start : start + chunk]):
            ids.append(np.asarray(row_ids, dtype=np.int32))
            types.append(np.asarray(row_types, dtype=np.int8))
    return PackedPairs(ids, types)


def _encode_pairs(tokenizer, pairs: Sequence[tuple[str, str]], max_length: int) -> tuple[PackedPairs, set[str]]:
    """Tokenise once, cutting the premise first; when a hypothesis alone exceeds
    ``max_length`` (which "only_first" cannot fit), every pair is cut longest first instead.
    Returns the packed ids and the names of the tokenizer's outputs (``token_type_ids``,
    ``attention_mask``: some tokenizers give neither)."""
    keys: set[str] = set()

    def encode(truncation: str) -> Callable[[Sequence[tuple[str, str]]], Iterable]:
        def run(chunk: Sequence[tuple[str, str]]) -> Iterable:
            enc = tokenizer([p for p, _ in chunk], [h for _, h in chunk], truncation=truncation, max_length=max_length)
            keys.update(k for k in ("token_type_ids", "attention_mask") if k in enc)
            ids = enc["input_ids"]
            return zip(ids, enc["token_type_ids"] if "token_type_ids" in enc else [[0] * len(x) for x in ids])

        return run

    try:
        packed = pack_pairs(pairs, encode("only_first"))
    except Exception:  # tokenizers: "Sequence to truncate too short to respect the provided max_length"
        packed = pack_pairs(pairs, encode("longest_first"))
    return packed, keys


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


#: padded tokens (rows x width) per ONNX Runtime pass. A batch of long pairs is run in parts
#: of this many tokens: 32 pairs of 256 tokens took ~420 MiB of activations in one pass, parts
#: of 8 rows ~100 MiB (a 200-article audit has hundreds of batches over 64 tokens).
MAX_BATCH_TOKENS = 2048
#: rows of a part at least (one-row passes are slow). Each part is padded to its whole batch's
#: width, so each row gets exactly the input it gets in the whole batch; ONNX Runtime computes
#: rows independently, so the logits are bit-identical to one pass (checked for every part
#: size of 1-31 rows). PyTorch does not: parts of some sizes differ in the last bit, so its
#: batches are run whole.
MIN_PART_ROWS = 4


def score_by_length(
    lengths: Sequence[int] | np.ndarray,
    batch_size: int,
    run_batch: Callable[..., np.ndarray],
    width: int,
    progress: Callable[[int], None] | None = None,
    max_tokens: int | None = None,
) -> np.ndarray:
    """``(n, width)`` rows from ``run_batch(indices)``, called on batches of similar length.

    Rows are sorted by length (stable) and cut into batches, so a batch pads to its own
    longest row; the result comes back in input order. ``progress`` gets the rows just scored.
    With ``max_tokens``, a batch whose rows x longest row exceeds it is run in parts of at
    least :data:`MIN_PART_ROWS` rows, ``run_batch(part_indices, pad_to)``, each part padded
    to the whole batch's longest row ``pad_to``: less memory at once, and the same results
    from a runtime that computes rows independently.
    """
    n = len(lengths)
    lengths = np.asarray(lengths)
    out = np.zeros((n, width), dtype=np.float32)
    order = np.argsort(lengths, kind="stable")
    for start in range(0, n, batch_size):
        idx = order[start : start + batch_size]
        pad_to = int(lengths[idx].max())
        rows = max(MIN_PART_ROWS, max_tokens // max(pad_to, 1)) if max_tokens else len(idx)
        if rows >= len(idx):
            out[idx] = run_batch(idx)
        else:
            for part_start in range(0, len(idx), rows):
                part = idx[part_start : part_start + rows]
                out[part] = run_batch(part, pad_to)
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
    max_tokens: int | None = None,
) -> np.ndarray:
    """Probabilities ``(n, 3)`` in :data:`NLI_LABELS` order for ``pairs``.

    All pairs are tokenised once, sorted by length and padded per batch
    (:func:`score_by_length`; with ``max_tokens``, long batches in parts, whose last bits may
    differ from a whole batch's here); the result comes back in the input order. ``progress``
    (optional) is called with the pairs just scored.
    """
    import torch

    cols = label_columns(id2label)
    if not pairs:
        return np.zeros((0, 3), dtype=np.float32)
    packed, keys = _encode_pairs(tokenizer, pairs, max_length)

    def run_batch(idx: np.ndarray, pad_to: int | None = None) -> np.ndarray:
        rows = [packed.row(int(i)) for i in idx]
        features = {"input_ids": [ids.tolist() for ids, _ in rows]}
        if "token_type_ids" in keys:
            features["token_type_ids"] = [types.tolist() for _, types in rows]
        if "attention_mask" in keys:
            features["attention_mask"] = [[1] * len(ids) for ids, _ in rows]
        if pad_to is None:
            batch = tokenizer.pad(features, return_tensors="pt")
        else:
            batch = tokenizer.pad(features, padding="max_length", max_length=pad_to, return_tensors="pt")
        return model(**batch).logits.float().numpy()

    was_training = model.training
    model.eval()
    try:
        with torch.inference_mode():
            logits = score_by_length(packed.lengths, batch_size, run_batch, len(id2label), progress, max_tokens)
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
