"""A Social Security claiming age is taken as a whole month, the nearest (docs/plan.md, "Social
Security"): benefits are paid by the month of entitlement (42 U.S.C. §402(a); 20 CFR 404.311)
and reduced or raised by whole months (§402(q), (w)), so the month that sets the benefit's rate
is the month its first payment is made for.

Expected answers worked by hand from SSA's rules ("Benefit reduction for early retirement",
ssa.gov/benefits/retirement/planner/agereduction.html; "Delayed retirement credits",
ssa.gov/benefits/retirement/planner/delayret.html): a reduction of 5/9 of 1% a month for the
first 36 months before full retirement age and 5/12 of 1% a month beyond; a delayed credit of
2/3 of 1% a month after it.  The person: born April 12, 1964 (full retirement age 67, §416(l)),
who attains each age on April 11 (20 CFR 404.102), so is 67 and 0 months throughout April 2031,
62 and 0 months throughout April 2026; PIA $3,200; figures in start-year dollars (the
timeline's, before the cost-of-living increases)."""

from __future__ import annotations

import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.social_security_benefit import claim_month
from dist401k.planner.timeline import build_timeline

LAW = default_law()
PIA = 3_200
START = 2026


@pytest.mark.parametrize("age, months", [
    (67, 67 * 12), (67.04, 67 * 12),             # 0.48 of a month: 67 and 0 months
    (67.0833, 67 * 12 + 1),                        # 67 and 1 month to four decimals
    (67 + 1 / 12, 67 * 12 + 1),
    (66.96, 67 * 12),                              # 66 and 11.52 months: the nearest is 67
    (67 + 1 / 24, 67 * 12 + 1),                    # exactly half a month: up
    (69.6667, 69 * 12 + 8)])
def test_a_claiming_age_is_taken_to_the_nearest_month(age, months):
    assert claim_month(age) * 12 == pytest.approx(months, abs=1e-9)


def _benefit(claim_age: float, year: int) -> float:
    hh = parse_household({
        "id": "m", "start_year": START,
        "people": [{"birth_date": "1964-04-12", "life_expectancy": 90,
                    "social_security": {"monthly_at_full_age": PIA, "claim_age": claim_age},
                    "accounts": {"pretax": 500_000}}],
        "market": {"stocks": 0.05, "bonds": 0.03, "cash": 0.03, "inflation": 0.02},
        "strategy": {"medicare": False}})
    return float(build_timeline(hh, LAW).social_security[0, year - START])


@pytest.mark.parametrize("claim_age, year, expected", [
    # 67 and 0 months: April–December 2031, 9 months at 100%: 9 × 3,200 = 28,800.
    (67, 2031, 9 * 3_200),
    # 67.04 is the same month (not 8.52 months from the fractional age): 28,800.
    (67.04, 2031, 9 * 3_200),
    # 67 and 1 month: May–December, 8 months, 1 month of delayed credit, 1 + 2/3% :
    # 8 × 3,200 × 1.0066667 = 25,770.67.
    (67.0833, 2031, 8 * 3_200 * (1 + 1 * 2 / 3 / 100)),
    # 64.96 → 65 and 0 months, April 2029: 24 months early, 1 − 24 × 5/9% = 86.6667%;
    # 9 months × 3,200 × 0.866667 = 24,960.
    (64.96, 2029, 9 * 3_200 * (1 - 24 * 5 / 9 / 100)),
    # 62.54 → 62 and 6 months, October 2026: 54 months early, 1 − (36 × 5/9% + 18 × 5/12%)
    # = 1 − 27.5% = 72.5%; October–December, 3 × 3,200 × 0.725 = 6,960.
    (62.54, 2026, 3 * 3_200 * (1 - (36 * 5 / 9 + 18 * 5 / 12) / 100)),
    # and a whole year later at the same rate: 12 × 3,200 × 0.725 = 27,840.
    (62.54, 2027, 12 * 3_200 * 0.725),
])
def test_the_rate_and_the_first_payment_are_the_same_month(claim_age, year, expected):
    assert _benefit(claim_age, year) == pytest.approx(expected, abs=0.005)


def test_the_terminal_words_the_month_the_plan_figures():
    """``ages_text`` (the terminal's and the report's claiming ages) names the month taken:
    67.96 is 68 and 0 months (67.96 × 12 = 815.52 → 816 months), never "67 y 12 m"."""
    from dist401k.planner.claiming import ages_text

    assert ages_text([69.6667, None]) == "69 y 8 m / —"
    assert ages_text([67.96]) == "68 y 0 m"
    assert ages_text([62.0833]) == "62 y 1 m"
