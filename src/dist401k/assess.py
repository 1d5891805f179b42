"""Assess cases: every route by money source, and the outcome of the request by each open route
and destination, as plain data with stable field names (the JSON of `dist401k assess`)."""

from __future__ import annotations

from typing import Any

import numpy as np

from dist401k import __version__
from dist401k.batch import CaseBatch
from dist401k.case import Case, Destination
from dist401k.dates import MONTHS_PER_YEAR, anniversary
from dist401k.early_distribution import helps_notes
from dist401k.explain import reason, reasons_at
from dist401k.form_1099r_boxes import form_rows, forms_1099r
from dist401k.form_5329 import part_i_rows
from dist401k.form_8606 import form_8606_rows, part_iii_rows
from dist401k.law.filing_status import FILING_STATUSES
from dist401k.law.loader import Law, default_law
from dist401k.money import amount, cents
from dist401k.outcome import MONEY_FIELDS, deadlines, outcomes
from dist401k.outcome_why import assumed_notes, capped_notes, explain_outcome, series_rollover_notes
from dist401k.projection import projection_basis
from dist401k.qcd import qcd_notes
from dist401k.routes import evaluate_routes
from dist401k.routes.base import IRA_ROUTES
from dist401k.routes.hardship_order import FIRST_ROUTES
from dist401k.routes.loan import amortization
from dist401k.routes.qdro import alternate_payee_dependent, alternate_payee_spouse
from dist401k.sources import SOURCES
from dist401k.state_outcome import RETIREMENT_CONDITION_CODES
from dist401k.w4r import RATE_DIGITS, chart
from dist401k.withholding import with_unknown_withholding

SCHEMA_VERSION = "1"


def beneficiary_summary(r, i: int) -> dict:
    """The beneficiary route's answer for case ``i``: who inherits, the method, this year's
    required amount and deadline, when the account must be empty, the excise on missed years."""
    from dist401k.routes.beneficiary import KINDS, METHODS, NOTICE_KEY

    x = r.extra
    d = x["divisor"][i]
    empty = x["empty_by"][i]
    missed = []
    for k in range(x["missed_excise"].shape[1]):
        if np.isnan(x["missed_year"][i, k]):
            continue  # padding of a batch whose cases missed different numbers of years
        notice = int(x["missed_notice"][i, k])
        until = x["missed_waived_until"][i, k]
        waived = (f"Notice {notice // NOTICE_KEY}-{notice % NOTICE_KEY}" if notice else
                  None if np.isnat(until) else
                  f"Treas. Reg. §54.4974-1(g)(3), if taken by {until}")
        missed.append({"year": int(x["missed_year"][i, k]),
                       "shortfall": amount(x["missed_shortfall"][i, k]),
                       "excise_rate": float(x["missed_rate"][i, k]),
                       "excise": amount(x["missed_excise"][i, k]),
                       "waived_by": waived, "if_made_up_by_request": _if_made_up(x, i, k)})
    return {
        "kind": KINDS[int(x["kind"][i])],
        "method": METHODS[int(x["method"][i])],
        "death_after_required_beginning_date": bool(x["after_rbd"][i]),
        "required_beginning_date": None if np.isnat(x["rbd"][i]) else str(x["rbd"][i]),
        "required": amount(x["required"][i]),
        "remaining": amount(x["remaining"][i]),
        "divisor": None if np.isnan(d) else round(float(d), 1),
        "start_year": int(x["start_year"][i]),
        "deadline": str(x["deadline"][i]) if x["remaining"][i] > 0.005 else None,
        "empty_by": f"{int(empty)}-12-31" if empty > 0 else None,
        "excise_missed": amount(x["excise"][i]),
        "missed": missed,
    }


def _if_made_up(x: dict, i: int, k: int) -> dict | None:
    """Where this request makes up shortfall ``k`` of case ``i``
    (:func:`dist401k.routes.beneficiary.made_up_by_request`): the excise at the lower rate of
    IRC §4974(e), owed instead if the payment is made within the correction window, and the
    window's last day (earlier on a notice of deficiency or an assessment of the tax); else
    None.  Form 5329 takes the lower rate only for a shortfall corrected within the window, so
    the excise shown stays the full rate until the payment is made."""
    if not x["missed_made_up"][i, k]:
        return None
    rate = float(x["missed_rate_corrected"][i, k])
    return {"excise_rate": rate, "excise": amount(rate * x["missed_shortfall"][i, k]),
            "by": f"{int(x['missed_window_ends'][i, k])}-12-31"}


#: The form a route's own payment is reported on, beyond Form 1099-R and Form 5329.
ROUTE_FORMS = {"disaster": "Form 8915-F (disaster distribution)"}


#: The withholding reasons of a payment the payee's Form W-4R speaks to (§3405(b), (c)); under
#: the $200 floor (Treas. Reg. §31.3405(c)-1, Q&A-14) it is the only withholding there is.
W4R_CODES = ("OC_ERD_WITHHOLDING", "OC_NON_ERD_WITHHOLDING", "BN_WITHHOLDING_ERD_PART",
             "BN_WITHHOLDING_REQUIRED_PART", "OC_ERD_SMALL")


def _notices(o, codes: tuple[str, ...], additional_tax: float,
             form_5329_required: bool = False) -> list[str]:
    """The forms and notices a payment by outcome ``o`` calls for (Form 5329 also where an
    exception must be claimed on it; Form 8915-F for a qualified disaster recovery
    distribution, the part of another route's payment treated as one included)."""
    notices = []
    if "OC_402F" in codes or "OC_402F_HEIR" in codes:
        notices.append("§402(f) rollover notice")
    if any(c in codes for c in W4R_CODES):
        notices.append("Form W-4R (withholding election)")
    if "OC_SPOUSAL_CONSENT" in codes or "LN_SPOUSAL_CONSENT" in codes:
        notices.append("spousal consent (QJSA waiver)")
    if additional_tax > 0 or "PX_MEDICAL" in codes or form_5329_required:
        notices.append("Form 5329 (additional tax / exception)")
    if "RI_NONQUALIFIED" in codes:
        notices.append("Form 8606, Part III (Roth IRA distribution)")
    if o.route in ROUTE_FORMS:
        notices.append(ROUTE_FORMS[o.route])
    elif "PX_DISASTER" in codes:
        notices.append(ROUTE_FORMS["disaster"])
    return notices


#: The notices the law requires before a payment, said once in the answer's notes: (the
#: reason codes that call for it, the note's code, the case field it turns on).
NOTICES = ((("OC_402F", "OC_402F_HEIR"), "NOTICE_402F", "request.destination"),
           (("OC_SPOUSAL_CONSENT",), "SPOUSAL_CONSENT", "plan.spousal_consent"),
           (("LN_SPOUSAL_CONSENT",), "SPOUSAL_CONSENT_LOAN", "plan.spousal_consent"))




def election(case: Case, law: Law, year: int, filing_status: int) -> dict:
    """The Form W-4R election of the request (None: the law's default rates) and the form's
    Marginal Rate Tables for the year and filing status, to help choose it (§3405(b), (c)).
    An estate that inherits (``relationship: non_designated``) is shown no chart: the tables
    are an individual's, by filing status (Form W-4R instructions), and its tax is on Form 1041
    at §1(e)'s rates; its payment is no eligible rollover distribution (§402(c)(11) is for a
    designated beneficiary), so §3405(b)'s 10% applies unless it elects another rate."""
    estate = case.beneficiary is not None and case.beneficiary.relationship == "non_designated"
    return {"withholding_rate": case.request.withholding_rate,
            "state_withholding_rate": case.request.state_withholding_rate,
            "net_amount": case.request.net_amount, "net_of": case.request.net_of,
            "w4r_chart": None if estate else chart(law, year, filing_status)}


def notice_notes(outcome_rows: list[dict]) -> list[dict]:
    """The §402(f) notice due before an eligible rollover distribution (Treas. Reg.
    §1.402(f)-1), and the spouse's written consent where the plan is subject to §417 (a
    payment other than the survivor annuity, §417(a)(2); a loan, Treas. Reg. §1.401(a)-20
    Q&A-24): each a note with its rule."""
    codes = {r["code"] for o in outcome_rows for r in o["reasons"]}
    notes = []
    for calls, code, field in NOTICES:
        on = next((c for c in calls if c in codes), None)
        if on is not None:
            r = reason(on)
            notes.append({"code": code, "field": field, "text": r.text,
                          "citation": r.citation})
    return notes


def state_figures(o, at: np.ndarray, given: np.ndarray) -> list[dict]:
    """The state tax fields of outcome ``o`` for the cases ``at``: empty where the case gives
    no state; the figures null (unknown, not zero) where the state is not covered."""
    out: list[dict[str, float | bool | None]] = []
    st, sw = o.state, o.state_withholding
    for i in at.tolist():
        if not given[i]:
            out.append({})
            continue
        if st is None:  # a loan: no distribution, no state tax
            row: dict[str, float | bool | None] = {
                "state_income_tax_increase": 0.0, "state_additional_tax": 0.0,
                "state_covered": True}
        elif not st.covered[i]:
            row = {"state_income_tax_increase": None, "state_additional_tax": None,
                   "state_covered": False}
        else:
            row = {"state_income_tax_increase": amount(st.income_tax_increase[i]),
                   "state_additional_tax": amount(st.additional_tax[i]),
                   "state_covered": True}
        # The state's withholding beside the federal (null: the state's rule not covered).
        row["state_withholding"] = (0.0 if sw is None else amount(sw.amount[i])
                                    if sw.covered[i] else None)
        out.append(row)
    return out


def state_notes(case: Case, outcome_rows: list[dict]) -> list[dict]:
    """A state given but not covered yet: its figures are unknown, not zero.  A state that
    taxed a payment because the plan's retirement conditions were taken as unmet, when the
    case does not give the plan's retirement age (59½ assumed)."""
    code = case.person.state_on(case.request.date)
    if code is None:
        return []
    notes = move_notes(case)
    if not all(o.get("state_covered", True) for o in outcome_rows):
        from dist401k.tax.state import COVERED

        if code in COVERED:
            # The state is modelled, but its rule turns on a fact the case does not give.
            notes.append({"code": "STATE_NOT_FIGURED", "field": "person.state", "text": (
                f"{code}'s income tax turns here on a fact the case does not give (the "
                "outcome's reasons say which): the state figures are unknown (null), not zero, "
                "and kept_after_all_tax leaves them out.")})
        else:
            notes.append({"code": "STATE_NOT_COVERED", "field": "person.state", "text": (
                f"{code}'s income tax is not covered by dist401k yet: the state figures are "
                "unknown (null), not zero, and kept_after_all_tax leaves them out.")})
    codes = {r["code"] for o in outcome_rows for r in o["reasons"]}
    if case.plan.retirement_age is None and codes & set(RETIREMENT_CONDITION_CODES):
        notes.append({"code": "PLAN_RETIREMENT_AGE_ASSUMED", "field": "plan.retirement_age",
                      "text": "The plan's retirement age not given: taken as 59½, so a payment "
                      f"before it is taxed by {code} as paid before retirement. Give the plan's "
                      "earliest retirement age as plan.retirement_age."})
    return notes


def move_notes(case: Case) -> list[dict]:
    """A move of residence: which state taxes the payment, and why."""
    p, day = case.person, case.request.date
    move = p.state_move
    if move is None:
        return []
    code = p.state_on(day)
    when = "on or after" if day >= move.date else "before"
    return [{"code": "STATE_OF_RESIDENCE_ON_PAYMENT", "field": "person.state_move", "text": (
        f"Paid on {day.isoformat()}, {when} the move from {p.state} to {move.state} on "
        f"{move.date.isoformat()}: {code} taxes it, the state of residence on the day it is "
        f"paid; the other state may not tax a nonresident's retirement income (4 U.S.C. §114). "
        f"{code}'s tax is figured as for a full-year resident with the year's other income "
        "(a part-year return's proration is not modelled).")}]


def loan_summary(r, i: int, b: CaseBatch) -> dict:
    """The loan route's answer for case ``i`` (§72(p)(2)): the most that may be borrowed, the
    loan asked for, its level payments and its amortization schedule."""
    x = r.extra
    out: dict[str, Any] = {k: amount(x[k][i]) for k in ("maximum", "payment", "total_interest")}
    out["payments_per_year"] = int(x["payments_per_year"][i])
    out["term_years"] = int(x["term_years"][i])
    out["principal"] = amount(x["principal"][i])
    out["schedule"] = amortization(
        float(x["principal"][i]), float(b.loan_rate[i]), float(x["term_years"][i]),
        int(x["payments_per_year"][i])) if out["principal"] > 0 else []
    return out


def rmd_summary(r, i: int, b: CaseBatch) -> dict:
    """The RMD route's answer for case ``i`` (§401(a)(9)): the year's amount, what remains of
    it, the divisor, the applicable age and the deadline; last year's RMD still owed, and its
    deadline where it was the first, deferred to April 1 (§401(a)(9)(C))."""
    x = r.extra
    rmd = amount(x["rmd"][i])
    d = x["divisor"][i]
    last = x["last_year_deadline"][i]
    return {"rmd": rmd, "remaining": amount(x["remaining"][i]),
            "divisor": None if np.isnan(d) else float(d),
            "applicable_age": float(x["applicable_age"][i]),
            "deadline": str(x["deadline"][i]) if rmd > 0 else None,
            "last_year_rmd": amount(x["last_year_rmd"][i]),
            "last_year_deadline": None if np.isnat(last) else str(last)}


def loan_deemed_summary(r, i: int, b: CaseBatch) -> dict:
    """A missed loan payment (Treas. Reg. §1.72(p)-1, Q&A-10): its due date, the last day of
    the cure period, whether the loan is deemed distributed, and the amount it is (or will
    be) deemed at: the outstanding balance and its accrued interest."""
    x = r.extra
    if not x["missed"][i]:
        return {"missed_payment_date": None}
    return {"missed_payment_date": str(b.loan_missed_date[i]),
            "cure_period_ends": str(x["cure_end"][i]), "deemed": bool(x["deemed"][i]),
            "accrued_interest": amount(x["accrued_interest"][i]),
            "deemed_amount": amount(x["amount"][i])}


def roth_ira_summary(r, i: int, b: CaseBatch) -> dict:
    """The Roth IRAs beside the plan: the balance, the basis in regular contributions (they
    come out first, free of tax and of the 10% tax) and in conversions, and why."""
    codes = [k for k, m in r.reasons.items() if np.asarray(m)[i]]
    return {"roth_ira_balance": amount(b.ira_roth[i]),
            "contributions_basis": amount(b.ira_roth_contributions[i]),
            "conversions_basis": amount(np.nansum(b.roth_conversion_amount[i])),
            "reasons": [reason(c).as_dict() for c in codes]}


def loan_offset_summary(r, i: int, b: CaseBatch) -> dict:
    """A loan offset: its amount and whether it is a qualified plan loan offset."""
    x = r.extra
    return {"offset_amount": amount(x["amount"][i]), "qualified": bool(x["qualified"][i])}


def hardship_summary(r, i: int, b: CaseBatch) -> dict:
    """The hardship's need left (null: none given) and the plan's other routes open now that
    pay first, with what each pays before tax, and all of them together (Treas. Reg.
    §1.401(k)-1(d)(3)(iii)(B)(1))."""
    x = r.extra
    need = x["need"][i]
    return {"need_left": None if np.isnan(need) else amount(need),
            "first": [{"route": name, "pays": amount(x["first"][i, k])}
                      for k, name in enumerate(FIRST_ROUTES) if x["first"][i, k] > 0],
            "paid_first": amount(x["paid_first"][i])}


#: The routes whose summary says more than whether they are open and how much they give.
ROUTE_SUMMARIES = {"loan": loan_summary, "rmd": rmd_summary, "hardship": hardship_summary,
                   "beneficiary": lambda r, i, b: beneficiary_summary(r, i),
                   "loan_deemed": loan_deemed_summary, "loan_offset": loan_offset_summary,
                   "roth_ira": roth_ira_summary}
#: The routes shown only to some cases: the beneficiary's to heirs, a QDRO's to its alternate
#: payee; a loan that goes bad to
#: those who owe a loan.
SHOWN_TO = {"beneficiary": lambda b: np.asarray(b.inherited, bool),
            "loan_deemed": lambda b: np.asarray(b.loan_outstanding) > 0,
            "loan_offset": lambda b: np.asarray(b.loan_outstanding) > 0,
            "roth_ira": lambda b: np.asarray(b.ira_roth) > 0,
            "qdro": alternate_payee_spouse, "qdro_dependent": alternate_payee_dependent}

#: Outcomes shown whatever destination the request asks for: the loan, and a loan gone bad
#: (it is not requested; it happens).
EVERY_DESTINATION = ("loan", "loan_deemed", "loan_offset")


def _shown(b: CaseBatch, name: str) -> np.ndarray:
    return SHOWN_TO[name](b) if name in SHOWN_TO else np.ones(len(b), bool)


def _row_cells(b: CaseBatch, name: str, r) -> np.ndarray:
    """The cells [n, S] a route's rows are given for: the money sources with a balance, and
    those a route is open in or gives a reason for without one (the loan receivable of an
    account that holds no other money, routes.loan_default; an account with no money at all,
    routes.with_no_money)."""
    cells = (b.balance > 0) | r.eligible
    for m in r.reasons.values():
        if np.ndim(m) == 2 and np.shape(m)[1] == len(SOURCES):
            cells = cells | np.asarray(m, bool)
    return cells & _shown(b, name)[:, None]


def route_rows(b: CaseBatch, routes: dict) -> list[list[dict]]:
    """Each case's answer by route and money source (those with a balance, or with a reason
    of their own: :func:`_row_cells`): eligible, the amount available, and why."""
    rows: list[list[dict]] = [[] for _ in range(len(b))]
    for name, r in routes.items():
        if name in IRA_ROUTES:  # not the plan's money: its summary says it all
            continue
        ri, si = np.nonzero(_row_cells(b, name, r))
        eligible = r.eligible[ri, si].tolist()
        available = cents(r.available[ri, si]).tolist()
        spelled = reasons_at(r.reasons, ri, si)[1]
        for i, s, ok, given, why in zip(ri.tolist(), si.tolist(), eligible, available,
                                        spelled, strict=True):
            rows[i].append({"route": name, "source": SOURCES[s], "eligible": ok,
                            "available": given if ok else 0.0, "reasons": why})
    return rows


def route_summaries(b: CaseBatch, routes: dict) -> list[list[dict]]:
    """Each case's answer by route: open or not, the amount available, and what the route
    itself says (ROUTE_SUMMARIES)."""
    out: list[list[dict]] = [[] for _ in range(len(b))]
    for name, r in routes.items():
        any_ = r.eligible.any(axis=1).tolist()
        total = cents(r.total_available).tolist()
        more = ROUTE_SUMMARIES.get(name)
        for i in np.flatnonzero(_shown(b, name)).tolist():
            summary = {"route": name, "eligible": any_[i], "available": total[i]}
            if more is not None:
                summary.update(more(r, i, b))
            out[i].append(summary)
    return out


def _loan_rows(o, at: np.ndarray) -> list[dict]:
    """The loan's terms for the cases ``at``, to the cent."""
    return [dict(zip(o.extra, vals, strict=True)) for vals in zip(
        *(cents(np.asarray(x, float)[at]).tolist() for x in o.extra.values()),
        strict=True)]


def _forms_1099r(b: CaseBatch, o, at: np.ndarray, law: Law) -> list[list[dict]]:
    """The Forms 1099-R of each payment, box by box (a loan is not a distribution: none)."""
    return form_rows(forms_1099r(b, o, law), at) if o.parts else [[] for _ in at.tolist()]


def _outcome_shown(b: CaseBatch, o) -> np.ndarray:
    """The cases an outcome is shown for: possible, and by the destination asked for (all of
    them when ``all``; a loan whatever the destination)."""
    shown = np.asarray(o.possible, bool)
    if o.route in EVERY_DESTINATION:
        return shown
    every = b.destination == Destination.ALL
    return shown & (every | (b.destination == Destination[o.destination.upper()]))


def outcome_rows(b: CaseBatch, outs: list, routes: dict, law: Law) -> list[list[dict]]:
    """Each case's outcomes, read out column by column for the cases each one is shown for."""
    rows: list[list[dict]] = [[] for _ in range(len(b))]
    state_given = np.asarray(b.state) != ""
    for o in outs:
        at = np.flatnonzero(_outcome_shown(b, o))
        if not at.size:
            continue
        money = [cents(np.asarray(getattr(o, k), float)[at]).tolist() for k in MONEY_FIELDS]
        codes, spelled = reasons_at(o.reasons, at)
        dates = deadlines(b, o, routes, law, at)
        states = state_figures(o, at, state_given)
        loans = _loan_rows(o, at) if o.route == "loan" else None
        forms = _forms_1099r(b, o, at, law)
        f5329 = part_i_rows(o.form_5329, at)
        f8606 = form_8606_rows(b, law, o.to_traditional_ira,
                               o.ira_basis_in if o.ira_basis_in is not None else
                               np.zeros(len(b)), at)
        part_iii = part_iii_rows(o.roth_ira, at)
        w4r = (None if o.w4r_chart_rate is None
               else np.round(np.asarray(o.w4r_chart_rate)[at], RATE_DIGITS).tolist())
        for k, i in enumerate(at.tolist()):
            row = {"route": o.route, "destination": o.destination}
            row.update({name: col[k] for name, col in zip(MONEY_FIELDS, money, strict=True)})
            # One name for each of the two "cash" figures (net_cash and after_all_taxes are
            # their former names, kept for one release: docs/assess.md).
            row["check_received"] = row["net_cash"]
            row["kept_after_all_tax"] = row["after_all_taxes"]
            row.update(states[k])
            row["form_1099r"] = forms[k]
            row["form_1099r_codes"] = [f["box_7"] for f in forms[k]]
            row["form_5329"] = f5329[k]
            if f8606[k] is not None:
                row["form_8606"] = f8606[k]
            if part_iii[k] is not None:
                row["form_8606_part_iii"] = part_iii[k]
            if w4r is not None and w4r[k] == w4r[k] and row["taxable"] > 0:
                row["w4r_chart_rate"] = w4r[k]
            if loans is not None:
                row["loan"] = loans[k]
            part = f5329[k]
            row["notices"] = _notices(o, codes[k], row["additional_tax_72t"],
                                      part is not None and bool(part["required"]))
            row["deadlines"] = dates[k]
            row["reasons"] = spelled[k]
            row["why"] = explain_outcome(row)
            rows[i].append(row)
    return rows


def assess_cases(cases: list[Case], law: Law | None = None) -> list[dict]:
    """The assessment of each case, as every door shows it (the JSON of ``dist401k assess
    --format json``, of ``POST /assess``): the federal withholding of an outcome whose
    withholding is not figured is null — unknown, never $0 (a periodic payment, withheld from
    as wages by Pub. 15-T tables the law does not hold for the year, IRC §3405(a):
    :func:`dist401k.withholding.with_unknown_withholding`)."""
    return [with_unknown_withholding(r) for r in assess_figures(cases, law)]


def assess_figures(cases: list[Case], law: Law | None = None) -> list[dict]:
    """The assessment of each case as figured, for the callers that price its outcomes (the
    comparison): a withholding that is not figured counts as $0 here, beside its reason
    ``SR_WITHHOLDING_WAGES``; a door shows it through :func:`assess_cases`.  A batch: every
    rule runs once over all of them; the answers are then read out, column by column, only for
    the cells the JSON shows: the money sources with a balance, the outcomes possible and asked
    for."""
    law = law or default_law()
    b = CaseBatch.from_cases(cases)
    f, routes = evaluate_routes(b, law)
    outs = outcomes(b, f, routes)
    half = anniversary(b.birth_date, 0, np.round(f.lk.get("early_distributions.age")
                                                 * MONTHS_PER_YEAR).astype(np.int64))
    by_route = route_rows(b, routes)
    summaries = route_summaries(b, routes)
    by_outcome = outcome_rows(b, outs, routes, law)
    years = b.tax_year.tolist()
    return [_with_state(case, {
        "schema_version": SCHEMA_VERSION,
        "case_id": case.id,
        "request_date": str(b.request_date[i]),
        "tax_year": int(years[i]),
        "projected": bool(law.projected(int(years[i]))),
        # the basis of a projected year's law (null where enacted): dist401k.projection
        "projection": projection_basis(law, int(years[i]), case.person.state_on(case.request.date)),
        "law_version": law.version,
        "dist401k_version": __version__,  # the program that answered, beside its law
        "filing_status": FILING_STATUSES[int(b.filing_status[i])],
        "age_59_half_on": str(half[i]),
        "reached_59_half": bool(f.at_59_half[i]),
        "withholding_election": election(case, law, int(years[i]),
                                         int(b.filing_status[i])),
        "route_summary": summaries[i],
        "routes": by_route[i],
        "outcomes": by_outcome[i],
        "notes": capped_notes(case, by_outcome[i]) + series_rollover_notes(case, by_outcome[i])
        + assumed_notes(case, by_route[i], by_outcome[i])
        + state_notes(case, by_outcome[i]) + notice_notes(by_outcome[i]) + helps_notes(case)
        + qcd_notes(case, by_outcome[i], law),
    }) for i, case in enumerate(cases)]


def _with_state(case: Case, answer: dict) -> dict:
    """The answer with the state of residence after the filing status, where one is given (an
    answer without a state is as it was before states were figured)."""
    code = case.person.state_on(case.request.date)
    if code is None:
        return answer
    keys = list(answer)
    at = keys.index("filing_status") + 1
    # the state that taxes the payment: of residence on the request date (a move's from its date)
    return {**{k: answer[k] for k in keys[:at]}, "state": code,
            **{k: answer[k] for k in keys[at:]}}
