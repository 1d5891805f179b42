"""Pennsylvania in the drawdown planner: an IRA's distributions (a conversion too) are judged
by the owner's age, an employer plan's by the plan's retirement conditions.

Pennsylvania does not tax "commonly recognized pension, old age or retirement benefits" paid
after retirement having met the plan's conditions (72 P.S. §7301(d); 61 Pa. Code §101.6(c)(8)).
An IRA has no retirement conditions of an employer plan: the Department's Personal Income Tax
Guide (Gross Compensation) takes as its qualifying age the age from which a distribution is not
subject to the federal early withdrawal penalty, 59½; its answer on Form 1099-R codes and the
PA-40 instructions: an IRA's distribution received on or after 59½ is not taxable, one before
it is (cost recovery; no federal exception but death).  Wages of the year do not matter for an
IRA.  Each answer below is worked by hand from those rules at the flat 3.07% (72 P.S. §7302),
with no Schedule SP forgiveness (the income is far above its limits).
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import PaidFrom, PlanState, SpouseIncome
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax
from dist401k.tax.units import TaxUnits

LAW = default_law()
RATE = 0.0307  # 72 P.S. §7302; PA-40 line 12


def _reviewer_case(**person) -> dict:
    """One person born 1963-03-01 (59½ in September 2022), in Pennsylvania, earning $90,000
    until 65 (2028), with $600,000 in an IRA."""
    return {"id": "pa-working-ira", "start_year": 2026, "state": "PA",
            "people": [{"name": "Pat", "birth_date": "1963-03-01", "life_expectancy": 80,
                        "retirement_age": 65, "wages": 90000,
                        "social_security": {"monthly_at_full_age": 2500, "claim_age": 67},
                        "accounts": {"pretax": 0, "ira": 600000, "roth": 10000,
                                     "roth_first_year": 2010}, **person}],
            "taxable": {"balance": 100000, "basis": 80000},
            "spending": {"annual": 60000}, "strategy": {"objective": "max_spending"}}


def _one(v: float) -> np.ndarray:
    return np.array([float(v)])


def _units(year: int, wages: float, distributions: float, interest: float,
           joint: bool = False, ages=(65, 0)) -> TaxUnits:
    """One federal return of ``year``: wages, taxable plan and IRA distributions, and interest
    (the rest of federal AGI); no Social Security."""
    zero = _one(0.0)
    return TaxUnits(
        tax_year=np.array([year]), filing_status=np.array([MARRIED_JOINT if joint else SINGLE],
                                                          np.int8),
        age_head=_one(ages[0]), age_spouse=_one(ages[1]), blind_head=np.zeros(1, bool),
        blind_spouse=np.zeros(1, bool), lived_apart=np.zeros(1, bool), wages=_one(wages),
        taxable_interest=_one(interest), tax_exempt_interest=zero, ordinary_dividends=zero,
        qualified_dividends=zero, long_term_gains=zero,
        taxable_distributions=_one(distributions), early_distributions=zero,
        social_security=zero, other_income=zero, itemized_deductions=zero)


def _pa_tax(case: dict, year: int, units: TaxUnits, paid: PaidFrom,
            spouse: SpouseIncome | None = None) -> float:
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    ps = PlanState.of(hh, tl)
    assert ps is not None
    t = np.array([int(np.flatnonzero(tl.years == year)[0])])
    return float(ps.tax(t, units, federal_tax(units, LAW), LAW, spouse=spouse, paid=paid)[0])


def test_the_reviewers_2028_row_by_hand():
    """The reviewer's 2028 row: part-year wages $23,639.06, a conversion of $34,932.08 from the
    IRA at 65, $18,309.54 of other income (federal AGI 76,880.68).  The conversion is an IRA
    distribution past 59½: not compensation.  PA tax = 3.07% × (23,639.06 + 18,309.54) =
    3.07% × 41,948.60 = 1,287.82.  Before: 3.07% × 76,880.68 = 2,360.24 (the wages made the
    IRA's distribution compensation)."""
    units = _units(2028, 23_639.06, 34_932.08, 18_309.54)
    tax = _pa_tax(_reviewer_case(), 2028, units, PaidFrom(ira=34_932.08))
    assert tax == pytest.approx(1_287.82, abs=0.01)


def test_a_plan_account_with_wages_is_taxed_beside_an_exempt_ira():
    """The same person with a 401(k) account too, 65 in 2028 and still paid wages of $23,639.06:
    $30,000 from the plan's account (its retirement conditions not met while working) is
    compensation, $20,000 from the IRA past 59½ is not; other income $10,000.  PA tax = 3.07% ×
    (23,639.06 + 30,000 + 10,000) = 3.07% × 63,639.06 = 1,953.72.  Before: the IRA's $20,000
    too, 2,567.72."""
    case = _reviewer_case(accounts={"pretax": 200000, "ira": 600000})
    units = _units(2028, 23_639.06, 50_000.0, 10_000.0)
    tax = _pa_tax(case, 2028, units, PaidFrom(ira=20_000.0))
    assert tax == pytest.approx(1_953.72, abs=0.01)


def test_an_ira_before_59_half_is_taxed_beside_an_exempt_plan_account():
    """One born 1970-03-01, 56 in 2026, left the employer at 55 and earns nothing: the plan
    account's $30,000 is paid after retirement having met the plan's conditions (taken here as
    separation in or after the year of 55, no §72(t) tax) — exempt; the IRA's $20,000 before
    59½ is compensation; other income $10,000.  PA tax = 3.07% × (20,000 + 10,000) = 921.00.
    Before: the IRA owing the §72(t) tax made the person "not retired" for both, 1,842.00."""
    case = _reviewer_case(birth_date="1970-03-01", wages=0, retirement_age=None,
                          separated_at_55=True, accounts={"pretax": 300000, "ira": 200000})
    units = _units(2026, 0.0, 50_000.0, 10_000.0, ages=(56, 0))
    tax = _pa_tax(case, 2026, units, PaidFrom(ira=20_000.0))
    assert tax == pytest.approx(921.00, abs=0.01)


def test_a_working_spouses_ira_past_59_half_is_exempt_and_the_plan_account_is_not():
    """A couple filing jointly in 2028: the head, 68, retired, takes $10,000 from an IRA; the
    spouse, 65, still paid wages of $60,000, takes $15,000 from a 401(k) account and $5,000 from
    an IRA; other income $4,000.  Each spouse's own distributions by their own conditions (61
    Pa. Code §121.15): the head's IRA and the spouse's IRA past 59½ are exempt, the spouse's plan
    account while working is not.  PA tax = 3.07% × (60,000 + 15,000 + 4,000) = 3.07% × 79,000
    = 2,425.30.  Before: 3.07% × 84,000 = 2,578.80 (the spouse's IRA too)."""
    case = {"id": "pa-couple-working", "start_year": 2026, "state": "PA",
            "people": [{"birth_date": "1960-03-01", "life_expectancy": 85,
                        "accounts": {"ira": 500000}},
                       {"birth_date": "1963-03-01", "life_expectancy": 85, "wages": 60000,
                        "retirement_age": 67, "accounts": {"pretax": 200000, "ira": 100000}}],
            "spending": {"annual": 60000}}
    units = _units(2028, 60_000.0, 30_000.0, 4_000.0, joint=True, ages=(68, 65))
    spouse = SpouseIncome(wages=60_000.0, social_security=0.0, distributions=20_000.0,
                          ira=5_000.0)
    tax = _pa_tax(case, 2028, units, PaidFrom(ira=15_000.0), spouse=spouse)
    assert tax == pytest.approx(2_425.30, abs=0.01)


def test_the_reviewers_plan_taxes_only_the_wages_and_other_income_while_working():
    """The whole plan (the optimiser and the simulator price the state tax through the same
    units): every year with wages, the person past 59½ and before Social Security, the state tax
    is 3.07% of the income other than the IRA's withdrawals and conversions, federal AGI less
    them."""
    table = plan_json(make_plan(parse_household(_reviewer_case()), LAW,
                                monte_carlo=False))["table"]
    working = [r for r in table if r["wages"] > 0]
    assert working and all(r["social_security"] == 0 and r["rmd"] == 0 for r in working)
    assert any(r["pretax_withdrawal"] + r["conversion"] > 0 for r in working)
    for r in working:
        other = r["agi"] - r["pretax_withdrawal"] - r["conversion"]
        assert r["state_tax"] == pytest.approx(RATE * other, abs=0.01), r["year"]
