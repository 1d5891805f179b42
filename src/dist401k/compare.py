"""“Should I?” — the options for a request side by side, now and at a horizon, and the traps.

Each option's figures today come from the assessment (the same rules and tax engine); the
projection is deterministic and its assumptions travel with the result: money left in the
plan grows at the return less the plan's expenses, money in an IRA less the IRA's, money in a
product less its expenses and any surrender charge; pre-tax money is valued after the tax
expected when it is withdrawn later, after-tax basis as a fixed amount whose growth is taxed
then (in the plan, a traditional IRA or a product), Roth money tax-free (the basis too, once in
a Roth IRA).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from dist401k import __version__
from dist401k.assess import assess_figures
from dist401k.batch import CaseBatch
from dist401k.case import ALTERNATE_PAYEE_SPOUSES, Assumptions, Case
from dist401k.compare_backdoor import backdoor_costs, backdoor_note, backdoor_short, rollover_cost
from dist401k.compare_nua import (
    NuaPlan,
    lump_sum_row,
    nua_notes,
    nua_why,
    shares_after_tax,
    state_on_cost,
    with_nua_forms,
)
from dist401k.dates import MONTHS_PER_YEAR, add_months, anniversary, fractional_age, year_of
from dist401k.explain import reason
from dist401k.form_1099r import distribution_code
from dist401k.labels import INHERITED_DESTINATION_LABELS, NUA_LABEL, route_label, sepp_method_label
from dist401k.law.filing_status import CODE
from dist401k.law.loader import Law, default_law
from dist401k.money import HALF_CENT, amount, cents, dollars_text
from dist401k.outcome import SOUND_SLOPE, TaxOf
from dist401k.routes.base import IRA_ROUTES
from dist401k.routes.common import Facts
from dist401k.sepp import sepp_taxable_share
from dist401k.sources import AFTER_TAX, ROTH, SOURCES
from dist401k.state_outcome import StateTaxOf, state_tax_shown
from dist401k.tax.kiddie import (
    net_unearned_income,
    preferential_in_net_unearned,
    unearned_income_allowance,
)
from dist401k.traps import (
    inherited_ira_transfer,
    later_rate_default,
    nua_figures,
    required_now,
    small_cash_out_reasons,
    traps,
)
from dist401k.withholding import (
    NOT_FIGURED_REASON,
    periodic_withholding,
    row_not_figured,
    with_unknown_withholding,
)

LABELS = {"cash": "take it in cash", "traditional_ira": "roll to a traditional IRA",
          "roth_ira": "roll to a Roth IRA", "other_plan": "roll to another plan",
          "split_2014_54": "split: pre-tax to IRA, after-tax to Roth IRA",
          "indirect_60day": "60-day rollover"}
#: What a direct rollover to a Roth IRA is, by the money rolled (its Form 1099-R codes): other
#: money than designated Roth is converted, taxable now (code G; IRC §408A(d)(3)); designated
#: Roth money is rolled over, not converted, and taxed on neither (code H; §402A(c)(3),
#: §402A(d)(1); Treas. Reg. §1.408A-10, Q&A-3).
ROTH_IRA_KIND = {frozenset("G"): "convert",
                 frozenset("H"): "a rollover of designated Roth money, not a conversion",
                 frozenset("GH"): "designated Roth money rolled over, the rest converted"}
#: A rollover to a traditional IRA of a payment holding designated Roth money: that part goes
#: to a Roth IRA (IRC §402A(c)(3); §402(c)(8)(B)).
ROTH_PART_TO_ROTH_IRA = "its designated Roth part to a Roth IRA"
#: The label of "leave it" where the plan may pay a small benefit out without asking
#: (:func:`dist401k.traps.small_cash_out_reasons`; §411(a)(11)(A), §401(a)(31)(B)).
MAY_BE_PAID_OUT = " (the plan may pay out a small balance: see ⚠)"
#: What the default later tax rate is (the marginal profile's first_dollar_rate; an estate's
#: average rate; an heir's with a deadline, :func:`later_rate_source`;
#: :func:`dist401k.traps.later_rate_default`).
LATER_RATE_DEFAULT = "today's federal rate on the first dollar withdrawn"
LATER_RATE_ESTATE = ("the estate's average federal rate today (Form 1041) on the most taxable "
                     "amount an option pays")
#: The search for the gross that meets a need: at most this many secant steps.
NEED_STEPS = 20
CENTS_PER_DOLLAR = 100


def _marginal_profile(case: Case, amount: float, law: Law, before: float = 0.0) -> dict:
    """The year's tax without and with ``amount`` more taxable income, part by part, and the
    marginal rate of the first and of the last dollar, on top of ``before`` (a loan deemed
    distributed this year, :func:`dist401k.outcome.after_deemed_loan`).  An estate's tax is
    its own on Form 1041 (:class:`dist401k.outcome.TaxOf`): no senior deduction, no Social
    Security, the compressed brackets of IRC §1(e), §1(j)(2)(E)."""
    b = CaseBatch.from_cases([case])
    extra = np.array([0.0, 1.0, amount, amount + 1.0])
    tax = TaxOf(b.take(np.zeros(len(extra), dtype=int)), law, before + extra)
    at = {k: np.asarray(v, dtype=float) for k, v in tax.base.items() if k != "projected"}
    estate = bool(tax.estate[0])
    return {
        "amount": amount,
        "first_dollar_rate": float(at["income_tax"][1] - at["income_tax"][0]),
        "last_dollar_rate": float(at["income_tax"][3] - at["income_tax"][2]),
        "average_rate": float((at["income_tax"][2] - at["income_tax"][0]) / amount)
        if amount > 0 else 0.0,
        "taxable_income": (float(at["taxable_income"][0]), float(at["taxable_income"][2])),
        "extra_taxable_social_security": float(at["taxable_social_security"][2]
                                               - at["taxable_social_security"][0]),
        "senior_deduction_lost": float(at["senior_deduction"][0] - at["senior_deduction"][2]),
        "extra_niit": float(at["niit"][2] - at["niit"][0]),
        "extra_amt": float(at["amt"][2] - at["amt"][0]),
        "brackets": _bracket_of(law, case, at["taxable_income"][[0, 2]], estate),
        "kiddie": None if estate else _parent_bracket_of(law, tax, at),
        "estate": estate,
    }


def _bracket_of(law: Law, case: Case, taxable, estate: bool = False) -> tuple[float, float]:
    """The rate of the bracket each of two taxable incomes falls in: an individual's by filing
    status (IRC §1(j)(2)), an estate's (§1(e), §1(j)(2)(E))."""
    year = case.request.date.year
    if estate:
        upper, rates = law.get("fiduciary.brackets", year), law.get("fiduciary.rates", year)
    else:
        upper = law.get("income_tax.brackets", year, CODE[case.person.filing_status])
        rates = law.get("income_tax.rates", year)
    idx = np.searchsorted(upper, taxable, side="left")
    return float(rates[idx[0]]), float(rates[idx[1]])


def _parent_bracket_of(law: Law, tax: TaxOf, at: dict) -> dict | None:
    """Where the amount brings the kiddie tax (Form 8615 line 18 more than line 17, row 2 of
    ``at``; rows 0 and 2 the year without and with the amount): the part of the child's
    unearned income above Form 8615's line 2 is taxed at the parent's rate (IRC §1(g)(1),
    lines 9–13), on top of the parent's taxable income and the other children's net unearned
    income (line 8).  The threshold and the rate of the parent's bracket (by the parent's
    filing status, §1(j)(2)) at the first and the last dollar the amount adds to the ordinary
    part of the net unearned income (Line 5 Worksheet #1 sets its qualified dividends and
    gain apart, taxed on line 9 at the capital-gain rates).  None where it does not apply."""
    if at["kiddie_tax"][2] <= HALF_CENT:
        return None
    u, lk = tax.units, tax.lookup
    line1, line5 = net_unearned_income(lk, at["agi"], u.wages, at["taxable_income"])
    qd5, gain5 = preferential_in_net_unearned(lk, line1, line5, u.qualified_dividends,
                                              u.long_term_gains)
    line8 = u.parent_taxable_income + u.other_children_net_unearned_income + line5 - qd5 - gain5
    upper = law.get("income_tax.brackets", int(u.tax_year[0]), int(u.parent_filing_status[0]))
    rates = law.get("income_tax.rates", int(u.tax_year[0]))
    first = np.searchsorted(upper, line8[0], side="right")  # the dollar after the year's own
    last = np.searchsorted(upper, line8[2], side="left")
    return {"threshold": float(np.ravel(unearned_income_allowance(lk))[0]),
            "parent_brackets": (float(rates[min(first, last)]), float(rates[last]))}


def _grow(amount, rate, years):
    return amount * (1.0 + rate) ** years


def _sepp_options(case: Case, law: Law, p: Projection, gross_max: float) -> list[dict]:
    """A 72(t) series as a way to the money before 59½ (IRC §72(t)(2)(A)(iv)): its first
    year's payment by each method, taxed as income, free of the 10% tax; the rest stays."""
    from dist401k.sepp import METHODS, sepp_cases

    r = sepp_cases([case], law)[0]
    if not r["available"]:
        return []
    # The year's tax stands on a loan deemed distributed this year, as every option's does.
    # (a float: the tax units keep the dtype of their first amounts, and cents count)
    tax = TaxOf(CaseBatch.from_cases([case]), law, float(p.deemed))
    taxable_share = float(sepp_taxable_share([case], law)[0])
    breaking = ("changing it earlier recaptures the 10% tax with interest (§72(t)(4))"
                if r["recaptured_share"] > 0 else "changing it earlier recaptures nothing: "
                "the 10% tax would not have applied to its payments (§72(t)(4))")
    out = []
    for m in METHODS:
        pay = float(r["first_year"][m])
        cost = float(tax.increase(pay * taxable_share)[0][0])
        held = series_withheld(case, law, pay, taxable_share)
        state = series_state(case, law, tax, pay * taxable_share)
        option = p.option(
            f"sepp:{m}", f"72(t) series, {sepp_method_label(m)}: first year",
            Now(gross=pay, cash_now=pay - cost - state_taxes(state), taxes=cost,
                withholding=np.nan_to_num(held.amount), check=pay - np.nan_to_num(held.amount),
                kept=pay - cost - state_taxes(state)),
            Holdings(in_plan=max(0.0, gross_max - pay)), why=sepp_why(pay, taxable_share), state=state,
            notes=[f"then about ${dollars_text(pay)} a year until {r['series_ends']}; {breaking}",
                   f"taxable: ${pay * taxable_share:,.2f} of each ${pay:,.2f}, the rest "
                   "basis or Roth contributions (§72(e)(8), §402A(d))", held.note])
        out.append(option if np.isfinite(held.amount) else withholding_unknown(option))
    return out


@dataclass(frozen=True)
class SeriesWithheld:
    """The federal withholding on a year's payments of a 72(t) series (NaN: not figured) and
    the note that says how it was figured, or why it was not."""

    amount: float
    note: str


def series_withheld(case: Case, law: Law, pay: float, taxable_share: float) -> SeriesWithheld:
    """What is withheld from a year's payments ``pay`` of a 72(t) series, ``taxable_share`` of
    them taxable: a periodic payment, withheld from as wages (IRC §3405(a)(1)) by Pub. 15-T's
    Worksheet 1A and Annual Percentage Method tables, as ``assess`` withholds from one
    (:func:`dist401k.withholding.periodic_withholding`, the request's Form W-4P; none given: as
    single with no adjustments, §3405(a)(4)), at ``request.series_payments_per_year`` payments a
    year where the request gives it, else one payment a year (the series prices a year's
    payment), each withheld on its own (no more than it pays) and added up.  Not figured (NaN)
    where the law holds no Pub. 15-T table for the request's year (``SR_WITHHOLDING_WAGES``,
    whose words the note gives)."""
    from dist401k.outcome import payee_w4p

    r = case.request
    k = r.series_payments_per_year if "series_payments_per_year" in r.model_fields_set else 1
    per_payment = periodic_withholding(
        law, np.array([r.date.year]), pay * taxable_share / k, k,
        payee_w4p(CaseBatch.from_cases([case])), no_tin=not r.payee_tin_furnished,
        abroad=r.delivered_outside_us)[0]
    if not np.isfinite(per_payment):
        said = reason(NOT_FIGURED_REASON)
        return SeriesWithheld(np.nan, f"withholding not figured: {said.text} [{said.citation}]")
    withheld = float(cents(min(per_payment, pay / k) * k))
    words = [reason("SR_WITHHOLDING_W4P")]
    if r.w4p_filing_status is None and not r.w4p_no_withholding:
        words.append(reason("SR_W4P_NOT_GIVEN"))
    return SeriesWithheld(withheld, f"withheld ${withheld:,.2f} in the year, {k} payment"
                          f"{'s' if k > 1 else ''} a year: "
                          + " ".join(f"{w.text} [{w.citation}]" for w in words))


def series_state(case: Case, law: Law, tax: TaxOf, taxable: float) -> dict:
    """A 72(t) series payment's state taxes now, through the state code every payment of the
    plan goes through (:class:`dist401k.state_outcome.StateTaxOf`), its ``taxable`` part on top
    of the year's other income (``tax``: the federal figures without it): ordinary income for
    the state, as for IRC §72 (California: R&TC §17081); none of it under the federal 10% tax
    (§72(t)(2)(A)(iv)), so no state's additional tax that follows that tax (California's 2.5%:
    R&TC §17085(c)(1)); one of periodic payments, as an outcome's payment of a series
    (:meth:`dist401k.state_outcome.StateTaxOf.increase` with ``periodic``: Michigan counts such a
    series among retirement benefits before 59½, MCL 206.30(8)(a)(ii); Colorado's subtraction
    takes periodic payments after retirement; New York's exclusion from 59½ on the request
    date).  Null — unknown, never 0 — where the state is
    not covered; its withholding not figured (null).  No state given: none."""
    if not case.person.state:
        return {}
    st = StateTaxOf(tax.b, Facts.of(tax.b, law), tax.units, tax.base, tax.lookup)
    got = st.increase(taxable, tax.federal_with(taxable), 0.0, 0.0, periodic=True)
    ok = bool(got.covered[0])
    return {"state_income_tax_now": amount(got.income_tax_increase[0]) if ok else None,
            "state_additional_tax_now": amount(got.additional_tax[0]) if ok else None,
            "state_covered": ok, "state_withholding": None}


def sepp_why(pay: float, taxable_share: float) -> dict:
    """A 72(t) series payment's why, as an outcome's: no 10% tax, the payment being one of a
    series of substantially equal periodic payments (IRC §72(t)(2)(A)(iv), reason
    ``SP_SEPP_EXCEPTION``), which the payer reports with the code of an exception it knows
    (Form 1099-R box 7: :func:`dist401k.form_1099r.distribution_code`; the Guide to
    Distribution Codes, code 2); taxable as income but for its basis or Roth contributions,
    pro rata (§72(e)(8), §402A(d))."""
    said = reason("SP_SEPP_EXCEPTION")
    code = str(distribution_code(np.array([False]), np.array([False]), np.array([True]))[0])
    taxable = pay * taxable_share
    if pay - taxable <= HALF_CENT:
        part = (f"${dollars_text(taxable)} of ${dollars_text(pay)} taxable now. All of it is "
                "pre-tax money, taxed as income. [IRC §402(a); §72]")
        free = ""
    else:
        part = (f"${dollars_text(taxable)} of ${dollars_text(pay)} taxable now, "
                f"${dollars_text(pay - taxable)} not: the rest is basis or Roth contributions, pro "
                "rata. [IRC §72(e)(8); §402A(d)]")
        free = "; tax-free: basis or Roth contributions, pro rata"
    return {"additional_tax_72t": f"None: {said.text} [{said.citation}] Form 1099-R box 7 code "
                                  f"{code}: an exception the payer knows. [Instructions for Forms "
                                  "1099-R and 5498, Guide to Distribution Codes]",
            "taxable": part,
            "short": f"no 10% tax: a 72(t) series, §72(t)(2)(A)(iv); 1099-R code {code}{free}"}


def later_tax(row: dict) -> float:
    """The income tax a payment whose income is spread over three years (a qualified disaster
    recovery distribution, §72(t)(11)(E)(i); Form 8915-F) will cost in the two years after,
    at the rate this year's third bears (each year has the same share; the later years' other
    income is not in the case)."""
    later = row.get("taxable_later") or 0.0
    now = row["taxable"] - later
    if later <= HALF_CENT or now <= HALF_CENT:
        return 0.0
    return later * row["income_tax_increase"] / now


def _in_hand(row: dict | None) -> float:
    """What a cash row leaves in hand both now and after its taxes are settled (the later
    years' too, where its income is spread)."""
    return min(row["check_received"], row["kept_after_all_tax"] - later_tax(row)) if row else 0.0


def _cash_rows_at(case: Case, law: Law, routes: list[str], grosses: list[float]) -> list:
    """The cash outcome of route ``routes[k]`` when ``grosses[k]`` is asked for (one batch)."""
    asked = [case.model_copy(update={"request": case.request.model_copy(
        update={"amount": amount(g), "destination": "cash", "net_amount": None})})
        for g in grosses]
    return [next((o for o in r["outcomes"] if o["route"] == name
                  and o["destination"] == "cash"), None)
            for name, r in zip(routes, assess_figures(asked, law), strict=True)]


#: Cents tried below the gross the secant steps found (:func:`_fewest_cents`).
CENT_TRIES = 2


def rows_for_need(case: Case, law: Law, outcomes: list[dict], need: float) -> dict[str, dict]:
    """For each route paid in cash, its outcome at the smallest gross whose check received and
    whose amount kept after all tax both reach ``need`` (or at the most the route pays, when
    that falls short).  The tax is piecewise linear in the gross: a few secant steps."""
    routes = [o["route"] for o in outcomes if o["destination"] == "cash"]
    if not routes:
        return {}
    g = np.full(len(routes), float(need))
    rows = _cash_rows_at(case, law, routes, g.tolist())
    g_prev, f_prev = np.zeros(len(routes)), np.zeros(len(routes))
    for _ in range(NEED_STEPS):
        f = np.array([_in_hand(r) for r in rows])
        paid = np.array([r["gross"] if r else 0.0 for r in rows])
        short = need - f
        capped = paid < g - HALF_CENT  # the route pays no more than this
        if np.all((np.abs(short) < HALF_CENT) | (short < 0) & (g <= need) | capped):
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(g > g_prev, (f - f_prev) / (g - g_prev), np.nan)
        slope = np.where(np.isfinite(slope) & (slope > SOUND_SLOPE), slope, 1.0)
        g_prev, f_prev = g, f
        g = np.where(capped | (np.abs(short) < HALF_CENT), g,
                     np.maximum(g + short / slope, need))
        g = np.ceil(g * CENTS_PER_DOLLAR) / CENTS_PER_DOLLAR  # up to the cent
        rows = _cash_rows_at(case, law, routes, g.tolist())
    rows = _fewest_cents(case, law, routes, g, rows, need)
    return {name: r for name, r in zip(routes, rows, strict=True) if r is not None}


def _fewest_cents(case: Case, law: Law, routes: list[str], g: np.ndarray, rows: list,
                  need: float) -> list:
    """The rows at one cent less wherever that still puts ``need`` in hand: taxes rounded to the
    cent (Form 5329 line 4) make the cash a step function of the gross, so the secant may stop
    a cent above the smallest gross."""
    for _ in range(CENT_TRIES):
        lower = cents(g - 1.0 / CENTS_PER_DOLLAR)
        meets = np.array([r is not None and r["gross"] >= g_k - HALF_CENT
                          and _in_hand(r) >= need - HALF_CENT for r, g_k in zip(rows, g, strict=True)])
        if not meets.any():
            break
        trial = _cash_rows_at(case, law, routes, np.where(meets, lower, g).tolist())
        ok = meets & np.array([r is not None and _in_hand(r) >= need - HALF_CENT for r in trial])
        if not ok.any():
            break
        g = np.where(ok, lower, g)
        rows = [t if k else r for r, t, k in zip(rows, trial, ok, strict=True)]
    return rows


def meets_need(option: dict, need: float, net_of: str | None = None) -> bool:
    """The option puts the need in hand (to the cent): its check and what it keeps after all
    tax (the later years' of a spread income too) both reach it; for a net amount, the one it
    is net of — the check (``withholding``) of a payment that keeps something, or what is kept
    after all tax (``all_tax``)."""
    kept = option["kept_after_all_tax"] - (option.get("income_tax_later") or 0.0)
    if net_of == "withholding":  # a 60-day rollover's check goes back into an IRA
        return option["check_received"] >= need - HALF_CENT and kept > HALF_CENT
    if net_of == "all_tax":
        return kept >= need - HALF_CENT
    return min(option["check_received"], kept) >= need - HALF_CENT


#: Decimal places shown: amounts to the cent, ages to a hundredth of a year.
SHOWN_DIGITS = 2

#: Where no horizon age is after today, the options are valued this many years from now.
DEFAULT_HORIZON_YEARS = 10


@dataclass(frozen=True)
class Now:
    """An option's figures today."""

    gross: float
    cash_now: float = 0.0
    taxes: float = 0.0
    penalty: float = 0.0
    withholding: float = 0.0
    paid_from_pay: float = 0.0
    check: float = 0.0
    kept: float = 0.0


@dataclass(frozen=True)
class Holdings:
    """Where an option leaves the money, to be valued later: in the plan (``plan_basis`` of it
    after-tax basis, ``plan_roth`` designated Roth; the projection's shares of the plan money
    where None), in a traditional IRA (``ira_basis`` of it after-tax basis, the rest pre-tax),
    in a Roth IRA, in an annuity product (``product_basis`` of it basis); less the tax paid
    today from other money."""

    in_plan: float = 0.0
    in_ira: float = 0.0
    in_roth: float = 0.0
    ira_basis: float = 0.0
    product: float = 0.0
    product_basis: float = 0.0
    paid_outside: float = 0.0
    plan_basis: float | None = None
    plan_roth: float | None = None


@dataclass(frozen=True)
class MoneyParts:
    """What a route pays, by its character later: the share pre-tax (taxed when withdrawn,
    the earnings on after-tax money included), the share after-tax basis (recovered tax-free
    as a fixed amount, §72(e)(8)), the share designated Roth (tax-free once qualified,
    §402A(d)); and the basis share of its non-Roth money, which a rollover to a traditional
    IRA carries there as basis (Form 8606 line 2)."""

    pretax: float = 1.0
    basis: float = 0.0
    roth: float = 0.0
    basis_of_nonroth: float = 0.0


def money_parts(case: Case, assessed: dict) -> dict[str, MoneyParts]:
    """Each plan route's :class:`MoneyParts`: its open sources pro rata to what each can pay
    (as the outcome allocates a payment), after-tax money's basis over its balance."""
    avail: dict[str, dict[str, float]] = {}
    for row in assessed["routes"]:
        if row["eligible"] and row["available"] > 0:
            by = avail.setdefault(row["route"], {})
            by[row["source"]] = by.get(row["source"], 0.0) + row["available"]
    parts = {}
    for route, by in avail.items():
        total = sum(by.values())
        basis = roth = 0.0
        for k, src in enumerate(SOURCES):
            a, held = by.get(src, 0.0), case.account.sources.get(src)
            if ROTH[k]:
                roth += a
            elif AFTER_TAX[k] and held is not None and held.balance > 0:
                basis += a * min(1.0, held.basis / held.balance)
        parts[route] = MoneyParts(pretax=(total - basis - roth) / total, basis=basis / total,
                                  roth=roth / total,
                                  basis_of_nonroth=basis / (total - roth) if total > roth else 0.0)
    return parts


def _after_later_tax(grown, taxed_grown, basis, t_later):
    """``grown`` money after the later tax on ``taxed_grown`` (its pre-tax and after-tax
    money, grown) less ``basis`` (a fixed amount: only the growth on it is taxed,
    §72(e)(8), §408(d)(1)–(2))."""
    return grown - t_later * np.maximum(taxed_grown - basis, 0.0)


@dataclass(frozen=True)
class Horizons:
    """When the options are valued: ``at``, each horizon's name (an age, or a date: an
    inherited account's deadline) and its years from now; ``years``, the years from now of
    the values by year (whole years, and the deadline where it ends them); ``ages``, the
    horizons that are ages."""

    at: dict[str, float]
    years: tuple[float, ...]
    ages: tuple[float, ...] = ()


@dataclass(frozen=True)
class Projection:
    """The deterministic projection of every option: the case's assumptions, the later tax
    rate, the horizons and the years valued, the character of the money left in the plan
    (:class:`MoneyParts`), and the income of the year a loan deemed distributed adds
    (``deemed``: every option's tax stands on it)."""

    a: Assumptions
    horizons: Horizons
    plan_money: MoneyParts
    t_later: float
    route_parts: dict[str, MoneyParts] = field(default_factory=dict)
    deemed: float = 0.0

    @property
    def r_plan(self) -> float:
        return self.a.growth - self.a.plan_expense

    @property
    def r_ira(self) -> float:
        return self.a.growth - self.a.ira_expense

    def value_at(self, h: Holdings, t):
        """Value after ``t`` years: pre-tax money and the growth on after-tax basis after the
        later tax, the basis itself and Roth money tax-free, less what paying today's tax from
        other money would have grown to."""
        a, t_later, pm = self.a, self.t_later, self.plan_money
        basis = pm.basis * h.in_plan if h.plan_basis is None else h.plan_basis
        roth = pm.roth * h.in_plan if h.plan_roth is None else h.plan_roth
        growth_plan = _grow(1.0, self.r_plan, t)
        growth_ira = _grow(1.0, self.r_ira, t)
        v = (_after_later_tax(h.in_plan * growth_plan, (h.in_plan - roth) * growth_plan, basis,
                              t_later)
             + _after_later_tax(h.in_ira * growth_ira, h.in_ira * growth_ira, h.ira_basis,
                                t_later)
             + h.in_roth * growth_ira - h.paid_outside * growth_ira)
        if h.product:
            rp = (a.product_growth if a.product_growth is not None else a.growth) \
                - a.product_expense
            sched = np.array(a.surrender_schedule + [0.0])
            charge = sched[np.minimum(np.floor(t).astype(int), len(sched) - 1)]
            held = _grow(h.product, rp, t) * (1 - charge)
            v = v + _after_later_tax(held, held, h.product_basis, t_later)
        return v

    def holdings_of(self, o: dict, rest: float, paid_outside: float = 0.0) -> Holdings:
        """Where outcome ``o`` leaves its money, and ``rest`` of the plan's that it does not
        pay: a traditional IRA takes the pre-tax money and the after-tax basis with it (Form
        8606 line 2; the split leaves the basis out of it), a Roth IRA the Roth money (and the
        basis, in the split), another plan both."""
        parts = self.route_parts.get(o["route"], MoneyParts())
        to_plan_roth = min(o["to_plan"], o["gross"] * parts.roth)
        split = o["destination"] == "split_2014_54"
        return Holdings(
            in_plan=o["to_plan"] + rest,
            plan_basis=parts.basis * rest + (o["to_plan"] - to_plan_roth) * parts.basis_of_nonroth,
            plan_roth=parts.roth * rest + to_plan_roth,
            in_ira=o["to_traditional_ira"], in_roth=o["to_roth_ira"],
            ira_basis=0.0 if split else o["to_traditional_ira"] * parts.basis_of_nonroth,
            paid_outside=paid_outside)

    def same_money_left(self, route: str | None, kept: float) -> Holdings:
        """``kept`` dollars left in the plan with the character of ``route``'s money (the
        plan's money where None)."""
        if route is None or route not in self.route_parts:
            return Holdings(in_plan=kept)
        parts = self.route_parts[route]
        return Holdings(in_plan=kept, plan_basis=parts.basis * kept, plan_roth=parts.roth * kept)

    def valued(self, held: Holdings, t, route: str | None = None):
        """``held`` valued after ``t`` years; of a route's option, the money it keeps invested
        valued as its gain over leaving that money of the route in the plan, added to the
        value of leaving as much of the plan's money: options that move money of another
        character (after-tax money in service beside a pre-tax hardship) stand beside "leave
        it" on the same footing."""
        v = self.value_at(held, t)
        if route is None:
            return v
        kept = held.in_plan + held.in_ira + held.in_roth + held.product
        return v - self.value_at(self.same_money_left(route, kept), t) \
            + self.value_at(self.same_money_left(None, kept), t)

    def option(self, name: str, label: str, now: Now, held: Holdings, notes=(), why=None,
               state=None, route: str | None = None) -> dict:
        """One option of the comparison: its figures today and its value each year (of a
        route's option, against leaving the same money: :meth:`valued`)."""
        value = self.valued(held, np.array(self.horizons.years, dtype=float), route)
        at = {k: float(self.valued(held, np.array([t]), route)[0])
              for k, t in self.horizons.at.items()}
        return {
            "option": name, "label": label, "gross": amount(now.gross),
            "check_received": amount(now.check), "kept_after_all_tax": amount(now.kept),
            "cash_now": amount(now.cash_now), "income_tax_now": amount(now.taxes),
            "penalty_now": amount(now.penalty), "withholding": amount(now.withholding),
            "refund_or_due_later": amount(now.withholding - now.taxes - now.penalty),
            "paid_from_pay": amount(now.paid_from_pay),
            "after_tax_value_at": {k: amount(v) for k, v in at.items()},
            "by_year": cents(value).tolist(), "notes": list(notes),
            "why": why, **(state or {})}


def horizons_of(case: Case, age_now: float, deadline: str | None = None,
                estate: bool = False) -> Horizons:
    """The horizons the options are valued at: the ages after today (with the retirement
    age), else the age ten years from now to a tenth of a year (named and valued at that age:
    "85.8", never an age of four decimals); an estate's, who is no person, by date.  An inherited
    account that must be empty by ``deadline`` (IRC §401(a)(9)(B)(ii), (H)(i)) is valued no
    later: a horizon after it gives way to the deadline, and the values by year end there."""
    a = case.assumptions
    day = np.datetime64(case.request.date, "D")
    wanted = sorted({*a.horizon_ages, *([a.retirement_age] if a.retirement_age else [])})
    ages = {} if estate else {f"{h:g}": h for h in wanted if h > age_now}
    if not ages and not estate:  # the age ten years on, to a tenth of a year, names it
        ten_on = round(age_now + DEFAULT_HORIZON_YEARS, 1)
        ages = {f"{ten_on:g}": ten_on}
    at = {k: h - age_now for k, h in ages.items()}
    if estate:
        later = np.asarray(anniversary(day, DEFAULT_HORIZON_YEARS)).astype("datetime64[D]")
        at = {str(later): float(DEFAULT_HORIZON_YEARS)}
    years: list[float] = list(range(int(np.ceil(max(at.values()))) + 1))
    if deadline is not None:
        end = max(0.0, float(fractional_age(day, np.datetime64(deadline, "D"))))
        kept = {k: t for k, t in at.items() if t < end}
        if len(kept) < len(at):  # a deadline already past: the money is valued today
            kept[deadline if end > 0 else str(case.request.date)] = end
        at = kept
        if years[-1] > end:
            years = [y for y in years if y < end] + [end]
    return Horizons(at=at, years=tuple(years),
                    ages=tuple(h for k, h in ages.items() if k in at))


def with_loan_in_cash(case: Case, law: Law, assessed: dict) -> dict:
    """The assessment, with the plan loan paid in cash where the request asks for the money
    elsewhere: a loan is paid to the participant, never to an IRA or a plan (IRC §72(p)(1);
    the assessment says so, ``LN_NOT_TO_IRA``, and has no loan outcome), yet it stays one of
    the ways to weigh, as a hardship paid in cash does."""
    if case.request.destination in ("all", "cash") or any(
            o["route"] == "loan" for o in assessed["outcomes"]):
        return assessed
    cash = case.model_copy(update={"request": case.request.model_copy(
        update={"destination": "cash"})})
    loan = [o for o in assess_figures([cash], law)[0]["outcomes"] if o["route"] == "loan"]
    return {**assessed, "outcomes": assessed["outcomes"] + loan} if loan else assessed


def priced_outcomes(case: Case, law: Law, assessed: dict) -> list[dict]:
    """The assessment's outcomes; with "I need this much in hand", each cash option priced at
    the gross that delivers it (a net amount wanted: the assessment priced each route at it)."""
    outcomes = assessed["outcomes"]
    need = case.request.need
    if not need:
        return outcomes
    at_need = rows_for_need(case, law, outcomes, need)
    return [at_need.get(o["route"], o) if o["destination"] == "cash" else o for o in outcomes]


#: A payment falls due on the day its period ends: a period fraction closer than this to a
#: whole number of periods counts as that number (floating-point rounding, not law).
DUE_TOLERANCE = 1e-9


def loan_money_back(principal: float, rate: float, loan: dict, r_plan: float, t) -> np.ndarray:
    """What a plan loan of ``principal`` puts back in the account by ``t`` years after it is
    made, repaid in level payments (IRC §72(p)(2)(B), (C); ``loan``: the route's ``payment``,
    ``payments_per_year``, ``term_years``): the balance still owed, which earns the loan's
    ``rate`` (interest the participant pays to their own account, accrued since the last
    payment included), plus each payment made, reinvested at the plan's net return
    ``r_plan`` from the day it is paid; the cents the level payment leaves over or short at
    the end go with the last payment."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    per_year, pay = loan["payments_per_year"], loan["payment"]
    n, due, made, k, owed = _loan_schedule(principal, rate, loan, t)
    still = loan_balance_owed(principal, rate, loan, t)
    reinvested = (pay * (1 + r_plan) ** (t[:, None] - due[None, :] / per_year)
                  * made).sum(axis=1)
    left_over = np.where(k >= n, owed * (1 + r_plan) ** (t - n / per_year), 0.0)
    return still + reinvested + left_over


def _loan_schedule(principal: float, rate: float, loan: dict, t: np.ndarray):
    """A level-payment loan at ``t`` years: the number of payments, each one's due time in
    periods, which are made by ``t``, how many, and the balance after the last one made."""
    per_year, pay = loan["payments_per_year"], loan["payment"]
    n = int(round(loan["term_years"] * per_year))
    i = rate / per_year
    due = np.arange(1, n + 1, dtype=float)  # payment j falls due j / per_year years in
    made = due[None, :] <= t[:, None] * per_year + DUE_TOLERANCE
    k = made.sum(axis=1)
    owed = principal * (1 + i) ** k - (pay * (1 + i) ** (k[:, None] - due[None, :])
                                       * made).sum(axis=1)
    return n, due, made, k, owed


def loan_balance_owed(principal: float, rate: float, loan: dict, t) -> np.ndarray:
    """What is still owed on the loan ``t`` years after it is made: the balance after the
    payments made, with the interest accrued since the last one; 0 once all are made."""
    t = np.atleast_1d(np.asarray(t, dtype=float))
    n, _, _, k, owed = _loan_schedule(principal, rate, loan, t)
    i = rate / loan["payments_per_year"]
    return np.where(k < n, owed * (1 + i) ** (t * loan["payments_per_year"] - k), 0.0)


def loan_option(p: Projection, case: Case, o: dict, gross_max: float, law: Law) -> dict:
    """A plan loan (§72(p)): the money lent stays the account's, owed by the participant at
    the loan rate, and comes back in level payments from pay, each reinvested at the plan's
    return (:func:`loan_money_back`); what the plan holds besides grows as left.  Valued at
    each year and horizon as that money in the plan (the same character and later tax as
    leaving it), and never above leaving it: where the loan rate beats the plan's return, the
    interest above it is the participant's own pay going in (``paid_from_pay``), no gain of
    the option; where the market beats the loan rate, the option shows the growth it missed.
    On the day it is made, the loan is worth what leaving the money is."""
    loan = o["loan"]
    term, per_year, payment = loan["term_years"], loan["payments_per_year"], loan["payment"]
    paid = payment * per_year * term
    rate, r_plan = case.plan.loans.interest_rate, p.r_plan
    lent, rest = o["gross"], max(0.0, gross_max - o["gross"])
    gap = lent * _grow(1.0, r_plan, term) - float(loan_money_back(lent, rate, loan, r_plan,
                                                                  term)[0])
    notes = [f"repaid {per_year:.0f}× a year ${payment:,.2f} for {term:.0f} years "
             f"from pay (${dollars_text(paid)} in all), interest paid to your own account",
             f"while lent, the balance owed earns the loan's {rate:.2%} instead of the plan's "
             f"{r_plan:.2%} net return, and each payment is reinvested as it is made: by the "
             f"end of the term the account holds ${dollars_text(abs(gap))} "
             + ("less (before tax) than if the money had stayed" if gap >= 0 else
                "more (before tax) than if the money had stayed — interest paid from your "
                "own pay, not a gain: valued as leaving the money")]
    notes.append(offset_note(case, law, loan, lent))

    def valued(t):
        t = np.asarray(t, dtype=float)
        back = loan_money_back(lent, rate, loan, r_plan, t)
        with_loan = p.value_at(Holdings(in_plan=rest + back / _grow(1.0, r_plan, t)), t)
        return np.minimum(with_loan, p.value_at(Holdings(in_plan=gross_max), t))

    option = p.option(f"{o['route']}:{o['destination']}", "plan loan",
                      Now(gross=o["gross"], cash_now=o["net_cash"], paid_from_pay=paid,
                          check=o["check_received"], kept=o["kept_after_all_tax"]),
                      Holdings(in_plan=gross_max), notes=notes, why=o["why"],
                      state=state_now(o))
    option["by_year"] = cents(valued(np.array(p.horizons.years, dtype=float))).tolist()
    option["after_tax_value_at"] = {k: amount(float(valued(t)[0]))
                                    for k, t in p.horizons.at.items()}
    return option


#: Where the loan's offset is explained: the offset itself, and its rollover.
OFFSET_CITATION = ("IRC §72(p); Treas. Reg. §1.72(p)-1, Q&A-13; §1.402(c)-2, Q&A-9 (pre-2025 "
                   "numbering); §402(c)(3)(C); §1.402(c)-3(b)")


def offset_note(case: Case, law: Law, loan: dict, lent: float) -> str:
    """A plan loan's risk if the job ends before it is repaid: the plan offsets the balance
    still owed against the account (Treas. Reg. §1.72(p)-1, Q&A-13), a distribution — taxable,
    and under the 10% tax before 59½ unless an exception applies — that can be rolled over
    (§1.402(c)-2, Q&A-9): until the due date, with extensions, of that year's return where it
    is a qualified plan loan offset (§402(c)(3)(C)), else within 60 days.  With
    ``assumptions.leave_job_in_years`` before the last payment, the balance then and its 10%
    tax in figures."""
    year = case.request.date.year
    months = int(law.get("rollover.loan_offset_months_after_severance", year))
    days = int(law.get("rollover.days", year))
    rollable = (f"; rolled over, it is not taxed: by the due date of that year's return with "
                f"extensions where it is a qualified plan loan offset (an offset within {months} "
                f"months of leaving), else within the {days}-day rollover period "
                f"({OFFSET_CITATION})")
    leave, term = case.assumptions.leave_job_in_years, loan["term_years"]
    if leave is None or leave >= term:
        when = ("" if leave is None else f" (you plan to leave in {leave:g} years, after the "
                "last payment: nothing is owed then)")
        return (f"leaving the job before the loan is repaid{when}: the balance still owed "
                "becomes a loan offset, a taxable distribution (plus the 10% tax before 59½ "
                "unless an exception applies)" + rollable)
    owed = float(loan_balance_owed(lent, case.plan.loans.interest_rate, loan, leave)[0])
    return (f"leaving the job in {leave:g} years, before the loan is repaid: the ${dollars_text(owed)} "
            "still owed then becomes a loan offset, a taxable distribution"
            + _offset_penalty_words(case, law, owed, leave) + rollable)


def _offset_penalty_words(case: Case, law: Law, owed: float, leave: float) -> str:
    """Whether an offset ``leave`` years from now owes the 10% tax, in words and figures: none
    on a governmental 457(b)'s own money (§72(t)(1) reaches qualified plans and 403(b)s), at
    59½ or after (§72(t)(2)(A)(i)), or leaving in or after the year of 55 (the offset comes
    with the separation, §72(t)(2)(A)(v))."""
    year = case.request.date.year
    rate = float(law.get("early_distributions.additional_tax_rate", year))
    tax = f"{rate:.0%} tax"  # the law's rate and age in the words, as the law gives them
    if case.plan.type == "governmental_457b":
        return f" (no {tax} on a governmental 457(b)'s own money)"
    birth = np.datetime64(case.person.birth_date, "D")
    age = float(fractional_age(birth, np.datetime64(case.request.date, "D"))) + leave
    early_age = float(law.get("early_distributions.age", year))
    age_words = f"{early_age:g}".replace(".5", "½")
    if age >= early_age:
        return f" (no {tax}: past {age_words} then)"
    left = add_months(np.datetime64(case.request.date, "D"), round(leave * MONTHS_PER_YEAR))
    rule_55 = float(law.get("early_distributions.separation_age", year))
    if int(year_of(left)) - case.person.birth_date.year >= rule_55:
        return (f" (no {tax}: leaving in or after the year you turn {rule_55:g}, "
                "§72(t)(2)(A)(v))")
    return (f" (plus ${dollars_text(owed * rate)} of {tax}: under {age_words} then, unless an "
            "exception applies)")


#: Destinations whose tax now beyond the option's own cash (a Roth conversion's) is paid from
#: other money (:func:`beyond_own_cash`).
PAID_OUTSIDE = ("roth_ira", "traditional_ira", "other_plan", "split_2014_54", "indirect_60day")


def destination_label(o: dict, heir: bool = False) -> str:
    """Where an outcome sends the money, in words; to a Roth IRA, whether it is converted or
    (designated Roth money) rolled over, by its Form 1099-R codes (:data:`ROTH_IRA_KIND`); to a
    traditional IRA, that its designated Roth part goes to a Roth IRA (:data:`ROTH_PART_TO_ROTH_IRA`).
    ``heir``: a beneficiary other than the surviving spouse, whose only way to an IRA is a
    direct transfer to an inherited one (:data:`dist401k.labels.INHERITED_DESTINATION_LABELS`;
    IRC §402(c)(11))."""
    dest = o["destination"]
    words = INHERITED_DESTINATION_LABELS.get(dest, LABELS[dest]) if heir else LABELS[dest]
    kind = ROTH_IRA_KIND.get(frozenset(o.get("form_1099r_codes") or ()) & frozenset("GH"))
    if dest == "traditional_ira" and not heir and o.get("to_roth_ira", 0) > HALF_CENT:
        return f"{words} ({ROTH_PART_TO_ROTH_IRA})"
    if dest != "roth_ira" or kind is None:
        return words + (" (convert)" if dest == "roth_ira" else "")
    return f"{words} ({kind})"


def state_taxes(state: dict) -> float:
    """The state's taxes of an option now (its income tax and its own additional tax; 0 where
    unknown) — not its withholding, a credit on the state's return as the federal one is on
    Form 1040, which a 60-day rollover makes up from other money and gets back."""
    return (state.get("state_income_tax_now") or 0.0) + (state.get("state_additional_tax_now")
                                                         or 0.0)


def with_backdoor(now: Now, state: dict, held: Holdings,
                  cost: dict | None) -> tuple[Now, dict, Holdings]:
    """An option's figures with the backdoor Roth's extra tax (:mod:`dist401k.compare_backdoor`)
    added: to the income tax now (the state's to its tax), what is kept after all tax and the
    tax paid from other money; the nontaxable part the conversion loses stays basis in the
    IRA (Form 8606 line 14)."""
    if not cost:
        return now, state, held
    state = dict(state)
    if state and cost["state_income_tax"] is not None \
            and state.get("state_income_tax_now") is not None:
        state["state_income_tax_now"] = amount(state["state_income_tax_now"]
                                               + cost["state_income_tax"])
    now = replace(now, taxes=now.taxes + cost["income_tax"], kept=now.kept - cost["total"])
    more = cost["taxable_more"]
    held = replace(held, paid_outside=held.paid_outside + cost["total"],
                   ira_basis=held.ira_basis + (more if held.in_ira else 0.0),
                   product_basis=held.product_basis + (more if held.product else 0.0))
    return now, state, held


def _backdoor_fields(option: dict, cost: dict | None, conversion: float) -> dict:
    """The option with its backdoor Roth's extra tax shown apart (``backdoor_tax``, the federal
    and state together; ``backdoor_tax_detail``) and its note."""
    if cost is not None:
        option["backdoor_tax"] = cost["total"]
        option["backdoor_tax_detail"] = cost
        if abs(cost["taxable_more"]) > HALF_CENT:
            note = backdoor_note(cost, conversion)
            option["notes"].append(note)
            if option["why"]:  # a copy: the assessment's own why stays as it is
                option["why"] = {**option["why"], "backdoor_tax": note,
                                 "short": f"{option['why']['short']}; {backdoor_short(cost)}"}
    return option


#: The reason of an outcome whose payment goes out with the loan offset, its tax figured on
#: top of the offset kept (dist401k.outcome.with_offset_kept).
OFFSET_WITH = "LO_TAXED_WITH"


def offset_kept(outcomes: list[dict]) -> dict | None:
    """The loan offset's own outcome kept (not rolled over), where the case has one."""
    return next((o for o in outcomes if o["route"] == "loan_offset"
                 and o["destination"] == "cash"), None)


def with_offset(o: dict, offset: dict | None, now: Now, state: dict,
                held: Holdings) -> tuple[Now, dict, Holdings, list[str]]:
    """An option whose payment empties the account with the loan offset's taxes added: the
    offset goes out with it, an actual distribution of the same year (Treas. Reg.
    §1.402(c)-2, Q&A-9(b); §1.72(p)-1, Q&A-13), kept unless rolled over from other money.
    The payment's own tax is already figured on top of it (``OFFSET_WITH``); the offset's
    income tax, 10% tax and state taxes (its outcome ``offset``) are added to the tax now and
    taken from what is kept — from the cash of a payment in cash, else from other money."""
    if offset is None or not goes_with_offset(o, offset):
        return now, state, held, []
    more_state = state_offset(state, state_now(offset))
    total = offset["income_tax_increase"] + offset["additional_tax_72t"] + \
        state_taxes(state_now(offset))
    cash = o["destination"] == "cash"
    now = replace(now, taxes=now.taxes + offset["income_tax_increase"],
                  penalty=now.penalty + offset["additional_tax_72t"], kept=now.kept - total,
                  cash_now=now.cash_now - total if cash else now.cash_now)
    if not cash:
        held = replace(held, paid_outside=held.paid_outside + total)
    note = (f"the loan offset of ${offset['gross']:,.2f} goes out with it, a distribution of "
            f"the same year: kept, its ${total:,.2f} of tax is counted here (this payment's tax "
            "figured on top of it); rolled over in time from other money, it is not taxed")
    return now, more_state, held, [note]


def goes_with_offset(o: dict, offset: dict | None) -> bool:
    """Whether outcome ``o``'s payment goes out with the loan offset ``offset``."""
    return offset is not None and any(r["code"] == OFFSET_WITH for r in o["reasons"])


def state_offset(state: dict, offset: dict) -> dict:
    """The option's state taxes now with the loan offset's added (unknown stays unknown)."""
    out = dict(state)
    for k in ("state_income_tax_now", "state_additional_tax_now"):
        if out.get(k) is not None and offset.get(k) is not None:
            out[k] = amount(out[k] + offset[k])
    return out


def withholding_unknown(option: dict, rows: tuple[dict, ...] | list[dict] | None = None) -> dict:
    """``option`` with its federal withholding, and so what comes back or is still due when
    filing (``refund_or_due_later``), null — unknown, never $0 — where it is not figured: an
    outcome row it is priced from has its withholding not figured (a periodic payment, withheld
    from as wages by Pub. 15-T tables the law does not hold for the year, IRC §3405(a):
    :func:`dist401k.withholding.row_not_figured`, as ``assess`` says), or, with ``rows`` None,
    always (a 72(t) series payment, §3405(a), whose withholding the comparison does not figure).
    Its check received stays the payment before that withholding.  Changed in place."""
    if rows is None or any(row_not_figured(r) for r in rows):
        option["withholding"] = None
        option["refund_or_due_later"] = None
    return option


def beyond_own_cash(o: dict, paid_now: float, minimum_kept: float = 0.0) -> float:
    """The tax now of outcome ``o`` (``paid_now``) counted as paid from other money, which would
    otherwise have grown (``Holdings.paid_outside``): what it keeps after all tax short of what
    the year's required minimum, paid in cash by every option, keeps after its own tax
    (``minimum_kept``; 0 without one).  The minimum's tax is paid out of the minimum (IRC
    §401(a)(9); its kept after all tax nets it), so it is never counted a second time against
    what is rolled; a conversion's tax is counted as other money, in a year with a minimum as
    in one without (docs/compare.md)."""
    return min(paid_now, max(0.0, max(0.0, minimum_kept) - o["kept_after_all_tax"]))


def outcome_option(p: Projection, o: dict, rest: float, backdoor: dict | None = None,
                   conversion: float = 0.0, offset: dict | None = None,
                   minimum_kept: float = 0.0, heir: bool = False) -> dict:
    """A distribution by one route to one destination; what the route does not pay stays.
    ``backdoor``: the tax the option adds to a backdoor Roth conversion this year
    (:func:`dist401k.compare_backdoor.backdoor_costs`); ``offset``: the loan offset's outcome
    kept, whose taxes an option that empties the account adds (:func:`with_offset`);
    ``minimum_kept``: what the year's required minimum keeps after its tax
    (:func:`beyond_own_cash`); ``heir``: a transfer to an inherited IRA
    (:func:`dist401k.traps.inherited_ira_transfer`), labelled so."""
    dest = o["destination"]
    paid_now = o["income_tax_increase"] + o["additional_tax_72t"] + state_taxes(state_now(o))
    now, state, held, offset_notes = with_offset(o, offset, Now(
        gross=o["gross"], cash_now=o["after_all_taxes"] if dest == "cash" else o["net_cash"],
        taxes=o["income_tax_increase"], penalty=o["additional_tax_72t"],
        withholding=o["withholding"], check=o["check_received"], kept=o["kept_after_all_tax"]),
        state_now(o), p.holdings_of(o, rest, paid_outside=beyond_own_cash(o, paid_now, minimum_kept)
                                    if dest in PAID_OUTSIDE else 0.0))
    now, state, held = with_backdoor(now, state, held, backdoor)
    option = p.option(
        f"{o['route']}:{dest}", f"{route_label(o['route'])}: {destination_label(o, heir)}", now,
        held,
        notes=[r["text"] for r in o["reasons"] if r["code"].startswith("OC_RULE_55")
               or r["code"] == "QD_PARTICIPANT_FIGURES"] + offset_notes,
        why=o["why"], state=state, route=o["route"])
    _backdoor_fields(option, backdoor, conversion)
    withholding_unknown(option, [o])
    if later_tax(o) > 0:  # the tax of the two years after, where the income is spread
        option["income_tax_later"] = amount(later_tax(o))
    # The lines of the individual's return for this option (docs/forms.md): at the gross the
    # option is priced at (with a need, the gross that delivers it).
    with_own_forms(option, o)
    for form in ("form_8606", "form_8606_part_iii"):  # Part III: an inherited Roth IRA's
        if form in o:
            option[form] = o[form]
    return option


def with_own_forms(option: dict, o: dict) -> dict:
    """``option`` with the forms of the payment it makes: the Forms 1099-R, their box 7 codes,
    the taxable and tax-free parts and Form 5329 Part I of ``o``, the outcome row it is priced
    from — with a need, the row at the gross that delivers it, not the assessment's at the amount
    asked for (Instructions for Forms 1099-R and 5498: box 1 is the gross paid, box 4 what was
    withheld from it; Instructions for Form 5329, line 1: the early distributions includible).
    Changed in place."""
    option["form_1099r"] = list(o.get("form_1099r") or ())
    option["form_1099r_codes"] = list(o.get("form_1099r_codes") or ())
    option["taxable"], option["nontaxable"] = o["taxable"], o["nontaxable"]
    option["form_5329"] = o.get("form_5329")
    return option


#: Outcomes that are not options to choose: a loan gone bad happens (docs/forms.md).
NOT_CHOSEN = ("loan_deemed", "loan_offset")


def _codes(o: dict) -> set[str]:
    return {r["code"] for r in o.get("reasons") or ()}


def recapture_why(o: dict) -> dict | None:
    """A Roth IRA payment's why, its 10% tax told by its rule: where part comes out of a
    conversion's taxable part within its 5 taxable years (``RI_RECAPTURE``), the 10% tax on it is
    §408A(d)(3)(F)'s, not §72(t)(1)'s (which reaches only income, and that part is not income
    again); where nothing of the payment is taxable, it is the only rule that reaches it."""
    why = o.get("why")
    if not why or "RI_RECAPTURE" not in _codes(o) or o["additional_tax_72t"] <= HALF_CENT:
        return why
    said = reason("RI_RECAPTURE")
    words = f"{said.text} [{said.citation}]"
    if o["taxable"] > HALF_CENT:  # earnings taxed too: §72(t)(1) reaches them
        return {**why, "additional_tax_72t": f"{why.get('additional_tax_72t', '')} {words}"}
    return {**why, "additional_tax_72t": f"${dollars_text(o['additional_tax_72t'])}: {words}",
            "short": why.get("short", "").replace(
                "no exception", "conversion within its 5 years, §408A(d)(3)(F)")}


def withholding_raise_note(o: dict, need: float | None) -> list[str]:
    """Where a need is priced at the default withholding (IRC §3405(b)(1)) and the Roth IRA
    payment owes the 10% tax, a note that choosing no withholding on Form W-4R (§3405(b)(2))
    asks a smaller gross, less of it under that tax (``RI_W4R_NONE``)."""
    if not need or o["withholding"] <= HALF_CENT or o["additional_tax_72t"] <= HALF_CENT:
        return []
    said = reason("RI_W4R_NONE")
    return [f"{said.text} [{said.citation}]"]


def roth_ira_option(p: Projection, o: dict, gross_max: float,
                    need: float | None = None) -> dict:
    """Money from the Roth IRA instead: the plan keeps all of its money; the Roth IRA loses
    what is taken, and the tax-free growth it would have had (valued as a Roth holding less
    the amount taken).  Its return lines: Form 8606 Part III and Form 5329."""
    option = p.option(
        f"{o['route']}:{o['destination']}", "from the Roth IRA instead (contributions first)",
        Now(gross=o["gross"], cash_now=o["after_all_taxes"], taxes=o["income_tax_increase"],
            penalty=o["additional_tax_72t"], withholding=o["withholding"],
            check=o["check_received"], kept=o["kept_after_all_tax"]),
        Holdings(in_plan=gross_max, in_roth=-o["gross"]),
        notes=["the plan keeps all of its money; the Roth IRA gives up what is taken and its "
               "tax-free growth"] + withholding_raise_note(o, need), why=recapture_why(o),
        state=state_now(o))
    with_own_forms(option, o)
    withholding_unknown(option, [o])
    if "form_8606_part_iii" in o:
        option["form_8606_part_iii"] = o["form_8606_part_iii"]
    return option


def product_option(p: Projection, o: dict, rest: float, backdoor: dict | None = None,
                   conversion: float = 0.0, offset: dict | None = None) -> dict:
    """The rollover to a traditional IRA put into the annuity product of the assumptions (its
    after-tax basis with it; Roth money to a Roth IRA).  An annuity in an IRA is a traditional
    IRA (§408(b)): a backdoor Roth this year owes the same extra tax as the rollover's; a loan
    offset that goes out with it, its own (:func:`with_offset`)."""
    a = p.a
    held = p.holdings_of(o, rest)
    now, state, product, offset_notes = with_offset(
        o, offset, Now(gross=o["gross"]), state_now(o) if backdoor or goes_with_offset(o, offset) else {},
        Holdings(product=held.in_ira, product_basis=held.ira_basis, in_roth=held.in_roth,
                 in_plan=held.in_plan, plan_basis=held.plan_basis, plan_roth=held.plan_roth))
    now, state, product = with_backdoor(now, state, product, backdoor)
    option = p.option(
        f"{o['route']}:product", f"{route_label(o['route'])}: roll into the product", now,
        product, notes=[f"surrender charges {', '.join(f'{c:.1%}' for c in a.surrender_schedule)} "
                        f"by contract year; expenses {a.product_expense:.2%} a year"]
        + offset_notes, state=state, route=o["route"])
    return _backdoor_fields(with_own_forms(option, o), backdoor, conversion)


def leave_option(case: Case, law: Law, p: Projection, owed: dict | None,
                 gross_max: float, cash_out: list[dict] | None = None) -> dict:
    """Leave the money in the plan — all of it, or, where the law requires a distribution this
    year (``owed``: :func:`required_now`), all but that: the year's minimum (as much of it as
    the money concerned holds) is paid in cash, priced by the same rules as every cash option
    and, like the cash of every option, spent, for it cannot be left without the excise tax
    of IRC §4974(a) on what is not taken.  ``cash_out``: the reasons saying that the plan may
    pay a small benefit out without asking (§411(a)(11)(A), §401(a)(31)(B):
    :func:`dist401k.traps.small_cash_out_reasons`), which the label flags and the notes say."""
    plain = ["nothing now; grows at the plan's return less its expenses"]
    plain += [f"{r['text']} [{r['citation']}]" for r in cash_out or []]
    due = min(owed["remaining"], gross_max) if owed else 0.0
    row = _cash_rows_at(case, law, [owed["route"]], [due])[0] if owed and due > 0 else None
    if owed is None or row is None:
        return p.option("leave", "leave it in the plan" + (MAY_BE_PAID_OUT if cash_out else ""),
                        Now(gross=gross_max), Holdings(in_plan=gross_max), notes=plain)
    # Something stays only where the minimum is less than the money concerned.
    stays = owed["remaining"] < gross_max - HALF_CENT
    label = (f"leave it in the plan, taking only this year's required ${row['gross']:,.2f}"
             if stays else f"leave it in the plan: this year's required "
             f"${owed['remaining']:,.2f} takes all ${row['gross']:,.2f} of it") \
        + (MAY_BE_PAID_OUT if cash_out else "")
    return withholding_unknown(with_own_forms(p.option(
        "leave", label,
        Now(gross=row["gross"], cash_now=row["after_all_taxes"], taxes=row["income_tax_increase"],
            penalty=row["additional_tax_72t"], withholding=row["withholding"],
            check=row["check_received"], kept=row["kept_after_all_tax"]),
        Holdings(in_plan=max(0.0, gross_max - row["gross"])),
        notes=[f"the law requires ${owed['remaining']:,.2f} out of the account "
               f"{deadline_words(owed)} (IRC §401(a)(9)): it is paid in cash (and, like every "
               "option's cash, counted as spent); left in the plan, the shortfall would owe "
               + excise_words(law, case.request.date.year)]
        + ([plain[0].replace("nothing now", "the rest")] if stays else []) + plain[1:],
        why=row["why"], state=state_now(row)), row), [row])


def leave_loan_note(offset: dict | None) -> list[str]:
    """"Leave it in the plan" after leaving the job with a loan outstanding (``offset``: the
    loan offset's own outcome kept, :func:`offset_kept`; none: no note): the loan is still owed,
    and whether the plan keeps it as a loan or offsets it is the plan's terms (Treas. Reg.
    §1.72(p)-1, Q&A-13: an offset is an actual distribution where the plan's terms reduce the
    accrued benefit to repay it), so the note gives the offset's tax as every other option
    counts it, not counted in this one."""
    if offset is None:
        return []
    taxes = offset["income_tax_increase"] + offset["additional_tax_72t"] + \
        state_taxes(state_now(offset))
    return [f"the loan of ${offset['gross']:,.2f} is still owed: whether the plan lets you go on "
            "repaying it after leaving the job or offsets it is set by the plan's terms; offset, "
            f"it is a distribution whose ${taxes:,.2f} of tax is not counted here (the other "
            "options count it), unless rolled over in time from other money "
            f"({OFFSET_CITATION})"]


def excise_words(law: Law, year: int) -> str:
    """The excise tax on a required minimum not taken, in words (IRC §4974(a), (e), as
    SECURE 2.0 §302 set them)."""
    rate = float(law.get("rmd.excise_rate", year))
    low = float(law.get("rmd.excise_rate_corrected", year, before=np.nan))
    return (f"a {rate:.0%} excise tax (§4974(a)"
            + (f"; {low:.0%} if corrected in time, §4974(e)" if np.isfinite(low) else "") + ")")


def short_of_minimum(options: list[dict], owed: dict | None, law: Law, year: int) -> None:
    """Say on each option that takes less out of the plan this year than the law requires
    (``owed``; a loan, or money from a Roth IRA instead, takes none) how much more must come
    out, by when, and what skipping it costs (IRC §401(a)(9), §4974(a)); its figures are the
    option's own."""
    if owed is None:
        return
    for o in options:
        taken = 0.0 if o["option"] == "loan:cash" or o["option"].split(":")[0] in IRA_ROUTES \
            else o["gross"]
        short = owed["remaining"] - taken
        if o["option"] != "leave" and short > HALF_CENT:
            o["notes"].append(
                f"short of this year's required minimum: ${short:,.2f} more must come out of "
                f"the account {deadline_words(owed)} (IRC §401(a)(9)), not counted here, so "
                "this option is not ranked (★); skipped, it owes " + excise_words(law, year))
            o["short_of_minimum"] = amount(short)


def options_of(case: Case, law: Law, p: Projection, outcomes: list[dict],
               gross_max: float, assessed: dict) -> list[dict]:
    """Leave it in the plan (the same money, valued later after tax; the year's required
    minimum taken; not for a child's share paid as the order says, :func:`paid_as_ordered`,
    whose options then value none of the share later), then every outcome, the product where
    the case describes one, and a 72(t) series where it asks for one."""
    owed = required_now(assessed)
    leave = leave_option(case, law, p, owed, gross_max, small_cash_out_reasons(assessed))
    ordered = paid_as_ordered(case, outcomes)
    options = [] if ordered else [leave]
    leave["notes"].extend(leave_loan_note(offset_kept(outcomes)))
    costs = backdoor_costs(case, law, outcomes, p.deemed)
    conversion = case.iras.backdoor_roth_planned
    for o in instead_of_the_order(outcomes, ordered):
        rest = 0.0 if ordered else max(0.0, gross_max - o["gross"])
        if o["route"] == "loan":
            options.append(loan_option(p, case, o, gross_max, law))
            continue
        if o["route"] in NOT_CHOSEN:
            continue
        if o["route"] in IRA_ROUTES:
            options.append(roth_ira_option(p, o, gross_max, case.request.need))
            continue
        # A non-spouse heir's inherited IRA is not one of the heir's own traditional IRAs: it
        # adds nothing to a backdoor Roth's taxable part (IRC §408(d)(2); Pub. 590-B).
        heir = inherited_ira_transfer(case, o)
        cost = None if heir else costs.get(f"{o['route']}:{o['destination']}")
        options.append(outcome_option(p, o, rest, cost, conversion, offset_kept(outcomes),
                                      leave["kept_after_all_tax"], heir))
        if p.a.surrender_schedule and o["destination"] == "traditional_ira":
            options.append(product_option(p, o, rest, cost, conversion, offset_kept(outcomes)))
    both = first_then_hardship(case, law, assessed)
    if both:
        option = first_then_hardship_option(p, both, gross_max)
        option["notes"].extend(hardship_reading_note(assessed, both[-1]))
        options.append(with_parts_forms(option, both, law, case.request.date.year))
    if case.sepp is not None:  # each with its payment's forms, as assess gives them
        from dist401k.compare_forms import with_series_forms
        options.extend(with_series_forms(case, law, _sepp_options(case, law, p, gross_max)))
    nua = nua_option(case, law, p, outcomes, assessed, owed)
    if nua is not None:
        options.append(nua)
    short_of_minimum(options, owed, law, case.request.date.year)
    if owed is not None:
        for o in options:
            if o["option"] == "loan:cash":
                capped_at_leave(o, leave)
    note_paid_as_ordered(options, ordered)
    return options


def instead_of_the_order(outcomes: list[dict], ordered: bool) -> list[dict]:
    """The outcomes that are options: where a child's share is paid as the order says
    (:func:`paid_as_ordered`), not money from the participant's own IRAs instead — the plan pays
    the share under the order whatever else the participant takes."""
    return [o for o in outcomes if not (ordered and o["route"] in IRA_ROUTES)]


def note_paid_as_ordered(options: list[dict], ordered: bool) -> None:
    """Where a child's share is paid as the order says (:func:`paid_as_ordered`), the options'
    notes say why none is "leave it in the plan" (``QD_PAID_AS_ORDERED``)."""
    if not ordered:
        return
    said = reason("QD_PAID_AS_ORDERED")
    for o in options:
        o["notes"].append(f"{said.text} [{said.citation}]")


def paid_as_ordered(case: Case, outcomes: list[dict]) -> bool:
    """A child's or other dependent's share the plan pays now under the order (route
    ``qdro_dependent`` pays it): the share is the child's, paid when the order says — the
    participant cannot leave it in the plan to take later (§414(p)(1)(A), (p)(8)) — and its tax is
    the participant's in the year paid (§402(e)(1)(A) makes only a spouse or former spouse the
    distributee; Pub. 504), without the 10% tax (§72(t)(2)(C)).  The comparison then offers no
    "leave it in the plan" and values none of the share at later ages (``QD_PAID_AS_ORDERED``)."""
    ap = case.alternate_payee
    return (ap is not None and ap.relationship not in ALTERNATE_PAYEE_SPOUSES
            and any(o["route"] == "qdro_dependent" and o["gross"] > HALF_CENT for o in outcomes))


def nua_option(case: Case, law: Law, p: Projection, outcomes: list[dict], assessed: dict,
               owed: dict | None) -> dict | None:
    """The employer stock paid out in kind in a lump-sum distribution, the rest of the balance
    rolled directly to a traditional IRA (:mod:`dist401k.compare_nua`; IRC §402(e)(4)(B), (D)):
    the cost's tax now (the NUA trap's figures, the state's beside them) paid from other money
    that would otherwise have grown; at each year and horizon, what the IRA holds as every
    rollover's (against leaving the same money, :meth:`Projection.valued`) plus the shares
    less the tax of selling them then.  None where no such lump sum is open."""
    profile = {"loan_deemed_this_year": p.deemed}
    f = nua_figures(case, assessed, profile, law)
    pretax = {r: m.basis <= 0 and m.roth <= 0 for r, m in p.route_parts.items()}
    row = lump_sum_row(case, assessed, outcomes, pretax, owed) if f is not None else None
    if f is None or row is None:
        return None
    plan = NuaPlan(route=row["route"], gross=row["gross"], figures=f,
                   state=state_on_cost(case, law, f))
    paid = f.cost_tax + f.penalty + state_taxes(plan.state)
    # The rest rolled to a traditional IRA counts in Form 8606 line 6 as every rollover's does
    # (IRC §408(d)(2)); an heir's inherited IRA does not (traps.inherited_ira_transfer).
    cost = None if inherited_ira_transfer(case, {"route": plan.route}) else rollover_cost(
        case, law, plan.gross - f.value, f.cost, p.deemed)
    now, state, held = with_backdoor(
        Now(gross=plan.gross, taxes=f.cost_tax, penalty=f.penalty, kept=-paid), plan.state,
        Holdings(in_ira=plan.gross - f.value, paid_outside=paid), cost)
    option = p.option(
        f"{plan.route}:nua", f"{route_label(plan.route)}: {NUA_LABEL}", now, held,
        notes=nua_notes(case, plan, paid), why=nua_why(f, assessed["reached_59_half"]),
        state=state, route=plan.route)
    _backdoor_fields(option, cost, case.iras.backdoor_roth_planned)
    cash_row = next((o for o in outcomes if o["route"] == plan.route and o["destination"] == "cash"), None)
    with_nua_forms(option, law, case, plan, row, cash_row, assessed["reached_59_half"])
    years = np.array(p.horizons.years, dtype=float)
    at = list(p.horizons.at.items())
    shares = shares_after_tax(law, f, p.r_ira, np.concatenate([years, [t for _, t in at]]))
    option["by_year"] = cents(np.asarray(option["by_year"]) + shares[:len(years)]).tolist()
    option["after_tax_value_at"] = {
        k: amount(option["after_tax_value_at"][k] + float(v))
        for (k, _), v in zip(at, shares[len(years):], strict=True)}
    return option


#: The option of the distributions a hardship waits for, each in full, then the hardship.
FIRST_THEN_HARDSHIP = "first_then_hardship:cash"


def _this_years_taxable(row: dict) -> float:
    """A cash row's taxable part of this year (a spread income's later part left out)."""
    return row["taxable"] - (row.get("taxable_later") or 0.0)


def _medical_spared(row: dict) -> float:
    """What the medical exception (§72(t)(2)(B)) spared of a payment: its Form 5329 line 2
    where the medical reason is given (all of the line: at most that, where another exception
    shares it)."""
    if not any(r["code"] == "PX_MEDICAL" for r in row.get("reasons") or ()):
        return 0.0
    return float((row.get("form_5329") or {}).get("line_2") or 0.0)


def _on_top(case: Case, taxable: float, medical: float) -> Case:
    """``case`` with ``taxable`` more pension income this year (the payments made before) and
    ``medical`` expenses left for the medical exception."""
    income = case.income.model_copy(update={
        "other_distributions": amount(case.income.other_distributions + taxable),
        "medical_expenses": amount(max(0.0, medical))})
    return case.model_copy(update={"income": income})


def _first_then_hardship_pass(case: Case, law: Law, firsts: list[tuple[str, float]],
                              paid_first: float,
                              later_taxable: list[float]) -> tuple[list | None, bool]:
    """Each route a hardship waits for at all it pays, then the hardship for the need they
    leave in hand (after their taxes): each payment's tax stacked on those before it (their
    taxable part is the year's pension income); the medical exception shared — each payment
    sees the expenses less what the earlier ones spared and less the floor's share of the later
    ones' taxable part (the floor is a share of the year's AGI, §72(t)(2)(B), §213(a)).  The
    hardship is asked with the need raised by ``paid_first``, the gross the assessment takes
    off it (routes/hardship_order.py), so that what it pays is the need left in hand.  With
    whether the first routes alone put the need in hand (then only their rows: no hardship)."""
    floor = float(law.get("early_distributions.medical_agi_floor", case.request.date.year))
    rows: list[dict] = []
    taxable = spared = 0.0
    for k, (route, pays) in enumerate([*firsts, ("hardship", 0.0)]):
        at = _on_top(case, taxable, case.income.medical_expenses - spared
                     - floor * later_taxable[k])
        if route == "hardship":
            short = (case.request.need or 0.0) - sum(r["kept_after_all_tax"] - later_tax(r)
                                                     for r in rows)
            if short <= HALF_CENT:
                return rows, True
            at = at.model_copy(update={"request": at.request.model_copy(
                update={"need": amount(short + paid_first)})})
            pays = sum(s.balance for s in case.account.sources.values())
        row = _cash_rows_at(at, law, [route], [pays])[0]
        if row is None or row["gross"] <= HALF_CENT:
            return None, False
        rows.append(row)
        taxable += _this_years_taxable(row)
        spared += _medical_spared(row)
    return rows, False


def first_then_hardship(case: Case, law: Law, assessed: dict) -> list[dict] | None:
    """The cash rows of the other distributions the plan pays now, each in full, and of a
    hardship for the rest of the need (Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)(1): a hardship
    only once they are obtained; (iii)(A): for no more than the need plus the taxes on it),
    where a need is stated, such distributions pay and the hardship is open to the plan's
    rules; None where they put the need in hand without it.  Passes until the hardship's gross
    settles to the cent (the later payments' income moves the medical exception's floor)."""
    hs: dict = next((s for s in assessed["route_summary"] if s["route"] == "hardship"), {})
    firsts = [(f["route"], f["pays"]) for f in hs.get("first") or () if f["pays"] > HALF_CENT]
    if not case.request.need or not firsts:
        return None
    later = [0.0] * (len(firsts) + 1)
    rows: list[dict] | None = None
    for _ in range(NEED_STEPS):
        before, later_before = rows, later
        rows, met = _first_then_hardship_pass(case, law, firsts, hs["paid_first"], later)
        if rows is None:
            return None
        later = [sum(_this_years_taxable(r) for r in rows[k + 1:]) for k in range(len(firsts) + 1)]
        if met:  # judged only once the first routes' own figures have settled
            if max(abs(a - b) for a, b in zip(later, later_before, strict=True)) < HALF_CENT:
                return None
            rows = None
            continue
        if before is not None and abs(before[-1]["gross"] - rows[-1]["gross"]) < HALF_CENT:
            break
    return rows


def _joined_why(rows: list[dict]) -> dict | None:
    """The whys of several payments in one, each named by its route."""
    whys = [(route_label(r["route"]), r["why"]) for r in rows if r.get("why")]
    if not whys:
        return None
    return {k: " | ".join(f"{name}: {w[k]}" for name, w in whys if w.get(k))
            for k in whys[0][1]}


def _summed_state(rows: list[dict]) -> dict:
    """The state figures of several payments of one year added (null where one is unknown)."""
    states = [state_now(r) for r in rows]
    if not states[0]:
        return {}
    out: dict = {"state_covered": all(st["state_covered"] for st in states)}
    for k in ("state_income_tax_now", "state_additional_tax_now", "state_withholding"):
        vals = [st.get(k) for st in states]
        out[k] = None if any(v is None for v in vals) else amount(sum(vals))
    return out


def _exception_numbers(law: Law, year: int) -> dict[str, float]:
    """The Form 5329 line 2 number of each exception, by its key in the law file."""
    param = "early_distributions.form_5329_exception_number"
    return dict(zip(law.param(param).keys, np.atleast_1d(law.get(param, year)).tolist(), strict=True))


def summed_part_i(law: Law, year: int, rows: list[dict]) -> dict | None:
    """Form 5329 Part I of several payments of one tax year: one form for the year, so lines 1
    and 2 are the payments' lines added, line 3 "Subtract line 2 from line 1" and line 4 "Enter
    10% (0.10) of line 3" (Instructions for Form 5329, Part I: every early distribution of the
    year on one Part I); line 2's number the one exception's, or that of "more than one" (99)
    where the payments claim different ones, each payment's line 2 and number listed in
    ``line_2_parts``; filed where any payment's form must be.  None where nothing is early."""
    forms = [(r["route"], r["form_5329"]) for r in rows if r.get("form_5329")]
    if not forms:
        return None
    line_1 = amount(sum(f["line_1"] for _, f in forms))
    line_2 = amount(sum(f["line_2"] for _, f in forms))
    line_3 = amount(max(0.0, line_1 - line_2))
    rate = float(law.get("early_distributions.additional_tax_rate", year))
    claimed = list(dict.fromkeys(f["line_2_exception"] for _, f in forms if f["line_2_exception"]))
    number = claimed[0] if len(claimed) == 1 else (
        f"{int(_exception_numbers(law, year)['more_than_one']):02d}" if claimed else None)
    return {"line_1": line_1, "line_2": line_2, "line_3": line_3,
            "line_4": float(cents(rate * line_3)), "line_2_exception": number,
            "required": any(f["required"] for _, f in forms),
            "line_2_parts": [{"route": route, "line_2": f["line_2"],
                              "line_2_exception": f["line_2_exception"]}
                             for route, f in forms if f["line_2"] > HALF_CENT]}


def with_parts_forms(option: dict, rows: list[dict], law: Law, year: int) -> dict:
    """A combined option with its payments' forms: each payment's Forms 1099-R as its own
    outcome has them (each payment is a distribution of its own, Instructions for Forms 1099-R
    and 5498), named by the payment's route, their box 7 codes, the taxable and tax-free parts
    added, and one Form 5329 Part I for the year (:func:`summed_part_i`).  Changed in place."""
    option["form_1099r"] = [{**f, "route": r["route"]} for r in rows for f in r.get("form_1099r") or ()]
    option["form_1099r_codes"] = [c for r in rows for c in r.get("form_1099r_codes") or ()]
    option["taxable"] = amount(sum(r["taxable"] for r in rows))
    option["nontaxable"] = amount(sum(r["nontaxable"] for r in rows))
    option["form_5329"] = summed_part_i(law, year, rows)
    return option


def hardship_reading_note(assessed: dict, hardship: dict) -> list[str]:
    """Where the combined option's hardship (its cash row ``hardship``) pays more than the most
    ``assess`` gives it: the assessment reads Treas. Reg. §1.401(k)-1(d)(3)(iii)(A), (B)(1) as
    adding taxes to the need only for the hardship itself — the need left is the need less the
    **gross** of the distributions taken first (``need_left``) —, so that the hardship may make
    up the taxes on those distributions is not said by the rule: the plan decides (README,
    "ask the plan").  The assessment's most is its hardship cash outcome's gross."""
    hs: dict = next((s for s in assessed["route_summary"] if s["route"] == "hardship"), {})
    most = next((o["gross"] for o in assessed["outcomes"]
                 if o["route"] == "hardship" and o["destination"] == "cash"), None)
    if hs.get("need_left") is None or hardship["gross"] <= (most or 0.0) + HALF_CENT:
        return []
    gives = (f"the need they leave counted before tax, ${hs['need_left']:,.2f}, plus the tax on "
             f"the hardship itself: at most ${most:,.2f}" if most is not None else
             "no hardship: counted before tax, they pay the need")
    return [f"ask the plan: this hardship (${hardship['gross']:,.2f}) makes up the tax on the "
            f"payments before it, where the assessment gives {gives} — the rule adds taxes to "
            "the need only for the hardship itself (Treas. Reg. §1.401(k)-1(d)(3)(iii)(A), "
            "(B)(1)), so it does not say a hardship may make up the tax on them"]


def first_then_hardship_option(p: Projection, rows: list[dict], gross_max: float) -> dict:
    """The payments of :func:`first_then_hardship` as one option: their figures now added;
    valued like every cash option (the cash spent, the rest of the money concerned left in the
    plan), and where they take more than the money concerned, less what that much more left in
    the plan would be worth (the other options leave it there)."""
    total = sum(r["gross"] for r in rows)

    def added(key: str) -> float:
        return sum(r[key] for r in rows)

    notes = [f"{route_label(r['route'])}: ${r['gross']:,.2f} gross, a check of "
             f"${r['check_received']:,.2f}, ${r['kept_after_all_tax']:,.2f} kept after all tax"
             for r in rows]
    notes.append("a hardship withdrawal comes only after all other distributions the plan pays "
                 "now (Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)(1); a 403(b)'s, "
                 "§1.403(b)-6(d)(2)) and for no more than the need plus the taxes on it "
                 "((iii)(A)): each of them in full, then the hardship for what they leave short "
                 "in hand; "
                 "each payment taxed on top of the ones before it, in one tax year")
    option = p.option(
        FIRST_THEN_HARDSHIP, " + ".join(route_label(r["route"]) for r in rows[:-1])
        + f", then {route_label('hardship')} for the rest: take it in cash",
        Now(gross=total, cash_now=added("after_all_taxes"), taxes=added("income_tax_increase"),
            penalty=added("additional_tax_72t"), withholding=added("withholding"),
            check=added("check_received"), kept=added("kept_after_all_tax")),
        Holdings(in_plan=max(0.0, gross_max - total)), notes=notes, why=_joined_why(rows),
        state=_summed_state(rows))
    withholding_unknown(option, rows)  # the sum is unknown where one payment's is
    over = Holdings(in_plan=total - gross_max)
    if over.in_plan > HALF_CENT:
        years = np.array(p.horizons.years, dtype=float)
        option["by_year"] = cents(np.asarray(option["by_year"]) - p.value_at(over, years)).tolist()
        option["after_tax_value_at"] = {
            k: amount(v - float(p.value_at(over, np.array([p.horizons.at[k]]))[0]))
            for k, v in option["after_tax_value_at"].items()}
    if sum(later_tax(r) for r in rows) > 0:
        option["income_tax_later"] = amount(sum(later_tax(r) for r in rows))
    return option


def capped_at_leave(loan: dict, leave: dict) -> None:
    """A plan loan is worth at most leaving the money (:func:`loan_option`), on the same
    footing as "leave it": where the law requires a distribution this year, "leave it" pays
    it, and the loan, which pays none of it, is held to that value too (IRC §401(a)(9)(A);
    §4974(a): the minimum cannot stay in the plan)."""
    loan["by_year"] = np.minimum(loan["by_year"], leave["by_year"]).tolist()
    loan["after_tax_value_at"] = {k: min(v, leave["after_tax_value_at"][k])
                                  for k, v in loan["after_tax_value_at"].items()}


def best_at(horizons: list[str], options: list[dict], candidates: list[dict]) -> dict:
    """The option worth most at each horizon (among those that meet a stated need; else
    among ``options``, those that take this year's required minimum)."""
    best = {}
    for key in horizons:
        best[key] = max(candidates or options, key=lambda x: x["after_tax_value_at"][key])[
            "option"]
    return best


def wanted(case: Case) -> tuple[float | None, str | None]:
    """The cash the person wants in hand, and what it is net of: ``request.need`` (both the
    check and what is kept after all tax: None), else ``request.net_amount`` with its
    ``net_of`` (``withholding``: the check; ``all_tax``: what is kept after all tax)."""
    r = case.request
    if r.need:
        return r.need, None
    if r.net_amount:
        return r.net_amount, r.net_of
    return None, None


def plan_money_of(outcomes: list[dict], parts: dict[str, MoneyParts]) -> MoneyParts:
    """The character of the plan money the options are about (what "leave it" keeps): that
    of the route paying the most pre-tax share, as the most taxed of them; all pre-tax where
    no route pays."""
    routes = [parts[o["route"]] for o in outcomes if o["route"] in parts and o["gross"] > 0
              and o["route"] not in IRA_ROUTES + NOT_CHOSEN + ("loan",)]
    return max(routes, key=lambda m: m.pretax, default=MoneyParts())


def deadline_words(owed: dict) -> str:
    """By when the year's minimum must come out, in words; where last year's first minimum is
    part of it, that its April 1 deadline has passed (Treas. Reg. §1.401(a)(9)-5(a)(2))."""
    late = owed.get("overdue") or 0.0
    return f"by {owed['deadline']}" + (
        f" (of it, last year's ${late:,.2f}: the first minimum's April 1 deadline has passed, "
        "Treas. Reg. §1.401(a)(9)-5(a)(2))" if late > HALF_CENT else "")




def heir_deadline(assessed: dict) -> str | None:
    """The day an inherited account must be empty by, as the assessment found it (the 5-year
    rule, IRC §401(a)(9)(B)(ii); the 10-year rule, §401(a)(9)(H)(i)); None: no such day."""
    return next((s.get("empty_by") for s in assessed["route_summary"]
                 if s["route"] == "beneficiary" and s["eligible"] and s.get("empty_by")), None)


def pretax_money(case: Case) -> float:
    """The account's money that is taxed when paid: its non-Roth vested balances less the
    after-tax basis in them (§72(e)(8); designated Roth money, §402A(d), left out)."""
    total = 0.0
    for k, src in enumerate(SOURCES):
        held = case.account.sources.get(src)
        if held is None or ROTH[k]:
            continue
        vested = held.balance * held.vested
        total += max(0.0, vested - (min(held.basis, vested) if AFTER_TAX[k] else 0.0))
    return total


def deadline_spread(case: Case, law: Law, assessed: dict) -> dict | None:
    """An heir's account that must be empty by a day (:func:`heir_deadline`; an estate's rate
    is its own, :func:`dist401k.traps.later_rate_default`): its pre-tax money left after this
    year's required minimum (its pre-tax share: the minimum is taken from every source pro
    rata) taken out in level yearly payments, one at the end of each tax year after this one to
    the deadline's, that empty it at the plan's net return; the average federal rate of one
    such payment on top of the year's other income, on this year's law (the case holds no other
    year's income).  None where there is no such day or no pre-tax money left — in the
    deadline's own year the minimum is all of it."""
    deadline = heir_deadline(assessed)
    owed = required_now(assessed)
    pretax = pretax_money(case)
    whole = sum(s.balance * s.vested for s in case.account.sources.values())
    share = pretax / whole if whole > HALF_CENT else 0.0
    left = pretax - (owed["remaining"] * share if owed else 0.0)
    if deadline is None or left <= HALF_CENT:
        return None
    years = max(1, dt.date.fromisoformat(deadline).year - case.request.date.year)
    r = case.assumptions.growth - case.assumptions.plan_expense
    yearly = left / years if abs(r) < 1e-9 else left * r / (1.0 - (1.0 + r) ** -years)
    rate = _marginal_profile(case, yearly, law, 0.0)["average_rate"]
    return {"deadline": deadline, "left": amount(left), "years": years,
            "yearly": amount(yearly), "average_rate": rate}


def later_rate_source(given: bool, estate: bool, spread: dict | None) -> str:
    """What the later tax rate is, in words (``assumptions.later_tax_rate_source``)."""
    if given:
        return "given"
    if estate:
        return LATER_RATE_ESTATE
    if spread is None:
        return LATER_RATE_DEFAULT
    n = spread["years"]
    return (f"the heir's average federal rate on taking the account's ${dollars_text(spread['left'])} of "
            f"pre-tax money out by {spread['deadline']} in {n} level yearly payment"
            f"{'s' if n > 1 else ''} of ${dollars_text(spread['yearly'])} (at the plan's net return), "
            "each on top of this year's other income, on this year's law")


def _projection(case: Case, law: Law, assessed: dict, outcomes: list[dict],
                age_now: float) -> tuple[Projection, dict, float]:
    """The projection of the options, the marginal-rate profile of the most taxable income
    an option the person can choose adds to the year (a loan is no distribution, §72(p)(1);
    a loan deemed distributed this year is not chosen: it is income of the year already,
    Treas. Reg. §1.72(p)-1, Q&A-10(a), on top of which the profile is figured), and the most
    the plan pays."""
    a = case.assumptions
    plan_outcomes = [o for o in outcomes if o["route"] not in IRA_ROUTES]
    # A loan deemed distributed or offset is no money at stake: it is income or gone already.
    gross_max = max([o["gross"] for o in plan_outcomes if o["route"] not in NOT_CHOSEN] or [0.0])
    taxable_max = max([o["taxable"] - (o.get("taxable_later") or 0.0) for o in plan_outcomes
                       if o["route"] not in NOT_CHOSEN + ("loan",)] or [0.0])
    deemed = float(sum(o["taxable"] for o in assessed["outcomes"] if o["route"] == "loan_deemed"))
    profile = _marginal_profile(case, taxable_max, law, deemed)
    profile["loan_deemed_this_year"] = deemed
    if not profile["estate"]:
        profile["deadline_spread"] = deadline_spread(case, law, assessed)
    t_later = a.later_tax_rate if a.later_tax_rate is not None else later_rate_default(profile)
    parts = money_parts(case, assessed)
    p = Projection(a=a, horizons=horizons_of(case, age_now, heir_deadline(assessed),
                                             profile["estate"]),
                   plan_money=plan_money_of(plan_outcomes, parts), t_later=t_later,
                   route_parts=parts, deemed=deemed)
    return p, profile, gross_max


def compare_case(case: Case, law: Law | None = None) -> dict:
    """The comparison of one case: options, projections by year, traps, assumptions."""
    law = law or default_law()
    assessed = assess_figures([case], law)[0]
    a = case.assumptions
    age_now = float(fractional_age(np.datetime64(case.person.birth_date, "D"),
                                   np.datetime64(case.request.date, "D")))
    outcomes = priced_outcomes(case, law, with_loan_in_cash(case, law, assessed))
    p, profile, gross_max = _projection(case, law, assessed, outcomes, age_now)
    options = options_of(case, law, p, outcomes, gross_max, assessed)
    # With a stated need (or a net amount wanted), only an option that puts it in hand can be
    # the answer.
    # Nor can an option that leaves this year's required minimum untaken (IRC §401(a)(9)(A),
    # §4974(a)): its figures count money that must come out as if it stayed.
    need, net_of = wanted(case)
    ranked = [o for o in options if not o.get("short_of_minimum")]
    candidates = [o for o in ranked if meets_need(o, need, net_of)] if need else ranked
    best = best_at(list(p.horizons.at), ranked, candidates)
    estate = profile["estate"]
    out = {
        # An estate is no person: no age of its own (its horizons are dates).
        "case_id": case.id, "request_date": str(case.request.date),
        # the law that answered (the hash of the parameter files) and its tax year, as assess
        "tax_year": assessed["tax_year"], "projected": assessed["projected"],
        "projection": assessed["projection"], "law_version": law.version,
        "dist401k_version": __version__,
        "age": None if estate else round(age_now, SHOWN_DIGITS),
        "assumptions": {"growth": a.growth, "plan_expense": a.plan_expense,
                        "ira_expense": a.ira_expense, "product_expense": a.product_expense,
                        "surrender_schedule": a.surrender_schedule, "later_tax_rate": p.t_later,
                        "later_tax_rate_source": later_rate_source(
                            a.later_tax_rate is not None, estate, profile.get("deadline_spread")),
                        "horizon_ages": list(p.horizons.ages),
                        "horizon_dates": [k for k in p.horizons.at
                                          if k not in {f"{h:g}" for h in p.horizons.ages}],
                        "years": list(p.horizons.years)},
        "options": options, "best_at": best,
        "need": need_answer(need, candidates, best, net_of),
        "notes": assessed["notes"], "marginal": profile,
        "traps": traps(case, assessed, profile, law, priced=outcomes,
                       price=lambda c, r: priced_outcomes(c, law, r)),
        "assessment": as_assessed(assessed),
    }
    # A warning the assessment gives as a note and the comparison as a trap (QCD_NOT_FROM_PLAN)
    # is said once, as the trap.
    trapped = {t["code"] for t in out["traps"]}
    out["notes"] = [n for n in out["notes"] if n["code"] not in trapped] + closed_destination_notes(
        assessed)
    return out


def as_assessed(assessed: dict) -> dict:
    """The assessment the comparison carries, as the assess door gives it: the federal
    withholding of an outcome whose withholding is not figured null — unknown, never $0 — with
    its reason (``SR_WITHHOLDING_WAGES``: a periodic payment, withheld from as wages by Pub.
    15-T tables the law does not hold for the year, IRC §3405(a);
    :func:`dist401k.withholding.with_unknown_withholding`).  A copy: the rows the options were
    priced from keep their figures."""
    return with_unknown_withholding({**assessed, "outcomes": [dict(r) for r in assessed["outcomes"]]})


#: The field a route's reason names where the destination asked for is not open to it.
DESTINATION_FIELD = "request.destination"


def closed_destination_notes(assessed: dict) -> list[dict]:
    """Why an open route gives no option for the request: the reasons it gives for the
    destination asked for not being open to it (those naming ``request.destination``, as
    ``assess`` says under "No outcome for this request" — an heir's, IRC §402(c)(11)(A),
    §402(c)(9)), each once, as notes on that field: else the comparison would show only
    "leave it" and never say why."""
    paid = {o["route"] for o in assessed["outcomes"]}
    open_ = {s["route"] for s in assessed["route_summary"] if s["eligible"]} - paid
    notes: dict[str, dict] = {}
    for row in assessed["routes"]:
        for r in row.get("reasons", []) if row["route"] in open_ else ():
            if DESTINATION_FIELD in r["text"] and r["code"] not in notes:
                notes[r["code"]] = {"code": r["code"], "field": DESTINATION_FIELD,
                                    "text": r["text"], "citation": r["citation"]}
    return list(notes.values())


def state_now(outcome: dict) -> dict:
    """An option's state taxes now, where the case gives a state (null: not covered yet)."""
    if "state_covered" not in outcome:
        return {}
    return {"state_income_tax_now": outcome["state_income_tax_increase"],
            "state_additional_tax_now": outcome["state_additional_tax"],
            "state_covered": outcome["state_covered"],
            "state_withholding": outcome.get("state_withholding")}


def option_state_tax(option: dict) -> str:
    """A table's "state tax" cell for an option ("leave it" pays none)."""
    if "state_covered" not in option:
        return "0"
    return state_tax_shown(option, "state_income_tax_now", "state_additional_tax_now")


def need_answer(need: float | None, candidates: list[dict], best: dict,
                net_of: str | None = None) -> dict | None:
    """"I need $X in hand": the gross to ask for by the best option that delivers it
    (``net_of``: what a net amount wanted is net of; null for a need)."""
    if not need:
        return None
    if not candidates:
        return {"in_hand": need, "met": False, "option": None, "gross_to_ask": None,
                "check_received": None, "kept_after_all_tax": None, "net_of": net_of}
    top = next(o for o in candidates if o["option"] == next(iter(best.values())))
    return {"in_hand": need, "met": True, "option": top["option"], "gross_to_ask": top["gross"],
            "check_received": top["check_received"],
            "kept_after_all_tax": top["kept_after_all_tax"], "net_of": net_of}


def need_sentence(cmp: dict) -> str:
    """The answer to "I need $X in hand": the gross to ask for, and by which option."""
    n = cmp["need"]
    if not n["met"]:
        how = {"withholding": "as the check", "all_tax": "after all tax"}.get(
            n.get("net_of") or "", "both as the check and after all tax")
        return f"You need ${dollars_text(n['in_hand'])} in hand: no option delivers it now, {how}."
    label = next(o["label"] for o in cmp["options"] if o["option"] == n["option"])
    return (f"You need ${dollars_text(n['in_hand'])} in hand: ask for ${n['gross_to_ask']:,.2f} gross "
            f"({label}): the check is ${n['check_received']:,.2f}, and "
            f"${n['kept_after_all_tax']:,.2f} is kept after all tax.")
