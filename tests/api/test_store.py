"""The store against SQLite and against a real PostgreSQL server started for the test."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.conftest import example
from dist401k.api import create_app
from dist401k.store import Store


def roundtrip(store: Store) -> None:
    import json

    case = json.loads(json.dumps(example("disaster"), default=str))
    c = store.create_case(case, "label")
    assert store.get_case(c.id).data["request"]["amount"] == 22000
    store.update_case(c.id, {**case, "id": "changed"})
    assert store.get_case(c.id).data["id"] == "changed"
    d = store.save_determination("assess", case, {"x": [1, 2]}, "abc", 2026, c.id)
    assert store.get_determination(d.id).result == {"x": [1, 2]}
    assert [x.id for x in store.list_determinations(c.id)] == [d.id]
    assert store.delete_case(c.id) and store.get_case(c.id) is None
    assert store.get_determination(d.id) is not None  # kept for the audit


def test_sqlite(tmp_path):
    roundtrip(Store(f"sqlite:///{tmp_path / 's.db'}"))


def test_postgres(postgres_url):
    store = Store(postgres_url)
    roundtrip(store)
    # Migrations are idempotent: a second start finds the schema current.
    Store(postgres_url)
    client = TestClient(create_app(store=store, token=""))
    import json

    r = client.post("/cases", json={"case": json.loads(json.dumps(example("disability"),
                                                                   default=str))})
    assert r.status_code == 201
    assert client.post(f"/cases/{r.json()['id']}/determinations").status_code == 201
