"""Slot swaps (checker.swaps): the one differing name or figure exchanged, and what it does to the verdict."""

from __future__ import annotations

import json

import pytest

from checker.swaps import check_swaps, slot_swap
from checker.types import CandidatePair, LabeledPair, NliScores, SlotSwap, Statement
from checker.verdict import FEATURES, VerdictCalibration, decide, swap_finding

PLANT_A = "The plant belongs to Halden Agrochem, which produces cleaning agents and fertiliser additives at the site."
PLANT_B = "The plant, owned by Corvane Chemicals, makes cleaning agents and fertiliser additives."


def test_a_differing_organisation_is_exchanged():
    s = slot_swap(PLANT_A, PLANT_B)
    assert s is not None and s.slots == ("organisation",)
    assert s.b_text == "The plant, owned by Halden Agrochem, makes cleaning agents and fertiliser additives."
    assert (s.a_values, s.b_values) == (("Halden Agrochem",), ("Corvane Chemicals",))


def test_a_headline_exchanges_figures_only():
    assert slot_swap(PLANT_A, PLANT_B, entities=False) is None
    s = slot_swap("Cedar Hollow Fire grows to 6,800 acres", "The blaze has grown to 11,350 acres.", entities=False)
    assert s is not None and s.slots == ("number",)


def test_a_differing_person_keeps_the_rest_of_b():
    s = slot_swap(
        "Martin Greaves, the deputy mayor, will run the city on an interim basis.",
        "Deputy Mayor Helen Oduya will serve as acting mayor.",
    )
    assert s is not None and s.slots == ("person",)
    assert s.b_text == "Deputy Mayor Martin Greaves will serve as acting mayor."


def test_figures_in_words_and_digits_and_tallies_are_exchanged():
    s = slot_swap(
        "The largest new expense is 32 new police officers.",
        "It funds two dozen additional police officers, with hiring to begin in the autumn.",
    )
    assert s is not None and s.slots == ("number",)
    assert s.b_text.startswith("It funds 32 additional police officers")
    s = slot_swap("The budget cleared the council by eight votes to three.", "Council members voted seven to four.")
    assert s is not None and s.b_text == "Council members voted eight votes to three."
    # "nine years" is a figure to compare, not a date to exchange
    s = slot_swap("Ashcombe had led the city for nine years.", "Ashcombe stepped down after eleven years in office.")
    assert s is not None and s.slots == ("number",) and "nine years" in s.b_text


def test_two_clock_times_of_one_event_told_in_other_words_are_exchanged():
    s = slot_swap(
        "The train came off the rails at about 2:50 in the morning, according to county dispatch records.",
        "The derailment happened at around 4:20 a.m., the Tallow County Sheriff's Office said.",
    )
    assert s is not None and s.slots == ("time",)
    assert s.b_text == "The derailment happened at about 2:50 in the morning, the Tallow County Sheriff's Office said."
    # a span of hours is a figure, no clock time; equal times are nothing to exchange
    s = slot_swap("The search went on for three hours.", "Rescuers searched for five hours.")
    assert s is not None and s.slots == ("number",)
    assert slot_swap("Trading stopped at 10:14 a.m.", "At 10:14 a.m. the exchange halted trading.") is None


def test_a_place_is_exchanged_without_the_country_it_lies_in():
    s = slot_swap(
        "Jobs will be lost at the company's factory in Ghent, in Belgium, as production is reorganised.",
        "It plans to cut 296 jobs at its factory in Kelsworth as it reorganises production.",
    )
    assert s is not None and s.slots == ("place",)
    assert (s.a_values, s.b_values) == (("Ghent",), ("Kelsworth",))
    s = slot_swap(
        "The petition was lodged with the federal bankruptcy court in Wilmington, Delaware.",
        "The case was filed in a federal court in Houston.",
    )
    assert s is not None and s.b_text == "The case was filed in a federal court in Wilmington."


def test_nothing_to_exchange_gives_none():
    # the same values on both sides
    assert slot_swap("Ashcombe resigned on Tuesday.", "On Tuesday, Ashcombe quit.") is None
    # two people differ on each side: which stands for which would be a guess
    assert slot_swap("John Smith met Mary Jones.", "Peter Brown met Anna White.") is None
    # a duration is not a calendar date
    assert slot_swap("Mayor Ashcombe steps down after 11 years", "The resignation takes effect on Tuesday.") is None
    # a weekday and a calendar day can both be true: only like is exchanged for like
    assert slot_swap("The paper came out on Thursday.", "The paper came out on April 3.") is None
    s = slot_swap("The paper came out on Thursday.", "The paper came out on Monday.")
    assert s is not None and s.slots == ("date",) and s.b_text == "The paper came out on Thursday."
    s = slot_swap("The bridge collapsed in April 2024.", "The bridge collapsed on 7 March 2024.")
    assert s is not None and s.slots == ("date",)
    # one date the tagger cut two ways ("16 September" / "September 2025") is no difference
    assert (
        slot_swap(
            "The suspension has been backdated to 16 September, when she was provisionally suspended.",
            "Her ban is backdated to 16 September 2025, the date of her provisional suspension.",
        )
        is None
    )


def _cal(**weights) -> VerdictCalibration:
    coef = tuple(weights.get(f, 0.0) for f in FEATURES)
    return VerdictCalibration(coef, intercept=-3.0, threshold=0.5, entailment_threshold=0.4)


def test_the_swap_raises_the_probability_and_types_the_conflict():
    cal = _cal(swap=8.0)
    swap = slot_swap(PLANT_A, PLANT_B)
    assert swap is not None
    weak, strong = (SlotSwap(swap.slots, swap.b_text, swap.a_values, swap.b_values, e) for e in (0.1, 0.9))
    s = NliScores(0.7, 0.2, 0.1)
    assert decide(PLANT_A, PLANT_B, s, s, False, cal, weak).verdict != "contradiction"
    d = decide(PLANT_A, PLANT_B, s, s, False, cal, strong)
    assert d.verdict == "contradiction" and d.evidence == "calibrated:typed entity"
    from checker.findings.core import Finding

    f = swap_finding(Finding(), strong, PLANT_A, PLANT_B)
    assert f.type == "entity" and f.check == "swap"
    assert PLANT_A[slice(*f.a_spans[0])] == "Halden Agrochem" and PLANT_B[slice(*f.b_spans[0])] == "Corvane Chemicals"


def test_a_calibration_without_the_new_feature_weighs_it_zero(tmp_path):
    path = tmp_path / "cal.json"
    old = [f for f in FEATURES if f != "swap"]
    path.write_text(json.dumps({"features": old, "coef": [1.0] * len(old), "intercept": 0.0, "threshold": 0.5}))
    cal = VerdictCalibration.load(path)
    assert cal.coef[FEATURES.index("swap")] == 0.0 and sum(cal.coef) == len(old)
    path.write_text(json.dumps({"features": ["nope"], "coef": [1.0], "intercept": 0.0, "threshold": 0.5}))
    with pytest.raises(ValueError, match="unknown features"):
        VerdictCalibration.load(path)


def _labeled(a: str, b: str) -> LabeledPair:
    s = NliScores(0.3, 0.4, 0.3)
    return LabeledPair(
        CandidatePair(Statement("a", "d1", a, 0, len(a)), Statement("b", "d2", b, 0, len(b)), 0.8), s, s, "neutral", 0.3
    )


@pytest.mark.slow
def test_the_real_model_reads_a_name_swap_as_the_same_statement(nli_model):
    unrelated = _labeled(
        "Peter Lomuria finished runner-up in the marathon.", "Abel Nyamweya broke the course record in the marathon."
    )
    out = check_swaps([_labeled(PLANT_A, PLANT_B), unrelated, _labeled("Rain fell.", "Rain fell.")], nli_model.predict)
    plant, other, same = (lp.swap for lp in out)
    assert plant is not None and plant.entailment is not None and plant.entailment > 0.7
    assert other is not None and other.entailment is not None and other.entailment < plant.entailment
    assert same is None


def test_percentages_of_different_measures_are_not_exchanged():
    # "online sales" and "comparable-store sales" are two figures, both can hold
    assert slot_swap("Comparable-store sales grew 3.1 percent.", "Online sales grew 18 percent.") is None
    assert (
        slot_swap("Brightwell beats expectations as online sales surge 18%", "Profit rises 12% to $296 million") is None
    )
    s = slot_swap("Profit rose 12 percent.", "Brightwell Stores profit rises 14% to $296 million, forecast raised")
    assert s is not None and s.b_values == ("14%",) and s.a_values == ("12 percent",)


def test_figures_of_two_periods_are_not_exchanged():
    # this year's figure and next year's are two facts, not one figure told twice
    a = "The commission has set next year's Halveth Sea cod quota at 15,600 tonnes."
    assert slot_swap(a, "This year's limit was 28,300 tonnes.") is None
    s = slot_swap(a, "Next year's limit will be 18,400 tonnes.")
    assert s is not None and s.slots == ("number",)


def test_one_figure_each_counting_things_named_two_ways_is_exchanged():
    # "seafarers" and "crew" may count one thing: the model, asked again, says whether they do
    s = slot_swap("Twelve sailors were aboard the trawler.", "There were 9 crew aboard the trawler.")
    assert s is not None and s.slots == ("number",)
    assert s.b_text == "There were twelve crew aboard the trawler."
    s = slot_swap("Police told the occupants of 60 houses to leave.", "Residents of 85 homes were told to leave.")
    assert s is not None and s.b_text == "Residents of 60 homes were told to leave."


def test_a_unit_in_the_singular_and_the_plural_is_one_unit():
    # "36-inch" and "20 inches": one unit, whatever the plural ending
    s = slot_swap(
        "Engineers said the 36-inch main had burst.", "The water main, which measures 20 inches across, burst."
    )
    assert s is not None and s.b_text == "The water main, which measures 36 inches across, burst."


def test_figures_of_things_named_two_ways_with_other_verbs_are_not_exchanged():
    # other things counted, other events: "rescued" people and "flooded" homes are two facts
    assert slot_swap("In all, 40 people were rescued by boat.", "In all, 55 homes were flooded.") is None
    # a second figure on one side leaves which is which a guess
    assert slot_swap("Twelve sailors and two cooks were aboard.", "There were 9 crew aboard.") is None


def test_a_rule_reason_against_the_final_contradiction_is_replaced():
    """A number rule saying "about different things" must not explain a pair the calibrated
    verdict calls a contradiction: the swap that decided it is shown instead."""
    from checker.findings.core import Finding
    from checker.verdict import decide_pairs

    a, b = "Makhlouf claims at least 54,000 fighters.", "Hassan claims control of 12,000 fighters."
    lp = _labeled(a, b)
    swap = SlotSwap(
        ("number",), "Hassan claims control of at least 54,000 fighters.", ("at least 54,000",), ("12,000",), 0.9
    )
    lp = LabeledPair(lp.pair, lp.a_to_b, lp.b_to_a, "neutral", 0.3, swap=swap)
    rule = Finding(type="number", evidence="numbers are about different things", adjust="lower", check="number")
    [(out, f)] = decide_pairs([(lp, rule)], _cal(swap=8.0))
    assert out.verdict == "contradiction"
    assert "different things" not in f.evidence and "at least 54,000" in f.evidence and f.check == "swap"
