"""Helpers of the batch tests: a synthetic book on disk, and a Dask run killed mid-way."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from dist401k.synth import synth_table


def write_book(path: Path, n: int, group: int, bad: float = 0.02, seed: int = 4) -> Path:
    """``n`` synthetic participants in row groups of ``group`` rows."""
    with pq.ParquetWriter(path, synth_table(1).schema) as writer:
        for start in range(0, n, group):
            writer.write_table(synth_table(min(group, n - start), seed=seed, start=start,
                                           bad_fraction=bad))
    return path


def kill_dask_run(book: Path, out: Path, job: str, workers: int, partition_rows: int,
                  after: int) -> int:
    """Start `dist401k batch --engine dask` in its own process group, SIGKILL the run, its
    scheduler and its workers once ``after`` partitions are written; the count written."""
    cmd = [sys.executable, "-m", "dist401k.cli", "batch", str(book), "--job", job, "-o",
           str(out), "--engine", "dask", "--workers", str(workers), "--partition-rows",
           str(partition_rows)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 240
    while time.time() < deadline and len(list(out.glob("part-*.parquet"))) < after:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return len(list(out.glob("part-*.parquet")))
