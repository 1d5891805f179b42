"""Box 7 of a payment whose taxable part is a fraction of a cent: code 1 where no exception
applies, however small the taxable amount.

Code 2 is for an early distribution the payer knows an exception applies to ("Early
distribution, exception applies"; Instructions for Forms 1099-R and 5498, Guide to Distribution
Codes); among them "a governmental section 457(b) plan distribution that is not subject to the
additional 10% tax" (§72(t)(9)).  A taxable part of half a cent of pre-tax 401(k) money, which
box 2a rounds to $0.01, is under no exception: code 1, as for any other amount.  With code 1
shown and no exception claimed, the 10% tax goes on Schedule 2 without Form 5329 ("you don't
have to file Form 5329 if ... distribution code 1 is correctly shown in box 7 of all your Forms
1099-R", Instructions for Form 5329), so Form 5329 is not required.

Expected figures by hand.  A 36-year-old who left the job in 2026 (no rule of 55, not 59½, not
disabled) takes $0.01 from $1 of deferrals and $1 of after-tax money with $1 of basis: pro rata
(§72(e)(8)) $0.005 comes from each; the deferrals' half-cent is all taxable, the after-tax
half-cent all basis: box 2a $0.01, box 5 $0.00; 10% of $0.01 is $0.001, $0.00 to the cent.
"""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case

BASE = {
    "id": "cent",
    "person": {"birth_date": "1990-03-15", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2015-01-10",
                   "separation_date": "2026-10-01"},
    "income": {"wages": 45000},
    "plan": {"type": "401k"},
    "request": {"date": "2026-11-10", "amount": 0.01, "destination": "cash"},
}
#: The reviewer's two cases: pre-tax and after-tax money ($1 each, all basis), and the same
#: with $1 of designated Roth money (all contributions) beside them.
AT_MIX = {"after_tax": {"balance": 1, "basis": 1}, "elective_deferral": {"balance": 1}}
THREE = {**AT_MIX, "roth_deferral": {"balance": 1, "contributions": 1, "first_year": 2016}}


def _cash(sources: dict, plan: dict | None = None, amount: float = 0.01) -> dict:
    case = {**BASE, "account": {"sources": sources}, **({"plan": plan} if plan else {}),
            "request": {**BASE["request"], "amount": amount}}
    answer = assess_cases([parse_case(case)])[0]
    return next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


def test_half_a_cent_taxable_with_no_exception_is_code_1_and_no_form_5329():
    o = _cash(AT_MIX)
    (form,) = o["form_1099r"]
    assert (form["box_1"], form["box_2a"], form["box_5"]) == (0.01, 0.01, 0.0)
    assert form["box_7"] == "1"
    f5329 = o["form_5329"]
    assert f5329["line_2_exception"] is None and f5329["line_4"] == 0.0
    assert f5329["required"] is False


def test_a_third_of_a_cent_of_each_of_three_sources_is_code_1():
    o = _cash(THREE)
    assert [f["box_7"] for f in o["form_1099r"]] == ["1"]
    assert o["form_1099r"][0]["box_1"] == 0.01


def test_the_why_does_not_say_nothing_taxable_of_a_taxable_cent():
    """$0.01 is taxable and no exception applies: the 10% tax is $0.00 only by rounding."""
    why = _cash(AT_MIX)["why"]
    assert "nothing taxable" not in why["short"]
    assert "nothing taxable" not in why["additional_tax_72t"]
    assert "no exception" in why["short"] and "no exception" in why["additional_tax_72t"]


@pytest.mark.parametrize("amount", [0.01, 100])
def test_a_governmental_457b_s_own_money_keeps_code_2(amount):
    """The exception is decided by the money paid, not by the amount: the 457(b)'s own money
    is outside §72(t) at a cent as at $100 (§72(t)(9))."""
    o = _cash({"elective_deferral": {"balance": 1000}},
              {"type": "governmental_457b", "governmental": True}, amount)
    assert [f["box_7"] for f in o["form_1099r"]] == ["2"]
