"""`newscheck serve`: the review app over a report and the store's ledger.

The app's routes are tested in-process on a small audit (fake models); the browser test starts
`newscheck serve` as a real process on the demo report (real models, slow) and drives it with
headless Chromium: filter, dismiss with a note, reload; then the CLI and the next audit see it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import STORY, DigitNli, HashEmbedder
from typer.testing import CliRunner

from checker import Auditor, Ledger
from checker.label import Thresholds

pytest.importorskip("starlette")
pytest.importorskip("httpx")
from starlette.testclient import TestClient  # noqa: E402

from checker.serve import create_app  # noqa: E402
from checker.serve.view import Filters, page  # noqa: E402

runner = CliRunner()
THIRD = {
    "courier.txt": "Officials said the storm destroyed 300 homes in Riverton on Monday.\n"
    "The mayor said 1,500 residents were moved to schools overnight.\n"
}


@pytest.fixture
def served(tmp_path):
    """An audit kept in a store, and a client of the app serving its report."""
    corpus, store = tmp_path / "corpus", tmp_path / "store.sqlite"
    corpus.mkdir()
    for name, text in {**STORY, **THIRD}.items():
        (corpus / name).write_text(text, encoding="utf-8")
    with Auditor(store=store, nli=DigitNli(), embedder=HashEmbedder(), thresholds=Thresholds()) as auditor:
        data = auditor.run(corpus).data
    client = TestClient(create_app(data, store, reviewer="ana"), base_url="http://127.0.0.1:8765")
    return {"data": data, "store": store, "client": client}


def _token(html: str) -> str:
    return re.search(r'name="token" value="([^"]+)"', html).group(1)


def _count(html: str) -> tuple[int, int]:
    m = re.search(r"(\d+) of (\d+) matching pairs shown", html)
    return int(m.group(1)), int(m.group(2))


def test_the_page_lists_contradictions_by_fact_and_filters(served):
    data, client = served["data"], served["client"]
    n = data["summary"]["verdicts"]["contradiction"]
    home = client.get("/")
    assert home.status_code == 200 and _count(home.text) == (n, n)
    assert "Fact: " in home.text and f"{n} new</b>" in home.text
    assert _count(client.get("/?verdict=").text)[1] == len(data["pairs"])  # any verdict
    assert _count(client.get("/?verdict=agree").text)[1] == data["summary"]["verdicts"]["agree"]
    numbered = sum(
        (p.get("finding") or {}).get("type") == "number" for p in data["pairs"] if p["verdict"] == "contradiction"
    )
    assert _count(client.get("/?type=number").text)[1] == numbered
    with_1500 = sum("1,500" in p["a_text"] + p["b_text"] for p in data["pairs"] if p["verdict"] == "contradiction")
    assert 0 < with_1500 < n
    assert _count(client.get("/", params={"q": "1,500"}).text)[1] == with_1500
    courier = next(d["outlet"] for d in data["documents"] if d["path"].endswith("courier.txt"))
    involving = sum(courier in (p["a_outlet"], p["b_outlet"]) for p in data["pairs"] if p["verdict"] == "contradiction")
    assert _count(client.get("/", params={"outlet": courier}).text)[1] == involving
    top = max(p["score"] for p in data["pairs"] if p["verdict"] == "contradiction")
    assert _count(client.get("/", params={"min": f"{top:.4f}"}).text)[1] >= 1
    assert _count(client.get("/?min=1.5").text)[1] == 0  # clamped to 1.0: nothing scores above
    assert client.get("/?status=nonsense").status_code == 200  # an unknown value is ignored
    assert client.get("/?min=abc").status_code == 200


def test_a_dismissal_with_a_note_is_recorded_in_the_ledger(served):
    client, store = served["client"], served["store"]
    pair = next(p for p in served["data"]["pairs"] if p["verdict"] == "contradiction")
    token = _token(client.get("/").text)
    form = {
        "token": token,
        "action": "dismiss",
        "note": "same count, rounded",
        "by": "ben",
        "back": "verdict=contradiction",
    }
    r = client.post(f"/pairs/{pair['id']}/review", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].startswith("/?verdict=contradiction&notice=dismissed")
    with Ledger(store) as ledger:
        [event] = ledger.events(pair["id"])
    assert (event.action, event.by, event.note) == ("dismiss", "ben", "same count, rounded")
    page_html = client.get("/?status=dismissed").text
    assert _count(page_html) == (1, 1) and "same count, rounded" in page_html and 'data-status="dismissed"' in page_html
    assert _count(client.get("/?status=open").text)[1] == served["data"]["summary"]["verdicts"]["contradiction"] - 1
    detail = client.get(f"/pairs/{pair['id']}")
    assert detail.status_code == 200 and "<td>dismiss</td><td>ben</td>" in detail.text
    r = client.post(f"/pairs/{pair['id']}/review", data={**form, "action": "undo", "note": ""}, follow_redirects=True)
    assert "undid the decision on" in r.text
    with Ledger(store) as ledger:
        assert pair["id"] not in ledger.decisions()


def test_forms_without_the_token_or_a_reason_record_nothing(served):
    client, store = served["client"], served["store"]
    pair = served["data"]["pairs"][0]["id"]
    r = client.post(f"/pairs/{pair}/review", data={"token": "guess", "action": "confirm"}, follow_redirects=False)
    assert r.status_code == 403
    token = _token(client.get("/").text)
    r = client.post(f"/pairs/{pair}/review", data={"token": token, "action": "dismiss", "note": "  "})
    assert "not recorded: a dismissal needs a reason" in r.text
    r = client.post("/pairs/nope/review", data={"token": token, "action": "confirm"}, follow_redirects=False)
    assert r.status_code == 404
    with Ledger(store) as ledger:
        assert ledger.events() == []


def test_other_host_names_are_refused(served):
    r = served["client"].get("/", headers={"host": "attacker.example"})
    assert r.status_code == 400


def test_article_text_is_escaped(served, tmp_path):
    data = json.loads(json.dumps(served["data"]))
    data["pairs"][0]["a_text"] = "<script>alert(1)</script> the storm"
    data["pairs"][0]["verdict"] = "contradiction"
    html = TestClient(create_app(data, served["store"]), base_url="http://localhost").get("/").text
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_redirects_stay_in_the_app(served):
    client = served["client"]
    token = _token(client.get("/").text)
    pair = served["data"]["pairs"][0]["id"]
    form = {"token": token, "action": "note", "note": "x", "back": "https://evil.example/?verdict=agree&next=//evil"}
    r = client.post(f"/pairs/{pair}/review", data=form, follow_redirects=False)
    assert r.headers["location"].startswith("/?notice=") or r.headers["location"].startswith("/?verdict=")
    assert "evil" not in r.headers["location"]


def test_new_pairs_come_first_within_a_fact(served):
    data = served["data"]
    with Ledger(served["store"]) as ledger:
        decided = ledger.decisions()
    for p in data["pairs"]:
        p["review"]["status"] = "seen"
    weakest = min((p for p in data["pairs"] if p["verdict"] == "contradiction"), key=lambda p: p["score"])
    weakest["review"]["status"] = "new"
    groups = page(data, Filters(), decided)["groups"]
    firsts = [cards[0]["p"]["id"] for _, cards in groups]
    assert weakest["id"] in firsts


def test_a_report_not_in_the_store_is_kept_so_it_can_be_reviewed(served, tmp_path):
    from rich.console import Console

    from checker.cli_review import _serve_data

    report = tmp_path / "report.json"
    report.write_text(json.dumps(served["data"]), encoding="utf-8")
    other = tmp_path / "other.sqlite"
    console = Console(record=True, stderr=True)
    data, path = _serve_data(report, other, console, quiet=True)
    assert path == other and "as an audit, so its pairs can be reviewed" in console.export_text()
    with Ledger(other) as ledger:
        ledger.dismiss(data["pairs"][0]["id"], "checked")  # recordable now
    _serve_data(report, other, console, quiet=True)  # kept once, not again
    with Ledger(other) as ledger:
        assert len(ledger.db.audits()) == 1


def test_a_corpus_is_audited_with_the_store_before_it_is_served(served, tmp_path, fake_models):
    from rich.console import Console

    from checker.cli_review import _serve_data

    corpus = tmp_path / "corpus"  # the served fixture's corpus, audited once already
    data, _ = _serve_data(corpus, served["store"], Console(stderr=True, quiet=True), quiet=True)
    assert {p["review"]["status"] for p in data["pairs"]} == {"seen"}
    with Ledger(served["store"]) as ledger:
        assert len(ledger.db.audits()) == 2


def test_a_port_in_use_is_one_line(served, tmp_path):
    from checker.cli import app

    report = tmp_path / "report.json"
    report.write_text(json.dumps(served["data"]), encoding="utf-8")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = runner.invoke(app, ["serve", str(report), "--store", str(served["store"]), "--port", str(port)])
    assert r.exit_code == 2 and f"cannot listen on 127.0.0.1:{port}" in r.stderr
    r = runner.invoke(app, ["serve", str(tmp_path / "nope.json"), "--port", str(port)])
    assert r.exit_code == 2 and "no such report or folder" in r.stderr


# -- the browser test: the real app, the demo report, headless Chromium ------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory, corpus_dir):
    """The demo corpus audited once with the real models, kept in a store."""
    from checker.cli import app

    work = tmp_path_factory.mktemp("serve")
    env = {"NEWSCHECK_CACHE_DIR": str(work / "cache"), "HF_HUB_OFFLINE": "1", "NO_COLOR": "1", "COLUMNS": "160"}
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        out, store = work / "report.json", work / "store.sqlite"
        result = runner.invoke(app, ["audit", str(corpus_dir), "--out", str(out), "--store", str(store), "--quiet"])
    assert result.exit_code == 0, result.output
    return {"work": work, "report": out, "store": store, "env": env}


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_review_in_the_browser_reaches_the_ledger_and_the_next_audit(demo_report, corpus_dir, monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    from checker.cli import app

    for k, v in demo_report["env"].items():
        monkeypatch.setenv(k, v)
    port, store = _free_port(), demo_report["store"]
    newscheck = Path(sys.executable).with_name("newscheck")
    cmd = [str(newscheck), "serve", str(demo_report["report"]), "--store", str(store), "--port", str(port)]
    server = subprocess.Popen(cmd, env={**os.environ, "USER": "desk-editor"}, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        import httpx

        for _ in range(600):
            if server.poll() is not None:
                pytest.fail(f"newscheck serve exited {server.returncode}: {server.stderr.read()}")
            try:
                if httpx.get(base + "/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        with sync_api.sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
            page_ = browser.new_page()
            page_.goto(base + "/")
            with page_.expect_navigation():
                page_.select_option("#f-type", "role/title")  # the page submits the filters on change
            assert "type=role%2Ftitle" in page_.url and "verdict=contradiction" in page_.url
            cards = page_.locator("article.pair")
            assert cards.count() >= 1
            assert all(t == "role/title" for t in cards.locator(".meta b").all_inner_texts())
            card = cards.first
            pair_id = card.get_attribute("data-pair")
            card.locator("textarea[name=note]").fill("same man, two offices reported; checked")
            with page_.expect_navigation():
                card.get_by_role("button", name="Dismiss").click()
            page_.reload()
            card = page_.locator(f"#pair-{pair_id}")
            assert card.get_attribute("data-status") == "dismissed"
            assert "same man, two offices reported; checked" in card.inner_text()
            assert "desk-editor" in card.inner_text()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    listed = runner.invoke(app, ["review", "list", "--json", "--store", str(store)])
    [row] = [r for r in json.loads(listed.stdout) if r["pair_id"] == pair_id]
    assert (row["status"], row["by"], row["note"]) == (
        "dismissed",
        "desk-editor",
        "same man, two offices reported; checked",
    )
    again = runner.invoke(app, ["audit", str(corpus_dir), "--store", str(store), "--json"])
    pair = next(p for p in json.loads(again.stdout)["pairs"] if p["id"] == pair_id)
    assert pair["review"]["status"] == "dismissed" and pair["dismissed"] == "same man, two offices reported; checked"
