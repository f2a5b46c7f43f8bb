"""``newscheck eval``: score the NLI model, or the final pair verdicts, on labeled pairs.

Registered on the app by :mod:`checker.cli`; like every command it parses options, calls the
library (:mod:`checker.evaluate`, :mod:`checker.eval_verdicts`) and prints.
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


def _tune(dev: Any, nli: Any, limit: int | None, overwrite_calibration: bool, progress: Any, err: Any) -> Any:
    """Fit temperature and contradiction threshold on ``dev`` and save them beside the model."""
    from checker.calibration import save_calibration
    from checker.calibration import tune as tune_calibration
    from checker.errors import ModelError
    from checker.evaluate import evaluate_set

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
    return calibration


@cli_errors
def eval_(
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="FILE",
            help="Labeled pairs: .jsonl, .jsonl.gz, .csv or .tsv with premise, hypothesis and label (or verdict).",
        ),
    ],
    nli_model: opt.NliModel = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per file (a JSON list).")] = False,
    out: Annotated[
        Optional[Path], typer.Option("--out", "-o", metavar="FILE", help="Write the metrics JSON here.")
    ] = None,
    predictions: Annotated[
        Optional[Path], typer.Option(metavar="FILE", help="Write each scored pair here (JSON lines).")
    ] = None,
    by: Annotated[Optional[str], typer.Option(metavar="FIELD", help="Also score per value of this field.")] = None,
    verdicts: Annotated[
        bool,
        typer.Option(
            "--verdicts",
            help="Score the final pair verdicts (claims, typed checks, calibrated decision) instead of the NLI model alone.",
        ),
    ] = False,
    embed_model: opt.EmbedModel = None,
    plots: Annotated[
        Optional[Path],
        typer.Option(metavar="FOLDER", help="Write confusion-matrix and reliability PNGs into this folder."),
    ] = None,
    limit: Annotated[Optional[int], typer.Option(min=1, metavar="N", help="Score at most N pairs per file.")] = None,
    label_map: Annotated[
        Optional[str],
        typer.Option(metavar="MAP", help="Meaning of numeric labels, e.g. '0=entailment,1=neutral,2=contradiction'."),
    ] = None,
    tune: Annotated[
        Optional[Path], typer.Option(metavar="FILE", help="Dev file: fit temperature and threshold for `audit`.")
    ] = None,
    overwrite_calibration: Annotated[
        bool,
        typer.Option("--overwrite-calibration", help="With --tune, replace an existing different calibration.json."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out and --predictions if they exist.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    backend: opt.Backend = DEFAULT_BACKEND,
) -> None:
    """Measure the NLI model (or, with --verdicts, the final verdicts) on labeled pairs: accuracy,
    per-class P/R/F1, confusion, ROC-AUC, ECE.

    --by FIELD adds a table per value of a field of the labeled rows (e.g. kind); --predictions
    FILE writes one JSON line per scored pair (texts, gold, prediction, fields); --tune FILE
    chooses the temperature and contradiction threshold on a dev file and saves them beside
    the model (calibration.json), which `audit` then uses."""
    from rich.console import Console

    from checker.errors import InputError
    from checker.evaluate import field_values, read_labeled, scores_by
    from checker.views.terminal import render_eval_results

    for path in (out, predictions):
        if path is not None and path.exists() and not force:
            raise InputError(f"{path} already exists; pass --force to overwrite it")
    if verdicts and (tune is not None or plots is not None):
        raise InputError("--tune and --plots score the NLI model alone; leave them out with --verdicts")
    mapping = _parse_label_map(label_map)
    sets = [read_labeled(f, mapping) for f in files]  # every file is checked before the model loads
    if by is not None:
        for ls in sets:
            field_values(ls, by, len(ls.rows))
    dev = read_labeled(tune, mapping) if tune else None
    err = _stderr_console(quiet)
    with RichProgress(err, enabled=not quiet) as progress:
        if verdicts:
            results, records = _score_verdicts(sets, nli_model, embed_model, backend, limit, progress, predictions)
        else:
            results, records = _score_nli(
                sets, dev, nli_model, backend, limit, progress, err, plots, predictions, overwrite_calibration
            )
    for ls, res in zip(sets, results):
        if by is not None:
            res["by"] = {
                "field": by,
                "groups": scores_by(
                    field_values(ls, by, res["n"]), res.gold, _predicted(ls, res), res["confusion"]["labels"]
                ),
            }
    if predictions is not None:
        from checker.evaluate import write_predictions

        write_predictions(records, predictions, overwrite=force)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if as_json:
        sys.stdout.write(json.dumps(results, indent=1) + "\n")
    else:
        render_eval_results(Console(), results)
    total_pairs, total_seconds = sum(r["n"] for r in results), sum(r.seconds for r in results)
    if not quiet and total_seconds > 0:
        err.print(f"{int(total_pairs)} pairs in {total_seconds:.1f} s · {total_pairs / total_seconds:.1f} pairs/s")


def _predicted(ls: Any, res: Any) -> list[str]:
    from checker.evaluate import predicted_labels

    return res.pred if hasattr(res, "pred") else predicted_labels(res, ls.two_way)


def _score_nli(
    sets: Any,
    dev: Any,
    nli_model: Any,
    backend: Any,
    limit: Any,
    progress: Any,
    err: Any,
    plots: Any,
    predictions: Any,
    overwrite_calibration: Any,
) -> tuple[list[Any], list[dict]]:
    from checker.api import saved_calibration
    from checker.backends import load_nli
    from checker.evaluate import evaluate_set, model_record, prediction_records, write_plots

    nli = load_nli(nli_model, backend)
    err.print(f"NLI backend: {nli.backend}")
    calibration = _tune(dev, nli, limit, overwrite_calibration, progress, err) if dev else saved_calibration(nli)
    record = model_record(nli)
    results: list[Any] = []
    records: list[dict] = []
    for ls in sets:
        progress.stage(f"scoring {ls.path.name}", total=min(len(ls.rows), limit or len(ls.rows)))
        res = evaluate_set(ls, nli, calibration=calibration, limit=limit, progress=progress.advance)
        res.update(record)
        if plots is not None:
            write_plots(res, res.probs, res.gold, plots)
        if predictions is not None:
            records += prediction_records(ls, res, calibration)
        results.append(res)
    return results, records


def _score_verdicts(
    sets: Any, nli_model: Any, embed_model: Any, backend: Any, limit: Any, progress: Any, predictions: Any
) -> tuple[list[Any], list[dict]]:
    from checker.eval_verdicts import evaluate_verdicts, verdict_records
    from checker.evaluate import model_record
    from checker.pipeline import load_models

    progress.stage("loading models")
    nli, embedder, thresholds = load_models(nli_model, embed_model, backend)
    record = {**model_record(nli), "embed_model": str(getattr(embedder, "name", type(embedder).__name__))}
    results: list[Any] = []
    records: list[dict] = []
    for ls in sets:
        progress.stage(f"auditing the pairs of {ls.path.name}", total=min(len(ls.rows), limit or len(ls.rows)))
        res = evaluate_verdicts(ls, nli, embedder, thresholds, limit=limit, progress=progress.advance)
        res.update(record)
        if predictions is not None:
            records += verdict_records(ls, res)
        results.append(res)
    return results, records
