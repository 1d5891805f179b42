"""State income tax withheld from a plan distribution, beside the federal withholding
(docs/state.md, "Withholding").

Each state's rule is law data (``law/params/state/<xx>/withholding_*``), read in three parts:

When the state requires its tax withheld (one of these files true; none: the payer withholds
only at the payee's request, ``STATE_WITHHOLDING_VOLUNTARY``):

- ``withholding_with_federal``: from a payment from which federal tax is withheld (California,
  North Carolina, Massachusetts, Kansas …);
- ``withholding_erd_only``: from an eligible rollover distribution from which federal tax is
  withheld, and from nothing else unless asked (Maryland, Delaware);
- ``withholding_unless_opted_out``: from every taxable payment unless the payee opts out, federal
  withholding or not (Michigan, Minnesota, Connecticut, Oklahoma);
- ``withholding_lump_sum``: from a lump-sum distribution, a payment of the payee's entire account
  balance (not from a direct rollover, not from what was taxed before), no election out; any
  other payment only at the payee's request (the District of Columbia), or as the state's other
  rule requires it (Connecticut: a lump sum not rolled over, P.A. 17-147; any other payment
  unless the payee opts out).  Where the door does not say whether the payment is the whole
  balance, the state is not covered where the answer turns on it.

``withholding_not_required_where_excluded``: none of these requires anything of a payee whose
retirement income the state excludes — one at least the state's ``retirement_exclusion_age`` at
the end of the tax year, or disabled, or paid as the surviving spouse or child of a deceased who
would have reached that age by then — who is withheld from only at request (Iowa: 55 or older
on December 31, Iowa Code §422.7(31); IA W-4P, "Eligibility requirements": "If you are a
surviving spouse or survivor of an individual who would have qualified for the exclusion you may
also be eligible", ``STATE_WITHHOLDING_RETIREMENT_EXCLUDED``).

How much, of the payer's default: ``withholding_share_of_federal`` of the federal withholding
(California), ``withholding_rate`` of the taxable payment (North Carolina, Maryland), or the
state's top income tax rate (``withholding_at_top_rate``: the top of ``rates``, or ``rate``) of
the taxable payment (Oklahoma, Michigan).  ``withholding_amount_figured`` false: the amount
depends on what dist401k does not ask (a state certificate's exemptions, the wage tables) —
unknown (NaN, ``STATE_WITHHOLDING_AMOUNT_NOT_FIGURED``), never zero;
``withholding_figured_born_from``: the default is figured only for payees born in or after
that year (Michigan: the older ones' benefits are deductible up to limits the payer tracks).

Whether the payee may elect out of it: yes, unless ``withholding_no_election_out`` (no election
out while federal tax is withheld), ``withholding_erd_mandatory`` and the payment is an
eligible rollover distribution, or the rule is ``withholding_erd_only`` or a lump sum's.

A payment that is partly the year's required minimum distribution (never an eligible rollover
distribution, IRC §402(c)(4)(B)) and partly an eligible rollover distribution is two payments to
the state's rule, each with its taxable part and the federal withholding on it
(``STATE_WITHHOLDING_SPLIT``): the eligible rollover part is withheld as one, the RMD part as any
other distribution (on request only in Maryland; beside its own federal withholding, 10% unless
elected out, where the state follows the federal; whatever the federal where the state's rule
does not look at it).  A state whose amount is a share of the federal (California, Vermont)
gives the same on the whole as on the parts.

A periodic payment (one of a series of an annuity or installments, withheld from under IRC
§3405(a) as wages, never an eligible rollover distribution) is read by the state's periodic
rule: ``withholding_periodic_as_wages`` true, the state withholds from it as from wages, by its
tables with the payee's certificate or its default status (Oklahoma, OAC 710:90-1-13(b); Oregon,
OAR 150-316-0305(3); Maine, Rule 803 §.05(C); North Carolina, NC-4P …), required as its rule for
other payments requires it (and, where ``withholding_periodic_unless_opted_out``, required unless
the payee elects out: Georgia, Form G-4P) — an amount dist401k does not figure (NaN,
``STATE_WITHHOLDING_AMOUNT_NOT_FIGURED`` with ``STATE_WITHHOLDING_PERIODIC_AS_WAGES``), never
the flat rate the state sets for nonperiodic payments; false or absent, the state's rule for
other payments is its rule for periodic ones too (California's share of the federal,
Cal. UIC §13028(c)(3); Michigan's and Minnesota's rate on every taxable payment).

A payee's elected rate (``request.state_withholding_rate``, NaN: none) of the taxable payment
replaces the default where the payee may elect, and asks for withholding where the state
requires none; where the payee may not elect out, an election of less than the required amount
leaves the required amount (``STATE_WITHHOLDING_ELECTION_BELOW_REQUIRED``).  An election with no
state, or in a state that taxes no plan distribution, never reaches here: the case refuses it
(an input rule, :mod:`dist401k.withholding_elections`).

A state without an income tax on plan distributions withholds nothing; a state with no
withholding file is not covered: unknown (NaN), never a silent zero.  ``withholding_rule_unread``
true in a year: the state changed its rule and the new rule's text has not been read, so none of
its payments' withholding is figured (NaN, not covered, ``STATE_WITHHOLDING_RULE_UNREAD`` alone),
never the old rule's figure given as the law (Connecticut from 2025, C.G.S. §12-705 as amended).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from dist401k.law.loader import Law
from dist401k.money import HALF_CENT

#: The reason codes of a state's withholding (law/reasons/state.yaml).
CODES = ("STATE_WITHHOLDING_NO_INCOME_TAX", "STATE_WITHHOLDING_VOLUNTARY",
         "STATE_WITHHOLDING_WITH_FEDERAL", "STATE_WITHHOLDING_UNLESS_OPTED_OUT",
         "STATE_WITHHOLDING_MAY_ELECT_OUT", "STATE_WITHHOLDING_NO_ELECTION_OUT",
         "STATE_WITHHOLDING_AMOUNT_NOT_FIGURED", "STATE_WITHHOLDING_ELECTED",
         "STATE_WITHHOLDING_ELECTION_BELOW_REQUIRED", "STATE_WITHHOLDING_NOT_COVERED",
         "STATE_WITHHOLDING_SPLIT", "STATE_WITHHOLDING_LUMP_SUM",
         "STATE_WITHHOLDING_NOT_LUMP_SUM", "STATE_WITHHOLDING_RETIREMENT_EXCLUDED",
         "STATE_WITHHOLDING_NO_FEDERAL", "STATE_WITHHOLDING_PERIODIC_AS_WAGES",
         "STATE_WITHHOLDING_RULE_UNREAD")


@dataclass
class StateWithholding:
    """State withholding of each case (NaN where the state's rule is not covered, its amount
    not figured, or no state is given), whether it is known, and why (codes of
    law/reasons/state.yaml → masks); ``erd``: the part of ``amount`` withheld from the eligible
    rollover part of the payment (None: not told apart)."""

    amount: np.ndarray
    covered: np.ndarray
    reasons: dict[str, np.ndarray]
    erd: np.ndarray | None = None


@dataclass(frozen=True)
class Parts:
    """What the state's rule reads of a payment beyond its taxable amount and its federal
    withholding: where part of it, ``erd_taxable`` (the rest: the year's RMD), is an eligible
    rollover distribution from which ``erd_federal`` is withheld (``erd``), and whether the
    payment is of the payee's entire account balance (``whole_balance``; None: not known, and
    a state whose answer turns on it is not covered), and whether it is a periodic payment, one
    of a series withheld from as wages under §3405(a) (``periodic``; None: none is)."""

    erd: np.ndarray
    erd_taxable: np.ndarray
    erd_federal: np.ndarray
    whole_balance: np.ndarray | None = None
    periodic: np.ndarray | None = None


@dataclass(frozen=True)
class Payee:
    """What the state's rule reads of the payee: the birth year (None or NaN: not known),
    whether the payee is disabled (None: not, as far as known; Iowa spares a disabled payee),
    and, where the payee is paid as the surviving spouse or child of a deceased, the deceased's
    birth year (None or NaN: no such survivor; Iowa spares the survivor of one who would have
    qualified by age — the deceased's disability is not read)."""

    birth_years: np.ndarray | None = None
    disabled: np.ndarray | None = None
    deceased_birth_years: np.ndarray | None = None


def state_withholding(law: Law, states: np.ndarray, years: np.ndarray, taxable_paid,
                      federal_withheld, eligible_rollover, payee=None,
                      elected=None) -> StateWithholding:
    """The state's withholding from a payment of ``taxable_paid`` (the taxable part paid to the
    participant) from which ``federal_withheld`` is withheld; ``eligible_rollover``: where the
    payment is an eligible rollover distribution from which federal tax is withheld (a mask:
    all of it), or its :class:`Parts`; ``payee``: the payee's birth years (None: not known), or
    a :class:`Payee`; ``elected`` the payee's elected state rate (NaN or None: none).
    ``states``: USPS codes, "" where the case gives none."""
    states = np.asarray(states).astype("<U2")
    n = states.shape[0]

    def each(v, dtype=float, default=np.nan):
        return np.broadcast_to(np.asarray(default if v is None else v, dtype), (n,))

    years, taxable, federal = each(years, np.int64), each(taxable_paid), each(federal_withheld)
    split = eligible_rollover if isinstance(eligible_rollover, Parts) else Parts(
        eligible_rollover, taxable, federal)
    who = payee if isinstance(payee, Payee) else Payee(payee)
    erd, born, chosen = each(split.erd, bool), each(who.birth_years), each(elected)
    whole, unable = each(split.whole_balance, bool, False), each(who.disabled, bool, False)
    survived, periodic = each(who.deceased_birth_years), each(split.periodic, bool, False)
    part_taxable = np.where(erd, each(split.erd_taxable), 0.0)
    part_federal = np.where(erd, each(split.erd_federal), 0.0)
    rest = _Payment(np.maximum(taxable - part_taxable, 0.0),
                    np.maximum(federal - part_federal, 0.0), np.zeros(n, bool), born, chosen,
                    whole, unable, survived, periodic)
    parts = (_Payment(part_taxable, part_federal, erd, born, chosen, whole, unable, survived,
                      periodic), rest)
    on = (erd, ~erd | (rest.taxable > HALF_CENT) | (rest.federal > HALF_CENT))
    out = StateWithholding(np.full(n, np.nan), np.zeros(n, bool),
                           {k: np.zeros(n, bool) for k in CODES}, np.zeros(n))
    for code in np.unique(states[states != ""]):
        idx = np.flatnonzero(states == code)
        rule = _rule(law, str(code), years[idx])
        if rule is None:
            out.reasons["STATE_WITHHOLDING_NOT_COVERED"][idx] = True
            continue
        if split.whole_balance is None and rule.lump_sum.any():
            _unknown_whole(rule, [p.at(idx) for p in parts], (on[0][idx], on[1][idx]), idx, out)
        else:
            _put(rule, [_withheld(rule, p.at(idx)) for p in parts], (on[0][idx], on[1][idx]),
                 idx, out)
        if rule.unread is not None:
            _unread(idx[rule.unread], out)
    return out


def _unread(idx: np.ndarray, out: StateWithholding) -> None:
    """The cases ``idx`` of a state whose rule changed in their year and whose new rule's text
    has not been read (``withholding_rule_unread``): not figured — unknown, with that reason
    alone, never the old rule's amount (Connecticut from 2025: C.G.S. §12-705 as amended)."""
    out.amount[idx] = np.nan
    out.covered[idx] = False
    if out.erd is not None:
        out.erd[idx] = 0.0
    for k in CODES:
        out.reasons[k][idx] = k == "STATE_WITHHOLDING_RULE_UNREAD"


def _put(rule: _Rule, found: list, on: tuple[np.ndarray, np.ndarray], idx: np.ndarray,
         out: StateWithholding) -> np.ndarray:
    """Write the withholding of one state's cases ``idx`` into ``out``: the eligible rollover
    part's and the rest's (``found``, each where ``on``), known where each part is; the known."""
    (a_erd, k_erd, m_erd), (a_rest, k_rest, m_rest) = found
    e, r = on
    known = (k_erd | ~e) & (k_rest | ~r)
    out.amount[idx] = np.where(known, np.where(e, a_erd, 0.0) + np.where(r, a_rest, 0.0), np.nan)
    out.covered[idx] = known
    if out.erd is not None:
        out.erd[idx] = np.where(e & known, a_erd, 0.0)
    for k, m in m_erd.items():
        out.reasons[k][idx] = (m & e) | (m_rest[k] & r)
    out.reasons["STATE_WITHHOLDING_SPLIT"][idx] = e & r & ~rule.no_tax
    return known


def _unknown_whole(rule: _Rule, parts: list[_Payment], on: tuple[np.ndarray, np.ndarray],
                   idx: np.ndarray, out: StateWithholding) -> None:
    """A state whose rule turns on a lump sum of the whole balance (D.C. Code §47-1812.08(m);
    Conn. Gen. Stat. §12-705(b)) where the door does not say whether the payment is one: the
    answer as for a partial payment where a whole-balance payment would get the same amount
    (Connecticut's 6.99% with no election), not covered where the two differ."""
    def as_if(whole: bool) -> list:
        return [_withheld(rule, dataclasses.replace(p, whole=np.full(p.whole.shape, whole)))
                for p in parts]

    partial, lump = as_if(False), as_if(True)
    alt = StateWithholding(np.full(idx.shape[0], np.nan), np.zeros(idx.shape[0], bool),
                           {k: np.zeros(idx.shape[0], bool) for k in CODES},
                           np.zeros(idx.shape[0]))
    _put(rule, lump, on, np.arange(idx.shape[0]), alt)
    known = _put(rule, partial, on, idx, out)
    same = known & alt.covered & (np.abs(out.amount[idx] - alt.amount) <= HALF_CENT)
    out.amount[idx] = np.where(same, out.amount[idx], np.nan)
    out.covered[idx] = same
    if out.erd is not None:
        out.erd[idx] = np.where(same, out.erd[idx], 0.0)
    for k in CODES:
        out.reasons[k][idx] &= same & (k != "STATE_WITHHOLDING_NOT_LUMP_SUM")
    out.reasons["STATE_WITHHOLDING_NOT_COVERED"][idx] = ~same


@dataclass
class _Rule:
    """One state's withholding law for its cases' years (arrays over those cases)."""

    no_tax: bool  # the state taxes no plan distribution
    with_federal: np.ndarray
    erd_only: np.ndarray
    unless_opted_out: np.ndarray
    rate: np.ndarray | None  # of the taxable payment
    share_of_federal: np.ndarray | None
    figured: np.ndarray
    born_from: np.ndarray | None
    erd_mandatory: np.ndarray
    no_election_out: np.ndarray
    lump_sum: np.ndarray  # required on a payment of the whole balance only, no election out
    # a periodic payment withheld from as wages (amount not figured), and required from unless
    # the payee elects out where the rule for other payments requires none
    periodic_as_wages: np.ndarray
    periodic_unless_opted_out: np.ndarray
    # the last birth year of a payee old enough at the end of the year that the state excludes
    # the retirement income and requires no withholding from it (None: the state spares no one)
    excluded_born_by: np.ndarray | None = None
    # the rule changed in the year and its text has not been read: nothing figured
    unread: np.ndarray | None = None


@dataclass
class _Payment:
    """A payment, or one part of it: the taxable amount, the federal withholding on it,
    whether it is an eligible rollover distribution, the payee's birth year and elected rate
    (NaN: none), whether the payment is of the payee's entire account balance, whether the
    payee is disabled, the birth year of the deceased the payee survives (NaN: none), and
    whether the payment is periodic (§3405(a))."""

    taxable: np.ndarray
    federal: np.ndarray
    erd: np.ndarray
    born: np.ndarray
    elected: np.ndarray
    whole: np.ndarray
    disabled: np.ndarray
    survived_born: np.ndarray
    periodic: np.ndarray

    def at(self, idx: np.ndarray) -> _Payment:
        """The cases ``idx`` of it."""
        return _Payment(self.taxable[idx], self.federal[idx], self.erd[idx], self.born[idx],
                        self.elected[idx], self.whole[idx], self.disabled[idx],
                        self.survived_born[idx], self.periodic[idx])


def _rule(law: Law, code: str, years: np.ndarray) -> _Rule | None:
    """The state's withholding law in ``years``, or None where dist401k does not cover it."""
    prefix = f"state.{code.lower()}."

    def get(name: str):
        return (np.asarray(law.get(prefix + name, years))
                if prefix + name in law.params else None)

    def flag(name: str, default: bool = False) -> np.ndarray:
        v = get(name)
        return np.full(years.shape[0], default) if v is None else v.astype(bool)

    no = np.zeros(years.shape[0], bool)
    taxes = get("taxes_wage_income")
    if taxes is not None:  # a state without an income tax (one that began to tax: not covered)
        return None if np.asarray(taxes, bool).any() else _Rule(
            True, no, no, no, None, None, ~no, None, no, no, no, no, no)
    kinds = [prefix + k in law.params for k in
             ("withholding_with_federal", "withholding_erd_only", "withholding_unless_opted_out",
              "withholding_lump_sum")]
    if not any(kinds):
        return None
    rate = get("withholding_rate")
    if flag("withholding_at_top_rate").any():
        top = get("rates")
        rate = np.max(top, axis=-1) if top is not None else get("rate")
    spares = flag("withholding_not_required_where_excluded")
    born_by = (np.where(spares, years - get("retirement_exclusion_age"), -np.inf)
               if spares.any() else None)
    return _Rule(False, flag("withholding_with_federal"), flag("withholding_erd_only"),
                 flag("withholding_unless_opted_out"), rate,
                 get("withholding_share_of_federal"), flag("withholding_amount_figured", True),
                 get("withholding_figured_born_from"), flag("withholding_erd_mandatory"),
                 flag("withholding_no_election_out"), flag("withholding_lump_sum"),
                 flag("withholding_periodic_as_wages"),
                 flag("withholding_periodic_unless_opted_out"), born_by,
                 flag("withholding_rule_unread"))


def _withheld(rule: _Rule, p: _Payment) -> tuple[np.ndarray, np.ndarray, dict]:
    """The withholding of one state's cases, whether it is known, and its reasons."""
    n = p.taxable.shape[0]
    if rule.no_tax:
        return np.zeros(n), np.ones(n, bool), {"STATE_WITHHOLDING_NO_INCOME_TAX": np.ones(n, bool)}
    # Iowa: a payee whose retirement income is excluded (age at the end of the year, or
    # disability, or the survivor of one who would have qualified by age) is withheld from
    # only at request, whatever the rule for the others.
    spared = (np.zeros(n, bool) if rule.excluded_born_by is None else
              (rule.excluded_born_by > -np.inf) & ((p.born <= rule.excluded_born_by) | p.disabled
                                                   | (p.survived_born <= rule.excluded_born_by)))
    with_federal, erd_only = rule.with_federal & ~spared, rule.erd_only & ~spared
    # Georgia: a periodic payment is withheld from as wages unless the payee elects out (G-4P)
    unless_opted_out = (rule.unless_opted_out | (rule.periodic_unless_opted_out & p.periodic)
                        ) & ~spared
    lump_sum = rule.lump_sum & ~spared
    fed = p.federal > HALF_CENT
    by_federal = (with_federal | (erd_only & p.erd)) & fed
    opted = unless_opted_out & (p.taxable > HALF_CENT)
    lump = lump_sum & p.whole & (p.taxable > HALF_CENT)
    applies = by_federal | opted | lump
    if rule.share_of_federal is not None:
        default = rule.share_of_federal * p.federal
    elif rule.rate is not None:
        default = rule.rate * p.taxable
    else:
        default = np.full(n, np.nan)
    # withheld from as wages (the state's tables, the payee's certificate): not figured
    as_wages = p.periodic & rule.periodic_as_wages
    figured = rule.figured & ~np.isnan(default) & ~as_wages
    if rule.born_from is not None:
        figured &= p.born >= rule.born_from  # NaN birth year: not figured
    locked = applies & (rule.no_election_out | erd_only | (p.erd & rule.erd_mandatory) | lump)
    elect = ~np.isnan(p.elected)
    chosen = np.where(elect, p.elected, 0.0) * p.taxable
    required = np.where(applies, default, 0.0)
    below = elect & locked & figured & (chosen < required - HALF_CENT)
    amount = np.where(elect & ~locked, chosen, np.where(elect & figured, np.maximum(
        chosen, required), required))
    known = ~applies | figured | (elect & ~locked)
    return np.where(known, amount, np.nan), known, {
        "STATE_WITHHOLDING_VOLUNTARY": ~(with_federal | (erd_only & p.erd) | unless_opted_out
                                         | lump),
        "STATE_WITHHOLDING_RETIREMENT_EXCLUDED": spared,
        "STATE_WITHHOLDING_WITH_FEDERAL": by_federal,
        # beside the federal only, and none federal (an eligible rollover distribution under
        # $200, Treas. Reg. §31.3405(c)-1, Q&A-14; a W-4R of 0): none required
        "STATE_WITHHOLDING_NO_FEDERAL": with_federal & ~applies & (p.taxable > HALF_CENT),
        # (Georgia's periodic payment: said by STATE_WITHHOLDING_PERIODIC_AS_WAGES)
        "STATE_WITHHOLDING_UNLESS_OPTED_OUT": opted & ~by_federal & rule.unless_opted_out & ~lump,
        "STATE_WITHHOLDING_LUMP_SUM": lump,
        # a partial payment where only the lump sum's rule would require withholding (D.C.)
        "STATE_WITHHOLDING_NOT_LUMP_SUM": lump_sum & ~p.whole & ~(
            with_federal | (erd_only & p.erd) | unless_opted_out),
        "STATE_WITHHOLDING_MAY_ELECT_OUT": applies & ~locked,
        "STATE_WITHHOLDING_NO_ELECTION_OUT": locked,
        "STATE_WITHHOLDING_AMOUNT_NOT_FIGURED": ~known,
        "STATE_WITHHOLDING_ELECTED": elect & known & ~below,
        "STATE_WITHHOLDING_ELECTION_BELOW_REQUIRED": below,
        "STATE_WITHHOLDING_PERIODIC_AS_WAGES": as_wages & applies,
    }
