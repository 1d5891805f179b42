"""Batch throughput: participants per second for the RMD and outcome jobs.

    python benchmarks/batch_throughput.py [--small 100000] [--big 10000000] [--write docs/performance.md]

- ``small`` rows through the local engine in one process (one batch);
- ``big`` rows through the Dask engine on a LocalCluster, with one worker and then two in the
  same run, partitions of 250,000 rows; the cluster is started before the clock starts, its
  workers with the engine and the law loaded (``--preload dist401k.dask_preload``), and passed
  as ``scheduler`` (as a recordkeeper's standing cluster would be), so the figure is the
  run's: submitting, reading, the rules, writing every partition; the peak memory (RSS) of the
  whole process tree (scheduler, nannies, workers) is sampled every 0.2 s.
The synthetic books are generated once under benchmarks/.cache/ (deterministic by seed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import psutil
import pyarrow.parquet as pq
from _report import replace_section  # noqa: E402
from distributed import LocalCluster

from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.runner import run_dask
from dist401k.synth import synth_table

CACHE = Path(__file__).parent / ".cache"


def book(n: int, group: int = 250_000) -> Path:
    path = CACHE / f"book-{n}.parquet"
    if path.exists():
        return path
    CACHE.mkdir(exist_ok=True)
    writer = None
    for start in range(0, n, group):
        t = synth_table(min(group, n - start), seed=2026, start=start)
        writer = writer or pq.ParquetWriter(str(path) + ".tmp", t.schema)
        writer.write_table(t)
    writer.close()
    os.replace(str(path) + ".tmp", path)
    return path


class PeakRSS:
    """Peak resident memory of this process and all its descendants."""

    def __init__(self):
        self.peak = 0
        self._stop = threading.Event()

    def _run(self):
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for p in [me, *me.children(recursive=True)]:
                try:
                    total += p.memory_info().rss
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            time.sleep(0.2)

    def __enter__(self):
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=100_000)
    ap.add_argument("--big", type=int, default=10_000_000,
                    help="rows through the Dask engine (0: the local engine alone)")
    ap.add_argument("--partition-rows", type=int, default=250_000)
    ap.add_argument("--jobs", nargs="+", default=["rmd", "outcome"])
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    law = default_law()
    rows = []
    small = pq.read_table(book(args.small))
    for job in args.jobs:
        run_job(small.slice(0, 1000), job, law)
        best = min(_timed(lambda j=job: run_job(small, j, law)) for _ in range(3))
        rows.append((job, f"{args.small:,}", "`run_job` in memory, 1 process (no file I/O)",
                     args.small / best, None))
        print(rows[-1], flush=True)
    big = book(args.big) if args.big else None
    for job in args.jobs if big is not None else ():
        for workers in (1, 2):
            out = CACHE / f"out-{job}-{workers}"
            shutil.rmtree(out, ignore_errors=True)
            with PeakRSS() as mem, LocalCluster(n_workers=workers, threads_per_worker=1,
                                                processes=True, memory_limit="3GB",
                                                dashboard_address=None,
                                                preload=["dist401k.dask_preload"]) as cluster:
                s = run_dask(big, job, out, scheduler=cluster.scheduler_address,
                             partition_rows=args.partition_rows)
            assert s.conserved and s.rows_in == args.big
            rows.append((job, f"{args.big:,}", f"Dask, {workers} worker{'s' * (workers > 1)}",
                         args.big / s.seconds, mem.peak))
            print(rows[-1], flush=True)
            shutil.rmtree(out, ignore_errors=True)
    # Merge with earlier measurements (a rerun of a job on an engine replaces that row only).
    saved = CACHE.parent / "results" / "batch_throughput.json"
    saved.parent.mkdir(exist_ok=True)
    old = json.loads(saved.read_text()) if saved.exists() else []
    ran = {(r[0], r[2]) for r in rows}
    keep = [r for r in old if (r[0], r[2]) not in ran]
    rows = keep + [list(r) for r in rows]
    saved.write_text(json.dumps(rows, indent=1))
    args.jobs = sorted({r[0] for r in rows}, key=["rmd", "outcome", "eligibility"].index)
    table = markdown(rows, args)
    print(table)
    if args.write:
        replace_section(args.write, "batch_throughput", table)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def markdown(rows, args) -> str:
    cpu = platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in
                   Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    lines = [f"Machine: {cpu}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f}"
             f" GiB; partitions of {args.partition_rows:,} rows.", "",
             "| job | rows | engine | participants/s | peak memory (process tree) |",
             "|---|---:|---|---:|---:|"]
    by = {}
    order = ["rmd", "outcome", "eligibility"]
    for job, n, engine, rate, peak in sorted(rows, key=lambda r: (order.index(r[0]),
                                                               r[2].startswith("Dask"), r[2])):
        lines.append(f"| {job} | {n} | {engine} | {rate:,.0f} | "
                     f"{'—' if peak is None else f'{peak / 2**30:.2f} GiB'} |")
        by[(job, engine)] = rate
    lines.append("")
    for job in args.jobs:
        one, two = by.get((job, "Dask, 1 worker")), by.get((job, "Dask, 2 workers"))
        if one and two:
            lines.append(f"- {job}: two workers {two / one:.2f}× one worker.")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
