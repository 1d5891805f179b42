"""What the plan's doors say beside its figures: no age for a person the plan has outlived, whose
lives a random-lifetimes success is judged over, and the IRMAA of first years whose look-back
MAGI the case does not give.  None of these changes a figure of the plan."""

from __future__ import annotations

import copy
import io
import json
import re

import pytest
import yaml
from rich.console import Console
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.commands.plan import print_plan
from dist401k.law import default_law
from dist401k.plan_report import render_plan_html
from dist401k.planner.household import load_household, parse_household
from dist401k.planner.plan import make_plan, plan_json

LAW = default_law()
COUPLE = "examples/plans/couple-social-security.yaml"


def _printed(plan, hh) -> str:
    """The terminal output of a plan, on one wide line per row, whitespace collapsed."""
    buf = io.StringIO()
    out = Console(file=buf, width=400, color_system=None)
    j = plan_json(plan)
    print_plan(out, j, hh.id, bequest=bool(hh.spending.bequest),
               names=[p.name or f"person {i + 1}" for i, p in enumerate(hh.people)])
    return re.sub(r"[ \t]+", " ", buf.getvalue())


@pytest.fixture(scope="module")
def couple():
    hh = load_household(COUPLE)
    return hh, make_plan(hh, LAW, monte_carlo=False)


def test_a_person_past_their_last_year_has_no_age(couple):
    """The case: Alex born 1962-05-10, life_expectancy 92; Jamie born 1962-09-02,
    life_expectancy 90 — the plan runs through the end of the year each reaches that age
    (docs/plan.md), so Jamie's last year is 1962 + 90 = 2052. The couple files jointly for
    the year of the death (IRC §6013(a)(2)) and Alex single from 2053, aged 2053 − 1962 = 91.
    So 2053 shows Alex's 91 and no age of Jamie's (before: 91/91), and 2054 92 alone."""
    hh, plan = couple
    rows = {r["year"]: r for r in plan_json(plan)["table"]}
    assert rows[2052]["ages"] == [90, 90] and rows[2052]["filing_status"] == "married_joint"
    assert rows[2053]["ages"] == [91, None] and rows[2053]["filing_status"] == "single"
    assert rows[2054]["ages"] == [92, None]
    printed = _printed(plan, hh)
    assert " 2053† 91/— " in printed and " 2054† 92/— " in printed  # † projected law
    assert "91/91" not in printed and " 2052† 90/90 " in printed
    html = render_plan_html(plan)
    assert "<td>2053†</td><td>91/—</td>" in html and "91/91" not in html


def test_the_csv_leaves_the_age_of_a_person_outlived_empty(tmp_path):
    """The same years through `dist401k plan -f csv`: `91;` (Alex 91, Jamie's cell empty),
    never `None`."""
    r = CliRunner().invoke(app, ["plan", COUPLE, "-f", "csv", "--no-monte-carlo"])
    assert r.exit_code == 0, r.output
    lines = {ln.split(",")[1]: ln for ln in r.stdout.splitlines()[1:]}
    assert lines["2053"].split(",")[2] == '"91;"' and lines["2054"].split(",")[2] == '"92;"'
    assert "None" not in r.stdout


def test_a_survival_horizon_ends_each_age_at_that_persons_horizon():
    """With `horizon.survival` each person's last year is their birth year plus the horizon's
    age of that person (docs/plan.md, "A survival horizon"): no row after it shows their age,
    and every row up to it does."""
    case = yaml.safe_load(open(COUPLE))
    case["horizon"] = {"survival": 0.9}
    case["people"][0]["sex"], case["people"][1]["sex"] = "male", "female"
    j = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))
    last = [1962 + a for a in j["longevity"]["horizon"]["ages"]]
    assert last[0] < last[1] == j["years"][1]  # Alex, the man, the first to go
    for r in j["table"]:
        for i, a in enumerate(r["ages"]):
            assert (a is None) == (r["year"] > last[i]), r
            assert a is None or a == r["year"] - 1962


def _single_random() -> dict:
    return {"id": "one-random", "start_year": 2026,
            "people": [{"name": "Robin", "sex": "female", "birth_date": "1961-03-01",
                        "life_expectancy": 90, "accounts": {"ira": 800_000},
                        "social_security": {"monthly_at_full_age": 2500, "claim_age": 67}}],
            "spending": {"annual": 60_000}, "magi_history": [0, 0],
            "monte_carlo": {"paths": 20, "model": "bootstrap", "seed": 11,
                            "lifetimes": "random"}}


def test_one_persons_random_lifetime_success_is_judged_while_that_person_lives():
    """One person's path ends at that person's death: success is never short while Robin is
    alive — there is no "either" of one (before: "while either is alive")."""
    hh = parse_household(_single_random())
    plan = make_plan(hh, LAW)
    printed = _printed(plan, hh)
    assert "never short while Robin is alive" in printed
    html = render_plan_html(plan)
    assert "never short while Robin is alive" in html
    assert "either" not in printed and "while either" not in html


def _irmaa_notes(j: dict) -> list[str]:
    """The plan's assumptions of IRMAA (the case's max_spending also says that its
    spending.annual is not the spending planned: tests/planner/test_plan_best_strategy.py)."""
    return [n for n in j.get("assumptions", []) if n.startswith("Medicare IRMAA")]


def _medicare_case(birth: str, history: list[float] | None) -> dict:
    case = {"id": "irmaa-history", "start_year": 2026,
            "people": [{"birth_date": birth, "life_expectancy": 85,
                        "accounts": {"ira": 1_500_000}}],
            "spending": {"annual": 80_000}}
    if history is not None:
        case["magi_history"] = history
    return case


@pytest.mark.parametrize(("birth", "history", "said"), [
    # On Medicare all of 2026 and 2027 (65 in 2020): both years look back before the start.
    ("1955-01-15", None, "Medicare IRMAA of 2026–2027 is figured as if the MAGI of 2024–2025 "
                         "were 0"),
    # 2025's MAGI given: 2027 looks back to it; 2026 to 2024, not given.
    ("1955-01-15", [180_000], "Medicare IRMAA of 2026 is figured as if the MAGI of 2024 were 0"),
    # 65 in June 2027 (Medicare from June 1, 42 CFR §407.25): 2026 is not a Medicare year.
    ("1962-06-15", None, "Medicare IRMAA of 2027 is figured as if the MAGI of 2025 were 0"),
])
def test_irmaa_of_years_whose_look_back_is_not_given_is_said_to_be_on_no_income(
        birth, history, said):
    """IRMAA of a year is set by the MAGI of the return two years before (42 U.S.C.
    §1395r(i)(4); 20 CFR 418.1115(a)): the plan's first two years look back before its start,
    to `magi_history`. Where the case does not give a year it needs and someone is on Medicare
    then, the plan figures that IRMAA as on a MAGI of 0 — exactly the plan of a case that gives
    0 for it — and now says so (the JSON's `assumptions`, the terminal, the report)."""
    hh = parse_household(_medicare_case(birth, history))
    plan = make_plan(hh, LAW, monte_carlo=False)
    j = plan_json(plan)
    irmaa = _irmaa_notes(j)
    assert len(irmaa) == 1 and irmaa[0].startswith(said)
    assert "give `magi_history`" in irmaa[0]
    assert said in _printed(plan, hh) and said in render_plan_html(plan)
    zeros = ([0.0, 0.0] if history is None else [0.0, *history])
    given = plan_json(make_plan(parse_household(_medicare_case(birth, zeros)), LAW,
                                monte_carlo=False))
    assert not _irmaa_notes(given)
    assert j["table"] == given["table"]  # the figures are those of a MAGI of 0


def test_no_irmaa_note_where_the_look_back_is_given_or_irmaa_not_counted():
    """Both look-back years given, or IRMAA not counted (`strategy.medicare: false`), or no one
    on Medicare in the first two years (65 in 2030): nothing to say of IRMAA."""
    for case in (_medicare_case("1955-01-15", [0, 0]),
                 {**_medicare_case("1955-01-15", None), "strategy": {"medicare": False}},
                 _medicare_case("1965-03-15", None)):
        j = plan_json(make_plan(parse_household(copy.deepcopy(case)), LAW, monte_carlo=False))
        assert not _irmaa_notes(j), case


def test_the_irmaa_note_through_the_command_line(tmp_path):
    """`dist401k plan -f json` carries the same line."""
    path = tmp_path / "case.json"
    path.write_text(json.dumps(_medicare_case("1955-01-15", None)))
    r = CliRunner().invoke(app, ["plan", str(path), "-f", "json", "--no-monte-carlo"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["assumptions"][0].startswith("Medicare IRMAA of 2026–2027")


def test_an_unpayable_plan_never_says_minus_zero():
    """A single retiree with nothing saved asking the most estate beside $70,000 of spending: the
    most the money pays is 0 — the solver's leftover below zero printed "-0" before."""
    from dist401k.errors import InputError

    case = {"start_year": 2026,
            "people": [{"birth_date": "1961-03-01", "life_expectancy": 90,
                        "social_security": {"monthly_at_full_age": 2500, "claim_age": 67},
                        "accounts": {"ira": 0, "roth": 0}}],
            "taxable": {"balance": 0, "basis": 0},
            "spending": {"annual": 70_000}, "strategy": {"objective": "max_estate"},
            "magi_history": [0, 0]}
    with pytest.raises(InputError) as err:
        make_plan(parse_household(case), default_law(), monte_carlo=False)
    assert "the most the money pays is 0" in str(err.value) and "-0" not in str(err.value)
