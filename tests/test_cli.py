"""The command line on bad input: one clear line on stderr, a non-zero exit, no traceback."""

import json

import pytest
from typer.testing import CliRunner

from checker.cli import app

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _one_error_line(result, needle: str, code: int = 2):
    assert result.exit_code == code, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("newscheck: error:"), result.stderr
    assert needle in lines[0]
    assert "Traceback" not in result.output


def test_missing_folder(tmp_path):
    _one_error_line(_run("audit", tmp_path / "nope"), "does not exist")


def test_empty_folder(tmp_path):
    _one_error_line(_run("audit", tmp_path), "is empty")


def test_folder_without_supported_files(tmp_path):
    (tmp_path / "a.docx").write_bytes(b"PK")
    _one_error_line(_run("audit", tmp_path), "no supported files")


def test_folder_with_only_unreadable_files(tmp_path):
    (tmp_path / "a.txt").write_bytes("caf\xe9 au lait".encode("latin-1"))
    (tmp_path / "b.txt").write_text("")
    _one_error_line(_run("audit", tmp_path), "no readable articles")


def test_a_single_article_is_nothing_to_compare(tmp_path):
    (tmp_path / "only.txt").write_text("Officials said the bridge will reopen on Monday after repairs.\n")
    _one_error_line(_run("audit", tmp_path), "needs at least two")


def test_model_path_that_does_not_exist(corpus_dir, tmp_path):
    _one_error_line(_run("audit", corpus_dir, "--nli-model", tmp_path / "no-model"), "does not exist")


def test_model_path_without_a_model(corpus_dir, tmp_path):
    (tmp_path / "empty-model").mkdir()
    _one_error_line(_run("audit", corpus_dir, "--embed-model", tmp_path / "empty-model"), "holds no model")


@pytest.mark.parametrize(
    "content,needle",
    [
        (None, "does not exist"),
        ("{not json", "not valid JSON"),
        ('{"hello": 1}', "not a newscheck report"),
    ],
)
def test_unreadable_report(tmp_path, content, needle):
    path = tmp_path / "r.json"
    if content is not None:
        path.write_text(content)
    _one_error_line(_run("inspect", path), needle)


def test_out_never_overwrites_a_foreign_file(corpus_dir, tmp_path):
    precious = tmp_path / "notes.json"
    precious.write_text('{"mine": true}')
    _one_error_line(_run("audit", corpus_dir, "--out", precious), "--force")
    assert json.loads(precious.read_text()) == {"mine": True}


def test_help_lists_commands():
    result = _run("--help")
    assert result.exit_code == 0
    for cmd in ("audit", "inspect"):
        assert cmd in result.output


def test_export_onnx_with_a_missing_dev_set(tmp_path):
    _one_error_line(_run("export-onnx", "--dev", tmp_path / "nope.jsonl"), "dev set does not exist")


def test_export_onnx_rejects_a_non_onnx_variant():
    _one_error_line(_run("export-onnx", "--variant", "torch"), "--variant must be one of")


def test_export_onnx_needs_a_local_model():
    _one_error_line(_run("export-onnx", "--nli-model", "some-org/some-model"), "needs a local model folder")
