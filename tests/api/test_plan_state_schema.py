"""The published plan schema refuses a state that is not a US state code, as the plan's own
check does (``state``, ``move.state``): ``dist401k schema plan`` and ``POST /plan``'s request
schema in ``/openapi.json`` alike."""

from __future__ import annotations

import pytest

from dist401k.planner.household import household_schema

jsonschema_rs = pytest.importorskip("jsonschema_rs")

CASE = {"start_year": 2026,
        "people": [{"name": "Ann", "birth_date": "1960-03-01", "accounts": {"ira": 100_000}}]}


def _cases() -> list[tuple[dict, bool]]:
    """(a plan file, whether it is valid): the state and the move's state."""
    return [(CASE, True), ({**CASE, "state": "NY"}, True), ({**CASE, "state": None}, True),
            ({**CASE, "state": "ZZ"}, False),
            ({**CASE, "state": "NY", "move": {"year": 2030, "state": "FL"}}, True),
            ({**CASE, "state": "NY", "move": {"year": 2030, "state": "ZZ"}}, False)]


@pytest.mark.parametrize("case, valid", _cases())
def test_the_plan_schema_refuses_a_state_that_is_no_state(case, valid):
    assert jsonschema_rs.Draft202012Validator(household_schema()).is_valid(case) is valid


@pytest.mark.parametrize("case, valid", _cases())
def test_the_plan_request_schema_refuses_it_too(client, case, valid):
    doc = client.get("/openapi.json").json()
    body = doc["paths"]["/plan"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    validator = jsonschema_rs.Draft202012Validator({**body, "components": doc["components"]})
    assert validator.is_valid(case) is valid
    if not valid:
        assert client.post("/plan", json=case).status_code == 422
