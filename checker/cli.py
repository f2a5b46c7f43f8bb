"""newscheck command line: a thin typer layer over the library.

Parses options, calls the library (``audit`` the Python API of :mod:`checker.api`), renders
(:mod:`checker.views`). Heavy imports (torch, transformers) happen inside the commands so
``--help`` is instant. Every :class:`~checker.errors.NewscheckError` becomes one line on
stderr and a non-zero exit (:mod:`checker.cli_common`); the options several commands take are
defined once in :mod:`checker.cli_options`. The model-side commands (eval, train-nli,
eval-audit, export-onnx) live in :mod:`checker.cli_eval` and :mod:`checker.cli_models`.

Exit codes: 0 done; 2 bad input (missing folder, unreadable file, bad model path, ...);
3 contradictions found and ``--fail-on-contradiction`` was given; 130 interrupted.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from checker import cli_options as opt
from checker.cli_archive import audit_archive, stories
from checker.cli_common import (
    DEFAULT_BACKEND,
    EXIT_CONTRADICTION,
    VERDICT_METAVAR,
    OneLineErrors,
    RichProgress,
    cli_errors,
)
from checker.cli_common import stderr_console as _stderr_console
from checker.cli_eval import eval_
from checker.cli_models import eval_audit, export_onnx_cmd, train_nli
from checker.cli_review import dismiss as review_dismiss
from checker.cli_review import review_app, serve
from checker.defaults import UPDATE_WINDOW_HOURS
from checker.pair import DEFAULT_MIN_SIM, DEFAULT_TOP_K
from checker.types import FINDING_TYPES, FindingType, Verdict

app = typer.Typer(
    cls=OneLineErrors,
    rich_markup_mode=None,  # plain help, wrapped to the terminal: nothing cut off at 80 columns
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Find where news outlets agree, add detail, or contradict each other.",
)


def _refuse_existing(path: Path, force: bool) -> None:
    """Every file newscheck writes follows one rule: an existing file is replaced only with --force."""
    from checker.errors import InputError

    if path.exists() and not force:
        raise InputError(f"{path} already exists; pass --force to overwrite it")


@app.command()
@cli_errors
def audit(
    corpus: Annotated[Path, typer.Argument(metavar="CORPUS", help="Folder of articles (.txt .md .html .json .jsonl).")],
    out: Annotated[
        Optional[Path],
        typer.Option(
            "--out", "-o", metavar="FILE", help="Write the JSON report here (an existing file needs --force)."
        ),
    ] = None,
    top_k: opt.TopK = DEFAULT_TOP_K,
    min_sim: opt.MinSim = DEFAULT_MIN_SIM,
    nli_model: opt.NliModel = None,
    embed_model: opt.EmbedModel = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the JSON report to stdout.")] = False,
    quiet: opt.Quiet = False,
    fail_on_contradiction: Annotated[
        bool,
        typer.Option("--fail-on-contradiction", help=f"Exit {EXIT_CONTRADICTION} when any contradiction is found."),
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    top: Annotated[int, typer.Option(metavar="N", help="Contradictions shown in the summary.")] = 5,
    store: opt.StoreFile = None,
    no_store: opt.NoStore = False,
    backend: opt.Backend = DEFAULT_BACKEND,
    as_of: opt.AsOf = None,
    update_window: opt.UpdateWindow = UPDATE_WINDOW_HOURS,
) -> None:
    """Audit a folder of articles: pair statements across outlets and label each pair."""
    from rich.markup import escape

    from checker.api import Auditor, read_corpus
    from checker.report import write_report
    from checker.views.terminal import render_summary

    if store is not None and no_store:
        from checker.errors import InputError

        raise InputError("--store and --no-store contradict each other; give one")
    if out is not None:
        _refuse_existing(out, force)
    ingested = read_corpus(corpus)  # bad input fails before any model is loaded
    err = _stderr_console(quiet)
    # the default store unless --no-store; the library's default is none
    store_choice = False if no_store else (store if store is not None else True)
    with Auditor(nli_model, embed_model, backend, top_k, min_sim, store_choice, as_of, update_window) as auditor:
        auditor.open_store()
        with RichProgress(err, enabled=not quiet) as progress:
            run = auditor.run(corpus, ingested, progress)
        data, stats, store_problem = run.data, run.stats, run.store_problem
        if run.store_path is not None and stats is not None and store_problem is None:
            err.print(
                f"store {escape(str(run.store_path))}: reused {stats.nli_reused} of {stats.nli_reused + stats.nli_computed} "
                f"NLI scores and {stats.vectors_reused} of {stats.vectors_reused + stats.vectors_computed} "
                "embeddings"
            )
    if out is not None:
        write_report(data, out, overwrite=force)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    elif not quiet:
        from rich.console import Console

        render_summary(Console(), data, top=top)
        if out is not None:
            Console().print(
                f"Report written to {escape(str(out))} · inspect it with `newscheck inspect {escape(str(out))}`"
            )
    if store_problem is not None:
        from checker.errors import StoreError

        raise StoreError(store_problem + (f"; the report was written to {out}" if out is not None else ""))
    open_contradictions = [p for p in data["pairs"] if p["verdict"] == "contradiction" and not p.get("dismissed")]
    if fail_on_contradiction and open_contradictions:
        raise typer.Exit(EXIT_CONTRADICTION)


@app.command()
@cli_errors
def inspect(
    report: Annotated[Path, typer.Argument(metavar="REPORT", help="A JSON report written by `newscheck audit --out`.")],
    verdict: Annotated[
        Optional[Verdict], typer.Option(metavar=VERDICT_METAVAR, help="Only pairs with this verdict.")
    ] = None,
    doc: Annotated[
        Optional[str],
        typer.Option(metavar="OUTLET", help="Only pairs involving this outlet, file name or document id."),
    ] = None,
    min_score: Annotated[
        Optional[float], typer.Option(min=0.0, max=1.0, metavar="SCORE", help="Only pairs scoring at least this.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, metavar="N", help="At most this many pairs.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the selected pairs as JSON.")] = False,
    finding_type: Annotated[
        Optional[FindingType],
        typer.Option("--type", metavar="TYPE", help=f"Only pairs with this typed finding: {', '.join(FINDING_TYPES)}."),
    ] = None,
) -> None:
    """Show pairs of a report side by side, differing words highlighted, strongest first."""
    from rich.console import Console

    from checker.errors import InputError
    from checker.report import load_report
    from checker.views.terminal import filter_pairs, matching_docs, render_pairs

    data = load_report(report)
    if doc is not None and not matching_docs(data, doc):
        outlets = sorted({d["outlet"] for d in data.get("documents", [])})
        raise InputError(
            f"--doc {doc!r} matches no outlet, file or document id of {report}; outlets: {', '.join(outlets)}"
        )
    matched = filter_pairs(data, verdict, doc, min_score, None, finding_type)
    pairs = matched[:limit]
    if as_json:
        sys.stdout.write(json.dumps(pairs, ensure_ascii=False, indent=1) + "\n")
        return
    console = Console()
    if not pairs:
        console.print("No pairs match.")
        return
    render_pairs(console, pairs, data)
    more = f" (--limit {len(matched)} shows all)" if len(pairs) < len(matched) else ""
    console.print(f"{len(pairs)} of {len(matched)} shown{more}")


# the model-side commands (checker/cli_models.py), registered where --help lists them
app.command("eval")(eval_)
app.command("train-nli")(train_nli)


# the review ledger and the review web app (checker/cli_review.py); `dismiss` is `review dismiss`
app.add_typer(review_app, name="review")
app.command("dismiss", help="Same as `newscheck review dismiss`: later audits show the pair as dismissed.")(
    review_dismiss
)


@app.command()
@cli_errors
def report(
    report_file: Annotated[
        Path, typer.Argument(metavar="REPORT", help="A JSON report written by `newscheck audit --out`.")
    ],
    html_out: Annotated[
        Path, typer.Option("--html", metavar="FILE", help="Write a self-contained HTML review page here.")
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite the HTML file if it exists.")] = False,
) -> None:
    """Turn a JSON report into one self-contained HTML page: clusters, pairs side by side, filters."""
    from checker.report import load_report
    from checker.views.html import write_html

    write_html(load_report(report_file), html_out, overwrite=force)
    typer.echo(f"wrote {html_out}")


app.command("eval-audit")(eval_audit)
app.command("export-onnx")(export_onnx_cmd)
app.command("serve")(serve)
app.command("stories")(stories)
app.command("audit-archive")(audit_archive)


if __name__ == "__main__":
    app()
