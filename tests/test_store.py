"""The store: cached vectors and NLI scores are reused, audits kept, dismissals recorded."""

import numpy as np
import pytest

from checker.cached_models import CachedEmbedder, CachedNli, ReuseStats
from checker.errors import InputError
from checker.store import Store


class CountingEmbedder:
    name = "counting-embedder"

    def __init__(self):
        self.seen: list[str] = []

    def encode(self, texts):
        self.seen.extend(texts)
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)


class CountingNli:
    name = "counting-nli"
    temperature = 1.0

    def __init__(self):
        self.seen = []

    def predict(self, pairs, progress=None):
        self.seen.extend(pairs)
        return np.array([[0.7, 0.2, 0.1] if p[0] < p[1] else [0.1, 0.2, 0.7] for p in pairs], dtype=np.float32)


def test_second_pass_runs_no_model(tmp_path):
    pairs = [("a b", "c d"), ("c d", "a b")]
    texts = ["one", "two", "one"]
    with Store(tmp_path / "s.sqlite") as db:
        emb, nli = CountingEmbedder(), CountingNli()
        first = ReuseStats()
        v1 = CachedEmbedder(emb, db, first).encode(texts)
        p1 = CachedNli(nli, db, first).predict(pairs)
        assert emb.seen == ["one", "two"] and nli.seen == pairs
        second = ReuseStats()
        v2 = CachedEmbedder(emb, db, second).encode(texts)
        p2 = CachedNli(nli, db, second).predict(pairs + [("e f", "g h")])
    assert emb.seen == ["one", "two"]  # nothing embedded again
    assert nli.seen == pairs + [("e f", "g h")]  # only the new pair scored
    np.testing.assert_allclose(v1, v2)
    np.testing.assert_allclose(p1, p2[:2], rtol=1e-6)
    assert (second.vectors_reused, second.vectors_computed, second.nli_reused, second.nli_computed) == (2, 0, 2, 1)


def test_a_fully_cached_run_never_loads_the_models(tmp_path):
    """LazyModel + store: the second run finds everything and loads nothing."""
    from checker.pipeline import LazyModel

    def must_not_load():
        raise AssertionError("model loaded although every result was in the store")

    pairs, texts = [("a b", "c d")], ["one", "two"]
    with Store(tmp_path / "s.sqlite") as db:
        nli = LazyModel(CountingNli, name="counting-nli", backend="torch", temperature=1.0)
        emb = LazyModel(CountingEmbedder, name="counting-embedder")
        CachedNli(nli, db, ReuseStats()).predict(pairs)
        CachedEmbedder(emb, db, ReuseStats()).encode(texts)
        assert nli.loaded and emb.loaded
        lazy_nli = LazyModel(must_not_load, name="counting-nli", backend="torch", temperature=1.0)
        lazy_emb = LazyModel(must_not_load, name="counting-embedder")
        stats = ReuseStats()
        CachedNli(lazy_nli, db, stats).predict(pairs)
        CachedEmbedder(lazy_emb, db, stats).encode(texts)
        assert not lazy_nli.loaded and not lazy_emb.loaded
        assert (stats.nli_reused, stats.vectors_reused) == (1, 2)
        # a different backend is a different key: int8 probabilities are not fp32's
        other = LazyModel(CountingNli, name="counting-nli", backend="onnx-int8", temperature=1.0)
        CachedNli(other, db, ReuseStats()).predict(pairs)
        assert other.loaded


def test_audits_and_dismissals_are_kept(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as db:
        db.save_audit("/corpus", {"summary": {"pairs": 3}, "pairs": [{"id": "abc"}]})
        db.dismiss("abc", "same figure, different rounding")
        with pytest.raises(InputError, match="reason"):
            db.dismiss("abc", "  ")
    with Store(path) as db:  # persisted
        assert [a["summary"] for a in db.audits("/corpus")] == [{"pairs": 3}]
        assert db.dismissals() == {"abc": "same figure, different rounding"}


def test_unopenable_store_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot open store"):
        Store(blocker / "s.sqlite")


def test_pair_ids_match_exactly(tmp_path):
    with Store(tmp_path / "s.sqlite") as db:
        db.save_audit("/corpus", {"summary": {}, "pairs": [{"id": "abc123"}], "note": "xyz"})
        assert db.has_pair("abc123")
        for other in ("%", "abc%", "abc12_", "abc", "xyz", '"abc123"'):
            assert not db.has_pair(other)
            with pytest.raises(InputError, match="not in any audit"):
                db.dismiss(other, "a reason")
        assert db.dismissals() == {}


def test_a_read_only_store_is_read_but_never_written(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store(path) as db:
        CachedEmbedder(CountingEmbedder(), db, ReuseStats()).encode(["one"])
    path.chmod(0o444)
    before = path.read_bytes()
    try:
        with Store(path) as db:
            emb, stats = CountingEmbedder(), ReuseStats()
            CachedEmbedder(emb, db, stats).encode(["one", "two"])
            assert emb.seen == ["two"] and stats.vectors_reused == 1  # still a cache
            assert db.save_audit("/corpus", {"summary": {}, "pairs": []}) is None
            assert db.not_updated == "the file is read-only"
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before


class FailingNli(CountingNli):
    """Scores one chunk, then fails like an interrupted audit."""

    def predict(self, pairs, progress=None):
        if self.seen:
            raise KeyboardInterrupt
        return super().predict(pairs, progress)


def test_an_interrupted_audit_keeps_the_scored_chunks(tmp_path, monkeypatch):
    import checker.cached_models as cached_models

    monkeypatch.setattr(cached_models, "NLI_CHUNK", 2)
    pairs = [(f"p{i}", f"q{i}") for i in range(5)]
    with Store(tmp_path / "s.sqlite") as db:
        with pytest.raises(KeyboardInterrupt):
            CachedNli(FailingNli(), db, ReuseStats()).predict(pairs)
        rerun, stats = CountingNli(), ReuseStats()
        CachedNli(rerun, db, stats).predict(pairs)
    assert rerun.seen == pairs[2:]  # the first chunk was kept
    assert (stats.nli_reused, stats.nli_computed) == (2, 3)
