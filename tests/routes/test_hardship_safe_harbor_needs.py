"""The 401(k) hardship route opens only for a need on the safe-harbor list of Treas. Reg.
§1.401(k)-1(d)(3)(ii)(B): (1) medical care, (2) costs directly related to buying a principal
residence, (3) tuition and related educational fees for the next 12 months, (4) payments to
prevent eviction or foreclosure, (5) burial or funeral expenses, (6) casualty repair of the
principal residence, and (7) expenses and losses on account of a disaster FEMA declared for
individual assistance.  A purpose off the list — a §72(t)(2)(I) emergency personal expense, a
§72(t)(2)(K) domestic abuse victim distribution, a §72(t)(2)(H) birth or adoption, a
§401(a)(39) long-term care premium — is not a safe-harbor need: the hardship route stays shut
with HS_NOT_SAFE_HARBOR_NEED (the SECURE 2.0 withdrawal, where the plan offers it, is its own
route).  The mutation audit's H01 (emergency added to the list) passed every hardship test."""

from __future__ import annotations

import pytest

from routes.conftest import route

#: Active employee, 401(k) allowing hardship from elective deferrals, $41,000 vested
#: (elective deferrals are always fully vested, §401(k)(2)(C)); need $8,000.
CASE = {
    "person": {"birth_date": "1988-04-02", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2015-06-01"},
    "income": {"wages": 68000},
    "plan": {"type": "401k", "hardship": {"allowed": True, "sources": ["elective_deferral"]}},
    "account": {"sources": {"elective_deferral": {"balance": 41000}}},
    "request": {"date": "2026-11-23", "amount": "max", "need": 8000},
}


def _case(purpose: str) -> dict:
    req = {**CASE["request"], "purpose": purpose}
    if purpose in ("disaster", "domestic_abuse", "birth_adoption"):
        req["event_date"] = "2026-09-01"  # the case model asks these purposes for the event's day
    if purpose == "disaster":
        # (B)(7) needs the FEMA declaration for individual assistance.
        req["disaster_declared"] = True
    return {**CASE, "request": req}


def _codes(result: dict) -> set[str]:
    row = next(r for r in result["routes"]
               if r["route"] == "hardship" and r["source"] == "elective_deferral")
    return {x["code"] for x in row["reasons"]}


@pytest.mark.parametrize("purpose", ["emergency", "domestic_abuse", "birth_adoption",
                                     "long_term_care"])
def test_a_need_off_the_safe_harbor_list_gets_no_hardship(assess, purpose):
    r = assess(_case(purpose))
    s = route(r, "hardship")
    assert s["eligible"] is False
    assert s["available"] == 0.0
    assert "HS_NOT_SAFE_HARBOR_NEED" in _codes(r)
    assert "HS_SAFE_HARBOR_NEED" not in _codes(r)


@pytest.mark.parametrize("purpose", ["medical", "home_purchase", "tuition", "eviction", "funeral",
                                     "casualty", "disaster"])
def test_each_of_the_seven_safe_harbor_needs_opens_it(assess, purpose):
    """Each of (B)(1)–(7) opens the route on the whole $41,000 of elective deferrals the plan
    lets hardship reach (the amount paid is then limited to the need and its taxes,
    §1.401(k)-1(d)(3)(iii)(A), in the outcome)."""
    r = assess(_case(purpose))
    s = route(r, "hardship")
    assert s["eligible"] is True
    assert s["available"] == pytest.approx(41000.0)
    assert "HS_SAFE_HARBOR_NEED" in _codes(r)
    assert "HS_NOT_SAFE_HARBOR_NEED" not in _codes(r)
