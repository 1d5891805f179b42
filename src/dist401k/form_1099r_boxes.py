"""Every box of the Forms 1099-R a payment produces, as arrays over the batch (Instructions for
Forms 1099-R and 5498, "Specific Instructions for Form 1099-R", boxes 1 to 16).

A payment gives up to six forms, one for each part the instructions keep apart:

* the non-Roth money paid to the participant (box 7: the cash code);
* the designated Roth money paid to the participant (code B with the cash code): "a
  distribution from a designated Roth account must be reported on a separate Form 1099-R";
* the non-Roth money directly rolled over (code G): "if part of a distribution is a direct
  rollover and part is not, file separate Forms 1099-R";
* the designated Roth money directly rolled over (code H to a Roth IRA, B with G to another
  plan's designated Roth account);
* where the cash code is 1 (the 10% tax, no exception known) and the payment is from a
  governmental 457(b), its own money, which the 10% tax does not reach (§72(t)(9)), non-Roth and
  designated Roth apart, each with code 2 (B2): "if two or more other numeric codes are
  applicable, you must file more than one Form 1099-R" (Box 7); code 2 covers "a governmental
  section 457(b) plan distribution that is not subject to the additional 10% tax".  The money
  rolled into it from other plans keeps the first two forms and code 1.

A 60-day rollover is reported as paid: the taxpayer, not the payer, reports the rollover.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from dist401k.annuity import SERIES_ROUTES
from dist401k.basis import roth_investment_share
from dist401k.case import NUA_PLAN_TYPES, SECTION_401A_PLANS, SERIES, PlanType
from dist401k.dates import MONTHS_PER_YEAR, days_from_civil, year_month_day, year_of
from dist401k.explain import spelled
from dist401k.irr_recapture import allocable_of_payment
from dist401k.law.loader import Lookup, default_law
from dist401k.money import CENTS, HALF_CENT, cents
from dist401k.routes.beneficiary import paid_from_ira
from dist401k.sources import ROTH
from dist401k.withholding import not_figured as withholding_not_figured

#: The parts of a payment that go on forms of their own, in the order the forms are listed
#: (the governmental 457(b)'s own money paid beside rolled-in money taxed 10% last: a part
#: added after the others, docs/batch.md).
PARTS = ("pretax_cash", "roth_cash", "rolled_pretax", "rolled_roth", "pretax_cash_457",
         "roth_cash_457")
#: The parts paid to the participant, and those of designated Roth money.
CASH_PARTS = ("pretax_cash", "roth_cash", "pretax_cash_457", "roth_cash_457")
ROTH_PARTS = ("roth_cash", "rolled_roth", "roth_cash_457")
#: Destinations reached by direct rollover (box 7 code G or H).
DIRECT = ("traditional_ira", "roth_ira", "other_plan", "split_2014_54")
#: Roth IRA codes stand alone (Guide to Distribution Codes: Q, T and J take no code B).
ROTH_IRA_CODES = ("Q", "T", "J")


def plan_roth_first_year(first: np.ndarray) -> np.ndarray:
    """[n, S]: the first year of the plan's designated Roth account — the earliest of its Roth
    sources' (NaN: none) — on every source: its five-taxable-year period (§402A(d)(2)(B)) and
    box 11 of the form are the account's, whatever source a payment comes from; a direct
    rollover in may only start it earlier (Treas. Reg. §1.402A-1, Q&A-4(b))."""
    earliest = np.where(np.isnan(first), np.inf, first).min(axis=1, keepdims=True)
    return np.broadcast_to(np.where(np.isinf(earliest), np.nan, earliest), first.shape)


def paid_shares(b, alloc, taxable_all, taxable_pretax, nonroth_share,
                irr_period=None, ex457=None, taxable_src=None) -> dict[str, np.ndarray]:
    """What the forms read of a payment split by source (``alloc``, [n, S]): the taxable share
    of its non-Roth money, the taxable Roth earnings, the designated Roth contributions it
    recovers (box 5, §402A(d); the whole designated Roth account's share, one contract:
    :func:`dist401k.basis.roth_investment_share`), the first year of the Roth account paid
    from (box 11) and the part of those contributions allocable to in-plan Roth rollovers within
    ``irr_period`` taxable years
    (box 10, :mod:`dist401k.irr_recapture`; none where no period is given); and, where
    ``ex457`` ([n, S], a governmental 457(b)'s money outside §72(t)) and ``taxable_src`` (the
    taxable dollars paid by source) are given, that money's part of the payment
    (:func:`exempt_457_paid`)."""
    roth = ROTH[None, :]
    contributed = roth_investment_share(b.balance, b.roth_contributions)
    paid_roth = (alloc > HALF_CENT) & roth
    account = plan_roth_first_year(b.roth_first_year)
    first = np.where(paid_roth & ~np.isnan(account), account, np.inf)
    basis_paid = alloc * contributed * roth
    # Box 10 goes on the form of the sources that hold the rollovers: a governmental 457(b)'s
    # own money (``ex457``) has none to report (dist401k.irr_recapture), and where it is paid
    # beside rolled-in money taxed 10% it has a form of its own (code B2).
    outside = np.zeros(alloc.shape, bool) if ex457 is None else np.asarray(ex457, bool)
    irr = np.zeros(len(b)) if irr_period is None else allocable_of_payment(
        b, alloc, irr_period, outside)
    return {"nonroth_taxable_share": nonroth_share,
            "roth_taxable": taxable_all - taxable_pretax,
            "roth_contributions_paid": basis_paid.sum(axis=1),
            "roth_first_year": first.min(axis=1),
            "irr_allocable": irr, "irr_roth_paid": (alloc * (roth & ~outside)).sum(axis=1),
            "irr_unknown": (paid_roth & ~outside & ~np.asarray(b.irr_given, bool)).any(axis=1),
            **({} if ex457 is None or taxable_src is None
               else exempt_457_paid(alloc, taxable_src, basis_paid, ex457))}


def exempt_457_paid(alloc, taxable_src, basis_paid, ex457) -> dict[str, np.ndarray]:
    """The governmental 457(b)'s own money in a payment (``ex457``, [n, S]: outside §72(t),
    §72(t)(9)), non-Roth and designated Roth: its gross, its taxable part and, for the Roth
    money, the designated Roth contributions it recovers — the forms of code 2 beside code 1."""
    roth = ROTH[None, :]
    out, taxable = alloc * ex457, taxable_src * ex457
    return {"ex457_pretax": (out * ~roth).sum(axis=1),
            "ex457_pretax_taxable": (taxable * ~roth).sum(axis=1),
            "ex457_roth": (out * roth).sum(axis=1),
            "ex457_roth_taxable": (taxable * roth).sum(axis=1),
            "ex457_roth_contributions": (basis_paid * ex457).sum(axis=1)}


@dataclass(frozen=True)
class Form1099R:
    """One form's boxes for each case of the batch; ``issued`` says where the form exists.
    ``box_2a`` is NaN where the box is left blank (a Roth IRA: the payer need not figure it)."""

    part: str
    issued: np.ndarray
    box_1: np.ndarray  # gross distribution
    box_2a: np.ndarray  # taxable amount
    box_2b_not_determined: np.ndarray
    box_2b_total: np.ndarray  # total distribution
    box_4: np.ndarray  # federal income tax withheld
    box_5: np.ndarray  # employee contributions / designated Roth contributions
    box_7: np.ndarray  # distribution code(s)
    box_7_ira: np.ndarray  # the IRA/SEP/SIMPLE box
    box_11: np.ndarray  # first year of designated Roth contributions, 0 = none
    box_14: np.ndarray  # state tax withheld, NaN = none given or not known
    box_15: np.ndarray  # state, "" = none
    box_16: np.ndarray  # state distribution, NaN = none
    box_3: np.ndarray  # capital gain (pre-1974 participation), NaN = blank or not figured
    box_6: np.ndarray  # net unrealized appreciation in employer securities, NaN = blank
    box_10: np.ndarray  # allocable to an in-plan Roth rollover within 5 years, NaN = blank
    box_9b: np.ndarray  # total employee contributions (a life annuity's cost), NaN = blank
    #: The boxes that apply but that the case lacks the facts for, ';'-joined ("" = none):
    #: blank there means unknown, not zero.
    not_figured: np.ndarray
    #: An issued form whose payment (all its forms' box 1) is under the filing threshold (law
    #: ``form_1099r.filing_threshold``): required only if the year's distributions to the
    #: person from the plan reach it (:func:`below_filing_threshold`).
    below_filing_threshold: np.ndarray


def _roth_code(code) -> np.ndarray:
    """Code B with the cash code for designated Roth money (B goes with 1, 2, 4, 7, 8, G, L,
    M, P or U, not with 3: a disability payment before 59½ is an early distribution with a
    known exception, code 2); Roth IRA codes alone.  Box 7 takes two codes at most ("Enter no
    more than two alphanumeric codes in box 7"): a loan that goes bad from designated Roth
    money is ``BL`` (deemed) or ``BM`` (a qualified plan loan offset), its cash code left out
    (dist401k.loan_outcome)."""
    code = np.asarray(code).astype(object)
    with_b = np.where(code == "3", "B2", "B" + code)
    text = code.astype(str)
    loan = np.char.endswith(text, "L") | np.char.endswith(text, "M")
    with_b = np.where(loan, "B" + np.char.lstrip(text, "0123456789").astype(object), with_b)
    return np.where(np.isin(code, ROTH_IRA_CODES), code, with_b)


def _amounts(o, direct: bool) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(box 1, box 2a, box 5) of each part.  Non-Roth money: taxable pro rata, after-tax
    contributions in box 5 (§72(e)(8)), except that beside a direct rollover the rollover
    takes the taxable money first (§402(c)(2); Notice 2014-54); rolled directly, box 2a is 0
    unless rolled to a Roth IRA (a conversion: the taxable amount, box 2a instructions).  Roth money: taxable
    earnings in box 2a, designated Roth contributions in box 5; rolled directly, box 2a 0."""
    p, x = o.parts, _shares(o)
    share = x["nonroth_taxable_share"]
    roth_gross = p["roth_cash"] + p["rolled_roth"] * direct
    with np.errstate(divide="ignore", invalid="ignore"):
        roth_taxable_share = np.where(roth_gross > 0, x["roth_taxable"] / roth_gross, 0.0)
        roth_basis_share = np.where(roth_gross > 0, x["roth_contributions_paid"] / roth_gross,
                                    0.0)
    rolled_share = x.get("rolled_taxable_share", share)
    rolled_pretax = p["rolled_pretax"] * direct
    rolled_roth = p["rolled_roth"] * direct
    converted = rolled_pretax * rolled_share if o.destination == "roth_ira" else 0.0 * share
    ex_pre, ex_roth = _exempt_457_amounts(o, x)
    return {
        "pretax_cash": _less((p["pretax_cash"], p["pretax_cash"] * share,
                              p["pretax_cash"] * (1 - share)), ex_pre),
        "roth_cash": _less((p["roth_cash"], p["roth_cash"] * roth_taxable_share,
                            p["roth_cash"] * roth_basis_share), ex_roth),
        "rolled_pretax": (rolled_pretax, converted, rolled_pretax * (1 - rolled_share)),
        "rolled_roth": (rolled_roth, 0.0 * rolled_roth, rolled_roth * roth_basis_share),
        "pretax_cash_457": ex_pre, "roth_cash_457": ex_roth,
    }


def _split_457(o) -> np.ndarray:
    """Where the payment's governmental 457(b) money goes on forms of its own: paid to the
    participant with cash code 1 (``1``, ``1M``, ``1L``), which that money, outside §72(t),
    does not take; with any other code (2, 3, 4, 7) it takes the same code as the rest."""
    return no_exception(o) & (o.destination not in DIRECT)


def _exempt_457_amounts(o, x) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]]:
    """(box 1, box 2a, box 5) of the governmental 457(b)'s own money paid, non-Roth and Roth,
    where it goes on forms of its own (:func:`_split_457`); zero elsewhere."""
    split = _split_457(o)
    zero = np.zeros(np.shape(o.gross))

    def paid(key):
        return np.where(split, x.get(key, zero), 0.0)

    pre, pre_taxable = paid("ex457_pretax"), paid("ex457_pretax_taxable")
    roth = paid("ex457_roth")
    return ((pre, pre_taxable, pre - pre_taxable),
            (roth, paid("ex457_roth_taxable"), paid("ex457_roth_contributions")))


def _less(whole, part) -> tuple[np.ndarray, ...]:
    """Each box of ``whole`` less the same box of ``part`` (the form it leaves)."""
    return tuple(np.maximum(0.0, np.asarray(w) - p) for w, p in zip(whole, part, strict=True))


def _shares(o) -> dict[str, np.ndarray]:
    """The outcome's split for the forms (:func:`paid_shares`); an outcome made without it
    (a payment of non-Roth money only) is taxable as the outcome says: its taxable share is
    its taxable amount over its gross."""
    if "nonroth_taxable_share" in o.extra:
        return o.extra
    gross = np.asarray(o.gross, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(gross > 0, np.asarray(o.taxable, float) / gross, 0.0)
    zero = np.zeros_like(gross)
    return {"nonroth_taxable_share": share, "roth_taxable": zero,
            "roth_contributions_paid": zero, "roth_first_year": np.full(gross.shape, np.inf),
            "irr_allocable": zero, "irr_roth_paid": zero,
            "irr_unknown": np.zeros(gross.shape, bool)}


def exempt_457_code(code) -> np.ndarray:
    """Box 7 of a governmental 457(b)'s own money paid beside money taxed 10% (code 1): the
    same code with 2 for 1 (``2``, ``2M``); a deemed distribution's ``1L`` becomes ``L``
    alone, as L is not used with 2 (dist401k.loan_outcome)."""
    code = np.asarray(code).astype(str)
    return np.where(code == "1L", "L", np.char.replace(code, "1", "2")).astype(object)


#: The law file of the box 7 codes of a payment to an alternate payee under a QDRO.
QDRO_CODE_PARAM = "qdro.form_1099r_code"


def qdro_distribution_code(lk: Lookup, at_59_half) -> np.ndarray:
    """Box 7 of a payment to an alternate payee under a QDRO (Instructions for Forms 1099-R
    and 5498, Guide to Distribution Codes): code 2 before 59½ — "any other distribution subject
    to an exception under section 72(q), (t), (u), or (v) that is not required to be reported
    using Code 1, 3, or 4", the exception being §72(t)(2)(C) —, code 7 from 59½.  The age is the
    ``person``'s: the alternate payee a spouse's or former spouse's form names, the participant
    a child's or dependent's names (docs/forms.md: which age the instructions mean for an
    alternate payee is not confirmed)."""
    table = lk.get(QDRO_CODE_PARAM)
    keys = lk.law.param(QDRO_CODE_PARAM).keys
    early, normal = (table[:, keys.index(k)] for k in ("early", "normal"))
    code = np.where(np.asarray(at_59_half, bool), normal, early)
    return np.array([str(int(c)) for c in code], dtype=object)


def _codes(o, n: int) -> dict[str, np.ndarray]:
    """Box 7 of each part (Guide to Distribution Codes).  A beneficiary's direct rollover (to
    an inherited IRA, or a surviving spouse's) is a death benefit: code 4 with G, or with H for
    designated Roth money moved to a Roth IRA (code 4 "used with codes A, B, D, G, H, K, L, or
    P"; Instructions for Forms 1099-R and 5498, box 7)."""
    death = "4" if o.route == "beneficiary" else ""
    roth_rolled = "BG" if o.destination == "other_plan" else death + "H"
    exempt = exempt_457_code(o.code)
    return {"pretax_cash": np.asarray(o.code).astype(object),
            "roth_cash": _roth_code(o.code),
            "rolled_pretax": np.full(n, death + "G", dtype=object),
            "rolled_roth": np.full(n, roth_rolled, dtype=object),
            "pretax_cash_457": exempt, "roth_cash_457": _roth_code(exempt)}


#: The codes code A goes with (Guide to Distribution Codes: A with 4 or 7).
CODE_A_WITH = ("4", "7")


def with_code_a(code, lump) -> np.ndarray:
    """Box 7 of the non-Roth money paid: code A beside 7 or 4 where the payment is a total
    distribution that may be taxed on Form 4972 (``lump``): "for a normal distribution from a
    qualified plan that qualifies for the 10-year tax option, enter Codes 7 and A"; "use Code A
    only for participants born before January 2, 1936, or their beneficiaries" (Instructions
    for Forms 1099-R and 5498, box 7).  The Roth form keeps its code B, which A does not join."""
    code = np.asarray(code).astype(object)
    return np.where(np.asarray(lump, bool) & np.isin(code, CODE_A_WITH), code + "A", code)


def _withheld(o, amounts) -> dict[str, np.ndarray]:
    """Box 4: the outcome's withholding falls on the taxable amounts paid to the participant
    (§3405; nothing is withheld on a direct rollover), shared among the forms paid in
    proportion to their taxable amounts (:func:`_shared`): over the forms, box 4 is the
    withholding to the cent (the payer's Form 945 is reconciled against it).  Where the
    outcome tells the Roth money's own withholding (``withholding_roth``: a beneficiary whose
    designated Roth part is figured apart, its minimum at 10% and the rest at 20% each on its
    own money, dist401k.outcome.beneficiary_split), the Roth form has that, to the cent, and
    the other form the rest, the two to the cent by :func:`split_to_the_cent`."""
    total = cents(o.withholding)
    zero = np.zeros_like(total)
    shared = _roth_own(_shared(total, amounts), o.withholding, o.extra.get("withholding_roth"))
    return {**shared, "rolled_pretax": zero, "rolled_roth": zero}


def _roth_own(shared: dict[str, np.ndarray], raw_total, roth) -> dict[str, np.ndarray]:
    """``shared`` (the cash forms' shares of a withholding) with the Roth form's own share
    ``roth`` where the outcome tells it (finite; None: nowhere), the non-Roth form the rest,
    the two to the cent adding up to the total's cents (:func:`split_to_the_cent`)."""
    if roth is None:
        return shared
    raw_total = np.asarray(raw_total, float)
    own = np.isfinite(np.asarray(roth, float)) & np.isfinite(raw_total)
    raw = np.where(own, raw_total, 0.0)
    raw_roth = np.clip(np.where(own, roth, 0.0), 0.0, raw)
    split = split_to_the_cent(np.stack([raw - raw_roth, raw_roth], axis=1), cents(raw))
    return {**shared, "pretax_cash": np.where(own, split[:, 0], shared["pretax_cash"]),
            "roth_cash": np.where(own, split[:, 1], shared["roth_cash"])}


#: An amount this many cents from a whole cent is that cent (binary floating point noise).
_CENT_NOISE = 1e-6


def split_to_the_cent(raw, total, upper=None) -> np.ndarray:
    """[n, P] amounts to the cent that add up exactly to ``total`` ([n], to the cent): each
    ``raw`` amount's whole cents, then the cents left over one each to the amounts with the
    largest remainders, ties to the earlier form (the largest-remainder rule: the same raw
    amounts always give the same cents).  An amount of nothing takes no cent; where
    ``upper`` ([n, P], to the cent) is given no amount exceeds it.  Where rounding each
    amount on its own already adds up, the two agree (but for halves)."""
    c = np.asarray(raw, float) * CENTS
    live = c > _CENT_NOISE
    base = np.where(live, np.floor(c + _CENT_NOISE), 0.0)
    top = base + live
    if upper is not None:
        cap = np.rint(np.asarray(upper, float) * CENTS)
        base, top = np.minimum(base, cap), np.minimum(top, cap)
    want = np.rint(np.asarray(total, float) * CENTS) - base.sum(axis=1)
    room = top > base
    key = np.where(room, c - base, -np.inf)
    rank = np.argsort(np.argsort(-key, axis=1, kind="stable"), axis=1, kind="stable")
    return (base + (room & (rank < want[:, None]))) / CENTS


def _stacked(values, n: int) -> np.ndarray:
    """[n, P]: one column per form of ``values`` (arrays or numbers)."""
    return np.stack([np.asarray(v, float) + np.zeros(n) for v in values], axis=1)


def to_the_cent(amounts, n: int) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """(box 1, box 2a, box 5) of every part to the cent, so that over a payment's forms the
    boxes add up exactly to the payment's figures to the cent (Form 1099-R boxes are whole
    cents; a payer reconciles its forms to what it paid): box 2a to the taxable amount; box 1
    to the gross, as box 2a plus the part not taxable, each shared by
    :func:`split_to_the_cent` (so box 2a never exceeds box 1); box 5 is box 1 less box 2a on
    a form whose money not taxable is all basis recovered (after-tax contributions,
    designated Roth contributions of a payment that is not qualified), and elsewhere (a
    qualified Roth payment's earnings, money rolled over) box 1 less box 2a less the rest,
    that rest shared to the cent the same way."""
    gross = _stacked((amounts[p][0] for p in PARTS), n)
    taxable = np.minimum(_stacked((amounts[p][1] for p in PARTS), n), gross)
    basis = _stacked((amounts[p][2] for p in PARTS), n)
    box_2a = split_to_the_cent(taxable, cents(taxable.sum(axis=1)))
    untaxed = split_to_the_cent(gross - taxable, cents(gross.sum(axis=1)) - box_2a.sum(axis=1))
    rest = gross - taxable - basis
    rest = np.where(rest * CENTS > _CENT_NOISE, rest, 0.0)
    not_basis = split_to_the_cent(rest, cents(rest.sum(axis=1)), upper=untaxed)
    return {p: (box_2a[:, j] + untaxed[:, j], box_2a[:, j], untaxed[:, j] - not_basis[:, j])
            for j, p in enumerate(PARTS)}


def _shared(total, amounts) -> dict[str, np.ndarray]:
    """``total`` shared among the forms paid to the participant in proportion to their taxable
    amounts (box 2a), to the cent and adding up to it exactly (:func:`split_to_the_cent`);
    where nothing paid is taxable (a Roth IRA's payer withholds on the gross), in proportion
    to the gross paid (all of it on the non-Roth form where nothing is paid).  A form with
    no share takes nothing, even where ``total`` is NaN (not known); one with a share is NaN
    there."""
    total = np.asarray(total, float)
    n = len(total)
    taxable = _stacked((amounts[p][1] for p in CASH_PARTS), n)
    gross = _stacked((amounts[p][0] for p in CASH_PARTS), n)
    first = (np.asarray(CASH_PARTS) == "pretax_cash")[None, :] + np.zeros((n, 1))
    weight = np.where((taxable.sum(axis=1) > 0)[:, None], taxable,
                      np.where((gross.sum(axis=1) > 0)[:, None], gross, first))
    known = ~np.isnan(total)
    whole = np.where(known, total, 0.0)
    split = split_to_the_cent(whole[:, None] * weight / weight.sum(axis=1, keepdims=True), whole)
    return {p: np.where(known, split[:, j], np.where(weight[:, j] > 0, np.nan, 0.0))
            for j, p in enumerate(CASH_PARTS)}


#: The note of a form under the filing threshold (:func:`below_filing_threshold`).
BELOW_THRESHOLD_NOTE = ("OC_1099R_UNDER_FILING_THRESHOLD",)
#: What a form says of a box it leaves blank for want of facts (docs/forms.md).
NOT_FIGURED = {
    "box_3": "box 3: the participant was born before 1936 and this is a total distribution, "
             "but the case does not give the start of plan participation "
             "(employment.participation_date or hire_date): the capital gain is unknown",
    "box_6": "box 6: the account holds employer stock with net unrealized appreciation, but "
             "dist401k figures the payment in cash; distributed in kind, box 6 would show the "
             "appreciation (the NUA trap of compare)",
    "box_10": "box 10: the case does not give the in-plan Roth rollovers of the designated "
              "Roth money paid (account.sources.*.in_plan_roth_rollovers): the amount "
              "allocable to those of the last five years is unknown, not zero",
    "box_4": "box 4: the payment is one of a periodic series, withheld as wages by the payee's Form "
             "W-4P and Pub. 15-T's tables, and dist401k holds no Pub. 15-T table for its tax year "
             "(SR_WITHHOLDING_WAGES): the federal tax withheld is unknown, not zero",
    "box_14": "box 14: the state requires its tax withheld from this payment, but the amount "
              "depends on what dist401k does not ask (the payee's state withholding certificate, "
              "the state's wage tables; STATE_WITHHOLDING_AMOUNT_NOT_FIGURED): unknown, not zero",
}


@dataclass(frozen=True)
class ExtraBoxes:
    """Boxes 3, 6 and 10 of each part, and the boxes the case lacks the facts for."""

    box_3: dict[str, np.ndarray]
    box_6: dict[str, np.ndarray]
    box_10: dict[str, np.ndarray]
    not_figured: dict[str, np.ndarray]


def _months(start, end) -> np.ndarray:
    """Calendar months from ``start`` to ``end``, a part of a month counted as a month."""
    y0, m0, _ = year_month_day(start)
    y1, m1, _ = year_month_day(end)
    return np.maximum(0, (y1 - y0) * MONTHS_PER_YEAR + (m1 - m0) + 1)


def may_average(b, law) -> np.ndarray:
    """Whether a lump sum of each case may be taxed on Form 4972 (its 20% capital gain election
    and 10-year averaging): paid from a plan under §401(a) — a "lump sum distribution" is the
    balance paid "from a trust which forms a part of a plan described in section 401(a)"
    (§402(e)(4)(D)(i)), never a 403(b) or a 457(b) — to a participant born before January 2,
    1936, or to the beneficiary of one (Tax Reform Act of 1986, §1122(h)(3), (5); Instructions
    for Forms 1099-R and 5498, box 3 and code A)."""
    lk = Lookup(law, b.tax_year)
    born = lk.get("form_1099r.capital_gain_born_before").astype(np.int64)
    participant = np.where(np.asarray(b.inherited, bool), np.asarray(b.deceased_birth_date, "datetime64[D]"),
                           np.asarray(b.birth_date, "datetime64[D]"))
    y, m, d = year_month_day(participant)
    return ((y * 10000 + m * 100 + d) < born) & np.isin(b.plan_type, SECTION_401A_PLANS)


def capital_gain_share(b, law) -> tuple[np.ndarray, np.ndarray]:
    """Box 3 (Instructions for Forms 1099-R and 5498; Form 4972): the share of a lump sum's
    taxable amount that is capital gain, the months of active participation before 1974 over
    all of them, where the lump sum may be taxed on Form 4972 (:func:`may_average`); and where
    that share is unknown (no start of participation given)."""
    lk = Lookup(law, b.tax_year)
    before = lk.get("form_1099r.capital_gain_participation_before_year").astype(np.int64)
    old_enough = may_average(b, law)
    start = np.asarray(b.participation_date, dtype="datetime64[D]")
    end = np.where(np.isnat(b.separation_date), b.request_date, b.separation_date)
    cutoff = days_from_civil(before, np.ones_like(before), np.ones_like(before)).astype(
        "datetime64[D]")
    early = _months(start, np.minimum(end, cutoff - np.timedelta64(1, "D")))
    total = _months(start, end)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(old_enough & ~np.isnat(start) & (start < cutoff) & (total > 0),
                         early / total, 0.0)
    return share, old_enough & np.isnat(start)


def extra_boxes(b, o, total, roth_parts: dict[str, np.ndarray], amounts, law) -> ExtraBoxes:
    """Boxes 3, 6 and 10 of each part where the case holds the facts; where it does not, the
    box is blank and named in ``not_figured``."""
    n = len(b)
    blank = np.full(n, np.nan)
    share, unknown_start = capital_gain_share(b, law)
    # Box 6 only for a plan whose lump sum can carry NUA (§402(e)(4)(D)(i)): no 403(b) or 457(b).
    nua = (np.asarray(b.stock_value) > np.asarray(b.stock_basis) + HALF_CENT) & np.isin(
        b.plan_type, NUA_PLAN_TYPES)
    box3, box6, box10, missing = {}, {}, {}, {}
    rolled = rolled_any(amounts, n)  # a lump sum partly rolled over has no Form 4972: no box 3
    irr_unknown = np.asarray(_shares(o).get("irr_unknown", np.ones(n, bool)), bool)
    for part in PARTS:
        cash = part in CASH_PARTS
        lump = total & cash
        taxable = cents(np.asarray(amounts[part][1], float) + np.zeros(n))
        box3[part] = np.where(lump & ~rolled & (share > 0) & (taxable > HALF_CENT),
                              cents(taxable * share), blank)
        box6[part] = blank
        box10[part] = blank
        missing[part] = {"box_3": lump & ~rolled & unknown_start & (taxable > HALF_CENT),
                         "box_6": lump & nua & (part == "pretax_cash"),
                         "box_10": roth_parts[part] & (part == "roth_cash") & irr_unknown
                         & no_exception(o)}
    box10["roth_cash"] = irr_box_10(o, amounts, roth_parts["roth_cash"] & ~irr_unknown)
    return ExtraBoxes(box3, box6, box10, {p: _joined(m) for p, m in missing.items()})


def rolled_any(amounts, n: int) -> np.ndarray:
    """Whether any of the payment is rolled over directly: then no part of it may be taxed on
    Form 4972 ("Did you roll over any part of the distribution? If 'Yes,' don't use this
    form", Form 4972, Part I, line 2): no box 3, no code A."""
    rolled = np.zeros(n)
    for part in ("rolled_pretax", "rolled_roth"):
        rolled = rolled + cents(np.asarray(amounts[part][0], float) + np.zeros(n))
    return np.asarray(rolled > HALF_CENT, bool)


def irr_box_10(o, amounts, known) -> np.ndarray:
    """Box 10 of the Roth money paid in cash on the ``roth_cash`` form: the Roth contributions
    paid from the sources that form holds that are allocable to their in-plan Roth rollovers
    within 5 years (a rolled part is not recaptured, Notice 2010-84, Q&A-12), where the case
    gives them (``known``); blank where an exception under §72(t) applies (box 7 not code 1:
    "do not complete this box") or nothing is allocable (Instructions for Forms 1099-R and
    5498, box 10).  The form holds the money §72(t) reaches: a governmental 457(b)'s own money
    goes on ``roth_cash_457`` (code B2), whose box 10 stays blank (dist401k.irr_recapture)."""
    x = _shares(o)
    if "irr_allocable" not in x:  # an outcome not paid from the plan (a Roth IRA's)
        return np.full(len(known), np.nan)
    paid = np.asarray(x["irr_roth_paid"], float)
    cash = np.asarray(amounts["roth_cash"][0], float) + np.zeros(len(paid))
    with np.errstate(divide="ignore", invalid="ignore"):
        box = cents(np.where(paid > 0, x["irr_allocable"] * np.minimum(1.0, cash / paid), 0.0))
    return np.where(known & no_exception(o) & (box > HALF_CENT), box, np.nan)


def no_exception(o) -> np.ndarray:
    """Whether box 7 says no §72(t) exception applies (code 1, B1, L1…): the only forms whose
    box 10 may be filled ("do not complete this box if an exception under section 72(t)
    applies", Instructions for Forms 1099-R and 5498, box 10)."""
    return np.char.find(np.asarray(o.code).astype(str), "1") >= 0


#: The series whose cost box 9b shows: a life annuity, one life or joint lives (not a period).
LIFE_SERIES = (SERIES.index("life"), SERIES.index("joint_life"))
#: The plans box 9b is for: "a life annuity from a qualified plan or from a section 403(b)
#: plan" (Form 1099-R, Instructions for Recipient, box 9b): §401(a) plans and 403(b)s.
BOX_9B_PLANS = (*SECTION_401A_PLANS, PlanType.PLAN_403B_ANNUITY, PlanType.PLAN_403B7)


def total_employee_contributions(b, o) -> np.ndarray:
    """Box 9b, "Total employee contributions": the employee's total investment in the contract
    of a life annuity from a qualified plan or a 403(b) plan (Form 1099-R, Instructions for
    Recipient, box 9b) — ``request.series_cost``, the cost at the annuity starting date — on
    the form of the year the periodic payments began ("the payer should show your total
    contributions to the plan in box 9b" of that year's Form 1099-R: Pub. 575, Cost
    (Investment in the Contract)).  NaN (blank) for a later year, a specified period, a cost
    not given, a 457(b), or a payment that is not one of the participant's own series."""
    n = len(b)
    if o.route not in SERIES_ROUTES:
        return np.full(n, np.nan)
    start = np.asarray(b.annuity_start, "datetime64[D]")
    dated = ~np.isnat(start)
    first = dated & (year_of(np.where(dated, start, np.datetime64("1970-01-01", "D")))
                     == np.asarray(b.tax_year))
    cost = np.asarray(b.series_cost, float)
    show = first & np.isin(b.series, LIFE_SERIES) & np.isin(b.plan_type, BOX_9B_PLANS) \
        & ~np.isnan(cost)
    return np.where(show, cents(np.nan_to_num(cost)), np.nan)


def _joined(masks: dict[str, np.ndarray]) -> np.ndarray:
    out = np.full(len(next(iter(masks.values()))), "", dtype=object)
    for box, m in masks.items():
        out = np.where(m, np.where(out == "", box, out + ";" + box), out)
    return out


def _state_withheld(o, amounts, n: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Box 14: the state's withholding (:mod:`dist401k.state_withholding`), shared between the
    non-Roth and the Roth forms as box 4 is; NaN where no state is given or its withholding is
    not known; nothing on a rolled part (the state's rule reads only what is paid to the
    payee), NaN there only where the state's rule is not covered.  A beneficiary's Roth part
    figured apart has its own share (``state_withholding_roth``, as box 4's).  Also where the state
    requires withholding whose amount is not figured (``STATE_WITHHOLDING_AMOUNT_NOT_FIGURED``):
    box 14 applies but is unknown, and is named in ``not_figured`` (docs/forms.md)."""
    sw = getattr(o, "state_withholding", None)
    if sw is None:
        blank = np.full(n, np.nan)
        return {p: blank for p in PARTS}, np.zeros(n, bool)
    total = np.where(sw.covered, cents(sw.amount), np.nan)
    unfigured = np.asarray(sw.reasons["STATE_WITHHOLDING_AMOUNT_NOT_FIGURED"], bool)
    none = np.where(np.isnan(total) & ~unfigured, np.nan, 0.0)
    shared = _roth_own(_shared(total, amounts), np.where(sw.covered, sw.amount, np.nan),
                       o.extra.get("state_withholding_roth"))
    return {**shared, "rolled_pretax": none, "rolled_roth": none}, unfigured


def _box_4_unknown(o, n: int) -> np.ndarray:
    """The cases whose federal withholding is not figured: a payment in a periodic series
    withheld as wages (§3405(a); Form W-4P) in a tax year for which the law holds no Pub. 15-T
    table (the outcome's reason ``SR_WITHHOLDING_WAGES``).  Box 4 of the forms paid to the
    payee is then blank and named in ``not_figured`` (docs/forms.md: blank means unknown, not
    zero), never filed as $0.00 withheld."""
    return withholding_not_figured(getattr(o, "reasons", None) or {}, n)


def _with_box(not_figured: np.ndarray, box: str, missing: np.ndarray) -> np.ndarray:
    """A part's ``not_figured`` boxes with ``box`` added where ``missing``."""
    return np.where(missing, np.where(not_figured == "", box, not_figured + ";" + box),
                    not_figured)


def forms_1099r(b, o, law=None) -> list[Form1099R]:
    """The Forms 1099-R of outcome ``o`` for every case of batch ``b`` (none for a loan,
    which is not a distribution unless it goes bad).

    Box 2b "total distribution": the payment closes out the plan account.  An inherited
    traditional IRA: box 2a is box 1 with "taxable amount not determined" checked and the
    IRA/SEP/SIMPLE box checked (the payer of an IRA need not figure the taxable amount); an
    inherited Roth IRA (Q, T, J): box 2a blank, "not determined" checked, the IRA box not
    checked.  Box 14: the state tax withheld; boxes 15 and 16: the state of residence and the
    amount of box 1."""
    if not o.parts:
        return []
    n = len(b)
    direct = o.destination in DIRECT
    amounts = to_the_cent(_amounts(o, direct), n)
    codes = _codes(o, n)
    box4 = _withheld(o, amounts)
    box4_unknown = _box_4_unknown(o, n)
    box14, box14_unfigured = _state_withheld(o, amounts, n)
    own_roth_ira = o.route == "roth_ira"  # the owner's Roth IRA (its custodian's form)
    # box 2b: the whole balance the participant owns paid (money not vested is forfeited)
    balance = np.asarray(b.ira_roth if own_roth_ira else np.asarray(b.vested_balance).sum(axis=1))
    total = (balance > 0) & (np.asarray(o.gross) >= balance - HALF_CENT)
    # A beneficiary's: an inherited IRA, or a spouse's own IRA (spouse_election: own).
    ira = np.full(n, own_roth_ira) if o.route != "beneficiary" else paid_from_ira(b)
    roth_ira = ira & (np.asarray(b.inherited_roth, bool) | own_roth_ira)
    state = np.asarray(b.state if b.state is not None else np.full(n, ""), dtype=object)
    first = _shares(o)["roth_first_year"]
    roth_parts = {part: (part in ROTH_PARTS) & ~ira
                  & ~np.isin(codes[part], ROTH_IRA_CODES) for part in PARTS}
    # Box 3 is a plan's lump sum (Form 4972): never an IRA's.
    law = law or default_law()
    extra = extra_boxes(b, o, total & ~own_roth_ira, roth_parts, amounts, law)
    box9b = total_employee_contributions(b, o)
    codes["pretax_cash"] = with_code_a(codes["pretax_cash"],
                                       total & ~ira & ~rolled_any(amounts, n) & may_average(b, law))
    out = []
    for part in PARTS:
        gross, taxable, box5 = (cents(np.asarray(a, float) + np.zeros(n)) for a in amounts[part])
        issued = np.asarray(o.possible, bool) & (gross > HALF_CENT)
        roth_part = (part in ROTH_PARTS) & ~np.isin(codes[part], ROTH_IRA_CODES)
        cash_ira = ira if part in CASH_PARTS else np.zeros(n, bool)
        box2a = np.where(cash_ira & ~roth_ira, gross, taxable)
        box2a = np.where(roth_ira, np.nan, box2a)
        unknown4 = box4_unknown & issued & (part in CASH_PARTS)
        out.append(Form1099R(
            part=part, issued=issued, box_1=gross, box_2a=box2a,
            box_2b_not_determined=cash_ira.copy(), box_2b_total=total.copy(),
            box_4=np.where(unknown4, np.nan, box4[part]), box_5=np.where(cash_ira, 0.0, box5),
            box_7=codes[part],
            box_7_ira=cash_ira & ~roth_ira,
            box_11=np.where(roth_part & np.isfinite(first), first, 0).astype(np.int64),
            box_14=np.where(state != "", box14[part], np.nan),
            box_15=np.where(state != "", state, ""),
            box_16=np.where(state != "", gross, np.nan), box_3=extra.box_3[part],
            box_6=extra.box_6[part], box_10=extra.box_10[part],
            box_9b=box9b if part == "pretax_cash" else np.full(n, np.nan),
            not_figured=_with_box(_with_box(extra.not_figured[part], "box_4", unknown4), "box_14",
                                  box14_unfigured & (state != "") & np.isnan(box14[part])),
            below_filing_threshold=np.zeros(n, bool)))
    return below_filing_threshold(out, b, law)


def below_filing_threshold(forms: list[Form1099R], b, law) -> list[Form1099R]:
    """Mark the issued forms of a payment whose box 1, all its forms together, is under the
    filing threshold: "File Form 1099-R for each person to whom you have made a designated
    distribution or are treated as having made a distribution of $10 or more" (Instructions
    for Forms 1099-R and 5498, Specific Instructions for Form 1099-R; law
    ``form_1099r.filing_threshold``).  The threshold counts the year's distributions to the
    person from the plan, which one payment does not show: the form stays issued and filed,
    and is marked, never dropped (docs/forms.md, "Forms under the filing threshold")."""
    if not forms:
        return forms
    threshold = Lookup(law, b.tax_year).get("form_1099r.filing_threshold")
    paid = np.sum([np.where(f.issued, f.box_1, 0.0) for f in forms], axis=0)
    under = paid < threshold - HALF_CENT
    return [replace(f, below_filing_threshold=f.issued & under) for f in forms]


#: The batch's columns of each form (``form_{part}_{box}``): (box, Arrow type).
BATCH_BOXES = (("box_1", "float64"), ("box_2a", "float64"), ("box_2b_not_determined", "bool"),
               ("box_2b_total", "bool"), ("box_4", "float64"), ("box_5", "float64"),
               ("box_7", "string"), ("box_7_ira", "bool"), ("box_11", "int64"),
               ("box_14", "float64"), ("box_15", "string"), ("box_16", "float64"),
               ("box_3", "float64"), ("box_6", "float64"), ("box_10", "float64"),
               ("box_9b", "float64"), ("not_figured", "string"),
               ("below_filing_threshold", "bool"))


def batch_columns(n: int) -> dict[str, np.ndarray]:
    """Empty full-length columns for every part's boxes, and each part's ``issued`` mask."""
    cols: dict[str, np.ndarray] = {}
    for part in PARTS:
        cols[f"form_{part}_issued"] = np.zeros(n, bool)
        for box, kind in BATCH_BOXES:
            dtype = {"float64": float, "bool": bool, "int64": np.int64, "string": object}[kind]
            cols[f"form_{part}_{box}"] = np.zeros(n, dtype) if kind != "string" else \
                np.full(n, "", dtype=object)
    return cols


def scatter_forms(cols: dict[str, np.ndarray], rows: np.ndarray, forms: list[Form1099R],
                  ok: np.ndarray) -> None:
    """Write the forms of the cases at ``rows`` (where ``ok``) into the batch's columns."""
    for f in forms:
        issued = f.issued & ok
        cols[f"form_{f.part}_issued"][rows] = issued
        for box, _ in BATCH_BOXES:
            cols[f"form_{f.part}_{box}"][rows] = getattr(f, box)


def joined_codes(forms: list[Form1099R]) -> np.ndarray:
    """Box 7 of every form of each case, ';'-joined (the batch's ``form_1099r_codes``)."""
    n = len(forms[0].issued) if forms else 0
    out = np.full(n, "", dtype=object)
    for f in forms:
        out = np.where(f.issued, np.where(out == "", f.box_7, out + ";" + f.box_7), out)
    return out


def form_rows(forms: list[Form1099R], at: np.ndarray) -> list[list[dict]]:
    """The forms of each case whose index is in ``at``, as JSON rows: box by box, blank boxes
    as null; a box the case lacks the facts for is null and named, with why, in
    ``not_figured``.  Box 14, the state tax withheld, appears with a state (box 15): null
    where the state's withholding is not known."""
    rows: list[list[dict]] = [[] for _ in range(len(at))]
    for f in forms:
        cols = {k: np.asarray(getattr(f, k))[at].tolist() for k in (
            "issued", "box_1", "box_2a", "box_2b_not_determined", "box_2b_total", "box_3",
            "box_4", "box_5", "box_6", "box_7", "box_7_ira", "box_9b", "box_10", "box_11",
            "box_14", "box_15", "box_16", "not_figured", "below_filing_threshold")}
        for k in range(len(at)):
            if not cols["issued"][k]:
                continue
            rows[k].append({
                "part": f.part, "box_1": cols["box_1"][k], "box_2a": _blank(cols["box_2a"][k]),
                "box_2b_not_determined": cols["box_2b_not_determined"][k],
                "box_2b_total_distribution": cols["box_2b_total"][k],
                "box_3": _blank(cols["box_3"][k]),
                "box_4": _blank(cols["box_4"][k]), "box_5": cols["box_5"][k],
                "box_6": _blank(cols["box_6"][k]), "box_7": cols["box_7"][k],
                "box_7_ira_sep_simple": cols["box_7_ira"][k],
                "box_9b": _blank(cols["box_9b"][k]),
                "box_10": _blank(cols["box_10"][k]),
                "box_11": cols["box_11"][k] or None, "box_15": cols["box_15"][k] or None,
                "box_16": _blank(cols["box_16"][k]),
                "not_figured": [NOT_FIGURED[x] for x in cols["not_figured"][k].split(";")
                                if x],
                "below_filing_threshold": cols["below_filing_threshold"][k],
                "notes": spelled(BELOW_THRESHOLD_NOTE if cols["below_filing_threshold"][k]
                                 else ())})
            if cols["box_15"][k]:
                rows[k][-1]["box_14"] = _blank(cols["box_14"][k])
    return rows


def _blank(v: float) -> float | None:
    return None if v != v else v
