"""Bad cases get errors that name the field and the problem; a plan provision no answer can be
given for is refused with the rule (one the law forbids for some money only is applied where
lawful: tests/routes/test_plan_provisions.py)."""

from __future__ import annotations

import pytest

from dist401k.case import parse_case
from dist401k.errors import InputError
from routes.conftest import make


def problems(case) -> list[str]:
    with pytest.raises(InputError) as exc:
        parse_case(case)
    return [str(p) for p in exc.value.problems]


@pytest.mark.parametrize("changes, field, words", [
    ({"plan.secure2": {"domestic_abuse": True}, "plan.spousal_consent": True},
     "plan.secure2.domestic_abuse", "spousal-consent"),
    ({"plan.secure2": {"domestic_abuse": True}, "plan.type": "money_purchase"},
     "plan.secure2.domestic_abuse", "spousal-consent"),
    ({"account.sources": {"elective_deferral": {"balance": 1000, "vested": 0.5}}},
     "account.sources.elective_deferral.vested", "always fully vested"),
])
def test_forbidden_provisions(changes, field, words):
    found = problems(make(changes))
    assert any(p.startswith(field + ":") and words in p for p in found), found


@pytest.mark.parametrize("changes, field, words", [
    ({"person.birth_date": None}, "person.birth_date", "is required"),
    ({"account.sources": {"elective_deferral": {"balance": -5}}},
     "account.sources.elective_deferral.balance", "must be 0 or more"),
    ({"person.birth_date": "2030-01-01"}, "person.birth_date", "after the request date"),
    ({"person.birth_date": "1970-02-30"}, "person.birth_date",
     "is not a day of the calendar (February 1970 has 28 days)"),
    ({"employment.status": "separated"}, "employment.separation_date", "is required"),
    ({"employment.separation_date": "2009-01-01"}, "employment.separation_date",
     "before the hire date"),
    ({"person.filing_status": "married"}, "person.filing_status", "single"),
    ({"plan.type": "401a"}, "plan.type", "401k"),
    ({"plan.secret": 1}, "plan.secret", "not a field"),
    ({"request.purpose": "birth_adoption"}, "request.event_date", "is required"),
    ({"account.sources": {"match": {"balance": 100, "seasoned": 200}}},
     "account.sources.match", "seasoned cannot exceed balance"),
    ({"request.date": "2101-01-01", "person.birth_date": "2000-01-01"}, "request.date", "2100"),
])
def test_field_level_errors(changes, field, words):
    found = problems(make(changes))
    assert any(p.startswith(field) and words in p for p in found), found


def test_a_year_without_law_is_refused():
    # The request year is the tax year: the law is known 2024–2100.
    found = problems(make({"request.date": "2023-06-01"}))
    assert any("request.date" in p and "2024" in p for p in found), found
