"""Iowa withholding from a plan distribution to a payee whose retirement income Iowa excludes
(docs/state.md, "Withholding").

The IA W-4P (44-020), 2024 and 2025, "Eligibility requirements": retirement income, a plan or
IRA distribution included, "may be excludable from taxable income. Iowa income tax is not
required to be withheld from these distributions to qualifying recipients. To be eligible for
the exclusion, you must be 55 years of age or older or disabled", disabled meaning "federal or
state criteria for disability" (the §72(m)(7) disability of ``person.disabled`` is one).  The
age is the one of Iowa Code §422.7(31): 55 or older on December 31 of the tax year (the
Department's retirement income guidance of March 2023; law/params/state/ia/
retirement_exclusion_age).  Anyone else: withheld where federal tax is, with no election out,
at 3.8% (2025 IA W-4P; 5% on the 2024 form), the formula or the tables at the payer's option —
no one amount, so ``null``.

The reviewer's case (/tmp/qa/s_wh/c/ia_1960.yaml): born 1960-01-01, separated 2024-12-13,
$180,000 elective deferrals and $60,000 match, $40,000 in cash on 2026-03-15, federal 20% =
$8,000.  66 at the end of 2026: no Iowa withholding is required — none unless asked, and
$40,000 × 5% = $2,000 where 5% is asked.  Born 1971-12-31: 54 on the day paid, 55 on
December 31, 2026 — excluded, none required.  Born 1972-01-01: 54 at the end of 2026 —
required, its amount not figured, no election out.
"""

from __future__ import annotations

import numpy as np

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.law import default_law
from dist401k.state_withholding import Payee, state_withholding

LAW = default_law()


def iowa_case(birth_date: str, **changes) -> dict:
    case = {
        "id": "ia", "person": {"birth_date": birth_date, "filing_status": "single", "state": "IA"},
        "employment": {"status": "separated", "hire_date": "2009-02-02",
                       "separation_date": "2024-12-13"},
        "plan": {"type": "401k"},
        "account": {"sources": {"elective_deferral": {"balance": 180000},
                                "match": {"balance": 60000}}},
        "request": {"date": "2026-03-15", "amount": 40000, "destination": "cash"},
    }
    for path, value in changes.items():
        part, key = path.split("__")
        case[part][key] = value
    return case


def cash(case: dict) -> dict:
    answer = assess_cases([parse_case(case)])[0]
    return next(o for o in answer["outcomes"]
                if o["route"] == "separation" and o["destination"] == "cash")


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"] if r["code"].startswith("STATE_WITHHOLDING")}


REQUIRED = {"STATE_WITHHOLDING_WITH_FEDERAL", "STATE_WITHHOLDING_NO_ELECTION_OUT",
            "STATE_WITHHOLDING_AMOUNT_NOT_FIGURED"}


def test_none_is_required_from_a_payee_55_or_older():
    o = cash(iowa_case("1960-01-01"))
    assert o["withholding"] == 8000.00
    assert o["state_withholding"] == 0.0
    assert {"STATE_WITHHOLDING_VOLUNTARY", "STATE_WITHHOLDING_RETIREMENT_EXCLUDED"} <= codes(o)
    assert not REQUIRED & codes(o)
    assert o["check_received"] == 40000 - 8000


def test_an_excluded_payee_may_ask_for_it():
    o = cash(iowa_case("1960-01-01", request__state_withholding_rate=0.05))
    assert o["state_withholding"] == 2000.00
    assert "STATE_WITHHOLDING_ELECTED" in codes(o)
    assert not REQUIRED & codes(o)


def test_the_age_is_the_one_on_december_31():
    o = cash(iowa_case("1971-12-31"))
    assert o["state_withholding"] == 0.0
    assert "STATE_WITHHOLDING_RETIREMENT_EXCLUDED" in codes(o)
    younger = cash(iowa_case("1972-01-01"))
    assert younger["state_withholding"] is None
    assert REQUIRED <= codes(younger)
    assert "STATE_WITHHOLDING_RETIREMENT_EXCLUDED" not in codes(younger)


def test_none_is_required_from_a_disabled_payee():
    o = cash(iowa_case("1985-01-01", person__disabled=True))
    assert o["state_withholding"] == 0.0
    assert "STATE_WITHHOLDING_RETIREMENT_EXCLUDED" in codes(o)
    assert not REQUIRED & codes(o)


def test_the_rule_reads_age_and_disability_over_a_batch():
    born = np.array([1960.0, 1985.0, 1985.0, 1971.0, 1972.0, np.nan])
    disabled = np.array([False, True, False, False, False, False])
    sw = state_withholding(LAW, np.full(6, "IA"), np.full(6, 2026), 40000.0, 8000.0,
                           np.ones(6, bool), Payee(born, disabled))
    np.testing.assert_array_equal(sw.amount[[0, 1, 3]], 0.0)
    assert np.isnan(sw.amount[[2, 4, 5]]).all()  # under 55 (or not known), not disabled
    want = [True, True, False, True, False, False]
    assert sw.reasons["STATE_WITHHOLDING_RETIREMENT_EXCLUDED"].tolist() == want
    assert sw.reasons["STATE_WITHHOLDING_NO_ELECTION_OUT"].tolist() == [not w for w in want]
    assert sw.reasons["STATE_WITHHOLDING_VOLUNTARY"].tolist() == want


def test_other_states_do_not_read_it():
    """California withholds 10% of the federal whatever the payee's age (§13028(c)(3))."""
    sw = state_withholding(LAW, np.array(["CA"]), np.array([2026]), 40000.0, 8000.0,
                           np.ones(1, bool), Payee(np.array([1960.0]), np.array([True])))
    assert sw.amount.tolist() == [800.0]
    assert not sw.reasons["STATE_WITHHOLDING_RETIREMENT_EXCLUDED"].any()
