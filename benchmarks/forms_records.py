"""The forms job against the outcome job, and the forms job with its filing export (IRIS CSV
and XML): rows per second and peak memory, streamed by chunk.

    python benchmarks/forms_records.py [--rows 100000] [--batch-rows 50000]
        [--jobs outcome forms iris-csv iris-xml] [--write docs/performance.md]

Every run goes through the local engine (``runner.run_local``: the book is read and written
chunk by chunk) on the same synthetic book (``dist401k synth``, generated once under
benchmarks/.cache/, with a payer's and a recipient's TIN and name added to every row); the
peak resident memory of the process is sampled every 0.2 s during each run.  The forms job is
the outcome job plus the boxes of every Form 1099-R; ``iris-csv`` and ``iris-xml`` are the
forms job writing its filing as it goes (``dist401k batch --job forms --export``).
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import numpy as np
import psutil
import pyarrow as pa
import pyarrow.parquet as pq
from _report import replace_section  # noqa: E402
from batch_throughput import CACHE, PeakRSS, book  # noqa: E402

from dist401k.filing import Transmitter, filing_export
from dist401k.law import default_law
from dist401k.runner import run_local

#: Synthetic payers: one plan of every ten thousand participants.
PARTICIPANTS_PER_PAYER = 10_000
#: A made-up transmitter (an iris-xml transmission names one).
BENCH_TRANSMITTER = Transmitter(tcc="BENCH", tin="100000001", software_id="BENCH00001")


def filed_book(n: int) -> Path:
    """The synthetic book with a recipient's and a payer's TIN, name and address on every row
    (TINs of the form 4XXXXXXXX and 1XXXXXXXX, none a placeholder)."""
    path = CACHE / f"filed-book-v2-{n}.parquet"
    if path.exists():
        return path
    pf = pq.ParquetFile(book(n, group=min(n, 250_000)))
    writer, start = None, 0
    for g in range(pf.num_row_groups):
        t = pf.read_row_group(g)
        i = np.arange(start, start + t.num_rows)
        payer = i // PARTICIPANTS_PER_PAYER
        t = (t.append_column("recipient_tin", pa.array(np.char.mod("4%08d", i + 1)))
             .append_column("recipient_name", pa.array(np.char.mod("Participant %d", i)))
             .append_column("payer_tin", pa.array(np.char.mod("1%08d", payer + 1)))
             .append_column("payer_name", pa.array(np.char.mod("Plan %d", payer))))
        for who, number in (("recipient", i), ("payer", payer)):
            t = (t.append_column(f"{who}_address", pa.array(np.char.mod("%d Main St", number)))
                 .append_column(f"{who}_city", pa.array(np.full(len(i), "Albany")))
                 .append_column(f"{who}_state", pa.array(np.full(len(i), "NY")))
                 .append_column(f"{who}_zip", pa.array(np.full(len(i), "12207"))))
        t = (t.append_column("recipient_first_name", pa.array(np.full(len(i), "Pat")))
             .append_column("recipient_last_name", pa.array(np.char.mod("Participant%d", i))))
        writer = writer or pq.ParquetWriter(str(path) + ".tmp", t.schema)
        writer.write_table(t)
        start += t.num_rows
    writer.close()
    Path(str(path) + ".tmp").replace(path)
    return path


def run(job: str, path: Path, out_dir: Path, batch_rows: int, law) -> None:
    """One run: a job, or the forms job with its filing export."""
    if job in ("outcome", "forms"):
        run_local(path, job, out_dir / f"{job}.parquet", law=law, batch_rows=batch_rows)
        return
    filing = out_dir / f"filing.{job.split('-')[1]}"
    with filing_export(job, filing, BENCH_TRANSMITTER) as w:
        run_local(path, "forms", out_dir / f"{job}.parquet", law=law, batch_rows=batch_rows,
                  sink=w.write)
    print(f"  {w.summary}; {filing.stat().st_size / 2**20:,.0f} MiB", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--batch-rows", type=int, default=50_000)
    ap.add_argument("--jobs", nargs="+", default=["outcome", "forms", "iris-csv", "iris-xml"])
    ap.add_argument("--write", type=Path)
    args = ap.parse_args()
    law = default_law()
    path = filed_book(args.rows)
    lines = [f"Machine: {platform.processor() or platform.machine()}, {psutil.cpu_count()} cores, "
             f"{psutil.virtual_memory().total / 2**30:.0f} GiB; {args.rows:,} rows, chunks of "
             f"{args.batch_rows:,}.", "", "| job | rows/s | peak memory (process) |",
             "|---|---:|---:|"]
    with tempfile.TemporaryDirectory() as tmp:
        for job in args.jobs:
            with PeakRSS() as rss:
                t0 = time.perf_counter()
                run(job, path, Path(tmp), args.batch_rows, law)
                dt = time.perf_counter() - t0
            lines.append(f"| {job} | {args.rows / dt:,.0f} | {rss.peak / 2**30:.2f} GiB |")
            print(lines[-1], flush=True)
    table = "\n".join(lines)
    print(table)
    if args.write:
        replace_section(args.write, "forms_records", table)


if __name__ == "__main__":
    main()
