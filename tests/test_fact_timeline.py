"""Per-fact timeline (issue #15) and outlier (issue #16) from hand-built reports (pure, no models)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console

from checker.clusters import build_clusters, cluster_outlier, cluster_timelines, find_outlier, statement_figure
from checker.published import UNKNOWN, Published
from checker.report import report_to_dict
from checker.report_schema import validate_report
from checker.types import Article, AuditSettings, CandidatePair, LabeledPair, NliScores, Report, Statement
from checker.views.facts import shows_timeline, timeline_text, values_change
from checker.views.html import render_html
from checker.views.terminal import render_pairs, render_summary

E = NliScores(0.9, 0.05, 0.05)
N = NliScores(0.1, 0.8, 0.1)
C = NliScores(0.05, 0.15, 0.8)
SCORES = {"agree": (E, E), "a_adds": (E, N), "contradiction": (C, N), "updated": (C, N)}
SETTINGS = AuditSettings("nli", "embed", 5, 0.5, 0.5, 0.5)


def st(sid: str, doc: str, text: str) -> Statement:
    return Statement(sid, doc, text, 0, len(text))


def lp(a: Statement, b: Statement, sim: float, verdict: str) -> LabeledPair:
    ab, ba = SCORES[verdict]
    return LabeledPair(CandidatePair(a, b, sim), ab, ba, verdict, 0.8)  # type: ignore[arg-type]


def article(doc: str, outlet: str) -> Article:
    return Article(doc, f"/corpus/{doc}.txt", f"title {doc}", outlet, None, "text")


def at(day: int, hour: int, minute: int = 0) -> Published:
    return Published(datetime(2026, 3, day, hour, minute, tzinfo=UTC), "metadata")


def make_report(statements, pairs, outlets: dict[str, str], published: dict[str, Published]) -> Report:
    return Report(
        articles=tuple(article(d, o) for d, o in outlets.items()),
        statements=tuple(statements),
        pairs=tuple(pairs),
        settings=SETTINGS,
        clusters=tuple(build_clusters(statements, pairs)),
        published=published,
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("At least 120 people were killed in the floods, officials said.", "120"),
        ("The death toll rose to 310 on Tuesday evening.", "310"),
        ("The fire has scorched 11,350 acres and is 40% contained.", "11,350"),
        ("Donors have pledged $1.5 million so far.", "$1.5 million"),
        ("More than 9,000 acres burned in 2025.", "9,000"),  # the year is not a figure
        ("Three people died and 14 were injured.", "14"),
        ("Tens of thousands were displaced.", "tens of thousands"),  # vague only when nothing else
        ("The coastal road has reopened.", None),  # a status
    ],
)
def test_statement_figure(text, expected):
    got = statement_figure(text)
    assert (got.lower() if got else got) == (expected.lower() if expected else expected)


def _toll_report(published: dict[str, Published]) -> Report:
    texts = {
        "d1": "At least 120 people were killed in the floods.",
        "d2": "The flood death toll rose to 310, officials said.",
        "d3": "Rescuers said 250 people were killed in the floods.",
        "d4": "Officials said 200 people died in the floods.",
    }
    s = [st(d[1], d, t) for d, t in texts.items()]
    pairs = [lp(s[i], s[j], 0.8, "updated") for i in range(4) for j in range(i + 1, 4)]
    outlets = {"d1": "Wire", "d2": "Daily", "d3": "Herald", "d4": "Post"}
    return make_report(s, pairs, outlets, published)


def test_timeline_in_publication_order_unknown_times_last():
    rep = _toll_report({"d1": at(14, 7, 10), "d2": at(14, 21, 30), "d3": at(14, 12), "d4": UNKNOWN})
    [cluster] = rep.clusters
    timeline = cluster_timelines(rep)[cluster.id]
    assert [e["doc"] for e in timeline] == ["d1", "d3", "d2", "d4"]
    assert [e["value"] for e in timeline] == ["120", "250", "310", "200"]
    assert timeline[0] == {
        "doc": "d1",
        "outlet": "Wire",
        "published": "2026-03-14T07:10:00Z",
        "value": "120",
        "text": "At least 120 people were killed in the floods.",
        "statement": "1",
    }
    assert timeline[-1]["published"] is None


def test_timeline_with_a_document_missing_from_published_counts_as_unknown():
    rep = _toll_report({"d2": at(14, 21, 30)})
    [cluster] = rep.clusters
    assert [e["doc"] for e in cluster_timelines(rep)[cluster.id]] == ["d2", "d1", "d3", "d4"]


def test_no_timeline_for_a_fixed_fact():
    a = st("a", "d1", "The quake had a magnitude of 6.1, the survey said.")
    b = st("b", "d2", "The quake measured 6.4 on the Richter scale.")
    rep = make_report([a, b], [lp(a, b, 0.9, "contradiction")], {"d1": "Wire", "d2": "Daily"}, {})
    assert cluster_timelines(rep) == {}
    assert "timeline" not in report_to_dict(rep)["clusters"][0]


def test_updated_pair_gives_a_status_timeline_with_null_values():
    a = st("a", "d1", "The coastal road is blocked by debris.")
    b = st("b", "d2", "The coastal road has reopened.")
    rep = make_report(
        [a, b], [lp(a, b, 0.7, "updated")], {"d1": "Wire", "d2": "Daily"}, {"d1": at(1, 8), "d2": at(1, 9)}
    )
    [cluster] = rep.clusters  # an updated pair links the two statements like a contradiction does
    timeline = cluster_timelines(rep)[cluster.id]
    assert [e["value"] for e in timeline] == [None, None]
    data = report_to_dict(rep)
    assert values_change(data["clusters"][0], {p["id"]: p for p in data["pairs"]})
    assert timeline_text(timeline).startswith("Timeline: “The coastal road is blocked by debris.” · Wire")


def test_timeline_text_drops_a_repeated_day():
    timeline = [
        {"doc": "d1", "outlet": "Wire", "published": "2026-03-14T07:10:00Z", "value": "120", "text": "t"},
        {"doc": "d2", "outlet": "Daily", "published": "2026-03-14T21:30:00Z", "value": "310", "text": "t"},
        {"doc": "d3", "outlet": "Post", "published": "2026-03-15", "value": "320", "text": "t"},
        {"doc": "d4", "outlet": "Blog", "published": None, "value": "300", "text": "t"},
    ]
    assert timeline_text(timeline) == (
        "Timeline: 120 · Wire 2026-03-14 07:10 → 310 · Daily 21:30 → 320 · Post 2026-03-15 → 300 · Blog time unknown"
    )


@pytest.mark.parametrize(
    "docs,conflicts,expected",
    [
        # one outlet against three that do not conflict among themselves
        ("ABCD", ["AB", "AC", "AD"], ("A", ("B", "C", "D"))),
        ("ABC", ["CA", "CB"], ("C", ("A", "B"))),
        # conflicts mutual among several: nobody stands alone
        ("ABC", ["AB", "AC", "BC"], (None, ())),
        # the one with most conflicts still agrees with someone
        ("ABCD", ["AB", "AC"], (None, ())),
        # the others conflict among themselves too
        ("ABCD", ["AB", "AC", "AD", "BC"], (None, ())),
        # ties: two outlets, or two separate disputes
        ("AB", ["AB"], (None, ())),
        ("ABCD", ["AB", "CD"], (None, ())),
        # no conflict at all; conflicts with documents outside the cluster are ignored
        ("ABC", [], (None, ())),
        ("ABC", ["AX", "AY"], (None, ())),
        # the same document pair twice counts once
        ("ABC", ["AB", "BA", "AC"], ("A", ("B", "C"))),
    ],
)
def test_outlier_rule(docs, conflicts, expected):
    assert find_outlier(list(docs), [(c[0], c[1]) for c in conflicts]) == expected


def test_outlier_per_kind_of_conflict_when_a_cluster_holds_two_disputes():
    # D alone on the title; A and B also disagree on polarity: no outlier over all conflicts (A and D tie)
    title = [("D", "A", "role/title"), ("D", "B", "role/title"), ("D", "C", "role/title")]
    polarity = [("A", "B", "negation/polarity"), ("A", "C", "negation/polarity")]
    assert find_outlier("ABCD", [(a, b) for a, b, _ in title + polarity]) == (None, ())
    assert cluster_outlier("ABCD", title + polarity) == ("D", ("A", "B", "C"))
    # two kinds naming two different outliers: none
    numbers = [("A", "B", "number"), ("A", "C", "number"), ("A", "D", "number")]
    assert cluster_outlier("ABCD", title + numbers) == (None, ())
    # untyped conflicts only: the plain rule
    assert cluster_outlier("ABC", [("A", "B", None), ("A", "C", None)]) == ("A", ("B", "C"))


def test_build_clusters_uses_conflict_types_for_the_outlier():
    rep = _title_report()
    s = {x.doc: x for x in rep.statements}
    pairs = [*rep.pairs, lp(s["d1"], s["d2"], 0.8, "contradiction")]  # a second, polarity dispute
    types = {p.id: "role/title" for p in rep.pairs if p.verdict == "contradiction"} | {
        pairs[-1].id: "negation/polarity"
    }
    [plain] = build_clusters(list(rep.statements), pairs)
    [typed] = build_clusters(list(rep.statements), pairs, conflict_types=types)
    assert plain.outlier is None
    assert (typed.outlier, typed.majority) == ("d4", ("d1", "d2", "d3"))


def _title_report() -> Report:
    texts = {
        "d1": "Ghiath Dalla is a former brigadier general.",
        "d2": "Ghiath Dalla, a former brigadier general, leads the group.",
        "d3": "Former brigadier general Ghiath Dalla leads it.",
        "d4": "Ghiath Dalla is a former major general.",
    }
    s = [st(d[1], d, t) for d, t in texts.items()]
    pairs = [
        lp(s[0], s[1], 0.9, "agree"),
        lp(s[0], s[2], 0.85, "agree"),
        lp(s[1], s[2], 0.85, "a_adds"),
        lp(s[0], s[3], 0.8, "contradiction"),
        lp(s[1], s[3], 0.8, "contradiction"),
        lp(s[2], s[3], 0.75, "contradiction"),
    ]
    outlets = {"d1": "Reuters", "d2": "UNN", "d3": "Enab", "d4": "Caliber.az"}
    return make_report(s, pairs, outlets, {})


def test_cluster_names_the_outlier_and_majority():
    rep = _title_report()
    [cluster] = rep.clusters
    assert (cluster.outlier, cluster.majority) == ("d4", ("d1", "d2", "d3"))
    d = report_to_dict(rep)["clusters"][0]
    assert d["outlier"] == "d4" and d["majority"] == ["d1", "d2", "d3"]


def test_report_json_with_timeline_and_outlier_validates():
    for rep in (_title_report(), _toll_report({"d1": at(14, 7), "d2": at(14, 21), "d3": UNKNOWN})):
        data = report_to_dict(rep)
        assert validate_report(data) is None
    data = report_to_dict(_toll_report({"d1": at(14, 7)}))
    assert "timeline" in data["clusters"][0]
    data["clusters"][0]["timeline"][0]["value"] = 120
    assert validate_report(data) == "clusters[0].timeline[0].value must be a string or null, got integer"
    data["clusters"][0]["outlier"] = 3
    assert validate_report(data).startswith("clusters[0].outlier must be a string or null")


def _render(fn, *args) -> str:
    buf = io.StringIO()
    fn(Console(file=buf, width=200, color_system=None), *args)
    return buf.getvalue()


def test_views_show_outlier_and_timeline():
    title = report_to_dict(_title_report())
    out = _render(render_summary, title)
    assert "outlier: Caliber.az" in out
    contra = [p for p in title["pairs"] if p["verdict"] == "contradiction"]
    assert "outlier: Caliber.az (against Reuters, UNN, Enab)" in _render(render_pairs, contra[:1], title)
    assert "outlier" not in _render(render_pairs, contra[:1])  # without the report: pairs only
    assert "outlier: Caliber.az (against Reuters, UNN, Enab)" in render_html(title)

    toll = report_to_dict(_toll_report({"d1": at(14, 7, 10), "d2": at(14, 21, 30), "d3": at(14, 12), "d4": at(15, 1)}))
    line = (
        "Timeline: 120 · Wire 2026-03-14 07:10 → 250 · Herald 12:00 → 310 · Daily 21:30 → 200 · Post 2026-03-15 01:00"
    )
    assert "Evolving facts" in (summary := _render(render_summary, toll)) and line in summary
    assert line in _render(render_pairs, toll["pairs"][:1], toll)
    assert line in render_html(toll)


def test_timeline_without_any_figure_or_update_is_kept_in_json_but_not_shown():
    # "14-year" is a duration, not a figure, though it makes the statement look like an arrest count
    a = st("a", "d1", "Makhlouf spent years under house arrest after the 14-year civil war.")
    b = st("b", "d2", "Makhlouf was under house arrest for years.")
    rep = make_report([a, b], [lp(a, b, 0.9, "agree")], {"d1": "Wire", "d2": "Daily"}, {})
    data = report_to_dict(rep)
    [cluster] = data["clusters"]
    assert [e["value"] for e in cluster["timeline"]] == [None, None]
    assert not shows_timeline(cluster, {p["id"]: p for p in data["pairs"]})
    assert "Timeline" not in render_html(data) and "Timeline" not in _render(render_pairs, data["pairs"], data)
