"""Page lines: which lines of a page are the article, and what the page says about itself.

Why built so: articles arrive as saved web pages, copied text or exports, full of page
furniture (menus, share prompts, comment forms, "Related Articles" lists, view counters,
copyright footers, bylines). Every format goes through the same line rules, which judge a
line by its *shape* (too short to be a claim, all capitals, mostly non-Latin, a timestamp or
counter) and by generic web phrases, never by strings copied from a particular site. A word
that also opens news sentences ("Search teams ...", "By Tuesday evening ...") removes a line
only when the line's shape says it is not prose: a lost sentence is a lost fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from checker.textio import normalize_text

# Page furniture as regular expressions, joined below into two patterns: what a furniture line
# starts with, and what it holds anywhere. Generic web-page phrases: comment forms, share/like
# prompts, navigation.
_WEB_PHRASES = (
    r"(leave a (reply|comment)|post a comment|your email address will not be published"
    r"|required fields are marked|share (this|it|on)|liked? (the|this) (story|article|post)"
    r"|copy link|link copied|back to top|read more|continue reading"
    r"|subscribe|sign up|newsletter|follow us|accept( all)? cookies"
    r"|skip to (main )?content|what are you looking for"
    r"|click here|tags?:|filed under|previous (post|article)|next (post|article))\b"
)
# Interface words that also open news sentences ("Search teams found two more bodies",
# "Comments by the minister ..."): furniture only on a line of at most four words.
_WEB_WORDS = re.compile(
    r"(comments?( \(\d+\))?|search|menu|loading|log ?in|register|print( this)?( article| page)?"
    r"|advertisement|sponsored|cookies?)\b",
    re.IGNORECASE,
)
_WEB_WORDS_MAX = 4
# Credits; caption openers.
_BYLINE = r"(reporting by|writing by|editing by|written by|photo:|image:|credit:)\s"
_CAPTION = r"(map|photo|image|picture|file photo|video)\s+(showing|of|shows)\b"
# "By Jane Smith, Reuters" is a byline; "By Tuesday evening about 450 flights had been
# cancelled." is the story: a byline is "by" and names, with no other lowercase word.
_BY = re.compile(r"^by\s+(.+)$", re.IGNORECASE)
_BYLINE_LOWER = frozenset(
    "and in for of the at with from staff reporter reporters correspondent writer editor news desk".split()
)
_BYLINE_MAX_WORDS = 12
# Legal footers, view/share counters and timestamps.
_FOOTER = (
    r"all rights reserved|©|\(c\) \d{4}|copyright \d{4}|views expressed|do not necessarily reflect"
    r"|any use of materials|reproduction (is )?(prohibited|forbidden)|hyperlink to"
)
_COUNTER = r"\[?views?[_:\s]*\d+\]?|\b\d+ (views|shares|comments)\b|list of \d+ items|end of list"
_TIMESTAMP = r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4},?\s+\d{1,2}:\d{2}\b"
_FURNITURE_START = re.compile("|".join((_WEB_PHRASES, _BYLINE, _CAPTION)), re.IGNORECASE)
_FURNITURE_ANYWHERE = re.compile("|".join((_FOOTER, _COUNTER, _TIMESTAMP)), re.IGNORECASE)
# A header that opens a block of links to other stories: drop it and the headline-like
# lines that follow, until real prose resumes.
_LINK_BLOCK = re.compile(
    r"^(related( articles| stories| posts| news)?|recommended( stories| articles| for you)?|read also|see also"
    r"|more (from|on|stories|news)\b.*|most (read|popular)|trending( now)?|sources?|latest news|you may (also )?like)"
    r"\s*:?$",
    re.IGNORECASE,
)
# Share/like/comment prompts inside a short line ("share-line Liked the story? Share it ...").
_PROMPT = re.compile(
    r"(share (it|this|on)\b.*\b(social media|facebook|twitter|whatsapp|telegram)|liked? the (story|article)"
    r"|leave a (reply|comment)|sign up for|subscribe to our)",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)])\s+")
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATE_LINE = re.compile(
    rf"^(?:\w+,\s+)?(?:(\d{{1,2}})\s+({_MONTHS})\s+(\d{{4}})|({_MONTHS})\s+(\d{{1,2}}),?\s+(\d{{4}}))"
    r"(?:,?\s+\d{1,2}:\d{2}(?:\s*[AP]M)?)?(?:\s+\w{2,4})?$",
    re.IGNORECASE,
)
_SITE_IN_FOOTER = re.compile(r"^([A-Z][\w.\-]+(?:\s[A-Z][\w.\-]+){0,2})\s*©|©\s*(?:\d{4}\s+)?([A-Z][\w.\-]+)")
_END_PUNCT = (".", "!", "?", '"', "”", "’", "'", ":", ")")


@dataclass(frozen=True, slots=True)
class CleanText:
    """What the line rules keep of a page, and what they learned about it."""

    title: str
    body: list[str]
    date: str | None
    outlet: str | None
    removed: int


def word_count(line: str) -> int:
    return len(line.split())


def _latin_share(line: str) -> float:
    letters = [c for c in line if c.isalpha()]
    if not letters:
        return 0.0
    return sum(c.isascii() or "\u00c0" <= c <= "\u024f" for c in letters) / len(letters)


def _parse_date(line: str) -> str | None:
    m = _DATE_LINE.match(line.strip())
    if not m:
        return None
    day, month, year = (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(5), m.group(4), m.group(6))
    try:
        return datetime.strptime(f"{int(day)} {month.title()} {year}", "%d %B %Y").date().isoformat()
    except ValueError:
        return None


def is_furniture(line: str) -> bool:
    """True for a line that is page furniture rather than article prose."""
    s = line.strip()
    if not s:
        return True
    if _FURNITURE_START.match(s) or _LINK_BLOCK.match(s) or _FURNITURE_ANYWHERE.search(s):
        return True
    if (word_count(s) <= _WEB_WORDS_MAX and _WEB_WORDS.match(s)) or _is_byline(s):
        return True
    if word_count(s) <= 15 and _PROMPT.search(s):
        return True
    if _latin_share(s) < 0.5:
        return True
    letters = [c for c in s if c.isalpha()]
    if len(letters) >= 4 and not any(c.islower() for c in letters):
        return True  # ALL-CAPS interface text
    return False


def _is_byline(line: str) -> bool:
    m = _BY.match(line)
    if not m:
        return False
    words = re.findall(r"[^\W\d_][\w'’-]*", m.group(1))
    return (
        0 < len(words) <= _BYLINE_MAX_WORDS
        and words[0][0].isupper()
        and all(w[0].isupper() or w.lower() in _BYLINE_LOWER for w in words)
    )


def _headline_like(line: str) -> bool:
    return 4 <= word_count(line) <= 30 and not line.rstrip().endswith(".")


def clean_lines(raw: str, title: str | None = None) -> CleanText:
    """Apply the line rules to plain text; find title, date and outlet on the way.

    Args:
        raw: the page text, one paragraph or interface element per line.
        title: a title known from metadata; when None the first headline-like line
            before the prose is taken.
    """
    lines = [ln.strip() for ln in normalize_text(raw).split("\n")]
    body: list[str] = []
    date = outlet = None
    # A short Title-Case first line standing alone above the page is usually the site name.
    if (
        len(lines) > 2
        and not lines[1]
        and 1 <= word_count(lines[0]) <= 3
        and all(w[:1].isupper() for w in lines[0].split())
        and not lines[0].endswith(_END_PUNCT)
    ):
        outlet = lines[0]
    removed = 0
    in_link_block = False
    for ln in lines:
        if not ln:
            continue
        if date is None and (d := _parse_date(ln)):
            date = d
            removed += 1
            continue
        if outlet is None and (m := _SITE_IN_FOOTER.search(ln)):
            outlet = (m.group(1) or m.group(2)).strip(" .")
        if _LINK_BLOCK.match(ln.rstrip(":")) or _LINK_BLOCK.match(ln):
            in_link_block = True
            removed += 1
            continue
        prose = word_count(ln) >= 8 and ln.endswith(_END_PUNCT)
        if in_link_block and not prose:
            removed += 1
            continue
        in_link_block = False
        if is_furniture(ln):
            removed += 1
            continue
        if _BULLET.match(ln):
            body.append(ln)
            continue
        if word_count(ln) < 4 and not ln.endswith(_END_PUNCT):
            removed += 1  # menu items, section labels, site names
            continue
        body.append(ln)
    if title is None:
        title = ""
        for i, ln in enumerate(body[:5]):
            if _headline_like(ln) and not _BULLET.match(ln):
                title = ln
                del body[i]
                break
    else:
        body = [ln for ln in body if ln != title]
    title = re.split(r"\s+[|–—]\s+", title)[0].strip() if title else ""
    # Short lines without final punctuation left in the body are section headings.
    kept = [ln for ln in body if _BULLET.match(ln) or ln.endswith(_END_PUNCT) or word_count(ln) >= 12]
    removed += len(body) - len(kept)
    return CleanText(title, kept, date, outlet, removed)
