"""A payment with designated Roth money in an RMD year: the Roth part does not count toward the
RMD, and the answer says so.

Figures come from the sources, not from dist401k:

- IRC §402A(d)(5) (SECURE 2.0 §325, from 2024): §401(a)(9)(A) does not apply to a designated
  Roth account before death, so the RMD is figured on the non-Roth money only;
- the proposed RMD regulations of July 19, 2024: a distribution from the designated Roth account
  does not satisfy the RMD of the rest of the account, and is an eligible rollover distribution;
- IRC §402(c)(4)(B), Treas. Reg. §1.402(c)-2, Q&A-7: the first non-Roth dollars paid in an RMD
  year are the RMD, not rollable;
- Uniform Lifetime Table (Treas. Reg. §1.401(a)(9)-9(c)): 25.5 at 74; born 1952 with $240,000
  of non-Roth money at the end of 2025, the 2026 RMD is $240,000 / 25.5 = $9,411.76.
"""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from routes.conftest import make, outcome

#: Born 1952-05-01, separated in 2015: $180,000 deferrals, $60,000 match, $60,000 Roth.
MIXED = {"person.birth_date": "1952-05-01", "employment.status": "separated",
         "employment.hire_date": "1990-01-01", "employment.separation_date": "2015-06-30",
         "request.date": "2026-03-15", "account.prior_year_end_balance": 240000,
         "account.sources": {"elective_deferral": {"balance": 180000},
                             "match": {"balance": 60000},
                             "roth_deferral": {"balance": 60000, "contributions": 40000,
                                               "first_year": 2010}}}
RMD = 240000 / 25.5


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def _separation(case: dict) -> dict:
    (r,) = assess_cases([parse_case(case)])
    return outcome(r, "separation")


def test_the_roth_part_of_a_payment_in_an_rmd_year_is_said_not_to_count():
    """$5,000 paid pro rata: $1,000 Roth (60/300), $4,000 non-Roth — all of it RMD (under
    $9,411.76), 10% withheld from it = $400; the Roth $1,000 is no RMD (an eligible rollover
    distribution, qualified: nothing includible, nothing withheld, §3405(e)(1)(B)), and the
    reason says the Roth part does not count."""
    cash = _separation(make(MIXED, **{"request.amount": 5000, "request.destination": "cash"}))
    assert "RM_ROTH_NOT_COUNTED" in codes(cash)
    assert cash["withholding"] == pytest.approx(0.10 * 4000, abs=0.01)
    why = next(x for x in cash["reasons"] if x["code"] == "RM_ROTH_NOT_COUNTED")
    assert "402A(d)(5)" in why["citation"]


def test_no_roth_money_paid_or_no_rmd_owed_nothing_said():
    """Without Roth money, or with this year's RMD already paid, the reason is absent."""
    no_roth = {**MIXED, "account.sources": {"elective_deferral": {"balance": 180000},
                                            "match": {"balance": 60000}}}
    cash = _separation(make(no_roth, **{"request.amount": 5000, "request.destination": "cash"}))
    assert "RM_ROTH_NOT_COUNTED" not in codes(cash)
    paid = {**MIXED, "account.distributed_this_year": round(RMD + 1, 2)}
    cash = _separation(make(paid, **{"request.amount": 5000, "request.destination": "cash"}))
    assert "RM_ROTH_NOT_COUNTED" not in codes(cash)

