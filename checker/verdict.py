"""Verdict: one calibrated decision per pair from all its evidence, not a 0.5 cut on one probability.

Why built so: the NLI model alone calls paraphrases contradictory and misses conflicts a
typed check sees; the typed checks alone fire on look-alikes. A desk needs one number per
contradiction it can sort by and trust. So each pair's evidence (both NLI directions, the
frame comparison of :func:`checker.findings.compare_frames`, lexical overlap, whether a
headline is involved) goes into a small logistic regression fitted on the audit
benchmark's dev split (``eval/fit_verdict.py``; decision 0006). Its output is the pair's
calibrated probability of being a real conflict; the threshold was chosen on dev stories
the fit did not see (leave-one-story-out). Guards that no weight can override:

- identical claims (after folding case, quotes, punctuation and spaces) are ``agree``;
- the model alone never decides a contradiction between a headline and a body sentence,
  nor between claims whose content words are the same (order and function words aside).

Non-contradictions keep the directional reading of the NLI scores: ``agree`` when both
directions entail, ``a_adds``/``b_adds`` when one does, else ``neutral``, with the
entailment threshold also chosen on the dev split.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, replace
from pathlib import Path

from checker.figures import figures_of_other_things
from checker.findings import FrameComparison, compare_frames, type_finding
from checker.frames import FrameDiff, compare
from checker.label import directional  # also imported from here (eval/fit_verdict.py)
from checker.rule_findings import RULE_FINDINGS
from checker.types import NliScores, SlotSwap, Verdict
from checker.updates import UPDATE_WINDOW_HOURS, update_verdict

#: feature names, in the order of the fitted coefficients.
FEATURES = (
    "c_max",
    "c_min",
    "e_max",
    "e_min",
    "rule_conflict",
    "date_conflict",
    "number",
    "person",
    "org",
    "place",
    "title",
    "negation",
    "source",
    "numbers_agree",
    "headline",
    "overlap",
    "c_near",
    "swap",
    "antonym",
    "subject_place",
    "quote_source",
    "relation",
)
#: evidence that types a conflict (the type named in the report), strongest first.
TYPED_CONFLICTS = (
    ("number", "number"),
    ("title", "role/title"),
    ("date_conflict", "date/time"),
    ("negation", "negation/polarity"),
    ("antonym", "negation/polarity"),
    # a quoted speaker is a person too: the same quotation types the conflict before other names
    ("quote_source", "attribution"),
    ("person", "entity"),
    ("org", "entity"),
    ("place", "location/scope"),
    ("subject_place", "location/scope"),
    ("source", "attribution"),
)
#: features that may decide a contradiction alone (``VerdictCalibration.rules``), each kept only
#: when its precision measured on the dev split (``eval/fit_verdict.py``) reaches RULE_PRECISION
RULE_FEATURES = ("quote_source", "relation")
RULE_PRECISION = 0.9
#: the conflict type of a slot exchanged by :mod:`checker.swaps`.
SWAP_TYPES = {
    "number": "number",
    "date": "date/time",
    "time": "date/time",
    "person": "entity",
    "organisation": "entity",
    "place": "location/scope",
}
#: entailment after the swap from which the swap alone types a conflict
SWAP_TYPED = 0.5
CALIBRATION_FILE = "verdict_calibration.json"
_FOLD = re.compile(r"[\W_]+")
_FUNCTION_WORDS = frozenset(
    """a an the of to in on at by for with from and or but as is are was were be been
has have had it its this that these those there their his her he she they we said says has""".split()
)


@dataclass(frozen=True, slots=True)
class VerdictCalibration:
    """The fitted decision: logistic-regression weights over :data:`FEATURES`, thresholds,
    and the precision measured on held-out dev stories (reported as confidence context)."""

    coef: tuple[float, ...]
    intercept: float
    threshold: float
    entailment_threshold: float = 0.5
    fitted_for: str = ""
    measured: dict | None = None
    #: evidence that decides a contradiction by itself, with the precision measured for it on
    #: the dev split: a feature so rare and so exact that the regression cannot weigh it (the
    #: same quotation credited to other named speakers: 16 of 16 dev pairs; decision 0018)
    rules: tuple[tuple[str, float], ...] = ()

    def __post_init__(self):
        if len(self.coef) != len(FEATURES):
            raise ValueError(f"calibration has {len(self.coef)} weights for {len(FEATURES)} features")
        if not 0.0 < self.threshold < 1.0 or not 0.0 < self.entailment_threshold <= 1.0:
            raise ValueError("calibration thresholds must lie in (0, 1)")
        for name, precision in self.rules:
            if name not in FEATURES or not 0.0 < precision <= 1.0:
                raise ValueError(f"calibration rule {name!r}: unknown feature or precision outside (0, 1]")

    def probability(self, x: dict[str, float]) -> float:
        z = self.intercept + sum(w * x[f] for w, f in zip(self.coef, FEATURES))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def load(cls, path: str | Path) -> VerdictCalibration:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        coef = tuple(data["coef"])
        if "features" in data:  # weights by name: a feature added since the fit weighs 0 until refitted
            named = dict(zip(data["features"], coef, strict=True))
            unknown = set(named) - set(FEATURES)
            if unknown:
                raise ValueError(f"{path}: weights for unknown features {sorted(unknown)}")
            coef = tuple(named.get(f, 0.0) for f in FEATURES)
        return cls(
            coef,
            float(data["intercept"]),
            float(data["threshold"]),
            float(data.get("entailment_threshold", 0.5)),
            str(data.get("fitted_for", "")),
            data.get("measured"),
            tuple((str(k), float(v["precision"])) for k, v in data.get("rules", {}).items()),
        )

    def to_dict(self) -> dict:
        return {
            "features": list(FEATURES),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "entailment_threshold": self.entailment_threshold,
            "fitted_for": self.fitted_for,
            "measured": self.measured,
            **({"rules": {k: {"precision": v} for k, v in self.rules}} if self.rules else {}),
        }


def fold(text: str) -> str:
    """Case, punctuation, quotes and spacing folded away: equal folds are the same claim."""
    return _FOLD.sub(" ", text.lower()).strip()


def same_content_words(a_text: str, b_text: str) -> bool:
    wa = {w for w in fold(a_text).split() if w not in _FUNCTION_WORDS}
    wb = {w for w in fold(b_text).split() if w not in _FUNCTION_WORDS}
    return bool(wa) and wa == wb


def features(
    ab: NliScores, ba: NliScores, rules: FrameComparison, diff: FrameDiff, headline: bool, swap: float = 0.0
) -> dict[str, float]:
    """The evidence of one pair as numbers (see :data:`FEATURES`)."""
    return {
        "c_max": max(ab.contradiction, ba.contradiction),
        "c_min": min(ab.contradiction, ba.contradiction),
        "e_max": max(ab.entailment, ba.entailment),
        "e_min": min(ab.entailment, ba.entailment),
        "rule_conflict": float(
            rules.number_conflict or rules.role_conflict or rules.negation_flip or rules.entity_swap
        ),
        # two dates of one event differ (the words naming the two events share a word or a
        # stem, decision 0015), as much a conflict as the rest of the two statements says one
        # thing (an outlet that adds detail keeps its date comparable, hence containment);
        # dates of other events of one story ("the rescue ended on Wednesday" / "miners were
        # trapped on Monday") were most of the date false alarms
        "date_conflict": float(rules.date_same_event) * diff.containment,
        # figures the rules read as counts of different subjects ("Hassan ... 12,000" / "all groups
        # ... 50,000") are no number difference
        "number": 0.0 if rules.different_subjects else max(diff.number, float(rules.number_conflict)),
        "person": diff.person,
        "org": diff.org,
        "place": diff.place,
        "title": max(diff.title, float(rules.role_conflict)),
        "negation": diff.negation,
        "source": diff.source,
        "numbers_agree": float(rules.numbers_agree),
        "headline": float(headline),
        "overlap": diff.overlap,
        # the model's contradiction between near-identical statements (one span changed) is
        # far more reliable than between retellings: its weight is learnt separately
        "c_near": max(ab.contradiction, ba.contradiction) * rules.token_ratio**2,
        # with the one differing name or figure exchanged, the model reads the two as the same
        # statement: that value is the difference (checker.swaps)
        "swap": swap,
        # opposite predicates about what both statements share ("keep" / "stop")
        "antonym": diff.antonym,
        "subject_place": diff.subject_place,
        # the same quotation credited to other named speakers, however the rest is worded
        "quote_source": diff.quote_source,
        # one relation of one thing with two fillers ("owned by Pelham" / "Greystone, the company
        # that owns Cairnholt"), which also fills the organisation or place slot
        "relation": diff.relation,
    }


def evidence(
    a_text: str, b_text: str, ab: NliScores, ba: NliScores, headline: bool, swap: SlotSwap | None = None
) -> dict[str, float]:
    """:func:`features` of two texts and their NLI scores (the frames are computed here)."""
    s = swap.entailment if swap is not None and swap.entailment is not None else 0.0
    rules, diff = compare_frames(a_text, b_text), compare(a_text, b_text)
    if (rules.number_conflict or diff.number) and figures_of_other_things(a_text, b_text):
        # counts of what befell different people, percentages of different things: neither the
        # rules' figures nor the frames' differ on one fact
        rules, diff = replace(rules, number_conflict=False), replace(diff, number=0.0)
    return features(ab, ba, rules, diff, headline, s)


def typed_conflict(x: dict[str, float], swap: SlotSwap | None = None) -> str | None:
    """The strongest conflict type among the features (a frame or rule difference, else a
    swapped slot the model then reads as the same statement), or None."""
    typed = next((name for key, name in TYPED_CONFLICTS if x[key] > 0), None)
    if typed is None and swap is not None and x["swap"] >= SWAP_TYPED:
        typed = SWAP_TYPES[swap.slots[0]]
    return typed


@dataclass(frozen=True, slots=True)
class Decision:
    verdict: Verdict
    confidence: float
    evidence: str


def decide(
    a_text: str,
    b_text: str,
    ab: NliScores,
    ba: NliScores,
    headline: bool,
    cal: VerdictCalibration,
    swap: SlotSwap | None = None,
) -> Decision:
    """The verdict of one pair, its calibrated confidence and what decided it."""
    if fold(a_text) == fold(b_text):
        return Decision("agree", 1.0, "identical")
    x = evidence(a_text, b_text, ab, ba, headline, swap)
    typed = typed_conflict(x, swap)
    for rule, precision in cal.rules:
        if x[rule] >= 1.0:
            return Decision("contradiction", precision, f"rule {rule}:typed {typed}")
    p = cal.probability(x)
    if p >= cal.threshold:
        if typed:
            return Decision("contradiction", round(p, 4), f"calibrated:typed {typed}")
        if not headline and not same_content_words(a_text, b_text):
            return Decision("contradiction", round(p, 4), "calibrated:model only")
    v, score = directional(ab, ba, cal.entailment_threshold)
    return Decision(v, round(score, 4), "calibrated")


def load_calibration(nli_model_dir: str | Path | None = None) -> VerdictCalibration | None:
    """The calibration shipped beside the NLI model (``verdict_calibration.json``), else the one
    beside newscheck's own model, else None (the plain NLI rule of :mod:`checker.label` stands)."""
    from checker.nli import default_nli_model_path

    for folder in (nli_model_dir, default_nli_model_path()):
        if folder and (Path(folder) / CALIBRATION_FILE).is_file():
            return VerdictCalibration.load(Path(folder) / CALIBRATION_FILE)
    return None


def decide_pairs(
    typed, cal: VerdictCalibration, published: dict | None = None, window_hours: float = UPDATE_WINDOW_HOURS
):
    """Apply :func:`decide` to (pair, finding) tuples from :func:`checker.findings.apply_findings`.

    The finding keeps its type and spans (what differs); its ``adjust`` now says whether the
    calibrated verdict raised or lowered the NLI verdict, and the pair's ``score`` is the
    decision's confidence. With ``published`` (document id -> :class:`checker.published.Published`),
    a difference on an evolving fact becomes ``updated`` (see :func:`update_verdict`).
    """
    out = []
    for lp, f in typed:
        a, b = lp.pair.a, lp.pair.b
        d = decide(a.text, b.text, lp.a_to_b, lp.b_to_a, a.is_headline or b.is_headline, cal, lp.swap)
        if published is not None and d.verdict != "updated":  # "agree" too: the values differ
            upd = update_verdict(a.text, b.text, published.get(a.doc), published.get(b.doc), window_hours)
            if upd and upd[0] == "updated":
                d = Decision("updated", d.confidence, upd[1])
            elif upd and d.verdict == "contradiction":
                d = Decision("contradiction", d.confidence, f"{d.evidence}; {upd[1]}")
        nli_v = lp.verdict  # the NLI rule's verdict (checker.label), before this decision
        adjust = (
            "raise"
            if d.verdict == "contradiction" and nli_v != "contradiction"
            else "lower"
            if nli_v == "contradiction" and d.verdict != "contradiction"
            else None
        )
        if rule := _rule_of(d):
            f = RULE_FINDINGS[rule](f, a.text, b.text)
        elif not f.type and d.verdict in ("contradiction", "a_adds", "b_adds"):
            # the typed checks ran on the NLI verdict; type what differs under the final one
            t = type_finding(a.text, b.text, d.verdict)
            f = replace(f, type=t.type, a_spans=t.a_spans, b_spans=t.b_spans, evidence=t.evidence, check=t.check)
            if not f.type and d.verdict == "contradiction" and lp.swap is not None and "typed" in d.evidence:
                f = swap_finding(f, lp.swap, a.text, b.text)
        elif d.verdict == "contradiction" and f.adjust == "lower":
            # the rule's text argues against a conflict ("numbers are about different things"):
            # show what the decision rests on instead of a reason that contradicts it
            f = swap_finding(f, lp.swap, a.text, b.text) if lp.swap is not None else replace(f, evidence="")
        f = replace(
            f,
            adjust=adjust,
            verdict=d.verdict if adjust else None,
            check=f.check or (d.evidence.split()[-1] if "typed" in d.evidence else None),
        )
        out.append((replace(lp, verdict=d.verdict, score=d.confidence, evidence=d.evidence), f))
    return out


def _rule_of(d: Decision) -> str | None:
    """The rule that decided a contradiction ("rule quote_source:typed attribution"), or None."""
    return d.evidence.removeprefix("rule ").split(":")[0] if d.evidence.startswith("rule ") else None


def swap_finding(f, swap: SlotSwap, a_text: str, b_text: str):
    """The finding of a conflict the slot swap typed: what differs, where, and why it counts."""

    def spans(text: str, values: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
        return tuple((i, i + len(v)) for v in values if (i := text.find(v)) >= 0)

    said = ", ".join(f"{a!r} vs {b!r}" for a, b in zip(swap.a_values, swap.b_values))
    return replace(
        f,
        type=SWAP_TYPES[swap.slots[0]],
        a_spans=spans(a_text, swap.a_values),
        b_spans=spans(b_text, swap.b_values),
        evidence=f"{said}: otherwise the same statement (entailment {swap.entailment:.2f} with the values exchanged)",
        check="swap",
    )
