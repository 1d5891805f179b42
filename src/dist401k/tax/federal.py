"""The federal income tax of a batch of tax units, and the marginal cost of a distribution.

One flow per unit, every step an array formula over the batch::

    gross income → taxable Social Security (§86) → AGI → deductions (§63; Schedule A at this AGI:
    §164(b)(7), §170(b)(1)(I), §213(a); §68, §151(d)(5), §170(p))
    → taxable income → regular tax (§1, QDCG worksheet; a child's under §1(g), Form 8615)
    → AMT (§55) → NIIT (§1411)
    → §72(t) additional tax → income_tax
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np

from dist401k.bounds import MONEY, PROBLEMS_SHOWN
from dist401k.errors import FieldProblem, InputError
from dist401k.law.loader import Law, Lookup, default_law
from dist401k.money import HALF_CENT, cents
from dist401k.tax.amt import alternative_minimum_tax
from dist401k.tax.capital_gains import capital_gain_worksheet
from dist401k.tax.deductions import (
    ItemizedParts,
    aged_or_blind_count,
    limited_itemized_deductions,
    no_standard_deduction,
    nonitemizer_charitable_deduction,
    schedule_a,
    senior_count,
    senior_deduction,
    standard_deduction,
)
from dist401k.tax.kiddie import (
    Children,
    children_of,
    dependent_basic_standard_deduction,
    kiddie_regular_tax,
    not_figured,
)
from dist401k.tax.niit import net_investment_income_tax
from dist401k.tax.social_security import base_amounts, taxable_social_security
from dist401k.tax.units import TaxUnits, shown, to_bool, to_float

#: Output columns of :func:`federal_tax`, in order.  Other tools read these names: keep them.
OUTPUT_COLUMNS = (
    "agi",
    "taxable_social_security",
    "standard_deduction",
    "itemizes",
    "senior_deduction",
    "charitable_deduction",
    "taxable_income",
    "regular_tax",
    "kiddie_tax",
    "kiddie_tax_not_figured",
    "amt",
    "niit",
    "additional_tax_72t",
    "income_tax",
    "projected",
)

#: The parts of ``income_tax``, each a line of the return as entered: the tax (Form 1040 line
#: 16), the AMT (Schedule 2, Part I, Form 6251), the NIIT (Schedule 2 line 12, Form 8960) and the
#: §72(t) additional tax (Schedule 2 line 8, Form 5329 line 4).
TAX_PARTS = ("regular_tax", "amt", "niit", "additional_tax_72t")

#: The output columns that are amounts of money (the others are flags).
MONEY_COLUMNS = tuple(c for c in OUTPUT_COLUMNS
                      if c not in ("itemizes", "kiddie_tax_not_figured", "projected"))


#: The lines of a return that a planner's pass moves (the withdrawals' taxable part, the part
#: owing the §72(t) tax, the gains of a sale); :class:`Steady` holds what the others decide.
MOVING = ("long_term_gains", "taxable_distributions", "early_distributions")


@dataclass(frozen=True)
class Steady:
    """What the lines of a batch other than :data:`MOVING` decide, figured once for every
    batch that differs from it only in those lines (a year's returns over the planner's
    fixed-point passes): the income and investment income before the moving lines (summed in
    the order :func:`federal_tax` sums them, so the totals are the same to the bit), the
    standard deduction and the senior deduction's qualified individuals (§63(c), (f);
    §151(d)(5)), the charitable deduction of one who does not itemize (§170(p)), the §86 base
    amounts, whether any unit has benefits, whether any unit itemizes, and the units that must
    itemize (a separate filer whose spouse itemizes: §63(c)(6)(A))."""

    income_before: np.ndarray  # wages + taxable interest + ordinary dividends
    investment_before: np.ndarray  # taxable interest + ordinary dividends
    standard: np.ndarray
    seniors: np.ndarray
    charity: np.ndarray  # §170(p): taken where the unit does not itemize
    ss_base: tuple[np.ndarray, np.ndarray, bool]  # base, adjusted base, any benefits (§86)
    itemizing: bool  # some unit has itemized deductions
    projected: np.ndarray
    kids: Children  # the units taxed under §1(g) with their parent's figures (Form 8615)
    must_itemize: np.ndarray  # no standard deduction, no §170(p): §63(c)(6)(A)

    @classmethod
    def of(cls, u: TaxUnits, lk: Lookup) -> Steady:
        fs = u.filing_status
        aged_blind = aged_or_blind_count(lk, fs, u.age_head, u.age_spouse, u.blind_head,
                                         u.blind_spouse)
        must = no_standard_deduction(fs, u.spouse_itemizes)
        return cls(
            income_before=u.wages + u.taxable_interest + u.ordinary_dividends,
            investment_before=u.taxable_interest + u.ordinary_dividends,
            standard=np.where(must, 0.0, _standard(lk, u, aged_blind)),
            seniors=senior_count(lk, fs, u.age_head, u.age_spouse),
            charity=np.where(must, 0.0, nonitemizer_charitable_deduction(lk, u.charitable_cash)),
            ss_base=base_amounts(lk, u.social_security, u.lived_apart),
            itemizing=bool(np.any(u.itemized_deductions > 0)
                           or np.any(itemized_parts(u).given())),
            projected=np.broadcast_to(lk.law.projected(lk.year), (len(u),)),
            kids=children_of(lk, u), must_itemize=must)

    def on_units(self, idx: np.ndarray, n: int) -> Steady:
        """The same for the units ``idx`` of the ``n`` it was figured for."""
        def part(a):
            return a[idx] if np.ndim(a) and np.shape(a)[0] == n else a

        base, adjusted, benefits = self.ss_base
        return replace(self, income_before=part(self.income_before),
                       investment_before=part(self.investment_before),
                       standard=part(self.standard), seniors=part(self.seniors),
                       charity=part(self.charity),
                       ss_base=(part(base), part(adjusted), benefits),
                       projected=part(self.projected), kids=self.kids.on(idx, n),
                       must_itemize=part(self.must_itemize))


def _standard(lk: Lookup, u: TaxUnits, aged_blind) -> np.ndarray:
    """The standard deduction (§63(c)(2), (3), (f)); of a dependent, the basic amount limited
    by §63(c)(5) to the greater of its (A) amount and earned income (wages) plus its (B)
    amount."""
    if not np.any(u.dependent):
        return standard_deduction(lk, aged_blind)
    basic = lk.get("income_tax.standard_deduction")
    limited = dependent_basic_standard_deduction(lk, basic, u.dependent, u.wages)
    return standard_deduction(lk, aged_blind) - basic + limited


def federal_tax(units: TaxUnits, law: Law | None = None,
                lookup: Lookup | None = None, steady: Steady | None = None
                ) -> dict[str, np.ndarray]:
    """Federal income tax of each unit, with its parts (dollars, unrounded float64).

    ``income_tax`` = regular tax + AMT + NIIT + the §72(t) additional tax (shown to the cent,
    it is the sum of the parts to the cent: :func:`in_cents`).  Credits (child tax
    credit, EITC, others) are outside dist401k's scope.  ``projected`` is True where the year's
    law is projected rather than enacted.  ``steady``: :meth:`Steady.of` a batch that differs
    from ``units`` only in the :data:`MOVING` lines (figured here where not given).
    """
    law = law or default_law()
    u = units
    # ``lookup``: the law already gathered for these units' years and filing statuses (one
    # gathered for a year and status all units share: ``Lookup.one_pair``).
    lk = lookup if lookup is not None else Lookup(law, u.tax_year, u.filing_status)
    st = steady if steady is not None else Steady.of(u, lk)

    income_without_ss = (
        st.income_before
        + u.long_term_gains
        + u.taxable_distributions
        + u.other_income
    )
    taxable_ss = taxable_social_security(
        lk, u.social_security, income_without_ss, u.tax_exempt_interest, u.lived_apart,
        st.ss_base
    )
    agi = income_without_ss + taxable_ss

    std = st.standard
    senior = senior_deduction(lk, st.seniors, agi)
    # One who does not itemize deducts cash gifts to public charities beside the standard
    # deduction (§63(b)(4), §170(p)); the AMT allows it: §56(b)(1)(D) takes away only the
    # §63(c) standard deduction and the §151 deductions, and a §170 deduction is no
    # miscellaneous itemized deduction (§67(b)(4)) for §56(b)(1)(A).
    charity = st.charity

    figures = _Figures(u.qualified_dividends, u.long_term_gains, agi, u.wages, st.kids)
    taxable, regular, amt, own = _regular_and_amt(lk, figures, std + senior + charity, charity)
    itemizes = _itemizing(lk, u, st, agi, senior, (taxable, regular, amt, own))

    nii = st.investment_before + u.long_term_gains
    niit = net_investment_income_tax(lk, nii, agi)

    early_rate = lk.get("early_distributions.additional_tax_rate")
    additional = early_rate * u.early_distributions

    return {
        "agi": agi,
        "taxable_social_security": taxable_ss,
        "standard_deduction": std,
        "itemizes": itemizes,
        "senior_deduction": senior,
        "charitable_deduction": np.where(itemizes, 0.0, charity),
        "taxable_income": taxable,
        "regular_tax": regular,
        "kiddie_tax": regular - own,
        "kiddie_tax_not_figured": not_figured(lk, u, agi, taxable),
        "amt": amt,
        "niit": niit,
        "additional_tax_72t": additional,
        "income_tax": regular + amt + niit + additional,
        "projected": st.projected,
    }


def in_cents(result: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """:func:`federal_tax`'s figures as every door shows them: each amount to the cent
    (:func:`dist401k.money.cents`), and ``income_tax`` the sum of its parts so rounded
    (:data:`TAX_PARTS`), as Form 1040 line 24 adds the lines as entered (lines 22 + 23), never
    the rounding of the unrounded sum (a cent apart where two parts each round up).  Other keys
    (the flags, a state's figures) are kept as they are."""
    out = dict(result)
    for name in MONEY_COLUMNS:
        out[name] = cents(result[name])
    total = out[TAX_PARTS[0]]
    for name in TAX_PARTS[1:]:
        total = total + out[name]
    out["income_tax"] = cents(total)  # the float nearest the sum of cents, as written
    return out


def _itemizing(lk: Lookup, u: TaxUnits, st: Steady, agi, senior, chosen: tuple) -> np.ndarray:
    """Where the unit itemizes: a taxpayer may elect to itemize even below the standard
    deduction (§63(e)); with the AMT that can lower the total, so for every unit with itemized
    deductions both are figured and the lower total is taken.  ``chosen`` (taxable income,
    regular tax, AMT figured with the standard side) takes the itemized figures there.  A
    separate filer whose spouse itemizes has no standard deduction (§63(c)(6)(A)) and itemizes
    whatever the figures (its itemized deductions, possibly none)."""
    itemizes = np.array(st.must_itemize, dtype=bool, copy=True)
    if not st.itemizing:
        return itemizes
    # Schedule A at this return's own AGI (its parts' limits move with it: §164(b)(7),
    # §170(b)(1)(I), §213(a)); a total given whole is held as given.
    sched = schedule_a(lk, itemized_parts(u), agi)
    itemized = limited_itemized_deductions(lk, sched.total, agi - senior)
    some = np.flatnonzero(itemized > 0)
    if not some.size:
        return itemizes
    taxable, regular, amt, own = chosen
    # The AMT allows the deductions before the §68 limitation (§56(b)(1)(E)), less the state
    # and local taxes (§56(b)(1)(A)(ii)).
    t_i, r_i, a_i, o_i = _regular_and_amt(
        lk.subset(some), _Figures(u.qualified_dividends[some], u.long_term_gains[some],
                                  agi[some], u.wages[some], st.kids.on(some, len(u))),
        itemized[some] + senior[some], (sched.total - sched.salt)[some],
    )
    std_total = regular[some] + amt[some]
    itemized_total = r_i + a_i
    # On a tie the larger deduction is taken: the itemized ones against the standard
    # deduction with the §170(p) deduction that comes with it.
    better = (itemized_total < std_total - HALF_CENT) | (
        (np.abs(itemized_total - std_total) <= HALF_CENT)
        & (itemized[some] > st.standard[some] + st.charity[some])
    ) | itemizes[some]
    itemizes[some] = better
    pick = some[better]
    taxable[pick], regular[pick], amt[pick] = t_i[better], r_i[better], a_i[better]
    own[pick] = o_i[better]
    return itemizes


def itemized_parts(u: TaxUnits) -> ItemizedParts:
    """The units' itemized deductions as given: the Schedule A total, or its parts."""
    return ItemizedParts(total=u.itemized_deductions, state_local_taxes=u.state_local_taxes,
                         medical_expenses=u.medical_expenses,
                         itemized_charity=u.itemized_charity, other_itemized=u.other_itemized)


@dataclass(frozen=True)
class _Figures:
    """The lines of the units a choice of deductions is figured for: qualified dividends,
    net long-term gain, AGI, earned income (wages) and the children taxed under §1(g)."""

    qualified_dividends: np.ndarray
    long_term_gains: np.ndarray
    agi: np.ndarray
    earned: np.ndarray
    kids: Children


def _regular_and_amt(lk: Lookup, f: _Figures, deductions, amt_allowed):
    """Taxable income, regular tax, AMT and the regular tax at the unit's own rates with one
    choice of deductions.  A child's regular tax under §1(g) is the larger of the tax at its
    own rates and Form 8615's (:func:`dist401k.tax.kiddie.kiddie_regular_tax`); the AMT is
    measured against it (§55(a)).  §59(j)'s limit on a child's AMT exemption does not apply
    to taxable years beginning after 2017 (§55(d)(4)(A)(iii))."""
    taxable = np.maximum(0.0, f.agi - deductions)
    ws = capital_gain_worksheet(lk, taxable, f.qualified_dividends, f.long_term_gains)
    regular = kiddie_regular_tax(lk, f.kids, taxable, ws.tax, f.agi, f.earned,
                                 f.qualified_dividends, f.long_term_gains)
    # AMTI: the standard and senior deductions are not allowed (§56(b)(1)(D): §63(c), §151),
    # nor state and local taxes (§56(b)(1)(A)(ii)); the other itemized deductions and a
    # non-itemizer's §170(p) deduction (``amt_allowed``) are.
    amti = np.maximum(0.0, f.agi - amt_allowed)
    amt = alternative_minimum_tax(lk, amti, ws, regular)
    return taxable, regular, amt, np.asarray(ws.tax, dtype=float)


def marginal_cost(
    units: TaxUnits, distribution, early=False, law: Law | None = None
) -> dict[str, np.ndarray]:
    """What an extra taxable distribution costs each unit: tax with it minus tax without.

    ``distribution`` (scalar or array) is added to ``taxable_distributions``; when ``early`` is
    True (or an array of booleans) it is also added to ``early_distributions``.  Returns the
    extra tax (``cost``), the extra of each part, and ``rate`` = cost / distribution.  A
    ``distribution`` that is not one amount or one per unit, or is not a number from 0 to the
    bound of every amount, is an :class:`~dist401k.errors.InputError` naming ``distribution``
    (and the unit, counted from 1), as any other bad input (docs/architecture.md); so is an
    ``early`` that is not true/false, one or one per unit.
    """
    law = law or default_law()
    extra = _per_unit(distribution, len(units), "distribution")
    early_extra = np.where(_per_unit(early, len(units), "early"), extra, 0.0)
    base = federal_tax(units, law)
    more = federal_tax(
        units.replace(
            taxable_distributions=units.taxable_distributions + extra,
            early_distributions=units.early_distributions + early_extra,
        ),
        law,
    )
    out = {
        f"extra_{k}": more[k] - base[k]
        for k in ("agi", "taxable_income", "regular_tax", "amt", "niit", "additional_tax_72t")
    }
    out["cost"] = more["income_tax"] - base["income_tax"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["rate"] = np.where(extra > 0, out["cost"] / extra, 0.0)
    return out


def _per_unit(value, n: int, name: str) -> np.ndarray:
    """``value`` (one, or one per unit) for each of ``n`` units: an amount from 0 to the bound
    of every amount (dist401k.bounds) for ``distribution``, true/false for ``early``; an
    :class:`InputError` naming ``name`` otherwise (never the value given)."""
    raw = np.atleast_1d(np.asarray(value, dtype=object if _is_text(value) else None))
    if raw.ndim != 1 or len(raw) not in (1, n):
        raise InputError(FieldProblem(name, f"has {raw.size} values for {n} units (give one, "
                                      "or one per unit)"))
    row = (lambda i: None) if len(raw) == 1 else (lambda i: int(i) + 1)
    if name == "early":
        vals, bad = to_bool(raw)
        problems = [FieldProblem(name, shown(raw[i], "is not true/false (1/0)"), row(i))
                    for i in np.flatnonzero(bad)]
    else:
        vals, bad = to_float(raw)
        problems = [FieldProblem(name, shown(raw[i], "is not a number"), row(i))
                    for i in np.flatnonzero(bad)]
        problems += [FieldProblem(name, "is negative (amounts must be 0 or more)", row(i))
                     for i in np.flatnonzero(~bad & (vals < 0))]
        problems += [FieldProblem(name, f"is more than {MONEY.hi:g} dollars (the bound of every "
                                  "amount)", row(i)) for i in np.flatnonzero(~bad & (vals > MONEY.hi))]
    if problems:
        raise InputError(sorted(problems[:PROBLEMS_SHOWN], key=lambda p: p.row or 0))
    return np.broadcast_to(vals, (n,))


def _is_text(value) -> bool:
    """Text among the values (which NumPy would make a string array, never a number)."""
    if isinstance(value, str):
        return True
    return isinstance(value, list | tuple) and any(isinstance(v, str) for v in value)
