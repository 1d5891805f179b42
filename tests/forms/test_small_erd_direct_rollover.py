"""An eligible rollover distribution under $200: the direct rollover is still shown, but the
answer says the plan need not offer it; and what is withheld from it paid in cash.

From the sources, not from dist401k:

- Treas. Reg. §1.401(a)(31)-1, Q&A-11: a plan satisfies §401(a)(31) "even though the plan
  administrator does not permit any distributee to elect a direct rollover with respect to
  eligible rollover distributions during a year that are reasonably expected to total less
  than $200" (aggregated by the rules of §31.3405(c)-1, Q&A-14);
- Treas. Reg. §31.3405(c)-1, Q&A-14: no §3405(c) withholding from eligible rollover
  distributions under $200 in the year ("Must a payor ... withhold ... if the amount of the
  distribution is less than $200? A-14: No.");
- IRC §3405(c)(1)(A): for any designated distribution that is an eligible rollover
  distribution, "subsections (a) and (b) shall not apply" — Q&A-14 lifts only the §3405(c)
  20%, the payment stays an eligible rollover distribution, so the 10% default of §3405(b)
  does not come back: nothing is withheld unless the payee asks (by Form W-4R).
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.withholding import Withholding
from routes.conftest import make, outcome

SEPARATED = {"person.birth_date": "1969-06-12", "employment.status": "separated",
             "employment.hire_date": "2009-02-02", "employment.separation_date": "2024-12-13",
             "request.date": "2026-03-15", "account.sources": {
                 "elective_deferral": {"balance": 180000}, "match": {"balance": 60000}}}
DIRECT = ("traditional_ira", "roth_ira", "other_plan")


def assess(case: dict) -> dict:
    (r,) = assess_cases([parse_case(case)])
    return r


def reason(o: dict, code: str) -> dict | None:
    return next((x for x in o["reasons"] if x["code"] == code), None)


def test_under_200_a_direct_rollover_is_shown_but_not_promised():
    """$150: every direct rollover stays possible (a plan may offer it), and each says the plan
    need not offer it, citing §1.401(a)(31)-1, Q&A-11."""
    r = assess(make(SEPARATED, **{"request.amount": 150, "request.destination": "all"}))
    for dest in DIRECT:
        o = outcome(r, "separation", dest)
        assert o is not None, dest
        said = reason(o, "OC_DIRECT_ROLLOVER_SMALL")
        assert said is not None, dest
        assert "Q&A-11" in said["citation"] and "need not" in said["text"]
    # Paid to the participant, no direct rollover is asked: nothing to say of it there.
    assert reason(outcome(r, "separation", "cash"), "OC_DIRECT_ROLLOVER_SMALL") is None


def test_at_200_the_plan_must_offer_it():
    """$200 is not "less than $200": §401(a)(31) requires the option, no caveat."""
    r = assess(make(SEPARATED, **{"request.amount": 200, "request.destination": "all"}))
    for dest in DIRECT:
        o = outcome(r, "separation", dest)
        assert o is not None and reason(o, "OC_DIRECT_ROLLOVER_SMALL") is None, dest


def test_under_200_in_cash_no_10_percent_default_and_an_elected_rate_is_withheld():
    """§3405(c)(1)(A) keeps §3405(b) off an eligible rollover distribution, under $200 too:
    $150 with no election has nothing withheld (not 10% × $150 = $15); a 5% election, by
    agreement with the payer, 5% × $150 = $7.50; at $200, 20% = $40 whatever is elected
    below it."""
    w = Withholding(np.array([np.nan, 0.05, 0.05]), 0.2, 0.1, 200)
    got = w.on(np.array([150.0, 150.0, 200.0]), True, np.array([150.0, 150.0, 200.0]))
    assert got.tolist() == pytest.approx([0.0, 7.5, 40.0])
    r = assess(make(SEPARATED, **{"request.amount": 150, "request.destination": "cash"}))
    assert outcome(r, "separation")["withholding"] == 0.0
