"""Typed findings: number normaliser, roles, attributions, places and verdict adjustments.

The pair sentences are the real ones from the demo corpus (corpus/00N_*.txt).
"""

from __future__ import annotations

import dataclasses

import pytest

from checker.findings import (
    ABOUT_TOLERANCE,
    Finding,
    apply_findings,
    canonical_office,
    extract_attributions,
    extract_dates,
    extract_places,
    extract_quantities,
    extract_roles,
    finding_to_dict,
    quantities_compatible,
    roles_conflict,
    similar_spelling,
    source_key,
    type_finding,
)
from checker.types import CandidatePair, LabeledPair, NliScores, Statement

# --- real corpus sentences ------------------------------------------------------------
SHAMI_001 = (
    "Ahmed al-Shami, governor of the coastal region of Tartus, told Reuters that Syrian authorities "
    "were aware of the plots and ready to combat them."
)
SHAMI_002 = (
    "The governor of the coastal Tartous region, Ahmed al-Shami, said Syrian authorities are aware of "
    "the outlines of the plans and ready to combat them."
)
SHAMI_003 = (
    "Governor Ahmed al-Shami of Tartous, a key coastal region, has acknowledged awareness of these plots "
    "and the existence of the underground command-room network but downplays their current capabilities."
)
SHAMI_004 = (
    "Ahmed al-Shami, head of a government special unit in the Tartus region, stated that authorities "
    "are aware of the planned uprising and are prepared to counter it."
)
MILITIA_002 = (
    "The regime’s head of military intelligence Maj. Gen. Kamal Hassan and billionaire Rami Makhlouf "
    "are competing to raise militias in coastal Syria and Lebanon."
)
COAST_000 = (
    "Former Syrian intelligence chief Kamal Hassan and Bashar al-Assad's billionaire cousin, Rami "
    "Makhlouf, both in exile in Moscow, are spending millions of dollars to create rival combat forces "
    "with the aim of inciting an uprising along the Syrian coast."
)
RELATIVES_001 = (
    "Hassan, who ran the regime’s infamous military detention system, calls and sends voice messages "
    "tirelessly to commanders from his Moscow villa, according to his relatives interviewed by Reuters."
)
SHAHHOUD_004 = (
    "Researcher Annsar Shahhoud, who has studied the mechanisms of Assad’s dictatorship, claims that "
    "Kamal Hassan—the former head of Bashar al-Assad’s military intelligence—relentlessly calls "
    "commanders and advisers, sending them voice messages."
)
SOURCES_002 = "Sources said Hassan is incessantly calling and sending voice messages to commanders and advisors."
OVER_001 = "Along with other factions, they fund over 50,000 fighters in hopes of gaining their loyalty."
MORE_002 = "The two men and others jostling for power are financing more than 50,000 fighters."
OVER_000 = (
    "In total, these groups are funding over 50,000 potential fighters, hoping to win their loyalty and "
    "regain lost influence."
)
MORE_004 = (
    "Overall, Hassan, Makhlouf, and other groups vying for influence are financing more than 50,000 "
    "potential fighters in an effort to secure their loyalty."
)
CLAIMS_000 = (
    "Faction documents show that Hassan claims to control 12,000 fighters, while Makhlouf claims at least 54,000."
)
CLAIMS_002 = "Hassan claims control of 12,000 fighters, while Makhlouf claims control of at least 54,000."
CLAIMS_001 = (
    "Hassan claims control of 12,000 fighters and has spent $1.5 million since March, while Makhlouf "
    "claims at least 54,000 fighters and has spent at least $6 million on salaries, according to "
    "internal documents and financial records reviewed by Reuters."
)
CLAIMS_21K = CLAIMS_002.replace("12,000", "21,000")


# --- number normaliser ------------------------------------------------------------------


def one(text: str):
    qs = extract_quantities(text)
    assert len(qs) == 1, [q.text for q in qs]
    return qs[0]


@pytest.mark.parametrize(
    "name,text,low,high,bound,kind,unit,noun",
    [
        ("thousands separator", "they fund 54,000 fighters", 54000, 54000, "exact", "count", None, "fighters"),
        ("at least", "Makhlouf claims at least 54,000 fighters", 54000, 54000, "at_least", "count", None, "fighters"),
        ("over", "they fund over 50,000 fighters", 50000, 50000, "more_than", "count", None, "fighters"),
        (
            "more than",
            "financing more than 50,000 potential fighters",
            50000,
            50000,
            "more_than",
            "count",
            None,
            "fighters",
        ),
        ("fewer than", "fewer than 40 people came", 40, 40, "less_than", "count", None, "people"),
        ("up to", "up to 300 troops", 300, 300, "at_most", "count", None, "troops"),
        ("about", "around 1,500 people were killed", 1500, 1500, "about", "count", None, "people"),
        ("an estimated", "an estimated 50,000 potential fighters", 50000, 50000, "about", "count", None, "fighters"),
        ("decimal scale currency", "has spent $1.5 million since March", 1.5e6, 1.5e6, "exact", "money", "USD", None),
        ("at least money", "has spent at least $6 million on salaries", 6e6, 6e6, "at_least", "money", "USD", None),
        ("euro short scale", "a budget of €3bn", 3e9, 3e9, "exact", "money", "EUR", None),
        ("currency word", "paid 500 dollars a month", 500, 500, "exact", "money", "USD", None),
        ("between range", "paid a pittance – between $20 and $30 a month", 20, 30, "range", "money", "USD", None),
        ("percent range", "Alawites (who make up 10–12% of the population)", 10, 12, "range", "percent", "%", None),
        ("percent word", "nearly 40 percent of voters", 40, 40, "about", "percent", "%", None),
        ("number word", "Two men once closest to Al-Assad", 2, 2, "exact", "count", None, "men"),
        (
            "tens of thousands",
            "investing money in tens of thousands of would-be fighters",
            1e4,
            99e3,
            "range",
            "count",
            None,
            "fighters",
        ),
        (
            "noun after adjective",
            "a network of 14 underground command rooms built",
            14,
            14,
            "exact",
            "count",
            None,
            "command rooms",
        ),
        ("duration adjective", "during the ruinous 14-year civil war", 14, 14, "exact", "duration", "year", None),
        ("duration", "routed in just 11 days during November", 11, 11, "exact", "duration", "day", None),
        (
            "compound number words",
            "some six hundred and twenty million kilometres away",
            620e6,
            620e6,
            "about",
            "count",
            None,
            "kilometres",
        ),
        ("a hundred and five", "a hundred and five homes were lost", 105, 105, "exact", "count", None, "homes"),
        ("seconds", "seventy-seven seconds inside the record", 77, 77, "exact", "duration", "second", None),
        ("minutes and seconds", "took 1 minute 17 seconds off the record", 77, 77, "exact", "duration", "second", None),
        ("aged", "Abel Nyamweya, aged 27, won", 27, 27, "exact", "age", "year", None),
        ("hyphen compound", "The 32-bed ward cares for surgical patients", 32, 32, "exact", "count", None, "bed"),
    ],
)
def test_quantity_normaliser(name, text, low, high, bound, kind, unit, noun):
    q = one(text)
    assert (q.low, q.high, q.bound, q.kind, q.unit) == (low, high, bound, kind, unit), name
    if noun is not None:
        assert q.noun == noun, name
    assert text[q.span[0] : q.span[1]] == q.text


def test_vague_amounts_are_ranges_and_marked():
    q = one("tens or even hundreds of thousands of Sunni fighters")
    assert (q.low, q.high, q.vague) == (1e4, 999e3, True)
    m = one("spending millions of dollars to create forces")
    assert m.kind == "money" and m.unit == "USD" and m.vague


@pytest.mark.parametrize(
    "text",
    [
        "in 2024 the offensive began",
        "It happened in March 2025.",
        "Caliber.az © 2025.",
        "On November 25, protests erupted",
        "08 December 2025 17:49",
        "US temporarily eases sanctions 10.11.25, 22:50 [views_13184]",
        "the 3rd brigade and the 21st century",
        "call +1 555 123 4567 or 555-123-4567",
        "during their November–December 2024 offensive",
    ],
)
def test_years_dates_ordinals_ids_are_not_quantities(text):
    assert extract_quantities(text) == []


def test_year_sized_count_is_a_quantity():
    q = one("they recruited 2000 fighters")
    assert q.value == 2000 and q.noun == "fighters"


def test_subject_of_each_clause():
    hassan, makhlouf = extract_quantities(CLAIMS_000)
    assert hassan.subject == "name:hassan" and makhlouf.subject == "name:makhlouf"
    assert one(OVER_001).subject == "plural" and one(MORE_004).subject == "plural"


@pytest.mark.parametrize(
    "name,a,b,expected",
    [
        ("over vs exact above", "over 50,000 fighters", "54,000 fighters", True),
        ("over vs more than", "over 50,000 fighters", "more than 50,000 fighters", True),
        ("same exact", "12,000 fighters", "12,000 fighters", True),
        ("different exact", "12,000 fighters", "21,000 fighters", False),
        ("about within tolerance", "about 50,000 fighters", "54,000 fighters", True),
        ("about outside tolerance", "about 50,000 fighters", "56,000 fighters", False),
        ("more than vs a lower exact", "more than 50,000 fighters", "49,000 fighters", False),
        ("more than vs its bound, within exact tolerance", "more than 50,000 fighters", "50,000 fighters", True),
        ("more than vs less than the same bound", "more than 50 people", "fewer than 50 people", False),
        ("at least includes the bound", "at least 50,000 fighters", "50,000 fighters", True),
        ("fewer than vs above", "fewer than 40 people", "45 people", False),
        ("vague range", "tens of thousands of fighters", "over 50,000 fighters", True),
        ("noun missing on one side", "at least 54,000", "at least 54,000 fighters", True),
        ("different nouns", "12,000 fighters", "12,000 troops", None),
        ("different units", "$20 a month", "20% of the population", None),
        ("different currencies", "$20", "€20", None),
    ],
)
def test_quantities_compatible(name, a, b, expected):
    assert quantities_compatible(one(a), one(b)) is expected, name


def test_about_tolerance_is_documented_value():
    assert ABOUT_TOLERANCE == pytest.approx(0.10)


# --- roles ---------------------------------------------------------------------------------


def test_extract_roles_appositive_forms():
    assert extract_roles(SHAMI_001) == {"Ahmed al-Shami": ["governor of the coastal region of Tartus"]}
    assert extract_roles(SHAMI_002) == {"Ahmed al-Shami": ["governor of the coastal Tartous region"]}
    assert extract_roles(SHAMI_003) == {"Ahmed al-Shami": ["Governor of Tartous"]}
    assert extract_roles(SHAMI_004) == {"Ahmed al-Shami": ["head of a government special unit in the Tartus region"]}


def test_extract_roles_titles_before_names():
    assert "Maj. Gen." in extract_roles(MILITIA_002)["Kamal Hassan"][0]
    assert extract_roles(COAST_000)["Kamal Hassan"] == ["Former Syrian intelligence chief"]
    assert extract_roles(SHAHHOUD_004) == {
        "Annsar Shahhoud": ["Researcher"],
        "Kamal Hassan": ["former head of Bashar al-Assad’s military intelligence"],
    }
    # a title is the name's right before it, not one that another name stands between
    assert extract_roles("Assistant District Attorney Lena Voss asked Reyes to keep both passports.") == {}
    assert extract_roles("Chief executive Dana Holt resigned on Friday.") == {"Dana Holt": ["Chief executive"]}


@pytest.mark.parametrize(
    "name,r1,r2,expected",
    [
        (
            "governor vs special unit",
            "governor of the coastal region of Tartus",
            "head of a government special unit in the Tartus region",
            True,
        ),
        ("place spelling", "governor of the coastal region of Tartus", "governor of the coastal Tartous region", False),
        ("title form", "Governor of Tartous", "governor of the coastal region of Tartus", False),
        ("former contained", "head of military intelligence", "former head of military intelligence", False),
        ("synonym head/chief", "Former Syrian intelligence chief", "former head of military intelligence", False),
        ("rank vs office", "Major General", "former head of military intelligence", False),
        ("kin never conflicts", "billionaire cousin", "governor of Tartus", False),
        ("other province", "governor of Latakia", "governor of Tartus", True),
        ("bare leader is too vague", "deposed leader", "former President", False),
        ("a deputy is another office", "Deputy Warden", "Warden", True),
        ("vice president", "vice president", "president", True),
        ("assistant chief constable", "assistant chief constable", "chief constable", True),
        ("both deputies", "deputy minister", "deputy minister", False),
        ("acting holds the office", "acting governor", "governor", False),
        ("one office, two names", "finance chief", "chief financial officer", False),
        ("finance officer vs operations officer", "chief financial officer", "chief operating officer", True),
        ("a senior officer holds some office", "Senior officer", "Deputy Chief Constable", False),
        ("a councillor holds the council's offices", "councillor", "Council deputy leader", False),
        ("a councillor is no mayor of another body", "councillor", "Mayor", True),
        ("a senator holds the senate's offices", "Senator", "Senate majority leader", False),
        # one person holds one rank at a time; a rank told in part is the same rank
        ("two ranks", "Major", "Captain", True),
        ("a rank abbreviated", "Capt.", "Captain", False),
        ("a rank told in part", "Major General", "General", False),
        ("a rank once held", "former Captain", "Major", False),
    ],
)
def test_roles_conflict(name, r1, r2, expected):
    assert roles_conflict(r1, r2) is expected, name
    assert roles_conflict(r2, r1) is expected, name


@pytest.mark.parametrize(
    ("words", "office"),
    [
        ("CEO".split(), "ceo"),
        ("chief executive officer".split(), "ceo"),
        ("finance director".split(), "cfo"),
        ("chief operating officer".split(), "coo"),
        ("general secretary".split(), "secretary-general"),
        ("fire chief".split(), None),
    ],
)
def test_canonical_office(words, office):
    assert canonical_office(words) == office


def test_similar_spelling():
    assert similar_spelling("Tartus", "Tartous") and similar_spelling("Shahhoud", "Shahhud")
    assert not similar_spelling("Tartus", "Latakia")


# --- attributions, places, dates ------------------------------------------------------------


def test_extract_attributions():
    [rel] = extract_attributions(RELATIVES_001)
    assert rel.verb == "according to" and source_key(rel.source) == "relative"
    assert RELATIVES_001[rel.claim_span[0] : rel.claim_span[1]].startswith("Hassan, who ran")
    [sh] = extract_attributions(SHAHHOUD_004)
    assert sh.source == "Researcher Annsar Shahhoud" and sh.verb == "claims" and source_key(sh.source) == "shahhoud"
    assert SHAHHOUD_004[sh.claim_span[0] :].startswith("Kamal Hassan")
    [al] = extract_attributions(SHAMI_001)
    assert al.source == "Ahmed al-Shami" and al.verb == "told"
    assert (
        SHAMI_001[al.claim_span[0] : al.claim_span[1]]
        == "Syrian authorities were aware of the plots and ready to combat them"
    )
    trailing = extract_attributions(
        "Maher has provided neither funding nor orders to them, four people close "
        "to the Assad family told Reuters in interviews."
    )
    assert [source_key(a.source) for a in trailing] == ["people"]
    assert extract_attributions("He called it “a continuation of the power struggle.”")[0].verb == "called"


def test_wire_and_pronoun_sources_have_no_key():
    assert source_key("Reuters") is None and source_key("the investigation") is None and source_key("he") is None


def test_extract_places_coast_forms():
    assert set(extract_places(MILITIA_002)) == {"coast:syria", "lebanon"}
    assert "coast:syria" in extract_places(COAST_000)
    assert set(extract_places(SHAMI_001)) == {"tartus"}
    assert set(extract_places(SHAMI_002)) == {"tartous"}


def test_extract_dates():
    kinds = {
        (d.kind, d.value)
        for d in extract_dates("On November 25, protests erupted; in March 2025 and last week on Monday")
    }
    assert {
        ("day", "november-25"),
        ("month", "march"),
        ("year", "2025"),
        ("relative", "last week"),
        ("weekday", "monday"),
    } <= kinds


# --- type_finding on real pairs -----------------------------------------------------------------


@pytest.mark.parametrize("verdict", ["neutral", "agree", "b_adds"])
def test_al_shami_roles_raise_to_contradiction(verdict):
    f = type_finding(SHAMI_001, SHAMI_004, verdict)
    assert f.type == "role/title" and f.adjust == "raise" and f.verdict == "contradiction"
    assert "governor of the coastal region of Tartus" in f.evidence and "special unit" in f.evidence
    assert SHAMI_001[f.a_spans[0][0] : f.a_spans[0][1]] == "governor of the coastal region of Tartus"


def test_al_shami_role_typed_without_adjust_when_already_contradiction():
    f = type_finding(SHAMI_003, SHAMI_004, "contradiction")
    assert f.type == "role/title" and f.adjust is None


def test_al_shami_same_role_other_spelling_is_not_a_finding():
    assert type_finding(SHAMI_002, SHAMI_001, "neutral").type is None


@pytest.mark.parametrize("verdict", ["contradiction", "a_adds"])
def test_militia_location_is_scope(verdict):
    f = type_finding(MILITIA_002, COAST_000, verdict)
    assert f.type == "location/scope" and f.adjust is None
    assert "Lebanon" in f.evidence
    assert any(MILITIA_002[s:e] == "Lebanon" for s, e in f.a_spans)


def test_strict_scope_superset():
    f = type_finding(
        "Militias are being raised in coastal Syria and Lebanon.",
        "Militias are being raised along the Syrian coast.",
        "a_adds",
    )
    assert f.type == "location/scope" and f.evidence == "A adds {Lebanon}"


@pytest.mark.parametrize("a,b", [(RELATIVES_001, SHAHHOUD_004), (SOURCES_002, SHAHHOUD_004)])
def test_shahhoud_vs_relatives_is_attribution(a, b):
    f = type_finding(a, b, "b_adds")
    assert f.type == "attribution" and f.adjust is None
    lowered = type_finding(a, b, "contradiction")
    assert lowered.type == "attribution" and lowered.adjust == "lower" and lowered.verdict == "neutral"


def test_reported_speech_vs_own_voice_is_attribution():
    f = type_finding(
        "Sources said Hassan is calling commanders and advisers every day.",
        "Hassan is calling commanders and advisers every day.",
        "contradiction",
    )
    assert f.type == "attribution" and f.adjust == "lower"


@pytest.mark.parametrize(
    "a,b", [(OVER_001, MORE_002), (OVER_000, MORE_004), (CLAIMS_000, CLAIMS_002), (CLAIMS_001, CLAIMS_002)]
)
def test_agreeing_numbers_lower_a_contradiction(a, b):
    f = type_finding(a, b, "contradiction")
    assert f.type == "number" and f.adjust == "lower" and f.evidence.startswith("numbers agree")
    assert type_finding(a, b, "neutral").adjust is None


def test_12000_vs_21000_fighters_is_a_number_contradiction():
    f = type_finding(CLAIMS_21K, CLAIMS_000, "neutral")
    assert f.type == "number" and f.adjust == "raise" and f.verdict == "contradiction"
    assert "21,000" in f.evidence and "12,000" in f.evidence
    assert [CLAIMS_21K[s:e] for s, e in f.a_spans] == ["21,000"]


def test_numbers_about_different_subjects_lower():
    f = type_finding(
        "Hassan claims control of 12,000 fighters.", "Makhlouf claims at least 54,000 fighters.", "contradiction"
    )
    assert f.type == "number" and f.adjust == "lower" and "different" in f.evidence


def test_loose_number_matches_do_not_raise():
    # "Four people" (the sources) and "48 people" (interviewees) are not the same fact
    a = "Details of the plot are based on interviews with 48 people familiar with the competing plans."
    b = (
        "Maher still maintains influence over thousands of former soldiers, four people close to the Assad "
        "family told Reuters in interviews."
    )
    assert type_finding(a, b, "neutral").adjust is None


def test_negation_date_entity_raise_only_when_near_identical():
    neg = type_finding("The exiles have mobilized forces.", "The exiles have not mobilized any forces.", "agree")
    assert neg.type == "negation/polarity" and neg.adjust == "raise"
    date = type_finding(
        "The uprising in Latakia was crushed in March.", "The uprising in Latakia was crushed in July.", "neutral"
    )
    assert date.type == "date/time" and date.adjust == "raise"
    ent = type_finding(
        "Hassan claims control of 12,000 fighters on the coast.",
        "Makhlouf claims control of 12,000 fighters on the coast.",
        "neutral",
    )
    assert ent.type == "entity" and ent.adjust == "raise"
    far = type_finding(
        "The exiles have not mobilized any forces yet, commanders say.",
        "Russia has withheld support for the exiles.",
        "neutral",
    )
    assert far.type is None


def test_only_ids_differ_lowers():
    f = type_finding(
        "Report 10.11.25, 22:50 on sanctions against Syria.",
        "Report 11.11.25, 09:15 on sanctions against Syria.",
        "contradiction",
    )
    assert f.adjust == "lower"


def test_unrelated_contradiction_is_left_alone():
    f = type_finding(
        "Photos seen by the news agency show rooms filled with assault rifles.",
        "Russia has withheld support and many Alawites distrust the two men.",
        "contradiction",
    )
    assert f == Finding()


def test_bad_verdict_raises():
    with pytest.raises(ValueError, match="verdict must be one of"):
        type_finding("a", "b", "entailment")  # type: ignore[arg-type]


# --- apply_findings --------------------------------------------------------------------------------


def _lp(a_text, b_text, verdict, ab=(0.1, 0.8, 0.1), ba=(0.1, 0.8, 0.1)):
    a = Statement("sa" + str(hash(a_text) % 1000), "d1", a_text, 0, len(a_text))
    b = Statement("sb" + str(hash(b_text) % 1000), "d2", b_text, 0, len(b_text))
    return LabeledPair(CandidatePair(a, b, 0.8), NliScores(*ab), NliScores(*ba), verdict, 0.7)


def test_apply_findings_raise_lower_type_and_keep():
    raised = _lp(SHAMI_001, SHAMI_004, "neutral")
    lowered = _lp(OVER_001, MORE_002, "contradiction", ab=(0.6, 0.1, 0.3), ba=(0.55, 0.1, 0.35))
    typed = _lp(MILITIA_002, COAST_000, "contradiction")
    kept = _lp(SHAMI_002, SHAMI_001, "agree")
    inputs = [raised, lowered, typed, kept]
    snapshot = [dataclasses.astuple(x) for x in inputs]
    out = apply_findings(inputs)
    assert [dataclasses.astuple(x) for x in inputs] == snapshot  # inputs untouched
    (r, rf), (lo, lf), (t, tf), (k, kf) = out
    assert r.verdict == "contradiction" and r.evidence == "rule:role/title" and rf.adjust == "raise"
    # the score stays an NLI probability: the model's own contradiction belief for a raised pair,
    # the probability behind the new verdict for a lowered one
    assert r.score == max(raised.a_to_b.contradiction, raised.b_to_a.contradiction) and r.pair is raised.pair
    assert lo.verdict == "agree" and lo.evidence == "rule:number" and lf.verdict == "agree"
    assert lo.score == pytest.approx(0.55)
    assert t.verdict == "contradiction" and t.evidence == "nli+location/scope"
    assert k is kept and kf.type is None


def test_lowered_without_entailment_becomes_neutral():
    [(lp, f)] = apply_findings([_lp(CLAIMS_000, CLAIMS_002, "contradiction")])
    assert lp.verdict == "neutral" and f.verdict == "neutral"


def test_finding_to_dict_is_json_ready():
    import json

    d = finding_to_dict(type_finding(SHAMI_001, SHAMI_004, "neutral"))
    assert json.loads(json.dumps(d)) == d
    assert d["type"] == "role/title" and d["adjust"] == "raise" and d["new_verdict"] == "contradiction"


def test_vague_or_word_numbers_do_not_explain_away_a_contradiction():
    a = "The two men and others jostling for power are financing more than 50,000 fighters."
    b = "Loyalists are sending millions of dollars to the two men, who deny any plot."
    assert type_finding(a, b, "contradiction").adjust is None


def test_sentence_initial_common_noun_is_not_a_subject():
    [q] = extract_quantities("Details of the plot are based on interviews with 48 people.")
    assert q.subject is None


@pytest.mark.parametrize(
    ("neg", "plain", "restated"),
    [
        ("Water rates will not change next year.", "The plan also keeps water rates flat for next year.", True),
        ("Tax rates will not rise.", "Tax rates will stay the same.", True),
        ("The board did not approve the merger.", "The board rejected the merger.", True),
        ("The bridge did not reopen on Monday.", "The bridge remained closed on Monday.", True),
        ("The bridge did not reopen on Monday.", "The bridge reopened on Monday.", False),
        ("Water rates will not change next year.", "Water rates will rise next year.", False),
    ],
)
def test_a_negation_restated_plainly_is_no_polarity_conflict(neg, plain, restated):
    from checker.findings import negation_restated
    from checker.findings.polarity import _negation_flip
    from checker.frames import compare

    assert negation_restated(neg, plain) is restated
    assert (compare(neg, plain).negation == 0.0) is restated
    if restated:
        assert _negation_flip(neg, plain) is None and _negation_flip(plain, neg) is None


def test_half_a_dozen_is_six():
    assert [(q.low, q.noun) for q in extract_quantities("Half a dozen rescue teams waited at the portal.")] == [
        (6, "rescue teams")
    ]


def test_a_number_in_apposition_to_a_name_is_an_age():
    qs = extract_quantities("Two miners died: Dwayne Hollis, 44, a roof bolter, and Tomas Reyes-Kirk, 29.")
    assert [(q.text, q.kind) for q in qs] == [("Two", "count"), ("44", "age"), ("29", "count")]
    assert [q.kind for q in extract_quantities("In all, 23 cars left the tracks.")] == ["count"]


def test_an_office_once_held_is_no_role_conflict_with_one_held_now():
    from checker.findings.roles import roles_conflict

    assert not roles_conflict("Retired judge", "inquiry chair")
    assert not roles_conflict("former banker", "founder")
    assert roles_conflict("judge", "inquiry chair")


def test_a_chair_and_a_chief_executive_are_two_offices():
    from checker.findings.roles import roles_conflict

    assert roles_conflict("chief executive of the Competition and Markets Council", "chair of the council")
    assert not roles_conflict("head of the council", "chair of the council")  # "head" says too little
    assert not roles_conflict("chairman of the board", "chairwoman of the board")


@pytest.mark.parametrize(
    "text", ["The levee gave way at about 3 a.m. on Monday.", "Polls close at 8pm.", "By 6 P.M. it was over."]
)
def test_a_clock_time_is_no_count(text):
    assert extract_quantities(text) == []


def test_one_person_given_two_ranks_is_a_role_conflict():
    from checker.findings import compare_frames

    a = "Major Aled Brynmor, who led the disposal team, said the device was stable."
    b = "The team, led by Captain Aled Brynmor, arrived shortly before noon."
    assert compare_frames(a, b).role_conflict
    # a rank beside an office is no conflict
    c = "Aled Brynmor, head of the disposal unit, said the device was stable."
    assert not compare_frames(a, c).role_conflict
