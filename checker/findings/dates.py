"""Dates: months, month-day dates, weekdays, years and relative expressions, and date conflicts.

Deliberately not done: relative dates against a reference date ("last week" is only
compared with other relative expressions).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from checker.findings.atoms import _atoms, _blocked_spans, _is_year
from checker.findings.text import _MONTH_RE, _MONTHS, _WEEKDAYS, Conflict, _inside, _per_text

DateKind = Literal["year", "month", "weekday", "day", "relative"]


@dataclass(frozen=True, slots=True)
class DateExpr:
    """A date or time expression; ``value`` is normalised ("2024", "march", "march-25")."""

    kind: DateKind
    value: str
    span: tuple[int, int]
    text: str


_MONTH_NORM = {m[:3].lower(): m.lower() for m in _MONTHS}
_DATE_RX = [
    (re.compile(rf"\b(?P<m>{_MONTH_RE})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"), "day"),
    (re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_RE})"), "day"),
    (re.compile(r"\b(?P<m>" + "|".join(m for m in _MONTHS if m != "May") + r")\b"), "month"),
    (re.compile(r"(?:(?<=\bin )|(?<=\bof )|(?<=\bby ))(?P<m>May)\b|\b(?P<m2>May)(?=\s+\d)"), "month"),
    (re.compile(r"\b(?P<w>" + "|".join(_WEEKDAYS) + r")\b"), "weekday"),
    (
        re.compile(
            r"\b(?:(?:last|this|next|past|previous|coming)\s+(?:week|month|year|weekend|night|"
            r"spring|summer|autumn|fall|winter|decade)|yesterday|today|tomorrow|tonight|"
            r"(?:a|one)\s+(?:week|month|year)\s+(?:ago|later|earlier))\b",
            re.I,
        ),
        "relative",
    ),
]


@_per_text
def extract_dates(text: str) -> list[DateExpr]:
    """Months, month-day dates, weekdays, years and relative expressions ("last week")."""
    out: list[DateExpr] = []
    for rx, kind in _DATE_RX:
        for m in rx.finditer(text):
            if kind == "day":
                value = f"{_MONTH_NORM[m.group('m')[:3].lower()]}-{int(m.group('d'))}"
            elif kind == "month":
                value = _MONTH_NORM[(m.groupdict().get("m") or m.group("m2"))[:3].lower()]
            elif kind == "weekday":
                value = m.group("w").lower()
            else:
                value = re.sub(r"\s+", " ", m.group(0).lower())
            out.append(DateExpr(kind, value, m.span(), m.group(0)))  # type: ignore[arg-type]
    for a in _atoms(text):
        if _is_year(text, a):
            out.append(DateExpr("year", text[a.start : a.end], (a.start, a.end), text[a.start : a.end]))
    for m in re.finditer(r"(?<![\d,.])(?:19|20)\d{2}(?![\d,])", text):
        # years inside blocked date patterns ("December 8, 2025") are dates too
        if not any(d.span == m.span() for d in out) and _inside(m.span(), _blocked_spans(text)):
            out.append(DateExpr("year", m.group(0), m.span(), m.group(0)))
    return sorted(out, key=lambda d: d.span)


def _date_conflict(a_text: str, b_text: str) -> Conflict | None:
    da, db = extract_dates(a_text), extract_dates(b_text)
    for kind in ("day", "month", "weekday", "year", "relative"):
        va = {d.value for d in da if d.kind == kind}
        vb = {d.value for d in db if d.kind == kind}
        if kind == "month":  # "November 25" also names the month
            va |= {d.value.split("-")[0] for d in da if d.kind == "day"}
            vb |= {d.value.split("-")[0] for d in db if d.kind == "day"}
        if va and vb and not va & vb:
            sa = [d.span for d in da if d.value in va or d.value.split("-")[0] in va]
            sb = [d.span for d in db if d.value in vb or d.value.split("-")[0] in vb]
            ev = f"dates differ ({kind}): {', '.join(sorted(va))} vs {', '.join(sorted(vb))}"
            return Conflict("date/time", ev, tuple(sa), tuple(sb))
    return None
