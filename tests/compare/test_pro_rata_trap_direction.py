"""The PRO_RATA trap warns only where a rollover to a traditional IRA RAISES the taxable part of
the year's backdoor Roth conversion (IRC §408(d)(2): Form 8606 counts every traditional IRA at
year end).  A rollover that brings basis with it (after-tax money: Form 8606 line 2 takes it in,
per the form's instructions and Pub. 590-B) can LOWER that part: then it is no trap — the
option's own note tells the saving (docs/compare.md)."""

from __future__ import annotations

import copy

# neg: a traditional IRA of $50,000 (no basis), a $7,500 backdoor Roth, and $100,000 of
# after-tax money ($95,000 of it basis) paid in service.  Form 8606 by hand:
#   without the rollover: line 10 = 7,500 / (50,000 + 7,500) = 0.1304 → 0.130;
#                         line 18 = 7,500 − 975 = 6,525 taxable (87.0%)
#   rolled whole to a traditional IRA: line 10 = (7,500 + 95,000) / (150,000 + 7,500)
#                         = 0.6508 → 0.651; line 18 = 7,500 − 4,882.50 = 2,617.50 (34.9%)
# The rollover lowers the taxable part: no PRO_RATA trap.
# c5b: no traditional IRA, a $7,500 backdoor Roth, $100,000 of pre-tax deferrals paid in
# service.  Without the rollover line 18 is 0 (line 10 = 7,500 / 7,500 = 1); rolled to a
# traditional IRA, line 10 = 7,500 / 107,500 = 0.0698 → 0.070, line 18 = 7,500 − 525 = 6,975
# taxable (93.0%): the rollover raises the taxable part, the trap stays.
from compare.test_advisor_review_fixes import C5B, NEG  # noqa: E402  (the same cases)
from dist401k.case import parse_case
from dist401k.compare import compare_case


def _compared(case: dict) -> dict:
    return compare_case(parse_case(copy.deepcopy(case)))


def test_a_rollover_that_lowers_the_taxable_part_is_no_trap():
    cmp = _compared(NEG)
    assert [t for t in cmp["traps"] if t["code"] == "PRO_RATA"] == []
    assert "Keep the pre-tax money out of traditional IRAs" not in str(cmp["traps"])
    # the saving is still told, by the option that rolls there (6,525 − 2,617.50 less taxable)
    o = next(o for o in cmp["options"] if o["option"] == "in_service:traditional_ira")
    assert o["backdoor_tax_detail"]["taxable_with"] < o["backdoor_tax_detail"]["taxable_without"]


def test_a_rollover_that_raises_the_taxable_part_keeps_its_trap():
    (trap,) = [t for t in _compared(C5B)["traps"] if t["code"] == "PRO_RATA"]
    assert "93.0% of the $7,500 conversion is taxable ($6,975)" in trap["text"]
    assert (trap["figures"]["taxable"], trap["figures"]["taxable_without"]) == (6975.0, 0.0)


_HELD = {  # born 1965, wages 142,000, a 401(k) that accepts roll-ins; 10,000 asked in service
    "person": {"birth_date": "1965-04-04", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2006-01-09"},
    "income": {"wages": 142000},
    "plan": {"type": "401k", "accepts_rollins": True,
             "in_service": {"elective_deferral": {"allowed": True, "min_age": 59.5}}},
    "account": {"sources": {"elective_deferral": {"balance": 310000}}},
    "iras": {"traditional": 92500, "traditional_basis": 0, "backdoor_roth_planned": 7500},
    "request": {"date": "2026-06-01", "amount": 10000},
}


def _pro_rata(case: dict) -> dict:
    (trap,) = [t for t in _compared(case)["traps"] if t["code"] == "PRO_RATA"]
    return trap


def test_with_nothing_rolled_the_trap_blames_the_iras_held_not_a_rollover():
    """Paid in cash, nothing rolled to an IRA: the $92,500 already held makes line 10 = 7,500 /
    (92,500 + 7,500) = 0.075, line 18 = 7,500 − 562.50 = 6,937.50 taxable (92.5%).  The trap
    names the IRAs held, not a rollover that does not happen."""
    case = copy.deepcopy(_HELD)
    case["request"]["destination"] = "cash"
    trap = _pro_rata(case)
    assert "rollover" not in trap["title"].lower()
    assert "rolled in" not in trap["text"]
    assert "$92,500" in trap["text"] and "92.5%" in trap["text"] and "($6,938)" in trap["text"]


def test_the_remedy_leaves_the_after_tax_basis_in_the_ira():
    """With $20,000 of the $92,500 after-tax basis, only the $72,500 pre-tax can roll into the
    plan (§408(d)(3)(A)(ii); what rolls is taken from income first, (H)): the year-end value
    falls to the $20,000 of basis, not to zero."""
    case = copy.deepcopy(_HELD)
    case["iras"]["traditional_basis"] = 20000
    text = _pro_rata(case)["text"]
    assert "falls to zero" not in text
    assert "falls to the $20,000 of after-tax basis" in text
