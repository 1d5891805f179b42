"""An upper bound is written as a participant reads a number (the browser review's defect): in
plain digits with thousands separators where it is a whole number — "no more than
100,000,000,000", not "1e+11" —, a fraction as it is ("no more than 0.5"), in the same words
through every door: the case model (CLI, API), a batch's error row, the plan's household."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.planner.household import parse_household

ROOT = Path(__file__).parents[2]
CASE = json.loads(json.dumps(yaml.safe_load(
    (ROOT / "examples" / "cases" / "hardship-medical.yaml").read_text()), default=str))
PLAN = json.loads(json.dumps(yaml.safe_load(
    (ROOT / "examples" / "plans" / "single-retiree.yaml").read_text()), default=str))
LAW = default_law()
PREFIX = "must be a finite number no more than "


def refusal(parse, data: dict, path: str, value) -> str:
    """The one problem ``parse`` names at ``path`` (dotted, list items by number) of ``data``
    with ``value`` there."""
    data = json.loads(json.dumps(data))
    node = data
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[int(k)] if isinstance(node, list) else node.setdefault(k, {})
    node[keys[-1]] = value
    with pytest.raises(InputError) as exc:
        parse(data)
    (problem,) = exc.value.problems
    assert problem.field == path
    return problem.problem


# Each bound as the case model declares it: $100 billion for an amount (bounds.py MONEY), a
# vested fraction at most 1.
@pytest.mark.parametrize(("path", "column", "value", "bound"), [
    ("request.amount", "request_amount", 2e11, "100,000,000,000"),
    ("income.wages", "wages", 1e30, "100,000,000,000"),
    ("account.sources.match.vested", "vested_match", 1.5, "1")])
def test_a_case_bound_is_written_in_plain_digits_in_every_door(path, column, value, bound):
    words = PREFIX + bound
    assert refusal(parse_case, CASE, path, value) == words
    row = {"participant_id": "p1", "request_date": "2026-06-01", "birth_date": "1966-02-03",
           "plan_type": "401k", "balance_elective_deferral": 1000.0, "balance_match": 500.0,
           column: value}
    out = run_job(pa.table({k: [v] for k, v in row.items()}), "eligibility", LAW).to_pylist()[0]
    assert (out["status"], out["error_message"]) == ("error", f"{column}: {words}")


# The plan's bounds: $10 trillion for an amount (household.py MAX_AMOUNT), a return of at most
# 50% a year (MAX_RETURN), a life expectancy of at most 120 (MAX_LIFE_EXPECTANCY).
@pytest.mark.parametrize(("path", "value", "bound"), [
    ("people.0.accounts.ira", 2e13, "10,000,000,000,000"),
    ("market.stocks", 0.6, "0.5"),
    ("people.0.life_expectancy", 130, "120")])
def test_a_plan_bound_is_written_in_plain_digits(path, value, bound):
    assert refusal(parse_household, PLAN, path, value) == PREFIX + bound
