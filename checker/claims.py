"""Claims: compound sentences split into the claims they make, attribution carried to each.

Why built so: "Hassan claims control of 12,000 fighters and has spent $1.5 million since
March, according to his relatives" makes two claims; compared as one sentence, a second
outlet stating only the first reads as "adds detail" at best and the model's attention is
split between two facts. A dependency parse (spaCy, see :mod:`checker.frames`) finds
coordinated clauses and contrast clauses ("..., while Makhlouf claims 54,000"); each becomes
a statement of its own. A clause without its own subject borrows the first clause's
("Hassan ... has spent"); an attribution that frames the whole sentence ("Police said ...",
"..., according to his relatives") is carried to every claim, so "who said it" is never
lost. A claim keeps the character span of its own clause in the article
(``start``/``end``) and the sentence it came from (``sentence``); its text may therefore
add the borrowed subject or attribution to what lies between ``start`` and ``end``.

Not split: headlines, sentences under 12 words, clauses under 4 words, quotations (a
quote is one claim of its speaker), lists of noun phrases ("A, B and C").
"""

from __future__ import annotations

from dataclasses import replace

from checker.types import Statement, content_id

#: reporting verbs whose clausal complement carries the claims ("Police said ...", "Documents show ...").
_SAY = frozenset("say tell state claim add confirm report announce insist warn show reveal indicate find".split())
_MIN_SENTENCE_WORDS = 12
_MIN_CLAUSE_WORDS = 4
_SPLIT_MARKS = frozenset("while whereas but".split())


def _span_text(tokens) -> str:
    return "".join(t.text_with_ws for t in tokens).strip().rstrip(",;").strip()


def _subtree_ids(token) -> set[int]:
    return {t.i for t in token.subtree}


def _coordinated(core, conj) -> bool:
    """A clause joined to ``core`` by a conjunction ("and", "but") or a semicolon: the parser
    also attaches a verb it cannot place as a conjunct ("trapped after part of the roof
    collapsed" -> "collapsed" as a conjunct of "trapped"), and that is no second claim."""
    joiners = [t for t in (*core.children, *conj.children) if t.dep_ == "cc" and core.i < t.i < conj.i]
    before = conj.doc[conj.left_edge.i - 1] if conj.left_edge.i > 0 else None
    return bool(joiners) or (before is not None and before.text == ";")


def clause_splits(text: str) -> list[tuple[str, int, int]]:
    """(claim text, start, end) of the claims of one sentence; one item when it is not split.

    ``start``/``end`` are offsets of the claim's own clause in ``text``.
    """
    from checker.nlp import parse

    words = text.split()
    if len(words) < _MIN_SENTENCE_WORDS or any(q in text for q in ('"', "\u201c", "\u201d")):
        return [(text, 0, len(text))]
    doc = parse(text)
    sents = list(doc.sents)
    if len(sents) != 1:
        return [(text, 0, len(text))]
    root = sents[0].root
    core, prefix = root, ""
    if root.lemma_.lower() in _SAY:
        comp = [c for c in root.children if c.dep_ == "ccomp"]
        if comp and comp[0].i > root.i:
            core = comp[0]
            prefix = _span_text([t for t in doc[: core.left_edge.i] if t.dep_ != "mark"])
    according = {i for t in doc if t.lower_ == "according" and t.dep_ == "prep" for i in _subtree_ids(t)}
    suffix = _span_text([doc[i] for i in sorted(according)]) if according else ""
    parts = [c for c in core.children if c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") and _coordinated(core, c)]
    parts += [
        c
        for c in core.children
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in _SPLIT_MARKS for m in c.children)
    ]
    if not parts:
        return [(text, 0, len(text))]
    split_off = set().union(*(_subtree_ids(p) for p in parts))
    subject = next((c for c in core.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    subject_text = _span_text(subject.subtree) if subject is not None else ""
    prefix_ids = set(range(0, core.left_edge.i)) if prefix else set()
    clauses = []
    first = [
        t
        for t in core.subtree
        if t.i not in split_off
        and t.i not in according
        and t.i not in prefix_ids
        and not (t.dep_ == "cc" and t.head == core)
        and not t.is_punct
    ]
    clauses.append((first, False))
    for p in parts:
        toks = [t for t in p.subtree if t.i not in according and t.dep_ != "mark" and not t.is_punct]
        has_subject = any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in p.children)
        clauses.append((toks, not has_subject))
    out = []
    for toks, borrow in clauses:
        if len(toks) < _MIN_CLAUSE_WORDS:
            return [(text, 0, len(text))]
        start, end = toks[0].idx, toks[-1].idx + len(toks[-1].text)
        body = text[start:end].strip().rstrip(",;")
        if borrow and subject_text:
            body = f"{subject_text} {body}"
        claim = f"{prefix} {body}" if prefix else body
        if suffix:
            claim = f"{claim}, {suffix}"
        claim = claim[0].upper() + claim[1:]
        if not claim.endswith((".", "!", "?")):
            claim += "."
        out.append((claim, start, end))
    return out


def split_statements(statements: list[Statement]) -> list[Statement]:
    """Each statement, or the claims of a compound one (headlines are never split)."""
    from checker.nlp import parse_many

    parse_many(st.text for st in statements)  # one batch; frames read the same parses later
    out: list[Statement] = []
    for st in statements:
        pieces = [] if st.is_headline else clause_splits(st.text)
        if len(pieces) < 2:
            out.append(st)
            continue
        for k, (claim, s, e) in enumerate(pieces):
            out.append(
                replace(
                    st,
                    id=content_id(st.id, str(k), n=12),
                    text=claim,
                    start=st.start + s,
                    end=st.start + e,
                    sentence=st.text,
                )
            )
    parse_many(st.text for st in out)  # the claims split off, in one batch too
    return out
