"""Operating the store (the site-reliability review): a PostgreSQL restart costs no request,
and a database a later dist401k migrated is refused at start in one line."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from api.conftest import example
from api.served import free_port
from dist401k.api import create_app
from dist401k.store import Store, StoreError, migrate


def _restart(pg) -> None:
    """Stop the test server (fast: every connection is closed) and start it again on the same
    port, as a database restart or a failover does."""
    pg._run(pg.pg_ctl, "-D", pg.data, "-m", "fast", "-w", "stop")
    pg._run(pg.pg_ctl, "-D", pg.data, "-l", os.path.join(pg.dir, "log"), "-w", "-o",
            f"-p {pg.port} -k {pg.dir} -c listen_addresses=127.0.0.1", "start")


@pytest.mark.slow
def test_a_postgres_restart_fails_no_request():
    """The engine had no ``pool_pre_ping``: after a restart each pooled connection, dead,
    failed the next request that took it (500) until every one had failed once."""
    from api.postgres import TempPostgres

    pg = TempPostgres()
    url = pg.start()
    try:
        store = Store(url)
        client = TestClient(create_app(store=store, token=""), raise_server_exceptions=False)
        case = json.loads(json.dumps(example("disaster"), default=str))
        body = {"label": "before the restart", "case": case}
        assert client.post("/cases", json=body).status_code == 201
        # Three connections in the pool, each opened before the restart.
        sessions = [store.session() for _ in range(3)]
        for s in sessions:
            s.execute(text("SELECT 1"))
        for s in sessions:
            s.close()
        assert store.engine.pool.checkedin() == 3
        _restart(pg)
        statuses = [client.get("/cases").status_code for _ in range(5)]
        assert statuses == [200] * 5, statuses
        assert [c["label"] for c in client.get("/cases").json()] == ["before the restart"]
        store.engine.dispose()
    finally:
        pg.stop()


def _migrated_by_a_later_version(path) -> str:
    """A database whose recorded revision no migration of this version has (a later release
    migrated it; then the operator rolled back to this one)."""
    url = f"sqlite:///{path}"
    Store(url).engine.dispose()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE alembic_version SET version_num = '0099'")
    return url


def test_a_revision_this_version_does_not_know_is_a_store_error(tmp_path):
    url = _migrated_by_a_later_version(tmp_path / "later.db")
    with pytest.raises(StoreError) as refused:
        migrate(url)
    line = str(refused.value)
    assert "\n" not in line
    assert line.startswith(f"database {url} is at migration revision 0099, which this dist401k")
    assert "does not know" in line and "up to 0002" in line
    with sqlite3.connect(tmp_path / "later.db") as db:  # left as it was
        assert db.execute("SELECT version_num FROM alembic_version").fetchall() == [("0099",)]


def test_serve_refuses_a_database_a_later_version_migrated_in_one_line(tmp_path):
    """It was exit 70, "internal error (CommandError) … a defect of dist401k"."""
    url = _migrated_by_a_later_version(tmp_path / "later.db")
    result = subprocess.run([sys.executable, "-m", "dist401k.cli", "serve", "--port",
                             str(free_port())], env={**os.environ, "DIST401K_DATABASE_URL": url},
                            capture_output=True, text=True, timeout=120)
    lines = (result.stdout + result.stderr).strip().splitlines()
    assert result.returncode == 2, lines
    assert len(lines) == 1 and lines[0].startswith("error: database "), lines
    assert "migration revision 0099" in lines[0] and "does not know" in lines[0], lines
