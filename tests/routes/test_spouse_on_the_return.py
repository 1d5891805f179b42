"""The spouse's facts on the participant's return: a separate filer who lived apart from the
spouse all year (IRC §86(c)(1)(C)(ii), (c)(2)(C)), and a joint return whose spouse's birth date
is not given (§63(f), §151(d)(5)(C)).  The same through a case file, the API and a batch row.

The household (the reviewer's c4.yaml): born 1955-03-10 (70 at the end of 2025), married filing
separately, separated in 2020, $24,000 of Social Security and $2,000 of taxable interest, asks
for a distribution in cash on 2025-10-01.  Worked from §86 and Pub. 915 Worksheet 1, with the
2025 figures of Rev. Proc. 2024-40 as amended by P.L. 119-21 (separate standard deduction
$15,750, additional amount for the aged $1,600; 10% to $11,925, 12% to $48,475; no senior
deduction for a separate filer, §151(d)(5)(C)(ii)):

- lived together some time in the year: base amounts zero (§86(c)(1)(C)(ii), (c)(2)(C)).
  Without the payment: provisional income 2,000 + 12,000 = 14,000, taxable benefits
  min(85% × 14,000, 85% × 24,000) = 11,900; AGI 13,900 < 17,350: no tax.  With $10,000:
  provisional 24,000, taxable 20,400, AGI 32,400, taxable income 15,050, tax
  1,192.50 + 12% × 3,125 = $1,567.50 — all of it the payment's.
- lived apart all year: base $25,000, adjusted base $34,000 (§86(c)(1)(A), (c)(2)(A)).  With
  $10,000: provisional 24,000 < 25,000, nothing taxable, AGI 12,000 < 17,350: no tax.  With
  $30,000: provisional 44,000; 50% × min(19,000, 9,000) = 4,500; 85% × 10,000 + 4,500 = 13,000
  (< 20,400) taxable; AGI 45,000, taxable income 27,650, tax 1,192.50 + 12% × 15,725 =
  $3,079.50.
"""

from __future__ import annotations

import copy

import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()

SEPARATE = {
    "id": "mfs",
    "person": {"birth_date": "1955-03-10", "filing_status": "married_separate",
               "spouse_birth_date": "1956-04-01"},
    "employment": {"status": "separated", "hire_date": "1990-01-01",
                   "separation_date": "2020-06-30"},
    "income": {"social_security": 24000, "taxable_interest": 2000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 300000}},
                "prior_year_end_balance": 290000},
    "request": {"date": "2025-10-01", "amount": 10000, "destination": "cash"},
}

#: The reviewer's c2.yaml: joint, the head born 1955-03-10, $30,000 of Social Security,
#: $5,000 of interest, $4,000 of dividends ($3,000 qualified), $20,000 of long-term gains,
#: $40,000 asked in cash on 2025-10-01.
JOINT = {
    "id": "joint",
    "person": {"birth_date": "1955-03-10", "filing_status": "married_joint"},
    "employment": {"status": "separated", "hire_date": "1990-01-01",
                   "separation_date": "2020-06-30"},
    "income": {"social_security": 30000, "taxable_interest": 5000, "ordinary_dividends": 4000,
               "qualified_dividends": 3000, "long_term_gains": 20000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 300000}},
                "prior_year_end_balance": 290000},
    "request": {"date": "2025-10-01", "amount": 40000, "destination": "cash"},
}


def _case(base: dict, person: dict | None = None, amount: float | None = None) -> dict:
    c = copy.deepcopy(base)
    c["person"].update(person or {})
    if amount is not None:
        c["request"]["amount"] = amount
    return c


def _answer(case: dict) -> dict:
    return assess_cases([parse_case(case)])[0]


def _cash(answer: dict) -> dict:
    return next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


def _codes(rows: list[dict]) -> list[str]:
    return [r["code"] for r in rows]


@pytest.mark.parametrize("amount, tax", [(10000, 0.0), (30000, 3079.50)])
def test_a_separate_filer_who_lived_apart_all_year_has_a_single_filers_base(amount, tax):
    """§86(c)(1)(C)(ii): the zero base amount is only for one who did not live apart from the
    spouse at all times during the year (figures in the module's docstring)."""
    answer = _answer(_case(SEPARATE, {"lived_apart": True}, amount))
    assert _cash(answer)["income_tax_increase"] == tax
    assert "LIVED_WITH_SPOUSE_ASSUMED" not in _codes(answer["notes"])
    assert "OC_SS_SEPARATE_LIVED_TOGETHER" not in _codes(_cash(answer)["reasons"])


def test_not_given_the_spouses_are_taken_as_having_lived_together_and_it_is_said():
    """$1,567.50 (the module's docstring), and a note naming person.lived_apart."""
    answer = _answer(SEPARATE)
    assert _cash(answer)["income_tax_increase"] == 1567.50
    note = next(n for n in answer["notes"] if n["code"] == "LIVED_WITH_SPOUSE_ASSUMED")
    assert note["field"] == "person.lived_apart" and "§86" in note["text"]
    assert "OC_SS_SEPARATE_LIVED_TOGETHER" in _codes(_cash(answer)["reasons"])


def test_given_as_false_nothing_is_assumed():
    answer = _answer(_case(SEPARATE, {"lived_apart": False}))
    assert _cash(answer)["income_tax_increase"] == 1567.50
    assert "LIVED_WITH_SPOUSE_ASSUMED" not in _codes(answer["notes"])


def test_without_social_security_nothing_is_said():
    case = _case(SEPARATE)
    case["income"]["social_security"] = 0
    assert "LIVED_WITH_SPOUSE_ASSUMED" not in _codes(_answer(case)["notes"])


@pytest.mark.parametrize("status", ["single", "married_joint", "head_of_household"])
def test_lived_apart_on_another_filing_status_is_a_one_line_error(status):
    with pytest.raises(InputError) as exc:
        parse_case(_case(SEPARATE, {"filing_status": status, "lived_apart": True}))
    found = [str(p) for p in exc.value.problems]
    assert len(found) == 1 and found[0].startswith("person.lived_apart:"), found
    assert "married_separate" in found[0]


def test_joint_return_the_spouses_age_given():
    """c3.yaml: the spouse born 1956-01-01 is 69 at the end of 2025.  Without the payment:
    provisional income 29,000 + 15,000 = 44,000, taxable benefits 50% × 12,000 = 6,000, AGI
    35,000, under the deduction.  With $40,000: provisional 84,000, taxable benefits
    min(85% × 40,000 + 6,000, 85% × 30,000) = 25,500, AGI 94,500; deduction 31,500 + 2 × 1,600
    + 2 × 6,000 = 46,700 (§63(c), (f); §151(d)(5)(C), no phase-out under $150,000); taxable
    income 47,800, of it 23,000 qualified dividends and gains at 0% (§1(h), up to $96,700);
    ordinary 24,800: 2,385 + 12% × 950 = $2,499."""
    answer = _answer(_case(JOINT, {"spouse_birth_date": "1956-01-01"}))
    assert _cash(answer)["income_tax_increase"] == 2499.0
    assert "SPOUSE_AGE_ASSUMED_UNDER_65" not in _codes(answer["notes"])
    assert "OC_SPOUSE_AGE_NOT_GIVEN" not in _codes(_cash(answer)["reasons"])


def test_joint_return_without_the_spouses_birth_date_says_the_spouse_was_taken_as_under_65():
    """c2.yaml: the spouse's age unknown, taken as under 65: deduction 31,500 + 1,600 + 6,000 =
    39,100, taxable income 55,400, ordinary 32,400: 2,385 + 12% × 8,550 = $3,411 — more than the
    $2,499 of a spouse of 65 or more, so the answer says so and names the field."""
    answer = _answer(JOINT)
    assert _cash(answer)["income_tax_increase"] == 3411.0
    note = next(n for n in answer["notes"] if n["code"] == "SPOUSE_AGE_ASSUMED_UNDER_65")
    assert note["field"] == "person.spouse_birth_date"
    assert "under 65" in note["text"] and "§63(f)" in note["text"]
    assert "OC_SPOUSE_AGE_NOT_GIVEN" in _codes(_cash(answer)["reasons"])


def _book(**columns) -> pa.Table:
    base = {"request_date": ["2025-10-01"], "birth_date": ["1955-03-10"], "plan_type": ["401k"],
            "employment_status": ["separated"], "hire_date": ["1990-01-01"],
            "separation_date": ["2020-06-30"], "balance_elective_deferral": [300000.0],
            "prior_year_end_balance": [290000.0], "request_route": ["separation"],
            "request_destination": ["cash"]}
    return pa.table({**base, **{k: [v] for k, v in columns.items()}})


def _separate_row(**more) -> pa.Table:
    return _book(filing_status="married_separate", spouse_birth_date="1956-04-01",
                 social_security=24000.0, taxable_interest=2000.0, **more)


@pytest.mark.parametrize("lived_apart, amount, tax", [
    (True, 10000.0, 0.0), (True, 30000.0, 3079.50), (False, 10000.0, 1567.50)])
def test_a_batch_row_reads_lived_apart(lived_apart, amount, tax):
    row = run_job(_separate_row(lived_apart=lived_apart, request_amount=amount), "outcome",
                  LAW).to_pylist()[0]
    assert row["status"] == "ok", row
    assert row["income_tax_increase"] == tax
    assert ("OC_SS_SEPARATE_LIVED_TOGETHER" in row["reasons"].split(";")) is not lived_apart


def test_a_batch_row_refuses_lived_apart_on_another_filing_status():
    row = run_job(_book(filing_status="single", lived_apart=True, request_amount=1000.0),
                  "outcome", LAW).to_pylist()[0]
    assert row["status"] == "error" and row["error_column"] == "lived_apart"
    assert "married_separate" in row["error_message"]


def test_a_joint_batch_row_without_the_spouses_date_gives_the_reason():
    row = run_job(_book(filing_status="married_joint", social_security=30000.0,
                        taxable_interest=5000.0, ordinary_dividends=4000.0,
                        qualified_dividends=3000.0, long_term_gains=20000.0,
                        request_amount=40000.0), "outcome", LAW).to_pylist()[0]
    assert row["income_tax_increase"] == 3411.0
    assert "OC_SPOUSE_AGE_NOT_GIVEN" in row["reasons"].split(";")

