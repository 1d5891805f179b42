"""A saved case's and a determination's times read back as they were written: in UTC, with
the zone, whichever request returns them (SQLite keeps no zone of its own)."""

from __future__ import annotations

import datetime as dt
import json

from fastapi.testclient import TestClient

from api.conftest import example
from dist401k.api import create_app
from dist401k.store import Store


def test_created_reads_back_with_its_zone(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""))
    case = json.loads(json.dumps(example("disability"), default=str))
    made = client.post("/cases", json={"case": case}).json()
    read = client.get(f"/cases/{made['id']}").json()
    listed = [c for c in client.get("/cases").json() if c["id"] == made["id"]][0]
    assert made["created"] == read["created"] == listed["created"]
    assert dt.datetime.fromisoformat(read["created"]).utcoffset() == dt.timedelta(0)
    det = client.post(f"/cases/{made['id']}/determinations").json()
    again = client.get(f"/determinations/{det['id']}").json()
    assert det["created"] == again["created"]
    assert dt.datetime.fromisoformat(again["created"]).utcoffset() == dt.timedelta(0)
