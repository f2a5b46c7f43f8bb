import pytest

from checker.label import Thresholds, label_pairs, verdict
from checker.types import CandidatePair, NliScores, Statement

E, N, C = (0.9, 0.05, 0.05), (0.1, 0.8, 0.1), (0.05, 0.15, 0.8)


@pytest.mark.parametrize(
    "name,ab,ba,expected",
    [
        ("both entail", E, E, "agree"),
        ("a entails b only", E, N, "a_adds"),
        ("b entails a only", N, E, "b_adds"),
        ("neither", N, N, "neutral"),
        ("contradiction one way wins over entailment", E, C, "contradiction"),
        ("contradiction the other way", C, N, "contradiction"),
    ],
)
def test_verdict_rule(name, ab, ba, expected):
    v, score = verdict(NliScores.from_probs(ab), NliScores.from_probs(ba))
    assert v == expected, name


def test_threshold_boundary_is_inclusive():
    s = NliScores(0.3, 0.3, 0.4)
    assert verdict(s, s, Thresholds(contradiction=0.4))[0] == "contradiction"
    assert verdict(s, s, Thresholds(contradiction=0.41))[0] == "neutral"


def test_bad_threshold_raises():
    with pytest.raises(ValueError, match="contradiction threshold"):
        Thresholds(contradiction=0.0)


def test_both_directions_scored_in_one_call(fake_nli_factory):
    a = Statement("a", "d1", "Al-Shami is governor of Tartus.", 0, 10)
    b = Statement("b", "d2", "Al-Shami heads a special unit in Tartus.", 0, 10)
    fake = fake_nli_factory({(a.text, b.text): N, (b.text, a.text): C})
    [lp] = label_pairs([CandidatePair(a, b, 0.7)], fake.predict)
    assert fake.calls == [(a.text, b.text), (b.text, a.text)]
    assert lp.a_to_b == NliScores.from_probs(N) and lp.b_to_a == NliScores.from_probs(C)
    assert lp.verdict == "contradiction" and lp.score == pytest.approx(0.8)


def test_wrong_shape_from_model_raises():
    a = Statement("a", "d1", "x y z w", 0, 1)
    b = Statement("b", "d2", "x y z v", 0, 1)
    with pytest.raises(ValueError, match="shape"):
        label_pairs([CandidatePair(a, b, 0.9)], lambda texts: [[1.0, 0.0]])
