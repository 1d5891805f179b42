"""The claiming ages the plan prints reproduce it: each row of ``claiming.compared`` (its ages
to four decimals) fed back as ``claim_age``, without the search, gives that row's plan to the
cent — a claiming age is taken to the nearest whole month (docs/plan.md, "Social Security"; 42
U.S.C. §402(a); 20 CFR 404.311), so 69.6667 is 69 and 8 months, as 69.66666666666667 is.

The case (one person, born April 12, 1964, PIA $3,200, living to 88) was chosen so that the
search's best is a month whose four decimals are not the month itself (69 and 8 months: 69.6667)
— a claim read at the fractional age paid 69.6667 a fraction of a month other than 69 and 8
months; the expected figures are the search's own rows, the point being that the two doors agree."""

from __future__ import annotations

import json
from functools import cache

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app

CASE = {"id": "claim-trip", "start_year": 2026,
        "people": [{"name": "Pat", "birth_date": "1964-04-12", "life_expectancy": 88,
                    "social_security": {"monthly_at_full_age": 3200},
                    "accounts": {"pretax": 800_000, "roth": 100_000}}],
        "taxable": {"balance": 200_000, "basis": 150_000},
        "spending": {"annual": 60_000}}
FIGURES = ("spending_real", "lifetime_tax_real", "irmaa", "estate_real")


@cache
def _plan(search: bool, claim_age: float | None = None) -> dict:
    """``dist401k plan -f json --no-monte-carlo`` of the case, searching the claiming ages or
    claiming at ``claim_age``."""
    import tempfile
    from pathlib import Path

    case = json.loads(json.dumps(CASE))
    if search:
        case["strategy"] = {"search_claiming": True}
    if claim_age is not None:
        case["people"][0]["social_security"]["claim_age"] = claim_age
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "case.yaml"
        path.write_text(yaml.safe_dump(case))
        r = CliRunner().invoke(app, ["plan", str(path), "-f", "json", "--no-monte-carlo"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _compared() -> list[dict]:
    return _plan(True)["claiming"]["compared"]


def test_the_case_searches_to_a_month_four_decimals_do_not_write_exactly():
    best = _plan(True)["claiming"]
    assert best["claim_ages"] == [69 + 8 / 12]
    assert [r["claim_ages"] for r in best["compared"] if r["choice"] == "best"] == [[69.6667]]


@pytest.mark.parametrize("choice", ["best", "full_retirement_age", "last_age"])
def test_each_compared_rows_ages_fed_back_give_its_plan_to_the_cent(choice):
    row = next(r for r in _compared() if r["choice"] == choice)
    plan = _plan(False, row["claim_ages"][0])
    optimum = next(s for s in plan["strategies"] if s["key"] == "optimal")
    assert {k: optimum[k] for k in FIGURES} == {k: row[k] for k in FIGURES}


def test_four_decimals_and_full_precision_give_the_same_plan():
    """The best's ages as printed in the row (69.6667) and as in ``claiming.claim_ages`` (full
    precision): every strategy and every cell of the year table the same."""
    rounded, full = _plan(False, 69.6667), _plan(False, 69 + 8 / 12)
    assert rounded["strategies"] == full["strategies"]
    assert rounded["table"] == full["table"]
    assert rounded["table"] == _plan(True)["table"]
