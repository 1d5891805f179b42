"""Federal income tax withholding on a payment from the plan (IRC §3405).

An eligible rollover distribution paid to the participant: 20% of its taxable part, no opt-out
(§3405(c)(1)); §3405(a) and (b) do not apply to it (§3405(c)(1)(A)).  Eligible rollover
distributions that total less than $200 in the year: none need be withheld (Treas. Reg.
§31.3405(c)-1, Q&A-14), only a rate the payee elects.  A direct rollover: none.  A nonperiodic
payment that is not an eligible rollover distribution (hardship, RMD, SECURE 2.0 withdrawals):
10% unless the payee elects another rate on Form W-4R (§3405(b)).

A W-4R rate below the 10% default is an election under §3405(b)(2) ("not to have paragraph (1)
apply"), in part or in whole: none is in effect where the payee has not furnished a TIN (or
the IRS told the payer it is incorrect, §3405(e)(12)), and none may be made for a payment to
be delivered outside the United States and its possessions (§3405(e)(13)(A); Treas. Reg.
§31.3405(e)-1 says how the payer finds that): the 10% is withheld.  A higher rate asks for
more than the law requires and stands.  Neither touches an eligible rollover distribution,
to which §3405(b) does not apply (§3405(c)(1)(A)).

The $200 test reads the eligible rollover distributions of the year under the same plan
(Q&A-14: aggregated; the payer that does not know of others need not withhold from the first):
dist401k takes this payment's eligible rollover part as all of them (docs/assess.md).

A periodic payment is withheld from as wages (§3405(a)) by Pub. 15-T's tables; for a tax year
the law holds none of, the withholding is not figured: the outcome says so by the reason
``SR_WITHHOLDING_WAGES`` and every door shows the withholding as unknown (null), never as $0
withheld (:func:`not_figured`, :func:`with_unknown_withholding`).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from dist401k.law.loader import Law
from dist401k.money import cents

#: The reason an outcome gives where the federal withholding on its payment is not figured: a
#: periodic payment, withheld from as wages (§3405(a)), in a tax year for which the law holds
#: no Pub. 15-T table (dist401k.outcome).  Form 1099-R box 4 is then blank.
NOT_FIGURED_REASON = "SR_WITHHOLDING_WAGES"
#: Said beside a table whose "withheld" cell is "unknown" (the CLI's cost table, the report's
#: options).
UNKNOWN_WORDS = ("withheld unknown: a periodic payment is withheld from as wages (IRC §3405(a), "
                 "Form W-4P), by Pub. 15-T tables dist401k does not hold for this year "
                 f"({NOT_FIGURED_REASON}); the check received is the payment before that "
                 "withholding, and what is still due when filing is not figured.")


def not_figured(reasons: dict, n: int) -> np.ndarray:
    """The cases of an outcome (``reasons``: its reason masks; ``n`` cases) whose federal
    withholding is not figured (:data:`NOT_FIGURED_REASON`): unknown, not zero."""
    return np.asarray(reasons.get(NOT_FIGURED_REASON, np.zeros(n, bool)), bool) & np.ones(n, bool)


def row_not_figured(row: dict) -> bool:
    """Whether an outcome row of an assessment (its ``reasons``, each with its ``code``) has
    its federal withholding not figured (:data:`NOT_FIGURED_REASON`)."""
    return any(r.get("code") == NOT_FIGURED_REASON for r in row.get("reasons") or ())


def with_unknown_withholding(result: dict) -> dict:
    """An assessment (``outcomes``, each a row) with the federal withholding of every outcome
    whose withholding is not figured made null — unknown, not zero (§3405(a): a periodic
    payment is withheld from as wages, by tables the law does not hold for the year).  The
    check received stays the payment before that withholding, as the reason says; what is
    kept after all tax does not depend on it.  Changed in place, and returned."""
    for row in result.get("outcomes") or ():
        if row_not_figured(row):
            row["withholding"] = None
    return result


class Withholding:
    """The withholding rates of a batch: the law's (per case, by tax year) and the payee's
    Form W-4R election (NaN: none); ``no_tin`` and ``abroad`` (per case, default none): the
    payee furnished no TIN, the payment is delivered outside the United States — an election
    below the default is then not in effect (§3405(e)(12), (13))."""

    def __init__(self, elected_rate, erd_rate, default_rate, small, no_tin=False, abroad=False):
        elected_rate = np.asarray(elected_rate, dtype=float)
        self.erd_rate, self.small = erd_rate, small
        self.elected = ~np.isnan(elected_rate)
        self.elected_rate = np.where(self.elected, elected_rate, 0.0)
        below = self.elected & (self.elected_rate < default_rate)
        self.voided = {"OC_W4R_NO_TIN": below & np.asarray(no_tin, bool),
                       "OC_W4R_ABROAD": below & np.asarray(abroad, bool)}
        void = self.voided["OC_W4R_NO_TIN"] | self.voided["OC_W4R_ABROAD"]
        self.nonperiodic_rate = np.where(self.elected & ~void, elected_rate, default_rate)

    def void_reasons(self, nonperiodic) -> dict[str, np.ndarray]:
        """Where a payment withheld under §3405(b) (``nonperiodic``) has the default rate
        because the payee's lower election is void: no TIN furnished (§3405(e)(12)), delivered
        outside the United States (§3405(e)(13)(A))."""
        return {k: np.asarray(nonperiodic, bool) & v for k, v in self.voided.items()}

    def erd_rate_applies(self, erd_gross) -> np.ndarray:
        """Cases whose eligible rollover distribution of ``erd_gross`` (this payment's eligible
        rollover part, taken as the year's) reaches the small-distribution floor, so the 20%
        applies; below it none need be withheld (Treas. Reg. §31.3405(c)-1, Q&A-14)."""
        return np.asarray(erd_gross) >= self.small

    def below_erd_floor(self) -> np.ndarray:
        """Cases whose W-4R election is below the eligible rollover distribution's rate: it
        cannot lower that withholding (§3405(c)(1); Form W-4R, "you can't choose a rate of
        less than 20%"), so it is refused for such a payment in cash (where the 20% applies:
        :meth:`erd_rate_applies`)."""
        return self.elected & (self.elected_rate < self.erd_rate)

    def on(self, taxable_cash, eligible_rollover: bool, erd_gross) -> np.ndarray:
        """Dollars withheld from ``taxable_cash``; for an eligible rollover distribution,
        ``erd_gross`` is its amount (taxable or not, a loan offset with it included), which
        the $200 test reads (:meth:`erd_rate_applies`)."""
        if not eligible_rollover:
            return self.nonperiodic_rate * taxable_cash
        erd = np.where(self.erd_rate_applies(erd_gross), self.erd_rate * taxable_cash, 0.0)
        # A W-4R election can raise the 20% on an eligible rollover distribution, never lower
        # it; under the $200 floor nothing is required, and an elected rate is what is withheld.
        return np.where(self.elected, np.maximum(erd, self.elected_rate * taxable_cash), erd)


#: The law files of Pub. 15-T's Worksheet 1A and its Annual Percentage Method tables
#: (periodic payments of pensions and annuities): the standard schedules, the Step 2 ones.
PERIODIC_TABLES = {False: ("withholding.periodic_table_over", "withholding.periodic_table_base"),
                   True: ("withholding.periodic_step2_over", "withholding.periodic_step2_base")}
PERIODIC_RATE = "withholding.periodic_table_rate"
PERIODIC_LINE_1G = "withholding.periodic_line_1g"
PERIODIC_NO_CERTIFICATE = "withholding.periodic_no_certificate_status"


class W4p(NamedTuple):
    """A batch's Form W-4P entries (one per case): the Step 1(c) filing status code (a code
    of dist401k.law.filing_status; -1 where no W-4P is in effect), the Step 2 box, Step 3's
    credits, Step 4(a)'s other income, Step 4(b)'s deductions (USD a year), Step 4(c)'s extra
    withholding (USD a payment), and the election to have nothing withheld (§3405(a)(2))."""

    status: Any
    step2: Any = False
    credits: Any = 0.0
    other_income: Any = 0.0
    deductions: Any = 0.0
    extra: Any = 0.0
    exempt: Any = False

    @classmethod
    def none(cls, n: int) -> "W4p":
        """No W-4P in effect for any of ``n`` cases."""
        return cls(status=np.full(n, -1))


def _periodic_tentative(law: Law, years, status, step2, adjusted) -> np.ndarray:
    """Pub. 15-T, Worksheet 1A, lines 2a–2h: the tentative annual withholding on the adjusted
    annual amount, by the row of the Annual Percentage Method table it falls in (the
    standard schedule, or the Step 2 one where the box is checked)."""
    rate = law.get(PERIODIC_RATE, years, before=np.nan)
    rate = np.broadcast_to(rate, (len(adjusted), rate.shape[-1]))
    out = np.full(len(adjusted), np.nan)
    for checked, (over_name, base_name) in PERIODIC_TABLES.items():
        over = law.get(over_name, years, status, before=np.nan)
        base = law.get(base_name, years, status, before=np.nan)
        row = np.maximum((adjusted[:, None] >= over).sum(axis=1) - 1, 0)[:, None]
        pick = np.take_along_axis
        tentative = (pick(base, row, 1)[:, 0] + (adjusted - pick(over, row, 1)[:, 0])
                     * pick(rate, row, 1)[:, 0])
        out = np.where(step2 == checked, tentative, out)
    return out


def periodic_withholding(law: Law, years, taxable, per_year, w4p: W4p,
                         no_tin=False, abroad=False) -> np.ndarray:
    """Dollars withheld from each periodic payment (IRC §3405(a)(1): "as if such payment were
    a payment of wages"), by Pub. 15-T's Worksheet 1A (Forms W-4P from 2022 or later) and its
    Annual Percentage Method tables: the payment's ``taxable`` part annualised by the series'
    ``per_year`` payments (lines 1a–1c), Step 4(a) added, Step 4(b) and line 1g (none when the
    Step 2 box is checked) subtracted (1d–1i), the table's tentative amount (2a–2h), divided
    back by the payments a year, Step 3's credits a year likewise (3a–3c, not below zero), and
    Step 4(c)'s extra added (4a–4b).  No W-4P in effect (status -1): as the law's default
    filing status (single) with no adjustments (§3405(a)(4); Treas. Reg. §31.3405(a)-1;
    Pub. 15-T).  The election out (§3405(a)(2)) withholds nothing, except where the payment is
    delivered outside the United States (§3405(e)(13)): then no election is in effect and the
    default applies.  A payee who furnished no TIN has no election of the W-4P in effect
    (§3405(e)(12)): withheld as single with no adjustments, whatever the form says (Pub. 15-A
    (2020) and Form W-4P (2020): "as if the recipient were single"; the current Pub. 15-T's
    words not read).  NaN where the year has no table in the law."""
    years = np.asarray(years, np.int64)
    n = len(years)
    taxable = np.broadcast_to(np.asarray(taxable, float), (n,))
    status = np.broadcast_to(np.asarray(w4p.status), (n,)).astype(np.int64)
    effect = periodic_w4p_effect(w4p, n, no_tin, abroad)
    given = (status >= 0) & ~effect["not_in_effect"]
    default = np.asarray(law.get(PERIODIC_NO_CERTIFICATE, years, before=0), np.int64)
    status = np.where(given, status, default)

    def entry(value, fill):
        return np.where(given, np.broadcast_to(np.asarray(value, float), (n,)), fill)

    step2 = entry(w4p.step2, 0.0) > 0
    k = np.broadcast_to(np.asarray(per_year, float), (n,))
    line_1g = np.where(step2, 0.0, law.get(PERIODIC_LINE_1G, years, status, before=np.nan))
    adjusted = np.maximum(taxable * k + entry(w4p.other_income, 0.0)
                          - entry(w4p.deductions, 0.0) - line_1g, 0.0)
    per_payment = _periodic_tentative(law, years, status, step2, adjusted) / k
    tax = np.maximum(per_payment - entry(w4p.credits, 0.0) / k, 0.0) + entry(w4p.extra, 0.0)
    return np.where(effect["exempt"], 0.0, cents(tax))


def periodic_w4p_effect(w4p: W4p, n: int, no_tin=False, abroad=False) -> dict[str, np.ndarray]:
    """What of each of ``n`` cases' Form W-4P the withholding on a periodic payment follows
    (IRC §3405(a)), one mask each, exactly one set per case: ``exempt``, the election to have
    nothing withheld in effect (§3405(a)(2)); ``given``, the form's Step 1(c) filing status and
    Steps 2 to 4 (Pub. 15-T, Worksheet 1A); ``not_in_effect``, a form given but none of it in
    effect — the payee furnished no TIN (§3405(e)(12)), or elected out for a payment delivered
    outside the United States (§3405(e)(13)) —: as the law's default, single with no
    adjustments; ``none``, no form given: the same default (§3405(a)(4)); and ``step2``, the
    cases of ``given`` whose Step 2 box is checked (line 1g of Worksheet 1A is then $0)."""
    status = np.broadcast_to(np.asarray(w4p.status), (n,)).astype(np.int64)
    exempt = np.broadcast_to(np.asarray(w4p.exempt, bool), (n,))
    no_tin = np.broadcast_to(np.asarray(no_tin, bool), (n,))
    abroad = np.broadcast_to(np.asarray(abroad, bool), (n,))
    form = (status >= 0) | exempt
    void = form & (no_tin | (exempt & abroad))
    out = exempt & ~void
    given = form & ~void & ~out
    step2 = given & (np.broadcast_to(np.asarray(w4p.step2, float), (n,)) > 0)
    return {"exempt": out, "given": given, "not_in_effect": void, "none": ~form, "step2": step2}
