"""A joint return's split by spouse read as each spouse's own: Michigan and Hawaii judge each
spouse's distribution by that spouse's own retirement (``spouse_plan_retirement_conditions_met``,
the head's when absent), as Pennsylvania and Mississippi do; a split given in part (the spouse's
distributions without ``spouse_wages`` where the return has no wages) is the split, never all
the head's; where the part not given could change the answer, the unit is not covered.  Each
figure is worked by hand from the law files' amounts."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import one

from dist401k.tax.state.units import STATE_CODES

#: A joint 2025 return: the head 58 and not retired, the spouse 66 and retired under the plan,
#: the 50,000 paid all the spouse's (a 403(b): all of it employer money).
MI_SPOUSE_RETIRED = {"state": "MI", "tax_year": 2025, "filing_status": "married_joint",
                     "age_head": 58, "age_spouse": 66, "federal_agi": 50_000,
                     "taxable_distributions": 50_000, "spouse_distributions": 50_000,
                     "employer_attributable_distributions": 50_000, "spouse_wages": 0,
                     "spouse_other_income": 0, "spouse_social_security": 0,
                     "plan_retirement_conditions_met": False,
                     "spouse_plan_retirement_conditions_met": True}


def test_michigan_judges_the_spouses_distribution_by_the_spouses_retirement():
    # The spouse (born 1959) retired under the plan (MCL 206.30(1)(f): the benefit is the
    # retired employee's): 75% of 131,794 = 98,845.50 covers the 50,000; 50,000 − 50,000 −
    # 2 × 5,800 leaves nothing taxable.
    r = one(MI_SPOUSE_RETIRED)
    assert r["state_covered"] and r["state_income_tax"] == 0
    assert "STATE_MI_RETIREMENT_SUBTRACTION" in r["reasons"]
    # The spouse's flag not given: the head's, as before the column: premature, all taxed:
    # 4.25% × (50,000 − 11,600) = 1,632.
    without = {k: v for k, v in MI_SPOUSE_RETIRED.items()
               if k != "spouse_plan_retirement_conditions_met"}
    assert one(without)["state_income_tax"] == pytest.approx(1_632.0, abs=0.005)


def test_michigan_a_spouses_premature_distribution_is_not_subtracted():
    # The head 66 and retired, the spouse 50 and not: the 40,000 paid is all the spouse's,
    # premature, whatever its source: 4.25% × (40,000 − 11,600) = 1,207.
    r = one(MI_SPOUSE_RETIRED, age_head=66, age_spouse=50, federal_agi=40_000,
            taxable_distributions=40_000, early_distributions=40_000,
            spouse_distributions=40_000, spouse_early_distributions=40_000,
            employer_attributable_distributions=40_000, plan_retirement_conditions_met=True,
            spouse_plan_retirement_conditions_met=False)
    assert r["state_income_tax"] == pytest.approx(1_207.0, abs=0.005)
    assert "STATE_MI_PREMATURE_TAXABLE" in r["reasons"]


def test_michigan_a_spouses_governmental_plan_at_the_spouses_age():
    # The spouse, 62 (born 1963, within 2025's window), retired from a governmental plan: it
    # qualifies from 60 by the spouse's own age, the head being 58: nothing taxable.
    r = one(MI_SPOUSE_RETIRED, age_spouse=62, governmental_plan=True,
            employer_attributable_distributions=0)
    assert r["state_covered"] and r["state_income_tax"] == 0


@pytest.mark.parametrize("employer, tax", [(10_000, None), (50_000, 357.0), (0, 1_632.0)])
def test_michigan_the_employer_part_of_both_spouses_distributions(employer, tax):
    # The head 66 and retired takes 30,000, the spouse 60 and not retired 20,000; the employer
    # part is one figure for both.  10,000 of it may lie anywhere from none to all in the
    # head's: not figured.  50,000 (all employer money): the head's 30,000 qualifies:
    # 4.25% × (50,000 − 30,000 − 11,600) = 357.  None: 4.25% × 38,400 = 1,632.
    r = one(MI_SPOUSE_RETIRED, age_head=66, age_spouse=60, spouse_distributions=20_000,
            employer_attributable_distributions=employer, plan_retirement_conditions_met=True,
            spouse_plan_retirement_conditions_met=False)
    if tax is None:
        assert not r["state_covered"] and np.isnan(r["state_income_tax"])
        assert "STATE_MI_QUALIFYING_PART_NOT_GIVEN" in r["reasons"]
    else:
        assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)


def test_michigan_an_unknown_employer_part_that_cannot_change_the_deduction():
    # 2025, 75 and 70 (born 1950: tier 2): the head retired takes 10,000, the spouse not
    # retired 10,000 and earns 60,000.  The subtraction is 0 to 10,000 as the 10,000 of
    # employer money lies, the $40,000 standard deduction more either way:
    # 4.25% × (80,000 − 40,000 − 11,600) = 1,207.
    r = one(MI_SPOUSE_RETIRED, age_head=75, age_spouse=70, federal_agi=80_000, wages=60_000,
            spouse_wages=60_000, taxable_distributions=20_000, spouse_distributions=10_000,
            employer_attributable_distributions=10_000, plan_retirement_conditions_met=True,
            spouse_plan_retirement_conditions_met=False)
    assert r["state_income_tax"] == pytest.approx(1_207.0, abs=0.005)
    assert "STATE_MI_STANDARD_DEDUCTION" in r["reasons"]


#: Hawaii 2025, joint: standard deduction 8,800, exemptions 1,144 (one more from 65), the
#: joint schedule 1.4% to 19,200, 3.2% to 28,800, 5.5% to 38,400.
HI_SPOUSE_RETIRED = dict(MI_SPOUSE_RETIRED, state="HI")


def test_hawaii_exempts_the_spouses_employer_part_paid_after_the_spouses_retirement():
    # Hawaii AGI 50,000 − 50,000: nothing taxable.
    r = one(HI_SPOUSE_RETIRED)
    assert r["state_covered"] and r["state_income_tax"] == 0
    assert "STATE_HI_PENSION_EXCLUSION" in r["reasons"]


def test_hawaii_taxes_the_spouses_distribution_before_the_spouses_retirement():
    # The head 66 and retired, the spouse 50 and not, the 40,000 all the spouse's: taxed.
    # 40,000 − 8,800 − 3 × 1,144 = 27,768: 1.4% × 19,200 + 3.2% × 8,568 = 542.976.
    r = one(HI_SPOUSE_RETIRED, age_head=66, age_spouse=50, federal_agi=40_000,
            taxable_distributions=40_000, spouse_distributions=40_000,
            employer_attributable_distributions=40_000, plan_retirement_conditions_met=True,
            spouse_plan_retirement_conditions_met=False)
    assert r["state_income_tax"] == pytest.approx(542.976, abs=0.005)
    assert "STATE_HI_DISTRIBUTION_TAXED" in r["reasons"]


@pytest.mark.parametrize("employer, tax", [(10_000, None), (50_000, 108.752), (0, 1_069.24)])
def test_hawaii_the_employer_part_of_both_spouses_distributions(employer, tax):
    # The head 66 and retired takes 30,000, the spouse 50 and not retired 20,000.  10,000 of
    # employer money may lie anywhere from none to all in the head's: not figured.  50,000:
    # the head's 30,000 exempt: 20,000 − 8,800 − 3,432 = 7,768 at 1.4% = 108.752.  None:
    # 37,768: 268.80 + 307.20 + 5.5% × 8,968 = 1,069.24.
    r = one(HI_SPOUSE_RETIRED, age_head=66, age_spouse=50, spouse_distributions=20_000,
            employer_attributable_distributions=employer, plan_retirement_conditions_met=True,
            spouse_plan_retirement_conditions_met=False)
    if tax is None:
        assert not r["state_covered"] and np.isnan(r["state_income_tax"])
        assert "STATE_HI_EMPLOYER_PART_NOT_GIVEN" in r["reasons"]
    else:
        assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)


def test_hawaii_each_spouses_early_part_is_that_spouses():
    # Both retired: the head, 60, takes 30,000, none early; the spouse, 50, 20,000, all early.
    # The head's 30,000 of the 50,000 of employer money is exempt (the spouse's early 20,000
    # holds the rest): 20,000 − 8,800 − 2,288 = 8,912 at 1.4% = 124.768.
    r = one(HI_SPOUSE_RETIRED, age_head=60, age_spouse=50, early_distributions=20_000,
            spouse_distributions=20_000, spouse_early_distributions=20_000,
            plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == pytest.approx(124.768, abs=0.005)
    # Whose the early part is not given: not figured.
    r = one({k: v for k, v in HI_SPOUSE_RETIRED.items()
             if k != "spouse_plan_retirement_conditions_met"}, age_head=60, age_spouse=50,
            early_distributions=20_000, spouse_distributions=20_000,
            plan_retirement_conditions_met=True)
    assert np.isnan(r["state_income_tax"]) and "STATE_HI_PARTLY_EARLY_NOT_MODELLED" in r["reasons"]


#: West Virginia 2025, joint, 70 and 68: the head's plan pays 50,000, the spouse's 10,000; no
#: wages, no other income, no Social Security.
WV_COUPLE = {"state": "WV", "tax_year": 2025, "filing_status": "married_joint", "age_head": 70,
             "age_spouse": 68, "federal_agi": 60_000, "taxable_distributions": 60_000,
             "spouse_distributions": 10_000, "social_security": 0, "spouse_social_security": 0}


def test_west_virginia_each_spouses_senior_modification_without_spouse_wages():
    # §11-21-12(c)(9): 8,000 of the head's 50,000 and 8,000 of the spouse's 10,000; WV AGI
    # 44,000 less two 2,000 exemptions: 40,000: 2.22% × 10,000 + 2.96% × 15,000 + 3.33% ×
    # 15,000 = 1,165.50.  The household has no wages or other income: nothing of them to split.
    r = one(WV_COUPLE)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(1_165.50, abs=0.005)
    assert one(WV_COUPLE, spouse_wages=0, spouse_other_income=0)["state_income_tax"] == \
        pytest.approx(1_165.50, abs=0.005)


def test_west_virginia_wages_not_split_where_they_decide_a_modification():
    # The head 70, the spouse 60: the 10,000 paid is the spouse's, and 20,000 of wages whose
    # split is not given: the head's own income is 0 to 20,000: not figured.
    r = one(WV_COUPLE, age_spouse=60, federal_agi=30_000, wages=20_000,
            taxable_distributions=10_000)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert "STATE_WV_SENIOR_MODIFICATION_NOT_SPLIT" in r["reasons"]
    # The head's own 50,000 gives the whole 8,000 whoever earns the wages: 80,000 − 8,000 −
    # 4,000 = 68,000: 1,165.50 + 4.44% × 20,000 + 4.82% × 8,000 = 2,439.10.
    r = one(WV_COUPLE, age_spouse=60, federal_agi=80_000, wages=20_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(2_439.10, abs=0.005)
    # A 45,000 loss besides, whose split is not given: if the head's, the head keeps 5,000 of
    # own income: not figured.  A 40,000 loss leaves the head 10,000 at the least: 8,000 off,
    # 40,000 − 8,000 − 4,000 = 28,000: 222 + 444 + 3.33% × 3,000 = 765.90.
    r = one(WV_COUPLE, age_spouse=60, federal_agi=35_000, wages=20_000)
    assert np.isnan(r["state_income_tax"]) and "STATE_WV_SENIOR_MODIFICATION_NOT_SPLIT" in r["reasons"]
    r = one(WV_COUPLE, age_spouse=60, federal_agi=40_000, wages=20_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(765.90, abs=0.005)


#: A joint 2025 return, both past every state's retirement age, no wages and no other income:
#: 50,000 from the head's plan, 20,000 from the spouse's, 20,000 of Social Security (5,000 the
#: spouse's, 10,000 taxable); every federal figure and income kind given.
COUPLE = {"tax_year": 2025, "filing_status": "married_joint", "age_head": 70, "age_spouse": 68,
          "federal_agi": 80_000, "taxable_distributions": 70_000, "social_security": 20_000,
          "taxable_social_security": 10_000, "plan_retirement_conditions_met": True,
          "employer_attributable_distributions": 70_000, "federal_taxable_income": 46_800,
          "federal_standard_deduction": 33_200, "federal_income_tax": 5_000,
          "federal_net_investment_income_tax": 0, "taxable_interest": 0,
          "ordinary_dividends": 0, "qualified_dividends": 0, "long_term_gains": 0,
          "spouse_distributions": 20_000, "spouse_social_security": 5_000}


@pytest.mark.parametrize("state", STATE_CODES)
def test_a_part_not_given_of_an_income_the_return_has_none_of_is_none(state):
    """Every state answers as with ``spouse_wages``, ``spouse_other_income`` and
    ``spouse_early_distributions`` given as zero: the given spouse's distributions stay the
    spouse's (never all the head's)."""
    partly = one({**COUPLE, "state": state})
    whole = one({**COUPLE, "state": state}, spouse_wages=0, spouse_other_income=0,
                spouse_early_distributions=0)
    assert np.isclose(partly["state_income_tax"], whole["state_income_tax"], equal_nan=True)
    assert partly["state_covered"] == whole["state_covered"]
