"""Box 10 (the part allocable to in-plan Roth rollovers within 5 years) over the one designated
Roth contract: "for purposes of section 72, there is only one separate contract for an employee
with respect to the designated Roth contributions under a plan" (Treas. Reg. §1.402A-1,
Q&A-9(a)), so the investment a payment from any Roth source recovers is the whole account's
share (§72(e)(8)) and falls on the whole account's rollovers.  Figures worked by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from dist401k.irr_recapture import allocable_by_source
from dist401k.sources import INDEX, S

DEFERRAL, EMPLOYER = INDEX["roth_deferral"], INDEX["roth_employer"]


def _account(rows: int) -> SimpleNamespace:
    """Roth deferrals 50,000 (40,000 contributions), Roth employer money 10,000 (9,000
    contributions, 8,000 of them a 2024 in-plan Roth rollover); tax year 2026."""
    balance = np.zeros((rows, S))
    contributions = np.zeros((rows, S))
    balance[:, DEFERRAL], contributions[:, DEFERRAL] = 50000.0, 40000.0
    balance[:, EMPLOYER], contributions[:, EMPLOYER] = 10000.0, 9000.0
    return SimpleNamespace(balance=balance, roth_contributions=contributions,
                           irr_year=np.full((rows, 1), 2024.0), irr_amount=np.full((rows, 1), 8000.0),
                           irr_source=np.full((rows, 1), float(EMPLOYER)),
                           tax_year=np.full(rows, 2026))


def test_a_payment_from_the_employer_money_recovers_the_whole_accounts_share_first():
    """10,000 paid from the Roth employer money recovers 10,000 × 49,000 / 60,000 = 8,166.67 of
    investment; the contributions other than the rollover are 49,000 − 8,000 = 41,000, taken
    first: nothing falls on the 2024 rollover.  (Source by source, the employer money's own
    9,000 recovered would have reached 8,000 of it.)"""
    b = _account(1)
    alloc = np.zeros((1, S))
    alloc[0, EMPLOYER] = 10000.0
    got = allocable_by_source(b, alloc, np.full(1, 5), np.zeros((1, S), bool))
    assert got.sum() == pytest.approx(0.0, abs=1e-9)


def test_the_whole_account_paid_reaches_the_rollover_on_its_own_source():
    """All 60,000 paid recovers 49,000: 41,000 of other contributions, then 8,000 on the 2024
    rollover (within 2024–2028), reported on the Roth employer money; none where that money is a
    governmental 457(b)'s own (§72(t)(9): outside §72(t))."""
    b = _account(2)
    alloc = b.balance.copy()
    outside = np.zeros((2, S), bool)
    outside[1, EMPLOYER] = True
    got = allocable_by_source(b, alloc, np.full(2, 5), outside)
    assert got[0, EMPLOYER] == pytest.approx(8000.0)
    assert got[0].sum() == pytest.approx(8000.0)
    assert got[1].sum() == pytest.approx(0.0, abs=1e-9)
