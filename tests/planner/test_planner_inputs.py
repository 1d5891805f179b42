"""The drawdown planner's inputs: a survivor pension before its start, wages from an employer
other than the plan's, other income, and the Roth guesses said aloud.

Every expected figure is worked by hand from the rule cited beside it.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import household_schema, parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline

LAW = default_law()


def _table(case: dict) -> tuple[dict, dict[int, dict]]:
    j = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))
    return j, {r["year"]: r for r in j["table"]}


# --- 1. A survivor's pension after a death before the pension's start (IRC §417(c)(1)) -------

#: A (born January 10, 1976) has $3,000 a month from 65 with half paid on to B, and dies at the
#: end of 2027 (51). A would have reached 65 on January 10, 2041.
QPSA = {"id": "qpsa", "start_year": 2026,
        "people": [{"name": "A", "birth_date": "1976-01-10", "life_expectancy": 51,
                    "pension": {"monthly": 3000, "start_age": 65, "survivor_fraction": 0.5}},
                   {"name": "B", "birth_date": "1976-02-10", "life_expectancy": 90,
                    "accounts": {"ira": 600_000}}],
        "spending": {"annual": 30_000}, "strategy": {"objective": "max_estate"}}


def test_the_survivor_share_waits_for_the_year_the_holder_would_reach_the_start_age():
    """Nothing before 2041 (before: $18,000 a year from 2028, when B was 52); in 2041, from the
    month A would have attained 65 (January: "not later than the month in which the participant
    would have attained the earliest retirement age", 29 U.S.C. §1055(e)(1)(B)), 12 months ×
    $1,500 = $18,000; then 0.5 × $36,000 = $18,000 a year. The assumptions say why, citing
    §417(c)(1)."""
    j, rows = _table(QPSA)
    assert all(rows[y]["pension"] == 0 for y in range(2026, 2041))
    assert rows[2041]["pension"] == pytest.approx(18_000.00, abs=0.01)
    assert rows[2042]["pension"] == pytest.approx(18_000.00, abs=0.01)
    note = " ".join(j["assumptions"])
    assert "§417(c)(1)" in note and "2041" in note


def test_random_lifetimes_wait_for_the_start_age_too():
    """A path on which A dies in 2027: B's share is 0 through 2040, $18,000 in 2041 (from
    January, the month A would have attained 65)."""
    hh = parse_household(QPSA)
    everyone = hh.model_copy(update={"people": [p.model_copy(update={"life_expectancy": 95})
                                                for p in hh.people]})
    tl = build_timeline(everyone, LAW, keep_iras=True)
    death = np.array([[2027 - 2026, tl.T - 1]])
    lives = path_lives(everyone, tl, LAW, death)
    pension = dict(zip(tl.years.tolist(), lives.pension_fixed[0].tolist(), strict=True))
    assert all(pension[y] == 0 for y in range(2028, 2041))
    assert pension[2041] == pytest.approx(18_000.00, abs=0.01)
    assert pension[2042] == pytest.approx(18_000.00, abs=0.01)


def test_a_death_after_the_start_pays_the_share_the_next_year():
    """A dies at the end of 2042 (66), past the start: B has $18,000 from 2043, no note."""
    case = copy.deepcopy(QPSA)
    case["people"][0]["life_expectancy"] = 66
    j, rows = _table(case)
    assert rows[2043]["pension"] == pytest.approx(18_000.00, abs=0.01)
    assert "§417(c)(1)" not in " ".join(j.get("assumptions", []))


# --- 2. Wages from another employer (Treas. Reg. §1.401(a)(9)-2(b)(1)(ii)) ------------------

#: Sam (born June 10, 1952: 74 at the end of 2026) holds a former employer's $500,000 401(k)
#: and works part time elsewhere for $20,000 a year until 77.
PART_TIME = {"id": "part-time", "start_year": 2026,
             "people": [{"name": "Sam", "birth_date": "1952-06-10", "life_expectancy": 85,
                         "retirement_age": 77, "wages": 20_000,
                         "wages_from_plan_employer": False,
                         "social_security": {"monthly_at_full_age": 2000, "claim_age": 70},
                         "accounts": {"pretax": 500_000}}],
             "spending": {"annual": 50_000}, "strategy": {"objective": "max_estate"}}


def test_wages_from_another_employer_do_not_postpone_the_plan_rmd():
    """The still-working exception needs retirement from the employer maintaining the plan:
    2026's RMD is $500,000 ÷ 25.5 (Uniform Lifetime Table, 74) = $19,607.84 (before: none
    until 2029)."""
    _, rows = _table(PART_TIME)
    assert rows[2026]["rmd"] == pytest.approx(19_607.84, abs=0.01)
    assert rows[2027]["rmd"] > 0


def test_the_default_keeps_the_still_working_exception():
    """Wages from the plan's own employer still postpone it (§401(a)(9)(C)(i)(II))."""
    case = copy.deepcopy(PART_TIME)
    del case["people"][0]["wages_from_plan_employer"]
    tl = build_timeline(parse_household(case), LAW)
    plan = tl.pool_plan & (tl.pool_owner == 0)
    assert not tl.rmd_required[plan][0, :3].any()


def _young(**person) -> dict:
    """Jo (born March 1, 1968: 58 in 2026) left the plan's employer in 2024, at 56, and works
    elsewhere until 62."""
    p = {"name": "Jo", "birth_date": "1968-03-01", "life_expectancy": 90, "retirement_age": 62,
         "wages": 60_000, "accounts": {"pretax": 300_000}}
    p.update(person)
    return {"id": "jo", "start_year": 2026, "people": [p], "spending": {"annual": 40_000},
            "strategy": {"objective": "max_estate"}}


def test_wages_elsewhere_leave_the_plan_open_before_59_and_a_half():
    """The plan account of a former employer is not held back while the person works
    elsewhere (§401(k)(2)(B)(i) bars a payment only before severance from that employer)."""
    open_ = build_timeline(parse_household(_young(wages_from_plan_employer=False)), LAW)
    shut = build_timeline(parse_household(_young()), LAW)
    assert not open_.pool_in_service.any()
    assert shut.pool_in_service[:, 0].any()


def test_separated_at_55_from_the_plan_employer_counts_from_the_start():
    """Jo left the plan's employer at 56 (in the year of 55 or later): with wages from another
    employer the plan pays free of the 10% tax from 2026 (§72(t)(2)(A)(v)), not from 2030."""
    tl = build_timeline(parse_household(_young(wages_from_plan_employer=False,
                                               separated_at_55=True)), LAW)
    plan = tl.pool_plan & (tl.pool_owner == 0)
    assert not tl.early_tax[plan][0, 0]


def test_the_earnings_test_counts_wages_from_any_employer():
    """42 U.S.C. §403(f)(3) counts all wages: the same benefit is withheld either way."""
    case = _young(wages_from_plan_employer=False, retirement_age=64,
                  social_security={"monthly_at_full_age": 2000, "claim_age": 62})
    other = build_timeline(parse_household(case), LAW)
    case["people"][0]["wages_from_plan_employer"] = True
    own = build_timeline(parse_household(case), LAW)
    assert other.social_security_withheld.sum() > 0
    assert np.array_equal(other.social_security_withheld, own.social_security_withheld)


# --- 3. Other income ------------------------------------------------------------------------

#: Lee (born June 1, 1955: 71 at the end of 2026), no accounts, no Social Security, $40,000 a
#: year of rent (nominal) in 2026 only; nothing to spend.
RENT = {"id": "rent", "start_year": 2026,
        "people": [{"name": "Lee", "birth_date": "1955-06-01", "life_expectancy": 80}],
        "other_income": [{"annual": 40_000, "end_year": 2026, "indexed": False}],
        "spending": {"annual": 0}, "strategy": {"objective": "max_estate", "medicare": False}}


def test_other_income_is_in_agi_and_taxed_as_ordinary_income():
    """2026, single, 71: AGI $40,000; deductions $16,100 standard + $2,050 for age + $6,000
    senior deduction (Rev. Proc. 2025-32; §63(f); §151(d)(5)(C)) = $24,150; taxable $15,850;
    tax 10% × $12,400 + 12% × $3,450 = $1,654.00. 2027 has none."""
    _, rows = _table(RENT)
    assert rows[2026]["other_income"] == pytest.approx(40_000.00, abs=0.01)
    assert rows[2026]["agi"] == pytest.approx(40_000.00, abs=0.01)
    assert rows[2026]["taxable_income"] == pytest.approx(15_850.00, abs=0.01)
    assert rows[2026]["income_tax"] == pytest.approx(1_654.00, abs=0.01)
    assert rows[2027]["other_income"] == 0


def test_other_income_is_pennsylvania_income_not_wages():
    """Pennsylvania taxes the other classes of income at 3.07% (72 P.S. §7302): 3.07% ×
    $40,000 = $1,228.00 in 2026."""
    case = copy.deepcopy(RENT)
    case["state"] = "PA"
    _, rows = _table(case)
    assert rows[2026]["state_tax"] == pytest.approx(1_228.00, abs=0.01)


def test_other_income_is_not_wages_for_the_rmd_or_the_earnings_test():
    """Sam with the $20,000 as rent instead of wages: the RMD is owed in 2026, and no benefit
    is withheld (earnings are wages and self-employment income, §403(f)(3))."""
    case = copy.deepcopy(PART_TIME)
    person = case["people"][0]
    for k in ("wages", "retirement_age", "wages_from_plan_employer"):
        del person[k]
    person["social_security"] = {"monthly_at_full_age": 2000, "claim_age": 70}
    case["other_income"] = [{"annual": 20_000, "end_year": 2028}]
    tl = build_timeline(parse_household(case), LAW)
    assert tl.wages.sum() == 0 and tl.other_income[0, 0] == 20_000
    plan = tl.pool_plan & (tl.pool_owner == 0)
    assert tl.rmd_required[plan][0, 0]
    assert tl.social_security_withheld.sum() == 0


def test_indexed_other_income_grows_with_inflation_and_stops_at_death():
    """$10,000 indexed at 3% inflation: $10,300 in 2027; none after the person's last year."""
    case = copy.deepcopy(RENT)
    case["market"] = {"inflation": 0.03}
    case["other_income"] = [{"annual": 10_000}]
    case["people"][0]["life_expectancy"] = 72
    _, rows = _table(case)
    assert rows[2027]["other_income"] == pytest.approx(10_300.00, abs=0.01)
    assert max(rows) == 2027


@pytest.mark.parametrize(("item", "people", "field"), [
    ({"annual": 1, "person": 1}, 1, "other_income.0.person"),
    ({"annual": 1, "start_year": 2030, "end_year": 2029}, 1, "other_income.0.end_year"),
    ({"annual": 1, "start_year": 2025}, 1, "other_income.0.start_year"),
    ({"annual": 1, "end_year": 2090}, 1, "other_income.0.end_year"),
    ({"annual": -1}, 1, "other_income.0.annual"),
])
def test_bad_other_income_is_refused_naming_the_field(item, people, field):
    case = copy.deepcopy(RENT)
    case["other_income"] = [item]
    with pytest.raises(InputError) as exc:
        parse_household(case)
    assert field in str(exc.value)


def test_the_schema_shows_the_new_fields():
    schema = str(household_schema())
    assert "other_income" in schema and "wages_from_plan_employer" in schema


# --- 4. The Roth guesses, said ----------------------------------------------------------------

#: Sam (born February 20, 1970: 56 in 2026) with $100,000 of Roth money since 2012.
ROTH = {"id": "roth", "start_year": 2026,
        "people": [{"name": "Sam", "birth_date": "1970-02-20", "life_expectancy": 85,
                    "accounts": {"roth": 100_000, "roth_first_year": 2012}}],
        "spending": {"annual": 20_000}}


def _notes(case: dict) -> str:
    from dist401k.planner.plan import roth_notes

    hh = parse_household(case)
    return " ".join(roth_notes(hh, build_timeline(hh, LAW), LAW))


def test_missing_roth_contributions_is_said():
    """The whole balance is taken as contributions (§408A(d)(4)(B)): the plan says so and how
    to give the figure; and that Roth money is read as a Roth IRA's (§402A(d)(4))."""
    text = _notes(ROTH)
    assert "people.0.accounts.roth_contributions is not given" in text
    assert "§408A(d)(4)(B)" in text and "§402A(d)(4)" in text and "§72(e)(8)" in text


def test_given_contributions_leave_only_the_roth_ira_line():
    case = copy.deepcopy(ROTH)
    case["people"][0]["accounts"]["roth_contributions"] = 40_000
    text = _notes(case)
    assert "is not given" not in text and "§402A(d)(4)" in text


def test_no_roth_line_past_59_and_a_half():
    case = copy.deepcopy(ROTH)
    case["people"][0]["birth_date"] = "1960-02-20"
    assert _notes(case) == ""


def test_the_roth_help_no_longer_promises_tax_free_plan_roth_contributions():
    """The field's help says the planner reads all Roth money as a Roth IRA."""
    props = household_schema()["$defs"]["Accounts"]["properties"]
    assert "Roth IRA" in props["roth"]["description"]
    assert "§402A(d)(4)" in props["roth"]["description"]
    assert "withdrawable before 59½ without tax" not in props["roth_contributions"]["description"]
