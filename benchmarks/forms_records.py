"""The forms job against the outcome job: rows per second and peak memory, streamed by chunk.

    python benchmarks/forms_records.py [--rows 100000] [--batch-rows 50000] [--write docs/performance.md]

Both jobs run through the local engine (``runner.run_local``: the book is read and written
chunk by chunk) on the same synthetic book (``dist401k synth``, generated once under
benchmarks/.cache/); the peak resident memory of the process is sampled every 0.2 s during
each run.  The forms job is the outcome job plus the boxes of every Form 1099-R.
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import psutil
from _report import replace_section  # noqa: E402
from batch_throughput import PeakRSS, book  # noqa: E402

from dist401k.law import default_law
from dist401k.runner import run_local


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--batch-rows", type=int, default=50_000)
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    law = default_law()
    path = book(args.rows, group=min(args.rows, 250_000))
    lines = [f"Machine: {platform.processor() or platform.machine()}, {psutil.cpu_count()} cores, "
             f"{psutil.virtual_memory().total / 2**30:.0f} GiB; {args.rows:,} rows, chunks of "
             f"{args.batch_rows:,}.", "", "| job | rows/s | peak memory (process) |",
             "|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for job in ("outcome", "forms"):
            out = Path(tmp) / f"{job}.parquet"
            with PeakRSS() as rss:
                t0 = time.perf_counter()
                run_local(path, job, out, law=law, batch_rows=args.batch_rows)
                dt = time.perf_counter() - t0
            lines.append(f"| {job} | {args.rows / dt:,.0f} | {rss.peak / 2**30:.2f} GiB |")
            print(lines[-1], flush=True)
    table = "\n".join(lines)
    print(table)
    if args.write:
        replace_section(args.write, "forms_records", table)


if __name__ == "__main__":
    main()
