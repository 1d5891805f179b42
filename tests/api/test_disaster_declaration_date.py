"""The disaster's two dates, as IRC §72(t)(11) reads them: a qualified disaster recovery
distribution is one "made (i) on or after the first day of the incident period of a qualified
disaster and before the date that is 180 days after the applicable date with respect to such
disaster" ((A)(i)); the applicable date is the latest of the first day of the incident period,
the date of the disaster declaration and the date of enactment, December 29, 2022 ((D)).

``request.event_date`` is the incident's first day; ``request.disaster_declaration_date`` the
declaration.  The answers below are the statute's arithmetic worked by hand (calendar days), and
the 3-year spread of (E)(i): $22,000 included ratably over three years leaves two thirds,
$14,666.67, for the later years.  Every door (the case model, the CLI, the API, a batch row)
gives the same verdict."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import case_schema, parse_case
from dist401k.cli import app
from dist401k.explain import reason
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "disaster.yaml"
SPREAD_LATER = round(22000 * 2 / 3, 2)  # (E)(i): two of the three years' equal parts

#: The reviewer's case: the incident began 2026-01-10, the disaster was declared 2026-03-01
#: (the applicable date: 2026-03-01 + 180 days = 2026-08-28, already outside), paid 2026-08-01.
INCIDENT, DECLARED = "2026-01-10", "2026-03-01"


def _case(day: str = "2026-08-01", declared: str | None = DECLARED,
          incident: str = INCIDENT) -> dict:
    case = yaml.safe_load(EXAMPLE.read_text())
    case["request"].update(date=day, event_date=incident, destination="cash")
    case["request"]["date"] = str(case["request"]["date"])
    case["request"].pop("disaster_declaration_date", None)
    if declared is not None:
        case["request"]["disaster_declaration_date"] = declared
    return json.loads(json.dumps(case, default=str))


def _assess(case: dict) -> dict:
    return assess_cases([parse_case(copy.deepcopy(case))])[0]


def _summary(result: dict) -> dict:
    return next(s for s in result["route_summary"] if s["route"] == "disaster")


def _codes(result: dict) -> set[str]:
    row = next(r for r in result["routes"]
               if r["route"] == "disaster" and r["source"] == "elective_deferral")
    return {x["code"] for x in row["reasons"]}


def _disaster_outcome(result: dict) -> dict | None:
    return next((o for o in result["outcomes"]
                 if o["route"] == "disaster" and o["destination"] == "cash"), None)


def test_a_declaration_after_the_incident_keeps_the_exception():
    """Paid 2026-08-01: 212 days after the incident's first day but 153 after the declaration,
    before 2026-08-28 (180 days after the applicable date): qualified — no 10% tax, the income
    over three years (§72(t)(11)(E)(i))."""
    r = _assess(_case())
    assert _summary(r)["eligible"] is True
    assert "DS_WINDOW" not in _codes(r)
    o = _disaster_outcome(r)
    assert o is not None
    assert o["additional_tax_72t"] == 0
    assert o["taxable_later"] == pytest.approx(SPREAD_LATER, abs=0.01)


def test_paid_after_the_incident_began_but_before_the_declaration_qualifies():
    """The period opens on the incident's first day ((A)(i)), not on the declaration: a payment
    of 2026-02-15, after the incident began (2026-01-10) and before the declaration
    (2026-03-01), qualifies once the disaster is declared — the exception is claimed on the
    return (Form 8915-F), made after the declaration."""
    r = _assess(_case(day="2026-02-15"))
    assert _summary(r)["eligible"] is True
    o = _disaster_outcome(r)
    assert o is not None and o["additional_tax_72t"] == 0


@pytest.mark.parametrize(("day", "open_"), [("2026-08-27", True), ("2026-08-28", False)])
def test_day_179_and_day_180_after_the_declaration(day, open_):
    """2026-03-01 + 179 days = 2026-08-27 (inside); + 180 days = 2026-08-28, "the date that is
    180 days after the applicable date", already outside ((A)(i))."""
    r = _assess(_case(day=day))
    assert _summary(r)["eligible"] is open_
    assert ("DS_WINDOW" in _codes(r)) is not open_


@pytest.mark.parametrize(("day", "open_"), [("2026-07-08", True), ("2026-07-09", False)])
def test_the_latest_date_counts_a_declaration_before_the_incident_does_not(day, open_):
    """The applicable date is the latest of the dates ((D)): a declaration given as 2025-12-20,
    before the incident's first day 2026-01-10, leaves the incident's day: 2026-01-10 + 180 days
    = 2026-07-09, outside."""
    r = _assess(_case(day=day, declared="2025-12-20"))
    assert _summary(r)["eligible"] is open_


@pytest.mark.parametrize(("incident", "open_"), [(DECLARED, True), (INCIDENT, False)])
def test_without_a_declaration_date_the_event_date_is_both(incident, open_):
    """Backward compatible: ``event_date`` alone is the incident's first day and the applicable
    date — the declaration's day entered there keeps 2026-08-01 inside; the incident's first day
    (declared later, not said) leaves it 203 days after, outside, with the 10% tax on the
    hardship paid instead."""
    r = _assess(_case(declared=None, incident=incident))
    assert _summary(r)["eligible"] is open_
    assert ("DS_WINDOW" in _codes(r)) is not open_


# ── every door ─────────────────────────────────────────────────────────────────────────────

ROW = {"participant_id": "p1", "request_date": "2026-08-01", "birth_date": "1980-10-10",
       "filing_status": "single", "employment_status": "active", "hire_date": "2012-04-01",
       "wages": 74000.0, "plan_type": "401k", "disaster_adopted": True,
       "hardship_allowed": True, "balance_elective_deferral": 120000.0,
       "request_amount": 22000.0, "request_purpose": "disaster",
       "request_event_date": INCIDENT, "request_disaster_declared": True,
       "request_disaster_declaration_date": DECLARED, "request_destination": "cash",
       "request_route": "disaster"}


def _row_out(job: str, **changes) -> dict:
    row = dict(ROW, **changes)
    return run_job(pa.table({k: [v] for k, v in row.items()}), job, LAW).to_pylist()[0]


def test_every_door_gives_the_same_answer(tmp_path, client):
    case = _case()
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    cli = CliRunner().invoke(app, ["assess", "--format", "json", str(path)])
    assert cli.exit_code == 0, cli.output
    api = client.post("/assess", json=case)
    assert api.status_code == 200, api.text
    for answer in (_assess(case), json.loads(cli.stdout), api.json()):
        assert _summary(answer)["eligible"] is True
        o = _disaster_outcome(answer)
        assert o is not None and o["additional_tax_72t"] == 0
        assert o["taxable_later"] == pytest.approx(SPREAD_LATER, abs=0.01)
    eligibility = _row_out("eligibility")
    assert eligibility["status"] == "ok", eligibility
    assert eligibility["disaster_eligible"] is True
    outcome = _row_out("outcome")
    assert outcome["status"] == "ok", outcome
    assert outcome["additional_tax_72t"] == 0


def test_the_batch_row_without_the_column_reads_event_date_as_both():
    """The declaration column left blank: the row is answered as a case without the field —
    the incident's first day alone, 203 days before the payment, is outside."""
    out = _row_out("eligibility", request_disaster_declaration_date=None)
    assert out["status"] == "ok", out
    assert out["disaster_eligible"] is False


def test_a_bad_declaration_date_is_refused_naming_the_field(tmp_path, client):
    case = _case(declared="2026-02-30")
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    cli = CliRunner().invoke(app, ["assess", str(path)])
    assert cli.exit_code == 2 and "request.disaster_declaration_date" in cli.output, cli.output
    assert "Traceback" not in cli.output
    api = client.post("/assess", json=case)
    assert api.status_code == 422
    assert any(d["loc"] == ["body", "request", "disaster_declaration_date"]
               for d in api.json()["detail"]), api.json()
    row = _row_out("eligibility", request_disaster_declaration_date="2026-02-30")
    assert row["status"] == "error" and row["error_column"] == "request_disaster_declaration_date"


def test_the_schema_says_which_date_is_which():
    request = case_schema()["$defs"]["Request"]["properties"]
    assert "first day of the incident period" in request["event_date"]["description"]
    declared = request["disaster_declaration_date"]
    assert "declaration" in declared["description"] and "§72(t)(11)" in declared["description"]


def test_the_spread_cites_the_clause_that_spreads():
    """§72(t)(11)(E)(i) includes the amount "ratably over the 3-taxable-year period"; (E)(ii) only
    borrows §408A(d)(3)(E)'s special rules.  The reason and the parameter cite (E)(i)."""
    assert "§72(t)(11)(E)(i)" in reason("OC_DISASTER_SPREAD").citation
    refs = [r.title for r in LAW.param("secure2.disaster_spread_years").references]
    assert any("§72(t)(11)(E)(i)" in t for t in refs)


def test_an_incident_after_the_payment_is_refused_by_a_batch_row_as_by_a_case(tmp_path, client):
    """A payment before the incident's first day is none of the window ((A)(i) opens it "on or
    after the first day of the incident period"); the case model refuses such an event date
    naming the field, and a batch row gives the same verdict: an error row naming the column."""
    case = _case(incident="2026-09-01", declared=None)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    cli = CliRunner().invoke(app, ["assess", str(path)])
    assert cli.exit_code == 2 and "request.event_date" in cli.output, cli.output
    assert client.post("/assess", json=case).status_code == 422
    row = _row_out("eligibility", request_event_date="2026-09-01",
                   request_disaster_declaration_date=None)
    assert row["status"] == "error" and row["error_column"] == "request_event_date", row
    assert "after the request date" in row["error_message"]
