"""audit(): the stages in order, ingest -> segment -> embed/pair -> label -> Report.

Models are built by the caller (or by :func:`load_models`) and passed in, so a test, a
benchmark or a long-running service loads them once and audits many corpora.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checker.clusters import build_clusters
from checker.embed import Embedder
from checker.findings import apply_findings
from checker.ingest import IngestResult, ingest_folder
from checker.label import Thresholds, label_pairs
from checker.pair import DEFAULT_MIN_SIM, DEFAULT_TOP_K, pair_statements
from checker.segment import segment_articles
from checker.types import AuditSettings, Report


@dataclass(frozen=True, slots=True)
class AuditOptions:
    top_k: int = DEFAULT_TOP_K
    min_sim: float = DEFAULT_MIN_SIM


class Progress:
    """No-op progress sink; the CLI passes one that draws bars."""

    def stage(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...


def load_models(nli_model: str | None = None, embed_model: str | None = None, backend: str = "auto"):
    """(NLI model, SentenceTransformerEmbedder, Thresholds) with the model's calibration.

    ``backend`` is passed to :func:`checker.backends.load_nli`: "auto" takes a validated
    ONNX build of the model when ``newscheck export-onnx`` made one, else PyTorch.
    """
    from checker.backends import load_nli
    from checker.calibration import load_calibration
    from checker.embed import SentenceTransformerEmbedder
    from checker.models import resolve_model

    if embed_model:
        resolve_model(embed_model, "embedding")  # fail on a bad path before the slow NLI load
    nli = load_nli(nli_model, backend)
    cal = load_calibration(nli.name)
    thresholds = Thresholds(contradiction=cal.contradiction_threshold) if cal.contradiction_threshold else Thresholds()
    if cal.temperature and cal.temperature != 1.0:
        nli.temperature = cal.temperature
    return nli, SentenceTransformerEmbedder(embed_model), thresholds


def audit(corpus: str | Path | IngestResult, nli, embedder: Embedder, thresholds: Thresholds = Thresholds(),
          options: AuditOptions = AuditOptions(), progress: Progress | None = None) -> Report:
    """Audit every article in ``corpus``.

    Args:
        corpus: folder of articles, or what :func:`checker.ingest.ingest_folder` read from one.
        nli: object with ``predict(pairs, progress=None) -> (n, 3)`` and a ``name``.
        embedder: see :class:`checker.embed.Embedder`.
        thresholds: verdict thresholds.
        options: pairing options.
        progress: optional progress sink.
    """
    progress = progress or Progress()
    progress.stage("reading articles")
    ingested = corpus if isinstance(corpus, IngestResult) else ingest_folder(corpus)
    progress.stage("segmenting")
    statements = segment_articles(ingested.articles)
    progress.stage("embedding statements", total=len(statements))
    vectors = embedder.encode([s.text for s in statements])
    progress.advance(len(statements))
    progress.stage("pairing")
    candidates = pair_statements(statements, vectors, options.top_k, options.min_sim)
    progress.stage("scoring pairs (NLI, both directions)", total=2 * len(candidates))
    predict: Callable = lambda texts: nli.predict(texts, progress=progress.advance)  # noqa: E731
    labeled = label_pairs(candidates, predict, thresholds)
    progress.stage("typed checks and fact clusters")
    nli_verdicts = {lp.id: lp.verdict for lp in labeled}
    typed = apply_findings(labeled, entailment_threshold=thresholds.entailment)
    labeled = [lp for lp, _ in typed]
    findings = {lp.id: f for lp, f in typed if f.type or f.adjust}
    clusters = build_clusters(statements, labeled)
    settings = AuditSettings(
        nli_model=getattr(nli, "name", type(nli).__name__),
        embed_model=getattr(embedder, "name", type(embedder).__name__),
        top_k=options.top_k, min_sim=options.min_sim,
        contradiction_threshold=thresholds.contradiction, entailment_threshold=thresholds.entailment,
        nli_backend=getattr(nli, "backend", "torch"),
    )
    return Report(tuple(ingested.articles), tuple(statements), tuple(labeled), settings, ingested.skipped,
                  findings=findings, nli_verdicts=nli_verdicts, clusters=tuple(clusters))
