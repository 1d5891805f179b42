"""Inherited Roth accounts in the drawdown plan: a beneficiary owes yearly minimums on an
inherited Roth IRA (the owner is treated as dying before the required beginning date, IRC
§408A(c)(5); Treas. Reg. §1.408A-6, Q&A-14) and on inherited designated Roth money (SECURE 2.0
§325 took away only the owner's own lifetime minimums, §402A(d)(5)).  The plan used to refuse
every inherited Roth account that was not a spouse's own ("the account holds money other than
Roth money"): its one-dollar test account was pre-tax money.

The case is the reviewer's p3.yaml: Dana, born 1955-02-10, inherits a $400,000 Roth IRA from an
owner born 1948-04-01 who died 2024-07-15.  Dana is not more than 10 years younger than the owner:
an eligible designated beneficiary (§401(a)(9)(E)(ii)(V)), who takes the minimums over her own
life expectancy from the year after the death (§401(a)(9)(B)(iii); Treas. Reg.
§1.401(a)(9)-5(d)(1)(ii)): the Single Life Table (Treas. Reg. §1.401(a)(9)-9(b)) at her age in
2025, 70: 18.8, less one for each later year — 17.8 in 2026, 16.8 in 2027 …"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import Policy, fixed_returns, make_plan
from dist401k.planner.simulate import Market, simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()

P3 = {
    "id": "heir-roth", "start_year": 2026,
    "people": [{"name": "Dana", "birth_date": "1955-02-10", "life_expectancy": 85,
                "accounts": {"pretax": 300000, "roth": 0}}],
    "inherited": [{"heir": 0, "balance": 400000, "beneficiary": {
        "deceased_birth_date": "1948-04-01", "date_of_death": "2024-07-15",
        "relationship": "individual", "account": "ira", "roth": True}}],
    "cash": 30000, "spending": {"annual": 60000},
    "strategy": {"objective": "max_spending", "medicare": False},
    "monte_carlo": {"paths": 50},
}


def _case(account: str = "ira", **ben) -> dict:
    raw = copy.deepcopy(P3)
    raw["inherited"][0]["beneficiary"].update(account=account, **ben)
    return raw


def _divisors(raw: dict, first: int, last: int) -> list[float]:
    tl = build_timeline(parse_household(raw), LAW)
    k, years = tl.pools - 1, list(tl.years)  # the inherited pool comes last
    return [float(tl.rmd_divisor[k, years.index(y)]) for y in range(first, last + 1)]


@pytest.mark.parametrize("account", ["ira", "plan"])
def test_an_inherited_roth_account_owes_the_heirs_yearly_minimums(account):
    """p3.yaml, as a Roth IRA and as a plan's designated Roth money: 18.8 at 70 in 2025, so
    17.8, 16.8, … 3.8 in 2026 – 2040 (the plan's last year, Dana at 85)."""
    assert _divisors(_case(account), 2026, 2040) == pytest.approx(
        [18.8 - n for n in range(1, 16)])


def test_the_first_years_minimum_is_the_balance_over_17_8_and_comes_out_tax_free():
    """2026: 400,000 ÷ 17.8 = 22,471.91 required (Dana's own pre-tax money owes none before
    73, in 2028).  With nothing but the inherited Roth IRA, what the heir draws is a qualified
    distribution (paid after the owner's death, §408A(d)(2)(A)(ii)): no income tax, and no 10%
    tax (§72(t)(2)(A)(ii))."""
    hh = parse_household(P3)
    tl = build_timeline(hh, LAW)
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), 60_000.0)
    assert res["rmd"][0, 0] == pytest.approx(400_000 / 17.8, abs=0.01)
    alone = copy.deepcopy(P3)
    alone["people"][0]["accounts"]["pretax"] = 0
    alone["cash"] = 0
    hh1 = parse_household(alone)
    tl1 = build_timeline(hh1, LAW)
    r1 = simulate(hh1, tl1, LAW, fixed_returns(hh1, LAW, tl1.T), Policy("order"), 20_000.0)
    assert r1["rmd"][0, 0] == pytest.approx(400_000 / 17.8, abs=0.01)
    assert r1["pretax_withdrawal"][0, 0] >= 400_000 / 17.8 - 0.01
    assert r1["income_tax"][0, 0] == pytest.approx(0.0, abs=0.01)
    assert r1["additional_tax_72t"].sum() == 0.0


def test_a_roth_heir_more_than_ten_years_younger_has_ten_years_and_no_yearly_minimum():
    """An heir born 1990 (a designated beneficiary, not an eligible one) of a Roth IRA whose
    owner died in 2024: the owner is treated as dying before the required beginning date, so the
    10-year rule with no yearly minimum (Treas. Reg. §1.401(a)(9)-3(c)(5)(i)(A)): nothing
    required in 2026 – 2033, the rest by the end of 2034 (divisor 1).  The same account pre-tax
    (owner born 1948-04-01: 70½ on 2018-10-01, required beginning date April 1, 2019, dead
    after it) owes yearly minimums over the heir's life expectancy: at 35 in 2025 the Single
    Life Table gives 50.5, so 49.5 in 2026."""
    raw = _case()
    raw["people"][0]["birth_date"] = "1990-06-01"
    raw["people"][0]["life_expectancy"] = 50  # to 2040
    got = _divisors(raw, 2026, 2034)
    assert got[:8] == [np.inf] * 8 and got[8] == 1.0
    raw["inherited"][0]["beneficiary"]["roth"] = False
    assert _divisors(raw, 2026, 2026) == pytest.approx([49.5])


def _alone(**strategy) -> dict:
    """p3.yaml with nothing but the inherited Roth IRA: no pre-tax money of Dana's own, no
    cash, no taxable account — any income on her return could only come from the Roth."""
    raw = copy.deepcopy(P3)
    raw["people"][0]["accounts"]["pretax"] = 0
    raw["cash"] = 0
    raw["strategy"].update(strategy)
    return raw


def test_an_inherited_roth_iras_payments_are_never_income_growth_included():
    """The reviewer's p3.yaml, Dana drawing $30,000 a year (start-year dollars) from the
    inherited Roth IRA alone, 2026 – 2040.  The owner's five-year period, which hers counts
    from (Treas. Reg. §1.408A-6, Q&A-7), is met: every payment to her, a beneficiary after
    the owner's death, is a qualified distribution (IRC §408A(d)(2)(A)(ii), (B)), and a
    qualified distribution is not includible in gross income (§408A(d)(1)) — the account's
    growth after the death no less than the balance at the start.  Her AGI and income tax are
    0 every year (the plan used to tax the growth: about $23,000 of AGI a year by 2038), and
    each year's minimum still comes out: the balance at the start of the year over the Single
    Life Table's 18.8 at 70 in 2025 less one a year (Treas. Reg. §1.401(a)(9)-9(b),
    -5(d)(1)(ii)) — 17.8 in 2026 … 3.8 in 2040."""
    hh = parse_household(_alone())
    tl = build_timeline(hh, LAW)
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), 30_000.0)
    divisor = 18.8 - np.arange(1, tl.T + 1)
    assert res["rmd"][0] == pytest.approx(res["pretax_balance"][0] / divisor, abs=0.01)
    assert np.all(res["pretax_withdrawal"][0] >= res["rmd"][0] - 0.01)
    assert res["pretax_withdrawal"][0, -1] > 30_000  # the growth comes out too
    assert res["agi"][0] == pytest.approx(np.zeros(tl.T), abs=0.01)
    assert res["income_tax"][0] == pytest.approx(np.zeros(tl.T), abs=0.01)


def test_the_heirs_of_an_inherited_roth_keep_all_that_is_left():
    """What is left of the inherited Roth IRA at the end of 2040 goes to Dana's heirs, also a
    qualified distribution (paid to a beneficiary after the owner's death, §408A(d)(2)(A)(ii);
    the five-year period still runs from the owner's first year, Treas. Reg. §1.408A-6,
    Q&A-7): none of it owes the heirs' tax.  Dana spending $25,000 a year, what the heirs
    keep at a 30% rate (``heirs_rate``) is what they keep at 0% — the balance left after 2040's
    payment, grown by 2040's return, and the taxable account the minimums beyond her spending
    went to — in the simulator, and in the optimiser's objective (the plan's estate,
    maximised)."""
    estates = []
    for rate in (0.3, 0.0):
        raw = _alone(objective="max_estate", heirs_rate=rate)
        raw["spending"]["annual"] = 25_000
        hh = parse_household(raw)
        tl = build_timeline(hh, LAW)
        rets = fixed_returns(hh, LAW, tl.T)
        res = simulate(hh, tl, LAW, rets, Policy("order"), 25_000.0)
        growth = 1 + Market.of(hh, rets).growth[0, -1]
        left = (res["pretax_balance"][0, -1] - res["pretax_withdrawal"][0, -1]) * growth
        assert left > 100_000
        plan = make_plan(hh, LAW, monte_carlo=False)
        estates.append((res.estate[0], plan.solution.estate_real, plan.strategies[-1].estate_real))
    assert estates[0] == pytest.approx(estates[1], rel=1e-6)
