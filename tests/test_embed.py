"""The embedder: sentence-transformers folders run with transformers directly give the same
vectors, anything else still loads, and an audit never imports sentence-transformers."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from checker.embed import SentenceTransformerEmbedder, TransformerEmbedder, direct_pooling, load_embedder
from checker.models import default_embed_model_path


def _modules(*types_and_paths):
    return [
        {"idx": i, "name": str(i), "path": path, "type": f"sentence_transformers.models.{kind}"}
        for i, (kind, path) in enumerate(types_and_paths)
    ]


def _folder(tmp_path, modules=None, pooling=None, st_config=None) -> Path:
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "config.json").write_text("{}", encoding="utf-8")
    if modules is not None:
        (folder / "modules.json").write_text(json.dumps(modules), encoding="utf-8")
    if pooling is not None:
        (folder / "1_Pooling").mkdir()
        (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling), encoding="utf-8")
    if st_config is not None:
        (folder / "sentence_bert_config.json").write_text(json.dumps(st_config), encoding="utf-8")
    return folder


MEAN = {"word_embedding_dimension": 384, "pooling_mode_mean_tokens": True, "pooling_mode_cls_token": False}
CLS = {"word_embedding_dimension": 384, "pooling_mode_mean_tokens": False, "pooling_mode_cls_token": True}


def test_the_bundled_model_runs_directly_with_its_settings():
    assert direct_pooling(default_embed_model_path()) == {"pooling": "mean", "max_seq_length": 256, "lower_case": False}


def test_pooling_and_limits_are_read_from_the_folder(tmp_path):
    folder = _folder(
        tmp_path,
        _modules(("Transformer", ""), ("Pooling", "1_Pooling")),
        CLS,
        {"max_seq_length": 128, "do_lower_case": True},
    )
    assert direct_pooling(folder) == {"pooling": "cls", "max_seq_length": 128, "lower_case": True}


def test_a_plain_transformers_folder_gets_mean_pooling(tmp_path):
    assert direct_pooling(_folder(tmp_path)) == {"pooling": "mean", "max_seq_length": None, "lower_case": False}


@pytest.mark.parametrize(
    "modules, pooling",
    [
        # a dense projection after pooling changes the vectors: sentence-transformers runs it
        (_modules(("Transformer", ""), ("Pooling", "1_Pooling"), ("Dense", "2_Dense"), ("Normalize", "3")), MEAN),
        # two pooling modes at once are concatenated
        (_modules(("Transformer", ""), ("Pooling", "1_Pooling")), {**MEAN, "pooling_mode_max_tokens": True}),
        (_modules(("Transformer", ""), ("Pooling", "1_Pooling")), {**MEAN, "pooling_mode_mean_sqrt_len_tokens": True}),
        (_modules(("Transformer", ""), ("Pooling", "1_Pooling")), {"pooling_mode_weightedmean_tokens": True}),
        (_modules(("Transformer", "0_Transformer"), ("Pooling", "1_Pooling")), MEAN),
        ("not a list", None),
    ],
)
def test_anything_else_goes_through_sentence_transformers(tmp_path, modules, pooling):
    assert direct_pooling(_folder(tmp_path, modules, pooling)) is None


def test_an_unreadable_modules_file_is_not_run_directly(tmp_path):
    folder = _folder(tmp_path)
    (folder / "modules.json").write_text("{broken", encoding="utf-8")
    assert direct_pooling(folder) is None


@pytest.mark.slow
def test_direct_vectors_equal_sentence_transformers_vectors(corpus_dir):
    texts = [ln.strip() for f in sorted(corpus_dir.glob("*.txt")) for ln in f.read_text(encoding="utf-8").splitlines()]
    texts = [t for t in texts if t][:120] + ["", "  padded  ", "Same text.", "Same text."]
    direct = load_embedder()
    assert isinstance(direct, TransformerEmbedder)
    ours, theirs = direct.encode(texts), SentenceTransformerEmbedder().encode(texts)
    assert ours.shape == theirs.shape == (len(texts), 384)
    assert np.abs(ours - theirs).max() < 1e-5
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert direct.encode([]).shape == (0, 384)


@pytest.mark.slow
def test_other_pooling_runs_directly_or_through_sentence_transformers(tmp_path):
    folder = tmp_path / "copy"
    shutil.copytree(default_embed_model_path(), folder)
    modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    (folder / "modules.json").write_text(json.dumps(modules[:2]), encoding="utf-8")  # no Normalize module
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(CLS), encoding="utf-8")
    cls_direct = load_embedder(str(folder))
    assert isinstance(cls_direct, TransformerEmbedder) and cls_direct.pooling == "cls"
    texts = ["One sentence.", "A second, longer sentence about 12,000 fighters."]
    assert np.abs(cls_direct.encode(texts) - SentenceTransformerEmbedder(str(folder)).encode(texts)).max() < 1e-5
    (folder / "1_Pooling" / "config.json").write_text(json.dumps({**MEAN, "pooling_mode_max_tokens": True}))
    both = load_embedder(str(folder))
    assert isinstance(both, SentenceTransformerEmbedder)
    assert both.encode(texts).shape == (2, 768)  # mean and max concatenated


@pytest.mark.slow
def test_an_audit_never_imports_sentence_transformers(tmp_path, corpus_dir):
    code = (
        "import sys; from checker import audit; "
        f"r = audit({str(corpus_dir)!r}, backend='torch', store=None); "
        "print(len(r.pairs), sorted(m for m in ('sentence_transformers', 'pandas', 'sklearn') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    count, modules = out.stdout.strip().split(" ", 1)
    assert int(count) > 100 and modules == "[]"
