"""A separate filer whose spouse itemizes (IRC §63(c)(6)(A): "in the case of a married
individual filing a separate return where either spouse itemizes deductions ... the standard
deduction shall be zero"; Form 1040, the box "Spouse itemizes on a separate return"), and
``lived_apart`` on a return other than a separate one, refused in the tax door as in the others.

The standard deduction of §63(c)(1) is the basic amount *plus* the additional amounts of
§63(f), so both are zero.  Such a filer itemizes (Pub. 501, "Persons not eligible for the
standard deduction": "your standard deduction is zero and you should itemize"), so the §170(p)
deduction of one who does not elect to itemize is not taken either.

Figures by hand from the law: 2025 married filing separately (Rev. Proc. 2024-40 as amended by
P.L. 119-21 §70102): 10% to 11,925, 12% to 48,475, 22% to 103,350; basic standard deduction
15,750.  2026 (Rev. Proc. 2025-32): 10% to 12,400, 12% to 50,400; basic 16,100, additional
1,650 (married).  The senior deduction is never allowed on a separate return (§151(d)(5)(C)).
"""

from __future__ import annotations

import json

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from dist401k.case import LIVED_APART_SEPARATE_ONLY
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law.loader import default_law
from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.units import SPOUSE_ITEMIZES_SEPARATE_ONLY

runner = CliRunner()


def _tax(**row):
    return {k: v[0] for k, v in federal_tax(TaxUnits.from_records([row])).items()}


MFS_2025 = dict(tax_year=2025, filing_status="married_separate", age_head=60,
                taxable_distributions=50_000)


def test_the_reviewers_row_without_the_flag():
    """Standard deduction 15,750; taxable 34,250: 1,192.50 + 12% × 22,325 = 3,871.50."""
    r = _tax(**MFS_2025)
    assert r["standard_deduction"] == 15_750
    assert r["income_tax"] == pytest.approx(3_871.50, abs=0.005)


def test_the_spouse_itemizing_leaves_no_standard_deduction():
    """Taxable income 50,000: 1,192.50 + 12% × 36,550 + 22% × 1,525 = 5,914.00."""
    r = _tax(**MFS_2025, spouse_itemizes=1)
    assert r["standard_deduction"] == 0
    assert r["taxable_income"] == 50_000
    assert r["income_tax"] == pytest.approx(5_914.00, abs=0.005)
    assert r["itemizes"]


def test_the_deduction_is_the_itemized_deductions():
    """Itemized 20,000, the whole deduction (the standard one is zero): taxable 30,000 →
    1,192.50 + 12% × 18,075 = 3,361.50."""
    r = _tax(**MFS_2025, spouse_itemizes=True, itemized_deductions=20_000)
    assert r["itemizes"]
    assert r["taxable_income"] == 30_000
    assert r["income_tax"] == pytest.approx(3_361.50, abs=0.005)


def test_small_itemized_deductions_are_still_taken():
    """Itemized 5,000, below the 15,750 the filer may no longer take: taxable 45,000 →
    1,192.50 + 12% × 33,075 = 5,161.50."""
    r = _tax(**MFS_2025, spouse_itemizes=1, itemized_deductions=5_000)
    assert r["itemizes"] and r["taxable_income"] == 45_000
    assert r["income_tax"] == pytest.approx(5_161.50, abs=0.005)


def test_no_additional_amount_at_67_in_2026():
    """67 at the end of 2026: without the flag 16,100 + 1,650 = 17,750, taxable 22,250 →
    1,240 + 12% × 9,850 = 2,422; with it none of the two amounts and no senior deduction
    (separate return): taxable 40,000 → 1,240 + 12% × 27,600 = 4,552."""
    row = dict(tax_year=2026, filing_status="married_separate", age_head=67,
               taxable_distributions=40_000)
    assert _tax(**row)["income_tax"] == pytest.approx(2_422, abs=0.005)
    r = _tax(**row, spouse_itemizes=1)
    assert r["standard_deduction"] == 0 and r["senior_deduction"] == 0
    assert r["income_tax"] == pytest.approx(4_552, abs=0.005)


def test_no_nonitemizer_charitable_deduction_for_one_who_itemizes():
    """2026, $500 of cash gifts: without the flag 16,100 + 500 deducted, taxable 23,400 →
    1,240 + 12% × 11,000 = 2,560; with it the filer itemizes and §170(p) (one "who does not
    elect to itemize") gives nothing: taxable 40,000 → 4,552."""
    row = dict(tax_year=2026, filing_status="married_separate", age_head=50,
               taxable_distributions=40_000, charitable_cash=500)
    assert _tax(**row)["income_tax"] == pytest.approx(2_560, abs=0.005)
    r = _tax(**row, spouse_itemizes=1)
    assert r["charitable_deduction"] == 0
    assert r["income_tax"] == pytest.approx(4_552, abs=0.005)


# --- the flag and lived_apart on another filing status: one line naming the column ----------

OTHER = ("single", "married_joint", "head_of_household", "qualifying_surviving_spouse")


@pytest.mark.parametrize("status", OTHER)
@pytest.mark.parametrize(("column", "words"), [("spouse_itemizes", SPOUSE_ITEMIZES_SEPARATE_ONLY),
                                               ("lived_apart", LIVED_APART_SEPARATE_ONLY)],
                         ids=["spouse_itemizes", "lived_apart"])
def test_refused_on_another_status_from_records(status, column, words):
    with pytest.raises(InputError) as e:
        TaxUnits.from_records([{"tax_year": 2025, "filing_status": status, column: 1}])
    assert [(p.field, p.problem, p.row) for p in e.value.problems] == [(column, words, 1)]


def test_false_on_another_status_is_no_problem():
    r = _tax(tax_year=2025, filing_status="single", spouse_itemizes=0, lived_apart=0,
             taxable_distributions=50_000)
    assert r["standard_deduction"] == 15_750


@pytest.mark.parametrize(("column", "words"), [("spouse_itemizes", SPOUSE_ITEMIZES_SEPARATE_ONLY),
                                               ("lived_apart", LIVED_APART_SEPARATE_ONLY)],
                         ids=["spouse_itemizes", "lived_apart"])
def test_the_tax_command_refuses_it(tmp_path, column, words):
    src = tmp_path / "u.csv"
    src.write_text(f"tax_year,filing_status,age_head,taxable_distributions,{column}\n"
                   "2025,married_separate,60,50000,1\n2025,head_of_household,60,50000,1\n")
    r = runner.invoke(app, ["tax", str(src), "--format", "json"])
    assert r.exit_code == 2
    assert f"row 2, {column}: {words}" in r.output
    assert "row 1" not in r.output


def test_the_tax_command_figures_the_reviewers_row(tmp_path):
    src = tmp_path / "u.csv"
    src.write_text("tax_year,filing_status,age_head,taxable_distributions,spouse_itemizes\n"
                   "2025,married_separate,60,50000,1\n")
    r = runner.invoke(app, ["tax", str(src), "--format", "json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["results"][0]["income_tax"] == pytest.approx(5_914, abs=0.005)


@pytest.mark.parametrize(("column", "words"), [("spouse_itemizes", SPOUSE_ITEMIZES_SEPARATE_ONLY),
                                               ("lived_apart", LIVED_APART_SEPARATE_ONLY)],
                         ids=["spouse_itemizes", "lived_apart"])
def test_the_batch_tax_job_gives_an_error_row(column, words):
    from dist401k.jobs import run_job

    table = pa.table({"tax_year": [2025, 2025],
                      "filing_status": ["married_separate", "head_of_household"],
                      "age_head": [60, 60], "taxable_distributions": [50_000.0, 50_000.0],
                      column: [1, 1]})
    ok, bad = run_job(table, "tax", default_law()).to_pylist()
    assert ok["status"] == "ok", ok.get("error_message")
    if column == "spouse_itemizes":
        assert ok["income_tax"] == pytest.approx(5_914, abs=0.005)
    assert bad["status"] != "ok"
    assert bad["error_column"] == column and words in bad["error_message"]


@pytest.mark.parametrize("status", ["single", "married_separate", "head_of_household",
                                    "qualifying_surviving_spouse"])
def test_blind_spouse_off_a_joint_return_is_refused_as_the_case_refuses_it(status):
    """§63(f)(2)(B): the spouse's blind amount needs the spouse's §151(b) exemption, a joint
    return's (a separate filer's claim is not modelled); `assess` refuses
    `person.spouse_blind` off a joint return, and the tax door now says the same, naming the
    column, where it read the flag and ignored it."""
    from dist401k.case import SPOUSE_BLIND_JOINT_ONLY

    with pytest.raises(InputError) as e:
        TaxUnits.from_columns({"tax_year": [2026], "filing_status": [status], "age_head": [40],
                               "blind_spouse": [1], "wages": [100000.0]})
    assert "blind_spouse" in str(e.value) and SPOUSE_BLIND_JOINT_ONLY in str(e.value)
    joint = TaxUnits.from_columns({"tax_year": [2026], "filing_status": ["married_joint"],
                                   "age_head": [40], "age_spouse": [40], "blind_spouse": [1],
                                   "wages": [100000.0]})
    assert bool(joint.blind_spouse[0])
