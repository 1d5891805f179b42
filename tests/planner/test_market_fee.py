"""Investment fees (``market.fee``): the yearly cost of fund expense ratios and an advisory fee,
a share of the invested money, taken from the return of the pre-tax, Roth and brokerage money
every year — ``(1 + r)(1 − fee) − 1`` — on the fixed plan, on every market path and in the
guardrails' rules; cash pays none (a CFP's review against Bengen and Trinity: the random
markets used gross index returns and nothing said so; docs/plan.md, "Risk").

Every expected figure is worked by hand from the rule's text or read from the shipped data
file with the ``csv`` module, never taken from the planner's output."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.planner.guardrails import mix_return, real_growth
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.returns import historical_all, net_of_fee, portfolio_return
from dist401k.planner.simulate import Policy, simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()
DATA = (Path(__file__).resolve().parents[2] / "src" / "dist401k" / "planner" / "data"
        / "us_annual_returns_1928_2025.csv")
CENT = 0.01


def _roth_case(years_of_life: int, annual: float, fee: float | None, **market) -> dict:
    """One person born March 1, 1961, all of whose money is $100,000 of qualified Roth money
    (no tax on any payment), planned from 2026 to the year of ``years_of_life``."""
    m = {"stocks": 0.05, "bonds": 0.05, "cash": 0.0, "inflation": 0.0, **market}
    if fee is not None:
        m["fee"] = fee
    return {"id": "roth-fee", "start_year": 2026,
            "people": [{"birth_date": "1961-03-01", "life_expectancy": years_of_life,
                        "accounts": {"roth": 100_000, "roth_first_year": 2000}}],
            "spending": {"annual": annual},
            "strategy": {"objective": "max_estate", "roth_conversions": False,
                         "medicare": False},
            "market": m}


def test_net_of_fee_is_the_fee_on_the_year_end_value():
    # 5% gross, 1% fee on the year-end value: 1.05 × 0.99 = 1.0395, a net 3.95%.
    assert net_of_fee(0.05, 0.01) == pytest.approx(0.0395, abs=1e-15)
    # a 20% loss: 0.8 × 0.99 = 0.792
    assert net_of_fee(-0.2, 0.01) == pytest.approx(-0.208, abs=1e-15)
    r = np.array([[0.1, -0.3]])
    assert net_of_fee(r, 0.0) is r  # no fee: the gross return itself, not a rounded copy
    paths = {"stocks": np.array([[0.10]]), "bonds": np.array([[0.02]]), "inflation": np.array([[0.03]])}
    # 60/40: 0.6 × 10% + 0.4 × 2% = 6.8%; × 0.995 (a 0.5% fee): 1.068 × 0.995 − 1 = 6.266%
    assert portfolio_return(paths, 0.6, 0.005)[0, 0] == pytest.approx(0.06266, abs=1e-12)
    assert mix_return(paths, 0.6, 0.005)[0, 0] == pytest.approx(0.06266, abs=1e-12)
    assert real_growth(paths, 0.6, 0.005)[0, 0] == pytest.approx(1.06266 / 1.03, abs=1e-12)
    for bad in (-0.01, 1.0, math.nan):
        with pytest.raises(ValueError, match="fee"):
            net_of_fee(0.05, bad)


def test_an_all_roth_balance_compounds_at_the_net_rate():
    """Two years (2026, 2027), $10,000 spent at the start of each, 5% returns, a 1% fee:
    2026: 100,000 − 10,000 = 90,000, × 1.05 × 0.99 = 93,555.00 at the start of 2027;
    2027: 93,555 − 10,000 = 83,555, × 1.0395 = 86,855.4225 left (the estate, 0% inflation).
    Without the fee: 90,000 × 1.05 = 94,500; 84,500 × 1.05 = 88,725."""
    for fee, start_2027, estate in ((0.01, 93_555.00, 86_855.4225), (None, 94_500.0, 88_725.0)):
        hh = parse_household(_roth_case(66, 10_000, fee))
        plan = make_plan(hh, LAW, monte_carlo=False)
        assert list(plan.timeline.years) == [2026, 2027]
        order = next(o for o in plan.strategies if o.key == "order")
        assert order.result["roth_balance"][0] == pytest.approx([100_000, start_2027], abs=CENT)
        assert order.estate_real == pytest.approx(estate, abs=CENT)
        assert order.shortfall == pytest.approx(0.0, abs=CENT)
        # the optimiser's programme grows the invested money at the same net rate
        assert plan.solution.estate_real == pytest.approx(estate, abs=1.0)


def _history() -> dict[int, dict[str, float]]:
    """The shipped history read with the csv module (percent → fraction)."""
    with open(DATA, encoding="utf-8", newline="") as fh:
        return {int(r["year"]): {k: float(r[c]) / 100 for k, c in
                                 (("stocks", "S&P 500"), ("notes", "T-Notes"), ("cpi", "Inflation"))}
                for r in csv.DictReader(fh)}


TRINITY = {"id": "trinity", "start_year": 2026,
           "people": [{"birth_date": "1961-03-01", "life_expectancy": 94,
                       "accounts": {"roth": 1_000_000, "roth_first_year": 2000}}],
           "spending": {"annual": 40_000},
           "strategy": {"objective": "max_estate", "roth_conversions": False},
           "market": {"stock_share": 0.5},
           "monte_carlo": {"model": "historical", "seed": 1}}


def _success(case: dict) -> dict[str, float]:
    plan = make_plan(parse_household(case), LAW)
    return {o.key: o.monte_carlo["success_rate"] for o in plan.strategies}


def test_historical_success_without_a_fee_is_unchanged_and_a_fee_lowers_it():
    """All-Roth, $1,000,000, $40,000 a year grown with each path's CPI, 50/50 stocks and
    10-year notes, 30 years (2026–2055), every start year 1928–1996: 64 of the 69 last (the
    reviewer's independent re-implementation on the same data: 92.75%, failures 1964, 1965,
    1966, 1968, 1969).  A fee of 0 is the case without one, figure for figure; 1% fails more."""
    none = _success(TRINITY)
    zero = _success({**TRINITY, "market": {"stock_share": 0.5, "fee": 0.0}})
    assert zero == none
    assert none["order"] == pytest.approx(64 / 69, abs=1e-12)
    fee = _success({**TRINITY, "market": {"stock_share": 0.5, "fee": 0.01}})
    assert all(fee[k] <= none[k] for k in none)
    assert fee["order"] < none["order"]


def test_a_historical_path_with_a_fee_matches_the_hand_computed_one():
    """The 1966 start, worked by hand from the CSV: each year the need (40,000 × that year's
    price level, the CPI compounded from 1966) comes out at its start — what the balance
    holds where it holds less — then the rest grows by (1 + ½ stocks + ½ notes) × (1 − 0.75%)."""
    case = {**TRINITY, "market": {"stock_share": 0.5, "fee": 0.0075}}
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    rets = historical_all(tl.T)
    start = 1966
    res = simulate(hh, tl, LAW, rets, Policy("order"), np.array([40_000.0]))
    h = _history()
    bal, price, want = 1_000_000.0, 1.0, []
    for t in range(tl.T):
        want.append(bal)
        y = h[start + t]
        bal = max(bal - 40_000 * price, 0.0) * (1 + 0.5 * y["stocks"] + 0.5 * y["notes"]) * (1 - 0.0075)
        price *= 1 + y["cpi"]
    got = res["roth_balance"][start - 1928]
    assert got == pytest.approx(want, abs=CENT)
    assert res.estate[start - 1928] == pytest.approx(bal, abs=CENT)


def test_the_fixed_plans_sustainable_spending_falls_with_the_fee():
    """All-Roth $100,000 for 30 years (2026–2055), 5% returns, 2% inflation: the most constant
    real spending, paid at the start of each year, is the annuity due at the real net rate
    q = (1.05 × (1 − fee)) / 1.02: S = 100,000 / Σ_{t<30} q^−t — 4,918.55 with no fee (q =
    1.029412), 4,328.26 with 1% (q = 1.019118)."""
    out = {}
    for fee in (0.0, 0.01):
        case = _roth_case(94, 0, fee, inflation=0.02)
        case["strategy"] = {"objective": "max_spending", "roth_conversions": False,
                            "medicare": False}
        plan = make_plan(parse_household(case), LAW, monte_carlo=False)
        assert plan.timeline.T == 30
        q = 1.05 * (1 - fee) / 1.02
        hand = 100_000 / sum(q ** -t for t in range(30))
        assert plan.solution.spending_real == pytest.approx(hand, abs=1.0)
        order = next(o for o in plan.strategies if o.key == "order")
        assert order.spending_real == pytest.approx(hand, abs=1.0)
        out[fee] = hand
    assert out[0.0] == pytest.approx(4_918.55, abs=CENT)
    assert out[0.01] == pytest.approx(4_328.26, abs=CENT)


@pytest.mark.parametrize("bad", [-0.001, 0.06, "nan", "one percent"])
def test_a_bad_fee_is_named_in_every_door(tmp_path, bad):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    case = _roth_case(66, 10_000, None)
    case["market"]["fee"] = float(bad) if bad == "nan" else bad
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    lines = [ln for ln in r.output.splitlines() if "market.fee" in ln]
    assert len(lines) == 1, r.output
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'store.db'}")),
                        raise_server_exceptions=False)
    # NaN is no JSON number: it goes as the token Python's json module writes
    res = client.post("/plan?paths=0", content=json.dumps(case),
                      headers={"content-type": "application/json"})
    assert res.status_code == 422, res.text
    assert [d["loc"] for d in res.json()["detail"]] == [["body", "market", "fee"]]


def test_the_fee_shows_in_the_plans_assumptions(tmp_path):
    from dist401k.plan_report import render_plan_html

    hh = parse_household(_roth_case(66, 10_000, 0.0125))
    plan = make_plan(hh, LAW, monte_carlo=False)
    j = plan_json(plan)
    notes = [n for n in j["assumptions"] if n.startswith("market.fee")]
    assert len(notes) == 1 and "1.25% a year" in notes[0] and "§67(g)" in notes[0]
    assert "market.fee" in render_plan_html(plan) and "1.25% a year" in render_plan_html(plan)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(_roth_case(66, 10_000, 0.0125)))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert r.exit_code == 0, r.output
    assert "market.fee" in r.output and "1.25%" in r.output
    # no fee: nothing said (the returns are before fees, docs/plan.md "Risk")
    none = plan_json(make_plan(parse_household(_roth_case(66, 10_000, None)), LAW,
                               monte_carlo=False))
    assert not any(n.startswith("market.fee") for n in none.get("assumptions", []))


def test_guyton_klinger_freezes_after_a_year_the_fee_makes_negative():
    """Guyton–Klinger's withdrawal rule reads the portfolio's return net of the fee: 0.5%
    gross less a 1% fee is 1.005 × 0.99 − 1 = −0.505%, a losing year, so with 3% inflation the
    raise of each next year (4,000 → 4,120) is frozen wherever it would put the withdrawal rate
    above the initial 4%: 4,120 / 95,515.20 = 4.31%, 4,120 / 91,053.40 = 4.52%, 4,120 /
    86,613.71 = 4.76% — 4,000 nominal every year (no cut: the last 15 years; none above
    4.8%).  Balances: (100,000 − 4,000) × 0.99495 = 95,515.20 … estate 82,196.23 nominal,
    82,196.23 / 1.03⁴ = 73,030.29 in today's dollars.  On the gross 0.5% there is no losing
    year, and the spending rises with inflation."""
    case = _roth_case(68, 4_000, 0.01, stocks=0.005, bonds=0.005, inflation=0.03)
    case["guardrails"] = {"guyton_klinger": True, "initial_spending": 4_000}
    plan = make_plan(parse_household(case), LAW, monte_carlo=False)
    gk = next(o for o in plan.strategies if o.key == "guyton_klinger")
    assert gk.result["spending"][0] == pytest.approx([4_000.0] * 4, abs=CENT)
    assert gk.estate_real == pytest.approx(73_030.29, abs=CENT)
    gross = dict(case, market={**case["market"], "fee": 0.0})
    gk0 = next(o for o in make_plan(parse_household(gross), LAW, monte_carlo=False).strategies
               if o.key == "guyton_klinger")
    assert gk0.result["spending"][0][1] == pytest.approx(4_120.0, abs=CENT)
