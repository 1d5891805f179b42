"""A CPA's review of the kiddie tax (IRC §1(g), Form 8615): the parent's taxable income is
required with the parent's filing status in every door of the tax units, a blank one is no
parent's figures where the parent's filing status is blank too; and the tax of a child §1(g)
reaches without the parent's figures is marked a lower bound whether or not the child is a
dependent (§1(g)(2): no dependency test; Form 8615 instructions, "Who Must File": "These rules
apply whether or not the child is a dependent").

Figures by hand from the law (Rev. Proc. 2023-34, 2024: single 10% to 11,600, 12% to 47,150,
22% to 100,525; the §63(c)(5)(A) amount 1,300, so Form 8615 line 2 is 2,600.  Rev. Proc.
2025-32, 2026: single standard deduction 16,100, 10% to 12,400; §63(c)(5)(A) 1,350)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import load_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.tax import TaxUnits, federal_tax

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"
REQUIRED = "is required with parent_filing_status"
runner = CliRunner()


def _tax(**row):
    return {k: v[0] for k, v in federal_tax(TaxUnits.from_records([row])).items()}


# --- D1: the parent's taxable income goes with the parent's filing status -------------------

def test_a_parents_status_without_the_parents_income_is_refused_from_records():
    """The reviewer's row: a 12-year-old, $10,000 of interest, parent single, no income."""
    with pytest.raises(InputError) as e:
        TaxUnits.from_records([{"tax_year": 2024, "filing_status": "single", "age_head": 12,
                                "taxable_interest": 10_000, "parent_filing_status": "single"}])
    assert [(p.field, p.problem, p.row) for p in e.value.problems] == [
        ("parent_taxable_income", REQUIRED, 1)]


def test_a_blank_parents_income_beside_a_parents_status_is_refused_from_columns():
    cols = {"tax_year": [2024, 2024], "filing_status": ["single", "single"],
            "parent_filing_status": ["single", "single"], "parent_taxable_income": [50_000, None]}
    with pytest.raises(InputError) as e:
        TaxUnits.from_columns(cols)
    assert [(p.field, p.problem, p.row) for p in e.value.problems] == [
        ("parent_taxable_income", REQUIRED, 2)]


def test_the_tax_command_refuses_the_reviewers_file(tmp_path):
    src = tmp_path / "kid.csv"
    src.write_text("tax_year,filing_status,age_head,taxable_interest,parent_filing_status\n"
                   "2024,single,12,10000,single\n")
    r = runner.invoke(app, ["tax", str(src), "--format", "json"])
    assert r.exit_code == 2
    assert "row 1, parent_taxable_income: is required with parent_filing_status" in r.output


def test_a_mixed_file_needs_no_zero_typed_in(tmp_path):
    """Row 1, a dependent of 12 with $10,000 of interest, parent single with $50,000 of taxable
    income (2024): standard deduction 1,300 (§63(c)(5)); taxable 8,700; line 5 = 10,000 −
    2,600 = 7,400; line 8 = 57,400, all in the 22% band: line 11 = 1,628; line 14 = 1,300 at
    10% = 130; tax 1,758 against 870 at her own rates.  Row 2, the same child with the parent's
    columns blank: 870, marked a lower bound."""
    src = tmp_path / "kids.csv"
    src.write_text("tax_year,filing_status,age_head,dependent,taxable_interest,"
                   "parent_filing_status,parent_taxable_income,other_children_net_unearned_income\n"
                   "2024,single,12,1,10000,single,50000,0\n"
                   "2024,single,12,1,10000,,,\n")
    r = runner.invoke(app, ["tax", str(src), "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)["results"]
    assert rows[0]["regular_tax"] == pytest.approx(1758, abs=0.01)
    assert rows[0]["kiddie_tax"] == pytest.approx(888, abs=0.01)
    assert rows[0]["kiddie_tax_not_figured"] is False
    assert rows[1]["regular_tax"] == pytest.approx(870, abs=0.01)
    assert rows[1]["kiddie_tax_not_figured"] is True


def test_a_blank_other_childrens_figure_beside_a_parent_is_none(tmp_path):
    """The first child of the test above with Form 8615 line 7 left blank: no other children
    (its default in a case file and a plan book), the same 1,758."""
    src = tmp_path / "kids.csv"
    src.write_text("tax_year,filing_status,age_head,dependent,taxable_interest,"
                   "parent_filing_status,parent_taxable_income,other_children_net_unearned_income\n"
                   "2024,single,12,1,10000,single,50000,\n")
    r = runner.invoke(app, ["tax", str(src), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["results"][0]["regular_tax"] == pytest.approx(1758, abs=0.01)


# --- the gap: §1(g) has no dependency test -----------------------------------------------

@pytest.mark.parametrize(("flags", "marked"), [
    ({"age_head": 12}, True),                              # under 18: §1(g)(2)(A)(i)
    ({"age_head": 17, "earned_over_half_support": True}, True),  # support counts from 18 only
    ({"age_head": 18}, False),               # the support test needs the flags: not applied
    ({"age_head": 18, "dependent": True}, True),           # (A)(ii), §152(c)(3)(A)(i)
    ({"age_head": 20, "full_time_student": True}, True),   # (A)(ii), §152(c)(3)(A)(ii)
    ({"age_head": 20, "full_time_student": True, "earned_over_half_support": True}, False),
    ({"age_head": 20, "dependent": True}, False),          # 19, not a student: not reached
    ({"age_head": 24, "full_time_student": True}, False),
])
def test_the_lower_bound_mark_reaches_a_child_whether_or_not_a_dependent(flags, marked):
    """$30,000 of plan distributions in 2026 (line 1 above 2,700; taxable income above zero
    whatever the standard deduction), no parent's figures."""
    r = _tax(tax_year=2026, filing_status="single", taxable_distributions=30_000, **flags)
    assert bool(r["kiddie_tax_not_figured"]) is marked


def test_no_mark_without_net_unearned_income():
    """A 12-year-old, not a dependent, $10,000 of interest: standard deduction 16,100, taxable
    income 0, so Form 8615 line 5 is 0 — nothing for §1(g) to tax."""
    assert not _tax(tax_year=2026, filing_status="single", age_head=12,
                    taxable_interest=10_000)["kiddie_tax_not_figured"]


def test_the_minor_heir_of_the_example_is_told_her_tax_is_a_lower_bound():
    """inherited-minor-child.yaml: born 2010-07-19, 16 at the end of 2026, no `dependent`, no
    `person.parent`: her payments are unearned income §1(g) reaches (under 18)."""
    out = assess_cases([load_case(EXAMPLES / "inherited-minor-child.yaml")])[0]
    assert any(n["code"] == "KIDDIE_TAX_NOT_FIGURED" for n in out["notes"])


def test_the_terminal_table_marks_a_lower_bound(tmp_path):
    """A 16-year-old with $30,000 of distributions and no parent's figures: §1(g) may reach her
    (under 18), so the table's figure is a lower bound and says so; the adult beside her is not
    marked."""
    src = tmp_path / "kids.csv"
    src.write_text("tax_year,filing_status,age_head,taxable_distributions\n"
                   "2026,single,16,30000\n2026,single,45,30000\n")
    r = runner.invoke(app, ["tax", str(src)], env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.output
    rows = [line.split() for line in r.output.splitlines() if "2026" in line and "single" in line]
    assert [row[0] for row in rows] == ["1†", "2"]
    assert "† a lower bound" in r.output and "§1(g)" in r.output
