"""The optimiser's first state-tax pass counts the blind as every later pass and the exact
pricing do (tests/planner/test_plan_state_blind.py checks the priced plan): the return it samples
the state's tax on carries each blind person on it, so a state that reads the federal standard
deduction with its §63(f)(2) additional amounts (Utah's taxpayer tax credit, Utah Code
§59-10-1018; Idaho; Missouri) starts from the blind's deduction, not a sighted person's.

Worked by hand from Rev. Proc. 2025-32 (2026): Robin, single, 65 in 2026 and blind: $16,100
basic standard deduction + $2,050 for 65 + $2,050 for blindness = $20,200; sighted, $18,150.
A couple filing jointly, both 65, the second one blind: $32,200 + 3 × $1,650 = $37,150.
"""

from __future__ import annotations

import copy

import pytest

from dist401k.law import default_law
from dist401k.planner import lp
from dist401k.planner.household import parse_household
from dist401k.planner.timeline import build_timeline
from dist401k.tax.federal import federal_tax

LAW = default_law()

ROBIN = {"name": "Robin", "birth_date": "1961-03-01", "life_expectancy": 90,
         "accounts": {"ira": 800000}}
SAM = {"name": "Sam", "birth_date": "1961-05-01", "life_expectancy": 90,
       "accounts": {"ira": 400000}}


def _first_pass_deduction(people: list[dict], monkeypatch) -> float:
    """The federal standard deduction of 2026 on the return the first pass samples."""
    hh = parse_household({"start_year": 2026, "state": "UT", "people": copy.deepcopy(people),
                          "spending": {"annual": 50000}})
    tl = build_timeline(hh, LAW)
    seen = []
    real = lp.state_terms

    def record(ps, law, base, *args, **kwargs):
        seen.append(base)
        return real(ps, law, base, *args, **kwargs)

    monkeypatch.setattr(lp, "state_terms", record)
    terms = lp._state_start(tl, lp._year_facts(hh, tl, LAW, 0.0))
    assert terms is not None and len(seen) == 1
    return float(federal_tax(seen[0], LAW)["standard_deduction"][0])


@pytest.mark.parametrize(("people", "expected"), [
    ([dict(ROBIN, blind=True)], 20_200.0),
    ([ROBIN], 18_150.0),
    ([ROBIN, dict(SAM, blind=True)], 37_150.0),
])
def test_the_first_pass_return_carries_the_blind(people, expected, monkeypatch):
    assert _first_pass_deduction(people, monkeypatch) == pytest.approx(expected, abs=0.005)
