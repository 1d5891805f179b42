"""An inherited account's inputs in a drawdown plan (``inherited[]``), checked in the plan's
own terms and named by their full path, the same through the command line and the API.

1. A plan starts on January 1 of ``start_year`` with the account's ``balance``: a case's
   ``missed`` (RMDs missed in earlier years, the §4974 excise), ``prior_year_end_balance`` and
   ``distributed_this_year`` have no place in it.  The plan used to take them and drop them
   without a word (a $50,000 missed 2025 RMD gave the same plan as none, where ``dist401k
   assess`` prices the 25% excise, §4974(a), 10% if corrected in time, §4974(e)): it now
   refuses each, naming it.
2. An account whose deadline passed before the plan's first year is a missed required
   distribution, whole (Treas. Reg. §1.401(a)(9)-3(c)(2), -5(e)(1)): the plan used to show
   it as the first year's routine minimum.  Worked by hand: the estate of an owner born
   1960-01-01 who died 2019-06-01, before the required beginning date (age 73 in 2033, IRC
   §401(a)(9)(C)(i)(II)), is a non-designated beneficiary under the 5-year rule
   (§401(a)(9)(B)(ii); Treas. Reg. §1.401(a)(9)-3(c)(4)): empty by December 31 of the 5th
   year after the death, 2024, with 2020 not counted (CARES Act §2203; Treas. Reg.
   §1.401(a)(9)-3(c)(2)) — December 31, 2025.  A plan starting in 2026 is refused, naming
   that date, the same as ``assess`` says it ("The account should already be empty").  A 2021
   death has its deadline at the end of 2026 (2021 + 5, no year disregarded after 2020): a
   plan starting in 2026 is not overdue and runs.
3. The case's own checks of a beneficiary name the field under ``inherited.N.beneficiary``
   (they used to say ``beneficiary.…``, a section a plan file does not have), and a
   deceased's birth date in the future names ``deceased_birth_date``, not the death date.
"""

from __future__ import annotations

import copy
import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.planner.household import parse_household
from dist401k.store import Store

#: The reviewer's case 3 (c3.yaml): a widow of 66 with an IRA inherited from her mother.
C3 = {
    "id": "c3", "start_year": 2026,
    "people": [{"name": "Wren", "sex": "female", "birth_date": "1960-06-15",
                "life_expectancy": 92,
                "social_security": {"monthly_at_full_age": 2100, "claim_age": 67},
                "accounts": {"pretax": 450000}}],
    "inherited": [{"heir": 0, "balance": 300000, "beneficiary": {
        "deceased_birth_date": "1935-05-01", "date_of_death": "2024-03-10",
        "relationship": "child", "account": "ira"}}],
    "taxable": {"balance": 80000, "basis": 70000}, "cash": 30000,
    "spending": {"annual": 65000}, "strategy": {"objective": "max_spending"},
    "monte_carlo": {"paths": 20, "seed": 4}, "magi_history": [70000, 70000],
}


def _case(inherited: list[dict] | None = None, **ben) -> dict:
    raw = copy.deepcopy(C3)
    if inherited is not None:
        raw["inherited"] = inherited
    raw["inherited"][-1]["beneficiary"].update(ben)
    return raw


def _problems(raw: dict) -> dict[str, str]:
    with pytest.raises(InputError) as err:
        parse_household(raw)
    return {p.field: p.problem for p in err.value.problems}


# 1. missed, prior_year_end_balance, distributed_this_year -----------------------------------

@pytest.mark.parametrize("field,value", [
    ("missed", [{"year": 2025, "shortfall": 50000}]),
    ("prior_year_end_balance", 999999),
    ("distributed_this_year", 12345),
])
def test_a_case_only_input_of_an_inherited_account_is_refused_by_name(field, value):
    problems = _problems(_case(**{field: value}))
    assert list(problems) == [f"inherited.0.beneficiary.{field}"]
    assert "\n" not in problems[f"inherited.0.beneficiary.{field}"]


def test_the_missed_rmd_points_at_the_excise_and_assess():
    why = _problems(_case(missed=[{"year": 2025, "shortfall": 50000}]))[
        "inherited.0.beneficiary.missed"]
    assert "4974" in why and "dist401k assess" in why


def test_all_three_are_named_at_once_in_the_second_account():
    second = copy.deepcopy(C3["inherited"][0])
    problems = _problems(_case([copy.deepcopy(C3["inherited"][0]), second],
                               missed=[{"year": 2025, "shortfall": 50000}],
                               prior_year_end_balance=1, distributed_this_year=1))
    assert sorted(problems) == [f"inherited.1.beneficiary.{f}" for f in (
        "distributed_this_year", "missed", "prior_year_end_balance")]


def test_their_defaults_as_the_api_echoes_them_are_taken():
    """The API parses the body's model dump: every field present, at its default."""
    raw = _case(missed=[], prior_year_end_balance=None, distributed_this_year=0)
    assert parse_household(raw).inherited[0].balance == 300000


# 2. an account already past its deadline -----------------------------------------------------

ESTATE = dict(deceased_birth_date="1960-01-01", relationship="non_designated")


def test_an_account_past_its_deadline_before_the_start_is_refused_with_the_deadline():
    problems = _problems(_case(date_of_death="2019-06-01", **ESTATE))
    assert list(problems) == ["inherited.0.balance"]
    assert "December 31, 2025" in problems["inherited.0.balance"]
    assert "4974" in problems["inherited.0.balance"]


def test_an_account_whose_deadline_is_the_first_year_still_plans():
    """A 2021 death: empty by December 31, 2026, the plan's first year, not overdue."""
    assert parse_household(_case(date_of_death="2021-06-01", **ESTATE)).inherited


@pytest.mark.parametrize("start,overdue", [(2030, False), (2031, True)])
def test_the_ten_year_rules_deadline_passed_before_the_start(start, overdue):
    """Wren (born 1960) inherits from an owner born 1930 who died 2020-06-01: more than 10
    years younger, a designated beneficiary who is not an eligible one, under the 10-year rule
    (IRC §401(a)(9)(H)(i), (E)(ii)(V)): empty by December 31, 2030."""
    raw = _case(deceased_birth_date="1930-01-01", date_of_death="2020-06-01",
                relationship="individual")
    raw["start_year"] = start
    if overdue:
        assert "December 31, 2030" in _problems(raw)["inherited.0.balance"]
    else:
        assert parse_household(raw).inherited


def test_the_api_refuses_an_overdue_account_by_its_path(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""),
                        raise_server_exceptions=False)
    r = client.post("/plan?paths=0", json=_case(date_of_death="2019-06-01", **ESTATE))
    assert r.status_code == 422, r.text
    assert [d["loc"] for d in r.json()["detail"]] == [["body", "inherited", 0, "balance"]]


def test_an_emptied_account_past_its_deadline_is_not_overdue():
    raw = _case(date_of_death="2019-06-01", **ESTATE)
    raw["inherited"][0]["balance"] = 0
    assert parse_household(raw).inherited[0].balance == 0


# 3. the beneficiary's own checks, with their full path ---------------------------------------

@pytest.mark.parametrize("ben,field,words", [
    (dict(deceased_birth_date="2030-01-01"), "deceased_birth_date", "is not before January 1, 2026"),
    (dict(deceased_birth_date="1990-01-01", date_of_death="1985-01-01"), "date_of_death",
     "is before deceased_birth_date"),
    (dict(spouse_election="own"), "spouse_election", "only a surviving spouse"),
])
def test_a_beneficiarys_own_check_names_the_field_under_its_account(ben, field, words):
    second = copy.deepcopy(C3["inherited"][0])
    problems = _problems(_case([copy.deepcopy(C3["inherited"][0]), second], **ben))
    assert list(problems) == [f"inherited.1.beneficiary.{field}"]
    assert words in problems[f"inherited.1.beneficiary.{field}"]


def test_the_command_line_and_the_api_name_the_same_full_path(tmp_path):
    raw = _case(deceased_birth_date="2030-01-01")
    path = tmp_path / "case.json"
    path.write_text(json.dumps(raw))
    out = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert out.exit_code == 2, out.output
    assert out.output.startswith("error: case.json: inherited.0.beneficiary.deceased_birth_date: ")
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""),
                        raise_server_exceptions=False)
    r = client.post("/plan?paths=0", json=raw)
    assert r.status_code == 422, r.text
    assert [d["loc"] for d in r.json()["detail"]] == [
        ["body", "inherited", 0, "beneficiary", "deceased_birth_date"]]


def test_the_api_refuses_a_missed_rmd_by_its_full_path(tmp_path):
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 's.db'}"), token=""),
                        raise_server_exceptions=False)
    r = client.post("/plan?paths=0", json=_case(missed=[{"year": 2025, "shortfall": 50000}]))
    assert r.status_code == 422, r.text
    assert [d["loc"] for d in r.json()["detail"]] == [
        ["body", "inherited", 0, "beneficiary", "missed"]]
