"""Maryland (Form 502) on hand-worked cases: each line written out from the law files'
amounts (Tax-General §§10-105, 10-207, 10-209, 10-211, 10-217; Worksheet 13A), not read back
from the engine."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "MD", "tax_year": 2024, "filing_status": "single", "age_head": 70}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def test_pension_exclusion_reduced_by_social_security():
    # Single, 70, 2024: $50,000 from a 401(k), $20,000 Social Security of which $17,000 is
    # federally taxable; federal AGI 67,000.
    # Line 11 Social Security 17,000; Worksheet 13A: 39,500 − 20,000 = 19,500 excluded (line 10a);
    # Maryland AGI 67,000 − 17,000 − 19,500 = 30,500; standard deduction 15% = 4,575, at most
    # 2,700; exemptions 3,200 (federal AGI ≤ 100,000) + 1,000 (65) = 4,200; taxable 23,600;
    # tax 20 + 30 + 40 + 4.75% × 20,600 = 1,068.50.
    r = one(federal_agi=67_000, taxable_distributions=50_000, social_security=20_000,
            taxable_social_security=17_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(1_068.50)
    assert r["reasons"]["STATE_MD_PENSION_EXCLUSION"] and r["state_additional_tax"] == 0


def test_exemption_falls_with_federal_agi_and_early_distribution_is_taxed():
    # Single, 50, 2024, an early $110,000 distribution: no exclusion before 65, exemption 1,600
    # (federal AGI over 100,000, not over 125,000), standard deduction 2,700; taxable 105,700;
    # tax 90 + 4.75% × 97,000 + 5% × 5,700 = 4,982.50; no Maryland tax of its own on it.
    r = one(age_head=50, federal_agi=110_000, taxable_distributions=110_000,
            early_distributions=110_000)
    assert r["state_income_tax"] == pytest.approx(4_982.50) and r["state_additional_tax"] == 0


def test_2025_flat_standard_deduction_and_joint_schedule():
    # Joint, both 66, 2025: $300,000 distribution, no Social Security.  Head's exclusion 41,200
    # (the distribution is the head's); Maryland AGI 258,800; standard deduction 6,700;
    # exemptions 0 × 2 (federal AGI over 200,000) + 2 × 1,000; taxable 250,100; tax
    # 90 + 4.75% × 147,000 + 5% × 25,000 + 5.25% × 50,000 + 5.5% × 25,100 = 12,328.
    r = one(tax_year=2025, filing_status="married_joint", age_head=66, age_spouse=66,
            federal_agi=300_000, taxable_distributions=300_000)
    assert r["state_income_tax"] == pytest.approx(12_328.0)


def test_2025_top_brackets():
    # Single, 60, 2025, $1,200,000: taxable 1,200,000 − 3,350 = 1,196,650; tax 90 + 4,607.50
    # + 1,250 + 1,312.50 + 5,500 + 14,375 + 6.25% × 500,000 + 6.5% × 196,650 = 71,167.25.
    r = one(tax_year=2025, age_head=60, federal_agi=1_200_000, taxable_distributions=1_200_000)
    assert r["state_income_tax"] == pytest.approx(71_167.25)


def test_joint_social_security_split_decides_only_where_it_can():
    # Joint, both 70: $30,000 distribution, $20,000 Social Security between them: the head's
    # exclusion is 30,000 if none of it is the head's, 19,500 if all is: not guessed.
    r = one(filing_status="married_joint", age_spouse=70, federal_agi=47_000,
            taxable_distributions=30_000, social_security=20_000, taxable_social_security=17_000)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_MD_SOCIAL_SECURITY_NOT_SPLIT"]
    # $15,000: within 39,500 − 20,000 whatever the split: excluded in full.
    # Maryland AGI 15,000 + 2,000 − 2,000 − 15,000 = 0: no tax.
    r = one(filing_status="married_joint", age_spouse=70, federal_agi=17_000,
            taxable_distributions=15_000, social_security=20_000, taxable_social_security=2_000)
    assert r["state_covered"] and r["state_income_tax"] == 0


def test_capital_gains_surtax_from_2025_is_not_guessed():
    kw = {"age_head": 60, "federal_agi": 410_000, "taxable_distributions": 400_000}
    r = one(tax_year=2025, **kw)
    assert not r["state_covered"] and r["reasons"]["STATE_MD_CAPITAL_GAINS_SURTAX_NOT_MODELLED"]
    assert one(tax_year=2024, **kw)["state_covered"]
