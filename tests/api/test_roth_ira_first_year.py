"""The first year of Roth IRAs is law (``roth.ira_first_year``): IRC §408A, added by the
Taxpayer Relief Act of 1997 (P.L. 105-34), §302(a), whose §302(f) makes it apply "to taxable
years beginning after December 31, 1997" (111 Stat. 829) — 1998 for a calendar-year taxpayer.

A Roth IRA year before it (``iras.roth_first_year``, ``iras.roth_conversions.*.year``, the flat
column ``ira_roth_first_year``) is a one-line error naming the field with the law's words, the
same as an inherited Roth IRA's first year (tests/api/test_roth_law_years.py): "is before
1998: Roth IRAs began in 1998 (IRC §408A)".  1998 itself is taken."""

from __future__ import annotations

import copy
import json

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
WORDS = "is before 1998: Roth IRAs began in 1998 (IRC §408A)"

CASE = {
    "id": "roth-ira-years",
    "person": {"birth_date": "1960-06-01", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2000-01-01",
                   "separation_date": "2025-06-30"},
    "income": {"wages": 50000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 23000}}},
    "iras": {"roth": 10000},
    "request": {"date": "2026-03-01", "amount": 12000, "destination": "cash"},
}


def _case(**iras) -> dict:
    c = copy.deepcopy(CASE)
    c["iras"].update(iras)
    return c


def _problems(case: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        parse_case(case)
    return [str(p) for p in exc.value.problems]


def test_the_law_file_holds_the_first_year_with_its_citation():
    p = LAW.param("roth.ira_first_year")
    assert int(LAW.get("roth.ira_first_year", 2026)) == 1998
    assert p.dates[0].isoformat() == "1998-01-01"
    cited = p.citation
    assert "§408A" in cited and "105-34" in cited and "302(f)" in cited


@pytest.mark.parametrize("iras, field", [
    ({"roth_first_year": 1997}, "iras.roth_first_year"),
    ({"roth_first_year": 1990}, "iras.roth_first_year"),
    ({"roth_conversions": [{"year": 1997, "amount": 5000}]}, "iras.roth_conversions.0.year"),
])
def test_a_roth_ira_year_before_the_law_is_refused_in_its_words(iras, field):
    found = _problems(_case(**iras))
    assert found == [f"{field}: {WORDS}"], found


def test_the_first_year_itself_is_taken():
    case = parse_case(_case(roth_first_year=1998,
                            roth_conversions=[{"year": 1998, "amount": 5000}]))
    assert case.iras.roth_first_year == 1998 and case.iras.roth_conversions[0].year == 1998


def test_the_cli_exits_2_and_the_api_answers_422_alike(tmp_path, client):
    case = _case(roth_first_year=1997)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["assess", str(path)])
    assert r.exit_code == 2 and f"iras.roth_first_year: {WORDS}" in " ".join(r.output.split())
    api = client.post("/assess", json=json.loads(json.dumps(case)))
    assert api.status_code == 422
    hits = [d for d in api.json()["detail"]
            if ".".join(map(str, d["loc"][1:])) == "iras.roth_first_year"]
    assert hits and hits[0]["msg"] == WORDS, api.json()


def test_a_batch_row_is_an_error_row_with_the_same_words():
    base = {"participant_id": "p", "request_date": "2026-03-01", "birth_date": "1960-06-01",
            "filing_status": "single", "employment_status": "separated",
            "hire_date": "2000-01-01", "separation_date": "2025-06-30", "wages": 50000.0,
            "plan_type": "401k", "balance_elective_deferral": 23000.0, "ira_roth": 10000.0,
            "request_amount": 12000.0}
    rows = [dict(base, participant_id=f"p{y}", ira_roth_first_year=float(y))
            for y in (1997, 1998)]
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    out = run_job(table, "eligibility", LAW).to_pylist()
    assert [r["status"] for r in out] == ["error", "ok"], out
    assert out[0]["error_column"] == "ira_roth_first_year"
    assert out[0]["error_message"] == f"ira_roth_first_year: {WORDS}"


def test_the_planners_bound_is_the_law_year():
    from dist401k.planner import household

    assert household.FIRST_ROTH_YEAR == int(LAW.get("roth.ira_first_year", 2026))
