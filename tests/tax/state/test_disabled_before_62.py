"""Georgia's and New Jersey's retirement income exclusions reach a disabled person before 62 —
Georgia's $35,000 (O.C.G.A. §48-7-27(a)(5): 62 or older, or permanently and totally disabled),
New Jersey's pension exclusion (N.J.S.A. 54A:6-10, 6-15: 62 or older, or disabled under the
Social Security Act's criteria). dist401k does not figure either before 62 (docs/state.md):
for a head known disabled and under 62 the unit is not covered (NaN), with a reason — never the
full tax as if no exclusion applied (which was $1,557 in Georgia and $1,637.25 in New Jersey for
a $30,000 payment at 50 beside $40,000 of wages in 2025)."""

from __future__ import annotations

import math

import pytest
from state_cases import one

BASE = {"tax_year": 2025, "filing_status": "single", "age_head": 50, "wages": 40_000,
        "federal_agi": 70_000, "taxable_distributions": 30_000}


@pytest.mark.parametrize("state", ["GA", "NJ"])
def test_a_disabled_head_under_62_is_not_covered(state):
    r = one({**BASE, "state": state}, disabled=1)
    assert math.isnan(r["state_income_tax"])
    assert "STATE_DISABLED_EXCLUSION_NOT_MODELLED" in r["reasons"]


@pytest.mark.parametrize("state", ["GA", "NJ"])
def test_not_disabled_or_62_the_answer_stands(state):
    assert not math.isnan(one({**BASE, "state": state}, disabled=0)["state_income_tax"])
    assert not math.isnan(one({**BASE, "state": state}, disabled=1, age_head=63)[
        "state_income_tax"])


#: A 2024 unit as the reviewer drew it: $40,000 of wages and a $30,000 periodic plan payment
#: after retirement, the federal figures and the income kinds given.
FULL = {"tax_year": 2024, "filing_status": "single", "wages": 40_000, "federal_agi": 70_000,
        "taxable_distributions": 30_000, "periodic_payments": 1,
        "plan_retirement_conditions_met": 1, "federal_taxable_income": 55_400,
        "federal_standard_deduction": 14_600, "taxable_interest": 0, "ordinary_dividends": 0,
        "qualified_dividends": 0, "long_term_gains": 0}


@pytest.mark.parametrize(("state", "age"), [("MD", 50), ("WV", 50)])
def test_maryland_and_west_virginia_disabled_before_65_not_covered(state, age):
    """Md. Tax-Gen. §10-209(b) (65 or totally disabled) and W. Va. Code §11-21-12(c) (65 or
    permanently and totally disabled): not figured before 65, so not covered."""
    r = one({**FULL, "state": state, "age_head": age}, disabled=1)
    assert math.isnan(r["state_income_tax"])
    assert "STATE_DISABLED_EXCLUSION_NOT_MODELLED" in r["reasons"]
    assert not math.isnan(one({**FULL, "state": state, "age_head": age}, disabled=0)[
        "state_income_tax"])


def test_delaware_disabled_under_60_only_where_the_income_tests_pass():
    """30 Del. C. §1106(b)(2): $2,000 to the totally and permanently disabled or one over 60,
    under the earned income and AGI tests: a low income ($9,000 payment, no wages) is not
    covered; $40,000 of wages fails the earned income test, so the answer stands."""
    low = {"tax_year": 2024, "filing_status": "single", "state": "DE", "age_head": 50,
           "federal_agi": 9_000, "taxable_distributions": 9_000, "taxable_interest": 0,
           "ordinary_dividends": 0, "qualified_dividends": 0, "long_term_gains": 0}
    assert math.isnan(one(low, disabled=1)["state_income_tax"])
    assert not math.isnan(one({**FULL, "state": "DE", "age_head": 50}, disabled=1)[
        "state_income_tax"])


@pytest.mark.parametrize("state", ["CO", "NY", "SC"])
def test_a_survivor_under_the_states_age_is_not_covered(state):
    """Colorado's $20,000 for a secondary beneficiary under 55 (C.R.S. §39-22-104(4)(f)), New
    York's decedent's pension exclusion at any age (Tax Law §612(c)(3-a)), South Carolina's
    surviving spouse's deduction (S.C. Code §12-6-1170(A)(3)): not figured, so a survivor's
    payment under the state's age is not covered — never taxed as if it were the head's own."""
    unit = {**FULL, "state": state, "age_head": 45}
    r = one(unit, survivor_distributions=30_000, deceased_age=70)
    assert math.isnan(r["state_income_tax"])
    assert "STATE_SURVIVOR_EXCLUSION_NOT_MODELLED" in r["reasons"]
    assert not math.isnan(one(unit, survivor_distributions=0, deceased_age=70)[
        "state_income_tax"])


def test_south_carolina_survivor_at_70_is_not_covered_either():
    """§12-6-1170(B): the $15,000 from 65 is not reduced by what a surviving spouse deducts as
    such, so a survivor's part at 70 would add to it: not figured, not covered."""
    unit = {**FULL, "state": "SC", "age_head": 70}
    r = one(unit, survivor_distributions=30_000, deceased_age=75)
    assert math.isnan(r["state_income_tax"])
    assert not math.isnan(one(unit, survivor_distributions=0, deceased_age=75)["state_income_tax"])
