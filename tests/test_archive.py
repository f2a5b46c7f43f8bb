"""audit-archive: reports per story and an index, the Ray engine's reports equal the local
engine's, a finished run is resumed without redoing stories, and so is a killed one."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.archive import audit_archive, check_out_dir, input_hash
from checker.cli import app
from checker.engines import AuditConfig, LocalEngine, make_engine
from checker.errors import InputError
from checker.grouping import Story
from checker.types import Article

REPO = Path(__file__).resolve().parents[1]
runner = CliRunner()


def small_archive(folder: Path) -> Path:
    """Two written stories, three outlets each, cut to their first paragraphs (keeps the audit short)."""
    folder.mkdir(parents=True, exist_ok=True)
    for story in ("marathon-record", "retail-earnings"):
        for f in sorted((REPO / "eval" / "stories" / "dev" / story).glob("*.json")):
            if f.name == "truth.json":
                continue
            doc = json.loads(f.read_text(encoding="utf-8"))
            head = doc["text"][:700]
            doc["text"] = head[: head.rfind(".") + 1]
            (folder / f"{story}-{f.name}").write_text(json.dumps(doc), encoding="utf-8")
    return folder


def _reports(out: Path) -> dict[str, dict]:
    found = {}
    for f in sorted((out / "stories").glob("*.json")):
        data = json.loads(f.read_text(encoding="utf-8"))
        data.pop("created")
        found[f.name] = data
    return found


def test_out_dir_with_other_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="--force"):
        check_out_dir(tmp_path, force=False)
    check_out_dir(tmp_path, force=True)
    check_out_dir(tmp_path / "new", force=False)
    result = runner.invoke(app, ["audit-archive", str(REPO / "corpus"), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "pass --force" in result.output and "Traceback" not in result.output
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_engine_options_are_checked(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="need --engine ray"):
        make_engine("local", AuditConfig(), ray_address="auto")
    monkeypatch.setitem(sys.modules, "ray", None)  # Ray not installed
    with pytest.raises(InputError, match=r"pip install 'newscheck\[ray\]'"):
        make_engine("ray", AuditConfig())
    bad = runner.invoke(app, ["audit-archive", str(REPO / "corpus"), "--out", str(tmp_path / "o"), "--engine", "spark"])
    assert bad.exit_code == 2


def test_input_hash_follows_text_and_settings():
    a = Article(id="a", path="/x/a.txt", title="T", outlet="A", date=None, text="One. Two.")
    b = Article(id="b", path="/x/b.txt", title="T", outlet="B", date=None, text="One. Three.")
    story = Story("s-1", (a, b), "T")
    base = input_hash(story, AuditConfig())
    assert input_hash(Story("s-1", (b, a), "T"), AuditConfig()) == base
    assert input_hash(Story("s-1", (a, replace(b, text="One. Four.")), "T"), AuditConfig()) != base
    assert input_hash(story, AuditConfig(top_k=3)) != base


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    return small_archive(tmp_path_factory.mktemp("archive") / "articles")


@pytest.fixture(scope="module")
def local_run(archive, tmp_path_factory):
    root = tmp_path_factory.mktemp("local")
    config = AuditConfig(store=root / "store.sqlite")
    with pytest.MonkeyPatch.context() as mp:
        # built before the per-test settings apply: no ONNX build from the user's cache, as in the Ray test
        mp.setenv("NEWSCHECK_CACHE_DIR", str(root / "cache"))
        engine = LocalEngine(config)
        try:
            run = audit_archive(archive, root / "out", engine, config)
        finally:
            engine.close()
    return root, config, run


@pytest.mark.slow
def test_local_engine_writes_reports_and_index(local_run):
    root, _, run = local_run
    index = json.loads((root / "out" / "index.json").read_text())
    assert index == run.index and index["schema"] == "newscheck.archive-index"
    assert index["summary"]["stories"] == 2 and run.audited == 2 and run.reused == 0
    stories = index["stories"]
    # most conflicts first
    assert [e["contradictions"] for e in stories] == sorted((e["contradictions"] for e in stories), reverse=True)
    for e in stories:
        report = json.loads((root / "out" / e["report"]).read_text())
        assert report["schema"] == "newscheck.report" and report["summary"]["documents"] == 3
        assert report["archive"]["story"] == e["id"]
        assert len({d["path"].split("/")[-1].split("-")[0] for d in report["documents"]}) == 1
    grouping = json.loads((root / "out" / "stories.json").read_text())
    assert {s["id"] for s in grouping["stories"]} == {e["id"] for e in stories}


@pytest.mark.slow
def test_ray_engine_reports_equal_local(local_run, archive, tmp_path):
    ray = pytest.importorskip("ray")
    root, _, _ = local_run
    ray.init(num_cpus=2, include_dashboard=False, logging_level="ERROR", log_to_driver=False)
    try:
        config = AuditConfig(store=tmp_path / "ray-store.sqlite")  # a store of its own: computed, not read back
        engine = make_engine("ray", config)
        try:
            run = audit_archive(archive, tmp_path / "out", engine, config)
        finally:
            engine.close()
    finally:
        ray.shutdown()
    assert run.audited == 2 and run.index["engine"] == "ray"
    assert _reports(tmp_path / "out") == _reports(root / "out")


@pytest.mark.slow
def test_finished_run_is_resumed_without_redoing(local_run, archive):
    root, config, _ = local_run
    before = {f.name: f.stat().st_mtime_ns for f in (root / "out" / "stories").glob("*.json")}
    engine = LocalEngine(config)
    try:
        run = audit_archive(archive, root / "out", engine, config)
    finally:
        engine.close()
    assert (run.audited, run.reused) == (0, 2)
    assert {f.name: f.stat().st_mtime_ns for f in (root / "out" / "stories").glob("*.json")} == before
    assert {e["status"] for e in run.index["stories"]} == {"reused"}


@pytest.mark.slow
def test_killed_run_resumes_where_it_stopped(archive, tmp_path):
    out, store = tmp_path / "out", tmp_path / "store.sqlite"
    cmd = [sys.executable, "-m", "checker.cli", "audit-archive", str(archive), "--out", str(out)]
    cmd += ["--store", str(store), "--quiet"]
    proc = subprocess.Popen(cmd, env={**os.environ, "NEWSCHECK_CACHE_DIR": str(tmp_path)})
    deadline = time.monotonic() + 600
    while proc.poll() is None and not list((out / "stories").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = {f.name: (f.stat().st_mtime_ns, f.read_text()) for f in (out / "stories").glob("*.json")}
    assert done, "no story finished before the kill"
    engine = LocalEngine(AuditConfig(store=store))
    try:
        run = audit_archive(archive, out, engine, AuditConfig(store=store))
    finally:
        engine.close()
    assert run.reused == len(done) and run.audited == 2 - len(done)
    for name, (mtime, text) in done.items():
        assert (out / "stories" / name).stat().st_mtime_ns == mtime and (out / "stories" / name).read_text() == text
    assert run.index["summary"]["pending"] == 0 and len(list((out / "stories").glob("*.json"))) == 2
