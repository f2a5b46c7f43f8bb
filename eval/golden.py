"""Snapshot the demo audit's pairs (id, verdict, score) for the golden test in tests/test_e2e.py.

    python eval/golden.py            # print what changed against the snapshot
    python eval/golden.py --update   # rewrite tests/golden/demo_pairs.json

A refactor must leave the snapshot unchanged. A deliberate change of verdicts (a new model, a
refitted verdict, a new typed check) rewrites it with --update, and the commit says why.
The audit is the CLI's default one with PyTorch and no store, so it matches the e2e test's.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "demo_pairs.json"


def snapshot(data: dict) -> dict:
    """The golden form of a report (as ``report_to_dict`` writes it): pairs sorted by id."""
    pairs = sorted((p["id"], p["verdict"], round(p["score"], 3)) for p in data["pairs"])
    return {"corpus": "corpus", "pairs": [list(p) for p in pairs]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--update", action="store_true", help="rewrite the snapshot")
    args = ap.parse_args()
    from checker.api import Auditor

    with Auditor(backend="torch", store=False) as auditor:
        now = snapshot(auditor.to_dict(auditor.audit(ROOT / "corpus")))
    if args.update:
        GOLDEN.write_text(json.dumps(now, indent=0) + "\n", encoding="utf-8")
        print(f"wrote {GOLDEN} ({len(now['pairs'])} pairs)")
        return
    before = {p[0]: p for p in json.loads(GOLDEN.read_text(encoding="utf-8"))["pairs"]}
    after = {p[0]: p for p in now["pairs"]}
    changed = [(before.get(i), after.get(i)) for i in sorted(set(before) | set(after)) if before.get(i) != after.get(i)]
    for b, a in changed:
        print(f"{b} -> {a}")
    print(f"{len(changed)} of {len(after)} pairs differ from the snapshot")


if __name__ == "__main__":
    main()
