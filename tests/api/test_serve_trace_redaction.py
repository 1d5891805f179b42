"""`dist401k serve --log-level trace` keeps the access log's redaction (docs/reliability.md,
"Log lines"; docs/api.md, "Logs"): uvicorn's own TRACE lines showed each request's ASGI scope
with its query string (``'query_string': b'label=…&ssn=…'``) and the client's address ("HTTP
connection made"), which the access log leaves out unless ``--log-client-address`` is given.
At trace, what debug logs is logged, and nothing below it."""

from __future__ import annotations

import logging
import time

import httpx
import pytest

from api.served import Served
from dist401k.serving import LOG_LEVELS, ServeOptions, _uvicorn_options, log_config

SECRET = "QUERYSECRET"
SSN = "987-65-4321"


def _filters(config: dict, handler: str) -> list[logging.Filter]:
    """The filters dictConfig would give ``handler`` (built as logging.config builds them)."""
    built = []
    for name in config["handlers"][handler].get("filters", []):
        spec = dict(config["filters"][name])
        factory = spec.pop("()")
        if isinstance(factory, str):
            module, _, attr = factory.rpartition(".")
            factory = getattr(__import__(module, fromlist=[attr]), attr)
        built.append(factory(**spec))
    return built


@pytest.mark.parametrize("level", LOG_LEVELS)
@pytest.mark.parametrize("handler", ["default", "access", "dist401k"])
def test_no_handler_writes_a_trace_record_at_any_level(level, handler):
    filters = _filters(log_config(level), handler)
    trace = logging.LogRecord("uvicorn.error", 5, __file__, 1, "%s - HTTP connection made",
                              ("127.0.0.1:43550",), None)
    debug = logging.LogRecord("uvicorn.error", logging.DEBUG, __file__, 1, "debug line", (), None)
    assert not all(f.filter(trace) for f in filters)
    assert all(f.filter(debug) for f in filters)


def test_uvicorn_runs_trace_as_debug():
    """uvicorn's trace wraps the app in its ASGI message logger (the scope, the query string):
    asked for trace, uvicorn is run at debug; the other levels are passed as given."""
    assert _uvicorn_options(ServeOptions(log_level="trace"))["log_level"] == "debug"
    assert [_uvicorn_options(ServeOptions(log_level=x))["log_level"] for x in LOG_LEVELS[:-1]] \
        == list(LOG_LEVELS[:-1])


@pytest.mark.slow
def test_a_server_at_trace_logs_no_query_string_and_no_client_address(tmp_path):
    with Served(f"sqlite:///{tmp_path / 'db.sqlite'}", 1, "--log-level", "trace") as server:
        r = httpx.get(f"{server.base}/health?label={SECRET}&ssn={SSN}", timeout=60)
        time.sleep(0.5)
    assert r.status_code == 200
    assert " GET /health 200 " in server.output, server.output[-2000:]
    assert SECRET not in server.output and SSN not in server.output, server.output[-3000:]
    assert "query_string" not in server.output, server.output[-3000:]
    # the client's address ("127.0.0.1:43550 - HTTP connection made"): only the server's own
    # address is written ("Uvicorn running on http://127.0.0.1:PORT")
    assert [line for line in server.output.splitlines() if "127.0.0.1:" in line
            and f"running on {server.base}" not in line] == [], server.output[-3000:]
