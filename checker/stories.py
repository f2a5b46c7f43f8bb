"""The audit benchmark: story folders with a ``truth.json``, and how an audit report is scored.

Why built so: pair-level NLI accuracy does not say whether a whole *audit* of a new story
finds its conflicts, labels its agreeing facts as agreement and keeps its contradiction list
clean. A story lists its planted conflicts (with a type), compatible look-alikes, agreeing
facts and later updates by the exact sentences involved (``eval/stories/README.md``); an
audit statement matches a sentence when one normalised text contains the other, so claims
split out of a sentence still match it. Every contradiction the audit raises that matches
no conflict or update is a false alarm. Scoring is pure: it reads a report dict.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.errors import InputError
from checker.findings import FINDING_TYPES

ENTRY_KINDS = ("conflict", "agree", "compatible", "update")
CONFLICT_TYPES = FINDING_TYPES  # the typed checks' vocabulary: a truth file uses the report's types
AGREEING_VERDICTS = ("agree", "a_adds", "b_adds")
SPLITS = ("dev", "test")
#: stories written to train the NLI model on retellings (``checker.training.story_pairs``): loadable
#: and auditable like the benchmark's, never part of ``all`` (the benchmark is dev and test)
TRAIN_SPLIT = "train"
STORY_SPLITS = (*SPLITS, TRAIN_SPLIT)


class TruthFileError(InputError):
    """A truth.json that does not follow eval/stories/README.md."""


@dataclass(frozen=True, slots=True)
class Side:
    doc: str
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class TruthEntry:
    id: str
    kind: str
    type: str | None
    a: Side
    b: Side
    note: str = ""


@dataclass(frozen=True, slots=True)
class Stance:
    """FNC-1 stories: one article's stance towards the claim document."""

    doc: str
    stance: str  # "agree" or "disagree"


@dataclass(frozen=True, slots=True)
class Story:
    name: str
    path: Path
    split: str
    kind: str  # "written" or "fnc1"
    topic: str
    entries: tuple[TruthEntry, ...]
    claim_doc: str | None = None
    stances: tuple[Stance, ...] = ()

    @property
    def documents(self) -> list[Path]:
        return sorted(
            p for p in self.path.iterdir() if p.is_file() and p.name != "truth.json" and not p.name.startswith(".")
        )


def norm(text: str) -> str:
    """Case, quotes and whitespace folded, so a statement matches the sentence it came from."""
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip().lower()


def _doc_texts(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        rec = json.loads(raw)
        return f"{rec.get('title') or ''}\n{rec.get('text') or ''}"
    return raw


def _side(raw: object, where: str, folder: Path, texts: dict[str, str]) -> Side:
    items: list[Any] = raw if isinstance(raw, list) else [raw]
    if not items or not all(
        isinstance(i, dict) and isinstance(i.get("doc"), str) and isinstance(i.get("text"), str) for i in items
    ):
        raise TruthFileError(f'{where}: needs {{"doc": FILE, "text": SENTENCE}} (or a list of them)')
    docs = {i["doc"] for i in items}
    if len(docs) != 1:
        raise TruthFileError(f"{where}: the alternatives of one side must come from one document")
    doc = docs.pop()
    if doc not in texts:
        raise TruthFileError(f"{where}: no document {doc!r} in {folder}")
    for i in items:
        if norm(i["text"]) not in norm(texts[doc]):
            raise TruthFileError(f"{where}: text is not in {doc}: {i['text'][:60]!r}")
    return Side(doc, tuple(i["text"] for i in items))


def load_story(folder: str | Path) -> Story:
    """Read and check one story folder.

    Raises:
        TruthFileError: a missing or malformed truth.json, an unknown kind or type, or a text that
            is not in the document it names (one line saying which entry).
    """
    folder = Path(folder)
    truth_path = folder / "truth.json"
    if not truth_path.is_file():
        raise TruthFileError(f"no truth.json in {folder}")
    try:
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TruthFileError(f"{truth_path}: not valid JSON ({exc})") from None
    if not isinstance(truth, dict):
        raise TruthFileError(f"{truth_path}: must be a JSON object")
    texts = {}
    for p in folder.iterdir():
        if p.is_file() and p.name != "truth.json" and not p.name.startswith("."):
            try:
                texts[p.name] = _doc_texts(p)
            except (json.JSONDecodeError, UnicodeDecodeError, AttributeError) as exc:
                raise TruthFileError(f"{p}: unreadable story document ({exc})") from None
    split = truth.get("split") or folder.parent.name
    if split not in STORY_SPLITS:
        raise TruthFileError(f"{truth_path}: split must be one of {', '.join(STORY_SPLITS)}, not {split!r}")
    entries, seen = [], set()
    for n, raw in enumerate(truth.get("entries") or []):
        where = f"{truth_path} entry {n + 1}"
        if not isinstance(raw, dict):
            raise TruthFileError(f"{where}: must be an object")
        eid, kind, typ = str(raw.get("id", n + 1)), raw.get("kind"), raw.get("type")
        if eid in seen:
            raise TruthFileError(f"{where}: duplicate id {eid!r}")
        seen.add(eid)
        if kind not in ENTRY_KINDS:
            raise TruthFileError(f"{where}: kind must be one of {', '.join(ENTRY_KINDS)}, not {kind!r}")
        if kind in ("conflict", "update") and typ not in CONFLICT_TYPES:
            raise TruthFileError(f"{where}: type must be one of {', '.join(CONFLICT_TYPES)}, not {typ!r}")
        if typ is not None and typ not in CONFLICT_TYPES:
            raise TruthFileError(f"{where}: unknown type {typ!r}")
        a = _side(raw.get("a"), f"{where} side a", folder, texts)
        b = _side(raw.get("b"), f"{where} side b", folder, texts)
        if a.doc == b.doc:
            raise TruthFileError(f"{where}: both sides are in {a.doc}; the audit compares outlets")
        entries.append(TruthEntry(eid, kind, typ, a, b, str(raw.get("note", ""))))
    stances = []
    for n, raw in enumerate(truth.get("stances") or []):
        if not isinstance(raw, dict) or raw.get("doc") not in texts or raw.get("stance") not in ("agree", "disagree"):
            raise TruthFileError(f"{truth_path} stance {n + 1}: needs an existing doc and stance agree/disagree")
        stances.append(Stance(raw["doc"], raw["stance"]))
    claim = truth.get("claim_doc")
    if stances and claim not in texts:
        raise TruthFileError(f"{truth_path}: claim_doc {claim!r} is not a document of the story")
    if not entries and not stances:
        raise TruthFileError(f"{truth_path}: no entries")
    return Story(
        str(truth.get("story") or folder.name),
        folder,
        split,
        str(truth.get("kind") or "written"),
        str(truth.get("topic") or ""),
        tuple(entries),
        claim,
        tuple(stances),
    )


def find_stories(root: str | Path, split: str = "all") -> list[Story]:
    """A story folder itself, or the stories under ``root/dev`` and/or ``root/test``.

    Raises:
        InputError: ``root`` is missing or holds no story.
    """
    root = Path(root)
    if not root.is_dir():
        raise InputError(f"story folder does not exist: {root}")
    if (root / "truth.json").is_file():
        return [load_story(root)]
    if split not in (*STORY_SPLITS, "all"):
        raise InputError(f"--split must be dev, test, train or all, not {split!r}")
    splits = SPLITS if split == "all" else (split,)
    folders = [
        f for s in splits if (root / s).is_dir() for f in sorted((root / s).iterdir()) if (f / "truth.json").is_file()
    ]
    if not folders:
        raise InputError(f"no stories (folders with a truth.json) under {root} for split {split}")
    return [load_story(f) for f in folders]


def has_stories(root: str | Path) -> bool:
    root = Path(root)
    return (root / "truth.json").is_file() or any((root / s).is_dir() for s in STORY_SPLITS)


def _matches(text: str, side: Side) -> bool:
    t = norm(text)
    return any(norm(x) in t or t in norm(x) for x in side.texts)


def _pairs_for(
    entry: TruthEntry, pairs: list[dict], doc_names: dict[str, str], sentences: dict[str, str] | None = None
) -> list[dict]:
    """Pairs of the report that join the entry's two sides (a claim matches through its sentence)."""
    sentences = sentences or {}
    out = []
    for p in pairs:
        da, db = doc_names.get(p["a_doc"]), doc_names.get(p["b_doc"])
        ta, tb = sentences.get(p["a"]) or p["a_text"], sentences.get(p["b"]) or p["b_text"]
        for x, y in ((entry.a, entry.b), (entry.b, entry.a)):
            if da == x.doc and db == y.doc and _matches(ta, x) and _matches(tb, y):
                out.append(p)
                break
    return out


def score_story(report: dict, story: Story) -> dict:
    """Per-entry outcomes and counts of one audited story (report as ``report_to_dict`` makes it)."""
    doc_names = {d["id"]: Path(d["path"]).name for d in report["documents"]}
    sentences = {s["id"]: s["sentence"] for s in report.get("statements", []) if s.get("sentence")}
    pairs = report["pairs"]
    contradictions = [p for p in pairs if p["verdict"] == "contradiction"]
    explained: set[str] = set()
    outcomes = []
    for e in story.entries:
        hits = _pairs_for(e, pairs, doc_names, sentences)
        verdicts = sorted({p["verdict"] for p in hits})
        if e.kind in ("conflict", "update"):
            explained.update(p["id"] for p in hits if p["verdict"] in ("contradiction", "updated"))
        if e.kind == "conflict":
            ok = "contradiction" in verdicts
        elif e.kind == "agree":
            ok = bool(hits) and any(v in AGREEING_VERDICTS for v in verdicts) and "contradiction" not in verdicts
        elif e.kind == "compatible":
            ok = "contradiction" not in verdicts
        else:
            ok = "updated" in verdicts
        outcomes.append(
            {
                "id": e.id,
                "kind": e.kind,
                "type": e.type,
                "ok": ok,
                "paired": bool(hits),
                "verdicts": verdicts,
                "pairs": [p["id"] for p in hits],
                "note": e.note,
            }
        )
    false_alarms = [p for p in contradictions if p["id"] not in explained]
    result = {
        "story": story.name,
        "split": story.split,
        "kind": story.kind,
        "pairs": len(pairs),
        "contradictions": len(contradictions),
        "false_alarms": len(false_alarms),
        "false_alarm_pairs": [
            {"id": p["id"], "a_text": p["a_text"], "b_text": p["b_text"], "evidence": p.get("evidence")}
            for p in false_alarms
        ],
        "entries": outcomes,
    }
    if story.stances:
        claim_id = next((i for i, n in doc_names.items() if n == story.claim_doc), None)
        contradicted = []
        for s in story.stances:
            doc_id = next((i for i, n in doc_names.items() if n == s.doc), None)
            hit = any({p["a_doc"], p["b_doc"]} == {claim_id, doc_id} for p in contradictions)
            contradicted.append({"doc": s.doc, "stance": s.stance, "contradicted": hit})
        result["stances"] = contradicted
    return result


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def summarize(results: list[dict]) -> dict:
    """Benchmark figures over scored stories: per-type recall, precision, false alarms per 100
    pairs, agreement recall, compatibles kept, contradictions in conflict-free stories, FNC-1
    stance rates; updates counted on their own, with the recall of the fixed-fact conflicts
    in the stories that have updates."""
    entries = [e for r in results for e in r["entries"]]
    conflicts = [e for e in entries if e["kind"] == "conflict"]
    by_type = {}
    for t in CONFLICT_TYPES:
        of_type = [e for e in conflicts if e["type"] == t]
        if of_type:
            found = sum(e["ok"] for e in of_type)
            by_type[t] = {"planted": len(of_type), "found": found, "recall": _ratio(found, len(of_type))}
    n_contra = sum(r["contradictions"] for r in results)
    n_false = sum(r["false_alarms"] for r in results)
    n_pairs = sum(r["pairs"] for r in results)
    updates = [e for e in entries if e["kind"] == "update"]
    update_verdicts = Counter(v for e in updates for v in e["verdicts"])
    agrees = [e for e in entries if e["kind"] == "agree"]
    compat = [e for e in entries if e["kind"] == "compatible"]
    conflict_free = [
        r
        for r in results
        if r["kind"] == "written" and not any(e["kind"] in ("conflict", "update") for e in r["entries"])
    ]
    stances = [s for r in results for s in r.get("stances", [])]
    dis = [s for s in stances if s["stance"] == "disagree"]
    agr = [s for s in stances if s["stance"] == "agree"]
    found = sum(e["ok"] for e in conflicts)
    # fixed facts in developing stories: an update elsewhere in the story must not excuse them
    fixed = [e for r in results if any(x["kind"] == "update" for x in r["entries"]) for e in r["entries"]]
    fixed = [e for e in fixed if e["kind"] == "conflict"]
    return {
        "stories": len(results),
        "pairs": n_pairs,
        "conflicts": {
            "planted": len(conflicts),
            "found": found,
            "recall": _ratio(found, len(conflicts)),
            "by_type": by_type,
        },
        "contradictions": n_contra,
        "false_alarms": n_false,
        "precision": _ratio(n_contra - n_false, n_contra),
        "false_alarms_per_100_pairs": round(100 * n_false / n_pairs, 2) if n_pairs else None,
        "agreement": {
            "facts": len(agrees),
            "agreeing": sum(e["ok"] for e in agrees),
            "recall": _ratio(sum(e["ok"] for e in agrees), len(agrees)),
            "unpaired": sum(not e["paired"] for e in agrees),
        },
        "compatible": {
            "pairs": len(compat),
            "not_contradicted": sum(e["ok"] for e in compat),
            "rate": _ratio(sum(e["ok"] for e in compat), len(compat)),
        },
        "conflict_free_stories": {r["story"]: r["contradictions"] for r in conflict_free},
        "updates": {
            "planted": len(updates),
            "labelled_updated": sum(e["ok"] for e in updates),
            "verdicts": dict(update_verdicts),
            "fixed_conflicts": len(fixed),
            "fixed_conflicts_found": sum(e["ok"] for e in fixed),
            "fixed_recall": _ratio(sum(e["ok"] for e in fixed), len(fixed)),
        },
        "fnc1": {
            "disagree_articles": len(dis),
            "disagree_contradicted": _ratio(sum(s["contradicted"] for s in dis), len(dis)),
            "agree_articles": len(agr),
            "agree_contradicted": _ratio(sum(s["contradicted"] for s in agr), len(agr)),
        }
        if stances
        else None,
    }
