"""Social Security claiming age as a decision of the drawdown plan, against SSA's published
figures: "Benefit reduction for early retirement" (ssa.gov/benefits/retirement/planner/
agereduction.html: FRA 67 — 70% at 62, 75% at 63, 80% at 64, 86.7% at 65, 93.3% at 66) and
"Delayed retirement credits" (ssa.gov/benefits/retirement/planner/delayret.html: 8% a year
for those born 1943 or later — 124% at 70 for FRA 67, 132% for FRA 66)."""

from __future__ import annotations

import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.claiming import claim_months, with_claim_ages
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.timeline import build_timeline

LAW = default_law()
PIA = 2_000


def _hh(people, **over):
    base = {"id": "c", "start_year": 2026, "people": people,
            "market": {"stocks": 0.05, "bonds": 0.03, "cash": 0.03, "inflation": 0.02},
            "strategy": {"medicare": False, "search_claiming": True}}
    base.update(over)
    return parse_household(base)


def _person(birth, life, pia=PIA, **accounts):
    return {"birth_date": birth, "life_expectancy": life,
            "social_security": {"monthly_at_full_age": pia},
            "accounts": accounts or {"ira": 600_000}}


@pytest.mark.parametrize("birth, age, share", [
    # SSA's 70% at 62 is 60 months early: one born on a month's 2nd attains 62 on its 1st and is
    # 62 throughout that month (20 CFR 404.102; 42 U.S.C. §402(a)(B)).  Born on the 15th, the
    # first such month is the next: 59 months early, 5/9% × 36 + 5/12% × 23 = 29 7/12% less.
    ("1964-01-02", 62, 0.70), ("1964-01-15", 62, 0.704167),
    ("1964-01-15", 63, 0.75), ("1964-01-15", 64, 0.80),
    ("1964-01-15", 65, 0.8667), ("1964-01-15", 66, 0.9333), ("1964-01-15", 67, 1.0),
    ("1964-01-15", 70, 1.24), ("1954-01-15", 70, 1.32)])
def test_a_candidate_claim_pays_ssas_share_of_the_pia(birth, age, share):
    """A whole year of benefit at a candidate age is 12 × PIA × SSA's percentage (in the
    year after the claim, start-year dollars)."""
    hh = with_claim_ages(_hh([_person(birth, 90)], start_year=2024), (float(age),))
    tl = build_timeline(hh, LAW)
    year = int(birth[:4]) + age + 1
    got = tl.social_security[0, year - 2024]
    assert got == pytest.approx(12 * PIA * share, abs=12 * PIA * 0.0005)


def test_candidates_run_from_62_or_the_age_at_the_start_to_70():
    hh = _hh([_person("1964-03-01", 90), _person("1958-05-01", 90),
              _person("1952-01-01", 90)][:2])
    m = claim_months(hh, LAW)
    assert m[0][0] == 62 * 12 and m[0][-1] == 70 * 12
    # Born May 1, 1958: each age is attained the day before the birthday, on the last day of
    # the month before (20 CFR 404.102) — 67 and 9 months on January 31, 2026; a claim at 67
    # and 8 months would start in December 2025, in the past.
    assert m[1][0] == 67 * 12 + 9 and m[1][-1] == 70 * 12
    # Past 70 with a benefit, and a spouse with none of their own: the spouse still chooses
    # when to file for the spouse's benefit on the other's record, up to full retirement age.
    old = claim_months(_hh([_person("1952-01-01", 90), _person("1964-03-01", 90, pia=0)]), LAW)
    assert old[0] is None and (old[1][0], old[1][-1]) == (62 * 12, 67 * 12)
    alone = _hh([_person("1964-03-01", 90, pia=0)])
    assert claim_months(alone, LAW) == [None]


def test_short_life_claims_at_62_long_life_at_70():
    """A benefit that ends at 72 is worth most taken at the first month; one that runs to 100
    is worth most with every month of delayed credit (the break-even is near 80)."""
    short = make_plan(_hh([_person("1964-01-15", 72)]), LAW, monte_carlo=False)
    assert short.claiming.best == (62.0,)
    long = make_plan(_hh([_person("1964-01-15", 100)]), LAW, monte_carlo=False)
    assert long.claiming.best == (70.0,)
    j = plan_json(long)
    rows = {r["choice"]: r for r in j["claiming"]["compared"]}
    assert rows["full_retirement_age"]["claim_ages"] == [67.0]
    assert rows["last_age"]["claim_ages"] == [70.0]
    assert rows["best"]["spending_real"] > rows["full_retirement_age"]["spending_real"]
    from dist401k.plan_report import render_plan_html

    html = render_plan_html(long)
    assert "When to claim Social Security" in html and "70 y 0 m" in html
    # The plan is made with the ages found.
    assert long.household.people[0].social_security.claim_age == 70.0


def test_couple_survivor_keeps_the_larger_benefit_so_the_larger_earner_waits():
    """The larger benefit, claimed late, is paid on to a long-lived survivor (42 U.S.C.
    §402(e)): the larger earner, who dies at 80, still claims at 70."""
    hh = _hh([_person("1964-01-15", 80, pia=3_500), _person("1964-06-15", 97, pia=600)])
    plan = make_plan(hh, LAW, monte_carlo=False)
    assert plan.claiming.best[0] == 70.0
    assert len(plan_json(plan)["claiming"]["compared"]) == 3


def test_no_search_no_claiming_in_the_json():
    hh = _hh([_person("1964-01-15", 75)], strategy={"medicare": False})
    assert "claiming" not in plan_json(make_plan(hh, LAW, monte_carlo=False))


def test_bad_switch_names_the_field():
    with pytest.raises(InputError) as exc:
        _hh([_person("1964-01-15", 75)], strategy={"search_claiming": "maybe"})
    assert "strategy.search_claiming" in str(exc.value)


def test_a_claim_that_cannot_leave_the_bequest_is_shown_without_a_plan():
    """Benefits that end at 72 leave far less when claimed at 70 than at 62: with a bequest
    only an early claim can leave, the later choices show no plan and the search still
    answers (rather than failing the whole case)."""
    hh = _hh([_person("1964-01-15", 72, pia=3_000, ira=100_000)],
             spending={"annual": 0, "bequest": 330_000})
    plan = make_plan(hh, LAW, monte_carlo=False)
    rows = {r["choice"]: r for r in plan_json(plan)["claiming"]["compared"]}
    assert plan.claiming.best == (62.0,) and rows["best"]["plan"]
    assert rows["last_age"]["plan"] is False and "spending_real" not in rows["last_age"]
    assert rows["full_retirement_age"]["plan"] is True  # 67 still leaves it
