"""Roth years the law had not yet made possible are one-line input errors naming the field, the
same through every door: a case file (CLI exit 2), the API (422) and a flat batch row (an error
row naming its column).

- Designated Roth contributions: IRC §402A, added by EGTRRA §617, effective for taxable years
  beginning after December 31, 2005 (law ``roth.five_year_period``, from 2006-01-01): a first
  year of 2005 is impossible, 2006 is the first.
- Roth IRAs: §408A, from 1998 (law ``roth.ira_five_year_period``): an inherited Roth IRA's first
  year (``beneficiary.account: ira``, ``roth: true``) may be 2005, not 1997.
- In-plan Roth rollovers: §402A(c)(4), added by the Small Business Jobs Act of 2010, §2112, for
  distributions after September 27, 2010 (law ``roth.in_plan_rollover_recapture_years``, from
  2010-09-28): a rollover year of 2009 is impossible, 2010 is the first."""

from __future__ import annotations

import copy
import json

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from api.conftest import example
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
FIRST = "account.sources.roth_deferral.first_year"
IRR = "account.sources.roth_deferral.in_plan_roth_rollovers.0.year"

#: Born 1960 (the reviewer's a.yaml), separated in 2025, designated Roth money only.
CASE = {
    "id": "roth-years",
    "person": {"birth_date": "1960-06-01", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2000-01-01",
                   "separation_date": "2025-06-30"},
    "income": {"wages": 50000},
    "plan": {"type": "401k"},
    "account": {"sources": {"roth_deferral": {
        "balance": 23000, "contributions": 21850, "first_year": 2015,
        "in_plan_roth_rollovers": []}}},
    "request": {"date": "2026-03-01", "amount": 12000, "destination": "cash"},
}


def _case(first_year: int = 2015, irr_year: int | None = None) -> dict:
    c = copy.deepcopy(CASE)
    src = c["account"]["sources"]["roth_deferral"]
    src["first_year"] = first_year
    if irr_year is not None:
        src["in_plan_roth_rollovers"] = [{"year": irr_year, "amount": 1000}]
    return c


def _problems(case: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        parse_case(case)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize("first_year, irr_year, field, words", [
    (2005, None, FIRST, "is before 2006"),
    (1985, None, FIRST, "is before 2006"),
    (2015, 2009, IRR, "is before 2010"),
])
def test_an_impossible_roth_year_is_a_one_line_error_naming_the_field(first_year, irr_year,
                                                                       field, words):
    found = _problems(_case(first_year, irr_year))
    assert len(found) == 1 and field in found[0] and words in found[0], found


def test_the_first_possible_years_are_taken():
    parse_case(_case(2006, 2010))


def test_an_inherited_roth_iras_first_year_is_a_roth_iras():
    """examples/cases/inherited-roth.yaml: the grandfather's Roth IRA, first year 2005 — a Roth
    IRA's, not a designated Roth account's, so taken; 1997, before Roth IRAs, is not."""
    case = example("inherited-roth")
    parse_case(case)
    case["account"]["sources"]["rollover_roth"]["first_year"] = 1997
    found = _problems(case)
    assert len(found) == 1 and "account.sources.rollover_roth.first_year" in found[0]
    assert "is before 1998" in found[0]


@pytest.mark.parametrize("first_year, irr_year, field", [
    (1985, None, FIRST), (2015, 2005, IRR)])
def test_the_cli_exits_2_and_the_api_answers_422(tmp_path, client, first_year, irr_year,
                                                 field):
    case = _case(first_year, irr_year)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["assess", str(path)])
    assert r.exit_code == 2 and field in r.output, r.output
    api = client.post("/assess", json=json.loads(json.dumps(case)))
    assert api.status_code == 422
    hits = [d for d in api.json()["detail"] if ".".join(map(str, d["loc"][1:])) == field]
    assert hits and "is before" in hits[0]["msg"], api.json()


def test_a_batch_row_is_an_error_row_with_the_same_words():
    """The same first years as flat rows (``roth_first_year_roth_deferral``): 1985 and 2005 are
    error rows with the case file's words; 2006 is answered; and a year after the request's, as
    a case file refuses it, is an error row too."""
    base = {"participant_id": "p", "request_date": "2026-03-01", "birth_date": "1960-06-01",
            "filing_status": "single", "employment_status": "separated",
            "hire_date": "2000-01-01", "separation_date": "2025-06-30", "wages": 50000.0,
            "plan_type": "401k", "balance_roth_deferral": 23000.0,
            "roth_contributions_roth_deferral": 21850.0, "request_amount": 12000.0}
    years = [1985.0, 2005.0, 2006.0, 2027.0]
    rows = [dict(base, participant_id=f"p{int(y)}", roth_first_year_roth_deferral=y)
            for y in years]
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    out = run_job(table, "eligibility", LAW).to_pylist()
    assert [r["status"] for r in out] == ["error", "error", "ok", "error"]
    words = str(_problems(_case(2005))[0]).split(": ", 1)[1]
    for r in out[:2]:
        assert r["error_column"] == "roth_first_year_roth_deferral"
        assert r["error_message"] == f"roth_first_year_roth_deferral: {words}"
    assert out[3]["error_message"] == "roth_first_year_roth_deferral: is after the request year"
    found = _problems(_case(2027))
    assert len(found) == 1 and FIRST in found[0] and "is after the request year" in found[0]
