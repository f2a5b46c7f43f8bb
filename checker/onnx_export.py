"""Exporting an NLI model to ONNX graphs (fp32 fused, int8) in the cache, each validated.

Why built so: the NLI cross-encoder dominates an audit's time on a CPU. The model is
exported once to an ONNX graph (optionally with dynamic int8 quantisation of its weight
matrices) into the cache folder of :mod:`checker.model_cache`, and checked against PyTorch
fp32 (:mod:`checker.onnx_validate`) before ``backend="auto"`` may use it. Exporting takes a
minute and needs torch; it runs only from ``newscheck export-onnx`` (:func:`build_fast_backend`)
or an explicit ``backend="onnx"``/``"onnx-int8"`` whose build is missing, never on its own
during an audit. ONNX Runtime's hardware-specific optimised graph is not saved
(optimisation runs at session start).
"""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import warnings
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
    fast_backend_dir,
    model_content_hash,
)
from checker.nli import label_columns
from checker.onnx_runtime import require_onnx
from checker.onnx_validate import Validation, default_validation_data, read_nli_jsonl, validate_fast_backend

_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
#: config.model_type -> model_type of onnxruntime.transformers.optimizer (BERT-like only).
_FUSION_TYPES = {"bert": "bert", "roberta": "bert", "xlm-roberta": "bert", "electra": "bert"}


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
        ``out_dir``, a folder :class:`checker.onnx_runtime.OnnxNliModel` loads.

    Raises:
        ModelError: the model cannot be loaded, or onnx / onnxruntime are not installed.
    """
    import torch

    from checker.models import load_sequence_classifier

    require_onnx()
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
            f"{len(excluded)} MatMuls (each feed-forward output, the first layer's attention output and feed-forward input) and the embeddings kept fp32"
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
    (92% vs 98.7%, see eval/BENCH.md). The first layer's other two matmuls (attention
    output, first feed-forward) stay fp32 too: its error is carried through every later
    layer, and with them quantised the shipped model agreed with fp32 on 97.8% of XNLI dev, under
    the 98% gate (eval/BENCH.md, 2026-12-07). The word-embedding table stays fp32 (quantising
    Gather / EmbedLayerNormalization saved memory, not time).
    """
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    nodes = onnx.load(str(graph), load_external_data=False).graph.node
    keep_fp32 = [
        n.name
        for n in nodes
        if n.op_type == "MatMul" and (("/output/dense" in n.name and "attention" not in n.name) or "layer.0/" in n.name)
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

    require_onnx()
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
