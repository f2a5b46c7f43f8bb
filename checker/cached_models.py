"""Models that look their results up in the store first: an embedder and an NLI model.

Why built so: an audit of a corpus that changed a little should pay only for what changed,
and an interrupted one should keep what it scored. Wrapping a model (rather than teaching
each model about SQLite) keeps the models pure and the caching in one place; the key of each
result is the model's content hash (``checker.store.model_fingerprint``), so a retrained model
never reuses an older model's scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from checker.store import Store, model_fingerprint


@dataclass
class ReuseStats:
    """How much of an audit came from the store."""

    vectors_reused: int = 0
    vectors_computed: int = 0
    nli_reused: int = 0
    nli_computed: int = 0


class CachedEmbedder:
    """An embedder that looks texts up in the store first."""

    def __init__(self, inner, store: Store, stats: ReuseStats):
        self.inner, self.store, self.stats = inner, store, stats
        self.name = inner.name
        self.model_id = "embed:" + model_fingerprint(inner.name)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        found = self.store.get_vectors(self.model_id, texts)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            new = self.inner.encode(missing)
            found.update(zip(missing, new))
            self.store.put_vectors(self.model_id, dict(zip(missing, new)))
        self.stats.vectors_reused += len(set(texts)) - len(missing)
        self.stats.vectors_computed += len(missing)
        if not texts:
            return self.inner.encode(texts)
        return np.stack([found[t] for t in texts]).astype(np.float32)


#: pairs scored between two writes to the store (a checkpoint of an interrupted audit)
NLI_CHUNK = 512


class CachedNli:
    """An NLI model that looks (premise, hypothesis) pairs up in the store first.

    Raw probabilities are stored; the inner model's temperature is part of the key.
    """

    def __init__(self, inner, store: Store, stats: ReuseStats):
        self.inner, self.store, self.stats = inner, store, stats
        self.name = inner.name
        self.backend = getattr(inner, "backend", "torch")
        # the backend is part of the key: an int8 graph's probabilities differ slightly from fp32
        self.model_id = f"nli:{model_fingerprint(inner.name)}:{self.backend}:T={getattr(inner, 'temperature', 1.0)}"
        self.max_length = getattr(inner, "max_length", 256)

    @property
    def count_tokens(self):
        """The inner model's token counter, or None (the long-input policy needs it before any lookup)."""
        return getattr(self.inner, "count_tokens", None)

    def predict(self, pairs: Sequence[tuple[str, str]], progress=None) -> np.ndarray:
        pairs = [(p[0], p[1]) for p in pairs]
        found = self.store.get_nli(self.model_id, pairs)
        missing = [p for p in dict.fromkeys(pairs) if p not in found]
        if progress:
            progress(len(pairs) - len(missing))
        # scored in chunks, each written as soon as it is done: an interrupted audit keeps what
        # it scored, and a re-run scores only the rest
        for start in range(0, len(missing), NLI_CHUNK):
            chunk = missing[start : start + NLI_CHUNK]
            probs = self.inner.predict(chunk, progress=progress)
            new = {p: (float(e), float(n), float(c)) for p, (e, n, c) in zip(chunk, probs)}
            self.store.put_nli(self.model_id, new)
            found.update(new)
        self.stats.nli_reused += len(set(pairs)) - len(missing)
        self.stats.nli_computed += len(missing)
        return np.array([found[p] for p in pairs], dtype=np.float32).reshape(len(pairs), 3)
