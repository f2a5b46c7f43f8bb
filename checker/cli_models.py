"""The model-side newscheck commands: train-nli, eval-audit and export-onnx (eval: :mod:`checker.cli_eval`).

Registered on the app by :mod:`checker.cli` (in the order ``newscheck --help`` lists them);
like every command, each parses options, calls the library and prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from checker import cli_options as opt
from checker.cli_common import DEFAULT_BACKEND, RichProgress, cli_errors
from checker.cli_common import stderr_console as _stderr_console


def _share_option(text: str) -> Any:
    """A ``SHARE`` option: a fraction of the training pairs, from 0 to 1."""
    return typer.Option(min=0.0, max=1.0, metavar="SHARE", help=text)


@cli_errors
def train_nli(
    out_dir: Annotated[
        Path, typer.Option(metavar="FOLDER", help="Run folder: checkpoints, log, config, final model in out_dir/model.")
    ],
    data_dir: Annotated[
        Path, typer.Option(metavar="FOLDER", help="Folder of the labeled NLI sets (see ../shared/nli-data/README.md).")
    ] = Path("../shared/nli-data"),
    epochs: Annotated[float, typer.Option(min=0.01, metavar="N")] = 1.3,
    lr: Annotated[float, typer.Option(min=0.0, metavar="RATE")] = 6e-5,
    batch_size: Annotated[int, typer.Option(min=1, metavar="N")] = 32,
    n_generated: Annotated[int, typer.Option(min=0, metavar="N", help="Generated news-edit pairs.")] = 14000,
    max_minutes: Annotated[
        float, typer.Option(min=0.0, metavar="MINUTES", help="Stop (and still save) after this long; 0 = no limit.")
    ] = 100.0,
    seed: Annotated[int, typer.Option(metavar="N")] = 13,
    limit: Annotated[int, typer.Option(min=0, metavar="N", help="Train on the first N pairs only (smoke runs).")] = 0,
    base_model: Annotated[
        Optional[str], typer.Option(metavar="MODEL", help="Start from this model. Default: all-MiniLM-L6-v2.")
    ] = None,
    paraphrase_share: Annotated[
        float, _share_option("Share of generated paraphrase entailments (experimental; see models/README.md).")
    ] = 0.0,
    rewrite_share: Annotated[
        float, _share_option("Share of edits that also get a meaning-preserving rewrite (experimental).")
    ] = 0.0,
    same_story_share: Annotated[
        float,
        _share_option("v2: share of two sentences of one news article labelled neutral (see models/README.md)."),
    ] = 0.0,
    story_dir: Annotated[
        Optional[Path],
        typer.Option(
            metavar="FOLDER",
            help="Written train stories (eval/stories/train) whose sentence pairs join the mixture.",
        ),
    ] = None,
    story_share: Annotated[float, _share_option("Share of the training pairs drawn from --story-dir.")] = 0.0,
    recipe: Annotated[
        str,
        typer.Option(
            metavar="[v1|v2]",
            help="Training mixture: v1 (the first shipped model's) or v2 (datasets-based, with contrastive retellings).",
        ),
    ] = "v2",
) -> None:
    """Fine-tune all-MiniLM-L6-v2 as newscheck's NLI model (CPU; resumes from out_dir's checkpoint)."""
    from checker.errors import InputError
    from checker.training.train import TrainConfig, log_to, train

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
        same_story_share=same_story_share,
        story_dir=str(story_dir) if story_dir else "",
        story_share=story_share,
        recipe=recipe,
    )
    if recipe not in ("v1", "v2"):
        raise InputError(f"--recipe must be v1 or v2, not {recipe!r}")
    if story_share and not (story_dir and story_dir.is_dir()):
        raise InputError("--story-share needs --story-dir, a folder of train stories")
    if story_share >= 1:
        raise InputError("--story-share must be under 1: the public sets keep the general NLI skill")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    log_to(Path(out_dir) / "train.log")
    train(cfg)


@cli_errors
def eval_audit(
    corpus: Annotated[
        Path,
        typer.Argument(
            metavar="FOLDER",
            help="A story benchmark (eval/stories), one story folder with a truth.json, or a real corpus to audit with a doctored outlet.",
        ),
    ],
    split: Annotated[
        str,
        typer.Option(
            metavar="[dev|test|train|all]",
            help="Benchmark split: dev, test or all (dev and test); train: the stories the NLI model trains on.",
        ),
    ] = "all",
    reports: Annotated[
        Optional[Path], typer.Option(metavar="FOLDER", help="Write each story's full report into this folder.")
    ] = None,
    doctored: Annotated[
        Path,
        typer.Option(
            metavar="FILE", help="Doctored-outlet mode: a doctored copy of one outlet (kept outside the corpus)."
        ),
    ] = Path("eval/doctored/doctored_outlet.txt"),
    expected: Annotated[
        Path,
        typer.Option(
            metavar="FILE",
            help="Doctored-outlet mode: the planted edits, JSON lines with id, kind, original, doctored.",
        ),
    ] = Path("eval/doctored/expected.jsonl"),
    nli_model: opt.NliModel = None,
    embed_model: opt.EmbedModel = None,
    as_json: opt.Json = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    backend: opt.Backend = DEFAULT_BACKEND,
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
        nli, embedder, thresholds = load_models(nli_model, embed_model, backend)
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
    from rich.console import Console

    from checker.errors import InputError
    from checker.eval_audit import audit_doctored, read_expected, score_planted
    from checker.ingest import ingest_folder
    from checker.pipeline import load_models

    edits = read_expected(expected)
    if not doctored.is_file():
        raise InputError(f"doctored outlet does not exist: {doctored}")
    ingest_folder(corpus)  # a bad corpus fails before the models load
    err = _stderr_console(quiet)
    with RichProgress(err, enabled=not quiet) as progress:
        progress.stage("loading models")
        nli, embedder, thresholds = load_models(nli_model, embed_model, backend)
        data, doc_id = audit_doctored(corpus, doctored, nli, embedder, thresholds, progress=progress)
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
    nli_model: Annotated[
        Optional[str], typer.Option(metavar="MODEL", help="Local NLI model folder. Default: newscheck's own.")
    ] = None,
    dev: Annotated[
        Optional[list[Path]],
        typer.Option(
            metavar="FILE",
            help="Labeled dev set(s) on which each build must agree with PyTorch fp32 (>= 98% of pairs, <= 0.5 point of accuracy lost) before `--backend auto` uses it; the first needs >= 1,000 pairs (e.g. ../shared/nli-data/xnli_en_dev.jsonl.gz), repeat for more (e.g. eval/demo_pairs.jsonl). Default: $NEWSCHECK_NLI_DEV.",
        ),
    ] = None,
    variant: Annotated[
        Optional[list[str]],
        typer.Option(metavar="[onnx-int8|onnx]", help="Which build (repeat for both). Default: both."),
    ] = None,
    limit: Annotated[
        Optional[int], typer.Option(min=1, metavar="N", help="Validate on the first N dev pairs only.")
    ] = None,
    embedder: Annotated[
        bool,
        typer.Option(
            help="Also build the sentence embedder's ONNX graph, checked on the texts of the first dev set (same vectors as PyTorch: cosine >= 0.99999 on every text), so an audit needs no torch."
        ),
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the validation records as JSON.")] = False,
) -> None:
    """Build the fast ONNX Runtime backends of an NLI model (and of the embedder) into the cache and check them."""
    from checker.errors import InputError
    from checker.model_cache import AUTO_ORDER, VALIDATION_FILE, cache_dir, fast_backend_dir
    from checker.models import resolve_model
    from checker.nli import default_nli_model_path
    from checker.onnx_export import build_fast_backend
    from checker.onnx_validate import default_validation_data

    src = Path(resolve_model(nli_model, "NLI")).resolve() if nli_model else default_nli_model_path()
    if not src.is_dir():
        raise InputError(f"export-onnx needs a local model folder, got {nli_model!r}")
    chosen = tuple(variant) if variant else AUTO_ORDER
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
    embed_record = None
    if embedder:
        from checker.onnx_embed import build_embedder_backend
        from checker.onnx_validate import read_nli_jsonl

        texts = [t for pair in read_nli_jsonl(data[0], limit)[0] for t in pair] if data else None
        embed_record = build_embedder_backend(texts=texts)
    if as_json:
        if embedder:
            records["embedder"] = embed_record
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
    if embedder and embed_record is None:
        typer.echo("embedder: built, not validated (no --dev): audits keep the PyTorch embedder")
    elif embed_record is not None:
        typer.echo(
            f"embedder: lowest cosine with PyTorch {embed_record['min_cosine']:.7f} on {embed_record['texts']} texts: "
            + ("passed: audits use it (except --backend torch)" if embed_record["passed"] else "failed: audits skip it")
        )
