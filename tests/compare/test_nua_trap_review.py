"""The NUA trap's figures after the NUA review (docs/compare.md, "Employer stock: the NUA lump
sum"): the 10% tax on the shares' cost is the one the plan's own payment would owe — none to a
beneficiary after the employee's death (IRC §72(t)(2)(A)(ii)) —, and the gain's tax is §1(h)'s,
on taxable income: the NUA first fills the standard deduction the year's income leaves unused.

Every figure is worked by hand from the law's 2026 numbers (Rev. Proc. 2025-32 §4.01, .03, .14:
single, standard deduction $16,100, 10% to $12,400, 12% to $50,400, 22% to $105,700, capital
gain 0% to $49,450; married filing jointly, standard deduction $32,200, capital gain 0% to
$98,900, 15% to $613,700, 20% above)."""

from __future__ import annotations

import pytest

from dist401k.case import parse_case
from dist401k.compare import compare_case

#: The reviewer's heir: 46, single, wages $50,000; the participant died 2025-12-20; a 401(k) of
#: $300,000 of deferrals holding $200,000 of employer stock that cost the plan $40,000.
HEIR = {
    "id": "nua-benef",
    "person": {"birth_date": "1980-02-14", "filing_status": "single"},
    "income": {"wages": 50000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 300000}},
                "employer_stock": {"value": 200000, "cost_basis": 40000}},
    "beneficiary": {"deceased_birth_date": "1958-07-01", "date_of_death": "2025-12-20",
                    "relationship": "individual", "prior_year_end_balance": 310000},
    "request": {"date": "2026-11-23", "amount": "max"},
}

#: The reviewer's low-income couple: both 64, separated, wages $5,000; $1,000,000 of employer
#: stock that cost the plan nothing, the whole account.
LOW_INCOME = {
    "id": "nua-lowinc",
    "person": {"birth_date": "1962-02-14", "filing_status": "married_joint",
               "spouse_birth_date": "1962-03-01"},
    "employment": {"status": "separated", "hire_date": "1994-05-02",
                   "separation_date": "2026-01-31"},
    "income": {"wages": 5000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 1000000}},
                "employer_stock": {"value": 1000000, "cost_basis": 0}},
    "request": {"date": "2026-06-01", "amount": "max"},
}


def _nua_trap(case: dict) -> dict:
    (trap,) = [t for t in compare_case(parse_case(case))["traps"] if t["code"] == "NUA"]
    return trap


def test_an_heir_owes_no_10_percent_tax_on_the_shares_cost():
    """Paid to a beneficiary on or after the employee's death: no 10% tax at any age (IRC
    §72(t)(2)(A)(ii)).  Taxable income 50,000 − 16,100 = 33,900: 1,240 + 12% × 21,500 = 3,820;
    with the $40,000 cost, 73,900: 1,240 + 4,560 + 22% × 23,500 = 10,970 — the cost adds
    7,150; the $160,000 of NUA on top of 73,900, past the 0% band's 49,450: 15%, 24,000.  In
    all 31,150 (the trap said 35,150: 4,000 of 10% tax on the cost)."""
    trap = _nua_trap(HEIR)
    assert trap["figures"]["lump_sum_tax"] == pytest.approx(7150 + 24000, abs=0.5)
    assert "about $7,150)" in trap["text"]
    assert "10% tax before 59½" not in trap["text"]


def test_an_heir_and_the_plans_cash_payment_agree_on_the_10_percent_tax():
    """The trap asks the rule that prices the beneficiary's own payment: none of it owes the
    10% tax, and neither does the lump sum's cost."""
    cmp = compare_case(parse_case(HEIR))
    cash = next(o for o in cmp["options"] if o["option"] == "beneficiary:cash")
    assert cash["penalty_now"] == 0
    trap = next(t for t in cmp["traps"] if t["code"] == "NUA")
    assert trap["figures"]["lump_sum_tax"] == pytest.approx(31150, abs=0.5)


def test_the_gain_fills_the_standard_deduction_left_unused_first():
    """§1(h) taxes the gain that is in taxable income: AGI 5,000 + 1,000,000 = 1,005,000, less
    the $32,200 deduction (both under 65), 972,800 — all of it gain (the wages are under the
    deduction): 0% on 98,900, 15% × (613,700 − 98,900) = 77,220, 20% × (972,800 − 613,700) =
    71,820.  $149,040 (the trap said 154,480: the whole 1,000,000 stacked on zero)."""
    trap = _nua_trap(LOW_INCOME)
    assert trap["figures"]["lump_sum_tax"] == pytest.approx(77220 + 71820, abs=0.5)
    assert "about $149,040 at 0% and 15% and 20%" in trap["text"]


def test_the_gain_fills_what_the_cost_leaves_of_the_deduction():
    """Single, 61, separated, wages $10,000; shares worth $62,000 that cost $2,000: the cost
    on top of the wages, 12,000, is under the $16,100 deduction — no tax on it, and past 59½
    no 10% tax; the gain fills the 4,100 left, so 55,900 is taxable: 0% on 49,450, 15% ×
    6,450 = 967.50 (stacked on a taxable income of zero, 1,582.50)."""
    case = {
        "id": "nua-unused",
        "person": {"birth_date": "1965-03-01", "filing_status": "single"},
        "employment": {"status": "separated", "hire_date": "1995-01-09",
                       "separation_date": "2026-03-31"},
        "income": {"wages": 10000}, "plan": {"type": "401k"},
        "account": {"sources": {"elective_deferral": {"balance": 100000}},
                    "employer_stock": {"value": 62000, "cost_basis": 2000}},
        "request": {"date": "2026-06-01", "amount": "max"},
    }
    trap = _nua_trap(case)
    assert trap["figures"]["lump_sum_tax"] == pytest.approx(967.50, abs=0.005)
    assert "about $968 at 0% and 15%" in trap["text"]


def test_the_option_names_the_exception_that_spares_the_cost():
    """Separated in 2026 at 57 (born 1969-03-01): the rule of 55 spares the plan's payments
    (§72(t)(2)(A)(v)), so no 10% tax on the shares' cost, and the option's why says which."""
    case = {
        "id": "nua-rule-55",
        "person": {"birth_date": "1969-03-01", "filing_status": "single"},
        "employment": {"status": "separated", "hire_date": "1995-01-09",
                       "separation_date": "2026-03-31"},
        "income": {"wages": 40000}, "plan": {"type": "401k"},
        "account": {"sources": {"elective_deferral": {"balance": 300000}},
                    "employer_stock": {"value": 100000, "cost_basis": 20000}},
        "request": {"date": "2026-06-01", "amount": "max"},
    }
    cmp = compare_case(parse_case(case))
    o = next(o for o in cmp["options"] if o["option"] == "separation:nua")
    assert o["penalty_now"] == 0
    assert "rule of 55" in o["why"]["additional_tax_72t"]
    assert "§72(t)(2)(A)(v)" in o["why"]["additional_tax_72t"]
