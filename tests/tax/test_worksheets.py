"""The worksheet mechanics on hand-checked examples: IRS Publication 915's Worksheet 1 example,
the Qualified Dividends and Capital Gain Tax Worksheet, Schedule 1-A's senior deduction, the
§72(t) additional tax and the marginal cost of a distribution.  Thresholds come from the
Rev. Procs. cited in the law files; each expected figure is worked out in the comment."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.tax import TaxUnits, federal_tax, marginal_cost


def tax_of(**unit):
    unit.setdefault("tax_year", 2024)
    unit.setdefault("filing_status", "single")
    r = federal_tax(TaxUnits.from_records([unit]))
    return {k: (v[0].item() if hasattr(v[0], "item") else v[0]) for k, v in r.items()}


def test_pub915_george_white():
    # Pub. 915, Worksheet 1 example: benefits $5,980; pension 18,600 + wages 9,400 + interest
    # 990 = 28,990; line 6 = 28,990 + 2,990 = 31,980; line 8 − 25,000 = 6,980 (line 10);
    # line 12 = 0; line 13 = 6,980; line 14 = 3,490; line 15 = min(2,990, 3,490) = 2,990;
    # line 16 = 0; line 17 = 2,990; line 18 = min(2,990, 85% × 5,980 = 5,083) → $2,990.
    r = tax_of(filing_status="single", age_head=66, taxable_distributions=18_600, wages=9_400,
               taxable_interest=990, social_security=5_980)
    assert r["taxable_social_security"] == pytest.approx(2_990)
    assert r["agi"] == pytest.approx(28_990 + 2_990)


def test_social_security_second_tier_and_cap():
    # Single, benefits 30,000, other income 40,000: provisional 55,000; over base 30,000;
    # over adjusted 21,000; 85% × 21,000 = 17,850 + min(4,500, 15,000) = 22,350;
    # cap 85% × 30,000 = 25,500 → 22,350.
    r = tax_of(wages=40_000, social_security=30_000)
    assert r["taxable_social_security"] == pytest.approx(22_350)
    # Much more income: the 85% cap binds.
    r = tax_of(wages=400_000, social_security=30_000)
    assert r["taxable_social_security"] == pytest.approx(25_500)


def test_social_security_married_filing_separately():
    # Lived with the spouse: base amounts of zero, 85% of provisional income (Pub. 915 line 9
    # note): provisional = 10,000 + 6,000 = 16,000 → 13,600 (cap 85% × 12,000 = 10,200).
    r = tax_of(filing_status="married_separate", wages=10_000, social_security=12_000)
    assert r["taxable_social_security"] == pytest.approx(10_200)
    r = tax_of(filing_status="married_separate", wages=2_000, social_security=12_000)
    assert r["taxable_social_security"] == pytest.approx(0.85 * 8_000)
    # Lived apart all year: the single amounts, provisional 8,000 < 25,000 → nothing.
    r = tax_of(filing_status="married_separate", wages=2_000, social_security=12_000,
               lived_apart=1)
    assert r["taxable_social_security"] == 0


def test_tax_exempt_interest_counts_in_provisional_income_only():
    # Single, wages 20,000, benefits 10,000, tax-exempt interest 10,000: provisional 35,000
    # → 50% tier: min(9,000 × 50% = 4,500, 5,000) + 85% × 1,000 = 5,350; AGI excludes the
    # tax-exempt interest.
    r = tax_of(wages=20_000, social_security=10_000, tax_exempt_interest=10_000)
    assert r["taxable_social_security"] == pytest.approx(5_350)
    assert r["agi"] == pytest.approx(25_350)


def test_capital_gain_worksheet_single_2025():
    # Wages 60,000, long-term gain 40,000, single, 2025: AGI 100,000, taxable income 84,250
    # (standard deduction 15,750). Line 5 ordinary 44,250; 0% up to 48,350 → 4,100 at 0%;
    # 35,900 at 15% = 5,385. Ordinary: 10% × 11,925 + 12% × 32,325 = 1,192.50 + 3,879 =
    # 5,071.50. Total 10,456.50.
    r = tax_of(tax_year=2025, wages=60_000, long_term_gains=40_000)
    assert r["taxable_income"] == pytest.approx(84_250)
    assert r["regular_tax"] == pytest.approx(10_456.50)


def test_capital_gain_worksheet_twenty_percent_mfj_2026():
    # MFJ 2026, qualified dividends 100,000 and gains 600,000 on wages 50,000: AGI 750,000,
    # taxable 717,800 (standard 32,200). Ordinary 17,800 → 10% = 1,780. Preferential 700,000:
    # 0% up to 98,900 → 81,100; 15% from 98,900 up to 613,700 → 514,800 × 15% = 77,220;
    # 20% on 104,100 = 20,820. Regular 99,820; NIIT 3.8% × min(700,000, 500,000) = 19,000.
    r = tax_of(tax_year=2026, filing_status="married_joint", wages=50_000,
               ordinary_dividends=100_000, qualified_dividends=100_000, long_term_gains=600_000)
    assert r["regular_tax"] == pytest.approx(99_820)
    assert r["niit"] == pytest.approx(19_000)


def test_senior_deduction_schedule_1a():
    # Single, 66, MAGI 100,000 (2025): 6,000 − 6% × 25,000 = 4,500.
    assert tax_of(tax_year=2025, age_head=66, wages=100_000)["senior_deduction"] == pytest.approx(4_500)
    # Joint, both over 65, MAGI 200,000: 2 × (6,000 − 6% × 50,000) = 6,000.
    r = tax_of(tax_year=2025, filing_status="married_joint", age_head=70, age_spouse=66,
               wages=200_000)
    assert r["senior_deduction"] == pytest.approx(6_000)
    # Gone at 175,000 (single) and 250,000 (joint); none for separate filers; none in 2024.
    assert tax_of(tax_year=2025, age_head=66, wages=175_000)["senior_deduction"] == 0
    assert tax_of(tax_year=2026, filing_status="married_separate", age_head=70,
                  wages=50_000)["senior_deduction"] == 0
    assert tax_of(tax_year=2024, age_head=70, wages=50_000)["senior_deduction"] == 0


def test_standard_deduction_with_age_and_blindness():
    # 2025 OBBBA amounts: single 15,750 + 2,000 (65+) + 2,000 (blind) = 19,750.
    r = tax_of(tax_year=2025, age_head=70, blind_head=1, wages=10_000)
    assert r["standard_deduction"] == pytest.approx(19_750)
    # Joint 2026: 32,200 + 3 × 1,650 = 37,150.
    r = tax_of(tax_year=2026, filing_status="married_joint", age_head=66, age_spouse=65,
               blind_spouse=1)
    assert r["standard_deduction"] == pytest.approx(37_150)


def test_early_distribution_additional_tax():
    r = tax_of(tax_year=2026, wages=50_000, taxable_distributions=20_000,
               early_distributions=12_000)
    assert r["additional_tax_72t"] == pytest.approx(1_200)
    assert r["income_tax"] == pytest.approx(r["regular_tax"] + r["amt"] + r["niit"] + 1_200)


def test_marginal_cost_is_the_difference_in_tax():
    units = TaxUnits.from_records([
        {"tax_year": 2026, "filing_status": "single", "wages": 70_000},
        {"tax_year": 2025, "filing_status": "single", "age_head": 67, "wages": 30_000,
         "social_security": 24_000},
    ])
    m = marginal_cost(units, 1_000, early=[True, False])
    # 2026 single, taxable 53,900: in the 22% bracket; +10% additional tax.
    assert m["cost"][0] == pytest.approx(320)
    assert m["rate"][0] == pytest.approx(0.32)
    # Retiree: provisional income 42,000 is past the adjusted base, so each dollar also makes
    # 85 cents of benefits taxable (taxable 11,300 of 24,000, below the cap); taxable income
    # 41,300 − 17,750 − 6,000 = 17,550 is in the 12% bracket: 12% × 1.85 = 22.2%.
    assert m["rate"][1] == pytest.approx(0.12 * 1.85, abs=1e-6)


def test_projected_years_are_indexed_and_flagged():
    """The first projected year is the one after the last enacted year (``law.enacted_through``):
    its standard deduction is the enacted one grown by the assumed chained CPI and rounded down
    to a multiple of $50 (§63(c)(4)(B)).  While 2026 is the last enacted year: 16,100 × 1.025 =
    16,502.50 → 16,500."""
    law = default_law()
    enacted, projected = law.enacted_through, law.enacted_through + 1
    base = law.scalar("income_tax.standard_deduction", enacted, 0)
    grown = base * (1 + law.inflation)
    assert law.scalar("income_tax.standard_deduction", projected, 0) == grown // 50 * 50
    if enacted == 2026:
        assert (base, law.inflation, grown // 50 * 50) == (16_100, 0.025, 16_500)
    # Unindexed amounts do not move: the NIIT threshold stays 200,000.
    assert law.scalar("niit.threshold", 2040, 0) == 200_000
    # The senior deduction ends after 2028.
    assert law.scalar("income_tax.senior_deduction", 2029) == 0
    r = tax_of(tax_year=projected, wages=50_000)
    assert bool(r["projected"]) is True
    assert bool(tax_of(tax_year=enacted, wages=50_000)["projected"]) is False


def test_batch_equals_units_one_by_one():
    rows = [
        {"tax_year": y, "filing_status": fs, "age_head": a, "wages": w, "long_term_gains": g,
         "social_security": s}
        for y, fs, a, w, g, s in [
            (2024, "single", 30, 50_000, 0, 0), (2025, "married_joint", 70, 0, 80_000, 40_000),
            (2026, "head_of_household", 50, 2_000_000, 500_000, 0),
            (2030, "qualifying_surviving_spouse", 80, 0, 10_000, 30_000)]
    ]
    batch = federal_tax(TaxUnits.from_records(rows))["income_tax"]
    one = [federal_tax(TaxUnits.from_records([r]))["income_tax"][0] for r in rows]
    np.testing.assert_allclose(batch, one)


def test_deduction_ages_are_read_from_the_law(tmp_path):
    # The ages of §63(f) and §151(d)(5)(C) are law data: a law whose age is 66 gives a
    # 65-year-old neither the additional standard deduction nor the senior deduction.
    import shutil

    from dist401k.law.loader import Law

    params = tmp_path / "params"
    shutil.copytree(default_law().params_dir, params)
    for name in ("additional_standard_deduction_age", "senior_deduction_age"):
        f = params / "income_tax" / f"{name}.yaml"
        f.write_text(f.read_text().replace(": 65\n", ": 66\n"))
    unit = TaxUnits.from_records([{"tax_year": 2025, "filing_status": "single", "age_head": 65,
                                   "wages": 30_000}])
    lawful, altered = federal_tax(unit)["standard_deduction"], federal_tax(unit, Law(params))
    assert lawful[0] == pytest.approx(15_750 + 2_000)          # Rev. Proc. 2024-40 + OBBBA
    assert altered["standard_deduction"][0] == pytest.approx(15_750)
    assert federal_tax(unit)["senior_deduction"][0] == pytest.approx(6_000)
    assert altered["senior_deduction"][0] == 0


def test_the_amt_allows_itemized_deductions_before_the_section_68_limit():
    # §56(b)(1)(E): §68 does not apply for the AMT.  Single, 2026 (Rev. Proc. 2025-32): wages
    # 900,000, long-term gains 1,000,000, itemized 800,000; AGI 1,900,000.  Regular tax: §68
    # takes 2/37 × min(800,000, 1,900,000 − 640,600) = 43,243.24, taxable 1,143,243.24 →
    # 206,863.54.  AMTI = 1,900,000 − 800,000 (not − 756,756.76) = 1,100,000; the exemption
    # is gone (90,100 − 50% × 600,000 < 0); Part III: 26% × 100,000 + 15% × 402,256.76 +
    # 20% × 597,743.24 = 205,887.16 < the regular tax → no AMT.
    r = tax_of(tax_year=2026, age_head=50, wages=900_000, long_term_gains=1_000_000,
               itemized_deductions=800_000)
    assert r["itemizes"]
    assert r["taxable_income"] == pytest.approx(1_143_243.24, abs=0.01)
    assert r["regular_tax"] == pytest.approx(206_863.54, abs=0.01)
    assert r["amt"] == 0.0
    assert r["income_tax"] == pytest.approx(206_863.54 + 38_000, abs=0.01)
