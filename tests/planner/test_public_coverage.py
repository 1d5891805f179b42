"""Marketplace years within a state's Medicaid adult group or Basic Health Program: no premium
tax credit (IRC §36B(c)(2)(B); 42 U.S.C. §18051(e)(2)).  The simulation gives none there, the
optimum keeps its years of coverage above the limit where that is worth it, and every door shows
which years the limit held."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest
import yaml

from dist401k.commands.plan import year_row
from dist401k.law import default_law
from dist401k.planner import lp
from dist401k.planner.household import parse_household
from dist401k.planner.plan import exact_figures, make_plan, plan_json
from dist401k.tax.medicaid import medicaid_income_limit
from planner.test_planner_limits import scaled

LAW = default_law()
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "plans" / \
    "early-retirees-marketplace.yaml"


def _example(state: str, factor: float = 0.5) -> dict:
    case = yaml.safe_load(EXAMPLE.read_text())
    case.pop("monte_carlo", None)
    case = scaled(copy.deepcopy(case), factor)
    case["strategy"] = {"objective": "max_spending"}
    case["state"] = state
    return case


def _covered(j: dict) -> list[dict]:
    return [r for r in j["table"] if r["marketplace_premium"] > 0]


def test_the_optimum_keeps_coverage_years_above_medicaid():
    """The shipped couple at half its size in Nevada (Medicaid to 138%, no income tax) and in
    Texas (no adult group, no income tax): in Texas the optimum holds years at the poverty
    line; in Nevada that would be Medicaid with no credit, and its optimum raises them past
    138% of the year's own guideline — every year of coverage keeps a credit."""
    tx = _covered(plan_json(make_plan(parse_household(_example("TX")), LAW, monte_carlo=False)))
    nv = _covered(plan_json(make_plan(parse_household(_example("NV")), LAW, monte_carlo=False)))
    assert any(r["poverty_line_share"] < 1.38 and r["premium_tax_credit"] > 0 for r in tx)
    assert len(nv) == len(tx)
    for r in nv:
        limit = medicaid_income_limit(LAW, r["year"], 2, 1.38)[0]
        assert r["premium_tax_credit"] > 0 and not r["public_coverage"]
        assert r["household_income"] > limit


def test_an_optimum_blind_to_medicaid_is_worse(monkeypatch):
    """Priced exactly, the optimum that sees Medicaid's limit sustains more than one that
    takes the credit to start at the poverty line (its years there have none)."""
    hh = parse_household(_example("NV"))
    seen = exact_figures(hh, LAW)["spending_real"]
    monkeypatch.setattr(lp, "medicaid_income_limit", lambda *a, **k: np.full(1, -np.inf))
    blind = exact_figures(hh, LAW)["spending_real"]
    assert seen > blind * 1.03, (seen, blind)


def _pensioner(state: str | None, medicaid: bool = False) -> dict:
    """A retiree of 60 in 2027 living on a $1,700 pension and a Roth: about 128% of the
    poverty line."""
    return {"start_year": 2027, "state": state,
            "people": [{"birth_date": "1967-03-01", "life_expectancy": 85,
                        "pension": {"monthly": 1_700, "start_age": 55},
                        "accounts": {"roth": 600_000, "roth_first_year": 2010}}],
            "spending": {"annual": 40_000},
            "marketplace": {"benchmark_premium": 9_000, "medicaid": medicaid}}


@pytest.mark.parametrize(("state", "credited"), [("TX", True), ("CA", False), ("MN", False)])
def test_a_year_within_public_coverage_has_no_credit(state, credited):
    """The pensioner has a credit in Texas; in California (Medicaid) and Minnesota
    (MinnesotaCare) none, the full premium charged where the case does not take Medicaid; the
    terminal marks the year M."""
    j = plan_json(make_plan(parse_household(_pensioner(state)), LAW, monte_carlo=False))
    first = _covered(j)[0]
    assert 1.2 < first["poverty_line_share"] < 1.38
    assert (first["premium_tax_credit"] > 0) is credited
    assert first["public_coverage"] is (not credited)
    assert first["marketplace_premium"] == pytest.approx(9_000, rel=0.1)
    assert year_row(first, False, True)[-1].endswith(" M") is (not credited)
    assert all(r["public_coverage"] is None for r in j["table"] if r["marketplace_premium"] == 0)


def test_medicaid_taken_costs_no_premium():
    """Taking Medicaid (``marketplace.medicaid``): in California the pensioner's years within
    the adult group cost nothing; in Minnesota too (Medicaid to 138% there as well); in Texas,
    with no adult group, the plan is the one without the choice, bit for bit."""
    for state in ("CA", "MN"):
        j = plan_json(make_plan(parse_household(_pensioner(state, True)), LAW,
                                monte_carlo=False))
        years = _covered_years(j)
        assert years and all(r["public_coverage"] for r in years)
        assert all(r["marketplace_premium"] == 0 for r in years)
        full = plan_json(make_plan(parse_household(_pensioner(state)), LAW, monte_carlo=False))
        assert j["strategies"][0]["spending_real"] > full["strategies"][0]["spending_real"]
    take, buy = (plan_json(make_plan(parse_household(_pensioner("TX", m)), LAW,
                                     monte_carlo=False)) for m in (True, False))
    assert take["table"] == buy["table"]


def _covered_years(j: dict) -> list[dict]:
    return [r for r in j["table"] if r["poverty_line_share"] is not None]


def test_the_optimum_weighs_medicaid_against_the_credit():
    """The shipped couple at half its size in Nevada taking Medicaid: the optimum keeps its
    years of coverage under the adult group's limit (no premium) rather than just above it
    (the premium less its credit), and sustains more, priced exactly, than the optimum that
    buys the plan."""
    take = _example("NV")
    take["marketplace"]["medicaid"] = True
    hh = parse_household(take)
    years = _covered_years(plan_json(make_plan(hh, LAW, monte_carlo=False)))
    assert sum(r["public_coverage"] and r["marketplace_premium"] == 0 for r in years) >= 8
    taken = exact_figures(hh, LAW)["spending_real"]
    bought = exact_figures(parse_household(_example("NV")), LAW)["spending_real"]
    assert taken > bought * 1.005


def test_the_try_below_medicaid_is_what_finds_it(monkeypatch):
    """Without the try below the adult group's limit after the passes, the optimum taking
    Medicaid holds its years just above the limit (raised to the credit's floor) and sustains
    less, priced exactly."""
    take = _example("NV")
    take["marketplace"]["medicaid"] = True
    hh = parse_household(take)
    tried = exact_figures(hh, LAW)["spending_real"]
    monkeypatch.setattr(lp, "_medicaid_edge", lambda *a, **k: None)
    untried = exact_figures(hh, LAW)["spending_real"]
    assert tried > untried * 1.005, (tried, untried)


def test_medicaid_needs_the_state():
    from dist401k.errors import InputError

    with pytest.raises(InputError, match="marketplace.medicaid"):
        parse_household(_pensioner(None, True))
