"""A SQLite store: cached embeddings and NLI scores, kept audits, and dismissed findings.

Why built so: a desk re-audits a story every time an outlet publishes or edits an article.
Embeddings and NLI probabilities depend only on the text and the model, so they are keyed
by (model id, content hash) and reused; re-running after one article changed only embeds
and scores that article's new statements. The cache is plugged in by wrapping the embedder
and the NLI model (:class:`checker.cached_models.CachedEmbedder`, ``CachedNli``), so no pipeline stage
knows about it. Reviewed findings are recorded by pair id (a hash of the two statements)
in a ledger of review events (table ``reviews``: dismiss, confirm, undo, note; see
:mod:`checker.review`) so later audits show them as dismissed or confirmed, not new. Stores
from before the ledger kept one reason per pair in ``dismissals``; those rows move into the
ledger when the store is opened for writing, and are read as ledger events when it is not.

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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from checker.errors import StoreError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS embeddings (model TEXT, text_hash TEXT, vector BLOB, PRIMARY KEY (model, text_hash));
CREATE TABLE IF NOT EXISTS nli (model TEXT, pair_hash TEXT, e REAL, n REAL, c REAL, PRIMARY KEY (model, pair_hash));
CREATE TABLE IF NOT EXISTS audits (id INTEGER PRIMARY KEY AUTOINCREMENT, corpus TEXT, created TEXT, summary TEXT,
                                   report TEXT);
CREATE TABLE IF NOT EXISTS dismissals (pair_id TEXT PRIMARY KEY, reason TEXT, created TEXT);
CREATE TABLE IF NOT EXISTS reviews (id INTEGER PRIMARY KEY AUTOINCREMENT, pair_id TEXT NOT NULL, action TEXT NOT NULL,
                                    by TEXT, created TEXT NOT NULL, note TEXT, undoes INTEGER);
CREATE INDEX IF NOT EXISTS reviews_pair ON reviews (pair_id);
"""
# dismissals of stores made before the ledger become its first events (the table stays, empty)
_MIGRATE = """
INSERT INTO reviews (pair_id, action, by, created, note)
    SELECT pair_id, 'dismiss', NULL, created, reason FROM dismissals ORDER BY created, pair_id;
DELETE FROM dismissals;
"""


_RECOVER = "move it aside, or pass --store NEW_PATH (or --no-store to audit without one)"
_TABLES = {"embeddings", "nli", "audits", "dismissals"}
_BUSY_TIMEOUT_S = 30.0


def _is_damage(exc: sqlite3.Error) -> bool:
    name = getattr(exc, "sqlite_errorname", "")
    return name in ("SQLITE_CORRUPT", "SQLITE_NOTADB") or type(exc) is sqlite3.DatabaseError


def default_store_path() -> Path:
    """The store in newscheck's one cache folder (beside the ONNX builds)."""
    from checker.model_cache import cache_dir

    return cache_dir() / "store.sqlite"


def _hash(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()


def model_fingerprint(name: str) -> str:
    """An id that changes when a local model's files change (hub ids are used as they are):
    the content hash that also keys the model's ONNX builds (:mod:`checker.model_cache`)."""
    from checker.model_cache import folder_content_hash

    path = Path(name)
    if not path.is_dir():
        return name
    return f"{path.name}:{folder_content_hash(path)[:16]}"


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
            if db.execute("SELECT 1 FROM dismissals LIMIT 1").fetchone():
                try:
                    db.executescript(f"BEGIN;{_MIGRATE}COMMIT;")
                except sqlite3.OperationalError:  # locked or full: read where they are, moved next time
                    db.rollback()
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

    def kept_pairs(self, pair_ids: Iterable[str]) -> dict[str, dict]:
        """Pair id -> the pair as the latest kept audit that holds it has it."""
        ids = sorted(set(pair_ids))
        out: dict[str, dict] = {}
        with self._reading():
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                for (value,) in self.db.execute(
                    "SELECT p.value FROM audits, json_each(audits.report, '$.pairs') AS p "
                    f"WHERE json_extract(p.value, '$.id') IN ({','.join('?' * len(chunk))}) ORDER BY audits.id",
                    chunk,
                ):
                    pair = json.loads(value)
                    out[pair["id"]] = pair
        return out

    def earlier_verdicts(self, created_before: str | None = None) -> set[tuple[str, str]]:
        """(pair id, verdict) of every pair in the kept audits (those created before a time, if given)."""
        with self._reading():
            rows = self.db.execute(
                "SELECT DISTINCT json_extract(p.value, '$.id'), json_extract(p.value, '$.verdict') "
                "FROM audits, json_each(audits.report, '$.pairs') AS p"
                + (" WHERE audits.created < ?" if created_before else ""),
                (created_before,) if created_before else (),
            ).fetchall()
        return {(r[0], r[1]) for r in rows}

    # -- the review ledger (semantics in checker.review) --------------------------------
    def add_review(self, pair_id: str, action: str, by: str | None, note: str | None, undoes: int | None) -> int:
        """Append one review event; its id.

        Raises:
            StoreError: the store cannot be written (nothing was recorded).
        """
        row = (pair_id, action, by, _now(), note, undoes)
        cur = self._write(
            "INSERT INTO reviews (pair_id, action, by, created, note, undoes) VALUES (?, ?, ?, ?, ?, ?)", [row]
        )
        if cur is None or cur.lastrowid is None:
            raise StoreError(f"cannot write store {self.path} ({self.not_updated}); nothing was recorded")
        return int(cur.lastrowid)

    def review_rows(self, pair_id: str | None = None) -> list[tuple]:
        """Review events in the order recorded: (id, pair_id, action, by, created, note, undoes).
        Dismissals a read-only store from before the ledger still holds come first."""
        where, args = (" WHERE pair_id=?", (pair_id,)) if pair_id is not None else ("", ())
        with self._reading():
            tables = {r[0] for r in self.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            legacy = self.db.execute(
                "SELECT NULL, pair_id, 'dismiss', NULL, created, reason, NULL FROM dismissals"
                + where
                + " ORDER BY created, pair_id",
                args,
            ).fetchall()
            if "reviews" not in tables:
                return legacy
            rows = self.db.execute(
                "SELECT id, pair_id, action, by, created, note, undoes FROM reviews" + where + " ORDER BY id", args
            ).fetchall()
        return legacy + rows

    def dismiss(self, pair_id: str, reason: str, by: str | None = None) -> None:
        """Record a reviewed pair as dismissed (an event in the ledger: an earlier reason is kept).

        Raises:
            InputError: no reason, or no kept audit has this pair (ids match exactly).
            StoreError: the store cannot be written.
        """
        from checker.review import Ledger

        Ledger(self).dismiss(pair_id, reason, by=by)

    def dismissals(self) -> dict[str, str]:
        """Pair id -> reason, for the pairs whose current decision is a dismissal."""
        from checker.review import Ledger

        return {d.pair_id: d.note or "" for d in Ledger(self).decisions().values() if d.status == "dismissed"}


def keep_audit(db: Store, corpus: str, data: dict) -> str | None:
    """Mark each pair's review status (new, seen, dismissed, confirmed) and keep the audit in the store.

    Returns:
        None when the store holds the audit, else one line saying why it was not updated
        (the report itself is complete either way, so the caller still writes it).
    """
    from checker.review import Ledger

    try:
        Ledger(db).mark(data, earlier=db.earlier_verdicts())
        db.save_audit(corpus, data)
    except StoreError as exc:
        return f"the audit was not kept: {exc}"
    if db.not_updated is not None:
        return f"store {db.path} was not updated ({db.not_updated}): the audit was not kept and new results not cached"
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
