from pathlib import Path

import pytest

from checker.errors import InputError
from checker.ingest import ingest_folder, read_article_file
from checker.page_lines import clean_lines, is_furniture

FURNITURE = [
    "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Related Articles",
    "Back to top button",
    "share-lineLiked the story? Share it on social media!",
    "Views: 83",
    "Any use of materials is allowed only if there is a hyperlink to Example.com",
    "Example Times © 2025. All rights reserved.",
    "The views expressed by guest columnists are their own and do not necessarily reflect the opinions of the editors.",
    "WHAT ARE YOU LOOKING FOR ?",
    "Ссылка скопирована",
    "Quake hits coast 10.11.25, 22:50 • [views_1318]",
    "By Jane Smith and Omar Haddad, Reuters",
    "by Staff Reporter",
    "Reporting by Jane Smith; Editing by John Doe",
    "Comments (12)",
    "Print this article",
    "Advertisement",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_furniture_lines_are_recognised(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "Hassan claims control of 12,000 fighters, while Makhlouf claims at least 54,000.",
        "The governor of Tartus said authorities were aware of the plans.",
        "Share prices fell 3% on Monday after the central bank said it would raise rates again.",
        # a sentence that opens like a byline or an interface word is still the story
        "By Tuesday evening about 450 flights had been cancelled across the country.",
        "By Monday, 300 people had fled.",
        "By late afternoon the Calderran mark had clawed back much of its early slide.",
        "Search teams found two more bodies in the rubble on Sunday.",
        "Search for missing climbers called off",
        "Comments by the minister drew an angry response from the opposition.",
    ],
)
def test_prose_is_not_furniture(line):
    assert not is_furniture(line)


def test_demo_files_lose_their_boilerplate(corpus_dir):
    result = ingest_folder(corpus_dir)
    assert len(result.articles) == 5 and not result.skipped
    texts = {Path(a.path).name[:3]: a for a in result.articles}
    for a in result.articles:
        for junk in (
            "Leave a Reply",
            "Related Articles",
            "Recommended Stories",
            "twitter\n",
            "Views:",
            "Share it on social media",
            "views_",
            "Back to top",
        ):
            assert junk not in a.text, (a.path, junk)
    caliber = texts["004"]
    assert caliber.outlet == "Caliber.az" and caliber.date == "2025-12-08"
    assert caliber.title.startswith("Assad loyalists threaten Syria")
    assert caliber.text.startswith(caliber.title)
    assert texts["001"].title.startswith("Al-Assad’s inner circle plots Syrian uprisings")
    assert "Ahmed al-Shami, head of a government special unit in the Tartus region" in caliber.text
    assert "Governor Ahmed al-Shami of Tartous" in texts["003"].text


def test_html_written_by_test_is_cleaned(tmp_path):
    html = """<!doctype html><html><head><title>Dam breaks in Riverton | Daily Planet</title>
    <meta property="og:site_name" content="Daily Planet"></head><body>
    <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li>Sports</li></ul></nav>
    <article><h1>Dam breaks in Riverton</h1>
    <p>A dam upstream of Riverton failed on Tuesday night, flooding 300 homes, the mayor said.</p>
    <p>Mayor Ana Ruiz said no one was killed and that 1,200 residents had been moved to schools.</p>
    <p>Engineers had warned in 2019 that the dam needed repairs costing $4 million.</p>
    <div class="share">Share this article on Facebook</div></article>
    <section><h3>Leave a Reply</h3><p>Your email address will not be published.</p></section>
    <footer>© 2025 Daily Planet. All rights reserved.</footer></body></html>"""
    (tmp_path / "planet.html").write_text(html, encoding="utf-8")
    [article] = read_article_file(tmp_path / "planet.html")
    assert article.title.startswith("Dam breaks in Riverton")
    assert article.outlet == "Daily Planet"
    assert "flooding 300 homes" in article.text and "$4 million" in article.text
    for junk in ("Home", "Sports", "Leave a Reply", "All rights reserved", "Share this"):
        assert junk not in article.text


def test_json_and_jsonl_articles(tmp_path):
    (tmp_path / "a.json").write_text(
        '{"title": "Storm hits", "outlet": "Wire", "date": "2025-01-02", '
        '"text": "A storm hit the coast on Monday, officials said."}',
        encoding="utf-8",
    )
    (tmp_path / "b.jsonl").write_text(
        '{"text": "The storm killed two people in the north."}\n'
        '{"text": "Power was cut to 5,000 homes overnight.", "outlet": "Gazette"}\n',
        encoding="utf-8",
    )
    result = ingest_folder(tmp_path)
    assert [a.outlet for a in result.articles] == ["Wire", "b", "Gazette"]
    assert result.articles[0].title == "Storm hits" and result.articles[0].date == "2025-01-02"


def test_bad_files_are_skipped_with_reasons(tmp_path):
    (tmp_path / "good.txt").write_text("The council approved the budget of $3 million on Friday.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes("Le conseil a approuvé le budget.".encode("latin-1"))
    (tmp_path / "blob.md").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "broken.jsonl").write_text("{not json\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    result = ingest_folder(tmp_path)
    assert [Path(a.path).name for a in result.articles] == ["good.txt"]
    reasons = {Path(p).name: r for p, r in result.skipped}
    assert reasons["empty.txt"] == "empty file"
    assert "not UTF-8" in reasons["latin1.txt"]
    assert "binary" in reasons["blob.md"]
    assert "unsupported format .pdf" in reasons["notes.pdf"]
    assert "invalid JSON" in reasons["broken.jsonl"]
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before  # inputs untouched


@pytest.mark.parametrize(
    "setup,message",
    [
        (lambda d: d / "missing", "does not exist"),
        (lambda d: d, "is empty"),
        (lambda d: (d / "x.pdf").write_bytes(b"%PDF") and d, "no supported files"),
        (lambda d: (d / "x.txt").write_text("") is not None and d, "no readable articles"),
    ],
)
def test_unusable_folders_raise(tmp_path, setup, message):
    folder = setup(tmp_path)
    with pytest.raises(InputError, match=message):
        ingest_folder(folder)


def test_link_block_after_article_is_dropped():
    raw = (
        "Storm floods the valley\n\nHeavy rain flooded the valley on Sunday, forcing 2,000 people "
        "from their homes.\nRelated Stories\nFloods hit the north again\nWhy rivers rise\n"
    )
    clean = clean_lines(raw)
    assert clean.title == "Storm floods the valley"
    assert clean.body == ["Heavy rain flooded the valley on Sunday, forcing 2,000 people from their homes."]
