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
#: Every spouse's part zero: the split given, all the head's.
NO_PARTS = {"spouse_wages": 0, "spouse_distributions": 0, "spouse_social_security": 0,
            "spouse_other_income": 0}


def split(base: dict, **parts) -> dict:
    """One joint unit's answer with the split given (the parts not named zero)."""
    return one(base, **{**NO_PARTS, **parts})


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
    apart = split(base, spouse_wages=20_000, spouse_other_income=1_000)
    assert split(base)["state_income_tax"] - apart["state_income_tax"] == pytest.approx(
        57.0, abs=0.005)
    # Without the split, whose wages they are decides the subtraction (none to 1,200).
    r = one(base)
    assert np.isnan(r["state_income_tax"]) and "STATE_MD_INCOME_NOT_SPLIT" in r["reasons"]


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
    assert split(base, spouse_distributions=20_000)["state_income_tax"] == pytest.approx(
        824.831, abs=0.005)
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
    r = split(base, spouse_distributions=70_000, spouse_other_income=5_000)
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


#: Each spouse's own exclusion: (state, year, ages, the head's and the spouse's
#: distributions, the tax with the split, the tax all the head's).
#: - Louisiana 2025, both 66: 12,000 each exempt; Louisiana AGI 66,000 less the 25,000 standard
#:   deduction: 41,000 at 3% = 1,230.  All the head's: 12,000 exempt, 53,000 at 3% = 1,590.
#: - Oklahoma 2025, 70 and 68: 10,000 and 8,000 excluded; Oklahoma AGI 20,000 less the 12,700
#:   standard deduction and two 1,000 exemptions (no aged ones: federal AGI 38,000 is over
#:   25,000): 5,300; the joint schedule 0.25% × 2,000 + 0.75% × 3,000 + 1.75% × 300 = 32.75.
#:   All the head's: 10,000 excluded, 13,300 taxable: 5 + 22.50 + 43.75 + 63.25 + 3.75% ×
#:   3,500 = 265.75.
OWN_EXCLUSIONS = [("LA", 2025, (66, 66), (50_000, 40_000), 1_230.0, 1_590.0),
                  ("OK", 2025, (70, 68), (30_000, 8_000), 32.75, 265.75)]


@pytest.mark.parametrize("state, year, ages, paid, with_split, all_heads", OWN_EXCLUSIONS)
def test_each_spouses_own_exclusion(state, year, ages, paid, with_split, all_heads):
    base = {"state": state, "tax_year": year, "filing_status": "married_joint",
            "age_head": ages[0], "age_spouse": ages[1], "federal_agi": sum(paid),
            "taxable_distributions": sum(paid)}
    assert split(base, spouse_distributions=paid[1])["state_income_tax"] == pytest.approx(
        with_split, abs=0.005)
    assert one(base)["state_income_tax"] == pytest.approx(all_heads, abs=0.005)


def test_kentucky_files_separately_on_a_combined_return_where_that_is_less():
    # 2025, 67 and 66: the head's 401(k) pays 60,000, the spouse's 4,000; each excludes up to
    # 31,110 (31,110 and 4,000).  With no other income the joint return and the combined
    # return filed separately agree: 64,000 − 35,110 − 3,270 = 25,620 at 4% = 1,024.80 (the
    # spouse's own deduction has nothing to take).
    base = {"state": "KY", "tax_year": 2025, "filing_status": "married_joint", "age_head": 67,
            "age_spouse": 66, "spouse_distributions": 4_000, "spouse_social_security": 0,
            "spouse_other_income": 0}
    r = one(base, federal_agi=64_000, taxable_distributions=64_000, spouse_wages=0)
    assert r["state_income_tax"] == pytest.approx(1_024.80, abs=0.005)
    # With 30,000 of wages each besides: jointly 124,000 − 35,110 − 3,270 = 85,620 (3,424.80);
    # separately the head 90,000 − 31,110 − 3,270 = 55,620 and the spouse 34,000 − 4,000 −
    # 3,270 = 26,730: 82,350 at 4% = 3,294.00, one standard deduction's tax (130.80) less.
    both = one(base, federal_agi=124_000, wages=60_000, taxable_distributions=64_000,
               spouse_wages=30_000)
    assert both["state_income_tax"] == pytest.approx(3_294.00, abs=0.005)
    # All the head's: one exclusion, 124,000 − 31,110 − 3,270 = 89,620 jointly (the spouse's
    # column has nothing): 3,584.80.
    head = split({"state": "KY", "tax_year": 2025, "filing_status": "married_joint",
                  "age_head": 67, "age_spouse": 66},
                 federal_agi=124_000, wages=60_000, taxable_distributions=64_000)
    assert head["state_income_tax"] == pytest.approx(3_584.80, abs=0.005)
    # Without the split, whose wages they are decides the separate columns: not figured.
    r = one({k: v for k, v in base.items() if not k.startswith("spouse_")},
            federal_agi=124_000, wages=60_000, taxable_distributions=64_000)
    assert np.isnan(r["state_income_tax"]) and "STATE_KY_INCOME_NOT_SPLIT" in r["reasons"]


def test_alabama_excludes_each_spouses_retirement_income_from_65():
    # 2024, 66 and 67: 60,000 from the head's 401(k), 30,000 from the spouse's; federal
    # income tax 5,000.  Each excludes 6,000: Alabama AGI 78,000 against 84,000 with all the
    # head's; both past the standard deduction chart's last step, so the tax differs by the 5%
    # top rate on 6,000: 300.  Where both have distributions and some basis Alabama already
    # taxed, whose basis it is is not known.
    base = {"state": "AL", "tax_year": 2024, "filing_status": "married_joint", "age_head": 66,
            "age_spouse": 67, "federal_agi": 90_000, "taxable_distributions": 90_000,
            "federal_income_tax": 5_000, "federal_net_investment_income_tax": 0}
    parts = {**NO_PARTS, "spouse_distributions": 30_000}
    assert one(base)["state_income_tax"] - one(base, **parts)["state_income_tax"] == \
        pytest.approx(300.0)
    basis = one(base, state_basis_recovered=5_000, **parts)
    assert np.isnan(basis["state_income_tax"]) and "STATE_AL_BASIS_NOT_SPLIT" in basis["reasons"]


def test_the_district_taxes_each_spouse_on_the_same_return_where_that_is_less():
    # 2024, both 50: wages 80,000 and 20,000; the 29,200 deduction divided as they wish.
    # Jointly: 100,000 − 29,200 = 70,800: 400 + 1,800 + 1,300 + 8.5% × 10,800 = 4,418.
    # Separately, all the deduction to the head (their taxable incomes as near as it allows):
    # 50,800 (400 + 1,800 + 6.5% × 10,800 = 2,902) and 20,000 (400 + 600 = 1,000): 3,902.
    base = {"state": "DC", "tax_year": 2024, "filing_status": "married_joint", "age_head": 50,
            "age_spouse": 50, "federal_agi": 100_000, "wages": 100_000,
            "federal_standard_deduction": 29_200}
    apart = split(base, spouse_wages=20_000)
    assert apart["state_income_tax"] == pytest.approx(3_902.0, abs=0.005)
    assert "STATE_DC_SEPARATE_ON_SAME_RETURN" in apart["reasons"]
    # All the head's: the joint return, 4,418; no split given: not figured.
    assert split(base)["state_income_tax"] == pytest.approx(4_418.0, abs=0.005)
    assert np.isnan(one(base)["state_income_tax"])


@pytest.mark.parametrize("value, words", [(float("inf"), "is not a number"),
                                          (-5, "is negative")])
def test_a_bad_spouses_part_is_named_once(value, words):
    with pytest.raises(InputError) as e:
        StateUnits.from_columns({"state": ["MD"], "tax_year": [2024],
                                 "filing_status": ["married_joint"], "federal_agi": [75_000],
                                 "taxable_distributions": [75_000],
                                 "spouse_distributions": [value]})
    problems = [p for p in e.value.problems if p.field == "spouse_distributions"]
    assert len(problems) == 1 and words in problems[0].problem


#: Pennsylvania, 2026, a couple: the head, 66 and retired, takes 50,000 from an IRA; the spouse,
#: 63, earns 60,000 of wages and takes 10,000 from a 401(k) before retiring.
PA_COUPLE = {"state": "PA", "tax_year": 2026, "filing_status": "married_joint", "age_head": 66,
             "age_spouse": 63, "federal_agi": 120_000, "wages": 60_000,
             "taxable_distributions": 60_000, "plan_retirement_conditions_met": True}


@pytest.mark.parametrize(("spouse_retired", "taxed"), [(False, 70_000), (True, 60_000)])
def test_pennsylvania_judges_each_spouses_distribution_by_their_own_retirement(spouse_retired,
                                                                               taxed):
    """A joint PA-40 holds both spouses' incomes, each figured as their own (61 Pa. Code
    §121.15(c), (d)); a distribution after the recipient retired having met the plan's
    conditions is not compensation (72 P.S. §7301(d); 61 Pa. Code §101.6(c)(8)): the head's
    50,000 is exempt whatever the spouse does; the spouse's 10,000 paid before retiring is
    compensation.  3.07% × (60,000 of wages + 10,000) = 2,149, or 1,842 on the wages alone.
    Without the split, all is judged by the head's retirement, as before."""
    r = split(PA_COUPLE, spouse_wages=60_000, spouse_distributions=10_000,
              spouse_plan_retirement_conditions_met=spouse_retired)
    assert r["state_income_tax"] == pytest.approx(0.0307 * taxed, abs=0.005)
    # The head not retired and the spouse retired: the head's 50,000 is taxed, not the 10,000.
    r = split({**PA_COUPLE, "plan_retirement_conditions_met": False}, spouse_wages=60_000,
              spouse_distributions=10_000, spouse_plan_retirement_conditions_met=True)
    assert r["state_income_tax"] == pytest.approx(0.0307 * 110_000, abs=0.005)
    # No spouse flag given: the head's for both, as before the column.
    assert one(PA_COUPLE)["state_income_tax"] == pytest.approx(0.0307 * 60_000, abs=0.005)
