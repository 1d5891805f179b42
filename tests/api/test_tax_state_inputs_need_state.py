"""``POST /tax``: a unit without ``state`` giving a state's own input a value is a 422 naming
the unit's field, in the words of `dist401k tax` (tests/tax/test_state_inputs_need_state.py
has the library's, the command's and the batch job's); before, it was a 200 with the federal
figures alone, whatever the value (``yonkers_resident: 0.5``)."""

from __future__ import annotations

import pytest

from dist401k.tax.state import units as state
from dist401k.tax.state.with_federal import STATE_INPUTS

UNIT = {"tax_year": 2026, "filing_status": "single", "wages": 50000}
STATE_ONLY = tuple(c for c in STATE_INPUTS if c != "state")
FLAGS = state.FLAGS + state.OPTIONAL_FLAGS + state.SPOUSE_FLAGS + state.UNKNOWN_FLAGS


def _value(name: str) -> object:
    """A value that matters to a state, of the column's kind."""
    if name == "maryland_county":
        return "Prince George's"
    if name in state.UNKNOWN_AGES:
        return 70
    return True if name in FLAGS else 2500


def _detail(client, units: list[dict]) -> list[dict]:
    r = client.post("/tax", json={"units": units})
    assert r.status_code == 422, r.text
    return r.json()["detail"]


@pytest.mark.parametrize("name", STATE_ONLY)
def test_a_state_input_without_a_state_is_422_naming_it(client, name):
    (problem,) = _detail(client, [UNIT, {**UNIT, name: _value(name)}])
    assert problem["loc"] == ["body", "units", 1, name]
    assert problem["msg"].startswith("needs a state: ")


def test_the_reviews_unit_is_422_on_each_field(client):
    """The review's request: 200, federal figures only, before."""
    unit = {**UNIT, "new_york_city_resident": True, "yonkers_resident": 0.5,
            "maryland_county": 1, "disabled": 0.5}
    found = {p["loc"][-1]: p["msg"] for p in _detail(client, [unit])}
    assert found.keys() == {"new_york_city_resident", "yonkers_resident", "maryland_county",
                            "disabled"}
    assert found["yonkers_resident"] == found["disabled"] == "is not true/false (1/0)"
    assert found["new_york_city_resident"].startswith("needs a state: New York City is in New York")


def test_the_same_bad_value_gets_the_same_words_with_and_without_a_state(client):
    alone = _detail(client, [{**UNIT, "yonkers_resident": 0.5}])
    in_ny = _detail(client, [{**UNIT, "state": "NY", "yonkers_resident": 0.5}])
    assert alone == in_ny


def test_no_value_is_still_a_200(client):
    """null, 0 and false are no value: the federal tax alone, worked by hand (single 2026,
    $50,000 of wages: $16,100 standard deduction, $33,900 taxable, $1,240 + 12% of $21,500 =
    $3,820; Rev. Proc. 2025-32)."""
    unit = {**UNIT, "spouse_wages": None, "governmental_plan": False, "federal_income_tax": 0,
            "maryland_county": None, "deceased_age": None, "new_york_city_resident": 0}
    r = client.post("/tax", json={"units": [unit]})
    assert r.status_code == 200, r.text
    (row,) = r.json()["results"]
    assert row["income_tax"] == 3820.0 and "state_income_tax" not in row


def test_a_unit_with_a_state_beside_one_without_is_answered(client):
    """Units with and without a state mix in one request: the local input with its state."""
    r = client.post("/tax", json={"units": [UNIT, {**UNIT, "state": "NY",
                                                   "new_york_city_resident": True}]})
    assert r.status_code == 200, r.text
    federal, nyc = r.json()["results"]
    assert "state_income_tax" not in federal and nyc["state_income_tax"] > 0
