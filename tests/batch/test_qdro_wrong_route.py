"""A book row that asks the wrong QDRO route is "not possible" with its why, never a blank.

A spouse's or former spouse's share is the distributee's and rollable, route ``qdro``; a
child's or other dependent's is taxed to the participant and not rollable, route
``qdro_dependent`` (IRC §402(e)(1)(A), (B)).  A payment under a QDRO goes only to an alternate
payee (§414(p)(1)(A), (8)): a participant's row asking either route is told so.  The same rows
asked the right way are paid (docs/batch.md, jobs table: ``reasons``, "why, or why not").
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
D = dt.date
BASE = {"request_date": D(2026, 6, 1), "birth_date": D(1981, 3, 15), "filing_status": "single",
        "wages": 60000.0, "plan_type": "401k", "balance_elective_deferral": 120000.0,
        "request_amount": 30000.0, "request_destination": "cash"}
ROWS = [
    ({"participant_id": "sp-as-dep", "ap_relationship": "spouse",
      "request_route": "qdro_dependent"}, False, "QD_SPOUSE_ROUTE"),
    ({"participant_id": "fs-as-dep", "ap_relationship": "former_spouse",
      "request_route": "qdro_dependent"}, False, "QD_SPOUSE_ROUTE"),
    ({"participant_id": "child-as-qdro", "ap_relationship": "child",
      "request_route": "qdro"}, False, "QD_DEPENDENT_ROUTE"),
    ({"participant_id": "dep-as-qdro", "ap_relationship": "dependent",
      "request_route": "qdro"}, False, "QD_DEPENDENT_ROUTE"),
    ({"participant_id": "p-qdro", "request_route": "qdro"}, False, "QD_NOT_ALTERNATE_PAYEE"),
    ({"participant_id": "p-dep", "request_route": "qdro_dependent"}, False,
     "QD_NOT_ALTERNATE_PAYEE"),
    ({"participant_id": "fs-right", "ap_relationship": "former_spouse",
      "request_route": "qdro"}, True, "PX_QDRO"),
    ({"participant_id": "child-right", "ap_relationship": "child",
      "request_route": "qdro_dependent"}, True, "PX_QDRO"),
]


def _table(rows: list[dict]) -> pa.Table:
    names = list(dict.fromkeys(k for r in rows for k in r))
    return pa.table({k: pa.array([r.get(k) for r in rows]) for k in names})


@pytest.mark.parametrize("job", ["outcome", "forms"])
def test_every_not_possible_row_names_its_route(job):
    rows = [{**BASE, **r} for r, _, _ in ROWS]
    out = run_job(_table(rows), job, LAW).to_pylist()
    for (row, possible, code), o in zip(ROWS, out, strict=True):
        assert o["status"] == "ok", (row["participant_id"], o["error_message"])
        assert o["possible"] is possible, row["participant_id"]
        assert code in o["reasons"].split(";"), (row["participant_id"], o["reasons"])


def test_a_participants_book_without_ap_columns():
    rows = [{**BASE, "participant_id": f"p-{r}", "request_route": r}
            for r in ("qdro", "qdro_dependent")]
    out = run_job(_table(rows), "outcome", LAW).to_pylist()
    assert [o["reasons"] for o in out] == ["QD_NOT_ALTERNATE_PAYEE"] * 2
    assert not any(o["possible"] for o in out)


def test_assess_shows_only_the_payees_own_qdro_route():
    # The new reasons close the other route with its why in a batch; `assess` still shows a
    # former spouse only route qdro, and a participant neither.
    ap = {"person": {"birth_date": "1981-03-15", "filing_status": "single"},
          "income": {"wages": 60000}, "plan": {"type": "401k"},
          "account": {"sources": {"elective_deferral": {"balance": 120000}}},
          "request": {"date": "2026-06-01", "amount": 30000, "destination": "cash"}}
    participant = assess_cases([parse_case(ap)])[0]
    former = assess_cases([parse_case({**ap, "alternate_payee": {
        "relationship": "former_spouse"}})])[0]
    assert not {s["route"] for s in participant["route_summary"]} & {"qdro", "qdro_dependent"}
    assert {s["route"] for s in former["route_summary"]} & {"qdro", "qdro_dependent"} == {"qdro"}
