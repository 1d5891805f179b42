"""The states whose 59½ rule the drawdown planner reads on its own year-of-59½ convention.

The plan works in years and takes all of the year in which a person reaches 59½ by December 31
(months counted) as after it: no §72(t) tax, Pennsylvania's and Mississippi's IRA exempt, New
York's exclusion given (tests/planner/test_ny_year_of_59_half.py).  A state whose rule turns on
59½ reached when each payment is made reads the same age (``EXACT_AGE_STATES``).

Michigan: a governmental 457(b)'s distribution is a retirement or pension benefit "if the
distributions are not made until the participant has reached 59-1/2 years of age" (MCL
206.30(8)(a)(i)(D)), judged payment by payment.  Before, the planner gave Michigan the return's
whole age at December 31 (59 in the year of 59½ for one born January–June) against a figure of
60, and the year was refused (before the law's age the engine cannot tell a 457(b) from a public
pension, which qualifies whenever paid): the whole plan stopped on it.

Every figure is worked by hand from Michigan's 2025 figures: the 4.25% rate (§206.51(1)), the
$5,800 personal exemption (§206.30(2)), the retirement subtraction's limit $65,897 single, of
which 75% for a filer born in 1946–1966 in 2025 (§206.30(1)(f), 2023 PA 4's phase-in); no
standard deduction before 67 for one born after 1952 (§206.30(9)).
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.state_tax import PaidFrom, PlanState, SpouseIncome, pa_payers
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.units import TaxUnits

LAW = default_law()
#: The 2025 draw from the governmental 457(b), the year's only income (federal AGI).
DRAW = 60_000.0


def _case(state: str, birth_date: str, accounts: dict, year: int) -> dict:
    """One retired person (no wages) in ``state`` from ``year``, no Social Security."""
    return {"id": "y59", "start_year": year, "state": state,
            "people": [{"name": "A", "birth_date": birth_date, "life_expectancy": 85,
                        "social_security": {"monthly_at_full_age": 0},
                        "accounts": accounts}],
            "spending": {"annual": 40000}}


def _units(year: int, paid: float, age: float) -> TaxUnits:
    """One single federal return of ``year``: ``paid`` of plan money, nothing else; the age as
    the plan's return gives it (whole years at December 31)."""
    zero = np.zeros(1)
    return TaxUnits(
        tax_year=np.array([year]), filing_status=np.array([SINGLE], np.int8),
        age_head=np.array([float(age)]), age_spouse=zero, blind_head=np.zeros(1, bool),
        blind_spouse=np.zeros(1, bool), lived_apart=np.zeros(1, bool), wages=zero,
        taxable_interest=zero, tax_exempt_interest=zero, ordinary_dividends=zero,
        qualified_dividends=zero, long_term_gains=zero, taxable_distributions=np.array([paid]),
        early_distributions=zero, social_security=zero, other_income=zero,
        itemized_deductions=zero)


def _planned_tax(case: dict, year: int, units: TaxUnits, paid: PaidFrom) -> float:
    """The plan's state tax of ``units`` in ``year``, through its own units."""
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    ps = PlanState.of(hh, tl)
    assert ps is not None
    t = np.array([int(np.flatnonzero(tl.years == year)[0])])
    return float(ps.tax(t, units, federal_tax(units, LAW), LAW, paid=paid)[0])


MI_457B = {"pretax": 600000, "governmental_457b": True}


@pytest.mark.parametrize("born", ["1966-03-01", "1966-06-30"])
def test_michigan_457b_in_the_year_of_59_half_takes_the_subtraction(born):
    """Born 1966-03-01 (59½ on 2025-09-01) or 1966-06-30 (59½ on 2025-12-30), 59 on December
    31, 2025: the $60,000 drawn from the governmental 457(b) is taken as paid after 59½.  The
    subtraction: the least of the benefit, 60,000, and 75% × 65,897 = 49,422.75, so 49,422.75.
    Taxable income 60,000 − 49,422.75 − 5,800 = 4,777.25; tax 4.25% × 4,777.25 = 203.033125.
    Before: the year was refused."""
    case = _case("MI", born, MI_457B, 2025)
    tax = _planned_tax(case, 2025, _units(2025, DRAW, 59), PaidFrom())
    assert tax == pytest.approx(0.0425 * (DRAW - 0.75 * 65_897 - 5_800), abs=0.005)
    assert tax == pytest.approx(203.03, abs=0.005)


def test_michigan_457b_born_in_july_stays_before_59_half():
    """Born 1966-07-15: 59½ on 2026-01-15, after the year's end: the year's money is paid
    before 59½, and before it the engine cannot tell the governmental plan's payment (a 457(b)'s
    qualifies only from 59½, a public pension's whenever paid): the year is refused, naming the
    state, as before."""
    case = _case("MI", "1966-07-15", MI_457B, 2025)
    with pytest.raises(InputError) as err:
        _planned_tax(case, 2025, _units(2025, DRAW, 59), PaidFrom())
    assert err.value.problems[0].field == "state"
    assert "MI in 2025" in err.value.problems[0].problem


# Pennsylvania's refusal of an early plan draw turns on the account drawn.
#
# Pennsylvania taxes a plan distribution paid before the plan's conditions for retirement are
# met as compensation, beyond the contributions it already taxed, which such a payment recovers
# first (the cost recovery method: PA-40 instructions, line 5; 61 Pa. Code §101.6(c)(8)).  What
# is left of them depends on every earlier payment, so the planner refuses such a year — but
# only a payment from the account holding them recovers them: the other spouse's early draw
# from their own account is taxed in full.  Before, a couple's year was refused whenever either
# spouse's account held such contributions and anyone's plan money was drawn early.
#
# Bo, born 1956-03-01 (70 in 2026), retired, $300,000 in his 401(k), $20,000 of it contributions
# Pennsylvania taxed; Ann, born 1976-03-01 (50), no wages, $200,000 in her own 401(k), none
# taxed.  In 2026, on their joint return, Ann draws $20,000 from her account: under 59½ and
# not separated at 55 she owes the §72(t) tax on it, so her plan's conditions are not met.
PA_COUPLE = {"id": "pa-couple", "start_year": 2026, "state": "PA",
             "people": [{"name": "Bo", "birth_date": "1956-03-01", "life_expectancy": 90,
                         "social_security": {"monthly_at_full_age": 0},
                         "accounts": {"pretax": 300000, "state_taxed_contributions": 20000}},
                        {"name": "Ann", "birth_date": "1976-03-01", "life_expectancy": 90,
                         "social_security": {"monthly_at_full_age": 0},
                         "accounts": {"pretax": 200000}}],
             "spending": {"annual": 40000}}


def _pa_joint(drawn_by_spouse: float, drawn_by_head: float = 0.0,
              case: dict | None = None) -> float:
    """The plan's 2026 Pennsylvania tax of the couple's joint return (``case``, else
    :data:`PA_COUPLE`), Ann's draw given as the spouse's (early) and Bo's as the head's (his
    conditions met)."""
    total = drawn_by_spouse + drawn_by_head
    zero = np.zeros(1)
    units = TaxUnits(
        tax_year=np.array([2026]), filing_status=np.array([MARRIED_JOINT], np.int8),
        age_head=np.array([70.0]), age_spouse=np.array([50.0]), blind_head=np.zeros(1, bool),
        blind_spouse=np.zeros(1, bool), lived_apart=np.zeros(1, bool), wages=zero,
        taxable_interest=zero, tax_exempt_interest=zero, ordinary_dividends=zero,
        qualified_dividends=zero, long_term_gains=zero, taxable_distributions=np.array([total]),
        early_distributions=np.array([drawn_by_spouse]), social_security=zero,
        other_income=zero, itemized_deductions=zero)
    hh = parse_household(copy.deepcopy(case or PA_COUPLE))
    tl = build_timeline(hh, LAW)
    ps = PlanState.of(hh, tl)
    assert ps is not None
    t = np.array([int(np.flatnonzero(tl.years == 2026)[0])])
    spouse = SpouseIncome(wages=0.0, social_security=0.0, distributions=drawn_by_spouse,
                          early=drawn_by_spouse)
    return float(ps.tax(t, units, federal_tax(units, LAW), LAW, spouse=spouse,
                        paid=PaidFrom())[0])


def test_pennsylvania_taxes_the_other_spouses_early_draw_in_full():
    """Ann's $20,000 recovers none of Bo's taxed contributions: compensation of $20,000 at
    3.07% = 614.00; no tax forgiveness (eligibility income 20,000 is 7,000 over the $13,000 of
    a married couple: 28 steps of $250 at 10% each, none left).  Before: refused."""
    assert _pa_joint(20_000.0) == pytest.approx(0.0307 * 20_000, abs=0.005)
    assert _pa_joint(20_000.0) == pytest.approx(614.00, abs=0.005)


def test_pennsylvania_the_head_exempt_beside_the_spouses_early_draw():
    """Bo's own $30,000 besides: his conditions met, it is not Pennsylvania income, and it is
    his account's but not drawn early — the tax stays Ann's 614.00."""
    assert _pa_joint(20_000.0, drawn_by_head=30_000.0) == pytest.approx(614.00, abs=0.005)


def test_pennsylvania_still_refuses_the_early_draw_from_the_taxed_account():
    """The same couple with the contributions in Ann's account: her early draw recovers them,
    by a schedule the plan does not follow: refused, naming the field."""
    case = copy.deepcopy(PA_COUPLE)
    case["people"][0]["accounts"].pop("state_taxed_contributions")
    case["people"][1]["accounts"]["state_taxed_contributions"] = 20000
    with pytest.raises(InputError) as err:
        _pa_joint(20_000.0, case=case)
    assert err.value.problems[0].field == "state"
    assert "people.1.accounts.state_taxed_contributions" in err.value.problems[0].problem


# Pennsylvania and Mississippi: a 72(t) series' payments from the year of 59½.
#
# Both exempt an IRA's distribution from 59½ (Pennsylvania: the Department's Personal Income
# Tax Guide, Gross Compensation; Mississippi: not an early distribution, Miss. Code Ann.
# §27-7-15(4)(l), 35 Miss. Admin. Code Pt. 3, 02-07-104) and have no 72(t) series exception
# before it.  A series runs at least five years (§72(t)(4)), past 59½: its payments from the
# year of 59½ are an IRA's after 59½.  The planner took a series' pool as early while it ran
# and left the payment to the state's rule on the return's whole age: 59 in the year of 59½ for
# one born January–June, so that year's payment was taxed (from 60 the rule exempts it).
#
# Cy, born 1967-03-01, single, no other income: a series from his $500,000 IRA from June 2024
# (amortization at the floor rate), which may end only in 2029 (five years); 59½ on
# 2026-09-01.  The year's payment P is the return's only income.
SEPP_CASE = {"id": "sepp", "start_year": 2024,
             "people": [{"name": "Cy", "birth_date": "1967-03-01", "life_expectancy": 85,
                         "social_security": {"monthly_at_full_age": 0},
                         "accounts": {"ira": 500000}}],
             "spending": {"annual": 40000},
             "sepp": {"person": 0, "account": "ira", "first_payment": "2024-06-01",
                      "method": "amortization"}}
PAYMENT = 32_622.01


def _sepp_tax(state: str, year: int) -> float:
    case = copy.deepcopy(SEPP_CASE) | {"state": state}
    units = _units(year, PAYMENT, year - 1967)
    return _planned_tax(case, year, units, PaidFrom(ira=PAYMENT))


@pytest.mark.parametrize("state", ["PA", "MS"])
@pytest.mark.parametrize("year", [2026, 2027, 2028])
def test_a_series_payment_from_the_year_of_59_half_is_exempt(state, year):
    """From 2026 (59½ in September, the year taken as after it) to 2028 (61), still in the
    series: an IRA's payment after 59½, not the state's income — no tax.  Before, 2026 was
    taxed: Pennsylvania 3.07% × 32,622.01 = 1,001.50 (no forgiveness above $6,500 single),
    Mississippi its own tax on it."""
    assert _sepp_tax(state, year) == pytest.approx(0.0, abs=0.005)


def test_a_series_payment_before_59_half_stays_taxed_in_pennsylvania():
    """2025 (58): before 59½ Pennsylvania has no series exception: 3.07% × 32,622.01 =
    1,001.4957..., no forgiveness (eligibility income far above $6,500 single)."""
    assert _sepp_tax("PA", 2025) == pytest.approx(0.0307 * PAYMENT, abs=0.005)


def test_a_survivor_draws_on_the_dead_spouses_taxed_account_too():
    """Whose plan money can recover Pennsylvania-taxed contributions: each person's own account
    while both live (Bo's, not Ann's); Bo dies at the end of 2035 (life expectancy 79): from
    2036 Ann, the survivor, holds his account rolled over as her own (IRC §402(c)(9)), so her
    early draws may recover them."""
    case = copy.deepcopy(PA_COUPLE)
    case["people"][0]["life_expectancy"] = 79
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    years = np.asarray(tl.years)
    got = pa_payers(hh, tl)
    assert got[0].all()
    assert not got[1][years <= 2035].any() and got[1][years >= 2036].all()
