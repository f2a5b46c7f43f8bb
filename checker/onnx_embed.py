"""The sentence embedder as an ONNX graph: the same vectors without loading torch.

Why built so: once the NLI model runs from an ONNX build, the embedder is what still
loads torch and transformers' model classes into a cold audit (about 3 s of it on a 2-core
CPU, eval/BENCH.md). A sentence encoder that :func:`checker.embed.direct_pooling` accepts
(all-MiniLM-L6-v2 is one) is exported once, by ``newscheck export-onnx``, as an fp32 graph
of its token vectors (attention and layer norms fused; never quantised, so pairing sees the
same similarities); pooling and normalisation are done here in numpy, tokenisation by the
``tokenizers`` library. Like the NLI builds, ``backend="auto"`` uses a build only when its
validation record says its vectors match PyTorch's (:data:`MIN_COSINE` on every text of a
dev set) and it was made from the exact weights in use (content hash in the folder name).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from checker.errors import ModelError
from checker.model_cache import BACKEND_FILE, ONNX_FILE, VALIDATION_FILE, cache_dir, folder_content_hash, read_json

#: bump when the export recipe changes, so old cache entries are not reused.
EMBED_EXPORT_VERSION = 1
#: a build is trusted when every validation text's vector has at least this cosine with
#: PyTorch's (0.99999: a pair's similarity moves by at most ~0.01, far less in practice)
MIN_COSINE = 0.99999
#: ...on at least this many texts.
MIN_TEXTS = 200


def embedder_build_dir(model_dir: str | Path, root: str | Path | None = None) -> Path:
    """Cache folder of an embedder's ONNX build: ``<cache>/embed-fast/<hash16>-v<N>/onnx``."""
    base = Path(root) if root is not None else cache_dir()
    digest = folder_content_hash(model_dir)
    return base / "embed-fast" / f"{digest[:16]}-v{EMBED_EXPORT_VERSION}" / "onnx"


def find_embedder_build(model_dir: str | Path, root: str | Path | None = None) -> Path | None:
    """The validated ONNX build of ``model_dir`` in the cache, or None."""
    try:
        folder = embedder_build_dir(model_dir, root)
        record = read_json(folder / VALIDATION_FILE)
    except (ModelError, OSError, ValueError):
        return None
    ok = record.get("passed") is True and record.get("source_hash") == folder_content_hash(model_dir)
    return folder if ok and (folder / ONNX_FILE).is_file() else None


class OnnxEmbedder:
    """A sentence encoder run by ONNX Runtime; drop-in for :class:`checker.embed.TransformerEmbedder`.

    Args:
        build: a folder written by :func:`export_embedder`.
        name: what reports record as the embedding model. Defaults to the source folder.
        batch_size: texts per forward pass. Defaults to 64.

    Raises:
        ModelError: the folder is incomplete or damaged, or onnxruntime is not installed.
    """

    def __init__(self, build: str | Path, name: str | None = None, batch_size: int = 64):
        from checker.onnx_runtime import require_onnx

        require_onnx()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(build)
        try:
            info = json.loads((folder / BACKEND_FILE).read_text(encoding="utf-8"))
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as exc:  # tokenizers raises a bare Exception for a damaged tokenizer.json
            raise ModelError(f"incomplete or damaged embedder build in {folder}: {exc}") from exc
        self.name = str(name or info.get("source_model") or folder)
        self.backend = "onnx"
        self.pooling = str(info["pooling"])
        self.lower_case = bool(info["lower_case"])
        self.max_length = int(info["max_length"])
        self.dimension = int(info["dimension"])
        self.pad_id = int(info.get("pad_token_id") or 0)
        self.batch_size = batch_size
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length)
        opts = ort.SessionOptions()
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(folder / ONNX_FILE), opts, providers=["CPUExecutionProvider"])
        except Exception as exc:  # ORT raises its own pybind classes
            raise ModelError(f"could not load the ONNX embedder in {folder}: {str(exc).splitlines()[0]}") from exc
        self.input_names = [i.name for i in self.session.get_inputs()]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        from checker.embed import _unique_rows

        unique = list(dict.fromkeys(texts))
        if not unique:
            return np.zeros((0, self.dimension), dtype=np.float32)
        order = np.argsort([-len(t) for t in unique], kind="stable")  # as sentence-transformers batches
        vecs = np.zeros((len(unique), self.dimension), dtype=np.float32)
        for start in range(0, len(unique), self.batch_size):
            rows = order[start : start + self.batch_size]
            vecs[rows] = self._encode_batch([unique[i] for i in rows])
        return _unique_rows(texts, unique, vecs)

    def _encode_batch(self, batch: list[str]) -> np.ndarray:
        cleaned = [t.strip().lower() if self.lower_case else t.strip() for t in batch]
        encodings = self.tokenizer.encode_batch(cleaned)
        width = max(len(e.ids) for e in encodings)
        ids = np.full((len(batch), width), self.pad_id, dtype=np.int64)
        types = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            types[row, : len(e.ids)] = e.type_ids
            mask[row, : len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        tokens = self.session.run(["last_hidden_state"], {k: feeds[k] for k in self.input_names})[0]
        weights = mask[:, :, None].astype(np.float32)
        if self.pooling == "cls":
            pooled = tokens[:, 0]
        elif self.pooling == "max":
            pooled = np.where(weights > 0, tokens, -1e9).max(axis=1)
        else:
            pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def export_embedder(model_dir: str | Path, out_dir: str | Path) -> Path:
    """Export a direct-pooling sentence encoder's token vectors to a fused fp32 ONNX graph.

    Raises:
        ModelError: the folder is not a mean/CLS/max-pooled sentence encoder, cannot be
            loaded, or onnx / onnxruntime are not installed.
    """
    import torch

    from checker.embed import TransformerEmbedder
    from checker.onnx_runtime import require_onnx

    require_onnx()
    src = Path(model_dir).expanduser().resolve()
    try:
        reference = TransformerEmbedder(str(src))
    except ValueError as exc:
        raise ModelError(str(exc)) from exc
    model, tokenizer = reference.model, reference.tokenizer
    try:
        model.set_attn_implementation("eager")  # the graph ORT's fusion recognises
    except (AttributeError, ValueError):
        pass

    class TokenVectors(torch.nn.Module):
        """The encoder called by keyword (its positional order differs across transformers releases)."""

        def __init__(self, encoder):
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kwargs = {"token_type_ids": token_type_ids} if token_type_ids is not None else {}
            return self.encoder(input_ids=input_ids, attention_mask=attention_mask, **kwargs).last_hidden_state

    example = tokenizer(["A man is eating a sandwich in the park.", "No."], padding=True, return_tensors="pt")
    names = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in example]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out) as tmp:
        graph = Path(tmp) / ONNX_FILE
        with torch.inference_mode(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer warnings on transformers' mask branches
            torch.onnx.export(
                TokenVectors(model).eval(),
                tuple(example[k] for k in names),
                str(graph),
                input_names=names,
                output_names=["last_hidden_state"],
                opset_version=17,
                do_constant_folding=True,
                dynamic_axes={
                    **{k: {0: "batch", 1: "sequence"} for k in names},
                    "last_hidden_state": {0: "batch", 1: "sequence"},
                },
                dynamo=False,
            )
        if getattr(model.config, "model_type", "") == "bert":
            from onnxruntime.transformers.optimizer import optimize_model

            opt = optimize_model(
                str(graph),
                model_type="bert",
                opt_level=0,
                num_heads=int(model.config.num_attention_heads),
                hidden_size=int(model.config.hidden_size),
            )
            graph = Path(tmp) / "fused.onnx"
            opt.save_model_to_file(str(graph))
        shutil.move(str(graph), out / ONNX_FILE)
    tokenizer.backend_tokenizer.save(str(out / "tokenizer.json"))
    info = {
        "format": "onnx",
        "variant": "onnx",
        "export_version": EMBED_EXPORT_VERSION,
        "source_model": str(src),
        "source_hash": folder_content_hash(src),
        "pooling": reference.pooling,
        "lower_case": reference.lower_case,
        "max_length": reference.max_length,
        "dimension": reference.dimension,
        "pad_token_id": int(tokenizer.pad_token_id or 0),
        "torch": torch.__version__,
    }
    (out / BACKEND_FILE).write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
    (out / VALIDATION_FILE).unlink(missing_ok=True)
    return out


def validate_embedder(build: str | Path, model_dir: str | Path, texts: Sequence[str]) -> dict:
    """Compare a build's vectors with PyTorch's on ``texts``; writes and returns the record."""
    from checker.embed import TransformerEmbedder

    texts = list(dict.fromkeys(t for t in texts if t.strip()))
    reference = TransformerEmbedder(str(model_dir)).encode(texts)
    fast = OnnxEmbedder(build).encode(texts)
    min_cosine = float((reference * fast).sum(axis=1).min()) if texts else None
    record: dict = {
        "texts": len(texts),
        "min_cosine": min_cosine,
        "max_abs_diff": float(np.abs(reference - fast).max()) if texts else None,
        "source_hash": folder_content_hash(model_dir),
        "rule": {"min_cosine": MIN_COSINE, "min_texts": MIN_TEXTS},
    }
    record["passed"] = bool(len(texts) >= MIN_TEXTS and min_cosine is not None and min_cosine >= MIN_COSINE)
    (Path(build) / VALIDATION_FILE).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return record


def build_embedder_backend(
    model: str | Path | None = None, texts: Sequence[str] | None = None, root: str | Path | None = None
) -> dict | None:
    """Export the embedder's ONNX build into the cache and validate it on ``texts``.

    Returns the validation record, or None when no texts were given (the build is then left
    unvalidated and ``backend="auto"`` ignores it).

    Raises:
        ModelError: the model cannot be exported or the cache folder is not writable.
    """
    from checker.models import default_embed_model_path, resolve_model

    src = Path(resolve_model(str(model or default_embed_model_path()), "embedding")).resolve()
    target = embedder_build_dir(src, root)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".onnx-", dir=target.parent))
    except OSError as exc:
        raise ModelError(f"cannot write the embedder cache {target.parent}: {exc}") from exc
    try:
        export_embedder(src, staging)
        record = validate_embedder(staging, src, texts) if texts else None
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)  # appears whole or not at all
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return record
