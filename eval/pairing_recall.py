"""Pairing recall on the labeled demo set: how many hand-labeled cross-outlet pairs the pairing
stage proposes for several (top-k, floor) settings. Used for docs/decisions/0003-pairing-defaults.md.

    python eval/pairing_recall.py
"""
import json, re
from checker.ingest import ingest_folder
from checker.segment import segment_articles
from checker.embed import SentenceTransformerEmbedder
from checker.pair import pair_statements
norm = lambda t: re.sub(r"\s+", " ", t).strip().lower()
arts = ingest_folder('corpus').articles
st = segment_articles(arts)
v = SentenceTransformerEmbedder().encode([s.text for s in st])
gold = [json.loads(l) for l in open('eval/demo_pairs.jsonl')]
def find(text):
    t = norm(text)
    return {s.id for s in st if t in norm(s.text) or norm(s.text) in t}
gpairs = []
for g in gold:
    a, b = find(g['premise']), find(g['hypothesis'])
    gpairs.append((a, b, g['label']))
print('unmatched', sum(1 for a,b,_ in gpairs if not a or not b))
for k in (3, 5, 8, 10):
    for ms in (0.3, 0.4, 0.5, 0.6):
        ps = pair_statements(st, v, k, ms)
        keys = {frozenset((p.a.id, p.b.id)) for p in ps}
        def hit(a, b): return any(frozenset((x, y)) in keys for x in a for y in b)
        rec = [hit(a, b) for a, b, _ in gpairs if a and b]
        rc = [hit(a, b) for a, b, l in gpairs if a and b and l == 'contradiction']
        print(f"k={k} min_sim={ms}: pairs={len(ps)} recall_all={sum(rec)/len(rec):.2f} recall_contra={sum(rc)}/{len(rc)}")
