"""The probes and the request id (the site-reliability review): ``/health`` answers at once
while every request thread is busy, ``/ready`` says whether the database answers, and each
request's id is echoed and put on its log lines."""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient

from api.conftest import served
from api.served import free_port
from dist401k import api
from dist401k.api import create_app
from dist401k.store import Store

#: AnyIO's default thread limiter: the threads that run FastAPI's plain ``def`` endpoints
#: (AnyIO documents 40 tokens).
THREADS = 40


def _saturating_app(store):
    """The API with one more endpoint, a plain ``def`` that holds its thread until released, as
    a long ``/plan`` does."""
    app = create_app(store=store, token="")
    entered: list[int] = []
    release = threading.Event()

    def hold() -> dict:
        entered.append(1)
        release.wait(60)
        return {}

    app.add_api_route("/hold", hold)
    return app, entered, release


def _timed_get(base: str, path: str, method: str = "GET") -> tuple[int | str, float]:
    start = time.monotonic()
    try:
        status: int | str = httpx.request(method, base + path, timeout=5).status_code
    except httpx.TimeoutException:
        status = "timed out"
    return status, time.monotonic() - start


@pytest.mark.slow
def test_health_and_ready_answer_at_once_while_every_thread_is_busy(store):
    """``GET /health`` was a plain ``def``: it queued behind the busy threads (14–20 s under 45
    concurrent ``/plan`` requests); it timed out here."""
    app, entered, release = _saturating_app(store)
    server = served(app)
    base = next(server)
    pool = ThreadPoolExecutor(THREADS + 5)
    try:
        holds = [pool.submit(httpx.get, base + "/hold", timeout=90) for _ in range(THREADS + 5)]
        end = time.monotonic() + 60
        while len(entered) < THREADS and time.monotonic() < end:
            time.sleep(0.05)
        time.sleep(0.3)
        assert len(entered) == THREADS, "the thread pool is not saturated"
        answers = {p: _timed_get(base, p) for p in ("/health", "/ready")}
        answers["HEAD /health"] = _timed_get(base, "/health", "HEAD")
    finally:
        release.set()
        statuses = [h.result().status_code for h in holds]
        pool.shutdown()
        next(server, None)
    for path, (status, seconds) in answers.items():
        assert status == 200 and seconds < 2.5, (path, status, seconds)
    assert statuses == [200] * (THREADS + 5)


def test_ready_is_200_when_the_database_answers(store):
    client = TestClient(create_app(store=store, token="s3cret"))
    r = client.get("/ready")  # open without the token, as /health is: a probe carries none
    assert r.status_code == 200 and r.json() == {"status": "ready"}


def test_ready_is_503_when_the_database_cannot_be_reached(caplog):
    nowhere = Store(f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none",
                    run_migrations=False)
    client = TestClient(create_app(store=nowhere, token=""))
    r = client.get("/ready")
    assert r.status_code == 503
    assert r.json() == {"status": "unavailable",
                        "detail": "the database cannot be reached (OperationalError)"}
    assert client.get("/health").status_code == 200  # alive, not ready


def test_ready_is_503_after_its_timeout_when_the_database_hangs(store, monkeypatch):
    calls: list[int] = []
    release = threading.Event()

    def hung() -> None:
        calls.append(1)
        release.wait(30)

    monkeypatch.setattr(store, "ping", hung)
    monkeypatch.setattr(api, "READY_SECONDS", 0.5)
    client = TestClient(create_app(store=store, token=""))
    try:
        for _ in range(2):
            start = time.monotonic()
            r = client.get("/ready")
            assert time.monotonic() - start < 2
            assert r.status_code == 503
            assert r.json()["detail"] == "the database did not answer within 0.5 s"
        assert calls == [1]  # the second probe waited on the first check, not a new one
    finally:
        release.set()


def _records(caplog, name: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == name]


def test_a_safe_request_id_is_echoed_and_logged(store, caplog):
    caplog.set_level(logging.INFO, logger="dist401k.access")
    client = TestClient(create_app(store=store, token=""))
    r = client.get("/health", headers={"X-Request-ID": "lb-7f3a.9:c_2"})
    assert r.headers["x-request-id"] == "lb-7f3a.9:c_2"
    assert _records(caplog, "dist401k.access")[-1].request_id == "lb-7f3a.9:c_2"


@pytest.mark.parametrize("given", [None, "", "a b", "x" * 65, "id\r\nforged: 1", b"\xe9t\xe9"])
def test_an_unsafe_or_missing_request_id_is_replaced(store, caplog, given):
    caplog.set_level(logging.INFO, logger="dist401k.access")
    client = TestClient(create_app(store=store, token=""))
    r = client.get("/health", headers={} if given is None else {"X-Request-ID": given})
    rid = r.headers["x-request-id"]
    assert len(rid) == 32 and all(c in "0123456789abcdef" for c in rid), rid
    assert _records(caplog, "dist401k.access")[-1].request_id == rid


def test_the_failure_line_and_the_access_line_carry_the_same_id(store, caplog, monkeypatch):
    import dist401k.compare

    def failing(case):
        raise ValueError("no value of the case here")

    monkeypatch.setattr(dist401k.compare, "compare_case", failing)
    caplog.set_level(logging.INFO)
    client = TestClient(create_app(store=store, token=""), raise_server_exceptions=False)
    from api.test_logging import _case

    r = client.post("/compare", json=_case(), headers={"X-Request-ID": "req-42"})
    assert r.status_code == 500 and r.headers["x-request-id"] == "req-42"
    failed = _records(caplog, "dist401k.api")
    assert [(f.getMessage().split(" failed: ")[0], f.request_id) for f in failed] == [
        ("POST /compare", "req-42")]
    assert _records(caplog, "dist401k.access")[-1].request_id == "req-42"


def test_serve_prints_the_request_id_at_the_end_of_the_line():
    from dist401k.serving import LineFormatter

    record = logging.LogRecord("dist401k.access", logging.INFO, __file__, 1,
                               "%s %s %s %.1f ms", ("GET", "/health", 200, 1.25), None)
    record.request_id = "req-42"
    line = LineFormatter().format(record)
    assert line.endswith(" INFO:     GET /health 200 1.2 ms request_id=req-42"), line
    plain = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Started", (), None)
    assert LineFormatter().format(plain).endswith(" INFO:     Started")


def test_ready_asks_again_after_a_check_hung_on_a_silent_database(monkeypatch):
    """A database that accepts a connection and then says nothing hangs the check thread; the
    next probes wait on that check (2 s each, 503), but once it has hung past the stale bound a
    new check is asked — and a database back since answers ready, not the old hang for good."""
    monkeypatch.setattr(api, "READY_STALE_SECONDS", 0.3)
    hung = threading.Event()

    class Silent:
        calls = 0

        def ping(self):
            Silent.calls += 1
            if Silent.calls == 1:
                hung.wait(30)  # the silent database: the first check never answers

    import asyncio
    readiness = api.Readiness(Silent())
    try:
        assert "did not answer" in asyncio.run(readiness.problem(0.2))
        assert "did not answer" in asyncio.run(readiness.problem(0.05))  # the same check
        time.sleep(0.3)
        assert asyncio.run(readiness.problem(0.5)) is None  # a new check: the database answers
        assert Silent.calls == 2 and len(readiness.left) == 1
        hung.set()  # the hung check ends at last: its place is free again
        time.sleep(0.1)
        assert not readiness.left
    finally:
        hung.set()


def test_ready_leaves_at_most_a_few_checks_hung(monkeypatch):
    """Each hung check left behind holds a thread: past READY_MAX_LEFT of them the probe waits on
    the newest instead of starting more."""
    monkeypatch.setattr(api, "READY_STALE_SECONDS", 0.0)
    monkeypatch.setattr(api, "READY_MAX_LEFT", 2)
    never = threading.Event()

    class Frozen:
        def ping(self):
            never.wait(30)

    import asyncio
    readiness = api.Readiness(Frozen())
    try:
        for _ in range(6):
            assert "did not answer" in asyncio.run(readiness.problem(0.01))
        assert len(readiness.left) == 2
    finally:
        never.set()
