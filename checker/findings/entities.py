"""Entity: another name in the same slot of two otherwise similar statements."""

from __future__ import annotations

import difflib
import re

from checker.findings.places import _DEMONYMS, _GAZETTEER
from checker.findings.roles import person_key
from checker.findings.text import _CAP_STOP, _STOP, Conflict, similar_spelling

_NAME_TOKEN_RE = re.compile(r"^(?:[A-Z][\w’'-]*)$")


def _entity_swap(a_text: str, b_text: str) -> tuple[Conflict, float] | None:
    """(the swapped name, the token similarity of the two texts): the first run of
    capitalised words replaced by another that is neither a place nor a form of the same name."""
    ta = list(re.finditer(r"[\w’'-]+", a_text))
    tb = list(re.finditer(r"[\w’'-]+", b_text))
    wa, wb = [t.group(0) for t in ta], [t.group(0) for t in tb]
    sm = difflib.SequenceMatcher(a=[w.lower() for w in wa], b=[w.lower() for w in wb], autojunk=False)
    ratio = sm.ratio()
    if ratio < 0.5:
        return None
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op != "replace":
            continue
        xa, xb = wa[i1:i2], wb[j1:j2]
        if not all(_NAME_TOKEN_RE.match(w) and w not in _CAP_STOP and w.lower() not in _STOP for w in xa + xb):
            continue
        na, nb = " ".join(xa), " ".join(xb)
        if any(w in _GAZETTEER or w in _DEMONYMS for w in xa + xb):
            continue  # a place swap: left to the location check
        if person_key(na) == person_key(nb) or similar_spelling(person_key(na), person_key(nb)):
            continue
        return (
            Conflict(
                "entity",
                f"different name in the same place: '{na}' vs '{nb}'",
                ((ta[i1].start(), ta[i2 - 1].end()),),
                ((tb[j1].start(), tb[j2 - 1].end()),),
            ),
            ratio,
        )
    return None
