"""More brokerage basis, the same rule-based withdrawals: no more tax.  Under the average cost
the planner keeps, a sale of X from an account of B with basis b realises X × (1 − b/B)
(IRC §1001(a), §1012); the gain is stacked on top of ordinary income and taxed 0% up to the
year's threshold, 15% above it (§1(h)(1)).  More basis means less gain on each dollar sold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.household import load_household, parse_household, with_horizon
from dist401k.planner.plan import fixed_returns
from dist401k.planner.simulate import Policy, simulate_table
from dist401k.planner.timeline import build_timeline

LAW = default_law()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "plans"


def _one_year(basis: float) -> dict:
    """A single person of 60 in 2026, planned for that one year: a $60,000 pension, a brokerage
    account of $200,000 on ``basis`` (no dividends), nothing else; $80,000 to spend."""
    return {"id": "basis-one-year", "start_year": 2026,
            "people": [{"birth_date": "1965-06-01", "life_expectancy": 61,
                        "accounts": {"pretax": 0},
                        "pension": {"monthly": 5000, "start_age": 60, "survivor_fraction": 0}}],
            "taxable": {"balance": 200000, "basis": basis, "dividend_yield": 0},
            "spending": {"annual": 80000},
            "market": {"stocks": 0.05, "bonds": 0.04, "cash": 0.02, "stock_share": 0.6},
            "strategy": {"objective": "max_estate", "heirs_rate": 0.25}}


def _hand_worked(basis: float) -> tuple[float, float, float]:
    """(sale, gain, tax) worked by hand from the 2026 figures (Rev. Proc. 2025-32): standard
    deduction $16,100 (§4.13), so ordinary taxable income 60,000 − 16,100 = 43,900, taxed
    10% to $12,400 and 12% above (§4.01): 1,240 + 3,780 = $5,020; the 0% gain rate up to
    taxable income $49,450 (§4.03), so the first 49,450 − 43,900 = $5,550 of gain is at 0%
    and the rest at 15%.  The sale pays what the pension leaves of the spending and the tax:
    X = 80,000 − 60,000 + 5,020 + 0.15 × (f X − 5,550), f = 1 − b/200,000, so
    X = (25,020 − 832.50) / (1 − 0.15 f); gain f X; tax 5,020 + 0.15 × (f X − 5,550)."""
    f = 1 - basis / 200000
    sale = (25020 - 832.5) / (1 - 0.15 * f)
    gain = f * sale
    return sale, gain, 5020 + 0.15 * (gain - 5550)


def _order_year(basis: float):
    hh = with_horizon(parse_household(_one_year(basis)))
    tl = build_timeline(hh, LAW)
    assert tl.T == 1
    return simulate_table(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"),
                          np.array([80000.0]))


@pytest.mark.parametrize("basis", [100000.0, 100100.0])
def test_a_years_sale_realises_its_average_cost_gain_taxed_by_the_0_15_stack(basis):
    """Basis $100,000: sale $26,148.65, gain $13,074.32, tax $6,148.65; basis $100,100:
    sale $26,146.53, gain $13,060.19, tax $6,146.53 (:func:`_hand_worked`)."""
    sale, gain, tax = _hand_worked(basis)
    res = _order_year(basis)
    assert res["taxable_withdrawal"][0, 0] == pytest.approx(sale, abs=0.01)
    assert res["realized_gains"][0, 0] == pytest.approx(gain, abs=0.01)
    assert res["income_tax"][0, 0] == pytest.approx(tax, abs=0.01)
    assert res["shortfall"][0, 0] == pytest.approx(0.0, abs=0.01)


def test_a_hundred_dollars_more_basis_owes_less_on_the_same_year():
    """$100 more basis: 0.15 × the gain it saves, about $2.12 less tax (6,148.65 → 6,146.53)."""
    tax = [_order_year(b)["income_tax"][0, 0] for b in (100000.0, 100100.0)]
    assert tax[0] - tax[1] == pytest.approx(_hand_worked(100000.0)[2] - _hand_worked(100100.0)[2],
                                            abs=0.01)
    assert tax[1] < tax[0]


@pytest.mark.parametrize("key", ["order", "systematic"])
def test_more_basis_never_more_tax_over_a_plan_of_rule_based_withdrawals(key):
    """A shipped plan (a single person retiring at 65) at its own spending, drawn by a rule
    that does not look at the tax to decide what to sell: $1,000 more basis leaves the
    lifetime federal tax no higher and the spending left unpaid no higher."""
    hh0 = with_horizon(load_household(EXAMPLES / "retiring-at-65.yaml"))
    taxable = hh0.taxable.model_copy(update={"basis": hh0.taxable.basis + 1000})
    hh1 = hh0.model_copy(update={"taxable": taxable})
    policy = Policy(key)
    out = []
    for hh in (hh0, hh1):
        tl = build_timeline(hh, LAW)
        out.append(simulate_table(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), policy,
                                  np.array([hh.spending.annual])))
    assert out[1]["realized_gains"][0].sum() < out[0]["realized_gains"][0].sum()
    assert out[1]["income_tax"][0].sum() <= out[0]["income_tax"][0].sum() + 0.005
    assert out[1]["shortfall"][0].sum() <= out[0]["shortfall"][0].sum() + 0.005


def test_the_basis_sold_leaves_with_its_sale_and_the_next_year_s_gain_uses_what_is_left():
    """The same person, on a basis of $60,000, planned to 62 (two years).  2026 sells
    X = 24,187.50 / (1 − 0.15 × 0.7) = $27,025.14 of $200,000 (:func:`_hand_worked`): the
    basis sold is X × 60,000/200,000 = $8,107.54, so 2027 opens on a basis of $51,892.46 and
    a balance of (200,000 − X) × 1.046 = $180,931.70 (60% stocks at 5%, 40% bonds at 4%);
    its sale X' realises X' × (1 − 51,892.46/180,931.70)."""
    case = _one_year(60000.0)
    case["people"][0]["life_expectancy"] = 62
    hh = with_horizon(parse_household(case))
    tl = build_timeline(hh, LAW)
    res = simulate_table(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"),
                         np.array([80000.0]))
    sale = _hand_worked(60000.0)[0]
    basis, balance = 60000 - sale * 0.3, (200000 - sale) * (1 + 0.6 * 0.05 + 0.4 * 0.04)
    assert res["taxable_basis"][0, 1] == pytest.approx(basis, abs=0.01)
    assert res["taxable_balance"][0, 1] == pytest.approx(balance, abs=0.01)
    later = res["taxable_withdrawal"][0, 1]
    assert res["realized_gains"][0, 1] == pytest.approx(later * (1 - basis / balance), abs=0.01)
