"""Property-based testing of the API against its own OpenAPI description: whatever the
generated input, no server error."""

from __future__ import annotations

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings

from api.conftest import example
from dist401k.api import create_app
from dist401k.store import Store


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(store=Store(f"sqlite:///{tmp_path_factory.mktemp('st') / 'db.sqlite'}"),
                      token="")


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.slow
@schema.exclude(path_regex="^/plan").parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.status_code,
                                         response.text[:500])


@pytest.mark.slow
@schema.include(path_regex="^/plan").parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck),
          phases=[Phase.reuse, Phase.generate, Phase.target, Phase.shrink])
def test_no_server_errors_from_the_planner(case):
    """The planner's doors by random households only: the coverage phase (Schemathesis's
    boundary and wrong-type values of every field, added as explicit examples) sent some 3,500
    plans to the two doors and took more time than the rest of the API's checks together.  Each
    field's bounds and types are refused by the plan model itself (tests/planner), and a
    household the model takes is what these 40 a door generate."""
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.status_code,
                                         response.text[:500])


class _SavedCasesMachine:
    """The state machine's own part: a saved case's body is a real case (a random one is all
    but always refused, and no id would flow), its label generated; the check is no server
    error; the answers reached with an id a link carried are counted."""

    reached: list[str] = []

    def before_call(self, case):
        if case.path in ("/cases", "/cases/{case_id}") and case.method in ("POST", "PUT"):
            label = case.body.get("label") if isinstance(case.body, dict) else None
            case.body = {"label": label if isinstance(label, str) else None, "case": _CASE}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        assert response.status_code < 500, (case.method, case.path, response.status_code,
                                             response.text[:500])
        if response.status_code in (200, 201, 204):
            self.reached.append(f"{case.method} {case.path}")


_CASE = json.loads(json.dumps(example("disaster"), default=str))


@pytest.mark.slow
def test_saved_cases_statefully(api_schema):
    # POST /cases → its id into GET/PUT/DELETE /cases/{case_id} and its determinations; a
    # determination's id into GET /determinations/{det_id} (the OpenAPI links of api.py).
    machine = api_schema.include(path_regex="^/(cases|determinations)").as_state_machine()
    checked = type("Checked", (_SavedCasesMachine, machine), {"reached": []})
    checked.run(settings=settings(max_examples=80, stateful_step_count=12, deadline=None, derandomize=True,
                                  suppress_health_check=list(HealthCheck)))
    assert {"GET /cases/{case_id}", "PUT /cases/{case_id}", "DELETE /cases/{case_id}",
            "POST /cases/{case_id}/determinations",
            "GET /determinations/{det_id}"} <= set(checked.reached), set(checked.reached)
