"""The benefits attorney's review of service periods, the 403(b) RMD and the 403(b)/457(b)
citations: each defect on the reviewer's case, the figures worked from the rule it breaks.

S1. A period stated in years is complete on its anniversary: "at least 25 years of service under
    the plan" (IRC §72(t)(10)(A), as amended by SECURE 2.0 §329), "five years of participation"
    (Rev. Rul. 68-24; Treas. Reg. §1.401-1(b)(1)(ii), §1.403(b)-6(b)) — not after N × 365.25
    days, which falls short on the day whenever the period holds fewer leap days than N / 4.
S2. A 403(b) has no 5% owner rule: its required beginning date is April 1 after the later of
    the year of the applicable age and the year of retirement (Treas. Reg. §1.403(b)-6(e)(3);
    before it, §1.403(b)-3, Q&A-1(c)(1) (2004): "The concept of 5-percent owner has no
    application in the case of employers described in section 403(b)(1)(A)(i) or (ii)").
S3. A 403(b) or a governmental 457(b) is cited by its own rule: §403(b)(7)(A)(i) for a custodial
    account, §403(b)(11) for an annuity contract's deferrals, §457(d)(1)(A)(ii) for a 457(b) —
    not the 401(k)'s §401(k)(2)(B)(i).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from dist401k.batch import CaseBatch
from dist401k.case import parse_case
from dist401k.flat import batch_from_table
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import outcome, route

LAW = default_law()


def _rows(result: dict, name: str) -> list[dict]:
    return [r for r in result["routes"] if r["route"] == name]


def _reasons(result: dict, name: str, source: str) -> dict[str, str]:
    row = next(r for r in _rows(result, name) if r["source"] == source)
    return {x["code"]: x["citation"] for x in row["reasons"]}


# ── S1: periods counted by anniversary ──────────────────────────────────────────────────────

def test_years_between_counts_whole_years_by_anniversary():
    """2001-02-01 to 2026-02-01 is 9,131 days (six leap days): 24.9993 years of 365.25 days,
    but 25 calendar years on the day."""
    from dist401k.dates import years_between
    start = np.array(["2001-02-01", "2001-02-01", "2021-06-05", "2021-06-05", "NaT"],
                     dtype="datetime64[D]")
    end = np.array(["2026-02-01", "2026-01-31", "2026-06-05", "2026-06-04", "2026-06-05"],
                   dtype="datetime64[D]")
    got = years_between(start, end)
    assert got[0] == 25 and got[2] == 5
    assert 24 < got[1] < 25 and 4 < got[3] < 5
    assert np.isnan(got[4])


#: The reviewer's case: a qualified public safety employee of a governmental 401(k), hired
#: 2001-02-01, separated on the 25th anniversary at 45, $20,000 in cash.
PUBLIC_SAFETY = {
    "id": "ps-anniv",
    "person": {"birth_date": "1980-03-10", "filing_status": "single",
               "qualified_public_safety": True},
    "employment": {"status": "separated", "hire_date": "2001-02-01",
                   "separation_date": "2026-02-01"},
    "income": {"wages": 10000},
    "plan": {"type": "401k", "governmental": True},
    "account": {"sources": {"elective_deferral": {"balance": 100000}}},
    "request": {"date": "2026-06-05", "amount": 20000, "destination": "cash"},
}


def _separated_on(day: str) -> dict:
    return {**PUBLIC_SAFETY, "employment": {**PUBLIC_SAFETY["employment"],
                                            "separation_date": day}}


def test_public_safety_25_years_of_service_complete_on_the_25th_anniversary(assess):
    """§72(t)(10)(A): separated after at least 25 years of service under the plan — 2001-02-01
    to 2026-02-01 is 25 years: no 10% tax, Form 1099-R code 2 (an exception applies)."""
    o = outcome(assess(_separated_on("2026-02-01")), "separation")
    assert o["additional_tax_72t"] == 0
    assert o["form_1099r_codes"] == ["2"]


def test_public_safety_one_day_short_of_25_years_owes_the_10_percent_tax(assess):
    """Separated 2026-01-31: 24 years and 364 days of service, 45 years old: 10% of $20,000."""
    o = outcome(assess(_separated_on("2026-01-31")), "separation")
    assert o["additional_tax_72t"] == pytest.approx(2000)
    assert o["form_1099r_codes"] == ["1"]


def test_years_of_service_from_the_dates_in_a_case_batch_and_in_flat_rows():
    """The same anniversary count in a batch of cases and in the batch job's flat rows."""
    b = CaseBatch.from_cases([parse_case(_separated_on("2026-02-01")),
                              parse_case(_separated_on("2026-01-31"))])
    assert b.years_of_service[0] == 25 and b.years_of_service[1] < 25
    table = pa.table({"request_date": ["2026-06-05"] * 3, "birth_date": ["1980-03-10"] * 3,
                      "plan_type": ["401k"] * 3, "governmental": [True] * 3,
                      "employment_status": ["separated"] * 3,
                      "hire_date": ["2001-02-01"] * 3,
                      "separation_date": ["2026-02-01", "2026-01-31", "2026-02-01"],
                      "years_of_service": [None, None, 24.5],
                      "balance_elective_deferral": [100000.0] * 3})
    fb, good, _ = batch_from_table(table, LAW)
    assert len(good) == 3
    assert fb.years_of_service[0] == 25 and fb.years_of_service[1] < 25
    assert fb.years_of_service[2] == 24.5  # as given


#: The reviewer's case: a 403(b) annuity whose plan pays match in service, participation from
#: 2021-06-05, $20,000 of match of which $5,000 contributed two years ago or more.
ANNUITY_MATCH = {
    "id": "ba-5y",
    "person": {"birth_date": "1975-01-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2021-06-05",
                   "participation_date": "2021-06-05"},
    "income": {"wages": 60000},
    "plan": {"type": "403b_annuity", "in_service": {"match": {"allowed": True}}},
    "account": {"sources": {"match": {"balance": 20000, "seasoned": 5000}}},
    "request": {"date": "2026-06-05", "amount": "max", "destination": "cash"},
}


@pytest.mark.parametrize("plan", ["403b_annuity", "401k"])
def test_five_years_of_participation_complete_on_the_fifth_anniversary(assess, plan):
    """Rev. Rul. 68-24 (§1.403(b)-6(b) for an annuity contract): after five years of
    participation all of the vested employer money may be paid — on 2026-06-05, five years
    after 2021-06-05, all $20,000; the day before, only the $5,000 seasoned (Rev. Rul. 71-295)."""
    case = {**ANNUITY_MATCH, "plan": {**ANNUITY_MATCH["plan"], "type": plan}}
    r = assess(case)
    assert route(r, "in_service")["available"] == pytest.approx(20000)
    codes = _reasons(r, "in_service", "match")
    assert "IS_FIVE_YEARS" in codes and "IS_SEASONED_ONLY" not in codes
    before = assess({**case, "request": {**case["request"], "date": "2026-06-04"}})
    assert route(before, "in_service")["available"] == pytest.approx(5000)
    assert "IS_SEASONED_ONLY" in _reasons(before, "in_service", "match")


# ── S2: a 403(b)'s 5% owner ─────────────────────────────────────────────────────────────────

#: The reviewer's case: 76 in 2026, still working, flagged a 5% owner, $100,000 at the end of
#: 2025, a 403(b)(7) of a private (non-governmental) employer.
OWNER_403B = {
    "id": "rmd-b7-5pct",
    "person": {"birth_date": "1950-03-10", "filing_status": "single", "five_percent_owner": True},
    "employment": {"status": "active", "hire_date": "2000-01-01"},
    "income": {"wages": 50000},
    "plan": {"type": "403b7"},
    "account": {"sources": {"elective_deferral": {"balance": 100000}},
                "prior_year_end_balance": 100000},
    "request": {"date": "2026-06-05", "amount": 5000, "destination": "cash"},
}


@pytest.mark.parametrize("plan", ["403b7", "403b_annuity"])
def test_a_403b_five_percent_owner_still_working_owes_no_rmd(assess, plan):
    """§1.403(b)-6(e)(3): the later of the applicable age's year and retirement — still
    working, no RMD; the 5% owner rule of §401(a)(9)(C)(ii)(I) does not reach a 403(b)."""
    r = assess({**OWNER_403B, "plan": {"type": plan}})
    s = route(r, "rmd")
    assert s["eligible"] is False and s["rmd"] == 0
    codes = _reasons(r, "rmd", "elective_deferral")
    assert "RM_FIVE_PCT" not in codes and "RM_403B_OWNER" in codes
    assert "§1.403(b)-6(e)(3)" in codes["RM_403B_OWNER"]


def test_a_403b_five_percent_owner_owes_from_the_year_of_retirement(assess):
    """Retired 2026-03-31 at 76: the first RMD year is 2026; $100,000 ÷ 23.7 (the Uniform
    Lifetime Table at 76, Treas. Reg. §1.401(a)(9)-9(c)) = $4,219.41, due April 1, 2027."""
    r = assess({**OWNER_403B, "employment": {"status": "separated", "hire_date": "2000-01-01",
                                             "separation_date": "2026-03-31"}})
    s = route(r, "rmd")
    assert s["rmd"] == pytest.approx(4219.41, abs=0.01)
    assert s["deadline"] == "2027-04-01"


def test_the_batch_rmd_job_gives_a_403b_five_percent_owner_no_rmd_while_working():
    base = {"request_date": "2026-06-05", "birth_date": "1950-03-10", "hire_date": "2000-01-01",
            "five_percent_owner": True, "balance_elective_deferral": 100000.0,
            "prior_year_end_balance": 100000.0, "governmental": False}
    rows = [{**base, "plan_type": p} for p in ("403b7", "403b_annuity", "401k")]
    table = pa.table({k: [r[k] for r in rows] for k in rows[0]})
    out = run_job(table, "rmd", LAW).to_pylist()
    assert [o["status"] for o in out] == ["ok"] * 3
    assert [o["rmd_required"] for o in out] == [False, False, True]
    assert "RM_403B_OWNER" in out[0]["reasons"] and "RM_FIVE_PCT" in out[2]["reasons"]
    assert out[2]["rmd_amount"] == pytest.approx(4219.41, abs=0.01)


# ── S3: each plan type's own citation ───────────────────────────────────────────────────────

#: The reviewer's case: 56, still working, a 403(b)(7) whose text opens every source in service.
CUSTODIAL_56 = {
    "id": "b7-56",
    "person": {"birth_date": "1970-01-10", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2000-01-01"},
    "income": {"wages": 80000},
    "plan": {"type": "403b7",
             "in_service": {"elective_deferral": {"allowed": True}, "match": {"allowed": True}}},
    "account": {"sources": {"elective_deferral": {"balance": 100000},
                            "match": {"balance": 20000}}},
    "request": {"date": "2026-06-05", "amount": 10000, "destination": "cash"},
}


def _as(plan: str, **employment) -> dict:
    return {**CUSTODIAL_56, "plan": {**CUSTODIAL_56["plan"], "type": plan},
            "employment": {**CUSTODIAL_56["employment"], **employment}}


def test_a_403b7_deferral_row_gives_the_custodial_accounts_rule_alone(assess):
    """§403(b)(7)(A)(i) keeps all of a custodial account in until 59½: its deferrals' row says
    so once, without the 401(k)'s reason beside it."""
    codes = _reasons(assess(_as("403b7")), "in_service", "elective_deferral")
    assert "IS_403B7_BEFORE_59_HALF" in codes
    assert "IS_DEFERRAL_BEFORE_59_HALF" not in codes
    assert not any("401(k)" in c for k, c in codes.items() if k != "IS_PLAN_AGE_BELOW_LAW")


def test_a_403b_annuitys_deferrals_are_held_by_403b11(assess):
    """§403(b)(11)(A): an annuity contract's salary-reduction money waits for 59½ (severance,
    death, disability, hardship); Treas. Reg. §1.403(b)-6(d)(1)."""
    codes = _reasons(assess(_as("403b_annuity")), "in_service", "elective_deferral")
    assert "IS_DEFERRAL_BEFORE_59_HALF" not in codes
    assert "§403(b)(11)" in codes["IS_403B_DEFERRAL_BEFORE_59_HALF"]
    assert "401(k)" not in codes["IS_403B_DEFERRAL_BEFORE_59_HALF"]


def test_a_401k_keeps_its_own_deferral_reason(assess):
    codes = _reasons(assess(_as("401k")), "in_service", "elective_deferral")
    assert "§401(k)(2)(B)(i)" in codes["IS_DEFERRAL_BEFORE_59_HALF"]


#: Each plan type, its rule of severance from employment.
SEVERANCE_RULE = [("401k", "", "§401(k)(2)(B)(i)(I)"),
                  ("403b7", "_403B7", "§403(b)(7)(A)(i)"),
                  ("403b_annuity", "_403B", "§403(b)(11)"),
                  ("governmental_457b", "_457B", "§457(d)(1)(A)(ii)")]


@pytest.mark.parametrize(("plan", "suffix", "rule"), SEVERANCE_RULE)
def test_still_working_each_plan_cites_its_own_severance_rule(assess, plan, suffix, rule):
    codes = _reasons(assess(_as(plan)), "separation", "elective_deferral")
    assert set(codes) == {"SP_ACTIVE" + suffix}
    assert rule in codes["SP_ACTIVE" + suffix]
    assert plan == "401k" or "401(k)" not in codes["SP_ACTIVE" + suffix]


@pytest.mark.parametrize(("plan", "suffix", "rule"), SEVERANCE_RULE)
def test_separated_each_plan_cites_its_own_severance_rule(assess, plan, suffix, rule):
    r = assess(_as(plan, status="separated", separation_date="2026-01-31"))
    codes = _reasons(r, "in_service", "elective_deferral")
    assert "IS_SEPARATED" + suffix in codes
    assert not {"IS_SEPARATED", "IS_SEPARATED_403B7", "IS_SEPARATED_403B",
                "IS_SEPARATED_457B"} - {"IS_SEPARATED" + suffix} & set(codes)
    assert rule in codes["IS_SEPARATED" + suffix]
    assert plan == "401k" or "401(k)" not in codes["IS_SEPARATED" + suffix]
