"""Property-based testing of the API against its own OpenAPI description: whatever the
generated input, no server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

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
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case):
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.status_code,
                                         response.text[:500])
