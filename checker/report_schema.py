"""The report schema as data, and the check that a JSON report matches it.

Why built so: ``newscheck inspect`` and ``newscheck report`` read reports that scripts and
people may have edited or that older versions wrote; a field of the wrong shape must be a
one-line error that names it (docs/report-schema.md), not a traceback deep in a view.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checker.errors import InputError
from checker.types import VERDICTS

SCHEMA = "newscheck.report"
SCHEMA_VERSION = "1.4"


def check_report(data: object, path: str | Path) -> None:
    """Check a parsed report: its ``schema``, its major version, then every documented field.

    Raises:
        InputError: not a newscheck report, an unsupported major version, or a field of the
            wrong shape (the first one is named; see :func:`validate_report`).
    """
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(f"not a newscheck report (no schema '{SCHEMA}'): {path}")
    major = str(data.get("schema_version", "0")).split(".")[0]
    if major != SCHEMA_VERSION.split(".")[0]:
        raise InputError(
            f"report schema version {data.get('schema_version')} is not supported "
            f"(this newscheck reads {SCHEMA_VERSION})"
        )
    problem = validate_report(data)
    if problem:
        raise InputError(f"report {path} does not match the report schema (docs/report-schema.md): {problem}")


# The documented schema (docs/report-schema.md) as data. A key ending in "?" may be absent
# (fields added after 1.0); "a|b" allows either type; (None, spec) is spec or null; [spec]
# is a list of spec. Fields not named here are allowed (a MINOR version may add them).
_PROBS = {"entailment": "num", "neutral": "num", "contradiction": "num"}
_REPORT_SPEC: dict = {
    "created": "str|null",
    "corpus": "str|null",
    "settings": "obj",
    "summary": {
        "documents": "int",
        "statements": "int",
        "pairs": "int",
        "verdicts": "verdict_counts",
        "finding_types?": "obj",
        "adjusted?": {"raised": "int", "lowered": "int"},
        "clusters?": "int",
        "conflicting_clusters?": "int",
        "dismissed?": "int",
        "review?": {k: "int" for k in ("new", "seen", "dismissed", "confirmed")},
    },
    "documents": [
        {
            "id": "str",
            "path": "str",
            "title": "str|null",
            "outlet": "str",
            "date": "str|null",
            "url": "str|null",
            "statement_count": "int",
            "removed_lines": "int",
        }
    ],
    "skipped": [{"path": "str", "reason": "str"}],
    "statements": [{"id": "str", "doc": "str", "text": "str", "start": "int", "end": "int", "headline": "bool"}],
    "pairs": [
        {
            **{k: "str" for k in ("id", "a", "b", "a_doc", "b_doc", "a_outlet", "b_outlet", "a_text", "b_text")},
            "similarity": "num",
            "a_to_b": _PROBS,
            "b_to_a": _PROBS,
            "verdict": "verdict",
            "score": "num",
            "evidence": "str",
            "nli_verdict?": "verdict",
            "finding?": (
                None,
                {"type?": "str|null", "evidence?": "str|null", "a_spans?": ["span"], "b_spans?": ["span"]},
            ),
            "swap?": (
                None,
                {"slots": ["str"], "b_text": "str", "a_values": ["str"], "b_values": ["str"], "entailment": "num"},
            ),
            "dismissed?": "str|null",
            "review?": (None, {"status": "review_status", "by": "str|null", "at": "str|null", "note": "str|null"}),
        }
    ],
    "clusters?": [
        {
            "id": "str",
            "representative": "str",
            "representative_text?": "str",
            "statements": ["str"],
            "docs": ["str"],
            "status": "obj",
            "absent_docs?": ["str"],
            "has_conflict": "bool",
            "pairs": ["str"],
            "outlier?": "str|null",
            "majority?": ["str"],
            "timeline?": [{"doc": "str", "outlet": "str", "published": "str|null", "value": "str|null", "text": "str"}],
        }
    ],
}
_JSON_TYPES = {dict: "object", list: "list", str: "string", bool: "boolean", int: "integer", float: "number"}


def _is_int(v: object) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


_TOKENS: dict[str, Callable[[object], bool]] = {
    "str": lambda v: isinstance(v, str),
    "int": _is_int,
    "num": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "obj": lambda v: isinstance(v, dict),
    "verdict": lambda v: v in VERDICTS,
    "verdict_counts": lambda v: isinstance(v, dict) and all(k in VERDICTS and _is_int(n) for k, n in v.items()),
    "span": lambda v: isinstance(v, list) and len(v) == 2 and all(_is_int(x) for x in v),
    "review_status": lambda v: v in ("new", "seen", "dismissed", "confirmed"),
}
_TOKEN_NAMES = {
    "str": "a string",
    "int": "an integer",
    "num": "a number",
    "bool": "true or false",
    "null": "null",
    "obj": "an object",
    "verdict": f"one of {', '.join(VERDICTS)}",
    "verdict_counts": f"an object of counts keyed by {', '.join(VERDICTS)}",
    "span": "a [start, end] pair of integers",
    "review_status": "one of new, seen, dismissed, confirmed",
}


def _problem(value, spec, where: str) -> str | None:
    """What is wrong with ``value`` at ``where`` against ``spec``, or None."""
    if isinstance(spec, tuple):  # (None, spec): null or spec
        return None if value is None else _problem(value, spec[1], where)
    if isinstance(spec, str):
        tokens = spec.split("|")
        if any(_TOKENS[t](value) for t in tokens):
            return None
        got = repr(value) if isinstance(value, str) and len(value) < 40 else _JSON_TYPES.get(type(value), "null")
        return f"{where} must be {' or '.join(_TOKEN_NAMES[t] for t in tokens)}, got {got}"
    if isinstance(spec, list):
        if not isinstance(value, list):
            return f"{where} must be a list, got {_JSON_TYPES.get(type(value), 'null')}"
        return next((p for i, v in enumerate(value) if (p := _problem(v, spec[0], f"{where}[{i}]"))), None)
    if not isinstance(value, dict):
        return f"{where} must be an object, got {_JSON_TYPES.get(type(value), 'null')}"
    for key, sub in spec.items():
        name, optional = key.rstrip("?"), key.endswith("?")
        path = f"{where}.{name}" if where else name
        if name not in value:
            if optional:
                continue
            return f"{path} is missing"
        if problem := _problem(value[name], sub, path):
            return problem
    return None


def validate_report(data: dict) -> str | None:
    """The first field of a report (below ``schema``/``schema_version``) that does not match
    the documented schema, as "pairs[3].verdict is missing", or None when all match."""
    return _problem(data, _REPORT_SPEC, "")
