"""`newscheck eval`: what scored the file, per-example predictions, scores per field, and the
final verdicts (the audit path: claims, typed checks, verdict) scored on labeled pairs."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from conftest import HashEmbedder
from typer.testing import CliRunner

from checker.cli import app

runner = CliRunner()

# premise, hypothesis, NLI label, kind, gold verdict (premise as A)
ROWS = [
    (
        "The storm destroyed 300 homes in Riverton on Monday.",
        "The storm destroyed 3,000 homes in Riverton on Monday.",
        "contradiction",
        "number",
        "contradiction",
    ),
    (
        "The storm destroyed 300 homes in Riverton on Monday.",
        "The storm destroyed 300 homes in Riverton.",
        "entailment",
        "detail",
        "a_adds",
    ),
    (
        "The storm destroyed 300 homes in Riverton.",
        "The storm destroyed 300 homes in Riverton on Monday.",
        "neutral",
        "detail",
        "b_adds",
    ),
    (
        "The mayor said 1,200 residents were moved to schools.",
        "The mayor said 1,200 residents were moved to schools.",
        "entailment",
        "paraphrase",
        "agree",
    ),
    ("Rain is expected on Friday.", "The mayor opened a school.", "neutral", "topic", "neutral"),
    (  # the word model misses a synonym: its one wrong answer
        "Officials said the bridge will reopen.",
        "Officials said the span will reopen.",
        "entailment",
        "paraphrase",
        "agree",
    ),
]


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower().replace(",", "")))


class WordNli:
    """Contradiction when the numbers differ, entailment when every word of the hypothesis is
    in the premise, else neutral: direction-aware, so a pair can be a_adds or b_adds."""

    backend = "torch"
    temperature = 1.0

    def __init__(self, name: str):
        self.name = name

    def predict(self, pairs, progress=None):
        out = []
        for premise, hypothesis in pairs:
            p, h = _words(premise), _words(hypothesis)
            if {w for w in p if w.isdigit()} != {w for w in h if w.isdigit()}:
                out.append([0.05, 0.15, 0.8])
            elif h <= p:
                out.append([0.8, 0.15, 0.05])
            else:
                out.append([0.1, 0.8, 0.1])
        if progress:
            progress(len(pairs))
        return np.array(out, dtype=np.float32).reshape(len(pairs), 3)


@pytest.fixture
def model_dir(tmp_path):
    folder = tmp_path / "word-model"
    folder.mkdir()
    (folder / "config.json").write_text('{"id2label": {"0": "entailment", "1": "neutral", "2": "contradiction"}}')
    (folder / "weights.bin").write_bytes(b"\x00\x01" * 100)
    return folder


@pytest.fixture
def word_models(monkeypatch, model_dir):
    """`eval` and `eval --verdicts` load the word model (and a hashed bag-of-words embedder)."""
    from checker.label import Thresholds

    monkeypatch.setattr("checker.backends.load_nli", lambda name=None, backend="auto", **kw: WordNli(str(model_dir)))
    monkeypatch.setattr(
        "checker.pipeline.load_models", lambda *a, **kw: (WordNli(str(model_dir)), HashEmbedder(), Thresholds())
    )


def _labeled(tmp_path, with_verdict=True, with_label=True):
    path = tmp_path / "pairs.jsonl"
    lines = []
    for i, (premise, hypothesis, label, kind, verdict) in enumerate(ROWS):
        row = {"id": f"r{i}", "premise": premise, "hypothesis": hypothesis, "kind": kind}
        if with_label:
            row["label"] = label
        if with_verdict:
            row["verdict"] = verdict
        lines.append(json.dumps(row))
    path.write_text("\n".join(lines) + "\n")
    return path


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _json(result):
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_json_records_model_path_hash_and_backend(tmp_path, word_models, model_dir):
    from checker.model_cache import model_content_hash

    [res] = _json(_run("eval", _labeled(tmp_path), "--json", "-q"))
    assert res["model"] == str(model_dir) and res["backend"] == "torch"
    assert res["model_hash"] == model_content_hash(model_dir) and len(res["model_hash"]) == 64
    assert res["accuracy"] == pytest.approx(5 / 6)


def test_predictions_file_has_one_line_per_pair(tmp_path, word_models):
    preds = tmp_path / "out" / "preds.jsonl"
    _json(_run("eval", _labeled(tmp_path), "--json", "-q", "--predictions", preds))
    records = [json.loads(line) for line in preds.read_text().splitlines()]
    assert [r["fields"]["id"] for r in records] == [f"r{i}" for i in range(len(ROWS))]
    assert [r["gold"] for r in records] == [row[2] for row in ROWS]
    assert [r["correct"] for r in records] == [True] * 5 + [False]
    assert records[0]["predicted"] == "contradiction" and records[0]["probs"]["contradiction"] == pytest.approx(0.8)
    assert records[5]["premise"] == ROWS[5][0] and records[5]["fields"]["kind"] == "paraphrase"
    # the same overwrite rule as every other file newscheck writes
    before = preds.read_bytes()
    result = _run("eval", _labeled(tmp_path), "-q", "--predictions", preds)
    assert result.exit_code == 2 and "--force" in result.stderr and preds.read_bytes() == before


def test_by_kind_breaks_the_scores_down(tmp_path, word_models):
    [res] = _json(_run("eval", _labeled(tmp_path), "--json", "-q", "--by", "kind"))
    groups = res["by"]["groups"]
    assert res["by"]["field"] == "kind" and list(groups) == ["detail", "number", "paraphrase", "topic"]
    assert {k: g["n"] for k, g in groups.items()} == {"detail": 2, "number": 1, "paraphrase": 2, "topic": 1}
    assert groups["paraphrase"]["accuracy"] == 0.5 and groups["number"]["accuracy"] == 1.0
    assert groups["paraphrase"]["per_class"]["entailment"]["recall"] == 0.5
    text = _run("eval", _labeled(tmp_path), "-q", "--by", "kind").output
    assert "by kind" in text and "paraphrase" in text


def test_by_a_field_no_row_has_is_one_error_line(tmp_path, word_models):
    result = _run("eval", _labeled(tmp_path), "-q", "--by", "source")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()] and "'source'" in result.stderr


def test_verdicts_scores_the_audit_verdicts_on_gold_verdicts(tmp_path, word_models):
    preds = tmp_path / "verdicts.jsonl"
    [res] = _json(
        _run("eval", _labeled(tmp_path), "--verdicts", "--json", "-q", "--predictions", preds, "--by", "kind")
    )
    assert res["mode"] == "verdicts" and res["scored_on"] == "verdict" and res["n"] == len(ROWS)
    records = [json.loads(line) for line in preds.read_text().splitlines()]
    # the premise is A: a premise with more detail is a_adds, one with less b_adds
    assert [r["verdict"] for r in records] == ["contradiction", "a_adds", "b_adds", "agree", "neutral", "neutral"]
    assert records[0]["finding_type"] == "number" and records[0]["claim_pairs"] >= 1
    assert res["accuracy"] == pytest.approx(5 / 6)
    assert res["per_class"]["agree"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert res["confusion"]["labels"] == ["contradiction", "agree", "a_adds", "b_adds", "neutral"]
    assert res["verdicts"] == {"contradiction": 1, "a_adds": 1, "b_adds": 1, "agree": 1, "neutral": 2}
    assert res["by"]["groups"]["paraphrase"]["accuracy"] == 0.5
    assert res["embed_model"] == "fake-embedder" and res["backend"] == "torch"


def test_verdicts_on_nli_labels_read_each_verdict_as_the_label_it_implies(tmp_path, word_models):
    [res] = _json(_run("eval", _labeled(tmp_path, with_verdict=False), "--verdicts", "--json", "-q"))
    assert res["scored_on"] == "nli_label" and res["confusion"]["labels"] == ["entailment", "neutral", "contradiction"]
    assert res["accuracy"] == pytest.approx(5 / 6)  # a_adds -> entailment, b_adds -> neutral


def test_a_file_of_verdicts_alone_is_read(tmp_path, word_models):
    from checker.labeled import read_labeled

    path = _labeled(tmp_path, with_label=False)
    assert [r.label for r in read_labeled(path).rows] == ["contradiction", "entailment", "neutral"] + [
        "entailment",
        "neutral",
        "entailment",
    ]
    [res] = _json(_run("eval", path, "--verdicts", "--json", "-q"))
    assert res["scored_on"] == "verdict"


def test_verdicts_refuse_nli_only_options(tmp_path, word_models):
    result = _run("eval", _labeled(tmp_path), "--verdicts", "--plots", tmp_path / "plots")
    assert result.exit_code == 2 and "--verdicts" in result.stderr
    assert not (tmp_path / "plots").exists()


@pytest.mark.slow
def test_verdicts_with_the_shipped_models(tmp_path):
    """The real audit path (spaCy claims and frames, the calibrated verdict) on three demo pairs."""
    from checker.model_cache import model_content_hash
    from checker.nli import default_nli_model_path

    [res] = _json(
        _run("eval", "eval/demo_pairs.jsonl", "--limit", "3", "--verdicts", "--json", "-q", "--backend", "torch")
    )
    assert res["n"] == 3 and res["scored_on"] == "nli_label" and sum(res["verdicts"].values()) == 3
    assert res["model_hash"] == model_content_hash(default_nli_model_path()) and res["backend"] == "torch"
    assert set(res["verdicts"]) <= {"contradiction", "updated", "agree", "a_adds", "b_adds", "neutral"}
