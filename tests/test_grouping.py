"""Story grouping: written stories mixed into one archive come apart again; the time window
splits a story; purity and completeness; the `newscheck stories` command."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.grouping import Grouping, Story, group_articles, lead_text, score_grouping
from checker.ingest import ingest_folder
from checker.types import Article

REPO = Path(__file__).resolve().parents[1]
STORIES = ("bridge-collapse-inquiry", "chemical-plant-fire", "comet-discovery")
runner = CliRunner()


def _article(name: str, title: str = "", text: str = "Body.", date: str | None = None) -> Article:
    return Article(id=name, path=f"/a/{name}", title=title, outlet=name, date=date, text=text)


def mixed_archive(folder: Path, stories=STORIES) -> dict[str, str]:
    """Copy the articles of written benchmark stories into one folder; file name -> story."""
    folder.mkdir(parents=True, exist_ok=True)
    gold = {}
    for story in stories:
        for f in sorted((REPO / "eval" / "stories" / "dev" / story).glob("*.json")):
            if f.name != "truth.json":
                shutil.copy(f, folder / f"{story}-{f.name}")
                gold[f"{story}-{f.name}"] = story
    return gold


def test_score_counts_majorities():
    a, b, c, d = (_article(x) for x in "abcd")
    found = Grouping((Story("s1", (a, b, c), "h"), Story("s2", (d,), "h")))
    gold = {"a": "x", "b": "x", "c": "y", "d": "y"}
    score = score_grouping(found, gold)
    # s1's majority is x (a, b): c is impure; gold y is split 1/1: one of c, d is incomplete
    assert score.purity == pytest.approx(3 / 4)
    assert score.completeness == pytest.approx(3 / 4)
    assert (score.found, score.gold, score.articles) == (2, 2, 4)
    # an article the gold does not know is left out
    assert score_grouping(found, {"a": "x", "b": "x"}).articles == 2


def test_lead_is_title_and_start_of_text():
    a = _article("a", title="Bridge shut", text="Bridge shut\n\n" + "word " * 1000)
    lead = lead_text(a)
    assert lead.startswith("Bridge shut\nword") and len(lead) <= len("Bridge shut\n") + 1000


@pytest.fixture(scope="module")
def grouped(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("archive")
    gold = mixed_archive(folder)
    ingested = ingest_folder(folder)
    return folder, gold, ingested, group_articles(ingested.articles, embedder)


@pytest.mark.slow
def test_written_stories_come_apart(grouped):
    _, gold, ingested, grouping = grouped
    assert len(grouping.stories) == len(STORIES)
    for story in grouping.stories:
        assert len({gold[Path(a.path).name] for a in story.articles}) == 1
        # the representative headline is one of the story's own titles
        assert story.headline in {a.title for a in story.articles}
    score = score_grouping(grouping, gold)
    assert score.purity == score.completeness == 1.0 and score.articles == len(ingested.articles)
    # ids depend on the articles only: grouping again gives the same ids
    assert grouping.stories[0].id.startswith("s-")


@pytest.mark.slow
def test_time_window_splits_a_story(grouped, embedder):
    _, gold, ingested, _ = grouped
    bridge = [a for a in ingested.articles if gold[Path(a.path).name] == STORIES[0]]
    # the same four articles, two of them published twelve days after the other two
    dated = [replace(a, date="2026-03-01T10:00Z" if i < 2 else "2026-03-13T10:00Z") for i, a in enumerate(bridge)]
    split = group_articles(dated, embedder)
    assert sorted(len(s.articles) for s in split.stories) == [2, 2]
    together = group_articles([replace(a, date="2026-03-01T10:00Z") for a in bridge], embedder)
    assert len(together.stories) == 1


@pytest.mark.slow
def test_stories_command_writes_and_scores(grouped, tmp_path):
    folder, gold, ingested, _ = grouped
    gold_file = tmp_path / "gold.json"
    gold_file.write_text(json.dumps({"files": gold}))
    out = tmp_path / "stories.json"
    result = runner.invoke(app, ["stories", str(folder), "--out", str(out), "--gold", str(gold_file), "-q"])
    assert result.exit_code == 0, result.output
    assert "purity 1.000 · completeness 1.000" in result.output
    data = json.loads(out.read_text())
    assert data["schema"] == "newscheck.stories" and data["summary"]["stories"] == len(STORIES)
    assert sum(len(s["articles"]) for s in data["stories"]) == len(ingested.articles)
    # an existing file is replaced only with --force
    again = runner.invoke(app, ["stories", str(folder), "--out", str(out), "-q"])
    assert again.exit_code == 2 and "pass --force" in again.output


def test_stories_command_bad_input(tmp_path):
    missing = runner.invoke(app, ["stories", str(tmp_path / "nope"), "--out", str(tmp_path / "s.json")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    bad_gold = tmp_path / "gold.json"
    bad_gold.write_text("[1, 2]")
    (tmp_path / "a").mkdir()
    result = runner.invoke(
        app, ["stories", str(tmp_path / "a"), "--gold", str(bad_gold), "--out", str(tmp_path / "s.json")]
    )
    assert result.exit_code == 2 and "expected" in result.output and "Traceback" not in result.output
