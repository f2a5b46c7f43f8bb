"""Materialise the FNC-1 audit stories from ../shared/nli-data (nothing of FNC-1 is committed).

Each story is one FNC-1 headline claim as a one-line document (`claim.json`) plus up to two
`disagree` and two `agree` article bodies (the shortest, under 2,500 characters). The truth
file lists each article's stance: an audit should contradict the claim from `disagree`
articles and not from `agree` ones. Claims are chosen once (seeded) and kept in
`eval/stories/fnc1_manifest.json`; half go to `dev/`, half to `test/`.

    python eval/make_fnc1_stories.py [--data-dir ../shared/nli-data] [--refresh-manifest]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORIES = HERE / "stories"
MANIFEST = STORIES / "fnc1_manifest.json"
MAX_BODY = 2500
N_STORIES = 24


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def choose(data_dir: Path, seed: int = 7) -> list[dict]:
    rows = _read(data_dir / "fnc1_train.jsonl.gz")
    bodies = {b["body_id"]: b["text"] for b in _read(data_dir / "fnc1_train_bodies.jsonl.gz")}
    by_claim: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        if r["orig_label"] in ("agree", "disagree") and len(bodies.get(r["premise_body_id"], "")) < MAX_BODY:
            by_claim[r["hypothesis"]].append(r)
    eligible = sorted(c for c, rs in by_claim.items() if {r["orig_label"] for r in rs} == {"agree", "disagree"})
    rng = random.Random(seed)
    picked = rng.sample(eligible, N_STORIES)
    manifest = []
    for i, claim in enumerate(picked):
        rs = sorted(by_claim[claim], key=lambda r: len(bodies[r["premise_body_id"]]))
        chosen = [r for r in rs if r["orig_label"] == "disagree"][:2] + [r for r in rs if r["orig_label"] == "agree"][
            :2
        ]
        manifest.append(
            {"story": f"fnc1-{i:02d}", "split": "dev" if i % 2 == 0 else "test", "rows": [r["id"] for r in chosen]}
        )
    return manifest


def materialise(data_dir: Path, manifest: list[dict]) -> int:
    rows = {r["id"]: r for r in _read(data_dir / "fnc1_train.jsonl.gz")}
    bodies = {b["body_id"]: b["text"] for b in _read(data_dir / "fnc1_train_bodies.jsonl.gz")}
    for story in manifest:
        folder = STORIES / story["split"] / story["story"]
        folder.mkdir(parents=True, exist_ok=True)
        chosen = [rows[i] for i in story["rows"]]
        claim = chosen[0]["hypothesis"]
        (folder / "claim.json").write_text(
            json.dumps({"outlet": "Claim", "title": "", "date": None, "text": claim}, indent=1), encoding="utf-8"
        )
        stances = []
        for r in chosen:
            name = f"body-{r['premise_body_id']}.json"
            (folder / name).write_text(
                json.dumps(
                    {
                        "outlet": f"FNC-1 body {r['premise_body_id']}",
                        "title": "",
                        "date": None,
                        "text": bodies[r["premise_body_id"]],
                    },
                    indent=1,
                ),
                encoding="utf-8",
            )
            stances.append({"doc": name, "stance": r["orig_label"]})
        truth = {
            "story": story["story"],
            "split": story["split"],
            "kind": "fnc1",
            "topic": "FNC-1 claim",
            "description": claim,
            "claim_doc": "claim.json",
            "entries": [],
            "stances": stances,
        }
        (folder / "truth.json").write_text(json.dumps(truth, indent=1), encoding="utf-8")
    return len(manifest)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", type=Path, default=Path("../shared/nli-data"))
    ap.add_argument("--refresh-manifest", action="store_true", help="choose the claims anew")
    args = ap.parse_args()
    if args.refresh_manifest or not MANIFEST.exists():
        MANIFEST.write_text(json.dumps(choose(args.data_dir), indent=1) + "\n", encoding="utf-8")
    n = materialise(args.data_dir, json.loads(MANIFEST.read_text(encoding="utf-8")))
    print(f"wrote {n} FNC-1 stories under {STORIES}/dev and {STORIES}/test")


if __name__ == "__main__":
    main()
