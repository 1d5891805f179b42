"""A joint return's income by spouse (``spouse_wages``, ``spouse_distributions``,
``spouse_early_distributions``, ``spouse_social_security``, ``spouse_other_income``): their
checks, and the states whose rules read them on hand-worked cases (each line written out from
the law files' amounts, not read back from the engine); Maryland's capital gains surtax and
Missouri's capital gains subtraction with them.  PolicyEngine-US checks the same states on
random couples (``test_policyengine_couples_oracle.py``)."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import one

from dist401k.errors import InputError
from dist401k.tax.state import StateUnits

#: Maryland, 2024, a couple of 70 and 68: the head's 401(k) pays 30,000 and Social Security
#: 10,000, the spouse's 45,000 and 15,000; 21,250 of the benefits federally taxable.
MD_COUPLE = {"state": "MD", "tax_year": 2024, "filing_status": "married_joint", "age_head": 70,
             "age_spouse": 68, "federal_agi": 96_250, "taxable_distributions": 75_000,
             "social_security": 25_000, "taxable_social_security": 21_250}
SPLIT = {"spouse_distributions": 45_000, "spouse_social_security": 15_000, "spouse_wages": 0,
         "spouse_other_income": 0}


def test_maryland_excludes_each_spouses_pension_less_that_spouses_benefits():
    # Worksheet 13A each: head min(30,000, 39,500 − 10,000) = 29,500; spouse min(45,000,
    # 39,500 − 15,000) = 24,500.  Two-income subtraction: the head's own 30,000 − 29,500 = 500,
    # the spouse's 45,000 − 24,500 = 20,500 (each one's taxable benefits in and out): 500.
    # Maryland AGI 96,250 − 21,250 − 54,000 − 500 = 20,500; standard deduction 15% = 3,075, at
    # least 3,650 joint; exemptions 2 × 3,200 + 2 × 1,000 = 8,400; taxable 8,450; tax 20 + 30 +
    # 40 + 4.75% × 5,450 = 348.875.
    r = one(MD_COUPLE, **SPLIT)
    assert r["state_income_tax"] == pytest.approx(348.875, abs=0.005)
    assert "STATE_MD_PENSION_EXCLUSION" in r["reasons"]


def test_maryland_without_the_split_is_not_figured_where_it_matters():
    # All taken as the head's: 39,500 − 25,000 = 14,500 of room, 75,000 paid: whose benefits
    # they are changes the exclusion.
    r = one(MD_COUPLE)
    assert np.isnan(r["state_income_tax"])
    assert "STATE_MD_SOCIAL_SECURITY_NOT_SPLIT" in r["reasons"]


def test_maryland_two_income_subtraction_is_the_lesser_spouses_income_up_to_1200():
    # 2024, both 50: wages 60,000 (the spouse's 20,000) and 2,000 of interest (half each):
    # the lesser spouse's own income is 21,000, so 1,200 comes off; against all the head's:
    # 1,200 × 4.75% = 57 less tax.
    base = {"state": "MD", "tax_year": 2024, "filing_status": "married_joint", "age_head": 50,
            "age_spouse": 50, "federal_agi": 62_000, "wages": 60_000,
            "taxable_interest": 2_000, "ordinary_dividends": 0, "qualified_dividends": 0,
            "long_term_gains": 0}
    split = one(base, spouse_wages=20_000, spouse_other_income=1_000, spouse_distributions=0,
                spouse_social_security=0)
    head = one(base)
    assert head["state_income_tax"] - split["state_income_tax"] == pytest.approx(57.0, abs=0.005)


def test_maryland_adds_2_percent_of_the_net_capital_gain_above_350000_of_agi():
    # 2025: the same unit with 400,000 of long-term gain or of interest pays the same regular
    # tax; the gain adds 2% × 400,000 = 8,000 (federal AGI 500,000 > 350,000).
    base = {"state": "MD", "tax_year": 2025, "filing_status": "single", "age_head": 50,
            "federal_agi": 500_000, "taxable_distributions": 100_000,
            "ordinary_dividends": 0, "qualified_dividends": 0}
    gain = one(base, long_term_gains=400_000, taxable_interest=0)
    interest = one(base, long_term_gains=0, taxable_interest=400_000)
    assert gain["state_income_tax"] - interest["state_income_tax"] == pytest.approx(8_000)
    assert "STATE_MD_CAPITAL_GAINS_SURTAX" in gain["reasons"]
    below = one({**base, "federal_agi": 340_000, "taxable_distributions": 100_000},
                long_term_gains=240_000, taxable_interest=0)
    assert "STATE_MD_CAPITAL_GAINS_SURTAX" not in below["reasons"]


def test_missouri_subtracts_the_capital_gain_from_2025():
    # Single, 50, 2025: a 60,000 distribution and a 40,000 long-term gain, federal AGI 100,000,
    # federal standard deduction 15,750, federal income tax 10,000.  Missouri AGI 60,000; the
    # private pension exemption 6,000 less (60,000 − 25,000): none; 15% of the federal tax
    # (Missouri AGI over 50,000): 1,500; taxable 42,750; the schedule: 256.035 + 4.7% × 33,559
    # = 1,833.308.
    base = {"state": "MO", "tax_year": 2025, "filing_status": "single", "age_head": 50,
            "federal_agi": 100_000, "taxable_distributions": 60_000,
            "federal_standard_deduction": 15_750, "federal_income_tax": 10_000,
            "taxable_interest": 0, "ordinary_dividends": 0, "qualified_dividends": 0,
            "long_term_gains": 40_000}
    r = one(base)
    assert r["state_income_tax"] == pytest.approx(1_833.308, abs=0.005)
    assert "STATE_MO_CAPITAL_GAIN_SUBTRACTION" in r["reasons"]
    unknown = one({k: v for k, v in base.items() if k not in (
        "taxable_interest", "ordinary_dividends", "qualified_dividends", "long_term_gains")})
    assert np.isnan(unknown["state_income_tax"])
    assert "STATE_MO_CAPITAL_GAIN_KIND_NOT_GIVEN" in unknown["reasons"]
    before = one({**base, "tax_year": 2024})
    assert "STATE_MO_CAPITAL_GAIN_SUBTRACTION" not in before["reasons"]
    assert before["state_income_tax"] > r["state_income_tax"] + 1_000


def test_missouri_taxes_each_spouses_share_of_a_combined_return():
    # Joint, 70 and 68, 2025: 40,000 from the head's 401(k), 20,000 from the spouse's; federal
    # standard deduction 34,700, federal income tax 2,000.  Missouri AGI 60,000; no pension
    # exemption (6,000 less 60,000 − 32,000 each); 15% of the federal tax: 300; taxable 25,000,
    # the head's two thirds and the spouse's third each on the schedule: 607.39 + 217.44 =
    # 824.831.  Without the split: all the head's distribution, one schedule: 999.058.
    base = {"state": "MO", "tax_year": 2025, "filing_status": "married_joint", "age_head": 70,
            "age_spouse": 68, "federal_agi": 60_000, "taxable_distributions": 60_000,
            "federal_standard_deduction": 34_700, "federal_income_tax": 2_000}
    split = one(base, spouse_distributions=20_000, spouse_wages=0, spouse_social_security=0,
                spouse_other_income=0)
    assert split["state_income_tax"] == pytest.approx(824.831, abs=0.005)
    assert one(base)["state_income_tax"] == pytest.approx(999.058, abs=0.005)


def test_georgia_excludes_each_spouses_retirement_income_at_that_spouses_age():
    # 2024, the head 60 (no exclusion before 62) with 30,000 of wages, the spouse 66 with a
    # 70,000 distribution and half of 10,000 of interest: the spouse's exclusion is 65,000 of
    # 75,000; Georgia AGI 110,000 − 65,000 = 45,000; less the 24,000 standard deduction:
    # 21,000 at 5.39% = 1,131.90.
    base = {"state": "GA", "tax_year": 2024, "filing_status": "married_joint", "age_head": 60,
            "age_spouse": 66, "federal_agi": 110_000, "wages": 30_000,
            "taxable_distributions": 70_000, "taxable_interest": 10_000,
            "ordinary_dividends": 0, "qualified_dividends": 0, "long_term_gains": 0}
    r = one(base, spouse_wages=0, spouse_distributions=70_000, spouse_other_income=5_000,
            spouse_social_security=0)
    assert r["state_income_tax"] == pytest.approx(1_131.90, abs=0.005)
    assert np.isnan(one(base)["state_income_tax"])


@pytest.mark.parametrize("column, value, words", [
    ("spouse_distributions", 50_000, "is not part of taxable_distributions"),
    ("spouse_social_security", -1, "negative"),
    ("spouse_other_income", 5_000, "is not part of other_income"),
])
def test_a_spouses_part_must_be_part_of_the_whole(column, value, words):
    cols = {"state": ["GA"], "tax_year": [2024], "filing_status": ["married_joint"],
            "federal_agi": [42_000], "taxable_distributions": [40_000],
            "social_security": [10_000], "taxable_social_security": [0], column: [value]}
    with pytest.raises(InputError) as e:
        StateUnits.from_columns(cols)
    assert any(p.field == column and words in p.problem for p in e.value.problems)


def test_a_spouses_part_on_a_return_that_is_not_joint_is_an_error_and_a_loss_may_split():
    with pytest.raises(InputError) as e:
        StateUnits.from_columns({"state": ["GA"], "tax_year": [2024], "filing_status": ["single"],
                                 "federal_agi": [40_000], "taxable_distributions": [40_000],
                                 "spouse_distributions": [1_000]})
    assert "not joint" in e.value.problems[0].problem
    u = StateUnits.from_columns({"state": ["GA"], "tax_year": [2024],
                                 "filing_status": ["married_joint"], "federal_agi": [37_000],
                                 "taxable_distributions": [40_000],
                                 "spouse_other_income": [-1_500]})
    assert u.spouse_other_income[0] == -1_500 and np.isnan(u.spouse_wages[0])
    with pytest.raises(InputError) as e:
        StateUnits.from_columns({"state": ["GA"], "tax_year": [2024],
                                 "filing_status": ["married_joint"], "federal_agi": [40_000],
                                 "taxable_distributions": [40_000], "early_distributions": [10_000],
                                 "spouse_distributions": [5_000],
                                 "spouse_early_distributions": [8_000]})
    assert e.value.problems[0].field == "spouse_early_distributions"
