"""Every payment of an account while a loan is outstanding recovers basis by the one §72(e)(8)
ratio the loan that goes bad uses: the investment in the contract over the account balance with
the loan receivable in it, so the basis is recovered once, never more.

IRC §72(e)(8)(B): the part of an amount received allocable to the investment in the contract
"bears the same ratio to such amount as the investment in the contract bears to the account
balance".  The loan is an investment of the participant's account (Treas. Reg. §1.72(p)-1,
Q&A-13: its offset is "a reduction (offset) of an account balance in order to repay a plan
loan"), so the account balance holds it whatever is paid: a cash payment of the rest of the
account, a rollover, the Notice 2014-54 split, a partial in-service withdrawal.  The designated
Roth money is one contract (Treas. Reg. §1.402A-1, Q&A-9(a)): its contributions are the
investment.  A loan deemed distributed "ceases to be an outstanding loan for purposes of
section 72" (Treas. Reg. §1.72(p)-1, Q&A-19): a later payment does not count it.

The figures are worked by hand from those rules: the loan taken from the money other than
designated Roth money, pro rata to its vested balance, or from the designated Roth money of an
account that holds no other (docs/forms.md, "Which money the loan was made from")."""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from forms.test_loan_failure_basis import OFFSET as LOAN_OFFSET_CASE
from routes.conftest import edited, make, outcome

LOANS = {"allowed": True, "interest_rate": 0.08, "max_count": 2}

# 51, separated March 15, 2026 (no rule of 55); $60,000 of deferrals, $20,000 of after-tax
# money ($15,000 basis); a $20,000 loan offset on the payment of the whole account.  The loan
# was taken 3/4 from the deferrals and 1/4 from the after-tax money, which lent $5,000:
#   one ratio 15,000 / (20,000 + 5,000) = 0.6
#   the cash payment's $20,000 of after-tax money: 12,000 tax-free (box 5), 68,000 taxable
#   the offset's $5,000 of after-tax money: 3,000 tax-free; 12,000 + 3,000 = 15,000, the basis
#   (before: 15,000 at 0.75 on the cash payment and 3,000 on the offset, 18,000 in all).
OFFSET = LOAN_OFFSET_CASE  # the same case as the loan that goes bad (tests/forms)


def assess(case: dict) -> dict:
    return assess_cases([parse_case(case)])[0]


def box_5(o: dict) -> float:
    return round(sum(form["box_5"] for form in o["form_1099r"]), 2)


def test_the_whole_payout_and_the_offset_recover_the_basis_once():
    result = assess(OFFSET)
    cash, offset = outcome(result, "separation"), outcome(result, "loan_offset")
    assert (cash["gross"], cash["taxable"], cash["nontaxable"]) == (80000, 68000, 12000)
    assert (box_5(cash), box_5(offset)) == (12000, 3000)
    assert box_5(cash) + box_5(offset) == 15000
    # 20% of both taxable amounts, the offset's in it (Treas. Reg. §31.3405(c)-1, Q&A-11):
    # 0.20 × (68,000 + 17,000) = 17,000.
    assert cash["withholding"] == 17000


def test_every_destination_of_the_whole_payout_takes_the_one_ratio():
    result = assess(OFFSET)
    for dest in ("traditional_ira", "roth_ira", "other_plan", "indirect_60day"):
        assert box_5(outcome(result, "separation", dest)) == 12000, dest
    # Notice 2014-54: the basis of the payment ($12,000), not more, goes to the Roth IRA
    # tax-free; the taxable $68,000 to the traditional IRA.
    split = outcome(result, "separation", "split_2014_54")
    assert (split["to_roth_ira"], split["to_traditional_ira"]) == (12000, 68000)
    assert outcome(result, "separation", "roth_ira")["taxable"] == 68000


# 56, still working; $300,000 of deferrals, $100,000 of after-tax money ($60,000 basis) that the
# plan lets be withdrawn in service; $40,000 owed on a loan, a quarter of it (10,000) lent by the
# after-tax money.  A $20,000 withdrawal of after-tax money:
#   20,000 × 60,000 / (100,000 + 10,000) = 10,909.09 tax-free, 9,090.91 taxable
#   (before: 20,000 × 0.6 = 12,000 tax-free, 8,000 taxable).
IN_SERVICE = make({
    "person.birth_date": "1970-06-01", "employment.hire_date": "2010-03-01",
    "income.wages": 120000, "plan.loans": LOANS,
    "plan.in_service": {"after_tax": {"allowed": True}},
    "account.sources": {"elective_deferral": {"balance": 300000},
                        "after_tax": {"balance": 100000, "basis": 60000}},
    "account.loans": {"outstanding": 40000, "count": 1},
    "request.date": "2026-06-15", "request.amount": 20000,
})


def test_a_partial_withdrawal_beside_a_loan_counts_the_receivable():
    o = outcome(assess(IN_SERVICE), "in_service")
    assert o["gross"] == 20000
    assert (o["taxable"], o["nontaxable"]) == (9090.91, 10909.09)
    assert box_5(o) == 10909.09


def test_without_a_loan_the_ratio_is_unchanged():
    """No loan: 20,000 × 60,000 / 100,000 = 12,000 tax-free (§72(e)(8)(B))."""
    o = outcome(assess(edited(IN_SERVICE, {"account.loans": None})), "in_service")
    assert (o["taxable"], o["nontaxable"]) == (8000, 12000)


def test_a_pre_1987_investment_comes_first_then_the_one_ratio():
    """$20,000 of the basis is the investment as of December 31, 1986 (§72(e)(8)(D)): tax-free
    first, then the rest pro rata over the account with the receivable:
    20,000 + 10,000 × (60,000 − 20,000) / (110,000 − 20,000) = 24,444.44 tax-free of a $30,000
    withdrawal, 5,555.56 taxable (before: 20,000 + 10,000 × 40,000 / 80,000 = 25,000)."""
    case = edited(IN_SERVICE, {"account.sources.after_tax.pre_1987_basis": 20000,
                               "request.amount": 30000})
    o = outcome(assess(case), "in_service")
    assert (o["taxable"], o["nontaxable"]) == (5555.56, 24444.44)


# 51, separated March 15, 2026; all of the account designated Roth money: $40,000, $30,000 of it
# contributions, first contribution 2020 (five years, but not 59½: not qualified).  A $10,000
# loan, lent by the Roth money, is offset beside the payment of the $40,000:
#   one ratio 30,000 / (40,000 + 10,000) = 0.6 (one contract, Treas. Reg. §1.402A-1, Q&A-9(a))
#   the cash payment: 24,000 of contributions (box 5), 16,000 of earnings taxable
#   the offset: 6,000 of contributions, 4,000 taxable; 24,000 + 6,000 = 30,000
#   (before: 30,000 at 0.75 on the cash payment beside the offset's 6,000, 36,000 in all).
ROTH_ONLY = edited(OFFSET, {
    "account.sources": {"roth_deferral": {"balance": 40000, "contributions": 30000,
                                          "first_year": 2020}},
    "account.loans": {"outstanding": 10000, "count": 1},
})


def test_a_nonqualified_roth_payout_beside_a_loan_recovers_the_contributions_once():
    result = assess(ROTH_ONLY)
    cash, offset = outcome(result, "separation"), outcome(result, "loan_offset")
    assert (cash["gross"], cash["taxable"], cash["nontaxable"]) == (40000, 16000, 24000)
    assert (box_5(cash), box_5(offset)) == (24000, 6000)
    assert offset["taxable"] == 4000


# 46, still working; $20,000 of deferrals, $20,000 of after-tax money ($15,000 basis); the
# $10,000 loan was deemed distributed when its cure period ended on September 30, 2026.  A
# deemed loan "ceases to be an outstanding loan for purposes of section 72" (Treas. Reg.
# §1.72(p)-1, Q&A-19): a withdrawal of $4,000 of after-tax money on November 20 is tax-free at
# 15,000 / 20,000 = 0.75 (the basis the deemed distribution recovered not modelled): 3,000.
DEEMED_BEFORE = make({
    "person.birth_date": "1980-05-10", "employment.hire_date": "2015-01-01",
    "plan.loans": LOANS, "plan.in_service": {"after_tax": {"allowed": True}},
    "account.sources": {"elective_deferral": {"balance": 20000},
                        "after_tax": {"balance": 20000, "basis": 15000}},
    "account.loans": {"outstanding": 10000, "count": 1, "missed_payment_date": "2026-05-31"},
    "request.date": "2026-11-20", "request.amount": 4000,
})


def test_a_loan_deemed_before_is_not_in_the_balance_of_a_later_payment():
    result = assess(DEEMED_BEFORE)
    o = outcome(result, "in_service")
    assert (o["taxable"], o["nontaxable"]) == (1000, 3000)
    # The deemed distribution itself still counts the loan it distributes (0.6: 3,080.22).
    assert outcome(result, "loan_deemed")["nontaxable"] == 3080.22


@pytest.mark.parametrize("case", [OFFSET, IN_SERVICE, ROTH_ONLY])
def test_the_parts_add_to_the_gross(case):
    outcomes = assess(case)["outcomes"]
    assert outcomes
    for o in outcomes:
        assert round(o["taxable"] + o["nontaxable"], 2) == pytest.approx(o["gross"]), o["route"]
