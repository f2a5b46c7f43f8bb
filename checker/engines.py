"""Engines that audit the stories of an archive: in this process, or spread over Ray.

Why built so: every story is audited by the same per-story path, :meth:`checker.api.Auditor.run`
(pipeline, store, typed checks and verdicts unchanged); an engine only decides where that
runs and where the models live. The local engine keeps one :class:`Auditor` (models loaded
once). The Ray engine keeps the models in two actor pools, one for NLI and one for
embeddings, each actor loading its model once, and runs each story as a Ray task whose
Auditor is handed stand-ins (:class:`RemoteNli`, :class:`RemoteEmbedder`) that send batches
to the pools. The stand-ins carry the attributes the store keys results by, so the store,
the long-input policy and the report are exactly the local engine's. Ray is optional
(``pip install 'newscheck[ray]'``); see docs/decisions/0011-archive-scale.md.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from checker import defaults
from checker.errors import InputError, NewscheckError
from checker.ingest import IngestResult
from checker.pair import DEFAULT_MIN_SIM, DEFAULT_TOP_K

#: how many stories one NLI actor has queued at most (the driver holds back the rest)
STORIES_PER_NLI_ACTOR = 2


@dataclass(frozen=True, slots=True)
class AuditConfig:
    """What every story's audit shares (the ``newscheck audit`` options)."""

    nli_model: str | None = None
    embed_model: str | None = None
    backend: str = "auto"
    top_k: int = DEFAULT_TOP_K
    min_sim: float = DEFAULT_MIN_SIM
    #: the store's path, or None for none
    store: Path | None = None
    as_of: datetime | None = None
    update_window: float = defaults.UPDATE_WINDOW_HOURS


@dataclass(frozen=True, slots=True)
class StoryJob:
    """One story to audit: its id, the label its report names as corpus, and its articles."""

    story_id: str
    corpus: str
    ingested: IngestResult


@dataclass(frozen=True, slots=True)
class StoryOutcome:
    """A story's JSON report, or why it could not be audited."""

    story_id: str
    data: dict | None
    #: why the store was not updated (the report is complete), or None
    store_problem: str | None = None
    #: why the story failed (bad input for the per-story path), or None
    error: str | None = None


def _audit_one(auditor: Any, job: StoryJob) -> StoryOutcome:
    try:
        run = auditor.run(job.corpus, job.ingested)
    except NewscheckError as exc:
        return StoryOutcome(job.story_id, None, error=str(exc))
    return StoryOutcome(job.story_id, run.data, run.store_problem)


def cached_embedder(embedder: Any, store_path: Path | None) -> tuple[Any, Any]:
    """The embedder behind the store (grouping's article vectors are cached too), and the store."""
    if store_path is None:
        return embedder, None
    from checker.cached_models import CachedEmbedder, ReuseStats
    from checker.store import Store

    db = Store(store_path)
    return CachedEmbedder(embedder, db, ReuseStats()), db


class LocalEngine:
    """Stories one after another in this process, with one set of models."""

    name = "local"

    def __init__(self, config: AuditConfig):
        from checker.api import Auditor

        c = config
        self.auditor = Auditor(
            c.nli_model, c.embed_model, c.backend, c.top_k, c.min_sim, c.store or False, c.as_of, c.update_window
        )
        self._db: Any = None

    def embedder(self) -> Any:
        """The embedder for grouping (the audits' own, behind the store)."""
        embedder, self._db = cached_embedder(self.auditor.models()[1], self.auditor.store_path)
        return embedder

    def run(self, jobs: Sequence[StoryJob]) -> Iterator[StoryOutcome]:
        """Audit each story; outcomes in job order."""
        for job in jobs:
            yield _audit_one(self.auditor, job)

    def close(self) -> None:
        self.auditor.close()
        if self._db is not None:
            self._db.close()


class ModelServer:
    """A model held by one Ray actor: loaded on its first call, then kept."""

    def __init__(self, model: Any):
        self.model = model

    def predict(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        return self.model.predict(pairs)

    def encode(self, texts: list[str]) -> np.ndarray:
        return self.model.encode(texts)


class _Pool:
    """Actor handles used in turn (each story task starts at a different one)."""

    def __init__(self, actors: list[Any], start: int = 0):
        self.actors, self._turn = actors, itertools.count(start)

    def next(self) -> Any:
        return self.actors[next(self._turn) % len(self.actors)]


class RemoteNli:
    """Stands in for the NLI model inside a story task: predictions come from the NLI actors.

    The store key (``name``, ``backend``, ``temperature``) and the token counter (the
    tokenizer file only) are the unloaded model's, exactly as in the local engine."""

    def __init__(self, lazy: Any, actors: list[Any], start: int = 0):
        self.lazy, self.pool = lazy, _Pool(actors, start)
        self.name, self.backend, self.temperature = lazy.name, lazy.backend, lazy.temperature

    @property
    def count_tokens(self) -> Callable[[str], int]:
        return self.lazy.count_tokens

    def predict(self, pairs: Sequence[tuple[str, str]], progress: Callable | None = None) -> np.ndarray:
        import ray

        out = ray.get(self.pool.next().predict.remote([(p[0], p[1]) for p in pairs]))
        if progress:
            progress(len(pairs))
        return out


class RemoteEmbedder:
    """Stands in for the embedder: vectors come from the embedding actors."""

    def __init__(self, name: str, actors: list[Any], start: int = 0):
        self.name, self.pool = name, _Pool(actors, start)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        import ray

        return ray.get(self.pool.next().encode.remote(list(texts)))


def _story_task(job: StoryJob, nli: RemoteNli, embedder: RemoteEmbedder, thresholds: Any, config: AuditConfig):
    """Body of one Ray task: the per-story path with the actors' models."""
    from checker.api import Auditor

    c = config
    auditor = Auditor(
        top_k=c.top_k,
        min_sim=c.min_sim,
        store=c.store,
        as_of=c.as_of,
        update_window=c.update_window,
        nli=nli,
        embedder=embedder,
        thresholds=thresholds,
    )
    with auditor:
        return _audit_one(auditor, job)


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise InputError("--engine ray needs Ray: pip install 'newscheck[ray]'") from None
    return ray


class RayEngine:
    """Stories as Ray tasks; NLI and embedding models in actor pools, loaded once per actor.

    Args:
        config: the audit options.
        address: a cluster to join (``"auto"``: the one started by ``ray start`` on this
            machine; ``"ray://host:10001"``); None starts a local Ray instance.
        nli_actors: NLI actors (1 CPU each). Default: half the cluster's CPUs, at least 1.
        embed_actors: embedding actors (half a CPU each). Default: 1.

    Raises:
        InputError: Ray is not installed or the cluster cannot be reached.
    """

    name = "ray"

    def __init__(self, config: AuditConfig, address: str | None = None, nli_actors: int | None = None,
                 embed_actors: int = 1):  # fmt: skip
        ray = _import_ray()
        from checker.backends import resolve_backend
        from checker.nli import default_nli_model_path
        from checker.pipeline import load_models

        # "auto" is resolved here, once: every actor runs the backend the reports name, even
        # on a node whose model cache differs. Paths are checked (ModelError) before any
        # worker starts; nothing is loaded here.
        backend = resolve_backend(config.nli_model or str(default_nli_model_path()), config.backend)
        self.lazy_nli, self.lazy_embed, self.thresholds = load_models(
            config.nli_model, config.embed_model, backend, lazy=True
        )
        self.config, self._started = config, not ray.is_initialized()
        if self._started:
            try:
                ray.init(address=address or "local", include_dashboard=False, logging_level="ERROR",
                         log_to_driver=False)  # fmt: skip
            except (ConnectionError, ValueError, RuntimeError) as exc:
                raise InputError(f"cannot start or join Ray at {address or 'a new local instance'}: {exc}") from None
        cpus = int(ray.cluster_resources().get("CPU", 1))
        n_nli = nli_actors or max(1, cpus // 2)
        server = ray.remote(ModelServer)
        self.nli_actors = [server.options(num_cpus=1).remote(self.lazy_nli) for _ in range(n_nli)]
        self.embed_actors = [server.options(num_cpus=0.5).remote(self.lazy_embed) for _ in range(embed_actors)]
        self._task = ray.remote(num_cpus=0.5, max_retries=0)(_story_task)
        self._db: Any = None

    def embedder(self) -> Any:
        """The embedder for grouping, served by the embedding actors (behind the store)."""
        embedder, self._db = cached_embedder(RemoteEmbedder(self.lazy_embed.name, self.embed_actors), self.config.store)
        return embedder

    def run(self, jobs: Sequence[StoryJob]) -> Iterator[StoryOutcome]:
        """Audit the stories as tasks, a few per NLI actor at a time; outcomes as they finish."""
        import ray

        pending: dict[Any, StoryJob] = {}
        queue = list(enumerate(jobs))
        limit = STORIES_PER_NLI_ACTOR * len(self.nli_actors) + 1
        while queue or pending:
            while queue and len(pending) < limit:
                i, job = queue.pop(0)
                nli = RemoteNli(self.lazy_nli, self.nli_actors, start=i)
                embedder = RemoteEmbedder(self.lazy_embed.name, self.embed_actors, start=i)
                pending[self._task.remote(job, nli, embedder, self.thresholds, self.config)] = job
            done, _ = ray.wait(list(pending), num_returns=1)
            for ref in done:
                job = pending.pop(ref)
                try:
                    yield ray.get(ref)
                except ray.exceptions.RayError as exc:  # a worker died: the story is reported, not lost
                    yield StoryOutcome(job.story_id, None, error=f"Ray task failed: {str(exc).splitlines()[0]}")

    def close(self) -> None:
        import ray

        if self._db is not None:
            self._db.close()
        for actor in self.nli_actors + self.embed_actors:
            ray.kill(actor)
        if self._started:
            ray.shutdown()


def make_engine(name: str, config: AuditConfig, ray_address: str | None = None, nli_actors: int | None = None):
    """The engine called ``name`` ("local" or "ray").

    Raises:
        InputError: an unknown engine, Ray options without ``--engine ray``, or Ray missing.
    """
    if name == "local":
        if ray_address is not None or nli_actors is not None:
            raise InputError("--ray-address and --nli-actors need --engine ray")
        return LocalEngine(config)
    if name == "ray":
        return RayEngine(config, ray_address, nli_actors)
    raise InputError(f"--engine must be local or ray, got {name!r}")
