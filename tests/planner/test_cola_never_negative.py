"""Social Security's cost-of-living increase is never negative (42 U.S.C. §415(i); 20 CFR
404.275(a): an increase only "if the average for the ending quarter is higher than the average
for the beginning quarter"), and the next one is measured from the quarter of the last increase
(20 CFR 404.274(b)(1)(ii)): a benefit in nominal dollars follows the highest price level so far,
never a lower one, on the fixed plan and on every Monte Carlo path alike."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import Policy, fixed_returns, make_plan
from dist401k.planner.simulate import simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()


def _case(inflation):
    # One person born 1961-03-01: full retirement age 67 (§416(l), born 1960 or later), attained
    # on 2028-02-29, the day before the birthday (20 CFR 404.102); unreduced from that month (the
    # reduction counts the months before the month full age is attained, §402(q)(6)(A)): paid from
    # February 2028, 2,500 a month in the plan's first-year dollars.
    return parse_household({
        "id": "t", "start_year": 2026,
        "people": [{"birth_date": "1961-03-01", "life_expectancy": 80,
                    "social_security": {"monthly_at_full_age": 2500, "claim_age": 67},
                    "accounts": {"ira": 300_000}}],
        "market": {"stocks": 0.05, "bonds": 0.04, "cash": 0.03, "stock_share": 0.6,
                   "inflation": inflation},
        "strategy": {"medicare": False}})


def _benefits(hh, returns=None):
    tl = build_timeline(hh, LAW)
    rets = returns if returns is not None else fixed_returns(hh, LAW, tl.T)
    res = simulate(hh, tl, LAW, rets, Policy("order"), 20_000.0)
    return tl, res.cols["social_security"]


def test_steady_deflation_leaves_the_benefit_where_it_started():
    # Prices fall 1% a year from the start: no increase ever, and no cut either — 2,500 a month
    # from February 2028: 11 × 2,500 = 27,500 in 2028, then 12 × 2,500 = 30,000 every year.
    tl, ss = _benefits(_case(-0.01))
    years = tl.years.tolist()
    assert ss[0, years.index(2028)] == pytest.approx(27_500, abs=0.01)
    after = ss[0, years.index(2029):]
    assert after == pytest.approx(np.full(after.shape, 30_000.0), abs=0.01)


def test_the_fixed_plan_pays_the_same_benefit_with_deflation():
    plan = make_plan(_case(-0.01), LAW, monte_carlo=False)
    years = plan.timeline.years.tolist()
    for o in plan.strategies:
        ss = o.result.cols["social_security"][0]
        assert ss[years.index(2030):] == pytest.approx(np.full(len(years) - years.index(2030),
                                                                30_000.0), abs=0.01), o.key


def test_a_path_with_a_deflation_year_keeps_its_highest_benefit():
    # Inflation on one path: +2%, −10%, +5%, +6%, then 0.  Price level from 1: 1.02, 0.918,
    # 0.9639, 1.021734.  The benefit follows the highest so far: 1.02 through the fall and the
    # first rise (20 CFR 404.274(b): measured from the last increase), then 1.021734.
    hh = _case(0.0)
    tl = build_timeline(hh, LAW)
    rets = fixed_returns(hh, LAW, tl.T)
    infl = np.zeros_like(rets["inflation"])
    infl[0, :4] = [0.02, -0.10, 0.05, 0.06]
    _, ss = _benefits(hh, dict(rets, inflation=infl))
    years = tl.years.tolist()
    y = years.index(2029)  # price level at the start of 2029 (t = 3): 0.9639 → benefit 1.02
    assert ss[0, y] == pytest.approx(30_000 * 1.02, abs=0.01)
    assert ss[0, y + 1] == pytest.approx(30_000 * 1.02 * 0.9 * 1.05 * 1.06, abs=0.01)
