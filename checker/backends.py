"""The choice of NLI backend for an audit: PyTorch, or a validated ONNX build from the cache.

Why built so: the NLI cross-encoder dominates an audit's time on a CPU, and a faster graph
is only worth having if it gives the same answers. The NLI layer is split by job: the
shared core and the PyTorch model (:mod:`checker.nli`), the cache folder and the model
content hash (:mod:`checker.model_cache`), the export (:mod:`checker.onnx_export`), the
ONNX Runtime model (:mod:`checker.onnx_runtime`) and the check against PyTorch fp32
(:mod:`checker.onnx_validate`). This module only chooses: :func:`load_nli` with
``backend="auto"`` uses a build only when its validation record says it agrees with
PyTorch fp32; anything missing, failing, unreadable or not installed means the PyTorch
model, never a crash.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from checker.errors import ModelError
from checker.model_cache import AUTO_ORDER, BACKEND_FILE, ONNX_FILE, fast_backend_dir, model_content_hash, read_json
from checker.onnx_runtime import OnnxNliModel, require_onnx
from checker.onnx_validate import passing_record

if TYPE_CHECKING:
    from checker.nli import NliPredictor

__all__ = ["BACKENDS", "OnnxNliModel", "find_fast_backend", "load_nli", "require_onnx", "resolve_backend"]

#: what ``backend=`` accepts. "onnx" is the fp32 graph, "onnx-int8" the quantised one.
BACKENDS: tuple[str, ...] = ("auto", "torch", "onnx", "onnx-int8")


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


def load_nli(
    model: str | Path | None = None, backend: str = "auto", batch_size: int = 32, max_length: int = 256
) -> NliPredictor:
    """An NLI model (:class:`checker.nli.NliPredictor`) on the chosen backend.

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
