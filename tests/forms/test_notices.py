"""The notices the law requires, said in the answer with their rule: the §402(f) notice before
an eligible rollover distribution (Treas. Reg. §1.402(f)-1), and the spouse's written consent
where the plan is subject to §417 — a money purchase plan always, another plan with a
life-annuity form (§401(a)(11)(B)) — for a payment (§417(a)(2)) and for a loan (§417(a)(4);
Treas. Reg. §1.401(a)-20, Q&A-24)."""

from __future__ import annotations

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from routes.conftest import make, outcome

SEPARATED = {"employment.status": "separated", "employment.separation_date": "2020-01-01",
             "request.amount": 10000}
LOANS = {"plan.loans": {"allowed": True}, "request.amount": 10000}
MARRIED = {"person.filing_status": "married_joint", "person.spouse_birth_date": "1971-03-01"}


def notes(case: dict) -> dict[str, dict]:
    (r,) = assess_cases([parse_case(case)])
    return {n["code"]: n for n in r["notes"]}


def test_the_402f_notice_before_an_eligible_rollover_distribution():
    n = notes(make(SEPARATED))["NOTICE_402F"]
    assert "1.402(f)-1" in n["citation"] and "before paying it" in n["text"]
    # A hardship withdrawal is not an eligible rollover distribution: no §402(f) notice.
    hardship = make({"plan.hardship": {"allowed": True}, "request.purpose": "funeral",
                     "request.amount": 5000, "employment.status": "active"})
    assert "NOTICE_402F" not in notes(hardship)


def test_a_money_purchase_plan_needs_the_spouses_consent_for_a_payment_and_a_loan():
    paid = notes(make(SEPARATED, **MARRIED, **{"plan.type": "money_purchase"}))
    assert "§417(a)(2)" in paid["SPOUSAL_CONSENT"]["citation"]
    lent = make(LOANS, **MARRIED, **{"plan.type": "money_purchase"})
    loan_note = notes(lent)["SPOUSAL_CONSENT_LOAN"]
    assert "Q&A-24" in loan_note["citation"]
    (r,) = assess_cases([parse_case(lent)])
    assert "LN_SPOUSAL_CONSENT" in {x["code"] for x in outcome(r, "loan")["reasons"]}
    # A 401(k) without a life-annuity form, or a single participant: no consent.
    assert "SPOUSAL_CONSENT_LOAN" not in notes(make(LOANS, **MARRIED))
    assert "SPOUSAL_CONSENT" not in notes(make(SEPARATED, **{"plan.type": "money_purchase"}))
    # A 401(k) that offers a life annuity (plan.spousal_consent): consent needed.
    assert "SPOUSAL_CONSENT" in notes(make(SEPARATED, **MARRIED,
                                           **{"plan.spousal_consent": True}))
