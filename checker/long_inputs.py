"""Long inputs: a premise too long for the model is scored in sentence windows, never truncated silently.

Why built so: a cross-encoder sees at most ``max_length`` tokens of premise + hypothesis;
cutting the premise drops whatever fact sat in its tail, and the pair is then judged on
half a statement without anyone knowing. Instead the premise is split into sentences,
packed into windows that fit beside the hypothesis, and every window is scored. The
window with the highest contradiction probability and the one with the highest
entailment probability are kept; whichever of the two is more confident decides the
pair's probabilities, and the pair records that it was windowed and which window decided
(decision 0009).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


@dataclass(frozen=True, slots=True)
class WindowNote:
    """What happened to one long pair: how many windows, which decided, and why."""

    windows: int
    decided_by: int
    label: str  # "contradiction" or "entailment": the window kept for this label decided

    def __str__(self) -> str:
        return f"premise scored in {self.windows} windows; window {self.decided_by + 1} decided ({self.label})"


def windows(premise: str, room: int, count_tokens: Callable[[str], int]) -> list[str]:
    """Consecutive sentences of ``premise`` packed into pieces of at most ``room`` tokens (a
    sentence longer than ``room`` is cut at word boundaries)."""
    pieces: list[str] = []
    for sentence in _SENTENCE_END.split(premise.strip()):
        if count_tokens(sentence) <= room:
            pieces.append(sentence)
            continue
        chunk: list[str]
        words, chunk = sentence.split(), []
        for w in words:
            if chunk and count_tokens(" ".join([*chunk, w])) > room:
                pieces.append(" ".join(chunk))
                chunk = []
            chunk.append(w)
        if chunk:
            pieces.append(" ".join(chunk))
    out, current = [], ""
    for piece in pieces:
        candidate = f"{current} {piece}".strip()
        if current and count_tokens(candidate) > room:
            out.append(current)
            current = piece
        else:
            current = candidate
    if current:
        out.append(current)
    return out or [premise]


def predict_windowed(
    predict: Callable[[list[tuple[str, str]]], np.ndarray],
    pairs: Sequence[tuple[str, str]],
    count_tokens: Callable[[str], int] | None,
    max_length: int,
) -> tuple[np.ndarray, dict[int, WindowNote]]:
    """``predict`` on ``pairs``, with over-long premises scored in windows.

    Args:
        predict: (premise, hypothesis) pairs -> ``(n, 3)`` probabilities (e, n, c).
        count_tokens: tokens of one text for the model (None: no pair is treated as long).
        max_length: the model's limit for premise + hypothesis, special tokens included.

    Returns:
        The probabilities in input order and, for each windowed pair index, its note.
    """
    pairs = list(pairs)
    if count_tokens is None or not pairs:
        return np.asarray(predict(pairs)), {}
    count_tokens = functools.lru_cache(maxsize=None)(count_tokens)  # each statement sits in many pairs
    flat: list[tuple[str, str]] = []
    owner: list[tuple[int, int]] = []  # (pair index, window index)
    long_pairs: dict[int, int] = {}
    for i, (premise, hypothesis) in enumerate(pairs):
        room = max_length - count_tokens(hypothesis) - 3  # [CLS] premise [SEP] hypothesis [SEP]
        if count_tokens(premise) <= room or room < 8:
            flat.append((premise, hypothesis))
            owner.append((i, 0))
            continue
        ws = windows(premise, room, count_tokens)
        long_pairs[i] = len(ws)
        for k, w in enumerate(ws):
            flat.append((w, hypothesis))
            owner.append((i, k))
    probs = np.asarray(predict(flat))
    out = np.zeros((len(pairs), 3), dtype=probs.dtype)
    notes: dict[int, WindowNote] = {}
    by_pair: dict[int, list[tuple[int, np.ndarray]]] = {}
    for (i, k), p in zip(owner, probs):
        by_pair.setdefault(i, []).append((k, p))
    for i, scored in by_pair.items():
        if i not in long_pairs:
            out[i] = scored[0][1]
            continue
        kc, pc = max(scored, key=lambda kp: kp[1][2])
        ke, pe = max(scored, key=lambda kp: kp[1][0])
        if pc[2] >= pe[0]:
            out[i], notes[i] = pc, WindowNote(long_pairs[i], kc, "contradiction")
        else:
            out[i], notes[i] = pe, WindowNote(long_pairs[i], ke, "entailment")
    return out, notes
