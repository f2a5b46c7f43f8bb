"""Number conflicts: two quantities of one thing that cannot both hold, and the explanation
when they are of different things.

Why apart from :mod:`checker.findings.numbers`: that module reads quantities (bound, unit,
counted noun, subject) and says whether two can both hold; this one decides, from the words
around them, whether two that cannot are about one thing (a conflict) or plainly about two
(an explanation that lowers the model's contradiction).
"""

from __future__ import annotations

from checker.findings.numbers import NUMBER_CONTEXT_OVERLAP, Quantity, match_quantities, quantities_comparable
from checker.findings.text import Conflict, _content_tokens, _overlap


def _fmt_q(q: Quantity) -> str:
    return f"'{q.text}{' ' + q.noun if q.noun and q.noun not in q.text else ''}'"


def _number_conflict(qa: list[Quantity], qb: list[Quantity], a_text: str, b_text: str) -> Conflict | None:
    """Incompatible quantities that are clearly about the same thing: precise (not vague),
    the same counted noun on both sides (or, for money/percent, the same named subject),
    and either the same named subject or sentences sharing most of their other words."""
    _, bad = match_quantities(qa, qb)
    strip = lambda text, qs: "".join(  # noqa: E731
        ch for i, ch in enumerate(text) if not any(q.span[0] <= i < q.span[1] for q in qs)
    )
    context = _overlap(_content_tokens(strip(a_text, qa)), _content_tokens(strip(b_text, qb)))

    def same_thing(x: Quantity, y: Quantity) -> bool:
        if x.vague or y.vague:
            return False
        same_subject = bool(x.subject and x.subject == y.subject and x.subject.startswith("name:"))
        if x.kind == "count" and not (x.noun_head and x.noun_head == y.noun_head):
            return False
        if x.kind != "count" and not (same_subject or (x.noun_head and x.noun_head == y.noun_head)):
            return False
        return same_subject or context >= NUMBER_CONTEXT_OVERLAP

    bad = [(x, y) for x, y in bad if same_thing(x, y)]
    if not bad:
        return None
    x, y = bad[0]
    what = x.noun or y.noun or x.unit or y.unit or x.kind
    ev = f"numbers differ for {what}: {_fmt_q(x)} vs {_fmt_q(y)}"
    return Conflict("number", ev, tuple(x.span for x, _ in bad), tuple(y.span for _, y in bad))


def _different_subjects(
    qa: list[Quantity], qb: list[Quantity], nouns_too: bool = False, context: float = 0.0
) -> Conflict | None:
    """The lowering explanation when every same-kind quantity pair is about a different subject,
    or (with ``nouns_too``) counts a different noun in sentences whose other words mostly
    agree (``context`` >= ``NUMBER_CONTEXT_OVERLAP``), so the numbers are what the model saw."""
    pairs = [(x, y) for x in qa for y in qb if x.kind == y.kind and x.unit == y.unit]
    if not pairs or any(quantities_comparable(x, y) for x, y in pairs):
        return None
    subj = [(x, y) for x, y in pairs if x.subject and y.subject and x.subject != y.subject]
    if len(subj) < len(pairs) and (not nouns_too or context < NUMBER_CONTEXT_OVERLAP):
        return None
    x, y = pairs[0]
    why = (
        f"subjects {x.subject.removeprefix('name:')} vs {y.subject.removeprefix('name:')}"
        if x.subject and y.subject and x.subject != y.subject
        else f"nouns {x.noun} vs {y.noun}"
    )
    return Conflict(
        "number",
        f"numbers are about different things ({why}): {_fmt_q(x)} vs {_fmt_q(y)}",
        tuple(sorted({p[0].span for p in pairs})),
        tuple(sorted({p[1].span for p in pairs})),
    )
