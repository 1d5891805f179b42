"""The income tax of an estate on Form 1041, for an estate that inherits a plan account and
keeps its income (IRC §641): no standard deduction (§63(c)(6)(D)) nor senior deduction, the
$600 exemption (§642(b)(1)), the compressed rates of §1(e) (§1(j)(2)(E)), and the net
investment income tax of an estate (§1411(a)(2)): 3.8% of the lesser of its undistributed net
investment income and its adjusted gross income over the start of its top bracket.

A plan distribution is ordinary income and no net investment income (§1411(c)(5)), but it
raises the estate's adjusted gross income (§67(e): the exemption allowed in arriving at it).
Not figured: the preferential rates of §1(h) on the estate's own capital gains and qualified
dividends (taxed here at the ordinary rates), its administration and charitable deductions,
the distribution deduction (§661; the heirs are then taxed on what they receive, §662), the
alternative minimum tax (the regular tax at these rates exceeds it on ordinary income), and a
trust's smaller exemption.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax


def estate_income_tax(lk: Lookup, income, investment_income) -> dict[str, np.ndarray]:
    """An estate's taxable income, regular tax, net investment income tax and their sum, for
    its gross ``income`` (the plan distribution included) and ``investment_income``."""
    exemption = lk.get("fiduciary.estate_exemption")
    agi = np.asarray(income, float) - exemption
    taxable = np.maximum(0.0, agi)
    regular = schedule_tax(lk, "fiduciary.brackets", "fiduciary.rates", taxable)
    top = lk.get("fiduciary.brackets")[..., -1]
    niit = lk.get("niit.rate") * np.minimum(np.maximum(0.0, investment_income),
                                            np.maximum(0.0, agi - top))
    return {"agi": agi, "taxable_income": taxable, "regular_tax": regular, "niit": niit,
            "income_tax": regular + niit}
