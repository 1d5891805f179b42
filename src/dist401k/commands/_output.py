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
from rich.measure import Measurement
from rich.table import Column, Table
from rich.text import Text

from dist401k.commands._files import fail
from dist401k.io.tables import csv_safe, records_to_table

FORMATS = ("table", "json", "csv")

# The width of a table written to a pipe or a file when COLUMNS does not say: wide enough for
# the cost table's figures, narrow enough for a mail or a ticket.
PIPED_WIDTH = 100

# The least COLUMNS taken as a width: below it (0 included) Rich draws nothing at all (0) or
# breaks the help's words into pieces ("Usa", "ge:"), so COLUMNS is taken as unset.
MIN_COLUMNS = 20


def format_option() -> Any:
    """The ``--format`` option every command shares."""
    return typer.Option("table", "--format", "-f", metavar="table|json|csv",
                        help="A table for people; json or csv for programs.")


def checked_format(fmt: str) -> str:
    """``fmt`` if it is one of :data:`FORMATS`; otherwise one line and exit status 2."""
    if fmt not in FORMATS:
        fail(f"--format: {fmt!r} is not a format dist401k writes (use {', '.join(FORMATS)})")
    return fmt


def usable_columns() -> int | None:
    """The width ``COLUMNS`` gives, or None where it gives none a table can use: unset, not a
    number, or under :data:`MIN_COLUMNS` (``COLUMNS=0`` printed nothing, not even an error)."""
    columns = os.environ.get("COLUMNS", "").strip()
    if not columns.isdigit() or int(columns) < MIN_COLUMNS:
        return None
    return int(columns)


def drop_unusable_columns() -> None:
    """Unset a ``COLUMNS`` no console can draw at (:func:`usable_columns`), for every console
    of the process (Typer's help, the one-line errors, the tables): the terminal's own width,
    or :data:`PIPED_WIDTH` when piped, as if it were not set."""
    if "COLUMNS" in os.environ and usable_columns() is None:
        del os.environ["COLUMNS"]


def terminal() -> Console:
    """A console as wide as the terminal; when piped, as wide as ``COLUMNS`` says, else
    :data:`PIPED_WIDTH` (a ``COLUMNS`` under :data:`MIN_COLUMNS` is as if unset)."""
    drop_unusable_columns()
    console = Console()
    if not console.is_terminal and usable_columns() is None:
        console = Console(width=PIPED_WIDTH)
    return console


def year_head(answer: dict) -> str:
    """"tax year 2027, projected law" (or "tax year 2026"): the year whose law answered, as
    every header of an assessment or a comparison says it (DESIGN.md: projected law is marked)."""
    return f"tax year {answer['tax_year']}" + (", projected law" if answer.get("projected") else "")


def print_projection(console: Console, answer: dict) -> None:
    """The one header line that says what projected law is made of (dist401k.projection);
    nothing for enacted law."""
    if answer.get("projection"):
        console.print(answer["projection"]["method"], markup=False, highlight=False)


def print_json(value: object) -> None:
    typer.echo(json.dumps(value, indent=2))


def print_csv(rows: list[dict]) -> None:
    """``rows`` as CSV with a header line (the columns of :func:`csv_columns`), cells made safe
    for a spreadsheet (csv_safe)."""
    if not rows:
        return
    order = csv_columns(rows)
    buf = io.BytesIO()
    pacsv.write_csv(csv_safe(records_to_table([{k: r.get(k) for k in order} for r in rows])), buf)
    typer.echo(buf.getvalue().decode("utf-8"), nl=False)


def _is_reasons(value: list) -> bool:
    """Whether a list holds reasons (objects with a ``code``), written as their codes."""
    return all(isinstance(x, dict) and "code" in x for x in value)


def csv_cells(row: dict, prefix: str = "") -> dict:
    """One JSON row as CSV cells, one value a cell: a nested mapping as ``outer.inner``
    columns; a list of objects as ``outer.0.inner``, ``outer.1.inner`` … columns, numbered from
    0 as the JSON's field paths are (a spreadsheet sums or filters a column, never text inside
    a cell); a list of reasons as their codes and any other list of values joined by ``;``."""
    out: dict = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(csv_cells(value, f"{name}."))
        elif isinstance(value, list) and value and not _is_reasons(value) \
                and all(isinstance(x, dict) for x in value):
            for i, item in enumerate(value):
                out.update(csv_cells(item, f"{name}.{i}."))
        elif isinstance(value, list):
            items = [x.get("code", json.dumps(x)) if isinstance(x, dict) else x for x in value]
            out[name] = ";".join(str(x) for x in items)
        else:
            out[name] = value
    return out


def csv_columns(rows: list[dict]) -> list[str]:
    """The columns of rows of :func:`csv_cells`, in the order they first come: a field that is
    a mapping (or a list of objects) in some rows and null or empty in the others has only its
    inner columns, where the field came (its empty outer column would say nothing); an outer
    column with a value in any row is kept."""
    seen = list(dict.fromkeys(k for r in rows for k in r))
    empty = {n for n in seen if any(m.startswith(n + ".") for m in seen)
             and all(r.get(n) in (None, "") for r in rows)}
    order: list[str] = []
    for name in seen:
        if name in empty:
            order += [m for m in seen if m.startswith(name + ".") and m not in empty
                      and m not in order]
        elif name not in order:
            order.append(name)
    return order


# A column of text that may break a word (overflow "fold": the reasons, with their long
# citations) keeps at least this many columns, or its longest word where shorter; any other
# column keeps its longest word whole, and a column of figures (no_wrap) every cell whole.
FOLD_FLOOR = 16


def _padding(table: Table, index: int) -> int:
    """The padding Rich puts around the cells of column ``index`` (Table._get_padding_width)."""
    _, right, _, left = table.padding
    if table.collapse_padding:
        left = 0
    if not table.pad_edge:
        left = 0 if index == 0 else left
        right = 0 if index == len(table.columns) - 1 else right
    return left + right


def _frame(table: Table) -> int:
    """The columns the table's box takes: its edges and a rule between columns."""
    if not table.box:
        return 0
    return (2 if table.show_edge else 0) + len(table.columns) - 1


def column_range(console: Console, table: Table, index: int,
                 whole_heading: bool = True) -> tuple[int, int]:
    """The least and the most width of a column, padding included: the most is its widest
    line; the least keeps a figure (a no_wrap column's cell) whole on one line and every word
    whole — a heading's too, unless not ``whole_heading`` — except that a column that folds
    may break a word past :data:`FOLD_FLOOR`."""
    column: Column = table.columns[index]
    wide = console.options.update_width(10_000)
    header = Measurement.get(console, wide, column.header)
    cells = [Measurement.get(console, wide, c) for c in column.cells]
    most = max([header.maximum, *(c.maximum for c in cells)])
    words = max([header.minimum if whole_heading else 1, *(c.minimum for c in cells)])
    if column.overflow == "fold" and not column.no_wrap:
        words = min(words, max(FOLD_FLOOR, header.minimum if whole_heading else 1))
    least = max([words, column.min_width or 0,
                 *((c.maximum for c in cells) if column.no_wrap else ())])
    pad = _padding(table, index)
    return least + pad, max(most, least) + pad


def _narrow(widths: list[int], floors: list[int], movable: list[bool], excess: int) -> int:
    """Take up to ``excess`` columns off the movable columns above their floors, the widest
    first, as Rich's Table._collapse_widths does (each round the widest down toward the next
    widest, the excess shared as its ratio_reduce shares it); what is left of the excess."""
    while excess > 0:
        slack = [i for i, w in enumerate(widths) if movable[i] and w > floors[i]]
        if not slack:
            break
        top = max(widths[i] for i in slack)
        tops = [i for i in slack if widths[i] == top]
        second = max((w for i, w in enumerate(widths) if movable[i] and w < top), default=0)
        share, count = excess, len(tops)
        for i in tops:
            cut = min(top - max(second, floors[i]), excess, round(share / count))
            widths[i] -= cut
            share -= cut
            count -= 1
        excess = share
    return excess


def fitted_widths(ranges: list[tuple[int, int]], wraps: list[bool], room: int) -> list[int]:
    """Column widths that add up to ``room`` where they can, never below a column's least
    width: the columns whose text wraps first (as Rich narrows a table), then those of figures
    whose headings wrap."""
    widths = [most for _, most in ranges]
    floors = [least for least, _ in ranges]
    excess = _narrow(widths, floors, wraps, sum(widths) - room)
    _narrow(widths, floors, [True] * len(widths), excess)
    return widths


def _ranges(console: Console, table: Table, ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The columns' ranges (:func:`column_range`) for a table too wide for the console:
    ``ranges`` where their least widths fit; else, without the padding and the edges (the
    box's rule still parts the columns); else with the headings' words broken where that
    fits."""
    if sum(least for least, _ in ranges) + _frame(table) <= console.width or not table.box:
        return ranges
    table.padding, table.show_edge = 0, False
    ranges = [column_range(console, table, i) for i in range(len(table.columns))]
    folded = [column_range(console, table, i, False) for i in range(len(table.columns))]
    fits = sum(least for least, _ in ranges) + _frame(table) <= console.width
    return ranges if fits or sum(least for least, _ in folded) + _frame(table) > console.width \
        else folded


def print_table(console: Console, table: Table) -> None:
    """Print ``table`` with no figure and no row label cut (no "…"): where it is wider than
    the terminal, its text wraps at words and its headings wrap, the widest column first; where
    even its narrowest layout is wider, the padding and the edges go (one space between
    columns), then a heading's word may break; and if that is not enough it is printed at the
    width it needs, headings whole, and the terminal wraps its lines."""
    ranges = [column_range(console, table, i) for i in range(len(table.columns))]
    if sum(most for _, most in ranges) + _frame(table) <= console.width:
        console.print(table)  # it fits as it is: Rich's layout
        return
    ranges = _ranges(console, table, ranges)
    frame = _frame(table)
    widths = fitted_widths(ranges, [not c.no_wrap for c in table.columns], console.width - frame)
    for index, (column, width) in enumerate(zip(table.columns, widths, strict=True)):
        column.width = width - _padding(table, index)
        column.no_wrap = False  # its cells fit; only a heading wraps
        column.overflow = "fold"
    need = sum(widths) + frame
    if need > console.width:
        table.width = need
    console.print(table, crop=need <= console.width)


# Below this width a table's "why" column would squeeze the figures: the reasons go in a list
# under the table instead, one line a row.
WHY_IN_TABLE_WIDTH = 120


def why_in_table(console: Console) -> bool:
    return console.width >= WHY_IN_TABLE_WIDTH


def print_whys(console: Console, whys: list[tuple[str, str]],
               title: str = "Why (10% tax; taxable part)", numbered: bool = False) -> None:
    """The "why" of each row of the table above, when the table was too narrow to hold it: one
    item a row (``numbered`` 1., 2. … as the table numbers its rows), its wrapped lines under
    its first word, as the Notes' bullets are, never back at the margin."""
    console.print(f"[bold]{title}[/]")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", width=4 if numbered else 1)
    grid.add_column(overflow="fold")
    for n, (label, why) in enumerate(whys, start=1):
        if why:
            grid.add_row(f"{n}." if numbered else "", Text(f"{label}: {why}"))
    console.print(grid)


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
        print_table(console, table(list(range(keep)) + c,
                                   f" ({n} of {len(chunks)})" if len(chunks) > 1 else ""))
