"""audit-archive: group an archive into stories, audit each story, write an index; resumable.

Why built so: an archive is read once and grouped (:mod:`checker.grouping`); each story of
two or more articles is audited on its own by an engine (:mod:`checker.engines`) through
the per-story path, so its report is exactly what ``newscheck audit`` gives for those
articles. Each report is written as soon as its story is done, atomically, with the hash of
its input (articles and audit settings) in its ``archive`` field. A killed run is resumed by
running it again: a story whose report exists with the same input hash is not redone, and a
story cut off mid-way finds its embeddings and NLI scores in the store (written in chunks
while it ran). The index (``index.json``) lists the stories with the most conflicts first.

Output folder::

    OUT/stories.json         the grouping (story id -> articles, representative headline)
    OUT/stories/<id>.json    one newscheck report per story (docs/report-schema.md)
    OUT/index.json           every story, most conflicts first, with its report's path
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from checker.engines import AuditConfig, StoryJob, StoryOutcome
from checker.errors import InputError
from checker.grouping import Grouping, GroupingOptions, Story, group_articles, grouping_to_dict
from checker.ingest import IngestResult
from checker.types import content_id

INDEX_SCHEMA = "newscheck.archive-index"
INDEX_VERSION = "1.0"


@dataclass(frozen=True, slots=True)
class ArchiveRun:
    """What an archive audit did: the index written, and how many stories were redone or reused."""

    index: dict
    audited: int
    reused: int
    failed: int


def write_json_atomic(data: dict, path: Path) -> None:
    """Write JSON so that a killed run leaves either the old file or the new one, never half."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None


def check_out_dir(out: Path, force: bool) -> None:
    """An output folder may be new, empty, or an earlier archive audit's; else ``--force``.

    Raises:
        InputError: ``out`` is a file, or a folder holding other files (without ``force``).
    """
    if out.exists() and not out.is_dir():
        raise InputError(f"--out {out} is a file, not a folder")
    if force or not out.exists() or not any(out.iterdir()):
        return
    index = out / "index.json"
    try:
        ours = json.loads(index.read_text(encoding="utf-8")).get("schema") == INDEX_SCHEMA
    except (OSError, ValueError, AttributeError):
        ours = False
    if not ours:
        raise InputError(f"{out} holds files that are not an archive audit; pass --force to write into it")


def input_hash(story: Story, config: AuditConfig) -> str:
    """Changes when any article of the story or any audit setting changes."""
    parts = [
        json.dumps(
            [
                config.nli_model,
                config.embed_model,
                config.backend,
                config.top_k,
                config.min_sim,
                config.as_of.isoformat() if config.as_of else None,
                config.update_window,
            ]
        )  # fmt: skip
    ]
    for a in sorted(story.articles, key=lambda a: a.id):
        parts += [a.id, Path(a.path).name, a.title, a.outlet, a.date or "", a.url or "", a.text]
    return content_id(*parts, n=16)


def _previous(path: Path, wanted: str) -> dict | None:
    """A story report written earlier for the same input, or None."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(data, dict) and (data.get("archive") or {}).get("input_hash") == wanted:
        return data
    return None


def _entry(story: Story, status: str, report: str | None = None, data: dict | None = None, **extra) -> dict:
    pairs = data["pairs"] if data else []
    contradictions = sum(p["verdict"] == "contradiction" and not p.get("dismissed") for p in pairs)
    summary = data["summary"] if data else {}
    return {
        "id": story.id,
        "headline": story.headline,
        "articles": len(story.articles),
        "status": status,
        "report": report,
        "contradictions": contradictions,
        "conflicting_clusters": summary.get("conflicting_clusters", 0),
        "statements": summary.get("statements", 0),
        "pairs": summary.get("pairs", 0),
        **extra,
    }


def _index(archive: str, engine: str, ingested: IngestResult, grouping: Grouping, entries: dict[str, dict]) -> dict:
    ordered = sorted(
        entries.values(), key=lambda e: (-e["contradictions"], -e["conflicting_clusters"], -e["articles"], e["id"])
    )
    counts = {s: sum(e["status"] == s for e in ordered) for s in ("audited", "reused", "single article", "failed")}
    return {
        "schema": INDEX_SCHEMA,
        "schema_version": INDEX_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "archive": archive,
        "engine": engine,
        "summary": {
            "articles": len(ingested.articles),
            "stories": len(grouping.stories),
            "pending": len(grouping.stories) - len(ordered),
            **{k.replace(" ", "_"): v for k, v in counts.items()},
            "contradictions": sum(e["contradictions"] for e in ordered),
        },
        "skipped": [{"path": p, "reason": r} for p, r in ingested.skipped],
        "stories": ordered,
    }


def find_stories(
    archive: str | Path,
    embed_model: str | None = None,
    store: str | Path | None = None,
    options: GroupingOptions = GroupingOptions(),
) -> tuple[IngestResult, Grouping]:
    """Read an archive and group it into stories (what ``newscheck stories`` does).

    Args:
        archive: folder of articles.
        embed_model: sentence-transformers folder or hub id. Defaults to the bundled one.
        store: a store path to cache the articles' vectors in, or None.
        options: how stories are found.

    Raises:
        InputError: a missing or empty archive. ModelError: a bad model path.
    """
    from checker.engines import cached_embedder
    from checker.ingest import ingest_folder
    from checker.models import default_embed_model_path, resolve_model
    from checker.pipeline import LazyModel

    ingested = ingest_folder(archive)
    name = embed_model or default_embed_model_path()
    resolve_model(name, "embedding")

    def load() -> Any:
        from checker.embed import load_embedder

        return load_embedder(name)

    embedder, db = cached_embedder(LazyModel(load, name=name), Path(store) if store is not None else None)
    try:
        return ingested, group_articles(ingested.articles, embedder, options)
    finally:
        if db is not None:
            db.close()


def audit_archive(
    archive: str | Path,
    out: str | Path,
    engine: Any,
    config: AuditConfig,
    grouping_options: GroupingOptions = GroupingOptions(),
    force: bool = False,
    on_story: Callable[[str, str], None] | None = None,
    ingested: IngestResult | None = None,
) -> ArchiveRun:
    """Group ``archive`` into stories and audit each one with ``engine``.

    Args:
        archive: folder of articles.
        out: output folder (see the module docstring); an earlier run's is resumed.
        engine: a :class:`checker.engines.LocalEngine` or :class:`checker.engines.RayEngine`.
        config: the audit settings the engine was built with (part of each input hash).
        grouping_options: how stories are found.
        force: write into a folder holding other files, and redo stories already reported.
        on_story: called with (story id, status) as each story is settled (progress).
        ingested: the archive as already read (else it is read now).

    Raises:
        InputError: a missing or empty archive, or an output folder that is not ours.
    """
    from checker.ingest import ingest_folder

    out = Path(out)
    check_out_dir(out, force)
    ingested = ingested if ingested is not None else ingest_folder(archive)
    label = str(Path(archive).resolve())
    grouping = group_articles(ingested.articles, engine.embedder(), grouping_options)
    write_json_atomic(grouping_to_dict(grouping, label), out / "stories.json")
    entries: dict[str, dict] = {}
    jobs: list[StoryJob] = []
    hashes: dict[str, str] = {}
    stories = {s.id: s for s in grouping.stories}
    for story in grouping.stories:
        if len(story.articles) < 2:
            entries[story.id] = _entry(story, "single article")
            continue
        hashes[story.id] = input_hash(story, config)
        rel = f"stories/{story.id}.json"
        earlier = None if force else _previous(out / rel, hashes[story.id])
        if earlier is not None:
            entries[story.id] = _entry(story, "reused", rel, earlier)
        else:
            jobs.append(StoryJob(story.id, f"{label}#{story.id}", IngestResult(story.articles, ())))
    for sid, e in entries.items():
        if on_story:
            on_story(sid, e["status"])
    write_json_atomic(_index(label, engine.name, ingested, grouping, entries), out / "index.json")
    audited = failed = 0
    for outcome in engine.run(jobs):
        story = stories[outcome.story_id]
        entries[story.id] = _settle(out, story, outcome, hashes[story.id])
        audited += outcome.data is not None
        failed += outcome.data is None
        write_json_atomic(_index(label, engine.name, ingested, grouping, entries), out / "index.json")
        if on_story:
            on_story(story.id, entries[story.id]["status"])
    index = _index(label, engine.name, ingested, grouping, entries)
    write_json_atomic(index, out / "index.json")
    return ArchiveRun(index, audited, sum(e["status"] == "reused" for e in entries.values()), failed)


def _settle(out: Path, story: Story, outcome: StoryOutcome, digest: str) -> dict:
    """Write a finished story's report (with its input hash) and return its index entry."""
    if outcome.data is None:
        return _entry(story, "failed", error=outcome.error)
    data = dict(outcome.data)
    data["archive"] = {"story": story.id, "headline": story.headline, "input_hash": digest}
    rel = f"stories/{story.id}.json"
    write_json_atomic(data, out / rel)
    extra = {"store_problem": outcome.store_problem} if outcome.store_problem else {}
    return _entry(story, "audited", rel, data, **extra)
