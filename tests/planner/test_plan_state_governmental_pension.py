"""A governmental pension in the drawdown plan's state income tax (`people[].pension.governmental`).

New York exempts a pension of New York State, a New York locality or the federal government
wholly (Tax Law §612(c)(3)); a private pension only up to $20,000 a person from 59½
(§612(c)(3-a); IT-201 instructions, line 29).  The state engine does not model which government
pays a governmental plan's distribution (it answers "not figured" for such a New York year), so
the plan must refuse the year naming the rule — before, the pension was taxed as a private one.

Worked by hand for Pat, single, born March 1, 1956 (70 at the end of 2026), retired, a $40,000
pension a year (no COLA) and no other income, 2026, from Tax Law §§601(a)/(c), 612, 614 (figures
of params/state/ny: the 2026 single brackets 8,500 / 11,700 / 13,900 at 3.9% / 4.4% / 5.15%, the
standard deduction $8,000):

- a private pension: federal AGI 40,000; New York AGI 40,000 − 20,000 (§612(c)(3-a)) =
  20,000; taxable 20,000 − 8,000 = 12,000, under $65,000 with New York AGI under $107,650, so
  read in the State tax table (no recapture, §601(d-1)): the row 12,000–12,050 at its middle,
  12,025: 8,500 × 3.9% + 3,200 × 4.4% + 325 × 5.15% = 331.50 + 140.80 + 16.74 = 489.04, rounded
  half up to $489;
- a New York or federal pension: New York AGI 40,000 − 40,000 (§612(c)(3)) = 0: no tax.  The
  engine cannot tell it from another state's public pension (which §612(c)(3) does not reach):
  the plan is refused, and the message names the rule and the plan's field.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json
from dist401k.planner.state_tax import governmental_by_year
from dist401k.planner.timeline import build_timeline

LAW = default_law()

PAT = {"name": "Pat", "birth_date": "1956-03-01", "life_expectancy": 80,
       "pension": {"monthly": 40000 / 12, "start_age": 65}}


def _case(state: str, governmental: bool, people=None) -> dict:
    people = copy.deepcopy(people or [PAT])
    people[0]["pension"]["governmental"] = governmental
    return {"start_year": 2026, "state": state, "people": people,
            "spending": {"annual": 20000}}


def _first_row(case: dict) -> dict:
    row = plan_json(make_plan(parse_household(case), LAW, monte_carlo=False))["table"][0]
    assert row["year"] == 2026 and row["agi"] == pytest.approx(40000.0, abs=0.01)
    return row


def test_a_private_pension_in_new_york_keeps_only_the_20000_exclusion():
    assert _first_row(_case("NY", False))["state_tax"] == pytest.approx(489, abs=0.01)


def test_a_governmental_pension_in_new_york_is_refused_not_taxed_as_a_private_one():
    with pytest.raises(InputError) as err:
        make_plan(parse_household(_case("NY", True)), LAW, monte_carlo=False)
    text = str(err.value)
    assert text.startswith("state: NY in 2026: State tax not figured")
    assert "§612(c)(3)" in text and "people.0.pension.governmental" in text
    assert "\n" not in text


def test_a_governmental_pension_where_the_state_taxes_all_pensions_alike():
    """Michigan (MCL 206.30(1)(f), (8)): Pat, born 1956, is within the 2023 PA 4 phase-in
    (every birth year from 2026, at the full share): a public and a private pension are both
    retirement benefits under the same limit ($67,610 single in 2026), so the $40,000 is wholly
    subtracted either way, and the $5,900 personal exemption leaves nothing taxed: no Michigan
    tax, and the governmental one is not refused (a public pension qualifies from 60)."""
    private, public = (_first_row(_case("MI", g)) for g in (False, True))
    assert private["state_tax"] == public["state_tax"] == pytest.approx(0.0, abs=0.01)


def test_the_flag_follows_the_years_the_pension_is_paid():
    """A couple: Pat's governmental pension from 72 (March 2028), Lee's none; Pat dies at
    the end of 2029 (life expectancy 73).  With half paid on to Lee the flag stays
    (the survivor's share is the same governmental plan's annuity); with none it ends with
    the death.  Before a pension starts the year is not a governmental plan's."""
    lee = {"name": "Lee", "birth_date": "1960-05-01", "life_expectancy": 90,
           "accounts": {"ira": 300000}}
    later = dict(copy.deepcopy(PAT), life_expectancy=73)
    later["pension"].update(start_age=72, survivor_fraction=0.5, governmental=True)
    hh = parse_household(_case("NY", True, [later, lee]))
    tl = build_timeline(hh, LAW)
    years = np.asarray(tl.years)
    flags = governmental_by_year(hh, tl)
    # 72 in March 2028: paid from 2028; Pat alive through 2029; Lee's half from 2030
    assert not flags[years < 2028].any() and flags[years >= 2028].all()
    none_on = copy.deepcopy(later)
    none_on["pension"]["survivor_fraction"] = 0.0
    hh = parse_household(_case("NY", True, [none_on, lee]))
    flags = governmental_by_year(hh, build_timeline(hh, LAW))
    assert flags[(years >= 2028) & (years <= 2029)].all() and not flags[years >= 2030].any()


def test_a_governmental_457b_keeps_every_year_governmental():
    """The flag of a governmental 457(b)'s money is every year's, as before."""
    lee = {"name": "Lee", "birth_date": "1960-05-01", "life_expectancy": 90,
           "accounts": {"pretax": 300000, "governmental_457b": True}}
    hh = parse_household(_case("NY", False, [PAT, lee]))
    assert governmental_by_year(hh, build_timeline(hh, LAW)).all()
