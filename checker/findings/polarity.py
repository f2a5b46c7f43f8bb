"""Negation/polarity: one statement negates what the other asserts ("did not attend" vs "attended")."""

from __future__ import annotations

from checker.findings.text import _NEGATORS, Conflict, _content_tokens, _overlap


def _negation_flip(a_text: str, b_text: str) -> Conflict | None:
    na = list(_NEGATORS.finditer(a_text))
    nb = list(_NEGATORS.finditer(b_text))
    if len(na) % 2 == len(nb) % 2:
        return None
    if _overlap(_content_tokens(a_text), _content_tokens(b_text)) < 0.6:
        return None
    neg_side = "A" if len(na) % 2 else "B"
    words = [m.group(0) for m in (na if neg_side == "A" else nb)]
    return Conflict(
        "negation/polarity",
        f"polarity differs: {neg_side} negates ({', '.join(repr(w) for w in words)})",
        tuple(m.span() for m in na),
        tuple(m.span() for m in nb),
    )
