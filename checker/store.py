"""A SQLite store: cached embeddings and NLI scores, kept audits, and dismissed findings.

Why built so: a desk re-audits a story every time an outlet publishes or edits an article.
Embeddings and NLI probabilities depend only on the text and the model, so they are keyed
by (model id, content hash) and reused; re-running after one article changed only embeds
and scores that article's new statements. The cache is plugged in by wrapping the embedder
and the NLI model (:class:`CachedEmbedder`, :class:`CachedNli`), so no pipeline stage
knows about it. Reviewed findings are recorded by pair id (a hash of the two statements)
so later audits show them as dismissed, not new.

Default location: ``$NEWSCHECK_CACHE_DIR/store.sqlite``, else ``~/.cache/newscheck/store.sqlite``.

Errors: every SQLite error passes one boundary. A damaged store is a :class:`StoreError` that
says how to go on (``--store NEW`` or ``--no-store``). A store that cannot be written (a
read-only file, a full disk, a lock held too long) is still read as a cache; writes are
skipped and :attr:`Store.not_updated` says why, so an audit is never lost for it. Several
audits may share one store (SQLite locks it; a writer waits up to 30 s). All SQL is
parameterised and matches ids exactly.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from checker.errors import InputError, StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (model TEXT, text_hash TEXT, vector BLOB, PRIMARY KEY (model, text_hash));
CREATE TABLE IF NOT EXISTS nli (model TEXT, pair_hash TEXT, e REAL, n REAL, c REAL, PRIMARY KEY (model, pair_hash));
CREATE TABLE IF NOT EXISTS audits (id INTEGER PRIMARY KEY AUTOINCREMENT, corpus TEXT, created TEXT, summary TEXT,
                                   report TEXT);
CREATE TABLE IF NOT EXISTS dismissals (pair_id TEXT PRIMARY KEY, reason TEXT, created TEXT);
"""


_RECOVER = "move it aside, or pass --store NEW_PATH (or --no-store to audit without one)"
_TABLES = {"embeddings", "nli", "audits", "dismissals"}
_BUSY_TIMEOUT_S = 30.0


def _is_damage(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or type(exc) is sqlite3.DatabaseError


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

    Args:
        path: the database file. Default: :func:`default_store_path`.
        create: make the file (and its folder) when missing; when False a missing store is
            an error and nothing is created.

    Raises:
        StoreError: the store is missing (``create=False``), cannot be opened, is damaged
            or is not a newscheck store; also raised by any method that meets a damaged store.
    """

    def __init__(self, path: str | Path | None = None, create: bool = True):
        self.path = Path(path) if path else default_store_path()
        #: why writes are being skipped (read-only file, full disk, ...); None while all were kept.
        self.not_updated: str | None = None
        exists = self.path.exists()
        if not exists and not create:
            raise StoreError(f"store does not exist: {self.path} (`newscheck audit --store PATH` creates one)")
        try:
            self.db = self._connect(exists)
        except sqlite3.Error as exc:
            if _is_damage(exc):
                raise self._error(exc) from None
            raise StoreError(f"cannot open store {self.path}: {exc}") from None
        except OSError as exc:
            raise StoreError(f"cannot open store {self.path}: {exc.strerror or exc}") from None

    def _connect(self, exists: bool) -> sqlite3.Connection:
        if exists and (not os.access(self.path, os.W_OK) or not self.path.stat().st_mode & 0o222):
            # a store the user made read-only is used as a cache and never changed
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)
            self.not_updated = "the file is read-only"
            try:
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            except BaseException:
                db.close()
                raise
            if not _TABLES <= tables:
                db.close()
                raise StoreError(f"store {self.path} is read-only and not a newscheck store: {_RECOVER}")
            return db
        if not exists:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=_BUSY_TIMEOUT_S)
        try:
            db.executescript(_SCHEMA)
        except BaseException:
            db.close()
            raise
        return db

    def _error(self, exc: Exception) -> StoreError:
        if isinstance(exc, sqlite3.Error) and not _is_damage(exc):
            return StoreError(f"cannot read store {self.path} ({exc}): {_RECOVER}")
        return StoreError(f"store {self.path} is damaged or not a newscheck store ({exc}): {_RECOVER}")

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Any SQLite error (or undecodable stored value) while reading -> :class:`StoreError`."""
        try:
            yield
        except (sqlite3.Error, ValueError) as exc:
            raise self._error(exc) from None

    def _write(self, sql: str, rows: list[tuple]) -> sqlite3.Cursor | None:
        """Run one write and commit; its cursor, or None when the store cannot be written
        (the reason is kept in :attr:`not_updated` and later writes are skipped).

        Raises:
            StoreError: the store is damaged.
        """
        if self.not_updated is not None:
            return None
        try:
            cur = self.db.executemany(sql, rows) if len(rows) != 1 else self.db.execute(sql, rows[0])
            self.db.commit()
            return cur
        except sqlite3.Error as exc:
            try:
                self.db.rollback()
            except sqlite3.Error:
                pass
            if _is_damage(exc):
                raise self._error(exc) from None
            self.not_updated = str(exc)
            return None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    # -- embeddings ---------------------------------------------------------------
    def get_vectors(self, model: str, texts: Sequence[str]) -> dict[str, np.ndarray]:
        out = {}
        with self._reading():
            for text in set(texts):
                row = self.db.execute(
                    "SELECT vector FROM embeddings WHERE model=? AND text_hash=?", (model, _hash(text))
                ).fetchone()
                if row:
                    out[text] = np.frombuffer(row[0], dtype=np.float32)
        return out

    def put_vectors(self, model: str, items: dict[str, np.ndarray]) -> None:
        self._write(
            "INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?)",
            [(model, _hash(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in items.items()],
        )

    # -- NLI ----------------------------------------------------------------------
    def get_nli(
        self, model: str, pairs: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[float, float, float]]:
        out = {}
        with self._reading():
            for p in set(pairs):
                row = self.db.execute(
                    "SELECT e, n, c FROM nli WHERE model=? AND pair_hash=?", (model, _hash(*p))
                ).fetchone()
                if row:
                    out[p] = row
        return out

    def put_nli(self, model: str, items: Mapping[tuple[str, str], Sequence[float]]) -> None:
        self._write(
            "INSERT OR REPLACE INTO nli VALUES (?, ?, ?, ?, ?)",
            [(model, _hash(*p), *map(float, probs)) for p, probs in items.items()],
        )

    # -- audits and dismissals ----------------------------------------------------
    def save_audit(self, corpus: str, report: dict) -> int | None:
        """Keep an audit; its row id, or None when the store cannot be written (see :attr:`not_updated`)."""
        row = (corpus, _now(), json.dumps(report.get("summary", {})), json.dumps(report))
        cur = self._write("INSERT INTO audits (corpus, created, summary, report) VALUES (?, ?, ?, ?)", [row])
        return None if cur is None or cur.lastrowid is None else int(cur.lastrowid)

    def audits(self, corpus: str | None = None) -> list[dict]:
        with self._reading():
            rows = self.db.execute(
                "SELECT id, corpus, created, summary FROM audits"
                + (" WHERE corpus=?" if corpus else "")
                + " ORDER BY id",
                (corpus,) if corpus else (),
            ).fetchall()
            return [{"id": r[0], "corpus": r[1], "created": r[2], "summary": json.loads(r[3])} for r in rows]

    def has_pair(self, pair_id: str) -> bool:
        """True when a kept audit has a pair with exactly this id."""
        with self._reading():
            row = self.db.execute(
                "SELECT 1 FROM audits, json_each(audits.report, '$.pairs') AS p "
                "WHERE json_extract(p.value, '$.id') = ? LIMIT 1",
                (pair_id,),
            ).fetchone()
        return row is not None

    def dismiss(self, pair_id: str, reason: str) -> None:
        """Record a reviewed pair as dismissed.

        Raises:
            InputError: no reason, or no kept audit has this pair (ids match exactly).
            StoreError: the store cannot be written.
        """
        if not reason.strip():
            raise InputError("a dismissal needs a reason")
        if not self.has_pair(pair_id):
            raise InputError(f"pair {pair_id} is not in any audit kept in {self.path}")
        if (
            self._write("INSERT OR REPLACE INTO dismissals VALUES (?, ?, ?)", [(pair_id, reason.strip(), _now())])
            is None
        ):
            raise StoreError(f"cannot write store {self.path} ({self.not_updated}); nothing was dismissed")

    def dismissals(self) -> dict[str, str]:
        with self._reading():
            return dict(self.db.execute("SELECT pair_id, reason FROM dismissals").fetchall())


def keep_audit(db: Store, corpus: str, data: dict) -> str | None:
    """Mark the report's dismissed pairs and keep the audit in the store.

    Returns:
        None when the store holds the audit, else one line saying why it was not updated
        (the report itself is complete either way, so the caller still writes it).
    """
    from checker.report import mark_dismissed

    try:
        mark_dismissed(data, db.dismissals())
        db.save_audit(corpus, data)
    except StoreError as exc:
        return f"the audit was not kept: {exc}"
    if db.not_updated is not None:
        return f"store {db.path} was not updated ({db.not_updated}): the audit was not kept and new results not cached"
    return None


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


#: pairs scored between two writes to the store (a checkpoint of an interrupted audit)
NLI_CHUNK = 512


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
        self.max_length = getattr(inner, "max_length", 256)

    @property
    def count_tokens(self):
        """The inner model's token counter, or None (the long-input policy needs it before any lookup)."""
        return getattr(self.inner, "count_tokens", None)

    def predict(self, pairs: Sequence[tuple[str, str]], progress=None) -> np.ndarray:
        pairs = [(p[0], p[1]) for p in pairs]
        found = self.store.get_nli(self.model_id, pairs)
        missing = [p for p in dict.fromkeys(pairs) if p not in found]
        if progress:
            progress(len(pairs) - len(missing))
        # scored in chunks, each written as soon as it is done: an interrupted audit keeps what
        # it scored, and a re-run scores only the rest
        for start in range(0, len(missing), NLI_CHUNK):
            chunk = missing[start : start + NLI_CHUNK]
            probs = self.inner.predict(chunk, progress=progress)
            new = {p: (float(e), float(n), float(c)) for p, (e, n, c) in zip(chunk, probs)}
            self.store.put_nli(self.model_id, new)
            found.update(new)
        self.stats.nli_reused += len(set(pairs)) - len(missing)
        self.stats.nli_computed += len(missing)
        return np.array([found[p] for p in pairs], dtype=np.float32).reshape(len(pairs), 3)
