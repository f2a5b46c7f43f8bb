"""Words of offices and roles: which nouns are titles, ranks, kin; one office's several names.

Why a module of its own: the vocabulary is shared by the regex role reader
(:mod:`checker.findings.roles`) and the parse-based titles (:mod:`checker.titles`), and is
data a newcomer edits without touching the logic.
"""

from __future__ import annotations

from collections.abc import Iterable

_TITLE_WORDS = frozenset(
    """
former interim acting deputy major general president governor researcher prime minister colonel
lieutenant brigadier captain sheikh imam king prince queen emir mayor senator judge professor
doctor commander chief head leader director secretary ambassador spokesman spokeswoman analyst
billionaire foreign defence defense interior vice assistant warden sheriff superintendent
commissioner constable chancellor inspector ombudsman treasurer auditor coroner councillor sergeant detective corporal
councilor councilmember councilman councilwoman magistrate premier speaker dean principal
""".split()
)
_OFFICE = frozenset(
    """
governor head chief leader director commander minister president mayor spokesman spokeswoman
spokesperson researcher analyst officer official coordinator adviser advisor ambassador envoy
secretary chairman chairwoman chair ceo founder editor professor judge prosecutor senator lawmaker
manager emir king prince queen sheikh imam cleric activist journalist expert boss deputy
warden sheriff superintendent commissioner constable chancellor inspector ombudsman treasurer
auditor coroner councillor councilor councilmember councilman councilwoman magistrate premier
speaker dean principal attorney solicitor legislator
""".split()
)
#: heads that name no particular office ("a senior officer", "a coastguard official"): true of
#: whoever holds an office of the body the other title names (the rules' role reader and the
#: parse's titles read them alike)
ANY_OFFICE = frozenset("official officer".split())
#: titles of membership and the body they are members of: a councillor holds whatever council
#: office another outlet names ("councillor Priya Venkataraman" / "council deputy leader Priya
#: Venkataraman"), so no office of that body differs from it
MEMBERSHIP_TITLES = {
    "councillor": "council",
    "councilor": "council",
    "councilmember": "council",
    "councilman": "council",
    "councilwoman": "council",
    "alderman": "council",
    "alderwoman": "council",
    "senator": "senate",
    "assemblyman": "assembly",
    "assemblywoman": "assembly",
    "assemblymember": "assembly",
}


def member_of_same_body(head: str, other_words: Iterable[str]) -> bool:
    """A membership title (:data:`MEMBERSHIP_TITLES`) beside a title of the body it is a member of."""
    body = MEMBERSHIP_TITLES.get(head)
    return body is not None and body in {w.lower() for w in other_words}


#: words that make an office a different, lower one: a deputy warden is not the warden
SUBORDINATE_TITLES = frozenset("deputy vice assistant associate under".split())
RANKS = frozenset(
    "major general maj gen colonel col lieutenant lt brigadier brig captain capt "
    "sergeant sgt admiral adm marshal".split()
)
KIN = frozenset(
    """
cousin brother sister son daughter wife husband father mother uncle nephew niece relative friend
billionaire businessman businesswoman tycoon ally loyalist member
""".split()
)
_OFFICE_ABBREVIATIONS = dict(
    gov="governor", sen="senator", rep="representative", pres="president", supt="superintendent",
    insp="inspector", det="detective", atty="attorney", amb="ambassador",
)  # fmt: skip
ROLE_SYNONYMS = {
    "chief": "head",
    "leader": "head",
    "director": "head",
    "boss": "head",
    "chair": "head",
    "chairman": "head",
    "chairwoman": "head",
    "adviser": "advisor",
    "spokeswoman": "spokesperson",
    "spokesman": "spokesperson",
    "spy": "intelligence",
    "attorney": "lawyer",
    "counsel": "lawyer",
    "solicitor": "lawyer",
    "barrister": "lawyer",
    # newsroom abbreviations of offices before a name ("Gov. Helen Marsh"), with or without the period
    **{short + dot: office for short, office in _OFFICE_ABBREVIATIONS.items() for dot in ("", ".")},
}
#: one office, several names: a company's officers are called by their title, its short form or
#: a newsroom paraphrase ("chief financial officer", "CFO", "finance chief"); each variant is a
#: set of words after :data:`ROLE_SYNONYMS` ("chief"/"director" -> "head").
#: the chair of a board or council: one office, apart from the chief executive's ("chair of the
#: council" / "chief executive of the council" are two people's jobs), though "chief" and
#: "chair" alike read as "head" for the looser comparison of :data:`ROLE_SYNONYMS`
CHAIR_WORDS = frozenset("chair chairman chairwoman chairperson".split())
CANONICAL_OFFICES: dict[str, tuple[frozenset[str], ...]] = {
    name: tuple(frozenset(v.split()) for v in variants)
    for name, variants in {
        "ceo": ("ceo", "head executive", "head executive officer", "executive head"),
        "cfo": (
            "cfo",
            "head financial officer",
            "head finance officer",
            "finance head",
            "financial head",
            "finance officer",
        ),
        "coo": ("coo", "head operating officer", "head operate officer", "operations head", "operation head"),
        "cto": ("cto", "head technology officer", "technology head", "technical head"),
        "secretary-general": ("general secretary", "secretary-general", "secretary general"),
    }.items()
}


def canonical_office(words: Iterable[str]) -> str | None:
    """The one office a title's words name ("finance chief" -> "cfo"), or None. The longest
    variant contained in the words wins ("chief executive officer" over "chief executive");
    without one, a chair's title ("chair of the council") names the chair."""
    raw = {w.lower().strip(".,") for w in words}
    have = {ROLE_SYNONYMS.get(w, w) for w in raw}
    best: tuple[int, str | None] = (0, None)
    for name, variants in CANONICAL_OFFICES.items():
        for v in variants:
            if v <= have and len(v) > best[0]:
                best = (len(v), name)
    return best[1] or ("chair" if raw & CHAIR_WORDS else None)
