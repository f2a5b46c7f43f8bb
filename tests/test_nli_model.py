"""The shipped NLI model, loaded offline from the installed package, on clear pairs."""

import numpy as np
import pytest

from checker.errors import ModelError
from checker.nli import NLI_LABELS, label_columns, probabilities, score_by_length

CLEAR = [
    ("entailment", "Police arrested three men in Paris on Monday after the attack.", "Police arrested men in Paris."),
    (
        "contradiction",
        "The minister resigned on Friday after weeks of protests.",
        "The minister refused to resign and remains in office.",
    ),
    (
        "neutral",
        "The minister resigned on Friday after weeks of protests.",
        "The minister plans to write a book about her time in office.",
    ),
]
NUMBER_EDITS = [
    ("Hassan claims control of 12,000 fighters.", "Hassan claims control of 21,000 fighters."),
    ("The storm destroyed 300 homes in the province.", "The storm destroyed 3,000 homes in the province."),
    ("The company cut 450 jobs last year.", "The company cut 45 jobs last year."),
]


def _label(probs) -> str:
    return NLI_LABELS[int(np.argmax(probs))]


@pytest.mark.slow
def test_model_is_loaded_from_the_installed_package(nli_model):
    import newscheck_models

    assert str(newscheck_models.nli_model_path()) == nli_model.name
    assert {v.lower() for v in nli_model.id2label.values()} == set(NLI_LABELS)


@pytest.mark.slow
@pytest.mark.parametrize("gold,premise,hypothesis", CLEAR, ids=[c[0] for c in CLEAR])
def test_clear_pairs(nli_model, gold, premise, hypothesis):
    probs = nli_model.predict([(premise, hypothesis)])[0]
    assert _label(probs) == gold, dict(zip(NLI_LABELS, probs.round(3)))


@pytest.mark.slow
def test_edited_numbers_are_contradictions(nli_model):
    """v2 reads "450 jobs" -> "45 jobs" as entailment (models/README.md, known weaknesses); the
    audit's frame comparison types that pair as a number conflict, tested in test_frames_claims."""
    probs = nli_model.predict(NUMBER_EDITS)
    assert [_label(p) for p in probs] == ["contradiction", "contradiction", "entailment"], probs.round(3)


@pytest.mark.slow
def test_al_shami_role_conflict_and_a_paraphrase(nli_model):
    governor = (
        "Ahmed al-Shami, governor of the coastal region of Tartus, told Reuters that Syrian authorities "
        "were aware of the plans."
    )
    unit = (
        "Ahmed al-Shami, head of a government special unit in the Tartus region, stated that authorities "
        "are aware of the planned uprising."
    )
    probs = nli_model.predict([(governor, unit), (unit, governor)])
    assert probs[:, 2].max() > 0.5, probs.round(3)
    para = nli_model.predict(
        [
            ("Russia is withholding active support.", "Russia has withheld support."),
            ("Russia has withheld support.", "Russia is withholding active support."),
        ]
    )
    assert para[:, 2].max() < 0.5, para.round(3)


def test_a_model_without_nli_labels_is_refused():
    with pytest.raises(ModelError, match="lacks"):
        label_columns({0: "positive", 1: "negative", 2: "neutral"})


@pytest.mark.slow
def test_hypothesis_longer_than_max_length_is_scored_not_fatal(nli_model):
    """'only_first' truncation cannot fit a hypothesis that alone exceeds the limit; the
    façade then cuts both sides instead of failing the whole batch."""
    long_hyp = "The minister said that " + "the talks went on " * 120 + "for days."
    probs = nli_model.predict([("Talks went on for days.", long_hyp), CLEAR[0][1:]])
    assert probs.shape == (2, 3) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)
    assert _label(probs[1]) == "entailment"


#: the shipped model's probabilities (entailment, neutral, contradiction) on fixed pairs,
#: recorded when it was shipped. A change means the weights, the tokenizer or the inference
#: path changed: re-record only together with a new model card.
_AL_SHAMI_GOV = (
    "Ahmed al-Shami, governor of the coastal region of Tartus, told Reuters that Syrian authorities "
    "were aware of the plots and ready to combat them."
)
_AL_SHAMI_UNIT = (
    "Ahmed al-Shami, head of a government special unit in the Tartus region, stated that authorities "
    "are aware of the planned uprising and are prepared to counter it."
)
PINNED = [
    (
        ("Hassan claims control of 12,000 fighters.", "Hassan claims control of 21,000 fighters."),
        (0.0043, 0.0029, 0.9928),
    ),
    (CLEAR[0][1:], (0.9695, 0.0139, 0.0165)),
    (CLEAR[2][1:], (0.0084, 0.6316, 0.3600)),
    ((_AL_SHAMI_GOV, _AL_SHAMI_UNIT), (0.5215, 0.1507, 0.3278)),
    ((_AL_SHAMI_UNIT, _AL_SHAMI_GOV), (0.0630, 0.0767, 0.8602)),  # the demo corpus's role conflict: > 0.5
]


@pytest.mark.slow
def test_shipped_model_scores_are_pinned(nli_model):
    probs = nli_model.predict([pair for pair, _ in PINNED])
    np.testing.assert_allclose(probs, np.array([p for _, p in PINNED]), atol=2e-3)


def _demo_sentences(n: int = 36) -> list[str]:
    from pathlib import Path

    from checker.ingest import ingest_folder
    from checker.segment import segment_articles

    corpus = Path(__file__).resolve().parent.parent / "corpus"
    texts = sorted({s.text for s in segment_articles(ingest_folder(corpus).articles)})
    return texts[:: max(1, len(texts) // n)][:n]


@pytest.mark.slow
def test_a_statement_entails_itself_and_its_surface_variants(nli_model):
    """v1 called about half of these contradictory; the shipped model must read them as entailment."""
    sentences = _demo_sentences()
    variants = [s.lower() for s in sentences] + [s.rstrip(".!?") for s in sentences]
    probs = nli_model.predict([(s, s) for s in sentences] + list(zip(sentences * 2, variants)))
    labels = [_label(p) for p in probs]
    self_ok = sum(lab == "entailment" for lab in labels[: len(sentences)]) / len(sentences)
    near_ok = sum(lab == "entailment" for lab in labels[len(sentences) :]) / len(variants)
    assert self_ok >= 0.99, self_ok
    assert near_ok >= 0.95, near_ok


# ------------------------------------------------- the core both backends share (no model)


def test_score_by_length_batches_similar_lengths_and_keeps_input_order():
    lengths = [5, 1, 9, 3, 7, 2, 8]
    batches = []

    def run(idx):
        batches.append([lengths[i] for i in idx])
        return np.array([[lengths[i], 0.0] for i in idx], dtype=np.float32)

    seen = []
    out = score_by_length(lengths, 3, run, 2, progress=seen.append)
    assert out[:, 0].tolist() == lengths
    assert batches == [[1, 2, 3], [5, 7, 8], [9]] and seen == [3, 3, 1]
    assert score_by_length([], 3, run, 2).shape == (0, 2)


def test_probabilities_softmax_label_order_and_temperature():
    from checker.calibration import apply_temperature

    logits = np.array([[2.0, 0.0, -1.0], [0.0, 300.0, 0.0]], dtype=np.float32)
    # the model's columns are (contradiction, entailment, neutral)
    probs = probabilities(logits, [1, 2, 0])
    exp = np.exp(logits[0] - logits[0].max())
    np.testing.assert_allclose(probs[0], (exp / exp.sum())[[1, 2, 0]], rtol=1e-6)
    np.testing.assert_allclose(probs[1], [1.0, 0.0, 0.0], atol=1e-6)  # no overflow
    np.testing.assert_allclose(probabilities(logits, [1, 2, 0], 2.0), apply_temperature(probs, 2.0))
