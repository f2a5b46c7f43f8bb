"""When each article was published, and where that came from.

Why built so: a later report that gives a new death toll is an update, not a contradiction,
and only the publication times can tell which is which. Sources, in order: the date the
reader found in the document's own metadata (a JSON/JSONL ``date`` field, HTML
``article:published_time`` / JSON-LD ``datePublished`` via trafilatura, or a dateline line),
Markdown front matter or a "Published:"/"Updated:" line in a text file, a date a desk gave in
a sources.csv/sources.toml (:mod:`checker.sources` sets it as the article's date only when
none of those exists, so its source reads ``metadata``), a date in the file name, else
unknown. Parsing is python-dateutil's; times with a zone are converted to UTC, times without
one are taken as UTC, a bare date is midnight UTC (and marked date-only, so a window of
hours is not read into it).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from checker.types import Article

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_FM_DATE = re.compile(r"^(?:date|published|published_at|pubdate)\s*:\s*[\"']?([^\"'\n]+)", re.I | re.M)
_PUBLISHED_LINE = re.compile(
    r"^\s*(?:published|updated|posted|last updated)\s*(?:on|at)?\s*:?\s*(.{6,60})$", re.I | re.M
)
_FILE_DATE = re.compile(
    r"(?<!\d)(20\d{2})[-_]?(0[1-9]|1[0-2])[-_]?([0-2]\d|3[01])(?:[T_-]?([01]\d|2[0-3])[-:]?([0-5]\d))?(?!\d)"
)


@dataclass(frozen=True, slots=True)
class Published:
    """A publication time in UTC (None when unknown), where it came from, and whether only the day is known."""

    when: datetime | None
    source: str
    date_only: bool = False

    @property
    def iso(self) -> str | None:
        if self.when is None:
            return None
        return self.when.date().isoformat() if self.date_only else self.when.isoformat().replace("+00:00", "Z")


UNKNOWN = Published(None, "unknown")


def parse_time(text: str) -> tuple[datetime, bool] | None:
    """(UTC datetime, date only?) of a date string, or None when it is not one."""
    from dateutil import parser

    text = text.strip()
    if not text or not re.search(r"\d", text):
        return None
    try:
        with warnings.catch_warnings():  # an unknown zone name ("ET") is read as UTC, not printed
            warnings.simplefilter("ignore", parser.UnknownTimezoneWarning)
            when = parser.parse(text, fuzzy=False, default=datetime(2000, 1, 1))
    except (ValueError, OverflowError):
        return None
    date_only = not re.search(r"\d{1,2}:\d{2}|T\d{2}", text)
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return when, date_only


def time_in_file(path: Path) -> Published | None:
    """A time in a text or Markdown file's front matter or "Published:" line, else None."""
    if path.suffix.lower() not in (".md", ".txt"):
        return None
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return None
    fm = _FRONT_MATTER.match(head)
    if fm and (m := _FM_DATE.search(fm.group(1))) and (t := parse_time(m.group(1))):
        return Published(t[0], "front matter", t[1])
    for m in _PUBLISHED_LINE.finditer(head):
        if t := parse_time(m.group(1)):
            return Published(t[0], "published line", t[1])
    return None


def publication_time(article: Article) -> Published:
    """The article's publication time (see the module docstring for the order of sources)."""
    if article.date and (t := parse_time(article.date)):
        return Published(t[0], "metadata", t[1])
    path = Path(article.path)
    if found := time_in_file(path):
        return found
    if m := _FILE_DATE.search(path.name):
        y, mo, d, hh, mm = m.groups()
        when = datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), tzinfo=UTC)
        return Published(when, "file name", hh is None)
    return UNKNOWN


def publication_times(articles) -> dict[str, Published]:
    """Document id -> :class:`Published`."""
    return {a.id: publication_time(a) for a in articles}
