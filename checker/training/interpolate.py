"""Weight interpolation of two fine-tuned NLI models (WiSE-FT, Wortsman et al. 2022).

Why built so: a warm-started run on news retellings (v8) learnt what the shipped model lacked
(demo-set contradiction F1 0.27 -> 0.64) and lost a little general NLI (XNLI -1.1 points).
Two fine-tunes of one starting point lie in one basin of the loss; the straight line between
their weights often keeps most of both skills, without another training run. ``alpha`` is the
share of the second model: 0 is the first model, 1 the second.

    python -m checker.training.interpolate models/nli runs/nli-v8/model --alpha 0.5 --out runs/v8-half
"""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

#: files of the first model copied as they are (tokenizer, label names, temperature)
COPIED = ("config.json", "tokenizer.json", "tokenizer_config.json", "calibration.json")


def interpolate(first: Path, second: Path, alpha: float, out: Path) -> Path:
    """Write ``(1 - alpha) * first + alpha * second`` (every tensor) with the first model's files to ``out``."""
    from safetensors.torch import load_file, save_file

    if not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha {alpha} is not in [0, 1]")
    if out.exists():
        raise FileExistsError(f"{out} exists; choose a new folder")
    a = load_file(first / "model.safetensors")
    b = load_file(second / "model.safetensors")
    if a.keys() != b.keys() or any(a[k].shape != b[k].shape for k in a):
        raise ValueError(f"{first} and {second} are not the same architecture")
    mixed = {}
    for k, ta in a.items():
        if ta.is_floating_point():
            mixed[k] = ((1 - alpha) * ta.float() + alpha * b[k].float()).to(ta.dtype)
        else:
            mixed[k] = ta.clone()  # integer buffers (position ids) are the same in both
    out.mkdir(parents=True)
    save_file(mixed, out / "model.safetensors", metadata={"format": "pt"})
    for name in COPIED:
        if (first / name).is_file():
            shutil.copy2(first / name, out / name)
    (out / "interpolation.json").write_text(
        json.dumps({"first": str(first), "second": str(second), "alpha": alpha}, indent=1) + "\n", encoding="utf-8"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("first", type=Path, help="model folder (alpha 0)")
    ap.add_argument("second", type=Path, help="model folder of the same architecture (alpha 1)")
    ap.add_argument("--alpha", type=float, default=0.5, help="share of the second model (default 0.5)")
    ap.add_argument("--out", type=Path, required=True, help="new folder for the mixed model")
    args = ap.parse_args()
    try:
        print(interpolate(args.first, args.second, args.alpha, args.out))
    except (ValueError, OSError) as exc:  # a bad alpha, a missing or existing folder, other weights
        raise SystemExit(f"interpolate: {exc}") from None


if __name__ == "__main__":
    main()
