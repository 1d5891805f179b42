"""Owl side of the dist401k-versus-Owl benchmark.

Runs under Owl's own virtual environment (``.venv-owl``), never under the main
one: Owl needs a plotly that conflicts with ours.  ``benchmarks/planner_vs_owl.py``
calls it as a subprocess and reads the single JSON object it prints on stdout.
Everything Owl and HiGHS print goes to stderr.

This file only *uses* Owl through its public Plan API (``owlplanner.readConfig``,
``Plan.set*``, ``Plan.solve``) and reads results off the solved plan; it holds
no Owl code.

Modes
-----
``shipped --case benchmarks/owl/Case_jack+jill.toml --repeat 5``
    Solve one of Owl's own example cases exactly as configured.

``spec --json FILE --repeat 5``
    Build an Owl plan from the simple JSON spec that our model also reads, and
    solve it.  Whatever could not be matched is listed under ``"notes"``.  An
    optional Owl-only key ``"owl_options"`` (a dict of Owl solver options, e.g.
    ``{"withSSTaxability": "optimize"}``) is applied last.

Timing: each repeat builds a fresh plan (not timed) and times only
``Plan.solve()`` -- Owl's whole self-consistent loop with every LP/MIP it runs
and its post-processing of the solution.  Reading the case file, the HFP
workbook, building the plan and extracting the results are not timed.  A fresh
plan per repeat matters: ``solve()`` starts from state a previous solve left
on the plan (e.g. the Social Security taxable fraction), so re-solving one
plan object would run fewer loop iterations than a first solve.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import re
import statistics
import sys
import time
from datetime import date

import numpy as np
import owlplanner
from owlplanner import tax_federal

_SC_LOOP_RE = re.compile(r"Self-consistent loop returned after (\d+) iterations")


# ---------------------------------------------------------------------------
# Plumbing
# ---------------------------------------------------------------------------


@contextlib.contextmanager
def _stdout_to_stderr():
    """Send everything written to file descriptor 1 (Python or C, e.g. the
    HiGHS banner) to stderr, so that stdout carries only our JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        with contextlib.redirect_stdout(sys.stderr):
            yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _count_engine_runs(plan) -> dict:
    """Count HiGHS runs on this plan: every LP/MIP Owl hands HiGHS (loop
    iterations, retries, consistency and repair re-solves) goes through
    ``Plan._run_highs``.  The wrapper only counts; it changes nothing.
    Returns a dict whose ``"n"`` grows with each run, or ``None`` in it when
    this Owl has no such method."""
    counter = {"n": 0}
    inner = getattr(plan, "_run_highs", None)
    if inner is None:
        counter["n"] = None
        return counter

    def counted(*args, **kwargs):
        counter["n"] += 1
        return inner(*args, **kwargs)

    plan._run_highs = counted
    return counter


def _solver_name(plan, options: dict) -> str:
    """The solver Owl picks for these options: "default" means MOSEK when a MOSEK
    licence is configured, else HiGHS (Owl's own rule, restated)."""
    solver = options.get("solver", getattr(plan, "defaultSolver", "default"))
    if solver in (None, "default"):
        import importlib.util

        has_mosek = os.environ.get("MOSEKLM_LICENSE_FILE") is not None
        solver = "MOSEK" if has_mosek and importlib.util.find_spec("mosek") is not None else "HiGHS"
    return solver


def _sc_iterations(log_text: str) -> int | None:
    """Owl's self-consistent loop count, as Owl logs it (it keeps no attribute)."""
    found = _SC_LOOP_RE.findall(log_text)
    return int(found[-1]) if found else None


def _warnings(log_text: str, width: int = 300) -> list[str]:
    """Owl's WARNING/ERROR log messages (deduplicated, shortened to ``width``)."""
    seen = []
    for line in log_text.splitlines():
        if "| WARNING |" in line or "| ERROR |" in line:
            msg = line.split(" | ", 3)[-1].strip()
            msg = msg if len(msg) <= width else msg[: width - 3] + "..."
            if msg not in seen:
                seen.append(msg)
    return seen


def _timed_solve(plan, objective: str, options: dict) -> tuple[float, float]:
    """Solve and return the wall-clock and the CPU seconds (this process, all its threads)
    of ``Plan.solve()`` alone."""
    t0, c0 = time.perf_counter(), time.process_time()
    plan.solve(objective, options)
    return time.perf_counter() - t0, time.process_time() - c0


def _num(x) -> float | None:
    """A JSON-safe dollar amount rounded to cents (None for missing / NaN)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else round(x, 2) + 0.0


def _median_summary(seconds: list[tuple[float, float]]) -> dict:
    wall = [w for w, _ in seconds]
    return {"seconds_median": statistics.median(wall), "seconds_all": wall,
            "cpu_seconds_median": statistics.median(c for _, c in seconds)}


def _run_repeats(make_plan, repeat: int):
    """Build a fresh plan ``repeat`` times and time its solve.

    ``make_plan(logstreams)`` returns ``(plan, objective, options)``.
    Returns the last solved plan, the list of solve times, the engine-run
    count and the log text of the last repeat.
    """
    seconds = []
    plan = counter = log = None
    for _ in range(repeat):
        log = io.StringIO()
        plan, objective, options = make_plan([log])
        plan.setVerbose(False)
        counter = _count_engine_runs(plan)
        seconds.append(_timed_solve(plan, objective, options))
    return plan, seconds, counter["n"], log.getvalue()


# ---------------------------------------------------------------------------
# Results read off a solved plan
# ---------------------------------------------------------------------------


def _irmaa_nominal(plan) -> float | None:
    """IRMAA surcharges alone (Part B and D), nominal $: Owl's Medicare premiums
    less the same premiums priced at a zero MAGI (i.e. the Part B base premium,
    plus any Part D base premium), computed with Owl's own premium function."""
    medicare = np.asarray(plan.medicare_n, dtype=float)
    if not np.any(medicare):
        return 0.0
    g = plan.gamma_n[:-1]
    base = tax_federal.mediCosts(
        plan.yobs,
        plan.horizons,
        np.zeros(plan.N_n),
        np.zeros(2),
        g,
        plan.N_n,
        include_part_d=getattr(plan, "_include_medicare_part_d", True),
        part_d_base_annual_per_person=getattr(plan, "_medicare_part_d_base_annual_per_person", 0.0),
        medical_n=plan._medical_n(g),
        mobs=plan.mobs,
        tobs=plan.tobs,
    )
    return float(np.sum(medicare) - np.sum(base))


def _spending_basis(plan) -> float | None:
    """Owl's "net yearly spending basis" (today's $): first-year spending over
    the first value of the spending profile; equals first-year real spending
    for a flat profile."""
    if plan.caseStatus != "solved":
        return None
    return float(plan.g_n[0] / plan.xi_n[0])


# ---------------------------------------------------------------------------
# Mode 1: Owl's shipped case
# ---------------------------------------------------------------------------


def run_shipped(case: str, repeat: int) -> dict:
    """Solve an Owl case file as configured, ``repeat`` times."""

    def make_plan(logstreams):
        plan = owlplanner.readConfig(case, verbose=False, logstreams=logstreams)
        return plan, plan.objective, dict(plan.solverOptions)

    plan, seconds, engine_runs, log = _run_repeats(make_plan, repeat)
    solved = plan.caseStatus == "solved"
    result = {
        "case": os.path.basename(case),
        **_median_summary(seconds),
        "objective": _num(_spending_basis(plan) if plan.objective == "maxSpending" else plan.bequest),
        "objective_kind": (
            "spending basis, today's $" if plan.objective == "maxSpending" else "after-tax bequest, today's $"
        ),
        "status": plan.caseStatus,
        # HiGHS runs during one solve(); None when MOSEK solved (not counted).
        "lp_solves": engine_runs if _solver_name(plan, plan.solverOptions) == "HiGHS" else None,
        "sc_iterations": _sc_iterations(log),
        "mip_solves": int(plan._mipRunCount) if getattr(plan, "_mipRunCount", 0) else 0,
        "convergence": getattr(plan, "convergenceType", None),
        "breakpoint_method": getattr(plan, "breakpointMethodUsed", None),
        "solver": _solver_name(plan, plan.solverOptions),
        "first_year_spending": _num(plan.g_n[0]) if solved else None,
        "owl_warnings": _warnings(log),
        "owl_version": owlplanner.__version__,
    }
    return result


# ---------------------------------------------------------------------------
# Mode 2: a plan built from our JSON spec
# ---------------------------------------------------------------------------


def _per_person(spec: dict, key: str, n: int, default=0.0) -> list:
    """Per-person list from the spec (missing key -> default for everyone)."""
    values = spec.get(key)
    if values is None:
        return [default] * n
    if not isinstance(values, list) or len(values) != n:
        raise ValueError(f"spec '{key}' must be a list with one entry per person ({n}).")
    return values


def _medicare_mode(value) -> str:
    """Map the spec's medicare flag to Owl's withMedicare option."""
    if value is True or value is None:
        return "loop"  # Owl's default: premiums fed back by the self-consistent loop (pure LPs, fast)
    if value is False:
        return "none"
    value = str(value).lower()
    if value not in ("loop", "optimize", "none"):
        raise ValueError(f"medicare must be true, false, 'loop', 'optimize' or 'none', not {value!r}.")
    return value


def _set_incomes(plan, spec: dict, n: int, notes: list[str]) -> None:
    """Social Security and pensions of each person, in whole dollars a month as Owl stores them."""
    plan.setSocialSecurity(
        [int(round(x)) for x in _per_person(spec, "ss_pia_monthly", n)],
        [float(x) for x in _per_person(spec, "ss_claim_age", n, 67)],
    )
    if any(float(x) != float(round(float(x))) for x in _per_person(spec, "ss_pia_monthly", n)):
        notes.append("ss_pia_monthly rounded to whole dollars (Owl stores PIAs as integers).")

    pension = [float(x) for x in _per_person(spec, "pension_monthly", n)]
    if any(pension):
        plan.setPension(
            [int(round(x)) for x in pension],
            [float(x) for x in _per_person(spec, "pension_age", n, 65)],
            indexed=[bool(x) for x in _per_person(spec, "pension_indexed", n, False)],
            survivor_fraction=[float(x) for x in _per_person(spec, "pension_survivor_fraction", n)],
        )
        if any(x != round(x) for x in pension):
            notes.append("pension_monthly rounded to whole dollars (Owl stores pensions as integers).")


def _solver_options(spec: dict, notes: list[str]) -> tuple[str, dict]:
    """The objective and Owl's solver options, monetary amounts in dollars."""
    objective = spec.get("objective", "maxSpending")
    options = {"units": "1", "withMedicare": _medicare_mode(spec.get("medicare", True))}
    if objective == "maxSpending":
        options["bequest"] = float(spec.get("bequest", 0) or 0)
    elif objective == "maxBequest":
        if spec.get("net_spending") is None:
            raise ValueError("objective maxBequest needs 'net_spending' (today's $) in the spec.")
        options["netSpending"] = float(spec["net_spending"])
    else:
        raise ValueError(f"Unknown objective {objective!r}.")
    if spec.get("no_roth_conversions"):
        options["noRothConversions"] = spec["no_roth_conversions"]
    if not spec.get("roth_conversions", True):
        options["maxRothConversion"] = 0.0
    elif spec.get("max_roth_conversion") is not None:
        options["maxRothConversion"] = float(spec["max_roth_conversion"])

    # Owl-only extra solver options (e.g. {"withSSTaxability": "optimize"}), applied last.
    extra = spec.get("owl_options") or {}
    if extra:
        options.update(extra)
        notes.append(f"Owl-only solver options from the spec's owl_options: {extra}.")
    return objective, options


def build_spec_plan(spec: dict, logstreams) -> tuple:
    """Build an Owl Plan from the benchmark JSON spec.

    Returns ``(plan, objective, solver_options, notes)`` where ``notes`` lists
    every setting that Owl could not match exactly.
    """
    notes: list[str] = []
    names = spec["names"]
    n = len(names)
    this_year = date.today().year

    start_year = int(spec.get("start_year", this_year))
    if start_year != this_year:
        notes.append(
            f"start_year {start_year} not matched: Owl always starts a plan on the current calendar "
            f"year ({this_year}); horizons and ages are counted from {this_year}."
        )
    plan = owlplanner.Plan(
        names, spec["birth_dates"], [int(x) for x in spec["life_expectancy"]], "benchmark-spec",
        verbose=False, logstreams=logstreams,
    )

    # Balances as of January 1 of the first year (Owl would otherwise back-project
    # balances from today's date), in dollars.
    plan.setAccountBalances(
        taxable=_per_person(spec, "taxable", n),
        taxDeferred=_per_person(spec, "tax_deferred", n),
        taxFree=_per_person(spec, "tax_free", n),
        startDate=f"{this_year}-01-01",
        units="1",
    )
    if spec.get("taxable_basis") is not None:
        plan.setCostBasis(_per_person(spec, "taxable_basis", n), units="1")

    # Fixed rates: Owl's "user" method takes [S&P 500, Baa bonds, T-notes, inflation] in percent.
    r = spec.get("returns", {})
    stocks, bonds = float(r.get("stocks", 0.07)), float(r.get("bonds", 0.04))
    cash, inflation = float(r.get("cash", 0.03)), float(r.get("inflation", 0.025))
    plan.setRates("user", values=[100 * stocks, 100 * bonds, 100 * cash, 100 * inflation])
    notes.append(
        "returns.cash is given to Owl's 10-year T-note class, which holds 0%; Owl's 4th class "
        "(cash/inflation-tracking) always earns the inflation rate, so no asset earns returns.cash."
    )

    # Constant stock/bond split in every account, for every person.
    share = float(spec.get("stock_share", 0.6))
    mix = [100 * share, 100 * (1 - share), 0.0, 0.0]
    plan.setAllocationRatios("individual", generic=[[mix, mix] for _ in range(n)])

    # Flat spending profile; survivor keeps this fraction.
    survivor = float(spec.get("survivor_spending", 0.6))
    plan.setSpendingProfile("flat", 100 * survivor)

    plan.setDividendRate(100 * float(spec.get("dividend_rate", 0.018)))
    plan.setHeirsTaxRate(100 * float(spec.get("heirs_rate", 0.3)))
    # OBBBA expiration: enacted law has no expiry (P.L. 119-21 made the rates permanent); Owl
    # speculates one (plan.yOBBBA).  The spec may set it; otherwise Owl's default is kept.
    if spec.get("obbba_expiration_year") is not None:
        plan.setExpirationYearOBBBA(int(spec["obbba_expiration_year"]))
        notes.append(f"OBBBA expiration set to {int(plan.yOBBBA)} (after the plan: enacted law).")
    else:
        notes.append(
            f"OBBBA: Owl's default kept -- it assumes OBBBA expires and pre-TCJA brackets return "
            f"from {int(plan.yOBBBA)}."
        )
    if spec.get("no_roth_conversions"):
        notes.append(f"no Roth conversions for {spec['no_roth_conversions']}.")

    _set_incomes(plan, spec, n, notes)

    state = spec.get("state")
    if state not in (None, "", "none", "None"):
        notes.append(f"state {state!r} ignored: the benchmark runs without state income tax.")

    objective, options = _solver_options(spec, notes)

    if options["withMedicare"] != "none":
        notes.append(
            f"Medicare withMedicare='{options['withMedicare']}': Owl charges Part B base premiums plus "
            "Part B and Part D IRMAA (Part D base premium 0) from age 65, inflated with prices, and "
            "prices the first two years' IRMAA from previous MAGIs of $0 (the spec gives none)."
        )
    notes.append(
        "Owl's defaults kept: Social Security taxability, LTCG brackets and NIIT fed back by the "
        "self-consistent loop ('loop'); survivor claims the SS survivor benefit 'immediate'; "
        "spouses' accounts pass 100% to the survivor; 50% of a couple's surplus deposited to each."
    )
    if n == 2:
        notes.append("sexes defaulted to ['M','F'] (only used by Owl's stochastic/mortality features).")
    return plan, objective, options, notes


def _series(x) -> list:
    """A nominal-dollar series (or table) as JSON-safe nested lists, rounded to cents."""
    return np.round(np.asarray(x, dtype=float), 2).tolist()


def _tax_by_year(plan) -> dict:
    """Owl's own federal-tax figures for each plan year, nominal $, read off a solved plan.

    Every figure is one Owl computed (its attributes after the solve), except where noted:
    ``ss_taxable_fraction_at_final_magi`` and ``deduction_at_final_magi`` restate Owl's own Social
    Security taxability and standard deduction (with its OBBBA senior bonus) at the final MAGI,
    through Owl's functions, to show how far its self-consistent loop left them from that MAGI.
    """
    n_n = plan.N_n
    ss_n = np.sum(plan.zetaBar_in, axis=0)
    alpha_stock = plan.alpha_ijkn[:, 0, 0, :n_n]
    # Qualified dividends as Owl figures them: its dividend rate on the equity part of the
    # taxable balance left after the year's withdrawals and deposits.
    dividends = np.sum(
        plan.mu * (plan.b_ijn[:, 0, :n_n] - plan.w_ijn[:, 0, :] + plan.d_in
                   + 0.5 * plan.kappa_ijn[:, 0, :n_n]) * alpha_stock, axis=0)
    status = tax_federal.filingStatusIndex_n(plan.N_i, plan.n_d, n_n)
    gamma = np.asarray(plan.gamma_n[:n_n], dtype=float)
    brackets = np.cumsum(np.asarray(plan.DeltaBar_tn, dtype=float), axis=0)[:-1]  # (6, N) tops
    psi_final = tax_federal.compute_social_security_taxability(
        plan.N_i, plan.MAGI_aca_n, ss_n, n_d=plan.n_d)
    sigma_final = tax_federal.taxParams(plan.yobs_tax, plan.i_d, plan.n_d, n_n, plan.gamma_n,
                                        plan.MAGI_n, plan.yOBBBA)[0]
    # The same deduction with the senior bonus fully phased out (an infinite MAGI): Owl's basic
    # standard deduction plus its 65+ additional amounts alone.
    sigma_no_bonus = tax_federal.taxParams(plan.yobs_tax, plan.i_d, plan.n_d, n_n, plan.gamma_n,
                                           np.full(n_n, np.inf), plan.yOBBBA)[0]
    return {
        "filing_status": [int(x) for x in status],  # 0 single, 1 married filing jointly
        "inflation_factor": _series(gamma),
        "ordinary_tax": _series(plan.T_n - plan.P_n),  # tax on ordinary taxable income
        "early_withdrawal_penalty": _series(plan.P_n),
        "ltcg_tax": _series(plan.U_n),  # 0/15/20% on qualified dividends and gains
        "niit": _series(plan.J_n),
        "ss_benefits": _series(ss_n),
        "ss_taxable_fraction": _series(plan.Psi_n),
        "ss_taxable": _series(plan.Psi_n * ss_n),
        "ss_taxable_fraction_at_final_magi": _series(psi_final),
        "pension": _series(np.sum(plan.piBar_in, axis=0)),
        "taxable_ordinary_income": _series(plan.G_n),  # ordinary income after the deduction
        "deduction_used": _series(plan.e_n),  # part of the deduction ordinary income absorbed
        "standard_deduction": _series(plan.sigmaBar_n),  # with the 65+ additions and senior bonus
        "deduction_at_final_magi": _series(sigma_final),
        "deduction_without_senior_bonus": _series(sigma_no_bonus),
        "magi": _series(plan.MAGI_n),  # AGI basis (taxable Social Security only)
        "qualified_income": _series(plan.Q_n),  # qualified dividends + realised gains
        "dividends": _series(dividends),
        "realized_gains": _series(plan.Q_n - dividends),
        "interest": _series(plan.I_n),  # bond returns in the taxable account, taxed as ordinary
        "ltcg_brackets": _series(plan.q_pn),  # (3, N): gains in the 0/15/20% brackets
        "ltcg_thresholds": _series(np.array([gamma * tax_federal.capGainRates[status, k]
                                             for k in range(2)])),
        "bracket_tops": _series(brackets),  # (6, N): top of each ordinary bracket
        "bracket_rates": _series(plan.theta_tn),  # (7, N)
        "bracket_fill": _series(plan.f_tn),  # (7, N): ordinary income in each bracket
        "rmd": _series(plan.rmd_in),  # (people, N): the part of w[i, 1] the RMD forced
        "deposits": _series(plan.d_in),  # (people, N): surplus into the taxable account
        "taxable_balance": _series(plan.b_ijn[:, 0, :n_n]),  # (people, N), start of year
        "spending": _series(plan.g_n),
    }


def _spec_results(plan) -> dict:
    """Results the benchmark compares, read off a solved spec plan."""
    if plan.caseStatus != "solved":
        return {"objective": None}
    m = plan.metricsDict()
    fed = m["federal_income_tax_nominal"] + m["ltcg_tax_nominal"] + m["niit_nominal"]
    schedule = {
        # The plan's own decisions, nominal $, so that the lead's benchmark can price Owl's plan
        # with dist401k's tax engine: years, Roth conversions [person][year], withdrawals
        # [person][account][year] in Owl's account order (taxable, tax-deferred, tax-free, …).
        "years": [int(y) for y in plan.year_n],
        "conversions": np.asarray(plan.x_in).tolist(),
        "withdrawals": np.asarray(plan.w_ijn).tolist(),
        # Owl's own tax figures for each year of the plan (see _tax_by_year).
        "tax": _tax_by_year(plan),
    }
    return {
        "schedule": schedule,
        "objective": _num(_spending_basis(plan)),
        # Ordinary-income tax + tax on qualified dividends/LTCG + NIIT, nominal $.
        "lifetime_federal_tax": _num(fed),
        "roth_conversions_total": _num(m["roth_conversions_nominal"]),  # nominal $
        "irmaa_total": _num(_irmaa_nominal(plan)),  # nominal $, surcharges only
        "estate": _num(m["final_bequest_today"]),  # after heirs' tax on tax-deferred, today's $
        "details": {
            "federal_ordinary_income_tax_nominal": _num(m["federal_income_tax_nominal"]),
            "ltcg_dividend_tax_nominal": _num(m["ltcg_tax_nominal"]),
            "niit_nominal": _num(m["niit_nominal"]),
            "federal_tax_today": _num(m["federal_income_tax_today"] + m["ltcg_tax_today"] + m["niit_today"]),
            "roth_conversions_today": _num(m["roth_conversions_today"]),
            "medicare_premiums_nominal": _num(m["medicare_nominal"]),
            "total_spending_today": _num(m["total_spending_today"]),
            "ss_income_nominal": _num(m["ss_income_nominal"]),
            "pension_income_nominal": _num(m["pension_income_nominal"]),
            "estate_nominal": _num(m["final_bequest_nominal"]),
            "first_year": int(plan.year_n[0]),
        },
    }


def run_spec(path: str, repeat: int) -> dict:
    """Build the plan described by the JSON spec ``repeat`` times and solve it."""
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    notes_holder = {}

    def make_plan(logstreams):
        plan, objective, options, notes = build_spec_plan(spec, logstreams)
        notes_holder["notes"] = notes
        notes_holder["options"] = options
        return plan, objective, options

    plan, seconds, engine_runs, log = _run_repeats(make_plan, repeat)
    results = _spec_results(plan)
    solver = _solver_name(plan, notes_holder["options"])
    return {
        **_median_summary(seconds),
        "objective": results.pop("objective"),
        "lifetime_federal_tax": results.pop("lifetime_federal_tax", None),
        "roth_conversions_total": results.pop("roth_conversions_total", None),
        "irmaa_total": results.pop("irmaa_total", None),
        "estate": results.pop("estate", None),
        "years": int(plan.N_n),
        "status": plan.caseStatus,
        "notes": notes_holder["notes"],
        "lp_solves": engine_runs if solver == "HiGHS" else None,
        "sc_iterations": _sc_iterations(log),
        "convergence": getattr(plan, "convergenceType", None),
        "owl_warnings": _warnings(log),
        "solver": solver,
        "solver_options": notes_holder["options"],
        "owl_version": owlplanner.__version__,
        **results,
    }


# ---------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------


def _parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    shipped = sub.add_parser("shipped", help="solve one of Owl's own case files as configured")
    shipped.add_argument("--case", required=True, help="Owl case file (.toml); its HFP workbook beside it")
    shipped.add_argument("--repeat", type=int, default=5, help="number of timed solves (default 5)")
    spec = sub.add_parser("spec", help="build an Owl plan from the benchmark JSON spec and solve it")
    spec.add_argument("--json", required=True, help="benchmark spec file (JSON)")
    spec.add_argument("--repeat", type=int, default=5, help="number of timed solves (default 5)")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    return args


def main(argv=None) -> int:
    """Run the selected mode and print one JSON object on stdout."""
    args = _parse_args(argv)
    with _stdout_to_stderr():
        if args.mode == "shipped":
            result = run_shipped(args.case, args.repeat)
        else:
            result = run_spec(args.json, args.repeat)
    print(json.dumps(result))
    return 0 if result.get("status") == "solved" else 1


if __name__ == "__main__":
    sys.exit(main())
