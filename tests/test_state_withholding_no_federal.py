"""A state that requires its withholding only beside the federal (North Carolina: "a payer
required to withhold federal tax under IRC §3405", N.C. Gen. Stat. §105-163.2A; California,
Cal. Unemp. Ins. Code §13028) requires none from a payment from which no federal tax is
withheld, and the answer says so with a reason rather than a bare zero.

Federal: an eligible rollover distribution of $150 — under $200 for the year — has none
withheld (Treas. Reg. §31.3405(c)-1, Q&A-14); a payment that is not an eligible rollover
distribution has none where the W-4R elects no withholding (§3405(b)(2))."""

from __future__ import annotations

import numpy as np

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.law.loader import default_law
from dist401k.state_withholding import state_withholding
from routes.conftest import make, outcome

LAW = default_law()
SEPARATED = {"person.birth_date": "1969-06-12", "person.state": "NC",
             "employment.status": "separated", "employment.hire_date": "2009-02-02",
             "employment.separation_date": "2024-12-13", "request.date": "2026-03-15",
             "request.destination": "cash", "request.amount": 150}


def test_a_small_eligible_rollover_distribution_in_north_carolina_says_why_none():
    (r,) = assess_cases([parse_case(make(SEPARATED))])
    cash = outcome(r, "separation")
    assert cash["withholding"] == 0.0 and cash["state_withholding"] == 0.0
    assert "STATE_WITHHOLDING_NO_FEDERAL" in {x["code"] for x in cash["reasons"]}


def test_no_federal_withholding_no_state_requirement_named_on_the_states_rule():
    """NC and CA beside a $5,000 payment with no federal withholding: none required, the
    reason said; with federal withholding ($500): the state's own reason, not this one."""
    sw = state_withholding(LAW, np.array(["NC", "CA", "NC"]), np.array([2026] * 3),
                           np.array([5000.0] * 3), np.array([0.0, 0.0, 500.0]),
                           np.zeros(3, bool))
    assert sw.amount.tolist() == [0.0, 0.0, 0.04 * 5000]
    assert sw.reasons["STATE_WITHHOLDING_NO_FEDERAL"].tolist() == [True, True, False]
    assert sw.reasons["STATE_WITHHOLDING_WITH_FEDERAL"].tolist() == [False, False, True]
