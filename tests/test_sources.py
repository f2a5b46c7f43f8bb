"""Outlet names and dates from sources.csv / sources.toml and front matter (issue #16)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from checker.cli import app
from checker.errors import InputError
from checker.ingest import ingest_folder, read_article_file
from checker.label import Thresholds
from checker.published import publication_time

BODY = (
    "Officials said the storm destroyed 300 homes in Riverton on Monday.\n\n"
    "The mayor said 1,200 residents were moved to schools overnight.\n"
)


class _Embedder:
    name = "fake-embedder"

    def encode(self, texts):
        return np.ones((len(texts), 4), dtype=np.float32) / 2.0


class _Nli:
    name = "fake-nli"
    backend = "torch"
    temperature = 1.0

    def predict(self, pairs, progress=None):
        if progress:
            progress(len(pairs))
        return np.tile(np.array([[0.8, 0.15, 0.05]], dtype=np.float32), (len(pairs), 1))


@pytest.fixture
def fake_models(monkeypatch):
    monkeypatch.setattr("checker.pipeline.load_models", lambda *a, **k: (_Nli(), _Embedder(), Thresholds()))


def _corpus(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _by_name(folder: Path) -> dict:
    return {Path(a.path).name: a for a in ingest_folder(folder).articles}


def test_a_csv_mapping_names_outlets_and_dates(tmp_path):
    folder = _corpus(
        tmp_path,
        {
            "wire_0314.txt": BODY,
            "gazette.txt": BODY,
            "sources.csv": "file,outlet,date,url\n"
            "wire_0314.txt,Reuters,2026-03-14T09:10Z,https://example.test/storm\n"
            '"gazette.txt","The Riverton Gazette, Inc.",,\n',
        },
    )
    result = ingest_folder(folder)
    docs = {Path(a.path).name: a for a in result.articles}
    assert set(docs) == {"wire_0314.txt", "gazette.txt"}  # the mapping is not an article
    assert not result.skipped  # nor an unsupported file
    assert (docs["wire_0314.txt"].outlet, docs["wire_0314.txt"].date) == ("Reuters", "2026-03-14T09:10Z")
    assert docs["wire_0314.txt"].url == "https://example.test/storm"
    assert (docs["gazette.txt"].outlet, docs["gazette.txt"].date) == ("The Riverton Gazette, Inc.", None)
    assert publication_time(docs["wire_0314.txt"]).iso == "2026-03-14T09:10:00Z"


def test_a_toml_mapping_names_outlets_and_dates(tmp_path):
    folder = _corpus(
        tmp_path,
        {
            "wire.txt": BODY,
            "gazette.txt": BODY,
            "sources.toml": '[files."wire.txt"]\noutlet = "Reuters"\ndate = 2026-03-14\n\n'
            '[files."gazette.txt"]\noutlet = "The Riverton Gazette"\ndate = "2026-03-15 08:00"\n',
        },
    )
    docs = _by_name(folder)
    assert (docs["wire.txt"].outlet, docs["wire.txt"].date) == ("Reuters", "2026-03-14")
    assert (docs["gazette.txt"].outlet, docs["gazette.txt"].date) == ("The Riverton Gazette", "2026-03-15 08:00")


def test_what_the_document_declares_beats_the_mapping_and_the_mapping_beats_guesses(tmp_path):
    page = (
        "<html><head>{meta}</head><body><article><h1>Storm hits Riverton</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
        + "</article></body></html>"
    )
    ld = (
        '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "NewsArticle",'
        ' "headline": "Storm hits Riverton", "publisher": {"@type": "Organization", "name": "Riverton Herald"}}'
        "</script>"
    )
    folder = _corpus(
        tmp_path,
        {
            "field.json": json.dumps({"outlet": "Wire", "text": BODY}),
            "newsapi.json": json.dumps({"source": {"id": None, "name": "Reuters"}, "text": BODY}),
            "og.html": page.format(meta='<meta property="og:site_name" content="Daily Planet">'),
            "ld.html": page.format(meta=ld),
            "canonical.html": page.format(meta='<link rel="canonical" href="https://www.gazette.test/storm">'),
            "front.md": "---\ntitle: Storm hits Riverton\npublisher: Planet Weekly\n---\n\n" + BODY,
            "firstline.txt": "Coast Courier\n\n" + BODY,
            "mapped.txt": BODY,
            "plain.txt": BODY,
            "sources.csv": "file,outlet\n"
            + "".join(
                f"{name},Mapped {i}\n"
                for i, name in enumerate(
                    ["field.json", "og.html", "ld.html", "canonical.html", "front.md", "firstline.txt", "mapped.txt"]
                )
            ),
        },
    )
    outlets = {name: a.outlet for name, a in _by_name(folder).items()}
    assert outlets == {
        "field.json": "Wire",  # 1. the JSON field
        "newsapi.json": "Reuters",  # a NewsAPI-style source object
        "og.html": "Daily Planet",  # 2. HTML metadata
        "ld.html": "Riverton Herald",  # the JSON-LD publisher
        "canonical.html": "Mapped 3",  # only a web address from the page's URL: the mapping wins
        "front.md": "Planet Weekly",  # 3. front matter
        "mapped.txt": "Mapped 6",  # 4. the mapping
        "firstline.txt": "Mapped 5",  # ... beats the first-line guess
        "plain.txt": "plain",  # 6. the file name
    }
    (folder / "sources.csv").unlink()
    outlets = {name: a.outlet for name, a in _by_name(folder).items()}
    assert (outlets["firstline.txt"], outlets["canonical.html"], outlets["mapped.txt"]) == (
        "Coast Courier",
        "gazette.test",
        "mapped",
    )


def test_the_mapping_date_is_used_only_when_the_article_has_none(tmp_path):
    folder = _corpus(
        tmp_path,
        {
            "dated.json": json.dumps({"date": "2026-03-13", "text": BODY}),
            "front.md": "---\ndate: 2026-03-16 08:15\n---\n\n" + BODY,
            "published.txt": "Published: 17 March 2026 10:00 UTC\n\n" + BODY,
            "2026-03-18_weekly.txt": BODY,
            "undated.txt": BODY,
            "sources.csv": "file,date\n"
            + "".join(
                f"{n},2026-03-20\n"
                for n in ("dated.json", "front.md", "published.txt", "2026-03-18_weekly.txt", "undated.txt")
            ),
        },
    )
    when = {name: publication_time(a) for name, a in _by_name(folder).items()}
    assert {name: p.iso[:10] for name, p in when.items()} == {
        "dated.json": "2026-03-13",
        "front.md": "2026-03-16",
        "published.txt": "2026-03-17",
        "2026-03-18_weekly.txt": "2026-03-20",  # the desk's date beats one guessed from the file name
        "undated.txt": "2026-03-20",
    }
    assert when["front.md"].source == "front matter"


def test_an_entry_for_a_file_not_in_the_folder_is_reported(tmp_path):
    folder = _corpus(
        tmp_path,
        {
            "wire.txt": BODY,
            "gazette.txt": BODY,
            "sources.toml": '[files."wire.txt"]\noutlet = "Reuters"\n\n[files."wire2.txt"]\noutlet = "Reuters"\n',
        },
    )
    result = ingest_folder(folder)
    assert len(result.articles) == 2
    assert result.skipped == ((str(folder / "sources.toml"), "line 4: no file wire2.txt in the folder; entry ignored"),)


def test_front_matter_names_the_outlet_and_is_not_article_text(tmp_path):
    path = tmp_path / "planet.md"
    path.write_text(
        '---\ntitle: "Storm hits Riverton"\noutlet: Daily Planet\ndate: 2026-03-16\ntags:\n  - weather\n---\n\n'
        "# Storm hits Riverton\n\n" + BODY,
        encoding="utf-8",
    )
    [article] = read_article_file(path)
    assert article.outlet == "Daily Planet" and article.title == "Storm hits Riverton"
    assert article.text.startswith("Storm hits Riverton\n\nOfficials said")
    for word in ("outlet", "Daily Planet", "2026", "weather", "---"):
        assert word not in article.text
    rule = tmp_path / "rule.md"  # a block between two rules that is not key: value lines stays text
    rule.write_text(
        "---\nThe storm destroyed 300 homes in Riverton on Monday, officials said.\n---\n", encoding="utf-8"
    )
    assert "destroyed 300 homes" in read_article_file(rule)[0].text


def test_the_mapping_file_is_not_read_as_an_article_in_an_audit(tmp_path, fake_models):
    folder = _corpus(
        tmp_path, {"wire.txt": BODY, "gazette.txt": BODY, "sources.csv": "file,outlet\nwire.txt,Reuters\n"}
    )
    result = CliRunner().invoke(app, ["audit", str(folder), "--json", "--no-store", "--quiet"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert sorted(d["outlet"] for d in data["documents"]) == ["Reuters", "gazette"]
    assert data["skipped"] == []


@pytest.mark.parametrize(
    ("name", "text", "needle"),
    [
        ("sources.csv", "file,outlet\nwire.txt,Reuters,extra\n", "sources.csv line 2: 3 fields"),
        ("sources.csv", "file,outlet,dat\nwire.txt,Reuters,x\n", "sources.csv line 1: the header"),
        ("sources.csv", "file,outlet,date\n\nwire.txt,Reuters,soon\n", "sources.csv line 3: date of wire.txt"),
        ("sources.csv", "file,outlet\nwire.txt,A\nwire.txt,B\n", "sources.csv line 3: wire.txt is listed twice"),
        ("sources.toml", '[files."wire.txt"]\noutlet = Reuters\n', "sources.toml line 2: not valid TOML"),
        ("sources.toml", '[files."wire.txt"]\noutlet = "A"\nsite = "B"\n', "sources.toml line 1: unknown key"),
        ("sources.toml", '["wire.txt"]\noutlet = "A"\n', 'sources.toml line 1: expected [files."name.txt"]'),
    ],
)
def test_a_malformed_mapping_is_one_line_naming_file_and_line(tmp_path, fake_models, name, text, needle):
    folder = _corpus(tmp_path, {"wire.txt": BODY, "gazette.txt": BODY, name: text})
    result = CliRunner().invoke(app, ["audit", str(folder), "--no-store", "--quiet"])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("newscheck: error:") and needle in lines[0], result.stderr
    with pytest.raises(InputError, match="sources"):
        ingest_folder(folder)
