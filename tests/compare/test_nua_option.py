"""The NUA strategy valued beside the other options of `dist401k compare` (docs/compare.md, "The
options"): the employer shares paid out in kind in a lump-sum distribution, their cost taxed now
(IRC §402(e)(4)(B), (D)(i); Notice 98-24), the rest of the balance rolled directly to a
traditional IRA, the shares valued at each horizon less the tax of selling them.

Every figure is worked by hand from the law's 2026 numbers (Rev. Proc. 2025-32 §4.01, .03,
§4.14: married filing jointly, standard deduction $32,200, 10% to $24,800, 12% to $100,800;
single, $16,100, 10% to $12,400, 12% to $50,400; capital gain 0% to $98,900 married jointly;
§1411: 3.8% over $250,000 married jointly)."""

from __future__ import annotations

import pytest

from dist401k.case import parse_case
from dist401k.compare import compare_case
from routes.conftest import make

#: The advisor's case c7: 61, separated, married filing jointly, wages $40,000; $200,000 of
#: employer stock that cost the plan $30,000, in a $500,000 401(k); all of it asked for.
C7 = {
    "id": "c7-nua",
    "person": {"birth_date": "1965-03-01", "filing_status": "married_joint",
               "spouse_birth_date": "1966-01-01"},
    "employment": {"status": "separated", "hire_date": "1995-01-09",
                   "separation_date": "2026-03-31"},
    "income": {"wages": 40000}, "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 300000},
                            "profit_sharing": {"balance": 200000}},
                "employer_stock": {"value": 200000, "cost_basis": 30000}},
    "request": {"date": "2026-06-01", "amount": "max"},
    "assumptions": {"growth": 0.06, "later_tax_rate": 0.22, "horizon_ages": [70]},
}
NUA = "separation:nua"
#: Years from 2026-06-01 to 70 (born 1965-03-01): 61 and 92 days of a 365-day year now.
YEARS_TO_70 = 70 - (61 + 92 / 365)
#: The IRA's net return: 6% less its 0.10% expenses (the default), the shares' too.
R_IRA = 0.06 - 0.001


def _opt(cmp: dict, name: str) -> dict | None:
    return next((o for o in cmp["options"] if o["option"] == name), None)


def test_c7_the_nua_option_taxes_the_cost_now_at_the_margin():
    """Taxable income 40,000 − 32,200 = 7,800: tax 780; with the $30,000 cost, 37,800:
    2,480 + 12% × 13,000 = 4,040. The cost adds $3,260 (the warning's figure). Past 59½: no
    10% tax. Nothing is withheld: the rest goes by direct rollover (§3405(c)(2)), and the
    payment is shares only (§3405(e)(8)); the tax is paid from other money."""
    cmp = compare_case(parse_case(C7))
    o = _opt(cmp, NUA)
    assert o is not None
    assert o["gross"] == 500000
    assert o["income_tax_now"] == pytest.approx(3260, abs=0.005)
    assert o["penalty_now"] == 0
    assert o["withholding"] == 0 and o["check_received"] == 0
    assert o["kept_after_all_tax"] == pytest.approx(-3260, abs=0.005)
    assert "employer stock" in o["label"] and "traditional IRA" in o["label"]
    assert "§402(e)(4)" in o["why"]["taxable"]
    trap = next(t for t in cmp["traps"] if t["code"] == "NUA")
    assert trap["figures"]["lump_sum_tax"] == pytest.approx(3260 + 16335, abs=0.5)


def _c7_nua_at_70_by_hand() -> float:
    g = (1 + R_IRA) ** YEARS_TO_70
    ira = 300000 * g * (1 - 0.22)  # the rest, rolled over, taxed at the later rate
    paid_outside = 3260 * g  # the tax on the cost, paid from money that would have grown
    shares = 200000 * g
    gain = shares - 30000  # the NUA and the growth after the distribution
    # Sold in a later year on this year's other income (taxable 7,800): 0% up to 98,900.
    ltcg = 0.15 * (7800 + gain - 98900)
    # §1411: the NUA is not net investment income, the growth after the distribution is;
    # MAGI 40,000 + the gain over the $250,000 threshold.
    niit = 0.038 * min(shares - 200000, 40000 + gain - 250000)
    return ira + shares - ltcg - niit - paid_outside


def test_c7_the_nua_option_at_70_by_hand_and_it_is_the_best():
    cmp = compare_case(parse_case(C7))
    o = _opt(cmp, NUA)
    assert o is not None
    assert o["after_tax_value_at"]["70"] == pytest.approx(_c7_nua_at_70_by_hand(), abs=1)
    roll = _opt(cmp, "separation:traditional_ira")
    g = (1 + R_IRA) ** YEARS_TO_70
    assert roll["after_tax_value_at"]["70"] == pytest.approx(500000 * g * 0.78, abs=1)
    assert cmp["best_at"]["70"] == NUA
    # by year: today's value sells the shares on this year's other income (no cost in it)
    assert o["by_year"][0] == pytest.approx(
        300000 * 0.78 + 200000 - 0.15 * (7800 + 170000 - 98900) - 3260, abs=0.01)


def test_before_59_half_the_cost_owes_the_10_percent_tax():
    """Single, born 1975, separated at 50 in 2025 (no rule of 55): the cost $20,000 on taxable
    income 30,000 − 16,100 = 13,900: 1,240 + 12% × 1,500 = 1,420; with it, 33,900: 1,240 +
    12% × 21,500 = 3,820: $2,400; and 10% of the cost, $2,000 (§72(t)(1): the taxable part)."""
    case = parse_case(make({
        "employment.status": "separated", "employment.separation_date": "2025-06-30",
        "person.birth_date": "1975-03-01", "income.wages": 30000, "request.amount": "max",
        "account.sources": {"elective_deferral": {"balance": 100000}},
        "account.employer_stock": {"value": 60000, "cost_basis": 20000}}))
    o = _opt(compare_case(case), NUA)
    assert o is not None
    assert o["income_tax_now"] == pytest.approx(2400, abs=0.005)
    assert o["penalty_now"] == pytest.approx(2000, abs=0.005)
    assert o["kept_after_all_tax"] == pytest.approx(-4400, abs=0.005)


def test_the_state_taxes_the_cost_now():
    """North Carolina, 3.99% flat in 2026 (G.S. 105-153.7), from federal AGI: both incomes above
    its standard deduction, the $30,000 cost adds 30,000 × 3.99% = $1,197.00."""
    case = parse_case({**C7, "person": {**C7["person"], "state": "NC"}})
    o = _opt(compare_case(case), NUA)
    assert o is not None
    assert o["state_income_tax_now"] == pytest.approx(1197, abs=0.01)
    assert o["kept_after_all_tax"] == pytest.approx(-3260 - 1197, abs=0.01)


@pytest.mark.parametrize("change", [
    {"request": {**C7["request"], "amount": 60000}},  # not the whole balance: no lump sum
    {"plan": {"type": "403b7"}},  # §402(e)(4)(D)(i): no 403(b)
    {"account": {**C7["account"], "employer_stock": {"value": 30000, "cost_basis": 30000}}},
    {"employment": {"status": "active", "hire_date": "1995-01-09"},
     "person": {**C7["person"], "birth_date": "1975-03-01"}},  # in service under 59½
])
def test_no_nua_option_where_no_lump_sum_with_appreciation_is_paid(change):
    cmp = compare_case(parse_case({**C7, **change}))
    assert not any(o["option"].endswith(":nua") for o in cmp["options"])


def test_the_other_options_do_not_move():
    """The NUA option is added beside the others; theirs stay as they were."""
    without = compare_case(parse_case({**C7, "account": {
        **C7["account"], "employer_stock": {"value": 0, "cost_basis": 0}}}))
    with_stock = compare_case(parse_case(C7))
    for o in without["options"]:
        assert _opt(with_stock, o["option"])["after_tax_value_at"] == o["after_tax_value_at"]
