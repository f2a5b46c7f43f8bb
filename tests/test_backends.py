"""The fast NLI backend: same answers as PyTorch fp32, and "auto" never worse than torch.

Real-model tests use the shipped model (``checker.nli.default_nli_model_path()``;
``NEWSCHECK_TEST_NLI_MODEL`` may point at another folder of the same kind) and export into
pytest's tmp folders, never into the user cache.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from checker import backends, model_cache, onnx_export, onnx_validate
from checker.errors import ModelError

# Fixed pairs: clear-cut cases plus the awkward ones (numbers, negation, very unequal
# lengths so batches are padded, non-ASCII text).
PAIRS = [
    ("A man is playing a guitar on stage.", "A man is playing an instrument."),
    ("A man is playing a guitar on stage.", "Nobody is playing music."),
    ("The minister resigned on Tuesday.", "The minister resigned on Friday."),
    ("Police said 12 people were injured in the blast.", "At least 30 people were injured."),
    (
        "The company reported a profit of $3.2 billion for the quarter, up from $2.9 billion a year "
        "earlier, and raised its forecast for the full year despite weaker demand in Europe.",
        "The company raised its forecast.",
    ),
    ("Rain.", "It is sunny and dry all day across the whole region, forecasters said."),
    ("The talks in Genève ended without agreement, officials said.", "The talks in Geneva succeeded."),
    ("She did not attend the meeting.", "She attended the meeting."),
    ("The bridge was opened in 1932.", "The bridge is more than ninety years old."),
    ("A child is sleeping.", "The stock market fell sharply on Monday."),
]

#: fp32 graph vs PyTorch: the same arithmetic in another order; observed ~1e-7.
FP32_TOL = 1e-4
#: int8 graph vs PyTorch fp32: int8 weights and per-batch uint8 activations move
#: probabilities by 0.016 on average and by 0.18 at most over the 2,490 XNLI dev pairs
#: (validation of the v1 model, eval/BENCH.md); 0.2 bounds that, and the argmax is only
#: required to match where fp32's top two are further apart than twice this.
INT8_TOL = 0.2


def _model_dir() -> Path:
    from checker.nli import default_nli_model_path

    env = os.environ.get("NEWSCHECK_TEST_NLI_MODEL")
    return Path(env) if env else default_nli_model_path()


def _require_model() -> Path:
    path = _model_dir()
    if not (path / "config.json").exists():
        pytest.skip(f"no NLI model at {path} (config.json missing): ship models/nli or set NEWSCHECK_TEST_NLI_MODEL")
    pytest.importorskip("onnxruntime", reason="the fast backend needs the optional extra 'fast'")
    return path


# ------------------------------------------------------------------ pure / no model needed


def test_compare_predictions_counts_agreement_and_accuracy():
    ref = np.array([[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.2, 0.7], [0.4, 0.35, 0.25]])
    fast = np.array([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1], [0.1, 0.2, 0.7], [0.3, 0.45, 0.25]])
    gold = ["entailment", "neutral", "neutral", "entailment"]
    v = onnx_validate.compare_predictions(ref, fast, gold, dataset="x")
    assert v.rows == 4
    assert v.agreement == pytest.approx(0.75)
    assert v.accuracy_reference == pytest.approx(0.75)
    assert v.accuracy_fast == pytest.approx(0.5)
    assert v.max_abs_prob_diff == pytest.approx(0.1)
    assert not v.passed  # too few rows, and 25 points worse


@pytest.mark.parametrize(
    "agreement, acc_ref, acc_fast, rows, passed",
    [
        (0.98, 0.70, 0.695, 2490, True),  # both limits met exactly
        (0.979, 0.70, 0.70, 2490, False),  # agreement just below 98%
        (0.99, 0.70, 0.694, 2490, False),  # 0.6 point worse
        (0.99, 0.70, 0.75, 2490, True),  # better than fp32 is fine
        (1.0, 0.70, 0.70, 999, False),  # too small a check
    ],
    ids=["at-limits", "low-agreement", "accuracy-drop", "better", "too-few-rows"],
)
def test_validation_rule(agreement, acc_ref, acc_fast, rows, passed):
    v = onnx_validate.Validation("xnli_en_dev", rows, agreement, acc_ref, acc_fast, 0.1, 0.01)
    assert v.passed is passed


def test_compare_predictions_rejects_unknown_gold_label():
    with pytest.raises(ValueError, match="gold labels"):
        onnx_validate.compare_predictions(np.full((1, 3), 1 / 3), np.full((1, 3), 1 / 3), ["entails"])


def test_load_nli_rejects_unknown_backend():
    with pytest.raises(ValueError, match="auto, torch, onnx, onnx-int8"):
        backends.load_nli(None, backend="tensorrt")


def _fake_model(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "config.json").write_text(
        json.dumps({"id2label": {"0": "entailment", "1": "neutral", "2": "contradiction"}})
    )
    (folder / "model.safetensors").write_bytes(b"weights")
    return folder


class _TorchStub:
    def __init__(self, name, batch_size=32, max_length=256):
        self.name = name


def _passing_record(folder: Path, digest: str, **changes) -> None:
    folder.mkdir(parents=True)
    (folder / model_cache.ONNX_FILE).write_bytes(b"graph")
    rec = {
        "dataset": "xnli_en_dev",
        "rows": 2490,
        "agreement": 0.995,
        "accuracy_reference": 0.70,
        "accuracy_fast": 0.699,
        "max_abs_prob_diff": 0.05,
        "mean_abs_prob_diff": 0.004,
        "source_hash": digest,
        "export_version": model_cache.EXPORT_VERSION,
    } | changes
    (folder / model_cache.VALIDATION_FILE).write_text(json.dumps(rec))


def test_content_hash_ignores_calibration_but_not_weights(tmp_path):
    model = _fake_model(tmp_path)
    h = model_cache.model_content_hash(model)
    (model / "calibration.json").write_text('{"temperature": 1.5}')
    assert model_cache.model_content_hash(model) == h
    # a refitted verdict or the training records do not change the logits either
    (model / "verdict_calibration.json").write_text('{"threshold": 0.6}')
    (model / "training_metrics.json").write_text("{}")
    assert model_cache.model_content_hash(model) == h
    (model / "model.safetensors").write_bytes(b"other weights")
    assert model_cache.model_content_hash(model) != h


def test_auto_without_a_build_is_torch(tmp_path, monkeypatch):
    monkeypatch.setattr("checker.nli.NliModel", _TorchStub)
    model = _fake_model(tmp_path)
    assert isinstance(backends.load_nli(str(model), backend="auto"), _TorchStub)


def test_auto_with_unusable_cache_is_torch(tmp_path, monkeypatch):
    monkeypatch.setattr("checker.nli.NliModel", _TorchStub)
    model = _fake_model(tmp_path)
    not_a_dir = tmp_path / "cache-is-a-file"
    not_a_dir.write_text("")
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(not_a_dir))
    assert isinstance(backends.load_nli(str(model), backend="auto"), _TorchStub)


_FAILED_DEMO_CHECK = {
    "dataset": "demo_pairs",
    "rows": 163,
    "agreement": 0.98,
    "accuracy_reference": 0.650,
    "accuracy_fast": 0.644,
    "passed": False,
}


@pytest.mark.parametrize(
    "changes",
    [
        {"agreement": 0.97},
        {"accuracy_fast": 0.69},
        {"rows": 50},
        {"source_hash": "0" * 64},
        {"export_version": -1},
        {"rows": "many"},
        {"extra_checks": [_FAILED_DEMO_CHECK]},
    ],
    ids=[
        "low-agreement",
        "accuracy-drop",
        "too-few-rows",
        "other-model",
        "old-recipe",
        "garbled",
        "second-dev-set-failed",
    ],
)
def test_auto_ignores_a_build_whose_record_does_not_pass(tmp_path, monkeypatch, changes):
    monkeypatch.setattr("checker.nli.NliModel", _TorchStub)
    model = _fake_model(tmp_path)
    h = model_cache.model_content_hash(model)
    _passing_record(model_cache.fast_backend_dir(model, "onnx-int8"), h, **changes)
    assert backends.find_fast_backend(model) is None
    assert isinstance(backends.load_nli(str(model), backend="auto"), _TorchStub)


def test_auto_uses_a_validated_build_and_falls_back_if_it_will_not_load(tmp_path, monkeypatch):
    monkeypatch.setattr("checker.nli.NliModel", _TorchStub)
    model = _fake_model(tmp_path)
    h = model_cache.model_content_hash(model)
    _passing_record(model_cache.fast_backend_dir(model, "onnx"), h)
    assert backends.find_fast_backend(model) == model_cache.fast_backend_dir(model, "onnx")
    _passing_record(model_cache.fast_backend_dir(model, "onnx-int8"), h)
    assert backends.find_fast_backend(model) == model_cache.fast_backend_dir(model, "onnx-int8")

    loaded = []

    class _OnnxStub:
        def __init__(self, folder, name=None, batch_size=32, max_length=256):
            loaded.append(folder)
            self.name = name

    monkeypatch.setattr(backends, "OnnxNliModel", _OnnxStub)
    nli = backends.load_nli(str(model), backend="auto")
    assert isinstance(nli, _OnnxStub) and nli.name == str(model)
    assert loaded == [model_cache.fast_backend_dir(model, "onnx-int8")]

    def _broken(*args, **kwargs):
        raise ModelError("corrupt graph")

    monkeypatch.setattr(backends, "OnnxNliModel", _broken)
    assert isinstance(backends.load_nli(str(model), backend="auto"), _TorchStub)


def test_explicit_fast_backend_with_unwritable_cache_says_so(tmp_path, monkeypatch):
    pytest.importorskip("onnxruntime", reason="the fast backend needs the optional extra 'fast'")
    model = _fake_model(tmp_path)
    not_a_dir = tmp_path / "cache-is-a-file"
    not_a_dir.write_text("")
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(not_a_dir))
    with pytest.raises(ModelError, match="cannot write the fast-backend cache"):
        backends.load_nli(str(model), backend="onnx-int8")


# ----------------------------------------------------------------------- real model (slow)


def test_content_hash_is_remembered_in_the_cache_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(tmp_path / "cache"))
    model = _fake_model(tmp_path)
    h = model_cache.model_content_hash(model)
    memo = json.loads((tmp_path / "cache" / model_cache.HASH_MEMO_FILE).read_text())
    assert memo[str(model.resolve())]["sha256"] == h
    # same sizes and times: the remembered hash is used (a new process hashes nothing)
    weights = model / "model.safetensors"
    st = weights.stat()
    weights.write_bytes(b"WEIGHTS")
    os.utime(weights, ns=(st.st_atime_ns, st.st_mtime_ns))
    model_cache._hash_files.cache_clear()
    assert model_cache.model_content_hash(model) == h
    # a changed time or size means hashing again
    os.utime(weights, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert model_cache.model_content_hash(model) != h


def test_store_keys_models_by_the_same_content_hash(tmp_path, monkeypatch):
    from checker.store import model_fingerprint

    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(tmp_path / "cache"))
    model = _fake_model(tmp_path)
    assert model_fingerprint(str(model)) == f"model:{model_cache.model_content_hash(model)[:16]}"
    assert model_fingerprint("org/hub-model") == "org/hub-model"


def test_content_hash_with_an_unwritable_cache_still_works(tmp_path, monkeypatch):
    not_a_dir = tmp_path / "cache-is-a-file"
    not_a_dir.write_text("")
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(not_a_dir))
    model = _fake_model(tmp_path)
    assert len(model_cache.model_content_hash(model)) == 64


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """(model folder, {variant: export folder}) built once for this module."""
    model = _require_model()
    root = tmp_path_factory.mktemp("onnx")
    return model, {
        "onnx": onnx_export.export_onnx(model, root / "fp32", quantize=False),
        "onnx-int8": onnx_export.export_onnx(model, root / "int8", quantize=True),
    }


@pytest.fixture(scope="module")
def torch_probs(exported):
    from checker.nli import NliModel

    return NliModel(str(exported[0])).predict(PAIRS)


@pytest.mark.slow
@pytest.mark.parametrize("variant, tol", [("onnx", FP32_TOL), ("onnx-int8", INT8_TOL)])
def test_fast_backend_agrees_with_torch(exported, torch_probs, variant, tol):
    model, folders = exported
    fast = backends.OnnxNliModel(folders[variant], name=str(model), batch_size=4)
    probs = fast.predict(PAIRS)
    assert probs.shape == (len(PAIRS), 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(probs, torch_probs, atol=tol)
    # the argmax must match wherever fp32 is not within the tolerance of a tie
    top2 = np.sort(torch_probs, axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 2 * tol
    assert (probs.argmax(1)[clear] == torch_probs.argmax(1)[clear]).all()


@pytest.mark.slow
def test_fast_backend_metadata_and_order(exported):
    model, folders = exported
    info = json.loads((folders["onnx-int8"] / model_cache.BACKEND_FILE).read_text())
    assert info["variant"] == "onnx-int8" and info["source_hash"] == model_cache.model_content_hash(model)
    fast = backends.OnnxNliModel(folders["onnx"], name=str(model), batch_size=3)
    assert fast.name == str(model)
    # input order is kept although batches are sorted by length; empty input gives (0, 3)
    np.testing.assert_allclose(fast.predict(PAIRS[::-1])[::-1], fast.predict(PAIRS), atol=1e-5)
    assert fast.predict([]).shape == (0, 3)
    seen = []
    fast.predict(PAIRS, progress=seen.append)
    assert sum(seen) == len(PAIRS)


@pytest.mark.slow
def test_fast_backend_tokenises_like_transformers(exported):
    from transformers import AutoTokenizer

    model, folders = exported
    fast = backends.OnnxNliModel(folders["onnx"], name=str(model), max_length=24)
    hf = AutoTokenizer.from_pretrained(str(model))
    ok = [p for p in PAIRS if len(hf(p[1])["input_ids"]) < 20]  # hypothesis fits: only_first works
    ours = fast._encode(ok)
    theirs = hf([p for p, _ in ok], [h for _, h in ok], truncation="only_first", max_length=24)
    assert [e.ids for e in ours] == theirs["input_ids"]
    assert [e.type_ids for e in ours] == theirs["token_type_ids"]
    # a hypothesis longer than the limit is cut (longest first) instead of failing the audit
    long = [("Short premise.", " ".join(["word"] * 60))]
    assert len(fast._encode(long)[0].ids) == 24


@pytest.mark.slow
def test_fast_backend_counts_tokens_like_torch_without_truncation(exported):
    """The long-input policy needs the true length of a premise from either backend."""
    from checker.nli import NliModel, NliPredictor

    model, folders = exported
    fast = backends.OnnxNliModel(folders["onnx"], name=str(model), max_length=24)
    ref = NliModel(str(model))
    long_text = " ".join(p for p, _ in PAIRS)  # well over 24 tokens
    for text in (long_text, PAIRS[6][0], ""):
        assert fast.count_tokens(text) == ref.count_tokens(text)
    assert fast.count_tokens(long_text) > 24
    assert isinstance(fast, NliPredictor) and isinstance(ref, NliPredictor)


@pytest.mark.slow
def test_temperature_is_applied_like_torch(exported):
    from checker.calibration import apply_temperature

    model, folders = exported
    fast = backends.OnnxNliModel(folders["onnx"], name=str(model))
    plain = fast.predict(PAIRS[:3])
    fast.temperature = 2.0
    np.testing.assert_allclose(fast.predict(PAIRS[:3]), apply_temperature(plain, 2.0), atol=1e-6)


def _write_dev_set(path: Path) -> Path:
    """PAIRS with gold labels, as a labeled JSONL dev set."""
    labels = [
        "entailment",
        "contradiction",
        "neutral",
        "contradiction",
        "neutral",
        "contradiction",
        "contradiction",
        "entailment",
        "entailment",
        "neutral",
    ]
    path.write_text(
        "".join(json.dumps({"premise": p, "hypothesis": h, "label": g}) + "\n" for (p, h), g in zip(PAIRS, labels))
    )
    return path


@pytest.mark.slow
def test_build_validate_and_auto(tmp_path, monkeypatch):
    """build_fast_backend writes a validation record; auto trusts it only when it passes."""
    model = _require_model()
    data = _write_dev_set(tmp_path / "dev.jsonl")
    cache = tmp_path / "cache"
    results = onnx_export.build_fast_backend(model, variants=("onnx",), data=data, root=cache)
    v = results["onnx"]
    assert v.rows == len(PAIRS) and v.agreement == 1.0 and not v.passed  # too few rows to trust
    folder = model_cache.fast_backend_dir(model, "onnx", cache)
    assert json.loads((folder / model_cache.VALIDATION_FILE).read_text())["passed"] is False
    assert backends.find_fast_backend(model, cache) is None
    monkeypatch.setattr(onnx_validate, "MIN_VALIDATION_ROWS", len(PAIRS))
    assert backends.find_fast_backend(model, cache) == folder
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(cache))
    nli = backends.load_nli(str(model), backend="auto")
    assert isinstance(nli, backends.OnnxNliModel) and nli.name == str(model)


@pytest.mark.slow
def test_export_command_then_audit_uses_the_validated_build(tmp_path, monkeypatch, corpus_dir):
    """`newscheck export-onnx` builds and validates; `audit --backend auto` then runs on ONNX
    and records it in the report; `--backend torch` still gives PyTorch."""
    from typer.testing import CliRunner

    from checker.cli import app

    model = _require_model()
    data = _write_dev_set(tmp_path / "dev.jsonl")
    monkeypatch.setattr(onnx_validate, "MIN_VALIDATION_ROWS", len(PAIRS))  # a 10-pair dev set, for speed
    runner = CliRunner()
    second = tmp_path / "demo.jsonl"  # a second dev set: checked too, without the row minimum
    second.write_text("".join(line + "\n" for line in data.read_text().splitlines()[:4]))
    built = runner.invoke(
        app, ["export-onnx", "--variant", "onnx", "--no-embedder", "--dev", str(data), "--dev", str(second), "--json"]
    )
    assert built.exit_code == 0, built.output
    record = json.loads(built.stdout)["onnx"]
    assert record["passed"] and record["rows"] == len(PAIRS) and record["agreement"] == 1.0
    assert [(c["rows"], c["passed"]) for c in record["extra_checks"]] == [(4, True)]
    assert backends.find_fast_backend(model) is not None
    reports = {}
    for backend in ("auto", "torch"):
        res = runner.invoke(app, ["audit", str(corpus_dir), "--json", "--quiet", "--no-store", "--backend", backend])
        assert res.exit_code == 0, res.output
        reports[backend] = json.loads(res.stdout)
    assert reports["auto"]["settings"]["nli_backend"] == "onnx"
    assert reports["torch"]["settings"]["nli_backend"] == "torch"
    # the fp32 graph gives the torch verdicts
    verdicts = {b: {p["id"]: p["verdict"] for p in r["pairs"]} for b, r in reports.items()}
    assert verdicts["auto"] == verdicts["torch"]
