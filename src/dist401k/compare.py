"""“Should I?” — the options for a request side by side, now and at a horizon, and the traps.

Each option's figures today come from the assessment (the same rules and tax engine); the
projection is deterministic and its assumptions travel with the result: money left in the
plan grows at the return less the plan's expenses, money in an IRA less the IRA's, money in a
product less its expenses and any surrender charge; pre-tax money is valued after the tax
expected when it is withdrawn later, Roth money tax-free.
"""

from __future__ import annotations

import numpy as np

from dist401k.assess import assess_cases
from dist401k.basis import ira_pro_rata
from dist401k.batch import CaseBatch
from dist401k.case import Case
from dist401k.dates import fractional_age, reached
from dist401k.explain import reason
from dist401k.law.loader import Law, default_law
from dist401k.outcome import tax_units
from dist401k.state_outcome import state_tax_shown
from dist401k.tax import federal_tax

LABELS = {"cash": "take it in cash", "traditional_ira": "roll to a traditional IRA",
          "roth_ira": "roll to a Roth IRA (convert)", "other_plan": "roll to another plan",
          "split_2014_54": "split: pre-tax to IRA, after-tax to Roth IRA",
          "indirect_60day": "60-day rollover"}


def _marginal_profile(case: Case, amount: float, law: Law) -> dict:
    """The year's tax without and with ``amount`` more taxable income, part by part, and the
    marginal rate of the first and of the last dollar."""
    b = CaseBatch.from_cases([case])
    extra = np.array([0.0, 1.0, amount, amount + 1.0])
    units = tax_units(b.take(np.zeros(4, dtype=int)), extra)
    r = federal_tax(units, law)
    at = {k: np.asarray(v, dtype=float) for k, v in r.items() if k != "projected"}
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
        "brackets": _bracket_of(law, case, at["taxable_income"][[0, 2]]),
    }


def _bracket_of(law: Law, case: Case, taxable) -> tuple[float, float]:
    from dist401k.law.filing_status import CODE

    year = case.request.date.year
    fs = CODE[case.person.filing_status]
    upper = law.get("income_tax.brackets", year, fs)
    rates = law.get("income_tax.rates", year)
    idx = np.searchsorted(upper, taxable, side="left")
    return float(rates[idx[0]]), float(rates[idx[1]])


def _grow(amount, rate, years):
    return amount * (1.0 + rate) ** years


def _add_sepp_options(case: Case, law: Law, add, gross_max: float) -> None:
    """A 72(t) series as a way to the money before 59½ (IRC §72(t)(2)(A)(iv)): its first
    year's payment by each method, taxed as income, free of the 10% tax; the rest stays."""
    from dist401k.sepp import METHODS, sepp_cases

    r = sepp_cases([case], law)[0]
    if not r["available"]:
        return
    b = CaseBatch.from_cases([case])
    for m in METHODS:
        pay = float(r["first_year"][m])
        units = tax_units(b.take(np.zeros(2, dtype=int)), np.array([0.0, pay]))
        tax = federal_tax(units, law)["income_tax"]
        cost = float(tax[1] - tax[0])
        add(f"sepp:{m}", f"72(t) series, {m.replace('_', ' ')} method: first year", pay,
            pay - cost, cost, 0.0, 0.0, in_plan=max(0.0, gross_max - pay), check=pay,
            kept=pay - cost,
            notes=[f"then about ${pay:,.0f} a year until {r['series_ends']}; changing it "
                   "earlier recaptures the 10% tax with interest (§72(t)(4))"])


def _in_hand(row: dict | None) -> float:
    """What a cash row leaves in hand both now and after the year's taxes are settled."""
    return min(row["check_received"], row["kept_after_all_tax"]) if row else 0.0


def _cash_rows_at(case: Case, law: Law, routes: list[str], grosses: list[float]) -> list:
    """The cash outcome of route ``routes[k]`` when ``grosses[k]`` is asked for (one batch)."""
    asked = [case.model_copy(update={"request": case.request.model_copy(
        update={"amount": round(g, 2), "destination": "cash"})}) for g in grosses]
    return [next((o for o in r["outcomes"] if o["route"] == name
                  and o["destination"] == "cash"), None)
            for name, r in zip(routes, assess_cases(asked, law), strict=True)]


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
    for _ in range(20):
        f = np.array([_in_hand(r) for r in rows])
        paid = np.array([r["gross"] if r else 0.0 for r in rows])
        short = need - f
        capped = paid < g - 0.005  # the route pays no more than this
        if np.all((np.abs(short) < 0.005) | (short < 0) & (g <= need) | capped):
            break
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = np.where(g > g_prev, (f - f_prev) / (g - g_prev), np.nan)
        slope = np.where(np.isfinite(slope) & (slope > 0.01), slope, 1.0)
        g_prev, f_prev = g, f
        g = np.where(capped | (np.abs(short) < 0.005), g, np.maximum(g + short / slope, need))
        g = np.ceil(g * 100) / 100
        rows = _cash_rows_at(case, law, routes, g.tolist())
    return {name: r for name, r in zip(routes, rows, strict=True) if r is not None}


def meets_need(option: dict, need: float) -> bool:
    """The option's check and what it keeps after all tax both reach the need (to the cent)."""
    return min(option["check_received"], option["kept_after_all_tax"]) >= need - 0.005


def compare_case(case: Case, law: Law | None = None) -> dict:
    """The comparison of one case: options, projections by year, traps, assumptions."""
    law = law or default_law()
    assessed = assess_cases([case], law)[0]
    a = case.assumptions
    age_now = float(fractional_age(np.datetime64(case.person.birth_date, "D"),
                                   np.datetime64(case.request.date, "D")))
    horizons = sorted({*a.horizon_ages, *([a.retirement_age] if a.retirement_age else [])})
    horizons = [h for h in horizons if h > age_now] or [age_now + 10]
    years_max = int(np.ceil(max(horizons) - age_now))
    outcomes = assessed["outcomes"]
    need = case.request.need
    if need:
        # "I need this much in hand": each cash option priced at the gross that delivers it.
        at_need = rows_for_need(case, law, outcomes, need)
        outcomes = [at_need.get(o["route"], o) if o["destination"] == "cash" else o
                    for o in outcomes]
    gross_max = max([o["gross"] for o in outcomes] or [0.0])
    taxable_share = max([o["taxable"] / o["gross"] for o in outcomes
                         if o["destination"] == "cash" and o["gross"] > 0] or [1.0])
    profile = _marginal_profile(case, gross_max * taxable_share, law)
    t_later = a.later_tax_rate if a.later_tax_rate is not None else profile["first_dollar_rate"]
    r_plan = a.growth - a.plan_expense
    r_ira = a.growth - a.ira_expense
    options = []

    def add(name, label, gross, cash_now, taxes, penalty, withholding, in_plan=0.0, in_ira=0.0,
            in_roth=0.0, ira_pretax_share=None, notes=(), paid_from_pay=0.0, product=0.0,
            paid_outside=0.0, check=0.0, kept=0.0, why=None, state=None):
        """Value each year: pre-tax money after the later tax, Roth and basis tax-free, less
        what paying today's tax from other money would have grown to."""
        ira_share = taxable_share if ira_pretax_share is None else ira_pretax_share

        def value_at(t):
            v = (_grow(in_plan, r_plan, t) * (1 - taxable_share * t_later)
                 + _grow(in_ira, r_ira, t) * (1 - ira_share * t_later)
                 + _grow(in_roth, r_ira, t) - _grow(paid_outside, r_ira, t))
            if product:
                rp = (a.product_growth if a.product_growth is not None else a.growth) \
                    - a.product_expense
                sched = np.array(a.surrender_schedule + [0.0])
                charge = sched[np.minimum(np.floor(t).astype(int), len(sched) - 1)]
                v = v + _grow(product, rp, t) * (1 - charge) * (1 - ira_share * t_later)
            return v

        value = value_at(np.arange(years_max + 1, dtype=float))
        at = {f"{h:g}": float(value_at(np.array([h - age_now]))[0]) for h in horizons}
        options.append({
            "option": name, "label": label, "gross": round(gross, 2),
            "check_received": round(check, 2), "kept_after_all_tax": round(kept, 2),
            "cash_now": round(cash_now, 2), "income_tax_now": round(taxes, 2),
            "penalty_now": round(penalty, 2), "withholding": round(withholding, 2),
            "refund_or_due_later": round(withholding - taxes - penalty, 2),
            "paid_from_pay": round(paid_from_pay, 2),
            "after_tax_value_at": {k: round(v, 2) for k, v in at.items()},
            "by_year": [round(float(v), 2) for v in value], "notes": list(notes),
            "why": why, **(state or {})})

    # Leave it in the plan: the same money, valued later after tax.
    add("leave", "leave it in the plan", gross_max, 0.0, 0.0, 0.0, 0.0, in_plan=gross_max,
        notes=["nothing now; grows at the plan's return less its expenses"])
    for o in outcomes:
        rest = max(0.0, gross_max - o["gross"])
        name = f"{o['route']}:{o['destination']}"
        if o["route"] == "loan":
            loan = o.get("loan", {})
            paid = loan.get("payment", 0.0) * loan.get("payments_per_year", 0.0) * loan.get(
                "term_years", 0.0)
            notes = [f"repaid {loan.get('payments_per_year', 0):.0f}× a year "
                     f"${loan.get('payment', 0):,.2f} for {loan.get('term_years', 0):.0f} years "
                     f"from pay (${paid:,.0f} in all), interest paid to your own account"]
            if a.leave_job_in_years is not None and a.leave_job_in_years < loan.get(
                    "term_years", 5):
                notes.append("leaving the job before it is repaid: the balance still owed is "
                             "offset and taxed (plus 10% before 59½) unless rolled over by the "
                             "return's due date")
            # The loan is repaid into the account: the money is back, minus the growth it
            # missed while lent at the loan rate instead of the market's.
            lent = o["gross"]
            rate = case.plan.loans.interest_rate
            term = loan.get("term_years", 5.0)
            missed = lent * ((1 + r_plan) ** term - (1 + rate) ** term) if r_plan > rate else 0.0
            add(name, "plan loan", o["gross"], o["net_cash"], 0.0, 0.0, 0.0,
                in_plan=max(0.0, gross_max - missed), notes=notes, paid_from_pay=paid,
                check=o["check_received"], kept=o["kept_after_all_tax"], why=o["why"],
                state=state_now(o))
            continue
        label = f"{o['route'].replace('_', ' ')}: {LABELS[o['destination']]}"
        dest = o["destination"]
        paid_now = o["income_tax_increase"] + o["additional_tax_72t"] + sum(
            v or 0.0 for v in state_now(o).values() if not isinstance(v, bool))
        # A direct rollover's tax now (a Roth conversion) is paid from other money.
        outside = paid_now if dest in ("roth_ira", "traditional_ira", "other_plan",
                                       "split_2014_54", "indirect_60day") else 0.0
        if dest == "roth_ira":
            in_ira, in_roth, share = 0.0, o["to_roth_ira"], None
        elif dest == "split_2014_54":
            in_ira, in_roth, share = o["to_traditional_ira"], o["to_roth_ira"], 1.0
        else:
            in_ira, in_roth, share = o["to_traditional_ira"] + o["to_roth_ira"], 0.0, None
        add(name, label, o["gross"], o["after_all_taxes"] if dest == "cash" else o["net_cash"],
            o["income_tax_increase"], o["additional_tax_72t"], o["withholding"],
            in_plan=o["to_plan"] + rest, in_ira=in_ira, in_roth=in_roth, ira_pretax_share=share,
            paid_outside=outside, check=o["check_received"], kept=o["kept_after_all_tax"],
            why=o["why"], state=state_now(o),
            notes=[r["text"] for r in o["reasons"] if r["code"].startswith("OC_RULE_55")])
        if a.surrender_schedule and dest == "traditional_ira":
            add(f"{o['route']}:product", f"{o['route'].replace('_', ' ')}: roll into the product",
                o["gross"], 0.0, 0.0, 0.0, 0.0, product=o["to_traditional_ira"],
                in_ira=o["to_roth_ira"], in_plan=rest, notes=[
                    f"surrender charges {', '.join(f'{c:.1%}' for c in a.surrender_schedule)} "
                    f"by contract year; expenses {a.product_expense:.2%} a year"])
    if case.sepp is not None:
        _add_sepp_options(case, law, add, gross_max)
    # With a stated need, only an option that puts it in hand can be the answer.
    candidates = [o for o in options if meets_need(o, need)] if need else options
    best = {}
    for h in horizons:
        key = f"{h:g}"
        top = max(candidates or options, key=lambda x: x["after_tax_value_at"][key])
        best[key] = top["option"]
    return {
        "case_id": case.id, "request_date": str(case.request.date), "age": round(age_now, 2),
        "assumptions": {"growth": a.growth, "plan_expense": a.plan_expense,
                        "ira_expense": a.ira_expense, "product_expense": a.product_expense,
                        "surrender_schedule": a.surrender_schedule, "later_tax_rate": t_later,
                        "later_tax_rate_source": "given" if a.later_tax_rate is not None else
                        "today's marginal rate", "horizon_ages": horizons,
                        "years": list(range(years_max + 1))},
        "options": options, "best_at": best, "need": need_answer(need, candidates, best),
        "notes": assessed["notes"], "marginal": profile,
        "traps": traps(case, assessed, profile, law), "assessment": assessed,
    }


def state_now(outcome: dict) -> dict:
    """An option's state taxes now, where the case gives a state (null: not covered yet)."""
    if "state_covered" not in outcome:
        return {}
    return {"state_income_tax_now": outcome["state_income_tax_increase"],
            "state_additional_tax_now": outcome["state_additional_tax"],
            "state_covered": outcome["state_covered"]}


def option_state_tax(option: dict) -> str:
    """A table's "state tax" cell for an option ("leave it" pays none)."""
    if "state_covered" not in option:
        return "0"
    return state_tax_shown(option, "state_income_tax_now", "state_additional_tax_now")


def need_answer(need: float | None, candidates: list[dict], best: dict) -> dict | None:
    """"I need $X in hand": the gross to ask for by the best option that delivers it."""
    if not need:
        return None
    if not candidates:
        return {"in_hand": need, "met": False, "option": None, "gross_to_ask": None,
                "check_received": None, "kept_after_all_tax": None}
    top = next(o for o in candidates if o["option"] == next(iter(best.values())))
    return {"in_hand": need, "met": True, "option": top["option"], "gross_to_ask": top["gross"],
            "check_received": top["check_received"],
            "kept_after_all_tax": top["kept_after_all_tax"]}


def need_sentence(cmp: dict) -> str:
    """The answer to "I need $X in hand": the gross to ask for, and by which option."""
    n = cmp["need"]
    if not n["met"]:
        return (f"You need ${n['in_hand']:,.0f} in hand: no option delivers it now, both as the "
                "check and after all tax.")
    label = next(o["label"] for o in cmp["options"] if o["option"] == n["option"])
    return (f"You need ${n['in_hand']:,.0f} in hand: ask for ${n['gross_to_ask']:,.2f} gross "
            f"({label}): the check is ${n['check_received']:,.2f}, and "
            f"${n['kept_after_all_tax']:,.2f} is kept after all tax.")


def _trap(code: str, title: str, text: str, citation: str, **figures) -> dict:
    return {"code": code, "title": title, "text": text, "citation": citation,
            "figures": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in figures.items()}}


def traps(case: Case, assessed: dict, profile: dict, law: Law) -> list[dict]:
    """The traps that apply to this case, each with its figures and its rule."""
    out = []
    outcomes = assessed["outcomes"]
    iras = case.iras
    # 1. Pro rata: a rollover into a traditional IRA this year dilutes a backdoor Roth.
    rolled = max([o["to_traditional_ira"] for o in outcomes] or [0.0])
    if iras.backdoor_roth_planned > 0 and (rolled > 0 or iras.traditional > 0):
        basis = iras.traditional_basis + iras.backdoor_roth_planned
        conv = iras.backdoor_roth_planned
        _, _, taxable_before, _, _ = ira_pro_rata(basis, iras.traditional, 0.0, conv)
        _, _, taxable_after, _, _ = ira_pro_rata(basis, iras.traditional + rolled, 0.0, conv)
        remedy = ("Your plan accepts roll-ins: roll the IRA's pre-tax money into the plan before "
                  "December 31 (only pre-tax money can go), and the year-end value falls to zero."
                  if case.plan.accepts_rollins else
                  "Keep the pre-tax money out of traditional IRAs at year end (another employer "
                  "plan that accepts roll-ins), or skip the backdoor this year.")
        out.append(_trap(
            "PRO_RATA", "A rollover to a traditional IRA makes your backdoor Roth mostly taxable",
            f"With ${rolled:,.0f} rolled in, Form 8606 counts all traditional IRAs at year end: "
            f"{float(taxable_after) / conv:.1%} of the ${conv:,.0f} conversion is taxable "
            f"(${float(taxable_after):,.0f}), against {float(taxable_before) / conv:.1%} "
            f"without the rollover. {remedy}",
            "IRC §408(d)(2); Form 8606 Part I, lines 6–14", rolled=rolled,
            taxable_share=float(taxable_after) / conv, taxable_share_without=float(
                taxable_before) / conv))
    # 2. Rule of 55 / 457(b) lost by rolling to an IRA before 59½.
    lost = [o for o in outcomes if any(r["code"] == "OC_RULE_55_LOST" for r in o["reasons"])]
    if lost:
        r = reason("OC_RULE_55_LOST")
        out.append(_trap("RULE_55_LOST", "Rolling to an IRA loses your penalty-free access",
                         r.text + " Take what you need before 59½ from the plan itself.",
                         r.citation, destinations=sorted({o["destination"] for o in lost})))
    # 3. IRA-only exceptions.
    purpose = case.request.purpose
    if purpose in ("tuition", "home_purchase") and not assessed["reached_59_half"]:
        cash = [o for o in outcomes if o["destination"] == "cash" and o["additional_tax_72t"] > 0]
        saved = max([o["additional_tax_72t"] for o in cash] or [0.0])
        if purpose == "home_purchase":
            year = case.request.date.year
            saved = min(saved, float(law.get("early_distributions.additional_tax_rate", year))
                        * float(law.get("early_distributions.first_home_lifetime_cap", year)))
        out.append(_trap(
            "IRA_ONLY_EXCEPTION", "This exception is for IRAs only",
            ("Higher-education expenses" if purpose == "tuition" else
             "A first home (up to $10,000 in a lifetime)") +
            " escape the 10% tax only from an IRA: a plan distribution pays it. Rolling to an "
            "IRA first (where the plan allows a distribution) and taking it from there saves "
            f"up to ${saved:,.0f} of additional tax — but penalty-free is not tax-free: the "
            "income tax is the same.", "IRC §72(t)(2)(E), (F), (t)(8)", penalty_saved=saved))
    # 4. Bracket and cliffs.
    p = profile
    if p["amount"] > 0 and (p["last_dollar_rate"] > p["first_dollar_rate"] + 0.005 or
                            p["extra_taxable_social_security"] > 0 or
                            p["senior_deduction_lost"] > 0 or p["extra_niit"] > 0):
        parts = []
        if p["brackets"][1] > p["brackets"][0]:
            parts.append(f"moves you from the {p['brackets'][0]:.0%} to the "
                         f"{p['brackets'][1]:.0%} bracket")
        if p["extra_taxable_social_security"] > 0:
            parts.append(f"makes ${p['extra_taxable_social_security']:,.0f} more of your Social "
                         "Security taxable")
        if p["senior_deduction_lost"] > 0:
            parts.append(f"trims the senior deduction by ${p['senior_deduction_lost']:,.0f}")
        if p["extra_niit"] > 0:
            parts.append(f"adds ${p['extra_niit']:,.0f} of net investment income tax")
        out.append(_trap(
            "MARGINAL_RATE", "The distribution raises the rate on every extra dollar",
            f"${p['amount']:,.0f} of taxable distribution " + ("; ".join(parts) or
                                                                "raises your rate") +
            f": the first dollar is taxed at {p['first_dollar_rate']:.1%}, the last at "
            f"{p['last_dollar_rate']:.1%} (average {p['average_rate']:.1%}). Spreading it over "
            "two tax years, or taking part as a loan, may cost less.",
            "IRC §1(j), §86, §151(d)(5)(C), §1411", **{k: p[k] for k in (
                "first_dollar_rate", "last_dollar_rate", "average_rate")}))
    # 5. After-tax money to a Roth IRA almost tax-free.
    split = [o for o in outcomes if o["destination"] == "split_2014_54"]
    if split:
        s = max(split, key=lambda o: o["to_roth_ira"])
        r = reason("OC_SPLIT_2014_54")
        out.append(_trap("AFTER_TAX_TO_ROTH", "After-tax money can go to a Roth IRA tax-free",
                         f"{r.text} Here ${s['to_roth_ira']:,.0f} could start growing tax-free.",
                         r.citation, to_roth_ira=s["to_roth_ira"]))
    # 6. Employer stock with net unrealized appreciation.
    stock = case.account.employer_stock
    if stock.value > stock.cost_basis > 0 or (stock.value > 0 and stock.cost_basis == 0):
        nua = stock.value - stock.cost_basis
        t_now = profile["first_dollar_rate"]
        under = not assessed["reached_59_half"]
        # The 10% tax reaches the cost only where no exception covers a payout (the rule of
        # 55 after separation, for one).
        sep = [o for o in outcomes if o["route"] == "separation" and o["destination"] == "cash"
               and o["taxable"] > 0]
        excepted = bool(sep) and all(o["additional_tax_72t"] == 0 for o in sep)
        rate_72t = law.get("early_distributions.additional_tax_rate", case.request.date.year)
        penalty = float(rate_72t) * stock.cost_basis if under and not excepted else 0.0
        cg = law.get("capital_gains.rates", case.request.date.year)[1]
        lump = stock.cost_basis * t_now + penalty + nua * cg
        t_later = case.assumptions.later_tax_rate if case.assumptions.later_tax_rate is not None \
            else t_now
        roll = stock.value * t_later
        out.append(_trap(
            "NUA", "Employer stock: a lump sum taxed on its cost may beat a rollover",
            f"In a lump-sum distribution the shares' cost (${stock.cost_basis:,.0f}) is taxed "
            f"now as income (about ${stock.cost_basis * t_now:,.0f}"
            + (f", plus ${penalty:,.0f} of 10% tax before 59½" if penalty else "") +
            f") and the ${nua:,.0f} of net unrealized appreciation only when sold, at long-term "
            f"capital gain rates (about ${nua * cg:,.0f} at {cg:.0%}): about ${lump:,.0f} in all. "
            f"Rolled to an IRA, all ${stock.value:,.0f} is taxed as income when withdrawn "
            f"(about ${roll:,.0f} at {t_later:.0%}). The lump sum needs a triggering event "
            "(separation, 59½, death) and the whole balance paid within one year.",
            "IRC §402(e)(4)(B), (D); Notice 98-24; IRS Publication 575",
            lump_sum_tax=lump, rollover_tax=roll, nua=nua))
    out.extend(qcd_from_plan_trap(case, assessed, law))
    return out


def qcd_from_plan_trap(case: Case, assessed: dict, law: Law) -> list[dict]:
    """From 70½ a gift to charity straight from an IRA is a qualified charitable distribution,
    out of income and counted toward the RMD — but a 401(k), 403(b) or 457(b) cannot pay one
    (IRC §408(d)(8)(B): an individual retirement plan only).  Shown where the person has
    reached 70½ on the request date and a plan distribution would be taxable income."""
    day = case.request.date
    months = int(round(float(law.get("charity.qcd_age", day.year)) * 12))
    born = np.array([case.person.birth_date], "datetime64[D]")
    taxed = [o for o in assessed["outcomes"] if o["destination"] == "cash" and o["taxable"] > 0]
    if not taxed or not reached(born, np.array([day], "datetime64[D]"), 0, months)[0]:
        return []
    limit = float(law.get("charity.qcd_limit", day.year))
    return [_trap(
        "QCD_NOT_FROM_PLAN", "Giving to charity? A plan cannot pay a QCD",
        f"From 70½ an IRA can pay a charity directly — a qualified charitable distribution, up "
        f"to ${limit:,.0f} in {day.year}: left out of income (so out of AGI and the MAGI that "
        "sets Medicare's IRMAA) and counted toward the RMD. A 401(k), 403(b) or 457(b) cannot "
        "make one: a gift from the plan is a taxable distribution, deductible only if you "
        "itemize. Roll the money to a traditional IRA first (a year's RMD must still come out "
        "of the plan) and give from the IRA.",
        "; ".join(["IRC §408(d)(8)"] + [r.title for r in law.param("charity.qcd_limit").references
                                         if f"({day.year}," in r.title]
                  + ["IRS Publication 590-B"]), qcd_limit=limit)]
