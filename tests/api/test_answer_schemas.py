"""Every JSON answer of the API has a published schema (a named component of the OpenAPI
description, so that a generated client has typed answers), and the real answers of the
shipped examples validate against it (docs/api.md, "Answers")."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.store import Store

ROOT = Path(__file__).parents[2]
CASES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
PLANS = sorted((ROOT / "examples" / "plans").glob("*.yaml"))


def _json(path: Path) -> dict:
    """A YAML example as the JSON body a client sends (dates as ISO text)."""
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=plain))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("answers") / "db.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""))


@pytest.fixture(scope="module")
def openapi(client) -> dict:
    return client.get("/openapi.json").json()


def published(openapi: dict, method: str, path: str, status: int) -> dict:
    """The schema published for ``method path``'s ``status`` answer, with the description's
    components beside it, so that its ``$ref`` resolve."""
    op = openapi["paths"][path][method]
    schema = op["responses"][str(status)]["content"]["application/json"]["schema"]
    return {**schema, "components": openapi["components"]}


def check(openapi: dict, method: str, path: str, response) -> None:
    schema = published(openapi, method, path, response.status_code)
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}"[:300]
              for e in jsonschema_rs.Draft202012Validator(schema).iter_errors(response.json())]
    assert not errors, (method, path, errors[:5])


JSON_OPERATIONS = [
    ("get", "/health", 200), ("get", "/schema", 200), ("get", "/reasons", 200),
    ("get", "/labels", 200), ("get", "/law", 200), ("post", "/assess", 200),
    ("post", "/compare", 200), ("post", "/sepp", 200), ("post", "/plan", 200),
    ("post", "/tax", 200), ("post", "/cases", 201), ("get", "/cases", 200),
    ("get", "/cases/{case_id}", 200), ("put", "/cases/{case_id}", 200),
    ("post", "/cases/{case_id}/determinations", 201),
    ("get", "/cases/{case_id}/determinations", 200),
    ("get", "/determinations/{det_id}", 200),
]


@pytest.mark.parametrize(("method", "path", "status"), JSON_OPERATIONS)
def test_every_answer_is_a_named_model(openapi, method, path, status):
    """Not a free-form object (``{"type": "object", "additionalProperties": true}``, as every
    answer was published before): a component with its fields, or a list or mapping of one."""
    schema = published(openapi, method, path, status)
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref") or (
        schema.get("additionalProperties") or {}).get("$ref")
    assert ref, (method, path, schema)
    component = openapi["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert component.get("properties"), component


def test_every_json_operation_is_listed(openapi):
    """An operation added later with a JSON answer is checked here too."""
    found = {(m, p, int(code)) for p, ops in openapi["paths"].items() for m, op in ops.items()
             for code, r in op["responses"].items()
             if code.startswith("2") and "application/json" in r.get("content", {})}
    assert found == set(JSON_OPERATIONS)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case_answers_validate(client, openapi, path):
    case = _json(path)
    for endpoint in ("/assess", "/compare"):
        r = client.post(endpoint, json=case)
        assert r.status_code == 200, (endpoint, r.text[:300])
        check(openapi, "post", endpoint, r)
    if case.get("sepp"):
        r = client.post("/sepp", json=case)
        assert r.status_code == 200, r.text[:300]
        check(openapi, "post", "/sepp", r)
    saved = client.post("/cases", json={"label": path.stem, "case": case})
    assert saved.status_code == 201
    check(openapi, "post", "/cases", saved)
    cid = saved.json()["id"]
    check(openapi, "get", "/cases/{case_id}", client.get(f"/cases/{cid}"))
    check(openapi, "put", "/cases/{case_id}",
          client.put(f"/cases/{cid}", json={"label": None, "case": case}))
    det = client.post(f"/cases/{cid}/determinations")
    assert det.status_code == 201
    check(openapi, "post", "/cases/{case_id}/determinations", det)
    check(openapi, "get", "/cases/{case_id}/determinations",
          client.get(f"/cases/{cid}/determinations"))
    check(openapi, "get", "/determinations/{det_id}",
          client.get(f"/determinations/{det.json()['id']}"))


def test_sepp_example_exists():
    """The /sepp answer above is checked on at least one shipped case."""
    assert any(_json(p).get("sepp") for p in CASES)


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_plan_answers_validate(client, openapi, path):
    r = client.post("/plan", json=_json(path), params={"paths": 0})
    assert r.status_code == 200, r.text[:300]
    check(openapi, "post", "/plan", r)


def test_plan_with_monte_carlo_validates(client, openapi):
    r = client.post("/plan", json=_json(PLANS[0]), params={"paths": 20})
    assert r.status_code == 200, r.text[:300]
    check(openapi, "post", "/plan", r)


def test_other_answers_validate(client, openapi):
    check(openapi, "get", "/cases", client.get("/cases"))
    for path in ("/health", "/schema", "/reasons", "/labels"):
        check(openapi, "get", path, client.get(path))
    law = client.get("/law", params={"names": "early_distributions.age,rmd.applicable_age,"
                                     "income_tax.standard_deduction"})
    assert law.status_code == 200, law.text[:300]
    check(openapi, "get", "/law", law)
    units = [{"tax_year": 2026, "filing_status": "single", "wages": 80_000},
             {"tax_year": 2026, "filing_status": "married_joint", "wages": 150_000,
              "taxable_distributions": 30_000, "state": "NY"}]
    tax = client.post("/tax", json={"units": units})
    assert tax.status_code == 200, tax.text[:300]
    check(openapi, "post", "/tax", tax)


def test_a_wrong_answer_is_caught(openapi):
    """The check can fail: an assessment without its outcomes is refused by its schema."""
    schema = published(openapi, "post", "/assess", 200)
    answer = {"schema_version": "1", "case_id": None}
    assert not jsonschema_rs.Draft202012Validator(schema).is_valid(answer)
