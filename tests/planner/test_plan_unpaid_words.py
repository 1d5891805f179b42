"""What the plan says of a strategy that leaves the need unpaid under ``max_estate``, and what
its footer says "spending a year" is, for each objective.

Before, the terminal said of such a strategy "so it is not ranked: its estate is larger for
what it did not spend" — false where its estate is the smallest (the shipped couple-estate
plan: the systematic strategy's $743,145 against $1.51M–$1.71M), and its "spending a year" (a
mean above the need) was not said to be a mean; the footer said "the most a year that lasts"
under both objectives, though under ``max_estate`` each strategy is given the need.

The case worked by hand: Ann, born 1950-01-01, planned 2026–2030 (five years), $100,000 in a
Roth IRA opened in 2000 (every payment a qualified distribution, free of tax: IRC
§408A(d)(1), (2)), no returns and no inflation, a need of $8,000 a year, the systematic rate
10%:

- the strategies that pay the need leave 100,000 − 5 × 8,000 = $60,000;
- the systematic strategy pays 10% of the balance: 10,000, 9,000, 8,100, 7,290, 6,561
  ($40,951, a mean of $8,190.20, above the need); it leaves 100,000 × 0.9^5 = $59,049 (the
  smallest estate) and is short (8,000 − 7,290) + (8,000 − 6,561) = $2,149 in two years.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dist401k.cli import app

CASE = {"id": "roth", "start_year": 2026,
        "people": [{"name": "Ann", "birth_date": "1950-01-01", "life_expectancy": 80,
                    "accounts": {"roth": 100_000, "roth_first_year": 2000}}],
        "market": {"stocks": 0.0, "bonds": 0.0, "cash": 0.0, "inflation": 0.0},
        "magi_history": [0, 0],
        "strategy": {"objective": "max_estate", "systematic_rate": 0.10},
        "spending": {"annual": 8_000}}


def _plan(tmp_path, objective: str, fmt: str = "table") -> str:
    case = json.loads(json.dumps(CASE))
    case["strategy"]["objective"] = objective
    path = tmp_path / f"{objective}.json"
    path.write_text(json.dumps(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo", "-f", fmt],
                           env={"COLUMNS": "250"})
    assert r.exit_code == 0, r.output
    return " ".join(r.stdout.split())


@pytest.fixture(scope="module")
def estate_out(tmp_path_factory) -> str:
    return _plan(tmp_path_factory.mktemp("estate"), "max_estate")


def test_the_hand_figures(tmp_path):
    """The case is what the docstring works: the systematic estate is the smallest, its mean
    spending above the need, $2,149 of the need unpaid."""
    j = json.loads(_plan(tmp_path, "max_estate", "json"))
    by = {s["key"]: s for s in j["strategies"]}
    assert (by["systematic"]["estate_real"], by["systematic"]["shortfall"]) == (59_049.0, 2_149.0)
    assert by["systematic"]["spending_real"] == pytest.approx(8_190.20, abs=0.01)
    assert all(by[k]["estate_real"] == 60_000.0 for k in ("order", "fill", "optimal"))


def test_the_unpaid_strategy_is_not_said_to_have_the_larger_estate(estate_out):
    """Only what is true: it leaves $2,149 unpaid, so it is not ranked; nothing of its estate
    (here the smallest)."""
    assert "larger for what it did not spend" not in estate_out
    assert ("Systematic withdrawals (10.0% a year) leaves $2,149 of the need (spending.annual) "
            "unpaid, so it is not ranked (the estates are compared only among the strategies "
            "that pay the need)") in estate_out


def test_its_spending_a_year_is_said_to_be_a_mean_short_in_some_years(estate_out):
    """Its 8,190 a year is above the need of 8,000, yet short in two years: the words say the
    figure is a mean and that some year pays less than the need."""
    assert ("its spending a year, 8,190 in today's dollars, is its mean over the years, and it "
            "pays less than the need in one year or more") in estate_out


def test_the_footer_gives_max_estate_its_own_words(estate_out):
    """Under max_estate each strategy is given the need: the footer says so, not "the most a
    year that lasts" (max_spending's words)."""
    assert "the most a year that lasts" not in estate_out
    assert "Strategy spending: the need (spending.annual) each strategy is to pay" in estate_out


def test_the_footer_under_max_spending_keeps_its_words(tmp_path):
    out = _plan(tmp_path, "max_spending")
    assert "Strategy spending: the most a year that lasts" in out
    assert "the need (spending.annual) each strategy is to pay" not in out
