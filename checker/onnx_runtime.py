"""The ONNX Runtime NLI model: an exported graph behind the same façade as
:class:`checker.nli.NliModel` (:class:`checker.nli.NliPredictor`).

Why built so: the NLI cross-encoder dominates an audit's time on a CPU. A build exported
once (:mod:`checker.onnx_export`) is run by ONNX Runtime and tokenised by the ``tokenizers``
library directly, so scoring needs neither torch nor transformers. Batching, length
sorting, softmax and temperature are :mod:`checker.nli`'s shared core; only the
tokenisation and the forward pass are this module's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from checker.errors import ModelError
from checker.model_cache import BACKEND_FILE, ONNX_FILE, read_json
from checker.nli import MAX_BATCH_TOKENS, label_columns, pack_pairs, probabilities, score_by_length


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
        onnx_dir: a folder written by :func:`checker.onnx_export.export_onnx`.
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
        self._counter = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._counter.no_padding()
        self._counter.no_truncation()
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
        # the arena keeps what the longest batch needed (~100 MiB) for the session's life; the
        # last pass of each call gives it back, so later stages of an audit do not carry it
        self._release = ort.RunOptions()
        self._release.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")

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

    def _ids(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[list[int], list[int]]]:
        return [(e.ids, e.type_ids) for e in self._encode(pairs)]

    def count_tokens(self, text: str) -> int:
        """Tokens of one text without special tokens, never truncated (long-input policy)."""
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def logits(self, pairs: Sequence[tuple[str, str]], progress=None) -> np.ndarray:
        """Raw ``(n, labels)`` logits in the model's own column order, input order kept.

        Pairs are tokenised once (kept packed: :class:`checker.nli.PackedPairs`), then scored
        by :func:`checker.nli.score_by_length`. ``progress`` gets the pairs just scored.
        """
        if not pairs:
            return np.zeros((0, len(self.id2label)), dtype=np.float32)
        packed = pack_pairs(pairs, self._ids)
        left = [len(pairs)]

        def run_batch(idx: np.ndarray, pad_to: int | None = None) -> np.ndarray:
            ids, mask, types = packed.padded(idx, self.pad_id, pad_to)
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            left[0] -= len(idx)
            last = self._release if left[0] == 0 else None
            return self.session.run(["logits"], {k: feeds[k] for k in self.input_names}, last)[0]

        return score_by_length(
            packed.lengths, self.batch_size, run_batch, len(self.id2label), progress, MAX_BATCH_TOKENS
        )

    def predict(self, pairs: Sequence[tuple[str, str]], progress=None) -> np.ndarray:
        """``(n, 3)`` probabilities (entailment, neutral, contradiction) for ``pairs``.

        Args:
            pairs: (premise, hypothesis) texts.
            progress: optional callable taking the number of pairs just scored.
        """
        return probabilities(self.logits(pairs, progress), self.cols, self.temperature)


def _usable_cpus() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
