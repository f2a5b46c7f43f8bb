"""Which words of two statements differ: shared by the terminal and HTML views.

Why built so: outlets retell a fact in their own word order, so a diff of word sequences
marks most of every paraphrase and hides the one word that matters. A content word is marked
only when the other statement does not use it anywhere (after folding case, plurals,
possessives and digit grouping); function words and punctuation are never marked on their own,
only when they join two marked words into one span ("head of a government unit"). Two
statements that share under :data:`MIN_SHARED` of their content words are different
sentences, not variants of one: nothing is marked, as marking most of both says nothing.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\w+(?:[’'.,-]\w+)*|[^\w\s]")
# words that carry no fact of their own; negations are facts, so they are not here
_FUNCTION_WORDS = frozenset(
    """a an the of to in on at by for with from into onto over under about as and or but
if than then that this these those there here which who whom whose what when where while
is are was were be been being am has have had do does did will would shall should can
could may might must it its it's he she they them their his her hers we our us you your i
me my mine so such also too very just only said says say told tells according""".split()
)

#: share of the shorter statement's content words the other must use for any word to be marked
MIN_SHARED = 0.5


def _key(word: str) -> str:
    """A word folded for comparison: case, possessive, digit grouping and a plural -s."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if any(c.isdigit() for c in w):
        return w.replace(",", "")
    if len(w) > 3 and w.endswith("s") and not w.endswith("ss"):
        w = w[:-1]
    return w


def _is_content(word: str) -> bool:
    return any(c.isalnum() for c in word) and word.lower() not in _FUNCTION_WORDS


def _flags(words: list[str], other: set[str]) -> list[bool]:
    content = [_is_content(w) for w in words]
    flags = [c and _key(w) not in other for w, c in zip(words, content)]
    # function words between two marked words join them into one span
    i = 0
    while i < len(words):
        if flags[i]:
            j = i + 1
            while j < len(words) and not flags[j] and not content[j] and words[j][0].isalnum():
                j += 1
            if j < len(words) and flags[j] and j > i + 1:
                for k in range(i + 1, j):
                    flags[k] = True
            i = j
        else:
            i += 1
    return flags


def word_diff(a: str, b: str) -> tuple[list[tuple[int, int, bool]], list[tuple[int, int, bool]]]:
    """Word spans ``(start, end, differs)`` of ``a`` and ``b``; ``differs`` is True for a
    content word the other text does not use (and for function words joining two such), and
    False everywhere when the two share under :data:`MIN_SHARED` of their content words."""
    ma, mb = list(_TOKEN.finditer(a)), list(_TOKEN.finditer(b))
    wa, wb = [m.group(0) for m in ma], [m.group(0) for m in mb]
    ka = {_key(w) for w in wa if _is_content(w)}
    kb = {_key(w) for w in wb if _is_content(w)}
    if not ka or not kb or len(ka & kb) < MIN_SHARED * min(len(ka), len(kb)):
        fa, fb = [False] * len(wa), [False] * len(wb)
    else:
        fa, fb = _flags(wa, kb), _flags(wb, ka)
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
