"""Publication times from each source, evolving facts, the direction rule, `updated` and --as-of."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from checker.findings import extract_quantities
from checker.ingest import ingest_folder
from checker.published import Published, parse_time, publication_times
from checker.updates import evolving_categories, evolving_difference, is_backwards, update_verdict

BODY = (
    "A strong earthquake struck the coastal town of Ridgeford early on Monday, officials said.\n\n"
    "Rescue teams from three provinces were searching the rubble for survivors late into the night."
)


def _times(tmp_path):
    arts = ingest_folder(tmp_path).articles
    times = publication_times(arts)
    return {a.path.rsplit("/", 1)[-1]: times[a.id] for a in arts}


def test_publication_time_from_each_source(tmp_path):
    (tmp_path / "wire.json").write_text(
        json.dumps(
            {"outlet": "Wire", "title": "Quake hits Ridgeford", "date": "2026-03-14T09:10:00+02:00", "text": BODY}
        )
    )
    (tmp_path / "page.html").write_text(
        "<html><head><meta property='article:published_time' content='2026-03-14T21:30:00Z'>"
        "<title>Quake toll rises in Ridgeford</title></head><body><article><h1>Quake toll rises in Ridgeford</h1>"
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
        + "</article></body></html>"
    )
    (tmp_path / "ld.html").write_text(
        '<html><head><script type=\'application/ld+json\'>{"@type": "NewsArticle", "datePublished": '
        '"2026-03-15T06:00:00Z", "headline": "Ridgeford digs out"}</script></head><body><article>'
        + "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
        + "</article></body></html>"
    )
    (tmp_path / "front.md").write_text(
        "---\ntitle: Ridgeford quake\ndate: 2026-03-16 08:15\n---\n\n# Ridgeford quake\n\n" + BODY
    )
    (tmp_path / "dated.txt").write_text("Ridgeford quake\n\nPublished: 17 March 2026 10:00 UTC\n\n" + BODY)
    (tmp_path / "2026-03-18_weekly.txt").write_text("Ridgeford one week on\n\n" + BODY)
    (tmp_path / "undated.txt").write_text("Ridgeford quake recap\n\n" + BODY)
    t = _times(tmp_path)
    assert (t["wire.json"].iso, t["wire.json"].source) == ("2026-03-14T07:10:00Z", "metadata")
    assert t["page.html"].iso.startswith("2026-03-14")
    assert t["ld.html"].iso.startswith("2026-03-15")
    assert (t["front.md"].iso, t["front.md"].source) == ("2026-03-16T08:15:00Z", "front matter")
    assert t["dated.txt"].iso.startswith("2026-03-17")
    assert (t["2026-03-18_weekly.txt"].iso, t["2026-03-18_weekly.txt"].source) == ("2026-03-18", "file name")
    assert (t["undated.txt"].when, t["undated.txt"].source) == (None, "unknown")


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("The death toll from the earthquake rose to 310 on Tuesday evening.", {"dead"}),
        ("Eleven people were hurt, three of them firefighters.", {"injured"}),
        ("Police have recaptured three of the five inmates.", {"arrested"}),
        ("About 4,100 residents have been evacuated from low-lying streets.", {"displaced"}),
        ("The fire has now blackened more than 9,000 acres.", {"damage"}),
        ("Nine workers remain trapped in the flooded tunnel.", {"missing"}),
        ("Divers pulled out seven passengers overnight.", {"rescued"}),
        ("Records of 52,000 customers were stolen in the attack.", {"affected"}),
        ("The number of people forced from their homes has climbed to 2,600.", {"displaced"}),
        ("Some 2,400 people had been moved out of villages around the volcano.", {"displaced"}),
        ("By Wednesday morning 6,300 people had left their homes.", {"displaced"}),
        ("The government has sent 600 soldiers to help with evacuations and to clear ash.", set()),
        ("Some 200 police officers were deployed to assist evacuated residents.", set()),
        ("Nine miners are trapped, and 40 rescuers are helping to reach them.", {"missing"}),
        ("Skyvane Airways cancelled 118 flights over the course of the day.", {"affected"}),
        ("One person has died, a 78-year-old man whose truck was swept off a road.", {"dead"}),
        ("Hospitals have admitted 96 people with smoke inhalation since Sunday.", {"in hospital"}),
        ("About 2,300 barrels of crude spilled into the estuary, the operator said.", {"spilled"}),
        ("Three of the escaped inmates are still at large.", {"missing"}),
        ("Oil escaped from the ruptured line for six hours before 800 barrels were recovered.", {"spilled"}),
        ("The quake had a magnitude of 6.4, the geological survey said.", set()),
        ("Ahmed al-Shami, governor of Tartus, told Reuters the authorities were ready.", set()),
    ],
)
def test_evolving_fact_classifier_on_real_sentences(text, categories):
    assert evolving_categories(text) == categories


def test_status_change_is_an_evolving_difference():
    d = evolving_difference(
        "State Route 38 remains closed between Marlow Springs and Pell Junction.",
        "State Route 38 reopens as the fire reaches 45% containment.",
    )
    assert d is not None and d.kind == "status"
    assert evolving_difference("The quake had a magnitude of 6.4.", "The quake had a magnitude of 6.9.") is None


def test_systems_back_online_is_a_status_change():
    d = evolving_difference(
        "The hospital's booking system was taken offline after the attack.",
        "The booking system was working again by Thursday, the hospital said.",
    )
    assert d is not None and d.kind == "status"


def test_a_service_suspended_then_resumed_is_a_status_change():
    d = evolving_difference(
        "Tram Line 3 has been suspended since Monday because its feeder line lies in the cut zone.",
        "Trams returned to Line 3 on Wednesday morning after being halted since Monday.",
    )
    assert d is not None and d.kind == "status"


def test_a_count_of_people_still_trapped_may_fall():
    fewer = evolving_difference("Twelve miners are trapped underground.", "Four miners were still trapped on Friday.")
    assert fewer is not None and fewer.category == "missing"
    assert not is_backwards(fewer, later_is_a=False, later_text="Four miners were still trapped on Friday.")


def _at(hour: int, day: int = 14) -> Published:
    return Published(datetime(2026, 3, day, hour, tzinfo=UTC), "metadata")


def test_direction_rule():
    rising = evolving_difference("The quake killed 120 people.", "The death toll rose to 310.")
    assert not is_backwards(rising, later_is_a=False, later_text="The death toll rose to 310.")
    falling = evolving_difference("The quake killed 310 people.", "The quake killed 120 people.")
    assert is_backwards(falling, later_is_a=False, later_text="The quake killed 120 people.")
    assert not is_backwards(falling, later_is_a=False, later_text="The toll was revised down to 120 people.")


def test_update_verdicts_follow_time_and_direction():
    early, late = "The quake killed 120 people.", "The death toll rose to 310."
    assert update_verdict(early, late, _at(7), _at(21))[0] == "updated"
    assert "120 -> 310" in update_verdict(early, late, _at(7), _at(21))[1]
    assert update_verdict(early, late, _at(21), _at(7))[0] == "contradiction"  # the later one fell
    assert update_verdict(early, late, _at(7), Published(None, "unknown")) == (
        "contradiction",
        "evolving fact (dead count); publication time unknown",
    )
    assert update_verdict(early, late, _at(7), _at(7))[0] == "contradiction"  # within the window
    assert (
        update_verdict("The quake had a magnitude of 6.4.", "The quake had a magnitude of 6.9.", _at(7), _at(21))
        is None
    )


def test_parse_time_keeps_zones_as_utc():
    when, date_only = parse_time("2026-03-14T09:10:00+02:00")
    assert when == datetime(2026, 3, 14, 7, 10, tzinfo=UTC) and not date_only
    assert parse_time("14 March 2026")[1] is True
    assert parse_time("not a date") is None


def test_as_of_keeps_what_was_published_by_then(tmp_path):
    from checker.pipeline import _published_by

    for name, date in (
        ("a.json", "2026-03-14T07:00:00Z"),
        ("b.json", "2026-03-14T12:00:00Z"),
        ("c.json", "2026-03-15T12:00:00Z"),
        ("d.json", None),
    ):
        (tmp_path / name).write_text(
            json.dumps({"outlet": name, "title": "Quake hits Ridgeford", "date": date, "text": BODY})
        )
    ingested = ingest_folder(tmp_path)
    kept = _published_by(ingested, publication_times(ingested.articles), datetime(2026, 3, 14, 18, tzinfo=UTC))
    assert sorted(a.outlet for a in kept.articles) == ["a.json", "b.json"]
    reasons = dict(kept.skipped)
    assert any("published after --as-of" in r for r in reasons.values())
    assert any("publication time unknown" in r for r in reasons.values())


def test_an_unknown_zone_name_is_read_quietly(recwarn):
    when, _ = parse_time("Published: March 3, 2014 10:00 ET".split(": ", 1)[1])
    assert when == datetime(2014, 3, 3, 10, tzinfo=UTC)
    assert not [w for w in recwarn if "tzname" in str(w.message)]


def test_fact_keys_offer_a_value_and_seek_the_other_outlets():
    from checker.updates import fact_keys

    offers, seeks = fact_keys("Seven people were kept in hospital overnight.")
    assert "count:in hospital" in offers and "count:in hospital" in seeks
    offers, seeks = fact_keys("The order remained in force on Wednesday morning.")
    assert any(k.endswith(":before") for k in offers) and any(k.endswith(":after") for k in seeks)
    lifted, _ = fact_keys("Authorities lifted a shelter-in-place order at 6 p.m.")
    assert seeks & lifted  # the earlier status seeks the later one
    assert fact_keys("The plant makes cleaning agents.") == (frozenset(), frozenset())


def test_evolving_facts_are_paired_across_outlets_however_worded():
    import numpy as np

    from checker.pair import merge_pairs, pair_by_keys, pair_statements
    from checker.types import Statement
    from checker.updates import fact_keys

    texts = [
        ("wire", "The order remained in force on Wednesday morning."),
        ("wire", "Crews worked through the night."),
        ("radio", "Authorities lifted the order at 6 p.m."),
        ("radio", "The order was issued after the blast."),  # the same status as the wire's: not sought
        ("radio", "Schools reopened on Thursday."),  # another status group
    ]
    sts = [Statement(id=f"s{i}", doc=d, text=t, start=0, end=len(t)) for i, (d, t) in enumerate(texts)]
    vecs = np.eye(len(sts), dtype=np.float32) * 0.6 + 0.4 / np.sqrt(len(sts))  # all far apart
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    keys = [fact_keys(s.text) for s in sts]
    pairs = pair_by_keys(sts, vecs, keys, floor=0.0)
    assert [(p.a.id, p.b.id) for p in pairs] == [("s0", "s2")]
    assert pair_by_keys(sts, vecs, keys, floor=0.99) == []
    top = pair_statements(sts, vecs, top_k=1, min_sim=0.9)
    merged = merge_pairs(top, pairs)
    assert ("s0", "s2") in [(p.a.id, p.b.id) for p in merged] and merged[: len(top)] == top
    assert merge_pairs(merged, pairs) == merged  # nothing added twice


def test_evolving_fact_pairs_per_statement_are_bounded_on_an_archive():
    import numpy as np

    from checker.pair import pair_by_keys
    from checker.types import Statement
    from checker.updates import fact_keys

    # one article's count of the dead against forty other articles' counts
    texts = [(f"d{i}", f"At least {i + 2} people were killed in the flooding.") for i in range(41)]
    sts = [Statement(id=f"s{i}", doc=d, text=t, start=0, end=len(t)) for i, (d, t) in enumerate(texts)]
    rng = np.random.default_rng(0)
    vecs = np.ones((len(sts), 8), dtype=np.float32) + rng.normal(0, 0.05, (len(sts), 8)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    keys = [fact_keys(s.text) for s in sts]
    pairs = pair_by_keys(sts, vecs, keys, per_statement=3)
    assert 0 < len(pairs) <= 3 * len(sts)
    assert len(pair_by_keys(sts, vecs, keys, per_statement=40)) == len(sts) * (len(sts) - 1) // 2


def test_a_depth_or_distance_is_a_fixed_fact():
    assert (
        evolving_difference(
            "The trapped crew is about 300 metres below the surface.", "The trapped crew is 450 metres underground."
        )
        is None
    )


def test_a_pair_the_model_reads_as_agreeing_is_updated_when_its_counts_moved_on():
    """Two taken to hospital (09:00) and five admitted to hospital (14:00)
    tell one fact at two moments: the values differ, so the pair is no agreement."""
    from checker.findings.core import Finding
    from checker.types import CandidatePair, LabeledPair, NliScores, Statement
    from checker.verdict import FEATURES, VerdictCalibration, decide_pairs

    early = "Two of the injured were taken to hospital with burns."
    late = "Five of the injured have been admitted to hospital."
    agreeing = NliScores(0.9, 0.05, 0.05)
    pair = CandidatePair(Statement("a", "d1", early, 0, len(early)), Statement("b", "d2", late, 0, len(late)), 0.8)
    lp = LabeledPair(pair, agreeing, agreeing, "agree", 0.9)
    cal = VerdictCalibration(tuple(0.0 for _ in FEATURES), intercept=-3.0, threshold=0.5, entailment_threshold=0.4)
    [(plain, _)] = decide_pairs([(lp, Finding())], cal)
    assert plain.verdict == "agree"
    [(out, _)] = decide_pairs([(lp, Finding())], cal, {"d1": _at(9), "d2": _at(14)})
    assert out.verdict == "updated" and "2 -> 5" in out.evidence


def test_none_is_a_count_and_an_age_is_no_count():
    d = evolving_difference(
        "No deaths had been reported by Sunday night.",
        "Three climbers died on the ridge: Ana Ruiz, 31, and two guides.",
    )
    assert d is not None and d.category == "dead" and (d.a_value, d.b_value) == (0.0, 3)
    assert evolving_categories("Two were taken to the county medical center.") == {"in hospital"}
    assert evolving_categories("About 900 residents were still unable to return home.") == {"displaced"}
    assert evolving_difference("No one was hurt.", "The crew escaped unhurt.") is None


def test_the_toll_of_an_event_long_past_is_settled():
    """An inquiry's report on a collapse in March 2024: two outlets writing hours apart in
    October 2025 differ on a fixed fact, not an evolving one."""
    from checker.updates import settled_event

    early = Published(datetime(2025, 10, 14, 9, tzinfo=UTC), "metadata")
    late = Published(datetime(2025, 10, 14, 13, tzinfo=UTC), "metadata")
    past = "The dam gave way on 7 March 2024, killing 7 people."
    assert settled_event(past, late.when) == "2024-03-07"
    assert settled_event("A storm in September 2025 killed 12.", late.when) is None  # two weeks: still evolving
    assert update_verdict(past, "Nine people were killed when the dam failed.", early, late) is None
    assert update_verdict("The dam failure killed 7 people.", "Nine people were killed.", early, late)[0] == "updated"


def test_one_before_a_noun_of_people_is_a_count():
    d = evolving_difference(
        "One person has died: a 78-year-old man whose pickup truck was swept off a flooded road.",
        "The flood's death toll rose to two on Wednesday when searchers found the body of a woman.",
    )
    assert d is not None and (d.category, d.a_value, d.b_value) == ("dead", 1, 2)
    assert extract_quantities("One of the men said at one point that more were due.") == []


def test_a_service_people_could_not_log_in_to_is_back_when_it_works_normally_again():
    d = evolving_difference(
        "Bramwell Bank said its app and website were working normally again shortly after 6 p.m.",
        "Bramwell Bank customers could not log in to its mobile app or website.",
    )
    assert d is not None and d.kind == "status"


def test_a_part_is_counted_not_the_whole_it_is_out_of():
    """ "five of the nine climbers": the count is five; nine is the whole, the same in both."""
    d = evolving_difference(
        "Five of the nine climbers are being treated in hospital for frostbite.",
        "The regional hospital was treating seven of the nine climbers on Saturday night.",
    )
    assert d is not None and (d.category, d.a_value, d.b_value) == ("in hospital", 5, 7)


def test_the_injured_and_those_in_hospital_are_two_counts():
    """Of 17 injured, 7 kept in hospital: neither is a later value of the other."""
    assert evolving_categories("Five of the injured have been admitted to hospital.") == {"injured", "in hospital"}
    assert evolving_difference("Eleven people were hurt.", "Seven people were kept in hospital overnight.") is None
    d = evolving_difference(
        "Five of the injured have been admitted to Lindenport General Hospital.",
        "A total of seven people were kept in hospital overnight, a hospital spokesman said.",
    )
    assert d is not None and (d.category, d.a_value, d.b_value) == ("in hospital", 5, 7)


def test_none_left_at_large_is_a_count_of_none():
    d = evolving_difference(
        "No inmates remain at large, police said on Tuesday.",
        "Four inmates were still on the run on Monday night.",
    )
    assert d is not None and (d.category, d.a_value, d.b_value) == ("missing", 0.0, 4)
    assert not is_backwards(d, later_is_a=True, later_text="No inmates remain at large.")


def test_a_statement_opening_with_a_pronoun_is_paired_through_the_sentence_before():
    import numpy as np

    from checker.pair import pair_by_keys
    from checker.types import Statement
    from checker.updates import fact_keys

    texts = [
        ("courier", "The order to shelter in place was announced by the fire chief."),
        ("courier", "It was still in effect on Wednesday afternoon."),
        ("radio", "Authorities lifted the shelter-in-place order at 6 p.m."),
    ]
    sts = [Statement(id=f"s{i}", doc=d, text=t, start=0, end=len(t)) for i, (d, t) in enumerate(texts)]
    # the pronoun's statement is far from the radio's; the sentence before is near it
    vecs = np.array([[0.8, 0.6, 0.0], [0.0, 0.1, 1.0], [1.0, 0.0, 0.0]], dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    keys = [fact_keys(s.text) for s in sts]
    # the announcement is also an order in force: each seeks the lifting; the pronoun's
    # statement reaches it through the announcement's similarity
    pairs = {(p.a.id, p.b.id): p.similarity for p in pair_by_keys(sts, vecs, keys, floor=0.5)}
    assert ("s1", "s2") in pairs and pairs[("s1", "s2")] == pytest.approx(0.8, abs=1e-4)
    # the same statement without a pronoun keeps its own similarity, below the floor
    plain = [
        *sts[:1],
        Statement(id="s1", doc="courier", text="The order was still in effect.", start=0, end=30),
        sts[2],
    ]
    pairs = {(p.a.id, p.b.id) for p in pair_by_keys(plain, vecs, [fact_keys(s.text) for s in plain], floor=0.5)}
    assert ("s1", "s2") not in pairs


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        ("At least 23 people have reported falling ill, officials said on Tuesday.", {"ill"}),
        ("East side told to boil water; 61 now sick", {"ill"}),
        ("Forty-one people were infected at the wedding, the health ministry said.", {"ill"}),
    ],
)
def test_the_ill_of_an_outbreak_are_an_evolving_count(text, categories):
    assert evolving_categories(text) == categories


def test_a_count_still_in_hospital_may_fall_a_count_taken_to_hospital_may_not():
    earlier, later = (
        "Three of them were still being treated on Saturday night.",
        ("Only one passenger, a 71-year-old man with a fractured wrist, remained in hospital on Monday morning."),
    )
    fewer = evolving_difference(earlier, later)
    assert fewer is not None and fewer.category == "in hospital"
    assert not is_backwards(fewer, later_is_a=False, later_text=later)
    taken = evolving_difference("Nine people were taken to hospital.", "Six people were taken to hospital.")
    assert taken is not None and is_backwards(taken, later_is_a=False, later_text="Six people were taken to hospital.")
    # the dead are never a current state, whatever the wording
    toll = evolving_difference("The quake killed 45 people.", "The death toll remains at 40.")
    assert toll is not None and is_backwards(toll, later_is_a=False, later_text="The death toll remains at 40.")


def test_none_contained_yet_is_a_count_of_none_and_an_order_to_stay_in_is_in_force():
    d = evolving_difference(
        "Crews had not contained any part of the fire as of Tuesday morning.",
        "Crews had carved containment lines around 15 percent of the perimeter by late afternoon.",
    )
    assert d is not None and (d.a_value, d.b_value) == (0.0, 15.0)
    d = evolving_difference(
        "Residents within two miles of the park have been told to stay indoors until further notice.",
        "Police lifted the stay-indoors order shortly after 3pm on Tuesday.",
    )
    assert d is not None and d.kind == "status"
