"""Training code on a tiny slice: a few real steps run, the loss is finite, a checkpoint resumes."""

import json
import math
import random
import re
from pathlib import Path

import pytest

from checker.training.data import build_mixture, load_labeled
from checker.training.edits import edit_delete, edit_number
from checker.training.news_pairs import generate_news_pairs
from checker.training.train import TrainConfig, choose_max_length, train

DATA = Path(__file__).resolve().parents[2] / "shared" / "nli-data"
needs_data = pytest.mark.skipif(not DATA.exists(), reason="../shared/nli-data is not beside the repository")


def test_number_edit_keeps_form_and_changes_value():
    import random

    rng = random.Random(0)
    s = "Hassan claims control of 12,000 fighters in the province."
    seen = set()
    for seed in range(30):
        p, h, label, kind = edit_number(s, random.Random(seed))
        seen.add(label)
        assert p != h
        if label == "contradiction" and kind == "number":
            assert "12,000" in p + h and sum(ch.isdigit() for ch in p) >= 4
    assert {"contradiction", "entailment"} <= seen
    assert edit_number("The war began in 2011.", rng) is None  # years are not quantities


def test_deletion_gives_entailment_one_way_and_neutral_the_other():
    import random

    s = "The governor, who took office last year, said on Monday that the plans had failed."
    labels = {edit_delete(s, random.Random(seed))[2] for seed in range(20)}
    assert labels == {"entailment", "neutral"}
    assert edit_delete("He did not say on Monday that the plans had failed.", random.Random(0)) is None


def test_generated_pairs_are_not_trivially_separable_by_length():
    arts = [
        [
            "Officials said on Monday that 1,200 people were evacuated from the town of Riverton.",
            "The mayor, who was elected in 2019, said the dam had been inspected in March.",
            "Police in Paris arrested 14 people after the protest turned violent, a spokesman said.",
            "The company is expected to report higher profits next week, analysts said.",
        ]
    ] * 50
    pairs = generate_news_pairs(arts, 120, seed=1)
    assert pairs
    contra = [p for p in pairs if p.label == "contradiction"]
    hyp_shorter = sum(len(p.hypothesis) < len(p.premise) for p in contra) / len(contra)
    assert 0.2 < hyp_shorter < 0.8  # the edited side is the premise about half the time


def test_choose_max_length():
    assert choose_max_length(list(range(1, 101)), 128) == 104
    assert choose_max_length([500] * 10, 128) == 128


@needs_data
def test_mixture_never_contains_held_out_pairs():
    mixture = build_mixture(
        DATA,
        quotas={"snli_dev": 300, "sick_all": 100},
        n_generated=0,
        fnc1_limit=50,
        entailment_only={"mrpc_paraphrase_2way": 50},
    )
    assert any(e.source == "mrpc_paraphrase_2way" and e.label == "entailment" for e in mixture)
    held = {(e.premise, e.hypothesis) for e in load_labeled(DATA / "xnli_en_dev.jsonl.gz", "x")}
    held |= {(e.premise, e.hypothesis) for e in load_labeled(DATA / "snli_test.jsonl.gz", "s")}
    assert mixture and not held & {(e.premise, e.hypothesis) for e in mixture}


@needs_data
@pytest.mark.slow
def test_a_few_steps_run_and_resume_from_checkpoint(tmp_path):
    def cfg(**kw):
        return TrainConfig(
            data_dir=str(DATA),
            out_dir=str(tmp_path / "run"),
            batch_size=8,
            limit=32,
            n_generated=40,
            fnc1_limit=0,
            dev_size=8,
            checkpoint_every=1,
            quotas={"snli_dev": 80},
            entailment_only={},
            eval_held_out=False,
            **kw,
        )

    logs: list[str] = []
    first = train(cfg(stop_after_steps=2), log=logs.append)
    assert first["stopped_early"] and first["steps"] == 2
    assert math.isfinite(first["final_loss"])
    assert (tmp_path / "run" / "checkpoint.pt").exists()
    dev_rows = [json.loads(line) for line in (tmp_path / "run" / "dev.jsonl").read_text().splitlines()]
    assert dev_rows and {r["label"] for r in dev_rows} <= {"entailment", "neutral", "contradiction"}
    second = train(cfg(), log=logs.append)
    assert any(line.startswith("resumed from step 2/4") for line in logs)
    assert second["steps"] == 4 and not second["stopped_early"] and math.isfinite(second["final_loss"])
    saved = tmp_path / "run" / "model"
    config = json.loads((saved / "config.json").read_text())
    assert config["id2label"] == {"0": "entailment", "1": "neutral", "2": "contradiction"}
    assert (saved / "model.safetensors").exists()
    recorded = json.loads((tmp_path / "run" / "train_config.json").read_text())
    assert recorded["seed"] == 13 and recorded["max_length"] > 0


def test_paraphrase_rewrites_keep_meaning_and_are_entailment_both_ways():
    from checker.training.rewrites import edit_paraphrase

    rng = random.Random(3)
    s = "The attack killed 1,200 people on March 3, 2024, police said."
    seen = set()
    for _ in range(30):
        p, h, label, kind = edit_paraphrase(s, rng)
        assert label == "entailment" and kind == "paraphrase" and s in (p, h) and p != h
        other = h if p == s else p
        seen.add(other)
        # the facts stay: the number, the date and the source
        assert re.search(r"1,?200", other) and "2024" in other and "olice" in other
    assert any(o.startswith("Police said") for o in seen)
    assert any("3 March 2024" in o for o in seen)
    assert edit_paraphrase("A short line with nothing to rewrite here.", rng) is None


def test_quoted_speech_is_not_moved():
    from checker.training.rewrites import _rewrite_attribution

    assert (
        _rewrite_attribution('"We are certain they cannot do anything effective," he said.', random.Random(0)) is None
    )


def test_an_edit_with_a_rewrite_keeps_its_label():
    from checker.training.rewrites import with_rewrite

    rng = random.Random(5)
    edit = (
        "Ahmed al-Shami, governor of the coastal region of Tartus, said on March 3 that 1,200 fighters left.",
        "Ahmed al-Shami, mayor of the Tartus region, said on March 3 that 1,200 fighters left.",
        "contradiction",
        "role",
    )
    seen = set()
    for _ in range(20):
        p, h, label, kind = with_rewrite(edit, rng)
        assert label == "contradiction" and "mayor" in p + h and "governor" in p + h
        seen.add(kind)
    assert "role+rewrite" in seen


def test_fever_share_of_the_v2_general_part_is_set_per_label(tmp_path):
    """`--fever-per-label` draws that many FEVER pairs of each label, other sets unchanged."""
    import gzip

    from checker.training.mixture import general_nli

    def write(name: str, rows: list[dict]) -> None:
        with gzip.open(tmp_path / name, "wt", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r) + "\n" for r in rows)

    fever = [
        {"premise": f"Evidence sentence {i}.", "hypothesis": f"Claim {i}.", "label": lab}
        for i in range(20)
        for lab in ("entailment", "contradiction")
    ]
    write("fever_train_gold_evidence.jsonl.gz", fever)
    write("cb_train.jsonl.gz", [{"premise": "It rained.", "hypothesis": "It was wet.", "label": "entailment"}])
    counts = {}
    for per_label in (3, 7):
        ds = general_nli(tmp_path, seed=1, fever_per_label=per_label)
        counts[per_label] = [(r["source"], r["label"]) for r in ds]
    assert counts[3].count(("fever_train", "entailment")) == 3
    assert counts[3].count(("fever_train", "contradiction")) == 3
    assert counts[7].count(("fever_train", "contradiction")) == 7
    assert counts[7].count(("cb_train", "entailment")) == 1


def test_same_story_pairs_are_two_different_sentences_of_one_article_labelled_neutral():
    from checker.training.contrastive import held_out
    from checker.training.news_pairs import same_story_pairs

    article = [
        "Firefighters battled the blaze at the chemical plant in Riverton for six hours on Monday.",
        "Smoke from the chemical plant fire forced Riverton to close two schools on Tuesday.",
        "The plant's owner said the fire started in a storage shed used for solvents.",
        "Riverton firefighters were joined by crews from three neighbouring towns.",
        "Short one.",
    ]
    arts = [list(article) for _ in range(40)]
    pairs = same_story_pairs(arts, 60, seed=2)
    assert pairs and len(pairs) <= 60
    assert {p.label for p in pairs} == {"neutral"}
    for p in pairs:
        assert p.premise != p.hypothesis and p.premise in article and p.hypothesis in article
        assert "Short one." not in (p.premise, p.hypothesis)
    # articles on the contrastive test side are never used: with only such articles, no pairs
    test_side = [i for i in range(200) if held_out(f"fnc1-body-{i}")]
    only_test = [[] if not held_out(f"fnc1-body-{i}") else list(article) for i in range(max(test_side) + 1)]
    assert same_story_pairs(only_test, 50) == []


def test_interpolated_weights_lie_between_the_two_models(tmp_path):
    """WiSE-FT mix of two models: alpha 0 is the first, 1 the second, 0.5 their mean."""
    pytest.importorskip("torch")
    from safetensors.torch import load_file, save_file

    from checker.nli import default_nli_model_path
    from checker.training.interpolate import interpolate

    first = default_nli_model_path()
    weights = load_file(first / "model.safetensors")
    second = tmp_path / "second"
    second.mkdir()
    save_file({k: (v + 1 if v.is_floating_point() else v) for k, v in weights.items()}, second / "model.safetensors")
    key = next(k for k, v in weights.items() if v.is_floating_point())
    for alpha in (0.0, 0.5, 1.0):
        out = interpolate(first, second, alpha, tmp_path / f"mix{alpha}")
        mixed = load_file(out / "model.safetensors")
        expected = (weights[key].float() + alpha).to(weights[key].dtype)
        assert (mixed[key].float() - expected.float()).abs().max().item() < 1e-2
        assert (out / "config.json").is_file() and (out / "tokenizer.json").is_file()
    with pytest.raises(FileExistsError):
        interpolate(first, second, 0.5, tmp_path / "mix0.5")  # never overwrites
    with pytest.raises(ValueError, match="alpha"):
        interpolate(first, second, 1.5, tmp_path / "bad")
    other = tmp_path / "other"
    other.mkdir()
    save_file({key: weights[key]}, other / "model.safetensors")
    with pytest.raises(ValueError, match="same architecture"):
        interpolate(first, other, 0.5, tmp_path / "mismatch")


def test_interpolation_on_the_command_line_says_what_is_wrong(tmp_path):
    import subprocess
    import sys

    from checker.nli import default_nli_model_path

    run = subprocess.run(
        [sys.executable, "-m", "checker.training.interpolate", str(default_nli_model_path()), str(tmp_path / "none")]
        + ["--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert "interpolate:" in run.stderr and "none" in run.stderr
