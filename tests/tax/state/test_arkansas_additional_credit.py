"""Arkansas's additional tax credit for qualified individuals (Ark. Code Ann. §26-51-501(a)(6);
AR1000TC line 6), by the 2025 worksheet's table: net taxable income (AR1000F line 28) "$0 -
$26,500 $60; $26,501 - $26,600 $55; ... $27,501 - $27,600 $5; $27,601 and up $0"; filing status 2
(joint): "Double the credit"; status 4 (separately on the same return): each column's own, added.
2024's table starts its steps above $25,800 (its last row "up to $26,900").  No more than the tax.
Before, dist401k left it out while calling the answer covered: a single 70-year-old taking
$30,000 in 2025 was shown $387, where PolicyEngine-US gives $327.

Every figure worked by hand from the table and the law files: standard deduction 2,410 (2024) /
2,470 (2025) a person; the Regular Income Tax Table at the middle of the $100 row (2024: 3.9%
less 409.86 from 25,700; 2025: 2% less 111.98 from 5,600, 3.4% less 287.97 from 16,000, 3.9% less
419.96 from 26,400), rounded to whole dollars; the $6,000 retirement exemption; the personal
credit 29.
"""

from __future__ import annotations

import pytest

from dist401k.tax.state import StateUnits, state_tax

CREDIT = "STATE_AR_ADDITIONAL_CREDIT"


def one(**kw) -> dict:
    cols = {"state": "AR", "tax_year": 2025, "filing_status": "single", "age_head": 70}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c for c, m in v.items() if m[0]}) for k, v in r.items()}


def test_the_reviewed_single_retiree_takes_the_credit():
    """Single, 70, $30,000 from a 401(k), 2025: AGI 24,000, line 28 21,530, row 21,500–21,599:
    21,549.50 × 3.4% − 287.97 = 444.71, 445; less 2 × 29 = 387; line 28 in the table's first
    row: $60 off, 327 (PolicyEngine-US's ``ar_income_tax``: 327)."""
    r = one(federal_agi=30_000, taxable_distributions=30_000)
    assert r["state_covered"] and r["state_income_tax"] == 327
    assert CREDIT in r["reasons"]


@pytest.mark.parametrize(("year", "line28", "table_tax", "credit"), [
    # 2025, row 26,500–26,599: 26,549.50 × 3.9% − 419.96 = 615.47, 615.
    (2025, 26_500, 615, 60),  # "$0 - $26,500 $60"
    (2025, 26_501, 615, 55),  # "$26,501 - $26,600 $55"
    # Row 27,600–27,699: 27,649.50 × 3.9% − 419.96 = 658.37, 658.
    (2025, 27_600, 658, 5),   # "$27,501 - $27,600 $5"
    (2025, 27_601, 658, 0),   # "$27,601 and up $0"
    # 2024, row 25,800–25,899: 25,849.50 × 3.9% − 409.86 = 598.27, 598: the full $60.
    (2024, 25_800, 598, 60),
    # Row 26,900–26,999: 26,949.50 × 3.9% − 409.86 = 641.17, 641; 11 rows above 25,800: $5.
    (2024, 26_900, 641, 5),
    (2024, 26_901, 641, 0),
])
def test_the_tables_rows(year, line28, table_tax, credit):
    """Single, 70, a 401(k) distribution giving ``line28`` after the exemption and the standard
    deduction: the table's tax less two personal credits and the row's credit."""
    paid = line28 + (2_470 if year == 2025 else 2_410) + 6_000
    r = one(tax_year=year, federal_agi=paid, taxable_distributions=paid)
    assert r["state_covered"] and r["state_income_tax"] == table_tax - 58 - credit
    assert (CREDIT in r["reasons"]) == (credit > 0)


def test_no_more_than_the_tax():
    """Single, 70, $16,470: line 28 8,000, row 8,000–8,099: 8,049.50 × 2% − 111.98 = 49.01, 49,
    less than the two personal credits (58): no tax, nothing left for the credit."""
    r = one(federal_agi=16_470, taxable_distributions=16_470)
    assert r["state_covered"] and r["state_income_tax"] == 0
    assert CREDIT not in r["reasons"]


def test_a_joint_return_doubles_it():
    """Joint, 2025, both 70, the head's $36,000 (the spouse none).  Together: AGI 30,000 (above
    the Low Income Tax Tables' 29,000), line 28 25,060, row 25,000–25,099: 25,049.50 × 3.4% −
    287.97 = 563.71, 564; the credit doubled: 120; 444.  Columns: the head's 27,530 →
    27,549.50 × 3.9% − 419.96 = 654.47, 654, its credit $5 (27,501–27,600), the spouse's empty
    column $60: 589.  Jointly is smaller: 444, less 5 × 29 (two, two from 65, the spouse's "65
    special") = 299.  (Before: 564 − 145 = 419.)"""
    r = one(filing_status="married_joint", age_spouse=70, federal_agi=36_000,
            taxable_distributions=36_000, spouse_distributions=0)
    assert r["state_covered"] and r["state_income_tax"] == 299


def test_each_column_takes_its_own():
    """Joint, 2025, both 70, $25,000 each (spouse_distributions).  Together: 50,000 − 12,000 −
    4,940 = 33,060, above the table: 33,049.50 × 3.9% − 419.96 = 868.97, 869.  Columns: 19,000 −
    2,470 = 16,530 each, 16,549.50 × 3.4% − 287.97 = 274.71, 275, less $60 each: 430, the
    smaller; less 4 × 29 = 314.  (Before: 550 − 116 = 434.)"""
    r = one(filing_status="married_joint", age_spouse=70, federal_agi=50_000,
            taxable_distributions=50_000, spouse_distributions=25_000)
    assert r["state_covered"] and r["state_income_tax"] == 314
    assert CREDIT in r["reasons"]
