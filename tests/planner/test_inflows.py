"""Money coming in that is not income (``inflows``): a gift or an inheritance (excluded from
gross income, IRC §102(a)) or a home's net proceeds within §121's exclusion — cash at the start
of its year, spendable that year and after.

The answers are worked by hand on households whose money is all Roth (no tax), with zero
returns: the money then pays exactly the sum of the years' needs, so the most spending L
solves  Σ_t L × profile_t × price_t = the money + Σ_t inflow_t (nominal), as long as no year
needs money that has not yet come in.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import Policy, fixed_returns, plan_json
from dist401k.planner.simulate import simulate
from dist401k.planner.timeline import build_timeline
from planner.test_spending_changes import _plan, _spending, refused_alike, same_plan_in_cli_and_api

LAW = default_law()
MONEY = 1_000_000.0
DOLLAR = 1.0  # the spending search's and the optimiser's precision, in dollars a year
HOUSE = {"year": 2030, "amount": 200_000, "label": "house sale"}


def _case(inflows: list | None = None, inflation: float = 0.0, spending: dict | None = None,
          **extra) -> dict:
    """One person born 1960 (66 in 2026), $1,000,000 of Roth money (qualified: tax-free), no
    other income, zero returns and zero interest on cash: a plan of 2026–2035 (ten years)."""
    case = {"id": "inflows", "start_year": 2026,
            "people": [{"name": "Ann", "birth_date": "1960-03-01", "life_expectancy": 75,
                        "accounts": {"roth": MONEY}}],
            "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": inflation},
            "spending": {"annual": 50_000, "survivor_fraction": 1.0, **(spending or {})},
            **extra}
    if inflows is not None:
        case["inflows"] = inflows
    return case


def test_an_inflow_raises_the_level_by_its_amount_over_the_years():
    """$200,000 received in 2030 over ten years: 10L = 1,000,000 + 200,000, L = $120,000 (a
    rise of X/10 = $20,000 on $100,000); the four years before it need 480,000, which the Roth
    money holds.  The table shows the inflow in its year, nothing in the others."""
    plan = _plan(_case([HOUSE]))
    for key in ("optimal", "order"):
        assert _spending(plan, key) == pytest.approx(120_000, abs=DOLLAR)
    j = plan_json(plan)
    assert [r["inflows"] for r in j["table"]] == [0.0] * 4 + [200_000.0] + [0.0] * 5
    assert j["inflows"] == [{"year": 2030, "amount": 200_000.0, "indexed": True,
                             "label": "house sale"}]


def test_an_inflow_with_a_step_down_counts_over_the_profile():
    """Half from 2031: 7.5L = 1,200,000, L = $160,000 (without the inflow $133,333.33)."""
    plan = _plan(_case([HOUSE], spending={"changes": [{"from_year": 2031, "fraction": 0.5}]}))
    assert _spending(plan, "optimal") == pytest.approx(1_200_000 / 7.5, abs=DOLLAR)


def test_money_received_in_the_last_year_cannot_pay_the_years_before_it():
    """$200,000 in 2035: the nine years 2026–2034 can spend only the $1,000,000, 9L ≤ 1,000,000,
    so L = $111,111.11 (not 1,200,000/10 = $120,000); 2035 then has 1,000,000 − 9L + 200,000."""
    plan = _plan(_case([{"year": 2035, "amount": 200_000}]))
    assert _spending(plan, "optimal") == pytest.approx(MONEY / 9, abs=DOLLAR)


def test_today_and_nominal_dollars_at_inflation():
    """At 2% inflation and zero nominal returns, L × Σ 1.02^t (t = 0…9) = the money received:
    $100,000 of today's dollars in 2030 is 100,000 × 1.02^4 then; nominal, $100,000."""
    growth = sum(1.02 ** t for t in range(10))
    today = _plan(_case([{"year": 2030, "amount": 100_000}], inflation=0.02))
    assert _spending(today, "optimal") == pytest.approx(
        (MONEY + 100_000 * 1.02 ** 4) / growth, abs=DOLLAR)
    assert plan_json(today)["table"][4]["inflows"] == pytest.approx(100_000 * 1.02 ** 4,
                                                                    abs=0.01)
    nominal = _plan(_case([{"year": 2030, "amount": 100_000, "indexed": False}], inflation=0.02))
    assert _spending(nominal, "optimal") == pytest.approx((MONEY + 100_000) / growth, abs=DOLLAR)


def test_max_estate_leaves_the_inflow_to_the_heirs():
    """Objective max_estate at $50,000 a year: 1,000,000 − 10 × 50,000 = $500,000 left; with
    $200,000 received, $700,000."""
    est = {"objective": "max_estate"}
    before = next(o for o in _plan(_case(strategy=est)).strategies if o.key == "optimal")
    after = next(o for o in _plan(_case([HOUSE], strategy=est)).strategies
                 if o.key == "optimal")
    assert before.estate_real == pytest.approx(500_000, abs=DOLLAR)
    assert after.estate_real == pytest.approx(700_000, abs=DOLLAR)


def test_monte_carlo_paths_of_the_fixed_returns_receive_the_same_money():
    """Three paths that are each the fixed returns (zero volatility): each path's cash at the
    start of 2030 holds the $200,000 (× 1.02^4), spent first (cash before Roth money), and each
    path's estate is the hand figure."""
    case = _case([HOUSE], inflation=0.02)
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T, 3), Policy("order"),
                   np.full(3, 50_000.0))
    for row in res["cash_balance"]:
        assert row[4] == pytest.approx(200_000 * 1.02 ** 4, abs=1e-6)
    # what is left, in today's dollars: 1,000,000 + 200,000 × 1.02^4 − 50,000 × Σ 1.02^t,
    # deflated by 1.02^10
    growth = sum(1.02 ** t for t in range(10))
    hand = (MONEY + 200_000 * 1.02 ** 4 - 50_000 * growth) / 1.02 ** 10
    assert res.estate_real == pytest.approx([hand] * 3, abs=0.01)


def test_no_inflows_keeps_the_plan():
    """An empty list is the case without one: the same JSON, no ``inflows`` anywhere."""
    flat = plan_json(_plan(_case()))
    empty = plan_json(_plan(_case([])))
    assert empty == flat
    assert "inflows" not in flat and "inflows" not in flat["table"][0]


@pytest.mark.parametrize("inflow, field, words", [
    ({"year": 2025, "amount": 5}, "inflows.0.year", "outside the plan"),
    ({"year": 2036, "amount": 5}, "inflows.0.year", "2026–2035"),
    ({"year": 2030, "amount": -5}, "inflows.0.amount", ""),
    ({"year": 2030, "amount": 1e14}, "inflows.0.amount", ""),
    ({"year": 2030, "amount": math.inf}, "inflows.0.amount", ""),
    ({"year": 2030, "amount": math.nan}, "inflows.0.amount", ""),
    ({"year": 2030, "amount": 5, "basis": 2}, "inflows.0.basis", "§1015"),
    ({"amount": 5}, "inflows.0.year", ""),
])
def test_an_inflow_out_of_bounds_is_refused_by_name(inflow, field, words):
    with pytest.raises(InputError) as exc:
        parse_household(_case([inflow]))
    named = {p.field: p.problem for p in exc.value.problems}
    assert field in named, named
    assert words in named[field]


def test_a_cash_basis_is_accepted():
    """A basis equal to the amount is cash's: accepted, the same plan as without it."""
    with_basis = _plan(_case([{**HOUSE, "basis": 200_000}]))
    assert _spending(with_basis, "optimal") == pytest.approx(120_000, abs=DOLLAR)


def test_cli_and_api_give_the_same_plan_and_refusal(tmp_path):
    cli, client, path = same_plan_in_cli_and_api(_case([HOUSE]), tmp_path)
    assert cli["strategies"][-1]["spending_real"] == pytest.approx(120_000, abs=DOLLAR)
    table = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert table.exit_code == 0, table.output
    assert "Money received that is not income" in table.output
    refused_alike(_case([{"year": 2040, "amount": 5}]), path, client, ["body", "inflows", 0, "year"])


def test_the_report_states_the_money_received(tmp_path):
    from dist401k.plan_report import render_plan_html

    page = render_plan_html(_plan(_case([HOUSE])))
    assert "Money received" in page and "house sale" in page and "<th>received</th>" in page
