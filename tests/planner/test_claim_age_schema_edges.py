"""The published plan schema takes exactly the claiming ages the planner takes.

The planner checks ``social_security.claim_age`` on the month it takes, the age rounded to the
nearest month, a half month up (20 CFR 404.311; docs/plan.md, "The bounds"): the month must lie
from the law's earliest claiming age (42 U.S.C. §402(a), §416(l)(2): 62) to its last age of
delayed credit (§402(w)(2)(A)(ii); 20 CFR 404.313: 70). The schema gave 62 and 70 themselves, so
a form built from it refused 61.96 and 70.03, which every door takes. Worked by hand, months =
age × 12:

- 61.95 → 743.4 months → 743, 61 years and 11 months: refused;
- 61.9583 → 743.4996 → 743: refused; 61.9584 → 743.5008 → 744, 62 and 0: taken;
- 61 + 11.5/12 (61.958333…) → 743.5, a half month, up → 744: taken (the least age taken);
- 61.96 → 743.52 → 744: taken; 61.99 → 743.88 → 744: taken;
- 70.03 → 840.36 → 840, 70 and 0: taken; 70.04 → 840.48 → 840: taken;
- 70.0416 → 840.4992 → 840: taken; 70.0417 → 840.5004 → 841, 70 and 1 month: refused;
- 70 + 0.5/12 (70.041666…) → 840.5, a half month, up → 841: refused (the greatest age taken
  is just below it);
- 70.05 → 840.6 → 841: refused.
"""

from __future__ import annotations

import math

import pytest

from dist401k.errors import InputError
from dist401k.planner.household import household_schema, parse_household

jsonschema_rs = pytest.importorskip("jsonschema_rs")

#: (age, taken) worked by hand above.
EDGES = [(61.95, False), (61.9583, False), (61.9584, True), (61 + 11.5 / 12, True),
         (61.96, True), (61.99, True), (62, True), (70, True), (70.03, True), (70.04, True),
         (70.0416, True), (70.0417, False), (70 + 0.5 / 12, False), (70.05, False),
         (61.9, False), (70.1, False)]


def _case(age: float) -> dict:
    return {"start_year": 2026, "people": [{"name": "Ann", "birth_date": "1960-03-01",
                                            "social_security": {"monthly_at_full_age": 2000,
                                                                "claim_age": age}}]}


def _planner_takes(age: float) -> bool:
    try:
        parse_household(_case(age))
    except InputError as e:
        assert "claim_age" in str(e), str(e)
        return False
    return True


@pytest.fixture(scope="module")
def validator():
    return jsonschema_rs.Draft202012Validator(household_schema())


@pytest.fixture(scope="module")
def bounds() -> tuple[float, float]:
    prop = household_schema()["$defs"]["SocialSecurity"]["properties"]["claim_age"]
    (number,) = [b for b in prop["anyOf"] if b.get("type") == "number"]
    return number["minimum"], number["maximum"]


@pytest.mark.parametrize(("age", "taken"), EDGES)
def test_the_planner_takes_the_hand_worked_months(age, taken):
    assert _planner_takes(age) is taken


@pytest.mark.parametrize(("age", "taken"), EDGES)
def test_the_schema_takes_the_same(validator, age, taken):
    assert validator.is_valid(_case(age)) is taken


def test_the_bounds_are_half_a_month_outside_the_laws_ages(bounds):
    """62 − 1/24 (taken, a half month up) and just under 70 + 1/24 (itself refused)."""
    lo, hi = bounds
    assert lo == pytest.approx(62 - 0.5 / 12, abs=1e-9) and lo <= 62 - 0.5 / 12
    assert hi == pytest.approx(70 + 0.5 / 12, abs=1e-9) and hi < 70 + 0.5 / 12
    assert 61.95 < lo <= 61.96 and 70.04 <= hi < 70.05


def test_schema_and_planner_agree_at_the_schemas_own_edges(validator, bounds):
    """The bounds and their float neighbours, and ages a ten-thousandth of a year apart
    around each edge: every one the schema takes the planner takes, and none other."""
    lo, hi = bounds
    ages = [lo, math.nextafter(lo, 0), math.nextafter(lo, 100), hi, math.nextafter(hi, 0),
            math.nextafter(hi, 100)]
    ages += [round(e + k / 10_000, 4) for e in (61.958, 70.041) for k in range(-20, 21)]
    for age in ages:
        assert validator.is_valid(_case(age)) is _planner_takes(age), age
