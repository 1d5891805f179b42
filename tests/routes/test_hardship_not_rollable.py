"""A hardship withdrawal asked to go to an IRA, another plan or a 60-day rollover has no outcome,
and every door says why, as it does for the SECURE 2.0 withdrawals
(tests/routes/test_secure2_not_rollable.py).  The law: an "eligible rollover distribution"
"shall not include ... (C) any distribution which is made upon hardship of the employee"
(IRC §402(c)(4)(C), Cornell LII text); the direct rollover (§401(a)(31)), the rollover notice
(§402(f)) and the 20% withholding (§3405(c)) are each for eligible rollover distributions only.
So the plan pays a hardship in cash only: asked elsewhere, the hardship route gives
``HS_NOT_ROLLABLE`` naming ``request.destination``, with that citation; asked in cash (or all),
it is paid as before and the reason is not given (the outcome's own OC_NON_ERD_WITHHOLDING says
it is not an eligible rollover distribution).

The case: a 40-year-old still at work, $120,000 of elective deferrals in a 401(k) whose only
way out in service is hardship, $8,000 of medical expenses (a safe-harbor need, Treas. Reg.
§1.401(k)-1(d)(3)(ii)(B)(1)).
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.explain import reason
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make, outcome

CODE = "HS_NOT_ROLLABLE"
CASE = {"person.birth_date": "1986-01-20", "employment.hire_date": "2012-04-01",
        "account.sources": {"elective_deferral": {"balance": 120000}},
        "plan.hardship": {"allowed": True}, "request.purpose": "medical",
        "request.need": 8000}
ELSEWHERE = ("traditional_ira", "roth_ira", "other_plan", "split_2014_54", "indirect_60day")
ROW = {"request_date": dt.date(2026, 11, 23), "birth_date": dt.date(1986, 1, 20),
       "filing_status": "single", "wages": 60000.0, "plan_type": "401k",
       "employment_status": "active", "hire_date": dt.date(2012, 4, 1),
       "balance_elective_deferral": 120000.0, "hardship_allowed": True,
       "request_purpose": "medical", "request_need": 8000.0, "request_route": "hardship"}


def route_codes(result: dict) -> set[str]:
    return {r["code"] for row in result["routes"] if row["route"] == "hardship"
            for r in row["reasons"]}


def test_the_reason_names_the_destination_and_cites_402c4c():
    r = reason(CODE)
    assert "request.destination" in r.text and "eligible rollover distribution" in r.text
    assert "§402(c)(4)(C)" in r.citation


def test_assess_and_the_api_carry_the_reason_only_when_asked_elsewhere(assess):
    for dest in ELSEWHERE:
        res = assess(make({**CASE, "request.destination": dest}))
        assert outcome(res, "hardship", dest) is None, dest
        assert CODE in route_codes(res), dest
    cash = assess(make({**CASE, "request.destination": "cash"}))
    assert outcome(cash, "hardship")["gross"] > 8000
    assert CODE not in route_codes(cash)
    assert CODE not in route_codes(assess(make(CASE)))
    api = TestClient(create_app(token="")).post(
        "/assess", json=make({**CASE, "request.destination": "traditional_ira"}))
    assert api.status_code == 200
    said = next(r for row in api.json()["routes"] if row["route"] == "hardship"
                for r in row["reasons"] if r["code"] == CODE)
    assert "request.destination" in said["text"] and "§402(c)(4)(C)" in said["citation"]


def test_the_terminal_lists_it_under_the_closed_destination(tmp_path):
    path = tmp_path / "hardship-ira.yaml"
    path.write_text(yaml.safe_dump(make({**CASE, "request.destination": "traditional_ira"})))
    r = CliRunner().invoke(app, ["assess", str(path)], env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    assert "cannot pay it to the destination asked for" in text
    words = " ".join(reason(CODE).text.split())
    assert f"• {words} [{reason(CODE).citation}]" in text


def test_the_comparison_says_why_in_its_notes():
    from dist401k.case import parse_case
    from dist401k.compare import compare_case

    cmp = compare_case(parse_case(make({**CASE, "request.destination": "traditional_ira"})))
    notes = {n["code"]: n for n in cmp["notes"]}
    assert notes[CODE]["field"] == "request.destination"
    assert "§402(c)(4)(C)" in notes[CODE]["citation"]


def test_a_batch_row_asked_elsewhere_is_not_possible_and_says_why():
    rows = [{**ROW, "participant_id": dest, "request_destination": dest}
            for dest in (*ELSEWHERE, "cash")]
    names = list(dict.fromkeys(k for r in rows for k in r))
    table = pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})
    out = {r["participant_id"]: r for r in run_job(table, "outcome", default_law()).to_pylist()}
    for dest in ELSEWHERE:
        r = out[dest]
        assert r["status"] == "ok", r
        assert r["possible"] is False and r["gross"] == 0.0, dest
        assert CODE in r["reasons"].split(";"), (dest, r["reasons"])
    cash = out["cash"]
    assert cash["possible"] is True and cash["gross"] > 8000, cash  # the need plus its taxes
    assert CODE not in cash["reasons"].split(";")
