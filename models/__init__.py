"""newscheck's shipped models (installed as the package ``newscheck_models``)."""

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def nli_model_path() -> Path:
    """Folder of the default NLI cross-encoder (safetensors, tokenizer, id2label)."""
    return _HERE / "nli"
