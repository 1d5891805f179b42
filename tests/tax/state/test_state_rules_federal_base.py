"""The states that start from federal taxable income or use the federal standard deduction, on
hand-worked examples from their own forms and statutes.

Every figure below is worked by hand from the law file's amounts (cited there), the federal
figures too (2024: standard deduction $14,600 single, $29,200 joint, $1,950 / $1,550 more from
65; 2025: $15,750 / $31,500, $2,000 / $1,600 more, the $6,000 senior deduction of Schedule 1-A):
the tax is re-derived here line by line, not read back from the engine.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    """The state tax of one unit (a batch of one)."""
    cols = {"tax_year": 2024, "filing_status": "single", "age_head": 50}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


# -- Colorado --------------------------------------------------------------------------------
# DR 0104 by hand: line 1 federal taxable income; line 2 additions (the federal standard
# deduction beyond $12,000 / $16,000 from federal AGI of $300,000); DR 0104AD subtractions;
# 4.25% (2024), 4.40% (2025).

RETIRED = dict(periodic_payments=True, plan_retirement_conditions_met=True)


def test_colorado_65_subtracts_social_security_and_pension_up_to_24000():
    # 2024, single, 67: $40,000 of periodic payments, $10,000 taxable Social Security.
    # Federal AGI 50,000; standard deduction 14,600 + 1,950 = 16,550; line 1: 33,450.
    # DR 0104AD: Social Security 10,000; pension min(40,000, 24,000 − 10,000) = 14,000.
    # Line 11: 33,450 − 24,000 = 9,450; tax 4.25%.
    r = one(state="CO", age_head=67, federal_agi=50_000, taxable_distributions=40_000,
            social_security=20_000, taxable_social_security=10_000,
            federal_taxable_income=33_450, federal_standard_deduction=16_550, **RETIRED)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 9_450)
    assert r["reasons"]["STATE_CO_PENSION_SUBTRACTION"] and not r["state_unconfirmed"]


def test_colorado_55_to_64_up_to_20000():
    # 2024, single, 60: $50,000 of periodic payments; line 1: 50,000 − 14,600 = 35,400;
    # subtraction 20,000; line 11 15,400.
    r = one(state="CO", age_head=60, federal_agi=50_000, taxable_distributions=50_000,
            federal_taxable_income=35_400, federal_standard_deduction=14_600, **RETIRED)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 15_400)


def test_colorado_taxes_a_lump_sum_and_anything_before_55():
    # A lump sum from the plan is not a pension (Rule 39-22-104(4)(f)(1)): 4.25% × 35,400.
    r = one(state="CO", age_head=60, federal_agi=50_000, taxable_distributions=50_000,
            federal_taxable_income=35_400, federal_standard_deduction=14_600,
            plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 35_400)
    assert r["reasons"]["STATE_CO_LUMP_SUM_NOT_PENSION"]
    # At 52, early and periodic: no subtraction before 55; no Colorado additional tax.
    r = one(state="CO", age_head=52, federal_agi=50_000, taxable_distributions=50_000,
            early_distributions=50_000, periodic_payments=True,
            federal_taxable_income=35_400, federal_standard_deduction=14_600)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 35_400)
    assert r["state_additional_tax"] == 0


def test_colorado_a_pension_beside_a_lump_sum_is_subtracted():
    # 2024, single, 60: a $15,000 pension (periodic_distributions) and a $35,000 lump sum from
    # the plan; line 1 35,400; the pension subtracted (under the $20,000 limit), the lump sum
    # not: 4.25% × 20,400.  Before the periodic part could be given, nothing was subtracted.
    r = one(state="CO", age_head=60, federal_agi=50_000, taxable_distributions=50_000,
            periodic_distributions=15_000, federal_taxable_income=35_400,
            federal_standard_deduction=14_600, plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 20_400)
    assert r["reasons"]["STATE_CO_LUMP_SUM_NOT_PENSION"]
    # All of it the pension: nothing is a lump sum, and 20,000 of it is subtracted.
    r = one(state="CO", age_head=60, federal_agi=50_000, taxable_distributions=50_000,
            periodic_distributions=50_000, federal_taxable_income=35_400,
            federal_standard_deduction=14_600, plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 15_400)
    assert not r["reasons"]["STATE_CO_LUMP_SUM_NOT_PENSION"]


def test_colorado_social_security_from_55_whole_within_the_2025_agi_limit():
    # 2025, single, 63: $35,000 wages, $25,000 taxable Social Security; federal AGI 60,000
    # (within $75,000): all 25,000 subtracted. Line 1: 60,000 − 15,750 = 44,250; 19,250 × 4.40%.
    base = dict(state="CO", age_head=63, federal_agi=60_000, wages=35_000,
                social_security=30_000, taxable_social_security=25_000)
    r = one(**base, tax_year=2025, federal_taxable_income=44_250, federal_standard_deduction=15_750)
    assert r["state_income_tax"] == pytest.approx(0.044 * 19_250)
    # 2024: capped at 20,000. Line 1: 60,000 − 14,600 = 45,400; 25,400 × 4.25%.
    r = one(**base, tax_year=2024, federal_taxable_income=45_400, federal_standard_deduction=14_600)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 25_400)


def test_colorado_adds_back_the_standard_deduction_from_300000():
    # 2024, single, 50: $350,000 wages; line 1: 335,400; addition 14,600 − 12,000 = 2,600.
    r = one(state="CO", age_head=50, federal_agi=350_000, wages=350_000,
            federal_taxable_income=335_400, federal_standard_deduction=14_600)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 338_000)
    # Joint, $299,999: below the threshold, nothing added back.
    r = one(state="CO", filing_status="married_joint", age_head=50, age_spouse=50,
            federal_agi=299_999, wages=299_999, federal_taxable_income=299_999 - 29_200,
            federal_standard_deduction=29_200)
    assert r["state_income_tax"] == pytest.approx(0.0425 * (299_999 - 29_200))


def test_colorado_joint_social_security_split_only_where_it_matters():
    # 2024, joint, 70 and 68: $10,000 periodic payments, $8,000 taxable Social Security: all
    # of it and all the pension are subtracted whoever gets it (18,000 ≤ 24,000).
    base = dict(state="CO", filing_status="married_joint", age_head=70, age_spouse=68,
                social_security=20_000, taxable_social_security=8_000, **RETIRED)
    # Federal: AGI 18,000; standard deduction 29,200 + 2 × 1,550: line 1 zero.
    r = one(**base, federal_agi=18_000, taxable_distributions=10_000,
            federal_taxable_income=0, federal_standard_deduction=32_300)
    assert r["state_income_tax"] == 0
    # $30,000 of pension: if the Social Security is the head's, 16,000 of pension; if the
    # spouse's, 24,000: not covered.
    r = one(**base, federal_agi=38_000, taxable_distributions=30_000,
            federal_taxable_income=5_700, federal_standard_deduction=32_300)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_CO_SOCIAL_SECURITY_NOT_SPLIT"]
    # A spouse under 55: only survivors' benefits count then, so whose it is decides.
    r = one(**dict(base, age_spouse=50), federal_agi=18_000, taxable_distributions=10_000,
            federal_taxable_income=0, federal_standard_deduction=30_750)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_CO_SOCIAL_SECURITY_UNDER_55"]


def test_colorado_an_iras_distribution_qualifies_periodic_or_not_but_not_its_premature_part():
    # Rule 39-22-104(4)(f)(1)(c)(i): an IRA's distributions qualify though not periodic.
    # 2024, single, 60: the same $50,000 as above from an IRA: 20,000 subtracted, 15,400 taxed.
    base = dict(state="CO", age_head=60, federal_agi=50_000, taxable_distributions=50_000,
                federal_taxable_income=35_400, federal_standard_deduction=14_600,
                plan_retirement_conditions_met=True)
    r = one(**base, ira_distributions=50_000)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 15_400)
    assert not r["reasons"]["STATE_CO_LUMP_SUM_NOT_PENSION"]
    # At 57, $40,000 of it premature (the federal 10% tax; FYI Income 25): 10,000 qualifies;
    # line 1 35,400 − 10,000 = 25,400.
    r = one(**dict(base, age_head=57), ira_distributions=50_000, early_distributions=40_000)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 25_400)
    # $30,000 from the IRA and $20,000 from the plan (a lump sum), $15,000 premature: if the
    # premature part is the plan's, 30,000 of IRA money qualifies (20,000 subtracted); if the
    # IRA's, 15,000: not covered.  With $5,000 premature, at least 25,000: 20,000 either way.
    r = one(**dict(base, age_head=57), ira_distributions=30_000, early_distributions=15_000)
    assert np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_CO_PREMATURE_SOURCE_NOT_KNOWN"]
    r = one(**dict(base, age_head=57), ira_distributions=30_000, early_distributions=5_000)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 15_400)
    # The IRA's premature part given: $15,000 of the IRA's (15,000 qualifies; 20,400 taxed),
    # or none (the plan's: 30,000 qualifies, 20,000 subtracted).
    early = dict(base, age_head=57, ira_distributions=30_000, early_distributions=15_000)
    r = one(**early, ira_early_distributions=15_000)
    assert r["state_income_tax"] == pytest.approx(0.0425 * 20_400)
    assert one(**early, ira_early_distributions=0)["state_income_tax"] == pytest.approx(
        0.0425 * 15_400)


def test_colorado_each_spouse_subtracts_their_own():
    # 2024, joint, 70 and 60, the same as the unsplit case above that is not covered: $30,000 of
    # periodic payments ($10,000 the spouse's) and $8,000 taxable of $20,000 Social Security,
    # all the head's: the head subtracts 8,000 + min(20,000, 24,000 − 8,000) = 24,000, the
    # spouse (55 to 64) 10,000.  Line 1 5,700 less 34,000: nothing taxed.  The Social Security
    # the spouse's instead: the head 20,000 of pension; the spouse 8,000 + min(10,000,
    # 20,000 − 8,000) = 18,000.
    base = dict(state="CO", filing_status="married_joint", age_head=70, age_spouse=60,
                social_security=20_000, taxable_social_security=8_000, federal_agi=38_000,
                taxable_distributions=30_000, federal_taxable_income=7_250,
                federal_standard_deduction=30_750, spouse_distributions=10_000, spouse_wages=0,
                spouse_other_income=0, **RETIRED)
    r = one(**base, spouse_social_security=0)
    assert r["state_income_tax"] == 0 and r["reasons"]["STATE_CO_PENSION_SUBTRACTION"]
    # With $60,000 of the head's periodic payments more (federal AGI 98,000, line 1 67,250):
    # the head 24,000 in all, the spouse 10,000: 33,250 taxed; the Social Security the
    # spouse's: 24,000 and 18,000: 25,250 taxed.
    more = dict(base, federal_agi=98_000, taxable_distributions=90_000,
                federal_taxable_income=67_250)
    assert one(**more, spouse_social_security=0)["state_income_tax"] == pytest.approx(
        0.0425 * 33_250)
    assert one(**more, spouse_social_security=20_000)["state_income_tax"] == pytest.approx(
        0.0425 * 25_250)


def test_colorado_what_it_does_not_guess():
    base = dict(state="CO", age_head=60, federal_agi=50_000, taxable_distributions=50_000)
    # No federal figures given.
    r = one(**base, **RETIRED)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_FEDERAL_FIGURES_NOT_GIVEN"]
    # A federal itemizer: the state income tax added back is not an input.
    r = one(**base, federal_taxable_income=30_000, federal_standard_deduction=0, **RETIRED)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_CO_ITEMIZER_NOT_MODELLED"]
    # Periodic payments before the plan's retirement conditions: retired or not is unknown.
    r = one(**base, federal_taxable_income=35_400, federal_standard_deduction=14_600,
            periodic_payments=True)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_CO_RETIREMENT_NOT_KNOWN"]


# -- Utah ------------------------------------------------------------------------------------
# TC-40 by hand: line 9 Utah taxable income = federal AGI; line 10 tax 4.55% (2024), 4.5% (2025);
# lines 12–20 taxpayer credit 6% of the federal standard deduction less 1.3% of line 9 above
# $17,652 single / $35,304 joint (2024); TC-40A retirement credit $450 a person born before 1953,
# or the Social Security credit (rate × taxable SS), each less 2.5% of modified AGI above its
# threshold.

def test_utah_taxpayer_credit_and_an_early_distribution():
    # 2024, single, 50: $40,000 early distribution. Tax 0.0455 × 40,000 = 1,820; credit
    # 0.06 × 14,600 = 876 less 0.013 × (40,000 − 17,652) = 290.524: 585.476.
    r = one(state="UT", federal_agi=40_000, taxable_distributions=40_000,
            early_distributions=40_000, federal_standard_deduction=14_600)
    assert r["state_income_tax"] == pytest.approx(1_820 - (876 - 290.524))
    assert r["state_additional_tax"] == 0


def test_utah_social_security_credit_against_the_retirement_credit():
    # 2024, single, 70 (born 1954: no retirement credit): $30,000 distribution, $20,000 SS of
    # which $6,000 taxable; AGI 36,000. Tax 1,638; credit 0.06 × 16,550 = 993 less
    # 0.013 × 18,348 = 238.524 → 754.476; line 22: 883.524. SS credit 0.0455 × 6,000 = 273
    # (AGI under $45,000): 610.524.
    r = one(state="UT", age_head=70, federal_agi=36_000, taxable_distributions=30_000,
            social_security=20_000, taxable_social_security=6_000, federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(1_638 - 754.476 - 273)
    assert r["reasons"]["STATE_UT_SOCIAL_SECURITY_CREDIT"]
    # At 75 (born 1949) the retirement credit is 450 − 0.025 × (36,000 − 25,000) = 175,
    # less than the SS credit: the SS credit still.
    r = one(state="UT", age_head=75, federal_agi=36_000, taxable_distributions=30_000,
            social_security=20_000, taxable_social_security=6_000, federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(1_638 - 754.476 - 273)
    # Without Social Security: the retirement credit, 175.
    r = one(state="UT", age_head=75, federal_agi=36_000, taxable_distributions=36_000,
            federal_standard_deduction=16_550)
    assert r["state_income_tax"] == pytest.approx(1_638 - 754.476 - 175)
    assert r["reasons"]["STATE_UT_RETIREMENT_CREDIT"]


def test_utah_joint_retirement_credit_2025_and_the_exemption():
    # 2025, joint, 80 and 78: $60,000 distributions. Tax 0.045 × 60,000 = 2,700; credit
    # 0.06 × (31,500 + 2 × 1,600) = 2,082 less 0.013 × (60,000 − 36,426) = 306.462 →
    # 1,775.538; retirement credit 900 − 0.025 × 28,000 = 200.
    r = one(state="UT", tax_year=2025, filing_status="married_joint", age_head=80, age_spouse=78,
            federal_agi=60_000, taxable_distributions=60_000, federal_standard_deduction=34_700)
    assert r["state_income_tax"] == pytest.approx(2_700 - 1_775.538 - 200)
    # Federal AGI at most the basic standard deduction ($31,500): no Utah tax.
    r = one(state="UT", tax_year=2025, filing_status="married_joint", age_head=80, age_spouse=78,
            federal_agi=31_500, taxable_distributions=31_500, federal_standard_deduction=34_700)
    assert r["state_income_tax"] == 0 and r["reasons"]["STATE_UT_EXEMPT"]


def test_utah_what_it_does_not_guess():
    r = one(state="UT", federal_agi=40_000, taxable_distributions=40_000)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_FEDERAL_FIGURES_NOT_GIVEN"]
    r = one(state="UT", federal_agi=40_000, taxable_distributions=40_000,
            federal_standard_deduction=0)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_UT_ITEMIZER_NOT_MODELLED"]


# -- Idaho -----------------------------------------------------------------------------------
# Form 40 by hand: federal AGI less taxable Social Security; the federal standard deduction (from
# 2025 with the Schedule 1-A senior deduction); 0% to $4,673 single / $9,346 joint (2024),
# $4,811 / $9,622 (2025); 5.695% (2024), 5.3% (2025) above.

def test_idaho_exempts_social_security_and_taxes_an_early_distribution():
    # 2024, single, 50: $60,000 early distribution; 60,000 − 14,600 = 45,400; 45,400 − 4,673.
    r = one(state="ID", federal_agi=60_000, taxable_distributions=60_000,
            early_distributions=60_000, federal_taxable_income=45_400,
            federal_standard_deduction=14_600)
    assert r["state_income_tax"] == pytest.approx(0.05695 * (45_400 - 4_673))
    assert r["state_additional_tax"] == 0
    # 2024, joint, 70 and 68: $80,000 distributions, $30,000 SS ($25,500 taxable); AGI 105,500;
    # deduction 29,200 + 2 × 1,550 = 32,300; Idaho: 105,500 − 25,500 − 32,300 = 47,700.
    r = one(state="ID", filing_status="married_joint", age_head=70, age_spouse=68,
            federal_agi=105_500, taxable_distributions=80_000, social_security=30_000,
            taxable_social_security=25_500, federal_taxable_income=73_200,
            federal_standard_deduction=32_300)
    assert r["state_income_tax"] == pytest.approx(0.05695 * (47_700 - 9_346))
    assert r["reasons"]["STATE_SOCIAL_SECURITY_EXEMPT"]


def test_idaho_2025_follows_the_federal_senior_deduction():
    # 2025, single, 67: $50,000 distribution; standard deduction 15,750 + 2,000 = 17,750; senior
    # deduction 6,000: federal taxable income 26,250; Idaho the same; 5.3% above 4,811.
    r = one(state="ID", tax_year=2025, age_head=67, federal_agi=50_000,
            taxable_distributions=50_000, federal_taxable_income=26_250,
            federal_standard_deduction=17_750)
    assert r["state_income_tax"] == pytest.approx(0.053 * (26_250 - 4_811))
    assert r["state_unconfirmed"]  # the 2025 conformity is flagged


def test_idaho_what_it_does_not_guess():
    base = dict(state="ID", age_head=66, federal_agi=50_000, taxable_distributions=50_000)
    r = one(**base, governmental_plan=True, federal_taxable_income=33_450,
            federal_standard_deduction=16_550)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_ID_PUBLIC_PENSION_NOT_MODELLED"]
    r = one(**base, federal_taxable_income=20_000, federal_standard_deduction=0)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_ID_ITEMIZER_NOT_MODELLED"]
    r = one(**base)
    assert np.isnan(r["state_income_tax"]) and r["reasons"]["STATE_FEDERAL_FIGURES_NOT_GIVEN"]
