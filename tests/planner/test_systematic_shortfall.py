"""The systematic strategy's ``shortfall`` is measured against what it itself pays (issue 16).

Under ``max_spending`` (the default) the plan does not use ``spending.annual``: each strategy's
spending is its own, the systematic strategy's its share of the balance, all of it spent. Its
``shortfall`` was still measured against ``spending.annual``: the same strategy, paying the same,
was $564,832.64 short with a need of $90,000 and 0 with one of $1,000. It is now what it leaves
unpaid of what it pays beside its share — the planned expenses and the gift — and each strategy
of the JSON says what its ``shortfall`` is measured against. Under ``max_estate`` every strategy
is to pay the need, and the systematic strategy's ``shortfall`` stays that of the need.

Worked by hand: Ann, $1,000,000 of qualified Roth money (no tax), zero returns and no inflation,
2026–2035 (ten years), the systematic strategy at 4%: year t pays 40,000 × 0.96^t, in all
1,000,000 × (1 − 0.96¹⁰) = 1,000,000 × (1 − 0.66483264) = $335,167.36.

- need $90,000 (``max_estate``): unpaid 10 × 90,000 − 335,167.36 = $564,832.64 (every year's
  payment, at most 40,000, is below the need);
- ``max_spending``: nothing it is to pay is unpaid, whatever ``spending.annual`` is: 0;
- a gift of $50,000 a year from after-tax money (``qcd: false``): the gift is paid first from
  the year's money, at most 40,000, so 10 × 50,000 − 335,167.36 = $164,832.64 of it is unpaid;
- a $950,000 roof in 2028 (tests/planner/test_strategy_spending.py works it): $28,400 of it
  unpaid, under either ``spending.annual``.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.plan_report import render_plan_html
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.store import Store

NEED_SHORT = 564_832.64  # 900,000 − 335,167.36
GIFT_SHORT = 164_832.64  # 500,000 − 335,167.36
ROOF_SHORT = 28_400.0


def _case(annual: float, **extra) -> dict:
    return {"id": "systematic-shortfall", "start_year": 2026,
            "people": [{"name": "Ann", "birth_date": "1960-03-01", "life_expectancy": 75,
                        "accounts": {"roth": 1_000_000}}],
            "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": 0.0},
            "spending": {"annual": annual, "survivor_fraction": 1.0}, **extra}


GIFT = {"charity": {"annual": 50_000, "qcd": False}}
ROOF = [{"year": 2028, "amount": 950_000, "label": "roof"}]


def _systematic(case: dict) -> dict:
    j = plan_json(make_plan(parse_household(case), monte_carlo=False))
    return next(s for s in j["strategies"] if s["key"] == "systematic")


@pytest.mark.parametrize("annual", [90_000, 1_000, 500_000])
def test_max_spending_measures_nothing_against_spending_annual(annual):
    s = _systematic(_case(annual))
    assert s["shortfall"] == 0.0
    assert "not spending.annual" in s["shortfall_measured_against"]


def test_max_estate_keeps_the_need():
    s = _systematic(_case(90_000, strategy={"objective": "max_estate"}))
    assert s["shortfall"] == pytest.approx(NEED_SHORT, abs=0.01)
    assert s["shortfall_measured_against"].startswith("the need (spending.annual")


def test_the_unpaid_gift_is_its_shortfall():
    s = _systematic(_case(90_000, **GIFT))
    assert s["shortfall"] == pytest.approx(GIFT_SHORT, abs=0.01)


@pytest.mark.parametrize("annual", [90_000, 1_000])
def test_the_unpaid_roof_is_its_shortfall(annual):
    case = _case(annual)
    case["spending"]["expenses"] = ROOF
    s = _systematic(case)
    assert s["shortfall"] == pytest.approx(ROOF_SHORT, abs=0.01)
    assert s["unpaid_expenses"] == pytest.approx(ROOF_SHORT, abs=0.01)


def test_every_strategy_says_what_its_shortfall_is_measured_against():
    j = plan_json(make_plan(parse_household(_case(90_000)), monte_carlo=False))
    said = {s["key"]: s["shortfall_measured_against"] for s in j["strategies"]}
    assert said["order"] == said["optimal"] == "its own constant spending"
    assert said["systematic"].startswith("the planned expenses, which it pays beside its share")
    gift = plan_json(make_plan(parse_household(_case(90_000, **GIFT)), monte_carlo=False))
    said = {s["key"]: s["shortfall_measured_against"] for s in gift["strategies"]}
    assert said["order"] == "its own constant spending, and the gift"
    assert said["systematic"].startswith("the planned expenses and the gift, which it pays")


def _cli(tmp_path, case: dict, *args: str) -> str:
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo", *args],
                           env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    return r.stdout


def test_the_command_line_json_and_table(tmp_path):
    j = json.loads(_cli(tmp_path, _case(90_000), "-f", "json"))
    assert next(s for s in j["strategies"] if s["key"] == "systematic")["shortfall"] == 0.0
    assert "Unpaid" not in " ".join(_cli(tmp_path, _case(90_000)).split())
    text = " ".join(_cli(tmp_path, _case(90_000, **GIFT)).split())
    assert "Systematic withdrawals (4.0% a year) leaves $164,833 of the gift unpaid" in text


def test_the_csv_is_the_optimums_table_alone(tmp_path):
    """The CSV carries one row a year of the optimum, whose own spending is paid in full."""
    rows = list(csv.DictReader(io.StringIO(_cli(tmp_path, _case(90_000), "-f", "csv"))))
    assert [int(r["year"]) for r in rows] == list(range(2026, 2036))
    assert all(float(r["shortfall"]) == 0.0 for r in rows)


def test_post_plan_gives_the_same(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'test.db'}"), token=""))
    r = client.post("/plan", json=_case(500_000), params={"paths": 0})
    assert r.status_code == 200, r.text
    s = next(s for s in r.json()["strategies"] if s["key"] == "systematic")
    assert s["shortfall"] == 0.0 and "not spending.annual" in s["shortfall_measured_against"]


def test_the_report_says_the_unpaid_gift():
    html = render_plan_html(make_plan(parse_household(_case(90_000, **GIFT)), monte_carlo=False))
    assert "Systematic withdrawals (4.0% a year) leaves $164,833 of the gift unpaid" in html
    clean = render_plan_html(make_plan(parse_household(_case(90_000)), monte_carlo=False))
    assert "Unpaid on the case" not in clean
