"""Fast NLI inference: the same façade as :class:`checker.nli.NliModel`, run by ONNX Runtime,
and the choice of backend for an audit.

Why built so: the NLI cross-encoder dominates an audit's time on a CPU. A build exported
once to an ONNX graph (:mod:`checker.onnx_export`, ``newscheck export-onnx``), kept in the
cache folder keyed by the model's content hash (:mod:`checker.model_cache`), is run by ONNX
Runtime and tokenised by the ``tokenizers`` library directly, so scoring needs neither
torch nor transformers. :func:`load_nli` with ``backend="auto"`` uses a build only when its
validation record (:mod:`checker.onnx_validate`) says it agrees with PyTorch fp32; anything
missing, failing, unreadable or not installed means the PyTorch model, never a crash.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from checker.errors import ModelError
from checker.model_cache import (
    AUTO_ORDER,
    BACKEND_FILE,
    EXPORT_VERSION,
    ONNX_FILE,
    VALIDATION_FILE,
    cache_dir,
    fast_backend_dir,
    model_content_hash,
    read_json,
)
from checker.nli import label_columns
from checker.onnx_validate import passing_record

__all__ = [
    "AUTO_ORDER",
    "BACKENDS",
    "BACKEND_FILE",
    "EXPORT_VERSION",
    "ONNX_FILE",
    "VALIDATION_FILE",
    "OnnxNliModel",
    "cache_dir",
    "fast_backend_dir",
    "find_fast_backend",
    "load_nli",
    "model_content_hash",
    "require_onnx",
    "resolve_backend",
]

#: what ``backend=`` accepts. "onnx" is the fp32 graph, "onnx-int8" the quantised one.
BACKENDS: tuple[str, ...] = ("auto", "torch", "onnx", "onnx-int8")

# Names that lived here before the export and the validation got modules of their own.
_MOVED = {
    "checker.onnx_export": ("export_onnx", "build_fast_backend"),
    "checker.onnx_validate": (
        "MIN_AGREEMENT",
        "MAX_ACCURACY_DROP",
        "MIN_VALIDATION_ROWS",
        "Validation",
        "compare_predictions",
        "default_validation_data",
        "read_nli_jsonl",
        "validate_fast_backend",
    ),
}


def __getattr__(name: str):
    for module, names in _MOVED.items():
        if name in names:
            import importlib

            return getattr(importlib.import_module(module), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def require_onnx() -> None:
    """Raise a ModelError unless onnx and onnxruntime are installed."""
    try:
        import onnx  # noqa: F401
        import onnxruntime  # noqa: F401
    except ImportError as exc:
        raise ModelError("the fast NLI backend needs onnx and onnxruntime: pip install 'newscheck[fast]'") from exc


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
        require_onnx()
        import onnxruntime as ort
        from tokenizers import Tokenizer

        folder = Path(onnx_dir)
        try:
            info = json.loads((folder / BACKEND_FILE).read_text(encoding="utf-8"))
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            tok_config = read_json(folder / "tokenizer_config.json")
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


def _usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def find_fast_backend(model_dir: str | Path, root: str | Path | None = None) -> Path | None:
    """The best cached build of ``model_dir`` whose validation passed, or None."""
    try:
        source_hash = model_content_hash(model_dir)
    except (ModelError, OSError):
        return None
    for variant in AUTO_ORDER:
        folder = fast_backend_dir(model_dir, variant, root, source_hash)
        if passing_record(folder, source_hash):
            return folder
    return None


def resolve_backend(model: str | Path, backend: str = "auto") -> str:
    """The backend :func:`load_nli` would use for ``model``, without loading anything."""
    if backend != "auto":
        return backend
    from checker.models import resolve_model

    where = resolve_model(str(model), "NLI")
    folder = find_fast_backend(where) if Path(where).is_dir() else None
    return str(read_json(folder / BACKEND_FILE).get("variant", "onnx")) if folder else "torch"


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
        from checker.onnx_export import build_fast_backend

        build_fast_backend(where, variants=(backend,))
    return OnnxNliModel(folder, name=name, batch_size=batch_size, max_length=max_length)
