"""The command line as a new user meets it: readable help, one vocabulary, one overwrite rule,
`inspect` that keeps its promises, and an HTML page that filters and marks only what differs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import get_args

import pytest
from conftest import STORY
from typer.main import get_command
from typer.testing import CliRunner

from checker.cli import app

runner = CliRunner()
COMMANDS = ("audit", "inspect", "report", "eval", "eval-audit", "export-onnx", "train-nli")


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _one_error_line(result, *needles: str) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("newscheck: error:"), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def report_file(tmp_path, fake_models) -> Path:
    """A report of three outlets on one storm (fake models: different numbers contradict)."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in {
        **STORY,
        "third.txt": "The storm destroyed 30 homes in Riverton on Monday, a witness said.\n",
    }.items():
        (corpus / name).write_text(text, encoding="utf-8")
    out = tmp_path / "report.json"
    result = _run("audit", corpus, "--out", out, "--no-store", "-q")
    assert result.exit_code == 0, result.output
    return out


# -- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_help_fits_80_columns_with_nothing_cut_off(monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "80")
    result = _run(command, "--help")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.output and "--no-no-" not in result.output
    # every option with a value names it in capitals or lists its choices, never a type
    for line in lines:
        if line.lstrip().startswith("-"):
            assert "<" not in line.split("  ")[0], line


def test_arguments_have_capital_metavars():
    for command, name in (("audit", "CORPUS"), ("inspect", "REPORT"), ("report", "REPORT"), ("eval", "FILE")):
        usage = _run(command, "--help").output.splitlines()[0]
        assert "{" + name in usage and "{" + name.lower() not in usage, usage


def test_store_options_are_one_pair():
    help_text = _run("audit", "--help").output
    assert "--store FILE" in help_text and "--no-store " in help_text
    _one_error_line(_run("audit", "corpus", "--no-no-store"), "No such option")


def test_store_and_no_store_together_is_an_error(tmp_path):
    _one_error_line(_run("audit", tmp_path, "--store", tmp_path / "s.sqlite", "--no-store"), "--no-store")


def test_every_backend_option_has_the_same_default_and_choices():
    from checker.backends import BACKENDS
    from checker.cli_common import BackendName

    assert get_args(BackendName) == BACKENDS
    group = get_command(app)
    found = {}
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        for param in cmd.params:
            if param.name == "backend":
                found[name] = param.default
    assert {"audit", "eval", "eval-audit"} <= set(found)
    assert set(found.values()) == {"auto"}, found
    for name in found:
        help_text = _run(name, "--help").output
        assert "--backend [" + "|".join(BACKENDS) + "]" in help_text and "[default: auto]" in help_text, name


def test_export_onnx_variant_lists_only_builds():
    line = next(ln for ln in _run("export-onnx", "--help").output.splitlines() if "--variant" in ln)
    assert "onnx-int8|onnx" in line and "torch" not in line and "auto" not in line


def test_a_usage_error_is_one_line(tmp_path):
    _one_error_line(_run("inspect", tmp_path / "r.json", "--verdict", "contradictions"), "--verdict", "updated")
    _one_error_line(_run("audit"), "Missing argument 'CORPUS'")
    _one_error_line(_run("--bogus"), "No such option: --bogus")


# -- one vocabulary ----------------------------------------------------------------------------


def test_one_vocabulary_for_verdicts_labels_and_finding_types(report_file):
    from checker import findings, types
    from checker.report import load_report

    assert get_args(types.Verdict) == types.VERDICTS
    assert get_args(types.NliLabel) == types.NLI_LABELS
    assert findings.FINDING_TYPES == types.FINDING_TYPES  # the typed checks use the same names
    assert set(types.VERDICT_NLI_LABELS) == set(types.VERDICTS)
    assert tuple(load_report(report_file)["summary"]["verdicts"]) == types.VERDICTS
    # every verdict is an accepted --verdict value, "updated" included
    for verdict in types.VERDICTS:
        assert _run("inspect", report_file, "--verdict", verdict).exit_code == 0, verdict
    for finding_type in types.FINDING_TYPES:
        assert _run("inspect", report_file, "--type", finding_type).exit_code == 0, finding_type


# -- inspect -----------------------------------------------------------------------------------


def test_inspect_lists_strongest_first_and_says_how_many_are_shown(report_file, tmp_path):
    from checker.report import load_report, write_report

    data = load_report(report_file)
    assert len(data["pairs"]) >= 4
    # scores as the issue saw them, one decided by a rule: strongest first regardless
    for p, score in zip(data["pairs"], (0.36, 0.06, 0.87, 0.06, 0.5, 0.2)):
        p["score"], p["verdict"] = score, "contradiction"
    data["pairs"][0]["evidence"] = "rule:number"
    edited = write_report(data, tmp_path / "edited.json")
    result = _run("inspect", edited, "--json")
    scores = [p["score"] for p in json.loads(result.stdout)]
    assert scores == sorted(scores, reverse=True) and scores[0] == 0.87
    n = len(data["pairs"])
    result = _run("inspect", edited, "--limit", 2)
    assert result.exit_code == 0
    assert result.output.rstrip().splitlines()[-1] == f"2 of {n} shown (--limit {n} shows all)"
    result = _run("inspect", edited)
    assert result.output.rstrip().splitlines()[-1] == f"{n} of {n} shown"


def test_inspect_doc_matches_outlet_names_and_rejects_unknown_ones(report_file):
    result = _run("inspect", report_file, "--doc", "gazette", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)
    line = _one_error_line(_run("inspect", report_file, "--doc", "Nope"), "'Nope'", "outlets:")
    outlets = {d["outlet"] for d in json.loads(report_file.read_text())["documents"]}
    assert all(o in line for o in outlets)


# -- one overwrite rule ------------------------------------------------------------------------


def test_audit_out_never_replaces_an_existing_file_without_force(report_file, fake_models):
    corpus = report_file.parent / "corpus"
    before = report_file.read_bytes()
    _one_error_line(_run("audit", corpus, "--out", report_file, "--no-store", "-q"), "already exists", "--force")
    assert report_file.read_bytes() == before  # not even a previous report is replaced
    (corpus / "third.txt").unlink()
    assert _run("audit", corpus, "--out", report_file, "--no-store", "-q", "--force").exit_code == 0
    assert json.loads(report_file.read_text())["summary"]["documents"] == 2


def test_report_html_follows_the_same_rule(report_file):
    page = report_file.parent / "review.html"
    page.write_text("mine")
    _one_error_line(_run("report", report_file, "--html", page), "already exists", "--force")
    assert page.read_text() == "mine"
    assert _run("report", report_file, "--html", page, "--force").exit_code == 0


# -- HTML: marks only what differs; search, confidence, hide dismissed ---------------------------


def _marked(a: str, b: str) -> tuple[list[str], list[str]]:
    from checker.views.diff import word_diff

    da, db = word_diff(a, b)
    return [a[s:e] for s, e, d in da if d], [b[s:e] for s, e, d in db if d]


def test_a_reordered_paraphrase_marks_nothing_and_an_edit_marks_only_the_edit():
    assert _marked(
        "The storm destroyed 300 homes in Riverton on Monday, officials said.",
        "On Monday, officials said, the storm destroyed 300 homes in Riverton.",
    ) == ([], [])
    assert _marked("The storm destroyed 300 homes.", "The storm destroyed 3,000 homes.") == (["300"], ["3,000"])
    assert _marked("Officials said the bridge will reopen.", "Officials said the bridge will not reopen.") == (
        [],
        ["not"],
    )
    # two different sentences: marking most of both says nothing
    assert _marked("The mayor opened a school.", "Rain is expected in the north on Friday.") == ([], [])


def test_html_marks_only_differing_words(report_file):
    from checker.report import load_report
    from checker.views.html import render_html

    data = load_report(report_file)
    for p in data["pairs"]:
        p["finding"] = None  # the word diff, not a typed check's spans
    page = render_html(data)
    marks = page.count("<mark>")
    words = sum(len((p["a_text"] + " " + p["b_text"]).split()) for p in data["pairs"])
    assert 0 < marks <= len(data["pairs"]) * 2 < words / 4


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Debian's chromium is not installed")
def test_html_filters_by_text_confidence_and_dismissal_in_chromium(report_file, tmp_path):
    from playwright.sync_api import sync_playwright

    from checker.report import load_report, write_report

    data = load_report(report_file)
    pairs = data["pairs"]
    for i, p in enumerate(pairs):
        p["score"] = round(0.1 + 0.8 * i / max(len(pairs) - 1, 1), 4)
    pairs[-1]["dismissed"] = "same figure, rounded"
    edited = write_report(data, tmp_path / "edited.json")
    page_path = tmp_path / "review.html"
    assert _run("report", edited, "--html", page_path).exit_code == 0
    n = len(pairs)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium") or "/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page()
        page.goto(page_path.as_uri())
        count = lambda: page.locator("#count").inner_text()  # noqa: E731
        assert count() == f"{n} pairs shown"
        page.fill("#f-search", "witness")
        with_witness = sum("witness" in (p["a_text"] + p["b_text"]).lower() for p in pairs)
        assert 0 < with_witness < n and count() == f"{with_witness} pairs shown"
        page.fill("#f-search", "")
        page.locator("#f-score").fill("0.5")
        assert count() == f"{sum(p['score'] >= 0.5 for p in pairs)} pairs shown"
        page.locator("#f-score").fill("0")
        page.check("#f-hide-dismissed")
        assert count() == f"{n - 1} pairs shown"
        assert page.locator(f".pair:has-text('{pairs[-1]['id']}')").is_hidden()
        browser.close()
