"""The traps of a distribution: where the advice literature warns, each with its figures worked
out for the case and the rule it comes from (the ``traps`` of `dist401k compare`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import NUA_PLAN_TYPES, PLAN_TYPES, Case
from dist401k.early_distribution import exceptions
from dist401k.explain import reason
from dist401k.form_8606 import PLACES, lines
from dist401k.law.filing_status import CODE
from dist401k.law.loader import Law, LawError
from dist401k.money import HALF_CENT, amount, dollars_text
from dist401k.outcome import ROLLABLE, TaxOf, TaxWith
from dist401k.qcd import QCD_CODE, QCD_TITLE, qcd_from_plan
from dist401k.routes.base import IRA_ROUTES
from dist401k.routes.common import Facts
from dist401k.routes.qdro import QDRO_ROUTES
from dist401k.sources import AFTER_TAX, ROTH, SOURCES
from dist401k.tax.federal import federal_tax
from dist401k.tax.niit import net_investment_income_tax

#: Decimal places of a trap's figures (rates to a hundredth of a percent).
FIGURE_DIGITS = 4


def _trap(code: str, title: str, text: str, citation: str, **figures) -> dict:
    return {"code": code, "title": title, "text": text, "citation": citation,
            "figures": {k: (round(v, FIGURE_DIGITS) if isinstance(v, float) else v)
                        for k, v in figures.items()}}


#: Prices a case's outcomes as the comparison shows them (at the need, where one is stated).
Pricer = Callable[[Case, dict], list[dict]]


def traps(case: Case, assessed: dict, profile: dict, law: Law,
          priced: list[dict] | None = None, price: Pricer | None = None) -> list[dict]:
    """The traps that apply to this case, each with its figures and its rule; ``priced``: the
    outcomes as the comparison shows them (the assessment's where None), ``price``: how it
    prices another day's assessment (as the assessment gives it where None)."""
    rows = assessed["outcomes"] if priced is None else priced
    return [*pro_rata_trap(case, assessed, law), *rule_55_lost_trap(assessed, case),
            *ira_only_exception_trap(case, assessed, law, rows),
            *marginal_rate_trap(profile, loan_open(assessed), required_this_year(assessed)),
            *after_tax_to_roth_trap(assessed), *nua_trap(case, assessed, profile, law),
            *qcd_from_plan_trap(case, assessed, law), *qdro_rollover_trap(case, assessed, law, rows),
            *wait_for_59_half_trap(case, assessed, law, rows, price),
            *small_cash_out_trap(assessed)]


def inherited_ira_transfer(case: Case, o: dict) -> bool:
    """Whether outcome ``o`` is an heir's payment that goes, if moved, to an *inherited* IRA: the
    beneficiary route of a beneficiary other than the surviving spouse (a direct
    trustee-to-trustee transfer, IRC §402(c)(11)).  Such an IRA stays the deceased's: what it
    pays is paid on account of death, free of the 10% tax at any age (§72(t)(2)(A)(ii)), and
    it is not one of the heir's own traditional IRAs that Form 8606 adds up for a backdoor Roth
    (§408(d)(2); IRS Pub. 590-B, inherited IRAs: only a spouse who treats it as their own
    combines it).  A surviving spouse's rollover goes to the spouse's own IRA: not this."""
    heir = case.beneficiary
    return o["route"] == "beneficiary" and heir is not None and heir.relationship != "spouse"


def own_ira_outcomes(case: Case, assessed: dict) -> list[dict]:
    """The assessment's outcomes but the transfers to an inherited IRA
    (:func:`inherited_ira_transfer`): those whose money rolled to an IRA becomes the person's
    own, for the traps that warn of what an own IRA does."""
    return [o for o in assessed["outcomes"] if not inherited_ira_transfer(case, o)]


def loan_open(assessed: dict) -> bool:
    """The plan lends to the person now (the loan route is open)."""
    return any(s["route"] == "loan" and s["eligible"] for s in assessed["route_summary"])


#: The routes whose summary says what must come out this year.
REQUIRED_ROUTES = ("rmd", "beneficiary")


def required_now(assessed: dict) -> dict | None:
    """What the law still requires out of the account this year, as the assessment found it
    (the route summary of a required minimum distribution, IRC §401(a)(9)(A), (C), or of an
    inherited account, §401(a)(9)(B), (H)): ``route``, ``remaining`` and its ``deadline``;
    None where nothing is owed."""
    for s in assessed["route_summary"]:
        if (s["route"] in REQUIRED_ROUTES and s["eligible"]
                and (s.get("remaining") or 0) > HALF_CENT):
            # Last year's first minimum is due by April 1; once that day has passed its
            # deadline is null, and all of it is owed by this year's (December 31).
            late = bool(s.get("last_year_rmd")) and not s.get("last_year_deadline")
            due = s.get("last_year_deadline") or s.get("deadline")
            return {"route": s["route"], "remaining": s["remaining"], "deadline": due,
                    "overdue": s["last_year_rmd"] if late else 0.0}
    return None


def required_this_year(assessed: dict) -> float:
    """The amount :func:`required_now` says is still owed this year; 0 where none is."""
    owed = required_now(assessed)
    return owed["remaining"] if owed else 0.0


def _taxes(o: dict) -> float:
    """All the tax a payment costs this year: income tax, the 10% tax, the state's (where
    figured)."""
    return (o["income_tax_increase"] + o["additional_tax_72t"]
            + (o.get("state_income_tax_increase") or 0.0) + (o.get("state_additional_tax") or 0.0))


#: How far ahead 59½ is worth a word: within the year of the request.
WAIT_DAYS = 365


def _cash_rows(rows: list[dict], owes: bool) -> list[dict]:
    """The plan's cash payments that owe the 10% tax (``owes``), or that pay and owe none."""
    return [o for o in rows if o["destination"] == "cash" and o["route"] not in IRA_ROUTES
            and (o["additional_tax_72t"] > HALF_CENT if owes else
                 o["additional_tax_72t"] <= HALF_CENT and o["gross"] > HALF_CENT)]


def wait_for_59_half_trap(case: Case, assessed: dict, law: Law, rows: list[dict],
                          price: Pricer | None = None) -> list[dict]:
    """A cash payment now owes the 10% additional tax, and 59½ is near: the same request made
    on the day the person is 59½ owes none (IRC §72(t)(2)(A)(i)) — and, where the plan allows
    it, an in-service withdrawal then opens (§401(k)(2)(B)(i)(III)).  The request assessed
    again on that day and priced as ``rows`` are (at the need, where one is stated): the
    cheapest cash payment now against the cheapest that owes no 10% tax then."""
    from dist401k.assess import assess_figures  # (assess reaches traps' callers, not traps)
    from dist401k.errors import InputError

    if assessed["reached_59_half"]:
        return []
    paid_now = _cash_rows(rows, owes=True)
    on = dt.date.fromisoformat(assessed["age_59_half_on"])
    days = (on - case.request.date).days
    if not paid_now or not 0 < days <= WAIT_DAYS:
        return []
    then_case = case.model_copy(update={"request": case.request.model_copy(update={"date": on})})
    try:
        later = assess_figures([then_case], law)[0]
    except InputError:  # the request's own dates do not hold on that day
        return []
    free_then = _cash_rows(later["outcomes"] if price is None else price(then_case, later),
                           owes=False)
    if not free_then:
        return []
    # With a need (or a net amount) each payment is priced to put the same cash in hand: the
    # cheapest is the one that costs the least tax; without one, the same request's.
    same_in_hand = bool(case.request.need or case.request.net_amount)
    now = min(paid_now, key=_taxes if same_in_hand else lambda o: o["additional_tax_72t"])
    enough = [o for o in free_then if o["kept_after_all_tax"] >= now["kept_after_all_tax"]
              - HALF_CENT]
    if same_in_hand and enough:
        return [_wait_trap_priced(on, days, now, min(enough, key=_taxes))]
    then = max(free_then, key=lambda o: o["gross"])
    saved = now["additional_tax_72t"]
    return [_trap(
        "WAIT_FOR_59_HALF", f"Waiting {days} days saves the 10% tax",
        f"You reach 59½ on {on.isoformat()}. The cheapest cash payment now ({now['route']}) "
        f"owes ${dollars_text(saved)} of 10% additional tax; the same request on that day "
        f"({then['route']}, up to ${dollars_text(then['gross'])}) owes none. If the need can wait, "
        "wait.", WAIT_CITATION, days=days, on=on.isoformat(), penalty_saved=saved,
        income_tax_saved=0.0, tax_saved=saved, route_now=now["route"],
        route_then=then["route"], gross_now=now["gross"], gross_then=then["gross"])]


WAIT_CITATION = "IRC §72(t)(1), (t)(2)(A)(i); §401(k)(2)(B)(i)(III)"


def _wait_trap_priced(on: dt.date, days: int, now: dict, then: dict) -> dict:
    """The wait for 59½ where both payments put the same cash in hand: the gross each asks,
    and what waiting saves — the 10% tax, and the tax on the gross-up that paid for it."""
    penalty = now["additional_tax_72t"] - then["additional_tax_72t"]
    total = _taxes(now) - _taxes(then)
    rest = total - penalty
    return _trap(
        "WAIT_FOR_59_HALF", f"Waiting {days} days saves ${dollars_text(total)} of tax",
        f"You reach 59½ on {on.isoformat()}. Now the cheapest cash payment ({now['route']}) "
        f"asks ${dollars_text(now['gross'])} gross to put ${dollars_text(now['kept_after_all_tax'])} in hand "
        f"after all tax, and owes ${dollars_text(penalty)} of 10% additional tax; on that day "
        f"{then['route']} puts as much in hand with ${dollars_text(then['gross'])} gross and no 10% "
        f"tax: waiting saves the ${dollars_text(penalty)} of 10% tax"
        + (f" and ${dollars_text(rest)} of income tax on the gross-up that paid for it"
           if round(rest) >= 1 else "") + f" (${dollars_text(total)} in all). If the need can wait, wait.",
        WAIT_CITATION, days=days, on=on.isoformat(), penalty_saved=penalty,
        income_tax_saved=rest, tax_saved=total, route_now=now["route"],
        route_then=then["route"], gross_now=now["gross"], gross_then=then["gross"])


def pro_rata_trap(case: Case, assessed: dict, law: Law) -> list[dict]:
    """A rollover into a traditional IRA this year dilutes a backdoor Roth: Form 8606 counts
    every traditional IRA at year end (IRC §408(d)(2)); its taxable and nontaxable dollars,
    with the rollover and without, as Form 8606 figures them: with it, the lines of the
    outcome that rolls the most there (its after-tax money rolled in added to the basis, line
    2: Pub. 590-B), without it, the same lines for the IRAs the case holds.  A warning only
    where the rollover raises the taxable part (line 18): after-tax money rolled in can lower
    it, and that is no trap.  A non-spouse heir's transfer to an inherited IRA is not counted:
    that IRA is not the heir's own (:func:`inherited_ira_transfer`)."""
    iras = case.iras
    most = max(own_ira_outcomes(case, assessed), key=lambda o: o["to_traditional_ira"], default=None)
    rolled = most["to_traditional_ira"] if most is not None else 0.0
    if not (iras.backdoor_roth_planned > 0 and (rolled > 0 or iras.traditional > 0)):
        return []
    conv = iras.backdoor_roth_planned
    places = law.get(PLACES, case.request.date.year)
    without = _form_8606(conv, iras.traditional_basis, iras.traditional, places)
    after = most.get("form_8606") if most is not None and rolled > 0 else None
    if after is None:  # nothing rolled there (or no form shown): the lines figured here
        after = _form_8606(conv, iras.traditional_basis, iras.traditional + rolled, places)
    taxable_after, nontaxable_after = after["line_18"], after["line_17"]
    taxable_before, nontaxable_before = without["line_18"], without["line_17"]
    if taxable_after < taxable_before:  # basis rolled in (line 2) lowers it: no trap, a saving
        return []                       # the option's own note tells (compare_backdoor)
    if iras.traditional <= 0:  # nothing of the IRAs' own to move: only the rollover counts
        remedy = ("Your traditional IRAs hold nothing before this rollover: leave the money in "
                  "the plan or roll it to an employer plan — not to a traditional IRA this "
                  "year — and the conversion stays "
                  f"{taxable_before / conv:.1%} taxable; the extra tax is counted in the "
                  "options that roll to an IRA.")
    else:
        left = ("zero" if iras.traditional_basis <= 0 else
                f"the ${dollars_text(min(iras.traditional_basis, iras.traditional))} of "
                "after-tax basis, which stays (§408(d)(3)(A)(ii), (H))")
        remedy = ("Your plan accepts roll-ins: roll the IRA's pre-tax money into the plan "
                  "before December 31 (only pre-tax money can go), and the year-end value "
                  f"falls to {left}." if case.plan.accepts_rollins else
                  "Keep the pre-tax money out of traditional IRAs at year end (another "
                  "employer plan that accepts roll-ins), or skip the backdoor this year.")
    share = (f"{taxable_after / conv:.1%} of the ${dollars_text(conv)} conversion is taxable "
             f"(${dollars_text(taxable_after)})")
    title, text = (
        ("A rollover to a traditional IRA makes your backdoor Roth mostly taxable",
         f"With ${dollars_text(rolled)} rolled in, Form 8606 counts all traditional IRAs at year "
         f"end: {share}, against {taxable_before / conv:.1%} without the rollover.")
        if rolled > 0 else
        ("Your traditional IRAs make part of your backdoor Roth taxable",
         f"Form 8606 counts all traditional IRAs at year end, the ${dollars_text(iras.traditional)} "
         f"you hold now included: {share}."))
    return [_trap(
        "PRO_RATA", title, f"{text} {remedy}",
        "IRC §408(d)(2); Form 8606 Part I, lines 6–14", rolled=rolled,
        taxable_share=taxable_after / conv, taxable_share_without=taxable_before / conv,
        conversion=conv, taxable=amount(taxable_after), nontaxable=amount(nontaxable_after),
        taxable_without=amount(taxable_before), nontaxable_without=amount(nontaxable_before))]


def _form_8606(conversion: float, basis: float, year_end: float, places) -> dict[str, float]:
    """Form 8606 Parts I and II of a backdoor Roth of ``conversion`` (line 1 and line 8), the
    basis carried in ``basis`` (line 2) and the traditional IRAs at year end ``year_end``
    (line 6): :func:`dist401k.form_8606.lines`, as ``assess`` shows them."""
    got = lines(np.asarray(float(conversion)), np.asarray(float(basis)),
                np.asarray(float(year_end)), np.asarray(0.0), np.asarray(float(conversion)),
                places)
    return {k: float(v) if k == "line_10" else amount(v) for k, v in got.items()}


#: The words of the trap by the exception the plan's payment has, the one an IRA would not
#: give: the rule of 55 (§72(t)(2)(A)(v)), the public safety exception (§72(t)(10)), a
#: governmental 457(b)'s own money (§72(t)(9)).
LOST_WORDS = (("PX_SEPARATION_55", "OC_LOST_RULE_55"), ("PX_PUBLIC_SAFETY", "OC_LOST_PUBLIC_SAFETY"),
              ("PX_457", "OC_LOST_457"))


def rule_55_lost_trap(assessed: dict, case: Case | None = None) -> list[dict]:
    """The access free of the 10% tax that only the plan gives, lost by rolling to an IRA before
    59½ (§72(t)(3)(A)): the rule of 55, the public safety exception or the 457(b)'s, each named
    as the person has it (§72(t)(2)(A)(v), (t)(10), (t)(9)).  Not for a non-spouse heir's
    transfer to an inherited IRA, which loses nothing: its payments are on account of death,
    free of the 10% tax at any age (§72(t)(2)(A)(ii); :func:`inherited_ira_transfer`); a
    surviving spouse's rollover to their own IRA keeps the trap."""
    outcomes = assessed["outcomes"] if case is None else own_ira_outcomes(case, assessed)
    lost = [o for o in outcomes
            if any(r["code"] == "OC_RULE_55_LOST" for r in o["reasons"])]
    if not lost:
        return []
    had = {r["code"] for o in lost for r in o["reasons"]}
    words = [reason(code) for px, code in LOST_WORDS if px in had] or [reason("OC_RULE_55_LOST")]
    return [_trap("RULE_55_LOST", "Rolling to an IRA loses your penalty-free access",
                  " ".join(w.text for w in words) + " Take what you need before 59½ from the plan itself.",
                  "; ".join(w.citation for w in words),
                  destinations=sorted({o["destination"] for o in lost}))]


#: The reasons of the separation route saying the plan may pay a small benefit out without
#: asking (dist401k.routes.separation.small_cash_out).
SMALL_CASH_OUT = ("SP_SMALL_CASH_OUT_IRA", "SP_SMALL_CASH_OUT_CHECK")


def small_cash_out_reasons(assessed: dict) -> list[dict]:
    """The separation route's reasons, once each, saying that the plan may pay the participant's
    small vested benefit without consent (§411(a)(11)(A), §417(e)(1)) and where it then goes
    (§401(a)(31)(B)): what "leave it in the plan" must warn of."""
    found = {r["code"]: r for row in assessed["routes"] if row["route"] == "separation"
             for r in row["reasons"] if r["code"] in SMALL_CASH_OUT}
    return list(found.values())


def small_cash_out_trap(assessed: dict) -> list[dict]:
    """Leaving a small balance in the plan after separation: the plan may pay it out without
    asking, to an IRA it picks over $1,000 or as a check (§411(a)(11)(A), §401(a)(31)(B))."""
    return [_trap("SMALL_BALANCE_CASH_OUT", "The plan may pay out a small balance without asking",
                  r["text"], r["citation"], reason=r["code"])
            for r in small_cash_out_reasons(assessed)]


#: The purposes whose §72(t) exception reaches only a distribution from an IRA, and the rule.
IRA_ONLY = {"tuition": ("higher-education expenses", "IRC §72(t)(2)(E), (t)(7)"),
            "home_purchase": ("a first home", "IRC §72(t)(2)(F), (t)(8)")}


def ira_only_exception_trap(case: Case, assessed: dict, law: Law,
                            rows: list[dict]) -> list[dict]:
    """Higher education and a first home escape the 10% tax only from an IRA (IRC
    §72(t)(2)(E), (F)); higher education up to the expenses (§72(t)(7)(A): the need, where the
    case gives one), the first home up to the lifetime limit less what was taken before
    (§72(t)(8)(B)).  The plan's cash payment (``rows``, as the comparison prices them) owes it;
    the person's own traditional IRA, or a rollover where the plan can pay one, does not — on
    the part that grosses the payment up for its taxes it does."""
    purpose = case.request.purpose
    if purpose not in IRA_ONLY or assessed["reached_59_half"]:
        return []
    cash = [o for o in rows if o["destination"] == "cash"
            and o["additional_tax_72t"] > 0 and o["route"] not in IRA_ROUTES]
    year = case.request.date.year
    rate = float(law.get("early_distributions.additional_tax_rate", year))
    cap = float(law.get("early_distributions.first_home_lifetime_cap", year))
    home = purpose == "home_purchase"
    need = case.request.need
    left = (max(0.0, cap - case.iras.first_home_prior) if home
            else float("inf") if need is None else need)
    limited = home or need is not None
    if home and left <= HALF_CENT:  # the lifetime limit used up: no exception left to find
        return []
    plan = min(cash, key=_taxes, default=None)
    owed = plan["additional_tax_72t"] if plan is not None else 0.0
    saved = min(max([o["additional_tax_72t"] for o in cash] or [0.0]), rate * left)
    own = min(owed, rate * min(case.iras.traditional, left))
    rollable = sorted({o["route"] for o in rows if o["route"] in ROLLABLE
                       and o["gross"] > HALF_CENT})
    what, rule = IRA_ONLY[purpose]
    text = (f"The exception from the {rate:.0%} tax for {what}"
            + (f" (up to ${dollars_text(cap)} in a lifetime, ${dollars_text(left)} of it left)"
               if home else f" (up to the expenses, ${dollars_text(left)})" if limited else "")
            + " applies only to a distribution from an IRA: a plan distribution pays the tax."
            + (first_home_terms(law, year) if home else ""))
    if own > HALF_CENT and plan is not None:
        text += _own_ira_text(case, plan, own, min(case.iras.traditional, left) if limited else None)
    if rollable:
        text += (f" The plan can pay it as a rollover ({', '.join(rollable)}): rolling it to "
                 "an IRA first and taking it from there saves up to "
                 f"${dollars_text(saved)} of additional tax"
                 + (f" in all, your IRA's ${dollars_text(own)} included (the limit is on all of "
                    "them together)" if own > HALF_CENT and limited else "") + ".")
    hardship = plan is not None and plan["route"] == "hardship"
    no_roll = not rollable and own <= HALF_CENT and plan is not None
    if no_roll and plan is not None:
        text += (f" Here the plan pays only a {plan['route'].replace('_', ' ')} "
                 "distribution, which cannot be rolled to an IRA first.")
    return [_trap(
        "IRA_ONLY_EXCEPTION", "This exception is for IRAs only",
        text + " Penalty-free is not tax-free: what is taken is still income.",
        rule + ("; Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)" if own > HALF_CENT and hardship
                else "") + ("; IRC §402(c)(4)(C)" if no_roll and hardship else ""),
        penalty_saved=saved, own_ira_saving=own, roll_first=bool(rollable),
        first_home_left=left if home else None)]


def first_home_terms(law: Law, year: int) -> str:
    """Who the first-home exception is for, in words: a first-time homebuyer — the person, the
    spouse, or a child, grandchild or ancestor of either — who (with the spouse) had no present
    ownership interest in a principal residence in the years before the new one is acquired
    (IRC §72(t)(8)(D)(i)(I): ``early_distributions.first_home_no_residence_years``), and only the
    money spent on its acquisition costs within the days after it is received (§72(t)(8)(A):
    ``early_distributions.first_home_spend_days``)."""
    years = float(law.get("early_distributions.first_home_no_residence_years", year))
    days = float(law.get("early_distributions.first_home_spend_days", year))
    return (" It is only for a first-time homebuyer's principal residence — yours, your "
            "spouse's, or a child's, grandchild's or ancestor's of either of you — whose buyer "
            "(and spouse) had no present ownership interest in a principal residence in the "
            f"{years:g} years before buying it, and only for the money spent on its acquisition "
            f"costs within {days:g} days of receiving it.")


def _own_ira_text(case: Case, plan: dict, own: float, limit: float | None) -> str:
    """The person's own traditional IRA pays the purpose without the 10% tax: how much that
    saves against the plan's payment, and, against a hardship withdrawal, the representation it
    needs (Treas. Reg. §1.401(k)-1(d)(3)(iii)(B))."""
    route = plan["route"].replace("_", " ")
    owed = plan["additional_tax_72t"]
    text = (f" You already have ${dollars_text(case.iras.traditional)} in a traditional IRA: taking "
            "the money from it instead owes no 10% tax"
            + (f" on up to ${dollars_text(limit)}" if limit is not None else "")
            + (f": it saves all ${dollars_text(owed)} of the {route} payment's 10% tax"
               if own >= owed - HALF_CENT else
               f": it saves ${dollars_text(own)} of the {route} payment's ${dollars_text(owed)} of 10% tax")
            + " (and the income tax on grossing up for it).")
    if plan["route"] == "hardship":
        text += (" A hardship withdrawal also needs your written representation that you "
                 "have insufficient cash or other liquid assets reasonably available to meet "
                 "the need.")
    return text


def later_rate_default(profile: dict) -> float:
    """The tax rate expected on money withdrawn later, where the case gives none: today's rate
    on the first dollar more (:func:`marginal_rate_trap`'s profile); an estate's average rate
    on the most taxable amount an option pays — its first dollars fall in the exemption of IRC
    §642(b), the rest mostly in the top bracket of §1(e), and it must pay the account out
    within years (§401(a)(9)(B)); an heir who must empty the account by a day (the 5-year
    rule, §401(a)(9)(B)(ii); the 10-year rule, (H)(i); a minor child's ten years from
    majority, (E)(ii)(II), (H)(iii)) the average rate of taking its pre-tax money out in level
    yearly payments by then (``deadline_spread``, figured by the comparison): money that must
    come out is taxed as it comes out, not at the rate of a first dollar."""
    if profile.get("estate"):
        return profile["average_rate"]
    spread = profile.get("deadline_spread")
    return spread["average_rate"] if spread else profile["first_dollar_rate"]


def marginal_rate_trap(profile: dict, loan: bool = False, required: float = 0.0) -> list[dict]:
    """The distribution raises the rate on every extra dollar: a higher bracket (§1(j)),
    Social Security made taxable (§86), the senior deduction phased out (§151(d)(5)(C)), the
    net investment income tax (§1411).  A loan is named as a way to less tax only where the
    plan lends to the person now (``loan``).  The profile stands on the year's other income, a
    loan deemed distributed this year included (§72(p)(1); Treas. Reg. §1.72(p)-1, Q&A-10(a)),
    and is said to.  An estate's are its own brackets on Form 1041 (§1(e), §1(j)(2)(E)), with
    neither Social Security nor a senior deduction.  Where the law requires all of it out this
    year (``required``, §401(a)(9)), neither spreading it nor a loan is open: the trap says so.
    Where the kiddie tax applies with the distribution (``kiddie``), the rate on the unearned
    income above Form 8615's threshold is the parent's (§1(g)(1); Form 8615 lines 9–13): the
    trap names the parent's bracket instead of the child's own, and cites §1(g)."""
    p = profile
    if not (p["amount"] > 0 and (p["last_dollar_rate"] > p["first_dollar_rate"] + HALF_CENT or
                                 p["extra_taxable_social_security"] > 0 or
                                 p["senior_deduction_lost"] > 0 or p["extra_niit"] > 0)):
        return []
    estate = bool(p.get("estate"))
    kiddie = p.get("kiddie")
    parts = [_parent_rate_part(kiddie)] if kiddie else []
    if p["brackets"][1] > p["brackets"][0] and not kiddie:
        parts.append(f"moves {'the estate' if estate else 'you'} from the "
                     f"{p['brackets'][0]:.0%} to the {p['brackets'][1]:.0%} bracket"
                     + (" of an estate (Form 1041)" if estate else ""))
    if p["extra_taxable_social_security"] > 0:
        parts.append(f"makes ${dollars_text(p['extra_taxable_social_security'])} more of your Social "
                     "Security taxable")
    if p["senior_deduction_lost"] > 0:
        parts.append(f"trims the senior deduction by ${dollars_text(p['senior_deduction_lost'])}")
    if p["extra_niit"] > 0:
        parts.append(f"adds ${dollars_text(p['extra_niit'])} of net investment income tax")
    deemed = p.get("loan_deemed_this_year") or 0.0
    on_top = (f" (on top of the ${dollars_text(deemed)} of a loan deemed distributed this year)"
              if deemed > HALF_CENT else "")
    return [_trap(
        "MARGINAL_RATE", "The distribution raises the rate on every extra dollar",
        f"${dollars_text(p['amount'])} of taxable distribution{on_top} " + ("; ".join(parts) or (
            "raises the estate's rate" if estate else "raises your rate")) +
        f": the first dollar is taxed at {p['first_dollar_rate']:.1%}, the last at "
        f"{p['last_dollar_rate']:.1%} (average {p['average_rate']:.1%}). " + (
            "All of it is required out of the account this year (IRC §401(a)(9)): it cannot "
            "be put off." if p["amount"] <= required + HALF_CENT else
            "Spreading it over two tax years" + (", or taking part as a plan loan," if loan
                                                 else "") + " may cost less."),
        "IRC §1(e), §1(j)(2)(E), §642(b), §1411" if estate else
        "IRC §1(g), §1(j), §86, §151(d)(5)(C), §1411; Form 8615" if kiddie else
        "IRC §1(j), §86, §151(d)(5)(C), §1411", **{k: p[k] for k in (
            "first_dollar_rate", "last_dollar_rate", "average_rate")})]


def _parent_rate_part(kiddie: dict) -> str:
    """The words of the kiddie tax in the MARGINAL_RATE trap: the unearned income above Form
    8615's threshold (line 2) taxed at the parent's bracket or brackets (§1(g)(1))."""
    lo, hi = kiddie["parent_brackets"]
    brackets = f"{lo:.0%} bracket" if hi <= lo else f"{lo:.0%} and {hi:.0%} brackets"
    return (f"is your unearned income: the kiddie tax (IRC §1(g), Form 8615) taxes the part "
            f"above ${dollars_text(kiddie['threshold'])} at your parent's rate — here your parent's "
            f"{brackets} — where that is more than at your own rates")


def after_tax_to_roth_trap(assessed: dict) -> list[dict]:
    """After-tax money can go to a Roth IRA almost tax-free (Notice 2014-54): the split sends
    the after-tax amounts to a Roth IRA and the pre-tax amounts to a traditional IRA.  What it
    adds is what it sends to the Roth IRA beyond what the plain rollover sends there
    (:func:`_split_adds_to_roth`); the route whose split adds the most is told."""
    split = [(o, _split_adds_to_roth(o)) for o in assessed["outcomes"]
             if o["destination"] == "split_2014_54"]
    if not split:
        return []
    _, more = max(split, key=lambda pair: pair[1])
    r = reason("OC_SPLIT_2014_54")
    return [_trap("AFTER_TAX_TO_ROTH", "After-tax money can go to a Roth IRA tax-free",
                  f"{r.text} Here it sends ${dollars_text(more)} more to a Roth IRA than a "
                  "plain rollover does: that could start growing tax-free.",
                  r.citation, after_tax_to_roth_ira=more)]


def _split_adds_to_roth(split: dict) -> float:
    """What the split outcome ``split`` sends to a Roth IRA beyond the plain rollover: its
    ``to_roth_ira`` less the designated Roth money it rolls (its form of that money, code H),
    which goes to a Roth account under every rollover (IRC §402A(c)(3)(A)) — the after-tax
    basis the split moves out of the traditional IRA (Notice 2014-54)."""
    roth = sum(f["box_1"] for f in split.get("form_1099r") or [] if f["part"] == "rolled_roth")
    return max(0.0, split["to_roth_ira"] - roth)


def capital_gain_tax(law: Law, year: int, filing_status: int, taxable_income: float,
                     gain: float) -> tuple[float, list[float]]:
    """The tax on a long-term ``gain`` stacked on top of ``taxable_income`` (IRC §1(h)(1),
    §1(j)(5)): each part of it at the rate of the bracket it falls in; and those rates."""
    upper = np.append(law.get("capital_gains.thresholds", year, filing_status), np.inf)
    lower = np.concatenate([[0.0], upper[:-1]])
    rates = law.get("capital_gains.rates", year)
    top = taxable_income + gain
    part = np.clip(top, lower, upper) - np.clip(taxable_income, lower, upper)
    return float((part * rates).sum()), [float(r) for r in rates[part > 0]]


@dataclass(frozen=True)
class NuaFigures:
    """Employer stock's figures in a lump-sum distribution this year (IRC §402(e)(4)(B)): its
    ``value``, its ``cost`` to the plan (taxed now as ordinary income: ``cost_tax``, stacked on
    the year's income; ``penalty``, the 10% tax on it unless ``exception``, the §72(t)
    exception that spares the payment, applies — §72(t)(1) reaching only the taxable part),
    the ``nua``, and the tax on the NUA sold this year (``gain_tax``: the tax engine's, §1(h)
    on the taxable income with the cost, the gain filling first any deduction the year's
    income leaves unused; ``cg_rates``, the rates of the bands it falls in); the tax engine of
    the year (``tax``, a loan deemed distributed this year beneath) and its figures with the
    cost (``with_cost``)."""

    value: float
    cost: float
    nua: float
    cost_tax: float
    penalty: float
    rate_72t: float
    gain_tax: float
    cg_rates: list[float]
    tax: TaxOf
    with_cost: TaxWith
    exception: str | None = None

    @property
    def lump(self) -> float:
        """The lump sum's tax: the cost's now, the NUA's when sold."""
        return self.cost_tax + self.penalty + self.gain_tax


def has_nua(case: Case) -> bool:
    """The account holds employer stock worth more than its cost to the plan."""
    stock = case.account.employer_stock
    return stock.value > stock.cost_basis > 0 or (stock.value > 0 and stock.cost_basis == 0)


def lump_sum_exception(case: Case, b: CaseBatch, law: Law) -> str | None:
    """The §72(t) exception that spares the lump sum's taxable part (the shares' cost), found
    by the rule that prices every payment of the plan
    (:func:`dist401k.early_distribution.exceptions`) for the route that would pay it: an heir's
    (paid to a beneficiary on or after the employee's death, §72(t)(2)(A)(ii)), an alternate
    payee's under a QDRO (§72(t)(2)(C)), else the participant's — 59½ (§72(t)(2)(A)(i)),
    disability ((iii)), the rule of 55 or a public safety employee's separation ((v), (t)(10)),
    terminal illness ((L)).  Its reason code; None where none applies."""
    route = ("beneficiary" if case.beneficiary is not None
             else QDRO_ROUTES[0] if case.alternate_payee is not None
             else "in_service" if case.employment.status == "active" else "separation")
    found = exceptions(b, Facts.of(b, law), route)
    return next((code for code, applies in found.items() if applies[0]), None)


def sale_tax(law: Law, tax: TaxOf, ordinary: float, gains, nii) -> tuple[np.ndarray, np.ndarray]:
    """The federal tax that ``ordinary`` income and the long-term ``gains`` of selling the
    shares (one year each, on the year's other income of ``tax``) add to the year's, and the
    taxable income with them.  The tax engine prices it: §1(h) taxes the gain that is in
    taxable income, stacked on the ordinary income (what fills the deductions left unused is
    not taxed; the AMT, Social Security and the senior deduction follow the AGI); the §1411 tax
    reaches only the part ``nii`` of the gains — the NUA realized is a distribution from a
    qualified plan, not net investment income (§1411(c)(5); Instructions for Form 8960), though
    it raises the MAGI the tax is measured by."""
    gains = np.atleast_1d(np.asarray(gains, dtype=float))
    k = len(gains)
    units = tax.units.repeat(k)
    units = units.replace(taxable_distributions=units.taxable_distributions + ordinary,
                          long_term_gains=units.long_term_gains + gains)
    lookup = tax.lookup.repeat(k)
    more = federal_tax(units, law, lookup)
    investment = (units.taxable_interest + units.ordinary_dividends + units.long_term_gains
                  - (gains - np.asarray(nii, dtype=float)))
    niit = net_investment_income_tax(lookup, investment, more["agi"])
    added = more["income_tax"] - more["niit"] + niit - float(tax.base_1040["income_tax"][0])
    return added, np.asarray(more["taxable_income"], dtype=float)


def nua_figures(case: Case, assessed: dict, profile: dict, law: Law) -> NuaFigures | None:
    """The :class:`NuaFigures` of the case; None where it holds no stock with appreciation or
    its plan cannot pay NUA (:func:`nua_possible`)."""
    if not (has_nua(case) and nua_possible(case)):
        return None
    stock, year = case.account.employer_stock, case.request.date.year
    b = CaseBatch.from_cases([case])
    # The cost is ordinary income stacked on the year's (a loan deemed distributed this year
    # included, as every option's): taxed through the brackets it fills.
    tax = TaxOf(b, law, float(profile.get("loan_deemed_this_year") or 0.0))
    with_cost = tax.federal_with(stock.cost_basis)
    # The 10% tax reaches the cost only where no exception spares the payment.
    exception = lump_sum_exception(case, b, law)
    rate_72t = float(law.get("early_distributions.additional_tax_rate", year))
    penalty = rate_72t * stock.cost_basis if exception is None else 0.0
    nua = stock.value - stock.cost_basis
    # The NUA sold this year, on top of the cost: the tax it adds to the cost's.
    added, taxable = sale_tax(law, tax, stock.cost_basis, [0.0, nua], [0.0, 0.0])
    _, cg_rates = capital_gain_tax(law, year, CODE[case.person.filing_status], float(taxable[0]),
                                   float(taxable[1] - taxable[0]))
    return NuaFigures(value=stock.value, cost=stock.cost_basis, nua=nua,
                      cost_tax=float(with_cost.increase[0]), penalty=penalty, rate_72t=rate_72t,
                      gain_tax=float(added[1] - added[0]), cg_rates=cg_rates, tax=tax,
                      with_cost=with_cost, exception=exception)


def nua_trap(case: Case, assessed: dict, profile: dict, law: Law) -> list[dict]:
    """Employer stock with net unrealized appreciation: in a lump-sum distribution only its
    cost is taxed now, the appreciation at capital gain rates when sold (IRC §402(e)(4)(B),
    (D); Notice 98-24).  Only from a §401(a) plan: in a 403(b) or a governmental 457(b) the
    trap is that there is no such treatment (§402(e)(4)(D)(i))."""
    stock = case.account.employer_stock
    if not has_nua(case):
        return []
    nua = stock.value - stock.cost_basis
    f = nua_figures(case, assessed, profile, law)
    if f is None:
        r = reason("OC_NO_NUA")
        return [_trap("NUA_NOT_AVAILABLE", "Employer stock: no NUA treatment from this plan",
                      f"{r.text} Here ${dollars_text(nua)} of appreciation is taxed as income.",
                      r.citation, nua=nua)]
    t_later = case.assumptions.later_tax_rate if case.assumptions.later_tax_rate is not None \
        else later_rate_default(profile)
    roll = stock.value * t_later
    return [_trap(
        "NUA", "Employer stock: a lump sum taxed on its cost may beat a rollover",
        f"In a lump-sum distribution the shares' cost (${dollars_text(stock.cost_basis)}) is taxed "
        f"now as income (about ${dollars_text(f.cost_tax)}"
        + (f", plus ${dollars_text(f.penalty)} of {f.rate_72t:.0%} tax before 59½" if f.penalty else "")
        + f") and the ${dollars_text(nua)} of net unrealized appreciation only when sold, at long-term "
        f"capital gain rates (about ${dollars_text(f.gain_tax)} at "
        f"{' and '.join(f'{r:.0%}' for r in f.cg_rates) or '0%'}, on top of this year's "
        f"income): about ${dollars_text(f.lump)} in all. Rolled to an IRA, all "
        f"${dollars_text(stock.value)} is taxed as income when withdrawn (about "
        f"${dollars_text(roll)} at {t_later:.0%}). The lump sum "
        "needs a triggering event (separation, 59½, death) and the whole balance paid within "
        "one year.",
        "IRC §402(e)(4)(B), (D), §1(h)(1); Notice 98-24; IRS Publication 575",
        lump_sum_tax=f.lump, rollover_tax=roll, nua=nua)]


def nua_possible(case: Case) -> bool:
    """Whether the case's plan can pay a lump sum with net unrealized appreciation: a §401(a)
    plan's trust, never a 403(b) or a governmental 457(b) (IRC §402(e)(4)(D)(i))."""
    return PLAN_TYPES.index(case.plan.type) in NUA_PLAN_TYPES


def qcd_from_plan_trap(case: Case, assessed: dict, law: Law) -> list[dict]:
    """From 70½ a plan cannot pay a qualified charitable distribution (IRC §408(d)(8)(B): an
    IRA only): the warning of :func:`dist401k.qcd.qcd_from_plan` as a trap, with its figure (its
    advice the heir's where the case is an heir's: :func:`dist401k.qcd.what_to_do`)."""
    w = qcd_from_plan(case, assessed["outcomes"], law)
    if w is None:
        return []
    return [_trap(QCD_CODE, QCD_TITLE, w.text, w.citation, qcd_limit=w.qcd_limit)]


QDRO_CITATION = "IRC §72(t)(1), (t)(2)(C); §402(e)(1)(B); Pub. 575, Alternate payee under a QDRO"
#: The trap's taxable part where the share holds after-tax basis or designated Roth money.
PRO_RATA_CITATION = ("IRC §72(e)(8), §72(m)(10); §408(d)(1)-(2); Form 8606, Part I; "
                     "Treas. Reg. §1.408A-10, Q&A-3")


def qdro_rolled(share: float, rows: list[dict]) -> tuple[float, float, bool]:
    """What the QDRO trap figures its tax on, from the ``qdro`` rows the table shows: where
    they offer a rollover (to an IRA, another plan, the 60-day rollover), the most one of them
    would roll (the cash option beside it is another choice, not a part taken first); where
    the request takes only cash, what that payment leaves of the ``share`` (nothing where it
    takes the whole share: the exception then covers all of it).  Returns the amount, the
    cash a cash-only request takes (0 where a rollover is offered) and whether it is a rollover's."""
    paid = [o for o in rows if o["route"] == "qdro" and o["gross"] > HALF_CENT]
    rolled = [o["gross"] for o in paid if o["destination"] != "cash"]
    if rolled:
        return max(rolled), 0.0, True
    taken = next((o["gross"] for o in paid if o["destination"] == "cash"), 0.0)
    return max(0.0, share - taken), taken, False


#: Where the QDRO trap takes the rolled money to go, the first the rows offer: a traditional IRA
#: (a direct or 60-day rollover, or the Notice 2014-54 split), another plan, a Roth IRA (a
#: conversion); a cash-only request's rest is taken to a traditional IRA.
QDRO_FIGURED_DESTINATIONS = ("traditional_ira", "indirect_60day", "split_2014_54", "other_plan",
                             "roth_ira")


@dataclass(frozen=True)
class ShareParts:
    """The alternate payee's share by character: its vested non-Roth money, the after-tax basis
    in it (``account.sources.after_tax.basis``: the share's part of the participant's investment
    in the contract, §72(m)(10)), its designated Roth money and the Roth contributions in it
    (``account.sources.<roth source>.contributions``), each basis at most its balance."""

    nonroth: float
    basis: float
    roth: float
    roth_basis: float

    @property
    def total(self) -> float:
        return self.nonroth + self.roth


def share_parts(case: Case) -> ShareParts:
    """The share's :class:`ShareParts`, from its sources."""
    nonroth = basis = roth = roth_basis = 0.0
    for k, src in enumerate(SOURCES):
        held = case.account.sources.get(src)
        if held is None:
            continue
        vested = held.balance * held.vested
        if ROTH[k]:
            roth += vested
            roth_basis += min(held.contributions, vested)
        else:
            nonroth += vested
            basis += min(held.basis, vested) if AFTER_TAX[k] else 0.0
    return ShareParts(nonroth, basis, roth, roth_basis)


def qdro_figured_destination(rows: list[dict]) -> str:
    """Where the trap takes the rolled money to go (:data:`QDRO_FIGURED_DESTINATIONS`)."""
    offered = {o["destination"] for o in rows if o["route"] == "qdro" and o["gross"] > HALF_CENT}
    return next((d for d in QDRO_FIGURED_DESTINATIONS if d in offered), "traditional_ira")


def qdro_roth_taxable(parts: ShareParts, rows: list[dict]) -> float:
    """The part of a dollar of the share that is designated Roth money and would be taxable
    taken out of the Roth IRA it is rolled to: none where the plan's payment is qualified (all
    of it is then the Roth IRA's contributions), else its earnings — all but the Roth
    contributions, which become the Roth IRA's (Treas. Reg. §1.408A-10, Q&A-3; §408A(d)(4)).
    Qualified or not as the rows' outcome says (``OC_ROTH_QUALIFIED``)."""
    if parts.roth <= HALF_CENT:
        return 0.0
    qualified = any(r["code"] == "OC_ROTH_QUALIFIED" for o in rows if o["route"] == "qdro"
                    for r in o["reasons"])
    return 0.0 if qualified else (parts.roth - parts.roth_basis) / parts.total


def qdro_taxable_if_taken(case: Case, law: Law, rest: float, rows: list[dict],
                          out: float | None = None) -> float:
    """The taxable part of ``out`` (all of it where None) taken out before 59½ of ``rest`` of
    the share rolled over, on which the 10% tax falls (§72(t)(1): on the amount includible in
    gross income).  The rolled money's non-Roth part and the after-tax basis in it are the
    share's pro rata (§72(e)(8)).  In a traditional IRA all traditional IRAs are one
    (§408(d)(2)): Form 8606 Part I, line 2 the case's IRA basis (``iras.traditional_basis``) and
    the basis rolled in (none by the Notice 2014-54 split, which sends it to a Roth IRA
    tax-free), line 6 what the IRAs hold at year end (``iras.traditional`` and what is rolled in
    and not taken out; growth ignored), line 7 what is taken out, the nontaxable part line 12
    (line 10 rounded as the form allows).  In another plan, its own pro rata rule (§72(e)(8));
    converted to a Roth IRA, the part the conversion taxed (§408A(d)(3)(F)).  The Roth part:
    :func:`qdro_roth_taxable`."""
    parts = share_parts(case)
    if parts.total <= HALF_CENT or rest <= HALF_CENT:
        return 0.0
    share = (rest if out is None else min(out, rest)) / rest
    nonroth = rest * parts.nonroth / parts.total
    basis = rest * parts.basis / parts.total
    roth_taxable = share * rest * qdro_roth_taxable(parts, rows)
    dest = qdro_figured_destination(rows)
    if dest in ("other_plan", "roth_ira"):
        return share * (nonroth - basis) + roth_taxable
    split = dest == "split_2014_54"
    to_ira = nonroth - basis if split else nonroth
    taken = share * to_ira
    got = lines(np.asarray(0.0), np.asarray(case.iras.traditional_basis + (0.0 if split else basis)),
                np.asarray(case.iras.traditional + to_ira - taken), np.asarray(taken),
                np.asarray(0.0), law.get(PLACES, case.request.date.year))
    return taken - float(got["line_12"]) + roth_taxable


def qdro_rollover_trap(case: Case, assessed: dict, law: Law, rows: list[dict] | None = None) -> list[dict]:
    """A spouse or former spouse paid under a QDRO before 59½: the plan's payment owes no 10%
    additional tax (IRC §72(t)(2)(C)), but the exception is the plan's — rolled to an IRA
    (§402(e)(1)(B)), the money taken out of the IRA before 59½ owes it (§72(t)(1)).  Take from
    the plan the cash needed before 59½ and roll only the rest.  The figures: the share open
    now, the cash a cash-only request takes from it, the amount figured (:func:`qdro_rolled`:
    what the rollover options would roll, else what the cash payment leaves), and the 10% tax
    that amount would owe if taken from an IRA before 59½ on its taxable part
    (:func:`qdro_taxable_if_taken`: the share's after-tax basis comes out pro rata).  No trap where
    nothing would be rolled (the whole share taken in cash).  ``rows``: the outcomes as the
    table shows them (the assessment's where None)."""
    share = next((s["available"] for s in assessed["route_summary"]
                  if s["route"] == "qdro" and s["eligible"]), 0.0)
    if assessed["reached_59_half"] or share <= HALF_CENT:
        return []
    rows = assessed["outcomes"] if rows is None else rows
    rest, taken, is_rollover = qdro_rolled(share, rows)
    if rest <= HALF_CENT:
        return []
    taxable = amount(qdro_taxable_if_taken(case, law, rest, rows))
    year = case.request.date.year
    rate = float(law.get("early_distributions.additional_tax_rate", year))
    owed = amount(rate * taxable)
    state_rate, state_cite = state_early_rate(law, case.person.state, year, rate)
    state_owed = amount(state_rate * taxable)
    on = assessed["age_59_half_on"]
    what = ("you would roll over" if is_rollover
            else "left after this payment" if taken > HALF_CENT else "of your share")
    text = (f"Paid from the plan under the QDRO, your share owes no {rate:.0%} additional tax "
            "at any age. The exception stays in the plan: what you roll to an IRA or another plan and "
            f"take out before 59½ (on {on}) owes the {rate:.0%} tax, unless another exception "
            f"covers it — up to ${dollars_text(owed)} on the ${dollars_text(rest)} {what}"
            + (f" (on its taxable ${dollars_text(taxable)}: after-tax money comes out tax-free pro rata, "
               "in an IRA by Form 8606)" if taxable < rest - HALF_CENT else "")
            + (f", and {case.person.state}'s own tax on early distributions another "
               f"${dollars_text(state_owed)} while you live there" if state_owed > HALF_CENT else "")
            + ". Take from the plan the cash you need before 59½ and roll only the rest.")
    cite = [QDRO_CITATION] + ([PRO_RATA_CITATION] if taxable < rest - HALF_CENT else [])
    return [_trap("QDRO_ROLLOVER", "Rolling a QDRO payment over loses its 10% exception",
                  text, "; ".join([*cite, *state_cite]), share=amount(share),
                  cash_from_plan=amount(taken), rest=amount(rest), taxable_if_from_ira=taxable,
                  additional_tax_if_from_ira=owed, state_additional_tax_if_from_ira=state_owed,
                  age_59_half_on=on)]


#: The states' own taxes on early distributions, by their law file: a rate of the amount
#: (California's 2.5%, R&TC §17085(c)(1)) or a share of the federal §72(t) tax (Arkansas's
#: 10%, Vermont's 24%, Wisconsin's 33%).
STATE_EARLY_TAX = {"CA": ("state.ca.early_distribution_rate", False),
                   "AR": ("state.ar.early_distribution_share", True),
                   "VT": ("state.vt.federal_additional_tax_share", True),
                   "WI": ("state.wi.federal_additional_tax_share", True)}


def state_early_rate(law: Law, state: str | None, year: int,
                     federal_rate: float) -> tuple[float, list[str]]:
    """The rate of ``state``'s own additional tax on an early distribution, as a fraction of
    the amount, and its citation (0 and none where the state has none, or none that year)."""
    if state not in STATE_EARLY_TAX:
        return 0.0, []
    name, of_federal = STATE_EARLY_TAX[state]
    try:
        value = float(law.get(name, year))
    except LawError:
        return 0.0, []
    return (value * federal_rate if of_federal else value), [law.citation(name)]
