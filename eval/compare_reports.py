"""Compare two JSON reports of the same audit, leaving out what differs run to run (``created``).

    python eval/compare_reports.py BEFORE.json AFTER.json

Prints the first differences and exits 1 when the reports differ.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: top-level fields that record when, not what
VOLATILE = ("created",)


def differences(a: object, b: object, path: str = "", limit: int = 20) -> list[str]:
    """Paths (``pairs[3].score``) where ``a`` and ``b`` differ, at most ``limit``."""
    out: list[str] = []

    def walk(x: object, y: object, where: str) -> None:
        if len(out) >= limit:
            return
        if isinstance(x, dict) and isinstance(y, dict):
            for k in sorted(set(x) | set(y), key=str):
                if k not in x or k not in y:
                    out.append(f"{where}.{k}: only in {'after' if k not in x else 'before'}")
                else:
                    walk(x[k], y[k], f"{where}.{k}")
        elif isinstance(x, list) and isinstance(y, list):
            if len(x) != len(y):
                out.append(f"{where}: {len(x)} items before, {len(y)} after")
            for i, (u, v) in enumerate(zip(x, y)):
                walk(u, v, f"{where}[{i}]")
        elif x != y or type(x) is not type(y):
            out.append(f"{where}: {x!r} -> {y!r}")

    walk(a, b, path)
    return out


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    before, after = (json.loads(Path(p).read_text(encoding="utf-8")) for p in sys.argv[1:])
    for d in (before, after):
        for k in VOLATILE:
            d.pop(k, None)
    diffs = differences(before, after)
    for line in diffs:
        print(line)
    print("identical" if not diffs else f"reports differ (first {len(diffs)} differences above)")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
