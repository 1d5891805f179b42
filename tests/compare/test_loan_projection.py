"""A plan loan in `compare`, worked by hand: the balance owed earns the loan rate (interest the
participant pays to their own account), the level payments of IRC §72(p)(2)(B), (C) go back
into the plan and earn its net return from the day each is paid; the money stays the plan's
throughout, valued after the later tax like leaving it.  And the marginal-rate profile of a
case whose only options are leaving the money and a loan (not a distribution, §72(p)(1)).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dist401k.case import load_case, parse_case
from dist401k.compare import compare_case
from dist401k.dates import fractional_age

#: The shipped case of a loan deemed distributed in 2026 (10,267.40), whose plan lends again.
LOAN_DEFAULT = Path(__file__).parents[2] / "examples" / "cases" / "loan-default.yaml"

#: The reviewer's case: 45, wages 80,000, a $10,000 loan at 4% over five years, monthly;
#: the market 8.5% less 0.5% of expenses (8% net), the later tax rate 22%.
OPPORTUNITY = {
    "id": "c2-opportunity",
    "person": {"birth_date": "1980-05-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-01-01"},
    "income": {"wages": 80000},
    "plan": {"type": "401k", "loans": {"allowed": True, "interest_rate": 0.04, "max_count": 2}},
    "account": {"sources": {"elective_deferral": {"balance": 100000}}},
    "request": {"date": "2026-03-01", "amount": 10000},
    "assumptions": {"growth": 0.085, "plan_expense": 0.005, "later_tax_rate": 0.22,
                    "horizon_ages": [51]},
}
LOAN, RATE, N, R_PLAN, KEEP = 10000.0, 0.04, 60, 0.08, 1 - 0.22


def _opt(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


def _payment() -> float:
    """The level monthly payment: L·i / (1 − (1 + i)^−n), i = 4%/12, n = 60: $184.17."""
    i = RATE / 12
    return round(LOAN * i / (1 - (1 + i) ** -N), 2)


def _in_account(months: int) -> float:
    """What the loan has put back in the account after ``months`` payments: the balance still
    owed (the principal at the loan rate less each payment at it) and every payment made,
    grown at the plan's 8% a year (monthly, (1.08)^(1/12), as leaving it grows 1.08^t)."""
    i, g, p = RATE / 12, (1 + R_PLAN) ** (1 / 12), _payment()
    owed = LOAN * (1 + i) ** months - sum(p * (1 + i) ** (months - j)
                                          for j in range(1, months + 1))
    repaid = sum(p * g ** (months - j) for j in range(1, months + 1))
    return (owed if months < N else 0.0) + repaid


def test_the_loan_is_worth_leaving_it_on_the_day_it_is_made_and_amortises_after():
    cmp = compare_case(parse_case(OPPORTUNITY))
    leave, loan = _opt(cmp, "leave"), _opt(cmp, "loan:cash")
    assert _payment() == pytest.approx(184.17)
    # Year 0: the money is still all in the account (lent to the participant): 10,000 × 78%.
    assert loan["by_year"][0] == pytest.approx(7800.00, abs=0.01) == leave["by_year"][0]
    # Two years in: 24 payments made; the balance owed plus the payments reinvested.
    assert loan["by_year"][2] == pytest.approx(_in_account(24) * KEEP, abs=0.05)
    # The end of the term: all 60 payments reinvested (the last cents of the level payment's
    # rounding aside, within $0.50): 13,434 against 10,000 × 1.08^5 = 14,693.28 left.
    end = _in_account(N)
    assert end == pytest.approx(13434.22, abs=0.01)
    assert leave["by_year"][5] == pytest.approx(LOAN * 1.08 ** 5 * KEEP, abs=0.01)
    assert loan["by_year"][5] == pytest.approx(end * KEEP, abs=0.5)
    # At 51, the repaid money has grown at 8% since the end of the term.
    years = 51 - float(fractional_age(np.datetime64("1980-05-10"), np.datetime64("2026-03-01")))
    assert loan["after_tax_value_at"]["51"] == pytest.approx(
        end * 1.08 ** (years - 5) * KEEP, abs=0.5)
    # The growth the loan missed by the end of the term, said with the option: about $1,259.
    gap = LOAN * 1.08 ** 5 - end
    assert f"${gap:,.0f} less" in " ".join(loan["notes"])


def test_a_loan_at_the_plans_own_return_is_worth_leaving_it_every_year():
    # A loan rate whose monthly interest is the plan's 8% a year, (1.08)^(1/12) − 1 a month
    # (7.72% a year, compounded monthly): the balance owed and the payments reinvested both
    # earn 8% a year, so the account holds what leaving it would, every year.
    rate = 12 * (1.08 ** (1 / 12) - 1)
    case = {**OPPORTUNITY, "plan": {**OPPORTUNITY["plan"],
                                    "loans": {"allowed": True, "interest_rate": rate}}}
    cmp = compare_case(parse_case(case))
    leave, loan = _opt(cmp, "leave"), _opt(cmp, "loan:cash")
    # Equal within the cents the level payment's rounding leaves over, grown.
    assert loan["by_year"] == pytest.approx(leave["by_year"], abs=0.5)


def test_no_bracket_trap_where_no_option_to_choose_is_taxable():
    # The shipped loan-default case: leave it, or a new loan of $15,000 (not a distribution,
    # §72(p)(1)); the deemed distribution has happened and is no option.  No taxable
    # distribution to warn about.
    cmp = compare_case(load_case(LOAN_DEFAULT))
    assert {o["option"] for o in cmp["options"]} == {"leave", "loan:cash"}
    assert cmp["marginal"]["amount"] == 0
    assert not [t for t in cmp["traps"] if t["code"] == "MARGINAL_RATE"]


def test_the_profile_and_the_later_rate_stand_on_the_deemed_loan():
    # The deemed 10,267.40 is income of 2026: taxable income 43,900 + 10,267.40 = 54,167.40,
    # past the 12% band's top of 50,400 (Rev. Proc. 2025-32): the first dollar of anything
    # more is taxed at 22%, and that is the default later tax rate.
    cmp = compare_case(load_case(LOAN_DEFAULT))
    assert cmp["marginal"]["taxable_income"][0] == pytest.approx(54167.40, abs=0.01)
    assert cmp["marginal"]["first_dollar_rate"] == pytest.approx(0.22)
    assert cmp["assumptions"]["later_tax_rate"] == pytest.approx(0.22)
    assert cmp["marginal"]["loan_deemed_this_year"] == pytest.approx(10267.40, abs=0.005)


def test_the_bracket_trap_says_it_stands_on_the_deemed_loan():
    # A $60,000 hardship in the year of the deemed 10,267.40: taxable income 54,167.40 →
    # 114,167.40, past the 22% band's top of 105,700 (Rev. Proc. 2025-32): from 22% to 24%.
    import yaml

    data = yaml.safe_load(LOAN_DEFAULT.read_text(encoding="utf-8"))
    data["plan"]["hardship"] = {"allowed": True}
    data["account"]["sources"]["elective_deferral"]["balance"] = 100000
    data["request"].update({"amount": 60000, "purpose": "medical"})
    cmp = compare_case(parse_case(data))
    trap = next(t for t in cmp["traps"] if t["code"] == "MARGINAL_RATE")
    assert trap["text"].startswith(
        "$60,000 of taxable distribution (on top of the $10,267 of a loan deemed distributed "
        "this year) moves you from the 22% to the 24% bracket")
    assert cmp["marginal"]["taxable_income"] == pytest.approx([54167.40, 114167.40], abs=0.01)


def _back(rate: float, months: int) -> float:
    """What a $10,000 loan at ``rate`` (monthly, level payments over 60 months: the
    amortisation formula) has put back by ``months``: the balance still owed at the loan rate
    — after the last payment, the cents the rounded payment leaves over, grown at the plan's
    8% — plus each payment grown at 8% a year from the month it is paid."""
    i, g = rate / 12, (1 + R_PLAN) ** (1 / 12)
    p = round(LOAN * i / (1 - (1 + i) ** -N), 2)
    owed = LOAN * (1 + i) ** months - sum(p * (1 + i) ** (months - j) for j in range(1, months + 1))
    repaid = sum(p * g ** (months - j) for j in range(1, months + 1))
    return owed + repaid


def test_a_loan_above_the_plans_return_is_worth_no_more_than_leaving_it():
    # At 10% a year the payment is 10,000 × i / (1 − (1 + i)^−60), i = 10%/12: $212.47; by the
    # end of the term the account holds more than 10,000 × 1.08^5, but the extra is interest
    # paid from pay (paid_from_pay: 60 × 212.47), no gain of the option: it is worth what
    # leaving the money is, every year and at 51.
    case = {**OPPORTUNITY, "plan": {**OPPORTUNITY["plan"],
                                    "loans": {"allowed": True, "interest_rate": 0.10}}}
    cmp = compare_case(parse_case(case))
    leave, loan = _opt(cmp, "leave"), _opt(cmp, "loan:cash")
    extra = _back(0.10, N) - LOAN * 1.08 ** 5
    assert extra > 0 and _back(0.10, 24) > LOAN * 1.08 ** 2  # the loan alone would beat leaving
    assert loan["paid_from_pay"] == pytest.approx(60 * 212.47)
    assert loan["by_year"] == leave["by_year"]
    assert loan["after_tax_value_at"] == leave["after_tax_value_at"]
    assert f"${extra:,.0f} more" in " ".join(loan["notes"])
    assert "not a gain" in " ".join(loan["notes"])


def test_a_loan_below_the_plans_return_shows_the_growth_it_missed():
    # At 4% (the reviewer's): worth less than leaving it in every year after the first
    # payment, by the amortisation worked above (_back): two years in, (back − 10,000 ×
    # 1.08²) × 78% less.
    cmp = compare_case(parse_case(OPPORTUNITY))
    leave, loan = _opt(cmp, "leave"), _opt(cmp, "loan:cash")
    assert all(x < y for x, y in zip(loan["by_year"][1:], leave["by_year"][1:], strict=True))
    assert leave["by_year"][2] - loan["by_year"][2] == pytest.approx(
        (LOAN * 1.08 ** 2 - _back(RATE, 24)) * KEEP, abs=0.02)


def test_the_shipped_loan_default_case_does_not_star_the_loan():
    # The plan's loans charge 8%, more than its 4.5% net return: the loan is worth what
    # leaving the money is, and leaving it (listed first) is the one starred.
    cmp = compare_case(load_case(LOAN_DEFAULT))
    assert _opt(cmp, "loan:cash")["after_tax_value_at"] == _opt(cmp, "leave")["after_tax_value_at"]
    assert set(cmp["best_at"].values()) == {"leave"}


def test_a_loan_deemed_distributed_is_not_money_left_in_the_plan():
    """A loan deemed distributed stays a loan receivable of the plan, earning no market return
    (Treas. Reg. §1.72(p)-1, Q&A-10, -12): what "leave it" keeps is the $5,000 asked, not the
    $12,416.38 deemed (12,000 owed plus interest), and a hardship that pays the $5,000 leaves
    nothing of it to grow."""
    case = parse_case({
        "id": "deemed-and-hardship",
        "person": {"birth_date": "1980-03-01", "filing_status": "single"},
        "plan": {"type": "401k", "loans": {"allowed": True}, "hardship": {"allowed": True}},
        "employment": {"status": "active", "hire_date": "2015-01-01"},
        "account": {"sources": {"elective_deferral": {"balance": 60000}},
                    "loans": {"outstanding": 12000, "count": 1,
                              "missed_payment_date": "2025-02-01"}},
        "income": {"wages": 40000},
        "request": {"date": "2025-09-01", "amount": 5000, "purpose": "medical"},
        "assumptions": {"later_tax_rate": 0.12}})
    cmp = compare_case(case)
    leave = _opt(cmp, "leave")
    assert leave["gross"] == pytest.approx(5000.0)
    # Today: the $5,000 after the later tax, 5,000 × (1 − 0.12).
    assert leave["by_year"][0] == pytest.approx(4400.0, abs=0.01)
    hardship = _opt(cmp, "hardship:cash")
    assert hardship["by_year"][0] == pytest.approx(0.0, abs=0.01)
