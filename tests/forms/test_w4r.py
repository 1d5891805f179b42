"""Form W-4R: the election (request.withholding_rate) and its bounds, the Marginal Rate Tables
of 2026 and the form's method (its Examples 1 and 2), and request.net_amount: the gross that
leaves a net amount in hand after withholding or after all tax, on every route, to the cent."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.flat import row_to_case
from dist401k.jobs import run_job
from dist401k.law.filing_status import CODE, FILING_STATUSES
from dist401k.law.loader import Lookup, default_law
from dist401k.w4r import chart_rate
from routes.conftest import make, outcome

LAW = default_law()
#: Born 1970, single, wages 60,000; left the job in 2020 (no rule of 55): 10% tax applies.
SEPARATED = {"employment.status": "separated", "employment.separation_date": "2020-01-01"}
HARDSHIP = {"plan.hardship": {"allowed": True}, "request.purpose": "funeral"}


def assess(*cases: dict) -> list[dict]:
    return assess_cases([parse_case(c) for c in cases])


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


@pytest.mark.parametrize("income, payment, rate", [
    (70000, 20000, 0.22),  # Form W-4R (2026), Example 1: both ends in the 22% band
    (60000, 20000, 0.19),  # Example 2: 6,500 × 12% + 13,500 × 22% = 3,750; 18.75% → 19%
    (10000, 5000, 0.0),    # all below the standard deduction
])
def test_the_forms_examples(income, payment, rate):
    lk = Lookup(LAW, np.array([2026]), np.array([CODE["single"]]))
    got = chart_rate(lk, np.array([income]), np.array([payment]))[0]
    assert got == pytest.approx(rate)
    assert not np.signbit(got)  # the form has no negative rate: 0.0, never -0.0 in the JSON


def test_the_chart_is_each_bracket_start_plus_the_standard_deduction():
    for status in FILING_STATUSES:
        fs = CODE[status]
        over = LAW.get("withholding.w4r_chart_income", 2026, fs)
        std = LAW.get("income_tax.standard_deduction", 2026, fs)
        brackets = LAW.get("income_tax.brackets", 2026, fs)
        assert over[0] == 0 and over[1] == std, status
        assert list(over[2:]) == list(brackets + std), status
    rates = LAW.get("withholding.w4r_chart_rate", 2026)
    assert list(rates[1:]) == list(LAW.get("income_tax.rates", 2026))


def test_the_answer_shows_the_chart_and_the_forms_rate_for_a_payment():
    (r,) = assess(make(HARDSHIP, **{"request.amount": 20000}))
    chart = r["withholding_election"]["w4r_chart"]
    assert chart["form_year"] == 2026 and chart["bands"][1] == {"total_income_over": 16100.0,
                                                                "rate": 0.1}
    assert outcome(r, "hardship")["w4r_chart_rate"] == 0.19  # Example 2 again: AGI 60,000
    # 2025 has no chart in the law: none shown rather than another year's.
    (old,) = assess(make(HARDSHIP, **{"request.amount": 20000, "request.date": "2025-06-02"}))
    assert old["withholding_election"]["w4r_chart"] is None
    assert "w4r_chart_rate" not in outcome(old, "hardship")


def test_an_election_below_20_percent_is_refused_for_an_eligible_rollover_distribution():
    low, high = assess(make(SEPARATED, **{"request.amount": 10000,
                                          "request.withholding_rate": 0.05}),
                       make(SEPARATED, **{"request.amount": 10000,
                                          "request.withholding_rate": 0.3}))
    cash = outcome(low, "separation")
    assert cash["withholding"] == 2000.0 and "OC_W4R_BELOW_ERD" in codes(cash)
    assert "OC_W4R_BELOW_ERD" not in codes(outcome(low, "separation", "traditional_ira"))
    assert outcome(high, "separation")["withholding"] == 3000.0  # a higher rate is honoured
    # Not an eligible rollover distribution: any rate replaces the 10% default.
    (h,) = assess(make(HARDSHIP, **{"request.amount": 5000, "request.withholding_rate": 0.05}))
    assert outcome(h, "hardship")["withholding"] == 250.0
    assert "OC_W4R_BELOW_ERD" not in codes(outcome(h, "hardship"))


@pytest.mark.parametrize("changes, field", [
    ({"request.withholding_rate": 1.5}, "request.withholding_rate"),
    ({"request.withholding_rate": -0.1}, "request.withholding_rate"),
    ({"request.amount": 1000, "request.net_amount": 800}, "request.net_amount"),
    ({"request.net_amount": -1}, "request.net_amount"),
    ({"request.net_of": "everything"}, "request.net_of"),
])
def test_bad_elections_name_the_field(changes, field):
    with pytest.raises(InputError) as exc:
        parse_case(make(changes))
    assert any(str(p).startswith(field + ":") for p in exc.value.problems), exc.value.problems


def test_net_of_withholding_by_hand():
    # An eligible rollover distribution, 20% withheld: 8,000 in hand needs 10,000.
    # 8,000.01 needs 10,000.0125 → 10,000.01 (withholding 2,000.002 → 2,000.00).
    # A hardship, 10% withheld: 4,500 in hand needs 5,000.
    a, b, h = assess(make(SEPARATED, **{"request.net_amount": 8000}),
                     make(SEPARATED, **{"request.net_amount": 8000.01}),
                     make(HARDSHIP, **{"request.net_amount": 4500}))
    assert outcome(a, "separation")["gross"] == 10000.0
    assert outcome(b, "separation")["gross"] == 10000.01
    assert outcome(b, "separation")["check_received"] == 8000.01
    assert outcome(h, "hardship")["gross"] == 5000.0
    assert "OC_NET_AMOUNT" in codes(outcome(h, "hardship"))


def test_net_of_all_tax_by_hand():
    # 8,000 kept after all tax, single, wages 60,000 (2026: taxable 43,900; 6,500 left at 12%,
    # then 22%) and the 10% additional tax: g − [780 + 22% (g − 6,500)] − 10% g = 8,000
    # → 0.68 g = 8,000 + 780 − 1,430 = 7,350 → g = 10,808.82.
    (r,) = assess(make(SEPARATED, **{"request.net_amount": 8000, "request.net_of": "all_tax"}))
    o = outcome(r, "separation")
    assert o["gross"] == pytest.approx(10808.82, abs=0.01)
    assert o["kept_after_all_tax"] == pytest.approx(8000, abs=0.01)


def test_a_net_amount_the_route_cannot_pay_is_said():
    (r,) = assess(make(SEPARATED, **{"request.net_amount": 500000}))
    o = outcome(r, "separation")
    assert o["gross"] == 100000.0 and "OC_NET_SHORT" in codes(o)


def test_every_route_lands_on_the_cent():
    """gross − withholding == net to the cent, on every route paid in cash, for nets drawn at
    random (a case for each route that is open)."""
    rng = np.random.default_rng(7)
    routes = [make(SEPARATED), make(HARDSHIP),
              make({"plan.secure2": {"emergency_expense": True}}),
              make({"plan.in_service": {"after_tax": {"allowed": True}},
                    "account.sources": {"after_tax": {"balance": 50000, "basis": 20000}}}),
              make(SEPARATED, **{"plan.type": "governmental_457b",
                                 "account.sources": {"elective_deferral": {"balance": 60000},
                                                     "rollover_pretax": {"balance": 40000}}})]
    seen = set()
    for base in routes:
        for net in np.round(rng.uniform(50, 900, 4), 2).tolist():
            case = {**base, "request": {**base["request"], "amount": "max", "net_amount": net}}
            (r,) = assess(case)
            for o in r["outcomes"]:
                if o["destination"] != "cash" or o["route"] in ("rmd", "loan"):
                    continue
                seen.add(o["route"])
                assert round(o["gross"] - o["withholding"], 2) == net, (o["route"], net)
    assert {"separation", "hardship", "emergency_expense", "in_service"} <= seen


def test_batch_columns_of_the_election_and_the_net_amount():
    rows = [{"participant_id": "a", "request_date": "2026-11-23", "birth_date": "1970-01-15",
             "plan_type": "401k", "wages": 60000.0, "employment_status": "separated",
             "separation_date": "2020-01-01", "balance_elective_deferral": 100000.0,
             "request_route": "separation", "request_destination": "cash",
             "request_net_amount": 8000.0, "request_net_of": "withholding",
             "request_amount": None},
            {"participant_id": "b", "request_date": "2026-11-23", "birth_date": "1970-01-15",
             "plan_type": "401k", "wages": 60000.0, "employment_status": "separated",
             "separation_date": "2020-01-01", "balance_elective_deferral": 100000.0,
             "request_route": "separation", "request_destination": "cash",
             "request_net_amount": 8000.0, "request_net_of": "withholding",
             "request_amount": 5000.0}]
    out = run_job(pa.Table.from_pylist(rows), "outcome", LAW).to_pylist()
    assert out[0]["status"] == "ok" and out[0]["gross"] == 10000.0
    assert out[1]["status"] == "error" and out[1]["error_column"] == "request_net_amount"
    case = parse_case(row_to_case(rows[0]))
    assert case.request.net_amount == 8000.0 and case.request.net_of == "withholding"


def test_compare_reads_the_net_amount_and_its_need_search_replaces_it():
    from dist401k.compare import compare_case

    case = parse_case(make(SEPARATED, **{"request.net_amount": 8000}))
    options = {o["option"]: o for o in compare_case(case)["options"]}
    assert options["separation:cash"]["gross"] == 10000.0
    assert options["separation:traditional_ira"]["gross"] == 10000.0
    # With a need, compare's own search asks for gross amounts: the net amount steps aside.
    needy = parse_case(make(SEPARATED, **{"request.net_amount": 8000, "request.need": 3000}))
    cash = {o["option"]: o for o in compare_case(needy)["options"]}["separation:cash"]
    assert min(cash["check_received"], cash["kept_after_all_tax"]) == 3000.0
