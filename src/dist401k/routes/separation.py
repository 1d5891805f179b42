"""After severance from employment: every vested dollar is payable, at any age
(IRC §401(k)(2)(B)(i)(I); §403(b)(11); §457(d)(1)(A)(ii)).  Whether the 10% tax applies (the
rule of 55, public safety at 50) is decided with the outcome (dist401k.early_distribution).

The plan's termination opens the same payment to a participant who still works there:

- a 401(k)'s deferrals on "the termination of the plan without establishment or maintenance of
  another defined contribution plan" (§401(k)(2)(B)(i)(II), (10)(A)(i)), not where the employer
  keeps an alternative defined contribution plan (Treas. Reg. §1.401(k)-1(d)(4)(i):
  ``plan.alternative_dc_plan``), and only as a lump sum distribution (§401(k)(10)(B): the
  whole account, §402(e)(4)(D) without its subclauses (I)-(IV)); the employer money of a
  profit-sharing or money purchase plan with it, the plan's termination being the event on which
  the plan pays all it holds;
- a 403(b)'s on the plan's termination where the employer makes no contributions to another
  403(b) contract (Treas. Reg. §1.403(b)-10(a)(1));
- a governmental 457(b)'s on the plan's termination (Treas. Reg. §1.457-10(a)(1)).

Each terminated plan must pay all its accumulated benefits (the same paragraphs), so the payment
is the whole vested account: an amount asked for below it is refused with the rule
(``TM_LUMP_SUM_ONLY``).  It is an eligible rollover distribution taxed as a payment after
separation, but the plan's termination is no exception to the 10% tax of §72(t) (no rule of 55
without a separation).  The termination vests a §401(a) plan's accounts (§411(d)(3):
dist401k.batch.vested_on_termination, ``TM_VESTED``)."""

from __future__ import annotations

import numpy as np

from dist401k.batch import SECTION_401A_PLANS, CaseBatch
from dist401k.case import PlanType
from dist401k.money import HALF_CENT
from dist401k.routes.base import RouteResult
from dist401k.routes.common import Facts, accrued_benefit, by_plan_type, plan_is

#: The plans whose deferrals an alternative plan of the employer keeps in on termination.
BARRED_BY_ALTERNATIVE_PLAN = (PlanType.PLAN_401K, PlanType.PLAN_403B_ANNUITY,
                              PlanType.PLAN_403B7)


def separation(b: CaseBatch, f: Facts) -> RouteResult:
    has = b.balance > 0
    t = termination(b, f)
    open_ = f.separated | t["pays"]
    eligible = open_[:, None] & has
    available = np.where(eligible, b.vested_balance, 0.0)
    active = ~f.separated & ~t["pays"] & ~t["barred"] & ~t["partial"]
    reasons = {"SP_OK": f.separated[:, None] & has,
               **by_plan_type(b, "SP_ACTIVE", active[:, None] & has),
               **_by_kind(b, "TM_PAYS", t["pays"][:, None] & has),
               **_by_kind(b, "TM_ALTERNATIVE_PLAN", t["barred"][:, None] & has, gov457=False),
               "TM_LUMP_SUM_ONLY": t["partial"][:, None] & has,
               "TM_VESTED": t["vested"][:, None] & has,
               **{code: mask[:, None] & has for code, mask in small_cash_out(b, f).items()}}
    return RouteResult("separation", eligible, available, reasons)


def small_cash_out(b: CaseBatch, f: Facts) -> dict[str, np.ndarray]:
    """[n] masks of a separated participant whose plan may pay the benefit without asking: the
    present value of the nonforfeitable benefit at most the §411(a)(11)(A) cash-out limit (law
    ``in_service.governmental_457b_de_minimis``: $7,000 from 2024, SECURE 2.0 §304; §417(e)(1)
    for the spouse's consent), if the plan document so provides, which the case does not say.
    The benefit is measured as :func:`dist401k.outcome.small_benefit_cash_out` measures it: the
    vested account with the loans outstanding (the loan is an asset of the account), money
    rolled in counted (a plan may leave it out, §411(a)(11)(D): the reason says so).

    ``SP_SMALL_CASH_OUT_IRA``: over the §401(a)(31)(B) floor (law
    ``rollover.automatic_rollover_floor``; none before it took effect), such a mandatory
    distribution goes by direct rollover to an IRA the administrator designates unless the
    participant elects otherwise (Treas. Reg. §1.401(a)(31)-1); ``SP_SMALL_CASH_OUT_CHECK``: at
    or under it, a payment to the participant.  A beneficiary's or an alternate payee's account
    is no participant's: neither applies."""
    participant = f.separated & ~np.asarray(b.inherited, bool) & ~np.asarray(b.alternate_payee, bool)
    benefit = accrued_benefit(b)
    small = participant & (benefit > HALF_CENT) & \
        (benefit <= f.lk.get("in_service.governmental_457b_de_minimis") + HALF_CENT)
    over = benefit > f.lk.get("rollover.automatic_rollover_floor", before=np.inf) + HALF_CENT
    return {"SP_SMALL_CASH_OUT_IRA": small & over, "SP_SMALL_CASH_OUT_CHECK": small & ~over}


def _by_kind(b: CaseBatch, code: str, mask: np.ndarray, gov457: bool = True) -> dict:
    """[n, S] ``mask`` under ``code`` for a §401(a) plan, ``code``_403B for a 403(b) (annuity or
    custodial account: Treas. Reg. §1.403(b)-10(a)(1)), ``code``_457B for a governmental 457(b)
    (§1.457-10(a)(1)): each cites its own rule."""
    b403 = plan_is(b, PlanType.PLAN_403B_ANNUITY, PlanType.PLAN_403B7)[:, None]
    out = {code: mask & plan_is(b, *SECTION_401A_PLANS)[:, None], code + "_403B": mask & b403}
    if gov457:
        out[code + "_457B"] = mask & plan_is(b, PlanType.GOVERNMENTAL_457B)[:, None]
    return out


def termination(b: CaseBatch, f: Facts) -> dict[str, np.ndarray]:
    """[n] masks of a participant still at work whose plan is terminated: ``pays`` (the
    termination pays the whole account), ``barred`` (an alternative plan keeps the deferrals
    in), ``partial`` (an amount below the whole account asked for: a lump sum only); ``vested``
    (a terminated §401(a) plan, every case: its accounts nonforfeitable, §411(d)(3))."""
    terminated = np.asarray(b.plan_terminated, bool)
    working = terminated & ~f.separated
    barred = working & np.asarray(b.alternative_dc_plan, bool) & plan_is(
        b, *BARRED_BY_ALTERNATIVE_PLAN)
    whole = b.vested_balance.sum(axis=1)
    amount = np.asarray(b.amount, float)
    with np.errstate(invalid="ignore"):
        partial = working & ~barred & ~np.isnan(amount) & (amount < whole - HALF_CENT)
    return {"pays": working & ~barred & ~partial, "barred": barred, "partial": partial,
            "vested": terminated & plan_is(b, *SECTION_401A_PLANS)}
