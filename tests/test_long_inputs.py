"""The long-input policy: a premise too long for the model is scored in windows, and the pair says so."""

from __future__ import annotations

import numpy as np

from checker.label import label_pairs
from checker.long_inputs import predict_windowed, windows
from checker.types import CandidatePair, Statement


def count_words(text: str) -> int:
    return len(text.split())


def fake_predict(pairs):
    """Contradiction only when the premise says 'forty'; entailment when it says 'twelve'."""
    out = []
    for premise, _ in pairs:
        assert count_words(premise) + 3 + 6 <= 30, "a window must fit beside the hypothesis"
        if "forty" in premise:
            out.append([0.05, 0.05, 0.9])
        elif "twelve" in premise:
            out.append([0.8, 0.1, 0.1])
        else:
            out.append([0.1, 0.8, 0.1])
    return np.array(out)


LONG = (
    "The council met on Tuesday evening in the old town hall. Residents asked many questions about roads. "
    "The fire destroyed forty homes on the east side. Officials promised help within a week."
)


def test_windows_pack_sentences_under_the_room():
    ws = windows(LONG, 14, count_words)
    assert all(count_words(w) <= 14 for w in ws)
    assert " ".join(ws).split() == LONG.split()


def test_the_most_contradicting_window_decides_and_is_recorded():
    probs, notes = predict_windowed(
        fake_predict, [(LONG, "The fire destroyed twelve homes."), ("Short premise.", "x")], count_words, max_length=30
    )
    assert probs[0].argmax() == 2
    assert notes[0].label == "contradiction" and notes[0].windows >= 2
    assert "forty" in windows(LONG, 30 - 5 - 3, count_words)[notes[0].decided_by]
    assert 1 not in notes  # short pairs are scored as they are


def test_label_pairs_marks_windowed_pairs():
    a = Statement("a", "d1", LONG, 0, len(LONG))
    b = Statement("b", "d2", "The fire destroyed twelve homes.", 0, 31)
    [lp] = label_pairs([CandidatePair(a, b, 0.8)], fake_predict, count_tokens=count_words, max_length=30)
    assert lp.long_input is not None and lp.long_input.startswith("A→B: premise scored in")
    assert lp.a_to_b.contradiction == 0.9
