"""A move of residence during the year (``person.state_move``): the payment is taxed by the
state of residence on the day it is paid (4 U.S.C. §114 bars a state from taxing a
nonresident's retirement income).

Pat's $40,000 on 2025-10-15 (examples/cases/pat-california-rule-of-55.yaml, no other income):
- moved from California to North Carolina on 2025-06-01: North Carolina taxes it — 4.25% ×
  (40,000 − 12,750 standard deduction) = $1,158.13 (N.C. Gen. Stat. §§105-153.5, 105-153.7),
  and withholds 4% of it, $1,600.00, beside the federal $8,000 (§105-163.2A);
- moving on 2025-12-01: still California's, $582.69, with $800.00 withheld (test_state_doors).
"""

from __future__ import annotations

import pytest

from api.test_state_doors import cash_outcome, pat
from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.errors import InputError


def _moving(on: str) -> dict:
    return pat(person__state_move={"date": on, "state": "nc"})


def test_paid_after_the_move_the_new_state_taxes_it():
    case = _moving("2025-06-01")
    answer = assess_cases([parse_case(case)])[0]
    assert answer["state"] == "NC"
    o = cash_outcome(case)
    assert o["state_income_tax_increase"] == 1158.13
    assert o["state_withholding"] == 1600.00
    form = next(f for f in o["form_1099r"] if f["part"] == "pretax_cash")
    assert form["box_15"] == "NC" and form["box_14"] == 1600.00
    note = next(n for n in answer["notes"] if n["code"] == "STATE_OF_RESIDENCE_ON_PAYMENT")
    assert "NC taxes it" in note["text"] and "4 U.S.C. §114" in note["text"]


def test_paid_before_the_move_the_old_state_taxes_it():
    answer = assess_cases([parse_case(_moving("2025-12-01"))])[0]
    assert answer["state"] == "CA"
    o = next(o for o in answer["outcomes"] if o["destination"] == "cash")
    assert o["state_income_tax_increase"] == 582.69 and o["state_withholding"] == 800.00


@pytest.mark.parametrize("person, field", [
    ({"state": None, "state_move": {"date": "2025-06-01", "state": "NC"}}, "person.state_move"),
    ({"state_move": {"date": "2025-06-01", "state": "CA"}}, "person.state_move.state"),
    ({"state_move": {"date": "2025-06-01", "state": "XX"}}, "person.state_move.state"),
])
def test_a_bad_move_is_named(person, field):
    case = pat()
    case["person"].update(person)
    if case["person"]["state"] is None:
        case["person"].pop("state")
    with pytest.raises(InputError) as e:
        parse_case(case)
    assert field in [p.field for p in e.value.problems], e.value.problems
