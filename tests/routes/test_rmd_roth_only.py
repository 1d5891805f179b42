"""An account holding only designated Roth money owes no RMD from 2024 (IRC §402A(d)(5) as SECURE
2.0 §325 added it): no amount, no deadline, and no distribution period either — the divisor is
null, as wherever no RMD is owed — in `dist401k assess` and in the batch `rmd` job alike."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make, route

LAW = default_law()


def _roth_only(**changes) -> dict:
    """Born 1950-07-04 (73 reached in 2023, past the applicable age), separated in 2015, only
    Roth deferrals in the plan."""
    return make({"person.birth_date": "1950-07-04", "employment.status": "separated",
                 "employment.hire_date": "1998-01-01", "employment.separation_date": "2015-03-31",
                 "income": None, "account.sources": {"roth_deferral": {
                     "balance": 100000, "contributions": 50000, "first_year": 2006}},
                 **changes})


def _codes(result: dict) -> set[str]:
    return {x["code"] for row in result["routes"] if row["route"] == "rmd"
            for x in row["reasons"]}


def test_roth_only_account_has_no_rmd_and_no_divisor(assess):
    """Last December's balance without Roth money (its default) is nil: no RMD, as §402A(d)(5)
    takes designated Roth money out of §401(a)(9)(A) from 2024 — and no divisor."""
    r = assess(_roth_only())
    s = route(r, "rmd")
    assert s["rmd"] == 0 and s["remaining"] == 0
    assert s["divisor"] is None and s["deadline"] is None
    assert "RM_ROTH_EXEMPT" in _codes(r) and "RM_REQUIRED" not in _codes(r)


def test_nothing_to_divide_gives_no_divisor(assess):
    """Pre-tax money that was not there last December 31 (an account rolled in this year):
    the RMD is 0 ÷ the period = 0 (Treas. Reg. §1.401(a)(9)-5(a), (b)); none owed, no divisor."""
    r = assess(_roth_only(**{"account.sources": {"elective_deferral": {"balance": 60000}},
                             "account.prior_year_end_balance": 0}))
    s = route(r, "rmd")
    assert s["rmd"] == 0 and s["divisor"] is None


def test_mixed_account_keeps_its_divisor(assess):
    """Pre-tax money beside the Roth money: 76 in 2026, Uniform Lifetime Table 23.7
    (Treas. Reg. §1.401(a)(9)-9(c)); the RMD on the pre-tax 60,000 only: 60,000 ÷ 23.7."""
    r = assess(_roth_only(**{"account.sources.elective_deferral": {"balance": 60000}}))
    s = route(r, "rmd")
    assert s["divisor"] == 23.7 and s["rmd"] == pytest.approx(60000 / 23.7, abs=0.005)


def test_batch_rmd_job_gives_a_null_divisor():
    """The batch `rmd` job: a Roth-only row (born 1950-02-11: 76 in 2026) and a pre-tax row."""
    book = pa.table({
        "participant_id": ["roth", "pretax"], "request_date": ["2026-11-23"] * 2,
        "birth_date": ["1950-02-11"] * 2, "plan_type": ["401k"] * 2,
        "employment_status": ["separated"] * 2, "separation_date": ["2020-12-31"] * 2,
        "balance_elective_deferral": [None, 60000.0], "balance_roth_deferral": [60000.0, None]})
    out = run_job(book, "rmd", LAW).to_pylist()
    roth, pretax = out
    assert roth["status"] == "ok" and roth["rmd_required"] is False
    assert roth["rmd_amount"] == 0 and roth["divisor"] is None and roth["rmd_deadline"] is None
    assert "RM_ROTH_EXEMPT" in roth["reasons"]
    assert pretax["divisor"] == 23.7 and pretax["rmd_amount"] == pytest.approx(2531.65)
