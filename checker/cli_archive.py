"""The archive commands: ``newscheck stories`` and ``newscheck audit-archive``.

Registered on the app by :mod:`checker.cli`; like every command, each parses options, calls
the library (:mod:`checker.archive`, :mod:`checker.grouping`, :mod:`checker.engines`) and prints.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import typer

from checker import cli_options as opt
from checker.cli_common import DEFAULT_BACKEND, RichProgress, cli_errors
from checker.cli_common import stderr_console as _stderr_console
from checker.defaults import UPDATE_WINDOW_HOURS
from checker.grouping import GroupingOptions
from checker.pair import DEFAULT_MIN_SIM, DEFAULT_TOP_K

_DEFAULTS = GroupingOptions()
EngineName = Literal["local", "ray"]

ArchiveArg = Annotated[
    Path, typer.Argument(metavar="ARCHIVE", help="Folder of articles from many stories (.txt .md .html .json .jsonl).")
]
ThresholdOpt = Annotated[
    float,
    typer.Option(
        min=0.0, max=2.0, metavar="DIST", help="Average-linkage distance (1 - similarity) stories merge under."
    ),
]
WindowOpt = Annotated[
    float,
    typer.Option(min=0.0, metavar="HOURS", help="Articles published further apart are never one story (when dated)."),
]


def _store_choice(store: Path | None, no_store: bool) -> Path | None:
    from checker.errors import InputError
    from checker.store import default_store_path

    if store is not None and no_store:
        raise InputError("--store and --no-store contradict each other; give one")
    return None if no_store else (store if store is not None else default_store_path())


def _read_gold(path: Path) -> dict[str, str]:
    from checker.errors import InputError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read gold stories {path}: {exc}") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
        raise InputError(f'{path}: expected {{"files": {{file name: gold story id}}}}')
    return files


@cli_errors
def stories(
    archive: ArchiveArg,
    out: Annotated[
        Path,
        typer.Option("--out", "-o", metavar="FILE", help="Write the stories here (an existing file needs --force)."),
    ] = Path("stories.json"),
    gold: Annotated[
        Optional[Path],
        typer.Option(metavar="FILE", help='Gold stories ({"files": {name: story}}): print purity and completeness.'),
    ] = None,
    threshold: ThresholdOpt = _DEFAULTS.threshold,
    window_hours: WindowOpt = _DEFAULTS.window_hours,
    embed_model: opt.EmbedModel = None,
    store: opt.StoreFile = None,
    no_store: opt.NoStore = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --out if it exists.")] = False,
    as_json: opt.Json = False,
    quiet: opt.Quiet = False,
) -> None:
    """Group an archive's articles into stories and write stories.json (story -> articles, headline)."""
    from rich.markup import escape

    from checker.archive import find_stories, write_json_atomic
    from checker.errors import InputError
    from checker.grouping import grouping_to_dict, score_grouping

    if out.exists() and not force:
        raise InputError(f"{out} already exists; pass --force to overwrite it")
    truth = _read_gold(gold) if gold is not None else None  # bad input fails before any model is loaded
    err = _stderr_console(quiet)
    options = GroupingOptions(threshold=threshold, window_hours=window_hours)
    with RichProgress(err, enabled=not quiet) as progress:
        progress.stage("grouping articles into stories")
        ingested, grouping = find_stories(archive, embed_model, _store_choice(store, no_store), options)
    data = grouping_to_dict(grouping, str(Path(archive).resolve()))
    if truth is not None:
        score = score_grouping(grouping, truth)
        data["evaluation"] = {
            "gold": str(gold),
            "purity": round(score.purity, 4),
            "completeness": round(score.completeness, 4),
            "articles": score.articles,
            "found_stories": score.found,
            "gold_stories": score.gold,
        }
    write_json_atomic(data, out)
    if as_json:
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        return
    s = data["summary"]
    err.print(
        f"{s['articles']} articles in {s['stories']} stories ({s['multi_article_stories']} with two or more)"
        + (f"; {len(ingested.skipped)} file(s) skipped" if ingested.skipped else "")
        + f" · written to {escape(str(out))}"
    )
    if "evaluation" in data:
        e = data["evaluation"]
        typer.echo(
            f"purity {e['purity']:.3f} · completeness {e['completeness']:.3f} over {e['articles']} articles "
            f"({e['found_stories']} stories found, {e['gold_stories']} gold)"
        )


@cli_errors
def audit_archive(
    archive: ArchiveArg,
    out: Annotated[Path, typer.Option("--out", "-o", metavar="DIR", help="Folder for the reports and index.json.")],
    engine: Annotated[
        EngineName, typer.Option(metavar="[local|ray]", help="Run stories in this process or on Ray.")
    ] = "local",
    ray_address: Annotated[
        Optional[str],
        typer.Option(
            metavar="ADDR", help="Ray cluster to join ('auto': the local `ray start` one). Default: start one."
        ),
    ] = None,
    nli_actors: Annotated[
        Optional[int], typer.Option(min=1, metavar="N", help="Ray NLI actors. Default: half the cluster's CPUs.")
    ] = None,
    top_k: opt.TopK = DEFAULT_TOP_K,
    min_sim: opt.MinSim = DEFAULT_MIN_SIM,
    nli_model: opt.NliModel = None,
    embed_model: opt.EmbedModel = None,
    backend: opt.Backend = DEFAULT_BACKEND,
    store: opt.StoreFile = None,
    no_store: opt.NoStore = False,
    as_of: opt.AsOf = None,
    update_window: opt.UpdateWindow = UPDATE_WINDOW_HOURS,
    threshold: ThresholdOpt = _DEFAULTS.threshold,
    window_hours: WindowOpt = _DEFAULTS.window_hours,
    force: Annotated[
        bool, typer.Option("--force", help="Write into a folder holding other files; redo stories already done.")
    ] = False,
    top: Annotated[int, typer.Option(metavar="N", help="Stories shown in the summary.")] = 10,
    as_json: opt.Json = False,
    quiet: opt.Quiet = False,
) -> None:
    """Group an archive into stories and audit each one; one report per story plus index.json
    (most conflicts first). Run it again to resume: finished stories are not redone."""
    from checker.api import parse_as_of
    from checker.archive import audit_archive as run_archive
    from checker.archive import check_out_dir
    from checker.engines import AuditConfig, make_engine
    from checker.ingest import ingest_folder

    check_out_dir(out, force)
    ingested = ingest_folder(archive)  # bad input fails before any model or Ray starts
    config = AuditConfig(
        nli_model,
        embed_model,
        backend,
        top_k,
        min_sim,
        _store_choice(store, no_store),
        parse_as_of(as_of),
        update_window,
    )
    err = _stderr_console(quiet)
    runner = make_engine(engine, config, ray_address, nli_actors)
    try:
        with RichProgress(err, enabled=not quiet) as progress:
            progress.stage(f"grouping {len(ingested.articles)} articles into stories")
            counted: dict[str, Any] = {}

            def on_story(story_id: str, status: str) -> None:
                if not counted:
                    counted["started"] = True
                    progress.stage(f"auditing stories ({engine} engine)", total=None)
                progress.advance(1)

            result = run_archive(
                archive,
                out,
                runner,
                config,
                GroupingOptions(threshold=threshold, window_hours=window_hours),
                force,
                on_story,
                ingested,
            )
    finally:
        runner.close()
    index = result.index
    if as_json:
        sys.stdout.write(json.dumps(index, ensure_ascii=False, indent=1) + "\n")
    elif not quiet:
        _render_index(index, out, top)
    failed = [e for e in index["stories"] if e["status"] == "failed"]
    for e in failed:
        typer.echo(f"newscheck: story {e['id']} was not audited: {e.get('error')}", err=True)


def _render_index(index: dict, out: Path, top: int) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    s = index["summary"]
    console = Console()
    console.print(
        f"newscheck audit-archive · {s['articles']} articles · {s['stories']} stories: {s['audited']} audited, "
        f"{s['reused']} already done, {s['single_article']} single-article, {s['failed']} failed · "
        f"{s['contradictions']} contradictions"
    )
    table = Table(title=f"Stories with the most conflicts (top {min(top, len(index['stories']))})")
    for col in ("story", "articles", "contradictions", "conflicting facts", "headline"):
        table.add_column(col)
    for e in index["stories"][:top]:
        table.add_row(
            e["id"], str(e["articles"]), str(e["contradictions"]), str(e["conflicting_clusters"]), escape(e["headline"])
        )
    console.print(table)
    console.print(
        f"Index written to {escape(str(out / 'index.json'))}; one report per story in {escape(str(out))}/stories"
    )
