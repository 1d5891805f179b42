"""Michigan's 2025 retirement and pension benefits subtraction on a joint return where the
limit binds (MCL 206.30(1)(f); Form 4884, Section B/C, tier 1).

MCL 206.30(1)(f) sets the private-benefit limit for a single return and twice it for a joint
return, indexed each year.  The 2025 single figure, $65,897, and so the joint $131,794 (2 ×
65,897), are the law file's, cited to the 2025 MI-1040 book; this session could not read that
book or Form 4884 at a primary source (search returned only older years' figures:
$61,518/$123,036 for 2023, $64,040/$128,080 for 2024, each joint twice the single), so the
figure is NOT independently confirmed — the test pins the statute's joint = 2 × single and
the hand working that follows from it.  The mutation audit's S01 (joint $131,000) passed every
state test: the only 2025 joint case was phased in at 75% and owed nothing either way."""

from __future__ import annotations

import pytest

from dist401k.tax.state import StateUnits, state_tax


def _mi(**kw) -> dict:
    cols = dict(state="MI", plan_retirement_conditions_met=True, tax_year=2025,
                filing_status="married_joint", age_head=81, age_spouse=80)
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def test_tier_1_joint_2025_the_full_limit_binds_and_the_rest_is_taxed():
    """81 and 80 in 2025 (born 1944, 1945: before 1946, tier 1 — the whole limit, no phase-in).
    $150,000 of private qualifying benefits (all employer money), no other income:
    subtraction min(150,000, 2 × 65,897 = 131,794) = 131,794; exemptions 2 × $5,800 = 11,600;
    taxable 150,000 − 131,794 − 11,600 = 6,606; tax 4.25% × 6,606 = $280.755, $280.76 (or
    $280.75: half a cent).  With $131,000 the tax would be 4.25% × 7,400 = $314.50."""
    r = _mi(federal_agi=150_000, taxable_distributions=150_000,
            employer_attributable_distributions=150_000)
    assert r["state_income_tax"] == pytest.approx(0.0425 * (150_000 - 131_794 - 11_600), abs=0.01)
    assert r["reasons"]["STATE_MI_RETIREMENT_SUBTRACTION"]


def test_the_same_benefits_on_a_single_return_get_half_the_limit():
    """MCL 206.30(1)(f): the joint figure is twice the single one, so a single 81-year-old with
    the same $150,000 subtracts 65,897 (half of the joint 131,794) and one $5,800 exemption:
    150,000 − 65,897 − 5,800 = 78,303, × 4.25% = $3,327.88."""
    single = _mi(filing_status="single", age_spouse=0, federal_agi=150_000,
                 taxable_distributions=150_000, employer_attributable_distributions=150_000)
    assert single["state_income_tax"] == pytest.approx(0.0425 * (150_000 - 65_897 - 5_800), abs=0.01)
