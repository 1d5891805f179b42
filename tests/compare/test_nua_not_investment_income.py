"""The NUA option for a household above the §1411 threshold: the net unrealized appreciation is
not net investment income, the growth after the distribution is.

Instructions for Form 8960 (line 5b, quoted in reproductions; the text of Treas. Reg.
§1.1411-8 could not be read here): "Any gain attributable to NUA (within the meaning of section
402(e)(4)) that you realize on a disposition of employer securities held by a qualified plan is
a distribution within the meaning of section 1411(c)(5) and isn't included in net investment
income.  However, any gain realized on a disposition of employer securities attributable to
appreciation in the value of your employer securities after the distribution from a qualified
plan isn't a distribution within the meaning of section 1411(c)(5) and is included in net
investment income."  The mutation audit's N01 (the §1411 base taken over the shares' cost, so
the NUA taxed too) passed every NUA test: no test household was above the threshold.

2026 figures (Rev. Proc. 2025-32 §4.01, .03; §1(h); §1411(b)): married filing jointly,
standard deduction $32,200, 24% bracket $211,400–$403,550, 15% capital gain rate from $98,900
to $613,700, 20% above; NIIT 3.8% over $250,000 of MAGI."""

from __future__ import annotations

import pytest

from dist401k.case import parse_case
from dist401k.compare import compare_case

#: test_nua_option's C7 with wages of $400,000: 61, married filing jointly, separated; $200,000
#: of employer stock that cost the plan $30,000 (NUA $170,000) in a $500,000 401(k).
C7_RICH = {
    "id": "c7-nua-rich",
    "person": {"birth_date": "1965-03-01", "filing_status": "married_joint",
               "spouse_birth_date": "1966-01-01"},
    "employment": {"status": "separated", "hire_date": "1995-01-09",
                   "separation_date": "2026-03-31"},
    "income": {"wages": 400000}, "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 300000},
                            "profit_sharing": {"balance": 200000}},
                "employer_stock": {"value": 200000, "cost_basis": 30000}},
    "request": {"date": "2026-06-01", "amount": "max"},
    "assumptions": {"growth": 0.06, "later_tax_rate": 0.22, "horizon_ages": [70]},
}
#: Years from 2026-06-01 to 70 (born 1965-03-01); the IRA's net return 6% less 0.10% expenses.
YEARS_TO_70 = 70 - (61 + 92 / 365)
R_IRA = 0.06 - 0.001
ORDINARY = 400000 - 32200  # 367,800 taxable before the cost and the sale
COST_TAX = 0.24 * 30000  # 367,800 + 30,000 = 397,800 stays in the 24% bracket: $7,200


def _nua(cmp: dict) -> dict:
    return next(o for o in cmp["options"] if o["option"] == "separation:nua")


def test_the_nua_sold_today_owes_no_niit():
    """Sold today the shares have no growth after the distribution: no NIIT, though MAGI
    (400,000 + 170,000) is far over $250,000.  Gain 170,000 on top of 367,800 of ordinary
    income: 537,800 < 613,700, all at 15%: 25,500.  Value 300,000 × 0.78 (the IRA at the later
    22% rate) + 200,000 − 25,500 − 7,200 (the cost's tax) = $401,300.  Taxing the NUA would
    take another 3.8% × 170,000 = $6,460 ($394,840)."""
    o = _nua(compare_case(parse_case(C7_RICH)))
    assert o["income_tax_now"] == pytest.approx(COST_TAX, abs=0.005)
    assert o["by_year"][0] == pytest.approx(300000 * 0.78 + 200000 - 0.15 * 170000 - COST_TAX,
                                            abs=0.01)


def test_at_70_only_the_growth_after_the_distribution_is_net_investment_income():
    g = (1 + R_IRA) ** YEARS_TO_70
    shares = 200000 * g
    gain = shares - 30000  # the NUA and the growth after it, all long-term
    top = ORDINARY + gain
    assert top > 613700  # part of the gain at 20%
    ltcg = 0.15 * (613700 - ORDINARY) + 0.20 * (top - 613700)
    # §1411: the lesser of NII (the growth after the distribution) and MAGI over $250,000.
    niit = 0.038 * min(shares - 200000, 400000 + gain - 250000)
    by_hand = 300000 * g * 0.78 + shares - ltcg - niit - COST_TAX * g
    o = _nua(compare_case(parse_case(C7_RICH)))
    assert o["after_tax_value_at"]["70"] == pytest.approx(by_hand, abs=1)
