"""Regenerate eval/RESULTS.md: the current model's figures on every labeled set.

Usage (from the repository root, with newscheck installed):

    python eval/make_results.py [--nli-model PATH] [--data-dir ../shared/nli-data]

Scores every labeled set in eval/ (*.jsonl), the held-out public sets (xnli_en_dev; a fixed
2,000-pair sample of snli_test), and the doctored-outlet audit, then rewrites RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _row(name: str, res: dict) -> str:
    f1 = res["per_class"]
    cells = " | ".join(f"{f1[k]['f1']:.3f}" if k in f1 else "—" for k in ("entailment", "neutral", "contradiction"))
    auc = res["roc_auc_contradiction"]
    tuned = res.get("tuned")
    tuned_txt = f"{tuned['accuracy']:.3f} / {tuned['macro_f1']:.3f}" if tuned else "—"
    return (
        f"| {name} | {res['n']} | {res['accuracy']:.3f} | {res['macro_f1']:.3f} | {cells} | "
        f"{'—' if auc is None else f'{auc:.3f}'} | {res['ece']:.3f} | {tuned_txt} |"
    )


def story_section(nli_model: str | None, backend: str = "torch") -> list[str]:
    """The audit benchmark (eval/stories) per split: `newscheck eval-audit eval/stories --split S --json`."""
    out = ["## Audit benchmark (eval/stories)", ""]
    for split in ("dev", "test"):
        cmd = [
            sys.executable,
            "-m",
            "checker.cli",
            "eval-audit",
            str(HERE / "stories"),
            "--split",
            split,
            "--json",
            "--quiet",
            "--backend",
            backend,
        ] + (["--nli-model", nli_model] if nli_model else [])
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if run.returncode != 0:
            out += [f"eval-audit --split {split} failed: {run.stderr.strip()}", ""]
            continue
        data = json.loads(run.stdout)["splits"][split]
        out += [
            f"### `{split}` split"
            + (" (the verdict is fitted on this split)" if split == "dev" else " (never tuned on)"),
            "",
            f"`newscheck eval-audit eval/stories --split {split} --backend {backend}`",
            "",
        ]
        for kind, label in (("written", "written stories"), ("fnc1", "FNC-1 stories")):
            x = data.get(kind)
            if not x or not x["stories"]:
                continue
            c = x["conflicts"]
            out += [f"**{label}** ({x['stories']} stories, {x['pairs']} pairs)", "", "| figure | value |", "|---|---|"]
            if c["planted"]:
                out.append(f"| conflict recall | {c['recall']:.2f} ({c['found']} of {c['planted']}) |")
                for t, r in c["by_type"].items():
                    out.append(f"| &nbsp;&nbsp;{t} | {r['recall']:.2f} ({r['found']} of {r['planted']}) |")
            prec = "—" if x["precision"] is None else f"{x['precision']:.2f}"
            if kind == "written":
                out.append(
                    f"| contradiction precision | {prec} ({x['contradictions'] - x['false_alarms']} of "
                    f"{x['contradictions']}) |"
                )
                out.append(f"| false alarms per 100 pairs | {x['false_alarms_per_100_pairs']} |")
            else:
                out.append(f"| contradiction pairs (no pair-level truth) | {x['contradictions']} |")
            a = x["agreement"]
            if a["facts"]:
                out.append(
                    f"| agreement recall | {a['recall']:.2f} ({a['agreeing']} of {a['facts']}; "
                    f"{a['unpaired']} never paired) |"
                )
            k = x["compatible"]
            if k["pairs"]:
                out.append(
                    f"| compatible look-alikes not contradicted | {k['rate']:.2f} ({k['not_contradicted']} of "
                    f"{k['pairs']}) |"
                )
            for name, n in x["conflict_free_stories"].items():
                out.append(f"| contradictions in conflict-free `{name}` | {n} |")
            u = x["updates"]
            if u["planted"]:
                out.append(
                    f"| updates labelled `updated` | {u['labelled_updated'] / u['planted']:.2f} "
                    f"({u['labelled_updated']} of {u['planted']}) |"
                )
            f = x.get("fnc1")
            if f:
                out.append(
                    f"| `disagree` articles that contradict the claim | {f['disagree_contradicted']:.2f} "
                    f"(of {f['disagree_articles']}) |"
                )
                out.append(
                    f"| `agree` articles that contradict the claim | {f['agree_contradicted']:.2f} "
                    f"(of {f['agree_articles']}) |"
                )
            out.append("")
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nli-model", default=None)
    ap.add_argument("--data-dir", default=str(ROOT.parent / "shared" / "nli-data"))
    ap.add_argument("--out", default=str(HERE / "RESULTS.md"))
    args = ap.parse_args(argv)

    import random

    from checker.calibration import load_calibration
    from checker.evaluate import LabeledSet, evaluate_set, read_labeled
    from checker.nli import NliModel

    nli = NliModel(args.nli_model)
    cal = load_calibration(nli.name)
    calibration = cal if (cal.temperature != 1.0 or cal.contradiction_threshold is not None) else None
    sets: list[tuple[str, LabeledSet]] = []
    for path in sorted(HERE.glob("*.jsonl")):
        sets.append((f"eval/{path.name}", read_labeled(path)))
    data = Path(args.data_dir)
    xnli = data / "xnli_en_dev.jsonl.gz"
    if xnli.exists():
        sets.append(("xnli_en_dev (held out)", read_labeled(xnli)))
    snli = data / "snli_test.jsonl.gz"
    if snli.exists():
        full = read_labeled(snli)
        rows = random.Random(0).sample(full.rows, min(2000, len(full.rows)))
        sets.append(
            ("snli_test, 2,000-pair sample (held out)", LabeledSet(full.path, rows, full.two_way, full.skipped))
        )
    lines = []
    t0 = time.time()
    for name, ls in sets:
        res = evaluate_set(ls, nli, calibration=calibration)
        lines.append(_row(name, res))
        print(lines[-1], flush=True)
    audit = subprocess.run(
        [
            sys.executable,
            "-m",
            "checker.cli",
            "eval-audit",
            str(ROOT / "corpus"),
            "--json",
            "--quiet",
            "--backend",
            "torch",
            "--doctored",
            str(HERE / "doctored" / "doctored_outlet.txt"),
            "--expected",
            str(HERE / "doctored" / "expected.jsonl"),
        ]
        + (["--nli-model", args.nli_model] if args.nli_model else []),
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    planted = json.loads(audit.stdout) if audit.returncode == 0 else None
    model_name = Path(nli.name).name if Path(nli.name).exists() else nli.name
    out = [
        "# newscheck evaluation results",
        "",
        f"Regenerated by `python eval/make_results.py` ({time.strftime('%Y-%m-%d')}, {time.time() - t0:.0f} s). "
        f"NLI model: `{model_name}`"
        + (f" with calibration {calibration}" if calibration else " (no calibration)")
        + ".",
        "",
        "Accuracy and macro-F1 use the model's argmax; *tuned* applies the model's calibration.json "
        "(temperature, contradiction threshold) when there is one. ROC-AUC: contradiction vs rest. "
        "ECE: 10 equal-width confidence bins.",
        "",
        "| set | n | accuracy | macro-F1 | F1 entailment | F1 neutral | F1 contradiction | ROC-AUC (c) | ECE | tuned acc / macro-F1 |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *lines,
        "",
        "## Doctored outlet (planted contradictions)",
        "",
    ]
    if planted:
        out += [
            f"`newscheck eval-audit corpus` audits corpus/ plus eval/doctored/doctored_outlet.txt: "
            f"**{planted['found']} of {planted['expected']}** planted contradictions found "
            f"(recall {planted['recall']:.2f}); {planted['other_contradictions_doctored']} other contradiction "
            f"pairs involve the doctored outlet; {planted['contradictions_between_real_outlets']} contradiction "
            "pairs join the real outlets.",
            "",
            "| edit | kind | found | best score |",
            "|---|---|---|---|",
        ]
        for r in planted["per_edit"]:
            best = "—" if r["best_score"] is None else f"{r['best_score']:.2f}"
            out.append(f"| {r['id']} | {r['kind']} | {'yes' if r['found'] else 'no'} | {best} |")
    else:
        out.append(f"eval-audit failed: {audit.stderr.strip()}")
    out += [""] + story_section(args.nli_model)
    Path(args.out).write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
