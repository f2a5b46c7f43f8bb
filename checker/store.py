"""A SQLite store: cached embeddings and NLI scores, kept audits, and dismissed findings.

Why built so: a desk re-audits a story every time an outlet publishes or edits an article.
Embeddings and NLI probabilities depend only on the text and the model, so they are keyed
by (model id, content hash) and reused; re-running after one article changed only embeds
and scores that article's new statements. The cache is plugged in by wrapping the embedder
and the NLI model (:class:`CachedEmbedder`, :class:`CachedNli`), so no pipeline stage
knows about it. Reviewed findings are recorded by pair id (a hash of the two statements)
so later audits show them as dismissed, not new.

Default location: ``$NEWSCHECK_CACHE_DIR/store.sqlite``, else ``~/.cache/newscheck/store.sqlite``.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from checker.errors import InputError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (model TEXT, text_hash TEXT, vector BLOB, PRIMARY KEY (model, text_hash));
CREATE TABLE IF NOT EXISTS nli (model TEXT, pair_hash TEXT, e REAL, n REAL, c REAL, PRIMARY KEY (model, pair_hash));
CREATE TABLE IF NOT EXISTS audits (id INTEGER PRIMARY KEY AUTOINCREMENT, corpus TEXT, created TEXT, summary TEXT,
                                   report TEXT);
CREATE TABLE IF NOT EXISTS dismissals (pair_id TEXT PRIMARY KEY, reason TEXT, created TEXT);
"""


def default_store_path() -> Path:
    base = os.environ.get("NEWSCHECK_CACHE_DIR")
    root = Path(base) if base else Path.home() / ".cache" / "newscheck"
    return root / "store.sqlite"


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def model_fingerprint(name: str) -> str:
    """An id that changes when a local model's files change (hub ids are used as they are)."""
    path = Path(name)
    if not path.is_dir():
        return name
    h = hashlib.sha1()
    for f in sorted(path.rglob("*")):
        if f.is_file() and f.suffix in (".json", ".safetensors", ".bin", ".onnx", ".txt"):
            st = f.stat()
            h.update(f"{f.relative_to(path)}:{st.st_size}".encode())
            with open(f, "rb") as fh:
                h.update(fh.read(1 << 16))
    return f"{path.name}:{h.hexdigest()[:16]}"


class Store:
    """The SQLite store. Use as a context manager or call :meth:`close`.

    Raises:
        InputError: the database cannot be opened or is not a newscheck store.
    """

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_store_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path)
            self.db.executescript(_SCHEMA)
        except (OSError, sqlite3.Error) as exc:
            raise InputError(f"cannot open store {self.path}: {exc}") from None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- embeddings ---------------------------------------------------------------
    def get_vectors(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        out = {}
        for text in set(texts):
            row = self.db.execute(
                "SELECT vector FROM embeddings WHERE model=? AND text_hash=?", (model, _hash(text))
            ).fetchone()
            if row:
                out[text] = np.frombuffer(row[0], dtype=np.float32)
        return out

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
            [(model, _hash(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in items.items()],
        )
        self.db.commit()

    # -- NLI ----------------------------------------------------------------------
    def get_nli(
        self, model: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[float, float, float]]:
        out = {}
        for p in set(pairs):
            row = self.db.execute(
                "SELECT e, n, c FROM nli WHERE model=? AND pair_hash=?", (model, _hash(*p))
            ).fetchone()
            if row:
                out[p] = row
        return out

    def put_nli(self, model: str, items: dict[tuple[str, str], Sequence[float]]) -> None:
        self.db.executemany(
            "INSERT OR REPLACE INTO nli VALUES (?, ?, ?, ?, ?)",
            [(model, _hash(*p), *map(float, probs)) for p, probs in items.items()],
        )
        self.db.commit()

    # -- audits and dismissals ----------------------------------------------------
    def save_audit(self, corpus: str, report: dict) -> int:
        cur = self.db.execute(
            "INSERT INTO audits (corpus, created, summary, report) VALUES (?, ?, ?, ?)",
            (corpus, _now(), json.dumps(report.get("summary", {})), json.dumps(report)),
        )
        self.db.commit()
        return int(cur.lastrowid)

    def audits(self, corpus: str | None = None) -> list[dict]:
        rows = self.db.execute(
            "SELECT id, corpus, created, summary FROM audits" + (" WHERE corpus=?" if corpus else "") + " ORDER BY id",
            (corpus,) if corpus else (),
        ).fetchall()
        return [{"id": r[0], "corpus": r[1], "created": r[2], "summary": json.loads(r[3])} for r in rows]

    def dismiss(self, pair_id: str, reason: str) -> None:
        if not reason.strip():
            raise InputError("a dismissal needs a reason")
        self.db.execute("INSERT OR REPLACE INTO dismissals VALUES (?, ?, ?)", (pair_id, reason.strip(), _now()))
        self.db.commit()

    def dismissals(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT pair_id, reason FROM dismissals").fetchall())


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class ReuseStats:
    """How much of an audit came from the store."""

    vectors_reused: int = 0
    vectors_computed: int = 0
    nli_reused: int = 0
    nli_computed: int = 0


class CachedEmbedder:
    """An embedder that looks texts up in the store first."""

    def __init__(self, inner, store: Store, stats: ReuseStats):
        self.inner, self.store, self.stats = inner, store, stats
        self.name = inner.name
        self.model_id = "embed:" + model_fingerprint(inner.name)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        found = self.store.get_vectors(self.model_id, texts)
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            new = self.inner.encode(missing)
            found.update(zip(missing, new))
            self.store.put_vectors(self.model_id, dict(zip(missing, new)))
        self.stats.vectors_reused += len(set(texts)) - len(missing)
        self.stats.vectors_computed += len(missing)
        if not texts:
            return self.inner.encode(texts)
        return np.stack([found[t] for t in texts]).astype(np.float32)


class CachedNli:
    """An NLI model that looks (premise, hypothesis) pairs up in the store first.

    Raw probabilities are stored; the inner model's temperature is part of the key.
    """

    def __init__(self, inner, store: Store, stats: ReuseStats):
        self.inner, self.store, self.stats = inner, store, stats
        self.name = inner.name
        self.backend = getattr(inner, "backend", "torch")
        # the backend is part of the key: an int8 graph's probabilities differ slightly from fp32
        self.model_id = f"nli:{model_fingerprint(inner.name)}:{self.backend}:T={getattr(inner, 'temperature', 1.0)}"

    def predict(self, pairs: Sequence[tuple[str, str]], progress=None) -> np.ndarray:
        pairs = [tuple(p) for p in pairs]
        found = self.store.get_nli(self.model_id, pairs)
        missing = [p for p in dict.fromkeys(pairs) if p not in found]
        if progress:
            progress(len(pairs) - len(missing))
        if missing:
            probs = self.inner.predict(missing, progress=progress)
            new = {p: tuple(map(float, row)) for p, row in zip(missing, probs)}
            self.store.put_nli(self.model_id, new)
            found.update(new)
        self.stats.nli_reused += len(set(pairs)) - len(missing)
        self.stats.nli_computed += len(missing)
        return np.array([found[p] for p in pairs], dtype=np.float32).reshape(len(pairs), 3)
