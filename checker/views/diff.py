"""Which words of two statements differ: shared by the terminal and HTML views."""

from __future__ import annotations

import difflib
import re

_TOKEN = re.compile(r"\w+(?:[’'.,-]\w+)*|[^\w\s]")


def word_diff(a: str, b: str) -> tuple[list[tuple[int, int, bool]], list[tuple[int, int, bool]]]:
    """Word spans ``(start, end, differs)`` of ``a`` and ``b``; ``differs`` is True for a word
    outside the longest common word sequence of the two texts."""
    ma, mb = list(_TOKEN.finditer(a)), list(_TOKEN.finditer(b))
    sm = difflib.SequenceMatcher(a=[m.group(0).lower() for m in ma], b=[m.group(0).lower() for m in mb], autojunk=False)
    fa = [True] * len(ma)
    fb = [True] * len(mb)
    for block in sm.get_matching_blocks():
        for k in range(block.size):
            fa[block.a + k] = False
            fb[block.b + k] = False
    return ([(m.start(), m.end(), f) for m, f in zip(ma, fa)], [(m.start(), m.end(), f) for m, f in zip(mb, fb)])


def highlight(text: str, spans: list[tuple[int, int, bool]], mark) -> list:
    """Pieces of ``text`` in order, differing spans passed through ``mark`` (adjacent ones merged)."""
    pieces, pos, i = [], 0, 0
    while i < len(spans):
        start, end, differs = spans[i]
        if not differs:
            i += 1
            continue
        while i + 1 < len(spans) and spans[i + 1][2] and text[end : spans[i + 1][0]].strip() == "":
            i += 1
            end = spans[i][1]
        pieces.append(text[pos:start])
        pieces.append(mark(text[start:end]))
        pos = end
        i += 1
    pieces.append(text[pos:])
    return pieces
