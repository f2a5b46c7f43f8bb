"""Materialise a news archive from FNC-1 train (../shared/nli-data); nothing of FNC-1 is committed.

The archive is one folder of real articles from many stories mixed together, for
`newscheck stories` and `newscheck audit-archive`:

- every FNC-1 train article body of at most ``--max-body`` characters, as
  ``body-<id>.json`` (no title, no date: FNC-1 gives neither);
- FNC-1 headlines as one-line articles (``headline-<hash>.json``, like a wire alert),
  drawn with a fixed seed from the stories of the chosen bodies until the archive holds
  ``--articles`` articles that newscheck reads (a headline its cleaner drops is replaced).

Gold stories (``gold.json`` beside the folder, not in it): FNC-1 links each body to
headlines, as related (agree / disagree / discuss) or unrelated. A gold story is a connected
component of the graph whose nodes are bodies and headlines and whose edges are the
*related* links: two bodies are in one story when a chain of shared related headlines joins
them. Unrelated links are ignored (FNC-1 made them by pairing headlines with bodies of other
claims). On FNC-1 train this gives 191 stories over all 1,683 bodies and 1,648 headlines.

    python eval/make_archive.py [--data-dir ../shared/nli-data] [--out eval/archive] [--articles 2000]

Writes ``OUT/articles/`` (the archive) and ``OUT/gold.json`` (file name -> gold story).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
from pathlib import Path

from checker.ingest import ingest_folder

HERE = Path(__file__).resolve().parent


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def gold_components(rows: list[dict]) -> dict[tuple[str, str], str]:
    """("body", id) / ("headline", text) -> gold story id, from the related links only."""
    parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(x: tuple[str, str]) -> tuple[str, str]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        if r["orig_label"] != "unrelated":
            a, b = find(("body", r["premise_body_id"])), find(("headline", r["hypothesis"]))
            parent[a] = b
    roots = sorted({find(x) for x in parent})
    names = {root: f"gold-{i:03d}" for i, root in enumerate(roots)}
    return {x: names[find(x)] for x in parent}


def build(data_dir: Path, out: Path, n_articles: int, max_body: int, seed: int) -> tuple[int, int, int]:
    rows = _read(data_dir / "fnc1_train.jsonl.gz")
    bodies = {b["body_id"]: b["text"] for b in _read(data_dir / "fnc1_train_bodies.jsonl.gz")}
    gold = gold_components(rows)
    chosen = sorted((b for b, t in bodies.items() if len(t) <= max_body and ("body", b) in gold), key=int)
    if len(chosen) > n_articles:
        chosen = chosen[:n_articles]
    stories = {gold[("body", b)] for b in chosen}
    headlines = sorted({h for kind, h in gold if kind == "headline" and gold[(kind, h)] in stories})
    rng = random.Random(seed)
    pool = rng.sample(headlines, len(headlines))  # the seeded order headlines are taken in
    folder = out / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    truth: dict[str, str] = {}
    for b in chosen:
        name = f"body-{b}.json"
        doc = {"outlet": f"FNC-1 body {b}", "title": "", "date": None, "text": bodies[b]}
        (folder / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        truth[name] = gold[("body", b)]
    while True:
        # newscheck reads every file it can; the few it skips (a headline that is all page
        # furniture to its cleaner) are removed and replaced, so the archive is N readable articles
        for path, _ in ingest_folder(folder).skipped:
            Path(path).unlink()
            truth.pop(Path(path).name, None)
        missing = n_articles - len(truth)
        if missing <= 0 or not pool:
            break
        for h in pool[:missing]:
            key = hashlib.sha1(h.encode("utf-8")).hexdigest()[:10]
            name = f"headline-{key}.json"
            doc = {"outlet": f"FNC-1 headline {key}", "title": "", "date": None, "text": h}
            (folder / name).write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
            truth[name] = gold[("headline", h)]
        pool = pool[missing:]
    (out / "gold.json").write_text(
        json.dumps(
            {
                "source": "FNC-1 train (../shared/nli-data/fnc1_train*.jsonl.gz)",
                "gold": "connected components of bodies and headlines over related (agree/disagree/discuss) links",
                "files": truth,
            },
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    n_bodies = sum(name.startswith("body-") for name in truth)
    return n_bodies, len(truth) - n_bodies, len(set(truth.values()))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("../shared/nli-data"))
    ap.add_argument("--out", type=Path, default=HERE / "archive", help="folder to write (gitignored)")
    ap.add_argument("--articles", type=int, default=2000, help="articles in the archive (bodies, then headlines)")
    ap.add_argument("--max-body", type=int, default=3000, help="longest body taken, in characters")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    if not (args.data_dir / "fnc1_train.jsonl.gz").is_file():
        sys.exit(f"make_archive: no fnc1_train.jsonl.gz in {args.data_dir} (see ../shared/nli-data/README.md)")
    if (args.out / "articles").exists() and any((args.out / "articles").iterdir()):
        sys.exit(f"make_archive: {args.out / 'articles'} is not empty; remove it to build the archive anew")
    n_bodies, n_heads, n_gold = build(args.data_dir, args.out, args.articles, args.max_body, args.seed)
    print(
        f"wrote {n_bodies + n_heads} articles ({n_bodies} bodies, {n_heads} headlines) from {n_gold} gold stories "
        f"to {args.out / 'articles'}; gold stories in {args.out / 'gold.json'}"
    )


if __name__ == "__main__":
    main()
