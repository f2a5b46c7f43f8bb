"""Bearings: where a thing lies from a named place, and two bearings that cannot both hold.

Why built so: outlets place one event on two sides of one landmark ("the levee broke on the
north side of town" / "the breach in the levee south of town"; "the western flank of the
volcano was evacuated" / "the villages on the volcano's eastern flank"; "5 kilometres below
Ashby Mill" / "2 kilometres upstream of Ashby Mill"). Neither side names another place, so
the frames' place slot sees nothing, and the model reads such pairs as neutral. A bearing is
read from the parse: a compass word with "of"/"from" and the place reckoned from ("south of
town", "20 km northeast of Goma"), a compass word on a side noun ("the north side of town",
"the volcano's eastern flank"), or a river's direction ("upstream of", "5 km below").
Two bearings from one place conflict when neither contains the other (north / north-east
may both hold; north / south and upstream / downstream cannot) and neither statement also
gives the other's bearing from that place ("the west side was evacuated; the east side
could stay" / "the east side was evacuated").
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from checker.names import name_of
from checker.nlp import parse

_COMPASS = {"north": "N", "south": "S", "east": "E", "west": "W"}
_COMPOUND = {"northeast": "NE", "northwest": "NW", "southeast": "SE", "southwest": "SW"}
_RIVER = {"upstream": "up", "upriver": "up", "downstream": "down", "downriver": "down"}
#: "above"/"below" are a river's bearing only with a distance ("5 kilometres below Ashby Mill")
_RIVER_PREPOSITIONS = {"above": "up", "below": "down"}
_DISTANCES = frozenset("kilometre kilometer km mile metre meter yard foot".split())
#: nouns a compass word places on a side of something ("the north side of town")
SIDES = frozenset(
    "side bank flank edge end part shore coast slope outskirts half reach suburb corner fringe quarter".split()
)


@dataclass(frozen=True, slots=True)
class Bearing:
    """A direction from a place: ``points`` such as {"N"} or {"N", "E"}, or {"up"} / {"down"} on a river."""

    points: frozenset[str]
    anchor: str  # the place reckoned from, lower case ("town", "ashby mill")
    text: str  # the words that give it ("north side of town")


def _points(tok) -> frozenset[str] | None:
    word = tok.lower_.removesuffix("ern").removesuffix("erly")
    if word in _COMPOUND:
        return frozenset(_COMPOUND[word])
    if word in _COMPASS:
        # "north-east": the tokenizer splits it into north, -, east
        prev = tok.doc[tok.i - 2] if tok.i >= 2 and tok.doc[tok.i - 1].text == "-" else None
        if prev is not None and prev.lower_ in ("north", "south") and word in ("east", "west"):
            return frozenset({_COMPASS[prev.lower_], _COMPASS[word]})
        return frozenset(_COMPASS[word])
    if word in _RIVER:
        return frozenset({_RIVER[word]})
    if word in _RIVER_PREPOSITIONS and any(
        c.dep_ == "npadvmod" and c.lemma_.lower() in _DISTANCES for c in tok.children
    ):
        return frozenset({_RIVER_PREPOSITIONS[word]})
    return None


def _anchor(tok) -> str | None:
    """The place a bearing is reckoned from, lower case: the name the relations read
    (:func:`checker.relations.name_of`: "Ashby Mill" of "the village of Ashby Mill"), else the
    noun's lemma ("town", "volcano")."""
    return name_of(tok) or (tok.lemma_.lower() if tok.pos_ == "NOUN" else None)


def _reckoned_from(tok):
    """The token of the place a bearing word is reckoned from, or None."""
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
            return next((g for g in prep.children if g.dep_ == "pobj"), None)
    if tok.dep_ == "pobj" and tok.head.lower_ in _RIVER_PREPOSITIONS:
        return None
    if tok.lower_ in _RIVER_PREPOSITIONS:
        return next((g for g in tok.children if g.dep_ == "pobj"), None)
    side = tok.head
    if tok.dep_ in ("amod", "compound") and side.lemma_.lower() in SIDES:
        owner = next((c for c in side.children if c.dep_ == "poss"), None)
        if owner is not None:
            return owner
        return _reckoned_from(side) if side is not tok else None
    return None


_PHRASE_DEPS = frozenset("prep pobj compound".split())


def _phrase(tok) -> list:
    """``tok`` and the "of"-phrases and compounds that name it ("the village of Ashby Mill"),
    without the clauses that say more of it ("..., where it passes beneath the riverbed")."""
    out = [tok]
    for c in tok.children:
        if c.dep_ in _PHRASE_DEPS:
            out += _phrase(c)
    return out


@functools.lru_cache(maxsize=20000)
def bearings(text: str) -> frozenset[Bearing]:
    """The bearings a statement gives (see the module docstring)."""
    doc = parse(text)
    out = set()
    for tok in doc:
        points = _points(tok)
        if points is None:
            continue
        place = _reckoned_from(tok)
        anchor = _anchor(place) if place is not None else None
        if anchor:
            # the words that give the bearing: the compass word, its side noun, the place's phrase
            ends = [tok.i, *(t.i for t in _phrase(place))]
            ends += [tok.head.i] if tok.head.lemma_.lower() in SIDES else []
            out.add(Bearing(points, anchor, doc[min(ends) : max(ends) + 1].text))
    return frozenset(out)


def _compatible(x: frozenset[str], y: frozenset[str]) -> bool:
    """One bearing may hold with the other: one contains the other ("north" / "north-east"), or
    they are of two kinds (a compass point and a river's direction)."""
    river = {"up", "down"}
    return x <= y or y <= x or bool(x & river) != bool(y & river)


def _same_place(x: str, y: str) -> bool:
    return x == y or (" " in x or " " in y) and (x in y or y in x)


def bearing_conflict(a_text: str, b_text: str) -> tuple[Bearing, Bearing] | None:
    """(A's bearing, B's) from one place that cannot both hold, or None; a statement that also
    gives the other's bearing from that place is no conflict."""
    ba, bb = bearings(a_text), bearings(b_text)
    for x in ba:
        for y in bb:
            if not _same_place(x.anchor, y.anchor) or _compatible(x.points, y.points):
                continue
            a_also = any(_same_place(z.anchor, y.anchor) and _compatible(z.points, y.points) for z in ba)
            b_also = any(_same_place(z.anchor, x.anchor) and _compatible(z.points, x.points) for z in bb)
            if not a_also and not b_also:
                return x, y
    return None
