"""The comparison of a QDRO share: a child's share paid as the order says, and the rollover
trap's 10% figured on the taxable part only — each answer worked by hand from the rule.

* A child's or other dependent's share (IRC §414(p)(8)) is taxed to the participant
  (§402(e)(1)(A) makes only a spouse or former spouse the distributee; Pub. 504) and owes no 10%
  tax (§72(t)(2)(C): "any distribution to an alternate payee pursuant to a qualified domestic
  relations order").  It is paid when the order says: the participant cannot leave it in the
  plan and take it at 65, so the comparison offers no "leave it in the plan" (it was the ★,
  worth $34,786 at 65 for the example), and the share — the child's money — is valued at no
  later age.  The example's participant: single, wages $85,000 in 2026, standard deduction
  $16,100 (Rev. Proc. 2025-32): taxable income 68,900; the 22% bracket runs from $50,400 to
  $105,700, so the $20,000 payment adds 0.22 × 20,000 = $4,400 at the participant's rate, and
  a $5,000 one 0.22 × 5,000 = $1,100; 10% withheld (§3405(b)): $2,000, $500.
* The trap of a spouse or former spouse rolling the share to an IRA before 59½ (§72(t)(1)):
  the 10% falls on the amount includible in income only.  In a traditional IRA the after-tax
  basis rolled in (Form 8606 line 2) comes out pro rata over all the person's traditional IRAs
  (§408(d)(1)-(2), §72(e)(8); Form 8606 Part I, line 10 = line 5 / (line 6 + line 7), rounded to
  three places):
  - a $100,000 share holding $20,000 of basis, rolled whole to a traditional IRA, all taken out
    at 45: line 10 = 20,000 / 100,000 = 0.200, taxable 80,000, 10% = $8,000 (the trap said
    $10,000, the tax on the whole $100,000, where no cash option showed the split);
  - the same, $30,000 of it taken out at 45: line 6 = 70,000, line 7 = 30,000, line 10 = 0.200,
    nontaxable 6,000, taxable $24,000, 10% = $2,400;
  - with $50,000 of pre-tax money already in a traditional IRA: line 10 = 20,000 / 150,000 =
    0.1333 → 0.133, nontaxable 100,000 × 0.133 = 13,300, taxable $86,700, 10% = $8,670;
  - by the Notice 2014-54 split, the basis goes to a Roth IRA tax-free and the traditional IRA
    gets the $80,000 pre-tax only: taxable $80,000, 10% = $8,000; California adds 2.5% of the
    taxable amount (R&TC §17085(c)(1)): $2,000.
  - designated Roth money rolls to a Roth IRA (§402A(c)(3)); a non-qualified plan payment's
    contributions become the Roth IRA's contributions, its earnings come out taxable (Treas.
    Reg. §1.408A-10, Q&A-3; §408A(d)(4)): $20,000 rolled from a share of $60,000 pre-tax and
    $60,000 Roth ($40,000 contributions) is $10,000 pre-tax (taxable) and $10,000 Roth, of it
    10,000 × 20,000 / 60,000 = $3,333.33 earnings: taxable $13,333.33, 10% = $1,333.33 (the
    trap said $2,000); the participant past 59½ and the five years run (§402A(d)(2)), the plan
    payment is qualified and all of the Roth money is contributions: taxable $10,000, $1,000.
"""

from __future__ import annotations

import copy

import pytest

from dist401k.case import parse_case
from dist401k.compare import compare_case
from dist401k.law.loader import default_law
from dist401k.traps import qdro_taxable_if_taken

CHILD = {
    "id": "child", "person": {"birth_date": "1979-08-20", "filing_status": "single"},
    "income": {"wages": 85000}, "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 20000}}},
    "alternate_payee": {"relationship": "child"},
    "request": {"date": "2026-06-01", "amount": "max"}}

SPOUSE = {
    "id": "fs", "person": {"birth_date": "1981-03-15", "filing_status": "single"},
    "income": {"wages": 60000}, "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 60000},
                            "after_tax": {"balance": 40000, "basis": 20000}}},
    "alternate_payee": {"relationship": "former_spouse"},
    "request": {"date": "2026-06-01", "amount": "max", "destination": "traditional_ira"}}


def _with(base: dict, **changes) -> dict:
    case = copy.deepcopy(base)
    for path, value in changes.items():
        *head, last = path.split("__")
        at = case
        for key in head:
            at = at.setdefault(key, {})
        at[last] = value
    return case


def _compare(case: dict) -> dict:
    return compare_case(parse_case(case))


def _trap(case: dict) -> dict:
    return next(t for t in _compare(case)["traps"] if t["code"] == "QDRO_ROLLOVER")


@pytest.mark.parametrize("relationship", ["child", "dependent"])
def test_a_childs_share_is_paid_as_the_order_says_not_left_to_the_participants_65(relationship):
    out = _compare(_with(CHILD, alternate_payee__relationship=relationship))
    assert [o["option"] for o in out["options"]] == ["qdro_dependent:cash"]
    (o,) = out["options"]
    assert o["gross"] == 20000.0 and o["income_tax_now"] == 4400.0 and o["penalty_now"] == 0.0
    assert o["withholding"] == 2000.0 and o["check_received"] == 18000.0
    assert out["best_at"] == {"65": "qdro_dependent:cash"}
    assert o["after_tax_value_at"] == {"65": 0.0}
    assert any(n.startswith("Paid as the order says") and "§414(p)" in n for n in o["notes"])


def test_the_rest_of_a_childs_share_is_not_valued_as_the_participants():
    out = _compare(_with(CHILD, request__amount=5000))
    (o,) = out["options"]
    assert o["gross"] == 5000.0 and o["income_tax_now"] == 1100.0 and o["withholding"] == 500.0
    assert o["after_tax_value_at"] == {"65": 0.0} and set(o["by_year"]) == {0.0}


def test_a_childs_share_not_payable_yet_pays_nothing_now():
    out = _compare(_with(CHILD, alternate_payee__payable_now=False))
    assert [o["option"] for o in out["options"]] == ["leave"]
    assert out["options"][0]["check_received"] == 0.0


def test_a_former_spouse_may_still_leave_her_share_in_the_plan():
    out = _compare(SPOUSE)
    assert [o["option"] for o in out["options"]][0] == "leave"


def test_the_trap_taxes_the_share_rolled_whole_to_an_ira_pro_rata():
    t = _trap(SPOUSE)
    f = t["figures"]
    assert f["rest"] == 100000.0 and f["taxable_if_from_ira"] == 80000.0
    assert f["additional_tax_if_from_ira"] == 8000.0
    assert "up to $8,000 on the $100,000 you would roll over" in t["text"]
    assert "taxable $80,000" in t["text"] and "§408(d)" in t["citation"]


def test_thirty_thousand_taken_at_45_of_the_share_rolled_whole():
    case = parse_case(SPOUSE)
    rows = compare_case(case)["assessment"]["outcomes"]
    taxable = qdro_taxable_if_taken(case, default_law(), 100000.0, rows, out=30000.0)
    assert round(taxable, 2) == 24000.0
    assert round(0.10 * taxable, 2) == 2400.0


def test_the_traditional_iras_already_held_join_the_pro_rata():
    t = _trap(_with(SPOUSE, iras__traditional=50000))
    assert t["figures"]["taxable_if_from_ira"] == 86700.0
    assert t["figures"]["additional_tax_if_from_ira"] == 8670.0


def test_the_split_sends_the_basis_to_a_roth_ira_and_the_state_taxes_the_taxable_part():
    t = _trap(_with(SPOUSE, request__destination="split_2014_54", person__state="CA"))
    assert t["figures"]["taxable_if_from_ira"] == 80000.0
    assert t["figures"]["additional_tax_if_from_ira"] == 8000.0
    assert t["figures"]["state_additional_tax_if_from_ira"] == 2000.0


@pytest.mark.parametrize("participant_born, taxable, owed", [
    ("1975-01-01", 13333.33, 1333.33),   # under 59½: the Roth part not qualified
    ("1960-01-01", 10000.0, 1000.0),     # past 59½, five years run: qualified
])
def test_the_roth_part_rolled_owes_only_on_its_earnings(participant_born, taxable, owed):
    case = _with(SPOUSE, person__birth_date="1986-03-15", request__amount=20000,
                 alternate_payee__participant_birth_date=participant_born)
    case["account"]["sources"] = {
        "elective_deferral": {"balance": 60000},
        "roth_deferral": {"balance": 60000, "contributions": 40000, "first_year": 2012}}
    f = _trap(case)["figures"]
    assert f["rest"] == 20000.0
    assert f["taxable_if_from_ira"] == taxable and f["additional_tax_if_from_ira"] == owed


def test_money_from_the_participants_roth_ira_is_no_alternative_to_the_order():
    # The plan pays the child's share under the order whatever else the participant takes: the
    # Roth IRA's money "instead" spares none of it (it was option 2, valued at -$36,933 at 65).
    out = _compare(_with(CHILD, iras={"roth": 30000, "roth_contributions": 20000,
                                      "roth_first_year": 2010}))
    assert [o["option"] for o in out["options"]] == ["qdro_dependent:cash"]
