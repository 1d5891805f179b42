"""Files in and out for the commands: one line on stderr and exit status 2 for a file that
cannot be read or an output that cannot or must not be written."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console
from rich.text import Text

from dist401k.io.outputs import OutputError, atomic_output, check_output, temporary_name
from dist401k.io.tables import TableFormatError


def fail(message: str) -> NoReturn:
    """Print ``error: message`` as one line on stderr and exit with status 2."""
    line = Text.assemble(("error: ", "bold red"), " ".join(str(message).split()))
    Console(stderr=True, soft_wrap=True).print(line, highlight=False)
    raise typer.Exit(2)


def given(ctx: typer.Context, name: str) -> bool:
    """Whether the parameter ``name`` was typed on the command line (not its default).  By the
    source's name: Typer carries its own copy of click, whose ParameterSource is another class."""
    return getattr(ctx.get_parameter_source(name), "name", None) == "COMMANDLINE"


def as_typed(message: str, path: Path) -> str:
    """``message`` about ``path``, which names it by its name (``x.yaml: …``), naming it as the
    user typed it where that name says nothing: ``.`` (whose name is empty) and a folder
    (``/tmp``, whose name ``tmp`` is not what was typed)."""
    head = f"{path.name}: "
    if message.startswith(head) and (not path.name or path.is_dir()):
        return f"{path}: {message[len(head):]}"
    return message


@contextmanager
def file_errors() -> Iterator[None]:
    """Turn an unreadable input or an unwritable output into :func:`fail`."""
    try:
        yield
    except OutputError as exc:
        fail(str(exc.problems[0].problem))
    except TableFormatError as exc:
        fail(str(exc))


def check_output_or_exit(output: Path, *inputs: Path, directory: bool = False) -> None:
    """:func:`check_output`, failing with one line: never over an input, never into a folder
    that does not exist."""
    with file_errors():
        check_output(output, *inputs, directory=directory)


def write_or_exit(write: Callable[[Path], object], output: Path) -> None:
    """``write(path)`` to a temporary name beside ``output``, renamed when complete; a failure
    (the disk, the folder, the writer's own ValueError or RuntimeError, a PDF printer) leaves
    no file under ``output`` and becomes :func:`fail`."""
    try:
        with atomic_output(output) as tmp:
            write(tmp)
    except OutputError as exc:
        fail(exc.problems[0].problem)
    except subprocess.SubprocessError as exc:
        fail(f"{output.name}: the PDF printer failed ({exc.__class__.__name__})")
    except (ValueError, RuntimeError) as exc:
        fail(str(exc).replace(temporary_name(output).name, output.name))
