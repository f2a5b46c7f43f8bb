"""The options several newscheck commands take, each defined once: the same name, metavar and
help wherever it appears. Commands name them ``opt.NliModel`` and so on (``from checker import
cli_options as opt``); each default stays in the command's signature.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from checker.cli_common import BACKEND_HELP, BACKEND_METAVAR, BackendName

NliModel = Annotated[
    Optional[str], typer.Option(metavar="MODEL", help="NLI model folder or hub id. Default: newscheck's own.")
]
EmbedModel = Annotated[
    Optional[str],
    typer.Option(metavar="MODEL", help="Sentence-transformers folder or hub id. Default: all-MiniLM-L6-v2 (bundled)."),
]
Backend = Annotated[BackendName, typer.Option(metavar=BACKEND_METAVAR, help=BACKEND_HELP)]
TopK = Annotated[int, typer.Option(min=1, metavar="N", help="Neighbours per statement in other articles.")]
MinSim = Annotated[float, typer.Option(min=-1.0, max=1.0, metavar="SIM", help="Cosine similarity floor for a pair.")]
AsOf = Annotated[
    Optional[str],
    typer.Option(metavar="DATETIME", help="Audit only articles published by then (ISO 8601; no zone = UTC)."),
]
UpdateWindow = Annotated[
    float,
    typer.Option(min=0.0, metavar="HOURS", help="Hours two reports must be apart for a new figure to be an update."),
]
StoreFile = Annotated[
    Optional[Path],
    typer.Option(
        metavar="FILE",
        help="SQLite store for cached results, kept audits and dismissals. Default: $NEWSCHECK_CACHE_DIR/store.sqlite or ~/.cache/newscheck/store.sqlite.",
    ),
]
NoStore = Annotated[bool, typer.Option("--no-store", help="Neither read nor write the store.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or summary.")]
Json = Annotated[bool, typer.Option("--json", help="Print the result as JSON on stdout.")]
