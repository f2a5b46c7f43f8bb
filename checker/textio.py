"""Text and encoding helpers for ingest: reading a file's bytes as text, normalising line
breaks and control characters, and Markdown as plain lines.

Why apart from :mod:`checker.ingest`: these know nothing about articles or page furniture;
they turn bytes into clean text, boundedly (:data:`MAX_FILE_BYTES`), and say why not.
"""

from __future__ import annotations

import codecs
import html
import re
from pathlib import Path

from checker.errors import InputError

#: larger files are skipped unread.
MAX_FILE_BYTES = 32 * 2**20

# Line breaks str.splitlines() knows besides \n, and control characters (kept: tab, newline).
_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Markdown syntax; each pattern stops at the next bracket, so a line costs linear time.
_MD_HEADING = re.compile(r"#{1,6}(?:\s|$)")
_MD_TAG = re.compile(r"</?[A-Za-z][\w:-]*(?:\s[^<>]*)?/?>")
_MD_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
_MD_LINK = re.compile(r"\[([^\[\]]+)\]\([^()]*\)")

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def normalize_text(raw: str) -> str:
    """Every line break as ``\\n``, control characters as spaces, lone surrogates as ``?``
    (JSON can hold them; they cannot be written as UTF-8)."""
    raw = raw.encode("utf-8", "replace").decode("utf-8")
    return _CONTROL.sub(" ", _BREAKS.sub("\n", raw))


def too_large(size: int) -> InputError:
    """The error for a file of ``size`` bytes over :data:`MAX_FILE_BYTES`."""
    return InputError(
        f"file too large ({size / 2**20:.1f} MiB; newscheck reads files up to {MAX_FILE_BYTES >> 20} MiB)"
    )


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (BOM or not), or UTF-16/UTF-32 with a BOM.

    Raises:
        InputError: too large, empty, binary, or not text in those encodings.
    """
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise too_large(path.stat().st_size)
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8-sig")
    if encoding == "utf-8-sig" and b"\x00" in data[:4096]:
        raise InputError("binary file, not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding == "utf-8-sig" else encoding.upper()
        raise InputError(f"not {name} text (invalid byte at offset {exc.start})") from None
    if not text.strip():
        raise InputError("empty file")
    if "\x00" in text[:4096]:
        raise InputError("binary file, not text")
    return text


def strip_comments(line: str) -> str:
    """``line`` without ``<!-- ... -->`` comments (an unclosed one is kept)."""
    out, pos = [], 0
    while (start := line.find("<!--", pos)) >= 0 and (end := line.find("-->", start + 4)) >= 0:
        out.append(line[pos:start])
        pos = end + 3
    return "".join(out) + line[pos:]


def markdown_to_text(text: str) -> str:
    """Markdown as plain lines: heading marks, inline HTML, link and image syntax removed."""
    lines = []
    for line in normalize_text(text).split("\n"):
        line = line.strip()
        if _MD_HEADING.match(line):  # "## Heading ##" -> "Heading"
            line = line.lstrip("#").strip()
            body = line.rstrip("#")
            line = body.rstrip() if body != line and (not body or body[-1].isspace()) else line
        line = _MD_LINK.sub(r"\1", _MD_IMAGE.sub(r"\1", _MD_TAG.sub("", strip_comments(line))))
        lines.append(html.unescape(line.replace("**", "").replace("__", "")))
    return "\n".join(lines)
