"""Metric functions against hand-computed values, and the calibration helpers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from checker.calibration import (
    CALIBRATION_FILE,
    THRESHOLD_GRID,
    Calibration,
    apply_temperature,
    load_calibration,
    predict_labels,
    save_calibration,
    tune,
)
from checker.errors import LabeledDataError, ModelError
from checker.metrics import CONTRADICTION as C
from checker.metrics import ENTAILMENT as E
from checker.metrics import NEUTRAL as N
from checker.metrics import NOT_ENTAILMENT as NE
from checker.metrics import (
    THREE_WAY_LABELS,
    TWO_WAY_LABELS,
    accuracy,
    argmax_labels,
    classification_scores,
    confusion_matrix,
    expected_calibration_error,
    macro_f1,
    per_class_scores,
    reliability_bins,
    roc_auc,
    to_two_way_labels,
    to_two_way_probs,
)

# ---------------------------------------------------------------------------------------
# Classification scores, computed by hand
# ---------------------------------------------------------------------------------------

# "six_rows": gold E E N N C C, pred E N N N C E
#   confusion (rows gold E,N,C; cols pred E,N,C):
#       E: 1 1 0
#       N: 0 2 0
#       C: 1 0 1
#   precision E = 1/2 (pred E twice), N = 2/3, C = 1/1
#   recall    E = 1/2,                N = 2/2, C = 1/2
#   F1        E = 1/2, N = 2*(2/3)/(5/3) = 4/5, C = 2*(1/2)/(3/2) = 2/3
#   macro-F1 = (1/2 + 4/5 + 2/3) / 3 = 59/90; accuracy = 4/6
# "class_absent": gold E E N, pred E N N; contradiction neither gold nor predicted
#   E: P 1/1, R 1/2, F1 2/3; N: P 1/2, R 1/1, F1 2/3; C: 0/0 -> all 0.0
#   macro-F1 = (2/3 + 2/3 + 0) / 3 = 4/9 (the absent class counts, as sklearn labels=)
# "predicted_never_gold": gold E N, pred C N
#   E: P 0/0 -> 0, R 0/1; N: P 1/1, R 1/1, F1 1; C: P 0/1, R 0/0 -> 0; macro 1/3
# "two_way": gold E E NE NE NE, three-way pred E C N C E -> E NE NE NE E
#   confusion (E, NE): E: 1 1 / NE: 1 2
#   E: P 1/2 R 1/2 F1 1/2; NE: P 2/3 R 2/3 F1 2/3; macro (1/2 + 2/3)/2 = 7/12; acc 3/5
CASES = [
    pytest.param(
        [E, E, N, N, C, C],
        [E, N, N, N, C, E],
        THREE_WAY_LABELS,
        [[1, 1, 0], [0, 2, 0], [1, 0, 1]],
        {E: (1 / 2, 1 / 2, 1 / 2, 2), N: (2 / 3, 1.0, 4 / 5, 2), C: (1.0, 1 / 2, 2 / 3, 2)},
        4 / 6,
        59 / 90,
        id="six_rows",
    ),
    pytest.param(
        [E, E, N],
        [E, N, N],
        THREE_WAY_LABELS,
        [[1, 1, 0], [0, 1, 0], [0, 0, 0]],
        {E: (1.0, 1 / 2, 2 / 3, 2), N: (1 / 2, 1.0, 2 / 3, 1), C: (0.0, 0.0, 0.0, 0)},
        2 / 3,
        4 / 9,
        id="class_absent",
    ),
    pytest.param(
        [E, N],
        [C, N],
        THREE_WAY_LABELS,
        [[0, 0, 1], [0, 1, 0], [0, 0, 0]],
        {E: (0.0, 0.0, 0.0, 1), N: (1.0, 1.0, 1.0, 1), C: (0.0, 0.0, 0.0, 0)},
        1 / 2,
        1 / 3,
        id="predicted_never_gold",
    ),
    pytest.param(
        [E, E, NE, NE, NE],
        to_two_way_labels([E, C, N, C, E]),
        TWO_WAY_LABELS,
        [[1, 1], [1, 2]],
        {E: (1 / 2, 1 / 2, 1 / 2, 2), NE: (2 / 3, 2 / 3, 2 / 3, 3)},
        3 / 5,
        7 / 12,
        id="two_way",
    ),
]


@pytest.mark.parametrize("gold, pred, labels, matrix, per_class, acc, mf1", CASES)
def test_classification_by_hand(gold, pred, labels, matrix, per_class, acc, mf1):
    assert confusion_matrix(gold, pred, labels).tolist() == matrix
    scores = per_class_scores(gold, pred, labels)
    assert list(scores) == list(labels)
    for lab, (p, r, f, s) in per_class.items():
        assert scores[lab]["precision"] == pytest.approx(p)
        assert scores[lab]["recall"] == pytest.approx(r)
        assert scores[lab]["f1"] == pytest.approx(f)
        assert scores[lab]["support"] == s
    assert accuracy(gold, pred) == pytest.approx(acc)
    assert macro_f1(gold, pred, labels) == pytest.approx(mf1)


@pytest.mark.parametrize("gold, pred, labels, matrix, per_class, acc, mf1", CASES)
def test_classification_matches_sklearn(gold, pred, labels, matrix, per_class, acc, mf1):
    from sklearn.metrics import confusion_matrix as sk_confusion
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(gold, pred, labels=list(labels), zero_division=0)
    scores = per_class_scores(gold, pred, labels)
    assert [scores[lab]["precision"] for lab in labels] == pytest.approx(list(p))
    assert [scores[lab]["recall"] for lab in labels] == pytest.approx(list(r))
    assert [scores[lab]["f1"] for lab in labels] == pytest.approx(list(f))
    assert [scores[lab]["support"] for lab in labels] == list(s)
    expected = sk_confusion(gold, pred, labels=list(labels)).tolist()
    assert confusion_matrix(gold, pred, labels).tolist() == expected


def test_confusion_order_follows_labels():
    gold, pred = [E, N, C], [E, E, C]
    forward = confusion_matrix(gold, pred, (E, N, C))
    backward = confusion_matrix(gold, pred, (C, N, E))
    assert forward.tolist() == [[1, 0, 0], [1, 0, 0], [0, 0, 1]]
    assert backward.tolist() == [[1, 0, 0], [0, 0, 1], [0, 0, 1]]


@pytest.mark.parametrize(
    "gold, pred, labels, message",
    [
        pytest.param([], [], THREE_WAY_LABELS, "empty", id="empty"),
        pytest.param([E], [E, N], THREE_WAY_LABELS, "gold has 1", id="length_mismatch"),
        pytest.param([E, "maybe"], [E, N], THREE_WAY_LABELS, "maybe", id="unknown_gold"),
        pytest.param([E, N], [E, NE], THREE_WAY_LABELS, "not_entailment", id="unknown_pred"),
        pytest.param([E], [E], (E,), "two distinct", id="one_label"),
    ],
)
def test_bad_input_raises(gold, pred, labels, message):
    with pytest.raises(ValueError, match=message):
        confusion_matrix(gold, pred, labels)


def test_accuracy_empty_raises():
    with pytest.raises(ValueError, match="empty"):
        accuracy([], [])


# ---------------------------------------------------------------------------------------
# Two-way collapse
# ---------------------------------------------------------------------------------------


def test_two_way_collapse():
    assert to_two_way_labels([E, N, C, NE]) == [E, NE, NE, NE]
    probs = np.array([[0.6, 0.3, 0.1], [0.2, 0.5, 0.3]])
    np.testing.assert_allclose(to_two_way_probs(probs), [[0.6, 0.4], [0.2, 0.8]])
    with pytest.raises(ValueError):
        to_two_way_labels(["maybe"])
    with pytest.raises(ValueError):
        to_two_way_probs(np.zeros((2, 2)))


def test_argmax_first_column_wins_tie():
    assert argmax_labels([[0.4, 0.4, 0.2], [0.1, 0.2, 0.7]], THREE_WAY_LABELS) == [E, C]


# ---------------------------------------------------------------------------------------
# ROC-AUC, by hand
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gold, scores, positive, expected",
    [
        # positives 0.9, 0.3; negatives 0.8, 0.1. Pairs (pos > neg): (0.9,0.8) yes,
        # (0.9,0.1) yes, (0.3,0.8) no, (0.3,0.1) yes -> 3/4
        pytest.param([C, N, C, E], [0.9, 0.8, 0.3, 0.1], C, 0.75, id="simple"),
        # positives 0.9, 0.5; negatives 0.5, 0.1: 1 + 1 + 0.5 (tie) + 1 -> 3.5/4
        pytest.param([C, C, N, E], [0.9, 0.5, 0.5, 0.1], C, 0.875, id="tie_counts_half"),
        pytest.param([C, C, N, N], [0.9, 0.8, 0.2, 0.1], C, 1.0, id="perfect"),
        pytest.param([C, C, N, N], [0.1, 0.2, 0.8, 0.9], C, 0.0, id="inverted"),
        pytest.param([C, C, C], [0.1, 0.5, 0.9], C, None, id="only_positives"),
        pytest.param([E, N], [0.1, 0.5], C, None, id="no_positive"),
        # two-way: not_entailment by p(n)+p(c) equals entailment-vs-rest by p(e)
        pytest.param([E, NE, NE, E], [0.2, 0.7, 0.4, 0.5], NE, 0.75, id="two_way"),
    ],
)
def test_roc_auc_by_hand(gold, scores, positive, expected):
    got = roc_auc(gold, scores, positive)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_roc_auc_matches_sklearn_and_is_symmetric():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    gold = list(rng.choice([E, NE], size=200))
    p_e = np.round(rng.random(200), 2)  # rounding makes ties
    ours = roc_auc(gold, 1 - p_e, NE)
    assert ours == pytest.approx(roc_auc_score([g == NE for g in gold], 1 - p_e))
    assert ours == pytest.approx(roc_auc(gold, p_e, E))


# ---------------------------------------------------------------------------------------
# Expected calibration error, by hand
# ---------------------------------------------------------------------------------------


def test_ece_by_hand():
    # row  probs (E, N, C)       gold  pred  conf  correct  bin
    # 1    0.92 0.05 0.03        E     E     0.92  1        (0.9, 1.0]
    # 2    0.01 0.01 0.98        N     C     0.98  0        (0.9, 1.0]
    # 3    0.15 0.65 0.20        N     N     0.65  1        (0.6, 0.7]
    # 4    0.20 0.25 0.55        C     C     0.55  1        (0.5, 0.6]
    # bin (0.9,1]: conf (0.92+0.98)/2 = 0.95, acc 1/2 -> 2/4 * 0.45 = 0.225
    # bin (0.6,0.7]: 1/4 * |1 - 0.65| = 0.0875; bin (0.5,0.6]: 1/4 * |1 - 0.55| = 0.1125
    # ECE = 0.225 + 0.0875 + 0.1125 = 0.425
    probs = [[0.92, 0.05, 0.03], [0.01, 0.01, 0.98], [0.15, 0.65, 0.20], [0.20, 0.25, 0.55]]
    gold = [E, N, N, C]
    assert expected_calibration_error(gold, probs, THREE_WAY_LABELS) == pytest.approx(0.425)


def test_ece_uses_given_predictions():
    # pred overrides the argmax: row 1 predicted C with confidence 0.4, correct;
    # row 2 predicted E (the argmax) with confidence 0.7, wrong.
    # bin (0.3,0.4]: 1/2 * |1 - 0.4| = 0.3; bin (0.6,0.7]: 1/2 * |0 - 0.7| = 0.35 -> 0.65
    probs = [[0.5, 0.1, 0.4], [0.7, 0.2, 0.1]]
    gold = [C, N]
    ece = expected_calibration_error(gold, probs, THREE_WAY_LABELS, pred=[C, E])
    assert ece == pytest.approx(0.65)


def test_ece_two_way_by_hand():
    # three-way probs collapse to (p(e), p(n)+p(c)):
    # (0.6, 0.4) gold E  pred E conf 0.6 correct -> bin (0.5,0.6]: 1/2 * 0.4 = 0.2
    # (0.1, 0.9) gold NE pred NE conf 0.9 correct -> bin (0.8,0.9]: 1/2 * 0.1 = 0.05
    probs3 = np.array([[0.6, 0.3, 0.1], [0.1, 0.45, 0.45]])
    probs2 = to_two_way_probs(probs3)
    gold = [E, NE]
    assert expected_calibration_error(gold, probs2, TWO_WAY_LABELS) == pytest.approx(0.25)


def test_ece_perfect_and_worst():
    assert expected_calibration_error([E, N], [[1, 0, 0], [0, 1, 0]], THREE_WAY_LABELS) == 0.0
    assert expected_calibration_error([N, E], [[1, 0, 0], [0, 1, 0]], THREE_WAY_LABELS) == 1.0


def test_reliability_bin_edges():
    # 0.0 goes to the first bin, 1.0 to the last, 0.35 to (0.3, 0.4], 0.3 to (0.2, 0.3]
    bins = reliability_bins([0.0, 1.0, 0.35, 0.3], [1, 0, 1, 1])
    assert bins["count"].tolist() == [1, 0, 1, 1, 0, 0, 0, 0, 0, 1]
    assert bins["accuracy"][9] == 0.0 and bins["confidence"][9] == 1.0
    assert bins["confidence"][3] == pytest.approx(0.35)
    with pytest.raises(ValueError):
        reliability_bins([1.2], [1])


def test_classification_scores_is_json_ready():
    gold, pred = [E, E, N, N, C, C], [E, N, N, N, C, E]
    probs = np.eye(3)[[0, 1, 1, 1, 2, 0]]
    out = classification_scores(gold, pred, probs, THREE_WAY_LABELS)
    assert set(out) == {"accuracy", "macro_f1", "per_class", "confusion", "ece"}
    assert out["macro_f1"] == pytest.approx(59 / 90)
    assert out["confusion"] == {"labels": [E, N, C], "matrix": [[1, 1, 0], [0, 2, 0], [1, 0, 1]]}
    # confidence 1 everywhere, accuracy 4/6 -> ECE 1/3
    assert out["ece"] == pytest.approx(1 / 3)
    json.dumps(out)


# ---------------------------------------------------------------------------------------
# Calibration
# ---------------------------------------------------------------------------------------

PROBS = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [1 / 3, 1 / 3, 1 / 3]])


def _entropy(p):
    return -(p * np.log(p)).sum(axis=1)


def test_temperature_one_is_identity():
    assert apply_temperature(PROBS, 1.0) == pytest.approx(PROBS)


def test_higher_temperature_flattens_and_keeps_argmax():
    hot = apply_temperature(PROBS, 2.0)
    cold = apply_temperature(PROBS, 0.5)
    assert np.all(_entropy(hot[:2]) > _entropy(PROBS[:2]))
    assert np.all(_entropy(cold[:2]) < _entropy(PROBS[:2]))
    assert hot.sum(axis=1) == pytest.approx([1, 1, 1])
    assert np.argmax(hot, axis=1).tolist() == np.argmax(PROBS, axis=1).tolist()
    # softmax(log p / 2) of (0.7, 0.2, 0.1) is sqrt(p) renormalised
    root = np.sqrt(PROBS[0])
    assert hot[0] == pytest.approx(root / root.sum())


def test_apply_temperature_handles_zero_and_rejects_bad_input():
    out = apply_temperature([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]], 2.0)
    assert out.tolist() == [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0]]
    with pytest.raises(ValueError):
        apply_temperature(PROBS, 0.0)
    with pytest.raises(ValueError):
        apply_temperature([[0.5, 0.5]], 1.0)
    with pytest.raises(ValueError):
        apply_temperature([[0.0, 0.0, 0.0]], 2.0)


@pytest.mark.parametrize(
    "probs, threshold, expected",
    [
        pytest.param([0.3, 0.2, 0.5], None, C, id="argmax"),
        pytest.param([0.3, 0.2, 0.5], 0.6, E, id="below_threshold_best_of_rest"),
        pytest.param([0.25, 0.25, 0.5], 0.5, C, id="at_threshold"),
        pytest.param([0.1, 0.51, 0.39], 0.4, N, id="just_below"),
    ],
)
def test_predict_labels_threshold_rule(probs, threshold, expected):
    cal = Calibration(contradiction_threshold=threshold)
    assert predict_labels([probs], cal) == [expected]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"temperature": 0.0},
        {"temperature": -1.0},
        {"temperature": float("nan")},
        {"contradiction_threshold": 0.0},
        {"contradiction_threshold": 1.5},
    ],
)
def test_calibration_rejects_bad_values(kwargs):
    with pytest.raises(ValueError):
        Calibration(**kwargs)


def _biased_dev_set():
    # the model under-calls contradiction: true contradictions peak at neutral
    rows = [([0.80, 0.15, 0.05], E)] * 10 + [([0.20, 0.70, 0.10], N)] * 10 + [([0.25, 0.40, 0.35], C)] * 10
    return np.array([r[0] for r in rows]), [r[1] for r in rows]


def test_tune_finds_threshold_that_improves_macro_f1():
    probs, gold = _biased_dev_set()
    base = macro_f1(gold, argmax_labels(probs, THREE_WAY_LABELS), THREE_WAY_LABELS)
    cal = tune(probs, gold)
    assert cal.contradiction_threshold is not None
    assert THRESHOLD_GRID[0] <= cal.contradiction_threshold <= THRESHOLD_GRID[-1]
    assert 0.5 <= cal.temperature <= 3.0
    tuned = macro_f1(gold, predict_labels(probs, cal), THREE_WAY_LABELS)
    assert base < tuned == pytest.approx(1.0)


def test_tune_keeps_argmax_when_it_is_already_best():
    probs = np.array([[0.9, 0.05, 0.05], [0.05, 0.9, 0.05], [0.05, 0.05, 0.9]] * 5)
    gold = [E, N, C] * 5
    cal = tune(probs, gold)
    assert cal.contradiction_threshold is None
    # always right and very confident: the lowest NLL is the sharpest temperature
    assert cal.temperature == 0.5


def test_tune_fits_temperature_of_overconfident_model():
    # 70% right at confidence 0.98: NLL prefers flattening (T > 1)
    probs = np.array([[0.98, 0.01, 0.01]] * 10)
    gold = [E] * 7 + [N] * 3
    assert tune(probs, gold).temperature > 1.0


def test_tune_rejects_two_way_gold():
    with pytest.raises(LabeledDataError, match="three-way"):
        tune(np.full((2, 3), 1 / 3), [E, NE])


def test_calibration_save_load_round_trip(tmp_path):
    cal = Calibration(temperature=1.35, contradiction_threshold=0.42)
    path = save_calibration(tmp_path, cal, metadata={"dev": "dev.jsonl"})
    assert path == tmp_path / CALIBRATION_FILE
    assert load_calibration(tmp_path) == cal
    assert json.loads(path.read_text())["metadata"] == {"dev": "dev.jsonl"}


def test_load_calibration_absent_gives_defaults(tmp_path):
    assert load_calibration(tmp_path) == Calibration()
    assert load_calibration("some-org/some-hub-model") == Calibration()
    assert Calibration().is_identity


@pytest.mark.parametrize(
    "content, message",
    [
        pytest.param("{not json", "not valid JSON", id="bad_json"),
        pytest.param("[1, 2]", "JSON object", id="not_object"),
        pytest.param('{"temperature": -1}', "temperature", id="bad_temperature"),
        pytest.param('{"temperature": "hot"}', "temperature", id="string_temperature"),
        pytest.param('{"contradiction_threshold": 2}', "contradiction_threshold", id="bad_threshold"),
        pytest.param('{"temprature": 1.2}', "unknown key", id="typo_key"),
    ],
)
def test_load_calibration_malformed_raises(tmp_path, content, message):
    (tmp_path / CALIBRATION_FILE).write_text(content)
    with pytest.raises(ModelError, match=message):
        load_calibration(tmp_path)


def test_save_calibration_refuses_to_overwrite_different_file(tmp_path):
    save_calibration(tmp_path, Calibration(temperature=1.2))
    # same values: nothing to do, no error
    save_calibration(tmp_path, Calibration(temperature=1.2))
    with pytest.raises(ModelError, match="already exists"):
        save_calibration(tmp_path, Calibration(temperature=2.0))
    assert load_calibration(tmp_path) == Calibration(temperature=1.2)
    save_calibration(tmp_path, Calibration(temperature=2.0), overwrite=True)
    assert load_calibration(tmp_path) == Calibration(temperature=2.0)


def test_save_calibration_refuses_to_replace_unreadable_file(tmp_path):
    (tmp_path / CALIBRATION_FILE).write_text("{broken")
    with pytest.raises(ModelError, match="already exists"):
        save_calibration(tmp_path, Calibration())


def test_save_calibration_needs_existing_folder(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        save_calibration(tmp_path / "nope", Calibration())
