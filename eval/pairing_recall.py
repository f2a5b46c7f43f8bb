"""Pairing recall on the labeled demo set: how many hand-labeled cross-outlet pairs the pairing
stage proposes for several (top-k, floor) settings. Used for docs/decisions/0003-pairing-defaults.md.

    python eval/pairing_recall.py

Importing this file does nothing: no model is loaded and no file is read until main() runs.
"""

import json
import re
from pathlib import Path

HERE = Path(__file__).resolve().parent


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def main() -> None:
    from checker.embed import load_embedder
    from checker.ingest import ingest_folder
    from checker.pair import pair_statements
    from checker.segment import segment_articles

    statements = segment_articles(ingest_folder(HERE.parent / "corpus").articles)
    vectors = load_embedder().encode([s.text for s in statements])
    with open(HERE / "demo_pairs.jsonl", encoding="utf-8") as fh:
        gold = [json.loads(line) for line in fh if line.strip()]

    def find(text: str) -> set[str]:
        t = norm(text)
        return {s.id for s in statements if t in norm(s.text) or norm(s.text) in t}

    gpairs = [(find(g["premise"]), find(g["hypothesis"]), g["label"]) for g in gold]
    print("unmatched", sum(1 for a, b, _ in gpairs if not a or not b))
    for k in (3, 5, 8, 10):
        for ms in (0.3, 0.4, 0.5, 0.6):
            ps = pair_statements(statements, vectors, k, ms)
            keys = {frozenset((p.a.id, p.b.id)) for p in ps}

            def hit(a: set[str], b: set[str], keys: set = keys) -> bool:
                return any(frozenset((x, y)) in keys for x in a for y in b)

            rec = [hit(a, b) for a, b, _ in gpairs if a and b]
            rc = [hit(a, b) for a, b, label in gpairs if a and b and label == "contradiction"]
            print(
                f"k={k} min_sim={ms}: pairs={len(ps)} recall_all={sum(rec) / len(rec):.2f} "
                f"recall_contra={sum(rc)}/{len(rc)}"
            )


if __name__ == "__main__":
    main()
