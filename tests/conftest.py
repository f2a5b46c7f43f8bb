"""Shared fixtures: real models loaded once per session, small fake models, fixed terminal."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch, tmp_path):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("NEWSCHECK_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def embedder():
    from checker.embed import load_embedder

    return load_embedder()


@pytest.fixture(scope="session")
def nli_model():
    from checker.nli import NliModel, default_nli_model_path

    if not (default_nli_model_path() / "config.json").exists():
        pytest.fail("the shipped NLI model is missing from models/nli")
    return NliModel()


class StrictFakeNli:
    """Returns fixed probabilities for known (premise, hypothesis) pairs; raises otherwise."""

    name = "fake-nli"

    def __init__(self, table: dict[tuple[str, str], tuple[float, float, float]]):
        self.table = table
        self.calls: list[tuple[str, str]] = []

    def predict(self, pairs, progress=None):
        self.calls.extend(pairs)
        out = np.array([self.table[p] for p in pairs], dtype=np.float32)
        if progress:
            progress(len(pairs))
        return out


@pytest.fixture
def fake_nli_factory():
    return StrictFakeNli


STORY = {
    "wire.txt": "Officials said the storm destroyed 300 homes in Riverton on Monday.\n"
    "The mayor said 1,200 residents were moved to schools overnight.\n",
    "gazette.txt": "The storm destroyed 3,000 homes in Riverton on Monday, officials said.\n"
    "The mayor said 1,200 residents were moved to schools overnight.\n",
}


class HashEmbedder:
    """Bag of words hashed into 32 dimensions: related sentences get related vectors."""

    name = "fake-embedder"

    def __init__(self):
        self.calls = 0

    def encode(self, texts):
        self.calls += 1
        out = np.zeros((len(texts), 32), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().split():
                out[i, zlib.crc32(w.encode()) % 32] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


class DigitNli:
    """Contradiction when the two texts hold different numbers, else entailment."""

    name = "fake-nli"
    backend = "torch"
    temperature = 1.0

    def predict(self, pairs, progress=None):
        digits = lambda s: sorted(w for w in s.replace(",", "").split() if w.isdigit())  # noqa: E731
        out = np.array(
            [[0.05, 0.15, 0.8] if digits(p) != digits(h) else [0.8, 0.15, 0.05] for p, h in pairs], dtype=np.float32
        ).reshape(len(pairs), 3)
        if progress:
            progress(len(pairs))
        return out


@pytest.fixture
def fake_models(monkeypatch) -> list:
    """``checker.pipeline.load_models`` gives a DigitNli and a HashEmbedder; returns the recorded (args, kwargs) calls."""
    from checker.label import Thresholds

    calls: list = []

    def load_models(*args, **kwargs):
        calls.append((args, kwargs))
        return DigitNli(), HashEmbedder(), Thresholds()

    monkeypatch.setattr("checker.pipeline.load_models", load_models)
    return calls
