"""Mississippi in the drawdown plan: a person's IRA distributions and conversions are judged by
the IRA's own condition, not the plan's requirements for retirement.

35 Miss. Admin. Code Pt. 3, Subpt. 02, Ch. 07, ¶¶100, 101, 104 and the Form 80-100
instructions, line 46: income from an IRA is an exempt retirement allowance unless it is an
early distribution, one taxable as early under the Internal Revenue Code (§72(t)); an IRA has
no employer's requirements for retirement, so past 59½ its distribution is not early, wages or
not.  Worked by hand (2026 and on, single): the standard deduction $2,300 and the exemption
$6,000 (§§27-7-17, -21), none on the first $10,000 of taxable income, then 4.0% in 2026, 3.75%
in 2027, 3.5% in 2028 and 3.25% in 2029 (§27-7-5 as amended by 2025 HB 1): the tax is that rate of the income
other than the IRA's distributions and conversions (the wages, and the accounts' interest) above
$18,300.  Before, a year with wages was "not retired" and the IRA's
money was taxed as premature too (4% more of it)."""

from __future__ import annotations

import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json

LAW = default_law()
#: Mississippi's rate above the first $10,000, by year (§27-7-5; 2025 HB 1).
RATE = {2026: 0.04, 2027: 0.0375, 2028: 0.035, 2029: 0.0325, 2030: 0.03}


def _working_at_62() -> dict:
    """Single, 62 in 2026, working for $30,000 to 65, a $1M IRA, spending $60,000."""
    return {"id": "ms-single", "start_year": 2026, "state": "MS",
            "people": [{"birth_date": "1964-03-01", "life_expectancy": 80, "wages": 30_000,
                        "retirement_age": 65, "accounts": {"ira": 1_000_000}}],
            "spending": {"annual": 60_000},
            "market": {"stocks": 0.05, "bonds": 0.05, "cash": 0.05, "stock_share": 0.6,
                       "inflation": 0.0},
            "strategy": {"objective": "max_estate", "heirs_rate": 0.0}}


def test_mississippi_exempts_the_ira_past_59_half_while_working():
    table = plan_json(make_plan(parse_household(_working_at_62()), LAW,
                                monte_carlo=False))["table"]
    working = [r for r in table if r["wages"] > 0]
    assert len(working) >= 2
    assert sum(r["pretax_withdrawal"] + r["conversion"] for r in working) > 50_000
    for r in working:
        other = r["agi"] - r["pretax_withdrawal"] - r["conversion"]
        rate = RATE[r["year"]]
        assert r["state_tax"] == pytest.approx(rate * max(0.0, other - 18_300), abs=0.5), r["year"]
