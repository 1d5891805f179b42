"""An API integrator's review (docs/api.md): where a problem is (``loc``) is a path that exists
in the body, its list indices integers as FastAPI's published ``ValidationError`` schema has
them; every body refuses the keys it does not read; a plan's unknown ``start_year`` is named
first; the OpenAPI description declares the answers each operation gives; the comparison and
the 72(t) series say which law answered them, the same in the API and the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.conftest import example
from dist401k.api import create_app
from dist401k.cli import app as cli
from dist401k.law import default_law
from dist401k.store import Store

ROOT = Path(__file__).parents[2]
UNIT = {"tax_year": 2026, "filing_status": "single", "wages": 1}
UNKNOWN = "is not a field dist401k knows"


def jsonable(data: dict) -> dict:
    return json.loads(json.dumps(data, default=str))


def plan_case() -> dict:
    return jsonable(yaml.safe_load((ROOT / "examples/plans/early-retiree.yaml").read_text()))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "review.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""))


def locs(r) -> list[list]:
    assert r.status_code == 422, r.text
    return [d["loc"] for d in r.json()["detail"]]


# D1: a tax unit's missing required field is named in the unit -----------------------------

def test_a_field_missing_from_every_unit_names_each_unit(client):
    one = {k: v for k, v in UNIT.items() if k != "tax_year"}
    assert locs(client.post("/tax", json={"units": [one]})) == [["body", "units", 0, "tax_year"]]
    assert locs(client.post("/tax", json={"units": [one, one]})) == [
        ["body", "units", 0, "tax_year"], ["body", "units", 1, "tax_year"]]
    r = client.post("/tax", json={"units": [{"wages": 1}]})
    assert locs(r) == [["body", "units", 0, "tax_year"], ["body", "units", 0, "filing_status"]]
    assert {d["msg"] for d in r.json()["detail"]} == {"is required"}


def test_a_field_missing_from_one_unit_is_one_problem_of_that_unit(client):
    """Not "a blank value is not a number" and a year of no law for a year never given."""
    other = {k: v for k, v in UNIT.items() if k != "tax_year"}
    r = client.post("/tax", json={"units": [UNIT, other]})
    assert r.json()["detail"] == [{"loc": ["body", "units", 1, "tax_year"], "msg": "is required",
                                   "type": "value_error"}]


# D2: list indices in loc are integers, on every kind of problem -----------------------------

def test_a_model_error_in_a_list_has_an_integer_index(client):
    case = jsonable(example("hardship-medical"))
    case["assumptions"] = {"horizon_ages": [1e6]}
    assert ["body", "assumptions", "horizon_ages", 0] in locs(client.post("/assess", json=case))
    hh = plan_case()
    hh["people"][0]["accounts"]["ira"] = -1
    assert locs(client.post("/plan?paths=0", json=hh)) == [
        ["body", "people", 0, "accounts", "ira"]]


def test_a_model_s_own_check_in_a_list_has_an_integer_index(client):
    hh = plan_case()
    hh["people"][0]["accounts"]["ira_basis"] = 10**9
    assert locs(client.post("/plan?paths=0", json=hh)) == [
        ["body", "people", 0, "accounts", "ira_basis"]]
    hh = dict(plan_case(), monte_carlo={"lifetimes": "random"})
    assert locs(client.post("/plan?paths=0", json=hh)) == [["body", "people", 0, "sex"]]


def test_an_engine_check_in_a_list_has_an_integer_index(client):
    """A claiming age before 62 (42 U.S.C. §402(a), §416(l)(2)) is the planner's own check."""
    hh = plan_case()
    hh["people"][0]["social_security"]["claim_age"] = 60
    assert locs(client.post("/plan?paths=0", json=hh)) == [
        ["body", "people", 0, "social_security", "claim_age"]]


def test_a_saved_case_s_errors_have_integer_indices(client):
    case = jsonable(example("hardship-medical"))
    case["assumptions"] = {"horizon_ages": [1e6]}
    assert ["body", "case", "assumptions", "horizon_ages", 0] in locs(
        client.post("/cases", json={"case": case}))


# D3: unknown top-level keys are refused on every body ---------------------------------------

def test_a_saved_case_refuses_a_misspelled_key_and_saves_nothing(client):
    before = client.get("/cases").json()
    r = client.post("/cases", json={"lable": "mine", "case": jsonable(example("hardship-medical"))})
    assert r.status_code == 422
    assert r.json()["detail"] == [{"loc": ["body", "lable"], "type": "extra_forbidden",
                                   "msg": f"{UNKNOWN} (did you mean `label`?)"}]
    assert client.get("/cases").json() == before
    saved = client.post("/cases", json={"case": jsonable(example("hardship-medical"))}).json()
    r = client.put(f"/cases/{saved['id']}", json={"case": saved["case"], "labels": "x"})
    assert locs(r) == [["body", "labels"]] and "did you mean `label`?" in r.text


def test_tax_refuses_a_field_it_does_not_read(client):
    r = client.post("/tax", json={"units": [UNIT], "inflation": 0.10})
    assert locs(r) == [["body", "inflation"]]
    assert r.json()["detail"][0]["msg"].startswith(UNKNOWN)
    assert r.json()["detail"][0]["type"] == "extra_forbidden"
    r = client.post("/tax", json={"units": [UNIT], "unitz": []})
    assert r.json()["detail"][0]["msg"] == f"{UNKNOWN} (did you mean `units`?)"


def test_the_body_models_say_they_take_no_other_key(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("CaseIn", "TaxRequest", "Case", "Household"):
        assert schemas[name].get("additionalProperties") is False, name


# D5: the plan's start year is checked first, and no birth date is echoed ---------------------

@pytest.mark.parametrize("year", [1, 2023, 3000])
def test_an_unknown_start_year_is_named_alone(client, year):
    lo, hi = default_law().known_years
    r = client.post("/plan?paths=0", json=dict(plan_case(), start_year=year))
    assert r.json()["detail"] == [{"loc": ["body", "start_year"], "type": "value_error",
                                   "msg": f"is not a year dist401k has law for (known: {lo}–{hi})"}]


def test_the_command_line_names_the_start_year_alone(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(dict(plan_case(), start_year=1)))
    r = CliRunner().invoke(cli, ["plan", str(path)])
    assert r.exit_code == 2
    assert "start_year" in r.output and "birth_date" not in r.output
    assert "life_expectancy" not in r.output


def test_the_birth_date_message_does_not_echo_the_date(client):
    hh = plan_case()
    hh["people"][0]["birth_date"] = "2026-03-17"
    r = client.post("/plan?paths=0", json=hh)
    (problem,) = r.json()["detail"]
    assert problem["loc"] == ["body", "people", 0, "birth_date"]
    assert "January 1, 2026" in problem["msg"] and "03-17" not in problem["msg"]


def test_start_year_s_schema_has_the_law_s_years(client):
    lo, hi = default_law().known_years
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Household"]
    start = schema["properties"]["start_year"]
    assert (start["minimum"], start["maximum"]) == (lo, hi)


# D6: the OpenAPI description declares the answers ------------------------------------------

def test_assess_declares_its_answers_like_the_other_posts(client):
    op = client.get("/openapi.json").json()["paths"]["/assess"]["post"]
    assert op["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HTTPValidationError"}
    assert op["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "object"


def test_body_endpoints_declare_413_and_records_404(client):
    paths = client.get("/openapi.json").json()["paths"]
    for path, ops in paths.items():
        for method, op in ops.items():
            if method in ("post", "put"):
                assert "413" in op["responses"], (method, path)
            if "{" in path:
                assert "404" in op["responses"], (method, path)
            assert "401" not in op["responses"], (method, path)
    r = client.get("/cases/none-such")
    assert r.status_code == 404 and r.json() == {"detail": "not found"}
    too_big = client.post("/tax", content=b" " * 1_000_001,
                          headers={"content-type": "application/json"})
    assert too_big.status_code == 413
    problems = paths["/tax"]["post"]["responses"]["413"]["content"]["application/json"]
    assert problems["schema"] == {"$ref": "#/components/schemas/HTTPValidationError"}


def test_with_a_token_every_guarded_operation_declares_401(tmp_path):
    app = create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token="s3cret")
    c = TestClient(app)
    paths = c.get("/openapi.json", headers={"Authorization": "Bearer s3cret"}).json()["paths"]
    for path, ops in paths.items():
        for method, op in ops.items():
            assert ("401" in op["responses"]) == (path != "/health"), (method, path)
    r = c.post("/tax", json={"units": [UNIT]})
    assert r.status_code == 401 and r.json() == {"detail": "missing or wrong bearer token"}


# Notes: the law of the comparison and the series; HEAD /health ------------------------------

def _cli_json(command: str, case: dict, tmp_path: Path) -> dict:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    r = CliRunner().invoke(cli, [command, str(path), "-f", "json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_compare_says_its_law_and_tax_year_the_same_in_every_door(client, tmp_path):
    case = jsonable(example("hardship-medical"))
    law = client.get("/health").json()["law_version"]
    got = client.post("/compare", json=case).json()
    assert got["law_version"] == law
    assert got["tax_year"] == int(case["request"]["date"][:4])
    assert _cli_json("compare", case, tmp_path) == got


def test_sepp_says_its_law_the_same_in_every_door(client, tmp_path):
    case = jsonable(example("sepp-early-retiree"))
    got = client.post("/sepp", json=case).json()
    assert got["law_version"] == client.get("/health").json()["law_version"]
    assert _cli_json("sepp", case, tmp_path) == got


def test_head_health_is_allowed(client):
    r = client.head("/health")
    assert r.status_code == 200 and r.content == b""
    assert r.headers["content-type"] == "application/json"
