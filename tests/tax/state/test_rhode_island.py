"""Rhode Island (Form RI-1040, Schedule M) on hand-worked cases: each figure worked line by
line from the law files' amounts (§44-30-2.6(c)(3) schedule, standard deduction, exemptions and
their phase-out; §44-30-12(c)(8)–(9) Social Security and pension modifications)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest
from state_cases import batch_matches_units
from state_cases import state_unit as one_unit

one = partial(one_unit, "RI")


def test_retiree_under_the_limit_2024_pension_and_social_security_modifications():
    # 2024, single, 70 (born 1954, before the 1958 cut-off): an 80,000 distribution and
    # 20,000 taxable Social Security; federal AGI 100,000 < 104,200.  Pension modification
    # 20,000 (of 80,000), Social Security 20,000: RI AGI 60,000; less 10,550 and 4,950:
    # 44,500 x 3.75% = 1,668.75.
    r = one(age_head=70, federal_agi=100_000, taxable_distributions=80_000,
            social_security=30_000, taxable_social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(0.0375 * 44_500, abs=0.005)
    assert {"STATE_RI_PENSION_MODIFICATION", "STATE_RI_SOCIAL_SECURITY_MODIFICATION"} <= r["reasons"]


def test_the_50000_pension_modification_from_2025():
    # 2025, the same retiree at 71: 50,000 of the distribution and the 20,000 come off:
    # 100,000 - 70,000 - 10,900 - 5,100 = 14,000 x 3.75% = 525.
    r = one(tax_year=2025, age_head=71, federal_agi=100_000, taxable_distributions=80_000,
            social_security=30_000, taxable_social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(525.0, abs=0.005)


def test_over_the_agi_limit_nothing_is_modified():
    # 2024, single, 70, federal AGI 150,000 >= 104,200: RI AGI 150,000; less 15,500:
    # 134,500: 3.75% x 77,450 + 4.75% x 57,050 = 5,614.25.
    r = one(age_head=70, federal_agi=150_000, taxable_distributions=130_000,
            social_security=30_000, taxable_social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(0.0375 * 77_450 + 0.0475 * 57_050, abs=0.005)
    assert "STATE_RI_PENSION_MODIFICATION" not in r["reasons"]


def test_early_distribution_taxed_as_in_federal_agi_no_additional_tax():
    # 2026, single, 45: a 60,000 early distribution; 60,000 - 11,200 - 5,250 = 43,550 x 3.75%.
    r = one(tax_year=2026, age_head=45, federal_agi=60_000, taxable_distributions=60_000,
            early_distributions=60_000)
    assert r["state_income_tax"] == pytest.approx(0.0375 * 43_550, abs=0.005)
    assert r["state_additional_tax"] == 0


def test_standard_deduction_and_exemptions_phase_out_by_fifths():
    # 2024, joint, 55 and 55, wages 250,000: 3,550 over 246,450 is one step (of 7,050) begun:
    # 80% of 21,150 + 2 x 4,950 = 24,840; taxable 225,160:
    # 3.75% x 77,450 + 4.75% x 98,600 + 5.99% x 49,110 = 10,529.56.
    r = one(filing_status="married_joint", age_head=55, age_spouse=55, federal_agi=250_000,
            wages=250_000)
    tax = 0.0375 * 77_450 + 0.0475 * 98_600 + 0.0599 * 49_110
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)
    assert "STATE_RI_DEDUCTIONS_PHASED_OUT" in r["reasons"]
    # 300,000: eight steps begun, nothing left: 3.75% x 77,450 + 4.75% x 98,600 + 5.99% x 123,950.
    r = one(filing_status="married_joint", age_head=55, age_spouse=55, federal_agi=300_000,
            wages=300_000)
    tax = 0.0375 * 77_450 + 0.0475 * 98_600 + 0.0599 * 123_950
    assert r["state_income_tax"] == pytest.approx(tax, abs=0.005)


def test_full_retirement_age_by_birth_year():
    # 2024: born 1958 (66 at the end of the year) is before or after May 1, 1958: not known.
    r = one(age_head=66, federal_agi=30_000, taxable_distributions=30_000)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert "STATE_RI_FULL_RETIREMENT_AGE_NOT_KNOWN" in r["reasons"]
    # Born 1957 qualifies: 30,000 - 20,000 - 15,500 < 0: no tax.  Born 1959 (65) does not:
    # 30,000 - 15,500 = 14,500 x 3.75% = 543.75.
    assert one(age_head=67, federal_agi=30_000, taxable_distributions=30_000)["state_income_tax"] == 0
    r = one(age_head=65, federal_agi=30_000, taxable_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(543.75, abs=0.005)


def test_joint_returns_where_whose_age_counts():
    # The head 70, the spouse 60, no Social Security: the head's 40,000 distribution has its
    # 20,000: RI AGI 20,000 < 21,150 + 9,900: no tax.
    r = one(filing_status="married_joint", age_head=70, age_spouse=60, federal_agi=40_000,
            taxable_distributions=40_000)
    assert r["state_covered"] and r["state_income_tax"] == 0
    # With Social Security, whose it is decides: not covered.
    r = one(filing_status="married_joint", age_head=70, age_spouse=60, federal_agi=50_000,
            taxable_distributions=40_000, social_security=20_000, taxable_social_security=10_000)
    assert not r["state_covered"]
    # Only the spouse has reached full retirement age and the head has a distribution.
    r = one(filing_status="married_joint", age_head=60, age_spouse=70, federal_agi=40_000,
            taxable_distributions=40_000)
    assert not r["state_covered"]


def test_a_batch_answers_as_its_units_one_by_one():
    assert batch_matches_units("RI", [
        dict(age_head=70, federal_agi=100_000, taxable_distributions=80_000,
             social_security=30_000, taxable_social_security=20_000),
        dict(tax_year=2025, filing_status="married_joint", age_head=55, age_spouse=55,
             federal_agi=250_000, wages=250_000),
        dict(tax_year=2026, age_head=66, federal_agi=30_000, taxable_distributions=30_000),
        dict(tax_year=2026, filing_status="head_of_household", age_head=45, federal_agi=60_000,
             taxable_distributions=60_000, early_distributions=60_000)])


COUPLE = dict(tax_year=2025, filing_status="married_joint", age_head=72, age_spouse=70,
              federal_agi=130_000, taxable_distributions=130_000)


def test_each_spouse_past_full_retirement_age_modifies_their_own_pension_2025():
    # 2025, joint, born 1953 and 1955 (before the 1959 cut-off), under the 133,750 limit:
    # 100,000 of the head's plan distributions and 30,000 of the spouse's.  Each modifies up
    # to 50,000 of their own: 80,000 off; RI AGI 50,000 less 21,800 and 2 x 5,100: 18,000 at
    # 3.75%.  Without the split all is the head's: 50,000 off, 48,000 taxed.
    r = one(**COUPLE, spouse_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(0.0375 * 18_000, abs=0.005)
    r = one(**COUPLE)
    assert r["state_income_tax"] == pytest.approx(0.0375 * 48_000, abs=0.005)


def test_an_iras_distributions_are_not_pension_income():
    # The spouse's 30,000 paid from her IRA (federal Form 1040 line 4b, not 5b): only the
    # head's 50,000 is modified, as without the split.
    r = one(**COUPLE, spouse_distributions=30_000, ira_distributions=30_000,
            spouse_ira_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(0.0375 * 48_000, abs=0.005)
    # A single retiree's IRA money: nothing modified.  2025, 71: 80,000 from an IRA and
    # 20,000 of taxable Social Security; the Social Security still is: 80,000 - 10,900 - 5,100.
    r = one(tax_year=2025, age_head=71, federal_agi=100_000, taxable_distributions=80_000,
            ira_distributions=80_000, social_security=30_000, taxable_social_security=20_000)
    assert r["state_income_tax"] == pytest.approx(0.0375 * 64_000, abs=0.005)
    assert "STATE_RI_PENSION_MODIFICATION" not in r["reasons"]


def test_a_spouse_short_of_full_retirement_age_with_a_pension_is_not_guessed():
    # The spouse 64 (born 1961, after the cut-off) with 30,000 of her own plan's money: the
    # statute modifies only a person past the age, the form's worksheet a return where either
    # spouse is: not covered.  The same 30,000 from her IRA modifies nothing either way.
    r = one(**{**COUPLE, "age_spouse": 64}, spouse_distributions=30_000)
    assert not r["state_covered"]
    assert "STATE_RI_FULL_RETIREMENT_AGE_NOT_KNOWN" in r["reasons"]
    r = one(**{**COUPLE, "age_spouse": 64}, spouse_distributions=30_000,
            ira_distributions=30_000, spouse_ira_distributions=30_000)
    assert r["state_income_tax"] == pytest.approx(0.0375 * 48_000, abs=0.005)
