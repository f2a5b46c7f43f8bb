"""The calibrated verdict (checker.verdict): monotone in its evidence, guards, shipped thresholds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.types import NliScores
from checker.verdict import FEATURES, VerdictCalibration, decide, evidence, load_calibration

SHIPPED = Path(__file__).resolve().parent.parent / "models" / "nli" / "verdict_calibration.json"


def _cal(**weights) -> VerdictCalibration:
    coef = tuple(weights.get(f, 0.0) for f in FEATURES)
    return VerdictCalibration(coef, intercept=-3.0, threshold=0.5, entailment_threshold=0.4)


def _s(e: float, c: float) -> NliScores:
    return NliScores(e, round(1 - e - c, 4), c)


def test_shipped_thresholds_are_the_decisions():
    cal = load_calibration()
    data = json.loads(SHIPPED.read_text())
    assert cal is not None
    assert (cal.threshold, cal.entailment_threshold) == (data["threshold"], data["entailment_threshold"])
    assert list(data["features"]) == list(FEATURES)
    assert "leave_one_story_out" in data["measured"]
    decision = Path(__file__).resolve().parent.parent / "docs" / "decisions" / "0006-calibrated-verdict.md"
    assert f"{data['threshold']}" in decision.read_text()


def test_probability_is_monotone_in_contradiction_and_typed_evidence():
    cal = load_calibration()
    a, b = "The fire destroyed 12 homes in Ridgeford.", "The fire destroyed 40 homes in Ridgeford."
    base = evidence(a, b, _s(0.2, 0.1), _s(0.2, 0.1), headline=False)
    ps = []
    for c in (0.0, 0.2, 0.4, 0.6, 0.8):
        x = dict(base, c_max=c, c_min=c / 2)
        ps.append(cal.probability(x))
    assert ps == sorted(ps)
    assert base["number"] > 0
    assert cal.probability(base) > cal.probability(dict(base, number=0.0))


def test_identical_claims_agree_without_the_model():
    d = decide(
        "Fighters are taking money from both sides.",
        "fighters are taking money from both sides",
        _s(0.0, 0.99),
        _s(0.0, 0.99),
        headline=False,
        cal=_cal(c_max=10),
    )
    assert (d.verdict, d.confidence, d.evidence) == ("agree", 1.0, "identical")


def test_model_alone_never_decides_a_headline_contradiction():
    cal = _cal(c_max=10)
    headline = "Russia withholds support for coastal uprising"
    body = "Russia has so far refused to back the plans for an uprising, diplomats said."
    assert decide(headline, body, _s(0.0, 0.95), _s(0.0, 0.9), headline=True, cal=cal).verdict != "contradiction"
    d = decide(headline, body, _s(0.0, 0.95), _s(0.0, 0.9), headline=False, cal=cal)
    assert (d.verdict, d.evidence) == ("contradiction", "calibrated:model only")


def test_same_content_words_in_another_order_are_not_a_model_only_contradiction():
    cal = _cal(c_max=10)
    d = decide(
        "The council approved the budget on Tuesday.",
        "On Tuesday the budget was approved by the council.",
        _s(0.1, 0.9),
        _s(0.1, 0.9),
        headline=False,
        cal=cal,
    )
    assert d.verdict != "contradiction"


def test_typed_evidence_is_named():
    cal = _cal(number=20)
    d = decide(
        "Nine people were killed when the bridge collapsed.",
        "Seven people died when the bridge collapsed.",
        _s(0.3, 0.2),
        _s(0.3, 0.2),
        headline=True,
        cal=cal,
    )
    assert d.verdict == "contradiction"
    assert d.evidence == "calibrated:typed number"
    assert 0.5 <= d.confidence <= 1.0


def test_figures_of_different_subjects_are_no_number_difference():
    def number(a: str, b: str) -> float:
        return evidence(a, b, _s(0.1, 0.5), _s(0.1, 0.5), headline=False)["number"]

    hassan = "Hassan claims control of 12,000 fighters."
    groups = "Overall, Hassan, Makhlouf, and other groups are financing more than 50,000 potential fighters."
    assert number(hassan, groups) == 0.0
    assert (
        number("Nine people were killed when the bridge collapsed.", "Seven people died when the bridge collapsed.") > 0
    )


def test_directional_verdicts_below_threshold():
    cal = _cal()
    assert decide("A said B and C.", "A said B.", _s(0.8, 0.0), _s(0.2, 0.0), False, cal).verdict == "a_adds"
    assert decide("A said B.", "A said B and C.", _s(0.2, 0.0), _s(0.8, 0.0), False, cal).verdict == "b_adds"
    assert decide("X rose.", "X went up.", _s(0.5, 0.0), _s(0.6, 0.0), False, cal).verdict == "agree"


def test_calibration_rejects_bad_files(tmp_path):
    with pytest.raises(ValueError, match="weights"):
        VerdictCalibration((1.0,), 0.0, 0.5)
    with pytest.raises(ValueError, match="thresholds"):
        VerdictCalibration(tuple(0.0 for _ in FEATURES), 0.0, 1.5)


# real retellings of one remark, from the audit benchmark's dev stories' kind of text
_QUOTE_A = (
    '"We had maybe forty minutes of warning, and we used every one of them," '
    "Larch County Sheriff Ray Okonjo told the Gazette."
)
_QUOTE_B = '"We had maybe forty minutes of warning, and we used every one of them," said Caddon Fire Chief Dale Rourke.'


def test_one_quotation_credited_to_other_speakers_is_an_attribution_conflict():
    cal = load_calibration()
    assert cal is not None and dict(cal.rules)["quote_source"] >= 0.9
    # the model reads the two as the same statement (it overlooks who speaks)
    x = evidence(_QUOTE_A, _QUOTE_B, _s(0.95, 0.02), _s(0.93, 0.02), headline=False)
    assert x["quote_source"] == 1.0
    d = decide(_QUOTE_A, _QUOTE_B, _s(0.95, 0.02), _s(0.93, 0.02), False, cal)
    assert (d.verdict, d.evidence) == ("contradiction", "rule quote_source:typed attribution")
    assert d.confidence == dict(cal.rules)["quote_source"]


def test_one_quotation_credited_to_one_speaker_is_no_conflict():
    same = '"We had maybe forty minutes of warning," Sheriff Ray Okonjo said on Sunday.'
    other_words = '"The water came up faster than anyone expected," said Caddon Fire Chief Dale Rourke.'
    assert evidence(_QUOTE_A, same, _s(0.9, 0.0), _s(0.9, 0.0), False)["quote_source"] == 0.0
    assert evidence(_QUOTE_A, other_words, _s(0.1, 0.1), _s(0.1, 0.1), False)["quote_source"] == 0.0
    # a description of a speaker ("a port official") may be the named one: no conflict
    described = '"We had maybe forty minutes of warning, and we used every one of them," a county official said.'
    assert evidence(_QUOTE_A, described, _s(0.9, 0.0), _s(0.9, 0.0), False)["quote_source"] == 0.0
    # a name with two letters swapped is the same speaker
    typo_a = "\u201cWhen I heard this yesterday, I thought the exact same thing: it\u2019s a hoax,\u201d Fuetnes said."
    typo_b = "CNN analyst Tom Fuentes doubted it: \u201cWhen I heard this yesterday, I thought the exact same thing: it\u2019s a hoax.\u201d"
    assert evidence(typo_a, typo_b, _s(0.9, 0.0), _s(0.9, 0.0), False)["quote_source"] == 0.0


def test_calibration_rules_name_known_features():
    coef = tuple(0.0 for _ in FEATURES)
    with pytest.raises(ValueError, match="rule"):
        VerdictCalibration(coef, 0.0, 0.5, rules=(("no_such_feature", 0.9),))
    with pytest.raises(ValueError, match="rule"):
        VerdictCalibration(coef, 0.0, 0.5, rules=(("quote_source", 1.5),))
    assert VerdictCalibration(coef, 0.0, 0.5, rules=(("quote_source", 0.93),)).to_dict()["rules"] == {
        "quote_source": {"precision": 0.93}
    }


def test_one_relation_with_two_fillers_is_decided_by_its_rule():
    cal = load_calibration()
    assert cal is not None and dict(cal.rules)["relation"] >= 0.9
    a = "Cairnholt, which opened in 1987, is owned by Pelham Leisure Group."
    b = "Questions are now being asked of Greystone Attractions, the company that owns Cairnholt."
    d = decide(a, b, _s(0.01, 0.2), _s(0.05, 0.1), False, cal)
    assert (d.verdict, d.evidence) == ("contradiction", "rule relation:typed entity")


def test_a_speaker_named_beside_a_description_or_before_saying_is_a_source():
    # "said the airline's chief executive, Lionel Baptiste" / "Morrow praised the crew, saying ..."
    a = (
        "Transport Minister Hedda Morrow praised the crew, saying they had "
        '"done exactly what they were trained to do" and that every passenger had walked away.'
    )
    b = (
        '"The crew did exactly what they were trained to do, and every passenger walked away," '
        "said Corvanta Air's chief executive, Lionel Baptiste."
    )
    assert evidence(a, b, _s(0.5, 0.1), _s(0.5, 0.1), False)["quote_source"] == 1.0


def test_every_rule_shows_a_finding_of_its_own():
    from checker.rule_findings import RULE_FINDINGS
    from checker.verdict import RULE_FEATURES

    assert set(RULE_FINDINGS) == set(RULE_FEATURES) <= set(FEATURES)
