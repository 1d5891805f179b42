"""The legal review of the 403(b) and governmental 457(b) rules: three defects, each checked on
the reviewer's case and against the rule it breaks.

D1. A 403(b)(7) custodial account's after-tax money waits for 59½ (severance, death,
    disability) like the rest of it, in service and on hardship: Treas. Reg. §1.403(b)-6(c)
    has no exception for after-tax contributions (unlike §1.403(b)-6(b) for annuity
    contracts); money rolled in stays payable any time (Rev. Rul. 2004-12).
D2. The governmental 457(b) small-account cash-out measures the account without the money
    rolled in (§457(e)(9)(A)(i): "the portion of such amount which is not attributable to
    rollover contributions (as defined in section 411(a)(11)(D))"; Treas. Reg. §1.457-6(e)),
    the loans outstanding counted; it is the plan's to provide or not ("An eligible plan is not
    required to permit distributions under this paragraph"), default no, as hardship and loans;
    and it is paid once only (§457(e)(9)(A)(ii)(II): "there has been no prior distribution under
    the plan to such participant to which this subparagraph applied").
D3. A governmental plan has no 5% owner rule for the required beginning date (§401(a)(9)(C)(iv):
    "Clauses (ii) and (iii) shall not apply in the case of a governmental plan"): its 5% owner
    who still works owes no RMD, in `dist401k assess` and in the batch RMD job alike.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pyarrow as pa
import pytest
import yaml

from dist401k.case import case_schema
from dist401k.flat import columns, row_to_case
from dist401k.jobs import run_job
from dist401k.law import default_law
from routes.conftest import make, route

LAW = default_law()
EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"


def _row(result: dict, name: str, source: str) -> dict:
    return next(r for r in result["routes"] if r["route"] == name and r["source"] == source)


def _codes(result: dict, name: str, source: str) -> set[str]:
    return {x["code"] for x in _row(result, name, source)["reasons"]}


# ── D1: a 403(b)(7) account's after-tax money ───────────────────────────────────────────────

#: The reviewer's case: 50 in 2026, still working, a 403(b)(7) whose text opens after-tax money
#: in service and on hardship; $40,000 of deferrals and $20,000 of after-tax money.
CUSTODIAL = {
    "person": {"birth_date": "1976-03-01", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2000-08-15"},
    "income": {"wages": 70000},
    "plan": {"type": "403b7",
             "in_service": {"after_tax": {"allowed": True},
                            "elective_deferral": {"allowed": True}},
             "hardship": {"allowed": True, "sources": ["elective_deferral", "after_tax"]}},
    "account": {"sources": {"elective_deferral": {"balance": 40000},
                            "after_tax": {"balance": 20000, "basis": 15000}}},
    "request": {"date": "2026-06-01", "amount": 10000, "purpose": "medical", "need": 10000},
}


def test_a_403b7_pays_no_after_tax_money_in_service_before_59_half(assess):
    r = assess(CUSTODIAL)
    assert route(r, "in_service")["eligible"] is False
    assert route(r, "in_service")["available"] == 0
    row = _row(r, "in_service", "after_tax")
    assert row["eligible"] is False and row["available"] == 0
    codes = _codes(r, "in_service", "after_tax")
    assert "IS_403B7_AFTER_TAX" in codes and "IS_AFTER_TAX_ANY_TIME" not in codes
    reason = next(x for x in row["reasons"] if x["code"] == "IS_403B7_AFTER_TAX")
    assert "§1.403(b)-6" in reason["citation"] and "(c)" in reason["citation"]


def test_a_403b7_pays_no_after_tax_money_on_hardship(assess):
    """Hardship opens only the salary-reduction deferrals: $40,000, not $60,000."""
    r = assess(CUSTODIAL)
    assert route(r, "hardship")["eligible"] is True
    assert route(r, "hardship")["available"] == pytest.approx(40000)
    assert _row(r, "hardship", "elective_deferral")["eligible"] is True
    assert _row(r, "hardship", "after_tax")["eligible"] is False
    assert "HS_403B7_SOURCE" in _codes(r, "hardship", "after_tax")


def test_a_403b7_still_pays_rolled_in_money_any_time(assess):
    """Rev. Rul. 2004-12: rolled-in money, separately accounted for, may be paid any time the
    plan allows — in service and on hardship, before 59½ too."""
    case = copy.deepcopy(CUSTODIAL)
    case["plan"]["in_service"]["rollover_pretax"] = {"allowed": True}
    case["plan"]["hardship"]["sources"].append("rollover_pretax")
    case["account"]["sources"]["rollover_pretax"] = {"balance": 8000}
    r = assess(case)
    assert _row(r, "in_service", "rollover_pretax")["available"] == pytest.approx(8000)
    assert route(r, "in_service")["available"] == pytest.approx(8000)
    assert "IS_ROLLOVER_ANY_TIME" in _codes(r, "in_service", "rollover_pretax")
    # The in-service withdrawal pays the rolled-in money first (Treas. Reg.
    # §1.401(k)-1(d)(3)(iii)(B)(1), §1.403(b)-6(d)(2)): the hardship draws on the deferrals only.
    assert route(r, "hardship")["available"] == pytest.approx(40000)
    assert "HS_FIRST_IN_SERVICE" in _codes(r, "hardship", "elective_deferral")
    # Where the plan does not pay it in service, the hardship draws on it too.
    del case["plan"]["in_service"]["rollover_pretax"]
    assert route(assess(case), "hardship")["available"] == pytest.approx(48000)


def test_a_403b7_pays_its_after_tax_money_in_service_from_59_half(assess):
    """§403(b)(7)(A)(i)(II): from 59½ all of the account may be paid while still working."""
    case = copy.deepcopy(CUSTODIAL)
    case["person"]["birth_date"] = "1966-03-01"
    r = assess(case)
    assert _row(r, "in_service", "after_tax")["available"] == pytest.approx(20000)
    assert "IS_403B7_FROM_59_HALF" in _codes(r, "in_service", "after_tax")


@pytest.mark.parametrize("plan", ["403b_annuity", "401k"])
def test_after_tax_money_outside_a_custodial_account_is_still_payable_any_time(assess, plan):
    """§1.403(b)-6(b) does not apply to after-tax contributions; §72(d)(2) in a 401(k)."""
    case = copy.deepcopy(CUSTODIAL)
    case["plan"]["type"] = plan
    r = assess(case)
    assert _row(r, "in_service", "after_tax")["available"] == pytest.approx(20000)
    assert "IS_AFTER_TAX_ANY_TIME" in _codes(r, "in_service", "after_tax")


# ── D2(a): the small-account cash-out does not count money rolled in ───────────────────────

SMALL_457 = {"person.birth_date": "1990-06-06", "employment.hire_date": "2017-05-01",
             "plan.type": "governmental_457b", "plan.small_account_cash_out": True,
             "account.deferrals_last_two_years": False,
             "request.date": "2026-11-23", "request.destination": "cash"}


def test_the_cash_out_measures_the_account_without_its_rolled_in_money(assess):
    """$3,000 of deferrals and $6,000 rolled in: $3,000 is measured, within $7,000 (2026); the
    cash-out pays all $9,000."""
    r = assess(make(SMALL_457, **{"account.sources": {
        "elective_deferral": {"balance": 3000}, "rollover_pretax": {"balance": 6000}}}))
    s = route(r, "de_minimis_457")
    assert s["eligible"] is True
    assert s["available"] == pytest.approx(9000)
    assert "DM_OK" in _codes(r, "de_minimis_457", "elective_deferral")


def test_the_cash_out_counts_the_loans_outstanding(assess):
    """The total account balance holds the loan receivable (§457(e)(9)(A): the total amount
    payable): $5,000 of deferrals and a $2,500 loan is over $7,000, rolled-in money or not."""
    r = assess(make(SMALL_457, **{
        "account.sources": {"elective_deferral": {"balance": 5000},
                            "rollover_pretax": {"balance": 1000}},
        "account.loans": {"outstanding": 2500}}))
    assert route(r, "de_minimis_457")["eligible"] is False
    # Over the limit, and the loan is what puts it over ($5,000 alone is within $7,000).
    assert {"DM_OVER_LIMIT", "DM_LOAN_COUNTED"} <= _codes(r, "de_minimis_457", "elective_deferral")


def test_the_cash_out_limit_is_7000_of_money_not_rolled_in(assess):
    at = assess(make(SMALL_457, **{"account.sources": {
        "elective_deferral": {"balance": 7000}, "rollover_pretax": {"balance": 50000}}}))
    over = assess(make(SMALL_457, **{"account.sources": {
        "elective_deferral": {"balance": 7000.01}, "rollover_pretax": {"balance": 1}}}))
    assert route(at, "de_minimis_457")["eligible"] is True
    assert route(over, "de_minimis_457")["eligible"] is False


# ── D2(b), (c): the plan provides it, and pays it once ─────────────────────────────────────

SMALL = {**SMALL_457, "account.sources": {"elective_deferral": {"balance": 4200}}}


def test_the_cash_out_is_closed_where_the_plan_does_not_provide_it(assess):
    for case in (make(SMALL, **{"plan.small_account_cash_out": None}),
                 make(SMALL, **{"plan.small_account_cash_out": False})):
        r = assess(case)
        assert route(r, "de_minimis_457")["eligible"] is False
        assert _codes(r, "de_minimis_457", "elective_deferral") == {"DM_NOT_PROVIDED"}
    assert route(assess(make(SMALL)), "de_minimis_457")["available"] == pytest.approx(4200)


def test_the_cash_out_is_paid_once_only(assess):
    r = assess(make(SMALL, **{"account.prior_small_account_cash_out": True}))
    assert route(r, "de_minimis_457")["eligible"] is False
    assert _codes(r, "de_minimis_457", "elective_deferral") == {"DM_PAID_BEFORE"}
    reason = _row(r, "de_minimis_457", "elective_deferral")["reasons"][0]
    assert "§457(e)(9)(A)(ii)(II)" in reason["citation"]


def test_the_shipped_example_still_cashes_out(assess):
    with open(EXAMPLES / "small-457-cashout.yaml") as fh:
        r = assess(yaml.safe_load(fh))
    assert route(r, "de_minimis_457")["eligible"] is True
    assert route(r, "de_minimis_457")["available"] == pytest.approx(4200)


def test_the_schema_and_the_batch_columns_carry_the_two_inputs():
    defs = case_schema()["$defs"]
    assert defs["Plan"]["properties"]["small_account_cash_out"]["default"] is False
    assert defs["Account"]["properties"]["prior_small_account_cash_out"]["default"] is False
    assert {"small_account_cash_out", "prior_small_account_cash_out"} <= set(columns())
    base = {"request_date": "2026-11-23", "birth_date": "1990-06-06",
            "hire_date": "2017-05-01", "plan_type": "governmental_457b",
            "deferrals_last_two_years": False, "balance_elective_deferral": 4200.0}
    rows = [{}, {"small_account_cash_out": True},
            {"small_account_cash_out": True, "prior_small_account_cash_out": True}]
    full = [{**base, **r} for r in rows]
    keys = sorted({k for r in full for k in r})
    table = pa.table({k: [r.get(k) for r in full] for k in keys})
    out = run_job(table, "eligibility", LAW).to_pylist()
    assert [o["de_minimis_457_eligible"] for o in out] == [False, True, False]
    assert [o["de_minimis_457_reasons"] for o in out] == ["DM_NOT_PROVIDED", "DM_OK",
                                                           "DM_PAID_BEFORE"]
    # A row read back as a case file gives the same two inputs.
    case = row_to_case({k: v for k, v in full[2].items()})
    assert case["plan"]["small_account_cash_out"] is True
    assert case["account"]["prior_small_account_cash_out"] is True


# ── D3: a governmental plan's 5% owner ──────────────────────────────────────────────────────

#: 75 in 2026, still working, flagged a 5% owner, $300,000 at the end of 2025.
OWNER = {"person.birth_date": "1951-03-01", "person.five_percent_owner": True,
         "employment.hire_date": "2000-08-15", "plan.still_working_exception": True,
         "account.sources": {"elective_deferral": {"balance": 300000}},
         "account.prior_year_end_balance": 300000, "request.date": "2026-06-01"}
GOVERNMENTAL = [{"plan.type": "governmental_457b"},
                {"plan.type": "403b7", "plan.governmental": True},
                {"plan.type": "401k", "plan.governmental": True}]


@pytest.mark.parametrize("plan", GOVERNMENTAL)
def test_a_governmental_plans_five_percent_owner_still_working_owes_no_rmd(assess, plan):
    r = assess(make({**OWNER, **plan}))
    s = route(r, "rmd")
    assert s["eligible"] is False and s["rmd"] == 0
    codes = _codes(r, "rmd", "elective_deferral")
    assert "RM_GOVERNMENTAL_OWNER" in codes and "RM_FIVE_PCT" not in codes


def test_a_governmental_plans_five_percent_owner_owes_from_the_year_of_retirement(assess):
    r = assess(make({**OWNER, "plan.type": "governmental_457b", "employment.status": "separated",
                     "employment.separation_date": "2026-03-31"}))
    s = route(r, "rmd")
    # 75 in 2026 → 24.6: 300,000 / 24.6, the first RMD (retired in 2026), due April 1, 2027.
    assert s["rmd"] == pytest.approx(300000 / 24.6, abs=0.01)
    assert s["deadline"] == "2027-04-01"


@pytest.mark.parametrize("plan_type", ["403b7", "403b_annuity"])
def test_a_private_403bs_five_percent_owner_still_working_owes_no_rmd(assess, plan_type):
    """Treas. Reg. §1.403(b)-6(e)(3): a 403(b)'s required beginning date is April 1 after the
    later of the applicable age and retirement; §401(a)(9)(C)(ii)(I)'s 5% owner rule is not
    carried over — so a non-governmental 403(b) owes nothing while the owner works."""
    r = assess(make({**OWNER, "plan.type": plan_type}))
    s = route(r, "rmd")
    assert s["eligible"] is False and s["rmd"] == 0
    codes = _codes(r, "rmd", "elective_deferral")
    assert "RM_403B_OWNER" in codes and "RM_FIVE_PCT" not in codes


def test_a_private_plans_five_percent_owner_still_owes_while_working(assess):
    r = assess(make(OWNER))
    assert route(r, "rmd")["rmd"] == pytest.approx(12195.12, abs=0.01)
    assert "RM_FIVE_PCT" in _codes(r, "rmd", "elective_deferral")


def _rmd_job(rows: list[dict]) -> list[dict]:
    base = {"request_date": "2026-06-01", "birth_date": "1951-03-01",
            "hire_date": "2000-08-15", "five_percent_owner": True,
            "still_working_exception": True, "balance_elective_deferral": 300000.0,
            "prior_year_end_balance": 300000.0}
    keys = sorted({k for r in rows for k in r} | set(base))
    full = [{**base, **r} for r in rows]
    table = pa.table({k: [r.get(k) for r in full] for k in keys})
    return run_job(table, "rmd", LAW).to_pylist()


def test_the_batch_rmd_job_gives_the_same_answer():
    out = _rmd_job([{"plan_type": "governmental_457b", "governmental": False},
                    {"plan_type": "403b7", "governmental": True},
                    {"plan_type": "401k", "governmental": True},
                    {"plan_type": "401k", "governmental": False}])
    assert [o["status"] for o in out] == ["ok"] * 4
    assert [o["rmd_required"] for o in out] == [False, False, False, True]
    assert out[3]["rmd_amount"] == pytest.approx(12195.12, abs=0.01)
    assert "RM_GOVERNMENTAL_OWNER" in out[1]["reasons"]
    assert "RM_FIVE_PCT" in out[3]["reasons"]
