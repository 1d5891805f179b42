"""The optimum and the premium tax credit's window (IRC §36B): the programme sees the credit's
slope in household income (the applicable percentage of Rev. Proc. 2025-25's table and its
rise) and keeps each marketplace year inside the incomes that have a credit — from the poverty
line to, from 2026, 400% of it (§36B(c)(1)(A)) — where that is worth more than the income
moved; checked on the credit's own figures and by pricing plans exactly with and without."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from dist401k.law import default_law
from dist401k.planner import lp
from dist401k.planner.household import parse_household
from dist401k.planner.plan import exact_figures, make_plan, year_table
from dist401k.planner.timeline import build_timeline
from dist401k.tax.premium_tax_credit import income_window
from planner.test_planner_limits import scaled

LAW = default_law()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plans" / \
    "early-retirees-marketplace.yaml"


def test_income_window_on_the_poverty_guidelines():
    # Coverage year 2026 uses the HHS 2025 guidelines: 15,650 + 5,500 a person in the 48
    # states, 17,990 + 6,330 in Hawaii; the window runs from 100% to 400% of the line.
    low, high = income_window(LAW, [2026, 2026], [2, 1], ["contiguous", "hawaii"])
    assert low.tolist() == [21_150, 17_990]
    assert high.tolist() == [84_600, 71_960]
    # 2025: the 400% limit suspended (§36B(c)(1)(E)); the 2024 guideline for one is 15,060.
    low, high = income_window(LAW, 2025, 1)
    assert low[0] == 15_060 and np.isinf(high[0])


def _couple_2026(benchmark=24_000):
    return parse_household({
        "start_year": 2026, "strategy": {"medicare": False},
        "market": {"stocks": 0.04, "bonds": 0.04, "cash": 0.04, "stock_share": 0.6,
                   "inflation": 0.0},
        "people": [{"birth_date": "1968-05-10", "life_expectancy": 85,
                    "accounts": {"pretax": 800_000}},
                   {"birth_date": "1969-05-10", "life_expectancy": 85}],
        "spending": {"annual": 60_000},
        "marketplace": {"benchmark_premium": benchmark, "household_size": 2}})


@pytest.mark.parametrize(("share", "slope"), [
    # 300–400% of the line: a flat 9.96% (Rev. Proc. 2025-25), so a dollar of income costs
    # 9.96 cents of credit.
    (3.5, 0.0996),
    # 200–250%: 6.60% rising to 8.44%; the contribution s·p(s) of the line, p(s) = 6.60% +
    # (s − 2)·3.68%, between 223% and 225% rises by 2.25·7.52% − 2.23·7.4464% = 0.315% of the
    # line over 2% of it: 15.75 cents a dollar.
    (2.25, 0.1575),
])
def test_the_credit_slope_is_the_tables(share, slope):
    hh = _couple_2026()
    tl = build_timeline(hh, LAW)
    income = np.full(tl.T, share * 21_150)
    got = lp._marketplace(hh, tl, LAW, income, np.ones(tl.T + 1))
    # (the contribution is rounded to a dollar, 423 dollars apart: ±0.5%)
    assert got["marketplace_slope"][0] == pytest.approx(slope, abs=0.005)
    assert got["credit_floor"][0] == 21_150 and got["credit_limit"][0] == 84_600
    # past the limit or with no credit left, no slope
    past = lp._marketplace(hh, tl, LAW, np.full(tl.T, 90_000.0), np.ones(tl.T + 1))
    assert past["marketplace_slope"][0] == 0 and past["credit_at_limit"][0] > 0


def _shipped(factor: float, objective: str):
    case = yaml.safe_load(EXAMPLE.read_text())
    case.pop("monte_carlo", None)
    case = scaled(copy.deepcopy(case), factor)
    case["strategy"] = {"objective": objective}
    return parse_household(case)


def _blind(monkeypatch):
    """The optimiser as it was without the window: no year held inside it, none tried."""
    def nothing(st):
        none = np.zeros(len(st["household_income"]), bool)
        return none, none
    monkeypatch.setattr(lp, "_outside", nothing)


def _credited(plan) -> tuple[int, int]:
    """(covered years, covered years with a credit) of a plan's optimum, priced exactly."""
    rows = [r for r in year_table(plan) if r["marketplace_premium"] > 0]
    return len(rows), sum(r["premium_tax_credit"] > 0 for r in rows)


@pytest.mark.parametrize(("factor", "objective", "key"), [
    # Past 400%: converting up to the limit in the first years instead of past it (a few
    # later years still go far past it: there the income is worth more than the credit).
    (1.6, "max_spending", "spending_real"),
    # Below the poverty line: living on the brokerage account and the Roth left years with no
    # credit at all; a conversion up to the line is taxed at 0% and buys the whole credit.
    (0.5, "max_estate", "estate_real"),
])
def test_the_optimum_keeps_years_inside_the_window(monkeypatch, factor, objective, key):
    hh = _shipped(factor, objective)
    covered, credited = _credited(make_plan(hh, LAW, monte_carlo=False))
    seen = exact_figures(hh, LAW)[key]
    _blind(monkeypatch)
    blind_covered, blind_credited = _credited(make_plan(hh, LAW, monte_carlo=False))
    blind = exact_figures(hh, LAW)[key]
    assert covered == blind_covered and credited > blind_credited
    if factor < 1:
        # every covered year but at most one inside the window (the passes' path: since the
        # Roth money's owners decide its years (2026-12-04) one year of the half-size
        # couple's ends $480 below the floor; the try that raises it finds a worse plan)
        assert credited >= covered - 1
    # priced exactly, the optimum that sees the window pays or leaves more
    assert seen > blind * 1.01, (seen, blind)


def test_a_run_is_valued_with_its_carried_costs_put_right():
    """A pass that carried $1,000 more of a year's costs than its own solution has is valued,
    to first order, as the same programme solved with the costs as they are (the duals of the
    cash-flow rows: d objective = −dual × d cost)."""
    hh = _shipped(1.0, "max_spending")
    tl = build_timeline(hh, LAW)
    ctx = lp._case(hh, tl, LAW)
    run = lp._passes(ctx, lp._start(hh, tl, ctx.f), "max_spending", None)
    state = run[2]["_carried"]
    truth = lp._Programme.of(ctx, state, "max_spending", None)
    truth_res = truth.solve(ctx)
    more = np.where(np.arange(tl.T) == 3, 1_000.0, 0.0)
    wrong = dict(state, marketplace=state["marketplace"] + more)
    prog = lp._Programme.of(ctx, wrong, "max_spending", None)
    res = prog.solve(ctx)
    flows = dict(lp._flows(prog.variables(res)), _carried=wrong)
    # the costs at the solution: as the state has them (no year at an edge of the window)
    at = dict(lp._state_at(ctx, flows), marketplace=state["marketplace"], niit=state["niit"],
              irmaa=state["irmaa"], household_income=wrong["household_income"],
              credit_at_limit=np.zeros(tl.T))
    priced = lp._priced(ctx, (res, None, flows, []), at)
    assert -res.fun < -truth_res.fun - 1.0  # the extra cost did cost spending
    assert priced == pytest.approx(-truth_res.fun, abs=1.0)


def test_no_income_to_raise_plans_as_before(monkeypatch):
    """Roth and cash only: no year can be raised to the poverty line (no pre-tax money to
    convert), so holding one there leaves no plan; the passes go on without it and the optimum
    is the one the optimiser finds without the window, not the first pass's."""
    hh = parse_household({
        "start_year": 2027, "people": [{"birth_date": "1970-03-01", "life_expectancy": 90,
                                        "accounts": {"roth": 900_000, "roth_first_year": 2010}}],
        "cash": 60_000, "spending": {"annual": 45_000},
        "marketplace": {"benchmark_premium": 9_000}})
    tl = build_timeline(hh, LAW)
    seen = lp.optimise(hh, tl, LAW)
    _blind(monkeypatch)
    blind = lp.optimise(hh, tl, LAW)
    assert seen.passes > 1
    assert seen.spending_real == pytest.approx(blind.spending_real, rel=1e-9)
