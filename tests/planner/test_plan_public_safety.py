"""The public safety exception in the drawdown plan (docs/plan.md, `people[].public_safety`).

IRC §72(t)(10)(A), as amended by SECURE 2.0 §§308, 329: the rule of 55 (§72(t)(2)(A)(v))
applies with "age 50 or 25 years of service under the plan, whichever is earlier" in place of
55 to a qualified public safety employee's distribution from a governmental plan, and to a
firefighter's from any §401(a) plan or 403(b).  Pub. 575 says it as "separation from service in
or after the year you reach age 50".  So the plan account (not an IRA) pays free of the 10% tax
from such a separation; a separation before the year of 50, short of 25 years of service, is
refused when the flag claims it, as the rule of 55's flag is.

Every expected year below is worked by hand from the birth dates and the law's ages (50, 55,
59½) and years (25), not read from the code."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.timeline import build_timeline

LAW = default_law()
FIELD = "people.0.public_safety"
SERVICE = "people.0.years_of_service_at_retirement"


def sam(**person) -> dict:
    """The reviewer's retired officer: born January 10, 1974, left his governmental 401(a)'s
    employer at 50 (January 2024), a pension of $2,000 a month from 50, $400,000 in the plan."""
    return {"id": "plan-cop", "start_year": 2026,
            "people": [{"name": "Sam", "birth_date": "1974-01-10", "life_expectancy": 85,
                        "retirement_age": 50,
                        "pension": {"monthly": 2000, "start_age": 50, "indexed": False,
                                    "survivor_fraction": 0},
                        "accounts": {"pretax": 400000}, **person}],
            "cash": 10000, "spending": {"annual": 60000, "bequest": 0},
            "market": {"stocks": 0.05, "bonds": 0.04, "cash": 0.03, "stock_share": 0.5},
            "strategy": {"objective": "max_spending", "heirs_rate": 0.2}}


def household(born: str, *, retire: float | None = None, wages: float = 0, flag: bool = True,
              **person) -> dict:
    p: dict = {"birth_date": born, "life_expectancy": 85,
               "accounts": {"pretax": 300_000, "ira": 100_000}, **person}
    if flag:
        p["public_safety"] = True
    if retire is not None:
        p["retirement_age"] = retire
    if wages:
        p["wages"] = wages
    return {"start_year": 2026, "people": [p]}


def _years(tl, mask) -> list[int]:
    return [int(y) for y, m in zip(tl.years, mask, strict=True) if m]


def _pool(tl, plan: bool) -> int:
    return int(np.nonzero(tl.pool_plan == plan)[0][0])


def _early(case: dict) -> tuple[list[int], list[int]]:
    """The years the plan pool, and the IRA pool, owe the 10% tax on a withdrawal."""
    tl = build_timeline(parse_household(case), LAW)
    return (_years(tl, tl.early_tax[_pool(tl, True)]),
            _years(tl, tl.early_tax[_pool(tl, False)]))


def _refused(case: dict) -> InputError:
    with pytest.raises(InputError) as exc:
        parse_household(case)
    return exc.value


def _plan_rows(tmp_path, case: dict) -> list[dict]:
    from dist401k.cli import app

    path = tmp_path / "plan.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--format", "json", "--no-monte-carlo"])
    assert r.exit_code == 0, r.output
    return json.loads(r.output)["table"]


# --- the reviewer's Sam ---------------------------------------------------------------------

def test_sam_with_public_safety_owes_no_10_percent_tax_in_any_year(tmp_path):
    rows = _plan_rows(tmp_path, sam(public_safety=True))
    assert [r["additional_tax_72t"] for r in rows] == [0.0] * len(rows)
    # The plan pays before 59½ (July 2033), now free of the tax.
    assert sum(r["pretax_withdrawal"] for r in rows if r["year"] <= 2032) > 0


def test_sam_without_it_is_charged_the_10_percent_tax(tmp_path):
    rows = _plan_rows(tmp_path, sam())
    assert sum(r["additional_tax_72t"] for r in rows) > 0
    # Only before the year of 59½ (July 10, 2033): 2026-2032.
    assert all(r["additional_tax_72t"] == 0 for r in rows if r["year"] >= 2033)


def test_sams_timeline_frees_the_plan_but_not_an_ira():
    # 59½ in July 2033: the 10% years of an IRA are 2026-2032, with or without the flag.
    case = sam(public_safety=True)
    case["people"][0]["accounts"] = {"pretax": 400000, "ira": 50000}
    plan, ira = _early(case)
    assert plan == [] and ira == list(range(2026, 2033))
    case["people"][0].pop("public_safety")
    plan, ira = _early(case)
    assert plan == ira == list(range(2026, 2033))


# --- the separation's year against 50 and 25 years -------------------------------------------

def test_a_separation_at_49_in_the_year_before_50_is_taxed_until_59_half():
    # Born March 1977: wages stop at 49 (March 2026); the year of 50 is 2027; 59½ in September
    # 2036.  Claiming the exception is refused; without the claim the plan is taxed 2026-2035.
    err = _refused(household("1977-03-01", retire=49, wages=90_000))
    assert [p.field for p in err.problems] == [FIELD], err.problems
    text = err.problems[0].problem
    assert "2026" in text and "2027" in text and "§72(t)(10)" in text
    assert "\n" not in str(err)
    plan, ira = _early(household("1977-03-01", retire=49, wages=90_000, flag=False))
    assert plan == ira == list(range(2026, 2036))


def test_25_years_of_service_free_a_separation_before_50():
    # The same officer with 25 years under the plan at 49: free from the separation (2026).
    plan, ira = _early(household("1977-03-01", retire=49, wages=90_000,
                                 years_of_service_at_retirement=25))
    assert plan == [] and ira == list(range(2026, 2036))
    err = _refused(household("1977-03-01", retire=49, wages=90_000,
                             years_of_service_at_retirement=24))
    assert [p.field for p in err.problems] == [FIELD]


def test_the_plan_is_free_only_from_the_year_of_separation():
    # Born June 1974: 50 in 2024, still working to 54 (June 2028); 59½ in December 2033.
    # The plan's 10% years are those before the separation, 2026-2027; the IRA's 2026-2032.
    plan, ira = _early(household("1974-06-01", retire=54, wages=80_000))
    assert plan == [2026, 2027] and ira == list(range(2026, 2033))


def test_a_separation_in_the_year_of_50_before_the_birthday_counts():
    # Born November 1976: retiring at 49½ (May 2026), in the year of 50 (November 2026).
    plan, _ = _early(household("1976-11-01", retire=49.5, wages=70_000))
    assert plan == []


@pytest.mark.parametrize(("born", "ok"), [
    ("1976-05-01", True),    # already retired, turns 50 in 2026, the plan's first year: taken
    ("1977-05-01", False),   # turns 50 only in 2027: left work before 50
])
def test_an_already_retired_person(born, ok):
    case = household(born)
    if ok:
        assert _early(case)[0] == []
    else:
        err = _refused(case)
        assert [p.field for p in err.problems] == [FIELD]
        assert "2027" in err.problems[0].problem


def test_an_already_retired_person_with_25_years_is_taken_before_50():
    plan, ira = _early(household("1980-05-01", years_of_service_at_retirement=26))
    assert plan == [] and ira[0] == 2026


@pytest.mark.parametrize(("person", "why"), [
    ({"years_of_service_at_retirement": 25}, "without public_safety"),
    ({"public_safety": True, "retirement_age": 50, "years_of_service_at_retirement": 51},
     "more than retirement_age"),
])
def test_years_of_service_its_household_contradicts_are_refused(person, why):
    case = household("1974-06-01", flag=False, **person)
    err = _refused(case)
    assert [p.field for p in err.problems] == [SERVICE]
    assert why in err.problems[0].problem


def test_cli_and_api_refuse_the_flag_alike(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.cli import app
    from dist401k.store import Store

    case = household("1977-05-01")
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


def test_the_plan_schema_has_the_fields():
    from dist401k.planner.household import Household

    person = Household.model_json_schema()["$defs"]["Person"]["properties"]
    assert person["public_safety"]["type"] == "boolean"
    assert "§72(t)(10)" in person["public_safety"]["description"]
    assert "years_of_service_at_retirement" in person
