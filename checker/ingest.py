"""Ingest: a folder of articles -> cleaned :class:`Article` objects.

Why built so: articles arrive as saved web pages, copied text or exports, full of page
furniture (menus, share prompts, comment forms, "Related Articles" lists, view counters,
copyright footers). HTML goes through trafilatura, a maintained main-content extractor;
every format then goes through the same line rules (:mod:`checker.page_lines`). Title, outlet and date
are kept when the file gives them, else a sources.csv beside it may name them (see
:mod:`checker.sources`). Unreadable files are reported and skipped (so are bad records of a
JSON list or lines of a JSONL file, the rest being read); input files are only ever read. Work is bounded: files over :data:`MAX_FILE_BYTES` and articles over
:data:`MAX_ARTICLE_CHARS` are skipped with the reason.
"""

from __future__ import annotations

import errno
import json
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.errors import InputError
from checker.page_lines import CleanText, clean_lines, is_furniture, word_count
from checker.sources import Source, front_matter, mapped_date, outlet_name, read_sources, record_outlet
from checker.textio import MAX_FILE_BYTES, markdown_to_text, normalize_text, read_text, too_large
from checker.types import Article, content_id

SUPPORTED = (".txt", ".md", ".html", ".htm", ".json", ".jsonl")
#: longer articles (cleaned text, ~40,000 words) are skipped: they are not news articles.
MAX_ARTICLE_CHARS = 250_000
_MAX_RECORD_PROBLEMS = 20  # bad records/lines of one file listed one by one, then counted


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Articles read, and the files skipped with the reason."""

    articles: tuple[Article, ...]
    skipped: tuple[tuple[str, str], ...]


def _single_line_claim(raw_text: str, title: str | None) -> str | None:
    """A document that is one line of prose (a viral claim, a headline) is audited as it is:
    the line rules would drop it as a heading, but comparing a claim with reports is normal use."""
    lines = [ln.strip() for ln in normalize_text(raw_text).split("\n") if ln.strip()]
    if title and title.strip() not in lines:
        lines.insert(0, title.strip())
    if len(lines) != 1 or is_furniture(lines[0]) or word_count(lines[0]) < 3:
        return None
    return lines[0]


def _article(path: Path, idx: int, raw_text: str, title: str | None, meta: Source, source: Source | None) -> Article:
    """``meta``: what the document declares; ``source``: what the sources mapping says of its file."""
    clean = clean_lines(raw_text, title)
    if not clean.body:
        claim = _single_line_claim(raw_text, title)
        if claim is None:
            raise InputError("no article text left after removing page furniture")
        clean = CleanText("", [claim], clean.date, clean.outlet, 0)
    text = "\n".join(([clean.title, ""] if clean.title else []) + clean.body)
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(
            f"article too long ({len(text):,} characters; newscheck reads articles up to {MAX_ARTICLE_CHARS:,})"
        )
    return Article(
        # Named by file and position, not content: an edited article keeps its id, so its
        # unchanged statements keep theirs (and stored results and dismissals still apply).
        id=content_id(path.name, str(idx), n=10),
        path=str(path),
        title=clean.title,
        outlet=outlet_name(meta.outlet, source, clean.outlet, path),
        date=meta.date or clean.date or mapped_date(path, source),
        text=text,
        url=meta.url or (source.url if source else None),
        removed_lines=clean.removed,
    )


def _from_html(path: Path, html: str, source: Source | None) -> list[Article]:
    import trafilatura

    try:
        doc: Any = trafilatura.bare_extraction(  # a Document (a dict only with as_dict=True)
            html, with_metadata=True, include_comments=False, include_tables=False, favor_recall=True
        )
    except (RecursionError, MemoryError):
        raise InputError("HTML too deeply nested or too large to parse") from None
    except Exception as exc:  # a third-party parser: any failure is a file we cannot read
        raise InputError(f"could not parse the HTML ({type(exc).__name__})") from None
    if doc is None or not (doc.text or "").strip():
        raise InputError("no article text found in the HTML")
    return [_article(path, 0, doc.text, doc.title or None, Source(doc.sitename, doc.date, doc.url), source)]


def _from_record(path: Path, idx: int, rec: object, source: Source | None) -> Article:
    if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec["text"].strip():
        raise InputError("no 'text' field")
    get = lambda k: " ".join(normalize_text(str(rec[k])).split()) if rec.get(k) else None  # noqa: E731
    return _article(path, idx, rec["text"], get("title"), Source(record_outlet(rec), get("date"), get("url")), source)


def _json(text: str, whole_file: bool) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON ({f'line {exc.lineno}: ' if whole_file else ''}{exc.msg})") from None
    except RecursionError:
        raise InputError("invalid JSON (nested too deeply)") from None


def _records(path: Path, items, problems: list[str] | None, source: Source | None) -> list[Article]:
    """Articles of ``(index, label, parse)`` items; a bad one is noted in ``problems`` and
    skipped. Raises the first problem when no item gives an article."""
    out, bad = [], []
    for idx, label, parse in items:
        try:
            out.append(_from_record(path, idx, parse(), source))
        except InputError as exc:
            bad.append(f"{label}: {exc}")
    if not out:
        more = f" (and {len(bad) - 1} more)" if len(bad) > 1 else ""
        raise InputError(f"{bad[0]}{more}" if bad else "no records")
    if problems is not None and bad:
        problems.extend(f"{b}; skipped, other records read" for b in bad[:_MAX_RECORD_PROBLEMS])
        if len(bad) > _MAX_RECORD_PROBLEMS:
            problems.append(f"{len(bad) - _MAX_RECORD_PROBLEMS} more bad records skipped")
    return out


def read_article_file(path: Path, problems: list[str] | None = None, source: Source | None = None) -> list[Article]:
    """Articles in one file (several for JSON lists and JSONL).

    Args:
        path: the file.
        problems: when given, receives one line per bad record of a JSON list or bad line of
            a JSONL file (those are skipped; the file's other records are read).
        source: the sources.csv/sources.toml entry for the file (:mod:`checker.sources`).

    Raises:
        InputError: the file is too large, empty, binary, not text, malformed, or has no prose.
    """
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputError(f"unsupported format {suffix or '(none)'}; supported: {', '.join(SUPPORTED)}")
    text = read_text(path)
    if suffix in (".html", ".htm"):
        return _from_html(path, text, source)
    if suffix == ".json":
        data = _json(text, whole_file=True)
        if not isinstance(data, list):
            return [_from_record(path, 0, data, source)]
        return _records(path, ((i, f"record {i + 1}", lambda r=r: r) for i, r in enumerate(data)), problems, source)
    if suffix == ".jsonl":
        lines = normalize_text(text).split("\n")
        items = (
            (i, f"line {i + 1}", lambda ln=ln: _json(ln, whole_file=False)) for i, ln in enumerate(lines) if ln.strip()
        )
        return _records(path, items, problems, source)
    if suffix == ".md":  # front matter: a date is read by checker.published, the rest here
        fm = front_matter(text)
        return [_article(path, 0, markdown_to_text(fm.body), fm.title, Source(fm.outlet, None, fm.url), source)]
    return [_article(path, 0, text, None, Source(), source)]


def _listing(root: Path) -> tuple[list[Path], list[tuple[str, str]]]:
    """Regular files of ``root`` (hidden ones and sub-folders left out), and the entries that
    cannot be read as files with the reason (broken links, link loops, devices, pipes)."""
    files, bad = [], []
    try:
        entries = sorted(p for p in root.iterdir() if not p.name.startswith("."))
    except OSError as exc:
        raise InputError(f"cannot read folder {root} ({exc.strerror})") from None
    for p in entries:
        try:
            mode = p.stat().st_mode
        except OSError as exc:
            if p.is_symlink():
                reason = "symbolic link loop" if exc.errno == errno.ELOOP else "broken symbolic link"
            else:
                reason = f"cannot read ({exc.strerror})"
            bad.append((str(p), reason))
            continue
        if stat.S_ISREG(mode):
            files.append(p)
        elif not stat.S_ISDIR(mode):
            bad.append((str(p), "not a regular file"))
    return files, bad


def ingest_folder(folder: str | Path) -> IngestResult:
    """Read every supported file in ``folder`` (not recursive, hidden files ignored), naming
    outlets and dates from a sources.csv/sources.toml there (:mod:`checker.sources`).

    Raises:
        InputError: the folder is missing, empty, has no supported file, or no file in it
            could be read; or its sources.csv/sources.toml is malformed.
    """
    root = Path(folder)
    if not root.exists():
        raise InputError(f"corpus folder does not exist: {folder}")
    if not root.is_dir():
        raise InputError(f"not a folder: {folder}")
    files, unreadable = _listing(root)
    if not files and not unreadable:
        raise InputError(f"corpus folder is empty: {folder}")
    sources, files = read_sources(files, (Path(p).name for p, _ in unreadable))  # files: less the mapping
    articles: list[Article] = []
    supported = [p for p in files if p.suffix.lower() in SUPPORTED]
    skipped = unreadable + [(str(p), f"unsupported format {p.suffix or '(none)'}") for p in files if p not in supported]
    if not supported and not unreadable:
        raise InputError(f"no supported files in {folder} (supported: {', '.join(SUPPORTED)})")
    for path in supported:
        problems: list[str] = []
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise too_large(size)
            articles.extend(read_article_file(path, problems, sources.get(path)))
            skipped.extend((str(path), p) for p in problems)
        except InputError as exc:
            skipped.append((str(path), str(exc)))
        except OSError as exc:
            skipped.append((str(path), f"cannot read ({exc.strerror})"))
    if not articles:
        reasons = "; ".join(f"{Path(p).name}: {r}" for p, r in skipped[:5])
        raise InputError(f"no readable articles in {folder} ({reasons})")
    return IngestResult(tuple(articles), tuple(skipped + sources.notes))
