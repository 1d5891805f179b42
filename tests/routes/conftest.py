"""Build cases quickly: a valid base case, changed by dotted paths."""

from __future__ import annotations

import copy

import pytest

BASE = {
    "person": {"birth_date": "1970-01-15", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2010-01-01"},
    "income": {"wages": 60000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 100000}}},
    "request": {"date": "2026-11-23", "amount": "max"},
}


def make(changes: dict | None = None, **kw) -> dict:
    """The base case with ``{"a.b.c": value}`` changes (a value of None deletes the key)."""
    return edited(BASE, {**(changes or {}), **kw})


def edited(base: dict, changes: dict) -> dict:
    """A copy of ``base`` with ``{"a.b.c": value}`` changes (a value of None deletes the key)."""
    case = copy.deepcopy(base)
    for path, value in changes.items():
        keys = path.split(".")
        node = case
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        if value is None:
            node.pop(keys[-1], None)
        else:
            node[keys[-1]] = value
    return case


@pytest.fixture
def assess():
    from dist401k.assess import assess_cases
    from dist401k.case import parse_case

    def run(*cases):
        out = assess_cases([parse_case(c) for c in cases])
        return out if len(out) > 1 else out[0]

    return run


def route(result: dict, name: str) -> dict:
    return next(s for s in result["route_summary"] if s["route"] == name)


def outcome(result: dict, name: str, destination: str = "cash") -> dict | None:
    return next((o for o in result["outcomes"]
                 if o["route"] == name and o["destination"] == destination), None)
