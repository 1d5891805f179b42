"""Through both doors of the report (POST /report and ``dist401k report``), a loan owed with the
plan's limit on loans at once not given (``plan.loans.max_count``) is said to rest on an
assumption, not stated as the plan's fact (as the assess page says it: app.js routeWhy); given,
it is the plan's fact. Needs the doors to pass the case to the report (render_html's ``case``)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from compare.test_report_nothing_payable import AS_FACT, text, ways_out, with_count
from dist401k.api import create_app
from dist401k.cli import app


def by_api(case: dict, tmp_path) -> str:
    r = TestClient(create_app(token="")).post("/report", json=case)
    assert r.status_code == 200, r.text[:300]
    return r.text


def by_cli(case: dict, tmp_path) -> str:
    path, out = tmp_path / "case.json", tmp_path / "report.html"
    path.write_text(json.dumps(case))
    r = CliRunner().invoke(app, ["report", str(path), "-o", str(out)])
    assert r.exit_code == 0, r.output
    return out.read_text()


@pytest.mark.parametrize("door", [by_api, by_cli], ids=["api", "cli"])
def test_each_door_says_the_loan_count_was_assumed(door, tmp_path):
    """One loan of $20,000 owed, the plan's count not given: the case's default of one loan at
    once closed the loan, so the report says that it was not given and names the field."""
    page = door(with_count(None), tmp_path)
    assert AS_FACT not in text(page)
    assert "limit on loans at once was not given" in ways_out(page)
    assert "[plan.loans.max_count]" in text(page)


@pytest.mark.parametrize("door", [by_api, by_cli], ids=["api", "cli"])
def test_each_door_states_a_given_count_as_the_plans(door, tmp_path):
    """plan.loans.max_count: 1 given with one loan owed: the plan's own limit, stated as such."""
    page = door(with_count(1), tmp_path)
    assert f"Plan loan no — {AS_FACT}. [Plan document]" in ways_out(page)
    assert "was not given" not in text(page)
