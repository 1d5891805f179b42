"""Schedule A by its parts (income.state_local_taxes, itemized_charity, other_itemized and,
beside another part, medical_expenses) through every door of a case: a case file (the CLI),
the API and a batch row give the same cost of the request, figured with the SALT cap's
phase-down and the charity floor at each return's own AGI; the total given with a part is
refused in each door; medical expenses alone stay what they were (the §72(t)(2)(B)
exception), not an itemized deduction.

The figures are a CPA's, worked by hand from the statute (IRC §164(b)(7) as amended by P.L.
119-21 §70120; §170(b)(1)(I)) and Rev. Proc. 2025-32 (2026), and matched by PolicyEngine-US:
a married couple of 67 and 66 in 2026, AGI $200,000 without the request ($20,000 interest,
$30,000 qualified dividends, $100,000 long-term gains, $50,000 other distributions), property
taxes $60,000, charity $30,000, mortgage interest $20,000.
- Without the request: SALT min(60,000, 40,400) = 40,400; charity 30,000 - 0.5% x 200,000 =
  29,000; itemized 89,400; the senior deduction 2 x 6,000 = 12,000 less 6% of (200,000 -
  150,000) = 3,000: 9,000 (two of 65 or over); taxable 200,000 - 89,400 - 9,000 = 101,600 of
  which 130,000 is preferential ... the tax is $855 (the test of tests/tax/test_schedule_a.py
  works it line by line).
- With $350,000: AGI and MAGI 550,000; the cap 40,400 - 30% x (550,000 - 505,000) = 26,900;
  charity 30,000 - 2,750 = 27,250; itemized 74,150: tax $93,400 (income tax 87,700 and NIIT
  5,700): the request costs $92,545 (held fixed at 89,400, the total gives $88,885)."""

from __future__ import annotations

import csv
import json

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app

CASE = {
    "person": {"birth_date": "1959-03-01", "filing_status": "married_joint",
               "spouse_birth_date": "1960-05-01"},
    "employment": {"status": "separated", "hire_date": "1990-01-01",
                   "separation_date": "2024-06-30"},
    "income": {"taxable_interest": 20000, "ordinary_dividends": 30000,
               "qualified_dividends": 30000, "long_term_gains": 100000,
               "other_distributions": 50000, "state_local_taxes": 60000,
               "itemized_charity": 30000, "other_itemized": 20000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 900000}}},
    "request": {"date": "2026-06-01", "amount": 350000, "destination": "cash"},
}
ROW = {"participant_id": "p", "request_date": "2026-06-01", "birth_date": "1959-03-01",
       "filing_status": "married_joint", "spouse_birth_date": "1960-05-01",
       "employment_status": "separated", "hire_date": "1990-01-01",
       "separation_date": "2024-06-30", "taxable_interest": 20000, "ordinary_dividends": 30000,
       "qualified_dividends": 30000, "long_term_gains": 100000, "other_distributions": 50000,
       "state_local_taxes": 60000, "itemized_charity": 30000, "other_itemized": 20000,
       "plan_type": "401k", "balance_elective_deferral": 900000, "request_amount": 350000,
       "request_route": "separation", "request_destination": "cash"}


def _cash(answer: dict) -> dict:
    return next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


def _cli(tmp_path, case: dict):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    return CliRunner().invoke(app, ["assess", "--format", "json", str(path)])


def _batch(tmp_path, row: dict) -> dict:
    book, out = tmp_path / "book.csv", tmp_path / "out.csv"
    with book.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(row))
        w.writeheader()
        w.writerow(row)
    r = CliRunner().invoke(app, ["batch", str(book), "--job", "outcome", "-o", str(out)])
    assert r.exit_code == 0, r.output
    with out.open(newline="") as fh:
        return next(csv.DictReader(fh))


def test_every_door_figures_schedule_a_at_each_returns_agi(tmp_path, client):
    r = _cli(tmp_path, CASE)
    assert r.exit_code == 0, r.output
    assert _cash(json.loads(r.output))["income_tax_increase"] == pytest.approx(92545, abs=0.01)
    api = client.post("/assess", json=CASE)
    assert api.status_code == 200, api.text
    assert _cash(api.json())["income_tax_increase"] == pytest.approx(92545, abs=0.01)
    assert float(_batch(tmp_path, ROW)["income_tax_increase"]) == pytest.approx(92545, abs=0.01)


def test_the_total_is_held_and_said_so(tmp_path):
    case = json.loads(json.dumps(CASE))
    for k in ("state_local_taxes", "itemized_charity", "other_itemized"):
        del case["income"][k]
    case["income"]["itemized_deductions"] = 89400
    r = _cli(tmp_path, case)
    assert r.exit_code == 0, r.output
    cash = _cash(json.loads(r.output))
    assert cash["income_tax_increase"] == pytest.approx(88885, abs=0.01)
    assert "ID_TOTAL_HELD" in [x["code"] for x in cash["reasons"]]


@pytest.mark.parametrize("part", ["state_local_taxes", "itemized_charity", "other_itemized"])
def test_the_total_with_a_part_is_refused_in_every_door(tmp_path, client, part):
    case = json.loads(json.dumps(CASE))
    others = [k for k in ("state_local_taxes", "itemized_charity", "other_itemized") if k != part]
    for k in others:
        del case["income"][k]
    case["income"]["itemized_deductions"] = 5
    r = _cli(tmp_path, case)
    assert r.exit_code == 2 and "itemized_deductions" in r.output and "Traceback" not in r.output
    api = client.post("/assess", json=case)
    assert api.status_code == 422 and "itemized_deductions" in api.text
    row = _batch(tmp_path, {**{k: v for k, v in ROW.items() if k not in others},
                            "itemized_deductions": 5})
    assert row["status"] == "error" and row["error_column"] == "itemized_deductions"
    assert part in row["error_message"] and "medical_expenses" not in row["error_message"]


def test_medical_expenses_with_the_total_are_accepted(tmp_path):
    # They serve the §72(t)(2)(B) exception and are taken as inside the total.
    case = json.loads(json.dumps(CASE))
    for k in ("state_local_taxes", "itemized_charity", "other_itemized"):
        del case["income"][k]
    case["income"].update(itemized_deductions=89400, medical_expenses=10000)
    assert _cli(tmp_path, case).exit_code == 0


def test_medical_expenses_alone_are_itemized_as_the_tax_door_does(tmp_path):
    # A review's case: single, 63 in 2026, separated in 2025 (no 10% tax: the rule of 55),
    # $60,000 of other income, $40,000 of medical expenses, $20,000 asked in cash.  Without
    # the request: AGI 60,000, medical 40,000 - 7.5% x 60,000 = 35,500 > the $16,100 standard
    # deduction; taxable 24,500: 10% x 12,400 + 12% x 12,100 = 2,692.  With it: AGI 80,000,
    # medical 34,000, taxable 46,000: 1,240 + 12% x 33,600 = 5,272.  The request costs $2,580
    # (held to the standard deduction it would cost $3,750, as before).
    case = {"person": {"birth_date": "1963-01-15"},
            "employment": {"status": "separated", "hire_date": "2000-01-01",
                           "separation_date": "2025-06-30"},
            "income": {"other_income": 60000, "medical_expenses": 40000},
            "plan": {"type": "401k"},
            "account": {"sources": {"elective_deferral": {"balance": 100000}}},
            "request": {"date": "2026-06-01", "amount": 20000, "destination": "cash"}}
    r = _cli(tmp_path, case)
    assert r.exit_code == 0, r.output
    assert _cash(json.loads(r.output))["income_tax_increase"] == pytest.approx(2580, abs=0.01)
