"""Event dates: which dates of a statement can conflict, and pairing by them (decision 0015)."""

import pytest

from checker.findings import compare_frames, date_keys, event_dates, extract_dates, type_finding


def _dates(text: str) -> set[tuple[str, str]]:
    return {(d.kind, d.value) for d in event_dates(text)}


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("The blast happened at about 4:20 a.m. near the depot.", 260),
        ("The ferry left at 6 pm with 80 passengers aboard.", 18 * 60),
        ("The alarm sounded at 2:50 in the morning.", 170),
        ("Shooting started at 9:15 in the evening, witnesses said.", 21 * 60 + 15),
        ("The polls closed at midnight.", 0),
        ("The talks resumed at noon.", 12 * 60),
        # British style, a part of the day after a weekday, and the 24-hour clock
        ("Builders found the shell at 10.20am and immediately called police.", 10 * 60 + 20),
        ("The first collision was reported at 7:52 on Tuesday morning.", 7 * 60 + 52),
        ("Salvesen unveiled the changes at 09:30 local time.", 9 * 60 + 30),
        ("The result was announced at 03:10 after a count that ran through the night.", 3 * 60 + 10),
        ("The crew was stood down at 21:15.", 21 * 60 + 15),
        ("The train left at 4:20 p.m., the operator said.", 16 * 60 + 20),
    ],
)
def test_clock_times_are_minutes_after_midnight(text, minutes):
    times = [d for d in extract_dates(text) if d.kind == "time"]
    assert [d.value for d in times] == [str(minutes)]
    assert not times[0].text.startswith("at")  # the time, not the preposition before it


@pytest.mark.parametrize(
    "text",
    [
        "The 10 amendments passed, and 3 pmol was measured.",
        "She won the marathon in 2:05:30.",  # a race time
        "The score was 3:1 at half time, and 2:1 later.",  # scores, no "at" before them
        "Inflation was 21.30 per cent.",
    ],
)
def test_no_clock_time_in_words_that_merely_start_alike(text):
    assert not [d for d in extract_dates(text) if d.kind == "time"]


@pytest.mark.parametrize(
    "text",
    [
        "The agency said on Tuesday that the dam was safe.",  # a reporting date
        "The minister told reporters on Monday that talks would go on.",
        "Crews had the blaze 40 percent contained by Friday evening.",  # a state's date
        "The bridge will stay closed until Thursday.",
        "The mill has been idle since Monday.",
        "Voters back longer Sunday opening hours",  # a modifier, no date
        "The plant is due to close by the end of June 2027.",  # a deadline
        "Nine climbers remained trapped on Tuesday morning.",  # a continuing state
        "The mill stayed shut on Friday.",
    ],
)
def test_dates_that_do_not_date_an_event(text):
    assert extract_dates(text) and not event_dates(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The dam gave way on the night of April 3, the agency said on Tuesday.",
            {("day", "april-3"), ("month", "april")},
        ),
        ("The board met on Sunday, the company said in a statement on Monday.", {("weekday", "sunday")}),
        ("Since the walkout began on Friday, no ship has docked.", {("weekday", "friday")}),
    ],
)
def test_event_dates_keep_the_event_and_drop_the_report(text, expected):
    assert _dates(text) == expected


def test_different_days_of_the_same_event_conflict_and_reporting_days_do_not():
    a = "The dam gave way on the night of April 3, the agency said."
    b = "The reservoir wall collapsed on April 13, according to the regional authority."
    assert compare_frames(a, b).date_conflict
    c = "The agency said on Tuesday that the dam had been inspected in May."
    d = "Engineers told the inquiry on Friday that the dam had been inspected in May."
    assert not compare_frames(c, d).date_conflict


def test_clock_times_conflict_beyond_the_tolerance_only():
    a = "The train left the rails at about 2:50 in the morning, dispatch records show."
    b = "The derailment happened at around 4:20 a.m., the sheriff said."
    c = "The derailment happened shortly after 3 a.m., the sheriff said."
    f = type_finding(a, b, "contradiction")
    assert f.type == "date/time" and "2:50 in the morning" in f.evidence and "4:20 a.m." in f.evidence
    assert compare_frames(a, b).date_conflict
    assert not compare_frames(a, c).date_conflict


def test_date_keys_pair_statements_that_date_an_event():
    offers, seeks = date_keys("The dam gave way on the night of April 3.")
    assert offers == seeks == {"date:day", "date:month"}
    assert date_keys("The agency said on Tuesday that the dam was safe.") == (frozenset(), frozenset())
    assert date_keys("The dam was built in 1962.") == (frozenset(), frozenset())  # a year alone pairs everything


def test_statements_dating_an_event_are_paired_however_worded():
    """Two outlets dating one collapse in unrelated sentences: the embedding puts them far
    apart, the date key pairs them; a statement with only a reporting date is left out."""
    import numpy as np

    from checker.pair import pair_by_keys
    from checker.types import Statement

    texts = [
        ("a", "The inquiry said on Tuesday that the dam's collapse in April 2024 was avoidable."),
        ("a", "The agency said on Monday that repairs would cost $4 million."),
        ("b", "The reservoir wall gave way on the night of 7 March 2024, flooding two villages."),
        ("b", "Engineers told the inquiry on Friday that the dam had been neglected."),
    ]
    statements = [Statement(f"s{i}", doc, t, 0, len(t)) for i, (doc, t) in enumerate(texts)]
    vectors = np.eye(4, dtype=np.float32)  # unrelated by embedding: similarity 0
    pairs = pair_by_keys(statements, vectors, [date_keys(s.text) for s in statements], floor=-1.0)
    assert [(p.a.id, p.b.id) for p in pairs] == [("s0", "s2")]


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        # one event, one verb
        ("The agreement was signed on Monday, the club said.", "The two sides signed the paperwork last Friday.", True),
        ("The ferry left Port Velden at 6:15 p.m.", "The ferry left Port Velden at 7:40 p.m. for the crossing.", True),
        # one subject of a verb that only says something happened
        ("The fire started on Saturday evening in brush.", "The fire began shortly after 2 p.m. on Sunday.", True),
        # two events of one story
        (
            "The rescue at the mine ended on Wednesday evening.",
            "Seventeen miners were trapped underground on Monday.",
            False,
        ),
        ("The resignation takes effect on June 19.", "A special election is to be held in November.", False),
        # two phases of one thing's course; one phase under two verbs
        ("Trading stopped at 10:14 a.m. local time.", "Share trading resumed at 2:30 p.m.", False),
        ("The exchange suspended trading at 11:05 a.m.", "Trading stopped at 10:14 a.m. local time.", True),
        # one named person doing two things on two days
        (
            "Agriculture Minister Tomas Ferrante set out the aid package on Thursday.",
            "Agriculture Minister Tomas Ferrante visited waterlogged farms outside Oskley on Monday.",
            False,
        ),
        # a meeting held and the next one planned; two plans, or a plan and a present, are one event
        (
            "Negotiators met again in the capital on Thursday morning.",
            "The mediator said the two sides would meet again on Friday morning.",
            False,
        ),
        (
            "The search will resume on Thursday morning.",
            "The search was due to resume at first light on Wednesday.",
            True,
        ),
        ("The resignation takes effect on June 19.", "The resignation will take effect on June 26.", True),
    ],
)
def test_a_date_conflict_is_between_dates_of_one_event(a, b, same):
    rules = compare_frames(a, b)
    assert rules.date_conflict
    assert rules.date_same_event is same
