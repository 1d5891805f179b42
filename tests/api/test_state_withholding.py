"""State withholding beside the federal withholding, through the rule, the assessment, the
batch and the Form 1099-R boxes, worked by hand from the states' own texts.

Pat (examples/cases/pat-california-rule-of-55.yaml) takes $40,000 in cash from the plan after
separation: an eligible rollover distribution, 20% federal withholding = $8,000 (IRC
§3405(c)).  California withholds 10% of the federal withholding (Cal. Unemp. Ins. Code
§13028(c)(3)) = $800.00 unless Pat elects out (§13028(b)); the check is 40,000 − 8,000 − 800 =
$31,200.00.  In North Carolina the payer withholds 4% of the taxable nonperiodic payment with
the federal (N.C. Gen. Stat. §105-163.2A; NC-30) = $1,600.00, no election out on an eligible
rollover distribution.  New York and Arizona withhold only on request (Tax Law §671(b); A.R.S.
§43-404): $0.  Florida has no income tax: $0.  Mississippi's rule is not modelled: unknown (null).
"""

from __future__ import annotations

import numpy as np
import pytest

from api.test_state_doors import cash_outcome, pat, pat_row
from dist401k.jobs import run_job
from dist401k.law import default_law
from dist401k.state_withholding import state_withholding

LAW = default_law()


@pytest.mark.parametrize("state, withheld, codes", [
    ("CA", 800.00, {"STATE_WITHHOLDING_WITH_FEDERAL", "STATE_WITHHOLDING_MAY_ELECT_OUT"}),
    ("NC", 1600.00, {"STATE_WITHHOLDING_WITH_FEDERAL", "STATE_WITHHOLDING_NO_ELECTION_OUT"}),
    ("NY", 0.0, {"STATE_WITHHOLDING_VOLUNTARY"}),
    ("AZ", 0.0, {"STATE_WITHHOLDING_VOLUNTARY"}),
    ("FL", 0.0, {"STATE_WITHHOLDING_NO_INCOME_TAX"}),
])
def test_pats_cash_payment_withholds_the_states_tax_beside_the_federal(state, withheld, codes):
    o = cash_outcome(pat(person__state=state))
    assert o["withholding"] == 8000.00
    assert o["state_withholding"] == withheld
    assert o["check_received"] == round(40000 - 8000 - withheld, 2)
    got = {r["code"] for r in o["reasons"] if r["code"].startswith("STATE_WITHHOLDING")}
    assert got == codes
    form = next(f for f in o["form_1099r"] if f["part"] == "pretax_cash")
    assert form["box_4"] == 8000.00 and form["box_14"] == withheld
    assert form["box_15"] == state and form["box_16"] == 40000.00


def test_a_state_whose_withholding_is_not_modelled_says_so():
    o = cash_outcome(pat(person__state="MS"))
    assert o["state_withholding"] is None
    assert any(r["code"] == "STATE_WITHHOLDING_NOT_COVERED" for r in o["reasons"])
    form = next(f for f in o["form_1099r"] if f["part"] == "pretax_cash")
    assert form["box_14"] is None and form["box_15"] == "MS"


def test_no_state_no_box_14():
    case = pat()
    case["person"].pop("state")
    o = cash_outcome(case)
    assert "state_withholding" not in o
    assert all("box_14" not in f for f in o["form_1099r"])


def test_the_rule_follows_the_federal_withholding():
    """A nonperiodic payment whose payee elected no federal withholding (W-4R): none in
    California (§13028(b)) nor in North Carolina (PD-00-2: the state's follows the federal);
    the same payment with 10% withheld federally: California $100 of $1,000, North Carolina 4%
    of $10,000 = $400, which the payee may elect away (not an eligible rollover)."""
    states = np.array(["CA", "NC", "CA", "NC", ""])
    out = state_withholding(LAW, states, np.full(5, 2025), np.full(5, 10_000.0),
                            np.array([0.0, 0.0, 1000.0, 1000.0, 1000.0]), np.zeros(5, bool))
    np.testing.assert_allclose(out.amount[:4], [0.0, 0.0, 100.0, 400.0])
    assert np.isnan(out.amount[4]) and not out.covered[4]
    assert out.reasons["STATE_WITHHOLDING_MAY_ELECT_OUT"].tolist() == [False, False, True, True,
                                                                         False]


def test_the_batch_has_the_state_withholding_column():
    rows = run_job(pat_row("NC"), "outcome", LAW).to_pylist()
    assert rows[0]["state_withholding"] == 1600.00
    assert rows[0]["check_received"] == 40000 - 8000 - 1600
    rows = run_job(pat_row("MS"), "outcome", LAW).to_pylist()
    assert rows[0]["state_withholding"] is None
