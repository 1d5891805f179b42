"""The plan's HTML report says where the plan ends in the terminal's words (docs/plan.md,
``horizon.survival``): the year after which anyone of the household (a couple: either of them)
is still alive with probability ``1 − survival`` or less — 0.9: 10%, 0.75: 25% (worked by
hand) —, not "the household is outlived with probability 90%"; with no horizon, each person's
own ``life_expectancy``.  What the words claim is checked on the report's own longevity table:
alive on January 1 after the last year with at most that probability, more the year before."""

from __future__ import annotations

import html
import re
from datetime import date
from functools import cache

import pytest

from dist401k.plan_report import render_plan_html
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json

ANN = {"name": "Ann", "birth_date": "1956-07-04", "sex": "female",
       "accounts": {"pretax": 300_000, "roth": 20_000},
       "social_security": {"claim_age": 70, "monthly_at_full_age": 2000}}
BOB = {"name": "Bob", "birth_date": "1958-02-10", "sex": "male",
       "accounts": {"pretax": 200_000}, "social_security": {"monthly_at_full_age": 1800}}


@cache
def _plan(couple: bool, survival: float | None):
    people = [ANN, BOB] if couple else [ANN]
    if survival is None:
        people = [dict(p, life_expectancy=90) for p in people]
    case = {"id": "alive", "start_year": 2026, "people": people, "spending": {"annual": 40_000},
            "taxable": {"balance": 50_000, "basis": 40_000}}
    if survival is not None:
        case["horizon"] = {"survival": survival}
    plan = make_plan(parse_household(case), monte_carlo=False)
    page = html.unescape(re.sub(r"\s+", " ", render_plan_html(plan, prepared=date(2026, 2, 3))))
    return page, plan_json(plan)


@pytest.mark.parametrize(("couple", "survival", "words"), [
    (False, 0.9, "the year after which Ann is still alive with probability 10% or less"),
    (True, 0.9, "the year after which either of them is still alive with probability 10% or less"),
    (True, 0.75, "the year after which either of them is still alive with probability 25% or less"),
])
def test_the_report_says_the_horizon_as_the_terminal_does(couple, survival, words):
    page, j = _plan(couple, survival)
    end = j["years"][1]
    names = ["Ann", "Bob"] if couple else ["Ann"]
    # each person's last year in the year table (as the terminal prints it: "—" after) and age
    last = [max((r["year"], r["ages"][i]) for r in j["table"] if r["ages"][i] is not None)
            for i in range(len(names))]
    said = ", ".join(f"{n}'s years end at {a} in {y}" if i == 0 else f"{n}'s at {a} in {y}"
                     for i, (n, (y, a)) in enumerate(zip(names, last, strict=True)))
    assert f"The plan ends in {end}, {words} ({said})." in page
    assert "outlived with probability" not in page
    lv = j["longevity"]
    alive = lv["either_alive"] if couple else lv["alive"][0]
    share = round(1 - survival, 6)
    k = lv["years"].index(end)
    assert alive[k + 1] <= share < alive[k]


def test_a_couple_s_ages_are_each_one_s_own_last_year():
    """The report said "(ages 100/95)" after "The plan ends in 2056", but Bob's years end in
    2053: of a couple the one likelier to live longer reaches the plan's end, the other only
    their own 90th-percentile year (docs/plan.md, "A survival horizon").  By hand, from the
    report's own table of SSA's probabilities: Bob (born 1958) is alive on January 1, 2054
    with probability 9.99% (10% or less) and on January 1, 2053 with 12.71% (more), so his last
    year is 2053, at 2053 − 1958 = 95; Ann (born 1956) reaches the plan's end, 2056, at
    2056 − 1956 = 100.  The year table shows the same: Bob's age "—" from 2054."""
    page, j = _plan(True, 0.9)
    assert ("The plan ends in 2056, the year after which either of them is still alive with "
            "probability 10% or less (Ann's years end at 100 in 2056, Bob's at 95 in 2053).") in page
    lv = j["longevity"]
    k = lv["years"].index(2054)
    assert lv["alive"][1][k] <= 0.1 < lv["alive"][1][k - 1]
    assert [r["ages"] for r in j["table"] if r["year"] in (2053, 2054)] == [[97, 95], [98, None]]


def test_without_a_horizon_each_persons_life_expectancy_ends_it():
    page, j = _plan(False, None)
    assert f"The plan ends in {j['years'][1]} (each person's life_expectancy)." in page
