"""Segment: an :class:`Article` -> :class:`Statement` objects with offsets into its text.

Why built so: a fact checker compares claims, so a statement must be one claim and must
never be cut inside an abbreviation ("Maj. Gen. Kamal Hassan") or a quotation. pysbd, a
rule-based segmenter with an English abbreviation list, does the splitting per paragraph
(so bullets and paragraphs never merge); segments that leave a quotation open are joined
back with what follows. The title becomes a statement of its own, marked as a headline.
Offsets always point into ``Article.text``, so a statement can be shown in context.

Bounded work: pysbd's time grows with the square of a paragraph's length, so a paragraph
longer than :data:`WINDOW_CHARS` is first cut into windows, at a sentence end where one is
found, else at a space; and no statement is longer than :data:`MAX_STATEMENT_CHARS` (a longer
span, such as a run of text without punctuation, is cut at spaces). Time is linear in the text.

Deliberately not done: splitting compound sentences into separate claims (the NLI model
handles a sentence that adds a detail as one-directional entailment).
"""

from __future__ import annotations

import re
from collections import deque
from functools import lru_cache

from checker.types import Article, Statement, content_id

_BULLET = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)])\s+")
_MIN_WORDS = 4
#: longest statement (characters); about what the NLI model reads of one side of a pair.
MAX_STATEMENT_CHARS = 1000
#: longest text handed to pysbd at once (its cost is quadratic in this length).
WINDOW_CHARS = 2000
# A likely sentence end: a lower-case word (not "Gen." or "U.S.") and a capital after it.
_SENTENCE_END = re.compile(r"[a-z]{3}[.!?][\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _quote_open(text: str) -> bool:
    """True when ``text`` opens a quotation it does not close."""
    if text.count("“") > text.count("”"):
        return True
    return text.count('"') % 2 == 1


def _cut(text: str, start: int, end: int, limit: int, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    """``text[start:end]`` as consecutive pieces of at most ``limit`` characters, each cut at
    the last match of ``pattern`` (then of whitespace) in the second half of the piece."""
    pieces = []
    while end - start > limit:
        cut = start + limit  # no sentence end and no space: a hard cut
        for pat in (p for p in (pattern, _SPACE) if p is not None):
            found = deque(pat.finditer(text, start + limit // 2, start + limit), maxlen=1)
            if found:
                cut = found[0].end() if pat is pattern else found[0].start()
                break
        pieces.append((start, cut))
        start = cut
    pieces.append((start, end))
    return pieces


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_paragraph(par: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` within one paragraph, quotations kept whole.

    Spans are in order, do not overlap, hold no outer whitespace and are at most
    :data:`MAX_STATEMENT_CHARS` long.
    """
    spans: list[tuple[int, int]] = []
    for w_start, w_end in _cut(par, 0, len(par), WINDOW_CHARS, _SENTENCE_END):
        window = par[w_start:w_end]
        for seg in _segmenter().segment(window):
            # pysbd spans include trailing whitespace and may overlap the previous one.
            start = max(w_start + seg.start, spans[-1][1] if spans else 0)
            start, end = _trimmed(par, start, min(w_start + seg.end, w_end))
            if end > start:
                spans.append((start, end))
    merged: list[tuple[int, int]] = []
    for span in spans:
        last = merged[-1] if merged else None
        if last and span[1] - last[0] <= MAX_STATEMENT_CHARS and _quote_open(par[last[0] : last[1]]):
            merged[-1] = (last[0], span[1])
        else:
            merged.append(span)
    out = []
    for start, end in merged:
        for piece in _cut(par, start, end, MAX_STATEMENT_CHARS, None):
            piece = _trimmed(par, *piece)
            if piece[1] > piece[0]:
                out.append(piece)
    return out


def segment_article(article: Article) -> list[Statement]:
    """Statements of one article, headline first. Fragments under four words are dropped."""
    out: list[Statement] = []
    seen: dict[str, int] = {}
    offset = 0
    for line in article.text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        if not line.strip():
            continue
        body_start = line_start
        m = _BULLET.match(line)
        if m:
            body_start += m.end()
        par = article.text[body_start : line_start + len(line)]
        is_headline = (
            bool(article.title) and line_start == 0 and line == article.title and len(line) <= MAX_STATEMENT_CHARS
        )
        spans = [_trimmed(par, 0, len(par))] if is_headline else split_paragraph(par)
        for s, e in spans:
            text = par[s:e]
            if not text or (len(text.split()) < _MIN_WORDS and not is_headline):
                continue
            start = body_start + s
            seen[text] = seen.get(text, 0) + 1
            out.append(
                Statement(
                    id=content_id(article.id, text, str(seen[text]), n=12),
                    doc=article.id,
                    text=text,
                    start=start,
                    end=body_start + e,
                    is_headline=is_headline,
                )
            )
    return out


def segment_articles(articles) -> list[Statement]:
    """All statements of all articles, in article order."""
    return [st for a in articles for st in segment_article(a)]
