"""Marketplace coverage before Medicare in the drawdown plan: who is covered which months
(Medicare from the month of the 65th birthday, 42 U.S.C. §426(a)), the household's premium
tax credit priced from each year's exact household income (IRC §36B), and a Roth conversion's
cost in lost credit."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.marketplace import coverage
from dist401k.planner.medicare import medicare_months_before
from dist401k.planner.plan import Policy, fixed_returns, make_plan, plan_json
from dist401k.planner.simulate import simulate
from dist401k.planner.timeline import build_timeline
from dist401k.tax.premium_tax_credit import premium_tax_credit

LAW = default_law()


def _hh(people, market=None, **over):
    base = {"id": "m", "start_year": 2026, "people": people,
            "market": market or {"stocks": 0.04, "bonds": 0.04, "cash": 0.04,
                                 "stock_share": 0.6, "inflation": 0.02},
            "strategy": {"medicare": False},
            "marketplace": {"benchmark_premium": 20_000}}
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(base.get(k), dict):
            base[k] = {**base[k], **v}
        else:
            base[k] = v
    return parse_household(base)


def _person(birth, **accounts):
    return {"birth_date": birth, "life_expectancy": 80, "accounts": accounts}


def test_medicare_month_ends_coverage():
    # 65 on 2030-03-20: Medicare from March 2030, two months covered that year.  Born on the
    # 1st of a month, a person attains 65 the day before: Medicare a month earlier (born
    # 1965-07-01 → June 2030, five months).  Born in January: none that year.
    births = [dt.date(1965, 3, 20), dt.date(1965, 7, 1), dt.date(1965, 1, 15)]
    m = medicare_months_before(LAW, births, np.array([2029, 2030, 2031]))
    assert m.tolist() == [[12, 2, 0], [12, 5, 0], [12, 0, 0]]


def test_coverage_shares_and_household_size():
    hh = _hh([_person("1968-05-10", ira=500_000), _person("1963-02-10", ira=100_000)],
             marketplace={"household_size": 3})
    tl = build_timeline(hh, LAW)
    cov = coverage(hh, LAW, tl.years, tl.alive)
    # The second person reaches Medicare in February 2028: one month that year, none after.
    assert cov.months[1, :3].tolist() == [12, 12, 1] and cov.months[1, 3:].sum() == 0
    assert cov.months[0, :7].tolist() == [12] * 7 and cov.months[0, 7] == 4
    assert cov.share.tolist() == [0.5, 0.5]
    assert cov.household_size[0] == 3


def test_no_one_to_cover_and_years_out_of_order_are_refused():
    with pytest.raises(InputError, match="marketplace.first_year"):
        _hh([_person("1955-01-10", ira=100_000)])
    with pytest.raises(InputError, match="marketplace.last_year"):
        _hh([_person("1968-01-10", ira=100_000)],
            marketplace={"first_year": 2028, "last_year": 2027})
    with pytest.raises(InputError, match="marketplace.benchmark_premium"):
        parse_household({"start_year": 2026, "people": [_person("1968-01-10")],
                         "marketplace": {"benchmark_premium": -1}})


def _run(hh, policy=None, spending=40_000.0):
    tl = build_timeline(hh, LAW)
    return simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), policy or Policy("order"),
                    spending), tl


def test_the_credit_is_priced_from_each_years_household_income():
    """Every covered year: household income is AGI plus the Social Security left out of it
    (§36B(d)(2)(B)), the credit is the rule's on that income with the benchmark grown by
    inflation, and the year's money pays the need, the tax and the premium less the credit."""
    hh = _hh([{**_person("1964-06-15", ira=600_000), "social_security": {
        "monthly_at_full_age": 1500, "claim_age": 62}}], cash=50_000)
    res, tl = _run(hh)
    price = 1.02 ** np.arange(tl.T)
    # 65 in June 2029: covered 2026–2028 and five months of 2029.
    covered = res["marketplace_premium"][0] > 0
    assert covered.tolist()[:5] == [True] * 4 + [False] and covered.sum() == 4
    ss = res["social_security"][0]
    assert ss[0] > 0
    income = res["household_income"][0]
    assert (income > res["agi"][0]).any() and np.all(income <= res["agi"][0] + ss + 0.01)
    rule = premium_tax_credit(LAW, tl.years[covered], income[covered], 1,
                              20_000 * price[covered], months=[12, 12, 12, 5])
    assert res["premium_tax_credit"][0, covered] == pytest.approx(rule.credit, abs=0.01)
    # The first year lives on cash: household income under the poverty line, no credit; then
    # the IRA pays and the credit comes.
    assert rule.reasons["PTC_BELOW_POVERTY_LINE"].tolist() == [True, False, False, False]
    assert (rule.credit[1:] > 0).all()
    inflow = (res["pretax_withdrawal"] + res["roth_withdrawal"] + res["taxable_withdrawal"]
              + res["cash_withdrawal"] + res["social_security"])[0]
    outflow = (res["income_tax"] + res["spending"] + res["deposit"] + res["marketplace_premium"]
               - res["premium_tax_credit"])[0]
    assert inflow == pytest.approx(outflow, abs=0.05)


def _converting(hh, amount):
    tl = build_timeline(hh, LAW)
    conv = np.zeros((tl.pools, tl.T))
    conv[0, 0] = amount
    return Policy("schedule", conversions=conv, pretax_withdrawals=np.zeros_like(conv))


@pytest.mark.parametrize(("start", "cliff"), [(2025, False), (2026, True)])
def test_a_roth_conversion_costs_credit_and_from_2026_all_of_it(start, cliff):
    """A single person of 60 living on cash: a $30,000 conversion lowers the year's credit by
    the rise in the required contribution; one that lifts income past 400% of the poverty line
    leaves no credit from 2026 (§36B(c)(1)(A)), while in 2025 the credit went on at 8.5% of
    income (§36B(c)(1)(E))."""
    hh = _hh([_person("1966-06-15", ira=900_000)], start_year=start, cash=400_000,
             taxable={"balance": 0})
    base, _ = _run(hh, _converting(hh, 0.0))
    some, _ = _run(hh, _converting(hh, 30_000.0))
    big, _ = _run(hh, _converting(hh, 90_000.0))
    assert base["household_income"][0, 0] < some["household_income"][0, 0]
    lost = base["premium_tax_credit"][0, 0] - some["premium_tax_credit"][0, 0]
    rule = premium_tax_credit(LAW, [start, start], [base["household_income"][0, 0],
                                                    some["household_income"][0, 0]], 1, 20_000)
    assert lost == pytest.approx(rule.contribution[1] - rule.contribution[0], abs=0.01)
    assert lost > 0
    share = premium_tax_credit(LAW, [start], big["household_income"][0, :1], 1, 20_000)
    assert share.income_share[0] > 4
    assert (big["premium_tax_credit"][0, 0] == 0) == cliff


def test_plan_shows_marketplace_only_where_the_case_has_it():
    from dist401k.plan_report import render_plan_html

    hh = _hh([_person("1966-06-15", ira=500_000)], cash=100_000)
    plan = make_plan(hh, LAW, monte_carlo=False)
    j = plan_json(plan)
    assert j["marketplace"]["benchmark_premium"] == 20_000
    opt = j["marketplace"]["strategies"]["optimal"]
    assert opt["premiums"] > 0 and 0 <= opt["premium_tax_credit"] <= opt["premiums"]
    assert j["table"][0]["marketplace_premium"] == pytest.approx(20_000)
    assert "Health coverage before Medicare" in render_plan_html(plan)
    plain = parse_household({k: v for k, v in hh.model_dump(mode="json").items()
                             if k != "marketplace"})
    none = plan_json(make_plan(plain, LAW, monte_carlo=False))
    assert "marketplace" not in none and "premium_tax_credit" not in none["table"][0]
    assert "poverty_line_share" not in none["table"][0]


def test_each_year_shows_income_as_a_share_of_the_poverty_line():
    """Form 8962 line 5: household income over the poverty line of the coverage year (the HHS
    2025 guideline for 2026: $15,650 for one), cut to a whole percent; none once on Medicare."""
    hh = _hh([_person("1963-06-15", ira=500_000)], cash=100_000)
    j = plan_json(make_plan(hh, LAW, monte_carlo=False))
    first = j["table"][0]
    assert first["year"] == 2026 and first["marketplace_premium"] > 0
    assert first["poverty_line_share"] == pytest.approx(
        np.floor(first["household_income"] / 15_650 * 100) / 100)
    assert first["poverty_line_share"] > 0
    # 65 in June 2028: covered five months that year, none after.
    assert j["table"][2]["poverty_line_share"] is not None
    assert all(r["poverty_line_share"] is None for r in j["table"][3:])


def test_random_lifetimes_price_the_marketplace_on_the_living_paths():
    # A couple of 58 and 56 on the marketplace, each path drawing both deaths: in the late
    # years some paths have no one left, and the premium is figured on the living paths only
    # (it once wrote the living paths' figures over every path's row and failed).
    people = [{**_person("1968-03-20", ira=400_000), "sex": "male", "life_expectancy": 90},
              {**_person("1970-09-02", ira=150_000), "sex": "female", "life_expectancy": 92}]
    hh = _hh(people, cash=60_000, spending={"annual": 50_000},
             monte_carlo={"paths": 300, "model": "bootstrap", "seed": 3, "lifetimes": "random"})
    j = plan_json(make_plan(hh, LAW))
    for s in j["strategies"]:
        mc = s["monte_carlo"]
        assert mc["lifetimes"] == "random" and 0 <= mc["success_rate"] <= 1
        assert mc["years"][-1] > j["years"][-1]  # past the plan's end: some paths are over
    fixed = _hh(people, cash=60_000, spending={"annual": 50_000})
    # The fixed-returns table (everyone alive to the plan's end) is the same plan's either way.
    assert [r["marketplace_premium"] for r in j["table"]] == pytest.approx(
        [r["marketplace_premium"] for r in plan_json(make_plan(fixed, LAW,
                                                                monte_carlo=False))["table"]])
    assert j["table"][0]["marketplace_premium"] > 0


def test_a_death_before_medicare_ends_that_persons_coverage_on_its_path():
    """Random lifetimes: a path covers the people alive on it.  A couple of 58 and 56, the
    benchmark split half and half; on path 1 the first dies in 2027 (covered all that year:
    a person lives all of the year of death), so from 2028 that path pays the survivor's half
    and its credit is the rule's for a tax family of one on the survivor's half of the
    benchmark (§36B(b)(2)(B), (d)(1)); path 0, where both live, pays the whole premium."""
    from dist401k.planner.plan import lifetime_timeline
    from dist401k.planner.survivors import path_lives

    people = [{**_person("1968-03-20", ira=400_000), "sex": "male", "life_expectancy": 90},
              {**_person("1970-09-02", ira=150_000), "sex": "female", "life_expectancy": 92}]
    hh = _hh(people, cash=60_000, spending={"annual": 50_000})
    tl = lifetime_timeline(hh, build_timeline(hh, LAW), LAW)
    death = np.array([[tl.T, tl.T], [1, tl.T]])
    lives = path_lives(hh, tl, LAW, death)
    rets = {k: np.repeat(v, 2, axis=0) for k, v in fixed_returns(hh, LAW, tl.T).items()}
    res = simulate(hh, tl, LAW, rets, Policy("order"), 50_000.0, lives=lives)
    prem, credit, income = (res[k] for k in ("marketplace_premium", "premium_tax_credit",
                                             "household_income"))
    price = 1.02 ** np.arange(tl.T)
    assert prem[:, :2] == pytest.approx(np.array([20_000 * price[:2]] * 2))
    assert prem[0, 2] == pytest.approx(20_000 * price[2])
    assert prem[1, 2] == pytest.approx(10_000 * price[2])
    rule = premium_tax_credit(LAW, 2028, income[1, 2], 1, 10_000 * price[2])
    assert credit[1, 2] == pytest.approx(rule.credit[0], abs=0.01)
