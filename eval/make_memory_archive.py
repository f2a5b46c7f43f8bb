"""Write the 200-article folder of the memory benchmark (eval/BENCH.md, issue 13).

The first ``--articles`` FNC-1 train bodies (in file order) of ``--min-chars`` to
``--max-chars`` characters, one ``body-<id>.txt`` each; nothing of FNC-1 is committed.

    python eval/make_memory_archive.py [--data-dir ../shared/nli-data] [--out /tmp/arch200]
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(data_dir: Path, out: Path, n: int, min_chars: int, max_chars: int) -> int:
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    with gzip.open(data_dir / "fnc1_train_bodies.jsonl.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            if written == n:
                break
            if not line.strip():
                continue
            row = json.loads(line)
            if min_chars <= len(row["text"]) <= max_chars:
                (out / f"body-{row['body_id']}.txt").write_text(row["text"], encoding="utf-8")
                written += 1
    return written


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=HERE.parent.parent / "shared" / "nli-data")
    ap.add_argument("--out", type=Path, default=Path("/tmp/arch200"))
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--min-chars", type=int, default=800)
    ap.add_argument("--max-chars", type=int, default=4000)
    args = ap.parse_args()
    if args.out.exists() and any(args.out.iterdir()):
        raise SystemExit(f"{args.out} is not empty")
    n = build(args.data_dir, args.out, args.articles, args.min_chars, args.max_chars)
    print(f"{n} articles in {args.out}")


if __name__ == "__main__":
    main()
