"""The finding a rule-decided contradiction shows (decision 0018): what differs, and where.

Why apart from :mod:`checker.verdict`: the verdict decides; these only describe the decision
for the report, each reading the same frames or relations the rule fired on.
"""

from __future__ import annotations

import re
from dataclasses import replace

from checker.bearings import bearing_conflict
from checker.frames import frame
from checker.relations import PLACE_KINDS, relation_conflicts


def quotation_finding(f, a_text: str, b_text: str):
    """The finding of one quotation credited to other named speakers: who, and where."""

    def named(text: str) -> tuple[list[str], tuple[tuple[int, int], ...]]:
        fr = frame(text)
        keys = sorted(fr.named_sources or fr.persons)
        found = [(m.start(), m.end()) for k in keys if (m := re.search(rf"\b{re.escape(k)}\b", text, re.I))]
        return [text[i:j] for i, j in found] or keys, tuple(found)

    (wa, sa), (wb, sb) = named(a_text), named(b_text)
    return replace(
        f,
        type="attribution",
        a_spans=sa,
        b_spans=sb,
        evidence=f"the same quotation credited to other speakers: {', '.join(wa)} vs {', '.join(wb)}",
        check="quote_source",
    )


def relation_finding(f, a_text: str, b_text: str):
    """The finding of one relation given two fillers: which relation, and where each is named."""
    pair = relation_conflicts(a_text, b_text)
    if pair is None and (back := relation_conflicts(b_text, a_text)):
        pair = (back[1], back[0])
    if pair is None:
        return bearing_finding(f, a_text, b_text)
    x, y = pair

    def spans(text: str, name: str) -> tuple[tuple[int, int], ...]:
        m = re.search(re.escape(name), text, re.I)
        return ((m.start(), m.end()),) if m else ()

    return replace(
        f,
        type="location/scope" if x.kind in PLACE_KINDS else "entity",
        a_spans=spans(a_text, x.filler),
        b_spans=spans(b_text, y.filler),
        evidence=f"one relation, two fillers ({x.kind}): {x.filler!r} vs {y.filler!r}",
        check="relation",
    )


def bearing_finding(f, a_text: str, b_text: str):
    """The finding of one place given two bearings from one landmark: which, and where."""
    pair = bearing_conflict(a_text, b_text)
    if pair is None:
        return f
    x, y = pair

    def spans(text: str, words: str) -> tuple[tuple[int, int], ...]:
        i = text.find(words)
        return ((i, i + len(words)),) if i >= 0 else ()

    return replace(
        f,
        type="location/scope",
        a_spans=spans(a_text, x.text),
        b_spans=spans(b_text, y.text),
        evidence=f"two bearings from {x.anchor}: {x.text!r} vs {y.text!r}",
        check="relation",
    )


#: the finding each rule of :data:`checker.verdict.RULE_FEATURES` shows
RULE_FINDINGS = {"quote_source": quotation_finding, "relation": relation_finding}
