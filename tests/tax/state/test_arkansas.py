"""Arkansas (Form AR1000F) on hand-worked cases: each figure worked line by line from the
statute and the DFA's published figures as the law files hold them — the retirement benefits
exemption (Ark. Code Ann. §26-51-307, premature distributions included by DFA Rule
2.26-51-307), the standard deduction (§26-51-430), the Regular Income Tax Table (the DFA
Indexed Tax Brackets card "rate × income − reduction" at the middle of the $100 row, rounded;
2025 above $100,000: "$3,809 + 3.9% of the excess over $100,000"), the Low Income Tax Tables,
the personal tax credits (§26-51-501) and the additional tax of §26-51-414(c)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "AR", "tax_year": 2024, "filing_status": "single", "age_head": 50}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def test_retiree_with_a_plan_distribution_and_social_security_2024():
    # Single, 70: a $40,000 401(k) distribution and $24,000 of Social Security ($10,000 taxable
    # federally, not income in Arkansas).  Exemption 6,000: Arkansas AGI 34,000; less the 2,410
    # standard deduction: 31,590, in the row 31,500–31,599; its middle 31,549.50 × 3.9% − 409.86
    # = 820.57, the table's 821.  Credits: the filer's and one for 65 or older (the exemption
    # claimed, no "65 special"): 2 × 29.
    r = one(age_head=70, federal_agi=50_000, taxable_distributions=40_000,
            social_security=24_000, taxable_social_security=10_000)
    assert r["state_income_tax"] == 821 - 2 * 29
    assert r["state_additional_tax"] == 0
    assert r["state_covered"] and r["state_unconfirmed"]  # figures read in PolicyEngine-US
    assert {"STATE_AR_RETIREMENT_EXEMPTION", "STATE_SOCIAL_SECURITY_EXEMPT"} <= r["reasons"]


def test_early_distribution_takes_the_exemption_and_the_additional_tax_2025():
    # Single, 45: $30,000 wages and a $20,000 early distribution.  A premature distribution
    # still takes the $6,000 exemption: AGI 44,000, less 2,470: 41,530; row 41,500–41,599,
    # 41,549.50 × 3.9% − 419.96 = 1,200.47, the table's 1,200; less one 29 credit.
    # Additional tax: 10% of the federal 10% tax of 2,000: 200.
    r = one(tax_year=2025, age_head=45, federal_agi=50_000, wages=30_000,
            taxable_distributions=20_000, early_distributions=20_000)
    assert r["state_income_tax"] == 1_200 - 29
    assert r["state_additional_tax"] == pytest.approx(200.0)
    assert "STATE_AR_EARLY_DISTRIBUTION_TAX" in r["reasons"]


def test_secure2_exception_not_adopted():
    # An emergency expense distribution of $1,000 at 40: spared federally only by SECURE 2.0,
    # which Arkansas (IRC §72 as of January 1, 2017) has not adopted: 10% of the 100 federal tax
    # it would bear.
    r = one(age_head=40, federal_agi=1_000, taxable_distributions=1_000,
            secure2_excepted_distributions=1_000)
    assert r["state_additional_tax"] == pytest.approx(10.0)
    assert "STATE_AR_SECURE2_NOT_ADOPTED" in r["reasons"]


def test_joint_retirees_and_the_65_special_credit():
    # Joint, 68 and 67: the head's $60,000 distribution, $30,000 of Social Security ($15,000
    # taxable).  AGI 54,000 less 4,820: 49,180; 49,149.50 × 3.9% − 409.86 = 1,506.97: 1,507.
    # (Filing separately on the same return the head's column would take 2,410 only: more.)
    # Credits: two people, two for age, the spouse's "65 special" (no retirement exemption):
    # 5 × 29.
    r = one(filing_status="married_joint", age_head=68, age_spouse=67, federal_agi=75_000,
            taxable_distributions=60_000, social_security=30_000, taxable_social_security=15_000)
    assert r["state_income_tax"] == 1_507 - 5 * 29


def test_65_special_without_a_distribution_and_head_of_household_credit():
    # Single, 70, $30,000 wages, no distribution: 27,590 in the row 27,500–27,599:
    # 27,549.50 × 3.9% − 409.86 = 664.57, the table's 665; credits: self, 65, "65 special".
    assert one(age_head=70, federal_agi=30_000, wages=30_000)["state_income_tax"] == 665 - 3 * 29
    # Head of household, 2025, $50,000 wages: 47,530; 47,549.50 × 3.9% − 419.96 = 1,434.47:
    # 1,434; credits: self and the head of household's.
    r = one(tax_year=2025, filing_status="head_of_household", federal_agi=50_000, wages=50_000)
    assert r["state_income_tax"] == 1_434 - 2 * 29


def test_low_income_table():
    # Single, 66, a $22,000 distribution: Arkansas AGI 16,000, in the 2024 Low Income Tax
    # Table's row 15,901–16,000: 146.  The regular table: 13,590, 13,549.50 × 3% − 218.97 =
    # 187.52, 188.  The smaller: 146, less 2 × 29 and the additional tax credit for qualified
    # individuals (net income 16,000, within the 2024 table's first row, $25,800: $60):
    # test_arkansas_additional_credit.py.
    r = one(age_head=66, federal_agi=22_000, taxable_distributions=22_000)
    assert r["state_income_tax"] == 146 - 2 * 29 - 60
    assert "STATE_AR_LOW_INCOME_TABLE" in r["reasons"]
    # Arkansas AGI 14,000 (at most 14,265): no tax.
    assert one(age_head=66, federal_agi=20_000, taxable_distributions=20_000)["state_income_tax"] == 0
    # A married person filing a separate return may not use the tables: 16,000 − 2,410 =
    # 13,590, the regular table's 188, less the filer's own 2 × 29 and the $60 credit.
    r = one(filing_status="married_separate", age_head=66, federal_agi=22_000,
            taxable_distributions=22_000)
    assert r["state_income_tax"] == 188 - 2 * 29 - 60


def test_above_the_table_the_card_on_the_income_itself():
    # 2025 single, 60, $150,000 distribution: 141,530 from $100,001: $3,809 + 3.9% of the
    # 41,530 over $100,000 = 5,428.67 (the card's 3.9% × 141,530 − 91); less 29.
    r = one(tax_year=2025, age_head=60, federal_agi=150_000, taxable_distributions=150_000)
    assert r["state_income_tax"] == pytest.approx(3_809 + 0.039 * 41_530 - 29, abs=0.005)
    # 2024: 3.9% × 111,590 − 87.40 less 29 (a separate filer, one credit).
    r = one(filing_status="married_separate", age_head=60, federal_agi=120_000,
            taxable_distributions=120_000)
    assert r["state_income_tax"] == pytest.approx(0.039 * 111_590 - 87.40 - 29, abs=0.005)


def test_2026_rates_and_the_bracket_adjustment_step():
    # 2026 (Act 1 of 2026, top rate 3.7%): above $94,700 the tax is 2% of the first 4,700 and
    # 3.7% of the rest less the bracket adjustment, $10 less each $100 row ($20 for 97,401–
    # 97,500, $10 for 97,501–97,600, none from 97,601).  Wages of 100,020 and 100,120 (single,
    # 50; standard deduction 2,470 carried from 2025): net 97,550 and 97,650.
    low = one(tax_year=2026, federal_agi=100_020, wages=100_020)["state_income_tax"]
    high = one(tax_year=2026, federal_agi=100_120, wages=100_120)["state_income_tax"]
    # Middles 97,550.50 and 97,650.50: 0.02 × 4,700 + 0.037 × 92,850.50 − 10 = 3,519.47 → 3,519
    # and 0.02 × 4,700 + 0.037 × 92,950.50 = 3,533.17 → 3,533: $14 for a $100 row.
    assert low == 3_519 - 29
    assert high == 3_533 - 29
    # Below $94,700 the marginal schedule: 31,000 of wages: 28,530 (above the additional tax
    # credit's table, 2025's carried: none of it), middle 28,549.50:
    # 2% × 5,600 + 3% × 4,800 + 3.4% × 10,400 + 3.7% × 2,149.50 = 689.13, the table's 689.
    r = one(tax_year=2026, federal_agi=31_000, wages=31_000)
    tax = 0.02 * 5_600 + 0.03 * 4_800 + 0.034 * 10_400 + 0.037 * (28_549.50 - 26_400)
    assert round(tax, 2) == 689.13
    assert r["state_income_tax"] == 689 - 29


def test_units_whose_facts_are_not_inputs_are_not_covered():
    # Other income (its kind decides: half of a long-term gain is exempt).
    r = one(federal_agi=50_000, taxable_distributions=40_000)
    assert np.isnan(r["state_income_tax"]) and np.isnan(r["state_additional_tax"])
    assert not r["state_covered"] and "STATE_AR_OTHER_INCOME_NOT_MODELLED" in r["reasons"]
    # A joint return with wages (whose they are decides the separate columns).
    r = one(filing_status="married_joint", age_spouse=50, federal_agi=90_000, wages=50_000,
            taxable_distributions=40_000)
    assert np.isnan(r["state_income_tax"]) and "STATE_AR_JOINT_INCOME_NOT_SPLIT" in r["reasons"]


def test_a_batch_answers_as_its_units_one_by_one():
    rows = [dict(age_head=70, federal_agi=50_000, taxable_distributions=40_000,
                 social_security=24_000, taxable_social_security=10_000),
            dict(tax_year=2025, age_head=45, federal_agi=50_000, wages=30_000,
                 taxable_distributions=20_000, early_distributions=20_000),
            dict(filing_status="married_joint", age_head=68, age_spouse=67, federal_agi=75_000,
                 taxable_distributions=60_000, social_security=30_000,
                 taxable_social_security=15_000),
            dict(age_head=66, federal_agi=22_000, taxable_distributions=22_000),
            dict(tax_year=2026, federal_agi=100_120, wages=100_120)]
    base = {"state": "AR", "tax_year": 2024, "filing_status": "single", "age_head": 50}
    full = [{**base, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    cols = {k: [r.get(k, 0) for r in full] for k in keys}
    out = state_tax(StateUnits.from_columns(cols))
    assert np.allclose(out["state_income_tax"], [one(**r)["state_income_tax"] for r in rows])
    assert np.allclose(out["state_additional_tax"], [one(**r)["state_additional_tax"] for r in rows])
