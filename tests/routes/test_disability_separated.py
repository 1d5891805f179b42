"""A disabled participant who has left the job: the disability route is closed (a distributable
event while employed is no longer needed) and says why — the separation route pays the money,
and disability still removes the 10% tax."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from dist401k.explain import reason
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make, outcome, route

DISABLED_AND_SEPARATED = {"person.birth_date": "1980-01-01", "person.disabled": True,
                          "employment.status": "separated",
                          "employment.separation_date": "2025-06-30",
                          "request.date": "2026-03-01", "request.amount": 10000}


def _codes(result: dict, name: str, source: str) -> set[str]:
    row = next(r for r in result["routes"] if r["route"] == name and r["source"] == source)
    return {x["code"] for x in row["reasons"]}


def test_assess_says_why_the_disability_route_is_closed_after_separation(assess):
    """IRC §401(k)(2)(B)(i)(I): severance from employment and disability are each a
    distributable event, so once separated the separation route pays all the vested money;
    §72(t)(2)(A)(iii): a distribution attributable to disability owes no 10% tax, and the
    Guide to Distribution Codes reports it before 59½ with code 3.  Before the fix the
    disability line said "no" with no reason at all."""
    r = assess(make(DISABLED_AND_SEPARATED))
    assert route(r, "disability")["eligible"] is False
    assert _codes(r, "disability", "elective_deferral") == {"DI_SEPARATED"}
    why = reason("DI_SEPARATED")
    assert "separation route" in why.text and "§72(t)(2)(A)(iii)" in why.citation
    paid = outcome(r, "separation")
    assert paid["additional_tax_72t"] == 0 and paid["gross"] == 10000


def test_the_batch_jobs_say_why_too():
    """The eligibility job's `disability_reasons` and the outcome job's `reasons` for a request
    of the disability route name DI_SEPARATED; a disabled participant still at work is
    eligible (DI_OK) as before, and a participant not disabled keeps DI_NOT."""
    n = 3
    book = pa.table({
        "participant_id": ["at_work", "left", "not_disabled"],
        "request_date": [dt.date(2026, 3, 1)] * n, "birth_date": [dt.date(1980, 1, 1)] * n,
        "plan_type": ["401k"] * n, "employment_status": ["active", "separated", "separated"],
        "separation_date": [None, dt.date(2025, 6, 30), dt.date(2025, 6, 30)],
        "disabled": [True, True, False], "balance_elective_deferral": [50000.0] * n,
        "request_route": ["disability"] * n, "request_amount": [10000.0] * n})
    law = default_law()
    elig = run_job(book, "eligibility", law)
    assert elig.column("disability_eligible").to_pylist() == [True, False, False]
    assert elig.column("disability_reasons").to_pylist() == ["DI_OK", "DI_SEPARATED", "DI_NOT"]
    out = run_job(book, "outcome", law)
    assert out.column("possible").to_pylist() == [True, False, False]
    assert out.column("reasons").to_pylist()[1:] == ["DI_SEPARATED", "DI_NOT"]
