"""New York's recapture of the lower brackets' benefit above $107,650 of New York AGI (Tax Law
§601(d-1); IT-201 instructions, tax computation worksheets 1–6), on units worked by hand line
by line from the worksheets.

Two of the worksheets' roundings decide the cents: the phase-in fraction (the excess of New York
AGI over $107,650 or over the bracket's lower end, divided by $50,000) is "rounded to the fourth
decimal place", and the recapture base and incremental benefit are printed in whole dollars (on
a joint return $333 and $807 below $323,200 of taxable income, $1,140 and $2,747 above it;
single $568, $1,831, $2,399, $30,172; head of household $787, $2,289: the 2024 instructions, and
PolicyEngine-US's New York supplemental tax parameters, which cite them).  A joint return's
$333 is 5.5% × 27,900 − 1,202 = 332.50, rounded up.

Each unit is 50, with taxable plan distributions and nothing else: New York AGI is federal
AGI, taxable income is New York AGI less the standard deduction ($8,000 single and separate,
$11,200 head of household, $16,050 joint and surviving spouse).  Line "tax on line 2 from the
rate schedule" is each dollar at its bracket's rate (the schedule's rates; 2024 and 2025:
4%, 4.5%, 5.25%, 5.5%, 6%, 6.85%, 9.65%; 2026: 3.9%, 4.4%, 5.15%, 5.4%, 5.9%).
"""

from __future__ import annotations

import pytest
from state_cases import one


def ny_tax(year: int, status: str, ny_agi: float) -> float:
    """dist401k's New York State tax for a unit of 50 whose only income is ``ny_agi`` of
    taxable plan distributions."""
    unit = {"state": "NY", "tax_year": year, "filing_status": status, "age_head": 50,
            "age_spouse": 50 if status == "married_joint" else 0, "federal_agi": ny_agi,
            "taxable_distributions": ny_agi}
    return one(unit)["state_income_tax"]


@pytest.mark.parametrize("year, status", [(2024, "married_joint"),
                                          (2025, "qualifying_surviving_spouse")])
def test_a_joint_returns_recapture_base_is_333_not_332(year, status):
    # Worksheet 2 (NY AGI over $161,550, taxable income over $161,550 and not over $323,200):
    #   1 NY AGI 180,000; 2 taxable income 180,000 − 16,050 = 163,950
    #   3 recapture base 333; 4 incremental benefit 807
    #   5 180,000 − 161,550 = 18,450; 6 18,450 / 50,000 = 0.3690
    #   7 807 × 0.3690 = 297.783; 8 333 + 297.783 = 630.783
    #   9 tax on 163,950: 686 + 290.25 + 225.75 + 7,350.75 (5.5% of 133,650) + 144 (6% of 2,400)
    #     = 8,696.75
    #  10 8,696.75 + 630.783 = 9,327.533
    # (A base of 332, 332.50 rounded half to even, gives 9,326.90.)
    assert ny_tax(year, status, 180_000) == pytest.approx(9_327.53, abs=0.005)


def test_a_joint_return_in_2026_keeps_the_333_and_807():
    # 2026 rates: 5.4% × 27,900 − (668.85 + 283.80 + 221.45) = 332.50 → 333; 5.9% × 161,550 −
    # (1,174.10 + 7,217.10) = 1,140.25 → 1,140, so 807 more (PolicyEngine-US: 333 and 807).
    #   5 200,000 − 161,550 = 38,450; 6 0.7690; 7 807 × 0.7690 = 620.583; 8 953.583
    #   9 tax on 183,950: 8,391.20 + 5.9% of 22,400 (1,321.60) = 9,712.80
    #  10 9,712.80 + 953.583 = 10,666.383
    assert ny_tax(2026, "married_joint", 200_000) == pytest.approx(10_666.38, abs=0.005)


def test_the_fraction_is_rounded_to_four_places_in_a_high_bracket():
    # Single 2025, taxable income over $1,077,550 (recapture base 2,399, incremental 30,172):
    #   1 1,101,234.56; 2 1,093,234.56
    #   excess 1,101,234.56 − 1,077,550 = 23,684.56; / 50,000 = 0.4736912 → 0.4737
    #   30,172 × 0.4737 = 14,292.4764; + 2,399 = 16,691.4764
    #   tax on 1,093,234.56: 340 + 144 + 115.50 + 3,671.25 + 8,085 + 59,057.275 (6.85% of
    #   862,150) + 1,513.56004 (9.65% of 15,684.56) = 72,926.58504
    #   72,926.58504 + 16,691.4764 = 89,618.06144
    # (The unrounded fraction gives 89,617.80.)
    assert ny_tax(2025, "single", 1_101_234.56) == pytest.approx(89_618.06, abs=0.005)


def test_the_fraction_is_rounded_half_up():
    # Married filing separately 2024, worksheet 1 (taxable income $215,400 or less):
    #   1 119,992.50; 2 111,992.50; 3 6% × 111,992.50 = 6,719.55
    #   4 tax on 111,992.50: 340 + 144 + 115.50 + 3,671.25 + 1,880.55 (6% of 31,342.50) = 6,151.30
    #   5 6,719.55 − 6,151.30 = 568.25
    #   6 119,992.50 − 107,650 = 12,342.50; 7 / 50,000 = 0.24685 → 0.2469 (half up)
    #   8 568.25 × 0.2469 = 140.300925; 9 6,151.30 + 140.300925 = 6,291.600925
    # (Half to even, 0.2468, gives 6,291.54; unrounded, 6,291.57.)
    assert ny_tax(2024, "married_separate", 119_992.50) == pytest.approx(6_291.60, abs=0.005)


def test_a_head_of_household_in_the_685_bracket():
    # Head of household 2024, taxable income over $269,300 (recapture base 787, incremental
    # 2,289):
    #   1 301,234.57; 2 301,234.57 − 11,200 = 290,034.57
    #   excess over 269,300: 31,934.57; / 50,000 = 0.6386914 → 0.6387
    #   2,289 × 0.6387 = 1,461.9843; + 787 = 2,248.9843
    #   tax on 290,034.57: 512 + 218.25 + 170.625 + 4,771.25 (5.5% of 86,750) + 9,699 (6% of
    #   161,650) + 1,420.318045 (6.85% of 20,734.57) = 16,791.443045
    #   16,791.443045 + 2,248.9843 = 19,040.427345
    assert ny_tax(2024, "head_of_household", 301_234.57) == pytest.approx(19_040.43, abs=0.005)


def test_taxable_income_at_a_brackets_upper_end_takes_the_lower_worksheet():
    # Joint 2024, taxable income exactly 161,550: worksheet 1 ("taxable income is $161,550 or
    # less"), not worksheet 2.
    #   1 177,600; 2 177,600 − 16,050 = 161,550
    #   3 5.5% × 161,550 = 8,885.25 (stop: line 1 is $157,650 or more: line 3 is the tax)
    # (Worksheet 2 would give 8,552.75 + 333 + 0.3210 × 807 = 9,144.80.)
    assert ny_tax(2024, "married_joint", 177_600) == pytest.approx(8_885.25, abs=0.005)
