"""Terminal views of a report: the audit summary, pairs side by side, and pair selection.

Why built so: the views are built from the JSON report (not from the in-memory
:class:`~checker.types.Report`), so inspecting a saved report shows exactly what the audit
printed. Rich is imported inside the functions, so importing this module costs nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from checker.views.diff import highlight, word_diff
from checker.views.facts import clusters_by_pair, fact_lines, outlier_text, timeline_text, values_change


def _rich_diff(text: str, spans, style: str):
    from rich.text import Text

    out = Text()
    for piece in highlight(text, spans, lambda t: (t,)):
        if isinstance(piece, tuple):
            out.append(piece[0], style=style)
        else:
            out.append(piece)
    return out


_VERDICT_STYLE = {
    "contradiction": "bold red",
    "updated": "yellow",
    "agree": "green",
    "a_adds": "cyan",
    "b_adds": "cyan",
    "neutral": "dim",
}


def matching_docs(data: dict, doc: str) -> set[str]:
    """Ids of the report's documents whose id, outlet name or file name contains ``doc``
    (case-insensitive)."""
    needle = doc.lower()
    return {
        d["id"]
        for d in data.get("documents", [])
        if any(needle in str(v).lower() for v in (d["id"], d.get("outlet"), Path(d.get("path", "")).name))
    }


def filter_pairs(
    data: dict,
    verdict: str | None = None,
    doc: str | None = None,
    min_score: float | None = None,
    limit: int | None = None,
    finding_type: str | None = None,
) -> list[dict]:
    """Pairs of a report matching the filters, strongest (highest score) first.

    ``doc`` matches a document id, an outlet name or a file name (case-insensitive substring,
    see :func:`matching_docs`); ``finding_type`` a typed finding ("number", "role/title", ...).
    """
    docs = matching_docs(data, doc) if doc is not None else set()
    rows = [
        p
        for p in data.get("pairs", [])
        if (verdict is None or p["verdict"] == verdict)
        and (doc is None or p["a_doc"] in docs or p["b_doc"] in docs)
        and (min_score is None or p["score"] >= min_score)
        and (finding_type is None or (p.get("finding") or {}).get("type") == finding_type)
    ]
    # the score is the calibrated confidence of the verdict (decision 0006), whatever decided it
    rows.sort(key=lambda p: (-p["score"], p["id"]))
    return rows[:limit] if limit else rows


def render_pairs(console, pairs: list[dict], data: dict | None = None) -> None:
    """Each pair side by side, words that differ highlighted; with the report ``data``, the
    outlier and timeline of the pair's fact cluster under it."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    cluster_of = clusters_by_pair(data) if data is not None else {}
    docs = {d["id"]: d for d in (data or {}).get("documents", [])}
    pairs_by_id = {p["id"]: p for p in (data or {}).get("pairs", [])}
    for p in pairs:
        da, db = word_diff(p["a_text"], p["b_text"])
        finding = p.get("finding") or {}
        if finding.get("a_spans") or finding.get("b_spans"):  # a typed check names the differing spans
            da = [(a, b, True) for a, b in finding.get("a_spans", [])]
            db = [(a, b, True) for a, b in finding.get("b_spans", [])]
        t = Table(
            show_header=True,
            header_style="bold",
            expand=True,
            show_lines=False,
            title=f"[{_VERDICT_STYLE.get(p['verdict'], '')}]{p['verdict']}[/] score {p['score']:.2f} "
            f"· sim {p['similarity']:.2f} · pair {p['id']}"
            + (f" · type {p['finding']['type']}" if p.get("finding") and p["finding"].get("type") else "")
            + (f" · [italic]dismissed: {escape(p['dismissed'])}[/]" if p.get("dismissed") else ""),
            title_justify="left",
        )
        t.add_column(f"A · {escape(p.get('a_outlet', p['a_doc']))}", ratio=1)
        t.add_column(f"B · {escape(p.get('b_outlet', p['b_doc']))}", ratio=1)
        t.add_row(_rich_diff(p["a_text"], da, "bold yellow"), _rich_diff(p["b_text"], db, "bold yellow"))
        ab, ba = p["a_to_b"], p["b_to_a"]
        if p.get("finding") and p["finding"].get("evidence"):
            t.add_row(
                f"[italic]{escape(p['finding']['evidence'])}[/]", f"[dim]evidence: {escape(str(p.get('evidence')))}[/]"
            )
        t.add_row(
            f"A→B  e {ab['entailment']:.2f}  n {ab['neutral']:.2f}  c {ab['contradiction']:.2f}",
            f"B→A  e {ba['entailment']:.2f}  n {ba['neutral']:.2f}  c {ba['contradiction']:.2f}",
            style="dim",
        )
        console.print(t)
        if p["id"] in cluster_of:
            for line in fact_lines(cluster_of[p["id"]], docs, pairs_by_id):
                console.print(Text(f"  fact {cluster_of[p['id']]['id']} · {line}", style="italic"))


def render_summary(console, data: dict, top: int = 5) -> None:
    """Counts per verdict and per outlet, then the strongest contradictions."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    s = data["summary"]
    console.print(
        f"[bold]newscheck audit[/] · {s['documents']} documents · {s['statements']} statements · {s['pairs']} pairs"
    )
    if review := s.get("review"):  # with a store: what is new since the earlier audits (checker/review.py)
        console.print(
            f"Contradictions: [bold]{review['new']} new[/], {review['seen']} seen, {review['dismissed']} dismissed"
            + (f", {review['confirmed']} confirmed" if review.get("confirmed") else "")
        )
    for item in data.get("skipped", []):
        console.print(f"[yellow]skipped[/] {escape(item['path'])}: {escape(item['reason'])}")
    docs = {d["id"]: d for d in data["documents"]}
    conflicting = [c for c in data.get("clusters", []) if c["has_conflict"]]
    if conflicting and top > 0:
        ct = Table(
            title=f"Facts in conflict ({len(conflicting)} of {len(data.get('clusters', []))} fact clusters)",
            title_justify="left",
            show_lines=True,
            expand=True,
        )
        ct.add_column("fact (representative statement)", ratio=3)
        ct.add_column("where each outlet stands", ratio=2)
        for c in conflicting[:top]:
            stance = Text()
            for d, st in c["status"].items():
                if d in docs:
                    stance.append(f"{docs[d]['outlet']}: {st}\n", style="bold red" if st == "conflicts" else None)
            absent = [docs[d]["outlet"] for d in c.get("absent_docs", []) if d in docs]
            if absent:
                stance.append("silent: " + ", ".join(absent) + "\n", style="dim")
            if odd := outlier_text(c, docs):
                stance.append(odd, style="bold")
            stance.rstrip()
            ct.add_row(Text(c.get("representative_text", c["representative"])), stance)
        console.print(ct)
    pairs_by_id = {p["id"]: p for p in data["pairs"]}
    changing = [c for c in data.get("clusters", []) if c.get("timeline") and values_change(c, pairs_by_id)]
    if changing and top > 0:
        console.print(f"[bold]Evolving facts[/] ({len(changing)} whose figures change, in publication order)")
        for c in changing[:top]:
            console.print(Text(f"  {c.get('representative_text', c['representative'])}"))
            console.print(Text(f"    {timeline_text(c['timeline'])}", style="italic"))
    vt = Table(title="Verdicts", title_justify="left")
    vt.add_column("verdict")
    vt.add_column("pairs", justify="right")
    for v, n in s["verdicts"].items():
        vt.add_row(f"[{_VERDICT_STYLE.get(v, '')}]{v}[/]", str(n))
    console.print(vt)
    if s.get("finding_types"):
        console.print(
            "Typed findings: "
            + ", ".join(f"{t} {n}" for t, n in s["finding_types"].items())
            + f" · verdicts raised by rules {s['adjusted']['raised']}, lowered {s['adjusted']['lowered']}"
        )
    ot = Table(title="Outlets", title_justify="left")
    ot.add_column("outlet", no_wrap=True, overflow="ellipsis", max_width=18)
    for col in ("stmts", "pairs", "agree", "adds", "contra"):
        ot.add_column(col, justify="right", no_wrap=True, min_width=len(col))
    ot.add_column("title", no_wrap=True, overflow="ellipsis", max_width=20)
    for d in data["documents"]:
        mine = [p for p in data["pairs"] if d["id"] in (p["a_doc"], p["b_doc"])]
        c = Counter(p["verdict"] for p in mine)
        ot.add_row(
            Text(d["outlet"]),
            str(d["statement_count"]),
            str(len(mine)),
            str(c["agree"]),
            str(c["a_adds"] + c["b_adds"]),
            str(c["contradiction"]),
            Text(d["title"] or "—"),
        )
    console.print(ot)
    open_contradictions = [p for p in filter_pairs(data, verdict="contradiction") if not p.get("dismissed")]
    open_contradictions.sort(key=lambda p: (p.get("review") or {}).get("status") != "new")  # new first, stable
    if s.get("dismissed"):
        console.print(f"{s['dismissed']} reviewed pair(s) dismissed (see `newscheck inspect`).")
    if not open_contradictions:
        console.print("No contradictions found.")
    elif top > 0:
        console.print(
            f"[bold]Strongest contradictions[/] (top {min(top, len(open_contradictions))} of "
            f"{len(open_contradictions)}; `newscheck inspect REPORT --verdict contradiction "
            f"--limit {len(open_contradictions)}` shows all)"
        )
        render_pairs(console, open_contradictions[:top])
    else:
        console.print(
            f"{len(open_contradictions)} contradictions (`newscheck inspect REPORT --verdict contradiction` shows them)."
        )


def render_eval_results(console, results: Sequence[dict]) -> None:
    """One table per labeled file scored by ``newscheck eval``: per-class P/R/F1 and confusion,
    then the scores per value of the ``--by`` field."""
    from rich.markup import escape
    from rich.table import Table

    for res in results:
        title = f"{escape(str(res['file']))} · n={res['n']}"
        if res.get("mode") == "verdicts":
            title += f" · final verdicts scored on the {'verdict' if res['scored_on'] == 'verdict' else 'NLI label'}"
        title += f" · accuracy {res['accuracy']:.3f} · macro-F1 {res['macro_f1']:.3f}"
        if "ece" in res:
            auc = res["roc_auc_contradiction"]
            title += f" · ECE {res['ece']:.3f} · AUC(c) {auc if auc is None else round(auc, 3)}"
        t = Table(title=title, title_justify="left")
        labels = res["confusion"]["labels"]
        for col in ["label", "precision", "recall", "F1", "support", *[f"→{lab[:6]}" for lab in labels]]:
            t.add_column(col, justify="left" if col == "label" else "right")
        for lab, row in zip(labels, res["confusion"]["matrix"]):
            pc = res["per_class"][lab]
            t.add_row(
                lab,
                f"{pc['precision']:.3f}",
                f"{pc['recall']:.3f}",
                f"{pc['f1']:.3f}",
                str(pc["support"]),
                *map(str, row),
            )
        console.print(t)
        if res.get("model"):
            console.print(
                f"  model {escape(str(res['model']))} · backend {res.get('backend')}"
                + (f" · sha256 {res['model_hash'][:12]}" if res.get("model_hash") else "")
            )
        if res.get("verdicts"):
            console.print("  verdicts: " + ", ".join(f"{v} {n}" for v, n in sorted(res["verdicts"].items())))
        if res.get("tuned"):
            console.print(
                f"  tuned (T={res['tuned'].get('temperature')}, contradiction ≥ "
                f"{res['tuned'].get('contradiction_threshold')}): accuracy "
                f"{res['tuned']['accuracy']:.3f} · macro-F1 {res['tuned']['macro_f1']:.3f}"
            )
        if res.get("by"):
            bt = Table(title=f"by {escape(res['by']['field'])}", title_justify="left")
            for col in (res["by"]["field"], "n", "accuracy", *[f"R {lab[:6]}" for lab in labels]):
                bt.add_column(col, justify="left" if col == res["by"]["field"] else "right")
            for value, g in res["by"]["groups"].items():
                recalls = [
                    f"{g['per_class'][lab]['recall']:.2f}" if g["per_class"][lab]["support"] else "—" for lab in labels
                ]
                bt.add_row(escape(value), str(g["n"]), f"{g['accuracy']:.3f}", *recalls)
            console.print(bt)
        if res["skipped"]:
            console.print(f"  skipped rows: {res['skipped']}")
