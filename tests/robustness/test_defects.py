"""Regression tests of the hardening issue's defects in case input: impossible dates, non-finite
and absurd numbers, unbounded work, and a plan provision the law forbids for some money only.
Each failed before its fix."""

from __future__ import annotations

import json
import math

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import load_case, parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.tax import TaxUnits
from routes.conftest import make

LAW = default_law()
runner = CliRunner()
HEADER = "participant_id,request_date,birth_date,plan_type,balance_elective_deferral\n"


def fields_of(case: dict) -> list[str]:
    with pytest.raises(InputError) as exc:
        parse_case(case)
    return [p.field for p in exc.value.problems]


# 4. Impossible dates -------------------------------------------------------------------------

def test_a_csv_book_with_impossible_dates_gives_error_rows_naming_them(tmp_path):
    book = tmp_path / "book.csv"
    book.write_text(HEADER + "a,2026-06-01,1966-02-30,401k,1000\n"
                    "b,2026-02-31,1966-02-03,401k,1000\n"
                    "c,2026-06-01,1966-02-03,401k,1000\n")
    out = tmp_path / "out.csv"
    r = runner.invoke(app, ["batch", str(book), "--job", "eligibility", "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = pacsv.read_csv(out).to_pylist()
    assert [(x["status"], x["error_column"]) for x in rows] == [
        ("error", "birth_date"), ("error", "request_date"), ("ok", "")]
    assert rows[0]["error_message"] == \
        "birth_date: is not a day of the calendar (February 1966 has 28 days)"
    assert rows[1]["error_message"].startswith(
        "request_date: is not a day of the calendar (February 2026 has 28 days)")
    assert "separation_date" not in rows[1]["error_message"]


@pytest.mark.parametrize("value", ["1966-02-30", "1966-2-3", 0, 19660203, "1966-02-03T00:00"])
def test_the_case_model_refuses_what_is_not_a_calendar_date(value):
    assert fields_of(make({"person.birth_date": value})) == ["person.birth_date"]


# 5. Non-finite and absurd numbers ------------------------------------------------------------

@pytest.mark.parametrize("path, value", [
    ("request.amount", math.nan), ("request.amount", math.inf), ("income.wages", 1e308),
    ("income.wages", math.nan), ("account.sources.elective_deferral.balance", math.inf),
    ("plan.minimum_withdrawal", 1e12), ("iras.traditional", -math.inf),
])
def test_the_case_model_refuses_non_finite_and_absurd_amounts(path, value):
    assert path in fields_of(make({path: value}))


def test_a_yaml_infinity_is_refused_with_its_field(tmp_path):
    f = tmp_path / "case.yaml"
    f.write_text("person: {birth_date: '1970-01-15'}\nplan: {type: 401k}\n"
                 "income: {wages: .inf}\naccount: {sources: {elective_deferral: {balance: 1}}}\n"
                 "request: {date: '2026-11-23', amount: .nan}\n")
    with pytest.raises(InputError) as exc:
        load_case(f)
    assert {p.field for p in exc.value.problems} == {"income.wages", "request.amount"}


@pytest.mark.parametrize("number", ["1e400", "Infinity", "NaN", "-Infinity"])
def test_the_api_answers_422_to_non_finite_json(number):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    client = TestClient(create_app(store=Store("sqlite://"), token=""))
    body = json.dumps(make({"income.wages": 1})).replace('"wages": 1', f'"wages": {number}')
    r = client.post("/assess", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"][0]["loc"] == ["body", "income", "wages"]


def test_batch_rows_refuse_nan_and_absurd_amounts():
    t = pa.table({"request_date": ["2026-06-01"] * 3, "birth_date": ["1966-02-03"] * 3,
                  "plan_type": ["401k"] * 3, "balance_elective_deferral": [1000.0] * 3,
                  "request_amount": pa.array([math.nan, 500.0, 500.0], from_pandas=False),
                  "wages": [0.0, 1e308, 0.0]})
    out = run_job(t, "eligibility", LAW).to_pylist()
    assert [(r["status"], r["error_column"]) for r in out] == [
        ("error", "request_amount"), ("error", "wages"), ("ok", None)]


def test_tax_units_refuse_absurd_amounts():
    with pytest.raises(InputError) as exc:
        TaxUnits.from_records([{"tax_year": 2026, "filing_status": "single", "wages": 1e308}])
    assert [p.field for p in exc.value.problems] == ["wages"]


def test_assess_json_has_no_nan():
    out = assess_cases([parse_case(make({"request.amount": 5000}))])
    json.dumps(out, allow_nan=False)


# 7. Unbounded work ---------------------------------------------------------------------------

@pytest.mark.parametrize("ages", [[1e308], [1e6], [-1], [math.nan], list(range(60, 71)), []])
def test_horizon_ages_are_bounded(ages):
    found = fields_of(make({"assumptions.horizon_ages": ages}))
    assert found and all(f.startswith("assumptions.horizon_ages") for f in found)


@pytest.mark.parametrize("path, value", [
    ("assumptions.surrender_schedule", [0.1] * 31), ("assumptions.surrender_schedule", [2.0]),
    ("account.loans.count", 10**9), ("account.withdrawals_this_year", 10**9),
    ("plan.withdrawals_per_year", 10**9), ("id", "x" * 1000),
    ("account.last_emergency_year", 10**9),
])
def test_counts_lists_and_years_are_bounded(path, value):
    assert any(f.startswith(path) for f in fields_of(make({path: value})))


# A plan provision the law forbids for one money source ----------------------------------------

ALL_AT_55 = {s: {"allowed": True, "min_age": 55} for s in
             ("elective_deferral", "match", "after_tax", "rollover_pretax")}
BALANCES = {"elective_deferral": {"balance": 10000}, "match": {"balance": 20000},
            "after_tax": {"balance": 3000, "basis": 1000}, "rollover_pretax": {"balance": 4000}}


def _in_service(answer: dict) -> dict:
    return {r["source"]: r for r in answer["routes"] if r["route"] == "in_service"}


def test_in_service_at_55_from_all_sources_is_applied_where_lawful():
    # 56 and still working: the plan's age opens employer, after-tax and rollover money; the
    # law keeps the deferrals in until 59½, and says the plan's text cannot open them.
    case = make({"person.birth_date": "1970-01-15", "plan.in_service": ALL_AT_55,
                 "account.sources": BALANCES})
    by_source = _in_service(assess_cases([parse_case(case)])[0])
    deferral = {x["code"] for x in by_source["elective_deferral"]["reasons"]}
    assert not by_source["elective_deferral"]["eligible"]
    assert {"IS_DEFERRAL_BEFORE_59_HALF", "IS_PLAN_AGE_BELOW_LAW"} <= deferral
    assert [by_source[s]["available"] for s in ("match", "after_tax", "rollover_pretax")] == [
        20000, 3000, 4000]


def test_in_service_at_55_from_all_sources_in_a_batch_row_gives_the_same_answer():
    row = {"request_date": "2026-11-23", "birth_date": "1970-01-15", "plan_type": "401k",
           "hire_date": "2010-01-01", "wages": 60000.0}
    for s, rule in ALL_AT_55.items():
        row[f"in_service_{s}"], row[f"in_service_min_age_{s}"] = True, float(rule["min_age"])
        row[f"balance_{s}"] = float(BALANCES[s]["balance"])
    row["basis_after_tax"] = 1000.0
    out = run_job(pa.Table.from_pylist([row]), "eligibility", LAW).to_pylist()[0]
    assert out["status"] == "ok", out["error_message"]
    assert out["in_service_available"] == 27000
    assert "IS_PLAN_AGE_BELOW_LAW" in out["in_service_reasons"]


def test_a_money_purchase_plan_with_short_seasoning_gets_one_answer_through_both_doors():
    case = make({"plan.type": "money_purchase", "person.birth_date": "1970-01-15",
                 "plan.in_service": {"match": {"allowed": True, "seasoning_years": 1}},
                 "account.sources": {"match": {"balance": 5000}}})
    answer = _in_service(assess_cases([parse_case(case)])[0])["match"]
    row = {"request_date": "2026-11-23", "birth_date": "1970-01-15", "plan_type": "money_purchase",
           "hire_date": "2010-01-01", "wages": 60000.0, "balance_match": 5000.0,
           "in_service_match": True, "seasoning_years_match": 1.0}
    out = run_job(pa.Table.from_pylist([row]), "eligibility", LAW).to_pylist()[0]
    assert out["status"] == "ok"
    assert (out["in_service_eligible"], out["in_service_available"]) == (
        answer["eligible"], answer["available"]) == (False, 0)


def test_a_participation_period_shorter_than_the_laws_five_years_is_not_applied():
    # Four years of participation, the plan says three: the law's five apply, so only the
    # seasoned part of the match is paid (Rev. Rul. 68-24; the period read from the law).
    case = make({"person.birth_date": "1970-01-15", "employment.hire_date": "2022-06-01",
                 "plan.in_service": {"match": {"allowed": True, "seasoning_years": 2,
                                               "participation_years": 3}},
                 "account.sources": {"match": {"balance": 5000, "seasoned": 2000}}})
    match = _in_service(assess_cases([parse_case(case)])[0])["match"]
    assert match["available"] == 2000
    assert "IS_PLAN_PERIOD_BELOW_LAW" in {x["code"] for x in match["reasons"]}
