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
it, which no one holds and the next run takes.  After the process id the file lists, one
JSON string a line, each temporary file the run made (its partial outputs, the filing's body
that holds full TINs): the next run of the output, once it holds the lock, removes those that
are certainly dist401k's partial files, where the process listed is dead.  A run that ends
removes its lock file, still holding the lock; a run that opened the file before its removal
sees, once it holds the lock, that the name now leads elsewhere (another inode, or none) and
opens again.

``fcntl.flock`` exists on Linux and macOS, where dist401k is tested; elsewhere (Windows, which
has no ``fcntl``) the package still imports and runs are not locked (docs/batch.md).  On a
network file system the lock holds only where that file system carries ``flock`` locks.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dist401k.io.outputs import (
    TEMPORARY_NAME,
    OutputError,
    describe_os_error,
    made_temporaries,
    temporaries_recorded,
)

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
        stale = _stale_temporaries(fd)
        _note_holder(fd)
        remove_stale(stale)
        for made in made_temporaries():  # made before the output was held (the filing's)
            _record(fd, made)
        with temporaries_recorded(lambda made: _record(fd, made)):
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
        text = os.pread(fd, 32, 0).decode("ascii", "replace").split("\n")[0].strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _record(fd: int, made: Path) -> None:
    """Add the temporary file ``made`` (an absolute path) to the held lock file, one JSON
    string a line after the holder's process id: a run killed with ``kill -9`` leaves the list of
    its partial files, which the next run of this output removes (:func:`_stale_temporaries`).
    Where it cannot be written (a full disk, a hard link planted there) the run goes on."""
    if os.fstat(fd).st_nlink != 1:
        return
    try:
        os.pwrite(fd, (json.dumps(str(made)) + "\n").encode(), os.fstat(fd).st_size)
    except OSError:
        pass


#: The most of a lock file read for an earlier run's list of temporary files.
RECORD_BYTES = 1 << 20


def _stale_temporaries(fd: int) -> list[Path]:
    """The temporary files an earlier run of this output listed in the lock file (:func:`_record`)
    where that run is certainly dead: the lock file is this user's own, with no other name, and
    the process id on its first line is not a live process (the lock, now held, was released by
    the holder's end; a holder that ended normally removed the file).  Nothing otherwise."""
    st = os.fstat(fd)
    if st.st_nlink != 1 or st.st_uid != os.geteuid():
        return []
    try:
        lines = os.pread(fd, RECORD_BYTES, 0).decode("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    if not lines or not lines[0].strip().isdigit() or _alive(int(lines[0])):
        return []
    paths = []
    for line in lines[1:]:
        try:
            name = json.loads(line)
        except ValueError:
            continue
        if isinstance(name, str) and os.path.isabs(name):
            paths.append(Path(name))
    return paths


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (this one included); one that cannot be asked (another
    user's) counts as alive."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale(paths: list[Path]) -> list[Path]:
    """Remove each of ``paths`` that is certainly a partial file dist401k made: a name of the
    shape :func:`~dist401k.io.outputs.exclusive_temporary` gives, a plain file (not a link),
    this user's own, mode 0600, one name only.  Anything else is left.  Returns those removed."""
    removed = []
    for path in paths:
        try:
            st = os.lstat(path)
        except OSError:
            continue
        if (TEMPORARY_NAME.fullmatch(path.name) and stat.S_ISREG(st.st_mode)
                and st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) == 0o600
                and st.st_nlink == 1):
            try:
                path.unlink()
            except OSError:
                continue
            removed.append(path)
    return removed
