"""The Python entry point ``dist401k.assess.assess_cases`` answers as the other doors do
(docs/library.md: "each answer the JSON of `dist401k assess --format json`"): a periodic
payment's federal withholding that is not figured is null there too — unknown, never $0.00
withheld (docs/assess.md, "Withholding not figured").

A payment of a periodic series is withheld from as wages (IRC §3405(a)), by Pub. 15-T's tables;
the law holds none for a tax year before 2025, so in 2024 the withholding is not figured (reason
``SR_WITHHOLDING_WAGES``).  In 2025, by hand from Pub. 15-T (2025), Worksheet 1A and its Annual
Percentage Method table (single, no W-4P, §3405(a)(4)): $2,000 a month, all taxable:
24,000 − 8,600 = 15,400; 10% of the excess over 6,400: 900.00 a year, $75.00 a payment.

The comparison prices its options from the figures (:func:`dist401k.assess.assess_figures`) and
shows the same withholding as unknown."""

from __future__ import annotations

import json

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.assess import assess_cases, assess_figures
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.store import Store

runner = CliRunner()

#: The reviewer's case: born 1960-03-03, separated in 2020, a $3,000 payment of a life annuity
#: begun 2024-01-01, no other income.
CASE = {
    "id": "s2024",
    "person": {"birth_date": "1960-03-03", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "1990-01-01",
                   "separation_date": "2020-06-30"},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 500000}}},
    "request": {"date": "2024-07-01", "amount": 3000, "series": "life",
                "annuity_start_date": "2024-01-01"},
}
#: A monthly $2,000 annuity with $60,000 of wages (tests/forms/test_withholding_not_figured_blank.py):
#: (tax year, the withholding by hand, None where not figured).
MONTHLY = {
    "person": {"birth_date": "1958-03-01", "filing_status": "single"},
    "plan": {"type": "401k"},
    "employment": {"status": "separated", "separation_date": "2023-06-30",
                   "hire_date": "2000-01-01"},
    "income": {"wages": 60000},
    "account": {"sources": {"elective_deferral": {"balance": 300000}}},
    "request": {"date": "2024-03-01", "amount": 2000, "series": "life",
                "annuity_start_date": "2024-01-01", "series_payments_per_year": 12,
                "destination": "cash"},
}
YEARS = [(2024, None), (2025, 75.00)]


def _monthly(year: int) -> dict:
    case = json.loads(json.dumps(MONTHLY))
    case["request"]["date"] = f"{year}-03-01"
    return case


def _withholdings(answer: dict) -> list:
    return [(o["route"], o["destination"], o["withholding"]) for o in answer["outcomes"]]


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    db = tmp_path_factory.mktemp("w") / "w.db"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""))


def test_the_library_gives_null_for_the_reviewers_2024_annuity():
    (answer,) = assess_cases([parse_case(json.loads(json.dumps(CASE)))])
    (o,) = answer["outcomes"]
    assert "SR_WITHHOLDING_WAGES" in [r["code"] for r in o["reasons"]]
    assert o["withholding"] is None
    assert o["check_received"] == 3000.00  # the payment before the unknown withholding
    assert o["form_1099r"][0]["box_4"] is None


@pytest.mark.parametrize(("year", "withheld"), YEARS)
def test_library_cli_and_api_give_the_same_withholding(tmp_path, client, year, withheld):
    case = _monthly(year)
    (lib,) = assess_cases([parse_case(json.loads(json.dumps(case)))])
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = runner.invoke(app, ["assess", "--format", "json", str(path)])
    assert r.exit_code == 0, r.output
    cli = json.loads(r.stdout)
    api = client.post("/assess", json=case)
    assert api.status_code == 200, api.text
    assert _withholdings(lib) == _withholdings(cli) == _withholdings(api.json())
    cash = next(o for o in lib["outcomes"] if o["destination"] == "cash")
    if withheld is None:
        assert cash["withholding"] is None
    else:
        assert cash["withholding"] == pytest.approx(withheld, abs=0.005)


def test_the_figures_keep_a_number_for_pricing_and_the_comparison_says_unknown():
    case = parse_case(json.loads(json.dumps(CASE)))
    (figures,) = assess_figures([case])
    assert figures["outcomes"][0]["withholding"] == 0.0  # counted as $0 only to price options
    cmp = compare_case(case)
    assert cmp["assessment"]["outcomes"][0]["withholding"] is None
    cash = [o for o in cmp["options"] if o.get("check_received")]
    assert cash and all(o["withholding"] is None for o in cash)
