"""Story grouping: an archive of articles -> stories (the articles that report one event).

Why built so: an archive mixes hundreds of stories; pairing statements across all of it is
quadratic and pairs unrelated stories. Articles are grouped first, and each story is then
audited on its own (:mod:`checker.archive`). An article is represented by the embedding of
its title and lead (the first ~1,000 characters, where news states what happened) and by the
named entities of that lead. Two articles' affinity is their cosine similarity, lowered by
``entity_penalty`` when both name entities and share none, and cut to nothing when both have
publication times further apart than ``window_hours``. Stories are clusters of average-linkage
agglomerative clustering with a distance threshold: unlike connected components, one
look-alike pair cannot chain two stories together. Average linkage never merges two groups
with no pair above the threshold, so the clustering runs separately inside each connected
component of the "affinity above threshold" graph, which keeps the dense distance matrix to
one component's size. Settings and their measurement: docs/decisions/0011-archive-scale.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from checker import defaults
from checker.types import Article, content_id

#: characters of an article (after its title) that represent it: the lead
LEAD_CHARS = 1000
#: entity labels that name what a story is about
_ENTITY_LABELS = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW")
#: an entity named by more than this share of the archive says nothing about which story it is
_COMMON_ENTITY_SHARE = 0.1


@dataclass(frozen=True, slots=True)
class GroupingOptions:
    """How articles are grouped (defaults measured on FNC-1: decision 0011)."""

    #: average-linkage distance (1 - affinity) under which groups merge
    threshold: float = defaults.STORY_DISTANCE
    #: affinity lost by two articles that both name entities but share none
    entity_penalty: float = 0.1
    #: articles with known publication times further apart than this are never one story
    window_hours: float = defaults.STORY_WINDOW_HOURS


@dataclass(frozen=True, slots=True)
class Story:
    """The articles of one story, with a representative headline."""

    id: str
    articles: tuple[Article, ...]
    headline: str


@dataclass(frozen=True, slots=True)
class Grouping:
    """All stories of an archive, largest first; single-article stories included."""

    stories: tuple[Story, ...]
    options: GroupingOptions = field(default_factory=GroupingOptions)


def lead_text(article: Article) -> str:
    """What represents an article for grouping: its title and the start of its text."""
    body = article.text
    if article.title and body.startswith(article.title):
        body = body[len(article.title) :].lstrip()
    return (f"{article.title}\n" if article.title else "") + body[:LEAD_CHARS]


def lead_entities(leads: Sequence[str]) -> list[frozenset[str]]:
    """Lower-cased named entities of each lead (spaCy NER; the parser is not run)."""
    from checker.nlp import english_pipeline  # the one loaded English pipeline

    nlp = english_pipeline()
    out = []
    with nlp.select_pipes(disable=[p for p in ("parser", "lemmatizer") if p in nlp.pipe_names]):
        for doc in nlp.pipe(leads, batch_size=64):
            names = (e.text.lower().removeprefix("the ").strip() for e in doc.ents if e.label_ in _ENTITY_LABELS)
            out.append(frozenset(n for n in names if n))
    return out


def _times(articles: Sequence[Article]) -> np.ndarray:
    """Publication times in hours since the epoch (NaN when unknown)."""
    from checker.published import publication_times

    published = publication_times(articles)
    hours = [(w.timestamp() / 3600.0 if (w := published[a.id].when) is not None else np.nan) for a in articles]
    return np.array(hours, dtype=np.float64)


def _incidence(ents: Sequence[frozenset[str]]):
    """Articles x entities, a sparse 0/1 matrix (shared entities by one product)."""
    from scipy.sparse import csr_matrix

    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, names in enumerate(ents):
        for name in names:
            rows.append(i)
            cols.append(vocab.setdefault(name, len(vocab)))
    return csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(ents), max(1, len(vocab))))


def _affinity(vecs: np.ndarray, ents, hours: np.ndarray, rows: np.ndarray, cols: np.ndarray, opt) -> np.ndarray:
    """Affinity of each (rows[i], cols[j]) article pair: a len(rows) x len(cols) matrix.

    ``ents`` is the articles x entities incidence matrix (:func:`_incidence`)."""
    aff = vecs[rows] @ vecs[cols].T
    named = np.asarray(ents.sum(axis=1)).ravel() > 0
    share = (ents[rows] @ ents[cols].T).toarray() > 0
    aff = aff - opt.entity_penalty * (named[rows][:, None] & named[cols][None, :] & ~share)
    gap = np.abs(hours[rows][:, None] - hours[cols][None, :])
    aff[gap > opt.window_hours] = -1.0  # NaN (unknown time) compares False: no cut
    return aff


def _components(n: int, edges: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    rows = np.concatenate([r for r, _ in edges]) if edges else np.zeros(0, dtype=np.int64)
    cols = np.concatenate([c for _, c in edges]) if edges else np.zeros(0, dtype=np.int64)
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def _candidate_edges(vecs: np.ndarray, ents, hours, opt) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every article pair whose affinity is above the merge floor (exact, in blocks of rows)."""
    n, floor = len(vecs), 1.0 - opt.threshold
    block = max(1, min(512, (1 << 24) // max(1, n)))  # at most ~16M affinities (64 MiB) at a time
    every, edges = np.arange(n), []
    for start in range(0, n, block):
        rows = every[start : start + block]
        r, c = np.nonzero(_affinity(vecs, ents, hours, rows, every, opt) >= floor)
        edges.append((rows[r], c))
    return edges


def _cluster(vecs, ents, hours, members: np.ndarray, opt) -> list[np.ndarray]:
    """Average-linkage clusters of one connected component."""
    if len(members) <= 2:
        return [members]  # two linked articles: their one pair is above the floor
    from sklearn.cluster import AgglomerativeClustering

    dist = np.clip(1.0 - _affinity(vecs, ents, hours, members, members, opt), 0.0, None)
    np.fill_diagonal(dist, 0.0)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=opt.threshold
    ).fit_predict(dist)
    return [members[labels == lab] for lab in np.unique(labels)]


def _headline(articles: Sequence[Article], vecs: np.ndarray) -> str:
    """The title (else first line) of the article closest to the story's centre."""
    centre = vecs.mean(axis=0)
    best = articles[int(np.argmax(vecs @ centre))]
    line = best.title or best.text.strip().split("\n", 1)[0]
    return line if len(line) <= 200 else line[:197].rsplit(" ", 1)[0] + "..."


def group_articles(articles: Sequence[Article], embedder, options: GroupingOptions = GroupingOptions()) -> Grouping:
    """Group articles into stories.

    Args:
        articles: the archive's articles.
        embedder: anything with ``encode(texts) -> unit vectors`` (:class:`checker.embed.Embedder`).
        options: thresholds; see :class:`GroupingOptions`.
    """
    if not articles:
        return Grouping((), options)
    leads = [lead_text(a) for a in articles]
    vecs = np.ascontiguousarray(embedder.encode(leads), dtype=np.float32)
    ents = lead_entities(leads)
    counts = Counter(e for s in ents for e in s)
    common = {e for e, c in counts.items() if c > max(2, _COMMON_ENTITY_SHARE * len(articles))}
    ents = _incidence([s - common for s in ents])
    hours = _times(articles)
    comp = _components(len(articles), _candidate_edges(vecs, ents, hours, options))
    by_comp: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(comp):
        by_comp[int(c)].append(i)
    stories = []
    for members in by_comp.values():
        for group in _cluster(vecs, ents, hours, np.array(members), options):
            arts = tuple(articles[i] for i in sorted(group, key=lambda i: articles[i].path))
            sid = "s-" + content_id(*sorted(a.id for a in arts), n=10)
            stories.append(Story(sid, arts, _headline(arts, vecs[sorted(group, key=lambda i: articles[i].path)])))
    stories.sort(key=lambda s: (-len(s.articles), s.id))
    return Grouping(tuple(stories), options)


# -- evaluation against gold stories ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GroupingScore:
    """Purity: the share of articles whose found story's majority gold story is theirs.
    Completeness (inverse purity): the share whose gold story's majority found story is theirs."""

    purity: float
    completeness: float
    articles: int
    found: int
    gold: int


def score_grouping(grouping: Grouping, gold: Mapping[str, str]) -> GroupingScore:
    """Purity and completeness against ``gold`` (article file name -> gold story); articles
    whose file is not in ``gold`` are left out of both."""
    found_of: dict[str, str] = {}
    for story in grouping.stories:
        for a in story.articles:
            found_of[a.id] = story.id
    pairs = [
        (found_of[a.id], gold[Path(a.path).name])
        for story in grouping.stories
        for a in story.articles
        if Path(a.path).name in gold
    ]
    if not pairs:
        return GroupingScore(0.0, 0.0, 0, 0, 0)
    by_found: dict[str, Counter] = defaultdict(Counter)
    by_gold: dict[str, Counter] = defaultdict(Counter)
    for f, g in pairs:
        by_found[f][g] += 1
        by_gold[g][f] += 1
    n = len(pairs)
    return GroupingScore(
        purity=sum(max(c.values()) for c in by_found.values()) / n,
        completeness=sum(max(c.values()) for c in by_gold.values()) / n,
        articles=n,
        found=len(by_found),
        gold=len(by_gold),
    )


def grouping_to_dict(grouping: Grouping, archive: str) -> dict:
    """The JSON form written to ``stories.json``."""
    o = grouping.options
    return {
        "schema": "newscheck.stories",
        "schema_version": "1.0",
        "archive": archive,
        "settings": {
            "threshold": o.threshold,
            "entity_penalty": o.entity_penalty,
            "window_hours": o.window_hours,
        },
        "summary": {
            "articles": sum(len(s.articles) for s in grouping.stories),
            "stories": len(grouping.stories),
            "multi_article_stories": sum(len(s.articles) > 1 for s in grouping.stories),
        },
        "stories": [
            {
                "id": s.id,
                "headline": s.headline,
                "articles": [
                    {"id": a.id, "path": a.path, "outlet": a.outlet, "title": a.title, "date": a.date}
                    for a in s.articles
                ],
            }
            for s in grouping.stories
        ],
    }
