"""A New Jersey household with no Social Security entered could not be planned: New Jersey's
special exclusion for a filer 62 or older who can never receive Social Security or Railroad
Retirement benefits (N.J.S.A. 54A:6-15; NJ-1040 line 28b) is not modelled, so the state's tax
is refused unless everyone will receive a benefit — and the refusal named
``social_security_expected``, a field the plan did not have.  The plan file now has it (the
planner page asks it), and the refusal says, in the plan's words, what to set.

The couple of the review: born 1961-04-12 and 1963-09-30, $500,000 pre-tax, New Jersey, no
benefit entered; from 2027 the first is 62 or older, so line 28b's question arises."""

from __future__ import annotations

import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json

LAW = default_law()


def _couple(**extra) -> dict:
    return {"start_year": 2027, "state": "NJ",
            "people": [{"birth_date": "1961-04-12", "accounts": {"pretax": 500000}},
                       {"birth_date": "1963-09-30"}], **extra}


def test_the_refusal_names_the_plan_s_field_and_says_what_to_set():
    with pytest.raises(InputError) as e:
        make_plan(parse_household(_couple()), LAW, monte_carlo=False)
    text = str(e.value)
    assert "state" in text and "NJ in 2027" in text
    assert "In the plan: no Social Security benefit is entered; set social_security_expected" in text


def test_social_security_expected_lets_the_state_tax_be_figured():
    j = plan_json(make_plan(parse_household(_couple(social_security_expected=True)), LAW,
                            monte_carlo=False))
    assert all(r["state"] == "NJ" and r["state_tax"] is not None for r in j["table"])


def test_a_benefit_entered_needs_no_answer():
    """A benefit of one's own says it already (a spouse's or survivor's follows from it)."""
    d = _couple()
    d["people"][1]["social_security"] = {"monthly_at_full_age": 1500}
    j = plan_json(make_plan(parse_household(d), LAW, monte_carlo=False))
    assert all(r["state_tax"] is not None for r in j["table"])
