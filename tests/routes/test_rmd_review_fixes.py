"""The RMD route's answer where the plan cannot pay it, where it assumed the balance, where it is
already met, and where an IRA beside the plan does not wait — the same in `dist401k assess`, the
API and the batch `rmd` job.

Every figure is worked by hand: last December 31 balance ÷ the Uniform Lifetime Table period
for the age reached this year (Treas. Reg. §1.401(a)(9)-5(b)(1), (c)(1); §1.401(a)(9)-9(c):
73 → 26.5, 74 → 25.5, 76 → 23.7); the applicable age is 73 for births in 1951–1959 and 72 for
July 1949–1950 (IRC §401(a)(9)(C)(v)); the first RMD is due by April 1 of the next year
(§401(a)(9)(C)(i)), the others by December 31.
"""

from __future__ import annotations

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.explain import registry
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.store import Store
from routes.conftest import make, route

LAW = default_law()
REASONS = registry()

#: Born 1950-03-01 (72 in 2022: the applicable age for July 1949–1950; 76 in 2026 → 23.7),
#: separated in 2020, asked 2026-06-15.
RETIRED = {"person.birth_date": "1950-03-01", "employment.status": "separated",
           "employment.hire_date": "1990-01-01", "employment.separation_date": "2020-12-31",
           "income": None, "request.date": "2026-06-15"}
ROTH = {"balance": 300000, "contributions": 150000, "first_year": 2008}


def _codes(result: dict) -> set[str]:
    return {x["code"] for row in result["routes"] if row["route"] == "rmd"
            for x in row["reasons"]}


def _row(pid: str, **cols) -> dict:
    """A batch row of the RETIRED person (columns as docs/batch.md names them)."""
    return {"participant_id": pid, "request_date": "2026-06-15", "birth_date": "1950-03-01",
            "plan_type": "401k", "employment_status": "separated", "hire_date": "1990-01-01",
            "separation_date": "2020-12-31", **cols}


def _batch(*rows: dict) -> dict:
    """The `rmd` job's rows by participant id (every column the rows give; blanks where not)."""
    names = sorted({k for r in rows for k in r})
    out = run_job(pa.table({k: [r.get(k) for r in rows] for k in names}), "rmd", LAW).to_pylist()
    assert all(r["status"] == "ok" for r in out), out
    return {r["participant_id"]: r for r in out}


# 1. Designated Roth money only, with last year's balance given: no RMD (§402A(d)(5)).

def test_roth_only_with_last_year_balance_owes_nothing(assess, tmp_path):
    """Roth deferrals only, `prior_year_end_balance` 300,000 given: the account holds no money
    that owes an RMD from 2024 (IRC §402A(d)(5), SECURE 2.0 §325), so nothing is owed — not
    300,000 ÷ 23.7 = 12,658.23 — in the case door and in the API."""
    case = make({**RETIRED, "account.sources": {"roth_deferral": ROTH},
                 "account.prior_year_end_balance": 300000})
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 't.db'}"), token=""))
    resp = client.post("/assess", json=case)
    assert resp.status_code == 200, resp.text
    for r in (assess(case), resp.json()):
        s = route(r, "rmd")
        assert s["rmd"] == 0 and s["remaining"] == 0 and not s["eligible"]
        assert s["divisor"] is None and s["deadline"] is None
        assert "RM_ROTH_EXEMPT" in _codes(r) and "RM_REQUIRED" not in _codes(r)


def test_roth_only_with_last_year_balance_in_the_batch_job():
    """The nightly `rmd` job: not required, 0, no divisor, no deadline (was true, 12,658.23)."""
    row = _batch(_row("roth", prior_year_end_balance=300000.0, balance_roth_deferral=300000.0,
                      roth_contributions_roth_deferral=150000.0,
                      roth_first_year_roth_deferral=2008))["roth"]
    assert row["rmd_required"] is False and row["rmd_amount"] == 0
    assert row["rmd_remaining"] == 0 and row["divisor"] is None and row["rmd_deadline"] is None
    assert row["reasons"] == "RM_ROTH_EXEMPT"


def test_mixed_account_takes_the_given_figure_as_its_non_roth_money(assess):
    """Beside Roth money, the given figure is last December 31's money other than designated
    Roth money (the field's meaning): 450,000 ÷ 23.7 = 18,987.34, and nothing assumed."""
    case = make({**RETIRED, "account.sources": {"elective_deferral": {"balance": 400000},
                                                "roth_deferral": ROTH},
                 "account.prior_year_end_balance": 450000})
    r = assess(case)
    assert route(r, "rmd")["rmd"] == pytest.approx(18987.34, abs=0.005)
    assert "RM_BALANCE_ASSUMED" not in _codes(r)


# 2. Last year's balance not given: today's stands in for it, and the answer says so.

def test_balance_not_given_is_said_in_both_doors(assess):
    """Pre-tax 400,000 and Roth 200,000 today, no year-end figure: the RMD is figured on the
    request date's non-Roth 400,000 (400,000 ÷ 23.7 = 16,877.64) in place of last December 31's
    (Treas. Reg. §1.401(a)(9)-5(b)(1)), and the answer names the field it assumed."""
    case = make({**RETIRED, "account.sources": {"elective_deferral": {"balance": 400000},
                                                "roth_deferral": {**ROTH, "balance": 200000}}})
    r = assess(case)
    assert route(r, "rmd")["rmd"] == pytest.approx(16877.64, abs=0.005)
    assert "RM_BALANCE_ASSUMED" in _codes(r)
    row = _batch(_row("mixed", balance_elective_deferral=400000.0,
                      balance_roth_deferral=200000.0, roth_contributions_roth_deferral=150000.0,
                      roth_first_year_roth_deferral=2008))["mixed"]
    assert row["rmd_amount"] == pytest.approx(16877.64, abs=0.005)
    assert "RM_BALANCE_ASSUMED" in row["reasons"].split(";")
    given = _batch(_row("given", balance_elective_deferral=400000.0,
                        prior_year_end_balance=400000.0))["given"]
    assert "RM_BALANCE_ASSUMED" not in given["reasons"].split(";")


def test_the_words_name_the_field_and_the_date():
    """The assumption names `account.prior_year_end_balance` and December 31 of last year; the
    RMD's own words say whose balance it is, not a bare "last year-end balance"."""
    assumed = REASONS["RM_BALANCE_ASSUMED"].text
    assert "account.prior_year_end_balance" in assumed and "December 31 of last year" in assumed
    required = REASONS["RM_REQUIRED"].text
    assert "last year-end balance" not in required and "December 31" in required
    assert "without designated Roth money" in required


# 3. The RMD already met by this year's payments: say so.

def test_rmd_met_this_year_gives_its_reason(assess):
    """73 in 2026 (born 1953-03-10): first RMD year, 265,000 ÷ 26.5 = 10,000, due 2027-04-01;
    10,000 already distributed this year meets it (Treas. Reg. §1.401(a)(9)-5(a)): none left,
    and the answer says why, in both doors."""
    facts = {**RETIRED, "person.birth_date": "1953-03-10",
             "account.sources": {"elective_deferral": {"balance": 600000}},
             "account.prior_year_end_balance": 265000, "account.distributed_this_year": 10000}
    r = assess(make(facts))
    s = route(r, "rmd")
    assert s["rmd"] == pytest.approx(10000) and s["remaining"] == 0
    assert s["deadline"] == "2027-04-01" and "RM_MET_THIS_YEAR" in _codes(r)
    row = _batch(_row("met", birth_date="1953-03-10", balance_elective_deferral=600000.0,
                      prior_year_end_balance=265000.0, distributed_this_year=10000.0))["met"]
    assert row["rmd_required"] is True and row["rmd_remaining"] == 0
    assert "RM_MET_THIS_YEAR" in row["reasons"].split(";")
    part = assess(make({**facts, "account.distributed_this_year": 5000}))
    assert route(part, "rmd")["remaining"] == pytest.approx(5000)
    assert "RM_MET_THIS_YEAR" not in _codes(part)


def test_two_rmds_met_this_year(assess):
    """Born 1952-05-01: 73 in 2025, its 18,867.92 deferred to April 1, 2026; 2026's at 74:
    520,000 ÷ 25.5 = 20,392.16. Both, 39,260.08, already paid: none left, said."""
    r = assess(make({**RETIRED, "person.birth_date": "1952-05-01", "request.date": "2026-02-15",
                     "account.sources": {"elective_deferral": {"balance": 600000}},
                     "account.prior_year_end_balance": 520000,
                     "account.last_year_rmd_unpaid": 18867.92,
                     "account.distributed_this_year": 39260.08}))
    s = route(r, "rmd")
    assert s["rmd"] == pytest.approx(20392.16, abs=0.005) and s["remaining"] == 0
    assert "RM_MET_THIS_YEAR" in _codes(r)


# 4. Still working past the applicable age, a traditional IRA beside the plan.

def test_still_working_with_an_ira_is_told_the_ira_does_not_wait(assess):
    """75 in 2026 (born 1951-06-01, applicable age 73), active, not a 5% owner: the plan's RMDs
    wait (§401(a)(9)(C)(i)(II)), the traditional IRA's do not (§401(a)(9)(C)(ii)(II): the
    exception does not apply for §408(a)(6)) — said where the case gives an IRA balance."""
    working = {"person.birth_date": "1951-06-01", "request.date": "2026-06-15",
               "account.prior_year_end_balance": 492000}
    r = assess(make({**working, "iras.traditional": 200000}))
    assert route(r, "rmd")["rmd"] == 0
    assert {"RM_STILL_WORKING", "RM_IRA_NOT_WAITING"} <= _codes(r)
    assert "RM_IRA_NOT_WAITING" not in _codes(assess(make(working)))
    rows = _batch({**_row("ira", birth_date="1951-06-01", employment_status="active",
                          separation_date=None, balance_elective_deferral=600000.0,
                          prior_year_end_balance=492000.0), "ira_traditional": 200000.0},
                  _row("no_ira", birth_date="1951-06-01", employment_status="active",
                       separation_date=None, balance_elective_deferral=600000.0,
                       prior_year_end_balance=492000.0))
    assert "RM_IRA_NOT_WAITING" in rows["ira"]["reasons"].split(";")
    assert "RM_IRA_NOT_WAITING" not in rows["no_ira"]["reasons"].split(";")


def test_retired_with_an_ira_gets_no_ira_words(assess):
    """Retired, the plan's RMD owed too (76 in 2026: 100,000 ÷ 23.7): nothing waits, so no
    word about the IRA."""
    r = assess(make({**RETIRED, "iras.traditional": 200000,
                     "account.prior_year_end_balance": 100000}))
    assert route(r, "rmd")["rmd"] == pytest.approx(4219.41, abs=0.005)
    assert "RM_IRA_NOT_WAITING" not in _codes(r)
