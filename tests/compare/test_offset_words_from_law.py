"""The words of a loan offset's 10% tax come from the law they state (IRC §72(t)(1): 10% of
the part includible in gross income; §72(t)(2)(A)(i): none at 59½ or after; §72(t)(1) reaches
qualified plans, not a governmental 457(b)'s own money).

A law whose figures differ — a hypothetical 25% additional tax from 62 — is stated with its own
figures, never with "10%" or "59½" written in the code; the shipped law still reads as before."""

from __future__ import annotations

import pytest

from dist401k.case import parse_case
from dist401k.compare import _offset_penalty_words
from dist401k.law import default_law

LAW = default_law()


class _OtherLaw:
    """The shipped law with the early-distribution age and rate replaced."""

    figures = {"early_distributions.age": 62.0, "early_distributions.additional_tax_rate": 0.25}

    def get(self, name, year, *args):
        return self.figures[name] if name in self.figures else LAW.get(name, year, *args)


def _case(birth: str, plan: str = "401k"):
    return parse_case({
        "person": {"birth_date": birth, "filing_status": "single"},
        "employment": {"status": "active", "hire_date": "2015-01-01"},
        "plan": {"type": plan}, "account": {"sources": {"elective_deferral": {"balance": 50000}}},
        "request": {"date": "2026-03-01", "amount": 1000, "destination": "cash"}})


@pytest.mark.parametrize("law, under, past, gov", [
    (LAW, " (plus $1,000 of 10% tax: under 59½ then, unless an exception applies)",
     " (no 10% tax: past 59½ then)", " (no 10% tax on a governmental 457(b)'s own money)"),
    (_OtherLaw(), " (plus $2,500 of 25% tax: under 62 then, unless an exception applies)",
     " (no 25% tax: past 62 then)", " (no 25% tax on a governmental 457(b)'s own money)"),
])
def test_the_offset_words_state_the_laws_age_and_rate(law, under, past, gov):
    # Born 1990: 36 in 2026, leaving in a year (37 that year: not the year of 55).
    assert _offset_penalty_words(_case("1990-06-01"), law, 10_000.0, 1.0) == under
    # Born 1960-01-01: 66 in 2026, past both ages.
    assert _offset_penalty_words(_case("1960-01-01"), law, 10_000.0, 1.0) == past
    assert _offset_penalty_words(_case("1990-06-01", "governmental_457b"), law, 10_000.0,
                                 1.0) == gov
