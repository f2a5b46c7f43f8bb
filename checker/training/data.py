"""Training mixture for the NLI cross-encoder: public labeled sets plus generated news edits.

All sets are read at training time from a folder outside the repository (by default
``../shared/nli-data``); nothing here is shipped with the package. Each source gets a
quota so that template-made sets (imppres, stress tests, Breaking NLI) cannot swamp the
MultiNLI-like data that carries general NLI. Held-out sets (``xnli_en_dev``, ``snli_test``)
are never part of the mixture.
"""

from __future__ import annotations

import gzip
import json
import random
import re
from collections import Counter
from pathlib import Path

from checker.training.examples import NliExample
from checker.training.news_pairs import generate_news_pairs

LABELS = ("entailment", "neutral", "contradiction")

#: file stem -> how many pairs to draw (None = all). Chosen so the run fits ~90 minutes
#: on two CPU cores; MultiNLI-like sets dominate because they carry general NLI.
DEFAULT_QUOTAS: dict[str, int | None] = {
    "lingnli": None,
    "mnli_train_samples_ppft": None,
    "mnli_train_taxinli": None,
    "seminli_news": None,
    "seminli_wiki": None,
    "anli_train_sample": None,
    "wanli_train_sample": None,
    "snli_dev": 3000,
    "snli_train_samples_ppft": 3000,
    "cad_snli": 3000,
    "sick_all": 2500,
    "breaking_nli": 1200,
    "healthver_dev": None,
    "emergent_train": None,
    "stress_numerical": 1500,
    "negation_hossain_snli": 1200,
    "negation_nan_nli": None,
    "negation_wikifactcheck_contra": 1200,
    "imppres": 1200,
    "conjnli_adv_train": 1200,
    "monli": 800,
}

#: two-way sets of which only the positive side is used, as entailment (paraphrases, MRPC
#: and PAWS, count both ways): they teach that a reworded sentence is not a contradiction;
#: PAWS's positives reorder the same words, the surface a minimal contradiction edit has.
ENTAILMENT_ONLY_QUOTAS: dict[str, int] = {"mrpc_paraphrase_2way": 1200, "glue_rte_2way": 700}
#: ...and with paraphrase edits (``paraphrase_share`` > 0, the v3 experiment): more of them.
PARAPHRASE_ENTAILMENT_ONLY_QUOTAS: dict[str, int] = {
    "mrpc_paraphrase_2way": 2400,
    "paws_x_en_dev_2way": 1600,
    "glue_rte_2way": 700,
}

#: never trained on: reported as held-out scores in the model card.
HELD_OUT = ("xnli_en_dev", "snli_test")


def read_jsonl_gz(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_entailment_only(path: Path, source: str, both_ways: bool) -> list[NliExample]:
    """The ``entailment`` rows of a two-way file (and their reverses for paraphrase sets)."""
    out = []
    for row in read_jsonl_gz(path):
        p, h = row.get("premise"), row.get("hypothesis")
        if row.get("label") != "entailment" or not p or not h:
            continue
        out.append(NliExample(p.strip(), h.strip(), "entailment", source))
        if both_ways:
            out.append(NliExample(h.strip(), p.strip(), "entailment", source))
    return out


def load_labeled(path: Path, source: str) -> list[NliExample]:
    """3-way rows of one shared file; two-way and unknown labels are left out."""
    out = []
    for row in read_jsonl_gz(path):
        p, h, y = row.get("premise"), row.get("hypothesis"), row.get("label")
        if not p or not h or y not in LABELS:
            continue
        out.append(NliExample(p.strip(), h.strip(), y, source))
    return out


_WORD = re.compile(r"[a-z0-9]+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


_ABBR = "".join(
    f"(?<!\\b{a})"
    for a in ("Mr", "Mrs", "Ms", "Dr", "Gen", "Sen", "Rep", "Gov", "St", "Lt", "Col", "Maj", "Jr", "No", "U.S", "U.N")
)
_SPLIT = re.compile(rf"{_ABBR}(?<=[.!?])\s+(?=[A-Z\"“])|(?<=[.!?][\"”'])\s+(?=[A-Z\"“])|\n+")


def split_sentences(text: str) -> list[str]:
    """Cheap splitter for training-data bodies (the pipeline uses pysbd)."""
    parts = re.split(_SPLIT, text)
    return [p.strip() for p in parts if p and p.strip()]


def load_fnc1(data_dir: Path, rng: random.Random, limit: int = 2500) -> list[NliExample]:
    """FNC-1 headline vs the two body sentences that share most words with it.

    agree -> entailment, disagree -> contradiction, discuss -> neutral; unrelated is dropped.
    """
    bodies = {r["body_id"]: r["text"] for r in read_jsonl_gz(data_dir / "fnc1_train_bodies.jsonl.gz")}
    sent_cache: dict[str, list[str]] = {}
    rows = [r for r in read_jsonl_gz(data_dir / "fnc1_train.jsonl.gz") if r["label"] in LABELS]
    rng.shuffle(rows)
    per_label: Counter[str] = Counter()
    cap = {"entailment": limit * 2 // 5, "contradiction": limit * 2 // 5, "neutral": limit // 5}
    out = []
    for r in rows:
        if per_label[r["label"]] >= cap[r["label"]]:
            continue
        body = bodies.get(r["premise_body_id"])
        if not body:
            continue
        sents = sent_cache.setdefault(r["premise_body_id"], split_sentences(body))
        hw = _words(r["hypothesis"])
        scored = sorted(sents, key=lambda s: -len(hw & _words(s)) / (1 + len(_words(s)) ** 0.5))
        premise = " ".join(scored[:2])
        if not premise or len(premise) > 600:
            continue
        out.append(NliExample(premise, r["hypothesis"].strip(), r["label"], "fnc1"))
        per_label[r["label"]] += 1
    return out


def fnc1_body_sentences(data_dir: Path) -> list[list[str]]:
    """Sentences of each FNC-1 article body: real news prose for the generated edits."""
    bodies = read_jsonl_gz(data_dir / "fnc1_train_bodies.jsonl.gz")
    return [split_sentences(b["text"]) for b in bodies]


def build_mixture(
    data_dir: Path,
    seed: int = 13,
    quotas: dict[str, int | None] | None = None,
    n_generated: int = 12000,
    fnc1_limit: int = 2500,
    entailment_only: dict[str, int] | None = None,
    paraphrase_share: float = 0.0,
    rewrite_share: float = 0.0,
) -> list[NliExample]:
    """Draw every source to its quota, add FNC-1 and generated news edits, dedupe, shuffle.

    ``paraphrase_share`` and ``rewrite_share`` are passed to
    :func:`checker.training.news_pairs.generate_news_pairs`; both 0 (the shipped model's recipe)
    by default.
    """
    rng = random.Random(seed)
    quotas = DEFAULT_QUOTAS if quotas is None else quotas
    examples: list[NliExample] = []
    for stem, quota in quotas.items():
        path = data_dir / f"{stem}.jsonl.gz"
        if not path.exists():
            continue
        rows = load_labeled(path, stem)
        rng.shuffle(rows)
        examples.extend(rows if quota is None else rows[:quota])
    if entailment_only is None:
        entailment_only = PARAPHRASE_ENTAILMENT_ONLY_QUOTAS if paraphrase_share else ENTAILMENT_ONLY_QUOTAS
    for stem, quota in entailment_only.items():
        path = data_dir / f"{stem}.jsonl.gz"
        if path.exists():
            rows = load_entailment_only(path, stem, both_ways="paraphrase" in stem or "paws" in stem)
            rng.shuffle(rows)
            examples.extend(rows[:quota])
    if fnc1_limit:
        examples.extend(load_fnc1(data_dir, rng, fnc1_limit))
    if n_generated:
        examples.extend(
            generate_news_pairs(
                fnc1_body_sentences(data_dir),
                n_generated,
                seed=seed,
                paraphrase_share=paraphrase_share,
                rewrite_share=rewrite_share,
            )
        )
    seen: set[tuple[str, str]] = set()
    unique = []
    for ex in examples:
        key = (ex.premise.lower(), ex.hypothesis.lower())
        if key not in seen:
            seen.add(key)
            unique.append(ex)
    rng.shuffle(unique)
    return unique
