from checker.segment import segment_article
from checker.types import Article


def _article(text: str, title: str = "") -> Article:
    return Article(id="doc1", path="x.txt", title=title, outlet="x", date=None, text=text)


def _texts(text: str, title: str = "") -> list[str]:
    return [s.text for s in segment_article(_article(text, title))]


def test_military_abbreviations_do_not_end_sentences():
    text = (
        "The regime's head of military intelligence Maj. Gen. Kamal Hassan and billionaire Rami Makhlouf "
        "are competing to raise militias. Lt. Col. Sami Haddad declined to comment."
    )
    assert _texts(text) == [
        "The regime's head of military intelligence Maj. Gen. Kamal Hassan and billionaire Rami Makhlouf "
        "are competing to raise militias.",
        "Lt. Col. Sami Haddad declined to comment.",
    ]


def test_quoted_sentences_stay_whole():
    text = (
        "“Be patient, my people, and do not surrender your weapons. It is I who will restore your dignity,” "
        "Hassan said in a message. Officials did not respond."
    )
    assert _texts(text) == [
        "“Be patient, my people, and do not surrender your weapons. It is I who will restore your dignity,” "
        "Hassan said in a message.",
        "Officials did not respond.",
    ]


def test_bullets_become_statements_and_offsets_point_into_text():
    title = "Exiles plot uprising"
    text = (
        f"{title}\n\n• Exiled loyalists are plotting uprisings from Russia.\n"
        "- They have funneled millions to recruit fighters.\nDetails follow. Short."
    )
    art = _article(text, title)
    stmts = segment_article(art)
    assert [s.text for s in stmts] == [
        title,
        "Exiled loyalists are plotting uprisings from Russia.",
        "They have funneled millions to recruit fighters.",
    ]
    assert stmts[0].is_headline and not any(s.is_headline for s in stmts[1:])
    for s in stmts:
        assert art.text[s.start : s.end] == s.text


def test_demo_corpus_offsets(corpus_dir):
    from checker.ingest import ingest_folder

    arts = ingest_folder(corpus_dir).articles
    for a in arts:
        stmts = segment_article(a)
        assert stmts, a.path
        assert all(a.text[s.start : s.end] == s.text for s in stmts)
    assert len({s.id for a in arts for s in segment_article(a)}) == sum(len(segment_article(a)) for a in arts)
