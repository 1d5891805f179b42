"""One run at a time per output: an exclusive lock on the output a batch run writes.

Two runs into one Dask output folder, started together, each took the other's partitions for
its own and both reported success over a folder that mixed two books (the chaos review).  A
run now holds, for its whole length, an exclusive ``flock`` on a lock file beside its output,
``.NAME.dist401k.lock`` (``NAME`` the output file's or folder's name, once symlinks and ``..``
are resolved, so one output spelled two ways is one lock).  A second run into the same output
is refused at once (:class:`OutputBusy`, one line naming the holder's process id where the
lock file says it).  The lock belongs to the open file, not to the file's name: the operating
system releases it when the holder ends, however it ends (``kill -9`` included), so a dead run
never leaves a stale lock — only, after a kill, the file with the dead run's process id in
it, which no one holds and the next run takes.  A run that ends removes its lock file,
still holding the lock; a run that opened the file before its removal sees, once it holds the
lock, that the name now leads elsewhere (another inode, or none) and opens again.

``fcntl.flock`` exists on Linux and macOS, where dist401k is tested; elsewhere (Windows, which
has no ``fcntl``) the package still imports and runs are not locked (docs/batch.md).  On a
network file system the lock holds only where that file system carries ``flock`` locks.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dist401k.io.outputs import OutputError, describe_os_error

try:
    import fcntl
except ImportError:  # Windows: no flock; runs are not locked there
    fcntl = None  # type: ignore[assignment]


class OutputBusy(OutputError):
    """The output is being written by another run (field ``output``)."""


def lock_path(output: Path) -> Path:
    """The lock file of ``output``: ``.NAME.dist401k.lock`` beside it, ``output`` resolved
    (symlinks, ``..``), so every spelling of one output finds one lock."""
    real = Path(output).resolve()
    return real.with_name(f".{real.name}.dist401k.lock")


@contextmanager
def output_lock(output: Path | str) -> Iterator[None]:
    """Hold ``output`` for the block: an :class:`OutputBusy` at once where another run holds
    it; an :class:`OutputError` ("cannot write …") where the lock file cannot be made (a
    read-only or full folder).  The lock file is removed when the block ends."""
    if fcntl is None:
        yield
        return
    path = lock_path(Path(output))
    fd = _locked(path, Path(output))
    try:
        _note_holder(fd)
        yield
    finally:
        try:
            os.unlink(path)  # still held: no run can take this file between here and close
        except OSError:
            pass
        os.close(fd)


def _locked(path: Path, output: Path) -> int:
    """An open descriptor of ``path`` holding its exclusive lock, the file still under that
    name (one removed or replaced after it was opened is opened again)."""
    assert fcntl is not None
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as exc:
            raise OutputError(f"cannot write {output}: {describe_os_error(exc)}") from None
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # a FIFO planted there: never waited on
            os.close(fd)
            raise OutputError(f"cannot lock {output}: {path.name} is not a file: remove it")
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            pid = f" (pid {holder})" if holder else ""
            raise OutputBusy(f"{output} is being written by another run{pid}: wait for it to "
                             "finish, or choose another output") from None
        except OSError as exc:  # a file system without flock
            os.close(fd)
            raise OutputError(f"cannot lock {output}: {describe_os_error(exc)}") from None
        if _still_named(fd, path):
            return fd
        os.close(fd)


def _still_named(fd: int, path: Path) -> bool:
    """Whether ``path`` is still the file open as ``fd`` (not removed by the run that held it
    and, maybe, made anew by another)."""
    try:
        now = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)


def _note_holder(fd: int) -> None:
    """Write this process's id into the held lock file, for the refusal of another run; where
    it cannot be written (a full disk) the lock holds all the same.  A file with another name
    too (a hard link planted there) is left as it is: it may be someone's file."""
    if os.fstat(fd).st_nlink != 1:
        return
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
    except OSError:
        pass


def _holder(fd: int) -> int | None:
    """The process id the holder wrote in the lock file, or None (not yet written, unreadable)."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
    except (OSError, UnicodeDecodeError):
        return None
    return int(text) if text.isdigit() else None
