"""Pair: statements + vectors -> candidate pairs across articles.

Why built so: NLI on every cross-article pair grows with N²; the embedder's cosine picks
for each statement its ``top_k`` nearest statements in *other* articles above ``min_sim``,
and each unordered pair is kept once (with its highest similarity). Small corpora use exact
search in blocks; beyond ``ann_threshold`` statements an HNSW index (hnswlib) keeps the
cost near N·k.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from checker.types import CandidatePair, Statement

#: defaults chosen on the demo corpus labeled set (eval/demo_pairs.jsonl): see docs/decisions.
DEFAULT_TOP_K = 5
DEFAULT_MIN_SIM = 0.4
ANN_THRESHOLD = 20000


def _exact_neighbours(vecs: np.ndarray, docs: np.ndarray, k: int, block: int = 2048):
    """For each row: indices and similarities of its k nearest rows in other documents."""
    n = len(vecs)
    k = min(k, n)
    for start in range(0, n, block):
        sims = vecs[start : start + block] @ vecs.T
        same = docs[start : start + block, None] == docs[None, :]
        sims[same] = -np.inf
        idx = np.argpartition(-sims, kth=k - 1, axis=1)[:, :k] if k < n else np.tile(np.arange(n), (len(sims), 1))
        for r in range(len(sims)):
            yield start + r, idx[r], sims[r, idx[r]]


def _ann_neighbours(vecs: np.ndarray, docs: np.ndarray, k: int):
    """Approximate neighbours with hnswlib; over-fetch so same-article hits can be dropped."""
    import hnswlib

    n, dim = vecs.shape
    index = hnswlib.Index(space="ip", dim=dim)
    index.init_index(max_elements=n, ef_construction=200, M=16)
    index.add_items(vecs, np.arange(n))
    fetch = min(n, k * 4)
    index.set_ef(max(64, fetch * 2))
    labels, dists = index.knn_query(vecs, k=fetch)
    for i in range(n):
        other = docs[labels[i]] != docs[i]
        idx = labels[i][other][:k]
        yield i, idx, 1.0 - dists[i][other][:k]


def pair_statements(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    top_k: int = DEFAULT_TOP_K,
    min_sim: float = DEFAULT_MIN_SIM,
    ann_threshold: int = ANN_THRESHOLD,
) -> list[CandidatePair]:
    """Candidate pairs, most similar first.

    Args:
        statements: all statements of the corpus.
        vectors: unit vectors, one row per statement.
        top_k: neighbours per statement. Defaults to 5.
        min_sim: cosine floor. Defaults to 0.4.
        ann_threshold: use the approximate index from this many statements on.

    Raises:
        ValueError: on a negative top_k or a floor outside [-1, 1].
    """
    if top_k < 1:
        raise ValueError(f"top_k must be at least 1, got {top_k}")
    if not -1.0 <= min_sim <= 1.0:
        raise ValueError(f"min_sim must be within [-1, 1], got {min_sim}")
    if len(statements) != len(vectors):
        raise ValueError("one vector per statement is needed")
    if len(statements) < 2:
        return []
    docs = np.array([s.doc for s in statements])
    vecs = np.ascontiguousarray(vectors, dtype=np.float32)
    search = _ann_neighbours if len(statements) >= ann_threshold else _exact_neighbours
    best: dict[tuple[int, int], float] = {}
    for i, idx, sims in search(vecs, docs, top_k):
        for j, sim in zip(idx, sims):
            j = int(j)
            if not np.isfinite(sim) or sim < min_sim or docs[i] == docs[j]:
                continue
            key = (i, j) if i < j else (j, i)
            if sim > best.get(key, -2.0):
                best[key] = float(sim)
    ordered = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
    return [CandidatePair(statements[i], statements[j], round(sim, 4)) for (i, j), sim in ordered]
