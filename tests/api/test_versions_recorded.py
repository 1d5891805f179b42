"""The API says what made each answer, as the command line does: `dist401k_version` beside
`law_version` in `/assess`, `/compare`, `/sepp`, `/plan` and `/tax`; a stored determination
keeps the program's version too (a new column; a row stored before it reads as unknown, null);
and with an operator's logging at DEBUG a stored case never reaches the log."""

from __future__ import annotations

import json
import logging
import logging.config
import sqlite3
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from api.conftest import example
from dist401k import __version__
from dist401k.api import create_app
from dist401k.law import default_law
from dist401k.store import Store

ROOT = Path(__file__).parents[2]
PLAN = ROOT / "examples" / "plans" / "single-retiree.yaml"
UNIT = {"tax_year": 2026, "filing_status": "single", "wages": 50_000}


def _jsonable(x):
    return json.loads(json.dumps(x, default=str))


def test_every_answer_names_the_program_beside_the_law(client):
    law = default_law().version
    case, sepp = _jsonable(example("hardship-medical")), _jsonable(example("sepp-early-retiree"))
    plan = _jsonable(yaml.safe_load(PLAN.read_text()))
    answers = {"/assess": client.post("/assess", json=case),
               "/compare": client.post("/compare", json=case),
               "/sepp": client.post("/sepp", json=sepp),
               "/plan": client.post("/plan?paths=0", json=plan),
               "/tax": client.post("/tax", json={"units": [UNIT]})}
    for path, r in answers.items():
        assert r.status_code == 200, (path, r.text)
        j = r.json()
        assert (j["law_version"], j["dist401k_version"]) == (law, __version__), path


def test_the_plan_answer_holds_no_timing(client):
    r = client.post("/plan?paths=0", json=_jsonable(yaml.safe_load(PLAN.read_text())))
    assert r.status_code == 200, r.text
    assert "seconds" not in r.json() and "seconds" not in r.json()["optimiser"]


def test_a_determination_keeps_the_program_version(client):
    r = client.post("/cases", json={"case": _jsonable(example("rule-of-55"))})
    assert r.status_code == 201, r.text
    made = client.post(f"/cases/{r.json()['id']}/determinations")
    assert made.status_code == 201, made.text
    assert made.json()["dist401k_version"] == __version__
    again = client.get(f"/determinations/{made.json()['id']}").json()
    assert again["dist401k_version"] == __version__
    listed = client.get(f"/cases/{r.json()['id']}/determinations").json()
    assert [d["dist401k_version"] for d in listed] == [__version__]


def test_a_determination_stored_before_the_column_reads_as_unknown(tmp_path):
    """A database at the first migration with a row in it, then opened by this dist401k: the
    column is added, the old row's program version is null (unknown), never guessed."""
    from alembic import command
    from alembic.config import Config

    from dist401k.store import MIGRATIONS

    path = tmp_path / "old.db"
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", f"sqlite:///{path}")
    command.upgrade(cfg, "0001")
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO determinations (id, case_id, kind, law_version, tax_year, "
                   "inputs, result, created) VALUES ('old1', NULL, 'assess', 'abc', 2025, "
                   "'{}', '{}', '2025-01-02 03:04:05')")
    store = Store(f"sqlite:///{path}")
    assert store.get_determination("old1").dist401k_version is None
    got = TestClient(create_app(store=store, token="")).get("/determinations/old1")
    assert got.status_code == 200 and got.json()["dist401k_version"] is None


@pytest.fixture
def operators_debug_logging():
    """An operator's logging: the root logger and ``sqlalchemy.engine`` at DEBUG, then the
    server's log configuration applied over it (as `dist401k serve` does); the loggers it
    touches are put back afterwards."""
    from dist401k.serving import log_config

    names = ["", "sqlalchemy.engine", "sqlalchemy.pool", *log_config()["loggers"]]
    saved = {n: (lg.level, lg.handlers[:], lg.propagate, lg.disabled)
             for n in names for lg in [logging.getLogger(n)]}
    logging.getLogger().setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy.engine").setLevel(logging.DEBUG)
    logging.getLogger("sqlalchemy.pool").setLevel(logging.DEBUG)
    logging.config.dictConfig(log_config())
    logging.getLogger().setLevel(logging.DEBUG)  # whatever the root level
    yield
    for n, (level, handlers, propagate, disabled) in saved.items():
        lg = logging.getLogger(n)
        lg.setLevel(level)
        lg.handlers[:] = handlers
        lg.propagate, lg.disabled = propagate, disabled


def test_a_stored_case_never_reaches_the_log_at_debug(tmp_path, caplog, operators_debug_logging):
    """Before, SQLAlchemy logged each row read ("Row ('…', 'Zelda Quux', {… 'birth_date':
    '1988-04-02' …})") although statement parameters are hidden."""
    caplog.set_level(logging.DEBUG)
    store = Store(f"sqlite:///{tmp_path / 'db.sqlite'}")
    client = TestClient(create_app(store=store, token=""))
    r = client.post("/cases", json={"label": "Zelda Quux",
                                    "case": _jsonable(example("hardship-medical"))})
    assert r.status_code == 201, r.text
    assert client.get(f"/cases/{r.json()['id']}").status_code == 200
    assert client.get("/cases").status_code == 200
    logged = caplog.text
    assert "Zelda Quux" not in logged and "1988-04-02" not in logged, logged[-2000:]
