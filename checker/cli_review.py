"""``newscheck review ...`` (the review ledger) and ``newscheck serve`` (the review web app).

A thin layer over :class:`checker.review.Ledger` and :mod:`checker.serve`: parse options,
call, print. Decisions from both go to the same store as ``newscheck audit`` keeps audits in.
"""

from __future__ import annotations

import json
import socket
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from checker.cli_common import OneLineErrors, RichProgress, cli_errors, stderr_console

review_app = typer.Typer(
    cls=OneLineErrors,
    no_args_is_help=True,
    rich_markup_mode=None,
    help="The review ledger: dismiss, confirm, annotate, undo and list reviewed pairs; every decision is kept.",
)

StoreOption = Annotated[
    Optional[Path],
    typer.Option(
        metavar="PATH", help="The store of kept audits and review decisions. Default: the one `newscheck audit` uses."
    ),
]
ByOption = Annotated[Optional[str], typer.Option(metavar="NAME", help="Who reviews. Default: $USER.")]
PairArgument = Annotated[str, typer.Argument(metavar="PAIR_ID", help="Pair id from a report (`newscheck inspect`).")]


def _ledger(store: Path | None):
    from checker.review import Ledger

    return Ledger(store)  # a missing store is an error, never created here


@review_app.command("dismiss")
@cli_errors
def dismiss(
    pair_id: PairArgument,
    reason: Annotated[str, typer.Option(metavar="TEXT", help="Why this finding is not a real conflict.")],
    by: ByOption = None,
    store: StoreOption = None,
) -> None:
    """Dismiss a pair: later audits show it as dismissed, not new. An earlier reason stays in the history."""
    with _ledger(store) as ledger:
        before = ledger.decisions().get(pair_id)
        event = ledger.dismiss(pair_id, reason, by=by)
    typer.echo(f"dismissed {pair_id}: {event.note}")
    if before is not None:
        typer.echo(
            f"  (it was {before.status} by {before.by or 'unknown'} at {before.at}"
            + (f": {before.note}" if before.note else "")
            + "; kept in `newscheck review list --history`)"
        )


@review_app.command("confirm")
@cli_errors
def confirm(
    pair_id: PairArgument,
    text: Annotated[Optional[str], typer.Option("--note", metavar="TEXT", help="What was checked.")] = None,
    by: ByOption = None,
    store: StoreOption = None,
) -> None:
    """Confirm a pair: a real conflict, checked by a reviewer."""
    with _ledger(store) as ledger:
        event = ledger.confirm(pair_id, text, by=by)
    typer.echo(f"confirmed {pair_id}" + (f": {event.note}" if event.note else ""))


@review_app.command("note")
@cli_errors
def note(
    pair_id: PairArgument,
    text: Annotated[str, typer.Option("--note", metavar="TEXT", help="The note.")],
    by: ByOption = None,
    store: StoreOption = None,
) -> None:
    """Add a note to a pair's history without deciding anything."""
    with _ledger(store) as ledger:
        ledger.note(pair_id, text, by=by)
    typer.echo(f"noted on {pair_id}")


@review_app.command("undo")
@cli_errors
def undo(
    pair_id: PairArgument,
    reason: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Why the decision is taken back.")] = None,
    by: ByOption = None,
    store: StoreOption = None,
) -> None:
    """Take back the decision in force on a pair; the one before it, if any, applies again."""
    with _ledger(store) as ledger:
        _, undone = ledger.undo(pair_id, reason, by=by)
        now = ledger.decisions().get(pair_id)
    typer.echo(f"undid {undone.status} ({undone.by or 'unknown'}, {undone.at}) on {pair_id}")
    typer.echo(f"  now {now.status} ({now.by or 'unknown'}, {now.at})" if now else "  now open")


@review_app.command("list")
@cli_errors
def list_(
    history: Annotated[
        bool, typer.Option("--history", help="Every event, oldest first, not just the decisions in force.")
    ] = False,
    status: Annotated[
        Optional[str],
        typer.Option(metavar="dismissed|confirmed", help="Only pairs with this decision."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the rows as JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """List reviewed pairs with who decided, when and why (`--history`: every event)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    if status not in (None, "dismissed", "confirmed"):
        from checker.errors import InputError

        raise InputError(f"--status must be dismissed or confirmed, got {status!r}")
    with _ledger(store) as ledger:
        rows = ledger.listing(history=history, status=status)
        where = ledger.db.path
    if history and status:
        rows = [r for r in rows if r["now"] == status]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    console = Console()
    if not rows:
        console.print(f"No reviews in {where}.")
        return
    t = Table(title=f"{'Review history' if history else 'Reviewed pairs'} · {where}", title_justify="left", expand=True)
    columns = ["#", "action", "pair", "now"] if history else ["pair", "status"]
    for col in [*columns, "by", "when (UTC)"]:
        t.add_column(col, no_wrap=True)
    t.add_column("note", ratio=2)
    if not history:  # the texts once per pair; the history names the pair only
        t.add_column("pair (as last audited)", ratio=4)
    for r in rows:
        if history:
            cells = [
                str(r["id"] or "—"),
                r["action"] + (f" #{r['undoes']}" if r["undoes"] else ""),
                r["pair_id"],
                r["now"],
            ]
        else:
            cells = [r["pair_id"], r["status"]]
        cells += [r["by"] or "unknown", r["at"], Text(r["note"] or "")]
        if not history:
            texts = f"{r['verdict']} · {r['type'] or 'untyped'}\n{r['a_outlet']}: {r['a_text']}\n{r['b_outlet']}: {r['b_text']}"
            cells.append(Text(texts) if r["verdict"] else Text("not in a kept audit", style="dim"))
        t.add_row(*cells)
    console.print(t)


@review_app.command("export")
@cli_errors
def export(
    csv_out: Annotated[
        Path, typer.Option("--csv", metavar="FILE", help="Write every event as CSV here ('-': stdout).")
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    store: StoreOption = None,
) -> None:
    """Export the whole ledger (every event, with each pair's texts) as CSV."""
    from checker.errors import InputError

    if str(csv_out) == "-":
        with _ledger(store) as ledger:
            ledger.export_csv(sys.stdout)
        return
    if csv_out.exists() and not force:
        raise InputError(f"{csv_out} already exists; pass --force to overwrite it")
    with _ledger(store) as ledger:
        try:
            with open(csv_out, "w", encoding="utf-8", newline="") as fh:
                n = ledger.export_csv(fh)
        except OSError as exc:
            raise InputError(f"cannot write {csv_out}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {n} review events to {csv_out}")


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


@cli_errors
def serve(
    source: Annotated[
        Path, typer.Argument(metavar="REPORT|CORPUS", help="A JSON report, or a folder of articles to audit first.")
    ],
    port: Annotated[int, typer.Option(min=1, max=65535, metavar="PORT", help="Port to listen on.")] = 8765,
    host: Annotated[
        str,
        typer.Option(
            metavar="HOST",
            help="Address to listen on. Anything but 127.0.0.1/localhost lets others record decisions.",
        ),
    ] = "127.0.0.1",
    store: StoreOption = None,
    by: ByOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or startup lines.")] = False,
) -> None:
    """Review in a browser: browse fact clusters, filter, search, confirm or dismiss pairs with a note."""
    from checker.errors import InputError
    from checker.serve import require_web_stack

    require_web_stack()  # before any audit: the extra is missing -> one line, exit 2
    if not source.exists():
        raise InputError(f"no such report or folder: {source}")
    if not _port_free(host, port):
        raise InputError(f"cannot listen on {host}:{port} (in use or not an address here); pass --port")
    err = stderr_console(quiet)
    data, store_path = _serve_data(source, store, err, quiet)

    import uvicorn

    from checker.serve import create_app

    local = host in ("127.0.0.1", "localhost", "::1")
    hosts = ["127.0.0.1", "localhost", "[::1]"] if local else ["*"]
    if not local:
        err.print(f"listening on {host}: anyone who can reach it can record decisions", style="yellow", markup=False)
    url_host = f"[{host}]" if ":" in host else host
    err.print(
        f"newscheck serve: http://{url_host}:{port}/ · decisions go to {store_path} · Ctrl+C stops",
        markup=False,
        soft_wrap=True,
    )
    app = create_app(data, store_path, reviewer=by, allowed_hosts=hosts)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _serve_data(source: Path, store: Path | None, err, quiet: bool) -> tuple[dict, Path]:
    """The report to serve (read, or audited now with the store) and the store path; the report
    is marked new/seen and kept in the store when its pairs are not (decisions need them kept)."""
    from checker.errors import StoreError
    from checker.review import Ledger
    from checker.serve.app import keep_for_review
    from checker.store import Store, default_store_path

    store_path = store if store is not None else default_store_path()
    if source.is_dir():
        from checker.api import Auditor, read_corpus

        ingested = read_corpus(source)
        with Auditor(store=store_path) as auditor, RichProgress(err, enabled=not quiet) as progress:
            run = auditor.run(source, ingested, progress)
        if run.store_problem is not None:
            raise StoreError(f"{run.store_problem}; decisions could not be recorded")
        return run.data, store_path
    from checker.report import load_report

    data = load_report(source)
    with Store(store_path) as db:
        Ledger(db).mark(data)  # new/seen against the audits kept before this report
        if keep_for_review(data, db, str(source)):
            err.print(
                f"kept {source} in {store_path} as an audit, so its pairs can be reviewed", markup=False, soft_wrap=True
            )
        if db.not_updated is not None:
            raise StoreError(
                f"store {store_path} cannot be written ({db.not_updated}); decisions could not be recorded"
            )
    return data, store_path
