"""HTTP details of the API an integrator relies on (review of 6 Dec 2026, apiint findings 2,
4, 6 and 7).

Failed before the fix: HEAD was 405 on every GET resource but /health (RFC 9110 §9.1: "All
general-purpose servers MUST support the methods GET and HEAD"); two component schemas were
titled "Person", so openapi-python-client dropped /plan and /plan/report; the bad-host 400 was
plain text; a ``null`` or ``[]`` body on /assess got other words than on every other
endpoint."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from api.conftest import example
from dist401k.api import create_app
from dist401k.store import Store

GETS = ["/ready", "/law?names=early_distributions.age", "/labels", "/reasons", "/cases",
        "/schema", "/", "/planner", "/static/app.js", "/health", "/openapi.json"]


@pytest.mark.parametrize("url", GETS)
def test_head_answers_wherever_get_does(client, url):
    got, head = client.get(url), client.head(url)
    assert got.status_code == 200, got.text
    assert head.status_code == 200
    assert head.content == b""  # RFC 9110 §9.3.2: no content
    assert head.headers["content-type"] == got.headers["content-type"]


def test_head_of_a_saved_case_and_of_a_missing_one(client):
    made = client.post("/cases", json={"case": json.loads(json.dumps(
        example("hardship-medical"), default=str))})
    assert made.status_code == 201, made.text
    assert client.head(f"/cases/{made.json()['id']}").status_code == 200
    missing = client.head("/cases/no-such-case")
    assert missing.status_code == 404 and missing.content == b""


def test_head_of_a_bad_query_is_the_gets_refusal(client):
    assert client.head("/law?names=zzz").status_code == 422


def test_head_is_listed_in_allow_and_refused_where_there_is_no_get(client):
    r = client.patch("/ready")
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["allow"].split(",")} == {"GET", "HEAD"}
    post_only = client.head("/assess")
    assert post_only.status_code == 405
    assert {m.strip() for m in post_only.headers["allow"].split(",")} == {"POST"}


def test_head_needs_the_token_as_get_does(tmp_path):
    app = create_app(store=Store(f"sqlite:///{tmp_path / 'db.sqlite'}"), token="s3cret")
    c = TestClient(app)
    assert c.head("/cases").status_code == 401
    assert c.head("/cases", headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert c.head("/ready").status_code == 200  # open, as GET /ready is


def test_component_schema_titles_are_unique(client):
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    titles = [s.get("title", key) for key, s in schemas.items()]
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)
    assert "PlanPerson" in titles and "Person" in titles


def test_the_planner_person_keeps_its_checks():
    from dist401k.planner.household import Person

    assert Person.model_config["title"] == "PlanPerson"
    assert Person.model_config.get("extra") == "forbid"


def test_a_foreign_host_is_refused_in_json(tmp_path, monkeypatch):
    monkeypatch.setenv("DIST401K_BIND_HOST", "127.0.0.1")
    monkeypatch.delenv("DIST401K_ALLOWED_HOSTS", raising=False)
    app = create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token="")
    r = TestClient(app, base_url="http://evil.example").get("/cases")
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/json"
    assert r.json() == {"detail": "Invalid host header"}
    assert "x-request-id" in r.headers  # inside the access log's layer, as before
    assert TestClient(app, base_url="http://127.0.0.1").get("/cases").status_code == 200


POSTS = ["/assess", "/compare", "/report", "/sepp", "/plan", "/tax", "/cases"]


@pytest.mark.parametrize("body", ["null", "[]", "5", '"x"'])
def test_a_body_that_is_not_an_object_gets_the_same_words_everywhere(client, body):
    answers = {}
    for path in POSTS:
        r = client.post(path, content=body, headers={"content-type": "application/json"})
        assert r.status_code == 422, (path, r.text)
        answers[path] = r.json()
    assert answers["/assess"] == {"detail": [{"loc": ["body"], "msg": "Input should be an object",
                                              "type": "model_attributes_type"}]}
    assert all(a == answers["/assess"] for a in answers.values()), answers


def test_an_empty_body_is_still_required(client):
    for path in POSTS:
        r = client.post(path, content=b"", headers={"content-type": "application/json"})
        assert r.status_code == 422
        assert r.json()["detail"][0]["msg"] == "is required", (path, r.text)
