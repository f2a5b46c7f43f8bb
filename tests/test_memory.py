"""Memory bounds of an audit (issue 13): packed token ids, long batches scored in parts with
the same results, the report streamed to its file, the heap given back."""

import json

import numpy as np
import pytest

from checker.nli import MAX_BATCH_TOKENS, MIN_PART_ROWS, PackedPairs, pack_pairs, score_by_length


def _fake_encode(chunk):
    """Token ids that depend on the pair only: [101, len(p) ..., 102, len(h) ..., 102]."""
    out = []
    for p, h in chunk:
        a, b = [101] + [len(w) for w in p.split()] + [102], [len(w) for w in h.split()] + [102]
        out.append((a + b, [0] * len(a) + [1] * len(b)))
    return out


PAIRS = [(" ".join(["word"] * (i % 7 + 1)), " ".join(["x"] * (i % 3 + 1))) for i in range(50)]


def test_packed_pairs_keep_every_row_and_pad_right():
    packed = pack_pairs(PAIRS, _fake_encode, chunk=8)
    expected = _fake_encode(PAIRS)
    assert len(packed) == len(PAIRS)
    for i, (ids, types) in enumerate(expected):
        row_ids, row_types = packed.row(i)
        assert row_ids.tolist() == ids and row_types.tolist() == types
    idx = np.array([3, 0, 6])
    ids, mask, types = packed.padded(idx, pad_id=7)
    width = max(len(expected[i][0]) for i in idx)
    assert ids.shape == mask.shape == types.shape == (3, width) and ids.dtype == np.int64
    for r, i in enumerate(idx):
        k = len(expected[i][0])
        assert ids[r, :k].tolist() == expected[i][0] and set(ids[r, k:].tolist()) <= {7}
        assert mask[r].tolist() == [1] * k + [0] * (width - k)
        assert types[r, :k].tolist() == expected[i][1]
    assert packed.padded(idx, pad_id=0, width=width + 5)[0].shape == (3, width + 5)


def test_tokenising_in_chunks_gives_the_same_ids():
    one = pack_pairs(PAIRS, _fake_encode, chunk=len(PAIRS))
    for chunk in (1, 7, 1024):
        other = pack_pairs(PAIRS, _fake_encode, chunk=chunk)
        assert np.array_equal(one.ids, other.ids) and np.array_equal(one.types, other.types)
        assert np.array_equal(one.lengths, other.lengths)
    empty = pack_pairs([], _fake_encode)
    assert len(empty) == 0 and empty.ids.size == 0


def test_long_batches_run_in_parts_padded_to_the_whole_batch():
    lengths = np.array([10, 200, 200, 50, 190, 30, 200, 12, 199, 180, 60, 70])
    calls = []

    def run(idx, pad_to=None):
        width = pad_to if pad_to is not None else int(lengths[idx].max())
        calls.append((len(idx), width))
        assert width >= lengths[idx].max()
        # a row's result depends on the row and the padded width, as in a real model
        return np.stack([np.array([i, width], dtype=np.float32) for i in idx])

    seen = []
    out = score_by_length(lengths, 8, run, 2, progress=seen.append, max_tokens=4 * 200)
    assert out[:, 0].tolist() == list(range(len(lengths)))  # input order
    assert sum(seen) == len(lengths)
    # first batch: the 8 shortest (width 190 > 800 / 8), in parts of max(4, 800 // 190) rows
    assert calls[:2] == [(4, 190), (4, 190)]
    assert calls[2] == (4, 200)  # the 4 longest fit: one pass
    whole = score_by_length(lengths, 8, run, 2)
    assert np.array_equal(out[:, 1], whole[:, 1])  # every row saw its batch's width


def test_parts_never_have_fewer_rows_than_the_minimum():
    lengths = np.full(16, 1000)
    sizes = []

    def run(idx, pad_to=None):
        sizes.append(len(idx))
        return np.zeros((len(idx), 1), dtype=np.float32)

    score_by_length(lengths, 16, run, 1, max_tokens=MAX_BATCH_TOKENS)
    assert sizes == [MIN_PART_ROWS] * (16 // MIN_PART_ROWS)


def test_packed_pairs_from_arrays():
    packed = PackedPairs([np.array([1, 2, 3], dtype=np.int32)], [np.array([0, 0, 1], dtype=np.int8)])
    assert packed.lengths.tolist() == [3] and packed.starts.tolist() == [0, 3]


def test_report_is_streamed_to_exactly_the_text_it_was(tmp_path):
    from checker.report import write_report

    data = {"schema": "x", "pairs": [{"id": i, "a_text": "café « » ünïcode", "score": 0.1 * i} for i in range(300)]}
    out = write_report(data, tmp_path / "r.json")
    assert out.read_text(encoding="utf-8") == json.dumps(data, ensure_ascii=False, indent=1)


def test_heap_helpers_are_safe_to_call_any_time():
    from checker.pipeline import bound_heap, release_freed_memory

    bound_heap()
    bound_heap()
    release_freed_memory()


def _long_pairs(n: int = 40) -> list[tuple[str, str]]:
    from pathlib import Path

    from checker.ingest import ingest_folder
    from checker.segment import segment_articles

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    texts = sorted({s.text for s in segment_articles(ingest_folder(corpus).articles)})
    # premises of one to four sentences: batches from ~30 to ~200 tokens, most run in parts
    return [(" ".join(texts[i : i + 1 + i % 4]), texts[(i * 7) % len(texts)]) for i in range(n)]


@pytest.fixture(scope="module")
def onnx_fp32(tmp_path_factory):
    """The shipped model's fp32 ONNX graph, exported once for this module."""
    from checker import onnx_export
    from checker.nli import default_nli_model_path
    from checker.onnx_runtime import OnnxNliModel

    pytest.importorskip("onnxruntime")
    folder = onnx_export.export_onnx(default_nli_model_path(), tmp_path_factory.mktemp("onnx"), quantize=False)
    return OnnxNliModel(folder)


@pytest.mark.slow
def test_onnx_scoring_in_parts_is_bit_identical(onnx_fp32, monkeypatch):
    import checker.onnx_runtime as ort_model

    pairs = _long_pairs()
    parts = onnx_fp32.logits(pairs)
    monkeypatch.setattr(ort_model, "MAX_BATCH_TOKENS", None)
    whole = onnx_fp32.logits(pairs)
    assert np.array_equal(whole, parts)


@pytest.mark.slow
def test_pytorch_runs_whole_batches(nli_model, monkeypatch):
    """PyTorch's parts may differ in the last bit, so its batches are never split."""
    import checker.nli as nli

    calls = []
    real = nli.score_by_length

    def spy(*args, **kwargs):
        calls.append(args[5:] + tuple(kwargs.values()))
        return real(*args, **kwargs)

    monkeypatch.setattr(nli, "score_by_length", spy)
    nli_model.predict(_long_pairs(4))
    assert calls == [(None,)]


@pytest.mark.slow
def test_pytorch_tokenising_in_chunks_gives_the_same_ids(nli_model, monkeypatch):
    import checker.nli as nli

    pairs = _long_pairs()
    one, keys = nli._encode_pairs(nli_model.tokenizer, pairs, nli_model.max_length)
    monkeypatch.setattr(nli, "TOKENIZE_CHUNK", 3)
    monkeypatch.setattr(nli.pack_pairs, "__defaults__", (3,))
    small, _ = nli._encode_pairs(nli_model.tokenizer, pairs, nli_model.max_length)
    enc = nli_model.tokenizer([p for p, _ in pairs], [h for _, h in pairs], truncation="only_first", max_length=256)
    assert keys == {"token_type_ids", "attention_mask"}
    for i, ids in enumerate(enc["input_ids"]):
        assert one.row(i)[0].tolist() == ids == small.row(i)[0].tolist()
        assert one.row(i)[1].tolist() == enc["token_type_ids"][i]


@pytest.mark.slow
def test_onnx_gives_the_arena_back_on_the_last_pass_only(onnx_fp32, monkeypatch):
    options = []
    real = onnx_fp32.session.run

    def run(names, feeds, run_options=None):
        options.append(run_options)
        return real(names, feeds, run_options)

    monkeypatch.setattr(onnx_fp32.session, "run", run)
    onnx_fp32.logits(_long_pairs())
    assert len(options) > 1 and options[-1] is onnx_fp32._release
    assert all(o is None for o in options[:-1])
