"""Per-fact lines shared by the terminal and HTML views: a cluster's outlier and its timeline.

Built from the JSON report (``clusters[].outlier``, ``majority``, ``timeline``; see
docs/report-schema.md), plain text, so each view styles or escapes it as it needs.
"""

from __future__ import annotations


def _outlet(docs: dict[str, dict], doc_id: str) -> str:
    return str(docs.get(doc_id, {}).get("outlet", doc_id))


def outlier_text(cluster: dict, docs: dict[str, dict]) -> str | None:
    """ "outlier: Caliber.az (against A, B, C)" for a cluster with an outlier, else None."""
    odd = cluster.get("outlier")
    if not odd:
        return None
    against = ", ".join(_outlet(docs, d) for d in cluster.get("majority", []))
    return f"outlier: {_outlet(docs, odd)}" + (f" (against {against})" if against else "")


def _has_update(cluster: dict, pairs_by_id: dict[str, dict] | None) -> bool:
    return any((pairs_by_id or {}).get(p, {}).get("verdict") == "updated" for p in cluster.get("pairs", []))


def values_change(cluster: dict, pairs_by_id: dict[str, dict] | None = None) -> bool:
    """Whether a cluster's timeline shows a change: two different figures, or an ``updated`` pair."""
    timeline = cluster.get("timeline") or []
    if len({e["value"].lower() for e in timeline if e.get("value")}) > 1:
        return True
    return bool(timeline) and _has_update(cluster, pairs_by_id)


def shows_timeline(cluster: dict, pairs_by_id: dict[str, dict] | None = None) -> bool:
    """Whether a cluster's timeline is worth a line: it gives a figure, or has an ``updated`` pair
    (a timeline of statements without figures is a lexical false alarm, e.g. "14-year ... house arrest")."""
    timeline = cluster.get("timeline") or []
    return any(e.get("value") for e in timeline) or (bool(timeline) and _has_update(cluster, pairs_by_id))


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def timeline_text(timeline: list[dict]) -> str:
    """ "Timeline: 120 · Wire 2026-03-14 07:10 → 310 · Daily 21:30": each statement's figure (or
    its text, quoted, for a status), outlet and time; the day is left out when it repeats."""
    parts, last_day = [], None
    for e in timeline:
        iso = e.get("published")
        if not iso:
            when = "time unknown"
        else:
            day, _, clock = str(iso).partition("T")
            clock = clock[:5]
            when = clock if day == last_day and clock else f"{day} {clock}".strip()
            last_day = day
        value = e.get("value") or f"“{_short(e.get('text', ''))}”"
        parts.append(f"{value} · {e.get('outlet', e.get('doc', '?'))} {when}")
    return "Timeline: " + " → ".join(parts)


def clusters_by_pair(data: dict) -> dict[str, dict]:
    """Pair id -> the fact cluster of the report that contains it."""
    return {p: c for c in data.get("clusters") or [] for p in c.get("pairs", [])}


def fact_lines(cluster: dict, docs: dict[str, dict], pairs_by_id: dict[str, dict] | None = None) -> list[str]:
    """The outlier and timeline lines of a cluster (empty when it has neither; see :func:`shows_timeline`)."""
    lines = []
    if odd := outlier_text(cluster, docs):
        lines.append(odd)
    if shows_timeline(cluster, pairs_by_id):
        lines.append(timeline_text(cluster["timeline"]))
    return lines
