"""newscheck: where news outlets agree, add detail, or contradict each other.

The public API (implemented in :mod:`checker.api`)::

    from checker import audit
    report = audit("corpus")
    contradictions = [p for p in report.pairs if p.verdict == "contradiction"]

- :func:`audit` (corpus, **options) -> :class:`~checker.types.Report`
- :class:`Auditor`: models loaded once, many corpora; ``.to_dict(report)``, ``.save(report, path)``
- :func:`load_report` (path) -> dict, a JSON report checked against its schema
- :func:`evaluate` (files, **options) -> metrics of the NLI model on labeled pairs
- :class:`Ledger` (store): the review ledger (dismiss, confirm, undo, note, history), as ``newscheck review``

Importing :mod:`checker` is cheap: the API module loads on first use of one of these names,
and torch, transformers and spaCy only when an audit or evaluation runs.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from checker.api import Auditor, AuditRun, Ledger, audit, load_report

__all__ = ["AuditRun", "Auditor", "Ledger", "audit", "evaluate", "load_report"]
_LAZY = {"AuditRun", "Auditor", "Ledger", "audit", "load_report"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from checker import api

        return getattr(api, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)


def evaluate(files, **options: Any) -> list:
    """Score the NLI model on labeled pairs (.jsonl, .jsonl.gz, .csv, .tsv), as ``newscheck eval``
    does; options and results: :func:`checker.api.evaluate`."""
    from checker.api import evaluate as _evaluate

    return _evaluate(files, **options)


class _Package(types.ModuleType):
    """``checker.evaluate`` is also the name of a submodule; importing it would replace the
    function above with the module (the import system sets the attribute on the package).
    Keep the function: ``from checker.evaluate import read_labeled`` still finds the module."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "evaluate" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
