"""The taxable account at the first death of a couple (IRC §1014): held jointly, the decedent's
half takes its value at death as basis (§2040(b)(1), §1014(b)(9)); as community property both
halves do (§1014(b)(6)); and the decedent's half of the capital loss carried over lapses
(IRS Pub. 559).  Before, the survivor sold at the couple's old basis."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.basis_at_death import basis_after_death, gain_share_removed
from dist401k.planner.household import parse_household
from dist401k.planner.plan import fixed_returns
from dist401k.planner.simulate import Balances, Policy, simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()
DEATH = 2031


def _couple(**taxable) -> dict:
    """A couple living on a taxable account worth three times its basis: the second person
    dies at the end of 2031."""
    return {"id": "heirs", "start_year": 2027,
            "people": [{"birth_date": "1957-05-01", "life_expectancy": 95},
                       {"birth_date": "1957-09-01", "life_expectancy": DEATH - 1957}],
            "taxable": {"balance": 4_500_000, "basis": 1_500_000, **taxable},
            "spending": {"annual": 200_000, "survivor_fraction": 0.7}}


def test_the_share_of_the_gain_a_first_death_removes():
    years = np.arange(2027, 2035)
    single = parse_household({**_couple(), "people": _couple()["people"][:1]})
    assert not gain_share_removed(single, LAW, years).any()
    assert np.all(gain_share_removed(parse_household(_couple()), LAW, years) == 0.5)
    # Community property: by the case, or by the state of residence that year (a move from
    # New York to Texas in 2030; the case may say otherwise).
    assert np.all(gain_share_removed(parse_household(_couple(community_property=True)),
                                     LAW, years) == 1.0)
    moving = _couple() | {"state": "NY", "move": {"year": 2030, "state": "TX"}}
    assert gain_share_removed(parse_household(moving), LAW, years).tolist() == [
        0.5, 0.5, 0.5, 1, 1, 1, 1, 1]
    said = moving | {"taxable": moving["taxable"] | {"community_property": False}}
    assert np.all(gain_share_removed(parse_household(said), LAW, years) == 0.5)


def test_basis_after_death_steps_up_and_down():
    assert basis_after_death(np.array([300.0, 50.0]), np.array([100.0, 100.0]), 0.5).tolist() \
        == [200.0, 75.0]


def test_the_decedents_half_of_a_carried_loss_lapses_on_the_paths_of_the_death():
    hh = parse_household(_couple())
    tl = build_timeline(hh, LAW)
    bal = Balances.opening(hh, tl, 3)
    bal.loss_carried = np.array([8_000.0, 8_000.0, 0.0])
    bal.taxable_basis = np.array([1_500_000.0, 6_000_000.0, 1_500_000.0])
    bal.at_first_death(tl, np.array([True, False, True]), DEATH - 2027)
    assert bal.loss_carried.tolist() == [4_000.0, 8_000.0, 0.0]
    assert bal.taxable_basis.tolist() == [3_000_000.0, 6_000_000.0, 3_000_000.0]


@pytest.mark.parametrize("community", [False, True])
def test_the_survivor_sells_at_the_basis_the_death_gave(community):
    """Before the death every year is the same whatever the basis rule; in the year after it
    the share of each sale that is gain is the old share times what the death left of it:
    a half held jointly, none as community property."""
    hh = parse_household(_couple(community_property=community))
    tl = build_timeline(hh, LAW)
    rets = fixed_returns(hh, LAW, tl.T)
    kept = replace(tl, taxable_step_up=np.zeros(tl.T))
    res = simulate(hh, tl, LAW, rets, Policy("order"), 200_000.0)
    old = simulate(hh, kept, LAW, rets, Policy("order"), 200_000.0)
    d = DEATH - 2027
    np.testing.assert_array_equal(res["realized_gains"][:, :d + 1],
                                  old["realized_gains"][:, :d + 1])
    share = res["realized_gains"][0, d + 1] / res["taxable_withdrawal"][0, d + 1]
    share_old = old["realized_gains"][0, d + 1] / old["taxable_withdrawal"][0, d + 1]
    assert share_old > 0.5
    assert share == pytest.approx((0.0 if community else 0.5) * share_old, abs=1e-12)
    # The survivor's lifetime tax is lower.
    assert res["income_tax"][0].sum() < old["income_tax"][0].sum()
