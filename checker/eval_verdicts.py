"""Score the final pair verdicts on labeled pairs: ``newscheck eval --verdicts``.

Why built so: ``newscheck eval`` measures the NLI model alone, but a desk reads verdicts made
after claims, frames, typed checks and the calibrated decision (decision 0006). So each labeled
pair becomes a corpus of two one-statement articles (premise as A, hypothesis as B) audited by
:func:`checker.pipeline.audit`, the code ``newscheck audit`` runs; nothing of the verdict is
re-implemented here. A pair's verdict is a contradiction when any of its claim pairs is one
(a desk must see it), else the verdict of its most similar claim pair. Neither article has a
publication time, so an evolving figure that differs stays a contradiction, as in an audit.

Gold: a row's ``verdict`` field when every row has one (scored on the verdicts); otherwise the
NLI label, and each predicted verdict is read as the NLI label it implies
(:data:`checker.types.VERDICT_NLI_LABELS`: ``a_adds`` entails, ``b_adds`` does not).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.errors import LabeledDataError
from checker.ingest import IngestResult
from checker.labeled import LabeledSet
from checker.metrics import accuracy, confusion_matrix, macro_f1, per_class_scores, to_two_way_labels
from checker.pair import DEFAULT_TOP_K
from checker.pipeline import AuditOptions, audit
from checker.types import VERDICT_NLI_LABELS, VERDICTS, Article, LabeledPair, Verdict

PREMISE, HYPOTHESIS = "premise", "hypothesis"
#: every claim of one article is paired with every claim of the other, however unlike
_ALL_PAIRS = AuditOptions(top_k=DEFAULT_TOP_K, min_sim=-1.0)
_SWAPPED: dict[str, Verdict] = {"a_adds": "b_adds", "b_adds": "a_adds"}


@dataclass(frozen=True, slots=True)
class PairOutcome:
    """The audit's verdict on one labeled pair, read with the premise as A."""

    verdict: Verdict
    score: float
    evidence: str
    finding_type: str | None
    claim_pairs: int


def _oriented(lp: LabeledPair) -> Verdict:
    return _SWAPPED.get(lp.verdict, lp.verdict) if lp.pair.a.doc == HYPOTHESIS else lp.verdict


def audit_pair(premise: str, hypothesis: str, nli: Any, embedder: Any, thresholds: Any) -> PairOutcome:
    """Audit two one-statement articles and return the verdict on them (see the module doc)."""
    articles = tuple(
        Article(id=doc, path=doc, title="", outlet=doc, date=None, text=text)
        for doc, text in ((PREMISE, premise), (HYPOTHESIS, hypothesis))
    )
    report = audit(IngestResult(articles, ()), nli, embedder, thresholds, _ALL_PAIRS)
    if not report.pairs:
        return PairOutcome("neutral", 0.0, "no claim pair", None, 0)
    contradictions = [lp for lp in report.pairs if lp.verdict == "contradiction"]
    lp = (
        max(contradictions, key=lambda p: p.score)
        if contradictions
        else max(report.pairs, key=lambda p: p.pair.similarity)
    )
    finding = report.findings.get(lp.id)
    return PairOutcome(_oriented(lp), lp.score, lp.evidence, getattr(finding, "type", None) or None, len(report.pairs))


class VerdictResult(dict):
    """The metrics dict of :func:`evaluate_verdicts` (JSON-serialisable as it is); the
    outcomes, gold and predicted labels of the scored rows are attributes."""

    __slots__ = ("outcomes", "gold", "pred", "seconds")

    def __init__(self, metrics: dict, outcomes: list[PairOutcome], gold: list[str], pred: list[str], seconds: float):
        super().__init__(metrics)
        self.outcomes, self.gold, self.pred, self.seconds = outcomes, gold, pred, seconds


def evaluate_verdicts(
    labeled_set: LabeledSet,
    nli: Any,
    embedder: Any,
    thresholds: Any,
    limit: int | None = None,
    progress: Callable[[int], object] | None = None,
) -> VerdictResult:
    """Audit every labeled pair and score the verdicts.

    Returns:
        A :class:`VerdictResult` with ``file``, ``mode`` ("verdicts"), ``scored_on``
        ("verdict" or "nli_label"), ``n``, ``accuracy``, ``macro_f1`` (over the labels that
        occur in gold or predictions), ``per_class``, ``confusion``, ``verdicts`` (how many
        of each were predicted) and ``skipped``.
    """
    rows = labeled_set.rows[:limit] if limit is not None else labeled_set.rows
    if not rows:
        raise LabeledDataError(f"{labeled_set.path} has no labeled rows to score")
    start = time.perf_counter()
    outcomes = []
    for row in rows:
        outcomes.append(audit_pair(row.premise, row.hypothesis, nli, embedder, thresholds))
        if progress is not None:
            progress(1)
    seconds = time.perf_counter() - start
    gold_verdicts = [row.extra.get("verdict") for row in rows]
    gold: list[str]
    pred: list[str]
    labels: list[str]
    if all(g in VERDICTS for g in gold_verdicts):
        scored_on, gold = "verdict", [str(g) for g in gold_verdicts]
        pred = [o.verdict for o in outcomes]
        labels = [v for v in VERDICTS if v in gold or v in pred]
    else:
        scored_on, gold = "nli_label", [row.label for row in rows]
        pred = [VERDICT_NLI_LABELS[o.verdict] for o in outcomes]
        if labeled_set.two_way:
            pred = to_two_way_labels(pred)
        labels = list(labeled_set.labels)
    metrics = {
        "file": str(labeled_set.path),
        "mode": "verdicts",
        "scored_on": scored_on,
        "n": len(rows),
        "accuracy": accuracy(gold, pred),
        "macro_f1": macro_f1(gold, pred, labels),
        "per_class": per_class_scores(gold, pred, labels),
        "confusion": {"labels": labels, "matrix": confusion_matrix(gold, pred, labels).tolist()},
        "verdicts": dict(Counter(o.verdict for o in outcomes)),
        "skipped": dict(labeled_set.skipped),
    }
    return VerdictResult(metrics, outcomes, gold, pred, seconds)


def verdict_records(labeled_set: LabeledSet, result: VerdictResult) -> list[dict]:
    """One JSON-ready record per scored row (``newscheck eval --verdicts --predictions``)."""
    return [
        {
            "file": result["file"],
            "index": i,
            "premise": row.premise,
            "hypothesis": row.hypothesis,
            "gold": gold,
            "predicted": pred,
            "correct": gold == pred,
            "verdict": o.verdict,
            "score": o.score,
            "evidence": o.evidence,
            "finding_type": o.finding_type,
            "claim_pairs": o.claim_pairs,
            "fields": dict(row.extra),
        }
        for i, (row, o, gold, pred) in enumerate(zip(labeled_set.rows, result.outcomes, result.gold, result.pred))
    ]
