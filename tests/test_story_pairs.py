"""Training pairs from written train stories, and the loss of the open "not a contradiction" label."""

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STORY = ROOT / "eval" / "stories" / "dev" / "ferry-capsize"


def _as_train_story(tmp_path: Path) -> Path:
    folder = tmp_path / "train" / STORY.name
    shutil.copytree(STORY, folder)
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    truth["split"] = "train"
    (folder / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return folder.parent


def test_loss_of_the_open_label_is_that_of_entailment_or_neutral():
    torch = pytest.importorskip("torch")
    from checker.training.train import NOT_CONTRADICTION_ID, nli_loss

    logits = torch.tensor([[2.0, 1.0, -1.0], [0.0, 0.0, 3.0]])
    p = torch.softmax(logits, dim=-1)
    open_label = nli_loss(logits, torch.tensor([NOT_CONTRADICTION_ID, NOT_CONTRADICTION_ID]))
    assert open_label.item() == pytest.approx(-torch.log(p[:, 0] + p[:, 1]).mean().item(), rel=1e-5)
    exact = nli_loss(logits, torch.tensor([0, 2]))
    assert exact.item() == pytest.approx(torch.nn.functional.cross_entropy(logits, torch.tensor([0, 2])).item())
    # a pair that is no contradiction costs less as entailment or neutral than as contradiction
    assert nli_loss(logits[:1], torch.tensor([NOT_CONTRADICTION_ID])) < nli_loss(logits[1:], torch.tensor([3]))


def test_a_benchmark_story_is_never_trained_on(tmp_path):
    from checker.training.story_pairs import story_examples

    shutil.copytree(STORY, tmp_path / STORY.name)
    with pytest.raises(ValueError, match="only 'train' stories"):
        story_examples(tmp_path, embed=lambda texts: [[1.0]] * len(texts))


@pytest.mark.slow
def test_story_pairs_label_every_planted_conflict_and_nothing_else(tmp_path):
    from checker.stories import load_story
    from checker.training.story_pairs import NOT_CONTRADICTION, story_examples

    root = _as_train_story(tmp_path)
    examples = story_examples(root)
    story = load_story(root / STORY.name)
    conflicts = {(a, b) for e in story.entries if e.kind == "conflict" for a in e.a.texts for b in e.b.texts}
    labelled = {(e.premise, e.hypothesis): e.label for e in examples}
    for a, b in conflicts:  # both directions of every planted conflict
        assert labelled[(a, b)] == labelled[(b, a)] == "contradiction"
    agree = next(e for e in story.entries if e.kind == "agree")
    a, b = agree.a.texts[0], agree.b.texts[0]
    longer, shorter = (a, b) if len(a.split()) >= len(b.split()) else (b, a)
    # one fact told twice: the longer telling entails the shorter, the other way stays open
    assert labelled[(longer, shorter)] == "entailment"
    assert labelled[(shorter, longer)] == NOT_CONTRADICTION
    # neighbours beyond the entries: more pairs than the entries give; a contradiction only
    # where both statements are the two sides of one planted conflict
    assert len(examples) > 2 * len(story.entries)
    sides = [(e.a, e.b) for e in story.entries if e.kind == "conflict"]
    for e in examples:
        if e.label == "contradiction":
            assert any(
                (_within(e.premise, x) and _within(e.hypothesis, y))
                or (_within(e.premise, y) and _within(e.hypothesis, x))
                for x, y in sides
            )
    assert sum(e.label == NOT_CONTRADICTION for e in examples) > sum(e.kind != "conflict" for e in story.entries)


def _within(text: str, side) -> bool:
    from checker.stories import norm

    return any(norm(t) in norm(text) or norm(text) in norm(t) for t in side.texts)


@pytest.mark.parametrize("share", [0.0, 1.0, 1.5])
def test_a_story_share_outside_zero_and_one_is_refused(tmp_path, share):
    pytest.importorskip("torch")
    from checker.training.train import with_stories

    with pytest.raises(ValueError, match="story share"):
        with_stories([], tmp_path, share, seed=0)


def test_every_training_label_has_an_id():
    pytest.importorskip("torch")
    from checker.training.data import LABELS
    from checker.training.story_pairs import NOT_CONTRADICTION
    from checker.training.train import NOT_CONTRADICTION_ID, TRAIN_LABEL_IDS

    assert set(TRAIN_LABEL_IDS) == {*LABELS, NOT_CONTRADICTION}
    assert TRAIN_LABEL_IDS[NOT_CONTRADICTION] == NOT_CONTRADICTION_ID
