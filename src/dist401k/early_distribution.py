"""The 10% additional tax on early distributions (IRC §72(t)) and the exceptions that reach a
distribution from the plan.  IRA-only exceptions (education, first home, health insurance while
unemployed) never apply to a plan distribution; :mod:`dist401k.outcome` says so.

The exceptions of an event — birth or adoption (§72(t)(2)(H)), emergency personal expense
((I)), domestic abuse victim ((K)), qualified disaster recovery ((M), (t)(11)) — describe the
distribution, not a plan feature: where the plan has not adopted the route of its own, the
individual may treat an otherwise permissible distribution (after separation, in service,
hardship) as one on the return, up to the event's limit (Notice 2020-68, Q&A for birth or
adoption; Notice 2024-55 for emergency and domestic abuse; §72(t)(11)(B)(i) and the Form 8915-F
instructions for a disaster).  :func:`plan_events` finds them with the facts the routes of
:mod:`dist401k.routes.secure2` check; :func:`event_limit` gives the most of a payment each
covers.  The long-term care distribution (§72(t)(2)(N)) is not among them: it is a qualified
long-term care distribution only as the plan makes it, against the premium statement filed with
the plan (§401(a)(39)(A), (D))."""

from __future__ import annotations

import numpy as np

from dist401k.batch import CaseBatch
from dist401k.case import FIREFIGHTER_PLAN_TYPES, Case, PlanType, Purpose, SpouseElection
from dist401k.dates import age_at_year_end, year_of
from dist401k.explain import reason
from dist401k.ira_events import IraEvent, ira_events
from dist401k.routes.common import Facts, accrued_benefit, age_reached, plan_is
from dist401k.routes.qdro import QDRO_ROUTES
from dist401k.sources import INDEX

SECURE2_ROUTES = ("emergency_expense", "domestic_abuse", "birth_adoption", "disaster",
                  "long_term_care")
#: The participant's own routes whose payment the individual may treat as the distribution of
#: the request's event (the SECURE 2.0 routes are that distribution already; an heir's payment,
#: an RMD and a loan that goes bad are left out).
EVENT_ROUTES = ("in_service", "hardship", "separation", "disability", "de_minimis_457")
#: The reason code of each event's exception on a payment by another route.
EVENT_REASONS = {Purpose.BIRTH_ADOPTION: "PX_BIRTH_ADOPTION", Purpose.EMERGENCY: "PX_EMERGENCY",
                 Purpose.DOMESTIC_ABUSE: "PX_DOMESTIC_ABUSE", Purpose.DISASTER: "PX_DISASTER"}
#: The events SECURE 2.0 added (a state that predates it may still tax them: state_outcome).
SECURE2_ADDED_EVENTS = (Purpose.EMERGENCY, Purpose.DOMESTIC_ABUSE, Purpose.DISASTER)
#: Routes whose payment the payer reports with box 7 code 1 although the plan pays it as the
#: exception's distribution: "use Code 1 even if the distribution is made for ... a qualified
#: birth or adoption distribution under section 72(t)(2)(H)" (Instructions for Forms 1099-R
#: and 5498, Guide to Distribution Codes, from 2020): the individual claims it on Form 5329.
CODE_1_ROUTES = ("birth_adoption",)


def exceptions(b: CaseBatch, f: Facts, route: str, on=None) -> dict[str, np.ndarray]:
    """Case-level masks of the exceptions that cover a whole distribution by ``route``, made
    on the request date or, where ``on`` gives it, on that day (a deemed distribution of a
    defaulted loan is made when its cure period ends, Treas. Reg. §1.72(p)-1, Q&A-10(a))."""
    if on is not None:
        out = _case_exceptions(b, f, on)
    else:
        if "exceptions" not in f.memo:
            f.memo["exceptions"] = _case_exceptions(b, f)
        out = dict(f.memo["exceptions"])
    out["PX_SECURE2"] = np.full(len(b), route in SECURE2_ROUTES)
    # §72(t)(2)(C): a payment to an alternate payee under a QDRO, from the plan (not an IRA).
    out["PX_QDRO"] = np.asarray(b.alternate_payee, bool) & (route in QDRO_ROUTES)
    return {k: out[k] for k in _ORDER}


_ORDER = ("PX_AGE_59_HALF", "PX_DISABILITY", "PX_TERMINAL", "PX_SEPARATION_55",
          "PX_PUBLIC_SAFETY", "PX_SECURE2", "PX_DEATH", "PX_QDRO")


def _case_exceptions(b: CaseBatch, f: Facts, on=None) -> dict[str, np.ndarray]:
    """The exceptions that depend on the person, not the route, for a payment made on ``on``
    (default: the request date): 59½ reached that day (§72(t)(2)(A)(i)); the rule of 55 and
    public safety only for a payment made after the separation (§72(t)(2)(A)(v), (10)).
    Disability, terminal illness and death are read as the case states them: it gives no
    date of their onset."""
    lk = f.lk
    left = ~np.isnat(b.separation_date)
    if on is not None:
        left &= b.separation_date <= np.asarray(on, dtype="datetime64[D]")
    sep_year = np.where(left, year_of(b.separation_date), 0)
    separated = f.separated & (sep_year > 0)
    at_59_half = f.at_59_half if on is None else age_reached(
        b, lk.get("early_distributions.age"), on)
    age_at_sep_year = age_at_year_end(b.birth_date, sep_year)
    # The separation is from the person's own employer, so it reaches only their own plan's
    # money: never an account inherited (a surviving spouse's own IRA after the election
    # included, to which §72(t)(3)(A) denies it as to any IRA).
    own = separated & ~np.asarray(b.inherited, bool)
    rule_55 = own & (age_at_sep_year >= lk.get("early_distributions.separation_age"))
    # §72(t)(10)(A): a qualified public safety employee of a governmental plan — a State's or
    # locality's firefighter is one by definition, §72(t)(10)(B) — or, from any §401(a) plan
    # or 403(b), one who provides firefighting services (SECURE 2.0 §308).
    covered = (b.governmental & (b.qualified_public_safety | b.firefighter)) | (
        b.firefighter & np.isin(b.plan_type, FIREFIGHTER_PLAN_TYPES))
    safety = own & covered & (
        (age_at_sep_year >= lk.get("early_distributions.public_safety_age"))
        | (b.years_of_service >= lk.get("early_distributions.public_safety_years")))
    # Disability and terminal illness are the employee's (§72(t)(2)(A)(iii), (L)): an heir's
    # own condition is no exception — the death exception covers an heir's payment.
    death = death_exception(b)
    return {
        "PX_AGE_59_HALF": at_59_half,
        "PX_DISABILITY": b.disabled & ~death,
        "PX_TERMINAL": b.terminally_ill & ~death,
        "PX_SEPARATION_55": rule_55 & ~at_59_half,
        "PX_PUBLIC_SAFETY": safety & ~rule_55 & ~at_59_half,
        "PX_DEATH": death,
    }


def death_exception(b: CaseBatch) -> np.ndarray:
    """Paid to a beneficiary on or after the employee's death (§72(t)(2)(A)(ii)): an inherited
    account, unless a surviving spouse made it their own (rolled it over or treated an
    inherited IRA as theirs), after which it is the spouse's money (Treas. Reg. §1.408-8(c))."""
    own = np.asarray(b.spouse_election) == SpouseElection.OWN
    return np.asarray(b.inherited, bool) & ~own


def exempt_457(b: CaseBatch) -> np.ndarray:
    """[n, S]: governmental 457(b) money is outside §72(t), except money rolled in from a
    qualified plan, 403(b) or IRA (§72(t)(9))."""
    gov = plan_is(b, PlanType.GOVERNMENTAL_457B)[:, None]
    rolled_in = np.zeros(b.balance.shape[1], bool)
    rolled_in[INDEX["rollover_pretax"]] = True
    rolled_in[INDEX["rollover_roth"]] = True
    return gov & ~rolled_in[None, :]


def medical_exception(medical_expenses, agi_with_distribution, floor_rate) -> np.ndarray:
    """Dollars of the distribution free of the 10% tax for medical care: expenses above the
    floor, measured on AGI that includes the distribution itself (§72(t)(2)(B))."""
    return np.maximum(0.0, medical_expenses - floor_rate * agi_with_distribution)


def plan_events(b: CaseBatch, f: Facts) -> list[IraEvent]:
    """The event exception of each case's request as it reaches a payment from the plan: the
    conditions and limits of the SECURE 2.0 routes (:func:`dist401k.ira_events.ira_events` read
    on the nonforfeitable accrued benefit, as §72(t)(2)(I)(iii) and (K)(ii) measure it), with no
    plan adoption asked.  A domestic abuse victim distribution cannot come from a plan subject
    to the survivor annuity rules (§72(t)(2)(K), "eligible retirement plan"; Notice 2024-55): a
    money purchase plan always, another plan that offers a life annuity
    (§401(a)(11)(B)).  The events other than a disaster are taken before 59½ only: from then
    on the 10% tax is gone by age, while a disaster's spread of income holds at any age."""
    if "plan_events" not in f.memo:
        events = ira_events(b, f.lk, accrued_benefit(b))
        survivor_annuity = np.asarray(b.spousal_consent, bool) | plan_is(b, PlanType.MONEY_PURCHASE)
        out = []
        for e in events:
            applies = e.applies & (~f.at_59_half if e.purpose != Purpose.DISASTER else True)
            if e.purpose == Purpose.DOMESTIC_ABUSE:
                applies = applies & ~survivor_annuity
            out.append(IraEvent(e.purpose, e.key, e.asked, applies,
                                np.where(applies, e.limit, 0.0)))
        f.memo["plan_events"] = out
    return f.memo["plan_events"]


def event_limit(events: list[IraEvent], route: str, n: int) -> np.ndarray:
    """The most of each case's payment by ``route`` that the request's event covers (its limit,
    :func:`plan_events`); 0 where no event applies or ``route`` is not one of
    :data:`EVENT_ROUTES`.  The outcome takes it against the part of the payment §72(t) reaches
    first (the includible part, for a disaster's spread), as the payer's code-1 form shows that
    part apart; the individual designates which amounts are the event's distribution (the
    reading :mod:`dist401k.roth_ira_outcome` takes for a Roth IRA)."""
    if route not in EVENT_ROUTES:
        return np.zeros(n)
    return np.sum([e.limit for e in events], axis=0)


def disaster_of(events: list[IraEvent]) -> np.ndarray:
    """Cases whose event is a qualified disaster: its part is reported on Form 8915-F, not on
    Form 5329, and its income spread over the law's years (§72(t)(11)(E))."""
    return np.logical_or.reduce([e.applies for e in events if e.purpose == Purpose.DISASTER])


def secure2_added_of(events: list[IraEvent]) -> np.ndarray:
    """Cases whose event's exception SECURE 2.0 added (emergency, domestic abuse, disaster)."""
    return np.logical_or.reduce([e.applies for e in events
                                 if e.purpose in SECURE2_ADDED_EVENTS])


#: The purposes of a request whose payment may pay the premiums of §402(l)(4)(D): accident or
#: health insurance, or a qualified long-term care insurance contract.
HELPS_PURPOSES = ("medical", "long_term_care")


def helps_notes(case: Case) -> list[dict]:
    """Where the exclusion of §402(l) may apply and is not figured: a separated public safety
    employee (a firefighter is a public safety officer, §402(l)(4)(C)) of a governmental plan
    (§402(l)(4)(A)) asking for money for medical or long-term care costs may leave out of income
    up to the yearly limit of the payments that pay health or long-term care premiums
    (§402(l)(1), (2)); from distributions after 2022-12-29 the plan need not pay the insurer
    (SECURE 2.0 Act §328).  Whether the separation was by disability or at the plan's normal
    retirement age (§402(l)(4)(B)) the case does not say: the note says the exclusion may apply."""
    p = case.person
    if not ((p.qualified_public_safety or p.firefighter) and case.plan.governmental
            and case.employment.status == "separated" and case.request.purpose in HELPS_PURPOSES):
        return []
    r = reason("OC_HELPS_NOT_FIGURED")
    return [{"code": "OC_HELPS_NOT_FIGURED", "field": "request.purpose", "text": r.text,
             "citation": r.citation}]
