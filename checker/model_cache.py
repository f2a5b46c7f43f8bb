"""The cache folder and the model content hash that the ONNX builds and the store share.

Why built so: an exported graph, a stored vector or a stored NLI score is only valid for
the exact weights it came from. One hash, :func:`folder_content_hash` (sha256 of the model
files that determine its outputs), keys all three: fast builds live under
``<cache>/nli-fast/<hash16>-v<EXPORT_VERSION>/<variant>`` (so a retrained model never meets
a stale graph and a changed export recipe, :data:`EXPORT_VERSION`, never reuses an old
one), and the store keys results by it (:func:`checker.store.model_fingerprint`). The cache
folder is ``$NEWSCHECK_CACHE_DIR``, default ``~/.cache/newscheck``. Hashing a model's bytes
takes a noticeable part of a second, so each folder's hash is remembered there too
(``model-hashes.json``), keyed by its files' sizes and modification times: a re-audit that
loads no model hashes nothing.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

from checker.errors import ModelError

#: fast variants that :func:`checker.backends.load_nli` tries for "auto", best first (see eval/BENCH.md).
AUTO_ORDER: tuple[str, ...] = ("onnx-int8", "onnx")
#: bump when the export recipe changes, so old cache entries are not reused.
EXPORT_VERSION = 3
ONNX_FILE = "model.onnx"
BACKEND_FILE = "backend.json"
VALIDATION_FILE = "validation.json"
#: folder -> content hash, by file sizes and modification times (see the module docstring).
HASH_MEMO_FILE = "model-hashes.json"
#: model files that do not change the logits and so are left out of the content hash: the
#: temperature (part of the store's key on its own), the verdict fitted on top of the model,
#: the card, and the records of how it was trained. Refitting the verdict must not throw
#: away the ONNX build or the stored scores.
_NOT_HASHED = {
    "calibration.json",
    "verdict_calibration.json",
    "README.md",
    "training_args.json",
    "training_config.json",
    "training_metrics.json",
    "metrics.json",
}


def cache_dir() -> Path:
    """``$NEWSCHECK_CACHE_DIR``, or ``~/.cache/newscheck`` when it is not set."""
    env = os.environ.get("NEWSCHECK_CACHE_DIR")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "newscheck"


def model_content_hash(model_dir: str | Path) -> str:
    """:func:`folder_content_hash` of an NLI model folder.

    Raises:
        ModelError: the folder does not exist or holds no config.json.
    """
    root = Path(model_dir).expanduser()
    if not (root / "config.json").is_file():
        raise ModelError(f"NLI model folder holds no config.json: {model_dir}")
    return folder_content_hash(root)


def folder_content_hash(folder: str | Path) -> str:
    """sha256 of the files of a model folder that determine its outputs (names and bytes);
    calibration, notes and hidden files are left out."""
    root = Path(folder).expanduser()
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if rel not in _NOT_HASHED and not rel.startswith("."):
            st = path.stat()
            files.append((rel, st.st_size, st.st_mtime_ns))
    # an audit asks several times (which backend, load it, the store's key): once per file state
    return _hash_files(str(root.resolve()), tuple(files))


@functools.lru_cache(maxsize=16)
def _hash_files(root: str, files: tuple[tuple[str, int, int], ...]) -> str:
    state = hashlib.sha256(repr(files).encode("utf-8")).hexdigest()
    memo_path = cache_dir() / HASH_MEMO_FILE
    memo = _read_memo(memo_path)
    known = memo.get(root)
    if isinstance(known, dict) and known.get("state") == state and isinstance(known.get("sha256"), str):
        return known["sha256"]
    h = hashlib.sha256()
    for rel, _, _ in files:
        h.update(rel.encode("utf-8") + b"\0")
        with open(Path(root) / rel, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    digest = h.hexdigest()
    memo[root] = {"state": state, "sha256": digest}
    _write_memo(memo_path, memo)
    return digest


def _read_memo(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write_memo(path: Path, memo: dict) -> None:
    """Best effort: a cache folder that cannot be written only means hashing again next time."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".model-hashes-", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(memo, fh, indent=1)
        os.replace(tmp, path)
    except OSError:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


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
