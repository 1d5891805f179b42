"""Loading a case file for a command: on bad input, print each field's problem (with the
nearest declared name for a misspelling) and exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console

from dist401k.did_you_mean import with_suggestions
from dist401k.errors import InputError

T = TypeVar("T")


def load_or_exit(loader: Callable[[Path], T], path: Path,
                 model: type[BaseModel] | None = None) -> T:
    """``loader(path)``; an :class:`InputError` becomes one line per problem on stderr (one
    line in all when there is one problem) and exit status 2.  ``model`` is the file's model,
    whose declared names a misspelled field is matched against ("did you mean …?")."""
    try:
        return loader(path)
    except InputError as exc:
        problems = with_suggestions(exc.problems, model) if model else exc.problems
        err = Console(stderr=True, soft_wrap=True)
        if len(problems) == 1:  # one problem, one line (a file's problem names the file)
            p = problems[0]
            err.print("[bold red]error:[/] ", end="")
            err.print(p.problem if p.field == "file" else f"{path.name}: {p}", markup=False,
                      highlight=False)
            raise typer.Exit(2) from None
        err.print(f"[bold red]error:[/] {path.name}: {len(problems)} problem(s)")
        for p in problems:
            err.print(f"  {p}", markup=False, highlight=False)
        raise typer.Exit(2) from None


def load_case_or_exit(path: Path):
    """A case file (:func:`dist401k.case.load_case`) or one line per problem and exit 2."""
    from dist401k.case import Case, load_case

    return load_or_exit(load_case, path, Case)
