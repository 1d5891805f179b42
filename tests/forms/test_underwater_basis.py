"""After a market loss the investment in the contract can exceed the balance: designated Roth
contributions or after-tax basis above what the money is worth.  Such a case is answered, and
every payment of that money is tax-free."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make

UNDERWATER = {
    "person.birth_date": "1985-01-01", "employment.status": "separated",
    "employment.hire_date": "2015-01-01", "employment.separation_date": "2025-06-30",
    "income.wages": 40000, "request.date": "2026-03-01", "request.amount": "max",
    "account.sources": {"elective_deferral": {"balance": 50000},
                        "after_tax": {"balance": 8000, "basis": 10000},
                        "roth_deferral": {"balance": 8000, "contributions": 10000,
                                          "first_year": 2022}},
}


def _outcomes(case: dict) -> dict[str, dict]:
    result = assess_cases([parse_case(case)])[0]
    return {o["destination"]: o for o in result["outcomes"] if o["route"] == "separation"}


def test_underwater_roth_and_after_tax_money_is_paid_tax_free():
    """IRC §72(e)(8)(B): the tax-free part of a payment is payment × investment in the contract
    / the account's value, and never more than the payment; with the investment (Roth
    contributions $10,000, after-tax basis $10,000) above the value ($8,000 each) all of the
    Roth and after-tax money paid is tax-free (§402A(d), §72(d)(2)).  Only the $50,000 of
    deferrals is taxable, and the 10% tax (§72(t)(1)) reaches only that; Form 1099-R box 5
    holds the tax-free part, never more than box 1, and box 2a is never negative; Form 5329
    line 1 is the taxable part."""
    cash = _outcomes(make(UNDERWATER))["cash"]
    assert (cash["gross"], cash["taxable"], cash["nontaxable"]) == (66000, 50000, 16000)
    assert cash["additional_tax_72t"] == pytest.approx(5000)
    forms = {f["part"]: f for f in cash["form_1099r"]}
    assert (forms["roth_cash"]["box_1"], forms["roth_cash"]["box_2a"],
            forms["roth_cash"]["box_5"]) == (8000, 0, 8000)
    assert (forms["pretax_cash"]["box_1"], forms["pretax_cash"]["box_2a"],
            forms["pretax_cash"]["box_5"]) == (58000, 50000, 8000)
    assert cash["form_5329"]["line_1"] == 50000


def test_every_figure_stays_sane_for_every_destination():
    """§72(e)(8) limits the tax-free part to the payment: no destination shows a negative
    taxable amount or tax, or a box 5 above box 1; the Notice 2014-54 split sends at most the
    payment to the Roth IRA; Form 8606's basis carried in (line 2) is at most the after-tax
    money paid."""
    case = make(UNDERWATER, **{"iras.backdoor_roth_planned": 7000})
    for dest, o in _outcomes(case).items():
        for key in ("taxable", "nontaxable", "withholding", "income_tax_increase",
                    "additional_tax_72t", "to_traditional_ira", "to_roth_ira", "to_plan"):
            assert o[key] is None or o[key] >= 0, (dest, key)
        assert o["taxable"] + o["nontaxable"] == pytest.approx(o["gross"]), dest
        assert o["to_traditional_ira"] + o["to_roth_ira"] <= o["gross"] + 0.01, dest
        for f in o["form_1099r"]:
            assert 0 <= f["box_2a"] <= f["box_1"], (dest, f["part"])
            assert f["box_5"] is None or f["box_5"] <= f["box_1"], (dest, f["part"])
        if o["form_8606"]:
            assert o["form_8606"]["line_2"] <= 8000, dest


def test_an_underwater_roth_alone_is_all_tax_free():
    """IRC §72(e)(8); §402A(d): a nonqualified distribution of designated Roth money worth
    $8,000 with $10,000 of contributions is all a recovery of contributions: nothing taxable,
    no 10% tax, code B1 with box 5 = box 1."""
    case = make(UNDERWATER, **{"account.sources": {"roth_deferral": {
        "balance": 8000, "contributions": 10000, "first_year": 2022}}})
    cash = _outcomes(case)["cash"]
    assert (cash["taxable"], cash["nontaxable"], cash["additional_tax_72t"]) == (0, 8000, 0)
    (form,) = cash["form_1099r"]
    assert (form["box_7"], form["box_2a"], form["box_5"]) == ("B1", 0, 8000)


def test_a_batch_row_accepts_an_underwater_basis():
    """The flat rows follow the case file (§72(e)(8)): basis above the balance is no error, and
    the after-tax payment is all tax-free."""
    row = {"request_date": "2026-03-01", "birth_date": "1985-01-01", "plan_type": "401k",
           "hire_date": "2015-01-01", "employment_status": "separated",
           "separation_date": "2025-06-30", "wages": 40000.0, "balance_after_tax": 8000.0,
           "basis_after_tax": 10000.0, "request_amount": 8000.0, "request_route": "separation",
           "request_destination": "cash"}
    out = run_job(pa.Table.from_pylist([row]), "outcome", default_law()).to_pylist()[0]
    assert out["status"] == "ok", out["error_message"]
    assert out["gross"] == 8000 and out["taxable"] == 0
