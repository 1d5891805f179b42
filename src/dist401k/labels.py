"""The names people read for the ways out of a plan: one table for every door — the terminal
(`dist401k assess`, the options of `dist401k compare`), the report, and the web pages, which
read it from ``GET /labels``."""

from __future__ import annotations

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


#: The option of `dist401k compare` that pays the employer stock out in kind in a lump-sum
#: distribution and rolls the rest to a traditional IRA (IRC §402(e)(4)(B), (D)).
NUA_LABEL = "employer stock out in kind (NUA), the rest to a traditional IRA"
