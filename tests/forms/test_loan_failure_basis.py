"""A loan that goes bad recovers the after-tax basis by the one §72(e)(8) ratio: the investment
in the contract over the account balance, and the loan receivable is part of that balance.

IRC §72(e)(8)(B): the part of an amount received allocable to the investment in the contract
"bears the same ratio to such amount as the investment in the contract bears to the account
balance".  A loan is an investment of the participant's account: an offset is a "reduction
(offset) of an account balance in order to repay a plan loan" (Treas. Reg. §1.72(p)-1, Q&A-13),
the participant's "accrued benefit is reduced (offset) in order to repay the loan" (§1.402(c)-2,
Q&A-9(b)).  So the after-tax account's balance counts the part of the loan it lent — as the
designated Roth account's already did (one contract, Treas. Reg. §1.402A-1, Q&A-9(a)).

The figures are worked by hand from those rules (the loan taken from the money other than
designated Roth money, pro rata to its vested balance: docs/forms.md).

The outcome's parts add to its gross to the cent, and Form 1099-R box 5 is the outcome's
nontaxable part (box 5 = box 1 − box 2a of a form whose untaxed money is all basis)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.assess import assess_cases
from dist401k.basis import loan_failure_shares, loan_receivable_by_source
from dist401k.case import parse_case
from dist401k.sources import AFTER_TAX, ROTH, SOURCES
from routes.conftest import make, outcome

# 46, still working; $20,000 of deferrals, $20,000 of after-tax money ($15,000 of it basis);
# owes $10,000 at 8%.  The payment due May 31, 2026 was missed: the cure period ends on
# September 30 (the end of the next calendar quarter, Treas. Reg. §1.72(p)-1, Q&A-10(a)), and
# the loan with its interest is deemed distributed then (Q&A-10(b)):
#   interest 10,000 × 8% × 122 days / 365 = 267.40  →  deemed 10,267.40
#   taken half from each source (20,000 / 40,000): 5,133.70 from the after-tax money;
#   the after-tax account lent half the loan: 5,000 of the receivable is in its balance;
#   ratio 15,000 / (20,000 + 5,000) = 0.6 (without the receivable it was 15,000 / 20,000 = 0.75)
#   nontaxable 5,133.70 × 0.6 = 3,080.22; taxable 10,267.40 − 3,080.22 = 7,187.18;
#   10% additional tax (§72(t)(1), no exception at 46) 718.72.
DEEMED = make({
    "person.birth_date": "1980-05-10", "employment.hire_date": "2015-01-01",
    "plan.loans": {"allowed": True, "interest_rate": 0.08, "max_count": 2},
    "account.sources": {"elective_deferral": {"balance": 20000},
                        "after_tax": {"balance": 20000, "basis": 15000}},
    "account.loans": {"outstanding": 10000, "count": 1, "missed_payment_date": "2026-05-31"},
    "request.date": "2026-11-20", "request.amount": None,
})

# 51, separated March 15, 2026 (no rule of 55); $60,000 of deferrals, $20,000 of after-tax
# money ($15,000 basis); a $20,000 loan offset on the distribution after severance:
#   taken 3/4 from the deferrals, 1/4 (5,000) from the after-tax money, which lent 5,000;
#   ratio 15,000 / (20,000 + 5,000) = 0.6: nontaxable 3,000, taxable 17,000, 10% tax 1,700
#   (before: 15,000 / 20,000 = 0.75: nontaxable 3,750, taxable 16,250).
OFFSET = make({
    "person.birth_date": "1975-03-01", "employment.status": "separated",
    "employment.hire_date": "2000-03-01", "employment.separation_date": "2026-03-15",
    "income.wages": 30000,
    "plan.loans": {"allowed": True, "interest_rate": 0.08, "max_count": 2},
    "account.sources": {"elective_deferral": {"balance": 60000},
                        "after_tax": {"balance": 20000, "basis": 15000}},
    "account.loans": {"outstanding": 20000, "count": 1},
    "request.date": "2026-06-15", "request.destination": "all",
})


def assess(case: dict) -> dict:
    return assess_cases([parse_case(case)])[0]


def _form(o: dict) -> dict:
    (form,) = o["form_1099r"]
    return form


def test_a_deemed_loan_recovers_basis_over_the_account_with_its_receivable():
    o = outcome(assess(DEEMED), "loan_deemed")
    assert o["gross"] == 10267.40
    assert (o["taxable"], o["nontaxable"]) == (7187.18, 3080.22)
    assert o["additional_tax_72t"] == 718.72
    form = _form(o)
    assert (form["box_1"], form["box_2a"], form["box_5"], form["box_7"]) == (
        10267.40, 7187.18, 3080.22, "1L")


def test_a_loan_offset_recovers_basis_over_the_account_with_its_receivable():
    result = assess(OFFSET)
    for dest in ("cash", "indirect_60day"):  # the form is the same whether rolled over or not
        o = outcome(result, "loan_offset", dest)
        form = _form(o)
        assert (form["box_1"], form["box_2a"], form["box_5"], form["box_7"]) == (
            20000, 17000, 3000, "1M"), dest
    kept = outcome(result, "loan_offset")
    assert (kept["gross"], kept["taxable"], kept["nontaxable"]) == (20000, 17000, 3000)
    assert kept["additional_tax_72t"] == 1700


def test_the_deemed_outcome_adds_to_its_gross_and_box_5_is_its_nontaxable():
    """Before: taxable 6,417.12 + nontaxable 3,850.27 = 10,267.39 against a gross of 10,267.40,
    and box 5 3,850.28.  The nontaxable part is the complement of the taxable one to the cent,
    as the forms round (box 5 = box 1 − box 2a)."""
    o = outcome(assess(DEEMED), "loan_deemed")
    assert round(o["taxable"] + o["nontaxable"], 2) == o["gross"]
    assert _form(o)["box_5"] == o["nontaxable"]


def _row(**money) -> np.ndarray:
    row = np.zeros((1, len(SOURCES)))
    for name, value in money.items():
        row[0, SOURCES.index(name)] = value
    return row


def test_after_tax_and_roth_money_take_the_same_ratio():
    """One function for both contracts: $15,000 of investment in $20,000 of money that lent
    $5,000 of the loan is 15,000 / 25,000 = 0.6, after-tax basis or designated Roth
    contributions alike (a Roth payment that is qualified is all tax-free, §402A(d)(1))."""
    balance = _row(elective_deferral=20000, after_tax=20000, roth_deferral=20000)
    lent = _row(elective_deferral=5000, after_tax=5000, roth_deferral=5000)
    basis = _row(after_tax=15000)
    contributions = _row(roth_deferral=15000)
    none = np.zeros(balance.shape, bool)
    share, contributed = loan_failure_shares(balance, lent, basis, contributions, none)
    assert share[0, AFTER_TAX].tolist() == pytest.approx([0.6])
    assert share[0, ROTH].tolist() == pytest.approx([0.6] * int(ROTH.sum()))
    assert contributed[0, ROTH].tolist() == pytest.approx([0.6] * int(ROTH.sum()))
    assert share[0, SOURCES.index("elective_deferral")] == 0
    qualified, _ = loan_failure_shares(balance, lent, basis, contributions, ROTH[None, :])
    assert qualified[0, ROTH].tolist() == [1.0] * int(ROTH.sum())


def test_the_receivable_is_spread_as_the_loan_was_taken():
    """A $10,000 loan taken 3/4 and 1/4 from two sources: 7,500 and 2,500 of it are theirs."""
    available = _row(elective_deferral=7700.0, after_tax=2566.67)
    eligible = available > 0
    got = loan_receivable_by_source(eligible, available, np.array([10000.0]))
    assert got[0, SOURCES.index("after_tax")] == pytest.approx(10000 * 2566.67 / 10266.67)
    assert got.sum() == pytest.approx(10000)
