"""The integer codes of a batch's arrays are enumerations, member k for the k-th name a case
gives: the enumeration, the names and the code a batch stores for a case agree."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.batch import CaseBatch
from dist401k.case import (
    DESTINATION_CHOICES,
    PLAN_TYPES,
    PURPOSES,
    RELATIONSHIPS,
    SEPP_TABLES,
    SPOUSE_ELECTIONS,
    Destination,
    PlanType,
    Purpose,
    Relationship,
    SeppTable,
    SpouseElection,
    parse_case,
)
from dist401k.law.filing_status import (
    FILING_STATUSES,
    MARRIED_JOINT,
    FilingStatus,
    filing_status_codes,
)
from routes.conftest import make

CODES = [(FilingStatus, FILING_STATUSES), (PlanType, PLAN_TYPES), (Purpose, PURPOSES),
         (Relationship, RELATIONSHIPS), (SpouseElection, SPOUSE_ELECTIONS),
         (SeppTable, SEPP_TABLES), (Destination, DESTINATION_CHOICES)]


def _spelt(member) -> str:
    """A member's name as a case spells it (a plan type's name cannot start with a digit)."""
    return member.name.lower().removeprefix("plan_")


def _member(enum, name: str):
    return next(m for m in enum if _spelt(m) == name)


def test_member_k_is_the_kth_name():
    for enum, names in CODES:
        assert [int(m) for m in enum] == list(range(len(names))), enum
        assert [_spelt(m) for m in enum] == list(names), enum


def test_the_filing_status_parser_gives_the_members():
    codes = filing_status_codes(list(FILING_STATUSES) + ["mfj"])
    assert codes.tolist() == [*FilingStatus, FilingStatus.MARRIED_JOINT]
    assert MARRIED_JOINT is FilingStatus.MARRIED_JOINT


@settings(max_examples=25, deadline=None)
@given(plan=st.sampled_from(PLAN_TYPES), purpose=st.sampled_from(PURPOSES))
def test_a_batch_stores_the_member_of_the_case_name(plan, purpose):
    case = make({"plan.type": plan, "request.purpose": purpose, "request.event_date":
                 "2026-10-01", "plan.governmental": plan == "governmental_457b"})
    b = CaseBatch.from_cases([parse_case(case)])
    assert np.asarray(b.plan_type).tolist() == [_member(PlanType, plan)]
    assert np.asarray(b.purpose).tolist() == [_member(Purpose, purpose)]
