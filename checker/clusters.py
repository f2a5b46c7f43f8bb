"""Fact clusters: statements from all outlets that report the same fact, and where each stands.

Why built so: a newsroom reads "the fighter numbers" or "al-Shami's title" as one fact told
by several outlets, not as ten pairwise verdicts. Pairs that are both similar (embedding
cosine) and linked by the NLI stage (agree, one adds detail, or contradict) are edges;
connected statements form a cluster. Plain union-find chains: A~B, B~C, C~D puts A and D
in one cluster although they share nothing. So an edge merges two clusters only when the
merged cluster stays *dense*: every member has an edge-eligible similarity to at least
``min_density`` (default half) of the other members. A chain of three passes (the ends
are each linked to one of two others), a chain of four does not. Edges are tried strongest
first, so the tightest groups form before weaker links are considered.

Per-document status inside a cluster, from the pairs inside it (strongest wins):
``conflicts`` (in a contradiction pair) > ``adds detail`` (the side that entails the
other one-way) > ``drops detail`` (the side that is entailed) > ``agrees`` > ``states``
(only neutral links).

An ``updated`` pair (a later report of an evolving fact, :mod:`checker.updates`) is an edge
like a contradiction: both statements report the same fact.

The outlier of a conflicting cluster (issue #16) is the one document in conflict with every
other document of the cluster while those others do not conflict among themselves; they are
its ``majority``. When the whole cluster has no outlier, the rule is tried per kind of typed
conflict (a title, a number), since one cluster can hold two disputes. It says who stands
alone, not who is right.

The timeline of a cluster about an evolving fact (issue #15; a statement with an evolving
count, or an ``updated`` pair inside) lists its statements in publication-time order with the
largest figure of each, computed from the :class:`~checker.types.Report` (no files re-read).

Deliberately not done: re-embedding or re-scoring (only the given pairs are used, so a
pair the pairing stage never proposed counts as unrelated); clustering within one
document; choosing which outlet is right.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from checker import defaults
from checker.types import LabeledPair, Report, Statement, content_id

DocStatus = str  # "states" | "agrees" | "adds detail" | "drops detail" | "conflicts"
STATUSES: tuple[str, ...] = ("conflicts", "adds detail", "drops detail", "agrees", "states")
EDGE_VERDICTS = frozenset({"agree", "a_adds", "b_adds", "contradiction", "updated"})
#: what a pair's verdict says of each outlet in a fact cluster: (A's role, B's role)
_ROLES = {
    "contradiction": ("conflicts", "conflicts"),
    "a_adds": ("adds detail", "drops detail"),
    "b_adds": ("drops detail", "adds detail"),
    "agree": ("agrees", "agrees"),
}
DEFAULT_MIN_SIMILARITY = defaults.CLUSTER_MIN_SIMILARITY
DEFAULT_NEUTRAL_SIMILARITY = defaults.CLUSTER_NEUTRAL_SIMILARITY
DEFAULT_MIN_DENSITY = defaults.CLUSTER_MIN_DENSITY


@dataclass(frozen=True, slots=True)
class FactCluster:
    """Statements about one fact across outlets.

    ``status`` maps each document in the cluster to one of :data:`STATUSES`;
    ``absent_docs`` are the documents of the audit with no statement in it;
    ``contradictions`` are the ids of contradiction pairs inside the cluster;
    ``outlier`` the document that stands alone against ``majority`` (see :func:`find_outlier`).
    """

    id: str
    statements: tuple[str, ...]
    docs: tuple[str, ...]
    representative: str
    status: tuple[tuple[str, DocStatus], ...]
    contradictions: tuple[str, ...]
    pairs: tuple[str, ...]
    absent_docs: tuple[str, ...] = ()
    outlier: str | None = None
    majority: tuple[str, ...] = ()

    @property
    def has_conflict(self) -> bool:
        return bool(self.contradictions)

    @property
    def status_by_doc(self) -> dict[str, DocStatus]:
        return dict(self.status)


def is_edge(
    lp: LabeledPair,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    neutral_similarity: float = DEFAULT_NEUTRAL_SIMILARITY,
) -> bool:
    """Whether a labeled pair links its statements into one fact.

    True when similarity >= ``min_similarity`` and the verdict is agree / a_adds / b_adds /
    contradiction / updated, or the verdict is neutral and similarity >= ``neutral_similarity``.
    """
    sim = lp.pair.similarity
    if lp.verdict in EDGE_VERDICTS:
        return sim >= min_similarity
    return sim >= neutral_similarity


class _Components:
    """Union-find over statement ids, keeping member sets for the density check."""

    def __init__(self, ids: Iterable[str]):
        self.parent = {i: i for i in ids}
        self.members = {i: {i} for i in self.parent}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] |= self.members.pop(rb)


def _dense(members: set[str], links: dict[str, dict[str, float]], min_density: float) -> bool:
    if len(members) <= 2:
        return True
    need = min_density * (len(members) - 1)
    return all(sum(1 for o in links.get(m, {}) if o in members) >= need for m in members)


def _status(doc_roles: dict[str, set[str]]) -> dict[str, DocStatus]:
    out = {}
    for doc, roles in doc_roles.items():
        out[doc] = next((s for s in STATUSES if s in roles), "states")
    return out


def find_outlier(docs: Iterable[str], conflicts: Iterable[tuple[str, str]]) -> tuple[str | None, tuple[str, ...]]:
    """The document that stands alone on a fact, and the documents that agree against it.

    Args:
        docs: the documents that state the fact (a cluster's ``docs``).
        conflicts: document pairs of the cluster's contradiction pairs.

    Returns:
        ``(outlier, majority)``: the outlier is the document with the most conflicts when it is
        the only one with that many, it conflicts with every other document, and those others
        do not conflict among themselves; the majority is the others, sorted. ``(None, ())``
        otherwise: fewer than three documents, no conflict, a tie for the most conflicts, or
        conflicts among the others too.
    """
    against: dict[str, set[str]] = {d: set() for d in sorted(set(docs))}
    for a, b in conflicts:
        if a != b and a in against and b in against:
            against[a].add(b)
            against[b].add(a)
    if len(against) < 3:
        return None, ()
    most = max(len(v) for v in against.values())
    minority = [d for d, v in against.items() if len(v) == most]
    if most == 0 or len(minority) != 1:
        return None, ()
    odd = minority[0]
    rest = tuple(d for d in against if d != odd)
    if against[odd] == set(rest) and all(against[d] == {odd} for d in rest):
        return odd, rest
    return None, ()


def cluster_outlier(
    docs: Iterable[str], conflicts: Iterable[tuple[str, str, str | None]]
) -> tuple[str | None, tuple[str, ...]]:
    """:func:`find_outlier` over all conflicts of a cluster, else per kind of conflict.

    ``conflicts`` are ``(doc, doc, type)`` with the typed finding of the contradiction pair
    ("role/title", "number", ...; None when untyped). A cluster can hold two disputes, the
    title of a speaker and the polarity of what he said; one outlet alone on the title is the
    outlier when the rule holds for the title conflicts, and no other kind names another one.
    """
    docs, conflicts = list(docs), list(conflicts)
    found = find_outlier(docs, ((a, b) for a, b, _ in conflicts))
    if found[0] is not None:
        return found
    per_kind = {
        find_outlier(docs, ((a, b) for a, b, t in conflicts if t == kind)) for kind in {t for *_, t in conflicts}
    }
    per_kind.discard((None, ()))
    return per_kind.pop() if len(per_kind) == 1 else (None, ())


def build_clusters(
    statements: Sequence[Statement],
    labeled_pairs: Sequence[LabeledPair],
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    neutral_similarity: float = DEFAULT_NEUTRAL_SIMILARITY,
    min_density: float = DEFAULT_MIN_DENSITY,
    min_size: int = 2,
    conflict_types: Mapping[str, str | None] | None = None,
) -> list[FactCluster]:
    """Group statements that report the same fact.

    Args:
        statements: every statement of the audit (documents without a statement in a
            cluster are listed as its ``absent_docs``).
        labeled_pairs: labeled pairs, ideally after :func:`checker.findings.apply_findings`.
        min_similarity: similarity an agree/adds/contradiction pair needs to be an edge.
            Defaults to 0.55.
        neutral_similarity: similarity a neutral pair needs to be an edge. Defaults to 0.8.
        min_density: fraction of the other members each member must be linked to for a
            merge to be accepted. Defaults to 0.5.
        min_size: smallest cluster returned. Defaults to 2 (single statements are left out).
        conflict_types: pair id -> type of its typed finding, for the outlier of a cluster
            that holds conflicts of several kinds (:func:`cluster_outlier`).

    Returns:
        Clusters with conflicts first, then by number of documents, then size, then id.

    Raises:
        ValueError: a threshold is outside [0, 1] or a pair refers to an unknown statement.
    """
    for name, v in (
        ("min_similarity", min_similarity),
        ("neutral_similarity", neutral_similarity),
        ("min_density", min_density),
    ):
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"{name} must be in [0, 1], got {v}")
    by_id = {s.id: s for s in statements}
    for lp in labeled_pairs:
        for s in (lp.pair.a, lp.pair.b):
            if s.id not in by_id:
                raise ValueError(f"pair {lp.id} refers to statement {s.id} that is not in statements")
    edges = [
        lp for lp in labeled_pairs if lp.pair.a.doc != lp.pair.b.doc and is_edge(lp, min_similarity, neutral_similarity)
    ]
    links: dict[str, dict[str, float]] = defaultdict(dict)
    for lp in edges:
        a, b = lp.pair.a.id, lp.pair.b.id
        links[a][b] = links[b][a] = max(lp.pair.similarity, links[a].get(b, 0.0))
    comps = _Components(by_id)
    # strongest first; linked verdicts before neutral ones at equal similarity; ids break ties
    for lp in sorted(edges, key=lambda p: (-p.pair.similarity, p.verdict == "neutral", p.id)):
        ra, rb = comps.find(lp.pair.a.id), comps.find(lp.pair.b.id)
        if ra == rb:
            continue
        if _dense(comps.members[ra] | comps.members[rb], links, min_density):
            comps.union(ra, rb)

    all_docs = sorted({s.doc for s in statements})
    clusters = []
    for members in comps.members.values():
        if len(members) < min_size:
            continue
        inside = [lp for lp in labeled_pairs if lp.pair.a.id in members and lp.pair.b.id in members]
        sts = sorted((by_id[m] for m in members), key=lambda s: (s.doc, s.start, s.id))
        docs = sorted({s.doc for s in sts})
        roles: dict[str, set[str]] = {d: set() for d in docs}
        for lp in inside:
            if lp.verdict in _ROLES:
                role_a, role_b = _ROLES[lp.verdict]
                roles[lp.pair.a.doc].add(role_a)
                roles[lp.pair.b.doc].add(role_b)
        status = _status(roles)
        rep = max(sts, key=lambda s: (sum(links[s.id].get(o.id, 0.0) for o in sts), not s.is_headline, -s.start, s.id))
        ids = tuple(s.id for s in sts)
        outlier, majority = cluster_outlier(
            docs,
            (
                (lp.pair.a.doc, lp.pair.b.doc, (conflict_types or {}).get(lp.id))
                for lp in inside
                if lp.verdict == "contradiction"
            ),
        )
        clusters.append(
            FactCluster(
                id=content_id(*sorted(ids)),
                statements=ids,
                docs=tuple(docs),
                representative=rep.id,
                status=tuple((d, status[d]) for d in docs),
                contradictions=tuple(sorted(lp.id for lp in inside if lp.verdict == "contradiction")),
                pairs=tuple(sorted(lp.id for lp in inside)),
                absent_docs=tuple(d for d in all_docs if d not in docs),
                outlier=outlier,
                majority=majority,
            )
        )
    clusters.sort(key=lambda c: (not c.has_conflict, -len(c.docs), -len(c.statements), c.id))
    return clusters


_BOUND_WORDS = re.compile(
    r"^(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|over|under|about|around|roughly|"
    r"approximately|nearly|almost|some|up\s+to|as\s+many\s+as|between)\s+",
    re.I,
)


def statement_figure(text: str) -> str | None:
    """The largest figure a statement gives, as written without its bound ("At least 120" -> "120",
    "$1.5 million", "40%"), or None when it gives none (a status: "the road reopened").

    Counts, percentages and money are considered; durations, ages, years and dates are not; a
    vague figure ("tens of thousands") only when there is no other.
    """
    from checker.findings import extract_quantities

    found = [q for q in extract_quantities(text) if q.kind in ("count", "percent", "money")]
    figures = [q for q in found if not q.vague] or found
    if not figures:
        return None
    best = max(figures, key=lambda q: q.high)  # the first of equals: max keeps it
    return _BOUND_WORDS.sub("", best.text).strip() or best.text


def cluster_timelines(report: Report) -> dict[str, list[dict]]:
    """Cluster id -> timeline, for the clusters of ``report`` about an evolving fact.

    A cluster is about an evolving fact when one of its statements gives an evolving count
    (:func:`checker.updates.evolving_categories`) or one of its pairs is ``updated``. Its
    timeline has one entry per statement, ``doc``, ``outlet``, ``published`` (ISO or None),
    ``value`` (:func:`statement_figure`), ``text`` and ``statement`` (id), in publication-time
    order; statements with an unknown time come last (then by document and position).
    """
    from checker.updates import evolving_categories

    by_id = {s.id: s for s in report.statements}
    verdicts = {lp.id: lp.verdict for lp in report.pairs}
    outlets = {a.id: a.outlet for a in report.articles}
    when = {doc: pub.when.timestamp() for doc, pub in report.published.items() if pub.when is not None}
    out: dict[str, list[dict]] = {}
    for c in report.clusters:
        sts = [by_id[i] for i in c.statements if i in by_id]
        if not (any(verdicts.get(p) == "updated" for p in c.pairs) or any(evolving_categories(s.text) for s in sts)):
            continue
        ordered = sorted(sts, key=lambda s: (s.doc not in when, when.get(s.doc, 0.0), s.doc, s.start, s.id))
        out[c.id] = [
            {
                "doc": s.doc,
                "outlet": outlets.get(s.doc, s.doc),
                "published": report.published[s.doc].iso if s.doc in report.published else None,
                "value": statement_figure(s.text),
                "text": s.text,
                "statement": s.id,
            }
            for s in ordered
        ]
    return out


def cluster_to_dict(
    c: FactCluster, statements_by_id: dict[str, Statement] | None = None, timeline: list[dict] | None = None
) -> dict:
    """JSON-ready form of a cluster for the report; with ``statements_by_id`` the
    representative's text is included, with ``timeline`` (:func:`cluster_timelines`) the timeline."""
    out = {
        "id": c.id,
        "representative": c.representative,
        "statements": list(c.statements),
        "docs": list(c.docs),
        "status": dict(c.status),
        "absent_docs": list(c.absent_docs),
        "has_conflict": c.has_conflict,
        "contradictions": list(c.contradictions),
        "pairs": list(c.pairs),
        "outlier": c.outlier,
        "majority": list(c.majority),
    }
    if statements_by_id is not None:
        out["representative_text"] = statements_by_id[c.representative].text
    if timeline is not None:
        out["timeline"] = timeline
    return out


__all__ = [
    "DEFAULT_MIN_DENSITY",
    "DEFAULT_MIN_SIMILARITY",
    "DEFAULT_NEUTRAL_SIMILARITY",
    "EDGE_VERDICTS",
    "FactCluster",
    "STATUSES",
    "build_clusters",
    "cluster_outlier",
    "cluster_timelines",
    "cluster_to_dict",
    "find_outlier",
    "is_edge",
    "statement_figure",
]
