"""The plan account (`accounts.pretax`, the plan of the employer paying the wages) before the
person leaves that employer, and the rule of 55 flag (docs/plan.md, "The rules every year").

D1. `people[].separated_at_55` states a separation from service in or after the calendar year
the person attains 55 (IRC §72(t)(2)(A)(v); Notice 87-13, Q&A-20: "during or after the calendar
year in which the employee attained age 55").  A household whose own facts contradict it — a
`retirement_age` whose calendar year comes before the year of 55, or an already retired person
(no `retirement_age`) who reaches 55 only after the plan's first year — is refused, naming
`people.N.separated_at_55`, the same through every door.  Where the flag is lawful and the
person still works (`retirement_age` later), the plan's 10% tax is spared only from the year
of separation.

D2. Before the year of separation and before the year of 59½ the plan pays nothing: elective
deferrals may not be distributed before severance from employment, death, disability or 59½
(IRC §401(k)(2)(B)(i); §403(b)(11)); a governmental 457(b) before the calendar year of 59½
(§457(d)(1)(A)).  Conversions in the plan stay allowed (§402A(c)(4)(E)); IRAs are untouched.

Every expected year below is worked by hand from the birth dates and the law's ages (55, 59½),
not read from the code."""

from __future__ import annotations

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.lp import optimise
from dist401k.planner.plan import fixed_returns
from dist401k.planner.simulate import Policy, simulate
from dist401k.planner.timeline import build_timeline

LAW = default_law()
FIELD = "people.0.separated_at_55"


def household(born: str, *, flag: bool = True, retire: float | None = None, wages: float = 0,
              accounts: dict | None = None, **rest) -> dict:
    person: dict = {"birth_date": born, "life_expectancy": 85,
                    "accounts": accounts or {"pretax": 500_000, "ira": 100_000}}
    if flag:
        person["separated_at_55"] = True
    if retire is not None:
        person["retirement_age"] = retire
    if wages:
        person["wages"] = wages
    return {"start_year": 2026, "people": [person], **rest}


def _refused(case: dict) -> InputError:
    with pytest.raises(InputError) as exc:
        parse_household(case)
    return exc.value


def _years(tl, mask) -> list[int]:
    return [int(y) for y, m in zip(tl.years, mask, strict=True) if m]


def _pool(tl, plan: bool) -> int:
    return int(np.nonzero(tl.pool_plan == plan)[0][0])


# --- D1: the flag against the household's own facts ---------------------------------------

@pytest.mark.parametrize(("born", "retire", "wages", "why"), [
    # 50 in 2026, already retired: left work at 50 at the latest, 55 only in 2031.
    ("1976-03-01", None, 0, "2031"),
    # Wages stop at 53, in 2025; the year of 55 is 2027.
    ("1972-03-01", 53, 100_000, "2027"),
    # Born November 1972: 54 in November 2026, the year of 55 is 2027.
    ("1972-11-01", 54, 100_000, "2027"),
])
def test_a_flag_its_household_contradicts_is_refused_by_name(born, retire, wages, why):
    err = _refused(household(born, retire=retire, wages=wages))
    assert [p.field for p in err.problems] == [FIELD], err.problems
    text = err.problems[0].problem
    assert why in text and "§72(t)(2)(A)(v)" in text
    assert "\n" not in str(err)


@pytest.mark.parametrize(("born", "retire", "wages"), [
    ("1966-03-01", None, 0),            # 60 now, retired (at 56, say): lawful
    ("1971-06-01", None, 0),            # turns 55 in 2026, the plan's first year
    ("1972-03-01", 54.9, 100_000),      # wages stop in January 2027, the year of 55
    ("1969-03-01", 60, 100_000),        # still working at 57, leaves at 60 (2029)
])
def test_a_flag_its_household_allows_is_taken(born, retire, wages):
    hh = parse_household(household(born, retire=retire, wages=wages))
    assert hh.people[0].separated_at_55


def test_the_reviewer_cases_before_the_fix_freed_the_plan_early():
    """The already-retired 50-year-old: before, the plan pool was free of the 10% from 2031;
    now the household is refused (above).  The 57-year-old still working to 60: below."""
    case = household("1969-03-01", retire=60, wages=100_000)
    tl = build_timeline(parse_household(case), LAW)
    # 59½ in September 2028: the IRA's 10% years are 2026 and 2027.  The plan's too: the
    # separation comes in 2029, so the rule of 55 spares nothing before it (before: no year).
    assert _years(tl, tl.early_tax[_pool(tl, False)]) == [2026, 2027]
    assert _years(tl, tl.early_tax[_pool(tl, True)]) == [2026, 2027]


def test_the_rule_of_55_spares_the_plan_only_from_the_year_of_separation():
    # Born July 1970: 55 in 2025, 59½ in January 2030; wages stop at 57, in July 2027.
    tl = build_timeline(parse_household(household("1970-07-01", retire=57, wages=80_000)), LAW)
    assert _years(tl, tl.early_tax[_pool(tl, False)]) == [2026, 2027, 2028, 2029]
    assert _years(tl, tl.early_tax[_pool(tl, True)]) == [2026]


def test_an_already_retired_person_keeps_the_rule_of_55():
    # Born February 1970 (the shipped early retiree): 56 in 2026, left work before it; 59½ in
    # August 2029, so the IRA's 10% years are 2026-2028 and the plan has none.
    tl = build_timeline(parse_household(household("1970-02-20")), LAW)
    assert _years(tl, tl.early_tax[_pool(tl, True)]) == []
    assert _years(tl, tl.early_tax[_pool(tl, False)]) == [2026, 2027, 2028]


def test_cli_and_api_refuse_the_flag_alike(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.cli import app
    from dist401k.store import Store

    case = household("1976-03-01")
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert r.exit_code == 2, r.output
    assert FIELD in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1, r.output
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'store.db'}"), token=""),
                        raise_server_exceptions=False)
    res = client.post("/plan?paths=0", json=case)
    assert res.status_code == 422, res.text
    detail = res.json()["detail"]
    assert [".".join(map(str, d["loc"])) for d in detail] == [f"body.{FIELD}"]
    assert f"{FIELD}: {detail[0]['msg']}" in " ".join(r.output.split())


# --- D2: the plan pays nothing in service before 59½ ---------------------------------------

#: The reviewer's household (p2b): born March 1969, 57 in 2026, wages to 60 (2029), the plan
#: account alone.  59½ falls in September 2028: the plan may pay from 2028.
WORKING = household("1969-03-01", flag=False, retire=60, wages=30_000,
                    accounts={"pretax": 800_000},
                    spending={"bequest": 0}, strategy={"objective": "max_spending",
                                                       "heirs_rate": 0.2})


def test_the_timeline_shuts_the_plan_in_service_before_59_half():
    tl = build_timeline(parse_household(WORKING), LAW)
    assert _years(tl, tl.pool_in_service[_pool(tl, True)]) == [2026, 2027]


def test_the_ira_and_a_household_that_does_not_work_are_untouched():
    case = household("1969-03-01", flag=False, retire=60, wages=30_000)
    tl = build_timeline(parse_household(case), LAW)
    assert not tl.pool_in_service[_pool(tl, False)].any()
    for other in (household("1969-03-01", flag=False),                    # no retirement_age
                  household("1969-03-01", flag=False, retire=60),         # no wages
                  household("1960-03-01", flag=False, retire=70, wages=1)):  # past 59½
        assert not build_timeline(parse_household(other), LAW).pool_in_service.any()


def test_the_optimiser_draws_nothing_from_the_plan_in_service():
    hh = parse_household(WORKING)
    tl = build_timeline(hh, LAW)
    sol = optimise(hh, tl, LAW)
    k = _pool(tl, True)
    assert np.all(np.abs(sol.pretax_withdrawals[k, :2]) < 0.5), sol.pretax_withdrawals[k, :3]
    assert sol.pretax_withdrawals[k, 2] > 1_000  # 2028, the year of 59½: open


@pytest.mark.parametrize("policy", [
    Policy("order"), Policy("systematic"), Policy("fill", fill_rate=0.22),
    Policy("schedule", conversions=np.zeros((1, 60)), pretax_withdrawals=np.full((1, 60), 50e3)),
])
def test_every_strategy_draws_nothing_from_the_plan_in_service(policy):
    hh = parse_household(WORKING)
    tl = build_timeline(hh, LAW)
    if policy.kind == "schedule":
        policy.conversions = policy.conversions[:, :tl.T]
        policy.pretax_withdrawals = policy.pretax_withdrawals[:, :tl.T]
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), policy, 60_000.0)
    assert np.all(res["pretax_withdrawal"][0, :2] == 0.0), res["pretax_withdrawal"][0, :3]
    assert np.all(res["additional_tax_72t"][0, :2] == 0.0)
    assert res["pretax_withdrawal"][0, 2] > 0.0  # 2028, the year of 59½
    if policy.kind == "fill":  # no money to pay a conversion's tax: the plan pays none of it
        assert np.all(res["conversion"][0, :2] == 0.0)


def test_bracket_filling_converts_the_plan_in_service_as_far_as_other_money_pays_its_tax():
    """An in-plan Roth conversion of money not yet distributable is lawful (§402A(c)(4)(E)):
    with $40,000 of cash and wages above the need, the strategy converts in 2026, pays the tax
    from that money, and takes nothing out of the plan."""
    hh = parse_household(dict(WORKING, cash=40_000))
    tl = build_timeline(hh, LAW)
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("fill", fill_rate=0.22),
                   20_000.0)
    assert res["conversion"][0, 0] > 1_000
    assert res["pretax_withdrawal"][0, 0] == 0.0
    assert res["shortfall"][0, 0] < 1.0


def test_a_governmental_457b_in_service_leaves_the_ira_to_pay():
    """Born July 1970, wages to 60 (2030), a governmental 457(b) (free of the 10% tax,
    §72(t)(9)) and an IRA: in 2026 the 457(b) pays nothing in service (§457(d)(1)(A): not
    before the calendar year of 59½, 2030), so the IRA pays, with its 10% tax: 10% of it."""
    case = household("1970-07-01", flag=False, retire=60, wages=50_000,
                     accounts={"pretax": 300_000, "governmental_457b": True, "ira": 100_000})
    hh = parse_household(case)
    tl = build_timeline(hh, LAW)
    assert _years(tl, tl.pool_in_service[_pool(tl, True)]) == [2026, 2027, 2028, 2029]
    res = simulate(hh, tl, LAW, fixed_returns(hh, LAW, tl.T), Policy("order"), 80_000.0)
    took = res["pretax_withdrawal"][0, 0]
    assert took > 0.0
    assert res["additional_tax_72t"][0, 0] == pytest.approx(0.10 * took, abs=0.01)


def test_a_spending_the_plan_cannot_pay_in_service_names_the_retirement_age():
    # $35,000 a year: more than $30,000 of wages pay after their tax in 2026 and 2027, less
    # than the plan pays once it may (its most is about $43,000 with the plan open).
    case = dict(WORKING, spending={"annual": 35_000},
                strategy={"objective": "max_estate", "heirs_rate": 0.2})
    hh = parse_household(case)
    with pytest.raises(InputError) as exc:
        optimise(hh, build_timeline(hh, LAW), LAW)
    fields = [p.field for p in exc.value.problems]
    assert "people.0.retirement_age" in fields, exc.value.problems
    text = next(p.problem for p in exc.value.problems if p.field == "people.0.retirement_age")
    assert "§401(k)(2)(B)" in text and "\n" not in text
