"""What a command prints on standard output: one ``--format table|json|csv`` for every command,
and a terminal table as wide as the terminal."""

from __future__ import annotations

import io
import json
import os
from typing import Any

import pyarrow.csv as pacsv
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from dist401k.commands._files import fail
from dist401k.io.tables import csv_safe, records_to_table

FORMATS = ("table", "json", "csv")

# The width of a table written to a pipe or a file when COLUMNS does not say: wide enough for
# the cost table's figures, narrow enough for a mail or a ticket.
PIPED_WIDTH = 100


def format_option() -> Any:
    """The ``--format`` option every command shares."""
    return typer.Option("table", "--format", "-f", metavar="table|json|csv",
                        help="A table for people; json or csv for programs.")


def checked_format(fmt: str) -> str:
    """``fmt`` if it is one of :data:`FORMATS`; otherwise one line and exit status 2."""
    if fmt not in FORMATS:
        fail(f"--format: {fmt!r} is not a format dist401k writes (use {', '.join(FORMATS)})")
    return fmt


def terminal() -> Console:
    """A console as wide as the terminal; when piped, as wide as ``COLUMNS`` says, else
    :data:`PIPED_WIDTH`."""
    console = Console()
    if not console.is_terminal and not os.environ.get("COLUMNS", "").isdigit():
        console = Console(width=PIPED_WIDTH)
    return console


def print_json(value: object) -> None:
    typer.echo(json.dumps(value, indent=2))


def print_csv(rows: list[dict]) -> None:
    """``rows`` as CSV with a header line, cells made safe for a spreadsheet (csv_safe)."""
    if not rows:
        return
    buf = io.BytesIO()
    pacsv.write_csv(csv_safe(records_to_table(rows)), buf)
    typer.echo(buf.getvalue().decode("utf-8"), nl=False)


def csv_cells(row: dict, prefix: str = "") -> dict:
    """One JSON row as CSV cells: a nested mapping as ``outer.inner`` columns, a list of
    values joined by ``;``, a list of reasons as their codes."""
    out: dict = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(csv_cells(value, f"{name}."))
        elif isinstance(value, list):
            items = [x.get("code", json.dumps(x)) if isinstance(x, dict) else x for x in value]
            out[name] = ";".join(str(x) for x in items)
        else:
            out[name] = value
    return out


# Below this width a table's "why" column would squeeze the figures: the reasons go in a list
# under the table instead, one line a row.
WHY_IN_TABLE_WIDTH = 120


def why_in_table(console: Console) -> bool:
    return console.width >= WHY_IN_TABLE_WIDTH


def print_whys(console: Console, whys: list[tuple[str, str]],
               title: str = "Why (10% tax; taxable part)") -> None:
    """The "why" of each row of the table above, when the table was too narrow to hold it."""
    console.print(f"[bold]{title}[/]")
    for label, why in whys:
        if why:
            console.print(f"  {label}: {why}", markup=False, highlight=False)


def print_figures(console: Console, title: str, headings: list[str], rows: list[list[str]],
                  keep: int = 1) -> None:
    """A table of figures (right-aligned, never cut): in one piece if the console is wide
    enough, otherwise in parts that are, each repeating the first ``keep`` columns."""
    def table(cols: list[int], part: str) -> Table:
        t = Table(title=title + part, title_justify="left", box=box.SIMPLE_HEAD, padding=0)
        for i in cols:
            t.add_column(headings[i], justify="right", no_wrap=True)
        for row in rows:
            t.add_row(*(row[i] for i in cols))
        return t

    rest = list(range(keep, len(headings)))
    unbounded = console.options.update_width(10_000)  # the width each part would need
    parts = 1
    while parts < len(rest):
        size = -(-len(rest) // parts)
        chunks = [rest[k:k + size] for k in range(0, len(rest), size)]
        if all(console.measure(table(list(range(keep)) + c, ""), options=unbounded).maximum
               <= console.width for c in chunks):
            break
        parts += 1
    size = -(-len(rest) // parts)
    chunks = [rest[k:k + size] for k in range(0, len(rest), size)]
    for n, c in enumerate(chunks, start=1):
        console.print(table(list(range(keep)) + c,
                            f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""))
