"""Employer money paid in service under the two-year seasoning rule (Treas. Reg.
§1.401-1(b)(1)(ii); Rev. Rul. 71-295), its seasoned part not given: the answer takes the whole
balance as seasoned and says so, naming the field (docs/assess.md, notes)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dist401k.cli import app

CASE = """
id: ps
person: {birth_date: 1986-01-01, filing_status: single}
employment: {status: active, hire_date: 2024-01-01}
income: {wages: 60000}
plan:
  type: 401k
  in_service:
    match: {allowed: true}
account:
  sources:
    elective_deferral: {balance: 10000}
    match: {balance: 5000, vested: 1.0%s}
request: {date: 2026-06-05, amount: max}
"""


def _answer(tmp_path, seasoned: str) -> dict:
    path = tmp_path / "case.yaml"
    path.write_text(CASE % seasoned)
    out = CliRunner().invoke(app, ["assess", str(path), "-f", "json"])
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def test_the_seasoned_part_not_given_is_said(tmp_path):
    """Hired 2024-01-01, asking 2026-06-05: under five years of participation and no age the
    plan states, so only money contributed two years before may be paid — the case does not say
    how much that is, and the answer pays all $5,000 with a note naming the field."""
    d = _answer(tmp_path, "")
    notes = [n for n in d["notes"] if n["code"] == "SEASONED_ASSUMED"]
    assert [n["field"] for n in notes] == ["account.sources.match.seasoned"]
    match = [r for r in d["routes"] if r["route"] == "in_service" and r["source"] == "match"][0]
    assert match["available"] == 5000.0


def test_given_it_is_paid_and_nothing_is_said(tmp_path):
    d = _answer(tmp_path, ", seasoned: 2000")
    assert "SEASONED_ASSUMED" not in [n["code"] for n in d["notes"]]
    match = [r for r in d["routes"] if r["route"] == "in_service" and r["source"] == "match"][0]
    assert match["available"] == 2000.0
