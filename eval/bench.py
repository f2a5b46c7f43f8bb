"""Speed benchmark of newscheck on this machine (issue 6), in one process.

    python eval/bench.py            # full run, a few minutes on 2 cores
    python eval/bench.py --quick    # smaller sizes, well under a minute after model load

Measures, in this order (the order matters: the cold audit and its peak memory come first,
before anything else has imported torch or loaded a model):

1. cold end-to-end audit of the demo corpus: imports + checker.pipeline.load_models +
   audit, and the process's peak resident memory after it (resource.getrusage
   ru_maxrss: the peak RSS of the whole process, OS-level, not tracemalloc's Python heap);
2. sentence-embedding throughput (sentences/s) on the demo corpus statements;
3. NLI throughput (pairs/s) on the demo corpus's candidate pairs (both directions, as an
   audit scores them) and on pairs sampled from XNLI English dev, for
   - ``torch-fp32-naive``: the BASELINE, PyTorch fp32, one pair per forward pass in input
     order (what a per-pair pipeline does);
   - ``torch-fp32-batched``: checker.nli.NliModel as shipped (sorted by length, batches of
     32, dynamic padding) - the in-process fp32 reference;
   - the optimised paths: torch dynamic int8, torch bf16, ONNX Runtime fp32 / fused / int8;
   each printed as a ratio to both, with its argmax agreement with torch-fp32-batched;
4. audit time with models already loaded, torch vs the fastest validated backend;
5. pairing of synthetic statements (random unit vectors, 384-d, 20 per document) with
   checker.pair.pair_statements (the blocked exact search of decision 0012 above its
   threshold), its recall@5 against float32 exact search on a sample of rows, NumPy exact
   search vs the blocked search on a smaller N; optionally the previous hnswlib index in
   the same process (``--pairing-hnsw``) and real sentence embeddings (``--pairing-real N``).

Prints a table and writes ``eval/bench_results.json`` (or ``--out``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

T_START = time.perf_counter()
HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent / "corpus"
DEFAULT_XNLI = Path(os.environ.get("NEWSCHECK_NLI_DEV", "/work/shared/nli-data/xnli_en_dev.jsonl.gz"))


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_info() -> dict:
    info = {
        "cpus_usable": len(os.sched_getaffinity(0)),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }
    try:
        text = Path("/proc/cpuinfo").read_text()
        for line in text.splitlines():
            if line.startswith("model name"):
                info["model"] = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                info["simd"] = [
                    f
                    for f in ("avx", "fma", "avx2", "avx512f", "avx512_vnni", "avx_vnni", "avx512_bf16", "amx_int8")
                    if f in flags
                ]
                break
    except OSError:
        pass
    return info


def timed(fn, *args, repeat: int = 1, **kwargs):
    """(best seconds over ``repeat`` runs, last result)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn(*args, **kwargs)
        best = min(best, time.perf_counter() - t)
    return best, out


# ----------------------------------------------------------------------------- sections


class StageTimer:
    """A pipeline progress sink that records the seconds spent in each stage."""

    def __init__(self):
        self.stages: dict[str, float] = {}
        self._name, self._t = None, 0.0

    def stage(self, name: str, total: int | None = None) -> None:
        self.close()
        self._name, self._t = name, time.perf_counter()

    def advance(self, n: int = 1) -> None: ...

    def close(self) -> None:
        if self._name is not None:
            self.stages[self._name] = self.stages.get(self._name, 0.0) + time.perf_counter() - self._t
            self._name = None


def bench_cold_audit(corpus: Path, backend: str, nli_model: str | None) -> dict:
    """Imports, model load and audit of ``corpus``, with the time of each pipeline stage."""
    t0 = time.perf_counter()
    from checker.pipeline import audit, load_models

    t_import = time.perf_counter() - t0
    # "default" is what a new user gets before `newscheck export-onnx`: PyTorch
    nli, embedder, thresholds = load_models(nli_model, backend="torch" if backend == "default" else backend)
    t_load = time.perf_counter() - t0 - t_import
    timer = StageTimer()
    report = audit(corpus, nli, embedder, thresholds, progress=timer)
    timer.close()
    total = time.perf_counter() - t0
    return {
        "backend": backend,
        "nli_class": type(nli).__name__,
        "nli_backend": getattr(nli, "backend", "torch"),
        "import_s": t_import,
        "load_s": t_load,
        "audit_s": total - t_import - t_load,
        "total_s": total,
        "stages_s": timer.stages,
        "since_process_start_s": time.perf_counter() - T_START,
        "peak_rss_mb": peak_rss_mb(),
        "statements": len(report.statements),
        "pairs": len(report.pairs),
        "_models": (nli, embedder, thresholds),
        "_report": report,
    }


def bench_embedding(embedder, texts: list[str], repeat: int) -> dict:
    unique = list(dict.fromkeys(texts))
    embedder.encode(unique[:64])
    secs, _ = timed(embedder.encode, unique, repeat=repeat)
    return {
        "sentences": len(unique),
        "seconds": secs,
        "sentences_per_s": len(unique) / secs,
        "note": f"{type(embedder).__name__}.encode on every distinct text, batch {embedder.batch_size}",
    }


def mean_tokens(tokenizer, pairs) -> float:
    enc = tokenizer([p for p, _ in pairs], [h for _, h in pairs], truncation="only_first", max_length=256)
    return sum(len(x) for x in enc["input_ids"]) / max(1, len(pairs))


def build_variants(model_dir: str, workdir: Path, quick: bool) -> dict:
    """name -> predict(pairs) callable; also returns build times."""
    import torch

    from checker.backends import OnnxNliModel
    from checker.models import load_sequence_classifier
    from checker.nli import NliModel, predict_probs
    from checker.onnx_export import export_onnx

    variants, notes = {}, {}
    ref = NliModel(model_dir)
    variants["torch-fp32-naive"] = lambda pairs: predict_probs(
        ref.model, ref.tokenizer, pairs, ref.id2label, batch_size=1, max_length=ref.max_length
    )
    variants["torch-fp32-batched"] = ref.predict

    qmodel, _ = load_sequence_classifier(model_dir)
    qmodel = torch.ao.quantization.quantize_dynamic(qmodel, {torch.nn.Linear}, dtype=torch.qint8)
    variants["torch-int8-dynamic"] = lambda pairs: predict_probs(
        qmodel, ref.tokenizer, pairs, ref.id2label, 32, ref.max_length
    )
    notes["torch-int8-dynamic"] = f"torch.ao quantize_dynamic(Linear), engine {torch.backends.quantized.engine}"
    bf16, _ = load_sequence_classifier(model_dir)
    bf16 = bf16.to(torch.bfloat16)
    variants["torch-bf16"] = lambda pairs: predict_probs(bf16, ref.tokenizer, pairs, ref.id2label, 32, ref.max_length)
    notes["torch-bf16"] = "weights and activations bfloat16 (oneDNN)"

    builds = {
        "onnx-fp32-plain": (False, False, False),
        "onnx-fp32-fused": (False, True, False),
        "onnx-int8-plain": (True, False, False),
        "onnx-int8-fused": (True, True, False),
        "onnx-int8-fused-perchannel": (True, True, True),
    }
    if quick:
        builds = {k: v for k, v in builds.items() if k.endswith("fused")}
    for name, (quantize, fuse, per_channel) in builds.items():
        t = time.perf_counter()
        folder = export_onnx(model_dir, workdir / name, quantize=quantize, fuse=fuse, per_channel=per_channel)
        notes[name] = f"export {time.perf_counter() - t:.1f} s, {(folder / 'model.onnx').stat().st_size / 1e6:.0f} MB"
        variants[name] = OnnxNliModel(folder, name=model_dir).predict
    return variants, notes, ref


def bench_nli(variants: dict, datasets: dict, naive_limit: int, repeat: int) -> dict:
    import numpy as np

    results = {}
    for dname, pairs in datasets.items():
        reference = variants["torch-fp32-batched"](pairs)
        rows = {}
        for vname, predict in variants.items():
            sub = pairs[:naive_limit] if vname == "torch-fp32-naive" else pairs
            predict(sub[:16])  # warm-up: first-call allocations, ORT session start
            secs, probs = timed(predict, sub, repeat=repeat)
            agree = float((np.asarray(probs).argmax(1) == reference[: len(sub)].argmax(1)).mean())
            rows[vname] = {
                "pairs": len(sub),
                "seconds": secs,
                "pairs_per_s": len(sub) / secs,
                "argmax_agreement": agree,
                "max_abs_prob_diff": float(np.abs(np.asarray(probs) - reference[: len(sub)]).max()),
            }
        naive = rows["torch-fp32-naive"]["pairs_per_s"]
        batched = rows["torch-fp32-batched"]["pairs_per_s"]
        for row in rows.values():
            row["x_naive"] = row["pairs_per_s"] / naive
            row["x_batched"] = row["pairs_per_s"] / batched
        rows["_loadavg_1min_after"] = os.getloadavg()[0]
        results[dname] = rows
    return results


def bench_batch_sizes(make_model, pairs, sizes=(8, 16, 32, 64)) -> dict:
    out = {}
    for bs in sizes:
        model = make_model(bs)
        model.predict(pairs[:16])
        secs, _ = timed(model.predict, pairs)
        out[bs] = len(pairs) / secs
    return out


def bench_warm_audit(corpus, models: dict, embedder, thresholds, repeat: int) -> dict:
    from checker.ingest import ingest_folder
    from checker.pipeline import audit

    ingested = ingest_folder(corpus)
    out = {}
    for name, nli in models.items():
        secs, _ = timed(audit, ingested, nli, embedder, thresholds, repeat=repeat)
        out[name] = {"audit_s": secs}
    return out


def bench_cli_runs(corpus: Path, repeat: int) -> dict:
    """`newscheck audit` as a user runs it, each in a new process (interpreter start and
    imports included): first on an empty store (cold), then re-runs of the unchanged
    corpus, which take every embedding and NLI score from the store and load no model.
    A private cache folder keeps the user's store and ONNX builds out of it (so: PyTorch)."""
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, NEWSCHECK_CACHE_DIR=tmp, HF_HUB_OFFLINE="1")
        cmd = [
            sys.executable,
            "-m",
            "checker.cli",
            "audit",
            str(corpus),
            "--quiet",
            "--force",
            "--out",
            str(Path(tmp) / "report.json"),
        ]

        def run() -> float:
            t0 = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, capture_output=True)
            return time.perf_counter() - t0

        cold = run()
        reruns = [run() for _ in range(max(1, repeat))]
    return {"cold_cli_s": cold, "warm_rerun_s": min(reruns), "warm_reruns_s": reruns}


def _sample_recall(vecs, docs, idx, sample, k: int = 5) -> float:
    """Recall@k of neighbour lists ``idx`` against exact float32 search, on the rows ``sample``.

    A listed neighbour counts when its similarity reaches the exact k-th one: news repeats
    sentences word for word, and which of several equally similar copies is listed is a tie,
    not a miss."""
    import numpy as np

    sims = vecs[sample] @ vecs.T
    sims[docs[sample][:, None] == docs[None, :]] = -np.inf
    kth = np.partition(sims, -k, axis=1)[:, -k]
    hits = 0
    for r, i in enumerate(sample):
        listed = [int(j) for j in idx[i][:k] if j >= 0 and docs[j] != docs[i]]
        hits += min(k, sum(1 for j in listed if sims[r, j] >= kth[r] - 1e-6))
    return hits / (k * len(sample))


def _same_similarities(a_sims, b_sims) -> float:
    """Share of rows whose k best similarities are the same in both searches (within 1e-5)."""
    import numpy as np

    a = np.sort(np.where(np.isfinite(a_sims), a_sims, -9.0), axis=1)
    b = np.sort(np.where(np.isfinite(b_sims), b_sims, -9.0), axis=1)
    return float(np.mean(np.all(np.abs(a - b) <= 1e-5, axis=1)))


def _hnsw_neighbours(vecs, docs, k: int):
    """The index pairing used before decision 0012 (hnswlib, M 16, ef_construction 200,
    4x over-fetch), kept here to compare in the same process."""
    import hnswlib
    import numpy as np

    n, dim = vecs.shape
    index = hnswlib.Index(space="ip", dim=dim)
    index.init_index(max_elements=n, ef_construction=200, M=16)
    index.add_items(vecs, np.arange(n))
    fetch = min(n, k * 4)
    index.set_ef(max(64, fetch * 2))
    labels, _ = index.knn_query(vecs, k=fetch)
    out = np.full((n, k), -1, dtype=np.int64)
    for i in range(n):
        row = labels[i][docs[labels[i]] != docs[i]][:k]
        out[i, : len(row)] = row
    return out


def _real_sentences(n: int, data_dir: Path) -> tuple[list[str], list[int]]:
    """Up to ``n`` sentences of FNC-1 article bodies (30-300 characters), article by article."""
    from checker.training.data import fnc1_body_sentences

    texts, docs = [], []
    for d, sentences in enumerate(fnc1_body_sentences(data_dir)):
        for s in sentences:
            if 30 <= len(s) <= 300 and len(texts) < n:
                texts.append(s)
                docs.append(d)
    return texts, docs


def bench_pairing(
    n_large: int,
    n_exact: int,
    sample: int = 1000,
    hnsw: bool = False,
    real: int = 0,
    data_dir: Path = DEFAULT_XNLI.parent,
    dim: int = 384,
    per_doc: int = 20,
    seed: int = 0,
) -> dict:
    """checker.pair.pair_statements on random unit vectors (the worst case for an index: no
    neighbourhood structure) and, with ``real``, on sentence embeddings of FNC-1 article
    bodies; recall@5 against exact float32 search on ``sample`` rows; with ``hnsw``, the
    previous hnswlib index timed in the same process."""
    import numpy as np

    from checker import pair as pair_mod
    from checker.types import Statement

    rng = np.random.default_rng(seed)

    def synth(n):
        vecs = rng.standard_normal((n, dim), dtype=np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        stmts = [Statement(id=f"s{i}", doc=f"d{i // per_doc}", text="", start=0, end=0) for i in range(n)]
        return stmts, vecs, np.arange(n) // per_doc

    out: dict = {
        "dim": dim,
        "statements_per_doc": per_doc,
        "vectors": "random unit vectors (no structure: cosines ~N(0, 1/384), so min_sim 0.4 keeps "
        "nothing; the search cost is what is timed)",
        "loadavg_1min_before": os.getloadavg()[0],
    }
    stmts, vecs, docs = synth(n_large)
    method = "blocked" if n_large >= pair_mod.BLOCKED_THRESHOLD else "numpy"
    secs, pairs = timed(pair_mod.pair_statements, stmts, vecs)
    out["large"] = {"n": n_large, "method": method, "seconds": secs, "pairs_kept": len(pairs)}
    search = pair_mod._blocked_neighbours if method == "blocked" else pair_mod._exact_neighbours
    secs, (idx, sims) = timed(search, vecs, docs, 5)
    everything = pair_mod._collect_pairs(idx, sims, docs, -1.0)[0]
    picked = rng.choice(n_large, size=min(sample, n_large), replace=False)
    out["large_search_only"] = {"seconds": secs, "pairs_if_all_kept": len(everything)}
    out["large_recall_at_5"] = _sample_recall(vecs, docs, idx, picked)
    out["sample_rows"] = len(picked)
    if hnsw:
        import importlib.util

        hnsw = importlib.util.find_spec("hnswlib") is not None  # no longer a dependency: pip install hnswlib
        out["hnsw_compared"] = hnsw
    if hnsw:
        secs, hidx = timed(_hnsw_neighbours, vecs, docs, 5)
        out["hnsw_large"] = {"seconds": secs, "recall_at_5": _sample_recall(vecs, docs, hidx, picked)}
    out["loadavg_1min_after_large"] = os.getloadavg()[0]
    stmts, vecs, docs = synth(n_exact)
    secs, _ = timed(pair_mod.pair_statements, stmts, vecs, blocked_threshold=10**12)
    out["exact"] = {"n": n_exact, "method": "numpy", "seconds": secs}
    secs, _ = timed(pair_mod.pair_statements, stmts, vecs, blocked_threshold=1)
    out["blocked_same_n"] = {"n": n_exact, "seconds": secs}
    if real:
        from checker.embed import load_embedder

        texts, rdocs = _real_sentences(real, data_dir)
        t = time.perf_counter()
        rvecs = load_embedder().encode(texts)
        embed_s = time.perf_counter() - t
        rdocs_arr = np.asarray(rdocs)
        stmts = [
            Statement(id=f"r{i}", doc=f"b{d}", text=x, start=0, end=0) for i, (x, d) in enumerate(zip(texts, rdocs))
        ]
        secs, pairs = timed(pair_mod.pair_statements, stmts, rvecs, blocked_threshold=1)
        exact_pairs = pair_mod.pair_statements(stmts, rvecs, blocked_threshold=10**12)
        kept = {(p.a.id, p.b.id) for p in pairs}
        truth = {(p.a.id, p.b.id) for p in exact_pairs}
        idx, bsims = pair_mod._blocked_neighbours(rvecs, rdocs_arr, 5)
        _, esims = pair_mod._exact_neighbours(rvecs, rdocs_arr, 5)
        picked = rng.choice(len(texts), size=min(sample, len(texts)), replace=False)
        out["real"] = {
            "source": "FNC-1 training article bodies, sentences of 30-300 characters, all-MiniLM-L6-v2",
            "n": len(texts),
            "articles": len(set(rdocs)),
            "embed_s": embed_s,
            "blocked_s": secs,
            "pairs_kept": len(pairs),
            "kept_pairs_same_ids": len(kept & truth) / max(1, len(truth)),
            "rows_with_exact_top5_similarities": _same_similarities(esims, bsims),
            "recall_at_5": _sample_recall(rvecs, rdocs_arr, idx, picked),
        }
        if hnsw:
            hidx = _hnsw_neighbours(np.ascontiguousarray(rvecs, dtype=np.float32), rdocs_arr, 5)
            out["real"]["hnsw_recall_at_5"] = _sample_recall(rvecs, rdocs_arr, hidx, picked)
    return out


# -------------------------------------------------------------------------------- output


def print_table(results: dict) -> None:
    a = results["cold_audit"]
    print(
        f"\nmachine: {results['machine'].get('model', '?')}, {results['machine']['cpus_usable']} CPUs, "
        f"SIMD {' '.join(results['machine'].get('simd', []))}; torch threads {results['torch_threads']}"
    )
    print(
        f"\ncold audit ({a['backend']} backend, {a['nli_class']}): {a['total_s']:.2f} s "
        f"= import {a['import_s']:.2f} + load {a['load_s']:.2f} + audit {a['audit_s']:.2f} "
        f"[{a['statements']} statements, {a['pairs']} pairs]; "
        f"{a['since_process_start_s']:.2f} s since process start; peak RSS {a['peak_rss_mb']:.0f} MiB"
    )
    print("  audit stages: " + ", ".join(f"{k} {v:.2f} s" for k, v in a.get("stages_s", {}).items()))
    e = results["embedding"]
    print(f"embedding: {e['sentences_per_s']:.0f} sentences/s ({e['sentences']} sentences)")
    for dname, rows in results.get("nli", {}).items():
        tok = results["nli_mean_tokens"][dname]
        print(f"\nNLI on {dname} (mean {tok:.0f} tokens per pair); baseline = torch-fp32-naive")
        print(f"  {'variant':22} {'pairs/s':>9} {'x naive':>8} {'x batched':>10} {'agree':>7} {'max|dp|':>8}")
        for vname, r in rows.items():
            if vname.startswith("_"):
                continue
            print(
                f"  {vname:22} {r['pairs_per_s']:9.1f} {r['x_naive']:8.2f} {r['x_batched']:10.2f} "
                f"{100 * r['argmax_agreement']:6.1f}% {r['max_abs_prob_diff']:8.4f}"
            )
    if "batch_sizes" in results:
        print(
            "\nbatch size sweep:",
            {k: {b: round(v, 1) for b, v in d.items()} for k, d in results["batch_sizes"].items()},
        )
    if "cli_runs" in results:
        c = results["cli_runs"]
        print(
            f"`newscheck audit corpus` in a new process: cold {c['cold_cli_s']:.2f} s (empty store, PyTorch); "
            f"re-run of the unchanged corpus {c['warm_rerun_s']:.2f} s (all from the store, no model loaded)"
        )
    if "warm_audit" in results:
        print(
            "warm audit (models loaded):",
            {k: (round(v["audit_s"], 2) if isinstance(v, dict) else v) for k, v in results["warm_audit"].items()},
        )
    p = results.get("pairing")
    if p:
        lg = p["large"]
        print(
            f"\npairing: {lg['n']} statements ({lg['method']}) {lg['seconds']:.1f} s "
            f"(search alone {p['large_search_only']['seconds']:.1f} s), recall@5 vs exact on "
            f"{p['sample_rows']} rows {p['large_recall_at_5']:.3f}; numpy exact at {p['exact']['n']}: "
            f"{p['exact']['seconds']:.1f} s vs blocked {p['blocked_same_n']['seconds']:.1f} s"
        )
        if "hnsw_large" in p:
            h = p["hnsw_large"]
            print(
                f"  hnswlib (before decision 0012) at {lg['n']}: {h['seconds']:.1f} s, recall@5 {h['recall_at_5']:.3f}"
            )
        if "real" in p:
            r = p["real"]
            print(
                f"  real sentences ({r['n']}, {r['articles']} articles): blocked {r['blocked_s']:.1f} s, "
                f"recall@5 {r['recall_at_5']:.3f}, rows with the exact top-5 similarities "
                f"{r['rows_with_exact_top5_similarities']:.3f}, kept pairs with the same ids {r['kept_pairs_same_ids']:.3f}"
                + (f", hnswlib recall@5 {r['hnsw_recall_at_5']:.3f}" if "hnsw_recall_at_5" in r else "")
            )
    print(
        f"\npeak RSS of the whole benchmark process: {results['peak_rss_mb_end']:.0f} MiB; load average "
        f"at start {results['loadavg_1_5_15_start']}, at end {results['loadavg_1_5_15_end']}"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="small sizes for a fast check")
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--nli-model", default=None, help="model folder; defaults to the shipped model")
    ap.add_argument("--xnli", type=Path, default=DEFAULT_XNLI, help="labelled NLI jsonl(.gz) to sample pairs from")
    ap.add_argument(
        "--audit-backend",
        default="default",
        help="NLI backend of the cold audit: 'default' (pipeline.load_models) or a "
        "checker.backends.load_nli backend (torch, onnx, onnx-int8, auto)",
    )
    ap.add_argument("--skip", nargs="*", default=[], choices=["nli", "pairing", "warm"], help="sections to leave out")
    ap.add_argument(
        "--nli-pairs", type=int, default=None, help="pairs per NLI data set. Defaults to 1024 (256 with --quick)"
    )
    ap.add_argument(
        "--pairing-n",
        type=int,
        default=None,
        help="statements for the large pairing run. Defaults to 100000 (20000 with --quick)",
    )
    ap.add_argument(
        "--pairing-hnsw", action="store_true", help="also time the previous hnswlib index in the same process"
    )
    ap.add_argument(
        "--pairing-real",
        type=int,
        default=0,
        metavar="N",
        help="also pair N real sentences (FNC-1 bodies beside --xnli, embedded here) and measure recall. Default 0",
    )
    ap.add_argument("--out", type=Path, default=HERE / "bench_results.json")
    args = ap.parse_args(argv)

    results: dict = {
        "command": " ".join([Path(sys.argv[0]).name] + (argv if argv is not None else sys.argv[1:])),
        "machine": cpu_info(),
        "quick": args.quick,
        # another busy process makes every figure meaningless: check these
        "loadavg_1_5_15_start": os.getloadavg(),
    }
    cold = bench_cold_audit(args.corpus, args.audit_backend, args.nli_model)
    nli, embedder, thresholds = cold.pop("_models")
    report = cold.pop("_report")
    results["cold_audit"] = cold
    import torch

    from checker.onnx_validate import read_nli_jsonl

    results["torch_threads"] = torch.get_num_threads()
    results["versions"] = {"torch": torch.__version__}
    try:
        import onnxruntime

        results["versions"]["onnxruntime"] = onnxruntime.__version__
    except ImportError:
        pass
    statements = [s.text for s in report.statements]
    reps = 1 if args.quick else 3
    texts = (statements * (1 + (256 if args.quick else 1024) // max(1, len(statements))))[: 256 if args.quick else 1024]
    results["embedding"] = bench_embedding(embedder, texts, reps)

    if "nli" not in args.skip:
        import random

        model_dir = args.nli_model or str(getattr(nli, "name", None))
        demo = [(p.pair.a.text, p.pair.b.text) for p in report.pairs] + [
            (p.pair.b.text, p.pair.a.text) for p in report.pairs
        ]
        xpairs, _ = read_nli_jsonl(args.xnli)
        random.Random(0).shuffle(xpairs)
        size = args.nli_pairs or (256 if args.quick else 1024)
        datasets = {"demo_corpus_pairs": demo[:size], "xnli_en_dev_sample": xpairs[:size]}
        with tempfile.TemporaryDirectory() as tmp:
            variants, notes, ref = build_variants(model_dir, Path(tmp), args.quick)
            results["nli_notes"] = notes
            results["nli_mean_tokens"] = {k: mean_tokens(ref.tokenizer, v) for k, v in datasets.items()}
            results["nli"] = bench_nli(
                variants, datasets, naive_limit=min(size, 64 if args.quick else 256), repeat=1 if args.quick else 2
            )
            rows = results["nli"]["demo_corpus_pairs"]
            fast = max(
                (k for k in rows if k.startswith("onnx") and rows[k]["argmax_agreement"] >= 0.98),
                key=lambda k: rows[k]["pairs_per_s"],
                default=None,
            )
            results["fastest_onnx_variant"] = fast
            if fast and not args.quick:
                from checker.backends import OnnxNliModel

                folder = Path(tmp) / fast
                results["batch_sizes"] = {
                    fast: bench_batch_sizes(
                        lambda bs: OnnxNliModel(folder, name=model_dir, batch_size=bs), datasets["demo_corpus_pairs"]
                    ),
                    "torch-fp32-batched": bench_batch_sizes(
                        lambda bs: _torch_bs(ref, bs), datasets["demo_corpus_pairs"]
                    ),
                }
                ref.batch_size = 32
            if "warm" not in args.skip and fast:
                from checker.backends import OnnxNliModel

                fast_model = OnnxNliModel(Path(tmp) / fast, name=model_dir)
                fast_model.temperature = ref.temperature = nli.temperature
                results["warm_audit"] = bench_warm_audit(
                    args.corpus, {"torch": ref, fast: fast_model}, embedder, thresholds, reps
                )
    if "warm" not in args.skip:
        results["cli_runs"] = bench_cli_runs(args.corpus, reps)
    if "pairing" not in args.skip:
        n_ann = args.pairing_n or (20000 if args.quick else 100000)
        results["pairing"] = bench_pairing(
            n_ann,
            min(n_ann, 5000 if args.quick else 20000),
            hnsw=args.pairing_hnsw,
            real=args.pairing_real,
            data_dir=args.xnli.parent,
        )
    results["peak_rss_mb_end"] = peak_rss_mb()
    results["loadavg_1_5_15_end"] = os.getloadavg()
    print_table(results)
    args.out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"results written to {args.out}")
    return 0


def _torch_bs(ref, bs):
    ref.batch_size = bs
    return ref


if __name__ == "__main__":
    sys.exit(main())
