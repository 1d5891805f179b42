"""The words of New York's refusal of a governmental plan's year in the drawdown plan name what
set the flag (``planner/state_tax.py``, ``governmental_words``).

New York subtracts in full a pension paid by New York State, a New York locality or the
federal government (Tax Law §612(c)(3)); another government's pension, like a private one, gets
only the pension and annuity exclusion (§612(c)(3-a)).  The state engine does not know which
government pays, so a New York year with a governmental plan's money is refused.  Before, a
refusal set off by a pension (``people[].pension.governmental``) was explained only as "a
governmental plan's" distribution, beside the reason's words about a governmental 457(b): the
added words now name the pension, its field and the rule that makes the payer matter; a
refusal set off by a governmental 457(b) (``people[].accounts.governmental_457b``) keeps its
own words.
"""

from __future__ import annotations

import pytest

from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan

LAW = default_law()
REASON = "State tax not figured: New York subtracts in full only a pension of New York State"


def _refusal(person: dict) -> str:
    case = {"start_year": 2026, "state": "NY", "people": [person],
            "spending": {"annual": 30000}}
    with pytest.raises(InputError) as err:
        make_plan(parse_household(case), LAW, monte_carlo=False)
    text = str(err.value)
    assert text.startswith("state: NY in 2026: ") and REASON in text and "\n" not in text
    return text


def _added(text: str) -> str:
    """The words after the reason's own: what the plan says of itself."""
    return text[text.index(" In the plan: "):]


def test_a_governmental_pension_is_named_as_a_pension_with_its_rule():
    text = _refusal({"name": "Pat", "birth_date": "1956-03-01", "life_expectancy": 80,
                     "pension": {"monthly": 40000 / 12, "start_age": 65, "governmental": True}})
    added = _added(text)
    assert ("In the plan: the year's income includes a governmental pension "
            "(people.0.pension.governmental).") in added
    assert ("New York subtracts it in full only where New York State, a New York locality "
            "or the federal government pays it (§612(c)(3)), otherwise at most the exclusion "
            "of §612(c)(3-a); which government pays it is not among the plan's inputs.") in added
    assert "457(b)" not in added and "governmental plan's (" not in added


def test_a_governmental_457b_keeps_its_words():
    text = _refusal({"name": "Lee", "birth_date": "1956-03-01", "life_expectancy": 80,
                     "accounts": {"pretax": 400000, "governmental_457b": True}})
    added = _added(text)
    assert added == (" In the plan: the year's distribution is a governmental plan's "
                     "(people.0.accounts.governmental_457b).")


def test_both_set_name_both():
    text = _refusal({"name": "Lee", "birth_date": "1956-03-01", "life_expectancy": 80,
                     "accounts": {"pretax": 400000, "governmental_457b": True},
                     "pension": {"monthly": 1000, "start_age": 65, "governmental": True}})
    added = _added(text)
    assert "governmental plan's (people.0.accounts.governmental_457b)." in added
    assert "includes a governmental pension (people.0.pension.governmental)." in added
    assert "(§612(c)(3))" in added
