"""The terminal plan's longevity block: the title "Alive on January 1" whole at every width the
docs support (docs/cli.md: 67–84 columns and wider) — one person's table (year, ages, alive) is
narrower than its title, which was wrapped at the table's width ("Alive on January" / "1") —
and the survival horizon said as docs/plan.md says it: the plan ends in the year after which
anyone of the household (a couple: either of them) is still alive with probability
``1 − horizon.survival`` or less (0.9: 10%; 0.75: 25%, worked by hand)."""

from __future__ import annotations

import json
from functools import cache

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.commands.plan import horizon_text

WIDTHS = (67, 80, 130)
ANN = {"name": "Ann", "birth_date": "1956-07-04", "sex": "female",
       "accounts": {"pretax": 300_000, "roth": 20_000},
       "social_security": {"claim_age": 70, "monthly_at_full_age": 2000}}
BOB = {"name": "Bob", "birth_date": "1958-02-10", "sex": "male",
       "accounts": {"pretax": 200_000}, "social_security": {"monthly_at_full_age": 1800}}


def _case(people: list[dict], survival: float) -> dict:
    return {"id": "alive", "start_year": 2026, "horizon": {"survival": survival},
            "people": people, "spending": {"annual": 40_000},
            "taxable": {"balance": 50_000, "basis": 40_000}}


@cache
def _run(couple: bool, survival: float, columns: int | None, fmt: str = "table") -> str:
    """The plan's terminal output (or its JSON) at ``columns``; the case file in a fresh
    directory of its own."""
    import tempfile
    from pathlib import Path

    people = [ANN, BOB] if couple else [ANN]
    with tempfile.TemporaryDirectory() as d:
        case = Path(d) / "alive.yaml"
        case.write_text(yaml.safe_dump(_case(people, survival)))
        env = {"COLUMNS": str(columns)} if columns else None
        r = CliRunner().invoke(app, ["plan", str(case), "--no-monte-carlo", "-f", fmt], env=env)
    assert r.exit_code == 0, r.output
    return r.stdout


@pytest.mark.parametrize("columns", WIDTHS)
@pytest.mark.parametrize("couple", [False, True], ids=["one person", "couple"])
def test_the_alive_title_is_whole(couple, columns):
    lines = [line.strip() for line in _run(couple, 0.9, columns).splitlines()]
    assert "Alive on January 1" in lines
    assert "Alive on January" not in lines  # not split before its "1"


def _alive_after(couple: bool, survival: float, year: int) -> float:
    """From the JSON's own table: the chance anyone of the household is alive on January 1 of
    ``year`` (one person: that person)."""
    lv = json.loads(_run(couple, survival, None, "json"))["longevity"]
    k = lv["years"].index(year)
    return (lv["either_alive"] if couple else lv["alive"][0])[k]


@pytest.mark.parametrize(("couple", "survival", "words"), [
    (False, 0.9, "the year after which Ann is still alive with probability 10% or less."),
    (True, 0.9, "the year after which either of them is still alive with probability 10% or less."),
    (True, 0.75, "the year after which either of them is still alive with probability 25% or less."),
])
def test_the_horizon_is_said_as_the_docs_say_it(couple, survival, words):
    out = " ".join(_run(couple, survival, 200).split())
    assert words in out and "outlived" not in out
    end = json.loads(_run(couple, survival, None, "json"))["years"][1]
    assert f"The plan ends in {end}, {words}" in out
    # What the words claim, on the longevity table: alive on January 1 after the last year with
    # at most the probability named, and with more than it after the year before.
    share = round(1 - survival, 6)
    assert _alive_after(couple, survival, end + 1) <= share < _alive_after(couple, survival, end)


@pytest.mark.parametrize(("survival", "left"), [(0.9, "10%"), (0.975, "2.5%"), (0.99, "1%"),
                                                (0.5, "50%")])
def test_the_horizon_share_is_written_exactly(survival, left):
    text = horizon_text(2060, {"survival": survival}, ["Ann"])
    assert text == (f"The plan ends in 2060, the year after which Ann is still alive with "
                    f"probability {left} or less.")


def test_without_a_horizon_the_ages_end_it():
    assert horizon_text(2054, None, ["Ann", "Bob"]) == \
        "The plan ends in 2054 (each person's life_expectancy)."
