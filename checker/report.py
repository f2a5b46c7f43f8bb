"""Report: a :class:`Report` -> versioned JSON, a terminal summary, and side-by-side views.

Why built so: the JSON report is the contract with scripts and with ``newscheck inspect``,
so it is flat, versioned (``schema_version``) and documented in ``docs/report-schema.md``;
the terminal views are built from that same JSON, so inspecting a saved report shows
exactly what the audit printed.
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from checker.errors import InputError
from checker.types import VERDICTS, Report

SCHEMA = "newscheck.report"
SCHEMA_VERSION = "1.3"


def report_to_dict(report: Report, corpus: str | None = None) -> dict:
    """The JSON-ready form of a report (schema in docs/report-schema.md)."""
    from checker.clusters import cluster_to_dict
    from checker.findings import finding_to_dict

    counts = Counter(s.doc for s in report.statements)
    by_id = {a.id: a for a in report.articles}
    statements_by_id = {s.id: s for s in report.statements}
    verdicts = Counter(p.verdict for p in report.pairs)
    types = Counter(f.type for f in report.findings.values() if f.type)
    adjusted = Counter(f.adjust for f in report.findings.values() if f.adjust)
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
                "finding": finding_to_dict(report.findings[lp.id]) if lp.id in report.findings else None,
            }
            for lp in report.pairs
        ],
        "clusters": [cluster_to_dict(c, statements_by_id) for c in report.clusters],
    }


def mark_dismissed(data: dict, dismissals: dict[str, str]) -> None:
    """Flag pairs a reviewer dismissed (``pair["dismissed"]`` = reason) and count them."""
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
        out.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
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
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(f"not a newscheck report (no schema '{SCHEMA}'): {path}")
    major = str(data.get("schema_version", "0")).split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise InputError(
            f"report schema version {data.get('schema_version')} is not supported "
            f"(this newscheck reads {SCHEMA_VERSION})"
        )
    problem = validate_report(data)
    if problem:
        raise InputError(f"report {path} does not match the report schema (docs/report-schema.md): {problem}")
    return data


# The documented schema (docs/report-schema.md) as data. A key ending in "?" may be absent
# (fields added after 1.0); "a|b" allows either type; (None, spec) is spec or null; [spec]
# is a list of spec. Fields not named here are allowed (a MINOR version may add them).
_PROBS = {"entailment": "num", "neutral": "num", "contradiction": "num"}
_REPORT_SPEC: dict = {
    "created": "str|null",
    "corpus": "str|null",
    "settings": "obj",
    "summary": {
        "documents": "int",
        "statements": "int",
        "pairs": "int",
        "verdicts": "verdict_counts",
        "finding_types?": "obj",
        "adjusted?": {"raised": "int", "lowered": "int"},
        "clusters?": "int",
        "conflicting_clusters?": "int",
        "dismissed?": "int",
    },
    "documents": [
        {
            "id": "str",
            "path": "str",
            "title": "str|null",
            "outlet": "str",
            "date": "str|null",
            "url": "str|null",
            "statement_count": "int",
            "removed_lines": "int",
        }
    ],
    "skipped": [{"path": "str", "reason": "str"}],
    "statements": [{"id": "str", "doc": "str", "text": "str", "start": "int", "end": "int", "headline": "bool"}],
    "pairs": [
        {
            **{k: "str" for k in ("id", "a", "b", "a_doc", "b_doc", "a_outlet", "b_outlet", "a_text", "b_text")},
            "similarity": "num",
            "a_to_b": _PROBS,
            "b_to_a": _PROBS,
            "verdict": "verdict",
            "score": "num",
            "evidence": "str",
            "nli_verdict?": "verdict",
            "finding?": (
                None,
                {"type?": "str|null", "evidence?": "str|null", "a_spans?": ["span"], "b_spans?": ["span"]},
            ),
            "dismissed?": "str|null",
        }
    ],
    "clusters?": [
        {
            "id": "str",
            "representative": "str",
            "representative_text?": "str",
            "statements": ["str"],
            "docs": ["str"],
            "status": "obj",
            "absent_docs?": ["str"],
            "has_conflict": "bool",
            "pairs": ["str"],
        }
    ],
}
_JSON_TYPES = {dict: "object", list: "list", str: "string", bool: "boolean", int: "integer", float: "number"}


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_TOKENS: dict[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str),
    "int": _is_int,
    "num": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "obj": lambda v: isinstance(v, dict),
    "verdict": lambda v: v in VERDICTS,
    "verdict_counts": lambda v: isinstance(v, dict) and all(k in VERDICTS and _is_int(n) for k, n in v.items()),
    "span": lambda v: isinstance(v, list) and len(v) == 2 and all(_is_int(x) for x in v),
}
_TOKEN_NAMES = {
    "str": "a string",
    "int": "an integer",
    "num": "a number",
    "bool": "true or false",
    "null": "null",
    "obj": "an object",
    "verdict": f"one of {', '.join(VERDICTS)}",
    "verdict_counts": f"an object of counts keyed by {', '.join(VERDICTS)}",
    "span": "a [start, end] pair of integers",
}


def _problem(value, spec, where: str) -> str | None:
    """What is wrong with ``value`` at ``where`` against ``spec``, or None."""
    if isinstance(spec, tuple):  # (None, spec): null or spec
        return None if value is None else _problem(value, spec[1], where)
    if isinstance(spec, str):
        tokens = spec.split("|")
        if any(_TOKENS[t](value) for t in tokens):
            return None
        got = repr(value) if isinstance(value, str) and len(value) < 40 else _JSON_TYPES.get(type(value), "null")
        return f"{where} must be {' or '.join(_TOKEN_NAMES[t] for t in tokens)}, got {got}"
    if isinstance(spec, list):
        if not isinstance(value, list):
            return f"{where} must be a list, got {_JSON_TYPES.get(type(value), 'null')}"
        return next((p for i, v in enumerate(value) if (p := _problem(v, spec[0], f"{where}[{i}]"))), None)
    if not isinstance(value, dict):
        return f"{where} must be an object, got {_JSON_TYPES.get(type(value), 'null')}"
    for key, sub in spec.items():
        name, optional = key.rstrip("?"), key.endswith("?")
        path = f"{where}.{name}" if where else name
        if name not in value:
            if optional:
                continue
            return f"{path} is missing"
        if problem := _problem(value[name], sub, path):
            return problem
    return None


def validate_report(data: dict) -> str | None:
    """The first field of a report (below ``schema``/``schema_version``) that does not match
    the documented schema, as "pairs[3].verdict is missing", or None when all match."""
    return _problem(data, _REPORT_SPEC, "")


_TOKEN = re.compile(r"\w+(?:[’'.,-]\w+)*|[^\w\s]")


def word_diff(a: str, b: str) -> tuple[list[tuple[int, int, bool]], list[tuple[int, int, bool]]]:
    """Word spans ``(start, end, differs)`` of ``a`` and ``b``; ``differs`` is True for a word
    outside the longest common word sequence of the two texts."""
    ma, mb = list(_TOKEN.finditer(a)), list(_TOKEN.finditer(b))
    sm = difflib.SequenceMatcher(a=[m.group(0).lower() for m in ma], b=[m.group(0).lower() for m in mb], autojunk=False)
    fa = [True] * len(ma)
    fb = [True] * len(mb)
    for block in sm.get_matching_blocks():
        for k in range(block.size):
            fa[block.a + k] = False
            fb[block.b + k] = False
    return ([(m.start(), m.end(), f) for m, f in zip(ma, fa)], [(m.start(), m.end(), f) for m, f in zip(mb, fb)])


def highlight(text: str, spans: list[tuple[int, int, bool]], mark) -> list:
    """Pieces of ``text`` in order, differing spans passed through ``mark`` (adjacent ones merged)."""
    pieces, pos, i = [], 0, 0
    while i < len(spans):
        start, end, differs = spans[i]
        if not differs:
            i += 1
            continue
        while i + 1 < len(spans) and spans[i + 1][2] and text[end : spans[i + 1][0]].strip() == "":
            i += 1
            end = spans[i][1]
        pieces.append(text[pos:start])
        pieces.append(mark(text[start:end]))
        pos = end
        i += 1
    pieces.append(text[pos:])
    return pieces


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


def filter_pairs(
    data: dict,
    verdict: str | None = None,
    doc: str | None = None,
    min_score: float | None = None,
    limit: int | None = None,
    finding_type: str | None = None,
) -> list[dict]:
    """Pairs of a report matching the filters: rule-decided contradictions, then by score.

    ``doc`` matches a document id, an outlet name or a file name (case-insensitive substring);
    ``finding_type`` a typed finding ("number", "role/title", ...).
    """
    docs = {d["id"]: d for d in data.get("documents", [])}

    def doc_matches(doc_id: str) -> bool:
        d = docs.get(doc_id, {})
        needle = doc.lower()
        return any(needle in str(v).lower() for v in (doc_id, d.get("outlet"), Path(d.get("path", "")).name))

    rows = [
        p
        for p in data.get("pairs", [])
        if (verdict is None or p["verdict"] == verdict)
        and (doc is None or doc_matches(p["a_doc"]) or doc_matches(p["b_doc"]))
        and (min_score is None or p["score"] >= min_score)
        and (finding_type is None or (p.get("finding") or {}).get("type") == finding_type)
    ]
    # Contradictions a deterministic check decided (a role, a number) come first: their NLI
    # score is low by construction, yet they are the most certain conflicts.
    rows.sort(
        key=lambda p: (
            not (p["verdict"] == "contradiction" and str(p.get("evidence", "")).startswith("rule:")),
            -p["score"],
            p["id"],
        )
    )
    return rows[:limit] if limit else rows


def render_pairs(console, pairs: list[dict]) -> None:
    """Each pair side by side, words that differ highlighted."""
    from rich.markup import escape
    from rich.table import Table

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


def render_summary(console, data: dict, top: int = 5) -> None:
    """Counts per verdict and per outlet, then the strongest contradictions."""
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    s = data["summary"]
    console.print(
        f"[bold]newscheck audit[/] · {s['documents']} documents · {s['statements']} statements · {s['pairs']} pairs"
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
                stance.append("silent: " + ", ".join(absent), style="dim")
            ct.add_row(Text(c.get("representative_text", c["representative"])), stance)
        console.print(ct)
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
    if s.get("dismissed"):
        console.print(f"{s['dismissed']} reviewed pair(s) dismissed (see `newscheck inspect`).")
    if not open_contradictions:
        console.print("No contradictions found.")
    elif top > 0:
        console.print(
            f"[bold]Strongest contradictions[/] (top {min(top, len(open_contradictions))} of "
            f"{len(open_contradictions)}; `newscheck inspect REPORT` shows all)"
        )
        render_pairs(console, open_contradictions[:top])
    else:
        console.print(f"{len(open_contradictions)} contradictions (`newscheck inspect REPORT` shows them).")
