"""Oklahoma withholds from every nonperiodic payment at its top rate, federal withholding or
not, unless the payee chooses none on Form OK-W-4-R (Okla. Admin. Code §710:90-1-13(c): "Tax
will be withheld at the top marginal individual income tax rate on any non-periodic payments
... (2) The recipient can also use Form OK-W-4-R, to choose not to have tax withheld").  The
payee's opt-out is ``request.state_withholding_rate: 0``; a Form W-4R election out of the
federal withholding is not an opt-out of Oklahoma's.

Worked by hand (top rate: 4.75% in 2025, 4.5% from 2026, 68 O.S. §2355 as amended by H.B. 2764):

- a $10,000 hardship distribution (not an eligible rollover distribution) in 2026 with no
  federal withholding (W-4R 0): 0.045 × 10,000 = $450.00; in 2025: 0.0475 × 10,000 = $475.00;
  opted out (state rate 0): $0.
- the 2025 RMD of a person born 1950-03-01 with $240,000 at the end of 2024: 240,000 / 24.6
  (Uniform Lifetime Table, age 75) = $9,756.10, federal elected to 0 on Form W-4R: Oklahoma
  0.0475 × 9,756.10 = $463.41.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from api.conftest import example
from api.test_state_doors import cash_outcome, pat
from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.law import default_law
from dist401k.state_withholding import state_withholding

LAW = default_law()


def test_no_federal_withholding_still_takes_oklahomas_top_rate():
    out = state_withholding(LAW, np.array(["OK", "OK", "OK"]), np.array([2026, 2025, 2026]),
                            np.full(3, 10_000.0), np.zeros(3), np.zeros(3, bool),
                            np.full(3, 1970.0), np.array([np.nan, np.nan, 0.0]))
    np.testing.assert_allclose(out.amount, [450.00, 475.00, 0.0])
    assert out.covered.all()
    assert out.reasons["STATE_WITHHOLDING_NO_FEDERAL"].tolist() == [False] * 3
    assert out.reasons["STATE_WITHHOLDING_UNLESS_OPTED_OUT"].tolist() == [True] * 3
    assert out.reasons["STATE_WITHHOLDING_MAY_ELECT_OUT"].all()
    assert out.reasons["STATE_WITHHOLDING_ELECTED"].tolist() == [False, False, True]


def test_an_rmd_with_the_federal_elected_away_keeps_oklahomas():
    o = cash_outcome(pat(person__state="OK", person__birth_date="1950-03-01",
                         employment__separation_date="2015-12-31",
                         account__prior_year_end_balance=240000, request__date="2025-10-15",
                         request__amount=9756.10, request__withholding_rate=0.0))
    assert o["withholding"] == 0.0
    assert o["state_withholding"] == pytest.approx(463.41, abs=0.005)
    form = next(f for f in o["form_1099r"] if f["part"] == "pretax_cash")
    assert form["box_14"] == pytest.approx(463.41, abs=0.005) and form["box_15"] == "OK"


def test_the_reviewers_hardship_in_oklahoma():
    """examples/cases/hardship-medical.yaml in Oklahoma without the in-service match, the
    federal elected to 0: the hardship's taxable part is withheld at 2026's 4.5%."""
    case = copy.deepcopy(example("hardship-medical"))
    case["person"]["state"] = "OK"
    case["plan"]["in_service"]["match"] = {"allowed": False}
    case["request"]["withholding_rate"] = 0
    (answer,) = assess_cases([parse_case(case)])
    o = next(x for x in answer["outcomes"] if x["route"] == "hardship")
    assert o["withholding"] == 0.0 and o["taxable"] > 0
    assert o["state_withholding"] == pytest.approx(round(0.045 * o["taxable"], 2), abs=0.005)
    assert "STATE_WITHHOLDING_NO_FEDERAL" not in {r["code"] for r in o["reasons"]}
