"""Bearings from one landmark, read from the parse, and the conflicts between two of them."""

from __future__ import annotations

from dataclasses import replace

import pytest

from checker.bearings import bearing_conflict, bearings
from checker.frames import compare


def _read(text: str) -> set[tuple[str, str]]:
    return {("".join(sorted(b.points)), b.anchor) for b in bearings(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The levee broke on the north side of town, behind the trailer park.", {("N", "town")}),
        ("The breach, a gap in the levee south of town, was plugged on Tuesday.", {("S", "town")}),
        ("The order covered the villages on the volcano's eastern flank.", {("E", "volcano")}),
        ("The camp lies 20 km northeast of Goma.", {("EN", "goma")}),
        ("Debris fell north-east of the spaceport.", {("EN", "spaceport")}),
        ("The line split open about 2 kilometres upstream of the village of Ashby Mill.", {("up", "ashby mill")}),
        ("The break is about 5 kilometres below Ashby Mill, officials said.", {("down", "ashby mill")}),
        # no place to reckon from, or no distance to make "below" a river's bearing
        ("Villages on the eastern side were told they could stay.", set()),
        ("The houses just below the ridge road took the full force of the slide.", set()),
        ("Northern Rail cancelled 40 trains.", set()),
    ],
)
def test_bearings_read_from_the_parse(text, expected):
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("a", "b", "conflict"),
    [
        (
            "The levee broke on the north side of town, behind the Riverside Road trailer park.",
            "Engineers said the breach in the levee south of town near the grain terminal was plugged.",
            True,
        ),
        (
            "The break is on a stretch of pipeline about 5 kilometres below Ashby Mill, county officials said.",
            "The line split open about 2 kilometres upstream of the village of Ashby Mill.",
            True,
        ),
        # a point and the quarter that holds it may both hold
        ("Debris fell north-east of the spaceport.", "Debris fell north of the spaceport.", False),
        # two landmarks
        ("The levee broke north of town.", "The levee broke south of the grain terminal.", False),
        # one side gives both bearings: the other's is not denied
        (
            "The west side of the river was evacuated, while the east side of the river was spared.",
            "Homes on the east side of the river were evacuated.",
            False,
        ),
        # a compass point and a river's direction are of two kinds
        ("The spill is 3 km downstream of the dam.", "The spill lies north of the dam.", False),
    ],
)
def test_bearing_conflicts(a, b, conflict):
    assert (bearing_conflict(a, b) is not None) is conflict
    assert (bearing_conflict(b, a) is not None) is conflict


def test_a_bearing_conflict_is_a_whole_place_difference_and_shows_where():
    from checker.findings import type_finding
    from checker.rule_findings import relation_finding

    a = "It was the western flank of the volcano that was evacuated, officials said."
    b = "The evacuation order covered the villages on the volcano's eastern flank, including Hesk and Marrin."
    diff = compare(a, b)
    assert diff.place == 1.0 and diff.relation == 1.0
    f = relation_finding(replace(type_finding(a, b, "contradiction"), type=None), a, b)
    assert f.type == "location/scope" and "volcano" in f.evidence
    (i, j), (k, m) = f.a_spans[0], f.b_spans[0]
    assert a[i:j] == "western flank of the volcano" and b[k:m] == "volcano's eastern flank"
