"""One labeled NLI training pair: what every data source of :mod:`checker.training` yields.

A module of its own so that the readers (:mod:`checker.training.data`) and the generators
(:mod:`checker.training.news_pairs`, :mod:`checker.training.contrastive`) import it without
importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class NliExample:
    premise: str
    hypothesis: str
    label: str
    source: str
