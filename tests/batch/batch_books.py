"""Helpers of the batch tests: a synthetic book on disk, and a Dask run killed mid-way."""

from __future__ import annotations

import os
import signal
import struct
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


def write_plain_book(path: Path, n: int, group: int, seed: int = 4) -> Path:
    """A book as the reviewer's: uncompressed, no dictionary, so each value's bytes are in the
    file as they are."""
    with pq.ParquetWriter(path, synth_table(1).schema, compression="NONE",
                          use_dictionary=False) as writer:
        for start in range(0, n, group):
            writer.write_table(synth_table(min(group, n - start), seed=seed, start=start,
                                           bad_fraction=0.0))
    return path


def footer(path: Path) -> bytes:
    """The Parquet footer of ``path``, its length and the closing magic (the file's end)."""
    data = path.read_bytes()
    (length,) = struct.unpack("<I", data[-8:-4])
    return data[-8 - length:]


def edit_in_place(path: Path, row: int, column: str = "request_amount") -> tuple[float, float]:
    """Change ``column`` (a double) of ``row`` to another row's value of the same row group, in
    place: the same size, the footer byte for byte the same (the value stays within the row
    group's min/max).  (old, new)."""
    table = pq.read_table(path, columns=[column])
    values = table.column(column).to_pylist()
    old = values[row]
    new = next(v for v in values[row + 1:row + 50] if v is not None and v != old)
    data = bytearray(path.read_bytes())
    before = struct.pack("<d", old)
    assert data.count(before) == 1, "the value's bytes are not unique in the file"
    at = data.index(before)
    data[at:at + 8] = struct.pack("<d", new)
    with open(path, "r+b") as fh:  # in place: the same inode, the same size
        fh.write(data)
    return old, new
