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

Deliberately not done: re-embedding or re-scoring (only the given pairs are used, so a
pair the pairing stage never proposed counts as unrelated); clustering within one
document; choosing which outlet is right.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checker.types import LabeledPair, Statement, content_id

DocStatus = str  # "states" | "agrees" | "adds detail" | "drops detail" | "conflicts"
STATUSES: tuple[str, ...] = ("conflicts", "adds detail", "drops detail", "agrees", "states")
EDGE_VERDICTS = frozenset({"agree", "a_adds", "b_adds", "contradiction"})
DEFAULT_MIN_SIMILARITY = 0.55
DEFAULT_NEUTRAL_SIMILARITY = 0.8
DEFAULT_MIN_DENSITY = 0.5


@dataclass(frozen=True, slots=True)
class FactCluster:
    """Statements about one fact across outlets.

    ``status`` maps each document in the cluster to one of :data:`STATUSES`;
    ``absent_docs`` are the documents of the audit with no statement in it;
    ``contradictions`` are the ids of contradiction pairs inside the cluster.
    """

    id: str
    statements: tuple[str, ...]
    docs: tuple[str, ...]
    representative: str
    status: tuple[tuple[str, DocStatus], ...]
    contradictions: tuple[str, ...]
    pairs: tuple[str, ...]
    absent_docs: tuple[str, ...] = ()

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
    contradiction, or the verdict is neutral and similarity >= ``neutral_similarity``.
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


def build_clusters(
    statements: Sequence[Statement],
    labeled_pairs: Sequence[LabeledPair],
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    neutral_similarity: float = DEFAULT_NEUTRAL_SIMILARITY,
    min_density: float = DEFAULT_MIN_DENSITY,
    min_size: int = 2,
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
            da, db = lp.pair.a.doc, lp.pair.b.doc
            if lp.verdict == "contradiction":
                roles[da].add("conflicts")
                roles[db].add("conflicts")
            elif lp.verdict == "a_adds":
                roles[da].add("adds detail")
                roles[db].add("drops detail")
            elif lp.verdict == "b_adds":
                roles[db].add("adds detail")
                roles[da].add("drops detail")
            elif lp.verdict == "agree":
                roles[da].add("agrees")
                roles[db].add("agrees")
        status = _status(roles)
        rep = max(sts, key=lambda s: (sum(links[s.id].get(o.id, 0.0) for o in sts), not s.is_headline, -s.start, s.id))
        ids = tuple(s.id for s in sts)
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
            )
        )
    clusters.sort(key=lambda c: (not c.has_conflict, -len(c.docs), -len(c.statements), c.id))
    return clusters


def cluster_to_dict(c: FactCluster, statements_by_id: dict[str, Statement] | None = None) -> dict:
    """JSON-ready form of a cluster for the report; with ``statements_by_id`` the
    representative's text is included."""
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
    }
    if statements_by_id is not None:
        out["representative_text"] = statements_by_id[c.representative].text
    return out


__all__ = [
    "DEFAULT_MIN_DENSITY",
    "DEFAULT_MIN_SIMILARITY",
    "DEFAULT_NEUTRAL_SIMILARITY",
    "EDGE_VERDICTS",
    "FactCluster",
    "STATUSES",
    "build_clusters",
    "cluster_to_dict",
    "is_edge",
]
