"""The drawdown planner at the edges: no balance below zero on any market path, plans that do
not depend on the size of the numbers, estates that count every pool, and input checks."""

from __future__ import annotations

import glob

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.lp import optimise
from dist401k.planner.plan import _paths, _policy
from dist401k.planner.simulate import Policy, simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()
PLANS = sorted(glob.glob("examples/plans/*.yaml"))
BALANCES = ("pretax_balance", "roth_balance", "taxable_balance", "cash_balance")
# The dollar fields of a drawdown case (scaled together to try plans of every size).
MONEY = {"pretax", "pretax_basis", "ira", "ira_basis", "roth", "roth_contributions",
         "monthly_at_full_age", "monthly", "wages", "balance", "basis", "cash", "annual",
         "bequest", "max_conversion", "magi_history"}


def _load(path: str) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def scaled(case, factor: float):
    """A case with every dollar amount multiplied by ``factor``."""
    if isinstance(case, dict):
        return {k: v if k == "market" else _times(v, factor) if k in MONEY
                else scaled(v, factor) for k, v in case.items()}
    if isinstance(case, list):
        return [scaled(v, factor) for v in case]
    return case


def _times(v, factor):
    if isinstance(v, list):
        return [x * factor for x in v]
    return v * factor if isinstance(v, int | float) and not isinstance(v, bool) else v


def assert_sound(res, tl) -> None:
    """Every column finite, no balance below zero, and no year takes more out of an account
    than it held at the start of the year."""
    for k, v in res.cols.items():
        assert np.isfinite(v).all(), k
    for k in BALANCES:
        assert (res[k] >= 0).all(), (k, res[k].min())
    held = res["pretax_balance"]
    out = res["pretax_withdrawal"] + res["conversion"]
    # The year of a death the survivor's rollover arrives after the year's takes.
    assert (out <= held * (1 + 1e-9) + 1e-6).all(), (out - held).max()
    for take, bal in (("roth_withdrawal", "roth_balance"), ("cash_withdrawal", "cash_balance"),
                      ("taxable_withdrawal", "taxable_balance")):
        assert (res[take] <= res[bal] * (1 + 1e-9) + 1e-6).all(), take
    assert (res["shortfall"] >= 0).all()


def test_bracket_filling_never_overdraws_on_bad_markets():
    """The couple of couple-early-retirees.yaml spending $110,000: on bootstrap paths the
    bracket-filling strategy used to drive a pre-tax balance below zero, then to −1e167 and
    NaN.  A take is at most what is there; the rest is a shortfall."""
    hh = parse_household(_load("examples/plans/couple-early-retirees.yaml"))
    tl = build_timeline(hh, LAW)
    rets = _paths(hh, tl.T, 100)
    res = simulate(hh, tl, LAW, rets, _policy("fill", hh, None), 110_000.0)
    assert_sound(res, tl)
    assert res["shortfall"].sum(axis=1).max() > 0  # some paths do run short: counted as such


@pytest.mark.parametrize("factor", [0.01, 1e6])
def test_every_strategy_stays_sound_on_shipped_plans_at_any_size(factor):
    for path in PLANS:
        hh = parse_household(scaled(_load(path), factor))
        tl = build_timeline(hh, LAW)
        rets = _paths(hh, tl.T, 24)
        for key in ("order", "systematic", "fill"):
            res = simulate(hh, tl, LAW, rets, _policy(key, hh, None),
                           hh.spending.annual or 60_000 * factor)
            assert_sound(res, tl)


@st.composite
def households(draw):
    """Random households: one or two people, any mix of accounts over six orders of size."""
    money = st.one_of(st.just(0.0), st.floats(1e2, 5e7))
    people = []
    for _ in range(draw(st.integers(1, 2))):
        born = draw(st.integers(1945, 1975))
        people.append({
            "birth_date": f"{born}-06-15",
            "life_expectancy": draw(st.integers(max(70, 2027 - born), 100)),
            "social_security": {"monthly_at_full_age": draw(st.floats(0, 5000)),
                                "claim_age": draw(st.integers(62, 70))},
            "accounts": {"pretax": draw(money), "ira": draw(money), "roth": draw(money),
                         "roth_first_year": 2010}})
    return {"start_year": 2026, "people": people, "cash": draw(money),
            "taxable": {"balance": draw(money)},
            "spending": {"annual": draw(st.floats(1e3, 2e6))},
            "monte_carlo": {"model": draw(st.sampled_from(["bootstrap", "lognormal"])),
                            "seed": draw(st.integers(0, 100))}}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=households(), key=st.sampled_from(["order", "systematic", "fill", "schedule"]),
       convert=st.floats(0, 1e7))
def test_random_households_never_overdraw(case, key, convert):
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    rets = _paths(hh, tl.T, 16)
    if key == "schedule":  # a schedule asking for more than there is
        big = np.full((tl.pools, tl.T), convert)
        policy = Policy("schedule", conversions=big, pretax_withdrawals=big)
    else:
        policy = _policy(key, hh, None)
    res = simulate(hh, tl, LAW, rets, policy, hh.spending.annual)
    assert_sound(res, tl)


def _mirror_couple(first_to_die: int) -> dict:
    def person(life):
        return {"birth_date": "1960-03-01", "life_expectancy": life,
                "social_security": {"monthly_at_full_age": 2000, "claim_age": 67},
                "accounts": {"pretax": 800_000, "ira": 300_000, "roth": 50_000,
                             "roth_first_year": 2010}}

    people = [person(85), person(92)]
    if first_to_die == 1:
        people.reverse()
    return {"start_year": 2026, "people": people, "spending": {"annual": 80_000},
            "market": {"stocks": 0.05, "bonds": 0.05, "cash": 0.03, "inflation": 0.02},
            "strategy": {"objective": "max_estate", "medicare": False, "heirs_rate": 0.1}}


def test_estate_counts_the_survivors_rollover_whoever_dies_first():
    """Two spouses alike in everything: the plan cannot depend on which of them dies first.
    The estate used to sum the pre-tax money of the first two pools (as many as people),
    leaving out the survivor's IRA that receives the rollover (IRC §402(c)(9))."""
    sols = []
    for first in (0, 1):
        hh = parse_household(_mirror_couple(first))
        sols.append(optimise(hh, build_timeline(hh, LAW), LAW, spending_real=80_000))
    a, b = sols
    assert a.estate_real == pytest.approx(b.estate_real, rel=1e-6)
    assert a.conversions.sum() == pytest.approx(b.conversions.sum(), rel=1e-4, abs=1.0)

