"""IRMAA on a more recent year's income after work stops (form SSA-44; 20 CFR 418.1201,
418.1205(d); SSA POMS HI 01120.030 B): the premium years whose look-back year is no later than
the work stoppage may be figured on the year before or the premium year itself, where lower.
The surcharges are CMS's 2026 figures (Part B $81.20 … $487.00 and Part D $14.50 … $91.00 a
month above the standard premium; single thresholds $109,000, $137,000, $171,000, $205,000,
$500,000: the 2026 fact sheet and the Part D release)."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.law.filing_status import SINGLE
from dist401k.planner.household import parse_household
from dist401k.planner.irmaa_appeal import appeal_years, irmaa_by_year, work_stoppage_years
from dist401k.planner.medicare import irmaa_surcharge
from dist401k.planner.plan import fixed_returns, make_plan, plan_json
from dist401k.planner.simulate import Policy, law_dollars, simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()
#: CMS 2026: Part B and Part D adjustments of tiers 1 and 4, a year.
TIER_1_2026 = 12 * (81.20 + 14.50)
TIER_4_2026 = 12 * (446.30 + 83.30)


def _case(**strategy) -> dict:
    return {"id": "late-retiree", "start_year": 2026,
            "people": [{"name": "Sam", "birth_date": "1961-03-01", "life_expectancy": 90,
                        "retirement_age": 65, "wages": 250_000,
                        "social_security": {"monthly_at_full_age": 3500, "claim_age": 67},
                        "accounts": {"pretax": 1_200_000, "roth": 100_000,
                                     "roth_first_year": 2010}}],
            "taxable": {"balance": 200_000, "basis": 150_000},
            "spending": {"annual": 90_000}, "magi_history": [260_000, 255_000],
            "market": {"inflation": LAW.inflation}, "strategy": strategy}


def test_the_year_work_stops():
    hh = parse_household(_case())
    # 65 in March 2026: the last wages are 2026's.
    assert work_stoppage_years(hh) == [(0, 2026)]
    case = _case()
    case["people"][0].update(wages=0, retirement_age=67)  # no wages to stop in 2028
    assert work_stoppage_years(parse_household(case)) == []
    case["people"][0]["retirement_age"] = 63  # retired in 2024: the history's years
    assert work_stoppage_years(parse_household(case)) == [(0, 2024)]
    case["people"][0].pop("retirement_age")
    assert work_stoppage_years(parse_household(case)) == []


def test_which_premium_years_a_request_may_reach():
    hh = parse_household(_case())
    years = np.arange(2024, 2032)
    before, itself = appeal_years(LAW, hh, years)
    # Look-back years 2024–2026 (no later than the stoppage), from 2026 on.
    assert years[itself].tolist() == [2026, 2027, 2028]
    assert years[before].tolist() == [2027, 2028]


def test_surcharges_on_the_more_recent_years_against_cms_2026():
    hh = parse_household(_case())
    tl = build_timeline(hh, LAW)
    magi = np.full(tl.T, 50_000.0)
    magi[:3] = [120_000, 300_000, 90_000]
    ones = np.ones(tl.T)
    charged, appealed, caps = irmaa_by_year(LAW, hh, tl, magi, ones, ones)
    # 2026: charged on 2024's $260,000 (tier 4); on request, on 2026's own $120,000 (tier 1),
    # which must stay at most $137,000 to keep it.  Born March 1 (65 on the day before, a
    # February 28): Medicare from February 1, 11 months of surcharge in 2026.
    assert charged[0] == pytest.approx(TIER_4_2026 * 11 / 12)
    assert appealed[0] == pytest.approx(TIER_1_2026 * 11 / 12)
    # 2027: its own year is higher; the year before (2026) is lower and is used.
    assert appealed[1] == pytest.approx(float(irmaa_surcharge(LAW, 2027, SINGLE, 120_000, 1)))
    assert appealed[1] < charged[1]
    ends_2027 = LAW.get("medicare.irmaa_thresholds", 2027, SINGLE)
    assert caps[0] == min(137_000.0, float(ends_2027[0 if 120_000 <= ends_2027[0] else 1]))
    # 2028: its look-back year is the stoppage's; its own $90,000 owes nothing.
    assert charged[2] > 0 and appealed[2] == 0.0
    assert caps[2] == float(LAW.get("medicare.irmaa_thresholds", 2028, SINGLE)[0])
    # 2029 looks back to 2027, after the stoppage: no request.
    assert appealed[3] == charged[3] > 0
    assert np.isinf(caps[3:]).all()


@pytest.mark.parametrize("filed", [False, True])
def test_the_simulator_pays_what_the_rule_says(filed):
    hh = parse_household(_case(irmaa_appeal=filed))
    tl = build_timeline(hh, LAW)
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T),
                   Policy("order"), 90_000.0)
    agi = res["agi"][0]
    price = (1 + LAW.inflation) ** np.arange(tl.T + 1)
    restate = price[:tl.T] / np.array([law_dollars(LAW, 2026, t, price) for t in range(tl.T)])
    price = price[:tl.T]
    charged, appealed, _ = irmaa_by_year(LAW, hh, tl, agi, price, restate)
    paid = res["irmaa"][0]
    assert paid == pytest.approx(appealed if filed else charged, abs=0.01)
    assert res["irmaa_saving"][0] == pytest.approx(charged - appealed, abs=0.01)
    assert (charged - appealed)[:2].min() > 0  # 2026 and 2027 lowered


def test_the_plan_says_what_filing_saves_and_plans_with_it():
    off = plan_json(make_plan(parse_household(_case()), LAW, monte_carlo=False))
    on = plan_json(make_plan(parse_household(_case(irmaa_appeal=True)), LAW, monte_carlo=False))
    assert off["irmaa_appeal"]["filed"] is False and on["irmaa_appeal"]["filed"] is True
    assert off["irmaa_appeal"]["work_stopped"] == [{"person": 0, "year": 2026}]
    assert set(off["irmaa_appeal"]["years"]) <= {"2026", "2027", "2028"}
    assert off["irmaa_appeal"]["saving_real"] > 1_000
    by_key = {k: {s["key"]: s for s in j["strategies"]} for k, j in (("off", off), ("on", on))}
    # Lower surcharges leave more to spend, in every strategy of constant spending.
    for key in ("order", "fill", "optimal"):
        assert by_key["on"][key]["spending_real"] > by_key["off"][key]["spending_real"], key
        assert by_key["on"][key]["irmaa"] < by_key["off"][key]["irmaa"], key
    # A case with no work to stop keeps its JSON.
    case = _case()
    case["people"][0].pop("retirement_age")
    case["people"][0].pop("wages")
    assert "irmaa_appeal" not in plan_json(make_plan(parse_household(case), LAW,
                                                     monte_carlo=False))


def test_a_spouses_work_stoppage_counts_and_random_lifetimes_run():
    case = _case(irmaa_appeal=True)
    case["people"][0].pop("wages")
    case["people"][0].pop("retirement_age")
    case["people"].append({"name": "Ann", "birth_date": "1962-06-01", "life_expectancy": 92,
                           "retirement_age": 64.5, "wages": 300_000,
                           "accounts": {"pretax": 400_000}, "sex": "female"})
    case["people"][0]["sex"] = "male"
    case["magi_history"] = [420_000, 410_000]
    case["monte_carlo"] = {"paths": 60, "seed": 3, "lifetimes": "random"}
    hh = parse_household(case)
    assert work_stoppage_years(hh) == [(1, 2027)]  # 2026's wages are the last
    j = plan_json(make_plan(hh, LAW))
    assert j["irmaa_appeal"]["filed"] and j["irmaa_appeal"]["saving_real"] > 0
    for s in j["strategies"]:
        assert 0.0 <= s["monte_carlo"]["success_rate"] <= 1.0


def test_the_cli_says_it(tmp_path):
    import yaml

    f = tmp_path / "late.yaml"
    f.write_text(yaml.safe_dump(_case()))
    out = CliRunner().invoke(app, ["plan", str(f), "--no-monte-carlo"], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "form SSA-44" in out.output and "Set strategy.irmaa_appeal" in out.output


def test_the_report_says_it():
    from dist401k.plan_report import render_plan_html

    html = render_plan_html(make_plan(parse_household(_case(irmaa_appeal=True)), LAW,
                                      monte_carlo=False))
    assert "form SSA-44" in html and "figured on a more recent year&#x27;s income" in html
