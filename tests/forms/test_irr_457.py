"""In-plan Roth rollovers in a governmental 457(b): no 10% recapture on the plan's own money, and
box 10 on the form of the money that holds the rollover.

The law: §402A(c)(4)(D) treats the part of a distribution allocable to an in-plan Roth rollover
made within 5 taxable years as includible in income "for purposes of section 72(t)" only;
§72(t)(1) taxes a distribution "from a qualified retirement plan (as defined in section
4974(c))", a list without §457(b) plans; §72(t)(9) brings in a governmental 457(b)'s distribution
only "to the extent that the distribution is attributable to an amount transferred to an
eligible deferred compensation plan from a qualified retirement plan".  An in-plan Roth rollover
of the 457(b)'s own deferrals is none of that: no recapture.  Box 10 (Instructions for Forms
1099-R and 5498): "the amount of the distribution allocable to an IRR made within the 5-year
period … Do not complete this box if an exception under section 72(t) applies"; the 457(b)'s
own money goes on its own form with code 2 ("a governmental section 457(b) plan distribution
that is not subject to the additional 10% tax").

The reviewer's cases (/tmp/qa/s_roth/irr457.yaml, irr457b.yaml): born 1975-06-01, single,
separated 2025-06-30 at 50 (no rule of 55), paid in cash on 2026-03-01.  Each designated Roth
source holds 50,000 with 40,000 of contributions (first year 2015): a payment of it is not
qualified (before 59½, §402A(d)(2)(A)), and each dollar is 20% taxable earnings and 80%
investment recovered (§72(e)(8), §402A(d)(4))."""

from __future__ import annotations

import copy

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case

IRR457 = {
    "id": "irr457",
    "person": {"birth_date": "1975-06-01", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2010-01-01",
                   "separation_date": "2025-06-30"},
    "income": {"wages": 50000},
    "plan": {"type": "governmental_457b"},
    "account": {"sources": {"roth_deferral": {
        "balance": 50000, "contributions": 40000, "first_year": 2015,
        "in_plan_roth_rollovers": [{"year": 2024, "amount": 30000}]}}},
    "request": {"date": "2026-03-01", "amount": 20000, "destination": "cash"},
}


def _with_rolled_in(amount: float, rolled_irrs: list, own_irrs: list | None = None) -> dict:
    """irr457 with 50,000 of designated Roth money rolled in from another plan (40,000 of
    contributions, first year 2015) beside the 457(b)'s own."""
    c = copy.deepcopy(IRR457)
    c["account"]["sources"]["rollover_roth"] = {
        "balance": 50000, "contributions": 40000, "first_year": 2015,
        "in_plan_roth_rollovers": rolled_irrs}
    if own_irrs is not None:
        c["account"]["sources"]["roth_deferral"]["in_plan_roth_rollovers"] = own_irrs
    c["request"]["amount"] = amount
    return c


def _cash(case: dict) -> dict:
    out = assess_cases([parse_case(case)])[0]
    return next(o for o in out["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


def _form(o: dict, part: str) -> dict:
    return next(f for f in o["form_1099r"] if f["part"] == part)


def test_the_457bs_own_rollover_owes_no_recapture():
    """irr457.yaml: 20,000 of the 457(b)'s own Roth money: 4,000 taxable earnings; 16,000 of
    investment recovered, of which 16,000 − (40,000 − 30,000) = 6,000 falls on the 2024 IRR —
    but §72(t) does not reach this money: no 10% tax.  Form 5329: line 1 the 4,000 includible,
    line 2 all of it (exception 13, a §457 plan's money not rolled in), line 3 0, line 4 0.
    Box 7 B2, box 10 blank."""
    o = _cash(IRR457)
    assert o["additional_tax_72t"] == 0.0
    f5329 = o["form_5329"]
    assert (f5329["line_1"], f5329["line_2"], f5329["line_3"], f5329["line_4"]) == \
        (4000.0, 4000.0, 0.0, 0.0)
    assert f5329["line_2_exception"] == "13"
    (form,) = o["form_1099r"]
    assert form["box_7"] == "B2" and form["box_10"] is None


def test_beside_rolled_in_money_only_the_rolled_in_earnings_owe_the_10_percent():
    """irr457b.yaml: 40,000 paid pro rata, 20,000 from each source.  The rolled-in money (B1,
    §72(t)(9)): 4,000 taxable earnings, 10% = 400; it holds no in-plan Roth rollover (given as
    []), so its box 10 is blank.  The 457(b)'s own money (B2): 4,000 taxable, no 10% tax and no
    recapture, box 10 blank.  Form 5329: line 1 8,000, line 2 4,000 (13), line 3 4,000, line 4
    400."""
    o = _cash(_with_rolled_in(40000, []))
    assert o["additional_tax_72t"] == pytest.approx(400.0, abs=0.005)
    b1, b2 = _form(o, "roth_cash"), _form(o, "roth_cash_457")
    assert (b1["box_7"], b1["box_1"], b1["box_2a"], b1["box_10"]) == ("B1", 20000, 4000, None)
    assert (b2["box_7"], b2["box_1"], b2["box_2a"], b2["box_10"]) == ("B2", 20000, 4000, None)
    assert not any(t.startswith("box 10:") for f in (b1, b2) for t in f["not_figured"])
    f5329 = o["form_5329"]
    assert (f5329["line_1"], f5329["line_2"], f5329["line_3"], f5329["line_4"]) == \
        (8000.0, 4000.0, 4000.0, 400.0)


def test_a_rollover_of_the_rolled_in_money_is_recaptured_on_its_own_form():
    """The 2024 IRR of 30,000 in the rolled-in money instead (the 457(b)'s own holds none).  All
    the designated Roth money is one contract (Treas. Reg. §1.402A-1, Q&A-9(a)): 80,000 of
    investment in 100,000.  40,000 paid recovers 32,000, all of it the 50,000 of contributions
    other than the IRR: nothing allocable, box 10 blank, the 10% tax on the rolled-in earnings
    only, 10% × 4,000 = 400.  All 100,000 paid recovers 80,000: 50,000 other, then the IRR's
    30,000, within its 5 years (2024–2028): box 10 30,000 on the B1 form, none on the B2 form;
    the 10% tax is 10% × (10,000 + 30,000) = 4,000.  Form 5329: line 1 20,000 + 30,000 =
    50,000, line 2 10,000 (13), line 3 40,000, line 4 4,000."""
    part = _cash(_with_rolled_in(40000, [{"year": 2024, "amount": 30000}], own_irrs=[]))
    assert part["additional_tax_72t"] == pytest.approx(400.0, abs=0.005)
    assert _form(part, "roth_cash")["box_10"] is None
    o = _cash(_with_rolled_in(100000, [{"year": 2024, "amount": 30000}], own_irrs=[]))
    assert o["additional_tax_72t"] == pytest.approx(4000.0, abs=0.005)
    assert _form(o, "roth_cash")["box_10"] == 30000.0
    assert _form(o, "roth_cash_457")["box_10"] is None
    f5329 = o["form_5329"]
    assert (f5329["line_1"], f5329["line_2"], f5329["line_3"], f5329["line_4"]) == \
        (50000.0, 10000.0, 40000.0, 4000.0)


def test_the_same_money_in_a_401k_is_recaptured():
    """irr457.yaml's money in a 401(k): §72(t)(1) reaches it: 10% × (4,000 + 6,000) = 1,000,
    box 10 6,000 on the B1 form."""
    c = copy.deepcopy(IRR457)
    c["plan"] = {"type": "401k"}
    o = _cash(c)
    assert o["additional_tax_72t"] == pytest.approx(1000.0, abs=0.005)
    (form,) = o["form_1099r"]
    assert form["box_7"] == "B1" and form["box_10"] == 6000.0
