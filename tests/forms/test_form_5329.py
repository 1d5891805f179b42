"""Form 5329 Part I (lines 1–4) on cases worked by hand from the Instructions for Form 5329
(line 2's exception numbers; "Who Must File"): the rule of 55 (01), the medical part (05),
disability with separation (99), governmental 457(b) money outside §72(t) (13), the SECURE 2.0
withdrawals (19, 22, 23), none after 59½ and none for a disaster distribution (Form 8915-F)."""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.law.loader import default_law
from routes.conftest import make, outcome

#: Born 1970-01-15, single, wages 60,000, 100,000 of elective deferrals; request in 2026.
SEPARATED = {"employment.status": "separated", "request.amount": 10000}


def assess(case: dict) -> dict:
    return assess_cases([parse_case(case)])[0]


def part_i(case: dict, route: str, destination: str = "cash") -> dict | None:
    o = outcome(assess(case), route, destination)
    assert o is not None
    f = o["form_5329"]
    if f is not None:  # line 4 is the outcome's additional tax, to the cent
        assert f["line_4"] == o["additional_tax_72t"]
        assert f["line_3"] == pytest.approx(f["line_1"] - f["line_2"], abs=0.005)
    return f


def test_rule_of_55_is_exception_01_and_box_7_code_2_needs_no_form():
    # Left in 2025, the year he turned 55: the 10,000 is excepted in full (§72(t)(2)(A)(v)).
    f = part_i(make(SEPARATED, **{"employment.separation_date": "2025-03-01"}), "separation")
    assert f == {"line_1": 10000.0, "line_2": 10000.0, "line_3": 0.0, "line_4": 0.0,
                 "line_2_exception": "01", "required": False}


def test_no_exception_code_1_goes_straight_to_schedule_2():
    # Left in 2020, at 50: 10% of 10,000; code 1 tells the whole story (no form to file).
    f = part_i(make(SEPARATED, **{"employment.separation_date": "2020-01-01"}), "separation")
    assert f == {"line_1": 10000.0, "line_2": 0.0, "line_3": 10000.0, "line_4": 1000.0,
                 "line_2_exception": None, "required": False}
    # Rolled over directly: nothing includible, nothing to report.
    rolled = make(SEPARATED, **{"employment.separation_date": "2020-01-01"})
    assert part_i(rolled, "separation", "traditional_ira") is None


def test_medical_part_is_exception_05_and_the_form_is_required():
    # Hardship 20,000; AGI 60,000 + 20,000 = 80,000; 7.5% = 6,000; medical 9,000 − 6,000 =
    # 3,000 excepted (§72(t)(2)(B)); 17,000 taxed at 10% = 1,700.  Box 7 says 1: file 5329.
    case = make({"plan.hardship": {"allowed": True}, "request.purpose": "medical",
                 "request.amount": 20000, "income.medical_expenses": 9000})
    assert part_i(case, "hardship") == {
        "line_1": 20000.0, "line_2": 3000.0, "line_3": 17000.0, "line_4": 1700.0,
        "line_2_exception": "05", "required": True}


def test_two_exceptions_are_99():
    # Disabled and separated in the year he turned 55: two exceptions (03 and 01) → 99;
    # box 7 code 3 covers the whole payment: no form.
    case = make(SEPARATED, **{"employment.separation_date": "2025-03-01",
                              "person.disabled": True})
    f = part_i(case, "separation")
    assert f["line_2_exception"] == "99" and f["line_2"] == 10000.0
    assert f["required"] is False


def test_governmental_457b_money_is_13_and_rolled_in_money_is_taxed():
    # A governmental 457(b): 60,000 of deferrals (outside §72(t), §72(t)(9)) and 40,000 rolled
    # in from a 401(k) (inside).  Separated at 50: 10,000 paid pro rata, 6,000 and 4,000.  The
    # two kinds are on two Forms 1099-R, code 2 and code 1, which tell it all: the form is shown
    # but not required (Instructions for Form 5329, "Who Must File").
    case = make(SEPARATED, **{"employment.separation_date": "2020-01-01",
                              "plan.type": "governmental_457b",
                              "account.sources": {"elective_deferral": {"balance": 60000},
                                                  "rollover_pretax": {"balance": 40000}}})
    f = part_i(case, "separation")
    assert f == {"line_1": 10000.0, "line_2": 6000.0, "line_3": 4000.0, "line_4": 400.0,
                 "line_2_exception": "13", "required": False}


@pytest.mark.parametrize("route, changes, number", [
    ("emergency_expense", {"plan.secure2": {"emergency_expense": True}}, "23"),
    ("domestic_abuse", {"plan.secure2": {"domestic_abuse": True},
                        "request.purpose": "domestic_abuse",
                        "request.event_date": "2026-03-01"}, "22"),
    ("birth_adoption", {"plan.secure2": {"birth_adoption": True},
                        "request.purpose": "birth_adoption",
                        "request.event_date": "2026-01-10"}, "19"),
])
def test_secure2_withdrawals_carry_their_numbers(route, changes, number):
    f = part_i(make(changes), route)
    assert f["line_2_exception"] == number
    assert f["line_2"] == f["line_1"] > 0 and f["line_4"] == 0


def test_none_after_59_half_nor_for_a_disaster_distribution():
    older = make(SEPARATED, **{"person.birth_date": "1960-01-15",
                               "employment.separation_date": "2020-01-01"})
    assert part_i(older, "separation") is None
    storm = make({"plan.secure2": {"disaster": True}, "request.purpose": "disaster",
                  "request.event_date": "2026-06-30", "request.disaster_declared": True,
                  "request.amount": 22000})
    assert part_i(storm, "disaster") is None  # reported on Form 8915-F


def test_the_law_file_holds_the_numbers_of_the_instructions():
    law = default_law()
    keys = law.param("early_distributions.form_5329_exception_number").keys
    row = dict(zip(keys, law.get("early_distributions.form_5329_exception_number", 2026),
                   strict=True))
    assert (row["separation_from_service"], row["medical"], row["death"]) == (1, 5, 4)
    assert (row["birth_adoption"], row["terminal_illness"], row["domestic_abuse"],
            row["emergency_expense"], row["more_than_one"]) == (19, 20, 22, 23, 99)


def test_compare_gives_each_option_its_part_i_at_the_gross_it_is_priced_at():
    from dist401k.compare import compare_case

    # A need of 5,000 in hand, separated at 50 (10% tax): the cash option is priced at the
    # gross that delivers it, and its Part I is for that gross.
    case = parse_case(make(SEPARATED, **{"employment.separation_date": "2020-01-01",
                                         "request.amount": "max", "request.need": 5000}))
    cash = {o["option"]: o for o in compare_case(case)["options"]}["separation:cash"]
    f = cash["form_5329"]
    assert f["line_1"] == cash["gross"] and f["line_4"] == cash["penalty_now"]
    assert cash["gross"] > 5000  # grossed up: not the assessment's max
