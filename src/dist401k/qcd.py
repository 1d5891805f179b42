"""A qualified charitable distribution cannot come from a plan (IRC §408(d)(8)(B): an individual
retirement plan only): the warning `dist401k compare` gives as a trap (``traps``) and
`dist401k assess` as a note (``assess``), worked out once, here, from the case, the outcomes
of the assessment and the law — its advice too, which depends on who holds the account (a
participant or spouse rolls to a traditional IRA; another heir transfers to an inherited IRA)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.case import Case
from dist401k.dates import MONTHS_PER_YEAR, reached
from dist401k.explain import reason
from dist401k.law.filing_status import CODE
from dist401k.law.loader import Law
from dist401k.money import dollars_text
from dist401k.routes.base import IRA_ROUTES

#: The warning's code, as the trap and the note give it.
QCD_CODE = "QCD_NOT_FROM_PLAN"
#: The case field the warning concerns: where the money goes (roll it to an IRA first).
FIELD = "request.destination"
QCD_TITLE = "Giving to charity? A plan cannot pay a QCD"
#: The advice to a participant, or to a surviving spouse, who may roll the money to their own
#: IRA (IRC §402(c)(8)(B), (c)(9)).
ROLL_FIRST = ("Roll the money to a traditional IRA first (a year's RMD must still come out of the "
              "plan) and give from the IRA.")
#: The advice to a designated beneficiary other than the surviving spouse, who cannot (its reason).
HEIR_ADVICE = "BN_QCD_INHERITED_IRA"


@dataclass(frozen=True)
class QcdWarning:
    """The words of the warning, its rule and the year's QCD limit (``charity.qcd_limit``)."""

    text: str
    citation: str
    qcd_limit: float


def taxable_cash_from_plan(outcomes: list[dict]) -> bool:
    """A cash payment from the plan (not a Roth IRA's) that would be taxable income."""
    return any(o["destination"] == "cash" and o["taxable"] > 0 and o["route"] not in IRA_ROUTES
               for o in outcomes)


def reached_qcd_age(case: Case, law: Law) -> bool:
    """The person has reached the QCD age (70½, ``charity.qcd_age``; IRC §408(d)(8)(B)(i)) on
    the request date."""
    day = case.request.date
    months = int(round(float(law.get("charity.qcd_age", day.year)) * MONTHS_PER_YEAR))
    born = np.array([case.person.birth_date], "datetime64[D]")
    return bool(reached(born, np.array([day], "datetime64[D]"), 0, months)[0])


def qcd_from_plan(case: Case, outcomes: list[dict], law: Law) -> QcdWarning | None:
    """From 70½ a gift to charity straight from an IRA is a qualified charitable distribution,
    out of income and counted toward the RMD — but a 401(k), 403(b) or 457(b) cannot pay one
    (IRC §408(d)(8)(B): an individual retirement plan only).  The warning where the person has
    reached 70½ on the request date and a plan distribution would be taxable income (one of
    ``outcomes``, the assessment's); None otherwise."""
    if not taxable_cash_from_plan(outcomes) or not reached_qcd_age(case, law):
        return None
    day = case.request.date
    limit = float(law.get("charity.qcd_limit", day.year))
    floor = float(law.get("charity.nonitemizer_deduction_limit", day.year,
                          CODE[case.person.filing_status]))
    deduction = ("deductible only if you itemize" if floor <= 0 else
                 f"deductible beyond ${dollars_text(floor)} of cash gifts only if you itemize")
    advice, cited = what_to_do(case)
    return QcdWarning(
        f"From 70½ an IRA can pay a charity directly — a qualified charitable distribution, up "
        f"to ${dollars_text(limit)} in {day.year}: left out of income (so out of AGI and the MAGI that "
        "sets Medicare's IRMAA) and counted toward the RMD. A 401(k), 403(b) or 457(b) cannot "
        f"make one: a gift from the plan is a taxable distribution, {deduction}." + advice,
        "; ".join(["IRC §408(d)(8)"] + (["IRC §170(p)"] if floor > 0 else [])
                  + [r.title for r in law.param("charity.qcd_limit").references
                     if f"({day.year}," in r.title]
                  + ["IRS Publication 590-B"] + cited), limit)


def what_to_do(case: Case) -> tuple[str, list[str]]:
    """The warning's advice (its words, with a space before them, and their citations), by who
    holds the account: a participant or a surviving spouse rolls the money to a traditional
    IRA first (:data:`ROLL_FIRST`); another designated beneficiary cannot roll it to an IRA of
    their own, only transfer it directly to an inherited IRA (IRC §402(c)(11)(A)), from which a
    QCD is allowed at 70½ (§408(d)(8); Notice 2007-7, Q&A-37: :data:`HEIR_ADVICE`); an estate or
    other non-designated beneficiary can move it to no IRA (``BN_DEST_ESTATE``): no advice."""
    heir = case.beneficiary
    if heir is None or heir.relationship == "spouse":
        return f" {ROLL_FIRST}", []
    if heir.relationship == "non_designated":
        return "", []
    said = reason(HEIR_ADVICE)
    return f" {said.text}", [said.citation]


def qcd_notes(case: Case, outcomes: list[dict], law: Law) -> list[dict]:
    """The warning as a note of the assessment (`dist401k assess`), naming the field it
    concerns; empty where it does not apply."""
    w = qcd_from_plan(case, outcomes, law)
    if w is None:
        return []
    return [{"code": QCD_CODE, "field": FIELD, "text": w.text, "citation": w.citation}]
