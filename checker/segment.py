"""Segment: an :class:`Article` -> :class:`Statement` objects with offsets into its text.

Why built so: a fact checker compares claims, so a statement must be one claim and must
never be cut inside an abbreviation ("Maj. Gen. Kamal Hassan") or a quotation. pysbd, a
rule-based segmenter with an English abbreviation list, does the splitting per paragraph
(so bullets and paragraphs never merge); segments that leave a quotation open are joined
back with what follows. The title becomes a statement of its own, marked as a headline.
Offsets always point into ``Article.text``, so a statement can be shown in context.

Deliberately not done: splitting compound sentences into separate claims (the NLI model
handles a sentence that adds a detail as one-directional entailment).
"""

from __future__ import annotations

import re
from functools import lru_cache

from checker.types import Article, Statement, content_id

_BULLET = re.compile(r"^\s*(?:[-*•·▪–]|\d{1,2}[.)])\s+")
_MIN_WORDS = 4


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _quote_open(text: str) -> bool:
    """True when ``text`` opens a quotation it does not close."""
    if text.count("“") > text.count("”"):
        return True
    return text.count('"') % 2 == 1


def split_paragraph(par: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` within one paragraph, quotations kept whole."""
    spans = []
    for seg in _segmenter().segment(par):
        start, end = seg.start, seg.end
        # pysbd spans include trailing whitespace; trim both ends.
        while start < end and par[start].isspace():
            start += 1
        while end > start and par[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and _quote_open(par[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


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
        is_headline = bool(article.title) and line_start == 0 and line == article.title
        spans = [(0, len(par.rstrip()))] if is_headline else split_paragraph(par)
        for s, e in spans:
            text = par[s:e]
            if len(text.split()) < _MIN_WORDS and not is_headline:
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
