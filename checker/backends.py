"""Fast NLI inference: the same façade as :class:`checker.nli.NliModel`, run by ONNX Runtime.

Why built so: the NLI cross-encoder dominates an audit's time on a CPU. The model is
exported once to an ONNX graph (optionally with dynamic int8 quantisation of its weight
matrices), run by ONNX Runtime, and tokenised by the ``tokenizers`` library directly, so
scoring needs neither torch nor transformers. The export lives in a cache folder keyed by
the model's content hash (``$NEWSCHECK_CACHE_DIR``, default ``~/.cache/newscheck``), so a
retrained model never meets a stale graph.

A faster graph is only worth having if it gives the same answers: every build is checked
against the PyTorch fp32 model on a labelled dev set (XNLI English dev) and the result is
written beside it (``validation.json``). :func:`load_nli` with ``backend="auto"`` uses a
build only when that record says it agrees with fp32 on at least
:data:`MIN_AGREEMENT` of the pairs and its accuracy is within :data:`MAX_ACCURACY_DROP` of
fp32's; anything missing, failing, unreadable or not installed means the PyTorch model,
never a crash.

What it deliberately does not do: build a graph on its own during an audit (that takes a
minute; :func:`build_fast_backend`, i.e. ``newscheck export-onnx``, does it), or save
ONNX Runtime's hardware-specific optimised graph (optimisation runs at session start).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from checker.errors import ModelError
from checker.nli import NLI_LABELS, label_columns

#: what ``backend=`` accepts. "onnx" is the fp32 graph, "onnx-int8" the quantised one.
BACKENDS: tuple[str, ...] = ("auto", "torch", "onnx", "onnx-int8")
#: fast variants that :func:`load_nli` tries for "auto", best first (see eval/BENCH.md).
AUTO_ORDER: tuple[str, ...] = ("onnx-int8", "onnx")
#: a fast build is trusted when it agrees with fp32 on at least this share of dev pairs...
MIN_AGREEMENT = 0.98
#: ...and its dev accuracy is at most this far (absolute, 0.005 = 0.5 point) from fp32's...
MAX_ACCURACY_DROP = 0.005
#: ...measured on at least this many pairs (XNLI en dev has 2,490).
MIN_VALIDATION_ROWS = 1000
#: bump when the export recipe changes, so old cache entries are not reused.
EXPORT_VERSION = 2
ONNX_FILE = "model.onnx"
BACKEND_FILE = "backend.json"
VALIDATION_FILE = "validation.json"
#: model files that do not change the logits and so are left out of the content hash.
_NOT_HASHED = {"calibration.json", "README.md", "training_args.json", "metrics.json"}
_TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt")
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
#: config.model_type -> model_type of onnxruntime.transformers.optimizer (BERT-like only).
_FUSION_TYPES = {"bert": "bert", "roberta": "bert", "xlm-roberta": "bert", "electra": "bert"}


def cache_dir() -> Path:
    """``$NEWSCHECK_CACHE_DIR``, or ``~/.cache/newscheck`` when it is not set."""
    env = os.environ.get("NEWSCHECK_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "newscheck"


def model_content_hash(model_dir: str | Path) -> str:
    """sha256 of the files of a model folder that determine its outputs (names and bytes).

    Raises:
        ModelError: the folder does not exist or holds no config.json.
    """
    root = Path(model_dir).expanduser()
    if not (root / "config.json").is_file():
        raise ModelError(f"NLI model folder holds no config.json: {model_dir}")
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel not in _NOT_HASHED and not rel.startswith("."):
            st = path.stat()
            files.append((rel, st.st_size, st.st_mtime_ns))
    # an audit asks twice (which backend, then load it): hash the bytes once per file state
    return _hash_files(str(root.resolve()), tuple(files))


@functools.lru_cache(maxsize=16)
def _hash_files(root: str, files: tuple[tuple[str, int, int], ...]) -> str:
    h = hashlib.sha256()
    for rel, _, _ in files:
        h.update(rel.encode("utf-8") + b"\0")
        with open(Path(root) / rel, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()


def fast_backend_dir(
    model_dir: str | Path, variant: str, root: str | Path | None = None, source_hash: str | None = None
) -> Path:
    """Cache folder of one fast variant of a model: ``<cache>/nli-fast/<hash16>-v<N>/<variant>``.

    Args:
        model_dir: the source model folder.
        variant: one of :data:`AUTO_ORDER`.
        root: cache folder. Defaults to :func:`cache_dir`.
        source_hash: :func:`model_content_hash` of ``model_dir`` when already known.
    """
    _check_variant(variant)
    base = Path(root) if root is not None else cache_dir()
    digest = source_hash or model_content_hash(model_dir)
    return base / "nli-fast" / f"{digest[:16]}-v{EXPORT_VERSION}" / variant


def _check_variant(variant: str) -> None:
    if variant not in AUTO_ORDER:
        raise ValueError(f"fast backend variant must be one of {', '.join(AUTO_ORDER)}, got {variant!r}")


# ----------------------------------------------------------------------------------- export


def export_onnx(
    model_dir: str | Path, out_dir: str | Path, quantize: bool, fuse: bool = True, per_channel: bool = False
) -> Path:
    """Export a sequence-classification model folder to an ONNX graph runnable by ORT.

    The graph takes ``input_ids``, ``attention_mask``, ``token_type_ids`` (int64, dynamic
    batch and sequence axes; right padding) and returns ``logits``. It is traced with a
    padded batch, so the attention mask is part of the graph. With ``fuse`` (BERT-like
    models), ONNX Runtime's transformer optimizer fuses each layer's attention, GELU and
    layer norms into single kernels; that needs the model's "eager" attention, whose graph
    it recognises (PyTorch's SDPA graph it does not). With ``quantize``, the weights of the
    MatMul / Attention ops are quantised to int8 (``quantize_dynamic``; activations are
    quantised per batch at run time). Tokenizer files and config.json (id2label) are
    copied beside it, and ``backend.json`` records how it was made.

    Args:
        model_dir: a local model folder (safetensors, config.json, tokenizer).
        out_dir: folder to write; created if missing, existing files are replaced.
        quantize: also quantise the weights to int8.
        fuse: fuse attention / GELU / layer-norm subgraphs. Defaults to True.
        per_channel: with ``quantize``, one int8 scale per output column instead of one per
            weight matrix. Defaults to False.

    Returns:
        ``out_dir``, a folder :class:`OnnxNliModel` loads.

    Raises:
        ModelError: the model cannot be loaded, or onnx / onnxruntime are not installed.
    """
    import torch

    from checker.models import load_sequence_classifier

    _require_onnx()
    src = Path(model_dir).expanduser().resolve()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    model, tokenizer = load_sequence_classifier(str(src))
    label_columns(model.config.id2label)  # refuse a model without the three labels early
    fusion_type = _FUSION_TYPES.get(getattr(model.config, "model_type", ""), None) if fuse else None
    if fusion_type:
        try:
            model.set_attn_implementation("eager")
        except (AttributeError, ValueError):
            fusion_type = None
    # two pairs of different lengths: padding in the example keeps the mask in the graph
    example = tokenizer(
        ["A man is eating a sandwich in the park on a sunny afternoon.", "No."],
        ["Someone eats.", "Yes, it is."],
        padding=True,
        return_tensors="pt",
    )
    names = [k for k in _INPUTS if k in example]
    fused_ops: dict = {}
    excluded: list[str] = []
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        graph = Path(tmp) / ONNX_FILE
        with torch.inference_mode(), warnings.catch_warnings():
            # The TorchScript exporter gives one self-contained file and needs no onnxscript.
            # Its tracer warns about Python-level branches in transformers' mask code; the
            # padded example takes the general branch, and tests compare it with PyTorch.
            warnings.simplefilter("ignore")
            torch.onnx.export(
                model,
                tuple(example[k] for k in names),
                str(graph),
                input_names=names,
                output_names=["logits"],
                opset_version=17,
                do_constant_folding=True,
                dynamic_axes={**{k: {0: "batch", 1: "sequence"} for k in names}, "logits": {0: "batch"}},
                dynamo=False,
            )
        if fusion_type:
            from onnxruntime.transformers.optimizer import optimize_model

            opt = optimize_model(
                str(graph),
                model_type=fusion_type,
                opt_level=0,
                num_heads=int(model.config.num_attention_heads),
                hidden_size=int(model.config.hidden_size),
            )
            fused_ops = {k: v for k, v in opt.get_fused_operator_statistics().items() if v}
            graph = Path(tmp) / "fused.onnx"
            opt.save_model_to_file(str(graph))
        target = out / ONNX_FILE
        if quantize:
            excluded = _quantize_int8(graph, target, per_channel)
        else:
            shutil.move(str(graph), target)
    tokenizer.save_pretrained(out)
    model.config.save_pretrained(out)
    import onnxruntime

    info = {
        "format": "onnx",
        "variant": "onnx-int8" if quantize else "onnx",
        "export_version": EXPORT_VERSION,
        "source_model": str(src),
        "source_hash": model_content_hash(src),
        "exporter": "torch.onnx.export (TorchScript), opset 17",
        "torch": torch.__version__,
        "onnxruntime": onnxruntime.__version__,
        "inputs": names,
        "fused_ops": fused_ops,
        "quantization": (
            f"dynamic int8 of MatMul/Attention (QInt8 weights per "
            f"{'channel' if per_channel else 'tensor'}, uint8 activations per batch); "
            f"{len(excluded)} feed-forward output MatMuls and the embeddings kept fp32"
            if quantize
            else None
        ),
        "fp32_nodes": excluded,
        "max_length": int(getattr(tokenizer, "model_max_length", 512) or 512),
    }
    (out / BACKEND_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    (out / VALIDATION_FILE).unlink(missing_ok=True)  # a new graph needs a new check
    return out


def _quantize_int8(graph: Path, target: Path, per_channel: bool) -> list[str]:
    """Dynamic int8 quantisation of the MatMul / Attention weights; returns the nodes kept fp32.

    The second matmul of each feed-forward block (``.../output/dense``, after the GELU) stays
    fp32: its input has a few very large activations, and one uint8 scale per batch for
    them cost 7 points of argmax agreement with fp32 on XNLI dev when it was quantised
    (92% vs 98.7%, see eval/BENCH.md). The word-embedding table stays fp32 too (quantising
    Gather / EmbedLayerNormalization saved memory, not time).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    nodes = onnx.load(str(graph), load_external_data=False).graph.node
    keep_fp32 = [
        n.name for n in nodes if n.op_type == "MatMul" and "/output/dense" in n.name and "attention" not in n.name
    ]
    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # quantize_dynamic logs advice to the root logger
    try:
        # DefaultTensorType: shape inference cannot type the outputs of the fused
        # com.microsoft ops; they are all float.
        quantize_dynamic(
            str(graph),
            str(target),
            weight_type=QuantType.QInt8,
            per_channel=per_channel,
            reduce_range=False,
            op_types_to_quantize=["MatMul", "Attention"],
            nodes_to_exclude=keep_fp32,
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
        )
    finally:
        logging.disable(previous)
    return keep_fp32


def _require_onnx() -> None:
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        raise ModelError("the fast NLI backend needs onnx and onnxruntime: pip install 'newscheck[fast]'") from exc


# ------------------------------------------------------------------------------ the façade


class OnnxNliModel:
    """A 3-way NLI cross-encoder run by ONNX Runtime; drop-in for :class:`checker.nli.NliModel`.

    Args:
        onnx_dir: a folder written by :func:`export_onnx`.
        name: what reports record as the NLI model (and where the pipeline looks for
            calibration.json). Defaults to the source model folder named in backend.json.
        batch_size: pairs per forward pass. Defaults to 32.
        max_length: token limit of premise + hypothesis. Defaults to 256.
        threads: ORT intra-op threads. Defaults to the CPUs this process may use.

    Raises:
        ModelError: the folder is incomplete, the graph cannot be loaded, or onnxruntime is
            not installed.
    """

    def __init__(
        self,
        onnx_dir: str | Path,
        name: str | None = None,
        batch_size: int = 32,
        max_length: int = 256,
        threads: int | None = None,
    ):
        _require_onnx()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(onnx_dir)
        try:
            info = json.loads((folder / BACKEND_FILE).read_text(encoding="utf-8"))
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            tok_config = _read_json(folder / "tokenizer_config.json")
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
            self.id2label = {int(k): v for k, v in config["id2label"].items()}
        except Exception as exc:  # tokenizers raises a bare Exception for a damaged tokenizer.json
            first = next((ln for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
            raise ModelError(f"incomplete or damaged fast NLI backend in {folder}: {first}") from exc
        self.onnx_dir = folder
        self.backend = str(info.get("variant", "onnx"))
        self.name = str(name or info.get("source_model") or folder)
        self.cols = label_columns(self.id2label)
        self.batch_size = batch_size
        self.temperature = 1.0  # set from the model's calibration.json by the pipeline
        model_max = int(tok_config.get("model_max_length") or info.get("max_length") or max_length)
        self.max_length = min(max_length, model_max) if model_max < 10**6 else max_length
        self.pad_id = int(config.get("pad_token_id") or 0)
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length, strategy="only_first")
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.intra_op_num_threads = threads or _usable_cpus()
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(folder / ONNX_FILE), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # ORT raises its own pybind classes (Fail, InvalidProtobuf, ...)
            raise ModelError(f"could not load the ONNX NLI graph in {folder}: {str(exc).splitlines()[0]}") from exc
        self.input_names = [i.name for i in self.session.get_inputs()]

    def _encode(self, pairs: Sequence[tuple[str, str]]) -> list:
        try:
            return self.tokenizer.encode_batch([(p, h) for p, h in pairs])
        except Exception:  # "Sequence to truncate too short": a hypothesis alone over max_length
            out = []
            for p, h in pairs:
                try:
                    out.append(self.tokenizer.encode(p, h))
                except Exception:
                    # only then cut both sides, longest first, instead of failing the audit
                    self.tokenizer.enable_truncation(self.max_length, strategy="longest_first")
                    try:
                        out.append(self.tokenizer.encode(p, h))
                    finally:
                        self.tokenizer.enable_truncation(self.max_length, strategy="only_first")
            return out

    def logits(self, pairs: Sequence[tuple[str, str]], progress=None) -> np.ndarray:
        """Raw ``(n, labels)`` logits in the model's own column order, input order kept.

        Pairs are tokenised once, sorted by length and padded per batch, as
        :func:`checker.nli.predict_probs` does. ``progress`` gets the pairs just scored.
        """
        n = len(pairs)
        n_out = len(self.id2label)
        out = np.zeros((n, n_out), dtype=np.float32)
        if n == 0:
            return out
        enc = self._encode(pairs)
        lengths = np.array([len(e.ids) for e in enc])
        order = np.argsort(lengths, kind="stable")
        for start in range(0, n, self.batch_size):
            idx = order[start : start + self.batch_size]
            width = int(lengths[idx].max())
            ids = np.full((len(idx), width), self.pad_id, dtype=np.int64)
            types = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                e = enc[i]
                k = len(e.ids)
                ids[row, :k] = e.ids
                types[row, :k] = e.type_ids
                mask[row, :k] = 1
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            out[idx] = self.session.run(["logits"], {k: feeds[k] for k in self.input_names})[0]
            if progress:
                progress(len(idx))
        return out

    def predict(self, pairs: Sequence[tuple[str, str]], progress=None) -> np.ndarray:
        """``(n, 3)`` probabilities (entailment, neutral, contradiction) for ``pairs``.

        Args:
            pairs: (premise, hypothesis) texts.
            progress: optional callable taking the number of pairs just scored.
        """
        logits = self.logits(pairs, progress)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out = (exp / exp.sum(axis=1, keepdims=True))[:, self.cols]
        if self.temperature != 1.0:
            from checker.calibration import apply_temperature

            out = apply_temperature(out, self.temperature)
        return out


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


# ------------------------------------------------------------------------------ validation


@dataclass(frozen=True, slots=True)
class Validation:
    """How a fast build compares with the PyTorch fp32 model on a labelled dev set."""

    dataset: str
    rows: int
    agreement: float
    accuracy_reference: float
    accuracy_fast: float
    max_abs_prob_diff: float
    mean_abs_prob_diff: float

    @property
    def passed(self) -> bool:
        return (
            self.rows >= MIN_VALIDATION_ROWS
            and self.agreement >= MIN_AGREEMENT
            and self.accuracy_reference - self.accuracy_fast <= MAX_ACCURACY_DROP + 1e-9
        )

    def to_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "rows": self.rows,
            "agreement": self.agreement,
            "accuracy_reference": self.accuracy_reference,
            "accuracy_fast": self.accuracy_fast,
            "max_abs_prob_diff": self.max_abs_prob_diff,
            "mean_abs_prob_diff": self.mean_abs_prob_diff,
            "passed": self.passed,
            "rule": {
                "min_agreement": MIN_AGREEMENT,
                "max_accuracy_drop": MAX_ACCURACY_DROP,
                "min_rows": MIN_VALIDATION_ROWS,
            },
        }


def compare_predictions(reference: np.ndarray, fast: np.ndarray, gold: Sequence[str], dataset: str = "") -> Validation:
    """Pure: agreement and accuracies of two ``(n, 3)`` probability arrays against gold labels.

    Args:
        reference: fp32 PyTorch probabilities in (entailment, neutral, contradiction) order.
        fast: the fast backend's probabilities, same rows.
        gold: one of :data:`checker.nli.NLI_LABELS` per row.
        dataset: name recorded in the result.
    """
    reference = np.asarray(reference, dtype=np.float64)
    fast = np.asarray(fast, dtype=np.float64)
    if reference.shape != fast.shape or reference.ndim != 2 or reference.shape[1] != 3 or len(gold) != len(reference):
        raise ValueError("reference, fast and gold must have the same number of rows of 3 probabilities")
    n = len(gold)
    if n == 0:
        return Validation(dataset, 0, 0.0, 0.0, 0.0, 0.0, 0.0)
    unknown = set(gold) - set(NLI_LABELS)
    if unknown:
        raise ValueError(f"gold labels must be among {NLI_LABELS}, got {sorted(unknown)}")
    gold_idx = np.array([NLI_LABELS.index(g) for g in gold])
    ref_arg, fast_arg = reference.argmax(1), fast.argmax(1)
    diff = np.abs(reference - fast)
    return Validation(
        dataset,
        n,
        float((ref_arg == fast_arg).mean()),
        float((ref_arg == gold_idx).mean()),
        float((fast_arg == gold_idx).mean()),
        float(diff.max()),
        float(diff.mean()),
    )


def read_nli_jsonl(path: str | Path, limit: int | None = None) -> tuple[list[tuple[str, str]], list[str]]:
    """(pairs, gold labels) of a three-way labeled file, read by :func:`checker.evaluate.read_labeled`
    (so a bad file gives the same clear error as ``newscheck eval``).

    Raises:
        LabeledDataError: a two-way file (agreement needs the three labels) or no usable row.
    """
    from checker.errors import LabeledDataError
    from checker.evaluate import read_labeled

    labeled = read_labeled(path)
    if labeled.two_way:
        raise LabeledDataError(
            f"{path} is two-way (entailment/not_entailment); a fast backend is "
            "validated on a three-way NLI set such as XNLI dev"
        )
    rows = labeled.rows[:limit] if limit else labeled.rows
    return [(r.premise, r.hypothesis) for r in rows], [r.label for r in rows]


def validate_fast_backend(
    onnx_dir: str | Path,
    model_dir: str | Path,
    data: str | Path,
    limit: int | None = None,
    reference: np.ndarray | None = None,
    write: bool = True,
    extra: Sequence[tuple[str | Path, np.ndarray]] = (),
) -> Validation:
    """Score ``data`` with the fast build and with PyTorch fp32, compare, record the result.

    Args:
        onnx_dir: a folder written by :func:`export_onnx`.
        model_dir: the source model folder (the fp32 reference).
        data: labelled NLI pairs (jsonl or jsonl.gz), normally XNLI English dev.
        limit: first rows only (tests). Defaults to all rows; fewer than
            :data:`MIN_VALIDATION_ROWS` never passes.
        reference: fp32 probabilities already computed for these rows (skips that run).
        write: write ``validation.json`` into ``onnx_dir``. Defaults to True.
        extra: further (dev set, fp32 probabilities) to check with the same agreement and
            accuracy rule but no row minimum (the demo-corpus labeled set); recorded as
            ``extra_checks``, and the build passes only if every one does.
    """
    from checker.nli import NliModel

    pairs, gold = read_nli_jsonl(data, limit)
    if reference is None:
        reference = NliModel(str(model_dir)).predict(pairs)
    fast_model = OnnxNliModel(onnx_dir, name=str(model_dir))
    result = compare_predictions(reference, fast_model.predict(pairs), gold, dataset=Path(data).name.split(".")[0])
    if write:
        checks = [_extra_check(fast_model, path, ref) for path, ref in extra]
        record = result.to_dict() | {"source_hash": model_content_hash(model_dir), "export_version": EXPORT_VERSION}
        if checks:
            record |= {"extra_checks": checks, "passed": result.passed and all(c["passed"] for c in checks)}
        (Path(onnx_dir) / VALIDATION_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return result


def _passing_record(onnx_dir: Path, source_hash: str) -> bool:
    """True when ``validation.json`` in ``onnx_dir`` is readable and says the build passed."""
    try:
        rec = json.loads((onnx_dir / VALIDATION_FILE).read_text(encoding="utf-8"))
        val = Validation(
            str(rec["dataset"]),
            int(rec["rows"]),
            float(rec["agreement"]),
            float(rec["accuracy_reference"]),
            float(rec["accuracy_fast"]),
            float(rec["max_abs_prob_diff"]),
            float(rec["mean_abs_prob_diff"]),
        )
        extra_ok = all(bool(x["passed"]) for x in rec.get("extra_checks", []))
        return (
            val.passed
            and extra_ok
            and rec.get("source_hash") == source_hash
            and rec.get("export_version") == EXPORT_VERSION
            and (onnx_dir / ONNX_FILE).is_file()
        )
    except (OSError, ValueError, KeyError, TypeError):
        return False


# --------------------------------------------------------------------------------- factory


def default_validation_data() -> Path | None:
    """Labelled dev set for :func:`build_fast_backend`: ``$NEWSCHECK_NLI_DEV`` if set."""
    env = os.environ.get("NEWSCHECK_NLI_DEV")
    return Path(env).expanduser() if env else None


def _extra_check(fast_model: OnnxNliModel, data: str | Path, reference: np.ndarray) -> dict:
    """A further dev set (e.g. the demo-corpus labeled pairs): the same agreement and accuracy
    rule, without the row minimum, recorded beside the main validation."""
    pairs, gold = read_nli_jsonl(data)
    v = compare_predictions(reference, fast_model.predict(pairs), gold, dataset=Path(data).name.split(".")[0])
    ok = v.agreement >= MIN_AGREEMENT and v.accuracy_reference - v.accuracy_fast <= MAX_ACCURACY_DROP + 1e-9
    return v.to_dict() | {"passed": ok}


def build_fast_backend(
    model: str | Path | None = None,
    variants: Sequence[str] = AUTO_ORDER,
    data: str | Path | Sequence[str | Path] | None = None,
    limit: int | None = None,
    root: str | Path | None = None,
) -> dict[str, Validation | None]:
    """Export the fast variants of a model into the cache and validate each against fp32.

    Args:
        model: local model folder. Defaults to newscheck's shipped model.
        variants: which of :data:`AUTO_ORDER` to build. Defaults to all.
        data: labelled dev set for the check, or several: the first carries the row minimum
            (XNLI dev), every further one (the demo-corpus labeled set) must pass the same
            agreement and accuracy rule too (``extra_checks`` in validation.json). Defaults
            to :func:`default_validation_data`; without one, builds are left unvalidated
            and ``backend="auto"`` ignores them.
        limit: validate on the first rows only.
        root: cache folder. Defaults to :func:`cache_dir`.

    Returns:
        For each variant, its validation (None when no dev set was given).

    Raises:
        ModelError: the cache folder is not writable, the model cannot be exported, or
            onnx / onnxruntime are not installed.
    """
    from checker.nli import default_nli_model_path

    _require_onnx()
    src = Path(model).expanduser().resolve() if model else default_nli_model_path()
    data = data if data is not None else default_validation_data()
    paths = [data] if isinstance(data, (str, Path)) else list(data or [])
    results: dict[str, Validation | None] = {}
    references: list[np.ndarray] = []  # fp32 probabilities per dev set, computed once for all variants
    source_hash = model_content_hash(src)
    for variant in variants:
        target = fast_backend_dir(src, variant, root, source_hash)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=f".{variant}-", dir=target.parent))
        except OSError as exc:
            raise ModelError(f"cannot write the fast-backend cache {target.parent}: {exc}") from exc
        try:
            # per-channel int8 scales: per-tensor ones agreed with fp32 on only 97.7% of XNLI
            # dev with the shipped model (per channel: 98.2%; eval/BENCH.md)
            export_onnx(src, staging, quantize=variant == "onnx-int8", per_channel=True)
            if paths:
                if not references:
                    from checker.nli import NliModel

                    fp32 = NliModel(str(src))
                    references = [
                        fp32.predict(read_nli_jsonl(path, limit if i == 0 else None)[0]) for i, path in enumerate(paths)
                    ]
                results[variant] = validate_fast_backend(
                    staging, src, paths[0], limit, references[0], extra=list(zip(paths[1:], references[1:]))
                )
            else:
                results[variant] = None
            if target.exists():
                shutil.rmtree(target)
            staging.rename(target)  # appears whole or not at all
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return results


def find_fast_backend(model_dir: str | Path, root: str | Path | None = None) -> Path | None:
    """The best cached build of ``model_dir`` whose validation passed, or None."""
    try:
        source_hash = model_content_hash(model_dir)
    except (ModelError, OSError):
        return None
    for variant in AUTO_ORDER:
        folder = fast_backend_dir(model_dir, variant, root, source_hash)
        if _passing_record(folder, source_hash):
            return folder
    return None


def resolve_backend(model: str | Path, backend: str = "auto") -> str:
    """The backend :func:`load_nli` would use for ``model``, without loading anything."""
    if backend != "auto":
        return backend
    from checker.models import resolve_model

    where = resolve_model(str(model), "NLI")
    folder = find_fast_backend(where) if Path(where).is_dir() else None
    return str(_read_json(folder / BACKEND_FILE).get("variant", "onnx")) if folder else "torch"


def load_nli(model: str | Path | None = None, backend: str = "auto", batch_size: int = 32, max_length: int = 256):
    """An NLI model object with ``name``, ``temperature`` and ``predict(pairs, progress)``.

    Args:
        model: folder or hub id. Defaults to newscheck's shipped model.
        backend: "torch" (:class:`checker.nli.NliModel`, fp32); "onnx" or "onnx-int8"
            (the cached build, exported and validated first if missing); "auto" (the best
            cached build whose validation passed, else torch; never builds, never fails
            because of the cache). Defaults to "auto".
        batch_size: pairs per forward pass. Defaults to 32.
        max_length: token limit of premise + hypothesis. Defaults to 256.

    Raises:
        ValueError: an unknown backend.
        ModelError: the model cannot be loaded; for "onnx"/"onnx-int8", also when the build
            cannot be made (onnxruntime missing, cache not writable).
    """
    from checker.models import resolve_model
    from checker.nli import NliModel, default_nli_model_path

    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    name = str(model) if model else str(default_nli_model_path())
    if backend == "torch":
        return NliModel(name, batch_size, max_length)
    where = resolve_model(name, "NLI")
    local = Path(where).is_dir()
    if backend == "auto":
        folder = find_fast_backend(where) if local else None
        if folder is not None:
            try:
                return OnnxNliModel(folder, name=name, batch_size=batch_size, max_length=max_length)
            except ModelError:
                pass  # a broken cache entry or no onnxruntime: the PyTorch model still works
        return NliModel(name, batch_size, max_length)
    if not local:
        raise ModelError(f"the {backend} backend needs a local model folder, got {name!r}")
    folder = fast_backend_dir(where, backend)
    if not (folder / ONNX_FILE).is_file():
        build_fast_backend(where, variants=(backend,))
    return OnnxNliModel(folder, name=name, batch_size=batch_size, max_length=max_length)
