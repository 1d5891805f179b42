"""An advisor's review of `dist401k compare`: each defect with the case that showed it and the
figures worked by hand from the law's text (the cases of the review, written as dicts).

1. A rollover to a traditional IRA in a year with a backdoor Roth makes most of the conversion
   taxable (IRC §408(d)(2); Form 8606 lines 6–14): the option carries that extra tax now, and
   the basis the conversion leaves on line 14 (carried to next year's line 2) stays in the IRA.
2. A state's withholding on a 60-day rollover is a credit, not a tax: nothing is lost.
3. The product's label names the route as the shared labels do.
4. A loan always warns of the offset when the job ends before it is repaid.
"""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from dist401k.case import parse_case
from dist401k.compare import compare_case

# c5b: 60, single, $250,000 of wages, no traditional IRA, a $7,500 backdoor Roth planned this
# year, $100,000 that the plan pays in service.
C5B = {
    "id": "c5b",
    "person": {"birth_date": "1966-04-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2010-03-01"},
    "income": {"wages": 250000},
    "plan": {"type": "401k", "in_service": {"elective_deferral": {"allowed": True,
                                                                  "min_age": 59.5}},
             "accepts_rollins": True},
    "account": {"sources": {"elective_deferral": {"balance": 400000}}},
    "iras": {"traditional": 0, "backdoor_roth_planned": 7500},
    "request": {"date": "2026-06-01", "amount": 100000},
    "assumptions": {"growth": 0.06, "horizon_ages": [65]},
}

# c9: California, 45, separated, $20,000 of a $60,000 account, a later tax rate of 12%.
C9 = {
    "id": "c9-ca",
    "person": {"birth_date": "1981-01-15", "filing_status": "single", "state": "CA"},
    "employment": {"status": "separated", "hire_date": "2010-01-09",
                   "separation_date": "2026-03-31"},
    "income": {"wages": 30000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 60000}}},
    "request": {"date": "2026-06-01", "amount": 20000},
    "assumptions": {"growth": 0.06, "horizon_ages": [65], "later_tax_rate": 0.12},
}

# The default expenses of the assumptions (docs/compare.md): the plan's 0.50%, an IRA's 0.10%.
PLAN_EXPENSE, IRA_EXPENSE = 0.005, 0.001


def _opt(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


def _years_to(birth: dt.date, on: dt.date, age: int) -> float:
    """Years from ``on`` to the birthday of ``age``: the age now counted to the day since the
    last birthday over the days of that year of life."""
    last = birth.replace(year=on.year if (on.month, on.day) >= (birth.month, birth.day)
                         else on.year - 1)
    nxt = last.replace(year=last.year + 1)
    now = (last.year - birth.year) + (on - last).days / (nxt - last).days
    return age - now


# ── 1. the backdoor Roth's extra tax ─────────────────────────────────────────────────────────

# Form 8606 with the rollover: line 3 = 7,500; line 9 = 100,000 + 7,500; line 10 = 0.0698 →
# 0.070 (three places); line 11 = 525 nontaxable, line 18 = 6,975 taxable (without it: 0).
# Line 14 = 7,500 − 525 = 6,975 of basis carried to next year's line 2.
EXTRA_TAXABLE = 6975.0
# Taxable income 250,000 − 16,100 (2026 single standard deduction) = 233,900; with 6,975
# more, 240,875: all in the 32% bracket (201,775–256,225 for a single filer in 2026).
BACKDOOR_TAX = round(0.32 * EXTRA_TAXABLE, 2)  # 2,232.00
LATER = 0.32  # the first dollar withdrawn later, on top of the same wages: 32%


def _c5b_by_hand() -> dict[str, float]:
    t = _years_to(dt.date(1966, 4, 10), dt.date(2026, 6, 1), 65)
    g_plan, g_ira = (1.06 - PLAN_EXPENSE) ** t, (1.06 - IRA_EXPENSE) ** t
    leave = 100000 * g_plan * (1 - LATER)
    # The rollover: the IRA's $100,000 taxed later less the basis the conversion leaves there
    # ($6,975, recovered tax-free), less the tax paid now from other money, grown.
    ira = 100000 * g_ira - LATER * (100000 * g_ira - EXTRA_TAXABLE) - BACKDOOR_TAX * g_ira
    return {"leave": leave, "ira": ira}


def test_the_rollover_to_an_ira_carries_the_backdoor_roths_extra_tax():
    cmp = compare_case(parse_case(copy.deepcopy(C5B)))
    hand = _c5b_by_hand()
    for name in ("in_service:traditional_ira", "in_service:indirect_60day"):
        o = _opt(cmp, name)
        assert o["backdoor_tax"] == pytest.approx(BACKDOOR_TAX, abs=0.01), name
        detail = o["backdoor_tax_detail"]
        assert detail["taxable_more"] == pytest.approx(EXTRA_TAXABLE)
        assert detail["income_tax"] == pytest.approx(BACKDOOR_TAX, abs=0.01)
        assert detail["code"] == "PRO_RATA" and "§408(d)(2)" in detail["citation"]
        assert o["income_tax_now"] == pytest.approx(BACKDOOR_TAX, abs=0.01)
        assert o["kept_after_all_tax"] == pytest.approx(-BACKDOOR_TAX, abs=0.01)
        assert o["refund_or_due_later"] == pytest.approx(o["withholding"] - BACKDOOR_TAX,
                                                         abs=0.01)
        assert o["after_tax_value_at"]["65"] == pytest.approx(hand["ira"], abs=0.05), name
        assert any("backdoor" in n and "§408(d)(2)" in n for n in o["notes"])
    # Nothing in a traditional IRA: no extra tax on the conversion.
    for name in ("leave", "in_service:other_plan", "in_service:cash", "in_service:roth_ira"):
        assert _opt(cmp, name).get("backdoor_tax", 0.0) == 0.0, name
    assert _opt(cmp, "leave")["after_tax_value_at"]["65"] == pytest.approx(hand["leave"],
                                                                           abs=0.05)
    # Even so the IRA rollover stays ★ here: the $2,232 buys $6,975 of basis, recovered
    # tax-free later at the same 32%, so it costs only the growth on the tax paid early
    # (about $717), less than the IRA's lower expenses gain over the plan.
    assert hand["ira"] > hand["leave"]
    assert cmp["best_at"]["65"] == "in_service:traditional_ira"


def test_the_backdoor_tax_counts_the_states_too():
    # $200,000 of wages in California: federal taxable income 183,900 + 6,975 stays in the 24%
    # bracket (105,700–201,775): 0.24 × 6,975 = 1,674.00; California's taxable income
    # 200,000 − 5,706 and with the 6,975 stays in the 9.3% bracket (72,724–371,479), its
    # exemption credit unreduced (AGI under 252,203): 0.093 × 6,975 = 648.68.
    case = copy.deepcopy(C5B)
    case["person"]["state"] = "CA"
    case["income"]["wages"] = 200000
    o = _opt(compare_case(parse_case(case)), "in_service:traditional_ira")
    detail = o["backdoor_tax_detail"]
    assert detail["income_tax"] == pytest.approx(1674.00, abs=0.01)
    assert detail["state_income_tax"] == pytest.approx(648.68, abs=0.02)
    assert o["backdoor_tax"] == pytest.approx(1674.00 + 648.68, abs=0.02)
    assert o["state_income_tax_now"] == pytest.approx(648.68, abs=0.02)
    assert o["kept_after_all_tax"] == pytest.approx(-(1674.00 + 648.68), abs=0.02)


def test_the_product_in_an_ira_carries_it_too():
    # An annuity bought in an IRA is a traditional IRA (an individual retirement annuity,
    # §408(b)): its year-end value joins Form 8606 line 6 as well.
    case = copy.deepcopy(C5B)
    case["assumptions"]["surrender_schedule"] = [0.07, 0.06, 0.05]
    cmp = compare_case(parse_case(case))
    prod = _opt(cmp, "in_service:product")
    assert prod["backdoor_tax"] == pytest.approx(BACKDOOR_TAX, abs=0.01)
    assert prod["income_tax_now"] == pytest.approx(BACKDOOR_TAX, abs=0.01)


def test_no_backdoor_no_extra_tax():
    case = copy.deepcopy(C5B)
    case["iras"] = {"traditional": 0}
    o = _opt(compare_case(parse_case(case)), "in_service:traditional_ira")
    assert "backdoor_tax" not in o and o["income_tax_now"] == 0.0


def test_the_pro_rata_remedy_where_the_ira_held_nothing_before():
    trap = next(t for t in compare_case(parse_case(copy.deepcopy(C5B)))["traps"]
                if t["code"] == "PRO_RATA")
    assert "93.0% of the $7,500 conversion is taxable ($6,975)" in trap["text"]
    # Nothing was in a traditional IRA: nothing of the IRA's to roll into the plan.
    assert "roll the IRA's pre-tax money into the plan" not in trap["text"]
    assert "not to a traditional IRA this year" in trap["text"]


# neg: 60, single, $150,000 of wages, a traditional IRA of $50,000 (no basis), a $7,500
# backdoor Roth, and $100,000 of after-tax money ($95,000 of it basis) paid in service.  Rolled
# whole to a traditional IRA, its $95,000 of basis joins Form 8606 line 2 (the instructions for
# line 2: the nontaxable portion of a qualified plan rolled to a traditional IRA is included
# there), so LESS of the conversion is taxable:
#   without: line 3 = 7,500; line 9 = 50,000 + 7,500 = 57,500; line 10 = 0.1304 → 0.130;
#            line 11 = 975; line 18 = 6,525; line 14 = 7,500 − 975 = 6,525
#   with:    line 3 = 102,500; line 9 = 150,000 + 7,500 = 157,500; line 10 = 0.6508 → 0.651;
#            line 11 = 4,882.50; line 18 = 2,617.50; line 14 = 102,500 − 4,882.50 = 97,617.50,
#            of which 95,000 is the basis rolled in: 2,617.50 carried of the conversion's own
# The taxable part falls by 3,907.50, and the basis carried forward by as much.
# Taxable income 150,000 + 6,525 − 16,100 (2026 single standard deduction) = 140,425, and
# 136,517.50 without the 3,907.50: all in the 24% bracket (105,700–201,775 in 2026):
# 0.24 × 3,907.50 = 937.80 less federal income tax now.
NEG = {
    "id": "neg",
    "person": {"birth_date": "1966-04-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2010-03-01"},
    "income": {"wages": 150000},
    "plan": {"type": "401k", "in_service": {"after_tax": {"allowed": True}}},
    "account": {"sources": {"after_tax": {"balance": 100000, "basis": 95000}}},
    "iras": {"traditional": 50000, "traditional_basis": 0, "backdoor_roth_planned": 7500},
    "request": {"date": "2026-06-01", "amount": 100000},
    "assumptions": {"growth": 0.06, "horizon_ages": [65]},
}


def test_a_rollover_that_makes_less_of_the_conversion_taxable_is_told_as_a_saving():
    o = _opt(compare_case(parse_case(copy.deepcopy(NEG))), "in_service:traditional_ira")
    detail = o["backdoor_tax_detail"]
    assert detail["taxable_without"] == pytest.approx(6525.00)
    assert detail["taxable_with"] == pytest.approx(2617.50)
    assert detail["taxable_more"] == pytest.approx(2617.50 - 6525.00)
    assert o["backdoor_tax"] == pytest.approx(-937.80, abs=0.01)
    assert o["income_tax_now"] == pytest.approx(-937.80, abs=0.01)
    (note,) = [n for n in o["notes"] if "backdoor Roth" in n]
    assert "$2,617.50 of the $7,500 conversion is taxable ($6,525.00 without it)" in note
    assert "$937.80 less federal income tax now" in note
    assert "$3,907.50 less basis carried forward in the IRA (Form 8606 line 14)" in note
    assert "$-" not in note and " more " not in note, note
    assert o["why"]["short"].endswith("; backdoor Roth taxed less")
    assert o["why"]["backdoor_tax"] == note


def test_a_rollover_that_makes_more_taxable_keeps_its_words():
    o = _opt(compare_case(parse_case(copy.deepcopy(C5B))), "in_service:traditional_ira")
    (note,) = [n for n in o["notes"] if "backdoor Roth" in n]
    assert "$2,232.00 more federal income tax now" in note
    assert "the $6,975.00 stays basis in the IRA (Form 8606 line 14)" in note
    assert "$-" not in note and " less " not in note, note
    assert o["why"]["short"].endswith("; backdoor Roth taxed more")


# ── 2. a state's withholding on a 60-day rollover ────────────────────────────────────────────

def test_the_states_withholding_on_a_60_day_rollover_is_not_lost():
    cmp = compare_case(parse_case(copy.deepcopy(C9)))
    t = _years_to(dt.date(1981, 1, 15), dt.date(2026, 6, 1), 65)
    # The full $20,000 goes back into an IRA (the withheld $4,000 + $400 made up from other
    # money and credited on the returns): worth what the direct rollover is.
    by_hand = 20000 * (1.06 - IRA_EXPENSE) ** t * (1 - 0.12)
    direct = _opt(cmp, "separation:traditional_ira")["after_tax_value_at"]["65"]
    sixty = _opt(cmp, "separation:indirect_60day")
    assert sixty["state_withholding"] == 400.0
    assert direct == pytest.approx(by_hand, abs=0.05)
    assert sixty["after_tax_value_at"]["65"] == pytest.approx(by_hand, abs=0.05)


# ── 3. the product's label ───────────────────────────────────────────────────────────────────

def test_the_product_option_is_labelled_by_the_shared_route_label():
    case = copy.deepcopy(C9)
    case["assumptions"]["surrender_schedule"] = [0.07, 0.06]
    prod = _opt(compare_case(parse_case(case)), "separation:product")
    assert prod["label"] == "After separation: roll into the product"


# ── 4. a loan's offset if the job ends first ────────────────────────────────────────────────

LOAN = {
    "person": {"birth_date": "1980-05-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-01-01"},
    "income": {"wages": 80000},
    "plan": {"type": "401k", "loans": {"allowed": True, "interest_rate": 0.04}},
    "account": {"sources": {"elective_deferral": {"balance": 100000}}},
    "request": {"date": "2026-03-01", "amount": 10000},
}


def _offset_note(case: dict) -> str:
    loan = _opt(compare_case(parse_case(case)), "loan:cash")
    return next(n for n in loan["notes"] if n.startswith("leaving the job"))


def test_the_loan_always_warns_of_the_offset():
    note = _offset_note(copy.deepcopy(LOAN))
    assert "loan offset" in note and "taxable" in note and "10%" in note
    assert "due date of that year's return with extensions" in note
    for cite in ("§72(p)", "§1.72(p)-1, Q&A-13", "§1.402(c)-2, Q&A-9", "§402(c)(3)(C)"):
        assert cite in note, cite


def test_the_loan_offset_with_the_figures_where_the_leaving_is_given():
    case = copy.deepcopy(LOAN)
    case["assumptions"] = {"leave_job_in_years": 2}
    note = _offset_note(case)
    # $10,000 at 4% over five years, monthly: payment P·i/(1 − (1+i)^−60), i = 0.04/12; after
    # 24 payments the balance is P(1+i)^24 − pay·((1+i)^24 − 1)/i.
    i, p = 0.04 / 12, 10000.0
    pay = p * i / (1 - (1 + i) ** -60)
    owed = p * (1 + i) ** 24 - pay * ((1 + i) ** 24 - 1) / i
    assert f"${owed:,.0f}" in note
    # 47 then (born 1980-05-10, leaving 2028-03-01): the 10% tax, $owed × 10%.
    assert f"${owed * 0.10:,.0f}" in note
    assert "in 2 years" in note


def test_the_offset_after_the_year_of_55_owes_no_10_percent_tax():
    # Born 1972-05-10, leaving two years after 2026-03-01, in 2028, the year of 56: a payment
    # after separation in or after the year of 55 owes no 10% tax (§72(t)(2)(A)(v)).
    case = copy.deepcopy(LOAN)
    case["person"]["birth_date"] = "1972-05-10"
    case["assumptions"] = {"leave_job_in_years": 2}
    note = _offset_note(case)
    assert "no 10% tax: leaving in or after the year you turn 55" in note
    assert "of 10% tax" not in note
