"""The 'why' words of a life-annuity payment's 10% tax (IRC §72(t)(2)(A)(iv)).

A $2,000 monthly payment of a life annuity (``request.series: life``) to a participant born
1975-06-12, separated 2025-12-13 (50 at separation, so not the rule of 55), in 2026: all $2,000
is taxable (pre-tax money, no basis) and no 10% tax is owed because the payment is one of a
series of substantially equal periodic payments for life begun after separation from service
(§72(t)(2)(A)(iv), (t)(3)(B); PX_SERIES_LIFE). The words must name that exception — not
"nothing taxable is paid out", which contradicts the $2,000 taxable.
"""

from __future__ import annotations

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from test_state_withholding_periodic import BASE  # the same $2,000 monthly life annuity

CASE = {**BASE, "id": "life", "person": {**BASE["person"], "state": "CA"}}


def test_the_life_annuity_exception_is_named():
    answer = assess_cases([parse_case(CASE)])[0]
    o = next(o for o in answer["outcomes"] if o["destination"] == "cash")
    assert o["taxable"] == 2000.00 and o["additional_tax_72t"] == 0.0
    assert "PX_SERIES_LIFE" in {r["code"] for r in o["reasons"]}
    why = o["why"]
    assert "nothing taxable" not in why["additional_tax_72t"]
    assert "§72(t)(2)(A)(iv)" in why["additional_tax_72t"]
    assert "substantially equal periodic payments" in why["additional_tax_72t"]
    assert why["short"] == "no 10% tax: life annuity payments; all taxable"
