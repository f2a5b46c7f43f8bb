"""Findings: typed, deterministic checks that explain, raise or lower an NLI verdict.

Why built so: the NLI model says *that* two statements disagree, not *what* differs, and it
both misses what newsrooms care about (a person given another title, 12,000 read as
21,000 fighters) and raises false alarms ("over 50,000" vs "more than 50,000", the same
claim credited to another source). Cheap, inspectable rules over the two texts name the
kind of difference (number, date/time, role/title, location/scope, attribution,
negation/polarity, entity), point at the character spans that differ, and may move the
verdict. Every rule is a pure function of the texts, so each decision can be re-run and
explained in the report's ``evidence`` string.

Precedence (see :func:`type_finding`; checks run in this order, the first that fires wins):

1. Conflict checks: ``number`` (incompatible quantities counting the same noun for the
   same subject), ``role/title`` (the same person given offices with different head
   nouns), ``negation/polarity``, ``date/time``, ``entity`` (another name in the same
   slot). Number and role conflicts always RAISE a non-contradiction verdict to
   ``contradiction``; negation, date and entity conflicts raise only when the two
   statements are otherwise near-identical (token similarity >= ``NEAR_IDENTICAL``), and
   otherwise just type the pair.
2. Typing checks: ``attribution`` (the same claim credited to different sources, or to a
   source on one side and to nobody on the other), then ``location/scope`` (place sets
   that differ or where one is a refinement/superset of the other). They never raise.
3. Benign explanations, only for an NLI ``contradiction`` that no conflict check
   confirmed: only the attribution differs; every comparable quantity pair is compatible;
   the quantities are about different subjects or nouns; or only ids/times differ. These
   LOWER the verdict (to what the NLI entailment scores support without contradiction,
   see :func:`apply_findings`).

Which pairs are looked at (:func:`apply_findings`): ``contradiction``, ``a_adds`` and
``b_adds`` pairs get every check; ``neutral`` and ``agree`` pairs only the raising conflict
checks (a finding is reported for them only when it raises the verdict).

What each kind of check reads and the tolerances it uses are in its module:
:mod:`~checker.findings.numbers` (with :mod:`~checker.findings.atoms`),
:mod:`~checker.findings.dates`, :mod:`~checker.findings.roles`,
:mod:`~checker.findings.attribution`, :mod:`~checker.findings.places`,
:mod:`~checker.findings.polarity` and :mod:`~checker.findings.entities`; every check returns
a :class:`Conflict` (:mod:`~checker.findings.text`), and :mod:`~checker.findings.core` turns
them into a :class:`Finding` and applies it.
"""

from __future__ import annotations

from checker.findings.atoms import UNIT_WORDS
from checker.findings.attribution import (
    CLAIM_OVERLAP,
    Attribution,
    extract_attributions,
    shared_quotation,
    source_key,
)
from checker.findings.core import (
    DEFAULT_ENTAILMENT_THRESHOLD,
    NEAR_IDENTICAL,
    Adjust,
    Finding,
    FrameComparison,
    apply_finding,
    apply_findings,
    compare_frames,
    finding_to_dict,
    type_finding,
)
from checker.findings.dates import DateExpr, DateKind, date_keys, event_dates, extract_dates, latest_event_day
from checker.findings.numbers import (
    ABOUT_TOLERANCE,
    EXACT_TOLERANCE,
    NUMBER_CONTEXT_OVERLAP,
    Bound,
    Quantity,
    QuantityKind,
    extract_quantities,
    match_quantities,
    quantities_comparable,
    quantities_compatible,
)
from checker.findings.places import country_name, extract_places
from checker.findings.polarity import (
    ANTONYM_GROUPS,
    CHANGE_VERBS,
    OPPOSITE_NOUNS,
    STANCE_WORDS,
    negation_restated,
    opposite_words,
    other_phases,
    same_predicate,
)
from checker.findings.role_words import canonical_office
from checker.findings.roles import (
    KIN,
    PAST_OFFICE_WORDS,
    RANKS,
    ROLE_SYNONYMS,
    SUBORDINATE_TITLES,
    RoleMention,
    extract_roles,
    is_office,
    person_key,
    roles_conflict,
)
from checker.findings.text import (
    FINDING_TYPES,
    MONTHS,
    PLACE_EDIT_DISTANCE,
    WEEKDAYS,
    Conflict,
    FindingType,
    edit_distance,
    similar_spelling,
)

# the names checker.frames imported before they were public
_KIN = KIN
_RANKS = RANKS
_ROLE_SYNONYMS = ROLE_SYNONYMS

__all__ = [
    "shared_quotation",
    "country_name",
    "ABOUT_TOLERANCE",
    "ANTONYM_GROUPS",
    "CHANGE_VERBS",
    "same_predicate",
    "OPPOSITE_NOUNS",
    "PAST_OFFICE_WORDS",
    "STANCE_WORDS",
    "SUBORDINATE_TITLES",
    "canonical_office",
    "negation_restated",
    "opposite_words",
    "other_phases",
    "CLAIM_OVERLAP",
    "DEFAULT_ENTAILMENT_THRESHOLD",
    "EXACT_TOLERANCE",
    "FINDING_TYPES",
    "KIN",
    "MONTHS",
    "NEAR_IDENTICAL",
    "NUMBER_CONTEXT_OVERLAP",
    "PLACE_EDIT_DISTANCE",
    "RANKS",
    "ROLE_SYNONYMS",
    "UNIT_WORDS",
    "WEEKDAYS",
    "Adjust",
    "Attribution",
    "Bound",
    "Conflict",
    "DateExpr",
    "DateKind",
    "Finding",
    "FindingType",
    "FrameComparison",
    "Quantity",
    "QuantityKind",
    "RoleMention",
    "apply_finding",
    "apply_findings",
    "compare_frames",
    "edit_distance",
    "extract_attributions",
    "date_keys",
    "is_office",
    "event_dates",
    "extract_dates",
    "latest_event_day",
    "extract_places",
    "extract_quantities",
    "extract_roles",
    "finding_to_dict",
    "match_quantities",
    "person_key",
    "quantities_comparable",
    "quantities_compatible",
    "roles_conflict",
    "similar_spelling",
    "source_key",
    "type_finding",
]
