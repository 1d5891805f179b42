"""Inherited accounts: who inherits, the method, this year's minimum, the 10% tax, the excise.

Figures come from outside dist401k: the Single Life Table of Treas. Reg. §1.401(a)(9)-9(b)
(IRS Pub. 590-B, Appendix B, Table I; IRS Notice 2022-6 uses the same table: age 50 → 36.2),
the IRS chart "Required minimum distributions for IRA beneficiaries" (use the beneficiary's
age in the year after death and reduce by one each year; a spouse uses the current age each
year; after the required beginning date use the younger of the beneficiary's age and the
owner's age in the year of death; 5th year after death for the 5-year rule), Pub. 590-B's
worked example (a beneficiary 53 in the year after the death, $100,000: 100,000 ÷ 33.4, then
÷ 32.4 the next year), and Notices 2022-53, 2023-54, 2024-35.
"""

from __future__ import annotations

import pytest

from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.law import default_law
from routes.conftest import make, outcome, route

LAW = default_law()
# Single Life Table values the tests rely on (Treas. Reg. §1.401(a)(9)-9(b), 2022 and later).
TABLE_I = {50: 36.2, 53: 33.4, 55: 31.6, 60: 27.1, 65: 22.9, 70: 18.8, 71: 18.0, 75: 14.8,
           79: 11.9, 80: 11.2}


def heir(ben: dict, birth: str = "1971-05-01", date: str = "2025-11-23", balance=100000,
         **changes) -> dict:
    """A beneficiary born ``birth`` asking on ``date`` about an inherited 401(k)."""
    return make({"person.birth_date": birth, "request.date": date, "beneficiary": ben,
                 "account.sources": {"elective_deferral": {"balance": balance}}, **changes})


def ben_route(result: dict) -> dict:
    return route(result, "beneficiary")


def codes(result: dict) -> set[str]:
    return {x["code"] for row in result["routes"] if row["route"] == "beneficiary"
            for x in row["reasons"]}


def test_single_life_table_matches_the_regulation():
    ages = sorted(TABLE_I)
    assert list(LAW.table("rmd.single_life", 2026, ages)) == [TABLE_I[a] for a in ages]


def test_pub_590b_example_reduce_by_one_each_year(assess):
    # Father died in 2023 (after his required beginning date); the son, 53 in 2024, is
    # disabled (an eligible designated beneficiary): $100,000 ÷ 33.4 in 2024, ÷ 32.4 in 2025.
    ben = {"deceased_birth_date": "1945-02-01", "date_of_death": "2023-06-01",
           "relationship": "child", "disabled": True, "prior_year_end_balance": 100000}
    s24 = ben_route(assess(heir(ben, date="2024-11-23")))
    s25 = ben_route(assess(heir(ben, date="2025-11-23")))
    assert s24["kind"] == "disabled" and s24["method"] == "life_expectancy"
    assert s24["divisor"] == 33.4 and s24["required"] == pytest.approx(2994.01)
    assert s25["divisor"] == 32.4 and s25["required"] == pytest.approx(3086.42)
    assert s25["deadline"] == "2025-12-31" and s25["empty_by"] is None


def test_spouse_recalculates_each_year(assess):
    # A sole spouse beneficiary looks up her own age each year: 70 → 18.8, 71 → 18.0 (not the
    # 17.8 of a reduction by one). Her husband died after his RBD, aged 79 in 2024 (11.9,
    # reduced by one each year): shorter, so hers is used.
    ben = {"deceased_birth_date": "1945-03-01", "date_of_death": "2024-04-10",
           "relationship": "spouse", "prior_year_end_balance": 188000}
    s25 = ben_route(assess(heir(ben, birth="1955-08-08", date="2025-06-01")))
    s26 = ben_route(assess(heir(ben, birth="1955-08-08", date="2026-06-01")))
    assert (s25["divisor"], s26["divisor"]) == (18.8, 18.0)
    assert s25["required"] == pytest.approx(10000.0)
    assert s25["method"] == "spouse_life_expectancy"


def test_after_rbd_the_longer_of_the_two_life_expectancies(assess):
    # A beneficiary older than the owner (an eligible designated beneficiary, not more than
    # 10 years younger): the owner's remaining life expectancy is longer and is used. Owner
    # 75 in 2024 (14.8); beneficiary 80 in 2025 (11.2). 2026: max(14.8 - 2, 11.2 - 1) = 12.8.
    ben = {"deceased_birth_date": "1949-01-15", "date_of_death": "2024-09-01",
           "relationship": "individual", "prior_year_end_balance": 128000}
    r = assess(heir(ben, birth="1945-03-03", date="2026-03-01"))
    s = ben_route(r)
    assert s["kind"] == "close_in_age" and s["death_after_required_beginning_date"]
    assert s["divisor"] == pytest.approx(12.8) and s["required"] == pytest.approx(10000.0)
    assert "BN_LONGER_OF" in codes(r)


def test_death_before_versus_after_the_required_beginning_date(assess):
    # Born 1951-06: applicable age 73, reached in 2024; RBD April 1, 2025.
    base = {"deceased_birth_date": "1951-06-10", "relationship": "individual",
            "prior_year_end_balance": 100000}
    before = ben_route(assess(heir({**base, "date_of_death": "2025-03-31"}, birth="1980-01-01")))
    after = ben_route(assess(heir({**base, "date_of_death": "2025-04-01"}, birth="1980-01-01",
                                  date="2026-02-01")))
    assert before["required_beginning_date"] == "2025-04-01"
    assert not before["death_after_required_beginning_date"]
    assert before["method"] == "ten_year" and before["required"] == 0
    assert before["empty_by"] == "2035-12-31"
    assert after["death_after_required_beginning_date"]
    assert after["method"] == "ten_year_with_annual"
    # 46 in 2026, the first year after the death: 40.0 (the owner's 74 → 15.6 is shorter).
    assert after["divisor"] == 40.0 and after["required"] == pytest.approx(2500.0)


def test_still_working_participant_moves_the_rbd(assess):
    ben = {"deceased_birth_date": "1949-02-01", "date_of_death": "2024-05-01",
           "relationship": "individual", "required_beginning_date": "2025-04-01"}
    r = assess(heir(ben, birth="1980-01-01"))
    assert not ben_route(r)["death_after_required_beginning_date"]
    assert "BN_RBD_OVERRIDE" in codes(r)


def test_minor_child_switches_to_ten_years_at_21(assess):
    # Parent died in 2022 before the RBD; the child, born 2006-09-01, was 15. Life expectancy
    # from 17 in 2023 (68.0), reduced by one; 21 on 2027-09-01, so empty by 2037-12-31.
    ben = {"deceased_birth_date": "1975-01-01", "date_of_death": "2022-03-01",
           "relationship": "child", "prior_year_end_balance": 50000}
    s26 = ben_route(assess(heir(ben, birth="2006-09-01", date="2026-11-23")))
    assert s26["kind"] == "minor_child" and s26["method"] == "minor_then_ten_year"
    assert s26["divisor"] == pytest.approx(65.0) and s26["empty_by"] == "2037-12-31"
    # In the last year the whole account must go.
    s37 = ben_route(assess(heir(ben, birth="2006-09-01", date="2037-06-01")))
    assert s37["required"] == pytest.approx(100000) and s37["remaining"] == pytest.approx(100000)
    # A child already 21 at the death is an ordinary designated beneficiary.
    adult = ben_route(assess(heir(ben, birth="2000-09-01", date="2026-11-23")))
    assert adult["kind"] == "designated" and adult["empty_by"] == "2032-12-31"


def test_not_more_than_ten_years_younger(assess):
    ben = {"deceased_birth_date": "1960-05-01", "date_of_death": "2024-02-01",
           "relationship": "individual", "prior_year_end_balance": 100000}
    edge = ben_route(assess(heir(ben, birth="1970-05-01")))  # exactly ten years younger
    younger = ben_route(assess(heir(ben, birth="1970-05-02")))
    assert edge["kind"] == "close_in_age" and edge["method"] == "life_expectancy"
    assert younger["kind"] == "designated" and younger["method"] == "ten_year"
    # 55 in 2025 (31.6), reduced by one in 2025 → 2025 itself: 31.6.
    assert edge["divisor"] == 31.6


def test_non_designated_five_year_versus_owner_life_expectancy(assess):
    # Died at 65 in 2023, before the RBD: the 5-year rule, all by December 31, 2028.
    before = {"deceased_birth_date": "1958-01-10", "date_of_death": "2023-07-01",
              "relationship": "non_designated", "prior_year_end_balance": 100000}
    s = ben_route(assess(heir(before, birth="1990-01-01")))
    assert s["method"] == "five_year" and s["empty_by"] == "2028-12-31" and s["required"] == 0
    # A death in 2018: 2020 is not counted, so 2024 instead of 2023.
    old = ben_route(assess(heir({**before, "date_of_death": "2018-07-01"}, birth="1990-01-01",
                                date="2024-03-01")))
    assert old["empty_by"] == "2024-12-31" and old["required"] == pytest.approx(100000)
    # Died at 80 in 2024, after the RBD: the owner's life expectancy (11.2) less one a year.
    after = {"deceased_birth_date": "1944-03-01", "date_of_death": "2024-05-01",
             "relationship": "non_designated", "prior_year_end_balance": 92000}
    s = ben_route(assess(heir(after, birth="1990-01-01")))
    assert s["method"] == "deceased_life_expectancy" and s["divisor"] == pytest.approx(10.2)
    assert s["required"] == pytest.approx(92000 / 10.2, abs=0.01)


def test_spouse_under_59_half_own_account_owes_10_percent(assess):
    ben = {"deceased_birth_date": "1970-01-01", "date_of_death": "2025-01-20",
           "relationship": "spouse"}
    stay = assess(heir(ben, birth="1975-06-01", date="2026-11-23", **{"request.amount": 20000}))
    own = assess(heir({**ben, "spouse_election": "own"}, birth="1975-06-01", date="2026-11-23",
                      **{"request.amount": 20000}))
    o_stay, o_own = outcome(stay, "beneficiary"), outcome(own, "beneficiary")
    assert o_stay["additional_tax_72t"] == 0 and o_stay["form_1099r_codes"] == ["4"]
    assert any(x["code"] == "PX_DEATH" for x in o_stay["reasons"])
    assert o_own["additional_tax_72t"] == pytest.approx(2000.0)
    assert o_own["form_1099r_codes"] == ["1"]
    assert "BN_OWN_72T" in codes(own) and "BN_SPOUSE_OPTIONS" in codes(stay)
    # The spouse of an employee who died before the RBD need not start until he would have
    # reached his applicable age (75: born 1970 → 2045).
    assert ben_route(stay)["start_year"] == 2045 and ben_route(stay)["required"] == 0


def test_relief_years_for_missed_annual_rmds(assess):
    # Died in 2021 after the RBD: annual amounts under the 10-year rule. A missed 2023 amount
    # owes no excise (Notice 2023-54); a missed 2025 amount owes 25%, or 10% if corrected.
    ben = {"deceased_birth_date": "1945-01-01", "date_of_death": "2021-08-01",
           "relationship": "individual",
           "missed": [{"year": 2023, "shortfall": 4000}, {"year": 2025, "shortfall": 4200},
                      {"year": 2024, "shortfall": 4100, "corrected": True}]}
    r = assess(heir(ben, birth="1980-01-01", date="2026-11-23"))
    s = ben_route(r)
    by_year = {m["year"]: m for m in s["missed"]}
    assert by_year[2023]["excise"] == 0 and by_year[2023]["waived_by"] == "Notice 2023-54"
    assert by_year[2024]["waived_by"] == "Notice 2024-35"
    assert by_year[2025]["excise"] == pytest.approx(1050.0) and by_year[2025]["waived_by"] is None
    assert s["excise_missed"] == pytest.approx(1050.0)
    assert {"BN_RELIEF_NOTICE_2023_54", "BN_RELIEF_NOTICE_2024_35", "BN_EXCISE_OWED"} <= codes(r)
    corrected = assess(heir({**ben, "missed": [{"year": 2025, "shortfall": 4200,
                                                 "corrected": True}]},
                            birth="1980-01-01", date="2026-11-23"))
    assert ben_route(corrected)["excise_missed"] == pytest.approx(420.0)
    # No relief for a beneficiary on life expectancy: those amounts were always required.
    edb = assess(heir({**ben, "disabled": True}, birth="1980-01-01", date="2026-11-23"))
    assert ben_route(edb)["excise_missed"] == pytest.approx(4000 * 0.25 + 4200 * 0.25 + 4100 * 0.10)


def test_2024_annual_amount_is_waived_in_its_own_year(assess):
    ben = {"deceased_birth_date": "1945-01-01", "date_of_death": "2022-08-01",
           "relationship": "individual", "prior_year_end_balance": 100000}
    r = assess(heir(ben, birth="1980-01-01", date="2024-06-01"))
    assert ben_route(r)["required"] == 0 and "BN_RELIEF_THIS_YEAR" in codes(r)
    assert ben_route(assess(heir(ben, birth="1980-01-01", date="2025-06-01")))["required"] > 0


def test_roth_ira_owner_has_no_rbd_and_the_deceased_clock_counts(assess):
    ben = {"deceased_birth_date": "1940-01-01", "date_of_death": "2024-02-01",
           "relationship": "individual", "account": "ira", "roth": True}
    r = assess(heir(ben, birth="1990-01-01", **{
        "account.sources": {"rollover_roth": {"balance": 80000, "contributions": 30000,
                                              "first_year": 2015}},
        "request.amount": 10000}))
    s = ben_route(r)
    assert not s["death_after_required_beginning_date"] and s["method"] == "ten_year"
    assert s["required"] == 0 and s["empty_by"] == "2034-12-31"
    o = outcome(r, "beneficiary")
    assert o["taxable"] == 0 and o["form_1099r_codes"] == ["Q"]
    assert "BN_ROTH_IRA_NO_RBD" in codes(r)


def test_participant_routes_are_closed_to_a_beneficiary(assess):
    ben = {"deceased_birth_date": "1960-01-01", "date_of_death": "2024-01-01",
           "relationship": "individual"}
    r = assess(heir(ben, birth="1990-01-01", **{"plan.loans": {"allowed": True}}))
    open_routes = {s["route"] for s in r["route_summary"] if s["eligible"]}
    assert open_routes == {"beneficiary"}
    assert route(r, "loan")["maximum"] == 0
    # An ordinary case shows no beneficiary route at all.
    plain = assess(make())
    assert all(s["route"] != "beneficiary" for s in plain["route_summary"])


@pytest.mark.parametrize("changes, field", [
    ({"beneficiary.date_of_death": "2027-01-01"}, "beneficiary.date_of_death"),
    ({"person.birth_date": "2024-06-01"}, "person.birth_date"),
    ({"beneficiary.date_of_death": "1949-01-01"}, "beneficiary.date_of_death"),
    ({"beneficiary.relationship": "cousin"}, "beneficiary.relationship"),
    ({"beneficiary.spouse_election": "own"}, "beneficiary.spouse_election"),
    ({"beneficiary.account": "ira", "beneficiary.required_beginning_date": "2026-04-01"},
     "beneficiary.required_beginning_date"),
    ({"beneficiary.roth": True}, "beneficiary.roth"),
    ({"beneficiary.missed": [{"year": 2026, "shortfall": 10}]}, "beneficiary.missed.0.year"),
    ({"beneficiary.prior_year_end_balance": -5}, "beneficiary.prior_year_end_balance"),
])
def test_bad_input_names_the_field(changes, field):
    case = heir({"deceased_birth_date": "1950-01-01", "date_of_death": "2024-01-01",
                 "relationship": "individual"}, birth="1980-01-01", date="2026-11-23")
    for path, value in changes.items():
        keys = path.split(".")
        node = case
        for k in keys[:-1]:
            node = node[k]
        node[keys[-1]] = value
    with pytest.raises(InputError) as exc:
        parse_case(case)
    assert field in {p.field for p in exc.value.problems}, exc.value.problems


def test_eligible_designated_beneficiary_may_elect_the_ten_year_rule(assess):
    ben = {"deceased_birth_date": "1962-01-01", "date_of_death": "2024-03-01",
           "relationship": "individual", "disabled": True, "elected_ten_year": True}
    r = assess(heir(ben, birth="1990-01-01"))
    s = ben_route(r)
    assert s["method"] == "ten_year" and s["empty_by"] == "2034-12-31" and s["required"] == 0
    assert "BN_TEN_YEAR_ELECTED" in codes(r)
    # After the RBD the election is not open: life expectancy, and the output says why.
    late = assess(heir({**ben, "deceased_birth_date": "1945-01-01"}, birth="1990-01-01"))
    assert ben_route(late)["method"] == "life_expectancy"
    assert "BN_ELECTION_TOO_LATE" in codes(late)


@pytest.mark.parametrize(("plan", "death", "method", "required"), [
    # A governmental plan (§414(d)): the 10-year rule only for deaths after 2021 (SECURE Act
    # §401(b)). A child 37 in 2022 (Single Life Table 48.6), less one a year: 44.6 in 2026.
    ({"type": "governmental_457b", "governmental": True}, "2021-08-30", "life_expectancy",
     200000 / 44.6),
    ({"type": "403b7", "governmental": True}, "2021-08-30", "life_expectancy", 200000 / 44.6),
    ({"type": "governmental_457b", "governmental": True}, "2022-01-03", "ten_year", 0.0),
    # Any other plan: the 10-year rule for deaths after 2019.
    ({"type": "401k"}, "2021-08-30", "ten_year", 0.0),
])
def test_a_governmental_plans_ten_year_rule_starts_with_2022_deaths(assess, plan, death, method,
                                                                    required):
    ben = {"deceased_birth_date": "1958-01-12", "date_of_death": death, "relationship": "child",
           "prior_year_end_balance": 200000}
    r = assess(heir(ben, birth="1985-02-27", date="2026-11-23", balance=200000, plan=plan))
    s = ben_route(r)
    assert s["method"] == method and s["required"] == pytest.approx(required, abs=0.01)
    assert ("BN_GOVERNMENTAL_PRE_2022_DEATH" in codes(r)) == (method == "life_expectancy")
    assert (s["empty_by"] is None) == (method == "life_expectancy")


@pytest.mark.parametrize("election", ["beneficiary", "own"])
def test_the_year_of_death_rmd_is_paid_whatever_the_spouse_elects(assess, election):
    """Treas. Reg. §1.408-8(c) (Q&A-5(a) before T.D. 10001): a spouse who treats the account as
    their own in the year of death still takes the employee's RMD of that year, figured as if he
    had lived it: born 1948-09-15, 78 in 2026, Uniform Lifetime Table 22.0: 500,000 ÷ 22.0.
    The spouse (70) is not more than 10 years younger."""
    ben = {"deceased_birth_date": "1948-09-15", "date_of_death": "2026-03-08",
           "relationship": "spouse", "spouse_election": election,
           "prior_year_end_balance": 500000}
    r = assess(heir(ben, birth="1956-04-02", date="2026-11-23", balance=500000,
                    **{"request.amount": 10000}))
    s = ben_route(r)
    assert s["required"] == pytest.approx(22727.27, abs=0.01) and s["divisor"] == 22.0
    assert "BN_YEAR_OF_DEATH_RMD" in codes(r)


def test_the_year_of_death_rmd_takes_the_joint_table_for_a_much_younger_sole_spouse(assess):
    """Treas. Reg. §1.401(a)(9)-5(b)(5), (c): a spouse more than 10 years younger, sole
    beneficiary on January 1, keeps the joint table for the year of death: 78 and 58 → 29.6
    (Pub. 590-B, Table II), as the employee's own RMD route gives while he lives."""
    ben = {"deceased_birth_date": "1948-09-15", "date_of_death": "2026-03-08",
           "relationship": "spouse", "sole_beneficiary": True,
           "prior_year_end_balance": 500000}
    s = ben_route(assess(heir(ben, birth="1968-04-02", date="2026-11-23", balance=500000)))
    assert s["divisor"] == 29.6 and s["required"] == pytest.approx(500000 / 29.6, abs=0.01)
    # Not the sole beneficiary: the Uniform Lifetime Table.
    s = ben_route(assess(heir({**ben, "sole_beneficiary": False}, birth="1968-04-02",
                              date="2026-11-23", balance=500000)))
    assert s["divisor"] == 22.0
