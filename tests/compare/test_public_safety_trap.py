"""compare's rollover trap names the exception the person would lose by rolling to an IRA.

IRC §72(t)(3)(A): the separation exceptions (§72(t)(2)(A)(v), and the public safety one of
§72(t)(10) that is built on it) do not reach an IRA; a governmental 457(b)'s own money is outside
§72(t) (§72(t)(9)) only while in the plan.  A police officer who left in the year of 50 has the
public safety exception, not the rule of 55: the trap once told him he loses "the rule of 55",
citing only §72(t)(2)(A)(v), (t)(3)(A), (t)(9).
"""

from __future__ import annotations

from dist401k.case import parse_case
from dist401k.compare import compare_case


def _case(**over) -> dict:
    """Born 1976-08-01 (50 in 2026), hired 2005, separated 2026-03-31 (at 49, in the year of 50),
    $200,000 in a governmental money purchase plan, $20,000 asked on 2026-11-02 for an IRA."""
    person = {"birth_date": "1976-08-01", "filing_status": "single", **over.pop("person", {})}
    case = {
        "person": person,
        "employment": {"status": "separated", "hire_date": "2005-01-10", "separation_date": "2026-03-31"},
        "income": {"wages": 20000},
        "plan": {"type": "money_purchase", "governmental": True},
        "account": {"sources": {"profit_sharing": {"balance": 200000}}},
        "request": {"date": "2026-11-02", "amount": 20000, "destination": "traditional_ira"},
    }
    for k, v in over.items():
        case[k] = {**case[k], **v}
    return case


def _trap(case: dict) -> dict:
    traps = [t for t in compare_case(parse_case(case))["traps"] if t["code"] == "RULE_55_LOST"]
    assert len(traps) == 1, traps
    return traps[0]


def test_a_public_safety_employee_is_told_he_loses_the_public_safety_exception():
    # Left in the year of 50 (§72(t)(10)(A): "age 50" for "age 55"); 49 when he left, so the
    # rule of 55 was never his.
    t = _trap(_case(person={"qualified_public_safety": True}))
    assert "public safety exception" in t["text"]
    assert "rule of 55" not in t["text"]
    assert "§72(t)(10)" in t["citation"]
    assert "(t)(2)(A)(v)" not in t["citation"]


def test_a_private_firefighter_is_told_the_same():
    # A private employer's 401(k): §72(t)(10)(A) as amended by SECURE 2.0 §308.
    t = _trap(_case(person={"firefighter": True}, plan={"type": "401k", "governmental": False},
                    account={"sources": {"elective_deferral": {"balance": 200000}}}))
    assert "public safety exception" in t["text"] and "rule of 55" not in t["text"]
    assert "§72(t)(10)" in t["citation"]


def test_the_rule_of_55_is_still_named_for_one_who_left_at_55():
    # Born 1970-03-01: 56 in 2026, the year he left (§72(t)(2)(A)(v)).
    t = _trap(_case(person={"birth_date": "1970-03-01"}))
    assert "rule of 55" in t["text"] and "public safety" not in t["text"]
    assert "§72(t)(2)(A)(v)" in t["citation"] and "(t)(10)" not in t["citation"]


def test_a_governmental_457b_names_its_own_exemption():
    # At 49, left in 2026 (no rule of 55, not a public safety employee): the 457(b)'s own money
    # owes no 10% tax (§72(t)(9)); in an IRA it would.
    t = _trap(_case(plan={"type": "governmental_457b"},
                    account={"sources": {"elective_deferral": {"balance": 200000}}}))
    assert "457(b)" in t["text"] and "rule of 55" not in t["text"] and "public safety" not in t["text"]
    assert "§72(t)(9)" in t["citation"]
