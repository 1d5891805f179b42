"""The plan report's Assumptions section (and the terminal's line): every assumption the plan's
figures rest on, each with the plan file's own value — the returns and the share in stocks,
the fees, the heirs' tax rate behind "estate after tax", the fill bracket, the Monte Carlo
model, paths and seed, the lifetimes, the claiming ages, the state and its years flagged
unconfirmed, and what is projected (docs/plan.md). The expected values are read from the
YAML files here, or written out by hand where the file leaves the documented default."""

from __future__ import annotations

import copy
import html
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.law.loader import PARAMS_DIR
from dist401k.plan_report import render_plan_html
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan

PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"
PATHS = 40  # few paths: the figures are not under test, only what the report says it assumed


def _file(name: str) -> dict:
    return yaml.safe_load((PLANS / f"{name}.yaml").read_text())


def _assumptions(case: dict) -> str:
    """The report's Assumptions section, its text unescaped."""
    page = render_plan_html(make_plan(parse_household(case), paths=PATHS))
    found = re.search(r"<h2>Assumptions</h2><ul>(.*?)</ul>", page, re.S)
    assert found, "the report has no Assumptions section"
    return html.unescape(re.sub(r"<[^>]+>", " ", found.group(1)))


def _pct(share: float) -> str:
    """A share of the plan file as a percent, worked here: 0.3 → "30%", 0.025 → "2.5%"."""
    text = f"{share * 100:.4f}".rstrip("0").rstrip(".")
    return text + "%"


@pytest.fixture(scope="module")
def nj() -> str:
    return _assumptions(_file("couple-nj-to-fl"))


def test_couple_nj_to_fl_states_the_default_market_and_strategy(nj):
    """The file gives no market nor strategy: the documented defaults (stocks 7%, bonds 4%,
    cash 3%, 60% in stocks, no fee; heirs 30%, fill the 22% bracket), which the review found
    missing from the report."""
    assert "stocks 7%, bonds 4%, cash 3%" in nj
    assert "60% in stocks" in nj and "no investment fees" in nj
    assert "Heirs' tax on pre-tax money left: 30%" in nj
    assert "fill bracket: 22%" in nj


def test_couple_nj_to_fl_states_its_monte_carlo_lifetimes_and_claiming(nj):
    case = _file("couple-nj-to-fl")
    mc = case["monte_carlo"]
    assert f"{PATHS} market paths, bootstrap of historical years, seed {mc['seed']}" in nj
    ages = ", ".join(f"{p['name']} {p['life_expectancy']}" for p in case["people"])
    assert "Lifetimes: fixed" in nj and ages in nj
    claims = ", ".join(f"{p['name']} {p['social_security']['claim_age']}" for p in case["people"])
    assert f"claiming ages (fixed): {claims}" in nj


def nj_unconfirmed_years() -> str:
    """The plan's New Jersey years (2027 and 2028; the move to Florida is in 2029) whose NJ
    figures are flagged unconfirmed, read from the NJ law files' own ``unconfirmed`` marks: an
    enacted year by its own mark, a projected year (after ``enacted_through``) by the last
    enacted year's, whose figures it carries (docs/state.md, "Years").  While 2026 is the last
    enacted year: the files mark 2026, so 2027 and 2028 are flagged."""
    enacted = default_law().enacted_through
    marked: set[int] = set()
    for path in (PARAMS_DIR / "state" / "nj").glob("*.yaml"):
        if not path.name.startswith("withholding_"):
            marked |= set(yaml.safe_load(path.read_text())["metadata"].get("unconfirmed") or {})
    return ", ".join(str(y) for y in (2027, 2028) if min(y, enacted) in marked)


def test_couple_nj_to_fl_names_the_states_unconfirmed_years(nj):
    """New Jersey's figures of the plan's NJ years flagged unconfirmed in its law files (the
    JSON's ``state.unconfirmed_years``): the report says so, with the years."""
    assert "State: NJ, moving to FL in 2029" in nj
    years = nj_unconfirmed_years()
    assert (f"the state figures of {years} are flagged unconfirmed" in nj) if years \
        else "flagged unconfirmed" not in nj


def test_couple_nj_to_fl_says_what_is_projected(nj):
    """The plan runs 2027 to the year Dana and Sam (born 1967) reach 92, 2059; the law is
    projected from the year after the last enacted one (2027 while 2026 is the last), or from
    the plan's first year if later."""
    first = max(2027, default_law().enacted_through + 1)
    assert "each year from 2027 to 2059" in nj and f"the law from {first} on is projected" in nj


def test_guardrails_plan_states_its_own_market_and_strategy():
    case = _file("single-retiree-guardrails")
    text = _assumptions(case)
    m, s = case["market"], case["strategy"]
    assert (f"stocks {_pct(m['stocks'])}, bonds {_pct(m['bonds'])}, cash {_pct(m['cash'])}; "
            f"{_pct(m['stock_share'])} in stocks") in text
    assert "cash 2.5%" in text  # worked by hand: 0.025
    assert f"Heirs' tax on pre-tax money left: {_pct(s['heirs_rate'])}" in text
    assert f"fill bracket: {_pct(s['fill_bracket'])}" in text
    assert f"seed {case['monte_carlo']['seed']}" in text and "State: none given" in text
    person = case["people"][0]
    assert f"{person['name']} {person['life_expectancy']}" in text
    assert f"{person['name']} {person['social_security']['claim_age']}" in text


def test_a_fee_and_random_lifetimes_are_stated():
    """couple-social-security with a 1% fee, random lifetimes (each person's sex given) and a
    lognormal model: the report says each, in docs/plan.md's words."""
    case = copy.deepcopy(_file("couple-social-security"))
    case["market"] = {**case.get("market", {}), "fee": 0.01}
    case["monte_carlo"] = {**case["monte_carlo"], "lifetimes": "random", "model": "lognormal"}
    for p, sex in zip(case["people"], ("male", "female"), strict=True):
        p["sex"] = sex
    text = _assumptions(case)
    assert "investment fees 1% a year" in text
    assert "Lifetimes: random on the Monte Carlo paths" in text
    assert "lognormal with the historical moments" in text
    claims = ", ".join(f"{p['name']} {p['social_security']['claim_age']}" for p in case["people"])
    assert f"claiming ages (fixed): {claims}" in text


def test_a_survival_horizon_is_stated():
    case = copy.deepcopy(_file("single-retiree-guardrails"))
    case["people"][0]["sex"] = "female"
    case["horizon"] = {"survival": 0.9}
    assert "the plan ends at the 90% survival percentile" in _assumptions(case)


def test_the_terminal_prints_the_same_assumptions():
    r = CliRunner().invoke(app, ["plan", str(PLANS / "couple-nj-to-fl.yaml"), "--paths", "20"],
                           env={"COLUMNS": "400"})
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())
    assert "Assumptions: Returns (fixed, a year): stocks 7%, bonds 4%, cash 3%" in flat
    assert "Heirs' tax on pre-tax money left: 30%" in flat
    years = nj_unconfirmed_years()
    assert (f"the state figures of {years} are flagged unconfirmed" in flat) if years \
        else "flagged unconfirmed" not in flat


def test_searched_claiming_ages_are_stated_as_searched():
    """With ``strategy.search_claiming`` the claiming ages are not the file's: the section says
    they were searched and gives the best found, in years and months (69.75 is 69 y 9 m)."""
    from dist401k.plan_report import plan_assumptions
    from dist401k.planner.plan import plan_json

    case = copy.deepcopy(_file("couple-social-security"))
    case["strategy"] = {**case.get("strategy", {}), "search_claiming": True}
    plan = make_plan(parse_household(case), monte_carlo=False)
    j = plan_json(plan)
    best = next(r for r in j["claiming"]["compared"] if r["choice"] == "best")["claim_ages"]
    words = " / ".join(f"{int(a)} y {round((a - int(a)) * 12)} m" for a in best)
    text = " ".join(plan_assumptions(plan, j))
    assert f"claiming ages: searched with the drawdown; best found {words}" in text
    assert "(fixed)" not in text and "Monte Carlo: none run" in text
