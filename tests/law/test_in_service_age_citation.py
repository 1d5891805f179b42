"""The 59½ in-service age of a governmental 457(b) (IRC §457(d)(1)(A)(i)) and of a pension plan
(§401(a)(36)) came from the Bipartisan American Miners Act of 2019, §104 ("Reduction in minimum
age for allowable in-service distributions"), Division M of the Further Consolidated
Appropriations Act, 2020 (P.L. 116-94), for plan years after 2019 (Notice 2020-68, Q&A F-1,
F-2) — not from the SECURE Act (Division O of the same law), whose §104 is the small-employer
plan startup credit.  The law files and the planner's docs cite the Act that made the change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dist401k.law import default_law

LAW = default_law()
ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("name, before", [("in_service.governmental_457b_age", 70.5),
                                          ("in_service.pension_age", 62)])
def test_the_59_half_in_service_age_cites_the_miners_act(name, before):
    p = LAW.param(name)
    assert "Bipartisan American Miners Act of 2019 §104" in p.citation
    assert "116-94" in p.citation and "SECURE" not in p.citation
    # The figures themselves: 59½ from plan years after 2019, the older age before.
    assert p.value_on(dt.date(2019, 12, 31)) == before
    assert p.value_on(dt.date(2020, 1, 1)) == 59.5


def test_the_planner_docs_credit_the_miners_act():
    text = " ".join((ROOT / "docs" / "plan.md").read_text().split())
    assert "§457(d)(1)(A), as the Bipartisan American Miners Act of 2019 amended it" in text
    assert "as the SECURE Act amended it" not in text
