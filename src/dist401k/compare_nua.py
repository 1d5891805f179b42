"""The NUA strategy as an option of `dist401k compare`: employer stock paid out in kind in a
lump-sum distribution, the rest of the balance rolled directly to a traditional IRA in the same
year.

- Open only where the law gives it: a plan whose lump sum can carry net unrealized appreciation
  (a §401(a) plan: :func:`dist401k.traps.nua_possible`, IRC §402(e)(4)(D)(i)); stock worth more
  than its cost; a triggering event (separation from service, or 59½ — the routes ``separation``
  and ``in_service`` past 59½, §402(e)(4)(D)(i)(II), (III)); and the whole balance to the credit
  of the employee paid in the year (a route that pays all of it, §402(e)(4)(D)(i), (ii)).
- Now: the shares' cost is ordinary income, taxed at the margin with the 10% tax on it before
  59½ unless an exception applies (§402(e)(4)(B); §72(t)(1)) — the NUA trap's own figures
  (:func:`dist401k.traps.nua_figures`) —, and the state's tax on it where the case gives a
  state; nothing is withheld (§3405(c)(2): a direct rollover; §3405(e)(8): withholding is
  limited to the money and the property other than employer securities), so the tax is paid
  from other money.
- Later: the shares grow at the IRA's net return and are valued at each horizon as sold then,
  in one later year with this year's other income, on this year's law: the gain over their
  cost (the NUA, long-term whatever the holding, Treas. Reg. §1.402(a)-1(b)(1)(i), Notice 98-24;
  the growth after the distribution, taken as held more than a year, §1222(3)) at the §1(h)
  rates through the tax engine, and the §1411 tax on the growth after the distribution only —
  the NUA is a distribution from a qualified plan, not net investment income (§1411(c)(5);
  Instructions for Form 8960, "Net gain attributable to NUA").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.case import Case
from dist401k.explain import reason
from dist401k.form_1099r import distribution_code
from dist401k.form_5329 import EarlyPaid, part_i, part_i_rows
from dist401k.law.loader import Law, Lookup
from dist401k.money import HALF_CENT, amount, cents, dollars_text
from dist401k.routes.common import Facts
from dist401k.state_outcome import StateTaxOf
from dist401k.traps import NuaFigures, sale_tax

#: The routes that pay after a triggering event of a lump sum: separation from service
#: (§402(e)(4)(D)(i)(III)) and, past 59½, an in-service distribution ((II)).
LUMP_SUM_ROUTES = ("separation", "in_service")


@dataclass(frozen=True)
class NuaPlan:
    """The lump sum: the route that pays it, the whole balance (``gross``), the stock's
    figures and the state's tax now on its cost (empty where the case gives no state)."""

    route: str
    gross: float
    figures: NuaFigures
    state: dict


def lump_sum_row(case: Case, assessed: dict, outcomes: list[dict], pretax_only: dict[str, bool],
                 owed: dict | None) -> dict | None:
    """The direct rollover to a traditional IRA of the whole vested balance, by a route that
    pays after a triggering event, which the lump sum stands beside; None where there is none.
    Left out (docs/compare.md): a year with a required minimum still owed, a loan outstanding
    (its offset is part of the balance), money that is not all pre-tax (``pretax_only`` by
    route: after-tax or Roth money changes what the cost's taxable part is)."""
    stock = case.account.employer_stock
    if owed is not None or case.account.loans.outstanding > HALF_CENT:
        return None
    whole = sum(s.balance * s.vested for s in case.account.sources.values())
    for route in LUMP_SUM_ROUTES:
        if route == "in_service" and not assessed["reached_59_half"]:
            continue
        for o in outcomes:
            if (o["route"] == route and o["destination"] == "traditional_ira"
                    and pretax_only.get(route, False) and o["gross"] >= whole - HALF_CENT
                    and stock.value <= o["gross"] + HALF_CENT):
                return o
    return None


def state_on_cost(case: Case, law: Law, f: NuaFigures) -> dict:
    """The state's income tax and its own additional tax on the cost, as on any payment of
    the plan (:class:`dist401k.state_outcome.StateTaxOf`); null where the state is not covered;
    its withholding unknown (the federal limit of §3405(e)(8) is no state's)."""
    if not case.person.state:
        return {}
    tax = f.tax
    st = StateTaxOf(tax.b, Facts.of(tax.b, law), tax.units, tax.base, tax.lookup)
    got = st.increase(f.cost, f.with_cost, f.cost if f.penalty else 0.0, 0.0)
    ok = bool(got.covered[0])
    return {"state_income_tax_now": amount(got.income_tax_increase[0]) if ok else None,
            "state_additional_tax_now": amount(got.additional_tax[0]) if ok else None,
            "state_covered": ok, "state_withholding": None}


def shares_after_tax(law: Law, f: NuaFigures, growth: float, years) -> np.ndarray:
    """The shares' value after ``years`` at ``growth`` less the federal tax of selling them
    all then, in one year with this year's other income, on this year's law: the gain over
    their cost as long-term gain (the tax engine, :func:`dist401k.traps.sale_tax`: §1(h), the
    deductions it fills), and the §1411 tax on the growth after the distribution, not on the
    NUA (§1411(c)(5))."""
    years = np.atleast_1d(np.asarray(years, dtype=float))
    grown = f.value * (1.0 + growth) ** years
    gain = grown - f.cost
    after = np.maximum(grown - f.value, 0.0)  # growth after the distribution: NII
    added, _ = sale_tax(law, f.tax, 0.0, gain, after)
    return grown - added


def nua_why(f: NuaFigures, past_59_half: bool | None = None) -> dict:
    """The option's why: no 10% tax, with the exception that spares the shares' cost
    (``f.exception``, found as every payment's: :func:`dist401k.traps.lump_sum_exception`;
    ``past_59_half`` is not read), or its amount; and the taxable part now, with the rules."""
    cost, nowith = reason("NUA_COST_TAXED"), reason("NUA_NO_WITHHOLDING")
    ten = reason("NUA_COST_10_PERCENT")
    if f.penalty or f.exception is None:
        penalty = f"${dollars_text(f.penalty)} on the shares' cost. {ten.text} [{ten.citation}]"
    else:
        spared = reason(f.exception)
        penalty = f"None on the shares' cost. {spared.text} [{spared.citation}]"
    return {"additional_tax_72t": penalty,
            "taxable": f"${dollars_text(f.cost)} taxable now, the shares' cost; "
                       f"${dollars_text(f.nua)} of NUA when sold. {cost.text} [{cost.citation}] "
                       f"{nowith.text} [{nowith.citation}]",
            "short": "lump sum: shares' cost taxed now, NUA when sold"
                     + ("; 10% tax on the cost" if f.penalty else "")}


def nua_notes(case: Case, plan: NuaPlan, paid: float) -> list[str]:
    """What the option assumes and what it leaves out."""
    f, sale = plan.figures, reason("NUA_SALE")
    notes = [
        f"the ${dollars_text(f.value)} of employer shares paid to you in kind, the other "
        f"${dollars_text(plan.gross - f.value)} rolled directly to a traditional IRA in the same tax "
        f"year; the shares' ${dollars_text(f.cost)} cost is taxed now (${dollars_text(paid)}, "
        "paid from other money: nothing is withheld)",
        "the lump sum needs the whole balance to the credit of the employee — every plan of "
        "the same kind the employer maintains — paid within one tax year (IRC §402(e)(4)(D)(i), "
        "(ii)); the shares are paid to you, not rolled over: in an IRA they would be taxed as "
        "income when withdrawn",
        "the shares grow at the IRA's net return and are valued as sold at each horizon, in one "
        "year with this year's other income, on this year's law: the gain over their cost at "
        "long-term rates (the growth after the distribution taken as held more than a year) "
        f"and the net investment income tax on that growth only. {sale.text} [{sale.citation}] "
        "Dividends, taxed each year outside the IRA, are not counted",
    ]
    if case.person.state:
        notes.append(f"the state's tax on the sale is not counted, as no option's later value "
                     f"counts a state's; whether {case.person.state} follows the federal NUA "
                     "treatment is not checked (its tax now on the cost is that of a plan "
                     "payment)")
    return notes


#: The parts of the lump sum's two Forms 1099-R (dist401k.form_1099r_boxes.PARTS): the shares
#: paid to the participant, the rest rolled over directly.
SHARES_PART, ROLLED_PART = "pretax_cash", "rolled_pretax"


def shares_code(f: NuaFigures, at_59_half: bool, cash_row: dict | None) -> str:
    """Box 7 of the shares' form: the code the plan gives a payment of the same route to the
    participant (the cash outcome's non-Roth form, :mod:`dist401k.form_1099r_boxes`), less the
    A of Form 4972, which a lump sum partly rolled over never has (Form 4972, Part I, line 2);
    without that outcome, as :func:`dist401k.form_1099r.distribution_code` gives it: 7 at 59½,
    3 disability, 2 an exception the payer knows, 1 none (Instructions for Forms 1099-R and
    5498, box 7)."""
    for form in (cash_row or {}).get("form_1099r") or ():
        if form["part"] == SHARES_PART:
            return str(form["box_7"]).replace("A", "")
    return str(distribution_code(np.array([at_59_half]), np.array([f.exception == "PX_DISABILITY"]),
                                 np.array([f.exception is not None]))[0])


def nua_forms(plan: NuaPlan, rolled: dict, code: str) -> list[dict]:
    """The lump sum's two Forms 1099-R (Instructions for Forms 1099-R and 5498; IRC
    §402(e)(4)(B)), from the direct rollover's form of the whole balance (``rolled``, the
    outcome's, :func:`dist401k.form_1099r_boxes.forms_1099r`): the shares paid in kind — box 1
    their value, box 2a their cost (the taxable amount leaves out the net unrealized
    appreciation), box 4 nothing (§3405(e)(8): no more is withheld than the cash and property
    other than employer securities, here none), box 6 the NUA, box 7 ``code`` —; and the rest
    rolled over directly, code G, box 2a 0.  Both are of one total distribution (box 2b)."""
    f = plan.figures
    rest = amount(plan.gross - f.value)
    state: dict[str, float | None] = {"box_16": amount(f.value)} if rolled.get("box_15") else {}
    if "box_14" in rolled:  # the state's withholding on shares in kind: not figured
        state["box_14"] = None
    shares = {**rolled, "part": SHARES_PART, "box_1": amount(f.value), "box_2a": amount(f.cost),
              "box_4": 0.0, "box_5": 0.0, "box_6": amount(f.nua), "box_7": code,
              "not_figured": [], **state}
    rest_form = {**rolled, "box_1": rest, **({"box_16": rest} if rolled.get("box_15") else {})}
    return [shares, rest_form]


def nua_form_5329(law: Law, case: Case, f: NuaFigures, at_59_half: bool, code: str) -> dict | None:
    """Form 5329 Part I of the shares' payment (:func:`dist401k.form_5329.part_i`): before 59½
    the cost is the early distribution includible (line 1), the NUA not being income now
    (§402(e)(4)(B)); the exception that spares it (``f.exception``) on line 2; None at 59½."""
    if at_59_half:
        return None
    year = np.array([case.request.date.year])
    excepted = np.array([f.exception is not None])
    exc = {f.exception: excepted} if f.exception else {}
    one = np.array([f.cost])
    paid = EarlyPaid(early=np.array([True]), includible=one, subject=one, medical=np.zeros(1),
                     excepted=excepted, rate=np.array([f.rate_72t]))
    return part_i_rows(part_i(Lookup(law, year), "separation", exc, paid, np.array([code])),
                       np.arange(1))[0]


def with_nua_forms(option: dict, law: Law, case: Case, plan: NuaPlan, row: dict,
                   cash_row: dict | None, at_59_half: bool) -> dict:
    """``option`` with its Forms 1099-R (:func:`nua_forms`), their codes, the taxable part now
    (the shares' cost) and the rest, and Form 5329 Part I (:func:`nua_form_5329`).  Changed in
    place."""
    rolled = next((x for x in row.get("form_1099r") or () if x["part"] == ROLLED_PART), None)
    if rolled is None:
        return option
    code = shares_code(plan.figures, at_59_half, cash_row)
    forms = nua_forms(plan, rolled, code)
    option["form_1099r"] = forms
    option["form_1099r_codes"] = [x["box_7"] for x in forms]
    option["taxable"] = amount(plan.figures.cost)
    option["nontaxable"] = amount(cents(plan.gross - plan.figures.cost))
    option["form_5329"] = nua_form_5329(law, case, plan.figures, at_59_half, code)
    return option
