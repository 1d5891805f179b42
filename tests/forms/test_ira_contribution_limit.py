"""The backdoor Roth's nondeductible contribution (``iras.backdoor_roth_planned``) against the IRA
contribution limit, through every door (exit 2 on the command line, 422 in the API, an error
row in batch).

The limit, from the law's text and the IRS's published figures (not from dist401k's output):
the lesser of the deductible amount and the compensation includible in gross income (IRC
§219(b)(1)); the deductible amount is $7,000 in 2024 and 2025 and $7,500 in 2026, plus a
catch-up of $1,000 in 2024 and 2025 and $1,100 in 2026 for one who has attained 50 before the
close of the year (§219(b)(5)(A)-(C); Notices 2023-75, 2024-80, 2025-67); nondeductible
contributions are held to the same limit (§408(o)(2)(B)).  On a joint return the spouse's
compensation counts too (§219(c)), which a case does not hold: no refusal on compensation.

Reviewer's case b (/review_8606/b.yaml): born 1965-04-04 (61 in 2026), $142,000 of wages, a
$50,000 backdoor Roth in 2026: above $7,500 + $1,100 = $8,600.  Before the fix it was a clean
$50,000 tax-free conversion on Form 8606.
"""

from __future__ import annotations

import datetime as dt
import json

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law
from refusals import refused
from routes.conftest import make

LAW = default_law()
FIELD = "iras.backdoor_roth_planned"

#: Reviewer's case b: 61 in 2026, single, $142,000 of wages.
CASE_B = {
    "id": "b",
    "person": {"birth_date": "1965-04-04", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2006-01-09"},
    "income": {"wages": 142000},
    "plan": {"type": "401k", "in_service": {"elective_deferral": {"allowed": True,
                                                                   "min_age": 59.5}},
             "accepts_rollins": True},
    "account": {"sources": {"elective_deferral": {"balance": 310000}}},
    "iras": {"traditional": 0, "traditional_basis": 0, "backdoor_roth_planned": 50000},
    "request": {"date": "2026-06-01", "amount": 10000},
}


def case(birth: str, year: int, amount: float, wages: float = 142000,
         status: str = "single") -> dict:
    return make(**{"person.birth_date": birth, "person.filing_status": status,
                   "income.wages": wages, "request.date": f"{year}-06-01",
                   FIELD: amount})


def problem(data: dict) -> str:
    """The one problem the case model names, on the backdoor field."""
    with pytest.raises(InputError) as exc:
        parse_case(data)
    (p,) = exc.value.problems
    assert p.field == FIELD, str(exc.value)
    return p.problem


def test_the_reviewers_50000_backdoor_is_refused_with_the_limit_and_the_rule():
    words = problem(CASE_B)
    assert "$8,600" in words and "§219(b)" in words and "§408(o)(2)(B)" in words


# (birth date, year, the most allowed): under 50 / 50 by December 31 / 61.
LIMITS = [("1980-06-01", 2024, 7000), ("1974-06-01", 2024, 8000),
          ("1980-06-01", 2025, 7000), ("1975-12-31", 2025, 8000),
          ("1980-06-01", 2026, 7500), ("1976-12-31", 2026, 8600),
          ("1977-01-01", 2026, 7500), ("1965-04-04", 2026, 8600)]


@pytest.mark.parametrize("birth,year,most", LIMITS)
def test_the_limit_of_the_year_and_age_is_allowed_a_dollar_more_is_not(birth, year, most):
    parse_case(case(birth, year, most))
    assert f"${most:,}" in problem(case(birth, year, most + 1))


def test_a_single_filer_is_held_to_the_compensation():
    # §219(b)(1)(B): $5,000 of wages, 40 in 2026 — $5,000, not $7,500.
    parse_case(case("1986-03-01", 2026, 5000, wages=5000))
    words = problem(case("1986-03-01", 2026, 7500, wages=5000))
    assert "$5,000" in words and "income.wages" in words and "§219(b)(1)(B)" in words


def test_a_joint_filer_is_not_refused_on_compensation_the_spouses_is_not_in_the_case():
    # §219(c): the spouses' combined compensation; only the dollar limit is checked.
    parse_case(case("1986-03-01", 2026, 7500, wages=0, status="married_joint"))
    assert "$7,500" in problem(case("1986-03-01", 2026, 9000, wages=0, status="married_joint"))


def test_the_command_line_exits_2_naming_the_field(tmp_path):
    path = tmp_path / "b.yaml"
    path.write_text(json.dumps(CASE_B))
    refused(["assess", path], FIELD, "$8,600")


def test_the_api_answers_422_naming_the_field(tmp_path):
    from dist401k.api import create_app
    from dist401k.store import Store

    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'c.sqlite'}"), token=""),
                        raise_server_exceptions=False)
    r = client.post("/assess", json=CASE_B)
    assert r.status_code == 422, r.text[:300]
    (d,) = r.json()["detail"]
    assert d["loc"] == ["body", "iras", "backdoor_roth_planned"] and "$8,600" in d["msg"]


ROW = {"request_date": dt.date(2026, 6, 1), "birth_date": dt.date(1965, 4, 4),
       "plan_type": "401k", "wages": 142000.0, "employment_status": "active",
       "balance_elective_deferral": 310000.0, "request_route": "in_service",
       "request_destination": "cash"}


@pytest.mark.parametrize("job", ["eligibility", "outcome", "forms"])
def test_a_batch_gives_an_error_row_naming_the_column(job):
    rows = [{**ROW, "ira_backdoor_roth_planned": 50000.0},
            {**ROW, "ira_backdoor_roth_planned": 8600.0},
            {**ROW, "ira_backdoor_roth_planned": 6000.0, "wages": 5000.0,
             "birth_date": dt.date(1990, 1, 1)}]
    bad, good, low = run_job(pa.Table.from_pylist(rows), job, LAW).to_pylist()
    assert (bad["status"], bad["error_column"]) == ("error", "ira_backdoor_roth_planned")
    assert "$8,600" in bad["error_message"] and "§219(b)" in bad["error_message"]
    assert good["status"] == "ok", good["error_message"]
    assert low["status"] == "error" and "$5,000" in low["error_message"]
