"""audit(): the stages in order, ingest -> segment -> embed/pair -> label -> Report.

Models are built by the caller (or by :func:`load_models`) and passed in, so a test, a
benchmark or a long-running service loads them once and audits many corpora.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from checker import defaults
from checker.claims import split_statements
from checker.clusters import build_clusters
from checker.embed import Embedder
from checker.findings import apply_findings, date_keys
from checker.frames import title_keys
from checker.ingest import IngestResult, ingest_folder
from checker.label import DEFAULT_CONTRADICTION_THRESHOLD, Thresholds, label_pairs
from checker.pair import DEFAULT_MIN_SIM, DEFAULT_TOP_K, merge_pairs, pair_by_keys, pair_statements
from checker.published import publication_times
from checker.relations import relation_keys
from checker.segment import segment_articles
from checker.swaps import check_swaps
from checker.types import AuditSettings, Report
from checker.updates import fact_keys
from checker.verdict import decide_pairs


@dataclass(frozen=True, slots=True)
class AuditOptions:
    top_k: int = DEFAULT_TOP_K
    min_sim: float = DEFAULT_MIN_SIM
    #: reports further apart than this may update an evolving fact (checker.updates)
    update_window_hours: float = defaults.UPDATE_WINDOW_HOURS
    #: audit only articles published by then (UTC); unknown times are skipped with a reason
    as_of: datetime | None = None


class Progress:
    """No-op progress sink; the CLI passes one that draws bars."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...


class LazyModel:
    """Stands in for a model and loads it on first use.

    Why: with the store, a re-audit of an unchanged corpus needs no model at all, and
    loading torch and two models is most of a warm audit's time. The attributes the store
    keys results by (``name``, ``backend``, ``temperature``) are known without loading.
    """

    name: str  # set from ``known``
    _tokenizer: Any

    def __init__(self, factory: Callable, **known):
        self._factory, self._model = factory, None
        self._tokenizer = None
        self.__dict__.update(known)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _get(self):
        if self._model is None:
            self._model = self._factory()
        return self._model

    def predict(self, pairs, progress=None):
        return self._get().predict(pairs, progress=progress)

    def count_tokens(self, text: str) -> int:
        """Token count without loading the model: its fast tokenizer file alone (long-input policy)."""
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            path = Path(self.name) / "tokenizer.json"
            if not path.is_file():
                self._tokenizer = self._get()
            else:
                self._tokenizer = Tokenizer.from_file(str(path))
                self._tokenizer.no_truncation()
        if hasattr(self._tokenizer, "count_tokens"):
            return self._tokenizer.count_tokens(text)
        return len(self._tokenizer.encode(text, add_special_tokens=False).ids)

    def encode(self, texts):
        return self._get().encode(texts)


def load_models(
    nli_model: str | None = None, embed_model: str | None = None, backend: str = "auto", lazy: bool = False
):
    """(NLI model, embedder, Thresholds), with the NLI model's calibration applied.

    Args:
        nli_model: folder or hub id. Defaults to newscheck's shipped model.
        embed_model: folder or hub id. Defaults to the bundled all-MiniLM-L6-v2.
        backend: passed to :func:`checker.backends.load_nli`: "auto" takes a validated ONNX
            build of the model when ``newscheck export-onnx`` made one, else PyTorch; any
            backend but "torch" also takes the embedder's validated ONNX build.
        lazy: return :class:`LazyModel` stand-ins that load on first use (for audits
            backed by the store). Paths are still checked now.

    Raises:
        ModelError: a model path that does not exist or holds no model.
    """
    from checker.backends import load_nli, resolve_backend
    from checker.calibration import load_calibration
    from checker.embed import load_embedder
    from checker.models import default_embed_model_path, resolve_model
    from checker.nli import default_nli_model_path

    embed_name = embed_model or default_embed_model_path()
    resolve_model(embed_name, "embedding")  # fail on a bad path before the slow NLI load
    nli_name = nli_model or str(default_nli_model_path())
    from checker.verdict import load_calibration as load_verdict_calibration

    nli_dir = resolve_model(nli_name, "NLI")
    cal = load_calibration(nli_dir)
    verdict_cal = load_verdict_calibration(nli_dir)
    thresholds = Thresholds(
        contradiction=cal.contradiction_threshold or DEFAULT_CONTRADICTION_THRESHOLD, verdict=verdict_cal
    )
    temperature = cal.temperature or 1.0

    def make_nli():
        nli = load_nli(nli_name, backend)
        nli.temperature = temperature
        return nli

    if lazy:
        return (
            LazyModel(make_nli, name=nli_name, backend=resolve_backend(nli_name, backend), temperature=temperature),
            LazyModel(lambda: load_embedder(embed_name, backend=backend), name=embed_name),
            thresholds,
        )
    return make_nli(), load_embedder(embed_name, backend=backend), thresholds


#: glibc's mallopt parameter number of the mmap threshold (malloc.h)
_M_MMAP_THRESHOLD = -3
#: blocks of at least this many bytes get their own mapping, returned to the system when freed
MMAP_THRESHOLD = 4 << 20


@functools.cache
def _libc():
    """The C library when it is glibc (mallopt, malloc_trim), else None."""
    import platform

    if not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc":
        return None
    try:
        import ctypes

        return ctypes.CDLL(None)
    except OSError:  # pragma: no cover - no dynamic loader
        return None


def bound_heap() -> None:
    """Have glibc return large freed blocks to the system at once (elsewhere: nothing).

    Why: glibc raises its mmap threshold each time a large block is freed (up to 32 MiB), so
    after the first batch a model's activations come from the heap, and a heap gives back only
    its top. Batches grow as texts get longer (pairs are scored shortest first), each finds
    the holes the last left too small, and the resident set climbs: a 200-article audit kept
    ~260 MiB more after embedding than before it, and peaked at 1,480 MiB. A fixed threshold
    turns that adjustment off. Results are unchanged; only where memory comes from differs.
    """
    libc = _libc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def release_freed_memory() -> None:
    """Return the heap's free pages to the system (glibc's ``malloc_trim``; elsewhere nothing),
    after a stage that freed much (the embedding and NLI activations, the tokenised pairs)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def _published_by(ingested: IngestResult, published: dict, as_of: datetime) -> IngestResult:
    """Only the articles a desk could have read at ``as_of``."""
    from checker.errors import InputError

    keep, skipped = [], list(ingested.skipped)
    for a in ingested.articles:
        when = published[a.id].when
        if when is None:
            skipped.append((a.path, "publication time unknown (--as-of)"))
        elif when > as_of:
            skipped.append((a.path, f"published after --as-of ({published[a.id].iso})"))
        else:
            keep.append(a)
    if len(keep) < 2:
        raise InputError(f"fewer than two articles were published by {as_of.isoformat()}")
    return IngestResult(tuple(keep), tuple(skipped))


def audit(
    corpus: str | Path | IngestResult,
    nli,
    embedder: Embedder,
    thresholds: Thresholds = Thresholds(),
    options: AuditOptions = AuditOptions(),
    progress: Progress | None = None,
) -> Report:
    """Audit every article in ``corpus``.

    Args:
        corpus: folder of articles, or what :func:`checker.ingest.ingest_folder` read from one.
        nli: object with ``predict(pairs, progress=None) -> (n, 3)`` and a ``name``.
        embedder: see :class:`checker.embed.Embedder`.
        thresholds: verdict thresholds, and the calibrated verdict (``thresholds.verdict``) when fitted.
        options: pairing options.
        progress: optional progress sink.

    On glibc, the first audit fixes malloc's mmap threshold for the process (:func:`bound_heap`)
    and each audit returns freed heap pages after its heavy stages (:func:`release_freed_memory`).
    """
    progress = progress or Progress()
    bound_heap()
    progress.stage("reading articles")
    ingested = corpus if isinstance(corpus, IngestResult) else ingest_folder(corpus)
    published = publication_times(ingested.articles)
    if options.as_of is not None:
        ingested = _published_by(ingested, published, options.as_of)
    progress.stage("segmenting")
    statements = split_statements(segment_articles(ingested.articles))
    progress.stage("embedding statements", total=len(statements))
    vectors = embedder.encode([s.text for s in statements])
    progress.advance(len(statements))
    release_freed_memory()
    progress.stage("pairing")
    candidates = pair_statements(statements, vectors, options.top_k, options.min_sim)
    # two outlets' values of one evolving fact, however worded (decision 0007)
    candidates = merge_pairs(candidates, pair_by_keys(statements, vectors, [fact_keys(s.text) for s in statements]))
    # two outlets' dates of one event, however worded (decision 0015)
    candidates = merge_pairs(candidates, pair_by_keys(statements, vectors, [date_keys(s.text) for s in statements]))
    # two outlets' titles of one person, however worded
    candidates = merge_pairs(candidates, pair_by_keys(statements, vectors, [title_keys(s.text) for s in statements]))
    # two outlets' fillers of one relation (who owns it, where it is or was held), however worded
    candidates = merge_pairs(candidates, pair_by_keys(statements, vectors, [relation_keys(s.text) for s in statements]))
    release_freed_memory()
    progress.stage("scoring pairs (NLI, both directions)", total=2 * len(candidates))
    predict: Callable = lambda texts: nli.predict(texts, progress=progress.advance)  # noqa: E731
    labeled = label_pairs(
        candidates, predict, thresholds, getattr(nli, "count_tokens", None), getattr(nli, "max_length", 256)
    )
    release_freed_memory()
    progress.stage("typed checks and fact clusters")
    nli_verdicts = {lp.id: lp.verdict for lp in labeled}
    typed = apply_findings(labeled, entailment_threshold=thresholds.entailment)
    calibration = thresholds.verdict  # the calibrated verdict (decision 0006); None keeps the NLI rule
    if calibration is not None:
        progress.stage("scoring pairs with the differing name or figure exchanged")
        labeled = check_swaps(labeled, predict)
        release_freed_memory()
        typed = decide_pairs(
            [(lp0, f) for lp0, (_, f) in zip(labeled, typed)],
            calibration,
            published=published,
            window_hours=options.update_window_hours,
        )
    labeled = [lp for lp, _ in typed]
    findings = {lp.id: f for lp, f in typed if f.type or f.adjust}
    clusters = build_clusters(statements, labeled, conflict_types={k: f.type for k, f in findings.items()})
    settings = AuditSettings(
        nli_model=getattr(nli, "name", type(nli).__name__),
        embed_model=getattr(embedder, "name", type(embedder).__name__),
        top_k=options.top_k,
        min_sim=options.min_sim,
        contradiction_threshold=thresholds.contradiction,
        entailment_threshold=thresholds.entailment,
        nli_backend=getattr(nli, "backend", "torch"),
    )
    return Report(
        tuple(ingested.articles),
        tuple(statements),
        tuple(labeled),
        settings,
        ingested.skipped,
        findings=findings,
        nli_verdicts=nli_verdicts,
        clusters=tuple(clusters),
        published={a.id: published[a.id] for a in ingested.articles},
    )
