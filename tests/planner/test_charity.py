"""Qualified charitable distributions in the drawdown plan (IRC §408(d)(8)) against figures
from outside the project: the IRS's indexed limits (Notices 2023-75, 2024-80, 2025-67), the
Uniform Lifetime Table of Pub. 590-B (a QCD counts toward the RMD), 70½, IRAs only."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.lp import optimise
from dist401k.planner.plan import Policy, fixed_returns, make_plan, max_spending, plan_json
from dist401k.planner.simulate import simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()


def _hh(people, gift, qcd=True, **over):
    base = {
        "id": "t", "start_year": 2026, "people": people,
        "market": {"stocks": 0.05, "bonds": 0.05, "cash": 0.05, "stock_share": 0.6,
                   "inflation": 0.02},
        "strategy": {"medicare": False}, "charity": {"annual": gift, "qcd": qcd},
    }
    base.update(over)
    return parse_household(base)


def _person(birth, **accounts):
    return {"birth_date": birth, "life_expectancy": 85, "accounts": accounts}


def _first_year(hh, spending=0.0):
    tl = build_timeline(hh, LAW)
    return simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), spending)


def test_qcd_limit_is_the_irs_indexed_amount():
    """Notice 2023-75: $105,000 for 2024; Notice 2024-80: $108,000 for 2025; Notice 2025-67:
    $111,000 for 2026 (§408(d)(8)(G), rounded down to $1,000); 70½ (§408(d)(8)(B)(ii))."""
    assert LAW.get("charity.qcd_limit", [2024, 2025, 2026]).tolist() == [105_000, 108_000,
                                                                          111_000]
    assert float(LAW.get("charity.qcd_age", 2026)) == 70.5
    later = LAW.get("charity.qcd_limit", 2030)
    assert later >= 111_000 and later % 1000 == 0


def test_qcd_pays_the_gift_out_of_the_rmd_and_out_of_agi():
    """Born January 1950, 76 in 2026: the RMD is the balance ÷ 23.7 (Pub. 590-B Table III).  A
    $20,000 gift paid by QCD counts toward it and leaves AGI: AGI is the RMD less $20,000.
    Without QCDs the whole RMD is income and the gift comes from it."""
    people = [_person("1950-01-15", ira=1_000_000)]
    rmd = 1_000_000 / 23.7
    res = _first_year(_hh(people, 20_000))
    assert res["rmd"][0, 0] == pytest.approx(rmd)
    assert res["qcd"][0, 0] == pytest.approx(20_000)
    assert res["agi"][0, 0] == pytest.approx(rmd - 20_000)
    assert res["pretax_withdrawal"][0, 0] == pytest.approx(rmd - 20_000)
    assert res["charity"][0, 0] == pytest.approx(20_000) and res["shortfall"][0, 0] == 0
    plain = _first_year(_hh(people, 20_000, qcd=False))
    assert plain["qcd"][0, 0] == 0 and plain["agi"][0, 0] == pytest.approx(rmd)
    assert plain["charity"][0, 0] == pytest.approx(20_000)
    assert res["income_tax"][0, 0] < plain["income_tax"][0, 0]


def test_qcd_stops_at_the_limit_a_person_each_spouse_has_one():
    """2026: at most $111,000 a person; a couple with an IRA each, $222,000; the rest of the
    gift is paid from after-tax money."""
    one = _first_year(_hh([_person("1950-01-15", ira=2_000_000)], 150_000,
                          cash=1_000_000))
    assert one["qcd"][0, 0] == pytest.approx(111_000)
    assert one["charity"][0, 0] == pytest.approx(150_000)
    two = _first_year(_hh([_person("1950-01-15", ira=2_000_000),
                           _person("1951-02-01", ira=2_000_000)], 300_000, cash=1_000_000))
    assert two["qcd"][0, 0] == pytest.approx(222_000)
    assert two["charity"][0, 0] == pytest.approx(300_000)


def test_no_qcd_from_a_401k_nor_before_70_and_a_half():
    """A 401(k) cannot pay a QCD (an IRA only, §408(d)(8)(B)); born July 1956 reaches 70½ in
    January 2027, born June 1956 in December 2026."""
    plan_only = _first_year(_hh([_person("1950-01-15", pretax=1_000_000)], 20_000))
    assert plan_only["qcd"].sum() == 0
    assert plan_only["charity"][0, 0] == pytest.approx(20_000)
    july = _first_year(_hh([_person("1956-07-15", ira=1_000_000)], 20_000))
    assert july["qcd"][0, 0] == 0 and july["qcd"][0, 1] == pytest.approx(20_000 * 1.02)
    june = _first_year(_hh([_person("1956-06-15", ira=1_000_000)], 20_000))
    assert june["qcd"][0, 0] == pytest.approx(20_000)


def test_qcd_lowers_irmaa_and_raises_what_the_money_pays():
    """With IRMAA counted, a QCD keeps the gift out of MAGI: the order strategy and the optimum
    both sustain more spending with QCDs than with the same gift paid from after-tax money, and
    the optimum gives by QCD (nothing the programme approximates: priced exactly)."""
    people = [_person("1950-01-15", ira=1_500_000)]
    kw = dict(strategy={"medicare": True}, magi_history=[150_000, 150_000])
    with_qcd, without = _hh(people, 30_000, **kw), _hh(people, 30_000, qcd=False, **kw)
    a, b = _first_year(with_qcd, 60_000), _first_year(without, 60_000)
    assert a["agi"][0, 2:].sum() < b["agi"][0, 2:].sum()
    assert a["irmaa"][0].sum() <= b["irmaa"][0].sum()
    tl_a, tl_b = build_timeline(with_qcd, LAW), build_timeline(without, LAW)
    assert max_spending(with_qcd, tl_a, LAW, Policy("order"), 60_000) > max_spending(
        without, tl_b, LAW, Policy("order"), 60_000) + 100
    sol = optimise(with_qcd, tl_a, LAW)
    assert sol.qcd is not None and sol.qcd.sum(0)[0] == pytest.approx(30_000, abs=1.0)
    assert sol.spending_real > optimise(without, tl_b, LAW).spending_real


def test_plan_json_shows_the_gift_only_where_the_case_gives():
    hh = _hh([_person("1950-01-15", ira=1_000_000)], 10_000)
    plan = make_plan(hh, LAW, monte_carlo=False)
    j = plan_json(plan)
    from dist401k.plan_report import render_plan_html

    html = render_plan_html(plan)
    assert "Charitable giving" in html and "by QCD" in html
    assert j["charity"]["annual"] == 10_000
    opt = j["charity"]["strategies"]["optimal"]
    assert opt["given"] > 0 and opt["qcd"] == pytest.approx(opt["given"], rel=1e-6)
    assert j["table"][0]["qcd"] == pytest.approx(10_000)
    none = plan_json(make_plan(_hh([_person("1950-01-15", ira=1_000_000)], 0), LAW,
                               monte_carlo=False))
    assert "charity" not in none and "qcd" not in none["table"][0]


@pytest.mark.parametrize("value, word", [(-1, "greater than or equal"), (1e14, "less than"),
                                          ("inf", "finite"), ("lots", "number")])
def test_bad_gift_names_the_field(value, word):
    with pytest.raises(InputError) as exc:
        _hh([_person("1950-01-15", ira=1)], value)
    text = str(exc.value)
    assert "charity.annual" in text and len(text.splitlines()) == 1


def test_cli_refuses_a_bad_gift_with_one_line(tmp_path):
    case = tmp_path / "c.json"
    case.write_text(json.dumps({"start_year": 2026, "people": [{"birth_date": "1950-01-15"}],
                                "charity": {"annual": -5}}))
    out = CliRunner().invoke(app, ["plan", str(case), "-f", "json", "--no-monte-carlo"])
    assert out.exit_code == 2
    assert "charity.annual" in out.output and "Traceback" not in out.output


def test_schema_bounds_the_gift():
    from dist401k.planner.household import MAX_AMOUNT, household_schema

    prop = household_schema()["$defs"]["Charity"]["properties"]["annual"]
    assert prop["minimum"] == 0 and prop["maximum"] == MAX_AMOUNT
    assert np.isfinite(prop["maximum"])


def test_the_survivor_gives_from_the_rolled_over_ira_with_one_limit():
    """The first to die (end of 2027) leaves the IRA to the survivor's own (a spousal rollover):
    the survivor's QCDs go on from it, with one person's limit from 2028 (each spouse's limit
    is their own, §408(d)(8)(A))."""
    hh = _hh([{**_person("1950-01-15", ira=3_000_000), "life_expectancy": 77},
              _person("1951-02-01", ira=10_000)], 300_000, cash=5_000_000,
             market={"stocks": 0, "bonds": 0, "cash": 0, "inflation": 0})
    res = _first_year(hh)
    years = build_timeline(hh, LAW).years
    limit = LAW.get("charity.qcd_limit", years)
    # 2026: the first's limit and all of the second's small IRA; 2027: the first's limit (the
    # second's IRA is empty); from 2028 the survivor's own limit, paid from the rolled-over IRA.
    assert res["qcd"][0, 0] == pytest.approx(limit[0] + 10_000)
    assert res["qcd"][0, 1:] == pytest.approx(limit[1:])
    assert years[-1] > 2028 and res["pretax_balance"][0, years == 2028] > 2_000_000
    assert res["charity"][0] == pytest.approx(300_000)


def test_an_heir_of_70_and_a_half_gives_from_an_inherited_ira():
    """Notice 2007-7 Q&A 37: a beneficiary who has reached 70½ may make a QCD from an inherited
    IRA (the heir here has no IRA of their own, only Roth money)."""
    heir = {"heir": 0, "balance": 500_000, "beneficiary": {
        "deceased_birth_date": "1940-04-01", "date_of_death": "2024-07-15",
        "relationship": "individual", "account": "ira"}}
    hh = _hh([_person("1950-01-15", roth=10_000)], 20_000, inherited=[heir], cash=1_000_000)
    res = _first_year(hh)
    assert res["qcd"][0, 0] == pytest.approx(20_000)
    assert res["charity"][0, 0] == pytest.approx(20_000)
    young = _hh([_person("1960-01-15", roth=10_000)], 20_000, inherited=[heir], cash=1_000_000)
    assert _first_year(young)["qcd"][0, 0] == 0
