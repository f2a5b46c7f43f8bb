"""What the review app shows: the report's pairs filtered, grouped by fact cluster, with live status.

Why built so: the web layer (:mod:`checker.serve.app`) only reads a request and renders a
template; choosing and arranging pairs is plain Python over the JSON report, tested without a
server. A pair's review status is read live from the ledger on every page (a decision made in
the terminal shows on the next reload), while new/seen comes from the report's own marking.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from checker.review import Decision
from checker.types import VERDICTS
from checker.views.diff import highlight, word_diff
from checker.views.facts import clusters_by_pair, fact_lines

#: the status filter: a review status, or "open" (neither dismissed nor confirmed)
STATUS_FILTERS = ("new", "seen", "open", "dismissed", "confirmed")
#: pairs shown on one page at most (the count says how many matched)
PAGE_LIMIT = 150


@dataclass(frozen=True, slots=True)
class Filters:
    """The filters of the review page, as its query string carries them."""

    verdict: str | None = "contradiction"
    type: str | None = None
    outlet: str | None = None
    min_score: float | None = None
    status: str | None = None
    q: str | None = None

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> Filters:
        """Filters from query parameters; an unknown value is ignored (the page shows all)."""

        def text(name: str) -> str | None:
            value = " ".join(str(params.get(name, "")).split())
            return value or None

        verdict = params.get("verdict", "contradiction")  # absent: contradictions; empty: any
        try:
            min_score = float(params["min"]) if text("min") else None
        except ValueError:
            min_score = None
        status = text("status")
        return cls(
            verdict=verdict if verdict in VERDICTS else None,
            type=text("type"),
            outlet=text("outlet"),
            min_score=None if min_score is None else min(1.0, max(0.0, min_score)),
            status=status if status in STATUS_FILTERS else None,
            q=text("q"),
        )

    def query(self) -> str:
        """The query string that gives these filters back."""
        params = {
            "verdict": self.verdict or "",
            "type": self.type or "",
            "outlet": self.outlet or "",
            "min": "" if self.min_score is None else f"{self.min_score:g}",
            "status": self.status or "",
            "q": self.q or "",
        }
        return urlencode({k: v for k, v in params.items() if v or k == "verdict"})


def live_status(pair: dict, decisions: Mapping[str, Decision]) -> str:
    """The decision in force, else the new/seen the report was marked with (a pair reviewed
    before and since undone is seen)."""
    if pair["id"] in decisions:
        return decisions[pair["id"]].status
    return "new" if (pair.get("review") or {}).get("status", "new") == "new" else "seen"


def _matches(pair: dict, f: Filters, status: str) -> bool:
    if f.verdict and pair["verdict"] != f.verdict:
        return False
    if f.type and (pair.get("finding") or {}).get("type") != f.type:
        return False
    if f.outlet and f.outlet not in (pair.get("a_outlet"), pair.get("b_outlet")):
        return False
    if f.min_score is not None and pair["score"] < f.min_score:
        return False
    if f.status == "open" and status in ("dismissed", "confirmed"):
        return False
    if f.status and f.status != "open" and status != f.status:
        return False
    if f.q:
        haystack = " ".join(str(pair.get(k) or "") for k in ("a_text", "b_text", "a_outlet", "b_outlet", "id"))
        return f.q.lower() in haystack.lower()
    return True


def _pieces(text: str, other: str, spans) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, differs): a typed finding's spans, else the word diff."""
    marks = [(a, b, True) for a, b in spans] if spans else word_diff(text, other)[0]
    return [(p[0], True) if isinstance(p, tuple) else (p, False) for p in highlight(text, marks, lambda t: (t,))]


def pair_view(pair: dict, decisions: Mapping[str, Decision]) -> dict:
    """What one pair card shows."""
    finding = pair.get("finding") or {}
    decision = decisions.get(pair["id"])
    return {
        "p": pair,
        "status": live_status(pair, decisions),
        "decision": decision,
        "type": finding.get("type"),
        "why": finding.get("evidence"),
        "a_pieces": _pieces(pair["a_text"], pair["b_text"], finding.get("a_spans")),
        "b_pieces": _pieces(pair["b_text"], pair["a_text"], finding.get("b_spans")),
    }


def counts(data: dict, decisions: Mapping[str, Decision]) -> dict[str, int]:
    """Contradictions by live status."""
    out = dict.fromkeys(("new", "seen", "dismissed", "confirmed"), 0)
    for p in data["pairs"]:
        if p["verdict"] == "contradiction":
            out[live_status(p, decisions)] += 1
    return out


def options(data: dict) -> dict[str, list[str]]:
    """The choices of the filter menus."""
    types = sorted({str(t) for p in data["pairs"] if (t := (p.get("finding") or {}).get("type"))})
    outlets = sorted({d["outlet"] for d in data.get("documents", [])})
    return {"verdicts": list(VERDICTS), "types": types, "outlets": outlets, "statuses": list(STATUS_FILTERS)}


def cluster_view(cluster: dict, data: dict) -> dict:
    """What a fact cluster's header shows: its representative, where each outlet stands, its outlier."""
    docs = {d["id"]: d for d in data.get("documents", [])}
    pairs_by_id = {p["id"]: p for p in data["pairs"]}
    stances = [(docs.get(d, {}).get("outlet", d), st) for d, st in cluster.get("status", {}).items()]
    silent = [docs.get(d, {}).get("outlet", d) for d in cluster.get("absent_docs", [])]
    return {
        "c": cluster,
        "text": cluster.get("representative_text", cluster["representative"]),
        "stances": stances,
        "silent": silent,
        "lines": fact_lines(cluster, docs, pairs_by_id),
    }


def page(data: dict, f: Filters, decisions: Mapping[str, Decision], limit: int = PAGE_LIMIT) -> dict:
    """The pairs matching ``f``, grouped under their fact clusters (in the report's order,
    conflicting first; pairs in no cluster last), new ones first within a group, then by score."""
    chosen = [p for p in data["pairs"] if _matches(p, f, live_status(p, decisions))]
    chosen.sort(key=lambda p: (live_status(p, decisions) != "new", -p["score"], p["id"]))
    shown = chosen[:limit]
    cluster_of = clusters_by_pair(data)
    order = {c["id"]: i for i, c in enumerate(data.get("clusters") or [])}
    groups: dict[str | None, list[dict]] = {}
    for p in shown:
        c = cluster_of.get(p["id"])
        groups.setdefault(c["id"] if c else None, []).append(pair_view(p, decisions))
    by_id = {c["id"]: c for c in data.get("clusters") or []}
    arranged = sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)) if kv[0] else len(order))
    return {
        "groups": [(cluster_view(by_id[cid], data) if cid else None, cards) for cid, cards in arranged],
        "shown": len(shown),
        "matched": len(chosen),
        "total": len(data["pairs"]),
    }
