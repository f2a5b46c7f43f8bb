"""The audit benchmark's truth files and scorer (checker.stories), on hand-made stories and reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.stories import TruthFileError, find_stories, load_story, score_story, summarize

WIRE = {
    "outlet": "Wire",
    "title": "Quake kills 120 in Ridgeford",
    "date": "2026-03-14T07:10:00Z",
    "text": "The earthquake struck at dawn on Monday. It killed 120 people. The mayor said 40 homes collapsed. "
    "Rescue teams came from Halden.",
}
DAILY = {
    "outlet": "Daily",
    "title": "Ridgeford quake toll reaches 310",
    "date": "2026-03-14T21:30:00Z",
    "text": "A strong earthquake hit the town early on Tuesday. More than 40 homes were destroyed. "
    "Teams from Halden joined the search. The death toll rose to 310.",
}
TRUTH = {
    "story": "quake",
    "split": "dev",
    "topic": "disaster",
    "entries": [
        {
            "id": "c1",
            "kind": "conflict",
            "type": "date/time",
            "a": {"doc": "wire.json", "text": "The earthquake struck at dawn on Monday."},
            "b": {"doc": "daily.json", "text": "A strong earthquake hit the town early on Tuesday."},
        },
        {
            "id": "c2",
            "kind": "conflict",
            "type": "number",
            "a": [{"doc": "wire.json", "text": "Quake kills 120 in Ridgeford"}],
            "b": {"doc": "daily.json", "text": "Ridgeford quake toll reaches 310"},
        },
        {
            "id": "g1",
            "kind": "agree",
            "a": {"doc": "wire.json", "text": "Rescue teams came from Halden."},
            "b": {"doc": "daily.json", "text": "Teams from Halden joined the search."},
        },
        {
            "id": "k1",
            "kind": "compatible",
            "type": "number",
            "a": {"doc": "wire.json", "text": "The mayor said 40 homes collapsed."},
            "b": {"doc": "daily.json", "text": "More than 40 homes were destroyed."},
        },
        {
            "id": "u1",
            "kind": "update",
            "type": "number",
            "a": {"doc": "wire.json", "text": "It killed 120 people."},
            "b": {"doc": "daily.json", "text": "The death toll rose to 310."},
        },
    ],
}


def _story(tmp_path: Path, truth: dict | None = None, split: str = "dev") -> Path:
    folder = tmp_path / split / "quake"
    folder.mkdir(parents=True)
    (folder / "wire.json").write_text(json.dumps(WIRE))
    (folder / "daily.json").write_text(json.dumps(DAILY))
    (folder / "truth.json").write_text(json.dumps(truth or TRUTH))
    return folder


def _pair(pid: str, a: str, b: str, verdict: str) -> dict:
    return {
        "id": pid,
        "a": f"s-{pid}-a",
        "b": f"s-{pid}-b",
        "a_doc": "W",
        "b_doc": "D",
        "a_text": a,
        "b_text": b,
        "verdict": verdict,
        "evidence": "nli",
    }


def _report() -> dict:
    """An audit that finds c1 (as a claim of the sentence), misses c2, raises one false alarm,
    agrees on g1, keeps k1 compatible and calls the update a contradiction."""
    return {
        "documents": [{"id": "W", "path": "/tmp/x/wire.json"}, {"id": "D", "path": "/tmp/x/daily.json"}],
        "statements": [],
        "pairs": [
            _pair(
                "p1",
                "The earthquake struck at dawn on Monday.",
                "A strong earthquake hit the town early on Tuesday.",
                "contradiction",
            ),
            _pair("p2", "Quake kills 120 in Ridgeford", "Ridgeford quake toll reaches 310", "neutral"),
            _pair("p3", "Rescue teams came from Halden.", "Teams from Halden joined the search.", "agree"),
            _pair("p4", "The mayor said 40 homes collapsed.", "More than 40 homes were destroyed.", "a_adds"),
            _pair("p5", "It killed 120 people.", "The death toll rose to 310.", "contradiction"),
            _pair("p6", "Rescue teams came from Halden.", "More than 40 homes were destroyed.", "contradiction"),
            _pair("p7", "It killed 120 people.", "Teams from Halden joined the search.", "neutral"),
        ],
    }


def test_scorer_exact_figures(tmp_path):
    story = load_story(_story(tmp_path))
    result = score_story(_report(), story)
    outcome = {e["id"]: e["ok"] for e in result["entries"]}
    assert outcome == {"c1": True, "c2": False, "g1": True, "k1": True, "u1": False}
    assert result["contradictions"] == 3
    assert result["false_alarms"] == 1  # p6; p5 is the update, counted on its own
    assert [p["id"] for p in result["false_alarm_pairs"]] == ["p6"]
    s = summarize([result])
    assert s["conflicts"] == {
        "planted": 2,
        "found": 1,
        "recall": 0.5,
        "by_type": {
            "number": {"planted": 1, "found": 0, "recall": 0.0},
            "date/time": {"planted": 1, "found": 1, "recall": 1.0},
        },
    }
    assert s["precision"] == round(2 / 3, 4)
    assert s["false_alarms_per_100_pairs"] == round(100 / 7, 2)
    assert s["agreement"] == {"facts": 1, "agreeing": 1, "recall": 1.0, "unpaired": 0}
    assert s["compatible"] == {"pairs": 1, "not_contradicted": 1, "rate": 1.0}
    assert s["updates"] == {
        "planted": 1,
        "labelled_updated": 0,
        "verdicts": {"contradiction": 1},
        # the story has an update, so its two conflicts are fixed facts in a developing story
        "fixed_conflicts": 2,
        "fixed_conflicts_found": 1,
        "fixed_recall": 0.5,
    }


def test_a_claim_matches_through_its_sentence(tmp_path):
    story = load_story(_story(tmp_path))
    report = _report()
    report["pairs"][0]["a_text"] = "The earthquake struck on Monday, officials said."  # a claim, not a substring
    report["statements"] = [{"id": "s-p1-a", "sentence": "The earthquake struck at dawn on Monday."}]
    assert score_story(report, story)["entries"][0]["ok"] is True


def test_a_contradiction_on_a_compatible_pair_is_a_false_alarm(tmp_path):
    story = load_story(_story(tmp_path))
    report = _report()
    report["pairs"][3]["verdict"] = "contradiction"
    result = score_story(report, story)
    assert {e["id"]: e["ok"] for e in result["entries"]}["k1"] is False
    assert result["false_alarms"] == 2


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda t: t["entries"][0].update(kind="clash"), "kind must be one of"),
        (lambda t: t["entries"][0].update(type="weather"), "type must be one of"),
        (lambda t: t["entries"][0]["a"].update(text="Not in the article."), "text is not in wire.json"),
        (lambda t: t["entries"][0]["a"].update(doc="nope.json"), "no document 'nope.json'"),
        (lambda t: t["entries"][0].update(b=t["entries"][0]["a"]), "both sides are in wire.json"),
        (lambda t: t["entries"][1].update(id="c1"), "duplicate id"),
        (lambda t: t.update(split="training"), "split must be one of"),
        (lambda t: t.update(entries=[]), "no entries"),
    ],
)
def test_truth_file_errors_are_one_line(tmp_path, mutate, message):
    truth = json.loads(json.dumps(TRUTH))
    mutate(truth)
    with pytest.raises(TruthFileError) as err:
        load_story(_story(tmp_path, truth))
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_truth_file_not_json(tmp_path):
    folder = _story(tmp_path)
    (folder / "truth.json").write_text("{not json")
    with pytest.raises(TruthFileError, match="not valid JSON"):
        load_story(folder)


def test_find_stories_by_split(tmp_path):
    _story(tmp_path)
    test_truth = dict(TRUTH, split="test")
    _story(tmp_path, test_truth, split="test")
    assert [s.split for s in find_stories(tmp_path, "all")] == ["dev", "test"]
    assert [s.split for s in find_stories(tmp_path, "test")] == ["test"]
    assert len(find_stories(tmp_path / "dev" / "quake")) == 1


def test_the_shipped_benchmark_is_valid():
    """Every committed story loads, and the benchmark keeps its promised size and coverage."""
    root = Path(__file__).resolve().parent.parent / "eval" / "stories"
    stories = [s for s in find_stories(root) if s.kind == "written"]
    assert len(stories) >= 12
    conflicts = [e for s in stories for e in s.entries if e.kind == "conflict"]
    assert len(conflicts) >= 40
    assert {e.type for e in conflicts} == {
        "number",
        "date/time",
        "role/title",
        "location/scope",
        "attribution",
        "negation/polarity",
        "entity",
    }
    free = [s for s in stories if not any(e.kind in ("conflict", "update") for e in s.entries)]
    assert len(free) >= 3
    assert {s.split for s in stories} == {"dev", "test"}


def test_eval_audit_bad_truth_is_a_one_line_error(tmp_path):
    from typer.testing import CliRunner

    from checker.cli import app

    folder = _story(tmp_path)
    (folder / "truth.json").write_text("[]")
    result = CliRunner().invoke(app, ["eval-audit", str(tmp_path), "--quiet"])
    assert result.exit_code == 2
    assert "must be a JSON object" in result.output
    assert "Traceback" not in result.output
