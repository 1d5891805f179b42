"""Writing output files safely: never over an input, and never a partial file under the final
name.

Every command that writes (``batch``, ``tax``, ``synth``, ``report``, ``plan``) goes through
:func:`check_output` before it computes and :func:`atomic_output` when it writes: the file is
written under a temporary name beside the final one (same folder, so the rename is atomic on
one file system) and renamed only once complete.  The temporary file is created exclusively,
under a random name and with mode 0600 (:func:`exclusive_temporary`): nothing planted there
in advance (a symlink) is written through, and the output is readable by its owner only.  On
any failure the temporary file is removed and :class:`OutputError` says in one line what
failed; the final name is left as it was.

A run stopped by Ctrl-C (SIGINT) or, through :func:`sigterm_as_interrupt`, by SIGTERM (what
``timeout``, systemd and Kubernetes send) removes its temporary files the same way; only a
kill that no process can catch (``kill -9``, a power cut) can leave one (docs/batch.md).  A
SIGTERM is remembered, not only raised: code that swallows the exception (a library's C or
Cython code) cannot make it lost, for :func:`raise_if_terminated` raises it again at safe
points — before :func:`atomic_output` renames, after each chunk of a batch.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dist401k.errors import FieldProblem, InputError


class OutputError(InputError):
    """An output that cannot or must not be written (field ``output``)."""

    def __init__(self, problem: str):
        super().__init__(FieldProblem("output", problem))


def same_file(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name one file: the same path once symlinks and relative parts
    are resolved, or the same inode (a hard link)."""
    a, b = Path(a), Path(b)
    if a.resolve() == b.resolve():
        return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def check_output(output: Path, *inputs: Path, directory: bool = False) -> None:
    """Refuse an output that would replace an input, or that cannot be written where asked.

    ``directory``: the output is a folder of files (a Dask run); an input inside it is refused
    too, since the run writes files there.
    """
    output = Path(output)
    for inp in inputs:
        if inp is None:
            continue
        inp = Path(inp)
        if same_file(output, inp):
            raise OutputError(f"{output} is the input {inp.name}: choose another output file "
                              "(an input is never written over)")
        if directory and inp.resolve().parent == output.resolve():
            raise OutputError(f"{output} holds the input {inp.name}: choose another output folder")
    if output.is_dir() and not directory:
        raise OutputError(f"{output} is a folder: give a file name")
    parent = output.resolve().parent
    if not parent.is_dir():
        raise OutputError(f"{output}: the folder {parent.name or parent} does not exist")


def temporary_name(final: Path) -> Path:
    """The shape of this process's temporary names beside ``final`` (hidden, same extension):
    no file is written under it any more — :func:`exclusive_temporary` adds a random part, so
    a name planted in advance (a symlink) is never opened."""
    final = Path(final)
    return final.with_name(f".{final.stem}.partial-{os.getpid()}{final.suffix}")


#: The temporary files this process made (:func:`exclusive_temporary`), and the callbacks told of
#: each new one: a batch run holding its output records them in its lock file
#: (:mod:`dist401k.io.run_lock`), so the next run of that output after a ``kill -9`` removes them.
_MADE: list[Path] = []
_RECORDERS: list[Callable[[Path], None]] = []


#: The shape of every name :func:`exclusive_temporary` makes: ``.STEM.partial-RANDOM.EXT`` or
#: ``PREFIX.tmp-RANDOM`` (a Dask partition's), RANDOM the 8 characters ``tempfile.mkstemp`` draws.
TEMPORARY_NAME = re.compile(r"\..*\.partial-[a-z0-9_]{8}(\.[^./]+)?|.+\.tmp-[a-z0-9_]{8}")


def made_temporaries() -> list[Path]:
    """The temporary files this process made that are still there (not yet renamed or removed),
    oldest first."""
    _MADE[:] = [p for p in _MADE if os.path.lexists(p)]
    return list(_MADE)


@contextmanager
def temporaries_recorded(record: Callable[[Path], None]) -> Iterator[None]:
    """For the block, ``record`` is called with every temporary file this process makes, at once
    (before anything is written in it)."""
    _RECORDERS.append(record)
    try:
        yield
    finally:
        _RECORDERS.remove(record)


def exclusive_temporary(final: Path, prefix: str | None = None, suffix: str | None = None) -> Path:
    """Create, empty, a new file beside ``final`` under a name no one can foresee, readable and
    writable by its owner only (mode 0600), and return its path: ``tempfile.mkstemp`` opens it
    with ``O_CREAT | O_EXCL`` (and ``O_NOFOLLOW``), so a file or symlink planted there in
    advance is never written through, and a file holding full TINs or participant data is not
    readable by others while it is written, nor after its rename.  By default the name is
    ``.STEM.partial-RANDOM.EXT`` (hidden, same extension: writers choose their format by it);
    ``prefix`` and ``suffix`` give another shape (a Dask partition's)."""
    import tempfile

    final = Path(final)
    fd, name = tempfile.mkstemp(
        dir=final.parent, prefix=f".{final.stem}.partial-" if prefix is None else prefix,
        suffix=final.suffix if suffix is None else suffix)
    os.close(fd)
    made = Path(name).absolute()
    _MADE[:] = [p for p in _MADE if os.path.lexists(p)] + [made]
    for record in list(_RECORDERS):
        record(made)
    return Path(name)


def describe_os_error(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


@contextmanager
def atomic_output(final: Path) -> Iterator[Path]:
    """Yield a temporary path to write, a new empty file of mode 0600 under a random name
    beside ``final`` (:func:`exclusive_temporary`); rename it to ``final`` when the block
    completes (the file keeps its mode: an output is its owner's alone).

    Any exception in the block (a full disk, a read-only folder, a writer's error) removes the
    temporary file, leaves ``final`` untouched and is raised as :class:`OutputError` (an
    ``InputError``, ``OutputError`` or ``KeyboardInterrupt`` passes through unchanged).  After
    a SIGTERM (:func:`sigterm_as_interrupt`) the file is not renamed, even where the block
    completed because the exception was swallowed on the way: :class:`Terminated` again.
    """
    final = Path(final)
    tmp: Path | None = None
    try:
        tmp = exclusive_temporary(final)
        yield tmp
        raise_if_terminated()  # never publish a file after a SIGTERM whose raise was lost
        os.replace(tmp, final)
    except BaseException as exc:
        if tmp is not None:
            _remove(tmp)
            _name_the_final_file(exc, tmp, final)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {final}: {describe_os_error(exc)}") from None
        raise


def _remove(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass


def _name_the_final_file(exc: BaseException, tmp: Path, final: Path) -> None:
    """A writer's error names the file asked for, never the temporary one (whose name is
    random): its text arguments are rewritten in place."""
    try:
        exc.args = tuple(a.replace(tmp.name, final.name) if isinstance(a, str) else a
                         for a in exc.args)
    except (AttributeError, TypeError):  # an exception whose args cannot be set: as it is
        pass


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command is: a ``KeyboardInterrupt``, so that every cleanup a
    Ctrl-C gets (:func:`atomic_output`, the filing's temporary body, a Dask cluster) runs."""


#: The exit status of a command stopped by SIGTERM: 128 + 15, as a shell reports a command that
#: the signal ended (Ctrl-C's is 130, 128 + 2).
EXIT_TERMINATED = 128 + signal.SIGTERM


@dataclass
class SigtermState:
    """What :func:`sigterm_as_interrupt` did: whether it installed its handler (only in the
    main thread, and not where SIGTERM was ignored), and whether SIGTERM came."""

    installed: bool = False
    received: bool = False


#: The state of the :func:`sigterm_as_interrupt` block in force (None outside one).
_ACTIVE: SigtermState | None = None


def raise_if_terminated() -> None:
    """Raise :class:`Terminated` where a SIGTERM came within the :func:`sigterm_as_interrupt`
    block in force: its handler's raise may have been swallowed (a library's code catching
    every exception), so the places that must not go on after it — the rename of an output,
    the next chunk of a batch — ask again.  Nothing outside such a block."""
    if _ACTIVE is not None and _ACTIVE.received:
        raise Terminated()


def _in_cleanup() -> bool:
    """Whether the code the signal interrupted is handling a ``KeyboardInterrupt`` (a
    :class:`Terminated` or Ctrl-C's), directly or as the cause or context of the exception it
    handles: an ``except``, a ``finally`` or an ``__exit__`` on the way out of the command."""
    todo: list[BaseException | None] = [sys.exc_info()[1]]
    seen: set[int] = set()
    while todo:
        exc = todo.pop()
        if exc is None or id(exc) in seen:
            continue
        if isinstance(exc, KeyboardInterrupt):
            return True
        seen.add(id(exc))
        todo += [exc.__cause__, exc.__context__]
    return False


@contextmanager
def sigterm_as_interrupt() -> Iterator[SigtermState]:
    """Within the block, SIGTERM raises :class:`Terminated` in the main thread and is
    remembered (``received``; :func:`raise_if_terminated` raises it again).  A second SIGTERM
    during the cleanup (while a ``KeyboardInterrupt`` is being handled) is ignored, so the
    temporary files are removed (``kill -9`` still ends the process); one outside it — the
    first raise swallowed — raises again.  The previous handler is restored afterwards.
    Outside the main thread (where Python cannot set a handler), or where SIGTERM is ignored
    (a parent's choice), nothing is installed."""
    global _ACTIVE
    state = SigtermState()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous == signal.SIG_IGN:
        yield state
        return

    def terminate(signum, frame) -> None:
        if state.received and _in_cleanup():
            return
        state.received = True
        raise Terminated()

    outer = _ACTIVE
    signal.signal(signal.SIGTERM, terminate)
    state.installed = True
    _ACTIVE = state
    try:
        yield state
    finally:
        _ACTIVE = outer
        signal.signal(signal.SIGTERM, previous)
