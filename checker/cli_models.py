"""The model-side newscheck commands: eval, train-nli, eval-audit and export-onnx.

Registered on the app by :mod:`checker.cli` (in the order ``newscheck --help`` lists them);
like every command, each parses options, calls the library and prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from checker.cli_common import BACKEND_HELP, BackendChoice, RichProgress, cli_errors
from checker.cli_common import stderr_console as _stderr_console


def _parse_label_map(text: str | None) -> dict[str, str] | None:
    """``0=entailment,1=neutral,2=contradiction`` or a JSON object -> dict."""
    from checker.errors import LabeledDataError

    if not text:
        return None
    try:
        if text.strip().startswith("{"):
            mapping = json.loads(text)
        else:
            mapping = dict(part.split("=", 1) for part in text.split(","))
    except (ValueError, json.JSONDecodeError):
        raise LabeledDataError(
            f"--label-map must look like '0=entailment,1=neutral,2=contradiction', got {text!r}"
        ) from None
    return {str(k).strip(): str(v).strip() for k, v in mapping.items()}


@cli_errors
def eval_(
    files: Annotated[
        list[Path],
        typer.Argument(help="Labeled pairs: .jsonl, .jsonl.gz, .csv or .tsv with premise, hypothesis, label."),
    ],
    nli_model: Annotated[
        Optional[str], typer.Option(help="NLI model folder or hub id. Default: newscheck's own.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per file (a JSON list).")] = False,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write the metrics JSON here.")] = None,
    plots: Annotated[
        Optional[Path], typer.Option(help="Write confusion-matrix and reliability PNGs into this folder.")
    ] = None,
    limit: Annotated[Optional[int], typer.Option(min=1, help="Score at most N pairs per file.")] = None,
    label_map: Annotated[
        Optional[str], typer.Option(help="Meaning of numeric labels, e.g. '0=entailment,1=neutral,2=contradiction'.")
    ] = None,
    tune: Annotated[
        Optional[Path],
        typer.Option(
            help="Dev file: choose temperature and contradiction threshold on it and save them beside the model (calibration.json), which `audit` then uses."
        ),
    ] = None,
    overwrite_calibration: Annotated[
        bool, typer.Option(help="With --tune, replace an existing different calibration.json.")
    ] = False,
    force: Annotated[bool, typer.Option(help="Overwrite --out if it exists.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    backend: Annotated[BackendChoice, typer.Option(help=BACKEND_HELP)] = BackendChoice.torch,
) -> None:
    """Measure the NLI model on labeled pairs: accuracy, per-class P/R/F1, confusion, ROC-AUC, ECE."""
    from rich.console import Console

    from checker.api import saved_calibration
    from checker.backends import load_nli
    from checker.calibration import save_calibration
    from checker.errors import InputError, ModelError
    from checker.evaluate import evaluate_set, read_labeled, write_plots
    from checker.views.terminal import render_eval_results

    if out is not None and out.exists() and not force:
        raise InputError(f"{out} already exists; pass --force to overwrite it")
    mapping = _parse_label_map(label_map)
    sets = [read_labeled(f, mapping) for f in files]  # every file is checked before the model loads
    dev = read_labeled(tune, mapping) if tune else None
    err = _stderr_console(quiet)
    nli = load_nli(nli_model, backend.value)
    if not quiet:
        err.print(f"NLI backend: {nli.backend}")
    results = []
    total_pairs = total_seconds = 0.0
    with RichProgress(err, enabled=not quiet) as progress:
        calibration = None
        if dev is not None:
            from checker.calibration import tune as tune_calibration

            model_dir = Path(nli.name)
            if not model_dir.is_dir():
                raise ModelError("--tune needs a local model folder to save calibration.json beside the model")
            progress.stage(f"tuning on {dev.path.name}", total=min(len(dev.rows), limit or len(dev.rows)))
            dev_result = evaluate_set(dev, nli, limit=limit, progress=progress.advance)
            calibration = tune_calibration(dev_result.probs, dev_result.gold)
            try:
                saved = save_calibration(
                    model_dir,
                    calibration,
                    overwrite=overwrite_calibration,
                    metadata={"tuned_on": str(dev.path), "pairs": len(dev_result.gold)},
                )
            except ModelError as exc:
                raise ModelError(f"{exc} (pass --overwrite-calibration)") from None
            except OSError as exc:
                raise ModelError(f"cannot write calibration beside the model: {exc.strerror}") from None
            err.print(
                f"calibration saved to {saved}: temperature {calibration.temperature}, "
                f"contradiction threshold {calibration.contradiction_threshold}"
            )
        else:
            calibration = saved_calibration(nli)
        for ls in sets:
            progress.stage(f"scoring {ls.path.name}", total=min(len(ls.rows), limit or len(ls.rows)))
            res = evaluate_set(ls, nli, calibration=calibration, limit=limit, progress=progress.advance)
            total_pairs += res["n"]
            total_seconds += res.seconds
            if plots is not None:
                write_plots(res, res.probs, res.gold, plots)
            results.append(res)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if as_json:
        sys.stdout.write(json.dumps(results, indent=1) + "\n")
    else:
        render_eval_results(Console(), results)
    if not quiet and total_seconds > 0:
        err.print(f"{int(total_pairs)} pairs in {total_seconds:.1f} s · {total_pairs / total_seconds:.1f} pairs/s")


@cli_errors
def train_nli(
    out_dir: Annotated[Path, typer.Option(help="Run folder: checkpoints, log, config, final model in out_dir/model.")],
    data_dir: Annotated[
        Path, typer.Option(help="Folder of the labeled NLI sets (see ../shared/nli-data/README.md).")
    ] = Path("../shared/nli-data"),
    epochs: Annotated[float, typer.Option(min=0.01)] = 1.3,
    lr: Annotated[float, typer.Option(min=0.0)] = 6e-5,
    batch_size: Annotated[int, typer.Option(min=1)] = 32,
    n_generated: Annotated[int, typer.Option(min=0, help="Generated news-edit pairs.")] = 14000,
    max_minutes: Annotated[
        float, typer.Option(min=0.0, help="Stop (and still save) after this long; 0 = no limit.")
    ] = 100.0,
    seed: Annotated[int, typer.Option()] = 13,
    limit: Annotated[int, typer.Option(min=0, help="Train on the first N pairs only (smoke runs).")] = 0,
    base_model: Annotated[
        Optional[str],
        typer.Option(help="Start from this model folder (e.g. a previous run's model). Default: all-MiniLM-L6-v2."),
    ] = None,
    paraphrase_share: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Share of generated paraphrase entailments (experimental; see models/README.md)."
        ),
    ] = 0.0,
    rewrite_share: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="Share of edits that also get a meaning-preserving rewrite (experimental)."
        ),
    ] = 0.0,
    recipe: Annotated[
        str,
        typer.Option(
            help="Training mixture: v1 (the first shipped model's) or v2 (datasets-based, with contrastive retellings)."
        ),
    ] = "v2",
) -> None:
    """Fine-tune all-MiniLM-L6-v2 as newscheck's NLI model (CPU; resumes from out_dir's checkpoint)."""
    from checker.errors import InputError
    from checker.training.train import TrainConfig, train

    if not (data_dir / "snli_dev.jsonl.gz").exists():
        raise InputError(f"no NLI training data in {data_dir} (expected snli_dev.jsonl.gz and the other sets)")
    if base_model:
        from checker.models import resolve_model

        resolve_model(base_model, "base")
    cfg = TrainConfig(
        data_dir=str(data_dir),
        out_dir=str(out_dir),
        epochs=epochs,
        lr=lr,
        batch_size=batch_size,
        n_generated=n_generated,
        max_minutes=max_minutes,
        seed=seed,
        limit=limit,
        base_model=base_model or "",
        paraphrase_share=paraphrase_share,
        rewrite_share=rewrite_share,
        recipe=recipe,
    )
    if recipe not in ("v1", "v2"):
        raise InputError(f"--recipe must be v1 or v2, not {recipe!r}")
    train(cfg, log=lambda msg: typer.echo(msg, err=True))


@cli_errors
def eval_audit(
    corpus: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER",
            help="A story benchmark (eval/stories), one story folder with a truth.json, or a real corpus to audit with a doctored outlet.",
        ),
    ],
    split: Annotated[str, typer.Option(help="Benchmark split: dev, test or all.")] = "all",
    reports: Annotated[Optional[Path], typer.Option(help="Write each story's full report into this folder.")] = None,
    doctored: Annotated[
        Path, typer.Option(help="Doctored-outlet mode: a doctored copy of one outlet (kept outside the corpus).")
    ] = Path("eval/doctored/doctored_outlet.txt"),
    expected: Annotated[
        Path,
        typer.Option(help="Doctored-outlet mode: the planted edits, JSON lines with id, kind, original, doctored."),
    ] = Path("eval/doctored/expected.jsonl"),
    nli_model: Annotated[Optional[str], typer.Option(help="NLI model folder or hub id.")] = None,
    embed_model: Annotated[Optional[str], typer.Option(help="Embedding model folder or hub id.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    backend: Annotated[BackendChoice, typer.Option(help=BACKEND_HELP)] = BackendChoice.auto,
) -> None:
    """Score whole audits: the story benchmark (recall per conflict type, precision, agreement), or a doctored outlet."""
    from checker.stories import has_stories

    if has_stories(corpus):
        _eval_stories(corpus, split, reports, nli_model, embed_model, as_json, quiet, backend)
    else:
        _eval_doctored(corpus, doctored, expected, nli_model, embed_model, as_json, quiet, backend)


def _eval_stories(root, split, reports, nli_model, embed_model, as_json, quiet, backend) -> None:
    from rich.console import Console

    from checker.eval_audit import audit_stories, render_story_summary
    from checker.pipeline import load_models
    from checker.stories import find_stories, summarize

    stories = find_stories(root, split)
    err = _stderr_console(quiet)
    with RichProgress(err, enabled=not quiet) as progress:
        progress.stage("loading models")
        nli, embedder, thresholds = load_models(nli_model, embed_model, backend.value)
        results = audit_stories(stories, nli, embedder, thresholds, progress=progress, reports_dir=reports)
    splits = sorted({r["split"] for r in results})
    out: dict[str, Any] = {
        "model": getattr(nli, "name", None),
        "backend": getattr(nli, "backend", None),
        "splits": {
            s: {
                "written": summarize([r for r in results if r["split"] == s and r["kind"] == "written"]),
                "fnc1": summarize([r for r in results if r["split"] == s and r["kind"] == "fnc1"])
                if any(r["split"] == s and r["kind"] == "fnc1" for r in results)
                else None,
            }
            for s in splits
        },
        "stories": results,
    }
    if as_json:
        sys.stdout.write(json.dumps(out, indent=1) + "\n")
        return
    console = Console()
    for s in splits:
        for kind in ("written", "fnc1"):
            if out["splits"][s][kind] and out["splits"][s][kind]["stories"]:
                render_story_summary(console, f"{s} split, {kind} stories", out["splits"][s][kind])


def _eval_doctored(corpus, doctored, expected, nli_model, embed_model, as_json, quiet, backend) -> None:
    import shutil
    import tempfile

    from rich.console import Console

    from checker.errors import InputError
    from checker.eval_audit import read_expected, score_planted
    from checker.ingest import ingest_folder
    from checker.pipeline import audit as run_audit
    from checker.pipeline import load_models
    from checker.report import report_to_dict

    edits = read_expected(expected)
    if not doctored.is_file():
        raise InputError(f"doctored outlet does not exist: {doctored}")
    ingest_folder(corpus)  # fail early on a bad corpus
    err = _stderr_console(quiet)
    with tempfile.TemporaryDirectory(prefix="newscheck-eval-audit-") as tmp:
        for f in Path(corpus).iterdir():  # copies: the user's folders are never touched
            if f.is_file() and not f.name.startswith("."):
                shutil.copy2(f, Path(tmp) / f.name)
        target = Path(tmp) / f"zz_doctored_{doctored.name}"
        shutil.copy2(doctored, target)
        ingested = ingest_folder(tmp)
        with RichProgress(err, enabled=not quiet) as progress:
            progress.stage("loading models")
            nli, embedder, thresholds = load_models(nli_model, embed_model, backend.value)
            rep = run_audit(ingested, nli, embedder, thresholds, progress=progress)
        data = report_to_dict(rep, corpus=str(corpus))
        doc_id = next(a.id for a in ingested.articles if Path(a.path).name == target.name)
    result = score_planted(data, edits, doc_id)
    if as_json:
        sys.stdout.write(json.dumps(result, indent=1) + "\n")
        return
    console = Console()
    console.print(
        f"planted contradictions found: [bold]{result['found']} of {result['expected']}[/] "
        f"(recall {result['recall']:.2f})"
    )
    for r in result["per_edit"]:
        console.print(
            f"  {'✔' if r['found'] else '✘'} {r['id']} ({r['kind']})"
            + (f" score {r['best_score']:.2f}" if r["best_score"] is not None else "")
        )
    console.print(
        f"other contradiction pairs with the doctored outlet: {result['other_contradictions_doctored']}; "
        f"contradiction pairs between the real outlets: {result['contradictions_between_real_outlets']}"
    )


@cli_errors
def export_onnx_cmd(
    nli_model: Annotated[Optional[str], typer.Option(help="Local NLI model folder. Default: newscheck's own.")] = None,
    dev: Annotated[
        Optional[list[Path]],
        typer.Option(
            help="Labeled dev set(s) on which each build must agree with PyTorch fp32 (>= 98% of pairs, <= 0.5 point of accuracy lost) before `--backend auto` uses it; the first needs >= 1,000 pairs (e.g. ../shared/nli-data/xnli_en_dev.jsonl.gz), repeat for more (e.g. eval/demo_pairs.jsonl). Default: $NEWSCHECK_NLI_DEV."
        ),
    ] = None,
    variant: Annotated[
        Optional[list[BackendChoice]], typer.Option(help="Which builds: onnx-int8 and/or onnx. Default: both.")
    ] = None,
    limit: Annotated[Optional[int], typer.Option(min=1, help="Validate on the first N dev pairs only.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the validation records as JSON.")] = False,
) -> None:
    """Build the fast ONNX Runtime backends of an NLI model into the cache and check them against fp32."""
    from checker.errors import InputError
    from checker.model_cache import AUTO_ORDER, VALIDATION_FILE, cache_dir, fast_backend_dir
    from checker.models import resolve_model
    from checker.nli import default_nli_model_path
    from checker.onnx_export import build_fast_backend
    from checker.onnx_validate import default_validation_data

    src = Path(resolve_model(nli_model, "NLI")).resolve() if nli_model else default_nli_model_path()
    if not src.is_dir():
        raise InputError(f"export-onnx needs a local model folder, got {nli_model!r}")
    chosen = tuple(v.value for v in variant) if variant else AUTO_ORDER
    bad = [v for v in chosen if v not in AUTO_ORDER]
    if bad:
        raise InputError(f"--variant must be one of {', '.join(AUTO_ORDER)}, got {', '.join(bad)}")
    default_dev = default_validation_data()
    data: list[Path] | None = list(dev) if dev else ([default_dev] if default_dev else None)
    for d in data or []:
        if not Path(d).is_file():
            raise InputError(f"dev set does not exist: {d}")
    err = _stderr_console(as_json)
    err.print(f"exporting {', '.join(chosen)} into {cache_dir()} (about a minute per build)")
    results = build_fast_backend(src, variants=chosen, data=data, limit=limit)
    records = {}
    for v, r in results.items():
        rec_path = fast_backend_dir(src, v) / VALIDATION_FILE
        records[v] = json.loads(rec_path.read_text(encoding="utf-8")) if r is not None and rec_path.exists() else None
    if as_json:
        sys.stdout.write(json.dumps(records, indent=1) + "\n")
        return
    for v, rec in records.items():
        if rec is None:
            typer.echo(f"{v}: built, not validated (no --dev): `--backend auto` will not use it; `--backend {v}` will")
            continue
        for check in [rec, *rec.get("extra_checks", [])]:
            typer.echo(
                f"{v} on {check['dataset']}: agreement with fp32 {100 * check['agreement']:.2f}% on "
                f"{check['rows']} pairs, accuracy {100 * check['accuracy_fast']:.2f}% vs "
                f"{100 * check['accuracy_reference']:.2f}% fp32"
            )
        typer.echo(
            f"{v}: " + ("passed: `--backend auto` uses it" if rec["passed"] else "failed: `--backend auto` skips it")
        )
