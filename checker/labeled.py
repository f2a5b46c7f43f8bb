"""Labeled NLI files -> :class:`LabeledSet`: the reader behind ``newscheck eval``.

Why built so: public NLI sets come in several shapes (SNLI/MNLI JSONL with
``sentence1``/``sentence2``/``gold_label``, GLUE TSV, RTE-style two-way files, CSV exports
with numeric labels), and a silently mis-read label scheme gives plausible but meaningless
scores. So the reader accepts a fixed list of field and label aliases, refuses numeric
labels unless the caller says what they mean, and never drops a row without counting the
reason; the counts are returned and reported with the scores (:mod:`checker.evaluate`).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from checker.errors import InputError, LabeledDataError
from checker.metrics import (
    CONTRADICTION,
    ENTAILMENT,
    NEUTRAL,
    NOT_ENTAILMENT,
    THREE_WAY_LABELS,
    TWO_WAY_LABELS,
)
from checker.types import VERDICT_NLI_LABELS

#: file name endings the reader understands.
SUFFIXES: tuple[str, ...] = (".jsonl.gz", ".jsonl", ".csv", ".tsv")
#: accepted field names, canonical name first.
FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "premise": ("premise", "sentence1"),
    "hypothesis": ("hypothesis", "sentence2"),
    "label": ("label", "gold_label"),
}
#: accepted label spellings (compared lower-cased and stripped) -> canonical label.
LABEL_ALIASES: dict[str, str] = {
    "entailment": ENTAILMENT,
    "e": ENTAILMENT,
    "neutral": NEUTRAL,
    "n": NEUTRAL,
    "contradiction": CONTRADICTION,
    "c": CONTRADICTION,
    "not_entailment": NOT_ENTAILMENT,
    "non-entailment": NOT_ENTAILMENT,
}
_NUMERIC = re.compile(r"^[+-]?\d+(\.\d*)?$")


@dataclass(frozen=True, slots=True)
class LabeledRow:
    """One labeled pair; ``label`` is canonical (three-way or two-way). ``extra`` keeps the
    record's other fields as text (``id``, ``kind``, a gold ``verdict``...), for ``newscheck
    eval --by FIELD``, ``--predictions`` and ``--verdicts``."""

    premise: str
    hypothesis: str
    label: str
    extra: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class LabeledSet:
    """The usable rows of one labeled file and why the other rows were skipped.

    Attributes:
        path: the file read.
        rows: usable rows, in file order.
        two_way: True when every label is entailment or not_entailment (and at least one
            is not_entailment).
        skipped: number of skipped rows per reason, e.g. ``{"missing label": 2}``.
    """

    path: Path
    rows: list[LabeledRow]
    two_way: bool
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        """The label set the file is scored on."""
        return TWO_WAY_LABELS if self.two_way else THREE_WAY_LABELS


def file_suffix(path: Path) -> str | None:
    """The ending of :data:`SUFFIXES` that ``path`` has (case-insensitive), or None."""
    name = path.name.lower()
    return next((s for s in SUFFIXES if name.endswith(s)), None)


def _read_text(path: Path, suffix: str) -> str:
    try:
        if suffix == ".jsonl.gz":
            with gzip.open(path, "rb") as fh:
                data = fh.read()
        else:
            data = path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"cannot read {path}: {exc}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not UTF-8 text (bad byte at offset {exc.start})") from None


def _jsonl_records(text: str, skipped: Counter) -> Iterator[Mapping]:
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            skipped["bad JSON line"] += 1
            continue
        if not isinstance(record, dict):
            skipped["JSON line is not an object"] += 1
            continue
        yield record


def _table_records(text: str, path: Path, delimiter: str) -> Iterator[Mapping]:
    # GLUE/MNLI TSV files hold unbalanced quotes inside sentences: read them literally
    quoting: Literal[0, 1, 2, 3] = csv.QUOTE_NONE if delimiter == "\t" else csv.QUOTE_MINIMAL
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting)
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        return
    missing = [
        name
        for name, aliases in FIELD_ALIASES.items()
        if not any(a in header for a in aliases) and not (name == "label" and "verdict" in header)
    ]
    if missing:
        wanted = ", ".join("/".join(FIELD_ALIASES[m]) for m in missing)
        raise LabeledDataError(f"{path} has no {wanted} column (columns: {', '.join(header)})")
    reader.fieldnames = header
    yield from reader


def _field(record: Mapping, name: str):
    for alias in FIELD_ALIASES[name]:
        value = record.get(alias)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value
    return None


def _is_numeric(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    return isinstance(value, str) and bool(_NUMERIC.match(value.strip()))


def _canonical_label_map(label_map: Mapping[str, str] | None) -> dict[str, str]:
    if label_map is None:
        return {}
    out = {}
    for key, value in label_map.items():
        canon = LABEL_ALIASES.get(str(value).strip().lower())
        if canon is None:
            raise LabeledDataError(
                f"label map value {value!r} for {key!r} is not a label; use one of "
                f"{', '.join(THREE_WAY_LABELS + (NOT_ENTAILMENT,))}"
            )
        out[str(key).strip()] = canon
    return out


def _raw_label_key(value) -> str:
    # JSON 1 and 1.0 and CSV "1" all look up the label map key "1"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_labeled(path: str | Path, label_map: Mapping[str, str] | None = None) -> LabeledSet:
    """Read labeled pairs from a ``.jsonl``, ``.jsonl.gz``, ``.csv`` or ``.tsv`` file.

    Fields: ``premise`` (or ``sentence1``), ``hypothesis`` (or ``sentence2``), ``label`` (or
    ``gold_label``; a row without one but with a pair ``verdict`` takes the NLI label that
    verdict implies, see :data:`checker.types.VERDICT_NLI_LABELS`). Labels: entailment /
    neutral / contradiction, e / n / c, or
    entailment / not_entailment (also spelled non-entailment, as in HANS): a two-way file,
    detected when every usable label is one of those two and at least one is
    not_entailment. Case and surrounding spaces are ignored.
    Numeric labels are only read through ``label_map``.

    Rows with a missing field or an unknown label are skipped and counted per reason; so
    are JSONL lines that are not valid JSON objects.

    Args:
        path: the file.
        label_map: raw label -> label name, e.g. ``{"0": "entailment", "1": "neutral",
            "2": "contradiction"}``; applied before the usual spellings. Defaults to None.

    Raises:
        InputError: the file is missing, has an unknown extension, cannot be decompressed or
            is not UTF-8.
        LabeledDataError: numeric labels without ``label_map``, a CSV/TSV header lacking a
            field, two-way and three-way labels mixed, or no usable row.
    """
    p = Path(path).expanduser()
    if not p.exists():
        raise InputError(f"labeled file does not exist: {path}")
    if not p.is_file():
        raise InputError(f"not a file: {path}")
    suffix = file_suffix(p)
    if suffix is None:
        raise InputError(f"unknown labeled file type: {p.name} (expected {', '.join(SUFFIXES)})")
    mapping = _canonical_label_map(label_map)
    text = _read_text(p, suffix)

    skipped: Counter = Counter()
    if suffix in (".jsonl", ".jsonl.gz"):
        records = _jsonl_records(text, skipped)
    else:
        records = _table_records(text, p, "\t" if suffix == ".tsv" else ",")

    rows: list[LabeledRow] = []
    known = {alias for aliases in FIELD_ALIASES.values() for alias in aliases}
    for record in records:
        premise, hypothesis, raw = (_field(record, k) for k in ("premise", "hypothesis", "label"))
        verdict = str(record.get("verdict") or "").strip()
        if raw is None and verdict in VERDICT_NLI_LABELS:
            raw = VERDICT_NLI_LABELS[verdict]  # type: ignore[index]
        if premise is None or hypothesis is None or raw is None:
            missing = [k for k, v in (("premise", premise), ("hypothesis", hypothesis), ("label", raw)) if v is None]
            skipped[f"missing {' and '.join(missing)}"] += 1
            continue
        if not isinstance(premise, str) or not isinstance(hypothesis, str):
            skipped["premise or hypothesis is not text"] += 1
            continue
        key = _raw_label_key(raw)
        label = mapping.get(key)
        if label is None and _is_numeric(raw):
            if not mapping:
                raise LabeledDataError(
                    f"{p} has numeric labels (e.g. {key!r}): pass --label-map, e.g. "
                    '\'{"0": "entailment", "1": "neutral", "2": "contradiction"}\''
                )
            skipped[f"label {key!r} not in the label map"] += 1
            continue
        if label is None:
            label = LABEL_ALIASES.get(key.lower()) if isinstance(raw, str) else None
        if label is None:
            skipped[f"unknown label {key!r}"] += 1
            continue
        extra = {
            str(k): str(v).strip()
            for k, v in record.items()
            if k not in known and isinstance(v, (str, int, float, bool)) and str(v).strip()
        }
        rows.append(LabeledRow(premise.strip(), hypothesis.strip(), label, extra))

    found = {r.label for r in rows}
    two_way = NOT_ENTAILMENT in found
    if two_way and found & {NEUTRAL, CONTRADICTION}:
        raise LabeledDataError(f"{p} mixes two-way (not_entailment) and three-way (neutral/contradiction) labels")
    if not rows:
        why = "; ".join(f"{reason}: {n}" for reason, n in sorted(skipped.items()))
        raise LabeledDataError(f"{p} has no usable labeled row" + (f" ({why})" if why else ""))
    return LabeledSet(path=p, rows=rows, two_way=two_way, skipped=dict(sorted(skipped.items())))
