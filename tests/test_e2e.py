"""End to end with the real default models on the demo corpus (slow: loads both models)."""

import json
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

from checker.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()

AL_SHAMI_GOVERNOR = "governor of the coastal region of Tartus"
AL_SHAMI_UNIT = "head of a government special unit in the Tartus region"


@pytest.fixture(scope="module")
def audited(tmp_path_factory, corpus_dir):
    """One real audit through the CLI, shared by the tests of this module."""
    work = tmp_path_factory.mktemp("e2e")
    store = work / "store.sqlite"
    out = work / "report.json"
    before = {p.name: p.read_bytes() for p in corpus_dir.iterdir()}
    with pytest.MonkeyPatch.context() as mp:
        # module-scoped: set up before conftest's per-test environment, so set it here too. An
        # empty cache means no ONNX build, as in each test's own cache: the same backend, so
        # the same store keys when a test audits again.
        mp.setenv("NEWSCHECK_CACHE_DIR", str(work / "cache"))
        mp.setenv("HF_HUB_OFFLINE", "1")
        mp.setenv("NO_COLOR", "1")
        result = runner.invoke(app, ["audit", str(corpus_dir), "--out", str(out), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in corpus_dir.iterdir()} == before  # inputs untouched
    return {"dir": work, "store": store, "out": out, "data": json.loads(out.read_text()), "output": result.output}


def _pairs_with(data, left: str, right: str):
    return [
        p
        for p in data["pairs"]
        if (left in p["a_text"] and right in p["b_text"]) or (right in p["a_text"] and left in p["b_text"])
    ]


def test_report_shape_and_no_same_article_pairs(audited):
    data = audited["data"]
    assert data["schema"] == "newscheck.report" and data["summary"]["documents"] == 5
    assert data["pairs"] and all(p["a_doc"] != p["b_doc"] for p in data["pairs"])
    for p in data["pairs"]:  # both directions were scored
        for direction in ("a_to_b", "b_to_a"):
            assert sum(p[direction].values()) == pytest.approx(1.0, abs=2e-3)


def test_al_shami_role_conflict_is_a_contradiction(audited):
    pairs = _pairs_with(audited["data"], AL_SHAMI_GOVERNOR, AL_SHAMI_UNIT)
    assert pairs, "the pairing stage missed the al-Shami pair"
    assert any(p["verdict"] == "contradiction" for p in pairs), [
        (p["verdict"], p["a_to_b"], p["b_to_a"]) for p in pairs
    ]
    assert "Strongest contradictions" in audited["output"]


def test_outlets_are_named_from_sources_csv_and_caliber_is_the_outlier(audited):
    outlets = {d["outlet"] for d in audited["data"]["documents"]}
    assert {"UNN", "Technical News", "Caliber.az"} <= outlets
    assert not any(o.startswith("00") for o in outlets)  # no file names left
    assert "outlier: Caliber.az" in " ".join(audited["output"].split())


def test_militia_location_pairs_are_not_agreements(audited):
    pairs = _pairs_with(audited["data"], "coastal Syria and Lebanon", "along the Syrian coast")
    assert pairs, "the pairing stage missed the militia-location pairs"
    assert all(p["verdict"] != "agree" for p in pairs)


def test_second_run_reuses_the_store_and_fail_flag_exits_3(audited, corpus_dir):
    result = runner.invoke(
        app, ["audit", str(corpus_dir), "--store", str(audited["store"]), "--json", "--fail-on-contradiction"]
    )
    assert result.exit_code == 3
    # every NLI score of the second audit comes from the store: both directions of every pair,
    # and of every pair scored again with a name or figure exchanged (distinct texts counted)
    texts = set()
    for p in audited["data"]["pairs"]:
        texts |= {(p["a_text"], p["b_text"]), (p["b_text"], p["a_text"])}
        if p.get("swap"):
            texts |= {(p["a_text"], p["swap"]["b_text"]), (p["swap"]["b_text"], p["a_text"])}
    assert f"reused {len(texts)} of {len(texts)} NLI scores" in result.stderr
    summary, first = json.loads(result.stdout)["summary"], audited["data"]["summary"]
    assert {**summary, "review": None} == {**first, "review": None}
    # the second audit has seen every contradiction of the first
    assert summary["review"]["new"] == 0 and summary["review"]["seen"] == first["review"]["new"]


def test_dismissed_pair_is_shown_as_dismissed(audited, corpus_dir):
    target = next(p for p in audited["data"]["pairs"] if p["verdict"] == "contradiction")
    result = runner.invoke(
        app, ["dismiss", target["id"], "--reason", "checked by hand", "--store", str(audited["store"])]
    )
    assert result.exit_code == 0, result.output
    again = runner.invoke(app, ["audit", str(corpus_dir), "--store", str(audited["store"]), "--json"])
    pair = next(p for p in json.loads(again.stdout)["pairs"] if p["id"] == target["id"])
    assert pair["dismissed"] == "checked by hand"
    unknown = runner.invoke(app, ["dismiss", "0000000000", "--reason", "x", "--store", str(audited["store"])])
    assert unknown.exit_code == 2 and "not in any audit" in unknown.stderr


def test_inspect_shows_contradictions_side_by_side(audited):
    result = runner.invoke(app, ["inspect", str(audited["out"]), "--verdict", "contradiction", "--doc", "Caliber"])
    assert result.exit_code == 0
    assert "contradiction" in result.output and "Caliber.az" in result.output


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_html_report_renders_al_shami_conflict_in_chromium(audited):
    html_path = audited["dir"] / "review.html"
    result = runner.invoke(app, ["report", str(audited["out"]), "--html", str(html_path)])
    assert result.exit_code == 0, result.output
    dom = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={audited['dir'] / 'chromium-profile'}",
            "--dump-dom",
            html_path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert "pairs shown" in dom  # the inline script ran
    assert AL_SHAMI_UNIT.split(" in the")[0] in dom
    conflict = dom.split('class="cluster conflict"')
    assert len(conflict) > 1 or 'data-verdict="contradiction"' in dom


def test_demo_pairs_match_the_golden_snapshot(audited):
    """Every pair's id, verdict and score as in tests/golden/demo_pairs.json: a refactor must not
    change them; a deliberate change rewrites the snapshot (`python eval/golden.py --update`)."""
    from pathlib import Path

    golden = json.loads((Path(__file__).parent / "golden" / "demo_pairs.json").read_text())["pairs"]
    now = {p["id"]: p for p in audited["data"]["pairs"]}
    assert sorted(now) == [g[0] for g in golden]
    for pair_id, verdict, score in golden:
        assert now[pair_id]["verdict"] == verdict, pair_id
        assert now[pair_id]["score"] == pytest.approx(score, abs=0.005), pair_id
