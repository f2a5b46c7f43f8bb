"""Plain data passed between the stages: ingest -> segment -> pair -> label -> report.

Frozen, slotted dataclasses with content-hash ids, so a re-run on the same corpus gives the
same ids and nothing downstream can mutate what an earlier stage produced.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:  # stage records named in Report; their modules import this one
    from checker.clusters import FactCluster
    from checker.findings.core import Finding
    from checker.published import Published

# One vocabulary, defined once: each ``Literal`` is the type, the tuple beside it (read from
# the Literal, so the two cannot drift) is what code and the CLI's option choices iterate.
# The strings are the report's JSON values.

NliLabel = Literal["entailment", "neutral", "contradiction"]
#: the NLI model's labels, in the order of its probability columns
NLI_LABELS: tuple[NliLabel, ...] = get_args(NliLabel)
Verdict = Literal["contradiction", "updated", "agree", "a_adds", "b_adds", "neutral"]
#: final pair verdicts, in the order the report counts them
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)
FindingType = Literal[
    "number", "date/time", "role/title", "location/scope", "attribution", "negation/polarity", "entity"
]
#: what a typed check found to differ (``finding.type`` in the report)
FINDING_TYPES: tuple[FindingType, ...] = get_args(FindingType)
#: the NLI label of "A entails B?" that each verdict of the pair (A, B) implies: ``a_adds``
#: (A says more) entails B, ``b_adds`` does not; an update changed a figure of A
VERDICT_NLI_LABELS: dict[Verdict, NliLabel] = {
    "contradiction": "contradiction",
    "updated": "contradiction",
    "agree": "entailment",
    "a_adds": "entailment",
    "b_adds": "neutral",
    "neutral": "neutral",
}


def content_id(*parts: str, n: int = 12) -> str:
    """A short stable id from text content."""
    h = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return h[:n]


@dataclass(frozen=True, slots=True)
class Article:
    """One cleaned article. ``text`` is what segmentation offsets refer to."""

    id: str
    path: str
    title: str
    outlet: str
    date: str | None
    text: str
    url: str | None = None
    removed_lines: int = 0


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence or claim of one article, with character offsets into ``Article.text``."""

    id: str
    doc: str
    text: str
    start: int
    end: int
    is_headline: bool = False
    #: the sentence a claim was split from (checker.claims); None when the statement is the sentence
    sentence: str | None = None


@dataclass(frozen=True, slots=True)
class CandidatePair:
    """Two statements from different articles that the embedder finds related: ``a`` comes first
    in the corpus's statement order, ``similarity`` is the cosine of their embeddings."""

    a: Statement
    b: Statement
    similarity: float

    @property
    def id(self) -> str:
        return content_id(self.a.id, self.b.id, n=10)


@dataclass(frozen=True, slots=True)
class NliScores:
    """Probabilities of one direction premise -> hypothesis."""

    entailment: float
    neutral: float
    contradiction: float

    @classmethod
    def from_probs(cls, probs) -> NliScores:
        """From a sequence in (entailment, neutral, contradiction) order."""
        e, n, c = (round(float(x), 4) for x in probs)
        return cls(e, n, c)

    @property
    def label(self) -> NliLabel:
        return max(NLI_LABELS, key=lambda k: getattr(self, k))


@dataclass(frozen=True, slots=True)
class SlotSwap:
    """B rewritten with A's value where the two differ one to one (:mod:`checker.swaps`), and
    how strongly the model then reads the two as saying the same (max entailment, both ways)."""

    slots: tuple[str, ...]  # which slots were exchanged: "person", "organisation", "place", "date", "number"
    b_text: str  # B with A's values put in
    a_values: tuple[str, ...]
    b_values: tuple[str, ...]
    entailment: float | None = None


@dataclass(frozen=True, slots=True)
class LabeledPair:
    """A candidate pair scored in both directions, with one verdict."""

    pair: CandidatePair
    a_to_b: NliScores
    b_to_a: NliScores
    verdict: Verdict
    score: float
    evidence: str = "nli"
    #: set when a premise was too long for the model and scored in windows (checker.long_inputs)
    long_input: str | None = None
    #: the pair with its one differing name or figure exchanged, scored again (checker.swaps)
    swap: SlotSwap | None = None

    @property
    def id(self) -> str:
        return self.pair.id


@dataclass(frozen=True, slots=True)
class AuditSettings:
    """What produced a report: recorded in it so results can be reproduced."""

    nli_model: str
    embed_model: str
    top_k: int
    min_sim: float
    contradiction_threshold: float
    entailment_threshold: float
    nli_backend: str = "torch"


@dataclass(frozen=True, slots=True)
class Report:
    """Everything one audit found."""

    articles: tuple[Article, ...]
    statements: tuple[Statement, ...]
    pairs: tuple[LabeledPair, ...]
    settings: AuditSettings
    #: (path, reason) of each file or record not read
    skipped: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    #: pair id -> what a typed check found, for pairs a typed check looked at
    findings: dict[str, Finding] = field(default_factory=dict)
    #: pair id -> the verdict the NLI model gave before typed checks adjusted it
    nli_verdicts: dict[str, Verdict] = field(default_factory=dict)
    #: conflicting clusters first
    clusters: tuple[FactCluster, ...] = field(default_factory=tuple)
    #: document id -> publication time and where it was read from
    published: dict[str, Published] = field(default_factory=dict)
