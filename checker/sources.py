"""Outlet names and dates a desk gives: a ``sources.csv`` / ``sources.toml`` beside the
articles, Markdown front matter, and the order in which every source of a name is tried.

Why built so: a file name ("reuters_0314.txt") or a guess from the page is not how a desk
names an outlet, and saved pages often carry no name at all. Order of precedence for the
outlet: what the document declares (the JSON ``outlet``/``source``/``publisher`` field, HTML
metadata such as ``og:site_name`` or the JSON-LD publisher, via trafilatura; Markdown front
matter ``outlet:``/``source:``/``publisher:``), then the mapping file, then a guess from the
text (a short first line, a "Name ©" footer), then the file name. A declared name that is
only a web address ("dailyplanet.com", which trafilatura also derives from a page's URL)
gives way to the mapping. A date from the mapping is used only when the article has none of
its own (metadata, a dateline, front matter or a "Published:" line), so it beats a date in
the file name. The mapping is only read; a malformed one is an error naming its line, since
audits under wrong outlet names would mislead; an entry for a file not in the folder is
reported and ignored.
"""

from __future__ import annotations

import csv
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from checker.errors import InputError
from checker.published import parse_time, time_in_file
from checker.textio import normalize_text, read_text

#: mapping file names (any case), read from the corpus folder and never as articles.
MAPPING_NAMES = ("sources.csv", "sources.toml")
_FIELDS = ("outlet", "date", "url")
_HOST = re.compile(r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?", re.IGNORECASE)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n((?:.*?\n)?)---[ \t]*(?:\n|\Z)", re.DOTALL)
_FM_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*))?$")
_FM_OUTLET_KEYS = ("outlet", "source", "publisher", "site_name", "sitename")


@dataclass(frozen=True, slots=True)
class Source:
    """An outlet, date and url: what a document declares, or what a mapping file says of it."""

    outlet: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class SourceMap:
    """A corpus folder's mapping: file name -> :class:`Source`, and one ``(mapping path,
    reason)`` line per entry that names no file in the folder."""

    entries: dict[str, Source] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def get(self, path: Path) -> Source | None:
        return self.entries.get(path.name)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """Markdown front matter: what it names, and the text after it."""

    body: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None


def _clean(value: object) -> str | None:
    text = " ".join(normalize_text(str(value)).split()) if value not in (None, "") else ""
    return text or None


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def is_mapping(path: Path) -> bool:
    return path.name.lower() in MAPPING_NAMES


def _entry(where: str, name: str, values: Mapping[str, object]) -> Source:
    """A checked :class:`Source`; ``where`` ("sources.csv line 3") starts any error."""
    out: dict[str, str | None] = {}
    for key in _FIELDS:
        value = values.get(key)
        if isinstance(value, date) and key == "date":  # a TOML date or date-time
            value = value.isoformat()
        if value is not None and not isinstance(value, str):
            raise InputError(f"{where}: {key} of {name} must be text, not {_show(value)}")
        out[key] = _clean(value)
    if out["date"] and parse_time(out["date"]) is None:
        raise InputError(f"{where}: date of {name} is not a date: {_show(out['date'])} (use ISO 8601, e.g. 2026-03-14)")
    if not any(out.values()):
        raise InputError(f"{where}: {name} has no {', '.join(_FIELDS[:-1])} or {_FIELDS[-1]}")
    return Source(**out)


def _read_csv(path: Path, text: str) -> dict[str, tuple[int, Source]]:
    entries: dict[str, tuple[int, Source]] = {}
    reader = csv.reader(normalize_text(text).split("\n"), strict=True)
    header: list[str] | None = None
    try:
        for row in reader:
            where = f"{path} line {reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if header is None:
                header = [cell.strip().lower() for cell in row]
                unknown = [c for c in header if c not in ("file", *_FIELDS)]
                if unknown or "file" not in header or len(header) < 2 or len(set(header)) < len(header):
                    raise InputError(
                        f"{where}: the header must be file,outlet,date,url (file and at least one other column),"
                        f" got {_show(','.join(row))}"
                    )
                continue
            if len(row) != len(header):
                raise InputError(f"{where}: {len(row)} fields, the header has {len(header)}")
            values = dict(zip(header, (cell.strip() for cell in row), strict=True))
            name = values.pop("file")
            if not name:
                raise InputError(f"{where}: no file name")
            if name in entries:
                raise InputError(f"{where}: {name} is listed twice (first on line {entries[name][0]})")
            entries[name] = (reader.line_num, _entry(where, name, values))
    except csv.Error as exc:
        raise InputError(f"{path} line {reader.line_num}: not valid CSV ({exc})") from None
    if header is None:
        raise InputError(f"{path}: empty (expected a header line file,outlet,date,url)")
    return entries


def _toml_line(text: str, name: str) -> int:
    """The line where ``name`` is first written (its table header or key), else 1."""
    for i, line in enumerate(text.split("\n"), 1):
        if f'"{name}"' in line or f"'{name}'" in line or re.match(rf"\s*\[?\s*(files\.)?{re.escape(name)}\b", line):
            return i
    return 1


def _read_toml(path: Path, text: str) -> dict[str, tuple[int, Source]]:
    text = normalize_text(text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\s*\(at line (\d+), column \d+\)$", msg)
        at = f" line {m.group(1)}" if m else ""
        raise InputError(f"{path}{at}: not valid TOML ({msg[: m.start()] if m else msg})") from None
    extra = [k for k in data if k != "files"]
    if extra or not isinstance(data.get("files"), dict):
        key = extra[0] if extra else "files"
        raise InputError(
            f'{path} line {_toml_line(text, key)}: expected [files."name.txt"] tables with outlet, date, url;'
            f" found {_show(key)}"
        )
    entries: dict[str, tuple[int, Source]] = {}
    for name, values in data["files"].items():
        line = _toml_line(text, name)
        where = f"{path} line {line}"
        if not isinstance(values, dict):
            raise InputError(f'{where}: {name} must be a table ([files."{name}"] with outlet = "...")')
        unknown = [k for k in values if k not in _FIELDS]
        if unknown:
            raise InputError(f"{where}: unknown key {_show(unknown[0])} for {name} (keys: {', '.join(_FIELDS)})")
        entries[name.strip()] = (line, _entry(where, name, values))
    return entries


def read_sources(files: list[Path], others: Iterable[str] = ()) -> tuple[SourceMap, list[Path]]:
    """The mapping files among ``files`` (one folder's), read and checked, and the other files.

    Args:
        files: the folder's regular files.
        others: names of the folder's other entries (unreadable ones), which entries may name.

    Raises:
        InputError: a mapping file that cannot be read or is malformed, naming it and the line;
            or a file listed in both mapping files.
    """
    maps = sorted((p for p in files if is_mapping(p)), key=lambda p: p.suffix.lower())  # .csv before .toml
    rest = [p for p in files if not is_mapping(p)]
    names = {p.name for p in rest} | set(others)
    entries: dict[str, Source] = {}
    origin: dict[str, Path] = {}
    notes: list[tuple[str, str]] = []
    for path in maps:
        try:
            text = read_text(path)
        except InputError as exc:
            raise InputError(f"{path}: {exc}") from None
        except OSError as exc:
            raise InputError(f"{path}: cannot read ({exc.strerror})") from None
        read = _read_csv if path.suffix.lower() == ".csv" else _read_toml
        for name, (line, source) in read(path, text).items():
            if name in origin:
                raise InputError(f"{path} line {line}: {name} is also listed in {origin[name].name}")
            if name not in names:
                notes.append((str(path), f"line {line}: no file {name} in the folder; entry ignored"))
                continue
            entries[name], origin[name] = source, path
    return SourceMap(entries, notes), rest


def outlet_name(declared: str | None, source: Source | None, guessed: str | None, path: Path) -> str:
    """The outlet name, by the order in the module docstring.

    Args:
        declared: what the document says (JSON field, HTML metadata, front matter).
        source: the mapping's entry for the file.
        guessed: a name guessed from the text (short first line, footer).
        path: the file, whose stem is the last resort.
    """
    mapped = source.outlet if source else None
    if declared and not (mapped and _HOST.fullmatch(declared)):
        return declared
    return mapped or declared or guessed or path.stem


def mapped_date(path: Path, source: Source | None) -> str | None:
    """The mapping's date, unless the file has a date of its own that
    :mod:`checker.published` reads (front matter, a "Published:" line)."""
    if source is None or not source.date or time_in_file(path) is not None:
        return None
    return source.date


def record_outlet(rec: dict) -> str | None:
    """A JSON record's outlet: ``outlet``, ``source`` or ``publisher``, as text or as an
    object with a ``name`` (NewsAPI's ``"source": {"id": ..., "name": "Reuters"}``)."""
    for key in ("outlet", "source", "publisher"):
        value = rec.get(key)
        if isinstance(value, dict):
            value = value.get("name")
        if isinstance(value, str | int | float) and (name := _clean(value)):
            return name
    return None


def front_matter(text: str) -> FrontMatter:
    """Split Markdown front matter (a block of ``key: value`` lines between leading ``---``
    lines) from the text; a block that is not such lines is left as text."""
    text = normalize_text(text)
    m = _FRONT_MATTER.match(text)
    if not m:
        return FrontMatter(text)
    meta: dict[str, str] = {}
    for line in m.group(1).split("\n"):
        if not line.strip() or line.lstrip().startswith("#") or line[:1].isspace() or line.startswith("- "):
            continue  # blank, comment, nested value or list item
        kv = _FM_LINE.match(line.rstrip())
        if kv is None:
            return FrontMatter(text)  # not front matter: prose between two rules
        value = (kv.group(2) or "").strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        if (value := _clean(value) or "") and kv.group(1).lower() not in meta:
            meta[kv.group(1).lower()] = value
    outlets = (meta[k] for k in _FM_OUTLET_KEYS if k in meta and not meta[k].lower().startswith(("http:", "https:")))
    url = meta.get("url") or meta.get("link") or meta.get("canonical_url")
    return FrontMatter(text[m.end() :], meta.get("title"), next(outlets, None), url)
