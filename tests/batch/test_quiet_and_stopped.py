"""A batch run's standard error holds its progress and its summary, nothing of Dask's own
bookkeeping (docs/batch.md); a run stopped by Ctrl-C ends with one line saying so and what it
left, and exits 130 ("Stopped: Ctrl-C or SIGTERM").

Before the fix a local Dask run printed Python's 4-line "UserWarning: Port 8787 is already in
use" (with a site-packages path) when another program held the dashboard's port, its workers'
"Unmanaged memory use is high. This may indicate a memory leak" and "Pausing worker" notices,
and, on Ctrl-C, "… ended with CancelledError"; a stopped run's last line was its bar."""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_books import write_book

CLI = [sys.executable, "-m", "dist401k.cli"]


def _hold_port(port: int) -> socket.socket | None:
    """A socket listening on ``port`` (None where something else already does: as good)."""
    sock = socket.socket()
    try:
        sock.bind(("", port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            return None
        raise
    sock.listen()
    return sock


def _worker_logs() -> None:
    """Run on a worker: a notice as Dask's memory monitor logs it, and an error."""
    logging.getLogger("distributed.worker.memory").warning(
        "Unmanaged memory use is high. This may indicate a memory leak (test)")
    logging.getLogger("distributed.worker").error("a real error (test)")


@pytest.mark.slow
def test_a_local_dask_run_prints_only_its_progress_and_summary(tmp_path, capfd):
    """Port 8787 taken, a worker logging a memory notice: neither reaches standard error; a
    worker's error still does.  Then the CLI's run of 2,000 rows prints the bar and the
    summary line only."""
    from dist401k.runner import _close, _connect

    held = _hold_port(8787)
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            client, cluster = _connect(None, 1)
            try:
                client.run(_worker_logs)
                time.sleep(0.5)  # the worker's stderr is a pipe of its own process
            finally:
                _close(client, cluster)
        assert not [str(w.message) for w in seen if "Port 8787" in str(w.message)]
        err = capfd.readouterr().err
        assert "memory leak" not in err, err
        assert "a real error (test)" in err, err
        book = write_book(tmp_path / "book.parquet", 2000, 1000, bad=0.0)
        proc = subprocess.run([*CLI, "batch", str(book), "--job", "rmd", "-o",
                               str(tmp_path / "out"), "--engine", "dask", "--workers", "1"],
                              capture_output=True, text=True, timeout=180)
    finally:
        if held is not None:
            held.close()
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 2, proc.stderr
    assert "2000/2000" in lines[0] and "rows/s" in lines[0], lines
    assert lines[1].startswith("2,000 rows in = 2,000 results + 0 errors"), lines


def _ctrl_c_as_a_terminal() -> None:
    """In the child, before it starts: SIGINT handled by default, as in a terminal.  A run
    started in the background by a non-interactive shell (as a CI job may be) inherits SIGINT
    ignored, and Python then leaves it ignored: Ctrl-C would not reach the run at all."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _interrupted(cmd: list[str], ready, cwd: Path) -> tuple[int, str]:
    """Run ``cmd`` in its own process group, send the group SIGINT (as Ctrl-C does) once
    ``ready()``; (exit status, standard error)."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, start_new_session=True, preexec_fn=_ctrl_c_as_a_terminal)
    try:
        deadline = time.monotonic() + 120
        while not ready() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be stopped"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=90)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    return proc.returncode, err


def test_ctrl_c_on_a_local_run_says_nothing_was_written(tmp_path):
    """The outcome job over 20,000 rows in chunks of 500, stopped once its temporary file
    exists: exit 130, the last line says it was stopped and that nothing was written (the
    temporary file is removed: no file but the book is left)."""
    book = write_book(tmp_path / "book.parquet", 20_000, 5000)
    cmd = [*CLI, "batch", str(book), "--job", "outcome", "-o", "out.parquet",
           "--partition-rows", "500"]
    rc, err = _interrupted(cmd, lambda: any(".partial-" in p.name for p in tmp_path.iterdir()),
                           tmp_path)
    assert rc == 130, err
    assert err.strip().splitlines()[-1] == ("stopped by Ctrl-C: nothing written (out.parquet is "
                                            "written whole or not at all); run the command again")
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.parquet"]


@pytest.mark.slow
def test_ctrl_c_on_a_dask_run_counts_the_partitions_it_left(tmp_path):
    """A Dask run of 12,000 rows in partitions of 1,000, stopped once one partition is
    written: exit 130, no Dask log line (no CancelledError), and the last line counts the rows
    and partitions on disk, read here from the files themselves, and names --resume."""
    book = write_book(tmp_path / "book.parquet", 12_000, 1000)
    out = tmp_path / "out"
    cmd = [*CLI, "batch", str(book), "--job", "outcome", "-o", str(out), "--engine", "dask",
           "--workers", "1", "--partition-rows", "1000"]
    rc, err = _interrupted(cmd, lambda: any(out.glob("part-*.parquet")), tmp_path)
    parts = sorted(out.glob("part-*.parquet"))
    rows = sum(pq.ParquetFile(p).metadata.num_rows for p in parts)
    assert rc == 130, err
    assert "CancelledError" not in err and "distributed." not in err, err
    assert parts and rows == 1000 * len(parts)
    many = "s" if len(parts) > 1 else ""
    assert err.strip().splitlines()[-1] == (
        f"stopped by Ctrl-C: {rows:,} rows written in {len(parts)} partition{many} in {out}; "
        "run the same command with --resume to finish the run"), err


def test_a_resumed_run_s_bar_keeps_its_counts_whole_in_80_columns():
    """A log's 80 columns: `outcome (700,000 already done)`, then 1,000,000 of 1,000,000 rows.
    The bar was `1000000/10000…`; the bar narrows instead and the count stays whole."""
    import io

    from rich.console import Console

    from dist401k.commands.batch import RowRate, _progress
    from dist401k.runner import Summary

    out = io.StringIO()
    bar = _progress(Console(file=out, width=80, force_terminal=False))
    rate = RowRate(bar, bar.add_task("outcome", total=None, rate="—"), count_first=False,
                   label="outcome")
    rate(700_000, 1_000_000)
    rate(1_000_000, 1_000_000)
    rate.finish(Summary(1_000_000, 1_000_000, 0, 200.0, already_done=700_000))
    bar.stop()
    last = out.getvalue().strip().splitlines()[-1]
    assert "outcome (700,000 already done)" in last and " 1000000/1000000 " in last, last
    assert "1,500 rows/s" in last, last  # 300,000 rows run in 200 s


def test_the_local_clusters_dashboard_listens_on_this_machine_alone(monkeypatch):
    """A local Dask run's scheduler serves its dashboard on a free port of the loopback
    interface only: an address with an empty host (":0") binds every interface, and showed the
    run's workers and metrics to the network with no login."""
    import distributed

    from dist401k import runner

    seen = {}

    class Stop(Exception):
        pass

    def fake_cluster(**kwargs):
        seen.update(kwargs)
        raise Stop

    monkeypatch.setattr(distributed, "LocalCluster", fake_cluster)
    with pytest.raises(Stop):
        runner._connect(None, 1)
    address = seen["scheduler_kwargs"]["dashboard_address"]
    assert address.rsplit(":", 1)[0] == "127.0.0.1", address
