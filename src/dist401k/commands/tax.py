"""`dist401k tax FILE`: the federal income tax of every tax unit in a CSV, Parquet or JSON file."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pyarrow as pa
import typer
from rich import box
from rich.console import Console
from rich.table import Table

from dist401k.commands._files import as_typed, check_output_or_exit, fail, file_errors
from dist401k.commands._output import (
    checked_format,
    format_option,
    print_csv,
    print_json,
    print_table,
    terminal,
)
from dist401k.errors import FieldProblem, InputError
from dist401k.input_columns import ID_COLUMNS, check_columns
from dist401k.io.files import TAX_UNITS, kind_of_file, wrong_kind
from dist401k.io.tables import TableFormatError, read_table_parts, table_format, write_table
from dist401k.law.filing_status import FILING_STATUSES
from dist401k.law.loader import Law, LawError, default_law
from dist401k.money import dollars_text
from dist401k.projection import indexed_states
from dist401k.state_outcome import state_tax_shown
from dist401k.tax import COLUMNS, OUTPUT_COLUMNS
from dist401k.tax.state.with_federal import STATE_INPUTS, STATE_TABLE_OUTPUTS
from dist401k.tax.table import PROJECTION_COLUMNS, projection_columns, tax_table
from dist401k.tax.units import REQUIRED

# The figures of a table are the public dist401k.tax.table's (docs/library.md): the command,
# POST /tax and Python give the same.
__all__ = ["PROJECTION_COLUMNS", "projection_columns", "tax_command", "tax_table"]

#: The mark of a row whose tax is a lower bound (``kiddie_tax_not_figured``).
LOWER_BOUND_MARK = "†"

# --inflation is an economic assumption, not law: the range the drawdown planner also accepts
# for a household's inflation (planner/household.py), from 10% deflation to 30% inflation.
INFLATION_RANGE = (-0.10, 0.30)


def check_inflation(inflation: float | None) -> float | None:
    """``inflation`` if it is a finite rate within :data:`INFLATION_RANGE`, else exit 2."""
    low, high = INFLATION_RANGE
    if inflation is not None and not (np.isfinite(inflation) and low <= inflation <= high):
        fail(f"--inflation: {inflation} is not a yearly rate between {low} and {high} "
             "(0.025 is 2.5%)")
    return inflation


def versioned(answer: dict, law: Law) -> dict:
    """``answer`` with what made it: the law version (the hash of the law files) and the
    dist401k version, as `POST /tax` gives them (docs/tax.md)."""
    from dist401k import __version__

    return {**answer, "law_version": law.version, "dist401k_version": __version__}


def with_made_by(result: pa.Table, law: Law) -> pa.Table:
    """The table with the batch files' key-value metadata (key ``dist401k``: the dist401k and
    law versions, the job ``tax`` and the inflation assumed), which a Parquet file keeps; CSV
    and JSON files have no place for it (docs/batch.md)."""
    from dist401k.runner import run_metadata

    made_by = run_metadata("tax", law, {"inflation": law.inflation})
    return result.replace_schema_metadata({**(result.schema.metadata or {}), **made_by})


def tax_command(
    file: Path = typer.Argument(..., help="Tax units: .csv, .parquet or .json (one row per unit)."),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="Write the results here (.csv, .parquet or .json)."
    ),
    inflation: float | None = typer.Option(
        None, help="Assumed chained-CPI inflation for projected years (default 0.025): a "
        "yearly rate from -0.10 to 0.30."
    ),
    format: str = format_option(),
) -> None:
    """Federal income tax of each tax unit: AGI, taxable income, regular tax, AMT, NIIT, the
    §72(t) 10% additional tax and their total.  Columns are documented in docs/tax.md.  With -o
    the results go to the file; otherwise --format json or csv prints every column, to the
    cent, one unit a row."""
    err = Console(stderr=True, soft_wrap=True)
    checked_format(format)
    check_inflation(inflation)
    if output is not None:
        with file_errors():
            table_format(output, output=True)
        check_output_or_exit(output, file)
    refuse_other_kind(file)
    try:
        law = default_law() if inflation is None else Law(inflation=inflation)
        table, parts = read_table_parts(file)
        # A misspelled column is refused, never taxed as zero (other columns, a name or a
        # note, are copied to the output); a list given as a value is named with its row.
        check_columns(table.schema, "tax", file.name, values_only=False, carried=True)
        result = tax_of_parts(table, parts, law)
    except InputError as exc:
        err.print(f"[bold red]error:[/] {file.name}: {len(exc.problems)} problem(s) in the input")
        for p in exc.problems[:50]:
            err.print(f"  {p}", markup=False, highlight=False)
        if len(exc.problems) > 50:
            err.print(f"  … and {len(exc.problems) - 50} more")
        raise typer.Exit(2) from None
    except (TableFormatError, LawError) as exc:
        fail(as_typed(str(exc), file))
    if output is not None:
        with file_errors():
            write_table(with_made_by(result, law), output)
        err.print(f"{result.num_rows} tax units → {output}")
    elif format == "json":
        print_json(versioned({"results": result.to_pylist()}, law))
    elif format == "csv":
        print_csv(result.to_pylist())
    else:
        show(result, law)


def refuse_other_kind(file: Path) -> None:
    """One line and exit 2 where ``file`` is clearly a case, a drawdown plan or a tax request
    (``{"units": [...]}``, ``POST /tax``'s body), not a table of tax units: named as what it is,
    with what to run (:func:`~dist401k.io.files.kind_of_file`), rather than "unknown file type
    '.yaml'" or a JSON object read as one row."""
    found = kind_of_file(file, TAX_UNITS)
    if found is not None:
        fail(as_typed(str(wrong_kind(file, found, TAX_UNITS).problems[0].problem), file))


def tax_of_parts(table: pa.Table, parts: list[tuple[np.ndarray, pa.Table]], law: Law) -> pa.Table:
    """The file's ``table`` with the tax columns of each of its ``parts`` (a JSON file's units
    that give the same keys, :func:`~dist401k.io.tables.read_table_parts`), each part's
    figures taken as ``POST /tax`` takes them — a key a unit leaves out is an absent column
    (an amount not given is 0; a unit without ``state`` has no state figures, null), not a
    blank cell refused — so that the file and the API give the same figures for the same
    units.  Every problem of every part is named by its row in the file."""
    if len(parts) <= 1:
        return tax_table(table, law)
    figured: list[tuple[np.ndarray, pa.Table]] = []
    problems: list[FieldProblem] = []
    for at, part in parts:
        missing = [c for c in REQUIRED if c not in part.column_names]
        if missing:  # in POST /tax's words for a unit without the key
            problems += [FieldProblem(c, "is required", int(i) + 1) for i in at for c in missing]
            continue
        try:
            figured.append((at, tax_table(part, law)))
        except InputError as exc:  # the part's row r is the file's row at[r - 1] + 1
            problems += [p if p.row is None else FieldProblem(p.field, p.problem,
                                                              int(at[p.row - 1]) + 1)
                         for p in exc.problems]
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.row or 0))
    names: tuple[str, ...] = OUTPUT_COLUMNS + PROJECTION_COLUMNS
    if any("state" in r.column_names for _, r in figured):
        names += STATE_TABLE_OUTPUTS
    rows = np.argsort(np.concatenate([at for at, _ in figured]), kind="stable")
    out = table.drop_columns([n for n in names if n in table.column_names])
    for name in names:
        kind = next(r.schema.field(name).type for _, r in figured if name in r.column_names)
        column = pa.concat_arrays([r.column(name).combine_chunks().cast(kind)
                                   if name in r.column_names else pa.nulls(len(at), kind)
                                   for at, r in figured])
        out = out.append_column(name, column.take(pa.array(rows)))
    return out


SHORT = {"single": "single", "married_joint": "MFJ", "married_separate": "MFS",
         "head_of_household": "HoH", "qualifying_surviving_spouse": "QSS"}
SHOWN = (("agi", "AGI"), ("taxable_income", "taxable"), ("regular_tax", "regular"),
         ("amt", "AMT"), ("niit", "NIIT"), ("additional_tax_72t", "72(t)"),
         ("income_tax", "income tax"))


def show(result: pa.Table, law: Law) -> None:
    console = terminal()
    t = Table(title="Federal income tax (dollars)", title_justify="left", box=box.SIMPLE_HEAD,
              padding=0)  # the box's one space between columns: 80 columns hold it
    t.add_column("row", justify="right", no_wrap=True)
    t.add_column("year", justify="right", no_wrap=True)
    t.add_column("status", no_wrap=True)
    for _, label in SHOWN:
        t.add_column(label.replace(" ", "\n"), justify="right", no_wrap=True)
    cols = result.to_pydict()
    with_state = "state_income_tax" in cols
    if with_state:
        t.add_column("state")
        t.add_column("state tax", justify="right")
    n = result.num_rows
    for i in range(min(n, 200)):
        fs = cols["filing_status"][i]
        status = FILING_STATUSES[int(fs)] if isinstance(fs, (int, np.integer)) else str(fs)
        year = f"{cols['tax_year'][i]}{'*' if cols['projected'][i] else ''}"
        t.add_row(
            f"{i + 1}{LOWER_BOUND_MARK if cols['kiddie_tax_not_figured'][i] else ''}",
            year,
            SHORT.get(status, status),
            *(dollars_text(cols[c][i]) for c, _ in SHOWN),
            *(state_cells(cols, i) if with_state else ()),
        )
    print_table(console, t)
    if n > 200:
        console.print(f"(first 200 of {n} rows; use -o to write them all)")
    if any(cols["projected"]):
        console.print(projected_footnote(law, with_state), highlight=False)
    if any(cols["kiddie_tax_not_figured"]):
        console.print(
            f"{LOWER_BOUND_MARK} a lower bound: a child the kiddie tax may reach (IRC §1(g), Form "
            "8615) whose parent's figures are not given (parent_filing_status, "
            "parent_taxable_income)")
    console.print(f"law version {law.version}; -o FILE writes every column, to the cent")


def state_cells(cols: dict, i: int) -> tuple[str, str]:
    """Row ``i``'s "state" and "state tax" cells: blank for a unit without a state (a JSON
    file's unit that leaves the key out, beside units that give it)."""
    if cols["state"][i] is None:
        return "", ""
    return str(cols["state"][i]), state_tax_shown(
        {k: cols[k][i] for k in ("state_income_tax", "state_additional_tax", "state_covered")},
        "state_income_tax")


def projected_footnote(law: Law, with_state: bool) -> str:
    """The table's note on a projected year: federal amounts indexed; with states, a state's
    figures as its law schedules them, else carried unchanged unless its law file is indexed
    (dist401k.projection, docs/state.md)."""
    head = (f"* projected law: years after {law.enacted_through} use amounts indexed at "
            f"{law.inflation:.1%} a year")
    if not with_state:
        return head
    states = indexed_states(law)
    return (head.replace("use amounts", "use federal amounts")
            + (f" (the indexed amounts of {' and '.join(states)} too)" if states else "")
            + f"; other state figures are as their law schedules them, else "
              f"{law.enacted_through}'s, carried")


def columns_help() -> str:
    """The input columns `dist401k tax` reads, for its --help: the lists its check of a
    table's columns takes them from (:func:`dist401k.input_columns.tax_columns`)."""
    state = [c for c in STATE_INPUTS if c != "state"]
    return (f"Input columns (docs/tax.md): {', '.join(COLUMNS)}. {', '.join(ID_COLUMNS)} and "
            "any other column are copied to the output.\n\n"
            "State columns (docs/state.md), read with a state column (a USPS code such as NY): "
            f"{', '.join(state)}. The output then adds {', '.join(STATE_TABLE_OUTPUTS)}. "
            "Without a state column they are checked all the same, and one holding a value "
            "(not blank, 0 or false) is refused: \"needs a state\".")


tax_command.__doc__ = inspect.cleandoc(tax_command.__doc__ or "") + "\n\n" + columns_help()
