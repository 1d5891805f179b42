"""Writing output files safely: never over an input, and never a partial file under the final
name.

Every command that writes (``batch``, ``tax``, ``synth``, ``report``, ``plan``) goes through
:func:`check_output` before it computes and :func:`atomic_output` when it writes: the file is
written under a temporary name beside the final one (same folder, so the rename is atomic on
one file system) and renamed only once complete.  On any failure the temporary file is removed
and :class:`OutputError` says in one line what failed; the final name is left as it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
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
    """A hidden name beside ``final`` with the same extension (writers choose their format by
    it), unique to this process."""
    final = Path(final)
    return final.with_name(f".{final.stem}.partial-{os.getpid()}{final.suffix}")


def describe_os_error(exc: OSError) -> str:
    return exc.strerror or exc.__class__.__name__


@contextmanager
def atomic_output(final: Path) -> Iterator[Path]:
    """Yield a temporary path to write; rename it to ``final`` when the block completes.

    Any exception in the block (a full disk, a read-only folder, a writer's error) removes the
    temporary file, leaves ``final`` untouched and is raised as :class:`OutputError` (an
    ``InputError``, ``OutputError`` or ``KeyboardInterrupt`` passes through unchanged).
    """
    final = Path(final)
    tmp = temporary_name(final)
    try:
        yield tmp
        os.replace(tmp, final)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {final}: {describe_os_error(exc)}") from None
        raise
