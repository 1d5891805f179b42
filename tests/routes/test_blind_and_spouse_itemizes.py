"""Blindness (IRC §63(f)(2)) and a spouse who itemizes on a separate return (§63(c)(6)(A)) in
the case: `assess` prices them as `dist401k tax` does with ``blind_head`` / ``blind_spouse`` /
``spouse_itemizes``, through a case file and a batch row, and refuses the spouse's flags on
another filing status in the same words through every door.

Figures worked by hand from Rev. Proc. 2025-32 (2026: single standard deduction $16,100, the
additional amount $2,050 unmarried / $1,650 married; single brackets 10% to $12,400, 12% to
$50,400, 22% to $105,700; joint: $32,200, 10% to $24,800, 12% to $100,800) and Rev. Proc.
2024-40 as amended by P.L. 119-21 (2025: separate standard deduction $15,750; 10% to $11,925,
12% to $48,475, 22% to $103,350).

- Single, 56, blind, wages $30,000, $50,000 paid (the reviewer's case).  Without the payment:
  taxable income 30,000 − 18,150 = 11,850, tax $1,185.00 (not blind: 13,900, $1,420.00).  With
  it: 80,000 − 18,150 = 61,850, tax 1,240 + 12% × 38,000 + 22% × 11,450 = $8,319.00 (not blind:
  63,900, $8,770.00).  The payment's tax: 8,319 − 1,185 = $7,134.00 (not blind: $7,350.00).
- Joint, both 56, both blind, wages $60,000, $50,000 paid.  Deduction 32,200 + 2 × 1,650 =
  35,500.  Without: 24,500 → $2,450.00.  With: 74,500 → 2,480 + 12% × 49,700 = $8,444.00.
  The payment's tax $5,994.00 (neither blind: 27,800 → 2,480 + 12% × 3,000 = $2,840.00 and
  77,800 → 2,480 + 12% × 53,000 = $8,840.00: $6,000.00; the blind couple's $3,300 less of
  taxable income is worth 12% with the payment, only 10% of $300 + 12% of $3,000 without).
- Separate, 60, the spouse itemizes, $50,000 paid, nothing else: no standard deduction,
  taxable income 50,000, tax 1,192.50 + 12% × 36,550 + 22% × 1,525 = $5,914.00 (with the
  deduction: 34,250 → $3,871.50).
"""

from __future__ import annotations

import copy
import json

import pyarrow as pa
import pytest
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import LIVED_APART_SEPARATE_ONLY, SPOUSE_BLIND_JOINT_ONLY, parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.tax.units import SPOUSE_ITEMIZES_SEPARATE_ONLY

LAW = default_law()

SINGLE = {
    "person": {"birth_date": "1970-03-03", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2000-01-01",
                   "separation_date": "2025-06-30"},
    "income": {"wages": 30000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 300000}},
                "prior_year_end_balance": 290000},
    "request": {"date": "2026-03-02", "amount": 50000, "destination": "cash"},
}

SEPARATE = {
    "person": {"birth_date": "1965-05-05", "filing_status": "married_separate"},
    "employment": {"status": "separated", "hire_date": "2000-01-01",
                   "separation_date": "2020-06-30"},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 300000}},
                "prior_year_end_balance": 290000},
    "request": {"date": "2025-10-01", "amount": 50000, "destination": "cash"},
}


def _case(base: dict, **person) -> dict:
    c = copy.deepcopy(base)
    c["person"].update(person)
    return c


def _cash(case: dict) -> dict:
    answer = assess_cases([parse_case(case)])[0]
    return next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


def _tax_command(tmp_path, header: str, row: str) -> dict:
    src = tmp_path / "units.csv"
    src.write_text(header + "\n" + row + "\n")
    out = tmp_path / "out.json"
    res = CliRunner().invoke(app, ["tax", str(src), "-o", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    rows = data if isinstance(data, list) else data.get("results", data.get("rows"))
    return rows[0]


@pytest.mark.parametrize("blind, tax", [(True, 7134.0), (False, 7350.0)])
def test_a_blind_single_filers_payment_is_taxed_with_the_additional_amount(blind, tax):
    assert _cash(_case(SINGLE, blind=blind))["income_tax_increase"] == tax


def test_assess_agrees_with_the_tax_command_for_the_same_unit(tmp_path):
    """The tax command's unit with and without the payment: $8,319.00 and $1,185.00."""
    head = "tax_year,filing_status,age_head,blind_head,wages,taxable_distributions"
    with_it = _tax_command(tmp_path, head, "2026,single,56,1,30000,50000")["income_tax"]
    without = _tax_command(tmp_path, head, "2026,single,56,1,30000,0")["income_tax"]
    assert (with_it, without) == (8319.0, 1185.0)
    assert _cash(_case(SINGLE, blind=True))["income_tax_increase"] == with_it - without


@pytest.mark.parametrize("blind, tax", [(True, 5994.0), (False, 6000.0)])
def test_a_joint_return_counts_both_blind_spouses(blind, tax):
    case = _case(SINGLE, filing_status="married_joint", spouse_birth_date="1970-04-04",
                 blind=blind, spouse_blind=blind)
    case["income"]["wages"] = 60000
    assert _cash(case)["income_tax_increase"] == tax


@pytest.mark.parametrize("itemizes, tax", [(True, 5914.0), (False, 3871.5)])
def test_a_separate_filer_whose_spouse_itemizes_has_no_standard_deduction(itemizes, tax):
    assert _cash(_case(SEPARATE, spouse_itemizes=itemizes))["income_tax_increase"] == tax


def test_assess_agrees_with_the_tax_command_when_the_spouse_itemizes(tmp_path):
    head = "tax_year,filing_status,age_head,taxable_distributions,spouse_itemizes"
    unit = _tax_command(tmp_path, head, "2025,married_separate,60,50000,1")
    assert unit["income_tax"] == 5914.0
    assert _cash(_case(SEPARATE, spouse_itemizes=True))["income_tax_increase"] == 5914.0


@pytest.mark.parametrize("field, status, words", [
    ("spouse_itemizes", "single", SPOUSE_ITEMIZES_SEPARATE_ONLY),
    ("spouse_itemizes", "married_joint", SPOUSE_ITEMIZES_SEPARATE_ONLY),
    ("spouse_blind", "married_separate", SPOUSE_BLIND_JOINT_ONLY),
    ("spouse_blind", "single", SPOUSE_BLIND_JOINT_ONLY),
    ("lived_apart", "single", LIVED_APART_SEPARATE_ONLY)])
def test_the_spouses_flags_on_another_status_are_one_line_errors(field, status, words):
    with pytest.raises(InputError) as exc:
        parse_case(_case(SEPARATE, filing_status=status, **{field: True}))
    found = [str(p) for p in exc.value.problems]
    assert found == [f"person.{field}: {words}"]


def _row(**columns) -> pa.Table:
    base = {"request_date": ["2026-03-02"], "birth_date": ["1970-03-03"], "plan_type": ["401k"],
            "employment_status": ["separated"], "hire_date": ["2000-01-01"],
            "separation_date": ["2025-06-30"], "balance_elective_deferral": [300000.0],
            "prior_year_end_balance": [290000.0], "request_route": ["separation"],
            "request_destination": ["cash"], "request_amount": [50000.0],
            "wages": [30000.0]}
    return pa.table({**base, **{k: [v] for k, v in columns.items()}})


@pytest.mark.parametrize("blind, tax", [(True, 7134.0), (False, 7350.0)])
def test_a_batch_row_reads_blind(blind, tax):
    row = run_job(_row(blind=blind), "outcome", LAW).to_pylist()[0]
    assert row["status"] == "ok", row
    assert row["income_tax_increase"] == tax


def test_a_batch_row_reads_spouse_itemizes():
    row = run_job(_row(request_date="2025-10-01", birth_date="1965-05-05",
                       separation_date="2020-06-30", wages=0.0,
                       filing_status="married_separate", spouse_itemizes=True),
                  "outcome", LAW).to_pylist()[0]
    assert row["status"] == "ok", row
    assert row["income_tax_increase"] == 5914.0


@pytest.mark.parametrize("column, status, words", [
    ("spouse_itemizes", "single", SPOUSE_ITEMIZES_SEPARATE_ONLY),
    ("spouse_blind", "married_separate", SPOUSE_BLIND_JOINT_ONLY)])
def test_a_batch_row_refuses_the_spouses_flags_on_another_status(column, status, words):
    row = run_job(_row(filing_status=status, **{column: True}), "outcome", LAW).to_pylist()[0]
    assert row["status"] == "error" and row["error_column"] == column
    assert row["error_message"] == f"{column}: {words}"
