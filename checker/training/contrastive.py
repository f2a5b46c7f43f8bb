"""Contrastive retellings: the same paraphrase pair, once as it is and once with one fact changed.

Why built so: v1 learnt from generated edits that "one span changed in an otherwise
identical sentence" means contradiction, so it called near-identical retellings
contradictory; v3's paraphrase-only data taught the opposite shortcut ("reworded figure =
entailment"). Here every paraphrase pair written by people (MRPC and PAWS positives) or
made by a safe surface change (identity, punctuation, quotes, casing; polarity rewrites
such as "declined to comment" <-> "would not comment") is used three ways from the *same*
pair: (a) as it is -> entailment, (b) with one controlled edit of a number, date, role,
place, person, source or polarity on one side -> contradiction (or the bound/deletion label
the edit implies), (c) with a detail dropped on one side -> one-way entailment / neutral.
The edit is made on one sentence of the pair and the unchanged side is replaced by its
paraphrase, so the model sees reworded-and-same next to reworded-and-changed.

:func:`surface_check` reports how well single surface features (length difference, a
negation word on one side only, a changed digit) predict the label: each must stay at or
below 70% on the generated set, or the model could learn the feature instead of meaning.
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter, defaultdict
from pathlib import Path

from checker.training.data import NliExample, fnc1_body_sentences, read_jsonl_gz
from checker.training.edit_words import Edit
from checker.training.edits import (
    edit_appositive_role,
    edit_date,
    edit_delete,
    edit_negation,
    edit_number,
    edit_person,
    edit_place,
    edit_source,
    edit_title,
    person_names,
)

#: kind of edit -> share of the edited twins (contradiction edits dominate, as in real conflicts).
TWIN_SHARES = {
    "number": 0.20,
    "date": 0.12,
    "negation": 0.10,
    "place": 0.12,
    "role": 0.10,
    "appositive": 0.06,
    "source": 0.08,
    "person": 0.08,
    "delete": 0.14,
}
#: small numbers written as words: "3" <-> "three" is a reworded figure, not a new one.
NUMBER_WORDS = {
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "7": "seven",
    "8": "eight",
    "9": "nine",
    "10": "ten",
    "11": "eleven",
    "12": "twelve",
    "20": "twenty",
    "100": "a hundred",
}

#: meaning-preserving polarity rewrites: (plain, negated, the reverse also holds).
POLARITY_PARAPHRASES = [
    ("declined to", "would not", True),
    ("refused to", "would not", False),
    ("failed to", "did not", False),
    ("remained unchanged", "did not change", True),
    ("stayed the same", "did not change", True),
    ("remain unchanged", "will not change", True),
    ("was absent from", "did not attend", True),
    ("withheld", "did not give", False),
    ("rejected", "did not accept", False),
    ("lacks", "does not have", True),
    ("lacked", "did not have", True),
    ("unable to", "not able to", True),
    ("denied", "did not admit", False),
    ("was unaware", "did not know", True),
    ("is unaware", "does not know", True),
]
_NEGATION_WORDS = re.compile(r"\b(not|no|never|n't|cannot|without|none)\b|n't\b", re.I)


def detokenize(text: str) -> str:
    """Undo PTB-style spacing of MRPC/PAWS text ("Sun 's", "( J2SE )", "$ 29.99 .")."""
    t = re.sub(r"\s+([,.;:!?%)\]])", r"\1", text.strip())
    t = re.sub(r"([(\[$])\s+", r"\1", t)
    t = re.sub(r"\s+('s|'re|'ve|'ll|'d|n't)\b", r"\1", t)
    t = re.sub(r"``\s*|\s*''", '"', t)
    return re.sub(r"\s{2,}", " ", t)


def held_out(key: str, share: float = 0.25) -> bool:
    """A stable hash split: the same key is always on the same side."""
    return zlib.crc32(key.encode()) % 1000 < share * 1000


def human_paraphrases(data_dir: Path, test: bool) -> list[tuple[str, str, str]]:
    """MRPC and PAWS positives as (a, b, source). The test side: MRPC's GLUE dev articles and a
    hash-held-out quarter of PAWS, never used by the training side."""
    out = []
    for row in read_jsonl_gz(data_dir / "mrpc_paraphrase_2way.jsonl.gz"):
        if row["label"] == "entailment" and (row["split"] == "glue_dev") == test:
            out.append((detokenize(row["premise"]), detokenize(row["hypothesis"]), "mrpc"))
    for row in read_jsonl_gz(data_dir / "paws_x_en_dev_2way.jsonl.gz"):
        if row["label"] == "entailment" and held_out(row["id"]) == test:
            out.append((detokenize(row["premise"]), detokenize(row["hypothesis"]), "paws"))
    return out


def surface_variant(s: str, rng: random.Random) -> str:
    """The same sentence with only punctuation, quotes, casing or spacing changed."""
    choice = rng.randrange(6)
    if choice == 0:
        return s
    if choice == 1:
        return s.replace('"', "\u201c", 1).replace('"', "\u201d", 1) if '"' in s else s.rstrip(".") + ""
    if choice == 2:
        return s.lower()
    if choice == 3:
        return s.rstrip(".!?")
    if choice == 4:
        return re.sub(r",\s*", " ", s, count=1) if "," in s else s + " "
    return s.upper() if len(s) < 90 else s.replace("  ", " ").strip() + "."


def number_variant(s: str) -> str | None:
    """The same figure written another way: "3" <-> "three", "12,000" -> "12000" or "12 thousand"."""
    m = re.search(r"(?<![\w.,$])(\d{1,3}),000(?![\d,.])", s)
    if m:
        return s[: m.start()] + f"{m.group(1)} thousand" + s[m.end() :]
    m = re.search(r"(?<![\w.,$/:-])(\d{1,3})(?![\w.,%/:-]|\s*(?:am|pm|a\.m|p\.m|or|to|and))", s)
    if m and m.group(1) in NUMBER_WORDS:
        return s[: m.start()] + NUMBER_WORDS[m.group(1)] + s[m.end() :]
    for digits, word in NUMBER_WORDS.items():
        m = re.search(rf"\b{word}\b", s)
        if m and not s[m.end() :].startswith(("-", " of")):
            return s[: m.start()] + digits + s[m.end() :]
    return None


def polarity_paraphrase(s: str) -> str | None:
    """One plain <-> negated rewrite that keeps the meaning, or None."""
    for plain, negated, reversible in POLARITY_PARAPHRASES:
        if re.search(rf"\b{plain}\b", s):
            return re.sub(rf"\b{plain}\b", negated, s, count=1)
        if reversible and re.search(rf"\b{negated}\b", s):
            return re.sub(rf"\b{negated}\b", plain, s, count=1)
    return None


def news_paraphrases(
    articles: list[list[str]], rng: random.Random, test: bool, n_self: int, n_polarity: int
) -> list[tuple[str, str, str]]:
    """Pairs made from FNC-1 body sentences (articles split by a stable hash of their index):
    a sentence with itself or a surface variant, and polarity rewrites."""
    sents = [
        s
        for i, art in enumerate(articles)
        if held_out(f"fnc1-body-{i}") == test
        for s in art
        if 50 <= len(s) <= 240 and s[0].isupper()
    ]
    rng.shuffle(sents)
    out: list[tuple[str, str, str]] = []
    for s in sents[:n_self]:
        out.append((s, surface_variant(s, rng), "self"))
    made: Counter[str] = Counter()
    for s in sents[n_self:]:
        if made["polarity"] >= n_polarity and made["number"] >= n_self // 2:
            break
        for kind, rewrite in (("polarity", polarity_paraphrase), ("number", number_variant)):
            p = rewrite(s)
            if p and p != s and made[kind] < (n_polarity if kind == "polarity" else n_self // 2):
                out.append((s, p, kind))
                made[kind] += 1
                break
    return out


def _edit(kind: str, s: str, rng: random.Random, names: list[str]) -> Edit | None:
    fn = {
        "number": edit_number,
        "date": edit_date,
        "negation": edit_negation,
        "place": edit_place,
        "role": edit_title,
        "appositive": edit_appositive_role,
        "source": edit_source,
        "delete": edit_delete,
    }.get(kind)
    if kind == "person":
        return edit_person(s, rng, names)
    return fn(s, rng) if fn else None


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _shared_fact(original: str, edited: str, other: str) -> bool:
    """The edited span must be a fact the other sentence states too: "aged 36" changed to 18 is
    no contradiction of a paraphrase that gives no age. Insertions (a "not") need close overlap."""
    removed = _words(original) - _words(edited)
    if removed:
        return removed <= _words(other)
    a, b = _words(original), _words(other)
    return len(a & b) / max(1, len(a | b)) >= 0.6


def twin(a: str, b: str, rng: random.Random, kinds: list[str], names: list[str]) -> NliExample | None:
    """Edit one sentence of the pair; put its paraphrase on the unchanged side."""
    for kind in kinds:
        for edited_side, other in ((b, a), (a, b)) if rng.random() < 0.5 else ((a, b), (b, a)):
            e = _edit(kind, edited_side, rng, names)
            if not e or e[0] == e[1]:
                continue
            x, y, label, how = e
            if label == "contradiction" and not _shared_fact(edited_side, y if x == edited_side else x, other):
                continue
            if x == edited_side:
                return NliExample(other, y, label, f"contrastive:{how}")
            if y == edited_side:
                return NliExample(x, other, label, f"contrastive:{how}")
    return None


def contrastive_pairs(
    pairs: list[tuple[str, str, str]], seed: int = 13, twins_per_pair: int = 1, names: list[str] | None = None
) -> list[NliExample]:
    """From each paraphrase pair: the pair (entailment, random direction; both for self pairs)
    and up to ``twins_per_pair`` edited twins, kinds drawn to :data:`TWIN_SHARES`."""
    rng = random.Random(seed)
    names = names if names is not None else person_names(s for p in pairs for s in p[:2])
    kinds = list(TWIN_SHARES)
    made: Counter = Counter()
    out: list[NliExample] = []
    for a, b, src in pairs:
        first, second = (a, b) if rng.random() < 0.5 else (b, a)
        out.append(NliExample(first, second, "entailment", f"paraphrase:{src}"))
        if src in ("polarity", "number", "paws") and rng.random() < 0.5:
            out.append(NliExample(second, first, "entailment", f"paraphrase:{src}"))
        for _ in range(twins_per_pair):
            # every kind in a weighted random order, so a pair that cannot take one edit takes another
            total = sum(made.values()) + 50
            open_kinds = [k for k in kinds if made[k] <= 2 * TWIN_SHARES[k] * total]  # roughly the shares
            order = sorted(open_kinds, key=lambda k: rng.random() ** (1 / TWIN_SHARES[k]), reverse=True)
            if src == "polarity":
                order = ["negation", *order]  # "would not comment" vs "commented": the twin of the rewrite
            elif src == "number":
                order = ["number", *order]  # "three" reworded vs "four": a changed figure
            t = twin(a, b, rng, list(dict.fromkeys(order)), names)
            if t:
                how = t.source.split(":")[1].split("+")[0]
                made[
                    {
                        "number-bound": "number",
                        "deletion": "delete",
                        "addition": "delete",
                        "attribution": "source",
                        "scope": "place",
                    }.get(how, how)
                ] += 1
                out.append(t)
    return out


def _features(e: NliExample) -> dict[str, object]:
    lp, lh = len(e.premise.split()), len(e.hypothesis.split())
    neg = bool(_NEGATION_WORDS.search(e.premise)) != bool(_NEGATION_WORDS.search(e.hypothesis))
    digits = sorted(re.findall(r"\d+", e.premise)) != sorted(re.findall(r"\d+", e.hypothesis))
    diff = lh - lp
    return {
        "length_difference": "shorter" if diff < -1 else "longer" if diff > 1 else "same",
        "negation_on_one_side": neg,
        "digits_differ": digits,
    }


def surface_check(examples: list[NliExample]) -> dict[str, float]:
    """Accuracy of the best single-feature predictor of the label (majority label per value)."""
    result = {}
    feats = [_features(e) for e in examples]
    for name in feats[0] if feats else ():
        table: dict[object, Counter] = defaultdict(Counter)
        for f, e in zip(feats, examples):
            table[f[name]][e.label] += 1
        correct = sum(c.most_common(1)[0][1] for c in table.values())
        result[name] = round(correct / len(examples), 4)
    return result


def build_contrastive(
    data_dir: Path,
    test: bool = False,
    seed: int = 13,
    n_self: int = 2000,
    n_polarity: int = 2500,
    twins_per_pair: int = 2,
) -> list[NliExample]:
    """The contrastive set: train side (default) or the held-out test side (other articles)."""
    rng = random.Random(seed + (1 if test else 0))
    articles = fnc1_body_sentences(data_dir)
    names = person_names(s for art in articles for s in art)
    pairs = human_paraphrases(data_dir, test)
    pairs += news_paraphrases(articles, rng, test, n_self // (4 if test else 1), n_polarity // (4 if test else 1))
    return balance(contrastive_pairs(pairs, seed=seed, twins_per_pair=twins_per_pair, names=names), seed)


def balance(examples: list[NliExample], seed: int = 13) -> list[NliExample]:
    """Keep as many paraphrase entailments as there are edited twins, so that the label is not
    predictable from "is this pair edited" surface traces."""
    rng = random.Random(seed)
    twins = [e for e in examples if e.source.startswith("contrastive:")]
    plain = [e for e in examples if not e.source.startswith("contrastive:")]
    rng.shuffle(plain)
    out = twins + plain[: len(twins)]
    rng.shuffle(out)
    return out
