"""Claims split by the dependency parse, and frame differences per kind of fact (real spaCy pipeline)."""

from __future__ import annotations

import pytest

from checker.claims import clause_splits, split_statements
from checker.frames import compare, frame, tallies
from checker.types import Statement


def _claims(text: str) -> list[str]:
    return [c for c, _, _ in clause_splits(text)]


def test_compound_claim_is_split_and_attribution_carried():
    text = (
        "Hassan claims control of 12,000 fighters and has spent $1.5 million since March, according to his relatives."
    )
    assert _claims(text) == [
        "Hassan claims control of 12,000 fighters, according to his relatives.",
        "Hassan has spent $1.5 million since March, according to his relatives.",
    ]


def test_reporting_frame_is_carried_to_each_claim():
    assert _claims("Police said the suspect fled on foot and was arrested two hours later near the river.") == [
        "Police said the suspect fled on foot.",
        "Police said the suspect was arrested two hours later near the river.",
    ]


def test_contrast_clause_is_split():
    claims = _claims(
        "Faction documents show that Hassan claims to control 12,000 fighters, while Makhlouf claims at least 54,000."
    )
    assert len(claims) == 2
    assert "12,000" in claims[0] and "54,000" in claims[1]
    assert all(c.startswith("Faction documents show") for c in claims)


@pytest.mark.parametrize(
    "text",
    [
        "Kestrel Falls' $412 million budget cleared the City Council by eight votes to three on Tuesday evening.",
        '"We will rebuild every home and every school," the mayor said on Tuesday after the council meeting.',
        "Rescue teams came from Halden.",
    ],
)
def test_simple_quoted_or_short_sentences_stay_whole(text):
    assert clause_splits(text) == [(text, 0, len(text))]


def test_a_verb_the_parser_attaches_without_a_conjunction_is_not_a_second_claim():
    # spaCy makes "collapsed" a conjunct of "trapped"; split, it gave "Nine workers collapsed ..."
    text = "Nine workers were stuck underground on Friday after part of the roof collapsed at the Dunmore tin mine."
    assert clause_splits(text) == [(text, 0, len(text))]


def test_split_statements_keeps_offsets_and_sentence():
    text = "The council approved the budget on Tuesday and the mayor signed it on Wednesday."
    st = Statement(id="s1", doc="d1", text=text, start=100, end=100 + len(text))
    claims = split_statements([st])
    assert [c.text for c in claims] == [
        "The council approved the budget on Tuesday.",
        "The mayor signed it on Wednesday.",
    ]
    assert all(c.sentence == text for c in claims)
    assert text[claims[1].start - 100 : claims[1].end - 100] == "the mayor signed it on Wednesday"
    assert len({c.id for c in claims}) == 2


def test_headlines_are_never_split():
    text = "Council approves budget and mayor signs it hours later in Kestrel Falls"
    st = Statement(id="h", doc="d", text=text, start=0, end=len(text), is_headline=True)
    assert split_statements([st]) == [st]


@pytest.mark.parametrize(
    ("a", "b", "slot"),
    [
        (
            "Nine people were killed when the bridge collapsed into the River Aune.",
            "Seven people died when the bridge fell into the River Aune.",
            "number",
        ),
        (
            "Kestrel Falls budget clears council 8-3 after swim program fight.",
            "Kestrel Falls council members voted seven to four to pass the budget.",
            "number",
        ),
        (
            "The plant belongs to Halden Agrochem, which produces cleaning agents.",
            "The plant, owned by Corvane Chemicals, makes cleaning agents.",
            "org",
        ),
        (
            "That telescope sits at the Llano Alto Observatory in western Argentina.",
            "The images were recorded by a telescope at Chile's Llano Alto Observatory.",
            "place",
        ),
        (
            "Council President Helen Oduya will take over as interim mayor.",
            "Deputy Mayor Helen Oduya will serve as acting mayor.",
            "title",
        ),
        (
            "Water rates will not change next year under the plan.",
            "The plan changes water rates next year.",
            "negation",
        ),
        (
            "The striker Jonas Mbeki scored the winning goal in the 78th minute.",
            "The striker Luca Ferrante scored the winning goal in the 78th minute.",
            "person",
        ),
    ],
)
def test_frame_difference_per_kind(a, b, slot):
    diff = compare(a, b)
    assert getattr(diff, slot) > 0, diff
    others = {"number", "org", "place", "title", "negation", "person"} - {slot}
    assert all(getattr(diff, o) == 0 for o in others), diff


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("More than 50,000 people fled the city.", "Some 54,000 people fled the city."),
        ("The mayor said 40 homes collapsed.", "Forty homes collapsed, according to the mayor."),
        (
            "Dana Whitcombe, the county's fire chief, said crews were working.",
            "Fire Chief Dana Whitcombe said crews were working.",
        ),
        ("The plant is in Ridgeford.", "The plant is in Ridgeford, in the north of the province."),
    ],
)
def test_compatible_statements_show_no_difference(a, b):
    diff = compare(a, b)
    assert (diff.number, diff.title, diff.place, diff.person, diff.org) == (0, 0, 0, 0, 0), diff


@pytest.mark.parametrize(
    ("a", "b", "differ"),
    [
        (
            "Finance chief Lena Maris has been named interim chief executive.",
            "Chief financial officer Lena Maris will run the company on an interim basis.",
            False,
        ),
        ("Orland board fires chief executive Adrian Koval", "Orland board ousts CEO Koval", False),
        (
            "Chief financial officer Lena Maris will run the company.",
            "Lena Maris, the company's chief operating officer, takes over.",
            True,
        ),
        # a newsroom abbreviation of the office
        ("Troops were ordered in by Gov. Helen Marsh.", "Governor Helen Marsh sent 200 troops.", False),
        # an office once held and another held now are two facts
        (
            "Halcyon founder Ama Okafor-Lind said the deal was signed.",
            "The group was founded by former banker Ama Okafor-Lind.",
            False,
        ),
        # one profession under two names; a description that names no office
        ("His attorney, Ravi Anand, asked for more time.", "Odell's lawyer, Ravi Anand, declined to comment.", False),
        ("Mira, the older of the pair, is six.", "The cats are Bodhi and Mira, a six-year-old female.", False),
        # one person may hold two offices: the one both name is no difference
        (
            "In an email to customers, chief executive Tomas Rehn blamed a run of withdrawal requests.",
            "Quarry Lane is owned by the exchange's founder and chief executive, Tomas Rehn.",
            False,
        ),
        # "an official" / "a senior officer" is true of whoever holds an office of that body
        (
            "Coastguard official Fiona Marr said the master had kept in radio contact with rescuers.",
            "Fiona Marr, the chief coastguard for the region, said the ship had been in serious danger.",
            False,
        ),
        (
            "Senior officer Martin Greaves said changes would be phased in.",
            "Chief Constable Martin Greaves welcomed the report.",
            False,
        ),
        # ... but an officer whose modifiers name the office is that office
        (
            "Miriam Oduya, Tallowmere Power's chief operating officer, said crews were at work.",
            "Miriam Oduya, chief executive of Tallowmere Power, apologised to customers.",
            True,
        ),
        # a "boss" is whoever leads the body, never its deputy; a chair and a chief executive differ
        (
            "Brightway boss Priya Nandakumar told staff in a memo that the chain would set out a standalone plan.",
            "Brightway chief executive Priya Nandakumar said the company would set out its plans.",
            False,
        ),
        (
            "Brightway boss Priya Nandakumar told staff the chain would go it alone.",
            "Brightway deputy chief executive Priya Nandakumar told staff the chain would go it alone.",
            True,
        ),
        (
            "Brightway chairman Priya Nandakumar told staff the chain would go it alone.",
            "Brightway chief executive Priya Nandakumar told staff the chain would go it alone.",
            True,
        ),
        # "who heads" the body is its boss: any office that leads it, never its deputy
        (
            "The search is being directed by Ilse Varga, deputy chief of the Tarrow Mountain Rescue Service.",
            '"The wind up there is the real enemy right now," said Ilse Varga, who heads the Tarrow Mountain Rescue Service.',
            True,
        ),
        (
            "Marta Olsen, chief executive of the roads authority, said the organisation accepts every recommendation.",
            "Marta Olsen, who heads the Halvern Roads Authority, apologised on air to the victims' families.",
            False,
        ),
        # a person the tagger reads as an organisation, with an office in apposition
        (
            "Odile Farrant, Merrowgate's fire and rescue chief, said her teams had practised this scenario.",
            "Odile Farrant, chief executive of Merrowgate International Airport, said teams had been on standby.",
            True,
        ),
        # a councillor holds whatever office of the council the other outlet names
        (
            "“Nobody will be sent back into that building until it is safe,” said councillor Priya Venkataraman.",
            "Council deputy leader Priya Venkataraman told the Post that the order had followed advice.",
            False,
        ),
    ],
)
def test_one_office_under_two_names_is_no_title_difference(a, b, differ):
    assert compare(a, b).title == float(differ)


def test_titles_and_tallies():
    assert frame("Battalion Chief Dana Whitcombe said the fire was contained.").titles == (
        ("whitcombe", "head", frozenset({"battalion"})),
    )  # chief ~ head: the rules' role synonyms
    assert frame("Ahmed al-Shami, governor of the coastal region of Tartus, told Reuters.").titles == (
        ("shami", "governor", frozenset()),
    )
    assert frame("Major General Kamal Hassan is spending millions.").titles == ()  # a rank is not an office
    assert frame("Exiles including Maj. Gen. Kamal Hassan are plotting.").titles == ()  # nor its abbreviation
    assert tallies("won 2-1 after extra time") == {(2, 1)}
    assert tallies("by eight votes to three") == {(8, 3)}
    assert tallies("between 4 and 6 kilometres") == set()


@pytest.mark.parametrize(
    ("a", "b", "opposed"),
    [
        ("The city will keep the night bus running.", "The city will stop the night bus.", True),
        ("Library hours were cut.", "The council raised library hours.", True),
        ("The minister admitted misleading parliament.", "The minister denied any wrongdoing.", True),
        # a negated predicate says the same as its opposite
        ("The board did not approve the merger.", "The board rejected the merger.", False),
        # both sides say both things
        ("Prices rose in the north while rents fell.", "Rents fell and prices rose.", False),
        # opposite verbs about different things: fees raised, hours cut
        ("The council raised parking fees.", "The council cut library hours.", False),
        # a stop and a restart, each dated, are a sequence; undated, they are opposites
        ("Trading stopped at 10:14 a.m.", "Share trading resumed at 2:30 p.m.", False),
        ("The plant will close.", "The plant will reopen.", True),
        # one thing of two named owners is two things; of one owner, or one left unnamed, one thing
        ("Calloway's shares rose 2 per cent.", "Brightway shares fell 14 percent in early trading.", False),
        ("Brightway's shares rose 2 per cent.", "Brightway shares fell 14 percent in early trading.", True),
        ("Shares rose 2 per cent.", "Brightway shares fell 14 percent in early trading.", True),
        # things of other kinds are two things: state schools and independent schools
        (
            "State schools across Lowmoor were closed on Monday as teachers walked out.",
            "Independent and church schools opened as usual.",
            False,
        ),
        ("The state schools will close.", "The schools will reopen.", True),
        # a clause "no suggestion" governs is denied, not asserted
        ("There is no suggestion that the school will close.", "The school will stay open.", False),
    ],
)
def test_opposite_predicates_about_the_same_thing(a, b, opposed):
    assert (compare(a, b).antonym > 0) is opposed
    assert (compare(b, a).antonym > 0) is opposed


@pytest.mark.parametrize(
    ("a", "b", "negated"),
    [
        (
            "Security cameras inside the gallery did not record the break-in.",
            "Security cameras recorded the break-in.",
            True,
        ),
        # one predicate in other words ("stop" / "halt")
        (
            "The company has not stopped production at the plant.",
            "The company has halted production at the plant.",
            True,
        ),
        # the verb "never had to" negates
        ("Staff moved all 34 patients to other hospitals.", "The hospital never had to move a single patient.", True),
        ("None of the styrene reached Harlan Creek.", "Styrene reached Harlan Creek, officials said.", True),
        ("The exchange said it had ruled out a cyberattack.", "The exchange has not ruled out a cyberattack.", True),
        # a negated reporting verb says nothing about the facts
        ("Koval did not respond to a request for comment.", "Koval said he would respond to the board.", False),
        # the same verb about other things: prices are not raised, the outlook is
        ("Brightwell will not raise prices on staples.", "Brightwell raised its annual outlook.", False),
        # both negate
        ("The crew was not injured.", "The two crew members were not injured.", False),
        # "not ... until" dates the event, it does not deny it
        (
            "No ambulance was called until he was found unresponsive.",
            "An ambulance was only called once staff found him unresponsive.",
            False,
        ),
        ("The bridge did not reopen until Friday.", "The bridge reopened on Friday.", False),
        # "no plans to", "no evidence that": the clause they govern is denied
        ("Calloway had no plans to appeal the ruling.", "Calloway will appeal the ruling.", True),
        ("There was no evidence that data had been published.", "The stolen data was published on a leak site.", True),
    ],
)
def test_a_negated_predicate_the_other_asserts(a, b, negated):
    assert (compare(a, b).negation > 0) is negated
    assert (compare(b, a).negation > 0) is negated


def test_places_differ_for_one_subject():
    assert compare(
        "The fire is burning in the hills of Harlow County.", "The fire is confined to canyons of Mercer County."
    ).subject_place
    # another subject: where the crews come from is not where the fire is
    assert not compare(
        "The fire is burning in the hills of Harlow County.", "Crews from Mercer County joined the effort."
    ).subject_place


@pytest.mark.parametrize(
    "a, b, other_things, one_measure",
    [
        # one measure, two values: a conflict the rules keep
        ("Online sales grew 18 percent.", "Online sales rose 12% in the quarter.", False, True),
        ("Net profit rose 12 percent to $40 million.", "Profit was up 15% on the year.", False, True),
        ("Turnout was 64 percent.", "Turnout reached 58%, officials said.", False, True),
        # two measures: the rules' conflict (the same company named in both) is dropped
        (
            "Comparable-store sales, a key measure for retailers, grew 3.1 percent.",
            "Online sales grew 18 percent.",
            True,
            False,
        ),
        ("Sales at Brightwell grew 4 percent.", "Brightwell reported a 12% profit gain.", True, False),
        # the shares of two named companies
        (
            "Shares in MSE Holdings dropped 5.2 per cent.",
            "Shares of Corrigan Telecom lost about 7 percent.",
            True,
            False,
        ),
        ("Calloway's shares rose 2 per cent.", "Brightway shares fell 14 percent in early trading.", True, False),
        # what a verb moved to a level measures: its subject, or its object
        ("Unemployment climbed to 6.8% in March.", "The rate had stood at 5.25 percent since October.", True, False),
        ("The bank cut its main interest rate to 4.75 percent.", "Calderra cuts main rate to 4.5%", False, True),
        # how a figure is taken ("annual") is no other measure
        ("Annual inflation eased to 2.9% in April.", "Consumer price inflation slowed to 2.4% in April.", False, True),
        # a count that differs is never excused by percentages of other things
        (
            "Online sales grew 18 percent as 300 stores opened.",
            "Store sales grew 3 percent as 250 stores opened.",
            False,
            False,
        ),
    ],
)
def test_figures_of_other_things(a, b, other_things, one_measure):
    from checker.figures import comparable_figures, figures_of_other_things

    assert figures_of_other_things(a, b) is other_things
    assert any(x.kind == "percent" for x, _ in comparable_figures(a, b)) is one_measure


@pytest.mark.parametrize(
    "a, b, other_things",
    [
        # what befell the people counted differs: two facts, no number conflict
        ("Three climbers died on the north face.", "Eight climbers were trapped by the avalanche.", True),
        ("Divers brought four workers to the surface alive.", "Nine workers remain trapped in the tunnel.", True),
        ("Twenty people remain unaccounted for, police said.", "The blast killed six people.", True),
        ("All thirty workers were brought out of the mill.", "Five workers were injured.", True),
        # one outcome, two values: the conflict stays
        ("Six people drowned when the boat sank.", "The sinking killed nine people.", False),
        ("Eight climbers were trapped by the avalanche.", "Five climbers were trapped on the ridge.", False),
        # a predicate that names no outcome says nothing either way
        ("Forty workers were underground at the time.", "Nine workers remain trapped in the tunnel.", False),
    ],
)
def test_counts_of_different_outcomes_are_other_things(a, b, other_things):
    from checker.figures import comparable_figures, figures_of_other_things

    assert figures_of_other_things(a, b) is other_things
    assert (not comparable_figures(a, b)) is other_things


@pytest.mark.parametrize(
    "a, b, other_things",
    [
        # figures for two periods named the same way: two facts
        (
            "This year the Halveth Sea fleet was permitted to land 28,300 tonnes of cod.",
            "Fleets will be allowed to catch 18,400 tonnes of cod in the Halveth Sea next year.",
            True,
        ),
        ("The club lost £14m in 2024.", "The club lost £19m in 2025.", True),
        # one period, two values: the conflict stays
        ("Next year's cod quota is 15,600 tonnes.", "Fleets may catch 18,400 tonnes of cod next year.", False),
        # "last year" may be 2025: a relative and a calendar period are not compared
        ("Northvale recorded a loss of £14m last year.", "Northvale lost £19m in 2025.", False),
        # an order of magnitude apart: a total and a part, not one figure told twice
        ("Westmere Constabulary has more than 1,800 officers.", "Eighty-five officers would return to the beat.", True),
        ("The fund raised $412 million.", "The fund raised $9 million.", True),
        # within it, the figures conflict
        ("Hassan claims to control 12,000 fighters.", "Hassan controls 21,000 fighters.", False),
        # figures told of two named people are two facts; of one person, one
        (
            "Daniel Hughes was jailed for six years.",
            "Mark Ellis was jailed for nine years and Daniel Hughes for six.",
            True,
        ),
        ("Daniel Hughes was jailed for six years.", "Daniel Hughes was jailed for nine years.", False),
        # what is added and what there is: two facts, for the rules' figures too
        ("The depot has nine buses at present.", "The plan adds 4 buses to the depot.", True),
        ("The plan adds 6 buses to the depot.", "The plan adds 4 buses to the depot.", False),
    ],
)
def test_figures_of_other_periods_or_orders_apart_are_other_things(a, b, other_things):
    from checker.figures import figures_of_other_things

    assert figures_of_other_things(a, b) is other_things


@pytest.mark.parametrize(
    "a, b, differ",
    [
        # the ages of two people are no conflict; one person's two ages are
        (
            "Among those detained was a 24-year-old woman, arrested at her home.",
            "The crew's alleged ringleader, a 31-year-old man, was detained at his home.",
            False,
        ),
        ("The driver, a 54-year-old man, was unhurt.", "The driver, a 45-year-old man, was unhurt.", True),
        # an increment is not a total; two increments compare
        ("Kestrel Lane has five sound stages at present.", "The expansion plan adds 6 sound stages to the lot.", False),
        ("It funds 32 new officers.", "The force has 400 officers.", False),
        ("It funds 32 new police officers.", "It funds two dozen additional police officers.", True),
        # "more than 40" bounds a figure, it adds nothing
        ("More than 40 miners were underground.", "Seventeen miners were underground.", True),
        # what "will be added" is an increment too
        ("Twelve new buses are being added to the fleet.", "Twenty buses will be added to the fleet.", True),
    ],
)
def test_what_a_figure_counts(a, b, differ):
    from checker.figures import numbers_differ

    assert numbers_differ(a, b) is differ


def test_statements_titling_one_person_are_paired_however_worded():
    """Two outlets giving one executive two offices in otherwise unrelated sentences: the
    embedding puts them apart, the title key pairs them; the title differs in the frames."""
    import numpy as np

    from checker.frames import title_keys
    from checker.pair import pair_by_keys
    from checker.types import Statement

    texts = [
        ("a", "Miriam Oduya, chief executive of Tallowmere Power, apologised to customers on Tuesday."),
        ("a", "The utility said power had been restored to most homes."),
        ("b", "Miriam Oduya, Tallowmere Power's chief operating officer, said the company would pay compensation."),
        ("b", "His billionaire cousin Rami Makhlouf funds the group."),  # kin is no office
    ]
    statements = [Statement(f"s{i}", doc, t, 0, len(t)) for i, (doc, t) in enumerate(texts)]
    vectors = np.eye(4, dtype=np.float32)
    pairs = pair_by_keys(statements, vectors, [title_keys(s.text) for s in statements], floor=-1.0)
    assert [(p.a.id, p.b.id) for p in pairs] == [("s0", "s2")]
    assert compare(texts[0][1], texts[2][1]).title == 1.0


@pytest.mark.parametrize(
    ("a", "b", "negated"),
    [
        ("No rain fell on the pass overnight.", "Heavy rain had been falling on the pass for hours.", True),
        (
            "No landslide alert had been issued for the village.",
            "The district had issued a landslide alert on Sunday.",
            True,
        ),
        # another predicate: no conflict of the negation slot
        ("No distress call was received from the ferry.", "The captain radioed a distress call.", False),
    ],
)
def test_a_subjects_no_negates_its_predicate(a, b, negated):
    assert (compare(a, b).negation > 0) is negated


def test_only_titles_of_people_are_compared():
    """The parser hangs "a farming village" on a place it takes for a person; a partner of a
    law firm is a lawyer, not another office; a registrar is an office the rules do not list."""
    village = "Flooding hit Maulikot, a farming village in the hills, on Tuesday."
    assert compare(village, "Maulikot, the district's main market town, was cut off.").title == 0.0
    assert compare("Tomas Reyes, a partner at the firm, spoke.", "Her lawyer, Tomas Reyes, confirmed it.").title == 0.0
    assert (
        compare(
            "Rowan Pell, the university's registrar, said so.", "Rowan Pell, its chief information officer, said so."
        ).title
        == 1.0
    )


def test_the_government_a_president_leads_is_no_title_of_his():
    a = "The new Syrian government, led by President Ahmed al-Sharaa, is dismantling cells."
    b = "The community cannot challenge the government of interim President Ahmed al-Sharaa."
    assert compare(a, b).title == 0.0


def test_counts_of_what_befell_others_when_a_clause_has_its_own_subject():
    """What befell the nine is "drowned"; "those who remain missing" are what the divers look
    for, in a clause with its own subject."""
    from checker.figures import figures_of_other_things

    a = "Sixteen people remain unaccounted for, the coast guard said."
    b = (
        "Nine people drowned when the ferry overturned in rough seas on Saturday, and divers "
        "were still searching on Sunday for those who remain missing."
    )
    assert figures_of_other_things(a, b)
    assert not figures_of_other_things(a, "Nine people remain unaccounted for.")


def test_a_batch_parse_is_the_parse_of_each_text():
    from checker.nlp import english_pipeline, parse, parse_many

    texts = [
        "Seventeen miners were trapped after part of the roof collapsed at the Sable Creek mine.",
        "The plant, owned by Corvane Chemicals, makes cleaning agents and fertiliser additives.",
    ]
    parse_many(texts)
    for text in texts:
        alone = english_pipeline()(text)
        batch = parse(text)
        assert parse(text) is batch  # parsed once
        assert [(t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in batch] == [
            (t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in alone
        ]


@pytest.mark.parametrize(
    ("a", "b", "negated"),
    [
        # "nothing" negates the predicate of everything: any thing ruled out contradicts it
        (
            "Asked whether rates could fall again at the next meeting, Reinholt said nothing had been ruled out.",
            "Reinholt went out of his way to rule out a follow-up cut at the committee's next meeting.",
            True,
        ),
        ("Nobody was hurt, the fire service said.", "Three firefighters were hurt fighting the blaze.", True),
        # "none of the X" names what it negates: other things are no conflict
        ("None of the staff were injured.", "Two visitors were injured in the crush.", False),
    ],
)
def test_nothing_and_nobody_negate_a_predicate_of_everything(a, b, negated):
    assert compare(a, b).negation == float(negated)


@pytest.mark.parametrize(
    ("a", "b", "negated"),
    [
        # "nobody" through a verb that lends its negation ("is known to have fallen ill")
        (
            "Customers had fallen ill after eating at Bellaria, the council said.",
            "Nobody is known to have fallen ill after eating at the restaurant.",
            True,
        ),
        # a relative clause's pronoun stands for the noun it follows ("a woman who had been trapped")
        (
            "Firefighters freed a woman who had been trapped under debris on the first floor.",
            "Nobody was trapped beneath the rubble, according to the fire service.",
            True,
        ),
        # a light verb's object names the action ("will not hold a strike ballot" / "will ballot")
        (
            "The nurses' federation will ballot its members on strike action, its leaders said.",
            "The nurses' federation will not hold a strike ballot over this year's award.",
            True,
        ),
        # synonyms: a negation of one denies the other
        (
            "The Digital Assets Authority revoked Coravex's operating licence on Monday.",
            "The Digital Assets Authority has not withdrawn the exchange's licence.",
            True,
        ),
        # a subject's "no" negates each predicate it shares ("leaked or published")
        (
            "No customer data was leaked or published, the company said.",
            "Customer data was published on a leak site days later.",
            True,
        ),
        # ... but not a verb with a subject of its own, nor an unrelated predicate
        (
            "No customer data was leaked, and the firm published a statement.",
            "The firm published its results on Tuesday.",
            False,
        ),
        ("The board did not hold a vote on Monday.", "The board held a meeting on Monday.", False),
        # two negations of one thing agree ("have yet to detain anyone" / "nobody has been arrested")
        ("Police have yet to detain anyone in connection with the theft.", "Nobody has been arrested so far.", False),
        (
            "Nobody was hurt on the ground, the spaceport said.",
            "No one was injured, according to the spaceport.",
            False,
        ),
        (
            "Police have yet to detain anyone over the theft.",
            "Police detained two men on Tuesday over the theft.",
            True,
        ),
        # the adjective of a negated copula; "stopped short of" a verb
        ("The bridge was not safe, engineers said.", "The bridge was safe to use, the council said.", True),
        (
            "The service stopped short of declaring a critical incident, saying it could still provide cover.",
            "Ambulance service declares critical incident as response times slip",
            True,
        ),
        # denied in the past perfect over a span before the event reported: a history
        (
            "Union officials said Lowmoor's teachers had not walked out in eleven years.",
            "State schools across Lowmoor were closed on Monday as teachers walked out in protest over pay.",
            False,
        ),
    ],
)
def test_negation_reaches_raised_coordinated_relative_and_light_verbs(a, b, negated):
    assert compare(a, b).negation == float(negated)


@pytest.mark.parametrize(
    "a, b, differ",
    [
        # a named speaker and the same office unnamed credit one source
        (
            "Arena spokeswoman Jo Wilkes said staff would stay on site to help fans.",
            "An arena spokesperson said staff would remain on site to help fans.",
            False,
        ),
        # two named speakers of one office are two sources
        (
            "Police spokesman Tom Hale said the road was closed.",
            "Fire spokesman Ian Roe said the road was closed.",
            True,
        ),
        # one speaker, who chairs the body / its chairman: a boss names no other source
        (
            "Gregor Pashley, who chairs the employers' federation, said the industry could not pay more.",
            "Gregor Pashley, chairman of the employers' federation, said the offer was the most it could pay.",
            False,
        ),
    ],
)
def test_a_speaker_is_also_the_office_given(a, b, differ):
    assert (compare(a, b).source > 0) is differ


@pytest.mark.parametrize(
    "a, b, differ",
    [
        # one country under two of its names is one place, for the frames, the rules and the relations
        (
            "The novels must be published in the UK or Ireland.",
            "Novels published in Britain or Ireland may enter.",
            False,
        ),
        ("The firm is based in the US.", "The firm is based in America.", False),
        ("The firm is based in the US.", "The firm is based in Canada.", True),
    ],
)
def test_a_country_named_two_ways_is_one_place(a, b, differ):
    from checker.findings import compare_frames

    assert (compare(a, b).place > 0) is differ
    assert compare_frames(a, b).location_difference is False or differ
