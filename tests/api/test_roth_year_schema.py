"""The published minimum of a Roth year is the floor its check reads (the apiint review): the
schema said 1980 for ``iras.roth_first_year``, ``iras.roth_conversions.*.year`` and
``account.sources.*.first_year`` while the checks refuse any year before Roth IRAs began, tax
years after 1997 (IRC §408A, law ``roth.ira_first_year``), and a plan's designated Roth money
before tax years after 2005 (IRC §402A(a)).  The schema publishes the law's 1998 (the lowest
floor of the three; the designated Roth floor depends on whether the source is an inherited Roth
IRA, which the schema cannot say), read from the law, so a year the schema accepts is never
refused for being too early by the Roth IRA rule, and a year before 1998 is refused by both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.case import case_schema, roth_first_year_floor, roth_ira_first_year
from dist401k.store import Store

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("roth_year") / "cases.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""),
                      raise_server_exceptions=False)


def _case() -> dict:
    text = (ROOT / "examples" / "cases" / "hardship-medical.yaml").read_text()
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def _minimum(prop: dict) -> int:
    branches = prop.get("anyOf", [prop])
    return next(b["minimum"] for b in branches if b.get("type") == "integer")


def test_the_law_says_roth_iras_began_in_1998():
    # TRA '97 §302: §408A applies to taxable years beginning after December 31, 1997.
    assert roth_ira_first_year() == 1998
    assert roth_first_year_floor(roth_ira=True)[0] == 1998
    assert roth_first_year_floor()[0] == 2006  # §402A: taxable years after 2005


def test_the_case_schema_publishes_the_laws_first_roth_year():
    defs = case_schema()["$defs"]
    floor = roth_ira_first_year()
    assert _minimum(defs["Iras"]["properties"]["roth_first_year"]) == floor
    assert _minimum(defs["RothConversion"]["properties"]["year"]) == floor
    assert _minimum(defs["SourceBalance"]["properties"]["first_year"]) == floor


def test_the_api_refuses_what_the_schema_refuses_with_the_laws_words(client):
    case = _case()
    case["iras"] = {"roth": 1000, "roth_first_year": 1997}
    r = client.post("/assess", json=case)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert detail[0]["loc"][-2:] == ["iras", "roth_first_year"]
    assert "1998" in detail[0]["msg"] and "§408A" in detail[0]["msg"]
    case["iras"]["roth_first_year"] = 1998
    assert client.post("/assess", json=case).status_code == 200


def test_a_year_long_before_roth_iras_gets_the_laws_words_not_a_bare_range(client):
    case = _case()
    case["iras"] = {"roth": 1000, "roth_conversions": [{"year": 1975, "amount": 1000}]}
    r = client.post("/assess", json=case)
    assert r.status_code == 422
    msg = r.json()["detail"][0]["msg"]
    assert "Roth IRAs began in 1998" in msg
