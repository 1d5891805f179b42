"""Box 7 of a payment the payer knows an exception covers, as law data
(``form_1099r.known_exception_code``; Instructions for Forms 1099-R and 5498, Guide to
Distribution Codes): code 1 for a qualified birth or adoption distribution ("use Code 1 even if
the distribution is made for ... a qualified birth or adoption distribution under section
72(t)(2)(H)"), code 2 for the other SECURE 2.0 distributions and a terminally ill participant's
("Any other distribution subject to an exception under section 72(q), (t), (u), or (v) that is
not required to be reported using Code 1, 3, or 4")."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.early_distribution import CODE_1_ROUTES, SECURE2_ROUTES
from dist401k.form_1099r import KNOWN_EXCEPTION_CODE, reported_as_known
from dist401k.law.loader import Lookup, default_law
from routes.conftest import make, outcome

LAW = default_law()
YEARS = list(range(LAW.first_year, LAW.projected_through + 1))


def test_the_law_file_names_code_1_for_birth_or_adoption_only():
    lk = Lookup(LAW, np.array([2024, 2025, 2026]))
    keys = LAW.param(KNOWN_EXCEPTION_CODE).keys
    table = lk.get(KNOWN_EXCEPTION_CODE)
    got = {k: table[:, j].tolist() for j, k in enumerate(keys)}
    assert got == {"birth_adoption": [1, 1, 1], "emergency_expense": [2, 2, 2],
                   "domestic_abuse": [2, 2, 2], "terminal_illness": [2, 2, 2],
                   "disaster": [2, 2, 2], "long_term_care": [2, 2, 2]}
    assert LAW.param(KNOWN_EXCEPTION_CODE).unconfirmed  # the 2024-2026 Guide was not read


@pytest.mark.parametrize("year", YEARS)
def test_the_routes_reported_with_code_1_are_the_law_files(year):
    """The reasons' list of code-1 routes (early_distribution.CODE_1_ROUTES) is the law's."""
    lk = Lookup(LAW, np.array([year]))
    code_1 = {r for r in SECURE2_ROUTES if not reported_as_known(lk, r)[0]}
    assert code_1 == set(CODE_1_ROUTES)
    assert reported_as_known(lk, "terminal_illness")[0]


def _code(case: dict, route: str) -> str:
    o = outcome(assess_cases([parse_case(case)])[0], route, "cash")
    assert o is not None
    return o["form_1099r"][0]["box_7"]


def test_emergency_is_code_2_and_birth_or_adoption_code_1():
    assert _code(make({"plan.secure2": {"emergency_expense": True}}), "emergency_expense") == "2"
    assert _code(make({"plan.secure2": {"domestic_abuse": True},
                       "request.purpose": "domestic_abuse",
                       "request.event_date": "2026-03-01"}), "domestic_abuse") == "2"
    assert _code(make({"plan.secure2": {"birth_adoption": True},
                       "request.purpose": "birth_adoption",
                       "request.event_date": "2026-01-10"}), "birth_adoption") == "1"
