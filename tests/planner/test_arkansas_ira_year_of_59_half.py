"""Arkansas's IRA exemption in the drawdown planner, by the year of 59½.

Arkansas exempts the first $6,000 of each person's retirement benefits, an individual retirement
account's only where "received ... after reaching fifty-nine and one-half (59 1/2) years of age"
(or on the participant's death or disability); every other premature distribution, a 72(t)
series' included, does not qualify (Ark. Code Ann. §26-51-307(a)(2)).  The rule is judged on
each payment, so the planner gives Arkansas the age at December 31 with the months counted
(``EXACT_AGE_STATES``) and takes all of the year of 59½ as after it, as for the §72(t) tax.
Before, every IRA distribution took the exemption, at any age.

Cy, born 1967-03-01, single, no other income, runs a 72(t) series from his $500,000 IRA from
June 2024 (amortization at the floor rate: $32,622.01 a year); he reaches 59½ on 2026-09-01.

Figures worked by hand from the law files: standard deduction 2,470 (2025; carried into 2026),
the Regular Income Tax Table at the middle of the $100 row of net taxable income (2025: 3.4%
less 287.97 from 16,000, 3.9% less 419.96 from 26,400; 2026, Act 1 of 2026: 3.4% less 288 from
16,000, 3.7% less 367.20 from 26,400), rounded to whole dollars; one personal credit of 29.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.state_tax import PaidFrom, PlanState
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.units import TaxUnits

LAW = default_law()
PAYMENT = 32_622.01
CASE = {"id": "ar-sepp", "start_year": 2024, "state": "AR",
        "people": [{"name": "Cy", "birth_date": "1967-03-01", "life_expectancy": 85,
                    "social_security": {"monthly_at_full_age": 0},
                    "accounts": {"ira": 500000}}],
        "spending": {"annual": 40000},
        "sepp": {"person": 0, "account": "ira", "first_payment": "2024-06-01",
                 "method": "amortization"}}


def _units(year: int, paid: float) -> TaxUnits:
    """Cy's federal return of ``year``: ``paid`` from his IRA, nothing else; his whole age at
    December 31, as the plan's return gives it."""
    zero = np.zeros(1)
    return TaxUnits(
        tax_year=np.array([year]), filing_status=np.array([SINGLE], np.int8),
        age_head=np.array([float(year - 1967)]), age_spouse=zero, blind_head=np.zeros(1, bool),
        blind_spouse=np.zeros(1, bool), lived_apart=np.zeros(1, bool), wages=zero,
        taxable_interest=zero, tax_exempt_interest=zero, ordinary_dividends=zero,
        qualified_dividends=zero, long_term_gains=zero, taxable_distributions=np.array([paid]),
        early_distributions=zero, social_security=zero, other_income=zero,
        itemized_deductions=zero)


def _planned_tax(year: int) -> float:
    hh = parse_household(CASE)
    tl = build_timeline(hh, LAW)
    ps = PlanState.of(hh, tl)
    assert ps is not None
    t = np.array([int(np.flatnonzero(tl.years == year)[0])])
    units = _units(year, PAYMENT)
    return float(ps.tax(t, units, federal_tax(units, LAW), LAW, paid=PaidFrom(ira=PAYMENT))[0])


def test_a_series_payment_before_the_year_of_59_half_takes_no_exemption():
    """2025 (58¾ at December 31): a premature distribution, not on a death or a disability: no
    exemption.  32,622.01 − 2,470 = 30,152.01, row 30,100–30,199: 30,149.50 × 3.9% − 419.96 =
    755.8705, the table's 756; less 29: 727.  (Before: 6,000 exempt, 24,152.01, row 24,100:
    24,149.50 × 3.4% − 287.97 = 533.113, 533; 504.)"""
    assert _planned_tax(2025) == pytest.approx(756 - 29, abs=0.005)


def test_the_series_payment_in_the_year_of_59_half_takes_the_exemption():
    """2026: 59 at December 31 in whole years, 59¾ with the months counted: the year is taken as
    after 59½, the series' payment (no §72(t) tax) an IRA's benefit received after it: 6,000
    exempt.  32,622.01 − 6,000 − 2,470 = 24,152.01, row 24,100–24,199: 24,149.50 × 3.4% − 288 =
    533.083, the table's 533; less 29 and the additional tax credit for qualified individuals,
    $60 up to $26,500 of net taxable income (the DFA's 2025 AR1000TC table, carried to 2026): 444.
    (On the whole age 59 it would take none:
    30,152.01, 30,149.50 × 3.7% − 367.20 = 748.3315, 748; 719.)"""
    assert _planned_tax(2026) == pytest.approx(533 - 29 - 60, abs=0.005)
