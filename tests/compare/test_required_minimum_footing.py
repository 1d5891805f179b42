"""`compare` where the law requires money out this year: no option that leaves the year's
required minimum untaken is starred, a loan is worth no more than "leave it" (which pays the
minimum), the deadline is said, and an heir past the account's deadline is valued today —
each expectation worked from the rule, not from the program's output."""

from __future__ import annotations

import datetime as dt

from dist401k.case import parse_case
from dist401k.compare import compare_case

#: Born 1952-02-11 (73 in 2025: first RMD year, SECURE 2.0 §107), separated 2020, its first
#: $10,000 minimum unpaid past April 1, 2026.
RMD_LAST_YEAR = {
    "id": "rmd-lastyear", "person": {"birth_date": "1952-02-11", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "1985-01-01",
                   "separation_date": "2020-12-31"},
    "income": {"social_security": 30000}, "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 300000}},
                "prior_year_end_balance": 300000, "last_year_rmd_unpaid": 10000},
    "request": {"date": "2026-11-23", "amount": 5000}}
OWNER_LOAN = {
    "id": "owner-loan", "person": {"birth_date": "1952-07-04", "filing_status": "married_joint",
                                   "spouse_birth_date": "1955-03-03", "five_percent_owner": True},
    "employment": {"status": "active", "hire_date": "1998-01-01"},
    "income": {"wages": 140000, "social_security": 42000},
    "plan": {"type": "401k", "loans": {"allowed": True, "interest_rate": 0.08, "max_count": 2}},
    "account": {"sources": {"elective_deferral": {"balance": 650000}},
                "prior_year_end_balance": 600000},
    "request": {"date": "2026-11-23", "amount": 40000}}
ESTATE_PAST = {
    "id": "estate-past", "person": {"birth_date": "1960-11-01"}, "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 95000},
                            "profit_sharing": {"balance": 30000}}},
    "beneficiary": {"deceased_birth_date": "1956-05-05", "date_of_death": "2017-12-01",
                    "relationship": "non_designated"},
    "request": {"date": "2026-11-23", "amount": "max"}}


def _opt(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


def test_an_option_short_of_the_minimum_is_not_starred():
    """2026's minimum: $300,000 / 25.5 (Uniform Lifetime Table at 74, Treas. Reg.
    §1.401(a)(9)-9(c)) = $11,764.71, plus last year's $10,000 unpaid: $21,764.71 must come out
    by December 31 (§401(a)(9)(A), (C)). A $5,000 cash payment leaves $16,764.71 of it in the
    plan, which cannot stay without the §4974(a) excise: it is not ranked, whatever its value."""
    cmp = compare_case(parse_case(RMD_LAST_YEAR))
    short = _opt(cmp, "separation:cash")
    assert short["short_of_minimum"] == 16764.71
    assert "separation:cash" not in cmp["best_at"].values()
    assert all(not o.get("short_of_minimum") for o in cmp["options"]
               if o["option"] in cmp["best_at"].values())


def test_the_deadline_of_a_minimum_past_its_april_1_is_december_31():
    """Last year's first minimum was due by April 1, 2026 (Treas. Reg. §1.401(a)(9)-5(a)(2));
    that day has passed, so all $21,764.71 is owed by this year's December 31 — the note names
    that day and says April 1 has passed, never "by None"."""
    cmp = compare_case(parse_case(RMD_LAST_YEAR))
    said = " ".join(n for o in cmp["options"] for n in o["notes"])
    assert "None" not in said
    assert "$21,764.71 out of the account by 2026-12-31" in said
    assert "April 1 deadline has passed" in said


def test_a_loan_is_worth_no_more_than_leaving_the_money_when_a_minimum_is_owed():
    """A 5% owner is required to start at 73 while still working (§401(a)(9)(C)(ii)(I)):
    $600,000 / 25.5 = $23,529.41 must come out this year. "Leave it" pays it; a loan, which pays
    none of it, is worth at most leaving the money on that same footing, and is not starred."""
    cmp = compare_case(parse_case(OWNER_LOAN))
    leave, loan = _opt(cmp, "leave"), _opt(cmp, "loan:cash")
    assert leave["gross"] == 23529.41
    for h, v in loan["after_tax_value_at"].items():
        assert v <= leave["after_tax_value_at"][h] + 0.005
    assert all(a <= b + 0.005 for a, b in zip(loan["by_year"], leave["by_year"], strict=True))
    assert "loan:cash" not in cmp["best_at"].values()


def test_an_heir_past_the_accounts_deadline_is_valued_today_with_nothing_left_to_spread():
    """Died 2017-12-01 before the required beginning date, an estate as beneficiary: the
    5-year rule (§401(a)(9)(B)(ii)), 2020 not counted (§401(a)(9)(I)(iii)(I) as CARES §2203
    added it), empties the account by 2023-12-31 — past on 2026-11-23. All $125,000 is
    required now: the horizon is today, nothing stays to grow, and no spreading is offered."""
    cmp = compare_case(parse_case(ESTATE_PAST))
    assert list(cmp["best_at"]) == ["2026-11-23"]
    assert dt.date.fromisoformat(next(iter(cmp["best_at"]))) >= dt.date(2026, 11, 23)
    leave = _opt(cmp, "leave")
    assert leave["gross"] == 125000.0
    assert not any("grows" in n for n in leave["notes"])
    marginal = next(t for t in cmp["traps"] if t["code"] == "MARGINAL_RATE")
    assert "Spreading" not in marginal["text"] and "cannot be put off" in marginal["text"]
