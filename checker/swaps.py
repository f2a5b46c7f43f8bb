"""Slot swaps: does a pair say the same thing once the one differing name or figure is exchanged?

Why built so: a retelling shares few words with the statement it retells, so "how much else
the two share" (the lemma overlap that weights a frame difference in :mod:`checker.frames`)
is low exactly where a desk needs the conflict found ("The plant belongs to Halden
Agrochem, which produces cleaning agents" / "The plant, owned by Corvane Chemicals, makes
cleaning agents"). The NLI model, on the other hand, reads such a pair as entailment: it
overlooks the name. Exchanging the differing value in B for A's value and asking the model
again answers the question that matters: with the names made equal, does B say what A says?
If so, the name is the only difference and the pair is a conflict on that slot; two
statements about different facts stay unrelated after the exchange. The entailment after the
swap is one more piece of evidence for :mod:`checker.verdict` (decision 0006), and the
report shows the swapped text so a reviewer sees why.

Only one-to-one differences are swapped (A names exactly one person the other does not, and
B exactly one): with more, which value stands for which is a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

import numpy as np

from checker.figures import TALLY, comparable_figures, figures_of_other_things, lone_figures, tallies
from checker.findings import compare_frames, country_name, person_key, quantities_compatible
from checker.nlp import parse
from checker.types import LabeledPair, SlotSwap

#: spaCy entity labels per slot (as in :mod:`checker.frames`).
_SLOTS = {
    "person": {"PERSON"},
    "organisation": {"ORG"},
    "place": {"GPE", "LOC", "FAC"},
    "date": {"DATE"},
    # a clock time ("shortly after 10 p.m." / "about 6:30 p.m."): two outlets timing one event
    # in other words ("the alarm was raised" / "the first call for help reached the rescue
    # service") share no event word, so only the model, asked again with the times made
    # equal, can say whether they time one event
    "time": {"TIME"},
}


def _key(label: str, text: str) -> str:
    if label == "PERSON":
        return person_key(text)
    return country_name(" ".join(text.lower().replace("’s", "").replace("'s", "").removeprefix("the ").split()))


_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.I)
_WEEKDAY = re.compile(r"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b", re.I)
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_CLOCK = re.compile(
    r"\b\d{1,2}(?:[:.]\d\d)?\s*(?:[ap]\.?m\b\.?|o'clock|in the (?:morning|afternoon|evening))|\b\d{1,2}:\d\d\b", re.I
)
_RELATIVE = re.compile(r"\b(?:last|next|this|ago|earlier|later|past|coming|years?|months?|weeks?|days?|hours?)\b", re.I)


def _calendar_date(text: str) -> bool:
    """A day, month, weekday or year ("7 March 2024", "Sunday"), not a duration or a relative
    date ("eleven years", "last month"), which the swap would exchange for nonsense."""
    calendar = _MONTH.search(text) or _WEEKDAY.search(text) or _YEAR.search(text)
    return bool(calendar) and not _RELATIVE.search(text)


def _clock_time(text: str) -> bool:
    """A time of day on the clock ("10:14 a.m.", "about 2:50 in the morning"), not a span
    ("three hours", "overnight")."""
    return bool(_CLOCK.search(text))


def _weekday_only(text: str) -> bool:
    """A weekday without a calendar date ("Thursday", "Sunday morning"): it is exchanged only
    for another weekday, since "Thursday" and "April 3" can both be true."""
    return bool(_WEEKDAY.search(text)) and not _MONTH.search(text)


def _same(x: str, y: str) -> bool:
    return x == y or (bool(x) and bool(y) and (x in y or y in x))


def _slot_value(slot: str, text: str) -> bool:
    if slot == "date":
        return _calendar_date(text)
    if slot == "time":
        return _clock_time(text)
    return True


#: what joins a place to the larger place it lies in ("Ghent, in Belgium", "Wilmington, Delaware")
_CONTAINED_IN = re.compile(r"^\s*(?:,\s*(?:in\s+)?|in\s+)$", re.I)


def _without_containers(doc, ents: list) -> list:
    """Places that name where something is, without the larger places they are placed in: a
    place right after another, joined by a comma or "in", is the other's country or region."""
    text = doc.text
    return [e for i, e in enumerate(ents) if not (i and _CONTAINED_IN.match(text[ents[i - 1].end_char : e.start_char]))]


def _entity_edits(doc_a, doc_b) -> list[tuple[str, tuple[int, int], str, str]]:
    """(slot, B's character span, A's value, B's value) for each one-to-one entity difference."""
    edits = []
    for slot, labels in _SLOTS.items():
        ents_a = [e for e in doc_a.ents if e.label_ in labels and _slot_value(slot, e.text)]
        ents_b = [e for e in doc_b.ents if e.label_ in labels and _slot_value(slot, e.text)]
        if slot == "place":  # "in Ghent, in Belgium" / "in Kelsworth": the place, not its country
            ents_a, ents_b = _without_containers(doc_a, ents_a), _without_containers(doc_b, ents_b)
        keys_a = {_key(e.label_, e.text) for e in ents_a}
        keys_b = {_key(e.label_, e.text) for e in ents_b}
        only_a = {k for k in keys_a if not any(_same(k, kb) for kb in keys_b)}
        only_b = {k for k in keys_b if not any(_same(k, ka) for ka in keys_a)}
        if len(only_a) != 1 or len(only_b) != 1:
            continue
        if slot in ("date", "time") and not compare_frames(doc_a.text, doc_b.text).date_conflict:
            continue  # the tagger cut one date two ways ("16 September" / "September 2025"): no difference
        value_a = max((e.text for e in ents_a if _key(e.label_, e.text) in only_a), key=len)
        for e in ents_b:
            if _key(e.label_, e.text) in only_b and (slot != "date" or _weekday_only(e.text) == _weekday_only(value_a)):
                edits.append((slot, (e.start_char, e.end_char), value_a, e.text))
    return edits


def _number_edits(a_text: str, b_text: str) -> list[tuple[str, tuple[int, int], str, str]]:
    """The one figure (or vote tally) of B that cannot hold beside A's, exchanged for A's; none
    when the figures are of two facts (:func:`checker.figures.figures_of_other_things`: "this
    year's limit was 28,300 tonnes" / "next year's quota, 15,600 tonnes")."""
    ta, tb = list(TALLY.finditer(a_text)), list(TALLY.finditer(b_text))
    if ta or tb:  # a tally ("7-4", "eight votes to three") is one figure, not two
        if len(ta) == 1 and len(tb) == 1 and tallies(a_text) != tallies(b_text):
            edit = ("number", tb[0].span(), ta[0].group(0), tb[0].group(0))
            return [] if figures_of_other_things(a_text, b_text) else [edit]
        return []
    pairs = comparable_figures(a_text, b_text)
    if not pairs and (lone := lone_figures(a_text, b_text)):
        x, y = lone
        value = x.text if y.span[0] == 0 else x.text[:1].lower() + x.text[1:]  # "Nineteen" mid-sentence
        return [("number", y.span, value, y.text)]
    clashes = [(x, y) for x, y in pairs if not quantities_compatible(x, y)]
    if len(clashes) == 1 and len(pairs) == 1:
        # percentages of two measures are no comparable figures ("online sales grew 18%" /
        # "comparable-store sales grew 3.1%": checker.figures reads what each measures)
        x, y = clashes[0]
        return [] if figures_of_other_things(a_text, b_text) else [("number", y.span, x.text, y.text)]
    return []


def slot_swap(a_text: str, b_text: str, entities: bool = True) -> SlotSwap | None:
    """B with A's values put in where the two differ one to one, or None when nothing differs so.
    ``entities=False`` exchanges figures only (a headline: its title case misleads the entity
    tagger, and it leaves out names the body gives)."""
    # figures first: "nine years" is a number to compare, not a date entity
    taken: list[tuple[str, tuple[int, int], str, str]] = []
    edits = _number_edits(a_text, b_text)
    if entities:
        edits += _entity_edits(parse(a_text), parse(b_text))
    for e in edits:
        if not any(e[1][0] < t[1][1] and t[1][0] < e[1][1] for t in taken):
            taken.append(e)
    taken.sort(key=lambda e: e[1][0])
    if not taken:
        return None
    out, last = [], 0
    for _, (start, end), value_a, _ in taken:
        out.append(b_text[last:start])
        out.append(value_a)
        last = end
    out.append(b_text[last:])
    swapped = "".join(out)
    if swapped == b_text:
        return None
    return SlotSwap(
        tuple(sorted({e[0] for e in taken})),
        swapped,
        tuple(e[2] for e in taken),
        tuple(e[3] for e in taken),
    )


def check_swaps(
    labeled: Sequence[LabeledPair],
    predict: Callable[[list[tuple[str, str]]], np.ndarray],
) -> list[LabeledPair]:
    """Each pair with a one-to-one difference, scored again with the difference exchanged
    (one batch through ``predict``, both directions); pairs without one are returned as given."""
    swaps = [
        (i, s)
        for i, lp in enumerate(labeled)
        if (s := slot_swap(lp.pair.a.text, lp.pair.b.text, not (lp.pair.a.is_headline or lp.pair.b.is_headline)))
    ]
    if not swaps:
        return list(labeled)
    texts = [(labeled[i].pair.a.text, s.b_text) for i, s in swaps]
    texts += [(b, a) for a, b in texts]
    probs = np.asarray(predict(texts))
    n = len(swaps)
    out = list(labeled)
    for k, (i, s) in enumerate(swaps):
        e = max(float(probs[k][0]), float(probs[n + k][0]))
        out[i] = replace(out[i], swap=replace(s, entailment=round(e, 4)))
    return out
