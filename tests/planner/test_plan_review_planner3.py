"""A review of the drawdown plan on unusual households (planner3), its findings 1–3 and the
year-by-year table's heading.

1. ``wages`` with no ``retirement_age`` (the person is taken as already retired), or with one
   reached before the plan's first year, would be paid in no year: refused, naming the field,
   as ``separated_at_55``'s and ``public_safety``'s contradictions are.  Wages run to the month
   ``retirement_age`` is reached (docs/plan.md, `people[].retirement_age`), so one reached in
   January of the start year still pays January's wages: 1/12 of the year's.
2. An estate shown above the federal estate tax's basic exclusion — $15,000,000 for a death in
   2026 (IRC §2010(c)(3) as P.L. 119-21 §70106 set it; Rev. Proc. 2025-32) — is said to be before
   the estate tax of IRC §2001 (docs/plan.md, "Not modelled").
3. In a state whose exclusion depends on plan-versus-IRA money (docs/plan.md, "State income tax":
   NY, CO, PA, MS, AR, MI), a person holding both is told the optimiser does not choose between
   them for it.

Every expected figure is worked by hand from the law or the birth dates, not read from the
program."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.timeline import build_timeline


def _person(born: str, **more) -> dict:
    return {"name": "P", "birth_date": born, "life_expectancy": 90,
            "accounts": {"pretax": 100_000}, **more}


def _case(*people: dict, **more) -> dict:
    return {"id": "planner3", "start_year": 2026, "people": list(people),
            "spending": {"annual": 30_000}, **more}


def _refused(case: dict) -> InputError:
    with pytest.raises(InputError) as err:
        parse_household(case)
    return err.value


# --- 1. wages that no year would pay ---------------------------------------------------------

def test_wages_with_no_retirement_age_are_refused_naming_wages():
    err = _refused(_case(_person("1966-01-10", wages=80_000)))
    assert [p.field for p in err.problems] == ["people.0.wages"]
    assert "retirement_age" in err.problems[0].problem


@pytest.mark.parametrize("born", ["1956-01-01", "1960-12-10"])
def test_a_retirement_age_reached_before_the_start_year_is_refused(born):
    """Born January 1956, 65 is reached in January 2021; born December 10, 1960, in December
    2025 — the month before the plan's first year: no wages would be paid in any year."""
    err = _refused(_case(_person(born, wages=80_000, retirement_age=65)))
    assert [p.field for p in err.problems] == ["people.0.retirement_age"]
    assert "2026" in err.problems[0].problem and "wages" in err.problems[0].problem


def test_the_second_person_is_named_by_index():
    ok = _person("1960-01-10")
    err = _refused(_case(ok, _person("1962-03-03", wages=50_000)))
    assert [p.field for p in err.problems] == ["people.1.wages"]


@pytest.mark.parametrize("born, first_year_wages", [
    ("1961-01-10", 80_000 / 12),  # 65 reached in January 2026: January's wages
    ("1961-06-10", 80_000 / 2),   # 65 reached in June 2026: January to June
])
def test_a_retirement_age_reached_in_the_start_year_pays_its_months(born, first_year_wages):
    hh = parse_household(_case(_person(born, wages=80_000, retirement_age=65)))
    tl = build_timeline(hh, default_law())
    assert tl.wages[0][0] == pytest.approx(first_year_wages, abs=0.01)
    assert tl.wages[0][1] == 0


def test_wages_of_zero_or_a_retirement_age_alone_stay_accepted():
    parse_household(_case(_person("1956-01-01", retirement_age=65)))
    parse_household(_case(_person("1966-01-10", wages=0)))


def _app_and_client(tmp_path):
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.cli import app
    from dist401k.store import Store

    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'store.db'}"), token=""),
                        raise_server_exceptions=False)
    return app, client


@pytest.mark.parametrize("person, field", [
    (_person("1966-01-10", wages=80_000), "people.0.wages"),
    (_person("1956-01-01", wages=80_000, retirement_age=65), "people.0.retirement_age"),
])
def test_cli_and_api_refuse_the_wages_alike(tmp_path, person, field):
    app, client = _app_and_client(tmp_path)
    case = _case(person)
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert r.exit_code == 2, r.output
    assert field in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1, r.output
    res = client.post("/plan?paths=0", json=case)
    assert res.status_code == 422, res.text
    assert [".".join(map(str, d["loc"])) for d in res.json()["detail"]] == [f"body.{field}"]


def test_the_plan_schema_says_wages_need_a_retirement_age():
    from dist401k.planner.household import Household

    person = Household.model_json_schema()["$defs"]["Person"]["properties"]
    assert "retirement_age" in person["wages"]["description"]
    assert "refused" in person["retirement_age"]["description"]


# --- 2. an estate above the federal estate tax's basic exclusion ------------------------------

EXCLUSION_2026 = 15_000_000  # IRC §2010(c)(3)(A) as amended by P.L. 119-21; Rev. Proc. 2025-32


def _fake_plan(*estates: float):
    strategies = [SimpleNamespace(label=f"S{k}", estate_real=x) for k, x in enumerate(estates)]
    return SimpleNamespace(household=SimpleNamespace(start_year=2026), strategies=strategies)


def test_an_estate_at_the_exclusion_gets_no_line_one_above_it_does():
    from dist401k.planner.plan import estate_tax_notes

    law = default_law()
    assert estate_tax_notes(_fake_plan(EXCLUSION_2026, 1_000), law) == []
    notes = estate_tax_notes(_fake_plan(1_000, EXCLUSION_2026 + 1, EXCLUSION_2026 + 0.5), law)
    assert len(notes) == 1
    assert "S1" in notes[0] and "15,000,000" in notes[0]
    assert "§2001" in notes[0] and "§2010(c)" in notes[0] and "2026 dollars" in notes[0]


def _run(tmp_path, case: dict, *fmt: str):
    from dist401k.cli import app

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo", *fmt])
    assert r.exit_code == 0, r.output
    return r.output


def test_a_fifty_million_estate_says_it_is_before_the_estate_tax(tmp_path):
    """The reviewer's case: one person of 76 with $50M pre-tax and $1M a year of spending,
    max_estate — its estate is far above $15M in any strategy that pays the need."""
    case = {"id": "e2", "start_year": 2026,
            "people": [{"name": "B", "birth_date": "1950-01-20", "life_expectancy": 95,
                        "accounts": {"pretax": 50_000_000}}],
            "strategy": {"objective": "max_estate"}, "magi_history": [3_000_000, 3_000_000],
            "spending": {"annual": 1_000_000}}
    j = json.loads(_run(tmp_path, case, "-f", "json"))
    lines = [a for a in j.get("assumptions", []) if "§2010(c)" in a]
    assert len(lines) == 1 and "before the federal estate tax" in lines[0]
    assert "before the federal estate tax" in " ".join(_run(tmp_path, case).split())


def test_a_small_estate_gets_no_estate_tax_line(tmp_path):
    case = _case(_person("1950-01-20"), strategy={"objective": "max_estate"},
                 spending={"annual": 5_000})
    j = json.loads(_run(tmp_path, case, "-f", "json"))
    assert not any("§2010(c)" in a for a in j.get("assumptions", []))


# --- 3. plan account or IRA in a state that tells them apart ----------------------------------

def _couple(state: str, a_accounts: dict, **more) -> dict:
    return _case({"name": "A", "birth_date": "1958-04-01", "life_expectancy": 90,
                  "accounts": a_accounts},
                 {"name": "B", "birth_date": "1960-11-03", "life_expectancy": 92,
                  "accounts": {"pretax": 400_000}}, state=state, **more)


@pytest.mark.parametrize("state", ["NY", "CO", "PA", "MS", "AR", "MI"])
def test_a_person_with_both_accounts_is_told_in_the_states_that_tell_them_apart(state):
    from dist401k.planner.plan import state_notes

    hh = parse_household(_couple(state, {"pretax": 1_200_000, "ira": 300_000}))
    notes = [n for n in state_notes(hh) if "does not choose between" in n]
    assert len(notes) == 1 and notes[0].startswith(state) and "A holds both" in notes[0]


@pytest.mark.parametrize("state, a_accounts", [
    ("FL", {"pretax": 1_200_000, "ira": 300_000}),  # no income tax
    ("CA", {"pretax": 1_200_000, "ira": 300_000}),  # taxes both alike
    ("NY", {"pretax": 1_200_000}),                  # no IRA
    ("NY", {"ira": 300_000}),                       # no plan account
])
def test_no_such_line_elsewhere(state, a_accounts):
    from dist401k.planner.plan import state_notes

    hh = parse_household(_couple(state, a_accounts))
    assert not any("does not choose between" in n for n in state_notes(hh))


def test_a_move_into_such_a_state_counts():
    from dist401k.planner.plan import state_notes

    hh = parse_household(_couple("FL", {"pretax": 1_200_000, "ira": 300_000},
                                 move={"year": 2030, "state": "NY"}))
    assert any(n.startswith("NY") and "does not choose between" in n for n in state_notes(hh))


# --- the year-by-year table names the plan it shows -----------------------------------------

def test_the_table_heading_says_it_is_not_the_starred_strategy(tmp_path):
    """An all-Roth household under max_spending: every order-based strategy spends the same
    (no tax anywhere), so the first of them is starred on the tie while the table shows the
    linear programme's rows."""
    from dist401k.planner.plan import table_plan_words

    case = _case({"name": "R", "birth_date": "1955-05-05", "life_expectancy": 90,
                  "accounts": {"pretax": 0, "roth": 600_000}},
                 strategy={"objective": "max_spending"})
    j = json.loads(_run(tmp_path, case, "-f", "json"))
    words = table_plan_words(j)
    assert "not of the ★" in words and "Optimum" in words
    flat = " ".join(_run(tmp_path, case).split())
    assert "The optimum, year by year (nominal dollars) — the rows of Optimum" in flat


def test_no_words_where_the_optimum_is_starred():
    from dist401k.planner.plan import table_plan_words

    j = {"objective": "max_spending", "strategies": [
        {"key": "order", "label": "Taxable first", "spending_real": 10.0, "shortfall": 0},
        {"key": "optimal", "label": "Optimum", "spending_real": 11.0, "shortfall": 0}]}
    assert table_plan_words(j) == ""
