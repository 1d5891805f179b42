"""`dist401k plan CASE`: the drawdown plan — strategies compared, the year-by-year table of the
optimum, Monte Carlo success, and a report with the charts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from dist401k.commands._files import check_output_or_exit, write_or_exit
from dist401k.commands._load import load_or_exit
from dist401k.commands._output import (
    checked_format,
    csv_cells,
    format_option,
    print_csv,
    print_figures,
    print_json,
    terminal,
)
from dist401k.planner.claiming import CHOICES, FIGURES, ages_text
from dist401k.planner.household import MAX_PATHS


def claiming_table(j: dict) -> Table:
    """The claiming ages found, against full retirement age and 70, each priced exactly."""
    c = j["claiming"]
    t = Table(title=f"When to claim Social Security ({c['candidates']} choices searched with the "
              "drawdown; the optimum of each, priced exactly)", title_justify="left",
              box=box.SIMPLE_HEAD)
    for col in ("claim at", "ages", "spending/yr", "lifetime tax", "IRMAA", "estate"):
        t.add_column(col, justify="left" if col == "claim at" else "right")
    for r in c["compared"]:
        t.add_row(CHOICES[r["choice"]], ages_text(r["claim_ages"]), *(
            f"{r[k]:,.0f}" if r["plan"] else "no plan" for k in FIGURES))
    return t


def plan_command(
    case: Path = typer.Argument(..., help="Drawdown case (YAML or JSON); see docs/plan.md."),
    format: str = format_option(),
    report: Path | None = typer.Option(None, "--report", "-o", help="Also write the report "
                                       "(.html) with the charts."),
    paths: int | None = typer.Option(None, "--paths", min=1, max=MAX_PATHS,
                                     help="Monte Carlo paths (default: the case's)."),
    monte_carlo: bool = typer.Option(True, "--monte-carlo/--no-monte-carlo",
                                     help="Run the strategies over random market paths."),
) -> None:
    """How to draw it all down: RMDs, Roth conversions and withdrawals by year, the strategies
    compared on lifetime tax, spending and estate, and the odds the money lasts.  CSV: one row
    per year of the optimum."""
    from dist401k.planner.household import load_household
    from dist401k.planner.plan import make_plan, plan_json

    checked_format(format)
    hh = load_or_exit(load_household, case)
    if report is not None:
        check_output_or_exit(report, case)
    with Console(stderr=True).status("solving and simulating…"):
        # A demand no plan can meet (the spending, the bequest, a conversion cap) is an input
        # problem of the case: named like a bad field, exit 2.
        plan = load_or_exit(lambda _: make_plan(hh, monte_carlo=monte_carlo, paths=paths),
                            case)
    if report is not None:
        from dist401k.plan_report import write_plan_report

        write_or_exit(lambda tmp: write_plan_report(plan, tmp), report)
    j = plan_json(plan)
    name = hh.id or case.name
    if format == "json":
        print_json(j)
    elif format == "csv":
        print_csv([{"case": name, **csv_cells(r)} for r in j["table"]])
    else:
        out = terminal()
        print_plan(out, j, name, bequest=bool(hh.spending.bequest))
        if report is not None:
            out.print(f"Report written: {report}")


def print_plan(out: Console, j: dict, name: str, bequest: bool) -> None:
    """The plan for people: the strategies compared, the claiming ages searched, the optimum
    year by year, and what the figures mean."""
    out.print(strategies_table(j, name))
    if "claiming" in j:
        out.print(claiming_table(j))
    gives = "charity" in j
    print_figures(out, "The optimum, year by year (nominal dollars)",
                  ["year", "ages", "income", "required", "pre-tax\nout", "conversion",
                   "Roth\nout", "brokerage\nout", "tax", "IRMAA", "spending", "bracket",
                   "balance", *(("QCD", "gift") if gives else ())],
                  [year_row(r, gives) for r in j["table"]])
    o = j["optimiser"]
    out.print(f"Optimum: {o['passes']} linear programmes (HiGHS) in {o['seconds']:.3f} s. "
              f"Required: RMDs, inherited minimums and 72(t) payments; * its floor binds. "
              f"Strategy spending: the most a year that lasts"
              f"{' and leaves the bequest' if bequest else ''}, found on the case's "
              f"fixed returns with the exact tax; lifetime tax in today's dollars. MC success: "
              f"the share of market paths on which a strategy pays what it itself pays above "
              f"every year (the systematic strategy: its own payment of each year on the fixed "
              f"returns). Law version {j['law_version']}.")
    if gives:
        out.print("QCD: qualified charitable distributions, straight from an IRA to the "
                  "charity from 70½, out of income and counted toward the RMD (IRC "
                  "§408(d)(8)); a 401(k), 403(b) or 457(b) cannot pay one — roll it to an IRA "
                  "first. The rest of the gift comes from after-tax money.")


def strategies_table(j: dict, name: str) -> Table:
    """The strategies side by side, the best of them starred."""
    t = Table(title=f"{name}: strategies compared ({j['years'][0]}–{j['years'][1]},"
              f" today's dollars)", title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0))
    t.add_column("strategy", min_width=12)  # wraps at words; the figures never do
    for c in ("spending\na year", "lifetime\ntax", "IRMAA", "conver-\nsions", "estate",
              "MC\nsuccess"):
        t.add_column(c, justify="right", no_wrap=True)
    key = "spending_real" if j["objective"] == "max_spending" else "estate_real"
    best = max(j["strategies"], key=lambda s: s[key])["key"]
    for s in j["strategies"]:
        mc = s["monte_carlo"]
        t.add_row(("★ " if s["key"] == best else "") + s["label"], f"{s['spending_real']:,.0f}",
                  f"{s['lifetime_tax_real']:,.0f}", f"{s['irmaa']:,.0f}",
                  f"{s['roth_conversions']:,.0f}", f"{s['estate_real']:,.0f}",
                  f"{mc['success_rate']:.0%}" if mc else "—")
    return t


def year_row(r: dict, gives: bool) -> list[str]:
    """One year of the optimum, as the table prints it (``gives``: with the QCD and the gift)."""
    income = r["wages"] + r["pension"] + r["social_security"]
    total = r["pretax_balance"] + r["roth_balance"] + r["taxable_balance"] + r["cash_balance"]
    return [str(r["year"]), "/".join(map(str, r["ages"])), f"{income:,.0f}",
            f"{r['rmd']:,.0f}" + ("*" if r.get("rmd_binds") else ""),
            f"{r['pretax_withdrawal']:,.0f}", f"{r['conversion']:,.0f}",
            f"{r['roth_withdrawal']:,.0f}", f"{r['taxable_withdrawal']:,.0f}",
            f"{r['income_tax']:,.0f}", f"{r['irmaa']:,.0f}", f"{r['spending']:,.0f}",
            f"{r['marginal_bracket']:.0%}", f"{total:,.0f}",
            *((f"{r['qcd']:,.0f}", f"{r['charity']:,.0f}") if gives else ())]
