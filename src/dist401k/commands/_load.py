"""Loading a case file for a command: on bad input, print each field's problem and exit 2."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, TypeVar

import typer
from rich.console import Console

from dist401k.errors import InputError

T = TypeVar("T")


def load_or_exit(loader: Callable[[Path], T], path: Path) -> T:
    try:
        return loader(path)
    except InputError as exc:
        err = Console(stderr=True)
        err.print(f"[bold red]error:[/] {path.name}: {len(exc.problems)} problem(s)")
        for p in exc.problems:
            err.print(f"  {p}", markup=False, highlight=False)
        raise typer.Exit(2) from None
