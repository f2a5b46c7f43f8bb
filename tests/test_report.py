"""Report building and rendering, through the real pipeline with small fake models."""

import io
import json

import numpy as np
import pytest
from rich.console import Console

from checker.errors import InputError
from checker.pipeline import audit
from checker.report import load_report, report_to_dict, write_report
from checker.views.terminal import filter_pairs, render_pairs, render_summary

A = "Officials said [the] storm destroyed 300 homes in [/bold] Riverton on Monday."
B = "The storm destroyed 3,000 homes in Riverton, officials said."


class TinyEmbedder:
    name = "tiny"

    def encode(self, texts):
        return np.array([[1.0, 0.0] if "storm" in t else [0.0, 1.0] for t in texts], dtype=np.float32)


class TableNli:
    name = "table-nli"

    def predict(self, pairs, progress=None):
        return np.array(
            [[0.05, 0.15, 0.8] if "storm" in p and "storm" in h else [0.1, 0.8, 0.1] for p, h in pairs],
            dtype=np.float32,
        )


@pytest.fixture
def report_data(tmp_path):
    (tmp_path / "one.txt").write_text(A + "\nThe mayor visited the shelters later that day.\n", encoding="utf-8")
    (tmp_path / "two.txt").write_text(B + "\n", encoding="utf-8")
    rep = audit(tmp_path, TableNli(), TinyEmbedder())
    return report_to_dict(rep, corpus=str(tmp_path))


def test_report_dict_is_complete_and_typed(report_data):
    assert report_data["schema_version"] == "1.4"
    [pair] = [p for p in report_data["pairs"] if p["verdict"] == "contradiction"]
    assert {pair["a_text"], pair["b_text"]} == {A, B}
    assert pair["finding"]["type"] == "number"
    assert pair["a_to_b"]["contradiction"] == pytest.approx(0.8)
    assert report_data["summary"]["verdicts"]["contradiction"] == 1
    assert report_data["clusters"] and report_data["clusters"][0]["has_conflict"]


def test_rendering_keeps_bracketed_text_verbatim(report_data):
    buf = io.StringIO()
    console = Console(file=buf, width=140, color_system=None)
    render_summary(console, report_data)
    render_pairs(console, filter_pairs(report_data, verdict="contradiction"))
    out = buf.getvalue()
    assert "[/bold]" in out and "[the]" in out
    assert "Facts in conflict" in out


def test_summary_with_top_zero_still_counts_contradictions(report_data):
    buf = io.StringIO()
    render_summary(Console(file=buf, width=140, color_system=None), report_data, top=0)
    out = buf.getvalue()
    assert "1 contradictions" in out and "No contradictions found" not in out
    assert "Strongest contradictions" not in out and "Facts in conflict" not in out


def test_write_and_load_round_trip(report_data, tmp_path):
    path = write_report(report_data, tmp_path / "r.json")
    assert load_report(path)["pairs"] == report_data["pairs"]
    with pytest.raises(InputError, match="already exists"):
        write_report(report_data, path)
    old = dict(report_data, schema_version="0.9")
    (tmp_path / "old.json").write_text(json.dumps(old))
    with pytest.raises(InputError, match="not supported"):
        load_report(tmp_path / "old.json")


def test_inspect_filters_by_finding_type(report_data, tmp_path):
    from typer.testing import CliRunner

    from checker.cli import app

    assert [p["finding"]["type"] for p in filter_pairs(report_data, finding_type="number")] == ["number"]
    assert filter_pairs(report_data, finding_type="role/title") == []
    path = write_report(report_data, tmp_path / "r.json")
    runner = CliRunner()
    res = runner.invoke(app, ["inspect", str(path), "--type", "number", "--json"])
    assert res.exit_code == 0 and len(json.loads(res.stdout)) == 1
    bad = runner.invoke(app, ["inspect", str(path), "--type", "numbers"])
    assert bad.exit_code == 2 and "Invalid value for '--type'" in bad.stderr and "'role/title'" in bad.stderr
