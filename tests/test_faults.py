"""Bad input of every kind (issue #13): one line on stderr, exit 2, no traceback, inputs unchanged.

The CLI audits here run with small fake models (``load_models`` is replaced), so only the
model-file tests touch torch, and they fail at the damaged file before any weights load.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from conftest import STORY, DigitNli, HashEmbedder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from checker.cli import app
from checker.errors import InputError, StoreError
from checker.ingest import MAX_ARTICLE_CHARS, ingest_folder, read_article_file
from checker.report import load_report
from checker.segment import MAX_STATEMENT_CHARS, segment_article, split_paragraph
from checker.store import Store
from checker.types import Article

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _snapshot(*paths: Path) -> dict:
    """Every file under ``paths`` (links not followed) -> hash of its bytes and its mode."""
    out = {}
    for root in paths:
        for p in [root, *root.rglob("*")] if root.is_dir() else [root]:
            if p.is_symlink() or not p.is_file():
                out[str(p)] = "other"
            else:
                out[str(p)] = (hashlib.sha1(p.read_bytes()).hexdigest(), p.stat().st_mode)
    return out


def _one_error_line(result, *needles: str, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("newscheck: error:"), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def _corpus(tmp_path: Path, files: dict | None = None, name: str = "corpus") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    for fname, text in (files or STORY).items():
        (folder / fname).write_text(text, encoding="utf-8")
    return folder


# -- 1. bounded work: long lines, big files, long articles -------------------------------------


def test_a_long_unpunctuated_paragraph_is_segmented_in_linear_time():
    words = "the council said on monday that it would approve the budget for new bridge repairs".split()
    text = " ".join(words[i % len(words)] for i in range(70_000))  # ~400 KB, no sentence punctuation
    spans = split_paragraph(text)  # was quadratic: 80 KB took 6.5 s, so this took minutes
    assert spans and all(0 < e - s <= MAX_STATEMENT_CHARS for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_a_one_megabyte_single_line_file_is_skipped_and_a_long_one_is_read(tmp_path, fake_models):
    corpus = _corpus(tmp_path)
    (corpus / "huge.txt").write_text("word " * 210_000, encoding="utf-8")  # 1 MB, one line
    (corpus / "long.txt").write_text("officials said the storm destroyed homes " * 1500, encoding="utf-8")  # 60 KB
    before = _snapshot(corpus)
    out = tmp_path / "r.json"
    result = _run("audit", corpus, "--out", out, "--no-store", "--quiet")
    assert result.exit_code == 0, result.output
    data = load_report(out)
    reasons = {Path(s["path"]).name: s["reason"] for s in data["skipped"]}
    assert "article too long" in reasons["huge.txt"] and f"{MAX_ARTICLE_CHARS:,}" in reasons["huge.txt"]
    long_doc = next(d for d in data["documents"] if d["path"].endswith("long.txt"))
    assert long_doc["statement_count"] > 50
    assert all(len(s["text"]) <= MAX_STATEMENT_CHARS for s in data["statements"])
    assert _snapshot(corpus) == before


def test_a_file_over_the_size_limit_is_skipped_unread(tmp_path):
    corpus = _corpus(tmp_path)
    with open(corpus / "big.html", "wb") as fh:
        fh.truncate(33 * 2**20)  # sparse: over the limit without writing 33 MiB
    result = ingest_folder(corpus)
    reasons = {Path(p).name: r for p, r in result.skipped}
    assert reasons["big.html"].startswith("file too large (33.0 MiB")
    assert len(result.articles) == 2


# -- 2. a one-line document is a claim ---------------------------------------------------------


def test_one_line_documents_are_read_as_claims(tmp_path, fake_models):
    corpus = _corpus(
        tmp_path,
        {
            "claim.txt": "Storm destroyed 3,000 homes in Riverton",
            "report.txt": "Officials said the storm destroyed 300 homes in Riverton on Monday.",
        },
    )
    result = _run("audit", corpus, "--json", "--no-store", "--quiet")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {d["statement_count"] for d in data["documents"]} == {1}
    assert [p["verdict"] for p in data["pairs"]] == ["contradiction"]


# -- 3. damaged model files ----------------------------------------------------------------------


def _damaged_copy(src: Path, dst: Path, damaged: str) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("*.safetensors", "*calibration*.json"))
    for f in src.rglob("*.safetensors"):  # links: no 90 MB copies
        (dst / f.relative_to(src)).symlink_to(f)
    target = dst / damaged
    data = target.read_bytes()
    target.unlink()
    target.write_bytes(data[: len(data) // 3])  # truncated
    return target


@pytest.mark.parametrize("damaged", ["model.safetensors", "tokenizer.json"])
def test_a_truncated_nli_model_file_is_named(tmp_path, corpus_dir, damaged):
    from checker.nli import default_nli_model_path

    bad = _damaged_copy(default_nli_model_path(), tmp_path / "nli", damaged)
    before = _snapshot(tmp_path / "nli")
    result = _run("audit", corpus_dir, "--nli-model", tmp_path / "nli", "--backend", "torch", "--no-store", "-q")
    _one_error_line(result, "could not load NLI model", f"{bad} is damaged or truncated")
    assert _snapshot(tmp_path / "nli") == before


def test_a_truncated_embedding_model_file_is_named(tmp_path, corpus_dir):
    from checker.models import default_embed_model_path

    bad = _damaged_copy(Path(default_embed_model_path()), tmp_path / "emb", "model.safetensors")
    # with the store the models load lazily, the embedder first: the NLI model is never loaded
    result = _run("audit", corpus_dir, "--embed-model", tmp_path / "emb", "--store", tmp_path / "s.sqlite", "-q")
    _one_error_line(result, "could not load embedding model", f"{bad} is damaged or truncated")


# -- 4, 5. damaged and read-only stores -----------------------------------------------------------


def _filled_store(tmp_path: Path, corpus: Path) -> Path:
    store = tmp_path / "store.sqlite"
    result = _run("audit", corpus, "--store", store, "--quiet")
    assert result.exit_code == 0, result.output
    return store


def test_a_store_damaged_past_its_header_says_how_to_go_on(tmp_path, fake_models):
    corpus = _corpus(tmp_path)
    store = _filled_store(tmp_path, corpus)
    data = bytearray(store.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    assert len(data) > 2 * page
    data[page:] = b"\xab" * (len(data) - page)  # every page after the schema page
    store.write_bytes(bytes(data))
    before = _snapshot(corpus, store)
    line = _one_error_line(_run("audit", corpus, "--store", store, "--quiet"), "is damaged", "--no-store")
    assert "--store NEW_PATH" in line
    _one_error_line(_run("dismiss", "abc", "--reason", "x", "--store", store), "is damaged")
    assert _snapshot(corpus, store) == before
    assert _run("audit", corpus, "--no-store", "--quiet").exit_code == 0  # the advice works


def test_a_file_that_is_not_a_database_is_a_store_error(tmp_path):
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"not a database at all, " * 200)
    with pytest.raises(StoreError, match="--no-store"):
        Store(path)
    assert path.read_bytes() == b"not a database at all, " * 200


def test_a_read_only_store_still_gives_the_report(tmp_path, fake_models):
    corpus = _corpus(tmp_path)
    store = _filled_store(tmp_path, corpus)
    (corpus / "third.txt").write_text("The storm destroyed 30 homes in Riverton, a witness said.\n", encoding="utf-8")
    store.chmod(0o444)
    try:
        before = _snapshot(corpus, store)
        out = tmp_path / "report.json"
        result = _run("audit", corpus, "--store", store, "--out", out)
        line = _one_error_line(result, "was not updated", "read-only", str(out))
        assert "reused" not in result.stderr
        assert len(load_report(out)["documents"]) == 3  # the audit is not lost
        assert _snapshot(corpus, store) == before
    finally:
        store.chmod(0o644)
    assert line


def test_two_audits_can_share_one_store(tmp_path):
    """Two audits at once on one store: both complete, both are kept (SQLite's lock, 30 s wait)."""
    from checker.cached_models import CachedEmbedder, CachedNli, ReuseStats
    from checker.pipeline import audit
    from checker.report import report_to_dict
    from checker.store import keep_audit

    corpora = [_corpus(tmp_path, name=f"c{i}") for i in range(2)]
    for i, c in enumerate(corpora):
        (c / "extra.txt").write_text(f"Officials said {i + 5} bridges were closed in Riverton.\n", encoding="utf-8")
    path, errors, problems = tmp_path / "shared.sqlite", [], []

    def one(corpus: Path) -> None:
        try:
            with Store(path) as db:
                stats = ReuseStats()
                for _ in range(3):
                    rep = audit(corpus, CachedNli(DigitNli(), db, stats), CachedEmbedder(HashEmbedder(), db, stats))
                    problems.append(keep_audit(db, str(corpus), report_to_dict(rep, corpus=str(corpus))))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(c,)) for c in corpora]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and problems == [None] * 6
    with Store(path) as db:
        assert len(db.audits()) == 6


# -- 6. reports of the right schema but the wrong shape -------------------------------------------


@pytest.fixture
def good_report(tmp_path, fake_models) -> Path:
    out = tmp_path / "good.json"
    result = _run("audit", _corpus(tmp_path), "--out", out, "--no-store", "--quiet")
    assert result.exit_code == 0, result.output
    return out


def _set(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    for key in parents:
        data = data[int(key)] if isinstance(data, list) else data[key]
    if value is _DELETE:
        del data[last]
    else:
        data[last] = value


_DELETE = object()


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("pairs", {"x": 1}, "pairs must be a list, got object"),
        ("pairs", _DELETE, "pairs is missing"),
        ("pairs.0.verdict", _DELETE, "pairs[0].verdict is missing"),
        ("pairs.0.verdict", "maybe", "pairs[0].verdict must be one of"),
        ("pairs.0.score", "high", "pairs[0].score must be a number, got 'high'"),
        ("pairs.0.a_to_b", [0.1, 0.2, 0.7], "pairs[0].a_to_b must be an object, got list"),
        ("pairs.0.finding", {"a_spans": [[0]]}, "pairs[0].finding.a_spans[0] must be a [start, end] pair"),
        ("summary", _DELETE, "summary is missing"),
        ("summary.verdicts", {"maybe": 1}, "summary.verdicts must be an object of counts"),
        ("documents.0.outlet", None, "documents[0].outlet must be a string, got null"),
        ("statements", "none", "statements must be a list, got string"),
        ("clusters.0.pairs", 3, "clusters[0].pairs must be a list"),
    ],
)
def test_a_report_of_the_wrong_shape_names_the_first_bad_field(tmp_path, good_report, field, value, message):
    data = json.loads(good_report.read_text(encoding="utf-8"))
    _set(data, field, value)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    before = _snapshot(bad)
    _one_error_line(_run("inspect", bad), "does not match the report schema", message)
    _one_error_line(_run("report", bad, "--html", tmp_path / "page.html"), message)
    assert not (tmp_path / "page.html").exists()
    assert _snapshot(bad) == before


def test_a_report_nested_too_deeply_is_an_error(tmp_path):
    bad = tmp_path / "deep.json"
    bad.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _one_error_line(_run("inspect", bad), "not valid JSON")


def test_html_cannot_be_written_is_one_line(tmp_path, good_report):
    (tmp_path / "dir.html").mkdir()
    _one_error_line(_run("report", good_report, "--html", tmp_path / "dir.html", "--force"), "cannot write")


# -- 7. dismiss matches pair ids exactly ---------------------------------------------------------


def test_dismiss_matches_pair_ids_exactly(tmp_path, fake_models):
    corpus = _corpus(tmp_path)
    store, out = tmp_path / "store.sqlite", tmp_path / "r.json"
    assert _run("audit", corpus, "--store", store, "--out", out, "-q").exit_code == 0
    real = next(p["id"] for p in load_report(out)["pairs"] if p["verdict"] == "contradiction")
    for pattern in ("%", "_" * len(real), real[:-1] + "_", real[:-1] + "%", real[:4], f'{real}"'):
        _one_error_line(_run("dismiss", pattern, "--reason", "test", "--store", store), "is not in any audit")
    with Store(store) as db:
        assert db.dismissals() == {}
    result = _run("dismiss", real, "--reason", "same figure, rounded", "--store", store)
    assert result.exit_code == 0 and f"dismissed {real}" in result.stdout
    with Store(store) as db:
        assert db.dismissals() == {real: "same figure, rounded"}
    data = json.loads(_run("audit", corpus, "--store", store, "--json", "-q").stdout)
    assert [p["dismissed"] for p in data["pairs"] if p["id"] == real] == ["same figure, rounded"]


def test_dismiss_never_creates_a_missing_store(tmp_path):
    missing = tmp_path / "nowhere" / "store.sqlite"
    _one_error_line(_run("dismiss", "abc", "--reason", "x", "--store", missing), "store does not exist")
    assert not missing.exists() and not missing.parent.exists()


# -- 8. the HTML page survives any outlet name ---------------------------------------------------


def test_an_outlet_name_cannot_break_the_html_page(tmp_path, fake_models):
    evil = "<!--<script></script>&amp;"
    corpus = _corpus(tmp_path)
    (corpus / "evil.json").write_text(
        json.dumps({"outlet": evil, "text": "The storm destroyed 30 homes in Riverton on Monday, officials said."}),
        encoding="utf-8",
    )
    out, page = tmp_path / "r.json", tmp_path / "page.html"
    assert _run("audit", corpus, "--out", out, "--no-store", "-q").exit_code == 0
    assert _run("report", out, "--html", page).exit_code == 0
    html = page.read_text(encoding="utf-8")
    assert "<!--" not in html
    assert html.count("<script") == 2 and html.count("</script>") == 2
    start = html.index('<script id="data" type="application/json">') + len('<script id="data" type="application/json">')
    embedded = html[start : html.index("</script>", start)]
    assert "<" not in embedded and ">" not in embedded and "&" not in embedded
    assert evil in json.loads(embedded)["outlets"]


def test_embedded_json_escapes_what_html_and_javascript_would_read():
    from checker.views.html import script_json

    value = {"o": ["<!--<script>", "a&b", "\u2028\u2029", "</script>", "é"]}
    text = script_json(value)
    assert not any(c in text for c in "<>&\u2028\u2029") and "é" in text
    assert json.loads(text) == value


# -- 9. smaller ones: links, JSONL lines, UTF-16, Markdown ---------------------------------------


def test_unreadable_entries_are_reported_not_dropped(tmp_path):
    corpus = _corpus(tmp_path)
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "gone.txt").symlink_to(tmp_path / "missing.txt")
    os.mkfifo(corpus / "pipe.txt")  # reading it would block forever
    reasons = {Path(p).name: r for p, r in ingest_folder(corpus).skipped}
    assert reasons == {
        "loop.txt": "symbolic link loop",
        "gone.txt": "broken symbolic link",
        "pipe.txt": "not a regular file",
    }


def test_a_bad_jsonl_line_is_skipped_and_the_rest_read(tmp_path):
    corpus = _corpus(tmp_path)
    (corpus / "feed.jsonl").write_text(
        '{"text": "The storm destroyed 300 homes in Riverton, officials said.", "outlet": "One"}\n'
        "{not json\n"
        '{"title": "no text"}\n'
        '{"text": "The mayor said 1,200 residents were moved to schools.", "outlet": "Two"}\n',
        encoding="utf-8",
    )
    result = ingest_folder(corpus)
    assert {"One", "Two"} <= {a.outlet for a in result.articles}
    reasons = [r for p, r in result.skipped if p.endswith("feed.jsonl")]
    assert len(reasons) == 2
    assert reasons[0].startswith("line 2: invalid JSON") and reasons[1].startswith("line 3: ")
    assert all("other records read" in r for r in reasons)
    only_bad = tmp_path / "bad.jsonl"
    only_bad.write_text("{not json\n[1]\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"line 1: invalid JSON .* \(and 1 more\)"):
        read_article_file(only_bad)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_read(tmp_path, encoding):
    text = "The storm destroyed 300 homes in Riverton on Monday, officials said."
    path = tmp_path / "a.txt"
    bom = {"utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    path.write_bytes(bom + text.encode(encoding))
    [article] = read_article_file(path)
    assert article.text == text


def test_markdown_headings_and_inline_html_are_not_kept(tmp_path):
    path = tmp_path / "a.md"
    path.write_text(
        "# Storm <em>destroys</em> **300** homes in Riverton #\n\n"
        "## Damage\n\n"
        "The storm destroyed 300 homes in <b>Riverton</b> on Monday, [officials](http://x.test) said.\n",
        encoding="utf-8",
    )
    [article] = read_article_file(path)
    assert article.title == "Storm destroys 300 homes in Riverton"
    assert "The storm destroyed 300 homes in Riverton on Monday, officials said." in article.text
    assert not any(c in article.text for c in "#<>*[]")


def test_all_skips_reach_the_report_and_inputs_stay_unchanged(tmp_path, fake_models):
    corpus = _corpus(tmp_path)
    (corpus / "loop.txt").symlink_to(corpus / "loop.txt")
    (corpus / "feed.jsonl").write_text(
        '{"text": "A witness said the storm destroyed 30 homes in Riverton."}\n{oops\n', encoding="utf-8"
    )
    (corpus / "u16.txt").write_bytes("The mayor said 1,300 residents were moved to schools.".encode("utf-16"))
    before = _snapshot(corpus)
    out = tmp_path / "r.json"
    result = _run("audit", corpus, "--out", out, "--no-store", "-q")
    assert result.exit_code == 0, result.output
    data = load_report(out)
    reasons = sorted((Path(s["path"]).name, s["reason"].split(" (")[0]) for s in data["skipped"])
    assert reasons == [("feed.jsonl", "line 2: invalid JSON"), ("loop.txt", "symbolic link loop")]
    assert len(data["documents"]) == 4
    assert _snapshot(corpus) == before


# -- property-based: ingest and segmentation never crash, offsets always hold ---------------------

_PUNCT = "| |  |\n|\n\n|\r\n|\t|.|. |? |!|\"|“|”|'|(|)|-|• |1. |Mr.|Gen.|U.S.|e.g.|...|#|<b>|</b>|&amp;"
_ODD = ["\u2028", "\x0c", "\x00", "é", "Ж", "中", "\ud800"]  # line separators, controls, a lone surrogate
_PIECES = st.sampled_from(_PUNCT.split("|")[1:] + _ODD + "said The storm 300 homes Riverton officials".split())
_TEXT = st.one_of(
    st.lists(_PIECES, max_size=400).map("".join),
    st.text(max_size=2000),
    st.lists(st.sampled_from(["word", "Storm", "said", "Maj.", "x" * 50]), max_size=1500).map(" ".join),
)
_SLOW_OK = settings(deadline=timedelta(seconds=10), max_examples=120, suppress_health_check=[HealthCheck.too_slow])


def _check_statements(article: Article) -> None:
    statements = segment_article(article)
    for s in statements:
        assert article.text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert len(s.text) <= MAX_STATEMENT_CHARS
    assert all(a.end <= b.start for a, b in zip(statements, statements[1:]))


@_SLOW_OK
@given(text=_TEXT, title_line=st.booleans())
def test_segmentation_offsets_always_index_the_text(text, title_line):
    text = text.encode("utf-8", "replace").decode("utf-8")  # ingest never hands over lone surrogates
    title = text.split("\n", 1)[0] if title_line else ""
    _check_statements(Article(id="d", path="d.txt", title=title, outlet="o", date=None, text=text))


@_SLOW_OK
@given(
    body=st.one_of(_TEXT, st.binary(max_size=3000)),
    suffix=st.sampled_from([".txt", ".md", ".json", ".jsonl", ".html"]),
    encoding=st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]),
)
def test_ingest_reads_or_refuses_any_file(tmp_path_factory, body, suffix, encoding):
    folder = tmp_path_factory.mktemp("prop")
    path = folder / f"f{suffix}"
    if isinstance(body, bytes):
        data = body
    else:
        if suffix == ".json":
            body = json.dumps({"text": body, "title": body[:80], "outlet": body[-20:]})
        elif suffix == ".jsonl":
            body = "\n".join(json.dumps({"text": ln}) if i % 2 else ln for i, ln in enumerate(body.split("\n")))
        data = body.encode(encoding, "surrogatepass")
    path.write_bytes(data)
    try:
        articles = read_article_file(path)
    except InputError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    finally:
        assert path.read_bytes() == data
    for article in articles:
        assert len(article.text) <= MAX_ARTICLE_CHARS
        article.text.encode("utf-8")  # writable as UTF-8 (no lone surrogates)
        _check_statements(article)
