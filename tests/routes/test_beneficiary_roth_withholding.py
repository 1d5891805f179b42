"""Withholding from a payment out of an inherited plan account whose designated Roth money is
figured apart from the other money (``BN_ROTH_PART_APART``; §402A(d)(5)): the year's required
amount is the other money's, and only the other money's dollars meet it.

The case (as tests/routes/test_beneficiary_roth_sources.py): a nephew born 1996-09-09 inherits
a 401(k) of pre-tax $100,000 and designated Roth $120,000 (first Roth year 2015: five taxable
years have run, and death makes a Roth payment qualified, §402A(d)(2)) from an employee born
1943-06-30 who died 2024-11-11 after his RBD.  The 2026 minimum is 100,000 / 55.3 =
$1,808.32 (Single Life Table, Treas. Reg. §1.401(a)(9)-9(b): 29 → 56.3, less one).

A payment is split pro rata over the sources (§72(e)(8)): 100/220 of it pre-tax.  The year's
required amount is paid first (Treas. Reg. §1.402(c)-2, Q&A-7) out of the pre-tax money; it is
no eligible rollover distribution (§402(c)(4)(B)): 10% (§3405(b)).  What else is paid is an
eligible rollover distribution to a designated beneficiary (§402(c)(11)): 20% of its taxable
part (§3405(c)); the qualified Roth money has none.
"""

from __future__ import annotations

import pytest

from routes.conftest import outcome
from routes.test_beneficiary_roth_sources import MIXED, heir

PRE_TAX_ONLY = {"elective_deferral": {"balance": 100000}}


def _cash(assess, sources: dict, **changes) -> dict:
    o = outcome(assess(heir(sources, **changes)), "beneficiary")
    assert o is not None
    return o


def test_form_1099r_box_4_on_the_pre_tax_part(assess):
    """$10,000: pre-tax $4,545.45 (of which $1,808.32 required, 10%: $180.83; $2,737.13 at 20%:
    $547.43), Roth $5,454.55 (nothing taxable): box 4 of the pre-tax Form 1099-R $728.26, of the
    Roth one $0 (before: $826.89, the required amount spread pro rata over the Roth money)."""
    o = _cash(assess, MIXED)
    boxes = {f["part"]: f["box_4"] for f in o["form_1099r"]}
    assert boxes["pretax_cash"] == pytest.approx(728.26, abs=0.005)
    assert boxes["roth_cash"] == 0.0
    assert o["net_cash"] == pytest.approx(10000 - 728.26, abs=0.005)


def test_payment_below_the_pre_tax_minimum_is_all_required(assess):
    """$3,000: pre-tax 3,000 × 100/220 = $1,363.64, under the $1,808.32 required: all of it is
    the required part, 10% = $136.36; the Roth $1,636.36 is the eligible rollover part, with
    nothing taxable, so nothing at 20% (the reasons say both parts, as BN_WITHHOLDING_ERD_PART's
    words allow: "none where nothing of it is taxable").  (Pro rata, before: (3,000 − 1,808.32)
    / 3,000 of the taxable $1,363.64 at 20% = $108.33, the rest at 10% = $82.20: $190.53.)"""
    o = _cash(assess, MIXED, **{"request.amount": 3000})
    assert o["withholding"] == pytest.approx(136.36, abs=0.005)
    codes = {r["code"] for r in o["reasons"]}
    assert {"BN_WITHHOLDING_ERD_PART", "BN_WITHHOLDING_REQUIRED_PART"} <= codes


def test_maryland_withholds_on_the_eligible_rollover_part_only(assess):
    """Maryland: 7.75% of an eligible rollover distribution from which federal tax must be
    withheld, nothing on the rest unless asked (Md. Code, Tax-Gen. §10-908(f);
    law/params/state/md/withholding_rate.yaml, withholding_erd_only.yaml): 0.0775 × 2,737.13 =
    $212.13 (before: 0.0775 × 3,723.49 = $288.57)."""
    o = _cash(assess, MIXED, **{"person.state": "MD"})
    assert o["state_withholding"] == pytest.approx(212.13, abs=0.005)
    assert o["withholding"] == pytest.approx(728.26, abs=0.005)


def test_pre_tax_only_account_unchanged(assess):
    """No Roth money, pro rata as before: $10,000, $1,808.32 at 10% = $180.83 and $8,191.68 at
    20% = $1,638.34: $1,819.17."""
    o = _cash(assess, PRE_TAX_ONLY)
    assert o["withholding"] == pytest.approx(1819.17, abs=0.005)
