"""Pair: statements + vectors -> candidate pairs across articles.

Why built so: NLI on every cross-article pair grows with N²; the embedder's cosine picks
for each statement its ``top_k`` nearest statements in *other* articles above ``min_sim``,
and each unordered pair is kept once (with its highest similarity). The search is exact at
every size (decision 0012): small corpora in NumPy; from ``blocked_threshold`` statements on,
each similarity is computed once (the matrix is symmetric) in bfloat16 where the CPU has it,
the best candidates of each row are found through the maxima of column groups (so no row is
sorted), and the winners are re-scored in float32. An approximate index
(hnswlib) lost a quarter of the true neighbours on hard data and was slower at 100k.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from checker.defaults import FACT_MIN_SIM, MIN_SIM, TOP_K
from checker.nlp import PRONOUNS
from checker.types import CandidatePair, Statement

#: defaults chosen on the demo corpus labeled set (eval/demo_pairs.jsonl): see docs/decisions.
DEFAULT_TOP_K = TOP_K
DEFAULT_MIN_SIM = MIN_SIM
#: from this many statements on, the blocked torch search (decision 0012) replaces NumPy.
BLOCKED_THRESHOLD = 6000

#: candidates kept per row beyond top_k, so that rounding in bfloat16 cannot push a true
#: neighbour out before the float32 re-scoring.
_SPARE = 8
#: similarities equal to this many decimals are a tie, broken by statement order
TIE_DECIMALS = 5
#: rows per block of the blocked search, and the entries per group of a row (see _top_in_rows).
_BLOCK = 1024
_GROUP_SIZE = 32


def _exact_neighbours(vecs: np.ndarray, docs: np.ndarray, k: int, block: int = 2048):
    """(indices, similarities), one row per statement: its k nearest rows in other documents,
    -inf where there are fewer."""
    n = len(vecs)
    k = min(k, n)
    out_idx = np.zeros((n, k), dtype=np.int64)
    out_sim = np.full((n, k), -np.inf, dtype=np.float32)
    for start in range(0, n, block):
        sims = vecs[start : start + block] @ vecs.T
        same = docs[start : start + block, None] == docs[None, :]
        sims[same] = -np.inf
        fetch = min(k + _SPARE, n)
        idx = (
            np.argpartition(-sims, kth=fetch - 1, axis=1)[:, :fetch]
            if fetch < n
            else np.tile(np.arange(n), (len(sims), 1))
        )
        vals = np.take_along_axis(sims, idx, axis=1)
        # most similar first, equal similarities (to TIE_DECIMALS) by statement order: which of
        # two copies of one sentence is paired must not depend on float noise (another batch
        # size of the embedder, another engine)
        order = np.lexsort((idx, -np.round(vals, TIE_DECIMALS)), axis=-1)[:, :k]
        out_idx[start : start + len(sims)] = np.take_along_axis(idx, order, axis=1)
        out_sim[start : start + len(sims)] = np.take_along_axis(vals, order, axis=1)
    return out_idx, out_sim


def _top_in_rows(sims, fetch: int, members: int):
    """Values and column indices of the ``fetch`` largest entries of each row of ``sims``.

    Column m's group is {m, m + w, m + 2w, ...} (w = width / members): a row's ``fetch``
    largest entries lie in the ``fetch`` groups with the largest maxima, so only those
    groups are searched. The maxima of strided groups are elementwise maxima of contiguous
    slices, which vectorise; a full sort of each row would cost ten times more.
    """
    import torch

    rows, width = sims.shape
    per = width // members
    maxima = sims.view(rows, members, per).amax(1)
    best = maxima.topk(fetch, dim=1).indices
    cols = (best[:, :, None] + torch.arange(members) * per).reshape(rows, -1)
    vals, pos = sims.gather(1, cols).topk(fetch, dim=1)
    return vals, cols.gather(1, pos)


def _search_dtype():
    import torch

    try:
        fast = bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        fast = False
    return torch.bfloat16 if fast else torch.float32


def _blocked_neighbours(vecs: np.ndarray, docs: np.ndarray, k: int):
    """Exact (indices, similarities) like _exact_neighbours, for large corpora.

    Statements are grouped by document so that the same-document entries of a block of
    rows are a few rectangles. The candidates come from bfloat16 products (float32 where
    the CPU lacks bfloat16) and are re-scored in float32, so the similarities are exact.
    """
    import torch

    n, dim = vecs.shape
    order = np.argsort(docs, kind="stable")
    sorted_docs = docs[order]
    starts = np.flatnonzero(np.r_[True, sorted_docs[1:] != sorted_docs[:-1]])
    ends = np.r_[starts[1:], n]
    size = -(-n // _BLOCK) * _BLOCK
    exact = torch.zeros((size, dim), dtype=torch.float32)
    exact[:n] = torch.from_numpy(vecs[order])
    low = exact.to(_search_dtype())
    low_t = low.T.contiguous()
    fetch = k + _SPARE
    members = _GROUP_SIZE
    while _BLOCK // members < fetch:  # there must be at least ``fetch`` groups
        members //= 2
    found_v = torch.empty((size, fetch), dtype=low.dtype)
    found_i = torch.empty((size, fetch), dtype=torch.int64)
    doc_at = 0
    for s in range(0, size, _BLOCK):
        e = s + _BLOCK
        sims = low[s:e] @ low_t
        while doc_at < len(starts) and ends[doc_at] <= s:
            doc_at += 1
        d = doc_at
        while d < len(starts) and starts[d] < e:  # same document, the statement itself included
            a, b = starts[d], ends[d]
            sims[max(a, s) - s : min(b, e) - s, a:b] = -torch.inf
            d += 1
        sims[:, n:] = -torch.inf  # padding
        found_v[s:e], found_i[s:e] = _top_in_rows(sims, fetch, members)
    cand = found_i[:n].clamp(max=n - 1)  # a -inf slot may point at padding
    rescored = torch.empty((n, fetch), dtype=torch.float32)
    for s in range(0, n, 8192):  # in chunks to bound memory
        e = min(n, s + 8192)
        rescored[s:e] = torch.bmm(exact[cand[s:e]], exact[s:e, :, None])[:, :, 0]
    rescored[~torch.isfinite(found_v[:n].float())] = -torch.inf
    top_sim, pos = rescored.topk(min(k, fetch), dim=1)
    top_idx = cand.gather(1, pos).numpy()
    out_idx = np.empty_like(top_idx)
    out_sim = np.empty(top_sim.shape, dtype=np.float32)
    out_idx[order] = order[top_idx]
    out_sim[order] = top_sim.numpy()
    return out_idx, out_sim


def _collect_pairs(idx: np.ndarray, sims: np.ndarray, doc_codes: np.ndarray, min_sim: float):
    """Unordered cross-document pairs above the floor, each once with its highest similarity,
    most similar first: (first, second, similarity) arrays."""
    n, k = idx.shape
    first = np.repeat(np.arange(n), k)
    second = idx.ravel()
    sim = sims.ravel()
    keep = np.isfinite(sim) & (sim >= min_sim) & (doc_codes[first] != doc_codes[second])
    a = np.minimum(first, second)[keep]
    b = np.maximum(first, second)[keep]
    sim = sim[keep]
    o = np.lexsort((-sim, b, a))
    a, b, sim = a[o], b[o], sim[o]
    lead = np.r_[True, (a[1:] != a[:-1]) | (b[1:] != b[:-1])] if len(a) else np.zeros(0, dtype=bool)
    a, b, sim = a[lead], b[lead], sim[lead]
    o = np.lexsort((b, a, -sim))
    return a[o], b[o], sim[o]


def pair_statements(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    top_k: int = DEFAULT_TOP_K,
    min_sim: float = DEFAULT_MIN_SIM,
    blocked_threshold: int = BLOCKED_THRESHOLD,
) -> list[CandidatePair]:
    """Candidate pairs, most similar first.

    Args:
        statements: all statements of the corpus.
        vectors: unit vectors, one row per statement.
        top_k: neighbours per statement. Defaults to 5.
        min_sim: cosine floor. Defaults to 0.4.
        blocked_threshold: use the blocked search (torch) from this many statements on.

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
    _, doc_codes = np.unique([s.doc for s in statements], return_inverse=True)
    vecs = np.ascontiguousarray(vectors, dtype=np.float32)
    blocked = len(statements) >= blocked_threshold and top_k + _SPARE <= _BLOCK
    search = _blocked_neighbours if blocked else _exact_neighbours
    idx, sims = search(vecs, doc_codes, top_k)
    a, b, sim = _collect_pairs(idx, sims, doc_codes, min_sim)
    return [
        CandidatePair(statements[i], statements[j], round(float(s), 4))
        for i, j, s in zip(a.tolist(), b.tolist(), sim.tolist())
    ]


def _opens_with_pronoun(text: str) -> bool:
    """What the statement is about is named in the sentence before ("It was still in effect")."""
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return first.strip("\"'“‘,") in PRONOUNS


def pair_by_keys(
    statements: Sequence[Statement],
    vectors: np.ndarray,
    keys: Sequence[tuple[frozenset[str], frozenset[str]]],
    floor: float = FACT_MIN_SIM,
    per_statement: int = DEFAULT_TOP_K,
) -> list[CandidatePair]:
    """For each statement, its most similar statement in each other article among those that
    offer a key it seeks (``keys[i]`` = (offers, seeks)), at ``floor`` or above, in at most
    ``per_statement`` articles (the most similar ones: an archive audited as one corpus has
    hundreds of articles, a story a few); most similar first, each unordered pair once. Used
    for evolving facts (:func:`checker.updates.fact_keys`): an outlet's later value of a fact
    is compared with the earlier one however it is worded. A statement that opens with a
    pronoun ("It was still in effect on Wednesday afternoon.") names its subject in the
    sentence before: it is as similar as that sentence is, when that is more."""
    offering: dict[str, list[int]] = {}
    for i, (offers, _) in enumerate(keys):
        for k in offers:
            offering.setdefault(k, []).append(i)
    docs = np.array([s.doc for s in statements])
    found: dict[tuple[int, int], float] = {}
    for i, (_, seeks) in enumerate(keys):
        cands = np.array(sorted({j for k in seeks for j in offering.get(k, ())}), dtype=np.int64)
        cands = cands[docs[cands] != docs[i]] if len(cands) else cands
        if not len(cands):
            continue
        sims = vectors[cands] @ vectors[i]
        if i > 0 and docs[i - 1] == docs[i] and _opens_with_pronoun(statements[i].text):
            sims = np.maximum(sims, vectors[cands] @ vectors[i - 1])
        sims = np.round(sims, TIE_DECIMALS)
        best_per_doc = []
        for doc in np.unique(docs[cands]):
            best = int(np.argmax(np.where(docs[cands] == doc, sims, -np.inf)))  # first of equals
            if sims[best] >= floor:
                best_per_doc.append((-float(sims[best]), int(cands[best])))
        for neg_sim, j in sorted(best_per_doc)[:per_statement]:
            found[(min(i, j), max(i, j))] = -neg_sim
    ordered = sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))
    return [CandidatePair(statements[a], statements[b], round(sim, 4)) for (a, b), sim in ordered]


def merge_pairs(first: Sequence[CandidatePair], more: Sequence[CandidatePair]) -> list[CandidatePair]:
    """``first`` plus the pairs of ``more`` it lacks (by statement ids), most similar first;
    ``first`` keeps its order and an added pair goes after those of equal similarity."""
    have = {frozenset((p.a.id, p.b.id)) for p in first}
    added = [p for p in more if frozenset((p.a.id, p.b.id)) not in have]
    return sorted([*first, *added], key=lambda p: -p.similarity)  # stable
