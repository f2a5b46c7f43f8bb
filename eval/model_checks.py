"""The NLI model's acceptance checks (models/README.md): identity, contrastive retellings, held-out NLI.

    python eval/model_checks.py [--model models/nli] [--data-dir ../shared/nli-data] [--limit N] [--json]

- identity: every statement of the demo corpus paired with itself must be entailment (>= 99%),
  and with a copy that differs only in punctuation, quotes or casing (>= 95%);
- contrastive: the held-out side of checker.training.contrastive (MRPC GLUE-dev articles, a
  hash-held-out quarter of PAWS and of FNC-1 bodies; never trained on): paraphrases must be
  non-contradiction (>= 85%), their edited twins contradiction (>= 85%);
- held-out NLI: XNLI-en dev, an SNLI test sample (2,000 pairs, seed 0), the demo labeled set.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def variants(s: str) -> list[str]:
    """Copies that differ only in punctuation, quotes or casing."""
    return [
        s.lower(),
        s.rstrip(".!?"),
        s.replace('"', "\u201c"),
        re.sub(r",", "", s),
        s.upper() if len(s) < 80 else s + " ",
    ]


def identity(model) -> dict:
    from checker.ingest import ingest_folder
    from checker.segment import segment_articles

    statements = sorted({s.text for s in segment_articles(ingest_folder(ROOT / "corpus").articles)})
    self_pairs = [(s, s) for s in statements]
    rng = random.Random(0)
    near = [(s, rng.choice(variants(s))) for s in statements]
    near = [(a, b) for a, b in near if a != b]
    out = {}
    for name, pairs in (("self", self_pairs), ("near_identical", near)):
        probs = model.predict(pairs)
        out[name] = {
            "pairs": len(pairs),
            "entailment": round(float((probs.argmax(1) == 0).mean()), 4),
            "not_contradiction": round(float((probs.argmax(1) != 2).mean()), 4),
        }
    return out


def contrastive(model, data_dir: Path, limit: int | None) -> dict:
    from checker.training.contrastive import build_contrastive

    rows = build_contrastive(data_dir, test=True)
    if limit:
        rows = random.Random(0).sample(rows, min(limit, len(rows)))
    probs = model.predict([(e.premise, e.hypothesis) for e in rows])
    pred = probs.argmax(1)
    para = [i for i, e in enumerate(rows) if e.source.startswith("paraphrase:")]
    twins = [i for i, e in enumerate(rows) if e.label == "contradiction"]
    return {
        "paraphrases": len(para),
        "paraphrase_not_contradiction": round(float((pred[para] != 2).mean()), 4),
        "twins": len(twins),
        "twin_contradiction": round(float((pred[twins] == 2).mean()), 4),
    }


def held_out(model, data_dir: Path, limit: int | None) -> dict:
    from dataclasses import replace

    from checker.evaluate import evaluate_set, read_labeled

    out = {}
    sets = (
        ("xnli_en_dev", data_dir / "xnli_en_dev.jsonl.gz"),
        ("demo_pairs", ROOT / "eval" / "demo_pairs.jsonl"),
        ("snli_test_2000", data_dir / "snli_test.jsonl.gz"),
        # MultiNLI-style pairs no training mixture ever used (v1 trained on all of LingNLI and the
        # MultiNLI samples, so a split of those is not held out for any warm-started model)
        ("glue_diagnostic_ax", data_dir / "glue_diagnostic_ax.jsonl.gz"),
    )
    for name, path in sets:
        if not path.exists():
            continue
        labeled = read_labeled(path)
        if name.startswith("snli"):
            rows = random.Random(0).sample(labeled.rows, min(2000, len(labeled.rows)))
            labeled = replace(labeled, rows=rows)
        m = evaluate_set(labeled, model, limit=limit)
        out[name] = {k: m[k] for k in ("n", "accuracy", "macro_f1", "per_class", "ece")}
    return out


MNLI_LIKE = ("lingnli", "mnli_train_samples_ppft", "mnli_train_taxinli")


def mnli_dev(model, dev_file: Path) -> dict:
    """Accuracy on the MultiNLI-style rows of a training run's held-out mixture slice (dev.jsonl)."""
    rows = [json.loads(line) for line in dev_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("source") in MNLI_LIKE]
    if not rows:
        return {}
    probs = model.predict([(r["premise"], r["hypothesis"]) for r in rows])
    labels = ("entailment", "neutral", "contradiction")
    acc = float(np.mean([labels[int(p.argmax())] == r["label"] for p, r in zip(probs, rows)]))
    return {"n": len(rows), "accuracy": round(acc, 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=str(ROOT / "models" / "nli"))
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "nli-data")
    ap.add_argument("--limit", type=int, default=None, help="at most N pairs per set (quick runs)")
    ap.add_argument("--skip-held-out", action="store_true")
    ap.add_argument("--dev", type=Path, default=None, help="a training run's dev.jsonl: MultiNLI-style rows scored")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    from checker.nli import NliModel

    model = NliModel(args.model)
    result = {
        "model": args.model,
        "identity": identity(model),
        "contrastive": contrastive(model, args.data_dir, args.limit),
    }
    if not args.skip_held_out:
        result["held_out"] = held_out(model, args.data_dir, args.limit)
    if args.dev:
        result["mnli_style_dev"] = mnli_dev(model, args.dev)
    print(json.dumps(result, indent=1, default=lambda x: float(x) if isinstance(x, np.floating) else str(x)))


if __name__ == "__main__":
    main()
