"""The Python API (checker.api, re-exported by checker): audit, Auditor, load_report, evaluate."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from conftest import STORY, DigitNli, HashEmbedder

import checker
from checker import Auditor, audit, evaluate, load_report
from checker.errors import InputError
from checker.store import Store

REPO = Path(__file__).resolve().parents[1]


def _corpus(tmp_path: Path, name: str = "corpus", files: dict | None = None) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for fname, text in (files or STORY).items():
        (folder / fname).write_text(text, encoding="utf-8")
    return folder


def _contradictions(report) -> list:
    return [p for p in report.pairs if p.verdict == "contradiction"]


def test_import_checker_loads_nothing_heavy():
    code = (
        "import sys, checker; from checker import audit, Auditor, load_report, evaluate; "
        "print(sorted(m for m in ('torch', 'transformers', 'spacy', 'sentence_transformers') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO.parent)
    assert out.stdout.strip() == "[]", out.stderr


def test_public_names_are_the_api():
    from checker import api, report

    assert checker.audit is api.audit and checker.Auditor is api.Auditor
    assert load_report is report.load_report
    assert {"audit", "Auditor", "load_report", "evaluate"} <= set(checker.__all__) <= set(dir(checker))
    with pytest.raises(AttributeError):
        checker.no_such_name  # noqa: B018


def test_evaluate_stays_the_function_after_its_submodule_is_imported():
    import checker.evaluate  # noqa: F401  (the module of the same name)
    from checker.evaluate import read_labeled

    assert callable(read_labeled)
    assert checker.evaluate is evaluate and evaluate.__module__ == "checker"


def test_audit_returns_the_report(tmp_path, fake_models):
    report = audit(_corpus(tmp_path))
    assert len(report.articles) == 2 and report.pairs
    assert any("300" in p.pair.a.text + p.pair.b.text for p in _contradictions(report))
    assert fake_models[0][1] == {"lazy": False}  # no store unless asked


def test_audit_passes_the_options_on(tmp_path, fake_models):
    report = audit(_corpus(tmp_path), nli_model="n", embed_model="e", backend="torch", top_k=1, min_sim=0.9)
    assert fake_models[0][0] == ("n", "e", "torch")
    assert report.settings.top_k == 1 and report.settings.min_sim == 0.9


def test_an_auditor_loads_models_once_for_many_corpora(tmp_path, fake_models):
    with Auditor() as auditor:
        first = auditor.audit(_corpus(tmp_path, "a"))
        second = auditor.audit(_corpus(tmp_path, "b"))
    assert len(fake_models) == 1
    assert {p.verdict for p in first.pairs} == {p.verdict for p in second.pairs}


def test_given_models_are_used_without_loading(tmp_path, fake_models):
    embedder = HashEmbedder()
    report = Auditor(nli=DigitNli(), embedder=embedder).audit(_corpus(tmp_path))
    assert not fake_models and embedder.calls == 1 and report.settings.nli_model == "fake-nli"


def test_one_article_is_an_input_error(tmp_path, fake_models):
    folder = _corpus(tmp_path, files={"only.txt": STORY["wire.txt"]})
    with pytest.raises(InputError, match="holds one readable article"):
        audit(folder)
    assert not fake_models  # bad input fails before any model is loaded


def test_a_bad_as_of_fails_at_once():
    with pytest.raises(InputError, match="not a date or time"):
        Auditor(as_of="yesterday-ish")


def test_as_of_accepts_a_string_or_a_datetime():
    from datetime import UTC, datetime

    when = datetime(2026, 3, 14, 12, 0, tzinfo=UTC)
    assert Auditor(as_of="2026-03-14T12:00Z").as_of == when == Auditor(as_of=when).as_of


def test_to_dict_and_save_give_a_report_load_report_reads(tmp_path, fake_models):
    corpus = _corpus(tmp_path)
    auditor = Auditor()
    report = auditor.audit(corpus)
    data = auditor.to_dict(report)
    assert data["corpus"] == str(corpus) and data["summary"]["pairs"] == len(report.pairs)
    out = auditor.save(report, tmp_path / "out" / "report.json")
    assert load_report(out)["pairs"] == json.loads(json.dumps(data["pairs"]))
    with pytest.raises(InputError, match="already exists"):
        auditor.save(report, out)
    auditor.save(report, out, overwrite=True)


def test_with_a_store_the_audit_is_kept_reused_and_dismissals_marked(tmp_path, fake_models):
    corpus, path = _corpus(tmp_path), tmp_path / "store.sqlite"
    with Auditor(store=path) as auditor:
        report = auditor.audit(corpus)
        run = auditor.last_run
        assert run is not None and run.store_path == path and run.store_problem is None
        assert run.stats.nli_computed > 0 and run.stats.nli_reused == 0
        assert fake_models[0][1] == {"lazy": True}  # models load only for what the store lacks
        pair_id = _contradictions(report)[0].id
        auditor.open_store().dismiss(pair_id, "checked by hand")
        again = auditor.run(corpus)
        assert again.stats.nli_computed == 0 and again.stats.nli_reused > 0
        assert {p["id"]: p["dismissed"] for p in again.data["pairs"]}[pair_id] == "checked by hand"
        assert {p["id"]: p.get("dismissed") for p in auditor.to_dict(report)["pairs"]}[pair_id] == "checked by hand"
    with Store(path, create=False) as db:
        assert len(db.audits(str(corpus.resolve()))) == 2


def test_a_store_that_cannot_be_written_warns_and_keeps_the_report(tmp_path, fake_models):
    corpus, path = _corpus(tmp_path), tmp_path / "store.sqlite"
    with Auditor(store=path) as auditor:
        auditor.audit(corpus)
    path.chmod(0o444)
    try:
        with Auditor(store=path) as auditor, pytest.warns(RuntimeWarning, match="was not updated"):
            report = auditor.audit(corpus)
    finally:
        path.chmod(0o644)
    assert report.pairs


def test_store_true_is_the_default_location(tmp_path, fake_models, monkeypatch):
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(tmp_path / "cachedir"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        audit(_corpus(tmp_path), store=True)
    assert (tmp_path / "cachedir" / "store.sqlite").is_file()


def test_evaluate_scores_labeled_files(tmp_path):
    rows = [
        ("It rained 5 mm.", "It rained 7 mm.", "contradiction"),
        ("It rained 5 mm.", "It rained 5 mm on Monday.", "entailment"),
        ("The mayor spoke.", "The mayor spoke on 2 days.", "contradiction"),
    ]
    path = tmp_path / "pairs.jsonl"
    path.write_text("".join(json.dumps({"premise": p, "hypothesis": h, "label": g}) + "\n" for p, h, g in rows))
    (result,) = evaluate(path, nli=DigitNli())
    assert result["n"] == 3 and result["accuracy"] == 1.0 and "tuned" not in result
    assert [r["n"] for r in evaluate([path, path], nli=DigitNli(), limit=2)] == [2, 2]


def _readme_example() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "README.md's Python API section has no python code block"
    return blocks[0]


@pytest.mark.slow
def test_the_readme_example_runs_from_another_folder(tmp_path):
    """The README's first Python API block, verbatim, with the real models, in a fresh process
    started outside the repository (the package imported as installed), the demo corpus found by
    moving into the repository, since the example names it relative to it."""
    code = _readme_example()
    assert 'audit("corpus")' in code
    script = tmp_path / "readme_example.py"
    script.write_text(
        "import os, sys\n"
        "import checker\n"
        "assert os.getcwd() == sys.argv[1]\n"
        "os.chdir(sys.argv[2])\n"
        "exec(compile(open(sys.argv[3], encoding='utf-8').read(), 'README.md', 'exec'))\n",
        encoding="utf-8",
    )
    example = tmp_path / "example.py"
    example.write_text(code, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), str(REPO.parent), str(REPO), str(example)],
        capture_output=True,
        text=True,
        cwd=REPO.parent,
        timeout=600,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    first = out.stdout.splitlines()[0]
    found = re.match(r"(\d+) contradictions among (\d+) pairs", first)
    assert found and int(found[1]) > 0 and int(found[2]) > int(found[1]), out.stdout
    assert out.stdout.count(" vs ") == min(3, int(found[1]))
