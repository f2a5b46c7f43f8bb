"""Training pairs from written stories: several outlets retelling one event, every planted
conflict listed (``eval/stories/train``, the format of ``eval/stories/README.md``).

Why built so: the audit's errors are retellings. Two outlets give one fact in other words
with one value changed ("There were 178 passengers on board, most of them islanders" / "The
ferry was carrying 212 passengers and 14 crew members"), and the model reads the pair as
neutral; the public NLI sets and the generated edits hold almost no such pairs. A story whose
truth file lists every conflict it plants labels all of its sentence pairs:

- the two sides of a ``conflict`` entry: ``contradiction``, in both directions;
- the two sides of an ``agree`` entry (one fact told twice): ``entailment`` from the longer
  statement to the shorter one (the longer carries the fact and whatever detail it adds),
  not a contradiction the other way;
- the two sides of a ``compatible`` entry, and every other pair of statements of two outlets
  that the audit would put side by side (embedding neighbours): not a contradiction. Whether
  one side adds a detail (entailment one way, neutral the other) is not labelled, so these
  pairs carry :data:`NOT_CONTRADICTION`, a label the training loss reads as "entailment or
  neutral" (``-log(1 - P(contradiction))``, decision 0019).

Stories of the benchmark's splits (dev, test) are never read here: the model would then be
scored on pairs it was trained on.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from checker.stories import _matches
from checker.training.examples import NliExample

#: the label of a pair that is no contradiction, entailment or neutral left open
NOT_CONTRADICTION = "not_contradiction"
#: embedding neighbours of each statement in each other outlet that become training pairs
NEIGHBOURS = 2
#: cosine from which two statements of two outlets are put side by side (the audit pairs from 0.5)
MIN_SIMILARITY = 0.45


def _statements(story) -> list[tuple[str, str]]:
    """(document file name, statement text) for every statement of the story's outlets."""
    from checker.ingest import read_article_file
    from checker.segment import segment_article

    out: list[tuple[str, str]] = []
    for path in story.documents:
        for article in read_article_file(Path(path)):
            out.extend((Path(path).name, st.text) for st in segment_article(article))
    return out


def _joins(doc_a: str, text_a: str, doc_b: str, text_b: str, entries) -> bool:
    """The two statements are the two sides of one of ``entries`` (a claim matches its sentence)."""
    return any(
        (doc_a, doc_b) in ((e.a.doc, e.b.doc), (e.b.doc, e.a.doc))
        and (
            (doc_a == e.a.doc and _matches(text_a, e.a) and _matches(text_b, e.b))
            or (doc_a == e.b.doc and _matches(text_a, e.b) and _matches(text_b, e.a))
        )
        for e in entries
    )


def story_examples(root: str | Path, embed=None, seed: int = 0) -> list[NliExample]:
    """Labeled pairs of every story under ``root`` (a folder of story folders), shuffled.

    Args:
        embed: texts -> unit-norm vectors (default: newscheck's embedder).
    """
    from checker.stories import TRAIN_SPLIT, load_story

    if embed is None:
        from checker.embed import load_embedder

        embed = load_embedder().encode
    out: list[NliExample] = []
    for folder in sorted(Path(root).iterdir()):
        if not (folder / "truth.json").is_file():
            continue
        story = load_story(folder)
        if story.split != TRAIN_SPLIT:
            raise ValueError(f"{folder}: a {story.split!r} story; only {TRAIN_SPLIT!r} stories are trained on")
        out.extend(_story_pairs(story, embed))
    random.Random(seed).shuffle(out)
    return out


def _story_pairs(story, embed) -> list[NliExample]:
    """The entries' own pairs (both directions), then each statement's embedding neighbours."""
    labelled: dict[tuple[str, str], str] = {}
    for e in story.entries:
        if e.kind == "update":
            continue  # a later value is neither agreement nor a conflict of the two texts
        label = "contradiction" if e.kind == "conflict" else NOT_CONTRADICTION
        for x in e.a.texts:
            for y in e.b.texts:
                if e.kind == "agree":
                    longer, shorter = (x, y) if len(x.split()) >= len(y.split()) else (y, x)
                    labelled.setdefault((longer, shorter), "entailment")
                labelled.setdefault((x, y), label)
                labelled.setdefault((y, x), label)
    conflicts = [e for e in story.entries if e.kind == "conflict"]
    updates = [e for e in story.entries if e.kind == "update"]
    statements = _statements(story)
    vecs = np.asarray(embed([t for _, t in statements]), dtype=np.float32)
    sims = vecs @ vecs.T
    docs = np.array([d for d, _ in statements])
    for i, (doc_a, text_a) in enumerate(statements):
        for doc_b in sorted(set(docs) - {doc_a}):
            idx = np.flatnonzero(docs == doc_b)
            for j in idx[np.argsort(-sims[i, idx])][:NEIGHBOURS]:
                if sims[i, j] < MIN_SIMILARITY:
                    break
                text_b = statements[j][1]
                if _joins(doc_a, text_a, doc_b, text_b, updates):
                    continue
                conflict = _joins(doc_a, text_a, doc_b, text_b, conflicts)
                labelled.setdefault((text_a, text_b), "contradiction" if conflict else NOT_CONTRADICTION)
    return [NliExample(a, b, label, "written_story") for (a, b), label in labelled.items()]
