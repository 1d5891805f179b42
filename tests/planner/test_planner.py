"""The drawdown planner against figures from outside the project: the closed-form annuity,
SSA's claiming percentages, CMS's IRMAA table, IRS Pub. 590-B's table, and small cases whose
optimum is known by hand."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.lp import optimise
from dist401k.planner.medicare import irmaa_surcharge
from dist401k.planner.plan import Policy, fixed_returns, make_plan, max_spending
from dist401k.planner.simulate import simulate
from dist401k.planner.social_security_benefit import claiming_factor
from dist401k.planner.timeline import build_timeline

LAW = default_law()


def _hh(**over):
    base = {
        "id": "t", "start_year": 2026,
        "people": [{"birth_date": "1960-01-15", "life_expectancy": 90,
                    "accounts": {"roth": 1_000_000, "roth_first_year": 2000}}],
        "market": {"stocks": 0.05, "bonds": 0.05, "cash": 0.05, "stock_share": 0.6,
                   "inflation": 0.02},
        "strategy": {"medicare": False},
        "monte_carlo": {"paths": 200},
    }
    base.update(over)
    return parse_household(base)


def test_no_tax_plan_is_the_closed_form_annuity():
    """All money in a qualified Roth: no tax, no RMD.  Spending W (today's $, growing with
    inflation i) taken at the start of each of n years from B0 growing at r exhausts it when
    W = B0 / Σ_{t<n} ((1+i)/(1+r))^t — an annuity-due at the real rate."""
    hh = _hh()
    tl = build_timeline(hh, LAW)
    n, r, i = tl.T, 0.05, 0.02
    annuity = 1_000_000 / sum(((1 + i) / (1 + r)) ** t for t in range(n))
    sol = optimise(hh, tl, LAW)
    assert sol.spending_real == pytest.approx(annuity, rel=1e-6)
    exact = max_spending(hh, tl, LAW, Policy("order"), annuity)
    assert exact == pytest.approx(annuity, abs=2.0)


def test_social_security_claiming_factors_match_ssa():
    """SSA: born 1960 (FRA 67) gets 70% at 62 and 124% at 70; born 1957 (FRA 66 and 6 months)
    gets 72.5% at 62 (ssa.gov/benefits/retirement/planner/agereduction.html)."""
    assert claiming_factor(LAW, 2026, 1960, 62) == pytest.approx(0.70, abs=1e-9)
    assert claiming_factor(LAW, 2026, 1960, 70) == pytest.approx(1.24, abs=1e-9)
    assert claiming_factor(LAW, 2026, 1960, 67) == pytest.approx(1.0)
    assert claiming_factor(LAW, 2026, 1957, 62) == pytest.approx(0.725, abs=1e-9)


@pytest.mark.parametrize(("born", "at_70", "months_to_full_age"), [
    (1936, 1.30, 0),                 # full retirement age 65, 6% a year: 60 months of 1/2 of 1%
    (1938, 1 + 58 * 13 / 2400, 2),   # 65 and 2 months, 6.5% a year: 58 months of 13/24 of 1%
    (1942, 1.3125, 10),              # 65 and 10 months, 7.5% a year: 50 months of 5/8 of 1%
    (1943, 1.32, 12),                # 66, 8% a year
])
def test_delayed_credits_by_year_of_birth(born, at_70, months_to_full_age):
    """SSA's delayed retirement credits by year of birth (1933–34 5.5% a year … 1941–42 7.5%,
    1943 or later 8%: ssa.gov/benefits/retirement/planner/delayret.html; 42 U.S.C. §402(w)(6))
    and full retirement age 65 for those born in 1937 or earlier (§416(l)); at 65, 5/9 of 1% off
    for each month before full retirement age (§402(q)(1))."""
    assert claiming_factor(LAW, 2026, born, 70) == pytest.approx(at_70, abs=1e-9)
    assert claiming_factor(LAW, 2026, born, 65) == pytest.approx(
        1 - months_to_full_age * 5 / 900, abs=1e-9)


def test_irmaa_follows_the_cms_2026_table():
    """CMS 2026: single MAGI (2024 return) above $109,000 up to $137,000 pays Part B $284.10
    (standard $202.90, so $81.20 more) and Part D +$14.50 a month; joint above $750,000 the top
    tier ($689.90 − $202.90 = $487.00, D +$91.00)."""
    assert float(irmaa_surcharge(LAW, 2026, 0, 120_000, 1)) == pytest.approx(12 * (81.20 + 14.50))
    assert float(irmaa_surcharge(LAW, 2026, 0, 109_000, 1)) == 0.0
    assert float(irmaa_surcharge(LAW, 2026, 1, 800_000, 2)) == pytest.approx(
        2 * 12 * (487.00 + 91.00))


def test_rmds_in_the_plan_use_the_uniform_lifetime_table():
    """Pub. 590-B Table III: 26.5 at 73.  Born 1953 (applicable age 73 in 2026): the 2026 RMD is
    the January 1 balance ÷ 26.5."""
    hh = _hh(people=[{"birth_date": "1953-03-01", "life_expectancy": 85,
                      "accounts": {"pretax": 530_000}}])
    tl = build_timeline(hh, LAW)
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), 10_000.0)
    assert res["rmd"][0, 0] == pytest.approx(530_000 / 26.5)
    assert res["rmd"][0, 1] == pytest.approx(res["pretax_balance"][0, 1] / 25.5)


def test_optimum_fills_low_brackets_before_a_high_rate_pension():
    """Three years with no income, then a pension that puts every later dollar in the 32%
    bracket: the optimum takes all the pre-tax money before the pension, filling at least the
    12% bracket each year, and does at least as well as the rule-based strategies."""
    hh = _hh(people=[{"birth_date": "1966-06-01", "life_expectancy": 70,
                      "pension": {"monthly": 20_000, "start_age": 63},
                      "accounts": {"pretax": 250_000}}],
             cash=400_000, market={"stocks": 0, "bonds": 0, "cash": 0, "inflation": 0},
             strategy={"medicare": False, "objective": "max_estate", "heirs_rate": 0.32},
             spending={"annual": 40_000})
    tl = build_timeline(hh, LAW)
    sol = optimise(hh, tl, LAW)
    # 2029 has half a year of pension (its marginal rate is 22%, as in the first years); from
    # 2030 every dollar would be taxed at 32% or more.
    early = tl.years < 2029
    taken = (sol.pretax_withdrawals + sol.conversions).sum(0)
    assert taken[tl.years <= 2029].sum() == pytest.approx(250_000, abs=1.0)
    assert taken[tl.years >= 2030].sum() == pytest.approx(0.0, abs=1.0)
    std = LAW.get("income_tax.standard_deduction", tl.years[early], 0)
    top12 = LAW.get("income_tax.brackets", tl.years[early], 0)[:, 1]
    assert np.all(taken[early] >= std + top12 - 1.0)
    plan = make_plan(hh, LAW, monte_carlo=False)
    best = {o.key: o.estate_real for o in plan.strategies}
    assert best["optimal"] >= max(best["order"], best["fill"]) - 1.0


def test_couple_survivor_files_single_and_inherits():
    hh = parse_household(_example())
    tl = build_timeline(hh, LAW)
    d = tl.death_year
    assert d == 1962 + 90
    assert tl.filing_status[tl.years == d][0] == 1 and tl.filing_status[tl.years == d + 1][0] == 0
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), 50_000.0)
    # Jamie's Social Security stops; Alex keeps the larger benefit (his own, claimed at 70).
    k = int(np.searchsorted(tl.years, d + 1))
    assert tl.social_security[1, k] == 0 and tl.social_security[0, k] >= tl.social_security[0, k - 1]
    assert res["pretax_balance"][0, k] > 0


def _example():
    import yaml

    with open("examples/plans/couple-social-security.yaml") as fh:
        return yaml.safe_load(fh)


def test_bad_input_names_the_field():
    with pytest.raises(InputError) as exc:
        parse_household({"start_year": 2026, "people": [{"birth_date": "2030-01-01"}]})
    assert "people.0.birth_date" in str(exc.value)
    with pytest.raises(InputError) as exc:
        parse_household({"start_year": 2026, "people": [
            {"birth_date": "1960-01-01", "accounts": {"pretax": -5}}]})
    assert "people.0.accounts.pretax" in str(exc.value)
    with pytest.raises(InputError) as exc:
        parse_household({"start_year": 1990, "people": [{"birth_date": "1960-01-01"}]})
    assert "start_year" in str(exc.value)
    with pytest.raises(InputError) as exc:  # 42 U.S.C. §402(a): not before 62
        parse_household({"start_year": 2026, "people": [
            {"birth_date": "1965-01-01", "social_security": {"claim_age": 60}}]})
    assert "people.0.social_security.claim_age" in str(exc.value)


def test_plan_command_table_json_and_report(tmp_path):
    runner = CliRunner()
    out = tmp_path / "plan.html"
    r = runner.invoke(app, ["plan", "examples/plans/couple-social-security.yaml", "--paths", "200",
                            "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "Optimum (linear programme)" in r.output and "year by year" in r.output
    page = out.read_text()
    charts = page.count('class="plotly-graph-div"')
    external = re.findall(r"<script[^>]*src=[\"']https?:", page)
    assert charts >= 3, charts
    assert external == [], external
    r = runner.invoke(app, ["plan", "examples/plans/couple-social-security.yaml", "-f", "json",
                            "--no-monte-carlo"])
    j = json.loads(r.output)
    by = {s["key"]: s for s in j["strategies"]}
    assert by["optimal"]["spending_real"] >= by["order"]["spending_real"] - 1
    assert j["table"][0]["year"] == 2026
    bad = tmp_path / "bad.yaml"
    bad.write_text("start_year: 2026\npeople: [{birth_date: 1960-01-01, life_expectancy: 300}]\n")
    r = runner.invoke(app, ["plan", str(bad)])
    assert r.exit_code == 2 and "people.0.life_expectancy" in r.output


def test_monte_carlo_is_reproducible_and_bounded():
    hh = parse_household(_example())
    a = make_plan(hh, LAW, paths=300)
    b = make_plan(hh, LAW, paths=300)
    for x, y in zip(a.strategies, b.strategies, strict=True):
        assert x.monte_carlo["success_rate"] == y.monte_carlo["success_rate"]
        assert 0.0 <= x.monte_carlo["success_rate"] <= 1.0


def test_separation_at_55_frees_plan_money_not_iras():
    """§72(t)(2)(A)(v): plan money after a separation in or after the year of 55 owes no 10%
    tax; an IRA's does until 59½.  The conventional order takes the plan money first: no 10%
    while it lasts; with less of it, the IRA's part of the take pays 10%."""
    hh = _hh(people=[{"birth_date": "1969-06-01", "life_expectancy": 80, "separated_at_55": True,
                      "accounts": {"pretax": 300_000, "ira": 100_000}}],
             market={"stocks": 0, "bonds": 0, "cash": 0, "inflation": 0})
    tl = build_timeline(hh, LAW)
    assert list(tl.pool_plan) == [True, False]
    assert not tl.early_tax[0, 0] and tl.early_tax[1, 0]
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), 40_000.0)
    assert res["pretax_withdrawal"][0, 0] > 40_000 and res["additional_tax_72t"][0, 0] == 0
    short = _hh(people=[{"birth_date": "1969-06-01", "life_expectancy": 80,
                         "separated_at_55": True, "accounts": {"pretax": 30_000, "ira": 100_000}}],
                market={"stocks": 0, "bonds": 0, "cash": 0, "inflation": 0})
    tl = build_timeline(short, LAW)
    res = simulate(short, tl, LAW, fixed_returns(short, LAW, tl.T), Policy("order"), 40_000.0)
    out = res["pretax_withdrawal"][0, 0]
    assert res["additional_tax_72t"][0, 0] == pytest.approx(0.10 * (out - 30_000))


def test_governmental_457b_money_owes_no_10_percent_tax_before_59_half():
    """§72(t)(9): the 10% tax does not reach a governmental 457(b); an IRA's money still owes
    it until 59½.  A person of 50, not separated at 55, spends from both."""
    def run(gov):
        hh = _hh(people=[{"birth_date": "1976-06-01", "life_expectancy": 80,
                          "accounts": {"pretax": 300_000, "ira": 100_000,
                                       "governmental_457b": gov}}],
                 market={"stocks": 0, "bonds": 0, "cash": 0, "inflation": 0})
        tl = build_timeline(hh, LAW)
        res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), 40_000.0)
        return tl, res

    tl, res = run(True)
    assert not tl.early_tax[0, 0] and tl.early_tax[1, 0]
    out = res["pretax_withdrawal"][0, 0]
    assert out > 0
    # The 457(b)'s money first (the conventional order takes money free of the 10% first).
    assert res["additional_tax_72t"][0, 0] == 0
    tl401, res401 = run(False)  # the same money in a 401(k): all of it owes the 10%
    assert tl401.early_tax[0, 0]
    assert res401["additional_tax_72t"][0, 0] == pytest.approx(
        0.10 * res401["pretax_withdrawal"][0, 0])


def test_inherited_ira_follows_the_ten_year_rule_with_yearly_minimums():
    """An adult child (born 1965) inherits from a father who died in 2024 after his required
    beginning date: yearly minimums from the Single Life Table at the child's age in 2025 (60:
    27.1, Pub. 590-B Table I), less one each year, and the account empty by the end of 2034
    (Treas. Reg. §1.401(a)(9)-5(d)(1)); no 10% tax on the payments (§72(t)(2)(A)(ii))."""
    hh = parse_household(_load("heir-ten-year"))
    tl = build_timeline(hh, LAW)
    k = tl.pools - 1  # the inherited pool comes last
    years = list(tl.years)
    got = [float(tl.rmd_divisor[k, years.index(y)]) for y in range(2026, 2035)]
    assert got[:8] == pytest.approx([27.1 - n for n in range(1, 9)])
    assert got[8] == 1.0  # 2034: whatever is left comes out
    only = _load("heir-ten-year")
    only["people"][0]["accounts"]["pretax"] = 0
    hh1 = parse_household(only)
    tl1 = build_timeline(hh1, LAW)
    r1 = simulate(hh1, tl1, LAW, fixed_returns(hh1, LAW, tl1.T), Policy("order"), 10_000.0)
    y1 = list(tl1.years)
    assert r1["pretax_balance"][0, y1.index(2034)] > 100_000
    assert r1["pretax_balance"][0, y1.index(2035)] == pytest.approx(0.0, abs=1e-6)
    assert r1["additional_tax_72t"].sum() == 0.0
    assert not tl.early_tax[k].any() and not tl.pool_converts[k]
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), 80_000.0)
    assert res["rmd"][0, 0] == pytest.approx(400_000 / 26.1 + 600_000 / np.inf)


@pytest.mark.parametrize("governmental", [False, True])
def test_a_governmental_plans_heir_of_a_2021_death_keeps_the_life_expectancy(governmental):
    """SECURE Act §401(b): in a governmental plan (§414(d)) the 10-year rule applies only to
    deaths after 2021. The adult child (born 1965, 57 in 2022: Single Life Table 29.8) of a
    governmental plan's participant who died in 2021 before his required beginning date
    stretches over 29.8 less one a year (25.8 in 2026); in any other plan the 10-year rule
    empties the account in 2031, with nothing required before."""
    raw = _load("heir-ten-year")
    raw["inherited"][0]["beneficiary"].update(
        {"date_of_death": "2021-07-15", "deceased_birth_date": "1952-04-01", "account": "plan"})
    raw["inherited"][0]["governmental"] = governmental
    tl = build_timeline(parse_household(raw), LAW)
    k, years = tl.pools - 1, list(tl.years)
    got = [float(tl.rmd_divisor[k, years.index(y)]) for y in range(2026, 2033)]
    if governmental:
        assert got == pytest.approx([29.8 - n for n in range(4, 11)])
    else:
        assert got[:5] == [np.inf] * 5 and got[5] == 1.0


def test_only_a_plan_account_is_governmental():
    raw = _load("heir-ten-year")
    raw["inherited"][0]["governmental"] = True  # the example's account is an IRA
    with pytest.raises(InputError, match=r"inherited\.0\.governmental"):
        parse_household(raw)


def _load(name):
    import yaml

    with open(f"examples/plans/{name}.yaml") as fh:
        return yaml.safe_load(fh)


def test_sepp_series_pays_its_fixed_amount_free_of_the_10_percent_tax():
    """A 72(t) series from $600,000 of an IRA at 56, fixed amortization at 5% over the Single
    Life Table: the same payment each year until the later of five years and 59½ (2030 for a
    first payment in January 2026 by someone born in February 1970), no 10% tax on it, nothing
    else out of that IRA meanwhile; the optimiser keeps to it."""
    from dist401k.sepp import amortization_factor, life_expectancy

    hh = parse_household(_load("early-retiree-sepp"))
    tl = build_timeline(hh, LAW)
    k = tl.pools - 1
    series = tl.years[tl.sepp_years[k]]
    assert list(series) == [2026, 2027, 2028, 2029, 2030]
    le = life_expectancy(LAW, 2026, 0, 56)[0]
    expected = 600_000 / amortization_factor(le, 0.05)
    assert np.allclose(tl.sepp_payment[k, tl.sepp_years[k]], expected)
    assert not tl.early_tax[k, tl.sepp_years[k]].any() and tl.early_tax[0, 0]
    sol = optimise(hh, tl, LAW)
    assert np.allclose(sol.pretax_withdrawals[k, :5], expected)
    assert np.allclose(sol.conversions[k, :5], 0.0)
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), 60_000.0)
    assert res["additional_tax_72t"][0, 0] == pytest.approx(0.0)
