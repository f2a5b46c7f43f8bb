"""Attribution: who said what ("X said", "according to X", "X told Reuters"), a comparable
key for a source, and the same claim credited to different sources or to nobody.

Deliberately not done: deciding which source is right.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.findings.atoms import _UNITS
from checker.findings.roles import _TITLE_WORDS, _role_noun, person_key
from checker.findings.text import (
    _STOP,
    Conflict,
    _content_tokens,
    _overlap,
    _per_text,
    _singular,
    similar_spelling,
)

CLAIM_OVERLAP = 0.3


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said what: ``source`` as written, the claim's span, the reporting verb."""

    source: str
    claim_span: tuple[int, int]
    verb: str
    source_span: tuple[int, int] = (0, 0)


_SAY = (
    r"said|says|say|told|tells|stated|states|claims|claimed|claim|added|adds|confirmed|confirms|"
    r"insisted|insists|reported|reports|denied|denies|warned|warns|acknowledged|acknowledges|"
    r"asserted|asserts|argued|argues|noted|notes|explained|wrote|writes|announced|found|show|shows|"
    r"showed|revealed|(?:called|calls)(?=\s+(?:it|them|him|her|this|that)\b)"
)
_SAY_RE = re.compile(rf"\b(?P<verb>{_SAY})\b")
_SOURCE_NOUNS = frozenset(
    """
source sources relative relatives official officials people person resident residents witness
witnesses commander commanders analyst analysts expert experts diplomat diplomats researcher
researchers spokesman spokeswoman spokesperson document documents record records investigation
report media activist activists monitor observers observer coordinator governor minister
ministry army police government family families
""".split()
)
_PRONOUNS = frozenset("he she they it we i".split())
_WIRE = frozenset("reuters ap afp investigation report agency news newspaper".split())
_SOURCE_BOUNDARY = re.compile(r"[,;:(“\"]|[—–]|\bthat\b|\band\b(?=\s+[a-z])|\bwhile\b|\bbut\b")


def _valid_source(src: str) -> bool:
    toks = re.findall(r"[\w’'-]+", src)
    if not toks or len(toks) > 10:
        return False
    low = [t.lower() for t in toks]
    if len(toks) == 1 and low[0] in _PRONOUNS:
        return True
    if any(_singular(t) in _SOURCE_NOUNS or t in _SOURCE_NOUNS for t in low):
        return True
    return all(t[0].isupper() or re.match(r"(?:al|el|bin|ibn|abu|de)(?:-|$)", t) for t in toks)


def source_key(source: str) -> str | None:
    """A comparable key for a source: a person key, a singular group noun, or None.

    Pronouns and the wire or investigation all outlets retell ("Reuters", "the
    investigation") give None: they do not distinguish one source from another.
    """
    s = re.sub(r"[“”\"]", "", source).strip()
    s = re.split(
        r"\s+(?:close to|familiar with|interviewed by|reviewed by|on the ground|with knowledge|"
        r"seen by|who|in\s+)\b",
        s,
    )[0]
    toks = re.findall(r"[\w’'-]+", s)
    low = [t.lower() for t in toks]
    if not toks or (len(toks) == 1 and low[0] in _PRONOUNS):
        return None
    if any(t in _WIRE for t in low):
        return None
    if low[-1] in _SOURCE_NOUNS or _singular(low[-1]) in _SOURCE_NOUNS:
        return _singular(low[-1])
    names = [
        t
        for t in toks
        if (t[0].isupper() or re.match(r"(?:al|el|abu|bin|ibn)-", t))
        and t.lower() not in _TITLE_WORDS
        and t.lower() not in _STOP
        and t.lower() not in _UNITS
        and t.lower() not in _SOURCE_NOUNS
    ]
    if names:
        return person_key(names[-1])
    for t in reversed(low):
        if t in _SOURCE_NOUNS or _singular(t) in _SOURCE_NOUNS:
            return _singular(t)
    return None


@_per_text
def extract_attributions(text: str) -> list[Attribution]:
    """Reported speech: "X said ...", "..., X said", "according to X", "X told Reuters",
    "X called it ...", "X, who ..., claims that ...", "documents show that ...".

    The source is the noun phrase before the reporting verb back to a clause boundary
    (a relative clause "X, who ..., said" is skipped); the claim runs from after the verb
    (and "that", "Reuters", "in a statement,") to the end of the sentence, or is the text
    before the source when the verb ends the sentence.
    """
    out: list[Attribution] = []
    for m in re.finditer(r"\b[Aa]ccording to (?P<src>[^,.;:—–]+)", text):
        src = m.group("src").strip()
        if text[m.end() :].strip(' .”"') == "":
            claim = (0, m.start())
        else:
            claim = (m.end(), len(text))
        while claim[1] > claim[0] and text[claim[1] - 1] in " ,.":
            claim = (claim[0], claim[1] - 1)
        lead = len(text[claim[0] : claim[1]]) - len(text[claim[0] : claim[1]].lstrip(" ,"))
        claim = (claim[0] + lead, claim[1])
        out.append(Attribution(src, claim, "according to", (m.start("src"), m.start("src") + len(src))))
    for m in _SAY_RE.finditer(text):
        prefix = text[: m.start()]
        prefix = re.sub(r"\s+(?:has|have|had|also|reportedly|later|previously|publicly)\s*$", " ", prefix)
        prefix = re.sub(r",\s*(?:who|which|whose)\b[^,]*,\s*$", " ", prefix)
        appos = re.search(r"(?<=[A-Za-z’'])\s*,\s*(?P<r>[^,]{2,100}?),\s*$", prefix)
        if appos and any(_role_noun(t) for t in appos.group("r").split()[:4]):
            prefix = prefix[: appos.start()] + " "
        cut = 0
        for b in _SOURCE_BOUNDARY.finditer(prefix.rstrip()):
            if b.end() < len(prefix.rstrip()):
                cut = b.end()
        raw = prefix[cut:]
        src = raw.strip().strip('”" ')
        if not src or not _valid_source(src):
            continue
        s_start = cut + (len(raw) - len(raw.lstrip())) + (1 if raw.lstrip()[:1] in '“"' else 0)
        after = text[m.end() :]
        skip = (
            re.match(
                r"(?:\s+(?:it|Reuters|reporters|journalists|AFP|the\s+\w+(?:\s+\w+)?|him|her|them)"
                r"(?=\W))?(?:\s+in\s+[^,.]{1,40}?(?=[,:]|\s+that\b))?[\s,:]*(?:that\b)?\s*",
                after,
            )
            if m.group("verb").startswith(("told", "tells", "call"))
            else re.match(r"(?:\s+in\s+[^,.]{1,40}?(?=[,:]|\s+that\b))?[\s,:]*(?:that\b)?\s*", after)
        )
        c_start = m.end() + (skip.end() if skip else 0)
        c_end = len(text.rstrip(" ."))
        trailing = re.fullmatch(
            r"\s*(?:in|on|to|during|via|after|before)\b[^,;:“\"]*", text[c_start:c_end]
        ) or re.fullmatch(r"\s*(?:in|on|to|during|via|after|before)\b[^,;:“\"]*", text[m.end() : c_end])
        if c_end - c_start < 8 or trailing:  # "..., he said." / "..., X said in a message."
            c_start, c_end = 0, max(0, s_start - 1)
            while c_end > 0 and text[c_end - 1] in ' ,”"':
                c_end -= 1
        if any(a.source_span[0] <= s_start < a.source_span[1] for a in out):
            continue
        out.append(Attribution(src, (c_start, c_end), m.group("verb"), (s_start, s_start + len(src))))
    return sorted(out, key=lambda a: a.source_span)


def _claim_text(text: str, atts: list[Attribution]) -> str:
    if not atts:
        return text
    return " ".join(text[a.claim_span[0] : a.claim_span[1]] for a in atts)


def _attribution_difference(a_text: str, b_text: str) -> Conflict | None:
    aa, ab = extract_attributions(a_text), extract_attributions(b_text)
    ka = {k for a in aa if (k := source_key(a.source))}
    kb = {k for b in ab if (k := source_key(b.source))}
    if not ka and not kb:
        return None
    named_a = ", ".join(repr(a.source) for a in aa if source_key(a.source))
    named_b = ", ".join(repr(b.source) for b in ab if source_key(b.source))
    if ka and kb:
        if any(x == y or similar_spelling(x, y) for x in ka for y in kb):
            return None
        desc = f"attributed to different sources: {named_a} vs {named_b}"
    elif ka and not ab:
        desc = f"A attributes to {named_a}; B states it unattributed"
    elif kb and not aa:
        desc = f"B attributes to {named_b}; A states it unattributed"
    else:
        return None
    claim_a, claim_b = _claim_text(a_text, aa), _claim_text(b_text, ab)
    if _overlap(_content_tokens(claim_a), _content_tokens(claim_b)) < CLAIM_OVERLAP:
        return None
    return Conflict("attribution", desc, tuple(a.source_span for a in aa), tuple(b.source_span for b in ab))


#: a quotation of four words or more, in straight or curly double quotes
_QUOTE = re.compile(r"[\"“]([^\"“”]{12,}?)[\"”]")
#: share of the shorter quotation's words the other must repeat to be the same quotation
SAME_QUOTE = 0.6


def quotations(text: str) -> list[frozenset[str]]:
    """The words of each quotation of ``text`` (folded to lower case)."""
    out = []
    for m in _QUOTE.finditer(text):
        words = frozenset(re.findall(r"[a-z0-9’']+", m.group(1).lower()))
        if len(words) >= 4:
            out.append(words)
    return out


def shared_quotation(a_text: str, b_text: str) -> bool:
    """Both statements quote the same words ("We had maybe forty minutes of warning ..."): the
    quotation is one remark, so who it is credited to is one fact."""
    return any(len(x & y) >= SAME_QUOTE * min(len(x), len(y)) for x in quotations(a_text) for y in quotations(b_text))
