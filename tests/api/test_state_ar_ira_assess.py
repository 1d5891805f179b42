"""Arkansas judges a payment from an IRA at the case door (``assess``) by the IRA rule of its
retirement benefits exemption, not as a plan's.

Ark. Code Ann. §26-51-307(a)(1)–(2): the first $6,000 of a person's retirement benefits is
exempt, a plan's at any age (a premature distribution included, DFA Rule 2.26-51-307), an
individual retirement account's only where "received ... after reaching fifty-nine and one-half
(59 1/2) years of age" or on the participant's death or disability.  Before, the case door gave
every payment as a plan's, so an IRA's before 59½ took the $6,000 too.

Hand-worked cases (2026, single, wages $60,000; a $20,000 payment from a Roth IRA opened 2024
with $9,000 of regular contributions: Form 8606 Part III, $11,000 of earnings taxable federally):
the standard deduction 2,470 (2025's, carried), the Regular Income Tax Table at the middle of the
$100 row of net taxable income (3.7% less 367.20 from 26,400, Act 1 of 2026), rounded to whole
dollars; the personal credit is the same with and without the payment.

- Without the payment: 60,000 − 2,470 = 57,530, row 57,500: 57,549.50 × 3.7% − 367.20 =
  1,762.1315, 1,762.
- No exemption: 71,000 − 2,470 = 68,530, 68,549.50 × 3.7% − 367.20 = 2,169.1315, 2,169: the
  payment adds 407.
- $6,000 exempt: 65,000 − 2,470 = 62,530, 62,549.50 × 3.7% − 367.20 = 1,947.1315, 1,947: the
  payment adds 185.
"""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from routes.conftest import make

ROTH = {"roth": 40000, "roth_contributions": 9000, "roth_first_year": 2024}


def _roth_ira(birth: str, date: str = "2026-06-01") -> dict:
    case = make({"person.birth_date": birth, "person.state": "AR", "request.date": date,
                 "request.amount": 20000, "iras": dict(ROTH)})
    answer = assess_cases([parse_case(case)])[0]
    return next(o for o in answer["outcomes"]
                if o["route"] == "roth_ira" and o["destination"] == "cash")


def test_an_ira_payment_before_59_half_takes_no_arkansas_exemption():
    """55 on the request date: a premature IRA distribution, no exemption: 407 (before: taken
    as a plan's, 6,000 exempt: 185).  Its additional tax is 10% of the federal 10% tax on the
    11,000: 110."""
    o = _roth_ira("1971-01-15")
    assert o["taxable"] == 11000.0
    assert o["state_income_tax_increase"] == pytest.approx(407.0, abs=0.005)
    assert o["state_additional_tax"] == pytest.approx(110.0, abs=0.005)


def test_an_ira_payment_past_59_half_takes_the_exemption():
    """62: an IRA's benefit received after 59½: 6,000 exempt, 185 (a guard: so before too)."""
    o = _roth_ira("1964-01-15")
    assert o["state_income_tax_increase"] == pytest.approx(185.0, abs=0.005)


def test_59_half_is_judged_on_the_request_date():
    """Born 1967-01-15, paid 2026-12-01: 59½ was reached on 2026-07-15, so the payment is
    received after it (no §72(t) tax either) though the whole age at December 31 is 59: 6,000
    exempt, 185."""
    o = _roth_ira("1967-01-15", "2026-12-01")
    assert o["taxable"] == 11000.0
    assert o["state_income_tax_increase"] == pytest.approx(185.0, abs=0.005)
