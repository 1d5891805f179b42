"""``POST /plan``'s published answer schema (``DrawdownPlan`` in ``/openapi.json``) documents the
whole answer: every key the answer holds — at the top, in ``optimiser``, in each strategy and
its ``monte_carlo``, in each row of ``table``, and in the objects below them — is declared with
a description, every key it requires is present, and the answer validates against it (types,
``number | null`` where the JSON holds null).  Before, ``optimiser``, ``strategies`` and
``table`` were free-form objects and the blocks a plan adds (``confidence``, ``claiming``,
``longevity`` …) undeclared, so a client learned nothing of them from the schema.

The answers are real ones: every shipped plan without Monte Carlo, two with a small one (the
guardrails and the confidence search; a state and a move), and variants of shipped plans that
bring out the blocks the shipped ones lack (the claiming search, a claim already made, random
lifetimes, the earnings test, spending changes with planned expenses, inflows and other income,
a couple's survival horizon) — the keys come from the engine, the meaning from docs/plan.md.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import yaml
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.store import Store

ROOT = Path(__file__).parents[2]
PLANS = sorted((ROOT / "examples" / "plans").glob("*.yaml"))
#: The shipped plans also run with a small Monte Carlo (``?paths=``).
WITH_MONTE_CARLO = ("single-retiree-guardrails", "couple-nj-to-fl")
SMALL_PATHS = 50


def _json(path: Path) -> dict:
    """A YAML plan file as the JSON body a client sends (dates as ISO text)."""
    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    return json.loads(json.dumps(yaml.safe_load(path.read_text()), default=plain))


def _plan(name: str) -> dict:
    return _json(ROOT / "examples" / "plans" / f"{name}.yaml")


def _claiming() -> dict:
    body = _plan("single-retiree")
    body["strategy"]["search_claiming"] = True
    return body


def _kept_claim() -> dict:
    """Robin, 64 at the start, claimed at 62: the search keeps the claim (``kept``, ``notes``)."""
    body = _claiming()
    body["people"][0].update(birth_date="1962-01-15")
    body["people"][0]["social_security"]["claim_age"] = 62
    return body


def _random_lifetimes() -> dict:
    body = _plan("single-retiree")
    body["people"][0]["sex"] = "male"
    body["monte_carlo"]["lifetimes"] = "random"
    return body


def _earnings_test() -> dict:
    """62 at the start, claiming at 62 with $60,000 of wages to 65: benefits are withheld."""
    body = _plan("single-retiree")
    body["people"][0].update(birth_date="1964-03-01", wages=60000, retirement_age=65)
    body["people"][0]["social_security"]["claim_age"] = 62
    return body


def _spending_and_inflows() -> dict:
    body = _plan("single-retiree")
    body["people"][0]["sex"] = "female"
    body["spending"].update(changes=[{"from_age": 80, "fraction": 0.8}], expenses=[
        {"year": 2028, "amount": 25000, "label": "roof"},
        {"year": 2026, "years": 3, "amount": 18000, "indexed": False}])
    body["inflows"] = [{"year": 2031, "amount": 100000, "label": "inheritance"}]
    body["other_income"] = [{"annual": 5000}]
    return body


def _couple_horizon() -> dict:
    body = _plan("couple-social-security")
    body["people"][0]["sex"], body["people"][1]["sex"] = "male", "female"
    body["horizon"] = {"survival": 0.9}
    body["spending"]["changes"] = [{"from_year": 2036, "fraction": 0.9}]
    return body


#: name: (the request's body, its paths).
VARIANTS = {"claiming-search": (_claiming, 0), "kept-claim": (_kept_claim, 0),
            "random-lifetimes": (_random_lifetimes, SMALL_PATHS),
            "earnings-test": (_earnings_test, 0),
            "spending-inflows-other-income": (_spending_and_inflows, 0),
            "couple-survival-horizon": (_couple_horizon, 0)}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = tmp_path_factory.mktemp("plan_schema") / "db.sqlite"
    return TestClient(create_app(store=Store(f"sqlite:///{db}"), token=""))


@pytest.fixture(scope="module")
def openapi(client) -> dict:
    return client.get("/openapi.json").json()


def published(openapi: dict) -> dict:
    """``POST /plan``'s 200 answer schema, with the components beside it (its ``$ref``)."""
    op = openapi["paths"]["/plan"]["post"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    return {**schema, "components": openapi["components"]}


def _resolve(openapi: dict, schema: dict) -> dict:
    """``schema`` with its ``$ref`` (or a lone ``allOf``) followed to the component."""
    while True:
        if "$ref" in schema:
            schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
        elif len(schema.get("allOf", [])) == 1:
            schema = schema["allOf"][0]
        else:
            return schema


def _branch(openapi: dict, schema: dict, value: Any) -> dict:
    """The branch of an ``anyOf`` that a non-null ``value`` takes (``X | null``)."""
    schema = _resolve(openapi, schema)
    if "anyOf" not in schema:
        return schema
    kinds = [_resolve(openapi, s) for s in schema["anyOf"]]
    shaped = [s for s in kinds if s.get("type") != "null"]
    want = "object" if isinstance(value, dict) else "array" if isinstance(value, list) else None
    for s in shaped:
        if want is None or s.get("type") == want or (want == "object" and "properties" in s):
            return s
    return shaped[0] if shaped else schema


def undocumented(openapi: dict, schema: dict, value: Any, where: str = "$") -> list[str]:
    """Each key of ``value`` its schema does not declare with a description, each required key
    missing, and each object the schema leaves free-form (no declared keys, no schema for a
    mapping's values) — as ``where.key: what``."""
    schema = _branch(openapi, schema, value)
    if isinstance(value, list):
        items = schema.get("items")
        if not isinstance(items, dict):
            return [f"{where}: a list whose items are not described"] if value else []
        return [p for i, v in enumerate(value) for p in
                undocumented(openapi, items, v, f"{where}[{i}]")]
    if not isinstance(value, dict):
        return []
    props = schema.get("properties")
    if props is None:
        extra = schema.get("additionalProperties")
        if not isinstance(extra, dict) or not extra:
            return [f"{where}: a free-form object"] if value else []
        return [p for k, v in value.items() for p in undocumented(openapi, extra, v,
                                                                  f"{where}.{k}")]
    problems = [f"{where}.{k}: required, absent" for k in schema.get("required", [])
                if k not in value]
    for key, v in value.items():
        if key not in props:
            problems.append(f"{where}.{key}: not declared")
        elif not props[key].get("description"):
            problems.append(f"{where}.{key}: no description")
        else:
            problems += undocumented(openapi, props[key], v, f"{where}.{key}")
    return problems


def invalid(openapi: dict, answer: dict) -> list[str]:
    """Where the answer does not validate against its published schema (types, nulls)."""
    validator = jsonschema_rs.Draft202012Validator(published(openapi))
    return [f"{'/'.join(map(str, e.instance_path))}: {e.message}"[:300]
            for e in validator.iter_errors(answer)]


def _answers(client) -> dict[str, dict]:
    out: dict[str, dict] = {}
    requests = [(p.stem, _json(p), 0) for p in PLANS]
    requests += [(f"{name}-mc", _plan(name), SMALL_PATHS) for name in WITH_MONTE_CARLO]
    requests += [(name, make(), paths) for name, (make, paths) in VARIANTS.items()]
    for name, body, paths in requests:
        r = client.post("/plan", json=body, params={"paths": paths})
        assert r.status_code == 200, (name, r.text[:300])
        out[name] = r.json()
    return out


@pytest.fixture(scope="module")
def answers(client) -> dict[str, dict]:
    return _answers(client)


def test_every_key_of_every_answer_is_declared_and_described(openapi, answers):
    problems = {name: undocumented(openapi, published(openapi), answer)
                for name, answer in answers.items()}
    problems = {name: p[:8] for name, p in problems.items() if p}
    assert not problems, problems


def test_every_answer_validates(openapi, answers):
    errors = {name: invalid(openapi, answer)[:5] for name, answer in answers.items()}
    errors = {name: e for name, e in errors.items() if e}
    assert not errors, errors


#: The blocks the answers above must bring out, each at least once (else the test would check
#: less than it says): (where, key).
EXPECTED = [("$", k) for k in ("charity", "confidence", "marketplace", "state", "assumptions",
                               "longevity", "earnings_test", "irmaa_appeal", "claiming",
                               "spending", "inflows")] + [
    ("strategy", "unpaid_expenses"), ("monte_carlo", "spending_real"),
    ("monte_carlo", "lowest_spending_percentiles"), ("monte_carlo", "lifetimes"),
    ("row", "need"), ("row", "inflows"), ("row", "other_income"), ("row", "state_tax"),
    ("row", "poverty_line_share"), ("row", "qcd"), ("claiming", "kept"),
    ("longevity", "both_alive")]


def _seen(answers: dict[str, dict]) -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    for a in answers.values():
        seen |= {("$", k) for k in a}
        seen |= {("strategy", k) for s in a["strategies"] for k in s}
        seen |= {("monte_carlo", k) for s in a["strategies"] for k in s["monte_carlo"]}
        seen |= {("row", k) for row in a["table"] for k in row}
        for block in ("claiming", "longevity"):
            seen |= {(block, k) for k in a.get(block, {})}
    return seen


def test_the_answers_bring_out_every_block(answers):
    assert not set(EXPECTED) - _seen(answers), set(EXPECTED) - _seen(answers)
    assert any(a["longevity"]["horizon"] for a in answers.values() if "longevity" in a)
    assert any(None in row["ages"] for a in answers.values() for row in a["table"])


def test_the_check_can_fail(openapi, answers):
    """A key the schema does not declare, in a row and in a Monte Carlo summary, and a
    required key taken away, are each caught; a wrong type fails the validation."""
    answer = copy.deepcopy(answers["single-retiree-guardrails-mc"])
    answer["table"][0]["surprise"] = 1.0
    answer["strategies"][0]["monte_carlo"]["surprise"] = 1.0
    del answer["optimiser"]["passes"]
    problems = undocumented(openapi, published(openapi), answer)
    assert "$.table[0].surprise: not declared" in problems
    assert "$.strategies[0].monte_carlo.surprise: not declared" in problems
    assert "$.optimiser.passes: required, absent" in problems
    answer = copy.deepcopy(answers["single-retiree"])
    answer["table"][0]["income_tax"] = None
    assert invalid(openapi, answer)


def test_the_plan_components_are_named_in_the_openapi(openapi):
    """The parts are components a generated client names (not written out in place)."""
    plan = openapi["components"]["schemas"]["DrawdownPlan"]["properties"]
    assert _resolve(openapi, plan["optimiser"])["title"] == "PlanOptimiser"
    assert plan["table"]["items"]["$ref"].endswith("/PlanYear")
    assert plan["strategies"]["items"]["$ref"].endswith("/PlanStrategy")
