"""Connecticut withholding from a Roth IRA withdrawal (docs/state.md, "Withholding").

Conn. Gen. Stat. §12-705(b) (P.A. 17-147) reaches the payer of a distribution from a pension,
annuity, profit-sharing plan, stock bonus, deferred compensation plan **or individual retirement
arrangement**: every taxable payment is withheld from at 6.99% unless the payee opts out on Form
CT-W4P (code E: $0), but a lump-sum distribution (the payee's whole account balance) not rolled
over has no election out (CT DRS, Pension payers; IRA custodians apply it to a complete
withdrawal of the IRA).  The rule is an IRA's as much as a plan's: the Roth IRA door says
whether the withdrawal takes the whole Roth IRA balance.

Pat (examples/cases/pat-california-rule-of-55.yaml, 55 in December 2024) living in Connecticut,
asking on 2024-12-20 (the 2018 rule; from 2025 Connecticut's withholding is not figured,
tests/tax/state/test_connecticut_withholding_2025.py), a Roth IRA of $50,000 holding $20,000
of regular contributions, first year 2018 (not qualified: under 59½), electing a state rate of 0
(CT-W4P code E):

- $30,000, not the whole balance: she may opt out, $0 withheld (before the fix: not covered);
- the whole $50,000: a lump sum, 6.99% of the $50,000 the payer withholds on (it cannot know
  the basis, as for the federal 10%) = $3,495.00 whatever she elects; cash 50,000 − 5,000
  federal − 3,495 = $41,505.00.
"""

from __future__ import annotations

from api.test_state_doors import pat
from dist401k.assess import assess_cases
from dist401k.case import parse_case


def roth_ira_outcome(amount: float, **changes) -> dict:
    case = pat(person__state="CT", iras__roth=50000, iras__roth_contributions=20000,
               iras__roth_first_year=2018, request__amount=amount, request__date="2024-12-20",
               **changes)
    answer = assess_cases([parse_case(case)])[0]
    return next(o for o in answer["outcomes"] if o["route"] == "roth_ira")


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def test_an_election_of_zero_is_honoured_on_a_partial_withdrawal():
    o = roth_ira_outcome(30000, request__state_withholding_rate=0.0)
    assert o["taxable"] == 10000.00  # contributions first, then 10,000 of earnings
    assert o["state_withholding"] == 0.00
    assert "STATE_WITHHOLDING_NOT_COVERED" not in codes(o)
    assert {"STATE_WITHHOLDING_ELECTED", "STATE_WITHHOLDING_MAY_ELECT_OUT"} <= codes(o)
    assert o["net_cash"] == 27000.00  # 30,000 less the federal 10%


def test_the_whole_roth_ira_is_a_lump_sum_with_no_election_out():
    for elected in (0.0, None):
        changes = {} if elected is None else {"request__state_withholding_rate": elected}
        o = roth_ira_outcome(50000, **changes)
        assert o["state_withholding"] == 3495.00, elected
        assert "STATE_WITHHOLDING_LUMP_SUM" in codes(o)
        assert "STATE_WITHHOLDING_MAY_ELECT_OUT" not in codes(o)
        assert o["net_cash"] == 41505.00


def test_a_partial_withdrawal_with_no_election_is_withheld_at_the_rate():
    o = roth_ira_outcome(30000)
    assert o["state_withholding"] == 2097.00  # 0.0699 × 30,000
    assert "STATE_WITHHOLDING_LUMP_SUM" not in codes(o)
