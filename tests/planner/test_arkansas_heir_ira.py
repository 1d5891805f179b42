"""Arkansas's retirement benefits exemption for an heir's draw from an inherited IRA, in the
drawdown planner.

Arkansas exempts the first $6,000 of each person's retirement benefits; an individual retirement
account's count only where received after 59½ "or those made on account of the participant's
death or disability" (Ark. Code Ann. §26-51-307(a)(2)(A)–(B)).  An heir under 59½ drawing an
inherited IRA is paid on account of the owner's death: the $6,000 applies.  The planner gives
Arkansas those draws outside ``ira_distributions`` (the engine's convention for a death's
payment, ``DEATH_OUTSIDE_IRA_STATES``).  Before, every draw from an IRA pool was the heir's
own IRA's, and an heir under 59½ got no exemption.

Figures worked by hand from the law files: 2026 (Act 1 of 2026; the 2025 standard deduction,
2,470 single, carried): the Regular Income Tax Table at the middle of the $100 row of net
taxable income (below $75,000 a row runs from a multiple of 100 to 99 above it): 3.4% less 288
from 16,000, 3.7% less 367.20 from 26,400, rounded half up to whole dollars; one personal
credit of 29.  Arkansas AGI above the single Low Income Tax Table's last row (17,500).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import PaidFrom, PlanState, death_paid, exact_ages
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.units import TaxUnits

LAW = default_law()

#: Ann, 40 at the end of 2026, single, no wages, no IRA of her own: her late father's $300,000
#: IRA (he died in 2024 at 76, after his required beginning date: the 10-year rule with yearly
#: minimums) pays her spending.
CASE = {"id": "ar-heir", "start_year": 2026, "state": "AR",
        "people": [{"name": "Ann", "birth_date": "1986-03-01", "life_expectancy": 85,
                    "social_security": {"monthly_at_full_age": 0}}],
        "inherited": [{"heir": 0, "balance": 300000,
                       "beneficiary": {"deceased_birth_date": "1948-04-01",
                                       "date_of_death": "2024-07-15",
                                       "relationship": "child", "account": "ira"}}],
        "spending": {"annual": 35000}}


def _ar_tax_2026_single(ar_agi: float) -> float:
    """Arkansas's 2026 tax of a single filer by hand (see the module docstring): the card at the
    middle of the $100 row of ``ar_agi`` less the 2,470 standard deduction, less one credit."""
    net = ar_agi - 2_470
    assert 17_500 < ar_agi and 16_000 <= net < 75_000
    middle = math.floor(net / 100) * 100 + 49.5
    card = 0.037 * middle - 367.20 if middle >= 26_400 else 0.034 * middle - 288
    return max(0.0, math.floor(card + 0.5) - 29 - _additional_credit(net))


def _additional_credit(net: float) -> float:
    """The additional tax credit for qualified individuals by hand from the DFA's 2025 table
    (AR1000TC line 6; 2026 carries it): $60 up to $26,500 of net taxable income, $5 less for
    each $100 row, or part of one, above it."""
    return max(0.0, 60 - 5 * math.ceil(max(0.0, net - 26_500) / 100))


def test_an_heirs_inherited_ira_pool_is_paid_on_a_death():
    """The inherited IRA's pool pays on the owner's death in every year Ann is under 59½ (no
    §72(t) tax, §72(t)(2)(A)(ii)); she reaches 59½ in 2045 (born March 1986)."""
    hh = parse_household(CASE)
    tl = build_timeline(hh, LAW)
    of_age = exact_ages(hh, tl) >= 59.5
    death = death_paid(tl, of_age)
    k = int(np.flatnonzero(~np.asarray(tl.pool_plan, bool) & np.asarray(tl.pool_balance > 0))[-1])
    years = np.asarray(tl.years)
    assert death[k][years < 2045].all() and not death[k][years >= 2045].any()


def _units(paid: float) -> TaxUnits:
    zero = np.zeros(1)
    return TaxUnits(
        tax_year=np.array([2026]), filing_status=np.array([SINGLE], np.int8),
        age_head=np.array([40.0]), age_spouse=zero, blind_head=np.zeros(1, bool),
        blind_spouse=np.zeros(1, bool), lived_apart=np.zeros(1, bool), wages=zero,
        taxable_interest=zero, tax_exempt_interest=zero, ordinary_dividends=zero,
        qualified_dividends=zero, long_term_gains=zero, taxable_distributions=np.array([paid]),
        early_distributions=zero, social_security=zero, other_income=zero,
        itemized_deductions=zero)


@pytest.mark.parametrize(("death", "expected"), [
    # 40,000 − 6,000 = 34,000; − 2,470 = 31,530, row 31,500: 31,549.50 × 3.7% − 367.20 =
    # 800.1315, 800; less 29: 771.
    (40_000.0, 800 - 29),
    # Her own IRA's early withdrawal (no death): no exemption.  37,530, row 37,500: 37,549.50 ×
    # 3.7% − 367.20 = 1,022.1315, 1,022; less 29: 993.
    (0.0, 1_022 - 29),
])
def test_a_death_payment_from_an_ira_takes_the_exemption_before_59_half(death, expected):
    """$40,000 from an IRA in 2026 at 40: with all of it paid on a death (``ira_death``) the
    $6,000 exemption applies; without, none."""
    hh = parse_household(CASE)
    ps = PlanState.of(hh, build_timeline(hh, LAW))
    assert ps is not None
    units = _units(40_000.0)
    tax = ps.tax(np.array([0]), units, federal_tax(units, LAW), LAW,
                 paid=PaidFrom(ira=40_000.0, ira_death=death))
    assert float(tax[0]) == pytest.approx(expected, abs=0.005)


def test_the_plans_arkansas_tax_of_an_heirs_draw_takes_the_exemption():
    """The plan's own 2026 row: Ann's only income is her draw from the inherited IRA (paid on
    her father's death), so Arkansas AGI is the draw less the $6,000 exemption, and the state
    tax is the table's on it (:func:`_ar_tax_2026_single`).  On a draw of 28,500: 20,030, row
    20,000: 20,049.50 × 3.4% − 288 = 393.683, 394; less 29 and the $60 additional credit (net
    taxable income under $26,500): 305.  Before, the draw was taken as
    her own IRA's before 59½, no exemption: 26,030, 26,049.50 × 3.4% − 288 = 597.683, 598; 569."""
    row = plan_json(make_plan(parse_household(CASE), LAW, monte_carlo=False))["table"][0]
    assert row["year"] == 2026 and row["state"] == "AR" and row["conversion"] == 0
    draw = row["pretax_withdrawal"]
    assert row["agi"] == pytest.approx(draw, abs=0.01)
    assert row["state_tax"] == pytest.approx(_ar_tax_2026_single(draw - 6_000), abs=0.005)


def test_a_young_survivors_draws_as_the_dead_spouses_beneficiary_are_paid_on_a_death():
    """Bo (born May 1958, life expectancy 70) dies in 2028 holding a $300,000 IRA; Cora (born
    May 1982) has no IRA of her own, so she keeps his as its beneficiary until the year she is
    59½ (Treas. Reg. §1.408-8(c)): 2029–2040 her IRA pool pays on his death; from 2041 (59½ on
    2041-11-01) it is her own.  Bo's own pool, past 59½, never is."""
    case = {"id": "ar-survivor", "start_year": 2026, "state": "AR",
            "people": [{"birth_date": "1958-05-01", "life_expectancy": 70,
                        "social_security": {"monthly_at_full_age": 0},
                        "accounts": {"ira": 300000}},
                       {"birth_date": "1982-05-01", "life_expectancy": 90,
                        "social_security": {"monthly_at_full_age": 0}}],
            "spending": {"annual": 30000, "survivor_fraction": 0.7}}
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    death = death_paid(tl, exact_ages(hh, tl) >= 59.5)
    owner, years = np.asarray(tl.pool_owner), np.asarray(tl.years)
    assert not death[owner == 0].any()
    (cora,) = np.flatnonzero(owner == 1)
    assert list(years[death[cora]]) == list(range(2029, 2041))
