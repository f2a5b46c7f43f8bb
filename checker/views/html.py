"""One self-contained HTML page for reviewing an audit (no network, no external files).

Why built so: a reviewer wants to scroll a story's facts, open each conflict side by side and
filter by verdict, finding type, outlet, confidence or text, hiding what was already
dismissed, on any machine and offline. The page embeds its filter choices as JSON and filters
with a few lines of inline JavaScript; the differing words are computed here (the same word
diff as ``newscheck inspect``) so the page needs no library.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from checker.errors import InputError
from checker.views.diff import highlight, word_diff
from checker.views.facts import fact_lines

# Inside <script>, "<!--", "<script" and "</script" change how the page is parsed, and
# U+2028/U+2029 end a line in older JavaScript: all are written as \u escapes in the JSON.
_JSON_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in "<>&\u2028\u2029"}


def script_json(value) -> str:
    """``value`` as JSON safe to embed in a ``<script>`` element (parses to the same value)."""
    return json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPES)


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:14px 22px}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;opacity:.8}
#filters{position:sticky;top:0;background:#fff;border-bottom:1px solid #dde;padding:10px 22px;z-index:2}
#filters label{margin-right:14px;white-space:nowrap}select,input{font:inherit}#f-search{width:16em}
main{padding:12px 22px}
.cluster{background:#fff;border:1px solid #dde;border-radius:8px;margin:12px 0;padding:10px 14px}
.cluster.conflict{border-left:5px solid #c62828}
.cluster h2{font-size:15px;margin:4px 0 8px}
.status{font-size:13px;color:#556}.status b{color:#1d2430}
.fact{font-size:13px;color:#1d2430;font-style:italic;margin-top:3px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:10px;border-top:1px solid #eef;padding:8px 0}
.pair .meta{grid-column:1/3;font-size:12px;color:#556}
.side{background:#fafbfc;border-radius:6px;padding:8px}.side .who{font-size:12px;color:#556;margin-bottom:4px}
mark{background:#ffe08a;padding:0 1px;border-radius:2px}
.v-contradiction{color:#c62828;font-weight:600}.v-agree{color:#2e7d32}.v-a_adds,.v-b_adds{color:#00838f}
.v-neutral{color:#777}.hidden{display:none}
"""

_JS = """
const data = JSON.parse(document.getElementById('data').textContent);
const sel = id => document.getElementById(id);
function fill(id, values){const s=sel(id);for(const v of values){const o=document.createElement('option');o.value=v;o.textContent=v;s.appendChild(o);}}
fill('f-verdict', data.verdicts); fill('f-type', data.types); fill('f-outlet', data.outlets);
function apply(){
  const v=sel('f-verdict').value, t=sel('f-type').value, o=sel('f-outlet').value;
  const q=sel('f-search').value.trim().toLowerCase(), min=parseFloat(sel('f-score').value)||0;
  const hide=sel('f-hide-dismissed').checked;
  sel('f-score-value').textContent=min.toFixed(2);
  let shown=0;
  for(const el of document.querySelectorAll('.pair')){
    const ok=(!v||el.dataset.verdict===v)&&(!t||el.dataset.type===t)&&(!o||el.dataset.outlets.split('|').includes(o))
      &&parseFloat(el.dataset.score)>=min&&!(hide&&el.dataset.dismissed==='1')
      &&(!q||el.textContent.toLowerCase().includes(q));
    el.classList.toggle('hidden',!ok); if(ok) shown++;
  }
  for(const c of document.querySelectorAll('.cluster')){
    const any=c.querySelectorAll('.pair:not(.hidden)').length>0;
    const plain=!v&&!t&&!min&&(!o||c.dataset.outlets.split('|').includes(o))
      &&(!q||c.querySelector('h2').textContent.toLowerCase().includes(q));
    c.classList.toggle('hidden',!(any||plain));
  }
  sel('count').textContent=shown+' pairs shown';
}
for(const id of ['f-verdict','f-type','f-outlet','f-hide-dismissed']) sel(id).addEventListener('change',apply);
for(const id of ['f-search','f-score']) sel(id).addEventListener('input',apply);
apply();
"""


def _marked(text: str, other: str, finding_spans=None) -> str:
    spans = [(a, b, True) for a, b in finding_spans] if finding_spans else word_diff(text, other)[0]
    pieces = highlight(text, spans, lambda t: ("mark", t))
    return "".join(f"<mark>{html.escape(p[1])}</mark>" if isinstance(p, tuple) else html.escape(p) for p in pieces)


def _pair_html(p: dict) -> str:
    finding = p.get("finding") or {}
    ftype = finding.get("type") or ""
    ab, ba = p["a_to_b"], p["b_to_a"]
    verdict = html.escape(p["verdict"])
    dismissed = bool(p.get("dismissed")) or (p.get("review") or {}).get("status") == "dismissed"
    meta = (
        f'<span class="v-{verdict}">{verdict}</span> · score {p["score"]:.2f} · '
        f"similarity {p['similarity']:.2f}"
        + (f" · type <b>{html.escape(ftype)}</b>" if ftype else "")
        + (f" · {html.escape(finding.get('evidence', ''))}" if finding.get("evidence") else "")
        + (f" · dismissed: {html.escape(p['dismissed'])}" if p.get("dismissed") else "")
        + f" · pair {html.escape(p['id'])}"
    )
    return (
        f'<div class="pair" data-verdict="{verdict}" data-type="{html.escape(ftype)}" '
        f'data-score="{p["score"]:.4f}" data-dismissed="{int(dismissed)}" '
        f'data-outlets="{html.escape(p["a_outlet"])}|{html.escape(p["b_outlet"])}">'
        f'<div class="meta">{meta}</div>'
        f'<div class="side"><div class="who">{html.escape(p["a_outlet"])} · A→B e {ab["entailment"]:.2f} '
        f"c {ab['contradiction']:.2f}</div>{_marked(p['a_text'], p['b_text'], finding.get('a_spans'))}</div>"
        f'<div class="side"><div class="who">{html.escape(p["b_outlet"])} · B→A e {ba["entailment"]:.2f} '
        f"c {ba['contradiction']:.2f}</div>{_marked(p['b_text'], p['a_text'], finding.get('b_spans'))}</div></div>"
    )


def render_html(data: dict) -> str:
    """The review page for a report dict (as written by ``newscheck audit``)."""
    pairs = {p["id"]: p for p in data["pairs"]}
    statements = {s["id"]: s for s in data["statements"]}
    docs = {d["id"]: d for d in data["documents"]}
    clusters = data.get("clusters") or []
    in_cluster: set[str] = set()
    blocks = []
    for c in clusters:
        cpairs = [pairs[i] for i in c.get("pairs", []) if i in pairs]
        in_cluster.update(p["id"] for p in cpairs)
        rep = statements.get(c.get("representative"), {}).get("text", "")
        status = " · ".join(
            f"<b>{html.escape(docs[d]['outlet'])}</b>: {html.escape(s)}"
            for d, s in c.get("status", {}).items()
            if d in docs
        )
        outlets = "|".join(docs[d]["outlet"] for d in c.get("docs", []) if d in docs)
        blocks.append(
            f'<section class="cluster{" conflict" if c.get("has_conflict") else ""}" '
            f'data-outlets="{html.escape(outlets)}"><h2>{html.escape(rep)}</h2>'
            f'<div class="status">{status}</div>'
            + "".join(f'<div class="fact">{html.escape(line)}</div>' for line in fact_lines(c, docs, pairs))
            + "".join(_pair_html(p) for p in sorted(cpairs, key=lambda p: -p["score"]))
            + "</section>"
        )
    rest = sorted(
        (p for p in data["pairs"] if p["id"] not in in_cluster),
        key=lambda p: (p["verdict"] != "contradiction", -p["score"]),
    )
    if rest:
        blocks.append(
            '<section class="cluster" data-outlets=""><h2>Other pairs</h2>'
            + "".join(_pair_html(p) for p in rest)
            + "</section>"
        )
    s = data["summary"]
    meta = {
        "verdicts": list(s["verdicts"]),
        "types": sorted({str(t) for p in data["pairs"] if (t := (p.get("finding") or {}).get("type"))}),
        "outlets": sorted({d["outlet"] for d in data["documents"]}),
    }
    counts = ", ".join(f"{n} {v}" for v, n in s["verdicts"].items())
    embedded = script_json(meta)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>newscheck audit · {html.escape(str(data.get("corpus")))}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>{_CSS}</style></head>
<body><header><h1>newscheck audit · {html.escape(str(data.get("corpus")))}</h1>
<p>{s["documents"]} documents · {s["statements"]} statements · {s["pairs"]} pairs ({counts}) · {len(clusters)} fact clusters</p></header>
<div id="filters"><label>verdict <select id="f-verdict"><option value="">all</option></select></label>
<label>type <select id="f-type"><option value="">all</option></select></label>
<label>outlet <select id="f-outlet"><option value="">all</option></select></label>
<label>search <input id="f-search" type="search" placeholder="words in either statement"></label>
<label>confidence ≥ <input id="f-score" type="range" min="0" max="1" step="0.05" value="0"> <span id="f-score-value">0.00</span></label>
<label><input id="f-hide-dismissed" type="checkbox"> hide dismissed</label> <span id="count"></span></div>
<main>{"".join(blocks)}</main>
<script id="data" type="application/json">{embedded}</script>
<script>{_JS}</script></body></html>
"""


def write_html(data: dict, path: str | Path, overwrite: bool = False) -> Path:
    """Write the review page of a report dict.

    Raises:
        InputError: the file exists and ``overwrite`` is False, or it cannot be written.
    """
    out = Path(path)
    if out.exists() and not overwrite:
        raise InputError(f"{out} already exists; pass --force to overwrite it")
    page = render_html(data)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    return out
