"""Audit-level evaluation: plant known contradictions and count how many the audit finds.

Why built so: pair-level NLI accuracy does not say whether an *audit* surfaces the
conflicts a fact-checker cares about (pairing may miss them, verdicts may drown them in
false alarms). A doctored copy of one outlet with documented edits (number, date, role,
place, negation, attribution) is audited together with the real corpus; each edit should
appear as a contradiction pair between the doctored sentence and a statement of another
outlet. Everything else flagged as a contradiction is counted as well.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from checker.errors import InputError, LabeledDataError


@dataclass(frozen=True, slots=True)
class PlantedEdit:
    id: str
    kind: str
    original: str
    doctored: str


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def read_expected(path: str | Path) -> list[PlantedEdit]:
    """Planted edits, one JSON object per line with ``id``, ``kind``, ``original``, ``doctored``.

    Raises:
        InputError: missing or unreadable file. LabeledDataError: a line without those fields.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError(f"expected-edits file does not exist: {path}")
    edits = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
            edits.append(PlantedEdit(str(rec["id"]), str(rec.get("kind", "")), rec["original"], rec["doctored"]))
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise LabeledDataError(f"{path} line {n}: needs id, original, doctored ({exc})") from None
    if not edits:
        raise LabeledDataError(f"no planted edits in {path}")
    return edits


def _overlaps(statement: str, sentence: str) -> bool:
    a, b = _norm(statement), _norm(sentence)
    return a in b or b in a


def score_planted(report: dict, edits: list[PlantedEdit], doctored_doc: str) -> dict:
    """How many planted edits the audit flagged, and what else it flagged.

    An edit is found when some contradiction pair joins a statement of the doctored document
    that overlaps the doctored sentence with a statement of another document.

    Returns:
        ``{"expected", "found", "recall", "per_edit": [...], "other_contradictions_doctored",
        "contradictions_between_real_outlets"}``.
    """
    contra = [p for p in report["pairs"] if p["verdict"] == "contradiction"]
    per_edit: list[dict] = []
    matched_pairs: set[str] = set()
    for e in edits:
        hits = []
        for p in contra:
            for side, other in (("a", "b"), ("b", "a")):
                if (
                    p[f"{side}_doc"] == doctored_doc
                    and p[f"{other}_doc"] != doctored_doc
                    and _overlaps(p[f"{side}_text"], e.doctored)
                ):
                    hits.append(p)
        matched_pairs.update(p["id"] for p in hits)
        per_edit.append(
            {
                "id": e.id,
                "kind": e.kind,
                "found": bool(hits),
                "pairs": [p["id"] for p in hits],
                "best_score": max((p["score"] for p in hits), default=None),
            }
        )
    found = sum(r["found"] for r in per_edit)
    other_doctored = [p for p in contra if doctored_doc in (p["a_doc"], p["b_doc"]) and p["id"] not in matched_pairs]
    real = [p for p in contra if doctored_doc not in (p["a_doc"], p["b_doc"])]
    return {
        "expected": len(edits),
        "found": found,
        "recall": round(found / len(edits), 4),
        "per_edit": per_edit,
        "other_contradictions_doctored": len(other_doctored),
        "contradictions_between_real_outlets": len(real),
    }


def audit_stories(stories, nli, embedder, thresholds, progress=None, reports_dir: Path | None = None) -> list[dict]:
    """Audit each story (its outlet documents only, copied to a temporary folder so the truth
    file is never read as an article) and score it. Models are loaded once by the caller.

    Args:
        reports_dir: when given, each story's full report is written there as ``<story>.json``.
    """
    import shutil
    import tempfile

    from checker.ingest import ingest_folder
    from checker.pipeline import audit as run_audit
    from checker.report import report_to_dict
    from checker.stories import score_story

    results = []
    for story in stories:
        with tempfile.TemporaryDirectory(prefix="newscheck-story-") as tmp:
            for doc in story.documents:
                shutil.copy2(doc, Path(tmp) / doc.name)
            rep = run_audit(ingest_folder(tmp), nli, embedder, thresholds, progress=progress)
            data = report_to_dict(rep, corpus=str(story.path))
        if reports_dir is not None:
            reports_dir.mkdir(parents=True, exist_ok=True)
            (reports_dir / f"{story.split}-{story.name}.json").write_text(json.dumps(data, indent=1), encoding="utf-8")
        results.append(score_story(data, story))
    return results


def render_story_summary(console, title: str, summary: dict) -> None:
    """The benchmark figures of one split as a terminal table."""
    from rich.table import Table

    def pct(x) -> str:
        return "—" if x is None else f"{x:.2f}"

    c = summary["conflicts"]
    table = Table(title=title, show_header=True)
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_row("stories / pairs", f"{summary['stories']} / {summary['pairs']}")
    table.add_row("conflict recall", f"{pct(c['recall'])} ({c['found']} of {c['planted']})")
    for t, r in c["by_type"].items():
        table.add_row(f"  {t}", f"{pct(r['recall'])} ({r['found']} of {r['planted']})")
    table.add_row(
        "contradiction precision",
        f"{pct(summary['precision'])} "
        f"({summary['contradictions'] - summary['false_alarms']} of {summary['contradictions']})",
    )
    table.add_row("false alarms per 100 pairs", f"{summary['false_alarms_per_100_pairs']}")
    a = summary["agreement"]
    table.add_row("agreement recall", f"{pct(a['recall'])} ({a['agreeing']} of {a['facts']}; {a['unpaired']} unpaired)")
    k = summary["compatible"]
    table.add_row("compatible pairs not contradicted", f"{pct(k['rate'])} ({k['not_contradicted']} of {k['pairs']})")
    for name, n in summary["conflict_free_stories"].items():
        table.add_row(f"contradictions in conflict-free {name}", str(n))
    u = summary["updates"]
    if u["planted"]:
        verdicts = ", ".join(f"{v} {n}" for v, n in sorted(u["verdicts"].items())) or "unpaired"
        table.add_row("updates labelled `updated`", f"{u['labelled_updated']} of {u['planted']} ({verdicts})")
        table.add_row(
            "fixed-fact conflicts in stories with updates",
            f"{pct(u['fixed_recall'])} ({u['fixed_conflicts_found']} of {u['fixed_conflicts']})",
        )
    f = summary.get("fnc1")
    if f:
        table.add_row(
            "FNC-1: disagree articles contradicting the claim",
            f"{pct(f['disagree_contradicted'])} of {f['disagree_articles']}",
        )
        table.add_row(
            "FNC-1: agree articles contradicting the claim", f"{pct(f['agree_contradicted'])} of {f['agree_articles']}"
        )
    console.print(table)


def audit_doctored(
    corpus: str | Path, doctored: str | Path, nli, embedder, thresholds, progress=None
) -> tuple[dict, str]:
    """Audit ``corpus`` plus one doctored outlet; returns the report (as JSON data) and the
    doctored document's id. The files are copied to a temporary folder: the user's folders
    are never touched."""
    import shutil
    import tempfile

    from checker.ingest import ingest_folder
    from checker.pipeline import audit as run_audit
    from checker.report import report_to_dict

    doctored = Path(doctored)
    if not doctored.is_file():
        raise InputError(f"doctored outlet does not exist: {doctored}")
    ingest_folder(corpus)  # fail early on a bad corpus
    with tempfile.TemporaryDirectory(prefix="newscheck-eval-audit-") as tmp:
        for f in Path(corpus).iterdir():
            if f.is_file() and not f.name.startswith("."):
                shutil.copy2(f, Path(tmp) / f.name)
        target = Path(tmp) / f"zz_doctored_{doctored.name}"
        shutil.copy2(doctored, target)
        ingested = ingest_folder(tmp)
        rep = run_audit(ingested, nli, embedder, thresholds, progress=progress)
        data = report_to_dict(rep, corpus=str(corpus))
        doc_id = next(a.id for a in ingested.articles if Path(a.path).name == target.name)
    return data, doc_id
