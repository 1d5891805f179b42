"""What part of a distribution is taxable: basis recovery and designated Roth rules.

- After-tax money is its own contract (IRC §72(d)(2)); a distribution from it is tax-free in
  the ratio of basis to that account's balance (§72(e)(8)).
- Designated Roth money (§402A(d)(2)): a qualified distribution — five taxable years after the
  first Roth contribution to the plan, and on or after 59½, death or disability — is tax-free;
  otherwise contributions come out pro rata with earnings, and the earnings are taxable.  All
  of the employee's designated Roth money under the plan (Roth deferrals, Roth employer money,
  Roth money rolled in) is one contract for that pro rata (Treas. Reg. §1.402A-1, Q&A-3,
  Q&A-9(a); :func:`roth_investment_share`).
- A plan that on May 5, 1986 permitted the withdrawal of employee contributions before
  separation from service (§72(e)(8)(D)): the investment in the contract as of December 31,
  1986 not yet recovered comes out first, tax-free, and only the excess pro rata
  (:func:`after_tax_nontaxable`).
- Traditional IRAs (Form 8606, §408(d)(2)): all of them are one contract valued at year end.
- An inherited Roth IRA (:class:`InheritedRothIra`): a distribution that is not qualified is
  includible as it would have been in the owner's income, by the Roth IRA ordering rules
  (§408A(d)(4)(B)) — contributions first, then earnings — not pro rata.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from dist401k.roth_ira_ordering import Left, RothIraHistory, RothIraLaw, RothIraPaid, roth_ira_paid
from dist401k.sources import AFTER_TAX, ROTH

if TYPE_CHECKING:
    from dist401k.batch import CaseBatch


def roth_qualified(tax_year, first_year, five_years, at_59_half, disabled) -> np.ndarray:
    """[n, S]: the Roth money of each source would come out as a qualified distribution."""
    with np.errstate(invalid="ignore"):
        seasoned = ~np.isnan(first_year) & (np.asarray(tax_year)[:, None] >= first_year + five_years[:, None])
    return ROTH[None, :] & seasoned & (np.asarray(at_59_half) | np.asarray(disabled))[:, None]


def roth_investment_share(balance, roth_contributions) -> np.ndarray:
    """[n, S]: on each designated Roth source, the investment in the contract (designated Roth
    contributions) per dollar of the employee's whole designated Roth account; 0 on other money.
    "For purposes of section 72, there is only one separate contract for an employee with
    respect to the designated Roth contributions under a plan": separate accounts the plan
    keeps (Roth deferrals, Roth money rolled in, Roth employer money) "are considered to be one
    contract for purposes of applying section 72 to the distributions from either account"
    (Treas. Reg. §1.402A-1, Q&A-9(a); Q&A-3: §72(e)(8) "treating the designated Roth account
    as a separate contract"; IRC §402A(d)(4)).  So a nonqualified payment from any of them is
    tax-free in the ratio of all the contributions to all the balances, at most 1
    (§72(e)(8)(B): never more than the payment).  A case is one person's account: an alternate
    payee's or a beneficiary's own account is its own contract (Q&A-9(b))."""
    roth = ROTH[None, :]
    held = (np.asarray(balance, float) * roth).sum(axis=1, keepdims=True)
    invested = (np.asarray(roth_contributions, float) * roth).sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(held > 0, np.minimum(1.0, invested / held), 0.0)
    return np.where(roth, ratio, 0.0)


def nontaxable_share(balance, basis, roth_contributions, qualified) -> np.ndarray:
    """[n, S]: the tax-free share of each dollar paid from each source: the after-tax money's
    basis over its balance (its own contract, §72(d)(2)); the designated Roth money all of it
    where qualified (§402A(d)(1)), else the whole Roth account's (:func:`roth_investment_share`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        after_tax = np.where(balance > 0, np.minimum(1.0, basis / balance), 0.0)
    roth = roth_investment_share(balance, roth_contributions)
    return np.where(AFTER_TAX[None, :], after_tax,
                    np.where(ROTH[None, :], np.where(qualified, 1.0, roth), 0.0))


def loan_receivable_by_source(eligible, available, outstanding) -> np.ndarray:
    """[n, S]: the loan receivable ``outstanding`` ([n]) held in each source, spread as the
    route of a loan that goes bad takes the loan (``available`` where ``eligible``,
    dist401k.routes.loan_default: which money a loan was made from is not distinguished)."""
    avail = np.where(eligible, available, 0.0)
    total = avail.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(total > 0, avail / total, 0.0)
    return part * np.asarray(outstanding, float)[:, None]


def loan_failure_shares(balance, lent, basis, roth_contributions,
                        qualified) -> tuple[np.ndarray, np.ndarray]:
    """[n, S] the tax-free share of each source's part of any payment of an account that
    holds a loan receivable — the loan that goes bad (a deemed distribution, a loan offset) and
    every other payment while the loan is outstanding (dist401k.outcome.outcome_context) —,
    and [n, S] the designated Roth contributions' share of it (Form 1099-R box 5).  One
    §72(e)(8)(B) ratio for the after-tax money (its own contract, §72(d)(2)) and the designated
    Roth money (one contract, Treas. Reg. §1.402A-1, Q&A-9(a)): the investment in the contract
    over "the account balance" — which holds the loan receivable ``lent`` by that money
    ([n, S]; zero where no loan is outstanding: :func:`nontaxable_share`): the loan is an
    investment of the participant's account, and its offset is "a reduction (offset) of an
    account balance in order to repay a plan loan" (Treas. Reg. §1.72(p)-1, Q&A-13;
    §1.402(c)-2, Q&A-9(b): the accrued benefit is reduced to repay it).  So the basis is
    recovered once over the cash paid and the loan, never more.  A qualified Roth payment is all
    tax-free (§402A(d)(1); a deemed distribution never is, §1.402A-1, Q&A-11: ``qualified``
    False there)."""
    held = np.asarray(balance, float) + np.asarray(lent, float)
    return (nontaxable_share(held, basis, roth_contributions, qualified),
            roth_investment_share(held, roth_contributions))


def after_tax_nontaxable(paid, balance, basis, pre_1987, before=0.0) -> np.ndarray:
    """[n]: the tax-free part of ``paid`` from the after-tax money (its own contract,
    §72(d)(2)) whose ``balance`` holds ``basis``, ``pre_1987`` of it the investment in the
    contract as of December 31, 1986 not yet recovered by distributions after 1986, in a plan
    that on May 5, 1986 permitted in-service withdrawal of employee contributions.  The pro
    rata rule "shall apply only to the extent that amounts received before the annuity starting
    date (when increased by amounts previously received under the contract after December 31,
    1986) exceed the investment in the contract as of December 31, 1986" (IRC §72(e)(8)(D);
    Pub. 575, "Plans that permitted withdrawal of employee contributions"): min(paid, pre_1987)
    tax-free first, then the excess pro rata, on the basis left over the balance left (at most
    all of it, §72(e)(8)(B), as :func:`nontaxable_share`).  With ``pre_1987`` 0 this is paid ×
    basis / balance (at most paid), the plain rule.  While a loan is outstanding ``balance``
    holds the part of its receivable the after-tax money lent (:func:`loan_failure_shares`).
    ``before``: after-tax money paid first in the same distribution (the whole balance, ahead
    of a loan offset), which has recovered its part of ``pre_1987`` already."""
    paid, balance, basis = np.asarray(paid, float), np.asarray(balance, float), np.asarray(basis, float)
    first = np.clip(np.minimum(np.asarray(pre_1987, float), basis), 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        # Balance left at or below the basis left: every dollar left is tax-free (a loss).
        rate = np.where(balance - first > 0, np.minimum(1.0, (basis - first) / (balance - first)),
                        1.0)
    left = np.maximum(0.0, first - np.asarray(before, float))
    return np.minimum(paid, left) + np.maximum(0.0, paid - left) * rate


def ira_pro_rata(basis, year_end_value, distributions, conversions, places=None):
    """Form 8606 Part I: the nontaxable part of the year's IRA distributions and conversions.

    ``basis`` is line 5, ``year_end_value`` line 6 (all traditional, SEP and SIMPLE IRAs on
    December 31, rollovers in included), ``distributions`` line 7 and ``conversions`` line 8.
    Line 10 is basis / (6 + 7 + 8), at most 1; ``places`` rounds it as the form allows
    (at least three places).  Returns (line 10, nontaxable conversion, taxable conversion,
    nontaxable distributions, basis carried forward).
    """
    total = year_end_value + distributions + conversions
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(total > 0, np.minimum(1.0, basis / total), 0.0)
    if places is not None:  # per case: half up, as a person rounds the decimal
        scale = np.power(10.0, np.asarray(places, dtype=float))
        ratio = np.floor(ratio * scale + 0.5) / scale
    nontax_conv = conversions * ratio
    nontax_dist = distributions * ratio
    return ratio, nontax_conv, conversions - nontax_conv, nontax_dist, basis - nontax_conv - nontax_dist


@dataclass(frozen=True)
class InheritedRothIra:
    """The inherited Roth IRAs of a batch (``beneficiary.account: ira``, ``roth: true``: the
    cases ``at``).  A distribution to the beneficiary that is not qualified is includible "in
    the same manner as it would have been included in the owner's income" (Pub. 590-B,
    "Distributions to beneficiaries"): by the Roth IRA ordering rules (§408A(d)(4)(B); Treas.
    Reg. §1.408A-6, Q&A-8), the owner's contributions first, then earnings, and only the
    earnings are taxable (Form 8606, Part III) — not pro rata with earnings as money from a
    designated Roth account, which a plan's beneficiary keeps (§402A(d)(2), §72(e)(8)).  The
    owner's basis is the Roth sources' ``contributions`` (line 22; the case holds none of the
    owner's conversions), the 5-taxable-year period the owner's (their earliest
    ``first_year``; Q&A-7)."""

    at: np.ndarray
    history: RothIraHistory
    tax_year: np.ndarray
    at_59_half: np.ndarray
    disabled: np.ndarray
    dead: np.ndarray
    law: RothIraLaw

    @classmethod
    def of(cls, b: CaseBatch, at_59_half, dead, law: RothIraLaw) -> InheritedRothIra | None:
        """Those of batch ``b`` (None where it has none); ``dead``: paid on account of the
        owner's death (not to a spouse who made the account their own)."""
        at = np.asarray(b.inherited, bool) & np.asarray(b.inherited_ira, bool) \
            & np.asarray(b.inherited_roth, bool)
        if not at.any():
            return None
        roth = ROTH[None, :]
        first = np.where(roth & ~np.isnan(b.roth_first_year), b.roth_first_year, np.inf).min(axis=1)
        n = len(at)
        none = np.zeros((n, 0))
        history = RothIraHistory(
            contributions=(np.asarray(b.roth_contributions, float) * roth).sum(axis=1),
            conversion_year=none, conversion_amount=none, conversion_taxable=none,
            first_year=np.where(np.isinf(first), np.nan, first))
        return cls(at=at, history=history, tax_year=np.asarray(b.tax_year),
                   at_59_half=np.asarray(at_59_half, bool),
                   disabled=np.asarray(b.disabled, bool), dead=np.asarray(dead, bool), law=law)

    def split(self, alloc, nontaxable) -> tuple[np.ndarray, RothIraPaid]:
        """[n, S] the tax-free dollars of a payment ``alloc`` ([n, S] by money source):
        ``nontaxable`` except on the Roth money of the cases ``at``, whose taxable part is
        what the ordering rules take out of earnings; and that distribution by the ordering
        rules (nothing where the case is not ``at``)."""
        roth = ROTH[None, :] & self.at[:, None]
        gross = (alloc * roth).sum(axis=1)
        paid = roth_ira_paid(gross, self.history, self.tax_year, self.at_59_half,
                             self.disabled, self.dead, Left(np.zeros(len(gross))), self.law)
        with np.errstate(divide="ignore", invalid="ignore"):
            taxable_share = np.where(gross > 0, paid.taxable / gross, 0.0)
        return np.where(roth, alloc * (1.0 - taxable_share[:, None]), nontaxable), paid

    def withheld_on(self, paid: RothIraPaid, gross, taxable) -> np.ndarray:
        """What the payer withholds on, as the owner's Roth IRA custodian would (§3405(b);
        Treas. Reg. §1.408A-6, Q&A-13; the route ``roth_ira``): all of a payment that is not
        qualified, the payer not knowing the basis, nothing of a qualified one;
        ``taxable`` where the case is not ``at``."""
        return np.where(self.at, np.where(paid.part_iii.filled, gross, 0.0), taxable)
