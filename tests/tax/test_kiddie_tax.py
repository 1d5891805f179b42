"""A dependent's standard deduction (IRC §63(c)(5)) and a child's tax at the parent's rate
(IRC §1(g), Form 8615), worked by hand from the law's figures: Rev. Proc. 2025-32 (2026:
§63(c)(5) $1,350 / earned income + $450; single 10% to 12,400, 12% to 50,400; joint 10% to
24,800, 12% to 100,800, 22% to 211,400; capital gain 0% to 49,450 single, 98,900 joint)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.errors import InputError
from dist401k.tax import TaxUnits, federal_tax

CHILD = {"tax_year": 2026, "filing_status": "single", "age_head": 12, "dependent": True}
PARENTS = {"parent_filing_status": "married_joint", "parent_taxable_income": 150_000}


def _tax(**row):
    return {k: v[0] for k, v in federal_tax(TaxUnits.from_records([row])).items()}


def test_inherited_ira_of_a_12_year_old_is_taxed_at_the_parents_rate():
    """$30,000 from an inherited IRA (unearned income, Form 8615 instructions), 2026, parents
    MFJ with $150,000 taxable income.  Standard deduction: the greater of 1,350 and 0 + 450
    = 1,350 (§63(c)(5)); taxable income 28,650.  Form 8615: line 1 30,000; line 2 2 × 1,350 =
    2,700; line 5 = 27,300; line 8 = 177,300, all in the parents' 22% band (100,800–211,400):
    line 11 = 27,300 × 22% = 6,006; line 14 = 1,350 at 10% = 135; line 16 = 6,141.  Line 17
    (the child's own rates on 28,650): 1,240 + 12% × 16,250 = 3,190.  Tax: 6,141."""
    r = _tax(**CHILD, **PARENTS, taxable_distributions=30_000)
    assert r["standard_deduction"] == 1350
    assert r["taxable_income"] == 28_650
    assert r["regular_tax"] == pytest.approx(6141, abs=0.01)
    assert r["kiddie_tax"] == pytest.approx(6141 - 3190, abs=0.01)
    assert r["amt"] == 0  # §59(j) off after 2017 (§55(d)(4)(A)(iii)); 26% × (30,000 − 90,100) < 0
    assert r["income_tax"] == pytest.approx(6141, abs=0.01)
    assert not r["kiddie_tax_not_figured"]


def test_the_childs_own_rate_wins_where_it_is_higher():
    """Parents MFJ with $10,000 taxable income: line 8 = 37,300; line 11 = 14,800 at 10%
    (10,000–24,800) + 12,500 at 12% = 1,480 + 1,500 = 2,980; line 16 = 2,980 + 135 = 3,115,
    less than line 17's 3,190: the tax is 3,190 (§1(g)(1)(A))."""
    r = _tax(**CHILD, parent_filing_status="married_joint", parent_taxable_income=10_000,
             taxable_distributions=30_000)
    assert r["regular_tax"] == pytest.approx(3190, abs=0.01)
    assert r["kiddie_tax"] == pytest.approx(0, abs=0.01)


def test_other_children_share_the_allocable_parental_tax():
    """Line 7: a sibling's net unearned income of 10,000.  Line 8 = 27,300 + 150,000 + 10,000
    = 187,300 (22% band); line 11 = 37,300 × 22% = 8,206; line 13 = 8,206 × 27,300 / 37,300
    = 6,006; tax 6,141, as if alone — the band is the same."""
    r = _tax(**CHILD, **PARENTS, other_children_net_unearned_income=10_000,
             taxable_distributions=30_000)
    assert r["regular_tax"] == pytest.approx(6141, abs=0.01)
    # across a band: parents at 200,000, line 8 = 237,300; line 9 − 10 = 11,400 × 22% +
    # 25,900 × 24% = 8,724; the child's share 27,300/37,300 = 6,385.18; + 135.
    r = _tax(**CHILD, parent_filing_status="married_joint", parent_taxable_income=200_000,
             other_children_net_unearned_income=10_000, taxable_distributions=30_000)
    assert r["regular_tax"] == pytest.approx(8724 * 27_300 / 37_300 + 135, abs=0.01)


def test_dependent_standard_deduction_with_wages():
    """Pub. 501's worksheet for dependents: wages 3,000 → 3,000 + 450 = 3,450 (> 1,350),
    not more than 16,100; the §1(g) line 1 is AGI less earned income."""
    r = _tax(**CHILD, **PARENTS, wages=3_000, taxable_distributions=30_000)
    assert r["standard_deduction"] == 3450
    # taxable 29,550; line 5 = min(30,000 − 2,700, 29,550) = 27,300; line 14 = 2,250 at 10%
    assert r["regular_tax"] == pytest.approx(6006 + 225, abs=0.01)
    assert _tax(**CHILD, wages=20_000)["standard_deduction"] == 16_100


def test_qualified_dividends_in_net_unearned_income():
    """Form 8615 Line 5 Worksheet #1: qualified dividends 10,000 of 30,000 unearned: line 5 =
    27,300 holds 10,000 − 2,700 × 1/3 = 9,100 of them.  Line 9 (parents MFJ, 150,000 +
    27,300): 18,200 ordinary at 22% on top of 150,000, the 9,100 at 15% (above 98,900):
    line 11 = 4,004 + 1,365 = 5,369.  Line 14 = 1,350 with 900 qualified: 450 at 10% + 900 at
    0% = 45.  Line 16 = 5,414; line 17: 28,650 with 10,000 at 0% → 18,650 ordinary =
    1,240 + 12% × 6,250 = 1,990; tax 5,414."""
    r = _tax(**CHILD, **PARENTS, taxable_distributions=20_000, ordinary_dividends=10_000,
             qualified_dividends=10_000)
    assert r["regular_tax"] == pytest.approx(5414, abs=0.01)


@pytest.mark.parametrize(("age", "student", "over_half", "reached"), [
    (17, False, False, True), (17, False, True, True),   # under 18: support does not matter
    (18, False, False, True), (18, False, True, False),  # 18: only without earned > ½ support
    (19, False, False, False), (19, True, False, True), (23, True, False, True),
    (23, True, True, False), (24, True, False, False)])
def test_who_section_1g_reaches(age, student, over_half, reached):
    """§1(g)(2)(A): under 18; or 18, or a full-time student under 24 (§152(c)(3)), whose
    earned income is not more than half of the child's support."""
    r = _tax(**{**CHILD, "age_head": age}, **PARENTS, full_time_student=student,
             earned_over_half_support=over_half, taxable_distributions=30_000)
    assert (r["kiddie_tax"] > 0) == reached


def test_a_dependent_without_the_parents_figures_is_marked():
    """No parent's figures: the tax is at the child's own rates (a lower bound) and says so."""
    r = _tax(**CHILD, taxable_distributions=30_000)
    assert r["regular_tax"] == pytest.approx(3190, abs=0.01)
    assert r["kiddie_tax_not_figured"]
    assert not _tax(**CHILD, taxable_distributions=2_000)["kiddie_tax_not_figured"]
    # §1(g)(2) has no dependency test: a 12-year-old who is no dependent is marked too
    # (tests/tax/test_kiddie_tax_doors.py); one of 19, neither student nor dependent, is not
    assert _tax(**{**CHILD, "dependent": False}, taxable_distributions=30_000)[
        "kiddie_tax_not_figured"]
    assert not _tax(**{**CHILD, "dependent": False, "age_head": 19},
                    taxable_distributions=30_000)["kiddie_tax_not_figured"]


def test_without_the_new_columns_nothing_changes():
    """Not a dependent, no parent: the full standard deduction, the child's own rates."""
    r = _tax(tax_year=2026, filing_status="single", age_head=12, taxable_distributions=30_000)
    assert r["standard_deduction"] == 16_100 and r["kiddie_tax"] == 0
    assert r["regular_tax"] == pytest.approx(1240 + 0.12 * 1_500, abs=0.01)


@pytest.mark.parametrize(("row", "field"), [
    ({"parent_taxable_income": 5}, "parent_taxable_income"),
    ({"other_children_net_unearned_income": 5}, "other_children_net_unearned_income"),
    ({"parent_filing_status": "spouse", "parent_taxable_income": 5}, "parent_filing_status"),
    ({**PARENTS, "parent_taxable_income": -1}, "parent_taxable_income"),
    ({**PARENTS, "filing_status": "married_joint"}, "parent_filing_status"),
])
def test_bad_parent_figures_name_the_field(row, field):
    with pytest.raises(InputError) as e:
        TaxUnits.from_records([{**CHILD, **row}])
    assert [p.field for p in e.value.problems] == [field]


@settings(max_examples=60, deadline=None)
@given(age=st.integers(0, 30), dist=st.floats(0, 400_000), wages=st.floats(0, 40_000),
       qd=st.floats(0, 20_000), parent=st.floats(0, 1_000_000),
       status=st.sampled_from(["single", "married_joint", "married_separate",
                               "head_of_household"]),
       student=st.booleans(), year=st.sampled_from([2024, 2025, 2026, 2030]))
def test_section_1g_never_lowers_the_tax(age, dist, wages, qd, parent, status, student, year):
    """The tax with §1(g) is never less than without it (§1(g)(1): the greater of), and is
    the same where the unearned income is at most twice the §63(c)(5)(A) amount."""
    base = {"tax_year": year, "filing_status": "single", "age_head": age, "dependent": True,
            "full_time_student": student, "wages": wages, "taxable_distributions": dist,
            "ordinary_dividends": qd, "qualified_dividends": qd}
    with_parent = {**base, "parent_filing_status": status, "parent_taxable_income": parent}
    r = federal_tax(TaxUnits.from_records([base, with_parent]))
    assert r["regular_tax"][1] >= r["regular_tax"][0] - 1e-6
    assert r["income_tax"][1] >= r["income_tax"][0] - 1e-6
    allowance = 2 * {2024: 1300, 2025: 1350, 2026: 1350}.get(year, 1350)
    if dist + qd <= allowance:
        assert r["income_tax"][1] == pytest.approx(r["income_tax"][0], abs=1e-6)
    assert np.all(r["kiddie_tax"] >= -1e-6)
