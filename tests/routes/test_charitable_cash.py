"""A non-itemizer's charitable deduction (IRC §170(p), from 2026: up to $1,000, $2,000 on a joint
return) in a case file and a book row: it lowers the taxable income the distribution lands on, so
its tax.  Worked by hand from Rev. Proc. 2025-32 (2026: standard deduction $16,100 single, the 12%
bracket ending at $50,400 of taxable income)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law

#: Single, wages $66,000: taxable income $49,900 before the $1,000 paid in cash, $500 under the
#: 22% bracket.  Without gifts: $500 at 12% and $500 at 22% = $170.  With $1,500 given (deduction
#: $1,000): taxable income $48,900, the $1,000 all at 12% = $120.  With $400: $49,500, so $900 at
#: 12% and $100 at 22% = $130.
ROW = {
    "participant_id": "c1", "request_date": "2026-03-01", "birth_date": "1970-05-01",
    "plan_type": "401k", "employment_status": "separated", "hire_date": "2000-01-01",
    "separation_date": "2025-06-30", "wages": 66000.0, "balance_elective_deferral": 50000.0,
    "request_amount": 1000.0, "request_route": "separation", "request_destination": "cash",
}


def _cash(row: dict) -> dict:
    answer = assess_cases([parse_case(row_to_case(row))])[0]
    return next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


@pytest.mark.parametrize("gifts, tax", [(0.0, 170.0), (1500.0, 120.0), (400.0, 130.0)])
def test_the_gifts_lower_the_distributions_tax_by_the_case_and_by_the_book(gifts, tax):
    row = {**ROW, "charitable_cash": gifts}
    assert _cash(row)["income_tax_increase"] == pytest.approx(tax, abs=0.005)
    table = pa.table({k: pa.array([v]) for k, v in row.items()})
    (out,) = run_job(table, "outcome", default_law()).to_pylist()
    assert out["status"] == "ok", out["error_message"]
    assert out["income_tax_increase"] == pytest.approx(tax, abs=0.005)


def test_no_deduction_for_gifts_before_2026():
    """§170(p) as amended applies from 2026: in 2025 the gifts change nothing."""
    row = {**ROW, "request_date": "2025-03-01", "separation_date": "2024-06-30"}
    assert (_cash({**row, "charitable_cash": 1500.0})["income_tax_increase"]
            == _cash({**row, "charitable_cash": 0.0})["income_tax_increase"])
