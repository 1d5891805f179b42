"""New Jersey and the employee contributions it taxed when they were made.

New Jersey defers its tax only on 401(k) contributions (N.J.S.A. 54A:6-21); the employee
contributions to a 403(b), 457 or 414(h) plan are New Jersey income when made (N.J.A.C.
18:35-2.5(a)) and come back free of its tax by its own rule (the three-year rule or the General
Rule, NJ-1040 instructions line 20b; GIT-1 & 2).  A unit whose payment returns some of them, how
much not being known (``state_basis_recovered`` NaN), is not covered, with a reason that says
why; the figures below are worked by hand on the NJ-1040 (Table A, $1,000 exemption)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.explain import reason
from dist401k.tax.state import StateUnits, state_tax

CODE = "STATE_NJ_TAXED_CONTRIBUTIONS_NOT_FIGURED"


def units(basis: list[float], distribution: float = 20_000.0) -> StateUnits:
    """Single New Jersey filers of 50 in 2026: wages 20,000 and ``distribution``; the part of
    it that returns contributions New Jersey taxed, one unit per ``basis`` (NaN: not known)."""
    n = len(basis)
    cols = {"state": ["NJ"] * n, "tax_year": [2026] * n, "filing_status": ["single"] * n,
            "age_head": [50] * n, "federal_agi": [20_000.0 + distribution] * n,
            "wages": [20_000.0] * n, "taxable_distributions": [distribution] * n}
    u = StateUnits.from_columns(cols)
    # The outcome door builds its units directly: NaN says "some, how much not known" (a
    # table's column cannot be blank; there it is given).
    u.state_basis_recovered = np.asarray(basis, float)
    return u


def test_a_payment_returning_taxed_contributions_of_unknown_amount_is_not_covered():
    # Units 2 and 3 worked by hand: wages 20,000 + distribution less basis, less the 1,000
    # exemption; Table A 1.4% to 20,000, 1.75% to 35,000, 3.5% to 40,000.
    #   basis 0:      taxable 39,000: 280 + 262.50 + 140 = 682.50
    #   basis 20,000: taxable 19,000 × 1.4% = 266 (the payment adds nothing)
    r = state_tax(units([np.nan, 0.0, 20_000.0]))
    assert r["state_covered"].tolist() == [False, True, True]
    assert np.isnan(r["state_income_tax"][0])
    assert r["state_income_tax"][1:] == pytest.approx([682.50, 266.0], abs=0.005)
    assert r["reasons"][CODE].tolist() == [True, False, False]


def test_no_payment_needs_no_basis():
    # Nothing paid: nothing returns a contribution; wages alone, 19,000 × 1.4% = 266.
    r = state_tax(units([np.nan], distribution=0.0))
    assert r["state_covered"][0]
    assert r["state_income_tax"][0] == pytest.approx(266.0, abs=0.005)
    assert not r["reasons"][CODE][0]


def test_the_reason_says_why_and_what_would_figure_it():
    text = reason(CODE).text
    assert "taxed the employee contributions to a 403(b), 457(b) or 414(h) plan when they were made" \
        in text
    assert "more than is due" in text
    assert "state_basis_recovered" in text
    assert "18:35-2.5" in reason(CODE).citation


CASE = {
    "id": "nj-457",
    "person": {"birth_date": "1976-08-01", "filing_status": "single", "state": "NJ"},
    "employment": {"status": "separated", "hire_date": "2005-01-10",
                   "separation_date": "2026-03-31"},
    "income": {"wages": 20000},
    "plan": {"type": "governmental_457b", "governmental": True},
    "account": {"sources": {"elective_deferral": {"balance": 200000}}},
    "request": {"date": "2026-11-02", "amount": 20000, "destination": "cash"},
}


def cash_outcomes(case: dict) -> list[dict]:
    answer = assess_cases([parse_case(case)])[0]
    return [o for o in answer["outcomes"] if o["destination"] == "cash" and o.get("gross")]


@pytest.mark.parametrize("plan_type", ["governmental_457b", "403b7", "403b_annuity"])
def test_a_new_jersey_403b_or_457b_payment_is_not_taxed_in_full(plan_type):
    # All of the balance is elective deferrals New Jersey taxed when made: its tax on the whole
    # 20,000 (682.50 − 266 = 416.50) is more than is due; not covered, and the reason says so.
    case = copy.deepcopy(CASE)
    case["plan"] = {"type": plan_type, "governmental": plan_type == "governmental_457b"}
    outs = cash_outcomes(case)
    assert outs
    for o in outs:
        assert o["state_covered"] is False
        assert CODE in [r["code"] for r in o["reasons"]]


def test_a_new_jersey_401k_payment_is_still_taxed_in_full():
    # 401(k) deferrals were never New Jersey income (54A:6-21): all 20,000 is taxed,
    # 682.50 − 266 = 416.50, covered.
    case = copy.deepcopy(CASE)
    case["plan"] = {"type": "401k"}
    outs = [o for o in cash_outcomes(case) if o["state_covered"]]
    assert outs
    for o in outs:
        assert o["state_income_tax_increase"] == pytest.approx(416.50, abs=0.005)
        assert CODE not in [r["code"] for r in o["reasons"]]
