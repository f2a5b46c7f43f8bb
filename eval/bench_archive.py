"""Benchmark `newscheck audit-archive` on an archive: wall time, articles/min, peak memory.

Runs the command under `/usr/bin/time -v` (peak RSS of the largest single process) and, once
a second, sums the resident memory of the whole process tree from /proc (the Ray engine's
raylet, workers and actors are children of the command, so only the sum says what the run
needs). Records the load average at start and end: on a shared machine the figures are only
as good as the machine was idle.

    python eval/bench_archive.py --engine local --out runs/archive-bench/local \\
        --store runs/archive-bench/local.sqlite eval/archive/articles

Writes OUT.bench.json beside the output folder and prints it.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            statm = Path(f"/proc/{entry}/statm").read_text().split()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = int(statm[1]) * PAGE
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("archive")
    ap.add_argument("--engine", default="local", choices=("local", "ray"))
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--store", required=True, type=Path, help="a new store path measures a cold run")
    ap.add_argument("extra", nargs="*", help="more audit-archive options (after --)")
    args = ap.parse_args()
    exe = Path(sys.executable).with_name("newscheck")
    cmd = ["/usr/bin/time", "-v", str(exe), "audit-archive", args.archive, "--out", str(args.out)]
    cmd += ["--engine", args.engine, "--store", str(args.store), "--quiet", *args.extra]
    load_start = os.getloadavg()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    peak_tree = 0
    while proc.poll() is None:
        peak_tree = max(peak_tree, _tree_rss(proc.pid))
        time.sleep(1.0)
    stderr = proc.stderr.read() if proc.stderr else ""
    wall = time.monotonic() - start
    peak_one = re.search(r"Maximum resident set size \(kbytes\): (\d+)", stderr)
    index_path = args.out / "index.json"
    index = json.loads(index_path.read_text()) if index_path.exists() else {"summary": {}}
    s = index["summary"]
    result = {
        "command": " ".join(cmd[2:]),
        "exit": proc.returncode,
        "wall_s": round(wall, 1),
        "articles": s.get("articles"),
        "articles_per_min": round(60 * s["articles"] / wall, 1) if s.get("articles") else None,
        "stories": s.get("stories"),
        "audited": s.get("audited"),
        "reused": s.get("reused"),
        "single_article": s.get("single_article"),
        "failed": s.get("failed"),
        "statements": sum(e["statements"] for e in index.get("stories", [])),
        "pairs": sum(e["pairs"] for e in index.get("stories", [])),
        "peak_rss_largest_process_mib": round(int(peak_one.group(1)) / 1024) if peak_one else None,
        "peak_rss_process_tree_mib": round(peak_tree / 2**20),
        "load_start": [round(x, 2) for x in load_start],
        "load_end": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
    }
    if proc.returncode != 0:
        result["stderr_tail"] = stderr[-2000:]
    Path(f"{args.out}.bench.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
