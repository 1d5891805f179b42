"""California in the drawdown planner: a year with the 2.5% additional tax on early
distributions shows the state tax as the sum of its two parts each rounded to the cent.

Form 540 enters the FTB 3805P additional tax on a line of its own, and the return's total is
the sum of its lines as entered — the rule the federal total follows
(:func:`dist401k.tax.federal.in_cents`) and ``dist401k tax`` shows (``state_income_tax`` and
``state_additional_tax``, each to the cent).  Before, the planner rounded the unrounded sum, a
cent apart where both parts round up.

The reviewer's ca_ira 2025 row (one person born 1968-04-01, 57, single): $62,700.21 withdrawn
early from an IRA, a $1,524.79 conversion, $1,105.24 of qualified dividends and $6,311.62 of
long-term gains: federal AGI 71,641.86.  Worked by hand from the 2025 single schedule (R&TC
§17041; FTB 2025 tax rate schedule X): taxable income 71,641.86 − 5,706 (standard deduction,
§17073.5) = 65,935.86; tax 1% × 11,079 + 2% × 15,185 + 4% × 15,188 + 6% × 16,090 + 8% × 8,393.86
= 110.79 + 303.70 + 607.52 + 965.40 + 671.5088 = 2,658.9188, less the $153 exemption credit
(§17054) = 2,505.9188 → 2,505.92.  Additional tax 2.5% × 62,700.21 = 1,567.50525 → 1,567.51
(§17085(c)(1)).  As entered: 4,073.43; the unrounded sum 4,073.42405 rounds to 4,073.42.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import PaidFrom, PlanState
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.units import TaxUnits

LAW = default_law()
EARLY, CONVERSION, DIVIDENDS, GAINS = 62_700.21, 1_524.79, 1_105.24, 6_311.62

CASE = {"id": "ca_ira", "start_year": 2024, "state": "CA",
        "people": [{"name": "A", "birth_date": "1968-04-01", "life_expectancy": 85,
                    "social_security": {"monthly_at_full_age": 2600, "claim_age": 67},
                    "accounts": {"ira": 1500000, "roth": 20000, "roth_first_year": 2010}}],
        "taxable": {"balance": 150000, "basis": 100000, "dividend_yield": 0.02}, "cash": 0,
        "spending": {"annual": 70000, "bequest": 0},
        "market": {"stocks": 0.06, "bonds": 0.04, "cash": 0.03, "stock_share": 0.6},
        "strategy": {"objective": "max_spending", "heirs_rate": 0.3, "fill_bracket": 0.24},
        "magi_history": [0, 0]}


def _one(v: float) -> np.ndarray:
    return np.array([float(v)])


def test_the_reviewers_2025_row_is_the_sum_of_its_rounded_parts():
    zero = _one(0.0)
    units = TaxUnits(
        tax_year=np.array([2025]), filing_status=np.array([SINGLE], np.int8),
        age_head=_one(57), age_spouse=zero, blind_head=np.zeros(1, bool),
        blind_spouse=np.zeros(1, bool), lived_apart=np.zeros(1, bool), wages=zero,
        taxable_interest=zero, tax_exempt_interest=zero, ordinary_dividends=_one(DIVIDENDS),
        qualified_dividends=_one(DIVIDENDS), long_term_gains=_one(GAINS),
        taxable_distributions=_one(EARLY + CONVERSION), early_distributions=_one(EARLY),
        social_security=zero, other_income=zero, itemized_deductions=zero)
    hh = parse_household(CASE)
    tl = build_timeline(hh, LAW)
    ps = PlanState.of(hh, tl)
    assert ps is not None
    t = np.array([int(np.flatnonzero(tl.years == 2025)[0])])
    federal = federal_tax(units, LAW)
    assert federal["agi"][0] == pytest.approx(71_641.86, abs=1e-6)
    tax = ps.tax(t, units, federal, LAW, paid=PaidFrom(ira=EARLY + CONVERSION, ira_early=EARLY))
    assert tax[0] == pytest.approx(2_505.92 + 1_567.51, abs=1e-6)


def test_the_whole_plan_shows_the_2025_row_as_entered():
    """The plan end to end: its 2025 row (the same draws as the reviewer's) shows 4,073.43."""
    table = plan_json(make_plan(parse_household(CASE), LAW, monte_carlo=False))["table"]
    row = next(r for r in table if r["year"] == 2025)
    assert row["pretax_withdrawal"] == pytest.approx(EARLY, abs=0.005)
    assert row["additional_tax_72t"] == pytest.approx(6_270.02, abs=0.005)
    assert row["agi"] == pytest.approx(71_641.86, abs=0.005)
    assert row["state_tax"] == pytest.approx(4_073.43, abs=0.001)
