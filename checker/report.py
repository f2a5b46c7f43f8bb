"""Report: a :class:`Report` -> versioned JSON, and JSON reports written and read back.

Why built so: the JSON report is the contract with scripts and with ``newscheck inspect``,
so it is flat, versioned (``schema_version``) and documented in ``docs/report-schema.md``;
a report read back is checked against that schema (:mod:`checker.report_schema`). The views
(terminal: :mod:`checker.views.terminal`; HTML: :mod:`checker.views.html`) are built from
that same JSON, so inspecting a saved report shows exactly what the audit printed.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from checker.errors import InputError
from checker.report_schema import SCHEMA, SCHEMA_VERSION, check_report, validate_report
from checker.types import VERDICTS, Report

__all__ = [
    "SCHEMA",
    "SCHEMA_VERSION",
    "load_report",
    "mark_dismissed",
    "mark_review",
    "report_to_dict",
    "validate_report",
    "write_report",
]

# Names that lived here before the views moved to checker.views.terminal (kept importable).
_MOVED = {name: "checker.views.terminal" for name in ("filter_pairs", "render_pairs", "render_summary")} | {
    name: "checker.views.diff" for name in ("highlight", "word_diff")
}


def __getattr__(name: str):
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def report_to_dict(report: Report, corpus: str | None = None) -> dict:
    """The JSON-ready form of a report (schema in docs/report-schema.md)."""
    from checker.clusters import cluster_timelines, cluster_to_dict
    from checker.findings import finding_to_dict

    counts = Counter(s.doc for s in report.statements)
    by_id = {a.id: a for a in report.articles}
    statements_by_id = {s.id: s for s in report.statements}
    verdicts: Counter[str] = Counter(p.verdict for p in report.pairs)
    types = Counter(f.type for f in report.findings.values() if f.type)
    adjusted = Counter(f.adjust for f in report.findings.values() if f.adjust)
    timelines = cluster_timelines(report)
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "corpus": corpus,
        "settings": {
            "nli_model": report.settings.nli_model,
            "embed_model": report.settings.embed_model,
            "top_k": report.settings.top_k,
            "min_sim": report.settings.min_sim,
            "contradiction_threshold": report.settings.contradiction_threshold,
            "entailment_threshold": report.settings.entailment_threshold,
            "nli_backend": report.settings.nli_backend,
        },
        "summary": {
            "documents": len(report.articles),
            "statements": len(report.statements),
            "pairs": len(report.pairs),
            "verdicts": {v: verdicts.get(v, 0) for v in VERDICTS},
            "finding_types": dict(sorted(types.items())),
            "adjusted": {"raised": adjusted.get("raise", 0), "lowered": adjusted.get("lower", 0)},
            "clusters": len(report.clusters),
            "conflicting_clusters": sum(c.has_conflict for c in report.clusters),
        },
        "documents": [
            {
                "id": a.id,
                "path": a.path,
                "title": a.title,
                "outlet": a.outlet,
                "date": a.date,
                "published": report.published[a.id].iso if a.id in report.published else None,
                "published_source": report.published[a.id].source if a.id in report.published else None,
                "url": a.url,
                "statement_count": counts.get(a.id, 0),
                "removed_lines": a.removed_lines,
            }
            for a in report.articles
        ],
        "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
        "statements": [
            {
                "id": s.id,
                "doc": s.doc,
                "text": s.text,
                "start": s.start,
                "end": s.end,
                "headline": s.is_headline,
                "sentence": s.sentence,
            }
            for s in report.statements
        ],
        "pairs": [
            {
                "id": lp.id,
                "a": lp.pair.a.id,
                "b": lp.pair.b.id,
                "a_doc": lp.pair.a.doc,
                "b_doc": lp.pair.b.doc,
                "a_outlet": by_id[lp.pair.a.doc].outlet,
                "b_outlet": by_id[lp.pair.b.doc].outlet,
                "a_text": lp.pair.a.text,
                "b_text": lp.pair.b.text,
                "similarity": lp.pair.similarity,
                "a_to_b": {
                    "entailment": lp.a_to_b.entailment,
                    "neutral": lp.a_to_b.neutral,
                    "contradiction": lp.a_to_b.contradiction,
                },
                "b_to_a": {
                    "entailment": lp.b_to_a.entailment,
                    "neutral": lp.b_to_a.neutral,
                    "contradiction": lp.b_to_a.contradiction,
                },
                "verdict": lp.verdict,
                "nli_verdict": report.nli_verdicts.get(lp.id, lp.verdict),
                "score": lp.score,
                "evidence": lp.evidence,
                "long_input": lp.long_input,
                "swap": None
                if lp.swap is None
                else {
                    "slots": list(lp.swap.slots),
                    "b_text": lp.swap.b_text,
                    "a_values": list(lp.swap.a_values),
                    "b_values": list(lp.swap.b_values),
                    "entailment": lp.swap.entailment,
                },
                "finding": finding_to_dict(report.findings[lp.id]) if lp.id in report.findings else None,
            }
            for lp in report.pairs
        ],
        "clusters": [cluster_to_dict(c, statements_by_id, timelines.get(c.id)) for c in report.clusters],
    }


def mark_review(data: dict, decisions: dict[str, dict], seen: set[str] | None) -> None:
    """Mark each pair's review status and count the contradictions per status.

    ``pair["review"]`` = ``{"status", "by", "at", "note"}``: ``dismissed`` / ``confirmed`` from
    ``decisions`` (pair id -> a :class:`checker.review.Decision` as a dict), else ``seen`` when
    the pair id is in ``seen``, else ``new``; with ``seen`` None a pair keeps the new/seen it
    was marked with (one reviewed before, its decision since undone, is ``seen``). ``pair["dismissed"]`` stays the dismissal's reason (schema 1.0) and
    ``summary.review`` counts the contradictions by status (schema 1.4).
    """
    counts = dict.fromkeys(("new", "seen", "dismissed", "confirmed"), 0)
    for p in data["pairs"]:
        d = decisions.get(p["id"])
        if d is not None:
            p["review"] = {"status": d["status"], "by": d["by"], "at": d["at"], "note": d["note"]}
        else:
            before = (p.get("review") or {}).get("status")
            was_seen = before in ("seen", "dismissed", "confirmed") if seen is None else p["id"] in seen
            p["review"] = {"status": "seen" if was_seen else "new", "by": None, "at": None, "note": None}
        p["dismissed"] = (p["review"]["note"] or "") if p["review"]["status"] == "dismissed" else None
        if p["verdict"] == "contradiction":
            counts[p["review"]["status"]] += 1
    data["summary"]["dismissed"] = sum(p["dismissed"] is not None for p in data["pairs"])
    data["summary"]["review"] = counts


def mark_dismissed(data: dict, dismissals: dict[str, str]) -> None:
    """Flag pairs a reviewer dismissed (``pair["dismissed"]`` = reason) and count them.

    Kept for scripts written before the review ledger; :func:`mark_review` marks every status."""
    n = 0
    for p in data["pairs"]:
        p["dismissed"] = dismissals.get(p["id"])
        n += p["dismissed"] is not None
    data["summary"]["dismissed"] = n


def write_report(data: dict, path: str | Path, overwrite: bool = False) -> Path:
    """Write the JSON report; an existing file is replaced only with ``overwrite``.

    Raises:
        InputError: the file exists and ``overwrite`` is False, or cannot be written.
    """
    out = Path(path)
    if out.exists() and not overwrite:
        raise InputError(f"{out} already exists; pass --force to overwrite it")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("w", encoding="utf-8") as fh:  # streamed: no second copy of the report as one string
            json.dump(data, fh, ensure_ascii=False, indent=1)
    except OSError as exc:
        raise InputError(f"cannot write report {out}: {exc.strerror}") from None
    return out


def load_report(path: str | Path) -> dict:
    """Read a report written by ``newscheck audit`` and check it against the schema.

    Raises:
        InputError: missing, unreadable, not JSON, not a newscheck report, or a field of the
            wrong shape (the first one is named; see :func:`validate_report`).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"report file does not exist: {path}")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputError(f"report file is not UTF-8 text: {path}") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"report file is not valid JSON ({exc.msg} at line {exc.lineno}): {path}") from None
    except RecursionError:
        raise InputError(f"report file is not valid JSON (nested too deeply): {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read report {path}: {exc.strerror}") from None
    check_report(data, path)
    return data
