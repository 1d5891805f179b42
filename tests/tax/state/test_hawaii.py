"""Hawaii (Form N-11) on hand-worked cases: each figure worked line by line from the law
files' amounts (HRS §235-51 schedules as amended by Act 46 (2024), §235-2.4 standard deduction,
§235-54 exemptions, §235-7(a)(3) and HAR §18-235-7-03 pension exclusion)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from state_cases import batch_matches_units
from state_cases import state_unit as one_unit

one = partial(one_unit, "HI")


def test_retiree_employer_part_exempt_social_security_exempt_2024():
    # 2024, single, 70, retired under the plan: a 50,000 distribution of which 30,000 is
    # attributable to the employer's contributions (exempt) and 20,000 to elective deferrals
    # (taxed); 10,000 taxable Social Security (exempt).  Federal AGI 60,000; Hawaii AGI 20,000;
    # less 4,400 and two exemptions (one for 65) of 1,144: 13,312.  2024 single schedule:
    # 1.4% x 2,400 + 3.2% x 2,400 + 5.5% x 4,800 + 6.4% x 3,712 = 611.97.
    r = one(age_head=70, federal_agi=60_000, taxable_distributions=50_000,
            employer_attributable_distributions=30_000, plan_retirement_conditions_met=True,
            social_security=20_000, taxable_social_security=10_000)
    tax = 0.014 * 2_400 + 0.032 * 2_400 + 0.055 * 4_800 + 0.064 * 3_712
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)
    assert {"STATE_HI_PENSION_EXCLUSION", "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]


def test_2025_wider_brackets():
    # 2025, single, 50, wages 60,000: 60,000 - 4,400 - 1,144 = 54,456 on the Act 46 schedule:
    # 1.4% x 9,600 + 3.2% x 4,800 + 5.5% x 4,800 + 6.4% x 4,800 + 6.8% x 12,000 + 7.2% x 12,000
    # + 7.6% x 6,456 = 3,029.86.
    r = one(tax_year=2025, federal_agi=60_000, wages=60_000)
    tax = (0.014 * 9_600 + 0.032 * 4_800 + 0.055 * 4_800 + 0.064 * 4_800 + 0.068 * 12_000
           + 0.072 * 12_000 + 0.076 * 6_456)
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)


def test_early_distribution_taxed_whole_no_additional_tax():
    # 2026, single, 45: a 40,000 early distribution, the employer's money all of it: not a
    # pension for past services: 40,000 - 8,000 - 1,144 = 30,856:
    # 134.40 + 153.60 + 264.00 + 307.20 + 6.8% x 6,856 = 1,325.41.
    for retired in (False, True):
        r = one(tax_year=2026, age_head=45, federal_agi=40_000, taxable_distributions=40_000,
                early_distributions=40_000, employer_attributable_distributions=40_000,
                plan_retirement_conditions_met=retired)
        tax = 0.014 * 9_600 + 0.032 * 4_800 + 0.055 * 4_800 + 0.064 * 4_800 + 0.068 * 6_856
        assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)
        assert r["state_additional_tax"] == 0
        assert "STATE_HI_DISTRIBUTION_TAXED" in r["reasons"]


def test_joint_2026_standard_deduction_and_aged_exemptions():
    # 2026, joint, both 66: a 100,000 retirement distribution, 40,000 of it the employer's;
    # 30,000 of interest.  Federal AGI 130,000; Hawaii AGI 90,000; less 16,000 and four
    # exemptions (4,576): 69,424 on the joint schedule: 1.4% x 19,200 + 3.2% x 9,600
    # + 5.5% x 9,600 + 6.4% x 9,600 + 6.8% x 21,424 = 3,175.23.
    r = one(tax_year=2026, filing_status="married_joint", age_head=66, age_spouse=66,
            federal_agi=130_000, taxable_distributions=100_000,
            employer_attributable_distributions=40_000, plan_retirement_conditions_met=True)
    tax = 0.014 * 19_200 + 0.032 * 9_600 + 0.055 * 9_600 + 0.064 * 9_600 + 0.068 * 21_424
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)


def test_what_is_not_known_is_not_guessed():
    # A retirement distribution without its employer part: unknown.
    r = one(age_head=70, federal_agi=50_000, taxable_distributions=50_000,
            plan_retirement_conditions_met=True)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert "STATE_HI_EMPLOYER_PART_NOT_GIVEN" in r["reasons"]
    # Not retired: the employer part does not matter, the whole is taxed.
    assert one(age_head=60, federal_agi=50_000, taxable_distributions=50_000)["state_covered"]
    # A governmental plan's.
    r = one(age_head=70, federal_agi=50_000, taxable_distributions=50_000, governmental_plan=True,
            plan_retirement_conditions_met=True, employer_attributable_distributions=50_000)
    assert not r["state_covered"] and "STATE_HI_PUBLIC_PENSION_NOT_MODELLED" in r["reasons"]
    # Partly early.
    r = one(age_head=56, federal_agi=50_000, taxable_distributions=50_000, early_distributions=10_000,
            plan_retirement_conditions_met=True, employer_attributable_distributions=20_000)
    assert not r["state_covered"] and "STATE_HI_PARTLY_EARLY_NOT_MODELLED" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    assert batch_matches_units("HI", [
        dict(age_head=70, federal_agi=60_000, taxable_distributions=50_000,
             employer_attributable_distributions=30_000, plan_retirement_conditions_met=True,
             social_security=20_000, taxable_social_security=10_000),
        dict(tax_year=2025, federal_agi=60_000, wages=60_000, employer_attributable_distributions=0),
        dict(tax_year=2026, filing_status="married_joint", age_head=66, age_spouse=66,
             federal_agi=130_000, taxable_distributions=100_000,
             employer_attributable_distributions=40_000, plan_retirement_conditions_met=True)])
