"""Hawaii at the case door (``assess``): a payment whose plan account holds only the employee's
own money (elective deferrals, designated Roth deferrals, after-tax contributions) has no part
attributable to employer contributions, so none of it is exempt under HRS §235-7(a)(3): HAR
§18-235-7-03 does not take up the Code's rule that treats elective deferrals as employer
contributions, and the Department of Taxation (Announcement No. 98-2) says elective 401(k)
contributions "will continue to be taxable".  The answer is a number, not "employer part not
given"; an account with employer money still says it is not known.

Worked by hand (2025, single, 60 at the end of the year, separated at 59 in 2024, no other
income; Form N-11): Hawaii AGI 20,000 (nothing exempt); standard deduction 4,400; one
exemption 1,144 (65 not reached) -> taxable 14,456; the §235-51 single schedule for 2025:
1.4% x 9,600 = 134.40, 3.2% x 4,800 = 153.60, 5.5% x 56 = 3.08 -> 291.08.  PolicyEngine-US
2025 (the 20,000 as a 401(k) distribution, nothing exempt): 291.08."""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case


def case(sources: dict, state: str = "HI") -> dict:
    return {"id": "hi60", "person": {"birth_date": "1965-03-10", "filing_status": "single",
                                     "state": state},
            "employment": {"status": "separated", "hire_date": "1990-01-01",
                           "separation_date": "2024-12-31"},
            "plan": {"type": "401k"},
            "account": {"sources": {k: {"balance": v} for k, v in sources.items()}},
            "request": {"date": "2025-06-15", "amount": 20_000, "destination": "cash"}}


def cash(c: dict) -> dict:
    (r,) = assess_cases([parse_case(c)])
    return next(o for o in r["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def test_elective_deferrals_only_are_taxed_in_full():
    o = cash(case({"elective_deferral": 300_000}))
    assert o["state_covered"] is True
    assert o["state_income_tax_increase"] == pytest.approx(291.08, abs=0.005)
    assert "STATE_HI_EMPLOYER_PART_NOT_GIVEN" not in codes(o)


def test_employee_money_of_every_kind_is_not_the_employers():
    # Elective and Roth deferrals and after-tax money: the taxable part of the payment is the
    # pre-tax deferrals' and the earnings on the employee's money; none the employer's.
    o = cash(case({"elective_deferral": 200_000, "roth_deferral": 50_000, "after_tax": 50_000}))
    assert o["state_covered"] is True and o["state_income_tax_increase"] is not None


def test_employer_money_in_the_account_is_still_not_guessed():
    # A match beside the deferrals: how much of the payment is the employer's is not known.
    o = cash(case({"elective_deferral": 200_000, "match": 100_000}))
    assert o["state_income_tax_increase"] is None
    assert "STATE_HI_EMPLOYER_PART_NOT_GIVEN" in codes(o)
    # Money rolled in from another plan: whose contributions it was is not known.
    o = cash(case({"elective_deferral": 200_000, "rollover_pretax": 100_000}))
    assert o["state_income_tax_increase"] is None
