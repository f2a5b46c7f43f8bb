"""The review ledger: who dismissed or confirmed which pair, when and why, with all history kept.

Why built so: a desk reviews the same story over many audits and several people review it.
A single "reason" per pair (what stores kept before) loses who decided, when, and every
earlier reason; so each review is an event appended to the store's ``reviews`` table
(dismiss, confirm, note, undo) and nothing is ever overwritten. The current decision on a
pair is its last dismiss or confirm that no undo names; ``undo`` names the last one still in
force, so undoing twice steps back twice. A report's pairs are then marked ``new`` (not in
an earlier kept audit with the same verdict), ``seen``, ``dismissed`` or ``confirmed``
(decision 0010). Pair ids are content hashes, so a decision follows the pair into every
later audit of the same texts.

    >>> with Ledger("store.sqlite") as ledger:                 # doctest: +SKIP
    ...     ledger.dismiss("d4e67fdc45", "same office, two descriptions", by="ana")
"""

from __future__ import annotations

import csv
import getpass
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from checker.errors import InputError
from checker.store import Store

ACTIONS = ("dismiss", "confirm", "note", "undo")
#: the decision each deciding action leaves in force
DECISIONS = {"dismiss": "dismissed", "confirm": "confirmed"}
#: a pair's review status in a report (see docs/report-schema.md, 1.4)
STATUSES = ("new", "seen", "dismissed", "confirmed")


@dataclass(frozen=True, slots=True)
class ReviewEvent:
    """One entry of the ledger."""

    #: None for a dismissal a read-only store from before the ledger still keeps in its old table
    id: int | None
    pair_id: str
    action: str
    #: who recorded it (None when unknown: dismissals from before the ledger)
    by: str | None
    #: when, UTC ISO 8601
    at: str
    note: str | None
    #: for an undo, the id of the event it takes back
    undoes: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """The decision in force on one pair."""

    pair_id: str
    status: str  # "dismissed" or "confirmed"
    by: str | None
    at: str
    note: str | None
    event_id: int | None


def default_reviewer() -> str:
    """``$USER``, else the login name the system knows, else "unknown"."""
    name = os.environ.get("USER") or os.environ.get("USERNAME")
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def current_decisions(events: Iterable[ReviewEvent]) -> dict[str, Decision]:
    """Pair id -> the decision in force: its last dismiss or confirm that no undo names."""
    events = list(events)
    undone = {e.undoes for e in events if e.action == "undo"}
    out: dict[str, Decision] = {}
    for e in events:
        if e.action in DECISIONS and (e.id is None or e.id not in undone):
            out[e.pair_id] = Decision(e.pair_id, DECISIONS[e.action], e.by, e.at, e.note, e.id)
    return out


def _clean(text: str | None) -> str | None:
    text = " ".join((text or "").split())
    return text or None


class Ledger:
    """The review ledger of a store. Use as a context manager (or call :meth:`close`).

    Args:
        store: an open :class:`~checker.store.Store` (left open), or the path of one (None:
            the default location); a store opened here must already exist.

    Raises:
        StoreError: the store does not exist, is damaged, or (when recording) cannot be written.
    """

    def __init__(self, store: Store | str | Path | None = None):
        self._own = not isinstance(store, Store)
        self.db: Store = store if isinstance(store, Store) else Store(store, create=False)

    def close(self) -> None:
        if self._own:
            self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading ----------------------------------------------------------------------
    def events(self, pair_id: str | None = None) -> list[ReviewEvent]:
        """Every event (of one pair, if given), oldest first."""
        return [ReviewEvent(*row) for row in self.db.review_rows(pair_id)]

    def decisions(self) -> dict[str, Decision]:
        """Pair id -> the decision in force, for every pair that has one."""
        return current_decisions(self.events())

    # -- recording --------------------------------------------------------------------
    def _record(self, pair_id: str, action: str, by: str | None, note: str | None, undoes: int | None = None):
        if not self.db.has_pair(pair_id):
            raise InputError(f"pair {pair_id} is not in any audit kept in {self.db.path}")
        by = _clean(by) or default_reviewer()
        event_id = self.db.add_review(pair_id, action, by, note, undoes)
        return next(e for e in self.events(pair_id) if e.id == event_id)

    def dismiss(self, pair_id: str, reason: str, by: str | None = None) -> ReviewEvent:
        """Dismiss a pair: not a real conflict. An earlier reason stays in the history.

        Raises:
            InputError: no reason, or no kept audit has this pair (ids match exactly).
            StoreError: the store cannot be written.
        """
        if not _clean(reason):
            raise InputError("a dismissal needs a reason")
        return self._record(pair_id, "dismiss", by, _clean(reason))

    def confirm(self, pair_id: str, note: str | None = None, by: str | None = None) -> ReviewEvent:
        """Confirm a pair: a real conflict, checked by a reviewer."""
        return self._record(pair_id, "confirm", by, _clean(note))

    def note(self, pair_id: str, text: str, by: str | None = None) -> ReviewEvent:
        """Add a note to a pair's history without deciding anything."""
        if not _clean(text):
            raise InputError("a note needs some text")
        return self._record(pair_id, "note", by, _clean(text))

    def undo(self, pair_id: str, reason: str | None = None, by: str | None = None) -> tuple[ReviewEvent, Decision]:
        """Take back the decision in force on a pair (the one before it, if any, applies again).

        Returns:
            The undo event and the decision it took back.

        Raises:
            InputError: the pair has no decision in force.
        """
        decision = self.decisions().get(pair_id)
        if decision is None or decision.event_id is None:
            raise InputError(f"pair {pair_id} has no dismissal or confirmation to undo")
        return self._record(pair_id, "undo", by, _clean(reason), undoes=decision.event_id), decision

    # -- reports ----------------------------------------------------------------------
    def mark(self, data: dict, earlier: set[tuple[str, str]] | None = None) -> None:
        """Mark each pair of a JSON report with its review status (``pair["review"]``).

        Args:
            earlier: (pair id, verdict) of the earlier kept audits; a pair found there with the
                same verdict is ``seen``. None: keep the new/seen the report was marked with at
                its audit, else compare with the audits kept before the report was made.
        """
        from checker.report import mark_review

        pairs = data.get("pairs", [])
        if earlier is None and not all(isinstance(p.get("review"), dict) for p in pairs):
            earlier = self.db.earlier_verdicts(created_before=data.get("created") or None)
        seen = None if earlier is None else {p["id"] for p in pairs if (p["id"], p["verdict"]) in earlier}
        decisions = {pid: asdict(d) for pid, d in self.decisions().items()}
        mark_review(data, decisions, seen)

    def listing(self, history: bool = False, status: str | None = None) -> list[dict]:
        """Reviewed pairs (or, with ``history``, every event), with each pair as last audited."""
        decisions = self.decisions()
        if history:
            rows = [asdict(e) for e in self.events()]
        else:
            rows = [asdict(d) for d in decisions.values() if status is None or d.status == status]
        kept = self.db.kept_pairs({r["pair_id"] for r in rows})
        for r in rows:
            pair = kept.get(r["pair_id"], {})
            r["now"] = decisions[r["pair_id"]].status if r["pair_id"] in decisions else "open"
            r["verdict"] = pair.get("verdict")
            r["type"] = (pair.get("finding") or {}).get("type")
            for side in ("a", "b"):
                r[f"{side}_outlet"] = pair.get(f"{side}_outlet")
                r[f"{side}_text"] = pair.get(f"{side}_text")
        return rows

    def export_csv(self, out: TextIO) -> int:
        """Write every event as one CSV row (with the pair's texts); the number of rows."""
        columns = ["id", "pair_id", "action", "by", "at", "note", "undoes", "now", "verdict", "type"]
        columns += ["a_outlet", "a_text", "b_outlet", "b_text"]
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        rows = self.listing(history=True)
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
        return len(rows)


def _cell(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (=, +, -, @ first) is prefixed with '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
