"""`dist401k serve` at start-up: the store is migrated once, before any request is taken, by
one process or several, on SQLite and PostgreSQL; a database an interrupted start left
half-made is repaired, or refused with one line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from api.conftest import example
from api.served import Served, free_port
from dist401k.store import Store

BURST = 20


def _post_case(base: str, body: dict) -> int:
    try:
        return httpx.post(base + "/cases", json=body, timeout=120).status_code
    except httpx.HTTPError as exc:  # a dropped connection counts as a failure
        return type(exc).__name__


def _burst(server: Served) -> list:
    body = {"label": "burst", "case": json.loads(json.dumps(example("disaster"), default=str))}
    with ThreadPoolExecutor(BURST) as pool:
        return list(pool.map(lambda _: _post_case(server.base, body), range(BURST)))


def _burst_is_served(database_url: str, workers: int) -> None:
    with Served(database_url, workers) as server:
        statuses = _burst(server)
        alive = server.process.poll() is None
        listed = httpx.get(server.base + "/cases?limit=1000", timeout=60)
    assert statuses == [201] * BURST, (statuses, server.output[-3000:])
    assert alive, server.output[-3000:]
    assert listed.status_code == 200 and len(listed.json()) == BURST
    assert "Traceback" not in server.output, server.output[-3000:]


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_burst_at_start_on_a_new_sqlite_file(tmp_path, workers):
    _burst_is_served(f"sqlite:///{tmp_path / 'new.db'}", workers)


@pytest.fixture
def fresh_postgres(postgres_url):
    """An empty database on the session's PostgreSQL server, one per test."""
    import uuid

    from sqlalchemy import create_engine

    name = f"t{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    admin.dispose()
    return postgres_url.rsplit("/", 1)[0] + f"/{name}"


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_a_burst_at_start_on_a_new_postgres_database(fresh_postgres, workers):
    _burst_is_served(fresh_postgres, workers)


def _half_made(path) -> str:
    """A database as a crash during the first migration left it: the tables, no revision."""
    url = f"sqlite:///{path}"
    Store(url).engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute("DELETE FROM alembic_version")
    return url


@pytest.mark.slow
def test_a_half_migrated_database_is_repaired_at_start(tmp_path):
    url = _half_made(tmp_path / "half.db")
    with Served(url) as server:
        statuses = _burst(server)
    assert statuses == [201] * BURST, (statuses, server.output[-3000:])
    with sqlite3.connect(tmp_path / "half.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0002",)]


def test_a_half_made_database_that_cannot_be_repaired_is_refused_in_one_line(tmp_path):
    url = _half_made(tmp_path / "half.db")
    with sqlite3.connect(tmp_path / "half.db") as db:
        db.execute("DROP TABLE determinations")
    # A subprocess with a time limit: a server that started anyway would never return.
    result = subprocess.run([sys.executable, "-m", "dist401k.cli", "serve", "--port",
                             str(free_port())], env={**os.environ, "DIST401K_DATABASE_URL": url},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert len(lines) == 1 and "no recorded migration" in lines[0], lines
    assert "determinations" in lines[0]


@pytest.mark.parametrize("workers", [1, 2])
def test_a_port_in_use_is_one_line_and_exit_2(tmp_path, workers):
    """Another program listening on the port: uvicorn said "Application startup complete",
    then "address already in use", and exited 3; it is one line and status 2, before the
    server (or the database) starts."""
    import socket

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "dist401k.cli", "serve", "--port",
                                 str(port), "--workers", str(workers)],
                                env={**os.environ, "DIST401K_DATABASE_URL":
                                     f"sqlite:///{tmp_path / 'new.db'}"},
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert lines == [f"error: port {port} on 127.0.0.1 is in use (another program listens "
                     "there): stop it, or choose another --port"], lines
    assert not (tmp_path / "new.db").exists()
