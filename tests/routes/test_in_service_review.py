"""In-service withdrawals and spousal consent, after an ERISA attorney's review.

The figures are worked from the rules, not from the program:

- Treas. Reg. §1.401-1(b)(1)(ii): a profit-sharing plan distributes "after a fixed number of
  years, the attainment of a stated age, or upon the prior occurrence of some event"; Rev. Rul.
  71-295: the fixed number of years is at least two; Rev. Rul. 68-24: a participant of five
  years may take all of it. A plan that states neither a period nor an age pays only the money
  contributed two years ago, all of it after five years of participation.
- §417(a)(2)(A), §401(a)(11)(A): the consent is the participant's spouse's; a beneficiary's
  payment needs none.
- Treas. Reg. §1.401(a)-20, Q&A-24(a)(1): no spousal consent to a loan where "the total
  accrued benefit subject to the security is not in excess of the cash-out limit" (§411(a)(11)(A),
  $7,000 from 2024: SECURE 2.0 §304).
"""

from __future__ import annotations

import copy

import pytest

from dist401k.explain import reason
from dist401k.law.loader import default_law
from routes.conftest import edited, outcome, route

#: The reviewer's case: 40 on 2026-05-15, hired 2025-01-01 (1.4 years of participation on
#: 2026-06-05); the plan opens match and profit sharing in service with no period and no age;
#: none of the employer money was contributed two years ago.
NO_PERIOD = {
    "person": {"birth_date": "1986-05-15", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2025-01-01"},
    "income": {"wages": 82000},
    "plan": {"type": "401k", "in_service": {"match": {"allowed": True},
                                            "profit_sharing": {"allowed": True}}},
    "account": {"sources": {"elective_deferral": {"balance": 10000},
                            "match": {"balance": 5000, "vested": 1.0, "seasoned": 0},
                            "profit_sharing": {"balance": 6000, "vested": 1.0, "seasoned": 0}}},
    "request": {"date": "2026-06-05", "amount": "max"},
}


def _row(result: dict, name: str, source: str) -> dict:
    return next(r for r in result["routes"] if r["route"] == name and r["source"] == source)


def _codes(result: dict, name: str, source: str) -> set[str]:
    return {x["code"] for x in _row(result, name, source)["reasons"]}


def _notes(result: dict) -> set[str]:
    return {n["code"] for n in result.get("notes", [])}


# ── 1. Employer money with no plan period: the law's two years, or five of participation ──


def test_employer_money_with_no_plan_period_or_age_waits_two_years(assess):
    """No money contributed two years ago, 1.4 years of participation, no age in the plan:
    nothing is payable (Treas. Reg. §1.401-1(b)(1)(ii); Rev. Rul. 71-295; Rev. Rul. 68-24)."""
    r = assess(NO_PERIOD)
    assert route(r, "in_service")["available"] == 0
    assert route(r, "in_service")["eligible"] is False
    for source in ("match", "profit_sharing"):
        assert _row(r, "in_service", source)["available"] == 0
        assert "IS_SEASONED_ONLY" in _codes(r, "in_service", source)
        assert "IS_EMPLOYER_OK" not in _codes(r, "in_service", source)


def test_the_seasoned_part_is_paid_and_the_rest_closed(assess):
    """$2,000 of the match and $2,500 of the profit sharing contributed more than two years
    ago: 2,000 + 2,500 = $4,500 paid, the rest closed with the rule."""
    r = assess(edited(NO_PERIOD, {"account.sources.match.seasoned": 2000,
                                  "account.sources.profit_sharing.seasoned": 2500}))
    assert route(r, "in_service")["available"] == pytest.approx(4500)
    assert {"IS_SEASONED_ONLY", "IS_EMPLOYER_OK"} <= _codes(r, "in_service", "match")


def test_five_years_of_participation_pay_all_of_it_with_no_plan_period(assess):
    """Hired 2020-01-01: 6.4 years of participation on 2026-06-05, so Rev. Rul. 68-24 lets the
    plan pay all 5,000 + 6,000 = $11,000, unseasoned money included."""
    r = assess(edited(NO_PERIOD, {"employment.hire_date": "2020-01-01"}))
    assert route(r, "in_service")["available"] == pytest.approx(11000)
    assert {"IS_FIVE_YEARS", "IS_EMPLOYER_OK"} <= _codes(r, "in_service", "match")
    assert "IS_SEASONED_ONLY" not in _codes(r, "in_service", "match")


def test_a_stated_age_reached_is_an_event_of_its_own(assess):
    """The plan opens the match at 40 (reached 2026-05-15): "the attainment of a stated age" of
    §1.401-1(b)(1)(ii) needs no seasoning — all $5,000 of it; the profit sharing, with no age,
    still waits ($0)."""
    r = assess(edited(NO_PERIOD, {"plan.in_service.match.min_age": 40}))
    assert _row(r, "in_service", "match")["available"] == pytest.approx(5000)
    assert _row(r, "in_service", "profit_sharing")["available"] == 0
    assert "IS_SEASONED_ONLY" not in _codes(r, "in_service", "match")


def test_a_participation_period_alone_leaves_the_two_year_rule(assess):
    """The reviewer's second case: participation_years 5, 2.4 years of participation (hired
    2024-01-01), $1,000 of $5,000 seasoned: at most the $1,000 seasoned money."""
    case = edited(NO_PERIOD, {"employment.hire_date": "2024-01-01",
                              "plan.in_service": {"match": {"allowed": True,
                                                            "participation_years": 5}},
                              "account.sources": {"match": {"balance": 5000, "vested": 1.0,
                                                            "seasoned": 1000}}})
    r = assess(case)
    assert route(r, "in_service")["available"] == pytest.approx(1000)
    assert "IS_SEASONED_ONLY" in _codes(r, "in_service", "match")


def test_a_plan_that_gives_seasoning_only_pays_seasoned_money_only(assess):
    """The plan's own term (two years' seasoning, no participation rule) is lawful and is
    applied as written: after 6.4 years of participation still only the $2,000 seasoned."""
    case = edited(NO_PERIOD, {"employment.hire_date": "2020-01-01",
                              "plan.in_service": {"match": {"allowed": True,
                                                            "seasoning_years": 2}},
                              "account.sources": {"match": {"balance": 5000, "seasoned": 2000}}})
    r = assess(case)
    assert route(r, "in_service")["available"] == pytest.approx(2000)
    assert "IS_FIVE_YEARS" not in _codes(r, "in_service", "match")


def test_a_seasoning_period_below_the_law_closes_all_unseasoned_employer_money(assess):
    """seasoning_years 1 on the match (gives way to the law's two) and nothing on the profit
    sharing: neither has money contributed two years ago, so $0 by both."""
    r = assess(edited(NO_PERIOD, {"plan.in_service.match.seasoning_years": 1}))
    assert route(r, "in_service")["available"] == 0
    assert {"IS_SEASONED_ONLY", "IS_PLAN_PERIOD_BELOW_LAW"} <= _codes(r, "in_service", "match")
    assert "IS_EMPLOYER_OK" not in _codes(r, "in_service", "match")
    assert "IS_EMPLOYER_OK" not in _codes(r, "in_service", "profit_sharing")


# ── 2. The reasons on the rows ──────────────────────────────────────────────────────────────


@pytest.mark.parametrize("plan_type, closing", [
    ("403b7", "IS_403B7_BEFORE_59_HALF"),
    ("money_purchase", "IS_PENSION_BEFORE_59_HALF"),
    ("governmental_457b", "IS_457_BEFORE_59_HALF_YEAR"),
])
def test_rev_rul_68_24_is_for_profit_sharing_money_only(assess, plan_type, closing):
    """50 in 2026, 16 years of participation, a plan giving participation_years 5: the money is
    closed until 59½ by its own rule, and the five-year ruling is not given as a reason."""
    case = {
        "person": {"birth_date": "1976-05-15", "filing_status": "single"},
        "employment": {"status": "active", "hire_date": "2010-01-01"},
        "income": {"wages": 82000},
        "plan": {"type": plan_type,
                 "in_service": {"match": {"allowed": True, "participation_years": 5}}},
        "account": {"sources": {"match": {"balance": 5000, "vested": 1.0}}},
        "request": {"date": "2026-06-05", "amount": "max"},
    }
    r = assess(case)
    assert route(r, "in_service")["available"] == 0
    codes = _codes(r, "in_service", "match")
    assert closing in codes
    assert "IS_FIVE_YEARS" not in codes
    assert "IS_EMPLOYER_OK" not in codes


def test_a_money_purchase_plan_at_59_half_says_why_it_opens(assess):
    """Born 1966-05-15: 59½ on 2025-11-15; asked 2026-12-01, the money purchase plan's
    $40,000 opens in service, with the §401(a)(36) reason."""
    case = {
        "person": {"birth_date": "1966-05-15", "filing_status": "single"},
        "employment": {"status": "active", "hire_date": "2010-01-01"},
        "income": {"wages": 82000},
        "plan": {"type": "money_purchase",
                 "in_service": {"profit_sharing": {"allowed": True}}},
        "account": {"sources": {"profit_sharing": {"balance": 40000, "vested": 1.0}}},
        "request": {"date": "2026-12-01", "amount": "max"},
    }
    r = assess(case)
    assert route(r, "in_service")["available"] == pytest.approx(40000)
    assert "IS_PENSION_FROM_59_HALF" in _codes(r, "in_service", "profit_sharing")
    assert "§401(a)(36)" in reason("IS_PENSION_FROM_59_HALF").citation


# ── 3. A beneficiary needs no spouse's consent ──────────────────────────────────────────────

INHERITED = {
    "person": {"birth_date": "1980-02-27", "filing_status": "married_joint",
               "spouse_birth_date": "1981-01-01"},
    "income": {"wages": 82000},
    "plan": {"type": "401k", "spousal_consent": True},
    "account": {"sources": {"elective_deferral": {"balance": 140000}}},
    "beneficiary": {"deceased_birth_date": "1953-01-12", "date_of_death": "2025-08-30",
                    "relationship": "child"},
    "request": {"date": "2026-11-23", "amount": 15000},
}


@pytest.mark.parametrize("relationship", ["child", "spouse"])
def test_a_married_beneficiary_needs_no_consent(assess, relationship):
    """§417(a)(2)(A) protects the participant's spouse: a married heir (a surviving spouse who
    has remarried too) takes the $15,000 without anyone's consent."""
    r = assess(edited(INHERITED, {"beneficiary.relationship": relationship}))
    o = outcome(r, "beneficiary")
    assert o is not None and o["gross"] == pytest.approx(15000)
    assert "OC_SPOUSAL_CONSENT" not in {x["code"] for x in o["reasons"]}
    assert "SPOUSAL_CONSENT" not in _notes(r)


def test_a_married_participant_still_needs_the_consent(assess):
    """The same plan and a married participant who has left the job: the payment needs the
    spouse's consent (§417(a)(2))."""
    case = copy.deepcopy(INHERITED)
    del case["beneficiary"]
    case["employment"] = {"status": "separated", "hire_date": "2010-01-01",
                          "separation_date": "2026-03-01"}
    r = assess(case)
    o = outcome(r, "separation")
    assert "OC_SPOUSAL_CONSENT" in {x["code"] for x in o["reasons"]}
    assert "SPOUSAL_CONSENT" in _notes(r)


# ── 4. A loan on a small account needs no consent ───────────────────────────────────────────

LOAN = {
    "person": {"birth_date": "1980-02-27", "filing_status": "married_joint",
               "spouse_birth_date": "1981-01-01"},
    "employment": {"status": "active", "hire_date": "2020-01-01"},
    "income": {"wages": 82000},
    "plan": {"type": "401k", "spousal_consent": True, "loans": {"allowed": True, "max_count": 2}},
    "account": {"sources": {"elective_deferral": {"balance": 4000}}},
    "request": {"date": "2026-11-23", "amount": 2000},
}


@pytest.mark.parametrize("balance, outstanding, consent", [
    (4000, 0, False),      # the reviewer's case: $4,000 ≤ $7,000
    (7000, 0, False),      # "not in excess of" the limit: none
    (7001, 0, True),       # $1 over it
    (5000, 3000, True),    # $5,000 + the $3,000 loan already secured by it = $8,000
])
def test_a_loan_needs_consent_only_above_the_cash_out_limit(assess, balance, outstanding,
                                                            consent):
    """Treas. Reg. §1.401(a)-20, Q&A-24(a)(1): the accrued benefit securing the loan against the
    §411(a)(11)(A) limit of 2026, $7,000."""
    changes = {"account.sources.elective_deferral.balance": balance}
    if outstanding:
        changes["account.loans"] = {"outstanding": outstanding, "count": 1}
        changes["request.amount"] = 500
    r = assess(edited(LOAN, changes))
    o = outcome(r, "loan")
    assert o is not None and o["gross"] > 0
    assert ("LN_SPOUSAL_CONSENT" in {x["code"] for x in o["reasons"]}) is consent
    assert ("SPOUSAL_CONSENT_LOAN" in _notes(r)) is consent


# ── 5. Citations ────────────────────────────────────────────────────────────────────────────


def test_403b7_events_are_cited_by_their_subclauses():
    """§403(b)(7)(A)(i)(I)–(V) are the events (59½ is (II), disability (IV)); (A)(ii) is the
    lifetime income investment's form of payment."""
    assert "(7)(A)(ii)" not in reason("IS_PLAN_AGE_BELOW_LAW").citation
    assert "§403(b)(7)(A)(i)(II)" in reason("IS_PLAN_AGE_BELOW_LAW").citation
    titles = " ".join(ref.title for ref in
                      default_law().param("in_service.deferral_age").references)
    assert "(7)(A)(ii)" not in titles and "§403(b)(7)(A)(i)(II)" in titles


def test_after_tax_money_any_time_cites_the_permission_not_basis_recovery():
    """Rev. Rul. 72-275 (modified by Rev. Rul. 74-55): employee contributions are not the
    "funds accumulated" that §1.401-1(b)(1)(ii) holds in; §72(d)(2) only orders basis."""
    citation = reason("IS_AFTER_TAX_ANY_TIME").citation
    assert "Rev. Rul. 72-275" in citation
    assert "§1.401-1(b)(1)(ii)" in citation
    assert "§72(d)(2)" not in citation
