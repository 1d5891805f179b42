"""`dist401k plan CASE`: the drawdown plan — strategies compared, the year-by-year table of the
optimum, Monte Carlo success, and a report with the charts."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
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
    print_table,
    terminal,
)
from dist401k.money import dollars_text
from dist401k.planner.claiming import (
    CHOICES,
    NOTHING_SEARCHED,
    ages_text,
    figure_text,
    shown_figures,
    state_tax_text,
)
from dist401k.planner.earnings_test import earnings_test_text
from dist401k.planner.guardrails import GUARDRAIL_KEYS
from dist401k.planner.household import MAX_PATHS
from dist401k.planner.irmaa_appeal import irmaa_appeal_text
from dist401k.planner.longevity import horizon_text
from dist401k.planner.risk import success_rate_se
from dist401k.planner.sampling import historical_note, se_note


def se_points(rate: float, paths: int) -> str:
    """One binomial standard error of a Monte Carlo success rate on ``paths`` paths, in
    percentage points (:func:`dist401k.planner.risk.success_rate_se`): "±1.4"."""
    return f"±{100 * success_rate_se(rate, paths):.1f}"


def success_text(mc: dict, digits: int = 0) -> str:
    """A strategy's Monte Carlo success with its standard error: "72% ±1.4"."""
    return f"{mc['success_rate']:.{digits}%} {se_points(mc['success_rate'], mc['paths'])}"


#: The claiming table's header of each figure (planner/claiming.py FIGURES).
CLAIMING_HEADS = {"spending_real": "spending/yr\ntoday's $", "lifetime_tax_real": "lifetime tax\ntoday's $",
                  "lifetime_state_tax_real": "state tax\ntoday's $", "irmaa": "IRMAA\nnominal $",
                  "estate_real": "estate\ntoday's $"}


def claiming_table(j: dict) -> Table:
    """The claiming ages found, against full retirement age and 70, each priced exactly; with a
    state, each row's state income tax over the plan beside its federal lifetime tax."""
    c = j["claiming"]
    figures = shown_figures(j)
    # A claim made before the plan's start is kept, and the caption says why (20 CFR 404.640);
    # a row whose state tax is not figured, the years.
    caption = " ".join([*c.get("notes", []), *filter(None, [state_tax_text(c)])])
    t = Table(title=f"When to claim Social Security ({c['candidates']} choices searched with the "
              "drawdown; the optimum of each, priced exactly)", title_justify="left",
              box=box.SIMPLE_HEAD, caption=caption or None, caption_justify="left")
    for col in ("claim at", "ages", *(CLAIMING_HEADS[k] for k in figures)):
        t.add_column(col, justify="left" if col == "claim at" else "right")
    for r in c["compared"]:
        t.add_row(CHOICES[r["choice"]], ages_text(r["claim_ages"]),
                  *(figure_text(r, k) for k in figures))
    return t


def print_claiming(out: Console, c: dict, j: dict) -> None:
    """The claiming search's table (:func:`claiming_table`); where every claim was made before
    the plan's start (``c["compared"]`` empty: nothing searched), the words saying so and the
    claims kept (``c["notes"]``) instead of an empty table."""
    if c["compared"]:
        print_table(out, claiming_table(j))
    else:
        out.print(" ".join([NOTHING_SEARCHED, *c.get("notes", [])]), highlight=False)


def strategies_table(j: dict, name: str) -> Table:
    """The strategies side by side, the best starred (:func:`~dist401k.planner.plan.best_key`;
    under max_estate a strategy that leaves the need unpaid is marked so and not ranked), and
    the most spending at the case's confidence where it asks for it; each money column says
    its dollars: spending, lifetime
    tax and estate in today's, IRMAA and conversions summed in each year's own (nominal); with a
    state, its income tax over the plan beside the federal lifetime tax (today's dollars)."""
    t = Table(title=f"{name}: strategies compared ({j['years'][0]}–{j['years'][1]})",
              title_justify="left", box=box.SIMPLE_HEAD, padding=(0, 1, 0, 0))
    t.add_column("strategy", min_width=12)  # wraps at words; the figures never do
    from dist401k.planner.plan import best_key, need_unpaid_words, state_tax_cell

    state = "state" in j
    for c in ("spending\na year\ntoday's $", "lifetime\ntax\ntoday's $",
              *(("state\ntax\ntoday's $",) if state else ()), "IRMAA\nnominal $",
              "conver-\nsions\nnominal $", "estate\ntoday's $", "MC\nsuccess"):
        t.add_column(c, justify="right", no_wrap=True)
    # A guardrail's spending moves with the markets: it is shown, never starred; under
    # max_estate a strategy that leaves the need unpaid is not ranked, and its row says so.
    best = best_key(j)
    for s in j["strategies"]:
        mc = s["monte_carlo"]
        t.add_row(("★ " if s["key"] == best else "") + s["label"]
                  + need_unpaid_words(s, j["objective"]), dollars_text(s['spending_real']),
                  dollars_text(s['lifetime_tax_real']),
                  *((state_tax_cell(s["lifetime_state_tax_real"]),) if state else ()),
                  dollars_text(s['irmaa']),
                  dollars_text(s['roth_conversions']), dollars_text(s['estate_real']),
                  success_text(mc) if mc else "—")
    if "confidence" in j:
        c = j["confidence"]
        t.add_row(f"Most at {c['target']:.0%} confidence (the optimum's conversions)",
                  dollars_text(c['spending_real']), *(["—"] * (5 if state else 4)),
                  f"{c['success_rate']:.0%} (too few paths)" if _too_few(c) else success_text(c))
    return t


def _too_few(c: dict) -> bool:
    """The spending at a confidence found on fewer paths than its target needs to let one
    fail (planner/confidence.fewest_paths): its standard error is not shown."""
    from dist401k.planner.confidence import fewest_paths

    return c["paths"] < fewest_paths(c["target"])


def guardrails_table(j: dict) -> Table | None:
    """The guardrail strategies over the market paths: their spending (today's dollars) and
    how low it went; None where the case asks for none (or no Monte Carlo)."""
    rows = [s for s in j["strategies"]
            if s["key"] in GUARDRAIL_KEYS and s["monte_carlo"].get("success_rate") is not None]
    if not rows:
        return None
    t = Table(title=f"Guardrails over {rows[0]['monte_carlo']['paths']:,} market paths "
              "(today's dollars)", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("strategy", "spending/yr\nmedian", "spending/yr\n5th pct", "lowest year\nmedian",
                "lowest year\n5th pct", "success"):
        t.add_column(col, justify="left" if col == "strategy" else "right")
    for s in rows:
        mc = s["monte_carlo"]
        t.add_row(s["label"], dollars_text(mc['spending_percentiles']['p50']),
                  dollars_text(mc['spending_percentiles']['p5']),
                  dollars_text(mc['lowest_spending_percentiles']['p50']),
                  dollars_text(mc['lowest_spending_percentiles']['p5']), success_text(mc))
    return t


def confidence_line(j: dict) -> str:
    """The most constant spending at the case's confidence, beside the optimum's."""
    c = j["confidence"]
    opt = c["optimum_success_rate"]
    tested = c.get("optimum_tested_spending_real", c["optimum_spending_real"])
    own = (f"the optimum's {dollars_text(tested)} on the fixed returns, on random markets with its "
           "conversions kept and the spending drawn in the conventional order,"
           if tested >= c["optimum_spending_real"] else
           f"the optimum spends {dollars_text(c['optimum_spending_real'])} on the fixed returns, and on "
           "random markets, where its conversions are kept and the spending drawn in the "
           f"conventional order, {dollars_text(tested)} (the most it sustains on the fixed returns)")
    n = c["paths"]
    # On too few paths the target lets none fail: no "±0.0" (the assumptions say why).
    se = ("too few paths for this target, see below" if _too_few(c) else
          f"{se_points(c['success_rate'], n)} points, one standard error; found on these "
          "same paths, so on new paths its success may differ by about that much")
    return (f"At {c['target']:.0%} confidence: {dollars_text(c['spending_real'])} a year (today's "
            f"dollars) succeeds on {c['success_rate']:.1%} of {n:,} market paths "
            f"({se}; {dollars_text(c['next_spending_real'])}: {c['next_success_rate']:.1%}); {own}"
            + (f" succeeds on {opt:.0%}" + ("." if _too_few(c) else f" ({se_points(opt, n)} points).")
               if opt is not None else ".")
            + " Each candidate priced by the exact tax on the same paths, with "
            f"{c['strategy']}.")


#: The title of the table of who is alive each year (printed whole, above the table).
ALIVE_TITLE = "Alive on January 1"


def print_longevity(out, j: dict, names: list[str]) -> None:
    """The probability that each person (both, either) is alive, every fifth year, and where
    the plan ends — from SSA's death probabilities."""
    from dist401k.planner.longevity import alive_percent, shown_years
    from dist401k.planner.plan import alive_text

    lv = j["longevity"]
    couple = "either_alive" in lv
    rows = [[str(lv["years"][k]), "/".join(str(a[k]) for a in lv["ages"]),
             *(alive_percent(a[k]) for a in lv["alive"]),
             *((alive_percent(lv["both_alive"][k]), alive_percent(lv["either_alive"][k]))
               if couple else ())]
            for k in shown_years(lv, also=(j["years"][1],))]
    # The title on a line of its own: a table's title wraps at the table's width, and one
    # person's table (year, ages, alive) is narrower than "Alive on January 1".
    out.print(ALIVE_TITLE, style="table.title", highlight=False)
    print_figures(out, "", ["year", "ages", *(f"{n}\nalive" for n in names),
                            *(("both", "either") if couple else ())], rows)
    says = "; ".join(f"{n}: {e:.1f} more years" for n, e in zip(names, lv["life_expectancy"],
                                                                   strict=True))
    end = horizon_text(j["years"][1], lv["horizon"], names)
    lifetimes = (" Monte Carlo: each path draws each person's year of death from the same "
                 f"table; success means never short while {alive_text(names)}."
                 if lv["lifetimes"] == "random" else "")
    out.print(f"Life expectancy: {says}. {end}{lifetimes} From SSA's death probabilities by "
              f"sex and year of birth: {lv['source']}.")


def plan_command(
    case: Path = typer.Argument(..., help="Drawdown case (YAML or JSON); see docs/plan.md."),
    format: str = format_option(),
    report: Path | None = typer.Option(None, "--report", "-o", help="Also write the report "
                                       "with the charts: .html, or .pdf (printed by Chromium)."),
    paths: int | None = typer.Option(None, "--paths", min=0, max=MAX_PATHS,
                                     help="Monte Carlo paths (default: the case's; 0: none, "
                                     "as --no-monte-carlo and the API's paths=0)."),
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
    with _progress() as step:
        # A demand no plan can meet (the spending, the bequest, a conversion cap) is an input
        # problem of the case: named like a bad field, exit 2.
        # --paths 0: no Monte Carlo, as --no-monte-carlo (the API's paths=0 alike).
        plan = load_or_exit(lambda _: make_plan(hh, monte_carlo=monte_carlo and paths != 0,
                                                paths=paths or None, step=step), case)
    if report is not None:
        from dist401k.plan_report import write_plan_report

        write_or_exit(lambda tmp: write_plan_report(plan, tmp), report)
    j = plan_json(plan)
    name = hh.id or case.name
    if format == "json":
        print_json(j)
    elif format == "csv":
        # A person the plan has outlived: an empty cell of the year's ages.
        print_csv([{"case": name, **csv_cells({**r, "ages": ["" if a is None else a
                                                            for a in r["ages"]]})}
                   for r in j["table"]])
    else:
        out = terminal()
        from dist401k.plan_report import plan_assumptions

        print_plan(out, j, name, bequest=bool(hh.spending.bequest),
                   names=[p.name or f"person {i + 1}" for i, p in enumerate(hh.people)],
                   seconds=plan.solution.seconds)
        out.print("Assumptions: " + " ".join(plan_assumptions(plan, j)), highlight=False)
        if report is not None:
            out.print(f"Report written: {report}")


class _progress:
    """A progress bar on standard error while a plan is made (only on a terminal, gone when
    done): a line for each long part (the claiming ages, the strategies over the market paths,
    the spending at a confidence) with how many of its parts are done."""

    def __enter__(self):
        err = Console(stderr=True)
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            MofNCompleteColumn(), TimeElapsedColumn(), console=err,
                            transient=True, disable=not err.is_terminal)
        self.bar.__enter__()
        self.tasks: dict[str, TaskID] = {}
        return self.step

    def step(self, what: str, done: int, total: int) -> None:
        if what not in self.tasks:
            self.tasks[what] = self.bar.add_task(what, total=total)
        self.bar.update(self.tasks[what], completed=done, total=total)

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)


def print_plan(out: Console, j: dict, name: str, bequest: bool, names: list[str],
               seconds: float | None = None) -> None:
    """The plan for people: the strategies compared, the spending at the case's confidence,
    the guardrails, the claiming ages searched, who is alive when, the optimum year by year,
    and what the figures mean; ``seconds``: the optimiser's wall-clock time, shown here only
    (the JSON holds none, so that the same case gives the same bytes)."""
    print_table(out, strategies_table(j, name))
    from dist401k.planner.plan import state_tax_text, unpaid_text

    # under the table: what a strategy left unpaid, and a state tax over the plan not figured
    for line in filter(None, (unpaid_text(j), state_tax_text(j))):
        out.print(line)
    if "confidence" in j:
        out.print(confidence_line(j))
    if (g := guardrails_table(j)) is not None:
        print_table(out, g)
    if "claiming" in j:
        print_claiming(out, j["claiming"], j)
    if "longevity" in j:
        print_longevity(out, j, names)
    if (withheld := earnings_test_text(j, names)) is not None:
        out.print(withheld)
    if (appeal := irmaa_appeal_text(j, names)) is not None:
        out.print(appeal)
    for note in j.get("state", {}).get("notes", []) + j.get("assumptions", []):
        out.print(note)
    from dist401k.planner.plan import inflows_text, spending_plan_text

    if (planned := spending_plan_text(j)) is not None:
        out.print(planned)
    if (received := inflows_text(j)) is not None:
        out.print(received)
    gives, covered = "charity" in j, "marketplace" in j
    state = "state" in j
    other = any("other_income" in r for r in j["table"])
    need = any("need" in r for r in j["table"])
    got = any("inflows" in r for r in j["table"])  # money received that is not income
    from dist401k.planner.plan import table_plan_words

    print_figures(out, "The optimum, year by year (nominal dollars)" + table_plan_words(j),
                  ["year", "ages", "income", *(("other\nincome",) if other else ()),
                   "required", "pre-tax\nout", "conversion",
                   "Roth\nout", "brokerage\nout", "tax", *(("state\ntax",) if state else ()),
                   "IRMAA", "spending", *(("need",) if need else ()),
                   *(("received",) if got else ()), "bracket", "balance", *(("QCD", "gift") if gives else ()),
                   *(("health\nnet", "premium\ncredit", "income /\npov. line") if covered else ())],
                  [year_row(r, gives, covered, other, need, got) for r in j["table"]])
    from dist401k.planner.plan import projected_law_text

    if (projected := projected_law_text(j)) is not None:
        out.print(projected)
    print_notes(out, j, bequest, gives, covered, seconds)


def strategy_spending_words(objective: str, bequest: bool) -> str:
    """What the strategies' "spending a year" is, for the objective (docs/plan.md, "The
    strategies"): under ``max_spending`` the most a year that lasts; under ``max_estate`` the
    need (``spending.annual``) each strategy is to pay while the estates are compared — the
    most a year that lasts is not sought there. A strategy whose payment varies shows its mean."""
    varies = "the systematic strategy and a guardrail show their mean over the years"
    if objective == "max_estate":
        return ("Strategy spending: the need (spending.annual) each strategy is to pay, the "
                "estates compared on the case's fixed returns with the exact tax; " + varies)
    return (f"Strategy spending: the most a year that lasts"
            f"{' and leaves the bequest' if bequest else ''}, found on the case's fixed returns "
            f"with the exact tax ({varies})")


def print_notes(out: Console, j: dict, bequest: bool, gives: bool, covered: bool,
                seconds: float | None = None) -> None:
    """What the figures mean, and the rules behind the QCD and the premium tax credit."""
    o = j["optimiser"]
    took = "" if seconds is None else f" in {seconds:.3f} s"
    out.print(f"Optimum: {o['passes']} linear programmes (HiGHS){took}. "
              f"Required: RMDs, inherited minimums and 72(t) payments; * its floor binds. "
              f"Withdrawals (out) are gross, before the tax on them. "
              f"{strategy_spending_words(j['objective'], bequest)}; lifetime tax (federal income tax and the "
              f"10% additional tax){' and state tax (the state income tax)' if 'state' in j else ''}"
              f" in today's dollars. MC success: "
              f"the share of market paths on which a strategy pays what it itself pays above "
              f"every year (the systematic strategy: its own payment of each year on the fixed "
              f"returns){optimum_tested_text(j)}{se_note(j)}. Law version {j['law_version']}.")
    if (historical := historical_note(j)) is not None:
        out.print(historical)
    if gives:
        out.print("QCD: qualified charitable distributions, straight from an IRA to the "
                  "charity from 70½, out of income and counted toward the RMD (IRC "
                  "§408(d)(8)); a 401(k), 403(b) or 457(b) cannot pay one — roll it to an IRA "
                  "first. The rest of the gift comes from after-tax money.")
    if covered:
        out.print("Health net: the marketplace premium less the premium tax credit (IRC §36B) "
                  "the year's household income allows — AGI plus the Social Security left out "
                  "of it — until Medicare; from 2026 the credit ends above 400% of the poverty "
                  "line. The optimum counts the credit a dollar of income takes away, and keeps "
                  "a year inside the credit's window (the poverty line to 400% of it) where that "
                  "is worth more than the income moved. Income / pov. line: household income as "
                  "a share of the poverty line, cut to a whole percent (Form 8962 line 5); M: "
                  "within the Medicaid adult group or the Basic Health Program of the state of "
                  "residence (to 138% and 200% of the year's own poverty guideline), where no "
                  "credit is allowed (§36B(c)(2)(B); 42 U.S.C. §18051(e)(2)): the credit starts "
                  "above it, and such a year is charged the full premium — or none where the "
                  "case takes Medicaid (marketplace.medicaid) and the year is within its adult "
                  "group. Years after the last published table are projected.")


def optimum_tested_text(j: dict) -> str:
    """What the optimum's MC success is measured at: its policy on random markets (its Roth
    conversions, the spending drawn in the conventional order) at the most that policy
    sustains on the fixed returns; nothing without a Monte Carlo."""
    opt: dict = next((s for s in j["strategies"] if s["key"] == "optimal"), {})
    mc = opt.get("monte_carlo") or {}
    if "spending_real" not in mc:
        return ""
    at = (f"tested at {dollars_text(mc['spending_real'])} a year — the most that policy sustains on the "
          f"fixed returns, beside the optimiser's {dollars_text(opt['spending_real'])}"
          if mc["spending_real"] < opt["spending_real"] else "at its own spending")
    return ("; the optimum on random markets keeps its Roth conversions and draws the spending "
            f"in the conventional order, {at}")


def year_row(r: dict, gives: bool, covered: bool, other: bool = False,
             need: bool = False, got: bool = False) -> list[str]:
    """One year of the optimum, as the table prints it (``gives``: with the QCD and the gift;
    ``covered``: with the marketplace premium net of its credit, and the credit; ``other``:
    with the other income, part of the income; ``need``: with the year's need, where the
    spending changes or expenses are planned; ``got``: with the money received that is not
    income (``inflows``: a gift or an inheritance, IRC §102(a)), in the year's dollars — as
    the report's and the web page's tables)."""
    from dist401k.planner.plan import PROJECTED_MARK, living_ages_text

    income = r["wages"] + r["pension"] + r["social_security"] + r.get("other_income", 0.0)
    total = r["pretax_balance"] + r["roth_balance"] + r["taxable_balance"] + r["cash_balance"]
    return [str(r["year"]) + (PROJECTED_MARK if r.get("projected") else ""),
            living_ages_text(r["ages"]), dollars_text(income),
            *((dollars_text(r.get("other_income", 0.0)),) if other else ()),
            dollars_text(r['rmd']) + ("*" if r.get("rmd_binds") else ""),
            dollars_text(r['pretax_withdrawal']), dollars_text(r['conversion']),
            dollars_text(r['roth_withdrawal']), dollars_text(r['taxable_withdrawal']),
            dollars_text(r['income_tax']),
            *((f"{r['state']} {dollars_text(r['state_tax'])}",) if "state_tax" in r else ()),
            dollars_text(r['irmaa']), dollars_text(r['spending']),
            *((dollars_text(r.get("need", 0.0)),) if need else ()),
            *((dollars_text(r.get("inflows", 0.0)),) if got else ()),
            f"{r['marginal_bracket']:.0%}", dollars_text(total),
            *((dollars_text(r['qcd']), dollars_text(r['charity'])) if gives else ()),
            *((dollars_text(r['marketplace_premium'] - r['premium_tax_credit']),
               dollars_text(r['premium_tax_credit']),
               _share(r.get("poverty_line_share"), r.get("public_coverage")))
              if covered else ())]


def _share(share: float | None, public: bool | None = False) -> str:
    """Household income as a share of the poverty line, as a whole percent ("" uncovered),
    marked M where it is within the state's Medicaid or Basic Health Program."""
    return "" if share is None else f"{share:.0%}" + (" M" if public else "")
