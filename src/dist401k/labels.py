"""The names people read for the ways out of a plan: one table for every door — the terminal
(`dist401k assess`, the options of `dist401k compare`), the report, and the web pages, which
read it from ``GET /labels``."""

from __future__ import annotations

import re

#: Each route's name as the terminal, the report and the web pages show it.
ROUTE_LABELS: dict[str, str] = {
    "in_service": "In-service withdrawal", "hardship": "Hardship withdrawal", "loan": "Plan loan",
    "emergency_expense": "Emergency expense (SECURE 2.0)",
    "domestic_abuse": "Domestic abuse (SECURE 2.0)", "birth_adoption": "Birth or adoption",
    "disaster": "Qualified disaster", "long_term_care": "Long-term care (SECURE 2.0)",
    "de_minimis_457": "457(b) small-account cash-out", "separation": "After separation",
    "rmd": "Required minimum distribution", "disability": "Disability",
    "beneficiary": "Inherited account (beneficiary)",
    "loan_deemed": "Loan in default (deemed distribution)",
    "loan_offset": "Loan offset",
    "roth_ira": "From the Roth IRA instead",
    "qdro": "QDRO payment (spouse or former spouse)",
    "qdro_dependent": "QDRO payment (child or dependent)",
}


def route_label(route: str) -> str:
    """A route's display name (every route has one: tests/compare/test_report_review.py)."""
    return ROUTE_LABELS[route]


#: Each method of a 72(t) series (``sepp.METHODS``) in the words of Notice 2022-6, section
#: 2.01 (the required minimum distribution, fixed amortization and fixed annuitization methods),
#: as the options of `dist401k compare` name them.
SEPP_METHOD_LABELS: dict[str, str] = {
    "rmd": "required minimum distribution method",
    "amortization": "fixed amortization method",
    "annuitization": "fixed annuitization method",
}


def sepp_method_label(method: str) -> str:
    """A 72(t) series method's name (every method has one: tests/compare)."""
    return SEPP_METHOD_LABELS[method]


#: The option of `dist401k compare` that pays the employer stock out in kind in a lump-sum
#: distribution and rolls the rest to a traditional IRA (IRC §402(e)(4)(B), (D)).
NUA_LABEL = "employer stock out in kind (NUA), the rest to a traditional IRA"


#: Where an heir other than the surviving spouse can move an inherited plan payment, in the
#: words of `dist401k compare`'s options: only by a direct trustee-to-trustee transfer to an
#: inherited IRA or inherited Roth IRA in the deceased's name (IRC §402(c)(11)(A); Notice
#: 2008-30, Q&A-7), never to the heir's own IRA.
INHERITED_DESTINATION_LABELS: dict[str, str] = {
    "traditional_ira": "direct transfer to an inherited IRA",
    "roth_ira": "direct transfer to an inherited Roth IRA",
}


#: The case's fields that a report's text can name (its notes, the reasons it quotes), as a
#: client reads them; the web page's form labels say the same (web/index.html).  The CLI and
#: the JSON keep the field's path, which a program or a case file uses.
FIELD_LABELS: dict[str, str] = {
    "request.amount": "amount asked for", "request.need": "amount needed in hand",
    "request.destination": "where the money goes", "request.net_of": "net of",
    "request.net_amount": "amount wanted after withholding",
    "request.event_date": "date of the event",
    "request.disaster_declared": "disaster declared",
    "request.disaster_declaration_date": "date the disaster was declared",
    "request.state_withholding_rate": "state withholding rate chosen",
    "plan.spousal_consent": "the plan's spousal consent rule",
    "plan.retirement_age": "the plan's normal retirement age",
    "plan.small_account_cash_out": "the plan's small-account cash-out",
    "plan.alternative_dc_plan": "the employer's other defined contribution plan",
    "plan.terminated": "the plan's termination",
    "person.state": "state you live in", "person.state_move": "move to another state",
    "person.disabled": "totally and permanently disabled",
    "account.prior_year_end_balance": "balance on December 31 last year",
    "beneficiary.prior_year_end_balance": "inherited account balance on December 31 last year",
    "person.spouse_birth_date": "your spouse's date of birth",
    "person.lived_apart": "lived apart from your spouse",
    "person.parent": "parent's tax figures", "person.dependent": "claimed as a dependent",
    "person.full_time_student": "full-time student",
    "account.state_taxed_contributions": "contributions your state already taxed",
    "account.loans.missed_payment_date": "date of a missed loan payment",
    "account.loans.residence": "loan buys a principal residence",
    "iras.roth_first_year": "year of your first Roth IRA contribution or conversion",
    "iras.roth": "Roth IRA balances",
}
#: A field's last name alone, as some reasons write it ("the case gives no missed_payment_date").
_BY_NAME = {path.rsplit(".", 1)[1]: label for path, label in FIELD_LABELS.items()
            if path.count(".") > 1 and "_" in path.rsplit(".", 1)[1]}


def field_label(path: str) -> str:
    """A case field's plain label (the path itself where it has none)."""
    return FIELD_LABELS.get(path, path)


def _plain_field(m: re.Match) -> str:
    """One field path (or name) in its label; a yes-or-no answer given with it
    (``person.disabled: true``) as the label and "yes" or "no", in quotes."""
    label = FIELD_LABELS.get(m.group("field")) or _BY_NAME[m.group("field")]
    answer = m.group("answer")
    return label if answer is None else f"“{label}: {'yes' if answer == 'true' else 'no'}”"


def plain_fields(text: str) -> str:
    """``text`` with each field path it names (``person.state``, ``missed_payment_date``)
    in the words of :data:`FIELD_LABELS`, for the reports a client reads; a destination's
    value in brackets after the words that name it ("an inherited IRA (traditional_ira)"), for
    whoever writes the case file, left out."""
    return _DESTINATION_VALUE.sub("", _FIELD_NAMES.sub(_plain_field, text))


#: A whole field path or name, never part of a longer one (``iras.roth`` in
#: ``iras.roth_contributions``, ``person.parent`` in ``person.parent.taxable_income``).
#: A yes-or-no answer may follow it (``person.disabled: true``).
_FIELD_NAMES = re.compile(r"(?<![\w.])(?P<field>" + "|".join(
    re.escape(p) for p in sorted({*FIELD_LABELS, *_BY_NAME}, key=len, reverse=True))
    + r")(?![\w]|\.\w)(?:: (?P<answer>true|false)\b)?")
#: A value of ``request.destination`` in brackets, as the case file spells it, with the space
#: before it: "(destination traditional_ira)", "(roth_ira)".
_DESTINATION_VALUE = re.compile(r" \((?:destination )?(?:cash|traditional_ira|roth_ira|other_plan|"
                                r"split_2014_54|indirect_60day)\)")
