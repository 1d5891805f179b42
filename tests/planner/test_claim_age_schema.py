"""The published plan schema bounds ``social_security.claim_age`` by the law, as every door's
check does: from the earliest age a retirement benefit may start (42 U.S.C. §402(a),
§416(l)(2): 62) to the last age that earns delayed credit (§402(w)(2)(A)(ii); 20 CFR 404.313:
70), read from the law files of this year, not the model's sanity bounds 0–100 that it gave
before — a form built from it took 50, which every door then refused (docs/plan.md, "The
bounds")."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.law import default_law
from dist401k.planner.household import household_schema
from dist401k.store import Store

jsonschema_rs = pytest.importorskip("jsonschema_rs")


def _law_ages() -> tuple[float, float]:
    """This year's (the nearest year of law's) earliest claiming age and last age of credit."""
    law = default_law()
    first, last = law.known_years
    year = min(max(dt.date.today().year, first), last)
    return (law.scalar("social_security.earliest_claim_age", year),
            law.scalar("social_security.delayed_credit_last_age", year))


def _law_bounds() -> tuple[float, float]:
    """The ages that round to those months (the check takes the nearest month, a half month
    up): half a month below the earliest, and just under half a month above the last
    (tests/planner/test_claim_age_schema_edges.py works the edges by hand)."""
    lo, hi = _law_ages()
    return (pytest.approx(lo - 0.5 / 12, abs=1e-9), pytest.approx(hi + 0.5 / 12, abs=1e-9))


def _claim_age(schema: dict) -> dict:
    """The number branch of ``claim_age`` in a schema whose definitions are under ``defs``."""
    defs = schema.get("$defs") or schema["components"]["schemas"]
    prop = defs["SocialSecurity"]["properties"]["claim_age"]
    (number,) = [b for b in prop["anyOf"] if b.get("type") == "number"]
    return number


def test_the_schema_gives_the_laws_claiming_ages():
    number = _claim_age(household_schema())
    assert (number["minimum"], number["maximum"]) == _law_bounds()
    # The statute's own ages (§416(l)(2): 62; §402(w): credit to 70), enacted long before,
    # each widened by the half month that rounds to it.
    assert _law_ages() == (62, 70)
    assert (number["minimum"], number["maximum"]) == (pytest.approx(61.958333333, abs=1e-9),
                                                      pytest.approx(70.041666667, abs=1e-9))


def test_dist401k_schema_plan_prints_them():
    r = CliRunner().invoke(app, ["schema", "plan"])
    assert r.exit_code == 0, r.output
    number = _claim_age(json.loads(r.stdout))
    assert (number["minimum"], number["maximum"]) == _law_bounds()


def test_the_api_request_schema_gives_them_too(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'test.db'}")
    doc = TestClient(create_app(store=store, token="")).get("/openapi.json").json()
    assert (_claim_age(doc)["minimum"], _claim_age(doc)["maximum"]) == _law_bounds()


@pytest.mark.parametrize(("age", "valid"), [(50, False), (61.95, False), (61.99, True), (62, True),
                                            (67.5, True), (70, True), (70.04, True),
                                            (70.05, False), (70.5, False), (None, True)])
def test_a_form_built_from_the_schema_takes_what_the_plan_takes(age, valid):
    case = {"start_year": 2026, "people": [{"name": "Ann", "birth_date": "1960-03-01",
                                            "social_security": {"monthly_at_full_age": 2000,
                                                                "claim_age": age}}]}
    assert jsonschema_rs.Draft202012Validator(household_schema()).is_valid(case) is valid
