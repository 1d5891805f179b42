"""All of an employee's designated Roth money under a plan is one contract for §72.

Treas. Reg. §1.402A-1, Q&A-9(a): "for purposes of section 72, there is only one separate
contract for an employee with respect to the designated Roth contributions under a plan. Thus,
if a plan maintains one separate account for designated Roth contributions made under the plan
and another separate account for rollover contributions received from a designated Roth account
under another plan ..., both separate accounts are considered to be one contract for purposes of
applying section 72 to the distributions from either account."  Q&A-3: a nonqualified
distribution's taxable part is "determined under section 72(e)(8), treating the designated Roth
account as a separate contract"; IRC §402A(d)(4).  Roth employer contributions are designated
Roth contributions (IRC §402A as amended by SECURE 2.0 §604), so they are in that one contract.

The expected figures are worked by hand from §72(e)(8)(B) (tax-free part = payment × investment
in the contract / account balance) over the whole designated Roth account.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.basis import nontaxable_share, roth_investment_share
from dist401k.sources import INDEX, S
from routes.conftest import make, outcome

# The reviewer's case: 45 in 2026, still employed; Roth deferrals $50,000 ($40,000 of
# contributions), Roth employer money $10,000 ($9,000); the plan pays in service from the Roth
# employer money only.  First Roth money 2015: five taxable years passed, but under 59½.
REVIEWER = {
    "person.birth_date": "1981-01-10",
    "request.date": "2026-04-15", "request.amount": 10000, "request.destination": "cash",
    "plan.in_service": {"roth_employer": {"allowed": True, "min_age": 0}},
    "account.sources": {
        "roth_deferral": {"balance": 50000, "contributions": 40000, "first_year": 2015},
        "roth_employer": {"balance": 10000, "contributions": 9000, "first_year": 2015,
                          "vested": 1.0}},
}


def _row(**by_source):
    """[1, S] arrays: ``{source: value}``, 0 elsewhere."""
    a = np.zeros((1, S))
    for name, value in by_source.items():
        a[0, INDEX[name]] = value
    return a


def test_in_service_roth_employer_money_is_taxed_over_the_whole_roth_account(assess):
    """$10,000 paid from the Roth employer money alone: tax-free part 10,000 × (40,000 + 9,000)
    / (50,000 + 10,000) = 8,166.67; taxable 10,000 × 11,000 / 60,000 = 1,833.33 (not 1,000, the
    employer money's own 1,000 / 10,000); the 10% additional tax (§72(t)(1), no exception at 45)
    on the taxable part, 183.33."""
    o = outcome(assess(make(REVIEWER)), "in_service")
    assert o["gross"] == pytest.approx(10000)
    assert o["taxable"] == pytest.approx(1833.33, abs=0.01)
    assert o["nontaxable"] == pytest.approx(8166.67, abs=0.01)
    assert o["additional_tax_72t"] == pytest.approx(183.33, abs=0.01)
    roth = next(f for f in o["form_1099r"] if f["part"] == "roth_cash")
    assert roth["box_1"] == pytest.approx(10000)
    assert roth["box_2a"] == pytest.approx(1833.33, abs=0.01)
    assert roth["box_5"] == pytest.approx(8166.67, abs=0.01)


LESS_IN_EMPLOYER_MONEY = {"account.sources.roth_deferral.contributions": 45000,
                          "account.sources.roth_employer.contributions": 8000}


def test_employer_money_with_less_investment_than_the_account(assess):
    """Roth deferrals $50,000 ($45,000 contributions), Roth employer money $10,000 ($8,000),
    $10,000 paid from the employer money: tax-free 10,000 × 53,000 / 60,000 = 8,833.33, taxable
    1,166.67 (not 2,000, the employer money's own 2,000 / 10,000)."""
    o = outcome(assess(make(REVIEWER, **LESS_IN_EMPLOYER_MONEY)), "in_service")
    assert o["taxable"] == pytest.approx(1166.67, abs=0.01)
    assert o["nontaxable"] == pytest.approx(8833.33, abs=0.01)
    roth = next(f for f in o["form_1099r"] if f["part"] == "roth_cash")
    assert roth["box_2a"] == pytest.approx(1166.67, abs=0.01)


def test_box_5_is_the_investment_recovered_over_the_whole_roth_account(assess):
    """Box 5 holds the designated Roth contributions a nonqualified payment recovers, its
    tax-free part: 8,833.33 in the case above (box 1 10,000 = box 2a 1,166.67 + box 5)."""
    o = outcome(assess(make(REVIEWER, **LESS_IN_EMPLOYER_MONEY)), "in_service")
    roth = next(f for f in o["form_1099r"] if f["part"] == "roth_cash")
    assert roth["box_5"] == pytest.approx(8833.33, abs=0.01)


def test_rollover_account_and_deferral_account_are_one_contract():
    """Q&A-9(a)'s own case, with the figures of Q&A-7's example: a designated Roth account of
    $21,850 of investment in the contract and $1,150 of income ($23,000), kept as a deferral
    account ($15,000: $13,850 + $1,150 income) and a rollover account ($8,000, all investment).
    A nonqualified payment of $8,000 from the rollover account alone: tax-free
    8,000 × 21,850 / 23,000 = 7,600, taxable 400 (not 0, the rollover account's own ratio);
    $12,000 from the deferral account alone: taxable 12,000 × 1,150 / 23,000 = 600 (Q&A-7's
    $600), not 12,000 × 1,150 / 15,000 = 920."""
    balance = _row(roth_deferral=15000, rollover_roth=8000)
    contributions = _row(roth_deferral=13850, rollover_roth=8000)
    share = nontaxable_share(balance, np.zeros((1, S)), contributions, np.zeros((1, S), bool))
    assert 8000 * share[0, INDEX["rollover_roth"]] == pytest.approx(7600)
    assert 12000 * (1 - share[0, INDEX["roth_deferral"]]) == pytest.approx(600)


def test_the_share_is_the_same_on_every_roth_source_and_none_elsewhere():
    """The one contract's investment over its balance on each designated Roth source (roth
    deferrals, rolled-in Roth money, Roth employer money), 0 on other money; at most 1 after a
    loss (§72(e)(8)(B): the tax-free part is at most the payment)."""
    balance = _row(roth_deferral=50000, roth_employer=10000, rollover_roth=0,
                   elective_deferral=30000)
    contributions = _row(roth_deferral=40000, roth_employer=9000)
    got = roth_investment_share(balance, contributions)
    for name in ("roth_deferral", "roth_employer", "rollover_roth"):
        assert got[0, INDEX[name]] == pytest.approx(49000 / 60000)
    assert got[0, INDEX["elective_deferral"]] == 0
    under = roth_investment_share(_row(roth_deferral=5000, roth_employer=1000),
                                  _row(roth_deferral=7000, roth_employer=1000))
    assert under[0, INDEX["roth_employer"]] == pytest.approx(1.0)


def test_a_qualified_distribution_stays_tax_free():
    """§402A(d)(1): a qualified distribution is not includible, whatever the pro rata."""
    balance = _row(roth_deferral=50000, roth_employer=10000)
    contributions = _row(roth_deferral=40000, roth_employer=9000)
    qualified = np.zeros((1, S), bool)
    qualified[0, [INDEX["roth_deferral"], INDEX["roth_employer"]]] = True
    share = nontaxable_share(balance, np.zeros((1, S)), contributions, qualified)
    assert share[0, INDEX["roth_employer"]] == 1.0
