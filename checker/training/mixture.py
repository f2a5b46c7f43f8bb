"""The v2 training mixture, loaded and mixed with the `datasets` library.

Why built so: the sets in ``../shared/nli-data`` are gzipped JSON lines of one schema, which
``load_dataset("json")`` reads offline with caching, and ``interleave_datasets`` mixes the
three parts with explicit probabilities instead of hand-tuned list concatenation:

- general NLI (MultiNLI-like sets first, FEVER balanced between its two labels, small
  slices of the template sets) carries general NLI and must stay the large share;
- contrastive retellings (:mod:`checker.training.contrastive`) teach "reworded = same,
  changed = contradiction";
- the v1 news edits (:mod:`checker.training.edits`) keep the typed-edit skills.

Smaller parts are oversampled to their share (``all_exhausted``); duplicates created by
oversampling never cross the train/dev boundary.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

from checker.training.data import DEFAULT_QUOTAS, HELD_OUT, LABELS, NliExample, fnc1_body_sentences

#: file stem -> pairs drawn (None = all): v1's quotas (:data:`~checker.training.data.DEFAULT_QUOTAS`)
#: without snli_dev, LingNLI capped, smaller slices of the template sets, CB and FraCaS added
#: (``|`` keeps v1's order of the stems, the order the sets are concatenated in).
#: FEVER is split by label to balance it (73% e).
GENERAL_QUOTAS: dict[str, int | None] = {
    stem: quota for stem, quota in DEFAULT_QUOTAS.items() if stem != "snli_dev"
} | {
    "lingnli": 40000,
    "breaking_nli": 1000,
    "stress_numerical": 1200,
    "negation_hossain_snli": 1000,
    "negation_wikifactcheck_contra": 800,
    "imppres": 1000,
    "conjnli_adv_train": 1000,
    "monli": 600,
    "cb_train": None,
    "fracas": None,
}
FEVER_PER_LABEL = 6000
#: part -> probability in the interleaved stream.
PART_PROBABILITIES = {"general": 0.72, "contrastive": 0.20, "news_edits": 0.08}


def _load(path: Path, stem: str, seed: int, quota: int | None, label: str | None = None):
    from datasets import load_dataset

    ds = load_dataset("json", data_files=str(path), split="train")
    keep = {label} if label else set(LABELS)
    ds = ds.filter(lambda r: r["label"] in keep and bool(r["premise"]) and bool(r["hypothesis"]))
    ds = ds.map(
        lambda r: {
            "premise": r["premise"].strip(),
            "hypothesis": r["hypothesis"].strip(),
            "label": r["label"],
            "source": stem,
        },
        remove_columns=[c for c in ds.column_names if c not in ("premise", "hypothesis", "label")],
    )
    ds = ds.shuffle(seed=seed)
    return ds.select(range(min(len(ds), quota))) if quota else ds


def general_nli(data_dir: Path, seed: int = 13, fever_per_label: int = FEVER_PER_LABEL):
    """The 3-way public sets to their quotas, as one ``datasets.Dataset``."""
    from datasets import concatenate_datasets

    parts = []
    for stem, quota in GENERAL_QUOTAS.items():
        path = data_dir / f"{stem}.jsonl.gz"
        if path.exists() and stem not in HELD_OUT:
            parts.append(_load(path, stem, seed, quota))
    fever = data_dir / "fever_train_gold_evidence.jsonl.gz"
    if fever.exists():
        for label in ("entailment", "contradiction"):
            parts.append(_load(fever, "fever_train", seed, fever_per_label, label))
    return concatenate_datasets(parts)


def _from_examples(rows: list[NliExample]):
    from datasets import Dataset

    return Dataset.from_dict(
        {
            "premise": [e.premise for e in rows],
            "hypothesis": [e.hypothesis for e in rows],
            "label": [e.label for e in rows],
            "source": [e.source for e in rows],
        }
    )


def build_mixture_v2(
    data_dir: Path,
    seed: int = 13,
    n_generated: int = 10000,
    dev_size: int = 1500,
    probabilities: dict[str, float] | None = None,
    fever_per_label: int = FEVER_PER_LABEL,
    same_story_share: float = 0.0,
) -> tuple[list[NliExample], list[NliExample]]:
    """(train, dev): the interleaved stream, its first unique ``dev_size`` pairs as dev.

    ``same_story_share``: share of the stream given to two different sentences of one news
    article labelled neutral (:func:`~checker.training.news_pairs.same_story_pairs`); the
    other parts keep their relative probabilities. 0 in the v2 recipe.

    Raises:
        FileNotFoundError: the data folder holds none of the sets.
    """
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    from datasets import interleave_datasets

    from checker.training.contrastive import build_contrastive
    from checker.training.news_pairs import generate_news_pairs, same_story_pairs

    if not any(data_dir.glob("*.jsonl.gz")):
        raise FileNotFoundError(f"no labeled sets in {data_dir}")
    probs = dict(probabilities or PART_PROBABILITIES)
    articles = fnc1_body_sentences(data_dir)
    parts = {
        "general": general_nli(data_dir, seed, fever_per_label),
        "contrastive": _from_examples(build_contrastive(data_dir, seed=seed)),
        "news_edits": _from_examples(generate_news_pairs(articles, n_generated, seed=seed)),
    }
    if same_story_share:
        probs = {k: v * (1.0 - same_story_share) for k, v in probs.items()} | {"same_story": same_story_share}
        parts["same_story"] = _from_examples(same_story_pairs(articles, 20000, seed=seed))
    names = [k for k in parts if probs.get(k)]
    total = sum(probs[k] for k in names)
    mixed = interleave_datasets(
        [parts[k].shuffle(seed=seed) for k in names],
        probabilities=[probs[k] / total for k in names],
        seed=seed,
        stopping_strategy="all_exhausted",
    )
    rows = [NliExample(r["premise"], r["hypothesis"], r["label"], r["source"]) for r in mixed]
    dev: list[NliExample] = []
    dev_keys: set[tuple[str, str]] = set()
    for e in rows:
        key = (e.premise.lower(), e.hypothesis.lower())
        if len(dev) >= dev_size:
            break
        if key not in dev_keys:
            dev_keys.add(key)
            dev.append(e)
    train = [e for e in rows if (e.premise.lower(), e.hypothesis.lower()) not in dev_keys]
    random.Random(seed).shuffle(train)
    return train, dev
