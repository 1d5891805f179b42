"""The drawdown plan's gift to charity paid from after-tax money earns, from 2026, the
charitable deduction of one who does not itemize (IRC §170(p) as amended by P.L. 119-21
§70424; §63(b)(4)): at most $1,000 ($2,000 joint) beside the standard deduction.  A QCD earns
none (§408(d)(8)(E): it is left out of income instead).

Hand-checked on the 2026 figures of Rev. Proc. 2025-32 (single: standard deduction $16,100;
10% to $12,400, 12% to $50,400, 22% to $105,700)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.lp import optimise
from dist401k.planner.plan import Policy, fixed_returns
from dist401k.planner.simulate import simulate
from dist401k.planner.timeline import build_timeline
from dist401k.tax import TaxUnits, federal_tax

LAW = default_law()


def _hh(people, gift, qcd=False, start=2026, **over):
    base = {
        "id": "t", "start_year": start, "people": people,
        "market": {"stocks": 0.05, "bonds": 0.05, "cash": 0.0, "stock_share": 0.6,
                   "inflation": 0.02},
        "strategy": {"medicare": False}, "charity": {"annual": gift, "qcd": qcd},
        # what a year saves is deposited in the brokerage account: no dividends from it
        "taxable": {"balance": 0, "basis": 0, "dividend_yield": 0.0},
    }
    base.update(over)
    return parse_household(base)


def _run(hh, spending):
    tl = build_timeline(hh, LAW)
    return simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), spending)


def _earner():
    """Born 1970, wages of $80,000 until 60; the spending and the gift come out of a cash
    account that earns nothing, and what is saved earns no dividends: the year's income is the
    wages alone."""
    return [{"birth_date": "1970-06-01", "life_expectancy": 85, "retirement_age": 60,
             "wages": 80_000}]


def test_a_gift_from_after_tax_money_lowers_the_tax_by_the_deduction_times_the_rate():
    # 2026, single, wages 80,000, gift 5,000 paid in cash (qcd: false) → §170(p) deduction
    # min(5,000, 1,000) = 1,000.  Taxable income 80,000 − 16,100 − 1,000 = 62,900: tax 1,240 +
    # 12% × 38,000 = 4,560 + 22% × 12,500 = 2,750 → 8,550.  Without the deduction (the plan's
    # figure before 2026's law, and the same plan with no gift): 63,900 → 8,770: 220 more,
    # the deduction times the 22% rate.
    given = _run(_hh(_earner(), 5_000, cash=500_000), 30_000)
    none = _run(_hh(_earner(), 0, cash=500_000), 30_000)
    assert given["agi"][0, 0] == none["agi"][0, 0] == pytest.approx(80_000)
    assert given["charity"][0, 0] == pytest.approx(5_000) and given["shortfall"][0, 0] == 0
    assert given["income_tax"][0, 0] == pytest.approx(8_550)
    assert none["income_tax"][0, 0] == pytest.approx(8_770)


def test_2025_has_no_deduction_2026_has():
    # A plan from 2025: the 2025 tax is the same with and without the gift (no §170(p) then);
    # in 2026 wages and gift have grown 2% (81,600 and 5,100), the deduction is still the
    # unindexed 1,000, and the 22% bracket holds: 220 less.
    given = _run(_hh(_earner(), 5_000, start=2025, cash=500_000), 30_000)
    none = _run(_hh(_earner(), 0, start=2025, cash=500_000), 30_000)
    assert given["income_tax"][0, 0] == none["income_tax"][0, 0]
    assert none["income_tax"][0, 1] - given["income_tax"][0, 1] == pytest.approx(220)


def test_a_qcd_earns_no_deduction_the_rest_of_the_gift_does():
    """Born January 1950, 76 in 2026, a $6,000,000 IRA: the RMD is 6,000,000 ÷ 23.7 (Pub. 590-B
    Table III).  A gift of $115,000: $111,000 by QCD (the 2026 limit), left out of AGI and
    never deducted (§408(d)(8)(E)); the $4,000 left is paid in cash and deducts $1,000.  The
    plan's tax is the tax engine's on that return, and less than with the $4,000 not
    deducted."""
    people = [{"birth_date": "1950-01-15", "life_expectancy": 85,
               "accounts": {"ira": 6_000_000}}]
    res = _run(_hh(people, 115_000, qcd=True, cash=500_000), 0.0)
    rmd = 6_000_000 / 23.7
    assert res["qcd"][0, 0] == pytest.approx(111_000)
    assert res["agi"][0, 0] == pytest.approx(rmd - 111_000)

    def tax(cash):
        return float(federal_tax(TaxUnits.from_records([{
            "tax_year": 2026, "filing_status": "single", "age_head": 76,
            "taxable_distributions": rmd - 111_000, "charitable_cash": cash}]))["income_tax"][0])

    assert res["income_tax"][0, 0] == pytest.approx(tax(4_000))
    assert tax(4_000) < tax(0.0)
    all_qcd = _run(_hh(people, 20_000, qcd=True, cash=500_000), 0.0)
    assert all_qcd["qcd"][0, 0] == pytest.approx(20_000)
    assert all_qcd["income_tax"][0, 0] == pytest.approx(float(federal_tax(
        TaxUnits.from_records([{"tax_year": 2026, "filing_status": "single", "age_head": 76,
                                "taxable_distributions": rmd - 20_000}]))["income_tax"][0]))


def test_the_optimum_gives_and_prices_the_deduction():
    """The optimiser plans the after-tax gift with its deduction: its first year's exact tax
    is the simulation's, and the same plan with the gift paid by no one else keeps more to
    spend than the gift's full cost (5,000 a year less 1,000 × the rate saved)."""
    hh = _hh(_earner(), 5_000, cash=500_000)
    none = _hh(_earner(), 0, cash=500_000)
    a = optimise(hh, build_timeline(hh, LAW), LAW)
    b = optimise(none, build_timeline(none, LAW), LAW)
    assert a.spending_real < b.spending_real
    # Each year's gift costs 5,000 (today's dollars) less the tax the deduction saves: the
    # spending falls by less than 5,000.
    assert b.spending_real - a.spending_real < 5_000 - 1.0
    assert np.isfinite(a.marginal_value).all()
