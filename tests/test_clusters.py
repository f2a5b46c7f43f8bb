"""Fact clusters from hand-built statements and labeled pairs (pure, no models)."""

from __future__ import annotations

import pytest

from checker.clusters import build_clusters, cluster_to_dict, is_edge
from checker.types import CandidatePair, LabeledPair, NliScores, Statement

E = NliScores(0.9, 0.05, 0.05)
N = NliScores(0.1, 0.8, 0.1)
C = NliScores(0.05, 0.15, 0.8)
SCORES = {"agree": (E, E), "a_adds": (E, N), "b_adds": (N, E), "neutral": (N, N), "contradiction": (C, N)}


def st(sid: str, doc: str, text: str | None = None, start: int = 0) -> Statement:
    return Statement(sid, doc, text or f"statement {sid} of {doc}", start, start + 10)


def lp(a: Statement, b: Statement, sim: float, verdict: str) -> LabeledPair:
    ab, ba = SCORES[verdict]
    return LabeledPair(CandidatePair(a, b, sim), ab, ba, verdict, 0.8)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name,sim,verdict,expected",
    [
        ("agree above floor", 0.6, "agree", True),
        ("agree below floor", 0.5, "agree", False),
        ("contradiction above floor", 0.7, "contradiction", True),
        ("one-way above floor", 0.7, "b_adds", True),
        ("plain neutral is not an edge", 0.7, "neutral", False),
        ("very similar neutral is", 0.85, "neutral", True),
    ],
)
def test_edge_rule(name, sim, verdict, expected):
    assert is_edge(lp(st("a", "d1"), st("b", "d2"), sim, verdict)) is expected, name


def test_same_fact_across_three_outlets_with_a_conflict():
    a, b, c = st("a", "d1"), st("b", "d2"), st("c", "d3")
    other = st("x", "d4")
    pairs = [lp(a, b, 0.9, "agree"), lp(a, c, 0.8, "contradiction"), lp(b, c, 0.75, "a_adds")]
    [cl] = build_clusters([a, b, c, other], pairs)
    assert cl.statements == ("a", "b", "c")
    assert cl.docs == ("d1", "d2", "d3")
    assert cl.absent_docs == ("d4",)
    assert cl.has_conflict and cl.contradictions == (pairs[1].id,)
    assert cl.status_by_doc == {"d1": "conflicts", "d2": "adds detail", "d3": "conflicts"}
    assert cl.representative == "a"  # most similar to the others


def test_status_adds_drops_agrees_states():
    a, b, c, d = st("a", "d1"), st("b", "d2"), st("c", "d3"), st("d", "d4")
    pairs = [
        lp(a, b, 0.9, "a_adds"),
        lp(a, c, 0.9, "agree"),
        lp(b, c, 0.9, "agree"),
        lp(a, d, 0.9, "neutral"),
        lp(b, d, 0.9, "neutral"),
        lp(c, d, 0.9, "neutral"),
    ]
    [cl] = build_clusters([a, b, c, d], pairs)
    assert cl.status_by_doc == {"d1": "adds detail", "d2": "drops detail", "d3": "agrees", "d4": "states"}
    assert not cl.has_conflict


def test_chain_does_not_collapse_into_one_cluster():
    # A~B~C~D, each link strong, but A and D (and A-C, B-D) are unrelated
    a, b, c, d = st("a", "d1"), st("b", "d2"), st("c", "d3"), st("d", "d4")
    pairs = [lp(a, b, 0.95, "agree"), lp(b, c, 0.9, "agree"), lp(c, d, 0.85, "agree")]
    clusters = build_clusters([a, b, c, d], pairs)
    assert all(not {"a", "d"} <= set(cl.statements) for cl in clusters)
    assert [cl.statements for cl in clusters] == [("a", "b", "c")]


def test_chain_of_five_splits_into_coherent_groups():
    s = [st(x, f"d{i}") for i, x in enumerate("abcde")]
    pairs = [lp(s[i], s[i + 1], 0.9 - 0.01 * i, "agree") for i in range(4)]
    clusters = build_clusters(s, pairs)
    assert max(len(cl.statements) for cl in clusters) <= 3
    assert sum(len(cl.statements) for cl in clusters) <= 5


def test_fully_linked_group_is_one_cluster():
    s = [st(x, f"d{i}") for i, x in enumerate("abcde")]
    pairs = [lp(s[i], s[j], 0.8, "agree") for i in range(5) for j in range(i + 1, 5)]
    [cl] = build_clusters(s, pairs)
    assert len(cl.statements) == 5 and cl.status_by_doc == {f"d{i}": "agrees" for i in range(5)}


def test_sorted_conflicts_first_then_outlets():
    s = {x: st(x, d) for x, d in zip("abcdefg", ["d1", "d2", "d3", "d1", "d2", "d1", "d2"])}
    pairs = [
        lp(s["a"], s["b"], 0.9, "agree"),
        lp(s["a"], s["c"], 0.9, "agree"),
        lp(s["b"], s["c"], 0.9, "agree"),
        lp(s["d"], s["e"], 0.9, "contradiction"),
        lp(s["f"], s["g"], 0.9, "agree"),
    ]
    clusters = build_clusters(list(s.values()), pairs)
    assert [cl.statements for cl in clusters] == [("d", "e"), ("a", "b", "c"), ("f", "g")]


def test_ids_are_content_hashes_and_stable():
    a, b = st("a", "d1"), st("b", "d2")
    one = build_clusters([a, b], [lp(a, b, 0.9, "agree")])
    two = build_clusters([b, a], [lp(a, b, 0.9, "agree")])
    assert one[0].id == two[0].id and len(one[0].id) == 12


def test_singletons_left_out_unless_asked():
    a, b = st("a", "d1"), st("b", "d2")
    assert build_clusters([a, b], [lp(a, b, 0.3, "agree")]) == []
    assert len(build_clusters([a, b], [lp(a, b, 0.3, "agree")], min_size=1)) == 2


def test_same_document_pairs_are_not_edges():
    a, b = st("a", "d1"), st("b", "d1", start=20)
    assert build_clusters([a, b], [lp(a, b, 0.99, "agree")]) == []


def test_bad_arguments_raise():
    a, b = st("a", "d1"), st("b", "d2")
    with pytest.raises(ValueError, match="min_similarity"):
        build_clusters([a, b], [], min_similarity=1.5)
    with pytest.raises(ValueError, match="not in statements"):
        build_clusters([a], [lp(a, b, 0.9, "agree")])


def test_cluster_to_dict():
    a, b = st("a", "d1", "Hassan claims 12,000 fighters."), st("b", "d2")
    [cl] = build_clusters([a, b], [lp(a, b, 0.9, "contradiction")])
    d = cluster_to_dict(cl, {"a": a, "b": b})
    assert d["has_conflict"] is True and d["status"] == {"d1": "conflicts", "d2": "conflicts"}
    assert d["representative_text"] in (a.text, b.text)
