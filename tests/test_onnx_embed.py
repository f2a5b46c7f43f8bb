"""The embedder's ONNX build: same vectors as PyTorch, used only when validated, and an audit
that then loads no torch (decision 0016)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from checker import onnx_embed
from checker.embed import TransformerEmbedder, load_embedder
from checker.model_cache import VALIDATION_FILE
from checker.models import default_embed_model_path

pytest.importorskip("onnxruntime")

REPO = Path(__file__).resolve().parents[1]

#: real news sentences, short and long, with figures, quotes and non-ASCII names
TEXTS = [
    "Ahmed al-Shami, governor of the coastal region of Tartus, told Reuters on Tuesday that 12,000 fighters had been paid.",
    "Hassan claims control of 12,000 fighters and has spent $1.5 million since March, according to his relatives.",
    "Russia withholds active support.",
    "The bridge will stay closed until at least Friday, the city's transport department said.",
    "Zürich-based Nestlé said sales rose 3.2% in the quarter.",
    "“We did not expect this,” said Maria Ocampo, 54.",
    "Officials said 310 people were killed, up from an earlier toll of 120.",
    "No.",
    "A magnitude 6.4 earthquake struck off the coast early on Monday, the USGS said, and a tsunami warning was lifted hours later "
    "after waves of less than a metre reached the shore; schools in three districts stayed closed while engineers checked buildings.",
]


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    """The embedder exported and validated once, into a cache folder of this module."""
    root = tmp_path_factory.mktemp("embed-cache")
    model = default_embed_model_path()
    folder = onnx_embed.embedder_build_dir(model, root)
    before = onnx_embed.MIN_TEXTS
    onnx_embed.MIN_TEXTS = len(TEXTS)  # a small validation set, for speed
    try:
        record = onnx_embed.build_embedder_backend(model, TEXTS, root=root)
    finally:
        onnx_embed.MIN_TEXTS = before
    return root, folder, record


@pytest.mark.slow
def test_build_gives_pytorch_vectors(build):
    root, folder, record = build
    assert record["passed"] and record["texts"] == len(TEXTS) and record["min_cosine"] >= onnx_embed.MIN_COSINE
    assert json.loads((folder / VALIDATION_FILE).read_text())["passed"] is True
    fast = onnx_embed.OnnxEmbedder(folder).encode(TEXTS + TEXTS[:2])
    slow = TransformerEmbedder().encode(TEXTS + TEXTS[:2])
    assert fast.shape == slow.shape == (len(TEXTS) + 2, 384)
    np.testing.assert_allclose(fast, slow, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    assert onnx_embed.OnnxEmbedder(folder).encode([]).shape == (0, 384)


@pytest.mark.slow
def test_auto_uses_only_a_validated_build_of_the_same_weights(build, monkeypatch):
    root, folder, _ = build
    model = default_embed_model_path()
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(root))
    assert onnx_embed.find_embedder_build(model) == folder
    assert isinstance(load_embedder(), onnx_embed.OnnxEmbedder)
    assert isinstance(load_embedder(backend="torch"), TransformerEmbedder)
    record = json.loads((folder / VALIDATION_FILE).read_text())
    try:
        (folder / VALIDATION_FILE).write_text(json.dumps(record | {"passed": False}))
        assert onnx_embed.find_embedder_build(model) is None
        assert isinstance(load_embedder(), TransformerEmbedder)
        (folder / VALIDATION_FILE).write_text(json.dumps(record | {"source_hash": "0" * 64}))
        assert onnx_embed.find_embedder_build(model) is None  # other weights
    finally:
        (folder / VALIDATION_FILE).write_text(json.dumps(record))


@pytest.mark.slow
def test_too_few_texts_do_not_validate(build):
    """The rule needs MIN_TEXTS texts: a handful that agree is still no validation."""
    _, folder, record = build
    try:
        again = onnx_embed.validate_embedder(folder, default_embed_model_path(), TEXTS)
        assert again["min_cosine"] >= onnx_embed.MIN_COSINE and again["passed"] is False
        assert onnx_embed.find_embedder_build(default_embed_model_path(), folder.parents[2]) is None
    finally:
        (folder / VALIDATION_FILE).write_text(json.dumps(record))


@pytest.mark.slow
def test_audit_with_onnx_builds_loads_no_torch(tmp_path, corpus_dir):
    """With validated ONNX builds of both models, an audit in a fresh process never imports
    torch or transformers (spaCy's thinc would import torch, decision 0016) and gives the
    PyTorch audit's verdicts."""
    cache = tmp_path / "cache"
    script = f"""
import json, sys
from checker import onnx_embed, onnx_validate
from checker.onnx_export import build_fast_backend
onnx_validate.MIN_VALIDATION_ROWS = 4
onnx_embed.MIN_TEXTS = 8
dev = {str(tmp_path / "dev.jsonl")!r}
build_fast_backend(variants=("onnx",), data=dev, root={str(cache)!r})
pairs = [json.loads(line) for line in open(dev)]
onnx_embed.build_embedder_backend(texts=[t for p in pairs for t in (p["premise"], p["hypothesis"])], root={str(cache)!r})
"""
    rows = [(a, b, "entailment") for a, b in zip(TEXTS[:4], TEXTS[4:8])]
    (tmp_path / "dev.jsonl").write_text(
        "".join(json.dumps({"premise": a, "hypothesis": b, "label": g}) + "\n" for a, b, g in rows)
    )
    env = {"NEWSCHECK_CACHE_DIR": str(cache), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO, env=env, capture_output=True)
    audit = """
import json, sys
from checker import onnx_validate, onnx_embed
onnx_validate.MIN_VALIDATION_ROWS = 4
onnx_embed.MIN_TEXTS = 8
from checker.api import audit
report = audit(sys.argv[1], backend=sys.argv[2], store=None)
print(json.dumps({"torch": "torch" in sys.modules or "transformers" in sys.modules,
                  "backend": report.settings.nli_backend,
                  "verdicts": {p.id: p.verdict for p in report.pairs}}))
"""
    out = {}
    for backend in ("auto", "torch"):
        done = subprocess.run(
            [sys.executable, "-c", audit, str(corpus_dir), backend], cwd=REPO, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-2000:]
        out[backend] = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["auto"]["backend"] == "onnx" and out["auto"]["torch"] is False
    assert out["torch"]["backend"] == "torch" and out["torch"]["torch"] is True
    same = sum(out["auto"]["verdicts"][k] == v for k, v in out["torch"]["verdicts"].items())
    assert same == len(out["torch"]["verdicts"])  # fp32 graphs: the PyTorch verdicts
