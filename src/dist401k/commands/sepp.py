"""`dist401k sepp CASE`: a 72(t) series of substantially equal periodic payments, priced by the
three methods of Notice 2022-6 side by side, with the end of the series and the cost of breaking
it."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from dist401k.commands._files import fail, given
from dist401k.commands._load import load_case_or_exit, load_or_exit
from dist401k.commands._output import (
    checked_format,
    format_option,
    print_csv,
    print_json,
    print_table,
    terminal,
)
from dist401k.finite_json import non_finite_as_null
from dist401k.money import dollars_text
from dist401k.sepp import METHODS, sepp_cases

SHORT = {"rmd": "RMD", "amortization": "amort.", "annuitization": "annuit."}
# Below this width the payments table leaves out the date (the first payment's is above it).
DATE_COLUMN_WIDTH = 90
LABELS = {"rmd": "RMD method", "amortization": "Fixed amortization",
          "annuitization": "Fixed annuitization"}


def sepp_command(
    ctx: typer.Context,
    case: Path = typer.Argument(..., help="Case file, YAML or JSON, with a `sepp` section."),
    format: str = format_option(),
    as_json: bool = typer.Option(False, "--json", hidden=True,
                                 help="Deprecated: use --format json."),
) -> None:
    """Substantially equal periodic payments (IRC §72(t)(2)(A)(iv)): the yearly payment by the
    RMD, fixed amortization and fixed annuitization methods, the rate and its ceiling, when the
    series may end, and what breaking it early would cost (§72(t)(4)).  CSV: one row per year
    of the schedule."""
    checked_format(format)
    if as_json:
        format = _deprecated_json(ctx, format)
    # a valid case with no series to price: its problems told as a case file's are (exit 2)
    result = non_finite_as_null(load_or_exit(lambda p: sepp_cases([load_case_or_exit(p)])[0],
                                             case))
    if format == "json":
        print_json(result)
    elif format == "csv":
        print_csv([{"case": result["case_id"] or case.name, **row} for row in result["schedule"]])
    else:
        show(terminal(), case, result)


def _deprecated_json(ctx: typer.Context, fmt: str) -> str:
    """``json`` for the deprecated ``--json``, with a note on stderr (docs/cli.md: it goes after
    one release); given with another ``--format`` it is refused in one line, never one of the
    two silently."""
    if given(ctx, "format") and fmt != "json":
        fail(f"--json asks for JSON and --format for {fmt}: give one (--json is deprecated: use "
             "--format json)")
    Console(stderr=True, soft_wrap=True).print(
        "warning: --json is deprecated and will be removed: use --format json", markup=False,
        highlight=False)
    return "json"


def _pct(x: float) -> str:
    """A rate as a percentage, to as many places as it has (at least two, at most four): a
    ceiling of 120% of 4.28% is 5.136%, not a 5.14% the series would be refused at."""
    text = f"{x * 100:.4f}".rstrip("0")
    whole, _, places = text.partition(".")
    return f"{whole}.{places.ljust(2, '0')}%"


def _known(x: object) -> str:
    """A figure of the table, or "—" where it is unknown (None: a table with no entry for it,
    as the JSON's null and the CSV's empty cell)."""
    return "—" if x is None else f"{x}"


def show(console: Console, path: Path, r: dict) -> None:
    head = (f"{r['case_id'] or path.name} — 72(t) series from the {r['account']} starting "
            f"{r['first_payment_date']}, balance ${r['balance']:,.2f}")
    console.print(f"[bold]{head}[/]")
    if not r["available"]:
        console.print("[bold red]Not available as set out:[/]")
    rate_note = "chosen" if r["rate_chosen_by_user"] else "the ceiling"
    mids = ", ".join(_pct(x) for x in r["federal_midterm_rates"])
    console.print(f"Interest rate {_pct(r['interest_rate'])} ({rate_note}); ceiling "
                  f"{_pct(r['rate_ceiling'])} = greater of the floor and 120% of the federal "
                  f"mid-term rate ({mids})")
    f = r["first_year"]
    console.print(f"Life expectancy ({r['table']} table) {_known(f['life_expectancy'])}; "
                  f"amortization factor {_known(f['amortization_factor'])}; annuity factor "
                  f"{_known(f['annuity_factor'])}; "
                  f"assumed return {_pct(r['assumed_return'])}")
    console.print(f"59½ on {r['age_59_half_on']}; the series may end (be changed or stopped) "
                  f"from {r['series_ends']}")
    t = Table(title="Payments by method", title_justify="left", box=box.SIMPLE_HEAD,
              pad_edge=False, collapse_padding=True)
    dated = console.width >= DATE_COLUMN_WIDTH  # narrower: the date is in the heading above
    for col in ("year", "date", "age", "life\nexp.") if dated else ("year", "age", "life\nexp."):
        t.add_column(col, justify="left" if col in ("year", "date") else "right", no_wrap=True)
    for m in METHODS:
        t.add_column(f"payment,\n{SHORT[m]}", justify="right", no_wrap=True)
    for m in METHODS:
        t.add_column(f"balance,\n{SHORT[m]}", justify="right", no_wrap=True)
    for row in r["schedule"]:
        t.add_row(str(row["year"]), *([row["date"]] if dated else []), str(row["age"]),
                  _known(row["life_expectancy"]),
                  *(f"{row[f'payment_{m}']:,.2f}" for m in METHODS),
                  *(dollars_text(row[f"balance_{m}"]) for m in METHODS))
    print_table(console, t)
    if r["switch_to_rmd_year"]:
        console.print(f"The fixed methods switch once to the RMD method in "
                      f"{r['switch_to_rmd_year']}.")
    mod = r["modification"]
    if mod:
        c = Table(title=f"Breaking the series on {mod['date']}", title_justify="left",
                  box=box.SIMPLE_HEAD)
        for col in ("method", "payments before 59½", "recaptured 10% tax", "interest", "total"):
            c.add_column(col, justify="left" if col == "method" else "right")
        for m in METHODS:
            x = mod[m]
            c.add_row(LABELS[m], f"{x['recaptured_payments']:,.2f}", f"{x['recapture_tax']:,.2f}",
                      f"{x['interest']:,.2f}", f"{x['total']:,.2f}")
        print_table(console, c)
    console.print("[bold]Why[/]")
    for x in r["reasons"]:
        console.print(f"  • {x['text']} [{x['citation']}]", markup=False, highlight=False)
    console.print("[bold]Law used[/]")
    for x in r["citations"]:
        console.print(f"  {x['parameter']}: {x['citation']}", markup=False, highlight=False)
