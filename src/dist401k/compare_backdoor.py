"""The tax a backdoor Roth conversion owes more (or less) when an option leaves money in a
traditional IRA at the end of its year (the options of `dist401k compare`).

All of a person's traditional IRAs (an individual retirement annuity too, §408(b)) are one
contract valued at December 31 (IRC §408(d)(2)): pre-tax money rolled there this year joins
Form 8606 line 6 and lowers line 10, so more of the conversion is taxable (line 18); after-tax
money rolled there joins line 2 as well, and where it raises line 10 less of the conversion is
taxable (a saving, told as one).  What that costs or saves is the federal and the state tax on
the taxable part it adds or takes away, at the margin: on top of the year's other income, the
option's own taxable part, a loan deemed distributed this year, and the taxable part the
conversion has without the rollover.  The basis carried forward (line 14 = line 3 − line 13,
next year's line 2) moves the other way by as much as the taxable part (line 7, other IRA
distributions, is 0 here): more basis, which the comparison keeps in the IRA and recovers
tax-free when withdrawn, or less, taxed when withdrawn.
"""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import Case
from dist401k.form_8606 import PLACES, lines
from dist401k.law.loader import Law
from dist401k.money import HALF_CENT, amount, dollars_text
from dist401k.outcome import TaxOf
from dist401k.routes.common import Facts
from dist401k.state_outcome import IRA_CONVERSION, StateTaxOf

BACKDOOR_CODE = "PRO_RATA"
BACKDOOR_CITATION = "IRC §408(d)(2); Form 8606 Part I, lines 6–14"


def taxable_without(case: Case, law: Law) -> float:
    """Form 8606 line 18 of the case's backdoor Roth with nothing rolled to a traditional IRA:
    its IRAs' basis (line 2) and year-end value (line 6) as the case gives them."""
    iras = case.iras
    conv = float(iras.backdoor_roth_planned)
    got = lines(np.asarray(conv), np.asarray(float(iras.traditional_basis)),
                np.asarray(float(iras.traditional)), np.asarray(0.0), np.asarray(conv),
                law.get(PLACES, case.request.date.year))
    return amount(got["line_18"])


def extra_tax(case: Case, law: Law, before: float, more: float) -> tuple[float, float | None]:
    """The federal and the state income tax that ``more`` taxable income adds on top of
    ``before`` (beside the case's own income); the state's None where the case gives no state
    or the state is not covered (docs/state.md).  A conversion owes no 10% tax
    (§408A(d)(3)(A)(ii)): none is figured.  It is paid from the traditional IRAs: a state that
    judges an IRA's payment by the IRA's own conditions (Pennsylvania: 59½, wages or not)
    judges it so (:data:`dist401k.state_outcome.IRA_CONVERSION`)."""
    b = CaseBatch.from_cases([case])
    tax = TaxOf(b, law, float(before))
    with_ = tax.federal_with(float(more))
    federal = amount(with_.increase[0])
    state_of = StateTaxOf(b, Facts.of(b, law), tax.units, tax.base, tax.lookup)
    if not state_of.any:
        return federal, None
    got = state_of.increase(float(more), with_, 0.0, 0.0, route=IRA_CONVERSION)
    state = float(got.income_tax_increase[0])
    return federal, (amount(state) if bool(got.covered[0]) else None)


def _cost(case: Case, law: Law, with_: float, without: float, before: float) -> dict:
    """The backdoor Roth's cost of an option whose conversion has ``with_`` taxable (Form 8606
    line 18) against ``without``: the taxable part it adds and the federal and state tax on it,
    on top of ``before`` (the option's own taxable part and a loan deemed distributed)."""
    more = with_ - without
    federal, state = (extra_tax(case, law, before + without, more)
                      if abs(more) > HALF_CENT else (0.0, 0.0))
    return {"taxable_more": amount(more), "taxable_with": amount(with_),
            "taxable_without": amount(without), "income_tax": federal,
            "state_income_tax": state, "total": amount(federal + (state or 0.0)),
            "code": BACKDOOR_CODE, "citation": BACKDOOR_CITATION}


def backdoor_costs(case: Case, law: Law, outcomes: list[dict],
                   deemed: float) -> dict[str, dict]:
    """For each outcome that leaves money in a traditional IRA in a year with a backdoor Roth
    planned (``iras.backdoor_roth_planned``), keyed ``route:destination``: the taxable part it
    adds to the conversion (its own Form 8606 line 18, as ``assess`` shows it, less the line
    without the rollover) and the federal and state tax on it; none elsewhere."""
    if case.iras.backdoor_roth_planned <= HALF_CENT:
        return {}
    without = taxable_without(case, law)
    costs = {}
    for o in outcomes:
        form = o.get("form_8606")
        if o["to_traditional_ira"] <= HALF_CENT or not form:
            continue
        own = o["taxable"] - (o.get("taxable_later") or 0.0)
        costs[f"{o['route']}:{o['destination']}"] = _cost(
            case, law, float(form["line_18"]), without, deemed + own)
    return costs


def rollover_cost(case: Case, law: Law, rolled: float, own_taxable: float,
                  deemed: float) -> dict | None:
    """The backdoor Roth's cost of an option the assessment does not price as an outcome — the
    net unrealized appreciation's lump sum, whose rest (``rolled``, pre-tax money: the lump sum
    holds neither after-tax nor Roth money) goes to a traditional IRA this year: Form 8606 line
    6 (every traditional IRA at December 31, IRC §408(d)(2)) with it, line 2 unchanged, taxed
    on top of ``own_taxable`` (the shares' cost, taxed now) and ``deemed``.  None without a
    conversion planned or nothing rolled."""
    if case.iras.backdoor_roth_planned <= HALF_CENT or rolled <= HALF_CENT:
        return None
    iras = case.iras
    conv = float(iras.backdoor_roth_planned)
    got = lines(np.asarray(conv), np.asarray(float(iras.traditional_basis)),
                np.asarray(float(iras.traditional) + rolled), np.asarray(0.0), np.asarray(conv),
                law.get(PLACES, case.request.date.year))
    return _cost(case, law, float(got["line_18"]), taxable_without(case, law),
                 deemed + own_taxable)


def _more_or_less(value: float, rises: bool) -> str:
    """``$X more`` or ``$X less``: the amount without its sign, the word by its sign (by
    ``rises``, whether the conversion's taxable part rises, where it is zero)."""
    up = value > HALF_CENT or (rises and value >= -HALF_CENT)
    return f"${abs(value):,.2f} {'more' if up else 'less'}"


def backdoor_note(cost: dict, conversion: float) -> str:
    """The option's note on the backdoor Roth's tax: more where the rollover's pre-tax money
    makes more of the conversion taxable, less (a saving) where the after-tax basis it rolls in
    (Form 8606 line 2) makes less of it taxable — then as much less basis is carried forward
    (line 14), taxed when withdrawn."""
    state, more = cost["state_income_tax"], cost["taxable_more"]
    rises = more > 0
    head = (f"the backdoor Roth: with this money in a traditional IRA at year end, "
            f"${cost['taxable_with']:,.2f} of the ${dollars_text(conversion)} conversion is taxable "
            f"(${cost['taxable_without']:,.2f} without it): "
            f"{_more_or_less(cost['income_tax'], rises)} federal income tax"
            + (f" and {_more_or_less(state, rises)} state tax" if state else "") + " now")
    if rises:
        return (head + f", counted here and paid from other money; the ${more:,.2f} stays "
                f"basis in the IRA (Form 8606 line 14), recovered tax-free when withdrawn "
                f"({BACKDOOR_CITATION})")
    return (head + f", counted here; ${-more:,.2f} less basis carried forward in the IRA (Form "
            f"8606 line 14), that much taxed when withdrawn ({BACKDOOR_CITATION})")


def backdoor_short(cost: dict) -> str:
    """The option's short why on the backdoor Roth: taxed more, or less where the rollover makes
    less of the conversion taxable."""
    return f"backdoor Roth taxed {'more' if cost['taxable_more'] > 0 else 'less'}"
