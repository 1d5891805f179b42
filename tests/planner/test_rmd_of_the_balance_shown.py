"""A plan's RMD is the balance its year table shows ÷ the divisor, to the cent: the RMD divides
the account balance on the prior December 31 (Treas. Reg. §1.401(a)(9)-5(b)), a balance in
cents, which the table shows on the row of the year the RMD is taken (the balance at its
start).  Divisors from the Uniform Lifetime Table (Treas. Reg. §1.401(a)(9)-9(c); Pub. 590-B
Appendix B, Table III): 75 → 24.6, 76 → 23.7, 77 → 22.9, 78 → 22.0, 79 → 21.1, 80 → 20.2.

One born June 30, 1951 (75 at the end of 2026), $500,000 pre-tax: the 2028 row shows a
balance of $395,702.27, and 395,702.27 ÷ 22.9 = 17,279.5751 → $17,279.58 (a reader's check),
where an RMD of the unrounded balance came to $17,279.57."""

from __future__ import annotations

import math

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json

LAW = default_law()
DIVISOR = {75: 24.6, 76: 23.7, 77: 22.9, 78: 22.0, 79: 21.1, 80: 20.2}


def _cents(x: float) -> float:
    """Half a cent up, as a person rounds."""
    return math.floor(x * 100 + 0.5 + 1e-7) / 100


def _table() -> list[dict]:
    hh = parse_household({"id": "rmd", "start_year": 2026,
                          "people": [{"birth_date": "1951-06-30", "life_expectancy": 80,
                                      "accounts": {"pretax": 500_000}}],
                          "spending": {"annual": 10_000},
                          "strategy": {"objective": "max_estate", "roth_conversions": False}})
    return plan_json(make_plan(hh, LAW, monte_carlo=False))["table"]


def test_each_rmd_is_the_balance_shown_over_its_divisor_to_the_cent():
    rows = {r["year"]: r for r in _table()}
    assert rows[2026]["rmd"] == _cents(500_000 / 24.6) == 20_325.20
    assert rows[2028]["pretax_balance"] == 395_702.27
    assert rows[2028]["rmd"] == 17_279.58
    for year, row in rows.items():
        assert row["rmd"] == _cents(row["pretax_balance"] / DIVISOR[year - 1951]), year
