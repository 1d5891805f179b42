"""SIGTERM (what `timeout`, systemd and Kubernetes send) stops a long command as Ctrl-C does:
the temporary outputs are removed, nothing appears under the final names, and the exit status
is 143 (128 + 15, the shell's status of a command ended by SIGTERM).  `serve` keeps uvicorn's
own handling (a graceful shutdown).  docs/batch.md, "Bad files and what a failure leaves"."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dist401k.io.outputs import Terminated, atomic_output, sigterm_as_interrupt
from dist401k.synth import synth_table

CLI = [sys.executable, "-m", "dist401k.cli"]
TRANSMITTER_ARGS = ["--tcc", "ABCDE", "--transmitter-tin", "000000401", "--software-id",
                    "12345678"]


def _wait_for(predicate, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name)


def test_sigterm_during_a_batch_with_export_leaves_nothing_and_exits_143(tmp_path):
    """A forms run with --export iris-xml, terminated once both of its temporary files exist
    (the results' `.out.partial-PID.parquet` and the filing's `.filing.partial-PID.body`, which
    holds full TINs): both are removed, neither final file exists, exit 143, no traceback."""
    book = tmp_path / "book.parquet"
    # As `dist401k synth 20000 --with-payer` writes it: 20,000 rows take seconds to run.
    pq.write_table(synth_table(20_000, seed=7, with_payer=True), book)
    cmd = [*CLI, "batch", str(book), "--job", "forms", "-o", "out.parquet", "--partition-rows",
           "500", "--export", "iris-xml", "--export-output", "filing.xml", *TRANSMITTER_ARGS]
    proc = subprocess.Popen(cmd, cwd=tmp_path, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    try:
        started = _wait_for(lambda: len(_partials(tmp_path)) == 2, 15)
        assert proc.poll() is None, "the run ended before it could be terminated"
        assert started, f"temporary files never appeared: {_partials(tmp_path)}"
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    assert _partials(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.parquet"]


def test_the_handler_raises_in_the_main_thread_once_and_is_restored():
    """Inside the block SIGTERM raises Terminated (a KeyboardInterrupt, so every cleanup that
    Ctrl-C gets runs); a second SIGTERM during that cleanup does not interrupt it; the previous
    handler is back afterwards."""
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(Terminated), sigterm_as_interrupt() as term:
        assert signal.getsignal(signal.SIGTERM) is not before
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(1)  # the handler runs at the next bytecode
            pytest.fail("SIGTERM was not raised")
        finally:
            os.kill(os.getpid(), signal.SIGTERM)  # a second one, during the cleanup
            time.sleep(0.05)
    assert term.received
    assert issubclass(Terminated, KeyboardInterrupt)
    assert signal.getsignal(signal.SIGTERM) is before


def _swallowed_sigterm() -> None:
    """SIGTERM arriving where a library swallows the exception its handler raises (as pyarrow's
    lazy `import pandas` did, in Cython code): delivered now (raise_signal runs the handler
    before it returns), its Terminated caught and dropped."""
    try:
        signal.raise_signal(signal.SIGTERM)
    except Terminated:
        pass


def test_a_swallowed_sigterm_is_raised_again_before_the_rename(tmp_path):
    """The flag stays: atomic_output, its block complete, refuses to publish the file after a
    SIGTERM whose raise was lost, and removes the temporary one."""
    final = tmp_path / "out.csv"
    with pytest.raises(Terminated), sigterm_as_interrupt() as term:
        with atomic_output(final) as tmp:
            tmp.write_text("status\nok\n")
            _swallowed_sigterm()
    assert term.received
    assert list(tmp_path.iterdir()) == []


def test_a_second_sigterm_after_a_swallowed_one_raises():
    """Outside a cleanup (no Terminated being handled), a second SIGTERM raises again."""
    with pytest.raises(Terminated), sigterm_as_interrupt() as term:
        _swallowed_sigterm()
        assert term.received
        signal.raise_signal(signal.SIGTERM)
        pytest.fail("the second SIGTERM was not raised")


def test_a_swallowed_sigterm_in_a_batch_stops_it_after_the_chunk_exit_143_no_output(
        tmp_path, monkeypatch):
    """`dist401k batch`, its first chunk's SIGTERM swallowed inside the job: the run stops after
    that chunk, exits 143 and leaves no output and no temporary file."""
    import dist401k.runner as runner_module
    from dist401k.cli import main

    pq.write_table(synth_table(50, seed=3), tmp_path / "book.parquet")
    calls = []
    real = runner_module.run_job

    def swallowing(*args, **kwargs):
        if "first_row" in kwargs:  # a chunk of the book (not the output schema's probe)
            calls.append(kwargs["first_row"])
            if len(calls) == 1:
                _swallowed_sigterm()
        return real(*args, **kwargs)

    monkeypatch.setattr(runner_module, "run_job", swallowing)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", ["dist401k", "batch", "book.parquet", "--job", "outcome",
                                      "-o", "out.parquet", "--partition-rows", "10"])
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as stop:
        main()
    assert stop.value.code == 143
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.parquet"]
    assert calls == [0], "the run went on after the chunk that SIGTERM came in"
    assert signal.getsignal(signal.SIGTERM) is before


def test_outside_the_main_thread_nothing_is_installed():
    before = signal.getsignal(signal.SIGTERM)
    seen = []

    def run():
        with sigterm_as_interrupt() as term:
            seen.append((signal.getsignal(signal.SIGTERM), term.installed))

    t = threading.Thread(target=run)
    t.start()
    t.join()
    assert seen == [(before, False)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_keeps_uvicorns_graceful_shutdown_on_sigterm(tmp_path):
    """`serve` is left to uvicorn: SIGTERM shuts the server down gracefully, and the process
    ends by the signal, as it did before the CLI handled SIGTERM."""
    env = {**os.environ, "DIST401K_DATABASE_URL": f"sqlite:///{tmp_path / 'store.db'}"}
    log = tmp_path / "serve.log"
    with open(log, "w") as fh:
        proc = subprocess.Popen([*CLI, "serve", "--port", str(_free_port())], cwd=tmp_path,
                                env=env, stdout=fh, stderr=subprocess.STDOUT)
        try:
            assert _wait_for(lambda: "Uvicorn running" in log.read_text(), 30), log.read_text()
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log.read_text()
    assert "Application shutdown complete" in text and "Traceback" not in text
    assert proc.returncode == -signal.SIGTERM
