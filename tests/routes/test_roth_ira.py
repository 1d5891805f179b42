"""Money from the Roth IRA instead of the plan (route ``roth_ira``), worked by hand from the
IRS's examples and through every door: assess, compare, the report, batch, the CLI and the API.

The Instructions for Form 5329 (2016), line 1, Example (the recapture of conversions within 5
years), moved ten years on so that dist401k has the law of its tax year: $20,000 converted in
2022 ($15,000 of it taxable, Form 8606 line 18; $5,000 basis, line 17) and $10,000 in 2023
($7,000 taxable, $3,000 basis); regular contributions of $2,000 for each of the two years; at
53 a $33,000 distribution in 2026.  The instructions' Form 8606: line 19 $33,000, line 23
$29,000 (less the $4,000 of contributions on line 22), line 25 $0 (less $30,000 of
conversions); the ordering takes $4,000 of contributions, then $15,000, $5,000, $7,000 and
$2,000 of the conversions; both are within their 5 years, so $15,000 + $7,000 = $22,000 goes on
Form 5329, line 1.

Pub. 590-B's Justin (ordering rules), moved on likewise: $80,000 converted in 2022 ($20,000
basis, so $60,000 taxable), a $5,000 regular contribution and, at 60, a $7,000 distribution in
2026: $5,000 out of the contribution, $2,000 out of the conversion, nothing includible.

2026 figures (Rev. Proc. 2025-32): a single filer's standard deduction 16,100; the 12% bracket
up to 50,400 of taxable income.
"""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law.loader import default_law
from dist401k.report import render_html
from routes.conftest import edited

EXAMPLE_5329 = {
    "person": {"birth_date": "1973-03-01", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2010-01-01"},
    "income": {"wages": 60000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 100000}}},
    "iras": {"roth": 50000, "roth_contributions": 4000, "roth_first_year": 2022,
             "roth_conversions": [{"year": 2022, "amount": 20000, "taxable_amount": 15000},
                                  {"year": 2023, "amount": 10000, "taxable_amount": 7000}]},
    "request": {"date": "2026-07-09", "amount": 33000},
}


def changed(base: dict, **paths) -> dict:
    """A copy of ``base`` with paths set (``iras__roth`` for iras.roth)."""
    return edited(base, {k.replace("__", "."): v for k, v in paths.items()})


def roth(case: dict) -> dict:
    out = assess_cases([parse_case(case)])[0]
    return next(o for o in out["outcomes"] if o["route"] == "roth_ira")


def test_form_5329_example_recapture():
    o = roth(EXAMPLE_5329)
    assert o["form_8606_part_iii"] == {
        "line_19": 33000.0, "line_20": 0.0, "line_21": 33000.0, "line_22": 4000.0,
        "line_23": 29000.0, "line_24": 30000.0, "line_25a": 0.0, "line_25b": 0.0,
        "line_25c": 0.0}
    assert o["taxable"] == 0 and o["income_tax_increase"] == 0
    assert o["form_5329"]["line_1"] == 22000
    assert o["form_5329"]["line_3"] == 22000
    assert o["additional_tax_72t"] == pytest.approx(2200)  # 10% of 22,000
    # Withheld: 10% of the payment (the custodian does not know the basis), refunded later.
    assert o["withholding"] == pytest.approx(3300)
    assert o["check_received"] == pytest.approx(33000 - 3300)
    assert o["kept_after_all_tax"] == pytest.approx(33000 - 2200)
    (form,) = o["form_1099r"]
    assert form["box_7"] == "J" and form["box_1"] == 33000 and form["box_4"] == 3300
    assert form["box_2a"] is None and form["box_2b_not_determined"]
    assert not form["box_7_ira_sep_simple"]
    assert "Form 8606, Part III (Roth IRA distribution)" in o["notices"]


def test_earnings_are_taxed_and_under_the_10_percent_tax():
    # $40,000: $4,000 contributions, $30,000 conversions, $6,000 earnings (line 25c).  Wages
    # 60,000 - 16,100 = 43,900 taxable; + 6,000 = 49,900, all in the 12% bracket: 720.  The 10%
    # tax: (6,000 earnings + 22,000 recaptured) x 10% = 2,800.
    o = roth(changed(EXAMPLE_5329, request__amount=40000))
    assert o["form_8606_part_iii"]["line_25c"] == 6000 and o["taxable"] == 6000
    assert o["income_tax_increase"] == pytest.approx(720)
    assert o["form_5329"]["line_1"] == 28000
    assert o["additional_tax_72t"] == pytest.approx(2800)


def test_disability_is_an_exception_but_the_five_years_are_not_over():
    o = roth(changed(EXAMPLE_5329, person__disabled=True))
    assert o["form_1099r_codes"] == ["T"]  # an exception applies, the 5 years not known met
    assert o["form_5329"]["line_1"] == 22000
    assert o["form_5329"]["line_2"] == 22000
    assert o["form_5329"]["line_2_exception"] == "03"
    assert o["additional_tax_72t"] == 0


def test_first_home_covers_up_to_the_lifetime_limit():
    # The 5 years (2022-2026) are not over: the first home spares the 10% tax on $10,000 less
    # the $4,000 of earlier first-home distributions = $6,000 of the $22,000: 10% of 16,000.
    o = roth(changed(EXAMPLE_5329, request__purpose="home_purchase",
                     iras__first_home_prior=4000))
    assert o["form_8606_part_iii"]["line_20"] == 0
    assert o["form_5329"]["line_2"] == 6000
    assert o["form_5329"]["line_2_exception"] == "09"
    assert o["additional_tax_72t"] == pytest.approx(1600)


def test_recapture_ends_with_the_fifth_year():
    # In 2027 the 2022 conversion's 5 years are over: only the 2023 one's $7,000 is recaptured.
    o = roth(changed(EXAMPLE_5329, request__date="2027-07-09"))
    assert o["form_5329"]["line_1"] == 7000
    assert o["additional_tax_72t"] == pytest.approx(700)


JUSTIN = {
    **EXAMPLE_5329,
    "person": {"birth_date": "1966-01-15", "filing_status": "single"},
    "iras": {"roth": 90000, "roth_contributions": 5000,
             "roth_conversions": [{"year": 2022, "amount": 80000, "taxable_amount": 60000}]},
    "request": {"date": "2026-11-08", "amount": 7000},
}


def test_justin_pub_590b_after_59_half():
    o = roth(JUSTIN)
    # 60, but the 5 years from the 2022 conversion (2022-2026) are not over: not qualified, T.
    assert o["form_1099r_codes"] == ["T"]
    iii = o["form_8606_part_iii"]
    assert (iii["line_19"], iii["line_22"], iii["line_23"], iii["line_24"], iii["line_25c"]) == (
        7000, 5000, 2000, 80000, 0)
    assert o["taxable"] == 0 and o["additional_tax_72t"] == 0
    assert o["form_5329"] is None  # not an early distribution


def test_qualified_distribution_code_q_nothing_withheld():
    o = roth(changed(JUSTIN, request__date="2027-11-08"))
    assert o["form_1099r_codes"] == ["Q"]
    assert "form_8606_part_iii" not in o
    assert o["taxable"] == 0 and o["withholding"] == 0 and o["check_received"] == 7000
    assert any(r["code"] == "RI_QUALIFIED" for r in o["reasons"])


def test_no_roth_ira_no_route():
    out = assess_cases([parse_case(changed(EXAMPLE_5329, iras={}))])[0]
    assert not any(o["route"] == "roth_ira" for o in out["outcomes"])
    assert not any(s["route"] == "roth_ira" for s in out["route_summary"])


def test_summary_and_no_rows_by_plan_source():
    out = assess_cases([parse_case(EXAMPLE_5329)])[0]
    s = next(s for s in out["route_summary"] if s["route"] == "roth_ira")
    assert s["eligible"] and s["available"] == 50000
    assert s["contributions_basis"] == 4000 and s["conversions_basis"] == 30000
    assert not any(r["route"] == "roth_ira" for r in out["routes"])


def test_compare_offers_it_and_the_report_shows_part_iii():
    cmp = compare_case(parse_case(EXAMPLE_5329))
    option = next(o for o in cmp["options"] if o["option"] == "roth_ira:cash")
    assert option["penalty_now"] == pytest.approx(2200)
    assert option["form_8606_part_iii"]["line_23"] == 29000
    html = render_html(cmp)
    assert "Form 8606, Part III" in html and "<td>J</td>" in html


def test_a_batch_equals_one_at_a_time():
    # The flat book has the contributions, not the conversions: a Roth IRA of $12,000 with
    # $5,000 of contributions, no first year: not qualified; $8,000 taken at 53 leaves $3,000
    # of earnings, taxable and under the 10% tax.
    table = pa.table({
        "request_date": [dt.date(2026, 7, 9)] * 2, "birth_date": [dt.date(1973, 3, 1)] * 2,
        "plan_type": ["401k"] * 2, "wages": [60000.0, 60000.0],
        "balance_elective_deferral": [1000.0, 1000.0], "ira_roth": [12000.0, 12000.0],
        "ira_roth_contributions": [5000.0, 5000.0], "request_amount": [8000.0, 2000.0],
        "request_route": ["roth_ira", "roth_ira"], "request_destination": ["all", "cash"]})
    rows = run_job(table, "forms", default_law()).to_pylist()
    assert rows[0]["status"] == "ok", rows[0]["error_message"]
    for row, amount in zip(rows, (8000, 2000), strict=True):
        case = changed(EXAMPLE_5329, iras={"roth": 12000, "roth_contributions": 5000},
                       request__amount=amount, account={"sources": {
                           "elective_deferral": {"balance": 1000}}})
        one = roth(case)
        for k in ("gross", "taxable", "withholding", "income_tax_increase",
                  "additional_tax_72t"):
            assert row[k] == pytest.approx(one[k], abs=0.005), k
        assert row["form_roth_cash_box_7"] == "J"
        part_iii = one["form_8606_part_iii"]
        for k in ("line_19", "line_20", "line_21", "line_22", "line_23", "line_24", "line_25a",
                  "line_25b", "line_25c"):
            assert row[f"form_8606_{k}"] == part_iii[k], k
        assert row["form_5329_line_1"] == (one["form_5329"] or {}).get("line_1")
    assert rows[0]["taxable"] == 3000 and rows[0]["additional_tax_72t"] == pytest.approx(300)
    assert rows[1]["taxable"] == 0
    # Form 8606 Part III in the forms job: line 19 8,000, line 22 5,000, line 23 3,000, no
    # conversions (line 24 0), line 25c 3,000 taxable; $2,000 is all contributions (25c 0).
    assert [rows[0][f"form_8606_line_{k}"] for k in ("19", "22", "23", "24", "25c")] == [
        8000.0, 5000.0, 3000.0, 0.0, 3000.0]
    assert [rows[1][f"form_8606_line_{k}"] for k in ("19", "22", "23", "25c")] == [
        2000.0, 5000.0, 0.0, 0.0]


@pytest.mark.parametrize("iras, field, words", [
    ({"roth": 1, "roth_conversions": [{"year": 2030, "amount": 5}]},
     "iras.roth_conversions.0.year", "after the request year"),
    ({"roth": 1, "roth_conversions": [{"year": 2020, "amount": 5, "taxable_amount": 6}]},
     "iras.roth_conversions.0", "taxable_amount cannot exceed amount"),
    ({"roth": 1, "roth_conversions": [{"year": 2020, "amount": -5}]},
     "iras.roth_conversions.0.amount", "0 or more"),
    ({"roth": 1, "roth_first_year": 2021, "roth_conversions": [{"year": 2020, "amount": 5}]},
     "iras.roth_first_year", "after the year of a conversion"),
    ({"roth": 1, "roth_first_year": 2027}, "iras.roth_first_year", "after the request year"),
    ({"roth": 1, "roth_contributions": -1}, "iras.roth_contributions", "0 or more"),
    ({"roth": 1, "roth_contributions": 1e300}, "iras.roth_contributions", "finite number"),
])
def test_bad_roth_ira_facts_name_the_field(iras, field, words, tmp_path):
    case = changed(EXAMPLE_5329, iras=iras)
    with pytest.raises(InputError) as exc:
        parse_case(case)
    found = [str(p) for p in exc.value.problems]
    assert any(p.startswith(field + ":") and words in p for p in found), found
    # The CLI: exit 2, the field named, no traceback.
    import json

    path = tmp_path / "case.json"
    path.write_text(json.dumps(case))
    r = CliRunner().invoke(app, ["assess", str(path)])
    assert r.exit_code == 2 and field in r.output and "Traceback" not in r.output


def test_api_refuses_a_future_conversion_with_422():
    from fastapi.testclient import TestClient

    from dist401k.api import create_app

    client = TestClient(create_app())
    r = client.post("/assess", json=changed(EXAMPLE_5329, iras={
        "roth": 1, "roth_conversions": [{"year": 2030, "amount": 5}]}))
    assert r.status_code == 422
    assert "roth_conversions" in str(r.json()["detail"])


def test_withholding_election_and_net_amount():
    # A W-4R election of 0%: nothing withheld.  A net amount of $9,000 at the default 10%:
    # gross 9,000 / 0.9 = 10,000 (all out of contributions and the 2022 conversion).
    assert roth(changed(EXAMPLE_5329, request__withholding_rate=0.0))["withholding"] == 0
    o = roth(changed(EXAMPLE_5329, request__amount="max", request__net_amount=9000))
    assert o["gross"] == pytest.approx(10000) and o["check_received"] == pytest.approx(9000)


conversion = st.fixed_dictionaries({"year": st.integers(2015, 2026),
                                    "amount": st.integers(0, 30000),
                                    "taxable_amount": st.integers(0, 30000)})


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60000), st.integers(0, 20000),
                          st.lists(conversion, max_size=3), st.sampled_from(
                              ["1960-05-01", "1975-05-01", "1990-05-01"]),
                          st.booleans(), st.sampled_from(
                              ["none", "emergency", "birth_adoption", "domestic_abuse",
                               "disaster"])), min_size=2, max_size=4))
def test_assess_in_a_batch_equals_each_alone(rows):
    cases = []
    for k, (take, contrib, convs, born, disabled, purpose) in enumerate(rows):
        convs = [{**c, "taxable_amount": min(c["amount"], c["taxable_amount"])} for c in convs]
        cases.append(parse_case(changed(
            EXAMPLE_5329, id=f"c{k}", person__birth_date=born, person__disabled=disabled,
            iras={"roth": 80000, "roth_contributions": contrib, "roth_conversions": convs},
            request__amount=take, request__purpose=purpose, request__event_date="2026-05-01",
            request__disaster_declared=True)))
    together = assess_cases(cases)
    for case, answer in zip(cases, together, strict=True):
        assert answer == assess_cases([case])[0]
        o = next((o for o in answer["outcomes"] if o["route"] == "roth_ira"), None)
        if o is not None:  # the taxable amount is Form 8606 line 25a (0 where qualified)
            iii = o.get("form_8606_part_iii")
            assert o["taxable"] == (iii["line_25a"] if iii else 0)
