"""Roth employer contributions (SECURE 2.0 §604; IRC §402A(a) as amended; Notice 2024-2,
section L): matching or nonelective contributions designated as Roth are taxed when made and are
designated Roth money from then on, so a qualified distribution of them is tax-free, a
nonqualified one taxes only the earnings (pro rata), and the 1099-R code carries B as for Roth
deferrals."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from dist401k.assess import assess_cases
from dist401k.case import load_case, parse_case
from dist401k.errors import InputError
from dist401k.sources import EMPLOYER_DISCRETIONARY, INDEX, ROTH, SOURCES

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "roth-employer-match.yaml"


def case(source: str, birth: str, first_year: int, **extra) -> dict:
    """Separated in 2025; the whole account is one Roth source of $50,000, $40,000 of it
    contributions (already taxed), $10,000 earnings; a $10,000 cash request in 2026."""
    c = {
        "person": {"birth_date": birth, "filing_status": "single"},
        "employment": {"status": "separated", "hire_date": "2010-01-01",
                       "separation_date": "2025-06-30"},
        "income": {"wages": 0},
        "plan": {"type": "401k"},
        "account": {"sources": {source: {"balance": 50000, "contributions": 40000,
                                         "first_year": first_year, **extra}}},
        "request": {"date": "2026-11-23", "amount": 10000, "destination": "cash"},
    }
    return c


def cash(result: dict) -> dict:
    return next(o for o in result["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


def run(c: dict) -> dict:
    return assess_cases([parse_case(copy.deepcopy(c))])[0]


def test_roth_employer_is_designated_roth_employer_money():
    j = INDEX["roth_employer"]
    assert SOURCES[-1] == "roth_employer"  # appended: the other sources keep their columns
    assert ROTH[j] and EMPLOYER_DISCRETIONARY[j]


@pytest.mark.parametrize("source", ["roth_employer", "roth_deferral"])
def test_qualified_distribution_is_tax_free_code_b7(source):
    # Born 1963: 63 in 2026, past 59½; first Roth contribution 2018, five years passed.
    o = cash(run(case(source, "1963-05-01", 2018)))
    assert o["gross"] == pytest.approx(10000)
    assert o["taxable"] == pytest.approx(0)
    assert o["additional_tax_72t"] == pytest.approx(0)
    assert o["form_1099r_codes"] == ["B7"]


@pytest.mark.parametrize("source", ["roth_employer", "roth_deferral"])
def test_nonqualified_distribution_taxes_only_earnings_pro_rata(source):
    # Born 1976: 50 in 2026, separated at 49 (no rule of 55); first Roth money 2024.
    o = cash(run(case(source, "1976-05-01", 2024)))
    # $10,000 × $10,000 earnings / $50,000 balance = $2,000 taxable, 10% tax on it.
    assert o["taxable"] == pytest.approx(2000)
    assert o["nontaxable"] == pytest.approx(8000)
    assert o["additional_tax_72t"] == pytest.approx(200)
    assert o["form_1099r_codes"] == ["B1"]


def test_same_answer_as_a_roth_deferral():
    for birth, year in (("1963-05-01", 2018), ("1976-05-01", 2024)):
        a = cash(run(case("roth_employer", birth, year)))
        b = cash(run(case("roth_deferral", birth, year)))
        for key in ("taxable", "nontaxable", "additional_tax_72t", "form_1099r_codes"):
            assert a[key] == b[key], key


def test_not_fully_vested_roth_employer_money_is_an_error_citing_the_notice():
    with pytest.raises(InputError) as exc:
        parse_case(case("roth_employer", "1976-05-01", 2024, vested=0.6))
    p = exc.value.problems[0]
    assert p.field == "account.sources.roth_employer.vested"
    assert "Notice 2024-2" in p.problem and "§604" in p.problem


def test_example_case_loads_and_answers():
    c = load_case(EXAMPLE)
    assert c.account.sources["roth_employer"].balance > 0
    out = assess_cases([c])[0]
    assert out["route_summary"]
