"""Shared fixtures: real models loaded once per session, a strict fake NLI, fixed terminal."""

from __future__ import annotations

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
    from checker.embed import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder()


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
