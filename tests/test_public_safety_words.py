"""The words of the public safety exception (IRC §72(t)(10)) and of the HELPS exclusion (§402(l)).

* §72(t)(10)(A) puts "age 50 or 25 years of service under the plan, whichever is earlier" in
  place of "age 55" in §72(t)(2)(A)(v), whose test is a separation in or after the calendar year
  of that age; it reaches a qualified public safety employee's governmental plan, and, since
  SECURE 2.0 §308, "an employee who provides firefighting services" in any §401(a) plan or
  403(b) — a private firefighter, who is no "qualified public safety employee".  The text once
  said "a qualified public safety employee who left at 50", to a man who left at 49 in the year
  of 50 and to a private firefighter alike.
* §72(t)(10)(B) (SECURE 2.0 §330) lists who is a qualified public safety employee: the field's
  help once named only the paragraph.
* §402(l)(1), (2): an eligible retired public safety officer may exclude, up to a yearly limit,
  governmental-plan distributions that pay health or long-term care premiums; not modelled, and
  once said nowhere.
"""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import Case, parse_case
from dist401k.early_distribution import helps_notes
from dist401k.explain import reason


def _officer(**over) -> dict:
    """Born 1976-08-01 (50 in 2026), separated 2026-03-31 at 49, a governmental money purchase
    plan, $20,000 in cash on 2026-11-02 (the review's case p1)."""
    person = {"birth_date": "1976-08-01", "filing_status": "single", "qualified_public_safety": True,
              **over.pop("person", {})}
    case = {
        "person": person,
        "employment": {"status": "separated", "hire_date": "2005-01-10", "separation_date": "2026-03-31"},
        "income": {"wages": 20000},
        "plan": {"type": "money_purchase", "governmental": True},
        "account": {"sources": {"profit_sharing": {"balance": 200000}}},
        "request": {"date": "2026-11-02", "amount": 20000, "destination": "cash"},
    }
    for k, v in over.items():
        case[k] = {**case[k], **v}
    return case


def test_the_exception_says_the_year_of_50_and_covers_the_firefighter():
    text = reason("PX_PUBLIC_SAFETY").text
    assert "left at 50" not in text
    assert "in or after the year you turned 50" in text
    assert "25 years of service under the plan" in text
    assert "firefighting services" in text and "private" in text
    assert "§72(t)(10)" in reason("PX_PUBLIC_SAFETY").citation
    sepp = reason("SP_NO_RECAPTURE_PUBLIC_SAFETY").text
    assert "left at 50" not in sepp and "in or after the year you turned 50" in sepp


def test_the_officer_who_left_at_49_in_the_year_of_50_reads_why_he_owes_nothing():
    # 10% of $20,000 spared: §72(t)(10)(A), separation in 2026, the year he turns 50.
    a = assess_cases([parse_case(_officer())])[0]
    cash = next(o for o in a["outcomes"] if o["route"] == "separation" and o["destination"] == "cash")
    assert cash["additional_tax_72t"] == pytest.approx(0.0, abs=0.005)
    texts = [r["text"] for r in cash["reasons"] if r["code"] == "PX_PUBLIC_SAFETY"]
    assert texts and "in or after the year you turned 50" in texts[0]


def test_the_field_help_lists_who_qualifies():
    help_text = Case.model_json_schema()["$defs"]["Person"]["properties"][
        "qualified_public_safety"]["description"]
    for words in ("police", "firefighting", "emergency medical", "corrections officer",
                  "forensic security", "law enforcement officer", "customs and border protection",
                  "air traffic controller", "§330"):
        assert words in help_text, words
    ff = Case.model_json_schema()["$defs"]["Person"]["properties"]["firefighter"]["description"]
    assert "private" in ff and "§308" in ff


# -- HELPS (§402(l)) -------------------------------------------------------------------------


def test_a_retired_officer_paying_premiums_is_told_the_exclusion_is_not_figured():
    case = parse_case(_officer(request={"amount": 3000, "purpose": "medical"}))
    notes = helps_notes(case)
    assert [n["code"] for n in notes] == ["OC_HELPS_NOT_FIGURED"]
    assert "not figured" in notes[0]["text"] and "§402(l)" in notes[0]["citation"]
    assert "§328" in notes[0]["citation"]
    ltc = parse_case(_officer(request={"amount": 3000, "purpose": "long_term_care",
                                       "long_term_care_premiums": 3000},
                              plan={"secure2": {"long_term_care": True}}))
    assert [n["code"] for n in helps_notes(ltc)] == ["OC_HELPS_NOT_FIGURED"]


@pytest.mark.parametrize("over", [
    {"person": {"qualified_public_safety": False}},            # not a public safety officer
    {"plan": {"governmental": False}},                          # §402(l)(4)(A): a governmental plan
    {"employment": {"status": "active", "separation_date": None}},  # §402(l)(4)(B): retired
    {},                                                         # purpose none: no premiums
])
def test_no_note_where_the_exclusion_cannot_apply(over):
    request = {} if not over else {"purpose": "medical"}
    case = _officer(**over)
    case["request"] = {**case["request"], **request}
    if case["employment"].get("separation_date") is None:
        case["employment"].pop("separation_date", None)
    assert helps_notes(parse_case(case)) == []


def test_the_text_names_no_figure_the_law_files_do_not_hold():
    # The §402(l)(2) limit is in no parameter file (the exclusion is not figured): the text
    # names the limit without its amount.
    assert "$" not in reason("OC_HELPS_NOT_FIGURED").text
    assert "yearly limit" in reason("OC_HELPS_NOT_FIGURED").text


def test_the_assessment_carries_the_helps_note():
    # The review's case h1: separated 2024 at the plan's retirement age of 55, long-term care
    # premiums of $3,000 (§402(l)(1), (2)).
    case = parse_case(_officer(
        person={"birth_date": "1969-05-01"},
        employment={"hire_date": "1996-01-10", "separation_date": "2024-06-30"},
        plan={"retirement_age": 55, "secure2": {"long_term_care": True}},
        request={"amount": 3000, "purpose": "long_term_care", "long_term_care_premiums": 3000}))
    notes = assess_cases([case])[0]["notes"]
    assert "OC_HELPS_NOT_FIGURED" in [n["code"] for n in notes]
