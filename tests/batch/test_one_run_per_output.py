"""One output, one run at a time; a manifest whole or absent; a Dask cluster that cannot start
for want of a temporary folder is one line, exit 2 (the chaos review's D1 and D2).

Two runs of different books into one Dask output folder, started together, both exited 0 and
left a folder of both books' partitions under the first one's manifest: the second run is now
refused at once, while the first holds the output's lock (an ``flock`` the operating system
releases when the holder dies, even by ``kill -9``)."""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from batch_books import write_book
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.io.outputs import OutputError
from dist401k.law import default_law
from dist401k.runner import _start_output, read_dataset, run_dask, run_local, run_manifest
from refusals import refused

runner = CliRunner()
BUSY = "is being written by another run"


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    where = tmp_path_factory.mktemp("books")
    return (write_book(where / "a.parquet", 3000, 1000, seed=4),
            write_book(where / "b.parquet", 3000, 1000, seed=8))


def _lock_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".lock"))


# --- two runs into one output ------------------------------------------------------------------


def test_a_second_local_run_into_the_same_output_is_refused(books, tmp_path):
    """While a local run writes rmd.parquet, a run of another book into it is refused; the
    output is the first run's, whole."""
    a, b = books
    out = tmp_path / "rmd.parquet"
    (tmp_path / "x").mkdir()
    second: list[BaseException] = []

    def start_the_other(done: int, total: int | None) -> None:
        if not second:
            try:
                run_local(b, "rmd", tmp_path / "x" / ".." / "rmd.parquet", batch_rows=1000)
                second.append(AssertionError("the second run was not refused"))
            except OutputError as exc:
                second.append(exc)

    s = run_local(a, "rmd", out, batch_rows=1000, progress=start_the_other)
    assert isinstance(second[0], OutputError) and BUSY in str(second[0]), second
    assert f"(pid {os.getpid()})" in str(second[0])
    assert s.conserved and s.rows_in == 3000
    ids = pq.read_table(out, columns=["participant_id"]).column("participant_id").to_pylist()
    assert ids == pq.read_table(a, columns=["participant_id"]).column("participant_id").to_pylist()
    assert _lock_files(tmp_path) == []  # released and removed with the run


@pytest.mark.slow
def test_a_second_dask_run_into_the_same_output_is_refused(books, tmp_path):
    """The reviewer's D1, in one process: book B's run into the folder book A's run is writing
    exits 2 in one line, and the folder holds book A's partitions only, as a local run of A."""
    a, b = books
    out = tmp_path / "conc"
    second = []

    def start_the_other(done: int, total: int | None) -> None:
        if not second:
            second.append(runner.invoke(app, ["batch", str(b), "--job", "rmd", "-o", str(out),
                                              "--engine", "dask", "--workers", "1",
                                              "--partition-rows", "1000"]))

    s = run_dask(a, "rmd", out, workers=1, partition_rows=1000, progress=start_the_other)
    r = second[0]
    assert r.exit_code == 2, r.output
    assert BUSY in r.output and "all accounted for" not in r.output
    assert r.output.strip().splitlines() == [r.output.strip()], r.output  # one line, no bar
    assert s.conserved and s.rows_in == 3000
    assert json.loads((out / "_manifest.json").read_text())["input"]["path"] == str(a.resolve())
    run_local(a, "rmd", tmp_path / "a.parquet", batch_rows=1000)
    assert read_dataset(out).equals(pq.read_table(tmp_path / "a.parquet"))
    assert _lock_files(tmp_path) == [] and _lock_files(out) == []


def test_one_output_named_two_ways_is_one_lock(tmp_path):
    """The lock is the output's, however it is spelled: a second open of its lock file (a
    second open file description, as another process has) is refused."""
    from dist401k.io.run_lock import OutputBusy, output_lock

    (tmp_path / "sub").mkdir()
    (tmp_path / "link").symlink_to(tmp_path)
    with output_lock(tmp_path / "parts"):
        for other in (tmp_path / "parts", tmp_path / "sub" / ".." / "parts",
                      tmp_path / "link" / "parts"):
            with pytest.raises(OutputBusy, match=f"{BUSY} \\(pid {os.getpid()}\\)"):
                with output_lock(other):
                    pass
        with output_lock(tmp_path / "other"):  # another output is not held
            pass
    with output_lock(tmp_path / "parts"):  # released at the end of the block
        pass
    with pytest.raises(KeyError):
        with output_lock(tmp_path / "parts"):
            raise KeyError("a failed run releases it too")
    with output_lock(tmp_path / "parts"):
        pass
    assert _lock_files(tmp_path) == []


HOLDER = """
import contextlib, sys, time
from dist401k.io.run_lock import output_lock
with contextlib.ExitStack() as held:
    for output in sys.argv[1:]:
        held.enter_context(output_lock(output))
    print("held", flush=True)
    time.sleep(120)
"""


def test_a_run_in_another_process_holds_the_output_until_it_dies(books, tmp_path):
    """Two processes: while one holds the output, a run into it is refused (exit 2, one line
    naming the holder's pid) and writes nothing; once the holder is killed with SIGKILL, which
    no code of its can catch, the operating system has released the lock: the next run runs."""
    a, _ = books
    parts, out = tmp_path / "parts", tmp_path / "r.parquet"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(parts), str(out)],
                              stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        for said in (refused(["batch", a, "--job", "rmd", "-o", parts, "--engine", "dask"],
                             BUSY, f"(pid {holder.pid})"),
                     refused(["batch", a, "--job", "rmd", "-o", out], BUSY, f"(pid {holder.pid})")):
            # One line and nothing else: no empty progress bar before the refusal.
            assert len(said.strip().splitlines()) == 1 and said.startswith("error: "), said
        assert not parts.exists() and not out.exists()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert len(_lock_files(tmp_path)) == 2  # the dead holder's files stay, unlocked
    r = runner.invoke(app, ["batch", str(a), "--job", "rmd", "-o", str(out)])
    assert r.exit_code == 0 and "3,000 rows in" in r.output, r.output
    assert pq.read_table(out).num_rows == 3000


# --- the manifest: whole or absent ---------------------------------------------------------------


def _half_then_full_disk(monkeypatch) -> None:
    """Every manifest write stops half-way on a full disk (the half is on disk)."""
    real = Path.write_text

    def half(self, data, *a, **k):
        if "_manifest" in self.name:
            real(self, data[: len(data) // 2], *a, **k)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, data, *a, **k)

    monkeypatch.setattr(Path, "write_text", half)


def test_a_manifest_write_that_fails_leaves_the_old_manifest(books, tmp_path, monkeypatch):
    """A resume rewrites the manifest: a full disk half-way left half a manifest, and the run
    could never be resumed again ("no readable _manifest.json"). The old one stays whole."""
    a, _ = books
    out = tmp_path / "parts"
    out.mkdir()
    old = run_manifest(a.resolve(), "rmd", 1000, 3, default_law())
    (out / "_manifest.json").write_text(json.dumps(old, indent=1))
    before = (out / "_manifest.json").read_bytes()
    _half_then_full_disk(monkeypatch)
    with pytest.raises(OSError):
        _start_output(out, out / "_manifest.json", dict(old, partitions=4))
    assert (out / "_manifest.json").read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == ["_manifest.json"]  # no temporary left


def test_a_manifest_write_that_fails_leaves_none(books, tmp_path, monkeypatch):
    a, _ = books
    out = tmp_path / "parts"
    _half_then_full_disk(monkeypatch)
    with pytest.raises(OSError):
        _start_output(out, out / "_manifest.json", run_manifest(a.resolve(), "rmd", 1000, 3,
                                                                default_law()))
    assert not out.exists()  # the folder this run made is removed, nothing half-written


def test_the_manifest_is_written_whole_and_owner_only(books, tmp_path):
    a, _ = books
    out = tmp_path / "parts"
    manifest = run_manifest(a.resolve(), "rmd", 1000, 3, default_law())
    old = os.umask(0o022)
    try:
        _start_output(out, out / "_manifest.json", manifest)
    finally:
        os.umask(old)
    assert json.loads((out / "_manifest.json").read_text()) == manifest
    assert (out / "_manifest.json").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in out.iterdir()) == ["_manifest.json"]


# --- a Dask cluster without a usable temporary folder ----------------------------------------------


def test_an_unusable_dask_temporary_folder_is_one_line(books, tmp_path):
    """Dask's temporary-directory (DASK_TEMPORARY_DIRECTORY) where no folder can be made: the
    local cluster cannot start; exit 2 naming the folder, no output left (was exit 70,
    "internal error (RuntimeError)")."""
    import dask

    a, _ = books
    (tmp_path / "a-file").write_text("not a folder")
    scratch = tmp_path / "a-file" / "scratch"
    with dask.config.set({"temporary-directory": str(scratch)}):
        output = refused(["batch", a, "--job", "rmd", "-o", tmp_path / "dz", "--engine", "dask",
                          "--workers", "1"], "temporary folder", str(scratch), "Not a directory")
    assert [line for line in output.splitlines() if "error" in line] == [
        output.strip().splitlines()[-1]], output  # one line, after the progress bar
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def _no_file_bytes() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


@pytest.mark.slow
def test_a_full_temporary_disk_is_exit_2(books, tmp_path):
    """The reviewer's repro: `ulimit -f 0` (no file can get a byte, as on a full disk), so
    Python finds no usable temporary folder and Dask's local cluster cannot start."""
    a, _ = books
    proc = subprocess.run(
        [sys.executable, "-m", "dist401k", "batch", str(a), "--job", "rmd", "-o", "dz",
         "--engine", "dask", "--workers", "1"], cwd=tmp_path, capture_output=True, text=True,
        preexec_fn=_no_file_bytes, timeout=180,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "COLUMNS": "400"})
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("error: ") and "temporary folder" in last, proc.stderr
    assert "/tmp" in last and "internal error" not in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_another_cluster_failure_is_not_taken_for_a_temporary_folder(books, tmp_path,
                                                                     monkeypatch):
    """Only the temporary folder's failure is mapped: a cluster that fails to start for
    another reason, with a usable temporary folder, is raised as it was."""
    import distributed

    a, _ = books

    def broken(*args, **kwargs):
        raise RuntimeError("Cluster failed to start: something else")

    monkeypatch.setattr(distributed, "LocalCluster", broken)
    with pytest.raises(RuntimeError, match="something else"):
        run_dask(a, "rmd", tmp_path / "dz", workers=1, partition_rows=1000)
    assert not (tmp_path / "dz").exists() and _lock_files(tmp_path) == []


def test_nothing_planted_at_the_lock_file_is_written_through(tmp_path):
    """The lock file is opened without following a symlink (the run is refused) and a file
    with a second name (a planted hard link) is not written: the victim is left as it was."""
    from dist401k.io.run_lock import lock_path, output_lock

    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    out = tmp_path / "r.parquet"
    lock_path(out).symlink_to(victim)
    with pytest.raises(OutputError, match="cannot write"):
        with output_lock(out):
            pass
    lock_path(out).unlink()
    os.link(victim, lock_path(out))
    with output_lock(out):
        pass
    assert victim.read_text() == "keep me" and not lock_path(out).exists()
    os.mkfifo(lock_path(out))
    with pytest.raises(OutputError, match="is not a file"):
        with output_lock(out):
            pass
