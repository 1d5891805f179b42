"""`compare` and `assess` after a review of "what should I do instead": a 72(t) series' state
income tax, the hardship of "then a hardship for the rest" against the most `assess` gives, a
governmental 457(b) loan's words, the first-home trap, a 403(b)(7)'s in-service reasons, and
"leave it" with a loan still owed — each expected figure worked by hand from the rule."""

from __future__ import annotations

import datetime as dt

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.compare import compare_case

# --- California, 2026 (the FTB's 2025 figures carried: the 2026 ones are marked unconfirmed) --
#: FTB 2025 Form 540 booklet, Tax Rate Schedule X (single): 1% to $11,079, 2% to $26,264, 4% to
#: $41,452; standard deduction $5,706 (R&TC §17073.5); personal exemption credit $153.
CA_BANDS = ((11079.0, 0.01), (26264.0, 0.02), (41452.0, 0.04), (57542.0, 0.06))
CA_STANDARD = 5706.0


def _ca_tax_before_credits(agi: float) -> float:
    taxable, tax, low = max(0.0, agi - CA_STANDARD), 0.0, 0.0
    for top, rate in CA_BANDS:
        tax += rate * max(0.0, min(taxable, top) - low)
        low = top
    return tax


SEPP_CA = {
    "id": "sepp-ca", "person": {"birth_date": "1976-03-10", "filing_status": "single", "state": "CA"},
    "employment": {"status": "separated", "hire_date": "2001-06-04",
                   "separation_date": "2025-09-30"},
    "income": {"wages": 20000}, "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 400000}}},
    "request": {"date": "2026-03-01", "amount": 40000},
    "sepp": {"first_payment_date": "2026-03-01", "account": "plan",
             "federal_midterm_rates": [0.0381, 0.0379], "table": "single"}}


def _assess(case) -> dict:
    return assess_cases([case])[0]


def _opt(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


def test_a_72t_series_carries_the_states_income_tax_and_no_state_early_tax():
    """A 72(t) series payment is ordinary income for California (R&TC §17081 follows IRC §72);
    the 2.5% of R&TC §17085 follows the federal 10%, which §72(t)(2)(A)(iv) spares.  On $20,000
    of wages, single: CA taxable income 20,000 − 5,706 = 14,294, tax 110.79 + 2% × 3,215 =
    175.09.  RMD method, $400,000 / 36.2 = $11,049.72 (Notice 2022-6): 25,343.72 taxable, all in
    the 2% band: + 2% × 11,049.72 = $220.99.  Amortization, $24,124.89: 38,418.89 taxable,
    110.79 + 303.70 + 4% × 12,154.89 = 900.69: + $725.60.  The exemption credit ($153) is the same
    with and without.  What is kept is the payment less the federal and the state tax.
    PolicyEngine-US (2026, single, age 49, wages $20,000) agrees before refundable credits:
    ``ca_income_tax_before_refundable_credits`` 13.53 → 234.52, +$220.99 (its $324.94 in all is
    that and the CalEITC lost, 121.36 → 17.42, a credit dist401k leaves out as it does the
    federal EIC); the amortization's +$711.10 there differs by PolicyEngine's own 2026 indexing
    of the brackets (the FTB's 2026 figures are not in the law: 2025's carried)."""
    cmp = compare_case(parse_case(SEPP_CA))
    base = _ca_tax_before_credits(20000)
    assert base == pytest.approx(175.09, abs=0.005)
    for name, pay, ca in (("sepp:rmd", 11049.72, 220.99), ("sepp:amortization", 24124.89, 725.60)):
        o = _opt(cmp, name)
        assert o["gross"] == pytest.approx(pay, abs=0.01)
        assert _ca_tax_before_credits(20000 + pay) - base == pytest.approx(ca, abs=0.01)
        assert o["state_income_tax_now"] == pytest.approx(ca, abs=0.01)
        assert o["state_additional_tax_now"] == 0.0
        assert o["state_covered"] is True
        assert o["state_withholding"] is None  # not figured: unknown, never 0
        assert o["kept_after_all_tax"] == pytest.approx(pay - o["income_tax_now"] - ca, abs=0.01)


def test_a_72t_series_in_a_state_not_figured_is_unknown_not_zero():
    """Colorado's pension subtraction takes periodic payments only after retirement, which is
    not an input (Rule 39-22-104(4)(f)(1)): at 55 or over, the series' Colorado tax is not known
    — shown as unknown (null), never as 0 — and nothing is taken off what is kept for it."""
    case = {**SEPP_CA, "person": {**SEPP_CA["person"], "birth_date": "1970-03-10", "state": "CO"},
            "employment": {**SEPP_CA["employment"], "separation_date": "2024-06-30"}}
    cmp = compare_case(parse_case(case))
    o = _opt(cmp, "sepp:rmd")
    assert o["state_covered"] is False
    assert o["state_income_tax_now"] is None
    assert o["kept_after_all_tax"] == pytest.approx(o["gross"] - o["income_tax_now"], abs=0.01)


HOUSE = {
    "id": "house45", "person": {"birth_date": "1981-05-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2012-03-01"}, "income": {"wages": 90000},
    "plan": {"type": "401k",
             "in_service": {"after_tax": {"allowed": True}, "rollover_pretax": {"allowed": True}},
             "hardship": {"allowed": True, "self_certification": True,
                          "sources": ["elective_deferral", "match"]},
             "loans": {"allowed": True, "max_count": 1, "interest_rate": 0.08}},
    "account": {"sources": {"elective_deferral": {"balance": 80000},
                            "match": {"balance": 30000, "vested": 1.0},
                            "after_tax": {"balance": 10000, "basis": 7000},
                            "rollover_pretax": {"balance": 15000}}},
    "iras": {"traditional": 5000},
    "request": {"date": "2026-08-01", "amount": 30000, "purpose": "home_purchase",
                "need": 30000}}


def test_then_a_hardship_beyond_the_assessments_most_says_ask_the_plan():
    """$30,000 needed; in service the plan pays $10,000 after-tax + $15,000 rollover money
    = $25,000 first.  `assess` (Treas. Reg. §1.401(k)-1(d)(3)(iii)(A), (B)(1): taxes added to the
    need only for the hardship itself) leaves 30,000 − 25,000 = $5,000 and grosses it up for
    the hardship's own taxes, 22% income tax (90,000 − 16,100 = 73,900 taxable, in the 22% band
    to 105,700) and the 10% tax: 5,000 / (1 − 0.22 − 0.10) = $7,352.94 at most.  `compare`'s
    combined option sizes the hardship to what the in-service payment leaves short *in hand*,
    more than that: it must carry assess's caveat, "ask the plan"."""
    assert 5000 / (1 - 0.22 - 0.10) == pytest.approx(7352.94, abs=0.005)
    assessed = _assess(parse_case(HOUSE))
    hs = next(o for o in assessed["outcomes"] if o["route"] == "hardship")
    assert hs["gross"] == pytest.approx(7352.94, abs=0.01)
    cmp = compare_case(parse_case(HOUSE))
    both = _opt(cmp, "first_then_hardship:cash")
    assert both["gross"] - 25000 > 7352.94
    caveat = [n for n in both["notes"] if n.startswith("ask the plan")]
    assert len(caveat) == 1
    assert "$7,352.94" in caveat[0] and "$5,000.00" in caveat[0]
    assert "(iii)(A), (B)(1)" in caveat[0]


def test_first_home_trap_saves_within_the_lifetime_limit_and_says_who_qualifies():
    """The $10,000 lifetime limit (IRC §72(t)(8)(B)) is on every first-home distribution
    together: the person's own $5,000 IRA spares 10% × 5,000 = $500, and rolling the plan's
    money to an IRA first spares at most 10% × 10,000 = $1,000 *in all*, not $1,000 more.  The
    IRA's exception is on up to its $5,000, not $10,000.  The trap says who qualifies: a
    first-time homebuyer, no present ownership interest in a principal residence in the 2
    years before (§72(t)(8)(D)(i)(I)), the money spent within 120 days (§72(t)(8)(A))."""
    t = next(t for t in compare_case(parse_case(HOUSE))["traps"]
             if t["code"] == "IRA_ONLY_EXCEPTION")
    text = t["text"]
    assert t["figures"]["penalty_saved"] == pytest.approx(1000.0)
    assert t["figures"]["own_ira_saving"] == pytest.approx(500.0)
    assert "also saves" not in text
    assert "saves up to $1,000 of additional tax in all, your IRA's $500 included" in text
    assert "owes no 10% tax on up to $5,000" in text
    assert "2 years before" in text and "within 120 days" in text
    assert "first-time homebuyer" in text


def test_first_home_trap_not_shown_once_the_limit_is_used():
    """$10,000 of first-home distributions taken before: nothing of the limit is left, so no
    IRA saves any 10% tax on a first home (§72(t)(8)(B)) — no trap, not "saves up to $0"."""
    case = {**HOUSE, "iras": {"traditional": 5000, "first_home_prior": 10000}}
    assert not any(t["code"] == "IRA_ONLY_EXCEPTION"
                   for t in compare_case(parse_case(case))["traps"])


def test_first_home_prior_above_the_lifetime_limit_is_refused():
    """No more than the $10,000 lifetime limit can ever have been excepted (§72(t)(8)(B)):
    $12,000 of earlier first-home distributions is refused, naming the field."""
    case = {**HOUSE, "iras": {"traditional": 5000, "first_home_prior": 12000}}
    with pytest.raises(ValueError) as e:
        parse_case(case)
    assert "iras.first_home_prior" in str(e.value) and "$10,000" in str(e.value)
    parse_case({**HOUSE, "iras": {"traditional": 5000, "first_home_prior": 10000}})


LOAN_457 = {
    "id": "457-loan", "person": {"birth_date": "1980-04-01", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2005-01-01"}, "income": {"wages": 80000},
    "plan": {"type": "governmental_457b", "governmental": True, "loans": {"allowed": True}},
    "account": {"sources": {"elective_deferral": {"balance": 150000}}},
    "request": {"date": "2026-06-01", "amount": 20000},
    "assumptions": {"leave_job_in_years": 2}}


def test_a_governmental_457b_loans_short_words_owe_no_10_percent_on_its_own_money():
    """A governmental 457(b)'s distribution, a loan offset included, is outside §72(t) but for
    money rolled in from other plans or IRAs (IRC §72(t)(9)): the loan's few words must not say
    the offset owes the 10% tax before 59½ (the same in `assess` and `compare`); a 401(k)'s
    still do."""
    cmp = compare_case(parse_case(LOAN_457))
    short = _opt(cmp, "loan:cash")["why"]["short"]
    assert "no 10% tax on the 457(b)'s own money" in short and "§72(t)(9)" in short
    assert "taxed (10% too before 59½)" not in short
    row = next(o for o in _assess(parse_case(LOAN_457))["outcomes"] if o["route"] == "loan")
    assert row["why"]["short"] == short
    k401 = {**LOAN_457, "plan": {"type": "401k", "loans": {"allowed": True}}}
    assert "taxed (10% too before 59½)" in _opt(compare_case(parse_case(k401)),
                                                "loan:cash")["why"]["short"]


def test_a_403b7_gives_only_the_custodial_reason_for_money_the_plan_opens():
    """A 403(b)(7) custodial account pays nothing in service before 59½ but rollovers in,
    whatever the plan says (IRC §403(b)(7)(A)(i); Treas. Reg. §1.403(b)-6(c)): with the plan
    opening its after-tax money, "the plan document does not provide in-service withdrawals" is
    not the reason — only the custodial account's are given."""
    case = {"id": "403b7", "person": {"birth_date": "1972-01-15", "filing_status": "single"},
            "employment": {"status": "active", "hire_date": "1984-09-01"},
            "income": {"wages": 95000},
            "plan": {"type": "403b7", "in_service": {"after_tax": {"allowed": True}},
                     "loans": {"allowed": True}},
            "account": {"sources": {"elective_deferral": {"balance": 200000},
                                    "after_tax": {"balance": 30000, "basis": 12000}}},
            "request": {"date": "2026-06-01", "amount": 10000}}
    got = _assess(parse_case(case))
    codes = [r["code"] for row in got["routes"] if row["route"] == "in_service"
             for r in row["reasons"]]
    assert "IS_NOT_IN_PLAN" not in codes
    assert "IS_403B7_BEFORE_59_HALF" in codes and "IS_403B7_AFTER_TAX" in codes


def test_leave_it_with_a_loan_outstanding_after_separation_says_it_is_still_owed():
    """Separated with $20,000 of loan outstanding: every option that empties the account
    carries the offset; "leave it" must say the loan is still owed and that the plan's terms
    decide an offset (Treas. Reg. §1.72(p)-1, Q&A-13), with the offset's tax: 22% × 20,000 =
    $4,400 income tax (wages 40,000 − 16,100 = 23,900 taxable, 20,000 more all in the 12%/22%
    bands: 12% × (50,400 − 23,900) covers 26,500, so all 20,000 at 12% = $2,400) plus 10% =
    $2,000: $4,400 in all."""
    case = {"id": "offset", "person": {"birth_date": "1984-06-01", "filing_status": "single"},
            "employment": {"status": "separated", "hire_date": "2014-01-01",
                           "separation_date": "2026-04-30"},
            "income": {"wages": 40000}, "plan": {"type": "401k", "loans": {"allowed": True}},
            "account": {"sources": {"elective_deferral": {"balance": 45000}},
                        "loans": {"outstanding": 20000, "count": 1}},
            "request": {"date": dt.date(2026, 7, 1).isoformat(), "amount": "max"}}
    assert 0.12 * 20000 + 0.10 * 20000 == pytest.approx(4400)
    leave = _opt(compare_case(parse_case(case)), "leave")
    note = next(n for n in leave["notes"] if "loan" in n)
    assert "$20,000.00 is still owed" in note and "$4,400.00" in note
    assert "plan's terms" in note and "Q&A-13" in note
