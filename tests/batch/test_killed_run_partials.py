"""After ``kill -9`` a run leaves its hidden partial files (the results', the filing's and the
filing's body, which holds full TINs); the next run of the same output removes them — those it
can tell are certainly its own: the killed run listed them in its lock file as it made them
(``.NAME.dist401k.lock``: its process id, then one path a line), and its process is dead.
Anything else is left: a file the list does not name, one named there that is not a partial
file dist401k makes (another shape of name, a link, another mode, a second name), and every
file of a run whose process is still alive (the admin review, F5)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_books import write_plain_book
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.io.run_lock import lock_path

runner = CliRunner()

#: A run killed as the reviewer's was: the filing (and its body) made before the output is held,
#: as `batch --export` makes them, then the results' partial file and one more while it is held.
KILLED = """
import os, signal, sys
from pathlib import Path
from dist401k.io.outputs import atomic_output, exclusive_temporary
from dist401k.io.run_lock import output_lock
out, filing = Path(sys.argv[1]), Path(sys.argv[2])
with atomic_output(filing) as xml:
    body = exclusive_temporary(filing.with_suffix(".body"))
    body.write_text("<RecipientTIN>123456789</RecipientTIN>")
    with output_lock(out), atomic_output(out) as tmp:
        tmp.write_bytes(b"PAR1 partial")
        exclusive_temporary(out.with_suffix(".csv")).write_text("123456789")
        os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return write_plain_book(tmp_path_factory.mktemp("b") / "book.parquet", 30, 10)


def _partials(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name)


def _run(book: Path, out: Path) -> None:
    r = runner.invoke(app, ["batch", str(book), "--job", "rmd", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert pq.read_table(out).num_rows == 30


def _planted(folder: Path, name: str, mode: int = 0o600) -> Path:
    path = folder / name
    path.write_text("someone's")
    path.chmod(mode)
    return path


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _lock_listing(out: Path, pid: int, paths: list[Path]) -> None:
    lock_path(out).write_text("".join([f"{pid}\n", *(json.dumps(str(p)) + "\n" for p in paths)]))
    lock_path(out).chmod(0o600)


def test_the_next_run_removes_the_killed_runs_partials_and_nothing_else(book, tmp_path):
    out, filing = tmp_path / "killed.parquet", tmp_path / "killed.xml"
    killed = subprocess.run([sys.executable, "-c", KILLED, str(out), str(filing)], check=False)
    assert killed.returncode == -9
    left = _partials(tmp_path)
    # the filing's .xml and .body, the results' .parquet and the one made while held
    assert sorted(n.rsplit(".", 1)[1] for n in left) == ["body", "csv", "parquet", "xml"], left
    assert lock_path(out).exists()
    theirs = _planted(tmp_path, ".killed.partial-abcdefgh.parquet")  # not in the list
    _run(book, out)
    assert _partials(tmp_path) == [theirs.name]
    assert not lock_path(out).exists() and not filing.exists()


def test_a_run_that_is_still_alive_keeps_its_partials(book, tmp_path):
    out = tmp_path / "out.parquet"
    partial = Path(tempfile.mkstemp(dir=tmp_path, prefix=".out.partial-", suffix=".parquet")[1])
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        _lock_listing(out, alive.pid, [partial])
        _run(book, out)
        assert partial.exists()
    finally:
        alive.kill()
        alive.wait()


def test_only_a_listed_file_that_is_certainly_a_partial_is_removed(book, tmp_path):
    out = tmp_path / "out.parquet"
    ours = Path(tempfile.mkstemp(dir=tmp_path, prefix=".out.partial-", suffix=".body")[1])
    other = _planted(tmp_path, "notes.txt")  # not the shape of a partial file's name
    loose = _planted(tmp_path, ".out.partial-abcdefgh.xml", 0o644)  # not 0600
    twice = _planted(tmp_path, ".out.partial-ijklmnop.xml")
    os.link(twice, tmp_path / "kept.xml")  # a second name
    link = tmp_path / ".out.partial-qrstuvwx.parquet"
    link.symlink_to(book)  # a link, to the input
    _lock_listing(out, _dead_pid(), [ours, other, loose, twice, link, book, tmp_path / "gone"])
    _run(book, out)
    assert not ours.exists()
    assert all(p.exists() for p in (other, loose, twice, link, book))
    assert pq.read_table(book).num_rows == 30
