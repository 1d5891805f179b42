"""A beneficiary other than the surviving spouse moves inherited plan money only by a direct
transfer to an *inherited* IRA (IRC §402(c)(11)(A)).  ``assess`` must not say of that outcome
what an own IRA does:

- ``OC_RULE_55_LOST``: what an inherited IRA pays is paid on account of the owner's death, free of
  the 10% tax at any age (§72(t)(2)(A)(ii)), so no exception of the plan is lost by the transfer;
- Form 8606 line 6 (the year-end value of the person's own traditional IRAs): an inherited IRA
  is not one of them (§408(d)(2); Form 8606 instructions: an inherited IRA's basis is figured
  apart unless a spouse treats it as their own).

A surviving spouse's rollover goes to the spouse's own IRA: both stay.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from compare.test_heir_inherited_ira_traps import NEPHEW  # the same case as compare's test
from dist401k.assess import assess_cases
from dist401k.case import parse_case

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"

def _example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())


def _outcome(case: dict, dest: str) -> dict:
    assessed = assess_cases([parse_case(copy.deepcopy(case))])[0]
    return next(o for o in assessed["outcomes"]
                if o["route"] == "beneficiary" and o["destination"] == dest)


def _codes(o: dict) -> list[str]:
    return [r["code"] for r in o["reasons"]]


def _spouse(case: dict) -> dict:
    case = copy.deepcopy(case)
    case["beneficiary"]["relationship"] = "spouse"
    return case


# Form 8606 by hand without the inherited IRA: line 1 = 7,000, line 6 = 0, line 8 = 7,000,
# line 9 = 0 + 0 + 7,000 = 7,000, line 10 = 7,000 / 7,000 = 1.000, line 11 = 7,000 × 1.000 =
# 7,000 nontaxable, line 18 = 7,000 − 7,000 = 0.
def test_nephew_transfer_form_8606_leaves_out_the_inherited_ira():
    o = _outcome(NEPHEW, "traditional_ira")
    assert o["to_traditional_ira"] == 15000  # the money still goes to a (inherited) traditional IRA
    form = o["form_8606"]
    assert form["line_6"] == 0
    assert form["line_9"] == 7000
    assert form["line_10"] == 1.0
    assert form["line_11"] == 7000
    assert form["line_18"] == 0


# With $20,000 in his own traditional IRA: line 6 = 20,000 (the inherited $15,000 not added),
# line 9 = 27,000, line 10 = 7,000 / 27,000 = 0.25926 → 0.259, line 11 = 7,000 × 0.259 = 1,813,
# line 18 = 7,000 − 1,813 = 5,187.
def test_nephew_own_ira_still_counts():
    case = copy.deepcopy(NEPHEW)
    case["iras"]["traditional"] = 20000
    form = _outcome(case, "traditional_ira")["form_8606"]
    assert form["line_6"] == 20000
    assert form["line_10"] == 0.259
    assert form["line_18"] == 5187


# The surviving spouse rolls to the spouse's own IRA: line 6 = 15,000, line 9 = 22,000, line 10 =
# 7,000 / 22,000 = 0.31818 → 0.318, line 11 = 7,000 × 0.318 = 2,226, line 18 = 4,774.
def test_spouse_rollover_form_8606_counts_it():
    form = _outcome(_spouse(NEPHEW), "traditional_ira")["form_8606"]
    assert form["line_6"] == 15000
    assert form["line_10"] == 0.318
    assert form["line_18"] == 4774


# A daughter of 34 inherits a governmental 457(b) (the shipped example): its money is outside
# §72(t) in the plan (§72(t)(9)), and in an inherited IRA it is paid on account of death
# (§72(t)(2)(A)(ii)): nothing is lost by the transfer.
def test_child_transfer_of_457_loses_no_exception():
    case = _example("inherited-ten-year-before-rbd")
    for dest in ("traditional_ira", "roth_ira"):
        o = _outcome(case, dest)
        assert "OC_RULE_55_LOST" not in _codes(o), dest
        assert "BN_INHERITED_IRA_TRANSFER" in _codes(o), dest


# The same 457(b) rolled by the surviving spouse of 34 to the spouse's own IRA: what is taken
# from it before 59½ owes the 10% tax; the plan's exemption is lost.
def test_spouse_rollover_of_457_keeps_rule_55_lost():
    case = _spouse(_example("inherited-ten-year-before-rbd"))
    for dest in ("traditional_ira", "roth_ira", "indirect_60day"):
        assert "OC_RULE_55_LOST" in _codes(_outcome(case, dest)), dest
