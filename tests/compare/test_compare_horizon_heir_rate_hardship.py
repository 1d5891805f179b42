"""`compare`: the default horizon's name, an heir's later tax rate where the account must be
empty by a day, and the distributions a hardship waits for taken together with it — each figure
worked by hand from the rule it comes from."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dist401k.case import load_case, parse_case
from dist401k.compare import compare_case
from dist401k.report import options_html

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"

#: 2026, single (Rev. Proc. 2025-32 §4.01, §4.13): the standard deduction, the top of the 10%,
#: 12% and 22% bands.
STANDARD_2026, TOP_10, TOP_12, TOP_22 = 16100.0, 12400.0, 50400.0, 105700.0
#: The plan's net return of the examples: 5% less 0.5% of expenses.
NET = 0.045


def _opt(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


def _single_tax_2026(taxable: float) -> float:
    """2026 federal income tax of a single filer (Rev. Proc. 2025-32 §4.01), up to the 24% band."""
    bands = ((TOP_10, 0.10), (TOP_12, 0.12), (TOP_22, 0.22), (float("inf"), 0.24))
    tax, low = 0.0, 0.0
    for top, rate in bands:
        tax += rate * max(0.0, min(taxable, top) - low)
        low = top
    return tax


def _level_payment(balance: float, rate: float, years: int) -> float:
    """The level yearly payment, at the end of each year, that empties ``balance`` growing at
    ``rate`` in ``years`` years."""
    return balance * rate / (1 - (1 + rate) ** -years)


# --- 1. the default horizon is named by an age to a tenth of a year ------------------------

RETIREE = {"id": "retiree", "person": {"birth_date": "1960-06-01", "filing_status": "single"},
           "employment": {"status": "separated", "hire_date": "2000-01-01",
                          "separation_date": "2024-06-30"},
           "income": {"other_income": 30000}, "plan": {"type": "401k"},
           "account": {"sources": {"elective_deferral": {"balance": 50000}}},
           "assumptions": {"growth": 0.05, "plan_expense": 0.0, "later_tax_rate": 0.2},
           "request": {"date": "2026-11-23", "amount": 10000}}


def test_the_default_horizon_is_an_age_to_a_tenth_the_same_in_every_output():
    """66 and 175/365 years old on 2026-11-23 (born 1960-06-01), no horizon age ahead (65 is
    past): the options are valued at the age ten years on, to a tenth — 76.5 —, and that age is
    the horizon's name in the JSON (``best_at``, ``after_tax_value_at``, ``horizon_ages``) and
    in the report's column; "leave it" is worth 10,000 grown 5% a year to 76.5, after 20%."""
    cmp = compare_case(parse_case(RETIREE))
    age = 66 + 175 / 365
    assert list(cmp["best_at"]) == ["76.5"]
    assert cmp["assumptions"]["horizon_ages"] == [76.5]
    assert cmp["assumptions"]["horizon_dates"] == []
    leave = _opt(cmp, "leave")
    assert list(leave["after_tax_value_at"]) == ["76.5"]
    assert leave["after_tax_value_at"]["76.5"] == pytest.approx(
        10000 * 1.05 ** (76.5 - age) * 0.8, abs=0.5)
    html = options_html(cmp)
    assert "after-tax value at 76.5<" in html and "76.47" not in html


def test_an_heirs_default_horizon_is_named_by_an_age_to_a_tenth():
    """A widow of 75 (born 1951-02-01) who stays beneficiary of her husband's 401(k): no
    deadline to empty it (§401(a)(9)(B)(iv)), no horizon age ahead: valued at 85.8, not at
    an age of four decimals."""
    case = load_case(EXAMPLES / "inherited-spouse.yaml")
    case = case.model_copy(update={"person": case.person.model_copy(
        update={"birth_date": dt.date(1951, 2, 1)})})
    cmp = compare_case(case)
    assert list(cmp["best_at"]) == ["85.8"]
    assert cmp["assumptions"]["horizon_ages"] == [85.8]
    assert all(list(o["after_tax_value_at"]) == ["85.8"] for o in cmp["options"])


# --- 2. an heir who must empty the account by a day -----------------------------------------

def test_a_minor_childs_later_rate_is_that_of_emptying_the_account_by_its_deadline():
    """The 16-year-old of the shipped case must empty the 403(b) by 2041-12-31 (ten years after
    the year she turns 21, Treas. Reg. §1.401(a)(9)-4(e)(3)). This year's minimum is
    210,000 / 68.9 = 3,047.90 (Single Life Table at 15 in 2025, 69.9, less one; §1.401(a)(9)-9(b));
    the 216,952.10 left comes out in 15 level yearly payments (2027–2041) at the plan's 4.5% net
    return: 216,952.10 × 0.045 / (1 − 1.045⁻¹⁵) a year, each taxed on 2026's law to a single
    filer with no other income (standard deduction 16,100; 10% to 12,400 of taxable income).
    The first-dollar rate (0%: inside the standard deduction) is not what that money bears."""
    cmp = compare_case(load_case(EXAMPLES / "inherited-minor-child.yaml"))
    left = 220000 - round(210000 / 68.9, 2)
    yearly = _level_payment(left, NET, 15)
    rate = _single_tax_2026(yearly - STANDARD_2026) / yearly
    a = cmp["assumptions"]
    assert yearly == pytest.approx(20201, abs=1)
    assert a["later_tax_rate"] == pytest.approx(rate, abs=1e-4)
    assert a["later_tax_rate"] > 0.02
    assert "2041-12-31" in a["later_tax_rate_source"] and "15" in a["later_tax_rate_source"]
    leave = _opt(cmp, "leave")
    years = 15 + 38 / 365  # 2026-11-23 to 2041-12-31
    assert leave["after_tax_value_at"]["2041-12-31"] == pytest.approx(
        left * (1 + NET) ** years * (1 - rate), rel=2e-4)


def test_a_nephews_later_rate_spreads_the_rest_to_2032_on_his_wages():
    """The nephew of the shipped 10-year case (wages 95,000, single) owes 11,666.42 this year
    and must empty the account by 2032-12-31 (§401(a)(9)(H)(i)): the 238,333.58 left comes out
    in 6 level payments (2027–2032) at 4.5%, each on top of his wages — taxable income 78,900
    before it, so part falls in the 24% band above 105,700."""
    cmp = compare_case(load_case(EXAMPLES / "inherited-ten-year-after-rbd.yaml"))
    left = 250000 - 11666.42
    yearly = _level_payment(left, NET, 6)
    base = 95000 - STANDARD_2026
    rate = (_single_tax_2026(base + yearly) - _single_tax_2026(base)) / yearly
    assert rate == pytest.approx(0.2284, abs=1e-4)
    assert cmp["assumptions"]["later_tax_rate"] == pytest.approx(rate, abs=1e-4)


def test_the_spread_leaves_out_only_the_pre_tax_part_of_this_years_minimum():
    """The nephew's account with 50,000 of it designated Roth money (the minimum is figured on
    the whole account and paid pro rata from its sources): of the 11,666.42 owed this year,
    200,000 / 250,000 is pre-tax, so 200,000 − 9,333.14 = 190,666.86 of pre-tax money is left to
    spread — not 200,000 − 11,666.42."""
    case = load_case(EXAMPLES / "inherited-ten-year-after-rbd.yaml")
    sources = {"elective_deferral": case.account.sources["elective_deferral"].model_copy(
        update={"balance": 200000}),
        "roth_deferral": case.account.sources["elective_deferral"].model_copy(
            update={"balance": 50000, "contributions": 30000, "first_year": 2010})}
    case = case.model_copy(update={"account": case.account.model_copy(
        update={"sources": sources}), "beneficiary": case.beneficiary.model_copy(
        update={"roth": False})})
    cmp = compare_case(case)
    left = 200000 - 11666.42 * 200000 / 250000
    yearly = _level_payment(left, NET, 6)
    base = 95000 - STANDARD_2026
    rate = (_single_tax_2026(base + yearly) - _single_tax_2026(base)) / yearly
    assert cmp["assumptions"]["later_tax_rate"] == pytest.approx(rate, abs=1e-4)
    assert f"${left:,.0f} of pre-tax money" in cmp["assumptions"]["later_tax_rate_source"]


def test_a_participants_default_later_rate_is_still_the_first_dollar_rate():
    """No deadline (a participant): today's rate on the first dollar withdrawn, as before —
    at 66, taxable income 30,000 − 16,100 − 2,050 (65 or older, §63(f)) − 6,000 (the senior
    deduction, §151(d)(5)(C), MAGI under 75,000) = 5,850, in the 10% band."""
    case = {**RETIREE, "assumptions": {"growth": 0.05, "plan_expense": 0.0}}
    cmp = compare_case(parse_case(case))
    assert cmp["assumptions"]["later_tax_rate"] == pytest.approx(0.10)
    assert cmp["assumptions"]["later_tax_rate_source"] == (
        "today's federal rate on the first dollar withdrawn")


# --- 3. the distributions a hardship waits for, then the hardship for the rest ------------

def test_in_service_and_the_emergency_withdrawal_then_a_hardship_for_the_rest():
    """The shipped medical case: a $12,000 need. The plan pays her vested match in service
    (15,000) and a $1,000 emergency expense distribution; a hardship comes only after them
    (Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)(1)) and for no more than the need they leave plus its
    own taxes ((iii)(A)). Their gross (16,000) is more than the need, but they put only
    15,000 − 3,300 − 922.50 = 10,777.50 (22% income tax; 10% on the part above medical expenses
    over 7.5% of AGI) and 1,000 − 196.31 = 803.69 (pro rata 7/9 of the Roth 9/65 tax-free;
    no 10% tax) in hand. With the hardship's gross G (86% taxable: 41,000 deferrals and 9,000
    Roth of which 7/9 contributions), the year's figures by hand — all in the 22% band, the
    medical exception 12,000 − 7.5% of AGI (68,000 + 15,000 + 892.31 + 0.86 G) spread over
    the payments subject to the 10% tax — put 12,000 in hand at
    11,574.50 + G (1 − 0.22 × 0.86 − 0.1 × 1.075 × 0.86) = 12,000, G = 592.33."""
    cmp = compare_case(load_case(EXAMPLES / "hardship-medical.yaml"))
    both = _opt(cmp, "first_then_hardship:cash")
    g = 425.50 / (1 - 0.22 * 0.86 - 0.1 * 1.075 * 0.86)
    assert g == pytest.approx(592.33, abs=0.01)
    assert both["gross"] == pytest.approx(16000 + g, abs=1.0)
    assert both["kept_after_all_tax"] == pytest.approx(12000, abs=1.0)
    assert both["kept_after_all_tax"] >= 12000 - 0.005
    assert both["income_tax_now"] == pytest.approx(0.22 * (15892.31 + 0.86 * g), abs=1.0)
    assert both["penalty_now"] == pytest.approx(0.1 * (9291.92 + 1.075 * 0.86 * g), abs=1.0)
    assert "In-service withdrawal" in both["label"] and "Hardship withdrawal" in both["label"]
    text = " ".join(both["notes"])
    assert "§1.401(k)-1(d)(3)(iii)(B)(1)" in text and "(iii)(A)" in text
    # Valued on the footing of the others: its cash spent, and the 1,592.33 it takes beyond the
    # 15,000 "leave it" keeps is money the others leave in the plan.
    assert both["after_tax_value_at"]["65"] < 0
    # Starred by the same rules: it meets the need, and the loan, which leaves the money
    # invested, is worth more.
    assert cmp["best_at"]["65"] == "loan:cash"


def test_the_emergency_withdrawal_then_a_hardship_where_nothing_is_paid_in_service():
    """Without the in-service match, the $1,000 emergency withdrawal still comes first: the
    hardship alone is sized to 12,000 − 1,000 (its gross counted) and falls short of the need;
    together they put the need in hand."""
    case = load_case(EXAMPLES / "hardship-medical.yaml")
    case = case.model_copy(update={"plan": case.plan.model_copy(update={"in_service": {}})})
    cmp = compare_case(case)
    alone = _opt(cmp, "hardship:cash")
    assert alone["kept_after_all_tax"] < 12000 - 1
    both = _opt(cmp, "first_then_hardship:cash")
    assert both["kept_after_all_tax"] == pytest.approx(12000, abs=1.0)
    assert both["check_received"] >= 12000


def test_no_combination_where_in_service_meets_the_need_alone():
    """A need of 10,000: the in-service match (10,777.50 kept) meets it alone — no hardship."""
    case = load_case(EXAMPLES / "hardship-medical.yaml")
    case = case.model_copy(update={"request": case.request.model_copy(update={"need": 10000})})
    cmp = compare_case(case)
    assert not any(o["option"] == "first_then_hardship:cash" for o in cmp["options"])


def test_a_need_the_first_routes_miss_by_less_than_their_first_estimate_still_gets_a_hardship():
    """A need of 11,580: the first routes put 11,574.50 in hand once each sees the other's
    taxable income in the year's AGI (the docstring above) — the emergency withdrawal's 892.31
    raises the medical floor under the in-service withdrawal by 7.5% × 892.31 = 66.92, and the
    10% tax by 6.69 (10,770.81 + 803.69). Judged before that, they seemed to keep 11,581.19 and
    no hardship was offered: the need was left 5.50 short."""
    case = load_case(EXAMPLES / "hardship-medical.yaml")
    case = case.model_copy(update={"request": case.request.model_copy(update={"need": 11580})})
    cmp = compare_case(case)
    both = _opt(cmp, "first_then_hardship:cash")
    assert both["kept_after_all_tax"] >= 11580 - 0.005
    assert both["gross"] > 16000
