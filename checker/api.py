"""The Python API: audit corpora and evaluate the NLI model from code, with the CLI's defaults.

Why built so: the CLI (:mod:`checker.cli`) only parses options, calls these functions and
renders; scripts, notebooks and services call the same functions, so both get the same
models, thresholds, store and report. An :class:`Auditor` loads its models once (lazily
with a store: an unchanged corpus needs none) and audits any number of corpora. Nothing
heavy is imported until an audit runs.

    >>> from checker import audit
    >>> report = audit("corpus")                                  # doctest: +SKIP
    >>> [p for p in report.pairs if p.verdict == "contradiction"]  # doctest: +SKIP

Unlike ``newscheck audit``, the library uses no store unless asked (``store=True`` for the
default location, or a path).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker import defaults
from checker.errors import InputError
from checker.pair import DEFAULT_MIN_SIM, DEFAULT_TOP_K
from checker.report import load_report  # the public re-export: checker.load_report
from checker.review import Ledger  # the public re-export: checker.Ledger (`newscheck review`)

if TYPE_CHECKING:
    from checker.cached_models import ReuseStats
    from checker.evaluate import EvalResult
    from checker.ingest import IngestResult
    from checker.label import Thresholds
    from checker.pipeline import Progress
    from checker.store import Store
    from checker.types import Report

__all__ = [
    "AuditRun",
    "Auditor",
    "Ledger",
    "audit",
    "evaluate",
    "load_report",
    "parse_as_of",
    "read_corpus",
    "saved_calibration",
]


def parse_as_of(value: str | datetime | None) -> datetime | None:
    """An ``as_of`` time in UTC: an ISO 8601 string (no zone = UTC) or a datetime, or None.

    Raises:
        InputError: a string that is not a date or time.
    """
    if value is None:
        return None
    from checker.published import parse_time

    parsed = parse_time(value.isoformat() if isinstance(value, datetime) else value)
    if parsed is None:
        raise InputError(f"--as-of: not a date or time: {value!r} (use ISO 8601, e.g. 2026-03-14T12:00Z)")
    return parsed[0]


def read_corpus(corpus: str | Path) -> IngestResult:
    """Read a folder of articles, as an audit does; at least two must be readable.

    Raises:
        InputError: a missing or empty folder, no readable article, or only one.
    """
    from checker.ingest import ingest_folder

    ingested = ingest_folder(corpus)
    if len(ingested.articles) < 2:
        skipped = f" ({len(ingested.skipped)} other file(s) skipped)" if ingested.skipped else ""
        raise InputError(
            f"{corpus} holds one readable article{skipped}: newscheck compares statements "
            "across articles, so it needs at least two"
        )
    return ingested


@dataclass(frozen=True)
class AuditRun:
    """One audit with what the CLI shows beside the report."""

    report: Report
    #: the JSON form (docs/report-schema.md); with a store, dismissed pairs are marked
    data: dict
    #: the store used, or None
    store_path: Path | None = None
    #: how much came from the store (None without one)
    stats: ReuseStats | None = None
    #: why the store was not updated (the audit is complete either way), or None
    store_problem: str | None = None


class Auditor:
    """Audits corpora with one set of models, thresholds, options and (optionally) a store.

    Models load on the first audit and are kept for the next ones; with a store they load
    only when some statement or pair is not in it yet. Use as a context manager (or call
    :meth:`close`) when a store is used.

    Args:
        nli_model: NLI model folder or hub id. Defaults to newscheck's shipped model.
        embed_model: sentence-transformers folder or hub id. Defaults to all-MiniLM-L6-v2.
        backend: NLI inference, "auto", "torch", "onnx" or "onnx-int8" (see
            :func:`checker.backends.load_nli`). Defaults to "auto".
        top_k: neighbours per statement in other articles.
        min_sim: cosine similarity floor for a pair.
        store: SQLite store of cached results, kept audits and dismissals: a path, True
            for the default location (``$NEWSCHECK_CACHE_DIR/store.sqlite``), or None/False
            for none. Defaults to None.
        as_of: audit only articles published by then (ISO 8601 string or datetime).
        update_window: hours two reports must be apart for a new figure to be an update.
        nli, embedder, thresholds: already built models / thresholds, used instead of
            loading (tests, services that share models).

    Raises:
        InputError: ``as_of`` is not a date or time.
    """

    def __init__(
        self,
        nli_model: str | None = None,
        embed_model: str | None = None,
        backend: str = "auto",
        top_k: int = DEFAULT_TOP_K,
        min_sim: float = DEFAULT_MIN_SIM,
        store: str | Path | bool | None = None,
        as_of: str | datetime | None = None,
        update_window: float = defaults.UPDATE_WINDOW_HOURS,
        *,
        nli: Any = None,
        embedder: Any = None,
        thresholds: Thresholds | None = None,
    ):
        self.nli_model, self.embed_model, self.backend = nli_model, embed_model, backend
        self.top_k, self.min_sim, self.update_window = top_k, min_sim, update_window
        self.as_of = parse_as_of(as_of)
        self.store_path: Path | None = None if store is None or store is False else _store_path(store)
        self._models: tuple[Any, Any, Thresholds] | None = None
        self._given = (nli, embedder, thresholds)
        self._db: Store | None = None
        #: the latest :class:`AuditRun` (its JSON data, store statistics and store problem)
        self.last_run: AuditRun | None = None

    # -- resources ----------------------------------------------------------------------
    def open_store(self) -> Store | None:
        """The store, opened on first use (None without one).

        Raises:
            StoreError: it cannot be opened, is damaged, or is not a newscheck store.
        """
        if self.store_path is not None and self._db is None:
            from checker.store import Store

            self._db = Store(self.store_path)
        return self._db

    def models(self) -> tuple[Any, Any, Thresholds]:
        """(NLI model, embedder, thresholds), loaded on first use and kept.

        Raises:
            ModelError: a model path that does not exist or holds no model.
        """
        if self._models is None:
            from checker import pipeline

            nli, embedder, thresholds = self._given
            if nli is None or embedder is None:
                # with a store, models load only if some result is not in it yet
                lazy = self.store_path is not None or nli is not None or embedder is not None
                loaded = pipeline.load_models(self.nli_model, self.embed_model, self.backend, lazy=lazy)
                nli = loaded[0] if nli is None else nli
                embedder = loaded[1] if embedder is None else embedder
                thresholds = loaded[2] if thresholds is None else thresholds
            if thresholds is None:
                from checker.label import Thresholds

                thresholds = Thresholds()
            self._models = (nli, embedder, thresholds)
        return self._models

    def close(self) -> None:
        """Close the store (models stay loaded)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> Auditor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- auditing -----------------------------------------------------------------------
    def run(
        self, corpus: str | Path, ingested: IngestResult | None = None, progress: Progress | None = None
    ) -> AuditRun:
        """Audit ``corpus`` and keep the audit in the store (if any).

        Args:
            corpus: folder of articles.
            ingested: what :func:`read_corpus` read from it already (else it is read now).
            progress: a sink with ``stage(name, total)`` and ``advance(n)``.

        Raises:
            InputError, ModelError, StoreError: bad corpus, model or store. A store that
                cannot be *written* is not an error: see :attr:`AuditRun.store_problem`.
        """
        from checker.pipeline import AuditOptions
        from checker.pipeline import Progress as NoProgress
        from checker.pipeline import audit as run_pipeline
        from checker.report import report_to_dict

        ingested = ingested if ingested is not None else read_corpus(corpus)
        db = self.open_store()
        progress = progress or NoProgress()
        progress.stage("loading models")
        nli, embedder, thresholds = self.models()
        stats = None
        if db is not None:
            from checker.cached_models import CachedEmbedder, CachedNli, ReuseStats

            stats = ReuseStats()
            nli, embedder = CachedNli(nli, db, stats), CachedEmbedder(embedder, db, stats)
        options = AuditOptions(self.top_k, self.min_sim, self.update_window, self.as_of)
        report = run_pipeline(ingested, nli, embedder, thresholds, options, progress)
        data = report_to_dict(report, corpus=str(corpus))
        problem = None
        if db is not None:
            from checker.store import keep_audit

            problem = keep_audit(db, str(Path(corpus).resolve()), data)  # the report is complete either way
        self.last_run = AuditRun(report, data, db.path if db is not None else None, stats, problem)
        return self.last_run

    def audit(self, corpus: str | Path, progress: Progress | None = None) -> Report:
        """Audit a folder of articles: pair statements across outlets and label each pair.

        A store that cannot be written gives a :class:`RuntimeWarning` (the report is
        complete); :attr:`last_run` holds the details.

        Raises:
            InputError: a missing or empty folder, or fewer than two readable articles.
            ModelError: a bad model path.
            StoreError: a damaged store.
        """
        result = self.run(corpus, progress=progress)
        if result.store_problem is not None:
            warnings.warn(result.store_problem, RuntimeWarning, stacklevel=2)
        return result.report

    def to_dict(self, report: Report, corpus: str | Path | None = None) -> dict:
        """The JSON form of ``report`` (docs/report-schema.md); with an open store, each pair's
        review status is marked. ``corpus`` defaults to the folder the articles were read from."""
        from checker.report import report_to_dict

        if corpus is None:
            folders = {str(Path(a.path).parent) for a in report.articles}
            corpus = folders.pop() if len(folders) == 1 else None
        data = report_to_dict(report, corpus=None if corpus is None else str(corpus))
        if self._db is not None:
            if self.last_run is not None and self.last_run.report is report:
                # new/seen as marked when this audit was kept (the kept audit itself is not "earlier")
                marked = {p["id"]: p.get("review") for p in self.last_run.data["pairs"]}
                for p in data["pairs"]:
                    p["review"] = marked.get(p["id"])
            Ledger(self._db).mark(data)
        return data

    def save(self, report: Report, path: str | Path, overwrite: bool = False) -> Path:
        """Write ``report`` as JSON (what ``newscheck inspect`` and ``report`` read).

        Raises:
            InputError: the file exists and ``overwrite`` is False, or cannot be written.
        """
        from checker.report import write_report

        return write_report(self.to_dict(report), path, overwrite=overwrite)


def _store_path(store: str | Path | bool) -> Path:
    if isinstance(store, bool):  # True: the default location (False never gets here)
        from checker.store import default_store_path

        return default_store_path()
    return Path(store)


def audit(corpus: str | Path, **options: Any) -> Report:
    """Audit one folder of articles with the CLI's defaults; see :class:`Auditor` for the options
    (``nli_model``, ``embed_model``, ``backend``, ``top_k``, ``min_sim``, ``store``, ``as_of``,
    ``update_window``).

    Returns:
        The :class:`~checker.types.Report`: ``report.pairs`` holds every labeled pair
        (``verdict``, ``score``, ``pair.a`` / ``pair.b`` statements), ``report.findings`` the
        typed checks by pair id, ``report.clusters`` the fact clusters.
    """
    with Auditor(**options) as auditor:
        return auditor.audit(corpus)


def evaluate(
    files: str | Path | Iterable[str | Path],
    nli_model: str | None = None,
    backend: str = "auto",
    label_map: dict[str, str] | None = None,
    limit: int | None = None,
    calibrated: bool = True,
    *,
    nli: Any = None,
) -> list[EvalResult]:
    """Score the NLI model on labeled pairs, as ``newscheck eval`` does (without ``--tune``).

    Args:
        files: labeled pairs (.jsonl, .jsonl.gz, .csv, .tsv), one path or several.
        nli_model: NLI model folder or hub id. Defaults to newscheck's shipped model.
        backend: NLI inference, as for ``newscheck eval``. Defaults to "auto" (a validated
            ONNX build when there is one, else PyTorch).
        label_map: meaning of numeric labels, e.g. ``{"0": "entailment", ...}``.
        limit: score at most this many pairs per file.
        calibrated: also score with the model's saved calibration.json, when it changes
            anything (the result's ``tuned``). Defaults to True.
        nli: an already loaded NLI model, used instead of loading one.

    Returns:
        One :class:`checker.evaluate.EvalResult` (a dict of metrics) per file.

    Raises:
        LabeledDataError: a file with no usable rows or an unknown label scheme.
        InputError, ModelError: a missing file or a bad model.
    """
    from checker.evaluate import evaluate_set, read_labeled

    paths: Sequence[str | Path] = [files] if isinstance(files, (str, Path)) else list(files)
    sets = [read_labeled(f, label_map) for f in paths]  # every file is checked before the model loads
    if nli is None:
        from checker.backends import load_nli

        nli = load_nli(nli_model, backend)
    calibration = saved_calibration(nli) if calibrated else None
    return [evaluate_set(ls, nli, calibration=calibration, limit=limit) for ls in sets]


def saved_calibration(nli: Any):
    """The calibration saved beside a local NLI model, or None when there is none or it
    changes nothing (temperature 1, no contradiction threshold)."""
    name = getattr(nli, "name", None)
    if not name or not Path(name).is_dir():
        return None
    from checker.calibration import load_calibration

    found = load_calibration(name)
    return found if found.temperature != 1.0 or found.contradiction_threshold is not None else None
