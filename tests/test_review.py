"""The review ledger: history kept (who, when, why), undo, notes, old stores migrated, new/seen
marking of audits, the `newscheck review` commands and the CSV export."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import datetime

import pytest
from conftest import STORY, DigitNli, HashEmbedder
from typer.testing import CliRunner

from checker import Auditor, Ledger
from checker.errors import InputError, StoreError
from checker.label import Thresholds
from checker.report_schema import validate_report
from checker.review import ReviewEvent, current_decisions
from checker.store import Store

runner = CliRunner()
THIRD = {
    "courier.txt": "Officials said the storm destroyed 300 homes in Riverton on Monday.\n"
    "The mayor said 1,500 residents were moved to schools overnight.\n"
}


def _corpus(tmp_path, files=None):
    folder = tmp_path / "corpus"
    folder.mkdir(exist_ok=True)
    for name, text in (files or {**STORY, **THIRD}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _auditor(store):
    return Auditor(store=store, nli=DigitNli(), embedder=HashEmbedder(), thresholds=Thresholds())


@pytest.fixture
def audited(tmp_path):
    """A store holding one audit of a three-outlet story with several contradictions."""
    corpus, store = _corpus(tmp_path), tmp_path / "store.sqlite"
    with _auditor(store) as auditor:
        data = auditor.run(corpus).data
    ids = [p["id"] for p in data["pairs"] if p["verdict"] == "contradiction"]
    assert len(ids) >= 3
    return {"corpus": corpus, "store": store, "data": data, "ids": ids}


def _status(data):
    return {p["id"]: p["review"]["status"] for p in data["pairs"]}


# -- the ledger -----------------------------------------------------------------------------


def test_a_second_dismissal_keeps_the_first_in_the_history(audited, monkeypatch):
    monkeypatch.setenv("USER", "ana")
    pair = audited["ids"][0]
    with Ledger(audited["store"]) as ledger:
        ledger.dismiss(pair, "same figure, rounded")
        ledger.dismiss(pair, "  checked   with the wire  ", by="ben")
        history = ledger.events(pair)
        decision = ledger.decisions()[pair]
    assert [(e.action, e.by, e.note) for e in history] == [
        ("dismiss", "ana", "same figure, rounded"),
        ("dismiss", "ben", "checked with the wire"),
    ]
    assert (decision.status, decision.by, decision.note) == ("dismissed", "ben", "checked with the wire")
    for e in history:  # when: UTC, ISO 8601
        assert datetime.fromisoformat(e.at).utcoffset().total_seconds() == 0
    with Store(audited["store"]) as db:  # the store's old interface sees the decision in force
        assert db.dismissals() == {pair: "checked with the wire"}


def test_undo_steps_back_through_the_decisions(audited):
    pair = audited["ids"][0]
    with Ledger(audited["store"]) as ledger:
        ledger.dismiss(pair, "a rounding")
        ledger.confirm(pair, "two different counts, checked")
        _, undone = ledger.undo(pair, "confirmed too fast")
        assert undone.status == "confirmed"
        assert ledger.decisions()[pair].status == "dismissed"  # the earlier decision applies again
        ledger.undo(pair)
        assert pair not in ledger.decisions()
        with pytest.raises(InputError, match="no dismissal or confirmation to undo"):
            ledger.undo(pair)
        actions = [(e.action, e.undoes is not None) for e in ledger.events(pair)]
    assert actions == [("dismiss", False), ("confirm", False), ("undo", True), ("undo", True)]


def test_notes_accumulate_without_deciding(audited):
    pair = audited["ids"][1]
    with Ledger(audited["store"]) as ledger:
        ledger.note(pair, "asked the wire desk", by="ana")
        ledger.note(pair, "wire says 300", by="ben")
        with pytest.raises(InputError, match="needs some text"):
            ledger.note(pair, "   ")
        with pytest.raises(InputError, match="needs a reason"):
            ledger.dismiss(pair, "")
        assert [e.note for e in ledger.events(pair)] == ["asked the wire desk", "wire says 300"]
        assert pair not in ledger.decisions()


def test_only_pairs_of_kept_audits_can_be_reviewed(audited):
    with Ledger(audited["store"]) as ledger:
        for bad in ("%", audited["ids"][0][:-1] + "_", "0000000000"):
            with pytest.raises(InputError, match="not in any audit"):
                ledger.confirm(bad)
        assert ledger.events() == []


def test_current_decisions_ignore_undone_events():
    events = [
        ReviewEvent(1, "p", "dismiss", "a", "t1", "r1"),
        ReviewEvent(2, "p", "confirm", "b", "t2", None),
        ReviewEvent(3, "q", "confirm", "b", "t3", None),
        ReviewEvent(4, "p", "undo", "a", "t4", None, undoes=2),
        ReviewEvent(5, "q", "note", "a", "t5", "n"),
    ]
    got = current_decisions(events)
    assert {k: (d.status, d.note) for k, d in got.items()} == {"p": ("dismissed", "r1"), "q": ("confirmed", None)}


def _old_store(path, pair_id):
    """A store as newscheck wrote it before the ledger: one reason per pair in `dismissals`."""
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE embeddings (model TEXT, text_hash TEXT, vector BLOB, PRIMARY KEY (model, text_hash));"
        "CREATE TABLE nli (model TEXT, pair_hash TEXT, e REAL, n REAL, c REAL, PRIMARY KEY (model, pair_hash));"
        "CREATE TABLE audits (id INTEGER PRIMARY KEY AUTOINCREMENT, corpus TEXT, created TEXT, summary TEXT, report TEXT);"
        "CREATE TABLE dismissals (pair_id TEXT PRIMARY KEY, reason TEXT, created TEXT);"
    )
    report = {"summary": {}, "pairs": [{"id": pair_id, "verdict": "contradiction"}]}
    db.execute(
        "INSERT INTO audits (corpus, created, summary, report) VALUES ('/c', '2025-01-01', '{}', ?)",
        (json.dumps(report),),
    )
    db.execute("INSERT INTO dismissals VALUES (?, 'an old reason', '2025-01-02T10:00:00+00:00')", (pair_id,))
    db.commit()
    db.close()


def test_an_old_read_only_store_is_read_without_change(tmp_path):
    path = tmp_path / "old.sqlite"
    _old_store(path, "abc123")
    path.chmod(0o444)
    before = path.read_bytes()
    try:
        with Ledger(path) as ledger:
            [event] = ledger.events()
            assert (event.id, event.action, event.by, event.note) == (None, "dismiss", None, "an old reason")
            assert ledger.decisions()["abc123"].status == "dismissed"
            with pytest.raises(StoreError, match="cannot write"):
                ledger.note("abc123", "x")
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before


def test_an_old_store_moves_its_dismissals_into_the_ledger(tmp_path):
    path = tmp_path / "old.sqlite"
    _old_store(path, "abc123")
    with Ledger(path) as ledger:
        [event] = ledger.events()
        assert (event.action, event.by, event.at, event.note) == (
            "dismiss",
            None,
            "2025-01-02T10:00:00+00:00",
            "an old reason",
        )
        ledger.dismiss("abc123", "a newer reason", by="ana")
    with Store(path) as db:  # opened again: nothing moved twice
        assert [r[5] for r in db.review_rows()] == ["an old reason", "a newer reason"]
        assert db.db.execute("SELECT COUNT(*) FROM dismissals").fetchone() == (0,)


# -- marking audits ---------------------------------------------------------------------------


def test_audits_mark_new_seen_and_decided_pairs(audited, tmp_path):
    first = audited["data"]
    assert set(_status(first).values()) == {"new"}
    assert first["summary"]["review"] == {"new": len(audited["ids"]), "seen": 0, "dismissed": 0, "confirmed": 0}
    assert validate_report(first) is None
    # decisions on two pairs the change below leaves alone
    ids = [
        p["id"] for p in first["pairs"] if p["verdict"] == "contradiction" and "1,500" not in p["a_text"] + p["b_text"]
    ]
    with Ledger(audited["store"]) as ledger:
        ledger.dismiss(ids[0], "same figure, rounded", by="ana")
        ledger.confirm(ids[1], "checked", by="ben")
    # one outlet changes a figure: its new pairs are new, the rest seen or decided
    (audited["corpus"] / "courier.txt").write_text(THIRD["courier.txt"].replace("1,500", "1,800"), encoding="utf-8")
    with _auditor(audited["store"]) as auditor:
        again = auditor.run(audited["corpus"]).data
    status = _status(again)
    assert status[ids[0]] == "dismissed" and status[ids[1]] == "confirmed"
    changed = {p["id"] for p in again["pairs"] if "1,800" in p["a_text"] + p["b_text"]}
    assert changed and all(status[i] == "new" for i in changed)
    assert all(status[p["id"]] == "seen" for p in again["pairs"] if p["id"] not in changed | {ids[0], ids[1]})
    pair0 = next(p for p in again["pairs"] if p["id"] == ids[0])
    assert pair0["dismissed"] == "same figure, rounded" and pair0["review"]["by"] == "ana"
    counts = again["summary"]["review"]
    assert counts["dismissed"] == 1 and counts["confirmed"] == 1 and counts["new"] >= 1
    assert sum(counts.values()) == again["summary"]["verdicts"]["contradiction"]
    assert validate_report(again) is None


def test_to_dict_keeps_the_marking_of_the_audit_it_was_given(tmp_path):
    corpus, store = _corpus(tmp_path), tmp_path / "s.sqlite"
    with _auditor(store) as auditor:
        report = auditor.audit(corpus)
        data = auditor.to_dict(report)
    assert set(_status(data).values()) == {"new"}  # the audit just kept is not an "earlier" one


def test_a_bad_review_status_is_named(audited):
    data = json.loads(json.dumps(audited["data"]))
    data["pairs"][0]["review"]["status"] = "maybe"
    assert "pairs[0].review.status must be one of new, seen, dismissed, confirmed" in validate_report(data)


def test_the_terminal_summary_leads_with_new_and_lists_new_first(audited):
    from rich.console import Console

    from checker.views.terminal import render_summary

    data = json.loads(json.dumps(audited["data"]))
    contradictions = [p for p in data["pairs"] if p["verdict"] == "contradiction"]
    for p in contradictions[:-1]:
        p["review"]["status"] = "seen"
    newest = contradictions[-1]
    newest["score"] = 0.01  # the weakest, yet new: listed first
    data["summary"]["review"] = {"new": 1, "seen": len(contradictions) - 1, "dismissed": 0, "confirmed": 0}
    console = Console(record=True, width=160)
    render_summary(console, data, top=1)
    text = console.export_text()
    assert text.splitlines()[1] == f"Contradictions: 1 new, {len(contradictions) - 1} seen, 0 dismissed"
    assert f"pair {newest['id']}" in text.split("Strongest contradictions")[1]


# -- the commands -----------------------------------------------------------------------------


def _run(*args):
    from checker.cli import app

    return runner.invoke(app, [str(a) for a in args])


def test_review_commands_record_list_undo_and_export(audited, tmp_path, monkeypatch):
    monkeypatch.setenv("USER", "ana")
    store, (one, two) = audited["store"], audited["ids"][:2]
    r = _run("review", "dismiss", one, "--reason", "same figure, rounded", "--store", store)
    assert r.exit_code == 0 and r.stdout.startswith(f"dismissed {one}: same figure, rounded"), r.output
    r = _run("dismiss", one, "--reason", '=HYPERLINK("x")', "--by", "ben", "--store", store)  # the old command
    assert r.exit_code == 0 and "it was dismissed by ana" in r.stdout, r.output
    assert _run("review", "confirm", two, "--note", "checked with the wire", "--store", store).exit_code == 0
    assert _run("review", "note", two, "--note", "second source agrees", "--store", store).exit_code == 0
    r = _run("review", "list", "--json", "--store", store)
    rows = {row["pair_id"]: row for row in json.loads(r.stdout)}
    assert rows[one]["status"] == "dismissed" and rows[one]["by"] == "ben"
    assert rows[two]["status"] == "confirmed" and rows[two]["a_text"] and rows[two]["verdict"] == "contradiction"
    r = _run("review", "list", "--status", "confirmed", "--store", store)
    assert r.exit_code == 0 and two in r.stdout and one not in r.stdout
    r = _run("review", "undo", two, "--store", store)
    assert r.exit_code == 0 and "undid confirmed" in r.stdout and "now open" in r.stdout
    r = _run("review", "list", "--history", "--json", "--store", store)
    assert [row["action"] for row in json.loads(r.stdout)] == ["dismiss", "dismiss", "confirm", "note", "undo"]
    out = tmp_path / "ledger.csv"
    r = _run("review", "export", "--csv", out, "--store", store)
    assert r.exit_code == 0 and "wrote 5 review events" in r.stdout
    rows_csv = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [row["by"] for row in rows_csv] == ["ana", "ben", "ana", "ana", "ana"]
    assert rows_csv[1]["note"] == '\'=HYPERLINK("x")'  # a spreadsheet shows it, never runs it
    assert rows_csv[2]["now"] == "open" and rows_csv[0]["now"] == "dismissed" and rows_csv[0]["a_outlet"]
    r = _run("review", "export", "--csv", out, "--store", store)
    assert r.exit_code == 2 and "pass --force" in r.stderr
    assert _run("review", "export", "--csv", out, "--force", "--store", store).exit_code == 0


def test_review_commands_fail_with_one_line(audited, tmp_path):
    store = audited["store"]
    for args, needle in (
        (("review", "dismiss", "nope", "--reason", "x", "--store", store), "not in any audit"),
        (("review", "undo", audited["ids"][0], "--store", store), "to undo"),
        (("review", "list", "--store", tmp_path / "missing.sqlite"), "store does not exist"),
        (("review", "dismiss", audited["ids"][0], "--reason", " ", "--store", store), "needs a reason"),
    ):
        r = _run(*args)
        lines = [ln for ln in r.stderr.splitlines() if ln.strip()]
        assert r.exit_code == 2 and len(lines) == 1 and needle in lines[0], (args, r.output)
    assert not (tmp_path / "missing.sqlite").exists()


def test_fail_on_contradiction_ignores_dismissed_pairs_only(audited, fake_models):
    store, corpus = audited["store"], audited["corpus"]
    with Ledger(store) as ledger:
        for pair in audited["ids"][1:]:
            ledger.dismiss(pair, "checked")
        ledger.confirm(audited["ids"][0], "real")
    assert _run("audit", corpus, "--store", store, "--quiet", "--fail-on-contradiction").exit_code == 3
    with Ledger(store) as ledger:
        ledger.dismiss(audited["ids"][0], "on second thought, a rounding")
    r = _run("audit", corpus, "--store", store, "--fail-on-contradiction")
    assert r.exit_code == 0, r.output
    assert f"Contradictions: 0 new, 0 seen, {len(audited['ids'])} dismissed" in r.stdout


def test_serve_without_the_web_packages_says_what_to_install(monkeypatch, audited, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "uvicorn" else real(name, *a))
    report = tmp_path / "r.json"
    report.write_text(json.dumps(audited["data"]), encoding="utf-8")
    r = _run("serve", report, "--store", audited["store"])
    assert r.exit_code == 2 and "install newscheck[serve]" in r.stderr and "uvicorn" in r.stderr
