"""State income tax withheld from a plan distribution, beside the federal withholding
(docs/state.md, "Withholding").

Each state's rule is law data (``law/params/state/<xx>/withholding_*``):

- a state without an income tax on plan distributions withholds nothing;
- ``withholding_with_federal`` false: the state requires no withholding; the payer withholds
  only at the payee's request (New York, Arizona) — none by default;
- ``withholding_with_federal`` true: where federal tax is withheld from the payment the state's
  is withheld beside it, as ``withholding_share_of_federal`` of the federal withholding
  (California) or ``withholding_rate`` of the taxable payment (North Carolina); the payee may
  elect out unless ``withholding_erd_mandatory`` and the payment is an eligible rollover
  distribution;
- any other state: not covered, unknown (NaN), never a silent zero.

The amounts are the payer's default, before any election by the payee.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.law.loader import Law
from dist401k.money import HALF_CENT


@dataclass
class StateWithholding:
    """State withholding of each case (NaN where the state's rule is not covered or no state
    is given), whether it is known, and why (codes of law/reasons/state.yaml → masks)."""

    amount: np.ndarray
    covered: np.ndarray
    reasons: dict[str, np.ndarray]


def state_withholding(law: Law, states: np.ndarray, years: np.ndarray, taxable_paid,
                      federal_withheld, eligible_rollover) -> StateWithholding:
    """The state's withholding from a payment of ``taxable_paid`` (the taxable part paid to the
    participant) from which ``federal_withheld`` is withheld; ``eligible_rollover`` marks the
    cases where the payment is an eligible rollover distribution.  ``states``: USPS codes, ""
    where the case gives none."""
    states = np.asarray(states).astype("<U2")
    n = states.shape[0]
    years = np.broadcast_to(np.asarray(years), (n,))
    taxable = np.broadcast_to(np.asarray(taxable_paid, float), (n,))
    federal = np.broadcast_to(np.asarray(federal_withheld, float), (n,))
    erd = np.broadcast_to(np.asarray(eligible_rollover, bool), (n,))
    amount, covered = np.full(n, np.nan), np.zeros(n, bool)
    codes = ("STATE_WITHHOLDING_NO_INCOME_TAX", "STATE_WITHHOLDING_VOLUNTARY",
             "STATE_WITHHOLDING_WITH_FEDERAL", "STATE_WITHHOLDING_MAY_ELECT_OUT",
             "STATE_WITHHOLDING_NO_ELECTION_OUT", "STATE_WITHHOLDING_NOT_COVERED")
    reasons = {k: np.zeros(n, bool) for k in codes}
    for code in np.unique(states[states != ""]):
        idx = np.flatnonzero(states == code)
        rule = _rule(law, str(code), years[idx])
        if rule is None:
            reasons["STATE_WITHHOLDING_NOT_COVERED"][idx] = True
            continue
        covered[idx] = True
        amount[idx], masks = _withheld(rule, taxable[idx], federal[idx], erd[idx])
        for k, m in masks.items():
            reasons[k][idx] = m
    return StateWithholding(amount, covered, reasons)


@dataclass
class _Rule:
    """One state's withholding law for its cases' years (arrays over those cases)."""

    no_tax: bool  # the state taxes no plan distribution
    with_federal: np.ndarray
    share_of_federal: np.ndarray | None
    rate: np.ndarray | None
    erd_mandatory: np.ndarray


def _rule(law: Law, code: str, years: np.ndarray) -> _Rule | None:
    """The state's withholding law in ``years``, or None where dist401k does not cover it."""
    prefix = f"state.{code.lower()}."

    def get(name: str):
        return (np.asarray(law.get(prefix + name, years))
                if prefix + name in law.params else None)

    no = np.zeros(years.shape[0], bool)
    taxes = get("taxes_wage_income")
    if taxes is not None:  # a state without an income tax (one that began to tax: not covered)
        return None if np.asarray(taxes, bool).any() else _Rule(True, no, None, None, no)
    with_federal = get("withholding_with_federal")
    if with_federal is None:
        return None
    erd = get("withholding_erd_mandatory")
    return _Rule(False, with_federal.astype(bool), get("withholding_share_of_federal"),
                 get("withholding_rate"), no if erd is None else erd.astype(bool))


def _withheld(rule: _Rule, taxable, federal, erd) -> tuple[np.ndarray, dict]:
    """The default withholding of one state's cases, and its reasons."""
    n = taxable.shape[0]
    if rule.no_tax:
        return np.zeros(n), {"STATE_WITHHOLDING_NO_INCOME_TAX": np.ones(n, bool)}
    applies = rule.with_federal & (federal > HALF_CENT)
    if rule.share_of_federal is not None:
        amount = rule.share_of_federal * federal
    elif rule.rate is not None:
        amount = rule.rate * taxable
    else:
        amount = np.zeros(n)
    locked = applies & erd & rule.erd_mandatory
    return np.where(applies, amount, 0.0), {
        "STATE_WITHHOLDING_VOLUNTARY": ~rule.with_federal,
        "STATE_WITHHOLDING_WITH_FEDERAL": applies,
        "STATE_WITHHOLDING_MAY_ELECT_OUT": applies & ~locked,
        "STATE_WITHHOLDING_NO_ELECTION_OUT": locked,
    }
