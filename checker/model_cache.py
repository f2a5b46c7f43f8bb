"""The cache of fast NLI builds: where it is, and the content hash that keys a model's builds.

Why built so: an exported graph is only valid for the exact weights it came from. Builds
live in a cache folder (``$NEWSCHECK_CACHE_DIR``, default ``~/.cache/newscheck``) under
``nli-fast/<hash16>-v<EXPORT_VERSION>/<variant>``, keyed by the sha256 of the model files
that determine its outputs, so a retrained model never meets a stale graph and a changed
export recipe (:data:`EXPORT_VERSION`) never reuses an old one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path

from checker.errors import ModelError

#: fast variants that :func:`checker.backends.load_nli` tries for "auto", best first (see eval/BENCH.md).
AUTO_ORDER: tuple[str, ...] = ("onnx-int8", "onnx")
#: bump when the export recipe changes, so old cache entries are not reused.
EXPORT_VERSION = 2
ONNX_FILE = "model.onnx"
BACKEND_FILE = "backend.json"
VALIDATION_FILE = "validation.json"
#: model files that do not change the logits and so are left out of the content hash.
_NOT_HASHED = {"calibration.json", "README.md", "training_args.json", "metrics.json"}


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


def read_json(path: Path) -> dict:
    """A JSON file as a dict; {} when it does not exist."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
