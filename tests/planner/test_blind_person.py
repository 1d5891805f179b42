"""A blind person in the planner (IRC §63(f)(2)): each year's return has the additional
standard deduction of every blind person on it — both of a couple on the joint return, the
survivor alone after a death — in the year's tax (the simulator's return) and in the LP's
standard deduction.

Worked by hand for 2026 (Rev. Proc. 2025-32: single standard deduction $16,100, additional
amount $2,050 unmarried / $1,650 married; 10% to $12,400, 12% to $50,400; the senior deduction
$6,000, P.L. 119-21, phase-out from MAGI $75,000): Robin, 65 in 2026, single, $60,000 of
taxable distributions and nothing else.  Not blind: 60,000 − 16,100 − 2,050 − 6,000 = 35,850,
tax 1,240 + 12% × 23,450 = $4,054.00.  Blind: 2,050 more deducted, 33,800, tax 1,240 + 12% ×
21,400 = $3,808.00 — lower by 12% × 2,050 = $246.00.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner import lp
from dist401k.planner.household import parse_household
from dist401k.planner.simulate import ReturnIncome, blind_on_return, household_return
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax

LAW = default_law()

SINGLE = {
    "start_year": 2026,
    "people": [{"name": "Robin", "birth_date": "1961-03-01", "life_expectancy": 90,
                "accounts": {"ira": 800000}}],
    "spending": {"annual": 50000},
}


def _household(blind: list[bool], people: list[dict] | None = None):
    data = copy.deepcopy(SINGLE)
    if people is not None:
        data["people"] = people
    for p, b in zip(data["people"], blind, strict=True):
        p["blind"] = b
    return parse_household(data)


def _first_year_tax(blind: bool) -> float:
    hh = _household([blind])
    tl = build_timeline(hh, LAW)
    units = household_return(tl.years[:1], tl.filing_status[:1].astype(np.int8),
                             tl.age_head[:1], tl.age_spouse[:1],
                             ReturnIncome(distributions=60000.0),
                             blind_on_return(hh, tl.alive[:, :1]))
    return float(federal_tax(units, LAW)["income_tax"][0])


@pytest.mark.parametrize("blind, tax", [(False, 4054.0), (True, 3808.0)])
def test_a_blind_single_retirees_year_in_the_12_percent_bracket(blind, tax):
    assert _first_year_tax(blind) == pytest.approx(tax, abs=0.005)


def test_the_lp_standard_deduction_has_the_additional_amount():
    """2026: 16,100 + 2,050 (65) + 2,050 (blind) = 20,200 for the blind retiree."""
    std = {b: lp._year_facts(_household([b]), build_timeline(_household([b]), LAW), LAW,
                             0.0)["std"][0] for b in (False, True)}
    assert (std[False], std[True]) == (18150.0, 20200.0)


def test_a_couple_then_the_survivor():
    """Both 65 in 2026: the blind one, person 1, counts on the joint return (the married
    amount, $1,650 in 2026) and, once person 0 has died (the end of 2031, at 70), on the
    survivor's own single return (the unmarried amount: $2,050 in 2026, indexed after)."""
    people = [{"name": "A", "birth_date": "1961-03-01", "life_expectancy": 70,
               "accounts": {"ira": 400000}},
              {"name": "B", "birth_date": "1961-03-01", "life_expectancy": 90,
               "accounts": {"ira": 400000}}]
    counts = {}
    for blind in ([False, False], [False, True]):
        hh = _household(blind, people)
        tl = build_timeline(hh, LAW)
        counts[tuple(blind)] = blind_on_return(hh, tl.alive)
        std = lp._year_facts(hh, tl, LAW, 0.0)["std"]
        counts[("std",) + tuple(blind)] = std
    assert counts[(False, True)][0] == 1 and counts[(False, True)][-1] == 1
    assert counts[(False, False)].sum() == 0
    diff = counts[("std", False, True)] - counts[("std", False, False)]
    assert diff[0] == 1650.0  # the joint return of 2026: the married amount
    # after the death the survivor alone: the unmarried amount of the year (2,050 in 2026,
    # indexed later: at least that)
    assert diff[-1] >= 2050.0



def test_random_lifetimes_take_each_paths_own_blind_count_where_some_paths_end():
    """Random lifetimes: a path whose people have died is set apart in a year whose costs
    (here the marketplace premium before Medicare) settle on the living paths alone
    (simulate.settle_living); the count of blind people on each path's return goes with its
    path.  A man of 62 buying marketplace coverage, random lifetimes: the plan answers — it
    raised a broadcast error before, blind or not — and blindness lowers no strategy's success
    (a larger standard deduction, §63(f)(2), the same spending)."""
    case = {"start_year": 2026, "people": [{"birth_date": "1964-03-01", "sex": "male",
                                            "accounts": {"pretax": 400000, "roth": 50000,
                                                         "roth_first_year": 2005}}],
            "spending": {"annual": 40000.0}, "marketplace": {"benchmark_premium": 9000.0},
            "monte_carlo": {"paths": 300, "seed": 3, "model": "bootstrap", "lifetimes": "random"}}
    from dist401k.planner.household import Household
    from dist401k.planner.plan import make_plan

    sighted = make_plan(Household.model_validate(case))
    case["people"][0]["blind"] = True
    blind = make_plan(Household.model_validate(case))
    for a, b in zip(sighted.strategies, blind.strategies, strict=True):
        assert 0 <= a.monte_carlo["success_rate"] <= b.monte_carlo["success_rate"] <= 1
