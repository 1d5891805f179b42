"""A separation date on or before the request date with ``employment.status`` active (given, or
by default where not given) is refused in one line naming both fields, the same in every door:
the command line (exit 2), the API (422 at ``employment.status``, which the web page shows
beside that field) and the batch (an error row under ``employment_status``, never a lost row).
Before, the date was silently dropped: the case was read as one still at work, and the rule of
55 it asks for (IRC §72(t)(2)(A)(v): a separation in or after the year the employee turns 55)
was never weighed.  Which of the two facts is wrong cannot be guessed; a separation date after
the request date is refused on its own ("is after the request date"), whatever the status: a
separation planned for later is not modelled."""

from __future__ import annotations

import copy
import datetime as dt

import pyarrow as pa
import pytest
import yaml
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.store import Store
from robustness.strategies import flat_rows

LAW = default_law()

#: The reviewer's case: born January 1, 1970 (56 in 2026), left February 1, 2026, asks on June 1.
NOSTATUS = {
    "id": "nostatus",
    "person": {"birth_date": "1970-01-01", "filing_status": "single"},
    "employment": {"hire_date": "2010-01-01", "separation_date": "2026-02-01"},
    "income": {"wages": 20000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 100000}}},
    "request": {"date": "2026-06-01", "amount": 10000},
}
#: The words, written out here (not taken from the code), for the case file's fields.
CASE_WORDS = ("employment.status: is active (the default where not given) but "
              "employment.separation_date {day} is on or before the request date: set "
              "employment.status to separated (or remove employment.separation_date)")
#: The same for the batch's columns.
BOOK_WORDS = ("employment_status: is active (the default where not given) but separation_date "
              "{day} is on or before the request date: set employment_status to separated (or "
              "remove separation_date)")


def _case(status: str | None = None, separated_on: str = "2026-02-01") -> dict:
    case = copy.deepcopy(NOSTATUS)
    case["employment"]["separation_date"] = separated_on
    if status is not None:
        case["employment"]["status"] = status
    return case


def _row(status: str | None, separated_on: dt.date | None, day: dt.date = dt.date(2026, 6, 1)):
    return {"participant_id": "nostatus", "request_date": day, "birth_date": dt.date(1970, 1, 1),
            "filing_status": "single", "plan_type": "401k", "employment_status": status,
            "hire_date": dt.date(2010, 1, 1), "separation_date": separated_on,
            "wages": 20000.0, "balance_elective_deferral": 100000.0, "request_amount": 10000.0}


def _book(rows: list[dict]) -> pa.Table:
    names = sorted({k for r in rows for k in r})
    return pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})


@pytest.mark.parametrize("status", [None, "active"])
@pytest.mark.parametrize("separated_on", ["2026-02-01", "2026-06-01"])  # before; the same day
def test_the_command_line_refuses_it_in_one_line(tmp_path, status, separated_on):
    path = tmp_path / "nostatus.yaml"
    path.write_text(yaml.safe_dump(_case(status, separated_on)))
    r = CliRunner().invoke(app, ["assess", str(path)])
    assert r.exit_code == 2, r.output
    assert r.output.strip().splitlines() == [
        f"error: nostatus.yaml: {CASE_WORDS.format(day=separated_on)}"], r.output
    assert "still work" not in r.output


def test_separated_it_is_the_rule_of_55(tmp_path):
    """Status separated: the rule of 55 applies (left in 2026, the year of turning 56: IRC
    §72(t)(2)(A)(v); Notice 87-13, Q&A-20), so the $10,000 paid after the separation owes no
    10% additional tax."""
    from dist401k.assess import assess_cases

    (answer,) = assess_cases([parse_case(_case("separated"))], LAW)
    (cash,) = [o for o in answer["outcomes"]
               if o["route"] == "separation" and o["destination"] == "cash"]
    assert cash["additional_tax_72t"] == 0 and cash["form_1099r_codes"] == ["2"]


def test_a_separation_after_the_request_is_refused_on_its_own():
    with pytest.raises(InputError) as exc:
        parse_case(_case(None, "2026-06-02"))
    assert [str(p) for p in exc.value.problems] == [
        "employment.separation_date: is after the request date"]
    (out,) = run_job(_book([_row(None, dt.date(2026, 6, 2))]), "eligibility", LAW).to_pylist()
    assert out["error_message"] == "separation_date: is after the request date"


@pytest.mark.parametrize("status", [None, "active"])
def test_the_api_answers_422_at_the_status(tmp_path, status):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'api.db'}"), token=""))
    r = client.post("/assess", json=_case(status))
    assert r.status_code == 422, r.text
    (hit,) = [d for d in r.json()["detail"] if d["loc"] == ["body", "employment", "status"]]
    assert hit["msg"] == CASE_WORDS.format(day="2026-02-01").split(": ", 1)[1]


def test_the_batch_gives_an_error_row_and_keeps_the_others():
    rows = [_row(None, dt.date(2026, 2, 1)), _row("active", dt.date(2026, 6, 1)),
            _row("separated", dt.date(2026, 2, 1)), _row("retired", dt.date(2026, 2, 1)),
            _row(None, None)]
    out = run_job(_book(rows), "eligibility", LAW).to_pylist()
    assert len(out) == len(rows)
    assert [o["status"] for o in out] == ["error", "error", "ok", "error", "ok"]
    assert out[0]["error_column"] == "employment_status"
    assert out[0]["error_message"] == BOOK_WORDS.format(day="2026-02-01")
    assert out[1]["error_message"] == BOOK_WORDS.format(day="2026-06-01")
    # A status that cannot be read is told so alone.
    assert out[3]["error_message"].startswith("employment_status: is not one of")
    assert "default" not in out[3]["error_message"]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(flat_rows(), st.sampled_from((None, "active")), st.data())
def test_the_doors_agree(row, status, data):
    """Any valid row, made active (or left blank) with a separation date between the hire and
    the request (both days included): refused by the case door at employment.status and an
    error row under employment_status, in the same words but for the fields' names; with
    status separated, taken by both."""
    request = dt.date.fromisoformat(row["request_date"])
    hire = dt.date.fromisoformat(row["hire_date"])
    left = data.draw(st.dates(hire, request)).isoformat()
    bad = {**row, "employment_status": status, "separation_date": left}
    (out,) = run_job(_book([bad]), "eligibility", LAW).to_pylist()
    assert out["status"] == "error", out
    assert BOOK_WORDS.format(day=left) in out["error_message"]
    with pytest.raises(InputError) as exc:
        parse_case(row_to_case(bad))
    found = [p.problem for p in exc.value.problems if p.field == "employment.status"]
    assert found == [CASE_WORDS.format(day=left).split(": ", 1)[1]], exc.value.problems
    as_book = found[0].replace("employment.status", "employment_status").replace(
        "employment.separation_date", "separation_date")
    assert f"employment_status: {as_book}" in out["error_message"]
    good = {**bad, "employment_status": "separated"}
    (out,) = run_job(_book([good]), "eligibility", LAW).to_pylist()
    assert "employment_status" not in (out["error_message"] or ""), out
    parse_case(row_to_case(good))
