"""Roth money before a qualified distribution (IRC §408A(d)): the owner's own age decides
(§408A(d)(2)(A)(i), not a spouse's), the contributions come out first and then the conversions
(§408A(d)(4)(B)), and a conversion paid within its five taxable years owes the 10% tax
(§408A(d)(3)(F)) — so the plan reaches a conversion only from the fifth year after it (the
"conversion ladder").  And IRMAA by the months of Medicare coverage in the year a person
turns 65 (42 CFR §407.25; 20 CFR §404.102)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner import plan as plan_module
from dist401k.planner import simulate as sim
from dist401k.planner.household import parse_household
from dist401k.planner.irmaa_appeal import irmaa_by_year
from dist401k.planner.plan import exact_figures, make_plan, plan_json, year_table
from dist401k.planner.timeline import build_timeline

LAW = default_law()
FLAT = {"stocks": 0.05, "bonds": 0.05, "cash": 0.05, "stock_share": 0.6, "inflation": 0.0}


def _case(people, spending=60_000, **extra) -> dict:
    return {"id": "roth-owners", "start_year": 2026, "people": people,
            "spending": {"annual": spending}, "market": FLAT,
            "strategy": {"objective": "max_estate", "heirs_rate": 0.0}, **extra}


#: 66 with no money of his own; his wife, 48, holds an IRA of $1.5 million.
OLDER = {"birth_date": "1960-03-01", "life_expectancy": 90}
YOUNGER = {"birth_date": "1978-03-01", "life_expectancy": 90, "accounts": {"ira": 1_500_000}}


def _table(case: dict) -> list[dict]:
    return plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"]


def test_the_owner_s_age_qualifies_the_roth_not_the_spouse_s():
    """The Roth money can only be hers (converted from her IRA): it is qualified from the year
    she is 59½ (September 2037), not from her husband's 59½ — before the fix the plan took
    $60,000 a year of fresh conversions out of the Roth from 2027, free of the 10% tax."""
    tl = build_timeline(parse_household(_case([OLDER, YOUNGER])), LAW)
    assert tl.years[tl.roth_free][0] == 2037
    assert tl.years[tl.roth_own_free[1]][0] == 2037 and tl.roth_start.tolist() == [0, 0]
    # Her husband alone, with a Roth of his own: his age decides.
    alone = dict(OLDER, accounts={"roth": 100_000, "roth_first_year": 2010})
    tl = build_timeline(parse_household(_case([alone, {"birth_date": "1978-03-01",
                                                       "life_expectancy": 90}])), LAW)
    assert tl.roth_free.all()


def _ladder_holds(table: list[dict], free_from: int, contributions: float = 0.0,
                  lag: int = 5) -> None:
    """Before ``free_from`` the Roth money taken since the start is at most the contributions
    and the conversions of ``lag`` years before or earlier (five; one past 59½)."""
    taken = seasoned = 0.0
    conv = {r["year"]: r["conversion"] for r in table}
    for r in table:
        if r["year"] >= free_from:
            break
        seasoned = sum(c for y, c in conv.items() if y <= r["year"] - lag)
        taken += r["roth_withdrawal"]
        assert taken <= contributions + seasoned + 0.01, (r["year"], taken, seasoned)


def test_a_couple_s_conversions_come_out_after_five_years_and_not_before():
    table = _table(_case([OLDER, YOUNGER]))
    _ladder_holds(table, 2037)
    by_year = {r["year"]: r for r in table}
    # The first conversions (2026) come out from 2031 on, with no 10% tax on them.
    assert sum(by_year[y]["roth_withdrawal"] for y in range(2026, 2031)) == 0
    assert sum(by_year[y]["roth_withdrawal"] for y in range(2031, 2037)) > 100_000
    assert all(by_year[y]["additional_tax_72t"] < 100 for y in range(2032, 2037))


def test_one_person_s_conversion_ladder(monkeypatch):
    """At 48 alone, an IRA and no Roth: before the fix nothing could come out of the Roth
    before 59½ (its basis was the contributions alone), so every year to 59½ paid the 10% tax
    on what it took from the IRA.  Now the conversions of 2026–2031 come out in 2031–2036,
    each in the fifth year after its own, and the plan leaves more than one that cannot
    reach them."""
    case = _case([YOUNGER], spending=50_000)
    table = _table(case)
    _ladder_holds(table, 2037)
    by_year = {r["year"]: r for r in table}
    assert by_year[2026]["conversion"] > 0
    for y in range(2031, 2037):
        assert by_year[y]["roth_withdrawal"] == pytest.approx(by_year[y - 5]["conversion"],
                                                             abs=1.0)
    ladder = exact_figures(parse_household(case), LAW)["estate_real"]

    def unreachable(*args, **kw):
        tl = build_timeline(*args, **kw)
        tl.conversion_seasoning = 100
        return tl
    monkeypatch.setattr(plan_module, "build_timeline", unreachable)
    without = exact_figures(parse_household(case), LAW)["estate_real"]
    assert ladder > without + 1_000, (ladder, without)


def test_the_simulator_reaches_a_conversion_after_five_closes():
    """A conversion of year 0 is Roth basis a take may reach from year 5 (§408A(d)(3)(F): the
    five taxable years beginning with the conversion's): after the fifth year's close; the
    money put in counts it from year 1 (for an owner whose Roth money is qualified)."""
    one, none = np.ones(1), np.zeros(1)
    bal = sim.Balances(pre=np.array([[100_000.0]]), pre_basis=np.array([[0.0]]),
                       roth=10_000 * one, taxable=none.copy(), taxable_basis=none.copy(),
                       cash=none.copy(), loss_carried=none.copy(),
                       roth_in=np.full((1, 1), 10_000.0), roth_basis=np.full((1, 1), 1_000.0),
                       roth_out=none.copy(), ripening=np.zeros((4, 1, 1)),
                       conv_owner=np.ones((1, 1)))
    take = SimpleNamespace(qcd=np.zeros((1, 1)))
    paid = SimpleNamespace(pre_out=np.zeros((1, 1)), roth_w=none, taxable_w=none,
                           deposit=none, cash_w=none)
    basis, put_in = [], []
    for year in range(7):
        d = SimpleNamespace(conv=np.array([[5_000.0 if year == 0 else 0.0]]))
        sim.close_year(bal, take, d, paid, none)
        basis.append(float(bal.roth_basis[0, 0]))
        put_in.append(float(bal.roth_in[0, 0]))
    assert basis == [1_000.0] * 4 + [6_000.0] * 3
    assert put_in == [15_000.0] * 7
    assert bal.roth[0] == 15_000.0


def _single(birth: str) -> dict:
    return {"id": "medicare-months", "start_year": 2026,
            "people": [{"birth_date": birth, "life_expectancy": 70,
                        "accounts": {"ira": 1_000_000}}],
            "spending": {"annual": 40_000}, "magi_history": [300_000, 300_000],
            "market": FLAT, "strategy": {"medicare": True}}


@pytest.mark.parametrize(("birth", "months"), [
    ("1961-12-15", 1),   # 65 in December 2026: Part B from December 1
    ("1961-12-01", 2),   # 65 on November 30 (the day before the birthday): from November
    ("1961-01-20", 12),  # 65 in January: the whole year
    ("1962-01-01", 1),   # 65 on December 31, 2026: from December 1, 2026
    ("1962-01-02", 0),   # 65 in 2027
])
def test_irmaa_is_owed_for_the_months_of_medicare(birth, months):
    """CMS 2026, tier 4 (MAGI of $300,000 two years before, single): Part B $446.30 and Part D
    $83.30 a month above the standard premiums — for the months on Medicare only."""
    hh = parse_household(_single(birth))
    tl = build_timeline(hh, LAW)
    assert tl.on_medicare[0] == pytest.approx(months / 12)
    ones = np.ones(tl.T)
    charged, _, _ = irmaa_by_year(LAW, hh, tl, np.full(tl.T, 50_000.0), ones, ones)
    assert charged[0] == pytest.approx(months * (446.30 + 83.30))


def _worker(**person) -> dict:
    return {"id": "still-working", "start_year": 2026,
            "people": [{"birth_date": "1952-03-01", "life_expectancy": 85, "retirement_age": 78,
                        "wages": 150_000, "accounts": {"pretax": 1_000_000, "ira": 200_000},
                        **person}],
            "spending": {"annual": 80_000}, "market": FLAT,
            "strategy": {"objective": "max_estate", "heirs_rate": 0.0}}


def test_the_plan_account_waits_for_retirement_the_ira_does_not():
    """Born March 1952 (73 in 2025), working to 78 (March 2030): the plan account owes its first
    RMD for 2030, the year of retirement (§401(a)(9)(C)(i)(II)); the IRA owes one every year
    from the applicable age (§408(a)(6)); a 5% owner's plan account too (§401(a)(9)(C)(ii)(I))."""
    tl = build_timeline(parse_household(_worker()), LAW)
    plan, ira = (tl.pool_owner == 0) & tl.pool_plan, (tl.pool_owner == 0) & ~tl.pool_plan
    years = tl.years
    assert years[tl.rmd_required[plan][0]][0] == 2030
    assert tl.rmd_required[ira][0][years < 2030].all()
    assert np.isinf(tl.rmd_divisor[plan][0][years < 2030]).all()
    owner = build_timeline(parse_household(_worker(five_percent_owner=True)), LAW)
    assert owner.rmd_required[plan][0].all()
    # A governmental plan's 5% owner waits for retirement too (§401(a)(9)(C)(iv)).
    gov = _worker(five_percent_owner=True)
    gov["people"][0]["accounts"]["governmental_457b"] = True
    gov_tl = build_timeline(parse_household(gov), LAW)
    assert years[gov_tl.rmd_required[plan][0]][0] == 2030
    table = _table(_worker())
    # What the RMDs take in 2026: the IRA's alone, $200,000 ÷ 25.5 (Uniform Lifetime, at 74).
    assert table[0]["rmd"] == pytest.approx(200_000 / 25.5, rel=1e-6)


def test_a_qualified_owner_s_roth_money_comes_out_while_the_spouse_is_young():
    """He is 66 with a Roth of $200,000 ($50,000 of it contributions, since 2010): his own
    distributions are qualified (§408A(d)(2)(A)(i)); she is 50, with an IRA whose withdrawals
    owe the 10% tax.  While she is under 59½ the plan may take all of his $200,000 — not only
    the contributions, as when the household's Roth money waited for her — and takes it before
    paying the 10% tax on hers."""
    case = _case([{"birth_date": "1960-03-01", "life_expectancy": 90,
                   "accounts": {"roth": 200_000, "roth_contributions": 50_000,
                                "roth_first_year": 2010}},
                  {"birth_date": "1976-03-01", "life_expectancy": 90,
                   "accounts": {"ira": 500_000}}], spending=35_000)
    tl = build_timeline(parse_household(case), LAW)
    assert tl.roth_start.tolist() == [200_000, 0] and tl.roth_start_basis.tolist() == [50_000, 0]
    assert tl.roth_own_free[0].all() and not tl.roth_free[:9].any() and tl.roth_free[9]
    table = _table(case)
    gap = [r for r in table if r["year"] < 2035]
    taken = sum(r["roth_withdrawal"] for r in gap)
    assert taken > 150_000
    # (waiting for her, the plan took $109,000 and paid $22,600 of 10% tax on her IRA)
    assert sum(r["additional_tax_72t"] for r in table) == 0
    # No more than his money put in and her seasoned conversions.
    _ladder_holds(table, 2035, contributions=200_000 + sum(
        r["conversion"] for r in table if r["year"] < 2034))


def test_the_systematic_strategy_takes_no_roth_earnings_before_59_and_a_half():
    """At 49 with a Roth of $600,000 of which $50,000 is contributions: the systematic
    strategy's share of the Roth comes out only up to the contributions until 59½ (§408A(d)(4):
    earnings are taxable and owe the 10% tax) — before, it took some $180,000 of earnings by
    58 with no tax on them."""
    case = {"id": "systematic-roth", "start_year": 2026,
            "people": [{"birth_date": "1976-06-15", "life_expectancy": 85,
                        "accounts": {"pretax": 200_000, "roth": 600_000,
                                     "roth_contributions": 50_000, "roth_first_year": 2010}}],
            "taxable": {"balance": 100_000, "basis": 100_000},
            "spending": {"annual": 40_000}, "strategy": {"objective": "max_spending"}}
    plan = make_plan(parse_household(case), LAW, monte_carlo=False)
    rows = year_table(plan, "systematic")
    early = sum(r["roth_withdrawal"] for r in rows if r["year"] < 2035)
    assert early == pytest.approx(50_000, abs=0.01)
    assert sum(r["roth_withdrawal"] for r in rows if r["year"] >= 2035) > 0


def test_a_first_roth_starts_its_five_years_in_the_plan_s_first_year():
    """At 60 with no Roth money and no first Roth year: the five-year clock starts with the
    first conversion (Treas. Reg. §1.408A-6, Q&A-2), taken as made in the plan's first year —
    so earnings are qualified from 2031, not at once (before, the plan took converted money's
    earnings out tax-free in 2031 after a first conversion of 2027: now no earlier than the
    clock allows); the converted money itself may come out the year after (past 59½ its five
    years owe no 10% tax).  With Roth money and no year given, seasoned from the start, as
    before."""
    person = {"birth_date": "1966-03-10", "life_expectancy": 65,
              "pension": {"monthly": 15_000, "start_age": 62},
              "accounts": {"pretax": 1_200_000}}
    case = {"id": "first-roth", "start_year": 2026, "people": [person],
            "strategy": {"objective": "max_spending"}}
    tl = build_timeline(parse_household(case), LAW)
    assert tl.years[tl.roth_free][0] == 2031
    table = _table(case)
    _ladder_holds(table, 2031, lag=1)
    with_roth = dict(person, accounts={"pretax": 1_200_000, "roth": 1_000})
    tl = build_timeline(parse_household(dict(case, people=[with_roth])), LAW)
    assert tl.roth_free.all()


def test_the_conventional_order_takes_pre_tax_money_free_of_the_10_percent_first():
    """He is 70, she 52, each with an IRA of $300,000: the conventional order's pre-tax take
    comes from his IRA (no §72(t) tax past 59½) before hers — before, it was spread over both
    in proportion and half of it owed the 10% tax."""
    case = _case([{"birth_date": "1956-03-01", "life_expectancy": 90,
                   "accounts": {"ira": 300_000}},
                  {"birth_date": "1974-03-01", "life_expectancy": 90,
                   "accounts": {"ira": 300_000}}], spending=30_000)
    plan = make_plan(parse_household(case), LAW, monte_carlo=False)
    rows = year_table(plan, "order")
    assert rows[0]["pretax_withdrawal"] >= 30_000
    assert all(r["additional_tax_72t"] == 0 for r in rows[:5])


def test_a_young_widow_keeps_the_ira_as_its_beneficiary_until_59_and_a_half():
    """He dies at 72 in 2026 (before his required beginning date: 73 in 2027), she is 50 and
    has no IRA of her own.  As his beneficiary her withdrawals owe no 10% tax (§72(t)(2)(A)(ii))
    — rolled into her own IRA they owed $17,600 of it by 58 — and she owes the beneficiary's
    yearly minimum from 2027, the year he would have reached 73 (§401(a)(9)(B)(iv)), over her
    own life expectancy recalculated (Single Life Table, Pub. 590-B Table I: 35.3 at 51, 34.3
    at 52); from 2035, the year she is 59½, she treats it as her own: no minimum until 75."""
    case = {"id": "young-widow", "start_year": 2026,
            "people": [{"birth_date": "1954-03-01", "life_expectancy": 72,
                        "accounts": {"ira": 1_500_000}},
                       {"birth_date": "1976-03-01", "life_expectancy": 88}],
            "spending": {"annual": 60_000, "survivor_fraction": 1.0},
            "strategy": {"objective": "max_spending"}}
    tl = build_timeline(parse_household(case), LAW)
    hers = np.nonzero(tl.pool_owner == 1)[0][0]
    assert tl.rmd_divisor[hers][1:3].tolist() == [35.3, 34.3]
    assert not tl.early_tax[hers][1:9].any()
    assert np.isinf(tl.rmd_divisor[hers][9:20]).all()  # her own IRA from 2035: none to 75
    table = _table(dict(case, strategy={"objective": "max_spending"}))
    assert sum(r["additional_tax_72t"] for r in table) == 0
    assert all(r["rmd"] > 0 for r in table if 2027 <= r["year"] <= 2034)


def test_past_59_and_a_half_a_conversion_comes_out_the_next_year():
    """At 66 with an IRA of $100,000 and no Roth yet: the five-year clock of a first Roth runs
    from 2026, but converted money is taxed when converted and its five years owe the 10% tax
    only where §72(t) applies (§408A(d)(3)(F); Treas. Reg. §1.408A-6, Q&A-5), which it does
    not past 59½ (§72(t)(2)(A)(i)); §408A(d)(4)(B) takes it out before any earnings.  So the
    bracket-filling strategy converts in 2026 and spends the conversion from 2027 — it sustains
    what it does with a Roth clock run long ago (before, the conversion was locked to 2031 and
    the strategy could sustain nothing: $0 a year)."""
    person = {"birth_date": "1960-06-01", "life_expectancy": 90, "accounts": {"ira": 100_000}}
    case = {"id": "fill-at-66", "start_year": 2026, "people": [person],
            "spending": {"annual": 20_000}}
    tl = build_timeline(parse_household(case), LAW)
    assert tl.roth_conversions_free[0].all() and not tl.roth_free[:5].any()
    young = build_timeline(parse_household(_case([YOUNGER])), LAW)  # 59½ in September 2037
    assert young.years[young.roth_conversions_free[0]][0] == 2037

    def fill(c: dict) -> dict:
        plan = plan_json(make_plan(parse_household(c), LAW, monte_carlo=False))
        return next(s for s in plan["strategies"] if s["key"] == "fill")

    now = fill(case)
    seasoned = fill(dict(case, people=[dict(person, accounts={"ira": 100_000,
                                                             "roth_first_year": 2010})]))
    assert now["spending_real"] > 4_000
    assert now["spending_real"] == pytest.approx(seasoned["spending_real"], abs=1.0)
