"""A joint return's split by spouse read as each spouse's own, in the states beyond
``test_state_spouse_split.py``: a spouse's part given stays the spouse's where another part
(wages, other income, the IRA, periodic or early part, Social Security) is not given; where the
part not given would change the answer the unit is not covered (NaN, with its reason), and
where bounds over every split it allows show the same answer, it is figured.  The distributions
are each spouse's as ``spouse_distributions`` says, all the head's without it (the column is
the head's).  Each figure is worked by hand from the law files' amounts."""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import one

from dist401k.tax.state.units import STATE_CODES


def not_figured(r: dict, code: str) -> bool:
    return (not r["state_covered"]) and bool(np.isnan(r["state_income_tax"])) and code in r["reasons"]


def tax(r: dict) -> float:
    assert r["state_covered"], r["reasons"]
    return float(r["state_income_tax"])


#: Arkansas 2025, joint, both 60: each spouse's plan pays 40,000 (the spouse's given), and
#: 64,000 of interest.  Standard deduction 2,470 a person (4,940 joint); the rate card from
#: 26,400 is 3.9% − 419.96, and from 94,701 the bracket adjustment's rows (95,501: 3.9% −
#: 319.30), read at the middle of the income's $100 row (from 75,000 the rows start at $1) and
#: rounded; from 100,001 the card on the income (3.9% − 91); two $29 credits.  Every return's
#: and column's net taxable income is above the additional tax credit's table ($27,600): none.
AR_COUPLE = {"state": "AR", "tax_year": 2025, "filing_status": "married_joint", "age_head": 60,
             "age_spouse": 60, "federal_agi": 144_000, "taxable_distributions": 80_000,
             "spouse_distributions": 40_000, "taxable_interest": 64_000, "ordinary_dividends": 0,
             "qualified_dividends": 0, "long_term_gains": 0}


def test_arkansas_each_spouses_exemption_and_columns_with_the_interest_split():
    # §26-51-307: 6,000 of each one's 40,000.  Jointly: 80,000 − 12,000 + 64,000 − 4,940 =
    # 127,060: 3.9% × 127,060 − 91 = 4,864.34.  Separately (the interest the head's): the head
    # 98,000 − 2,470 = 95,530, row 95,501–95,600: 3.9% × 95,550.50 − 319.30 = 3,407.17 → 3,407;
    # the spouse 34,000 − 2,470 = 31,530: 3.9% × 31,549.50 − 419.96 = 810.47 → 810; 4,217, the
    # smaller, less 58 = 4,159.
    assert tax(one(AR_COUPLE, spouse_other_income=0)) == pytest.approx(4_159.0)
    # Half each: 66,000 − 2,470 = 63,530 in both columns: 3.9% × 63,549.50 − 419.96 = 2,058.47
    # → 2,058 each; 4,116 − 58 = 4,058.  Whose the interest is decides.
    assert tax(one(AR_COUPLE, spouse_other_income=32_000)) == pytest.approx(4_058.0)


def test_arkansas_interest_not_split_is_not_figured_and_the_spouses_exemption_kept():
    # Before: the given spouse's 40,000 taken as the head's (one 6,000 exemption).
    assert not_figured(one(AR_COUPLE), "STATE_AR_OTHER_INCOME_NOT_SPLIT")


#: Maryland 2025, joint: flat standard deduction 6,700; exemptions 3,200 each (federal AGI to
#: 150,000) and 1,000 more each from 65; 2% / 3% / 4% on the first 1,000s, 4.75% above.
MD_IRA = {"state": "MD", "tax_year": 2025, "filing_status": "married_joint", "age_head": 66,
          "age_spouse": 66, "federal_agi": 60_000, "taxable_distributions": 60_000,
          "spouse_distributions": 30_000, "ira_distributions": 20_000}


@pytest.mark.parametrize("spouse_ira, expected", [(0, 180.25), (10_000, 123.25),
                                                  (20_000, 180.25), (None, None)])
def test_maryland_the_ira_parts_split_decides_the_two_income_subtraction(spouse_ira, expected):
    # 30,000 each; 20,000 of the 60,000 an IRA's (no exclusion, Instruction 13): whoever's IRA
    # it is, 40,000 of plan money is excluded (each under 41,200).  The two-income subtraction is
    # the lesser spouse's income less exclusion, i.e. the lesser IRA part: 0 where one spouse has
    # all of it; 10,000 each: 1,200.  Maryland AGI 20,000 (18,800): taxable 20,000 − 6,700 −
    # 8,400 = 4,900: 90 + 4.75% × 1,900 = 180.25 (3,700: 90 + 4.75% × 700 = 123.25).  Not
    # given: not figured (before: all the head's, 180.25 figured).
    kw = {} if spouse_ira is None else {"spouse_ira_distributions": spouse_ira}
    r = one(MD_IRA, **kw)
    if expected is None:
        assert not_figured(r, "STATE_MD_INCOME_NOT_SPLIT")
    else:
        assert tax(r) == pytest.approx(expected, abs=0.005)


def test_maryland_unsplit_wages_that_decide_the_two_income_subtraction():
    # 2024, both 50, 60,000 of wages whose split is not given: the subtraction is 0 to 1,200.
    # Before: all the head's, none subtracted, figured.
    base = {"state": "MD", "tax_year": 2024, "filing_status": "married_joint", "age_head": 50,
            "age_spouse": 50, "federal_agi": 60_000, "wages": 60_000, "spouse_distributions": 0,
            "spouse_social_security": 0}
    assert not_figured(one(base), "STATE_MD_INCOME_NOT_SPLIT")
    # The spouse's 20,000 given, 2,000 of interest not split: the lesser spouse has 20,000 at
    # the least: 1,200 whoever's the interest is.  Figured, as with the interest split.
    kinds = {"taxable_interest": 2_000, "ordinary_dividends": 0, "qualified_dividends": 0,
             "long_term_gains": 0}
    partly = one(base, federal_agi=62_000, spouse_wages=20_000, **kinds)
    whole = one(base, federal_agi=62_000, spouse_wages=20_000, spouse_other_income=1_000, **kinds)
    assert tax(partly) == pytest.approx(tax(whole), abs=0.005)


def test_maryland_the_spouses_exclusion_turns_on_the_spouses_own_benefits():
    # 2025: the head 60, the spouse 70 with all the 50,000 and 30,000 of Social Security whose
    # split is not given: the spouse's exclusion is 41,200 less the spouse's benefits, 11,200 to
    # 41,200.  Before: taken as the head's benefits, 41,200 excluded, figured.
    base = {"state": "MD", "tax_year": 2025, "filing_status": "married_joint", "age_head": 60,
            "age_spouse": 70, "federal_agi": 75_500, "taxable_distributions": 50_000,
            "spouse_distributions": 50_000, "social_security": 30_000,
            "taxable_social_security": 25_500}
    assert not_figured(one(base), "STATE_MD_SOCIAL_SECURITY_NOT_SPLIT")
    # All the spouse's: 11,200 excluded; the head has no income (no two-income subtraction).
    # 75,500 − 25,500 − 11,200 = 38,800; − 6,700 − (6,400 + 1,000) = 24,700: 90 + 4.75% ×
    # 21,700 = 1,120.75.
    assert tax(one(base, spouse_social_security=30_000)) == pytest.approx(1_120.75, abs=0.005)


#: Kentucky 2025: 31,110 excluded a person, 3,270 standard deduction a return (each spouse's
#: own on the combined return filed separately), 4%.
KY_COUPLE = {"state": "KY", "tax_year": 2025, "filing_status": "married_joint", "age_head": 67,
             "age_spouse": 66, "spouse_social_security": 0, "spouse_other_income": 0}


def test_kentucky_wages_not_split_where_filing_separately_turns_on_them():
    # The spouse's 4,000 given, 60,000 of wages not: separately the spouse's column holds
    # 0 to 60,000 of them: 3,294.00 at 30,000 each (test_spouse_parts), up to the joint
    # return's 3,424.80.  Before: the joint return's, figured.
    r = one(KY_COUPLE, federal_agi=124_000, wages=60_000, taxable_distributions=64_000,
            spouse_distributions=4_000)
    assert not_figured(r, "STATE_KY_INCOME_NOT_SPLIT")


def test_kentucky_files_separately_where_any_split_of_the_wages_gives_the_same():
    # The head's plan pays 60,000, the spouse's 40,000 (31,110 each excluded), 20,000 of wages
    # not split.  Kentucky AGI 120,000 − 62,220 = 57,780; the spouse's own 8,890 to 28,890, the
    # head's 28,890 to 48,890: each above 3,270 however the wages lie, so separately 57,780 −
    # 6,540 = 51,240: 2,049.60 (the joint return 54,510: 2,180.40, before).
    r = one(KY_COUPLE, federal_agi=120_000, wages=20_000, taxable_distributions=100_000,
            spouse_distributions=40_000)
    assert tax(r) == pytest.approx(2_049.60, abs=0.005)


#: New York 2025, joint, both 66: $20,000 of each one's pension and annuity income from 59½
#: (an IRA's, an employer plan's periodic payments); standard deduction 16,050; 4% to 17,150,
#: 4.5% to 23,600, 5.25% to 27,900, 5.5% above.  Below $65,000 of taxable income (NY AGI
#: $107,650 or less) the tax is the State tax table's: the schedule at the middle of the
#: income's $50 row, rounded half up to whole dollars (the Department's tax tables page).
NY_COUPLE = {"state": "NY", "tax_year": 2025, "filing_status": "married_joint", "age_head": 66,
             "age_spouse": 66}


def test_new_york_an_ira_part_that_can_only_split_one_way():
    # All 40,000 from IRAs, 20,000 the spouse's: the IRA part splits as the distributions do.
    # 20,000 excluded each: nothing taxable (before: all the head's, 3,950: the row 3,950–4,000
    # at 3,975, 4% = 159).
    r = one(NY_COUPLE, federal_agi=40_000, taxable_distributions=40_000,
            spouse_distributions=20_000, ira_distributions=40_000)
    assert tax(r) == 0 and "STATE_NY_PENSION_EXCLUSION" in r["reasons"]


@pytest.mark.parametrize("spouse_ira, expected", [(None, None), (10_000, 559.0),
                                                  (0, 996.0)])
def test_new_york_the_ira_parts_split_decides_the_exclusion(spouse_ira, expected):
    # The head 40,000 (a lump sum from a plan and IRAs), the spouse 20,000; 30,000 from IRAs.
    # The spouse's 10,000: 20,000 + 10,000 excluded, 60,000 − 30,000 − 16,050 = 13,950, the
    # table's row 13,950–14,000 read at 13,975: 4% = 559.00.  None: 20,000 excluded, 23,950,
    # row 23,950–24,000 at 23,975: 686 + 290.25 + 5.25% × 375 = 995.9375, half up 996.  Not
    # given: 20,000 to 30,000, not figured (before: all the head's, 996 figured).
    kw = {} if spouse_ira is None else {"spouse_ira_distributions": spouse_ira}
    r = one(NY_COUPLE, federal_agi=60_000, taxable_distributions=60_000,
            spouse_distributions=20_000, ira_distributions=30_000, **kw)
    if expected is None:
        assert not_figured(r, "STATE_NY_PENSION_PART_NOT_SPLIT")
    else:
        assert tax(r) == pytest.approx(expected, abs=0.005)


def test_new_york_an_ira_part_whose_split_cannot_change_the_exclusion():
    # The head 50,000, the spouse 30,000, 70,000 of it from IRAs: each holds at least 20,000 of
    # the IRA part however it splits: 40,000 excluded, 23,950 taxable, the table's row at
    # 23,975: 686 + 290.25 + 5.25% × 375 = 995.9375, so 996 (before: the head's 20,000 only,
    # 43,950, row at 43,975: 1,202 + 5.5% × 16,075 = 2,086.125, so 2,086).
    r = one(NY_COUPLE, federal_agi=80_000, taxable_distributions=80_000,
            spouse_distributions=30_000, ira_distributions=70_000)
    assert tax(r) == pytest.approx(996, abs=0.005)


def test_new_york_a_periodic_part_not_split():
    # The head, 58, takes a 40,000 lump sum; the spouse, 66, a 20,000 pension: the periodic
    # part (20,000) not split could be the head's (no exclusion before 59½) or the spouse's.
    # Before: the head's, 43,950 taxable, 2,086 figured (the table's row at 43,975).
    base = dict(NY_COUPLE, age_head=58, federal_agi=60_000, taxable_distributions=60_000,
                spouse_distributions=20_000, periodic_distributions=20_000)
    assert not_figured(one(base), "STATE_NY_PENSION_PART_NOT_SPLIT")
    # The spouse's: 20,000 excluded, 23,950 taxable, the table's row at 23,975: 996.
    assert tax(one(base, spouse_periodic_distributions=20_000)) == pytest.approx(996,
                                                                                abs=0.005)


#: Rhode Island, joint, both 70 (past full retirement age), under the modification's AGI limit.
RI_COUPLE = {"state": "RI", "tax_year": 2024, "filing_status": "married_joint", "age_head": 70,
             "age_spouse": 70}


def test_rhode_island_the_ira_parts_split_decides_the_pension_modification():
    # 2024 ($20,000 each): the head 50,000, the spouse 30,000, 30,000 from IRAs.  The spouse's
    # plan income is 0 to 30,000: 20,000 to 40,000 modified.  Before: all the head's, 20,000,
    # figured.
    base = dict(RI_COUPLE, federal_agi=80_000, taxable_distributions=80_000,
                spouse_distributions=30_000, ira_distributions=30_000)
    assert not_figured(one(base), "STATE_RI_IRA_PART_NOT_SPLIT")
    # None of it the spouse's: 20,000 + 20,000; 40,000 − 21,150 − 2 × 4,950 = 8,950 at 3.75% =
    # 335.625.
    assert tax(one(base, spouse_ira_distributions=0)) == pytest.approx(335.625, abs=0.005)


def test_rhode_island_an_ira_part_whose_split_cannot_change_the_modification():
    # 2025 ($50,000 each): 60,000 each, 5,000 from IRAs: each keeps 55,000 of plan income at
    # the least: 100,000 modified; 20,000 − 21,800 − 2 × 5,100: nothing taxable (before: the
    # head's 50,000 only, 70,000 − 32,000 = 38,000 at 3.75% = 1,425).
    r = one(RI_COUPLE, tax_year=2025, federal_agi=120_000, taxable_distributions=120_000,
            spouse_distributions=60_000, ira_distributions=5_000)
    assert tax(r) == 0 and "STATE_RI_PENSION_MODIFICATION" in r["reasons"]


#: Missouri 2024, joint, both 60: each one's plan pays 30,000, a 2,000 loss besides whose split
#: is not given; federal standard deduction 29,200 and income tax 3,000.
MO_COUPLE = {"state": "MO", "tax_year": 2024, "filing_status": "married_joint", "age_head": 60,
             "age_spouse": 60, "federal_agi": 58_000, "taxable_distributions": 60_000,
             "spouse_distributions": 30_000, "federal_standard_deduction": 29_200,
             "federal_income_tax": 3_000}


def test_missouri_a_combined_return_with_a_loss_not_split():
    # Missouri AGI 58,000 (no pension exemption: 26,000 above 32,000); 15% of the federal tax,
    # 450; taxable 28,350.  Each spouse's share is 28,000 to 30,000 of 58,000: both shares above
    # 8,911, where the schedule is 4.8% less 179.493, so the tax is 4.8% × 28,350 − 2 ×
    # 179.493 = 1,001.814 whoever has the loss (before: all the head's, one share: 1,181.307).
    assert tax(one(MO_COUPLE)) == pytest.approx(1_001.814, abs=0.005)
    assert tax(one(MO_COUPLE, spouse_other_income=-2_000)) == pytest.approx(1_001.814, abs=0.005)


def test_the_district_a_loss_not_split():
    # 2025, both 60: each one's plan pays 50,000, a 3,000 loss besides, split not given.
    # Jointly 97,000 − 30,000 = 67,000: 4,095; on the same return, the loss half each: 48,500 −
    # 15,000 = 33,500 each: 2 × (400 + 6% × 23,500) = 3,620.  Before: the joint 4,095 figured.
    base = {"state": "DC", "tax_year": 2025, "filing_status": "married_joint", "age_head": 60,
            "age_spouse": 60, "federal_agi": 97_000, "taxable_distributions": 100_000,
            "spouse_distributions": 50_000, "federal_standard_deduction": 30_000}
    assert not_figured(one(base), "STATE_DC_INCOME_NOT_SPLIT")
    assert tax(one(base, spouse_other_income=-1_500)) == pytest.approx(3_620.0, abs=0.005)


#: Colorado 2025, joint, both 66: up to 24,000 of each one's pension and annuity income (an
#: IRA's, periodic or not); 4.40%; federal standard deduction 33,200.
CO_COUPLE = {"state": "CO", "tax_year": 2025, "filing_status": "married_joint", "age_head": 66,
             "age_spouse": 66, "federal_standard_deduction": 33_200,
             "spouse_distributions": 30_000}


def test_colorado_an_ira_part_that_can_only_split_one_way():
    # 60,000 all from IRAs, 30,000 each: 24,000 each subtracted, 48,000 > 26,800 of federal
    # taxable income: nothing (before: all the head's, 24,000: 2,800 at 4.40% = 123.20).
    r = one(CO_COUPLE, federal_agi=60_000, taxable_distributions=60_000,
            ira_distributions=60_000, federal_taxable_income=26_800)
    assert tax(r) == 0


def test_colorado_the_ira_parts_split_decides_the_subtraction():
    # 40,000 of wages besides; 40,000 of the 60,000 from IRAs: the spouse's IRA part is 10,000
    # to 30,000, the subtraction 34,000 to 40,000.  Before: all the head's, 24,000: 42,800 at
    # 4.40% = 1,883.20, figured.
    base = dict(CO_COUPLE, federal_agi=100_000, wages=40_000, taxable_distributions=60_000,
                ira_distributions=40_000, federal_taxable_income=66_800)
    assert not_figured(one(base), "STATE_CO_PENSION_PART_NOT_SPLIT")
    # The spouse's 10,000: 24,000 + 10,000; 32,800 at 4.40% = 1,443.20.
    assert tax(one(base, spouse_ira_distributions=10_000)) == pytest.approx(1_443.20, abs=0.005)


def test_wisconsin_the_early_parts_split_decides_the_subtraction():
    # 2025: the head, 70, 40,000; the spouse, 50, 20,000; 20,000 of it early, split not given:
    # the head's qualifying income is 20,000 to 40,000 and line 16 (from 67, up to 24,000) 20,000
    # to 24,000.  Before: the early part the head's first, 20,000 subtracted, figured (545.01).
    base = {"state": "WI", "tax_year": 2025, "filing_status": "married_joint", "age_head": 70,
            "age_spouse": 50, "federal_agi": 60_000, "taxable_distributions": 60_000,
            "spouse_distributions": 20_000, "early_distributions": 20_000}
    assert not_figured(one(base), "STATE_WI_EARLY_NOT_SPLIT")
    # The spouse's: 24,000 subtracted; Wisconsin income 36,000; the standard deduction 25,110 −
    # 19.778% × (36,000 − 28,210) = 23,569.2938; exemptions 2 × 700 + 250; 10,780.7062 at 3.5%.
    r = one(base, spouse_early_distributions=20_000)
    assert tax(r) == pytest.approx(0.035 * (36_000 - (25_110 - 0.19778 * 7_790) - 1_650),
                                   abs=0.005)


#: A joint 2025 return with every kind of income split but Social Security, early and periodic
#: parts (none of them on the return): wages 30,000 (10,000 the spouse's), interest 5,000
#: (2,000), distributions 70,000 (20,000), 30,000 of them from IRAs (10,000).
COUPLE = {"tax_year": 2025, "filing_status": "married_joint", "age_head": 70, "age_spouse": 68,
          "federal_agi": 105_000, "wages": 30_000, "taxable_distributions": 70_000,
          "ira_distributions": 30_000, "plan_retirement_conditions_met": True,
          "employer_attributable_distributions": 70_000, "federal_taxable_income": 71_800,
          "federal_standard_deduction": 33_200, "federal_income_tax": 8_000,
          "federal_net_investment_income_tax": 0, "taxable_interest": 5_000,
          "ordinary_dividends": 0, "qualified_dividends": 0, "long_term_gains": 0,
          "spouse_wages": 10_000, "spouse_other_income": 2_000, "spouse_distributions": 20_000,
          "spouse_ira_distributions": 10_000}


@pytest.mark.parametrize("state", STATE_CODES)
def test_parts_not_given_of_incomes_the_return_has_none_of_are_none(state):
    """Every state answers as with ``spouse_social_security``, ``spouse_early_distributions``,
    ``spouse_periodic_distributions`` and ``spouse_ira_early_distributions`` given as zero."""
    partly = one({**COUPLE, "state": state})
    whole = one({**COUPLE, "state": state}, spouse_social_security=0,
                spouse_early_distributions=0, spouse_periodic_distributions=0,
                spouse_ira_early_distributions=0)
    assert np.isclose(partly["state_income_tax"], whole["state_income_tax"], equal_nan=True)
    assert partly["state_covered"] == whole["state_covered"]
