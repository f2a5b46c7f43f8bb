"""Places: a small gazetteer, locative prepositions and coasts, and where two statements'
places differ or one refines the other (location/scope).

Deliberately not done: place recognition beyond a small gazetteer, locative prepositions
and "coastal X"/"X coast".
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from checker.findings.text import _CAP_STOP, Conflict, _inside, _norm_name, _per_text, similar_spelling

_GAZETTEER = frozenset(
    """
Syria Lebanon Israel Iran Iraq Jordan Turkey Russia Ukraine Egypt Libya Yemen Gaza Palestine
Saudi Qatar Kuwait Bahrain Oman Emirates UAE Afghanistan Pakistan India China Japan Korea
France Germany Britain England Italy Spain Poland Greece Sweden Norway Europe Africa Asia
America Canada Mexico Brazil Venezuela Cuba Nigeria Kenya Ethiopia Sudan Somalia Australia
Moscow Damascus Beirut Baghdad Tehran Cairo Ankara Istanbul Jerusalem Riyadh Doha Dubai London
Paris Berlin Washington Beijing Kyiv Kiev Aleppo Homs Hama Idlib Latakia Tartus Tartous Deraa
Daraa Raqqa Deir Mediterranean Golan Crimea Donbas Kharkiv Odesa Mariupol
""".split()
)
_DEMONYMS = {
    "Syrian": "Syria",
    "Lebanese": "Lebanon",
    "Israeli": "Israel",
    "Iranian": "Iran",
    "Iraqi": "Iraq",
    "Russian": "Russia",
    "Turkish": "Turkey",
    "Egyptian": "Egypt",
    "Ukrainian": "Ukraine",
    "American": "America",
    "British": "Britain",
    "French": "France",
    "German": "Germany",
    "Chinese": "China",
    "Jordanian": "Jordan",
    "Libyan": "Libya",
    "Yemeni": "Yemen",
    "Saudi": "Saudi",
}
#: one country under the names news uses for it ("the UK" / "Britain", "the US" / "America"):
#: two outlets naming it two ways name one place
_COUNTRY_NAMES = {
    "united kingdom": ("uk", "u.k.", "britain", "great britain", "united kingdom"),
    "united states": ("us", "u.s.", "usa", "u.s.a.", "america", "united states", "united states of america"),
    "netherlands": ("holland", "netherlands"),
    "united arab emirates": ("uae", "u.a.e.", "emirates", "united arab emirates"),
    "czech republic": ("czechia", "czech republic"),
    "turkey": ("turkiye", "türkiye", "turkey"),
    "ivory coast": ("cote d'ivoire", "côte d'ivoire", "ivory coast"),
    "myanmar": ("burma", "myanmar"),
    "north korea": ("dprk", "north korea"),
    "south korea": ("republic of korea", "south korea"),
}
_COUNTRY_OF = {alias: country for country, aliases in _COUNTRY_NAMES.items() for alias in aliases}
#: the same, keyed as :func:`extract_places` keys places (letters and digits only)
_COUNTRY_OF_FOLDED = {re.sub(r"[^a-z0-9]", "", alias): re.sub(r"[^a-z0-9]", "", c) for alias, c in _COUNTRY_OF.items()}
#: languages, which follow "in" as places do ("written in English")
_LANGUAGES = frozenset(
    "English Spanish Arabic Mandarin Cantonese Italian Portuguese Japanese Korean Hindi Urdu Persian Farsi "
    "Hebrew Dutch Polish Greek Swahili Welsh Gaelic Latin".split()
)


def country_name(key: str) -> str:
    """A lower-case place name with a country's other names folded into one ("britain" ->
    "united kingdom"); any other name as given."""
    return _COUNTRY_OF.get(key, key)


_PLACE_TOKEN = r"[A-Z][\w’'-]+"
_COAST_RX = [
    (
        re.compile(
            rf"\bcoastal\s+(?:regions?|provinces?|areas?|governorates?)\s+of\s+(?:the\s+)?(?P<p>{_PLACE_TOKEN})\b"
        ),
        "place",
    ),
    (re.compile(rf"\bcoastal\s+(?P<p>{_PLACE_TOKEN})\s+(?:region|province|governorate)\b"), "place"),
    (re.compile(rf"\bcoastal\s+(?P<p>{_PLACE_TOKEN})\b"), "coast"),
    (
        re.compile(rf"\b(?P<p>{_PLACE_TOKEN})(?:[’']s)?\s+coast(?:line|al\s+(?:regions?|areas?|cities|provinces?))?\b"),
        "coast",
    ),
    (re.compile(rf"\bcoast\s+of\s+(?:the\s+)?(?P<p>{_PLACE_TOKEN})\b"), "coast"),
    (re.compile(r"\b(?:the\s+)?coast(?:al\s+(?:regions?|areas?|cities|provinces?))?\b"), "coast"),
]
_LOCATIVE = re.compile(
    rf"\b(?:in|from|across|near|along|throughout|into|within|outside|region\s+of|"
    rf"province\s+of|city\s+of|provinces\s+of)\s+(?:the\s+)?(?P<p>{_PLACE_TOKEN})"
)
_REGION_SUFFIX = re.compile(rf"\b(?P<p>{_PLACE_TOKEN})\s+(?:region|province|governorate)\b")


@_per_text
def extract_places(text: str) -> dict[str, list[tuple[int, int]]]:
    """Place keys -> spans. "coastal Syria", "the Syrian coast" and "Syria's coast" give
    "coast:syria"; "the coast" alone gives "coast"; other places are lowercased names.

    Places come from a small gazetteer, from capitalised words after locative prepositions
    ("in Tartus", "region of Tartus") and before "region/province".
    """
    places: dict[str, list[tuple[int, int]]] = {}
    covered: list[tuple[int, int]] = []

    def add(key: str, span: tuple[int, int]) -> None:
        places.setdefault(key, []).append(span)
        covered.append(span)

    for rx, mode in _COAST_RX:
        for m in rx.finditer(text):
            if _inside(m.span(), covered):
                continue
            p = m.groupdict().get("p") or ""
            if p and (
                p in _CAP_STOP
                or (
                    mode == "coast"
                    and p not in _DEMONYMS
                    and p not in _GAZETTEER
                    and not rx.pattern.startswith(r"\bcoastal")
                )
            ):
                continue
            p = _DEMONYMS.get(p, p)
            if mode == "place":
                add(_norm_name(p), m.span())
            else:
                add(f"coast:{_norm_name(p)}" if p else "coast", m.span())
    for rx in (_LOCATIVE, _REGION_SUFFIX):
        for m in rx.finditer(text):
            p = m.group("p")
            if (
                _inside(m.span("p"), covered)
                or p in _CAP_STOP
                or p in _DEMONYMS
                or p in _LANGUAGES
                or _norm_name(p) in {"reuters", "assad"}
            ):
                continue
            if re.match(r"\s+[A-Z]", text[m.end("p") :]) and p not in _GAZETTEER:
                continue  # "in Bashar al-Assad": a person, not a place
            add(_norm_name(p), m.span("p"))
    for m in re.finditer(r"\b[A-Z][a-z]+\b", text):
        if m.group(0) in _GAZETTEER and not _inside(m.span(), covered):
            add(_norm_name(m.group(0)), m.span())
    return places


def _place_match(x: str, y: str) -> str | None:
    """ "same", "x_in_y" (x refines y), "y_in_x" or None."""
    xp, yp = x.split(":")[-1], y.split(":")[-1]
    same_place = (
        (xp == yp)
        or (xp and yp and similar_spelling(xp, yp))
        or _COUNTRY_OF_FOLDED.get(xp, xp) == _COUNTRY_OF_FOLDED.get(yp, yp)  # "the UK" / "Britain"
    )
    if x.startswith("coast") == y.startswith("coast"):
        return "same" if same_place or (x == y) else None
    if x.startswith("coast") and (same_place or not xp):
        return "x_in_y" if xp else None
    if y.startswith("coast") and (same_place or not yp):
        return "y_in_x" if yp else None
    return None


def _location_finding(a_text: str, b_text: str) -> Conflict | None:
    pa, pb = extract_places(a_text), extract_places(b_text)
    if not pa or not pb:
        return None
    only_a = [x for x in pa if not any(_place_match(x, y) == "same" for y in pb)]
    only_b = [y for y in pb if not any(_place_match(x, y) == "same" for x in pa)]
    if not only_a and not only_b:
        return None
    refined = [(x, y) for x in only_a for y in only_b if _place_match(x, y) in ("x_in_y", "y_in_x")]
    ref_a = {x for x, _ in refined}
    ref_b = {y for _, y in refined}
    extra_a = [x for x in only_a if x not in ref_a]
    extra_b = [y for y in only_b if y not in ref_b]
    shared = len(pa) - len(only_a)
    parts = []
    if refined:
        parts.append("scope differs: " + ", ".join(f"'{_pretty_place(x)}' vs '{_pretty_place(y)}'" for x, y in refined))
    if extra_a and not extra_b:
        parts.append(f"A adds {_fmt_places(extra_a)}")
    elif extra_b and not extra_a:
        parts.append(f"B adds {_fmt_places(extra_b)}")
    elif extra_a and extra_b:
        kind = "different places" if not shared and not refined else "places differ"
        parts.append(f"{kind}: A only {_fmt_places(extra_a)}, B only {_fmt_places(extra_b)}")
    spans_a = sorted(s for x in only_a for s in pa[x])
    spans_b = sorted(s for y in only_b for s in pb[y])
    return Conflict("location/scope", "; ".join(parts), tuple(spans_a), tuple(spans_b))


def _pretty_place(key: str) -> str:
    if key.startswith("coast:"):
        return f"coast of {key[6:].title()}"
    return key.title()


def _fmt_places(keys: Iterable[str]) -> str:
    return "{" + ", ".join(_pretty_place(k) for k in keys) + "}"
