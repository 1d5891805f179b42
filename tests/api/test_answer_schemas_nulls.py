"""Answers that carry null figures validate against their published schemas (docs/api.md,
"Answers"): a state figure the engine does not figure is null — unknown, not zero — and the
published models say ``number | null`` for it.  The shipped examples have no such state, so
these cases are built here:

- Oklahoma, a periodic payment (``request.series``): Oklahoma's withholding on a payment of a
  series is figured as on wages, which dist401k does not do, so ``state_withholding`` is null
  (reason STATE_WITHHOLDING_AMOUNT_NOT_FIGURED).
- Kansas, a lump sum: Kansas withholding on a retirement plan payment is not figured, so
  ``state_withholding`` is null.
- Georgia, a beneficiary: the state's tax of this heir's payment is not figured
  (``state_covered`` false), so ``state_income_tax_increase`` and ``state_additional_tax`` are
  null.
"""

from __future__ import annotations

import copy
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
CASES = ROOT / "examples" / "cases"


def _json(path: Path) -> dict:
    """A YAML example as the JSON body a client sends (dates as ISO text)."""
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=plain))


def published(openapi: dict, method: str, path: str, status: int) -> dict:
    """The schema published for ``method path``'s ``status`` answer, with the components."""
    op = openapi["paths"][path][method]
    schema = op["responses"][str(status)]["content"]["application/json"]["schema"]
    return {**schema, "components": openapi["components"]}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("nulls") / "db.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""))


@pytest.fixture(scope="module")
def openapi(client) -> dict:
    return client.get("/openapi.json").json()


def _oklahoma_periodic() -> dict:
    case = _json(CASES / "rule-of-55.yaml")
    case["person"].update(birth_date="1960-08-20", state="OK")
    case["request"].update(series="life", annuity_start_date="2026-11-01", amount=3000)
    return case


def _kansas_lump_sum() -> dict:
    case = _json(CASES / "rule-of-55.yaml")
    case["person"]["state"] = "KS"
    return case


def _georgia_heir() -> dict:
    case = _json(CASES / "inherited-sibling-close-in-age.yaml")
    case["person"]["state"] = "GA"
    return case


NULL_CASES = {
    "oklahoma-periodic": (_oklahoma_periodic, ["state_withholding"]),
    "kansas-lump-sum": (_kansas_lump_sum, ["state_withholding"]),
    "georgia-heir": (_georgia_heir, ["state_income_tax_increase", "state_additional_tax"]),
}


def _errors(openapi: dict, method: str, path: str, status: int, answer: dict) -> list[str]:
    schema = published(openapi, method, path, status)
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message}"[:300]
            for e in jsonschema_rs.Draft202012Validator(schema).iter_errors(answer)]


def _nulls(outcomes: list[dict], field: str) -> list[int]:
    return [i for i, o in enumerate(outcomes) if field in o and o[field] is None]


@pytest.mark.parametrize("name", NULL_CASES)
def test_assess_answer_with_nulls_validates(client, openapi, name):
    make, fields = NULL_CASES[name]
    r = client.post("/assess", json=make())
    assert r.status_code == 200, r.text[:300]
    answer = r.json()
    for field in fields:  # the answer does carry the null the schema must allow
        assert _nulls(answer["outcomes"], field), (name, field)
    assert not _errors(openapi, "post", "/assess", 200, answer)


@pytest.mark.parametrize("name", NULL_CASES)
def test_compare_answer_with_nulls_validates(client, openapi, name):
    make, _fields = NULL_CASES[name]
    r = client.post("/compare", json=make())
    assert r.status_code == 200, r.text[:300]
    answer = r.json()
    assert any(v is None for o in answer["options"] for k, v in o.items()
               if k.startswith("state_")), name
    assert not _errors(openapi, "post", "/compare", 200, answer)


@pytest.mark.parametrize("name", NULL_CASES)
def test_saved_determination_with_nulls_validates(client, openapi, name):
    make, fields = NULL_CASES[name]
    saved = client.post("/cases", json={"label": name, "case": make()})
    assert saved.status_code == 201, saved.text[:300]
    det = client.post(f"/cases/{saved.json()['id']}/determinations")
    assert det.status_code == 201, det.text[:300]
    assert _nulls(det.json()["result"]["outcomes"], fields[0])
    assert not _errors(openapi, "post", "/cases/{case_id}/determinations", 201, det.json())
    again = client.get(f"/determinations/{det.json()['id']}")
    assert not _errors(openapi, "get", "/determinations/{det_id}", 200, again.json())


@pytest.mark.parametrize(("path", "field"), [
    ("outcomes", "state_withholding"), ("outcomes", "state_income_tax_increase"),
    ("outcomes", "state_additional_tax")])
def test_a_wrong_type_is_still_refused(client, openapi, path, field):
    """The check can fail: null is allowed, text where a number belongs is not."""
    answer = client.post("/assess", json=_kansas_lump_sum()).json()
    assert not _errors(openapi, "post", "/assess", 200, answer)
    wrong = copy.deepcopy(answer)
    wrong[path][0][field] = "12.00"
    errors = _errors(openapi, "post", "/assess", 200, wrong)
    assert errors and field in errors[0], errors


def test_a_wrong_type_in_a_compare_option_is_refused(client, openapi):
    answer = client.post("/compare", json=_oklahoma_periodic()).json()
    wrong = copy.deepcopy(answer)
    wrong["options"][0]["state_withholding"] = "12.00"
    errors = _errors(openapi, "post", "/compare", 200, wrong)
    assert errors and "state_withholding" in errors[0], errors
