"""The API's contract with its clients (the Schemathesis review, out_schemathesis.md D1–D3):

1. a key given twice is named by the same ``loc`` as every other problem, each list position
   an integer (docs/api.md; FastAPI's published ``ValidationError`` schema);
2. a 405 lists in ``Allow`` every method the path answers (RFC 9110 §15.5.6: "The origin
   server MUST generate an Allow header field in a 405 response containing a list of the
   target resource's currently supported methods"), on every route of the app;
3. the published request schema refuses what the API refuses: ``/tax``'s units (their columns,
   types, bounds and required ones), a SEPP's federal mid-term rates, an account's last
   emergency distribution year.

The expected answers come from docs/api.md, the RFC and the checks' own declared bounds (the
law's first emergency year, the known tax years), never from the program's output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.bounds import AGE, MONEY
from dist401k.case import emergency_year_floor
from dist401k.io.files import load_json, load_yaml
from dist401k.law import default_law
from dist401k.store import Store

ROOT = Path(__file__).parents[2]
JSON = {"content-type": "application/json"}
#: The methods RFC 9110 §9 defines (CONNECT aside: a proxy's) and PATCH (RFC 5789).
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    db = tmp_path_factory.mktemp("contract") / "cases.sqlite"
    return create_app(store=Store(f"sqlite:///{db}"), token="")


@pytest.fixture(scope="module")
def client(app):
    return TestClient(app, raise_server_exceptions=False)


def jsonable(name: str, kind: str = "cases") -> dict:
    """An example file as the JSON a client sends (dates as text)."""
    text = (ROOT / "examples" / kind / f"{name}.yaml").read_text()
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def problems(client, url: str, body: bytes | dict) -> list[tuple[list, str]]:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    r = client.post(url, content=content, headers=JSON)
    assert r.status_code == 422, (url, r.status_code, r.text[:300])
    return [(d["loc"], d["msg"]) for d in r.json()["detail"]]


# 1. A key given twice: list positions are integers ------------------------------------------

@pytest.mark.parametrize("url, body, where", [
    ("/tax", '{"units": [{"tax_year": 2026, "filing_status": "single", "wages": 1, "wages": 2}]}',
     ["body", "units", 0, "wages"]),
    ("/tax", '{"units": [{"tax_year": 2026, "filing_status": "single"}, '
     '{"tax_year": 2026, "filing_status": "single", "wages": 1, "wages": 2}]}',
     ["body", "units", 1, "wages"]),
    ("/plan/report", '{"people": [{"sex": "male", "sex": "female"}]}',
     ["body", "people", 0, "sex"]),
    ("/cases", '{"case": {"iras": {"roth_conversions": [{"year": 2020, "year": 2021}]}}}',
     ["body", "case", "iras", "roth_conversions", 0, "year"]),
])
def test_a_key_given_twice_is_located_with_integer_list_positions(client, url, body, where):
    """The review's D1: ``["body","units","0","wages"]`` where a 1e400 in the same field gives
    ``["body","units",0,"wages"]``."""
    assert problems(client, url, body.encode()) == [(where, "is given twice")]


def test_the_same_field_has_one_loc_whichever_check_found_it(client):
    twice = problems(client, "/tax", b'{"units": [{"tax_year": 2026, "filing_status": "single", '
                     b'"wages": 1, "wages": 2}]}')
    infinite = problems(client, "/tax", b'{"units": [{"tax_year": 2026, "filing_status": '
                        b'"single", "wages": 1e400}]}')
    assert twice[0][0] == infinite[0][0] == ["body", "units", 0, "wages"]


def test_a_key_of_digits_stays_a_key_and_a_list_position_an_integer():
    """A mapping's key ``"0"`` is text, a list's position 0 an integer: the path says which."""
    assert load_json('{"a": [{"b": 1, "b": 2}], "m": {"0": {"c": 1, "c": 2}}}')[1] == [
        ("a", 0, "b"), ("m", "0", "c")]
    assert load_yaml("a:\n  - {b: 1, b: 2}\nm:\n  '0': {c: 1, c: 2}\n")[1] == [
        ("a", 0, "b"), ("m", "0", "c")]


def test_the_command_line_and_a_table_still_name_the_key_given_twice(tmp_path):
    """The dotted path of the command line and a JSON table's row and path read as before
    (``people.0.life_expectancy``; a list inside a row: ``notes.0.a``), never a traceback."""
    from dist401k.errors import InputError
    from dist401k.io.files import given_twice
    from dist401k.io.tables import TableFormatError, read_table

    err = given_twice([("people", 0, "life_expectancy")])
    assert isinstance(err, InputError) and err.problems[0].field == "people.0.life_expectancy"
    table = tmp_path / "units.json"
    table.write_text('[{"tax_year": 2026, "filing_status": "single", "notes": [{"a": 1, "a": 2}]}]')
    with pytest.raises(TableFormatError, match=re.escape("row 1, notes.0.a: is given twice")):
        read_table(table)


# 2. A 405 lists every method of the path ---------------------------------------------------

def _leaf_routes(routes) -> list:
    """Every route of the app, those of the routers it includes too (FastAPI keeps an
    included router whole: its routes under ``original_router``)."""
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out += _leaf_routes(inner.routes) if inner is not None else [route]
    return out


def _paths_and_methods(app) -> dict[str, set[str]]:
    """Each route's path (its parameters filled in) and the methods of every route whose
    pattern matches that path: what the app answers there."""
    routes = [r for r in _leaf_routes(app.routes) if getattr(r, "methods", None)]
    assert len(routes) > 20, "the walk over the app's routes found too few"
    out: dict[str, set[str]] = {}
    for route in routes:
        url = re.sub(r"\{[^}]+\}", "x", route.path)
        out[url] = {m for r in routes if r.path_regex.match(url) for m in r.methods}
        # every GET resource answers HEAD too (RFC 9110 §9.3.2), so Allow lists it
        out[url] |= {"HEAD"} if "GET" in out[url] else set()
    return out


def test_every_405_lists_all_the_methods_of_its_path(app):
    client = TestClient(app, raise_server_exceptions=False)
    seen = 0
    for url, methods in _paths_and_methods(app).items():
        for method in (m for m in METHODS if m not in methods):
            r = client.request(method, url)
            assert r.status_code == 405, (method, url, r.status_code)
            allow = {m.strip() for m in r.headers["allow"].split(",")}
            assert allow == methods, (method, url, r.headers["allow"])
            seen += 1
    assert seen > 100


@pytest.mark.parametrize("url, methods", [
    ("/cases", {"GET", "HEAD", "POST"}),
    ("/cases/x", {"GET", "HEAD", "PUT", "DELETE"}),
    ("/cases/x/determinations", {"GET", "HEAD", "POST"}),
])
def test_the_reviewers_405s_list_every_method(client, url, methods):
    """The review's D2: ``PATCH /cases`` → ``Allow: POST``; ``PATCH /cases/x`` → ``Allow: GET``;
    ``PATCH /cases/x/determinations`` → ``Allow: POST``."""
    r = client.patch(url)
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["allow"].split(",")} == methods


# 3. The published schema refuses what the API refuses ----------------------------------------

def _validator(client, url: str):
    """Whether a body is valid by the request schema ``/openapi.json`` publishes for ``url``."""
    jsonschema_rs = pytest.importorskip("jsonschema_rs")  # Schemathesis's own validator
    doc = client.get("/openapi.json").json()
    body = doc["paths"][url]["post"]["requestBody"]["content"]["application/json"]["schema"]
    validator = jsonschema_rs.Draft202012Validator({**body, "components": doc["components"]})
    return validator.is_valid


def _unit_schema(client) -> dict:
    doc = client.get("/openapi.json").json()
    return doc["components"]["schemas"]["TaxRequest"]["properties"]["units"]["items"]


UNIT = {"tax_year": 2026, "filing_status": "single"}


@pytest.mark.parametrize("unit", [
    {"inflation": 0.03},  # the review's: no required column, an unknown one
    {"tax_year": 2026},
    {**UNIT, "inflation": 0.03},
    {**UNIT, "tax_year": default_law().known_years[0] - 1},
    {**UNIT, "tax_year": default_law().known_years[1] + 1},
    {**UNIT, "tax_year": 2026.5},
    {**UNIT, "filing_status": "married"},
    {**UNIT, "wages": -1},
    {**UNIT, "wages": MONEY.hi * 2},
    {**UNIT, "wages": "a lot"},
    {**UNIT, "age_head": AGE.hi + 1},
    {**UNIT, "blind_head": 2},
    {**UNIT, "parent_filing_status": "parent"},
    {**UNIT, "state": "ZZ"},
    {**UNIT, "state": "CA", "periodic_payments": 3},
    {**UNIT, "state": "CA", "state_basis_recovered": -5},
    {**UNIT, "state": "IA", "deceased_age": AGE.hi + 1},
    {**UNIT, "state": "MD", "maryland_county": "atlantis"},
    {**UNIT, "blind_head": [1, 2]},  # found by Schemathesis once the columns were published
    {**UNIT, "state": "NY", "yonkers_resident": [None, None]},
    {**UNIT, "participant_id": [1]},
    {**UNIT, "maryland_county": {}},
])
def test_a_tax_unit_the_api_refuses_the_schema_refuses(client, unit):
    valid = _validator(client, "/tax")
    problems(client, "/tax", {"units": [unit]})
    assert not valid({"units": [unit]}), unit


@pytest.mark.parametrize("value, words", [([1, 2], "is a list, not one value"),
                                          ({}, "is an object, not one value")])
def test_a_tax_unit_column_holding_a_list_or_an_object_is_422_naming_it(client, value, words):
    """A list in a flag column was a 500 ("internal error": the flag reader failed on it); a
    cell holds one value, as a table's column does."""
    unit = {**UNIT, "state": "NY", "blind_head": value}
    assert problems(client, "/tax", {"units": [unit]}) == [(["body", "units", 0, "blind_head"],
                                                             words)]


@pytest.mark.parametrize("unit", [
    UNIT,
    {**UNIT, "wages": 68000, "age_head": 70, "blind_head": True, "dependent": 0,
     "taxable_distributions": 10000, "early_distributions": 0, "participant_id": "p-1"},
    {**UNIT, "parent_filing_status": None, "parent_taxable_income": None},
    {**UNIT, "age_head": 16, "parent_filing_status": "married_joint",
     "parent_taxable_income": 150000},
    {**UNIT, "filing_status": "mfj", "state": "NY", "wages": 90000, "spouse_wages": 40000,
     "new_york_city_resident": 1, "spouse_other_income": 0},
    {**UNIT, "state": "IA", "deceased_age": None, "disabled": False},
])
def test_a_tax_unit_the_api_answers_the_schema_takes(client, unit):
    valid = _validator(client, "/tax")
    r = client.post("/tax", json={"units": [unit]})
    assert r.status_code == 200, r.text[:300]
    assert valid({"units": [unit]}), unit


def test_the_tax_unit_schema_is_the_checks_declaration(client):
    """The columns, the required ones and the bounds the checks read (not a copy)."""
    from dist401k.input_columns import tax_columns
    from dist401k.tax.units import REQUIRED

    schema = _unit_schema(client)
    lo, hi = default_law().known_years
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == set(tax_columns())
    assert schema["required"] == list(REQUIRED)
    assert (schema["properties"]["tax_year"]["minimum"],
            schema["properties"]["tax_year"]["maximum"]) == (lo, hi)
    assert schema["properties"]["wages"]["maximum"] == MONEY.hi
    assert schema["properties"]["age_head"]["maximum"] == AGE.hi


@pytest.mark.parametrize("rates", [[0.5, 0.5], [-0.01], [0.0381, 0.26]])
def test_a_midterm_rate_the_api_refuses_the_schema_refuses(client, rates):
    valid = _validator(client, "/sepp")
    case = jsonable("sepp-early-retiree")
    assert valid(case)
    case["sepp"]["federal_midterm_rates"] = rates
    assert any("federal_midterm_rates" in loc for loc, _ in problems(client, "/sepp", case))
    assert not valid(case)


def test_the_emergency_year_schema_minimum_is_the_laws_first_year(client):
    """The check's floor is the law's first year of emergency personal expense distributions
    (IRC §72(t)(2)(I), 2024 on): the schema said 1900."""
    valid = _validator(client, "/assess")
    floor, _ = emergency_year_floor()
    case = jsonable("hardship-medical")
    case["account"]["last_emergency_year"] = floor
    assert client.post("/assess", json=case).status_code == 200
    assert valid(case)
    case["account"]["last_emergency_year"] = floor - 1
    assert problems(client, "/assess", case)[0][0] == ["body", "account", "last_emergency_year"]
    assert not valid(case)
