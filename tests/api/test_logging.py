"""What the API logs: nothing from a request body on any error path (SQLite and PostgreSQL),
an access log of method, path, status and time (the client's address only when asked), a
client gone mid-body as one quiet line, never a traceback."""

from __future__ import annotations

import json
import logging
import socket
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from api.conftest import example
from api.served import Served
from api.test_api import UNSOLVABLE
from dist401k.api import MAX_BODY_BYTES, create_app
from dist401k.store import Store

LABEL = "Jane Roe"
# Values of the bodies posted below: none may appear in a log.
SECRETS = [LABEL, "1988-04-02", "68000", "41000", "Lee", "1959-06-01", "84000", "80000"]


def _case() -> dict:
    return json.loads(json.dumps(example("hardship-medical"), default=str))


def _error_requests(base_case: dict) -> list[tuple[str, str, dict]]:
    """(method, path, request options) of every kind of refusal, each carrying the secrets."""
    negative = json.loads(json.dumps(base_case))
    negative["account"]["sources"]["elective_deferral"]["balance"] = -41000
    nan = json.dumps({"label": LABEL, "case": base_case}).replace('"wages": 68000',
                                                                   '"wages": NaN')
    big = json.dumps({"label": LABEL, "case": base_case, "pad": "x" * MAX_BODY_BYTES}).encode()
    js = {"Content-Type": "application/json"}
    return [
        ("POST", "/cases", {"json": {"label": LABEL, "case": negative}}),
        ("POST", "/assess", {"json": negative}),
        ("POST", "/cases", {"content": nan, "headers": js}),
        ("POST", "/cases", {"content": iter([big]), "headers": js}),
        ("POST", "/cases", {"json": {"label": LABEL + "\x07", "case": base_case}}),
        ("POST", "/cases", {"content": b'{"label": "Jane Roe", "case": {', "headers": js}),
        ("POST", "/plan?paths=0", {"json": UNSOLVABLE}),
    ]


def _no_secrets(text: str) -> None:
    leaked = [s for s in SECRETS if s in text]
    assert not leaked, (leaked, text[-3000:])


def test_no_value_of_a_body_is_logged_on_any_error_path(store, caplog):
    caplog.set_level(logging.DEBUG)
    client = TestClient(create_app(store=store, token=""), raise_server_exceptions=False)
    for method, path, options in _error_requests(_case()):
        caplog.clear()
        r = client.request(method, path, **options)
        assert 400 <= r.status_code < 600, (path, r.status_code)
        _no_secrets(caplog.text)


def test_a_failure_is_logged_as_its_kind_and_place_only(store, caplog, monkeypatch):
    import dist401k.compare

    def failing(case):
        raise ValueError(f"cannot compare {case.model_dump_json()}")  # quotes the case

    monkeypatch.setattr(dist401k.compare, "compare_case", failing)
    caplog.set_level(logging.DEBUG)
    client = TestClient(create_app(store=store, token=""), raise_server_exceptions=False)
    r = client.post("/compare", json=_case())
    assert r.status_code == 500 and r.json() == {"detail": "internal error"}
    _no_secrets(caplog.text)
    failed = [r for r in caplog.records if r.name == "dist401k.api"]
    line = failing.__code__.co_firstlineno + 1
    assert [r.getMessage() for r in failed] == [
        f"POST /compare failed: ValueError at test_logging.py:{line} in failing"]


def test_a_row_postgres_refuses_shows_no_parameters(postgres_url, caplog, monkeypatch):
    """PostgreSQL refuses a NUL in text: the error (and the log) must not quote the row."""
    from sqlalchemy.exc import SQLAlchemyError

    store = Store(postgres_url)
    with pytest.raises(SQLAlchemyError) as refused:
        store.create_case(_case(), LABEL + "\x00")
    _no_secrets(str(refused.value))
    # Through the API (its own check of the label bypassed): a 500, one line, no values.
    real = store.create_case
    monkeypatch.setattr(store, "create_case", lambda data, label: real(data, f"{label}\x00"))
    caplog.set_level(logging.DEBUG)
    client = TestClient(create_app(store=store, token=""), raise_server_exceptions=False)
    r = client.post("/cases", json={"label": LABEL, "case": _case()})
    assert r.status_code == 500
    _no_secrets(caplog.text)


def test_the_access_log_has_method_path_status_and_time(store, caplog):
    caplog.set_level(logging.INFO, logger="dist401k.access")
    quiet = TestClient(create_app(store=store, token=""))
    quiet.get("/health")
    line = [r.getMessage() for r in caplog.records if r.name == "dist401k.access"][-1]
    assert line.startswith("GET /health 200 ") and line.endswith(" ms"), line
    assert "testclient" not in line
    caplog.clear()
    TestClient(create_app(store=store, token="", log_client=True)).get("/health")
    line = [r.getMessage() for r in caplog.records if r.name == "dist401k.access"][-1]
    assert line.startswith("testclient:") and "GET /health 200 " in line, line


def _leave_mid_body(port: int, path: str) -> None:
    """Send the headers and part of the body, then hang up."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  f"Content-Length: 5000\r\n\r\n{{\"label\": \"{LABEL}\", ".encode())
        time.sleep(0.3)


@pytest.mark.slow
def test_the_server_log_has_no_body_no_address_and_no_traceback(tmp_path):
    with Served(f"sqlite:///{tmp_path / 'db.sqlite'}") as server:
        assert httpx.post(server.base + "/cases", json={"label": LABEL, "case": _case()},
                          timeout=60).status_code == 201
        with httpx.Client(base_url=server.base, timeout=120) as client:
            for method, path, options in _error_requests(_case()):
                assert client.request(method, path, **options).status_code >= 400, path
        for path in ("/assess", "/cases"):
            _leave_mid_body(server.port, path)
        time.sleep(1)
    log = server.output
    _no_secrets(log)
    assert "Traceback" not in log and "Exception in ASGI application" not in log, log[-3000:]
    requests = [line for line in log.splitlines() if " /cases " in line or " /assess " in line]
    assert requests and not [line for line in requests if "127.0.0.1" in line], log[-3000:]
    assert " POST /cases 201 " in log and " POST /cases 413 " in log, log[-3000:]
    assert log.count("the client left before its request was read") == 2, log[-3000:]
