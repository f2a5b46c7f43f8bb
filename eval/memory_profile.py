"""Peak resident memory per audit stage: where an audit's memory goes (issue 13).

Runs what ``newscheck audit CORPUS --no-store --quiet`` runs, in one process, with a thread
sampling VmRSS every ``--every`` seconds; prints, per stage, the RSS when it began and the
highest RSS seen during it, and the process's VmHWM (the figure ``/usr/bin/time -v``
reports as "Maximum resident set size") at the end.

    python eval/memory_profile.py /tmp/arch200 [--backend auto] [--out /tmp/report.json]
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path


def _status(field: str) -> int:
    """A ``/proc/self/status`` figure in KiB (Linux only)."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


class StageMemory:
    """A progress sink that records the RSS at each stage's start and its highest RSS."""

    def __init__(self, every: float, live: bool = True):
        self.live = live
        self.rows: list[list] = []  # [stage, seconds at start, RSS at start, max RSS during]
        self.t0 = time.perf_counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(every,), daemon=True)
        self.stage("start")
        self._thread.start()

    def _sample(self, every: float) -> None:
        while not self._stop.wait(every):
            rss = _status("VmRSS")
            if self.rows and rss > self.rows[-1][3]:
                self.rows[-1][3] = rss

    def stage(self, name: str, total: int | None = None) -> None:
        rss = _status("VmRSS")
        if self.rows:
            self.rows[-1][3] = max(self.rows[-1][3], rss)
            if self.live:
                name0, t0, rss0, peak0 = self.rows[-1]
                print(
                    f"{name0}: {t0:.1f} s, RSS {rss0 / 1024:,.0f} MiB at start, max {peak0 / 1024:,.0f} MiB", flush=True
                )
        self.rows.append([name, time.perf_counter() - self.t0, rss, rss])

    def advance(self, n: int = 1) -> None: ...

    def stop(self) -> None:
        self.stage("end")
        self._stop.set()
        self._thread.join()

    def table(self) -> str:
        lines = ["| stage | start s | RSS at start MiB | max RSS MiB |", "|---|---:|---:|---:|"]
        for name, t, rss, peak in self.rows:
            lines.append(f"| {name} | {t:.1f} | {rss / 1024:,.0f} | {peak / 1024:,.0f} |")
        return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--backend", default="auto")
    ap.add_argument("--out", type=Path, help="also write the JSON report here, as --out does")
    ap.add_argument("--every", type=float, default=0.05, help="seconds between RSS samples")
    args = ap.parse_args()
    mem = StageMemory(args.every)
    from checker.api import Auditor, read_corpus
    from checker.report import write_report

    mem.stage("imports done; reading corpus")
    ingested = read_corpus(args.corpus)
    with Auditor(backend=args.backend, store=False) as auditor:
        run = auditor.run(args.corpus, ingested, mem)  # the last stage's row includes the JSON form
    if args.out is not None:
        mem.stage("writing the report (--out)")
        write_report(run.data, args.out, overwrite=True)
    mem.stop()
    print(mem.table())
    print(f"VmHWM (peak RSS): {_status('VmHWM'):,} KiB = {_status('VmHWM') / 1024:,.0f} MiB")


if __name__ == "__main__":
    main()
