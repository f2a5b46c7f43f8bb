import numpy as np
import pytest

from checker.pair import pair_statements
from checker.types import Statement


def _st(i: int, doc: str) -> Statement:
    return Statement(id=f"s{i}", doc=doc, text=f"statement {i}", start=0, end=1)


def _unit(rows):
    v = np.asarray(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_pairs_only_cross_article_and_once_each():
    sts = [_st(0, "A"), _st(1, "A"), _st(2, "B"), _st(3, "C")]
    vecs = _unit([[1, 0, 0], [1, 0.01, 0], [0.9, 0.1, 0], [0, 0, 1]])
    pairs = pair_statements(sts, vecs, top_k=3, min_sim=0.5)
    keys = [(p.a.id, p.b.id) for p in pairs]
    assert keys == [("s1", "s2"), ("s0", "s2")]  # s0-s1 share article A; s3 is below the floor
    assert len(set(frozenset(k) for k in keys)) == len(keys)
    assert pairs[0].similarity >= pairs[1].similarity


def test_top_k_limits_neighbours():
    sts = [_st(0, "A")] + [_st(i, f"D{i}") for i in range(1, 6)]
    vecs = _unit([[1, 0]] + [[1, 0.1 * i] for i in range(1, 6)])
    pairs = pair_statements(sts, vecs, top_k=1, min_sim=0.0)
    # s0's single nearest is s1; every other statement's nearest is s0 or a neighbour
    assert ("s0", "s1") in [(p.a.id, p.b.id) for p in pairs]
    assert all(p.a.doc != p.b.doc for p in pairs)


@pytest.mark.parametrize("kwargs", [{"top_k": 0}, {"min_sim": 1.5}])
def test_bad_options_raise(kwargs):
    with pytest.raises(ValueError):
        pair_statements([_st(0, "A"), _st(1, "B")], _unit([[1, 0], [0, 1]]), **kwargs)


def _keys(pairs) -> dict[tuple[str, str], float]:
    return {(p.a.id, p.b.id): p.similarity for p in pairs}


@pytest.mark.parametrize("top_k", [1, 5, 30])
def test_blocked_search_matches_exact_search(top_k):
    # 2,500 statements: three blocks of rows; documents of 1 to 150 statements in shuffled
    # order, so a document's rows are scattered in the input and some span a block boundary
    rng = np.random.default_rng(0)
    sizes = rng.integers(1, 150, size=60)
    docs = np.repeat(np.arange(len(sizes)), sizes)[:2500]
    rng.shuffle(docs)
    sts = [_st(i, f"D{d}") for i, d in enumerate(docs)]
    vecs = _unit(rng.normal(size=(len(sts), 48)))
    exact = _keys(pair_statements(sts, vecs, top_k=top_k, min_sim=0.1, blocked_threshold=10**9))
    blocked = _keys(pair_statements(sts, vecs, top_k=top_k, min_sim=0.1, blocked_threshold=1))
    assert exact, "the floor must leave pairs to compare"
    assert len(exact.keys() & blocked.keys()) / len(exact) >= 0.99
    assert all(abs(blocked[k] - exact[k]) <= 1e-4 for k in exact.keys() & blocked.keys())
    assert all(sts[int(a[1:])].doc != sts[int(b[1:])].doc for a, b in blocked)


def test_blocked_search_with_fewer_statements_than_neighbours():
    sts = [_st(0, "A"), _st(1, "A"), _st(2, "B")]
    vecs = _unit([[1, 0], [0.8, 0.6], [0.6, 0.8]])
    pairs = pair_statements(sts, vecs, top_k=5, min_sim=-1.0, blocked_threshold=1)
    assert [(p.a.id, p.b.id) for p in pairs] == [("s1", "s2"), ("s0", "s2")]


@pytest.mark.slow
def test_demo_corpus_pairs_are_cross_article_and_find_al_shami(corpus_dir, embedder):
    from checker.ingest import ingest_folder
    from checker.segment import segment_articles

    sts = segment_articles(ingest_folder(corpus_dir).articles)
    pairs = pair_statements(sts, embedder.encode([s.text for s in sts]))
    assert pairs and all(p.a.doc != p.b.doc for p in pairs)
    assert any(
        "head of a government special unit" in p.a.text + p.b.text
        and "governor of the coastal region of Tartus" in p.a.text + p.b.text
        for p in pairs
    )


def test_ties_between_copies_break_by_statement_order_not_float_noise():
    """Two articles carry the same sentence: with top_k=1 the third article's statement
    pairs with the first copy, whatever noise another embedder batch adds to either copy."""
    sts = [_st(0, "A"), _st(1, "B"), _st(2, "C")]
    base = _unit([[1, 0.2, 0], [1, 0.2, 0], [1, 0.25, 0.05]])
    chosen = set()
    rng = np.random.default_rng(0)
    for _ in range(20):
        noisy = _unit(base + rng.normal(0, 1e-7, base.shape))
        pairs = pair_statements(sts, noisy, top_k=1, min_sim=0.0)
        chosen.add(tuple(sorted((p.a.id, p.b.id) for p in pairs)))
    assert chosen == {(("s0", "s1"), ("s0", "s2"))}
