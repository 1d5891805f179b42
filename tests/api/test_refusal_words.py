"""The words of four refusals, each naming the field and its problem truly, the same through
every door (DESIGN.md, "Bad input gets a clear error, naming the field and the problem").
Each test failed before its fix:

1. a body nested too deep was "not a case" on endpoints whose body is no case (a tax request,
   a drawdown plan, a saved case);
2. ``GET /law?year=2026.5`` was "is not a number" where ``POST /tax`` says "is not a whole year";
3. a date written YYYY-MM-DD that names no day (February 30) was "is not a date (YYYY-MM-DD)",
   as if its format were wrong;
4. a request dated 2200 was blamed on ``person.birth_date`` ("gives an age over 120") instead
   of the request's date, whose year is beyond the law's years.

The expected words are worked by hand: the month lengths of the Gregorian calendar (February
has 29 days in a year divisible by 4, a century only if divisible by 400), and the law's years
of ``params/meta/years.yaml`` (first_year 2024, projected_through 2100).
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.dates import date_problem

ROOT = Path(__file__).parents[2]
CASES = ROOT / "examples" / "cases"
PLAN = ROOT / "examples" / "plans" / "single-retiree.yaml"
runner = CliRunner()


def _example(name: str) -> dict:
    return yaml.safe_load((CASES / f"{name}.yaml").read_text())


def _jsonable(case: dict) -> dict:
    """The example case with its dates as text (YAML reads them as dates)."""
    import json

    return json.loads(json.dumps(case, default=str))


DEEP = ("[" * 5000 + "]" * 5000).encode()
JSON = {"content-type": "application/json"}


# 1. A body nested too deep names what the endpoint's body is ---------------------------------

@pytest.mark.parametrize(("method", "path", "what"), [
    ("post", "/assess", "a case"),
    ("post", "/compare", "a case"),
    ("post", "/tax", "a tax request"),
    ("post", "/plan", "a drawdown plan"),
    ("post", "/plan/report", "a drawdown plan"),
    ("post", "/cases", "a saved case"),
    ("put", "/cases/abc", "a saved case"),
])
def test_a_body_nested_too_deep_is_named_as_the_endpoints_body(client, method, path, what):
    r = getattr(client, method)(path, content=DEEP, headers=JSON)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body"], "type": "json_invalid",
                                   "msg": f"nests deeper than 64 levels: not {what}"}]


# 2. A year that is a number but not a whole one ----------------------------------------------

def test_a_fractional_year_is_not_a_whole_year_in_get_law_as_in_post_tax(client):
    law = client.get("/law", params={"names": "early_distributions.age", "year": "2026.5"})
    assert law.status_code == 422
    assert law.json()["detail"] == [{"loc": ["query", "year"], "msg": "is not a whole year",
                                     "type": "int_parsing"}]
    tax = client.post("/tax", json={"units": [{"tax_year": 2026.5, "filing_status": "single"}]})
    assert tax.status_code == 422
    assert [(d["loc"], d["msg"]) for d in tax.json()["detail"]] == [
        (["body", "units", 0, "tax_year"], "is not a whole year")]


@pytest.mark.parametrize("year", ["abc", "nan", "1e3"])
def test_a_year_that_is_no_number_keeps_its_words(client, year):
    """Text that reads as no number, or not as an integer's digits, is still "is not a
    number" (the other words of the field are unchanged)."""
    r = client.get("/law", params={"names": "early_distributions.age", "year": year})
    assert r.status_code == 422
    assert r.json()["detail"][0]["msg"] == "is not a number"


@pytest.mark.parametrize(("paths", "words"), [("2.5", "must be a whole number"),
                                              ("abc", "is not a number")])
def test_a_fractional_count_of_paths_is_not_a_whole_number(client, paths, words):
    """``POST /plan?paths=2.5`` said "is not a number": 2.5 is a number, but not a count of
    paths (the words of ``monte_carlo.paths: 2.5`` in a plan file)."""
    r = client.post("/plan", params={"paths": paths}, json={})
    assert r.status_code == 422
    assert r.json()["detail"][0] == {"loc": ["query", "paths"], "msg": words,
                                     "type": "int_parsing"}


# 3. A date in the right format that names no day --------------------------------------------

@pytest.mark.parametrize(("text", "words"), [
    ("2026-02-30", "is not a day of the calendar (February 2026 has 28 days)"),
    ("2026-02-29", "is not a day of the calendar (February 2026 has 28 days)"),
    ("1996-02-30", "is not a day of the calendar (February 1996 has 29 days)"),
    ("1900-02-29", "is not a day of the calendar (February 1900 has 28 days)"),
    ("2000-02-30", "is not a day of the calendar (February 2000 has 29 days)"),
    ("2026-04-31", "is not a day of the calendar (April 2026 has 30 days)"),
    ("2026-01-00", "is not a day of the calendar (January 2026 has 31 days)"),
    ("2026-13-01", "is not a day of the calendar (a month is 01 to 12)"),
    ("0000-01-01", "is not a day of the calendar (the years start at 0001)"),
    # a wrong format keeps its words
    ("2026-2-3", "is not a date (YYYY-MM-DD)"),
    ("2026-06-01T10:00", "is not a date (YYYY-MM-DD)"),
    ("yesterday", "is not a date (YYYY-MM-DD)"),
    (20260601, "is not a date (YYYY-MM-DD)"),
])
def test_the_words_of_a_value_that_is_not_a_date(text, words):
    assert date_problem(text) == words


def test_february_30_through_post_assess_names_the_field_and_the_day(client):
    case = _jsonable(_example("inherited-roth"))
    case["request"]["date"] = "2026-02-30"
    case["person"]["birth_date"] = "1996-02-30"
    r = client.post("/assess", json=case)
    assert r.status_code == 422
    assert sorted((tuple(d["loc"]), d["msg"]) for d in r.json()["detail"]) == [
        (("body", "person", "birth_date"),
         "is not a day of the calendar (February 1996 has 29 days)"),
        (("body", "request", "date"), "is not a day of the calendar (February 2026 has 28 days)")]


def test_february_30_in_a_yaml_case_file_names_the_field_and_the_day(tmp_path):
    text = (CASES / "inherited-roth.yaml").read_text()
    assert "  date: 2026-11-23" in text
    path = tmp_path / "case.yaml"
    path.write_text(text.replace("  date: 2026-11-23", "  date: 2026-02-30"))
    r = runner.invoke(app, ["assess", str(path)])
    assert r.exit_code == 2, r.output
    assert r.output.strip() == ("error: case.yaml: request.date: is not a day of the calendar "
                                "(February 2026 has 28 days)")


def test_february_30_in_a_plan_file_names_the_field_and_the_day(tmp_path):
    text = PLAN.read_text()
    assert "birth_date: 1961-03-01" in text
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace("birth_date: 1961-03-01", "birth_date: 1961-02-30"))
    r = runner.invoke(app, ["plan", str(path)])
    assert r.exit_code == 2, r.output
    assert "people.0.birth_date: is not a day of the calendar (February 1961 has 28 days)" \
        in r.output, r.output


# 4. A request year beyond the law is the request date's error -------------------------------

BEYOND = "tax year 2200 is not a year dist401k has law for (known: 2024–2100)"


def test_a_request_in_2200_names_the_request_date_not_the_birth_date(client):
    case = _jsonable(_example("inherited-roth"))
    case["request"]["date"] = "2200-11-23"
    r = client.post("/assess", json=case)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "request", "date"], "msg": BEYOND,
                                   "type": "value_error"}]
    saved = client.post("/cases", json={"case": case})
    assert saved.status_code == 422
    assert [(d["loc"], d["msg"]) for d in saved.json()["detail"]] == [
        (["body", "case", "request", "date"], BEYOND)]


def test_a_request_in_2200_in_a_yaml_case_file_names_the_request_date(tmp_path):
    text = (CASES / "inherited-roth.yaml").read_text()
    path = tmp_path / "case.yaml"
    path.write_text(text.replace("  date: 2026-11-23", "  date: 2200-11-23"))
    r = runner.invoke(app, ["assess", str(path)])
    assert r.exit_code == 2, r.output
    assert r.output.strip() == f"error: case.yaml: request.date: {BEYOND}"


def test_a_qdro_request_in_2200_names_the_request_date_not_the_participants_birth(client):
    case = _jsonable(_example("qdro-former-spouse"))
    case["alternate_payee"]["participant_birth_date"] = "1979-05-01"
    case["request"]["date"] = "2200-06-01"
    r = client.post("/assess", json=case)
    assert r.status_code == 422
    assert [(d["loc"], d["msg"]) for d in r.json()["detail"]] == [
        (["body", "request", "date"], BEYOND)]


def test_an_age_over_120_within_the_laws_years_still_names_the_birth_date(client):
    """The age check is unchanged where the year has law: born 1900, a request in 2026 is an
    age of 126."""
    case = copy.deepcopy(_jsonable(_example("inherited-roth")))
    case["person"]["birth_date"] = "1900-01-01"
    r = client.post("/assess", json=case)
    assert r.status_code == 422
    assert [(d["loc"], d["msg"]) for d in r.json()["detail"]] == [
        (["body", "person", "birth_date"], "gives an age over 120")]
