"""Roles: titles and roles given to named people, a key for a person's name forms, and
whether two roles of one person conflict (role/title).

``RANKS``, ``KIN`` and ``ROLE_SYNONYMS`` are shared with the parse-based frames
(:mod:`checker.frames`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from checker.findings.places import _DEMONYMS
from checker.findings.role_words import (
    _OFFICE,
    _TITLE_WORDS,
    ANY_OFFICE,
    KIN,
    MEMBERSHIP_TITLES,
    RANKS,
    ROLE_SYNONYMS,
    SUBORDINATE_TITLES,
    canonical_office,
    member_of_same_body,
)
from checker.findings.text import (
    _CAP_STOP,
    _NON_PERSON,
    _STOP,
    Conflict,
    _norm_name,
    _per_text,
    _singular,
    similar_spelling,
)

_NAME_TOKEN = r"(?:(?:al|el|ad|as|ash|an|ar|abu|bin|ibn|Al|El|Abu)-[A-Z][a-z’'`]+|[A-Z][a-z’'`]+(?:-[A-Z][a-z’']+)?)"
_PARTICLE = r"(?:al|el|bin|ibn|bint|abu|de|da|di|van|von|der|le|la|du|dos|das)"
_NAME = re.compile(rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN})*")
_TITLE_ABBR = re.compile(r"((?:(?:Maj|Gen|Col|Lt|Dr|Mr|Mrs|Ms|Sgt|Capt|Brig|Adm|Gov|Sen|Rep|Prof|Pres)\.\s+)+)$")
_REGION_WORDS = frozenset("region province governorate state district".split())
#: heads that say too little to contradict a specific office without a body ("a bare leader",
#: "a senior officer", "a council official")
_GENERIC_HEADS = frozenset({"head"}) | ANY_OFFICE
_ROLE_MODIFIERS = frozenset("former ex then interim acting ousted deposed late the a an his her its their".split())
_DETERMINER = r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[A-Z][\w-]*[’']s)"
_PREMOD_STOP = frozenset(
    """
and or of by to in with from for as that while including the a an his her its their who which
was were is are has have had said told at on neither nor not no both all
""".split()
)


@dataclass(frozen=True, slots=True)
class RoleMention:
    """One title or role given to a person, with the role's span in the text."""

    person: str
    role: str
    span: tuple[int, int]


def person_key(name: str) -> str:
    """A key that matches the forms of one name: last token, particle and possessive dropped.

    "Ahmed al-Shami", "al-Shami" and "Al-Shami’s" all give "shami".
    """
    toks = name.replace("’s", "").replace("'s", "").split()
    return _norm_name(toks[-1]) if toks else ""


def is_office(word: str) -> bool:
    """A word that names an office or a job ("officer", "chief", "sheriff"), not a rank or kin."""
    return _singular(word.strip(".,").lower()) in _OFFICE


def _role_noun(tok: str) -> str | None:
    t = _singular(tok.strip(".,").lower())
    if t in _OFFICE or t in RANKS or t in KIN:
        return t
    return None


def _names(text: str):
    """(name, start, end, premod_title) for capitalised name sequences, titles peeled off."""
    for m in _NAME.finditer(text):
        toks = list(re.finditer(r"\S+", m.group(0)))
        k = 0
        while k < len(toks) - 1 and toks[k].group(0).lower() in _TITLE_WORDS:
            k += 1
        start = m.start() + toks[k].start()
        name = text[start : m.end()]
        name = re.sub(r"[’']s$", "", name)
        if not name or name in _CAP_STOP or _norm_name(name) in _NON_PERSON:
            continue
        if (
            toks[k].group(0) in _CAP_STOP
            or text[start + len(name) : start + len(name) + 1] == "."
            and re.fullmatch(r"(?:Maj|Gen|Col|Lt|Dr|Mr|Mrs|Ms|Sgt|Capt|Brig|Adm|Gov|Sen|Rep|Prof|Pres)", name)
        ):
            continue
        sentence_initial = not text[:start].strip() or re.search(r"[.!?]\s*$", text[:start])
        if sentence_initial and " " not in name and "-" not in name:
            continue
        yield name, start, start + len(name), (m.start(), start) if k else None


def _premod_run(text: str, end: int) -> int:
    """Start of the run of modifier words right before ``end`` ("Former Syrian intelligence
    chief", "head of military intelligence"), stopping at punctuation, determiners,
    prepositions and possessives; "of" is crossed only after a role noun."""
    base = max(0, end - 100)
    words = list(re.finditer(r"[\w’'.-]+", text[base:end]))
    run_start = end
    k = len(words) - 1
    while k >= 0:
        w = words[k]
        between = text[base + w.end() : run_start]
        tok = w.group(0)
        if between.strip() or re.search(r"[’']s$", tok) or (tok.endswith(".") and len(tok) > 4):
            break
        if tok.lower() in _PREMOD_STOP:
            if (
                tok.lower() == "of"
                and k > 0
                and _role_noun(words[k - 1].group(0)) in _OFFICE
                and not text[base + words[k - 1].end() : base + w.start()].strip()
            ):
                run_start = base + w.start()
                k -= 1
                continue
            break
        run_start = base + w.start()
        k -= 1
    return run_start


@_per_text
def _role_mentions(text: str) -> list[RoleMention]:
    out: list[RoleMention] = []
    for name, start, end, peeled in _names(text):
        # 1. titles before the name: "Maj. Gen. Kamal Hassan", "Researcher Annsar Shahhoud",
        #    "Former Syrian intelligence chief Kamal Hassan", "his billionaire cousin Rami Makhlouf"
        title_start = peeled[0] if peeled else start
        abbr = _TITLE_ABBR.search(text[:title_start])
        if abbr:
            title_start = abbr.start()
        title = text[title_start:start].strip()
        run_start = _premod_run(text, title_start)
        pre = text[run_start:title_start].strip()
        pre_toks = pre.split()
        if (
            not pre_toks
            or pre_toks[-1].lower() == "of"
            or not (any(_role_noun(t) for t in pre_toks) or all(t.lower() in _ROLE_MODIFIERS for t in pre_toks))
        ):
            pre, run_start = "", title_start
        role = " ".join(x for x in (pre, title) if x)
        # a title is not followed by another name: in "Attorney Lena Voss asked Reyes" the
        # title is Voss's, not Reyes's ("Chief executive Dana Holt" keeps its title)
        words = role.split()
        last_role = max((i for i, t in enumerate(words) if _role_noun(t)), default=-1)
        if last_role >= 0 and not any(t[0].isupper() for t in words[last_role + 1 :]):
            role_span = (run_start, start - (len(text[:start]) - len(text[:start].rstrip())))
            # "Governor Ahmed al-Shami of Tartous"
            post = re.match(r"\s+of\s+(?:the\s+)?([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)", text[end:])
            last = role.split()[-1]
            if post and _role_noun(last) in _OFFICE:
                role = f"{role} of {post.group(1)}"
                role_span = (run_start, end + post.end())
            out.append(RoleMention(name, role, role_span))
        # 2. appositive after: "Ahmed al-Shami, governor of the coastal region of Tartus,"
        am = re.match(
            rf"\s*([,—–(])\s*(?:(?:{_DETERMINER})\s+)?(?P<r>[^,;—–()]{{3,100}}?)(?=\s*[,;—–)]|\.\s|\.$|$)", text[end:]
        )
        if am:
            role = am.group("r").strip()
            rtoks = role.split()
            if (
                rtoks
                and not rtoks[0][0].isupper()
                and any(_role_noun(t) for t in rtoks[:4])
                and not re.match(r"(?:who|which|whose|and|or|said|told)\b", role)
            ):
                s = end + am.start("r")
                out.append(RoleMention(name, role, (s, s + len(role))))
        # 3. appositive before: "the governor of the coastal Tartous region, Ahmed al-Shami,"
        bm = re.search(rf"(?:^|[,;:—–(]\s*)(?:{_DETERMINER})\s+(?P<r>[^,;:—–()]{{3,100}}),\s*$", text[:start])
        if bm:
            role = bm.group("r").strip()
            rtoks = role.split()
            if rtoks and any(_role_noun(t) for t in rtoks[:3]) and text[end : end + 1] in (",", " ", ""):
                out.append(RoleMention(name, role, (bm.start("r"), bm.start("r") + len(role))))
    return out


@_per_text
def extract_roles(text: str) -> dict[str, list[str]]:
    """Titles and roles per person named in ``text``.

    Recognises "Name, role," and "Name—role—", "the role, Name,", "Title Name (of Place)"
    and lowercase pre-modifiers ending in a role noun ("billionaire cousin Rami Makhlouf").
    Mentions of one person ("Ahmed al-Shami", "al-Shami") are merged under the longest name.
    """
    by_key: dict[str, tuple[str, list[str]]] = {}
    for rm in _role_mentions(text):
        key = person_key(rm.person)
        name, roles = by_key.get(key, (rm.person, []))
        if len(rm.person) > len(name):
            name = rm.person
        if rm.role not in roles:
            roles.append(rm.role)
        by_key[key] = (name, roles)
    return {name: roles for name, roles in by_key.values()}


@dataclass(frozen=True, slots=True)
class _RoleSig:
    category: str  # office / rank / kin
    head: str
    obj: str | None
    places: frozenset[str]
    tokens: frozenset[str]


def _role_sig(role: str) -> _RoleSig | None:
    raw = re.findall(r"[\w’'.-]+", role)
    low = [t.lower().rstrip(".") for t in raw]
    idx = next((i for i, t in enumerate(low) if _role_noun(t)), None)
    if idx is None:
        return None
    noun = _role_noun(low[idx]) or ""
    if noun == "deputy" and idx + 1 < len(low) and _role_noun(low[idx + 1]):
        nxt = _role_noun(low[idx + 1]) or ""
        noun = "deputy " + ROLE_SYNONYMS.get(nxt, nxt)
        idx += 1
    category = "office" if noun.split()[-1] in _OFFICE else "rank" if noun in RANKS else "kin"
    if category == "rank" and any(_role_noun(t) in _OFFICE for t in low[idx + 1 :]):
        return _role_sig(" ".join(raw[idx + 1 :]))
    head = ROLE_SYNONYMS.get(noun, noun)
    obj = None
    if idx + 1 < len(low) and low[idx + 1] in ("of", "for", "at"):
        span = []
        for t, r in zip(low[idx + 2 :], raw[idx + 2 :]):
            if t in ("in", "of", "for", "at", "who", "which", "on", "from", "with"):
                break
            if t not in _ROLE_MODIFIERS and not r[0].isupper():
                span.append(t)
        obj = span[-1] if span else None
    else:
        prev = [t for t, r in zip(low[:idx], raw[:idx]) if t not in _ROLE_MODIFIERS and not r[0].isupper()]
        obj = prev[-1] if prev else None
    if obj:
        obj = ROLE_SYNONYMS.get(_singular(obj), _singular(obj))
    if head == "head" and obj in _REGION_WORDS:
        head = "governor"
    places = frozenset(
        _norm_name(_DEMONYMS.get(r, r))
        for r in raw
        if r[0].isupper()
        and r.lower().rstrip(".") not in _TITLE_WORDS | RANKS
        and r.lower() not in _ROLE_MODIFIERS
        and "’s" not in r
        and "'s" not in r
    )
    tokens = frozenset(_singular(t) for t in low if t not in _STOP and t not in _ROLE_MODIFIERS)
    return _RoleSig(category, head, obj, places, tokens)


def _fuzzy_subset(a: Iterable[str], b: Iterable[str]) -> bool:
    bl = list(b)
    return all(any(x == y or similar_spelling(x, y) for y in bl) for x in a)


#: words that make a role an office once held ("former head of ...", "retired judge")
PAST_OFFICE_WORDS = frozenset("former retired ex onetime one-time erstwhile".split())
_PAST_WORDS = re.compile(r"\b(?:" + "|".join(PAST_OFFICE_WORDS) + r")\b", re.I)


def _past(role: str) -> bool:
    """The role is an office once held ("former head of ...", "retired judge")."""
    return bool(_PAST_WORDS.search(role))


def roles_conflict(r1: str, r2: str) -> bool:
    """True when two roles of the same person cannot both be meant.

    Compatible: one role's words contained in the other's ("head of military intelligence" /
    "former head of military intelligence"), the same head noun with the place spelt
    differently ("governor of Tartus" / "governor of the coastal Tartous region"), synonyms
    ("intelligence chief" / "head of military intelligence"), a rank next to an office
    ("Major General" / "head of military intelligence") and family or descriptive roles
    ("billionaire cousin"), which never conflict. Conflict: different office head nouns
    ("governor" / "head of a special unit"), or the same head noun for a different body or
    for places that are not spelling variants.
    """
    s1, s2 = _role_sig(r1), _role_sig(r2)
    if s1 is not None and s2 is not None and s1.category == s2.category == "rank":
        return _ranks_differ(r1, r2, s1.tokens, s2.tokens)
    if s1 is None or s2 is None or s1.category != "office" or s2.category != "office":
        return False
    if _past(r1) != _past(r2):
        return False  # "retired judge" / "inquiry chair": an office once held and one held now
    if member_of_same_body(s1.head, s2.tokens) or member_of_same_body(s2.head, s1.tokens):
        return False  # "councillor" / "council deputy leader"
    c1, c2 = canonical_office(s1.tokens), canonical_office(s2.tokens)
    if c1 and c2 and _subordinate(r1) == _subordinate(r2):
        return c1 != c2  # "CFO" / "finance chief" are one office; "CFO" / "COO" two
    if _subordinate(r1) != _subordinate(r2) and (
        _fuzzy_subset(s1.tokens - SUBORDINATE_TITLES, s2.tokens)
        or _fuzzy_subset(s2.tokens - SUBORDINATE_TITLES, s1.tokens)
    ):
        return True  # "deputy warden" / "warden", "vice president" / "president"
    if _fuzzy_subset(s1.tokens, s2.tokens) or _fuzzy_subset(s2.tokens, s1.tokens):
        return False
    if s1.head != s2.head:
        # a bare "leader"/"chief" says too little to contradict a specific office
        return not ((s1.head in _GENERIC_HEADS and not s1.obj) or (s2.head in _GENERIC_HEADS and not s2.obj))
    if s1.obj and s2.obj and s1.obj != s2.obj and not ({s1.obj, s2.obj} <= _REGION_WORDS):
        return True
    if s1.places and s2.places and not any(similar_spelling(x, y) for x in s1.places for y in s2.places):
        return True
    return False


#: abbreviated ranks ("Capt. Imogen Tate")
_RANK_WORDS = {"maj": "major", "gen": "general", "col": "colonel", "lt": "lieutenant", "brig": "brigadier",
               "capt": "captain", "sgt": "sergeant", "adm": "admiral"}  # fmt: skip


def _ranks_differ(r1: str, r2: str, t1: frozenset[str], t2: frozenset[str]) -> bool:
    """One person holds one rank at a time: "Major Imogen Tate" / "Captain Imogen Tate" differ;
    a rank told in part ("General" for "Major General") or once held does not."""
    if _past(r1) != _past(r2):
        return False
    w1 = {_RANK_WORDS.get(t, t) for t in t1} & RANKS
    w2 = {_RANK_WORDS.get(t, t) for t in t2} & RANKS
    return bool(w1) and bool(w2) and not (w1 <= w2 or w2 <= w1)


def _subordinate(role: str) -> frozenset[str]:
    """The words of ``role`` that mark a lower office ("Vice-President" counts as "vice")."""
    return frozenset(t for t in re.split(r"[\s-]+", role.lower()) if t in SUBORDINATE_TITLES)


def _offices_of(mentions: list[RoleMention], key: str) -> list[RoleMention]:
    """The offices one statement gives a person; a membership ("Councillor Priya Venkataraman,
    the council's cabinet member for housing") only when it gives no other office, as it holds
    with any office of its body."""
    sigs = [(m, s) for m in mentions if person_key(m.person) == key and (s := _role_sig(m.role)) is not None]
    offices = [m for m, s in sigs if s.category == "office"]
    other = [m for m, s in sigs if s.category == "office" and s.head not in MEMBERSHIP_TITLES]
    return other or offices


def _ranks_of(mentions: list[RoleMention], key: str) -> list[RoleMention]:
    return [m for m in mentions if person_key(m.person) == key and (s := _role_sig(m.role)) and s.category == "rank"]


def _role_conflict(a_text: str, b_text: str) -> Conflict | None:
    ma, mb = _role_mentions(a_text), _role_mentions(b_text)
    keys = {person_key(m.person) for m in ma} & {person_key(m.person) for m in mb}
    for key in sorted(keys):
        ra = _offices_of(ma, key)
        rb = _offices_of(mb, key)
        if not (ra and rb):  # no office of the person in one of them: compare ranks ("Major" / "Captain")
            ra, rb = _ranks_of(ma, key), _ranks_of(mb, key)
        pairs = [(x, y) for x in ra for y in rb]
        if pairs and all(roles_conflict(x.role, y.role) for x, y in pairs):
            x, y = pairs[0]
            name = max((m.person for m in ra + rb), key=len)
            return Conflict("role/title", f"roles differ for {name}: '{x.role}' vs '{y.role}'", (x.span,), (y.span,))
    return None
