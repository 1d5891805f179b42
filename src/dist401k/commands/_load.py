"""Loading a case file for a command: on bad input, print each field's problem and exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

import typer
from rich.console import Console

from dist401k.commands._files import as_typed
from dist401k.errors import InputError, MoreProblems

T = TypeVar("T")


def load_or_exit(loader: Callable[[Path], T], path: Path) -> T:
    """``loader(path)``; an :class:`InputError` becomes one line per problem on stderr (one
    line in all when there is one problem) and exit status 2."""
    try:
        return loader(path)
    except InputError as exc:
        err = Console(stderr=True, soft_wrap=True)
        if len(exc.problems) == 1:  # one problem, one line (a file's problem names the file)
            p = exc.problems[0]
            err.print("[bold red]error:[/] ", end="")
            err.print(as_typed(p.problem, path) if p.field == "file" else f"{path.name}: {p}",
                      markup=False, highlight=False)
            raise typer.Exit(2) from None
        # a capped list ends with its count of the problems not listed (errors.capped)
        total = sum(p.count if isinstance(p, MoreProblems) else 1 for p in exc.problems)
        err.print(f"[bold red]error:[/] {path.name}: {total:,} problem(s)")
        for p in exc.problems:
            err.print(f"  {p}", markup=False, highlight=False)
        raise typer.Exit(2) from None


def load_case_or_exit(path: Path):
    """A case file (:func:`dist401k.case.load_case`) or one line per problem and exit 2."""
    from dist401k.case import load_case

    return load_or_exit(load_case, path)


def compared_or_exit(path: Path) -> dict:
    """The comparison of the case file at ``path`` (:func:`dist401k.compare.compare_case`), or
    one line per problem and exit 2: a valid case can still be refused by an option it asks for
    (a ``sepp`` series whose first payment is before the life expectancy tables of Notice 2022-6,
    the ones dist401k holds), in the words the sepp command and the API give."""
    from dist401k.compare import compare_case

    return load_or_exit(lambda p: compare_case(load_case_or_exit(p)), path)
