"""The enrolled agent's review of the Roth IRA and Form 8606 side: three defects, each checked
on the reviewer's case and against the rule it broke.

D1. Conversions made in the same year are one (Treas. Reg. §1.408A-6, Q&A-9: all conversion
    contributions received in the same taxable year are added together), and a distribution
    allocated to them comes first out of their taxable part (Q&A-8; IRC §408A(d)(4)(B)(ii)):
    the order in which the case lists them changes nothing.  Reviewer's case: $7,000 converted
    in 2024 with nothing taxable and $20,000 converted in 2024 all taxable, no regular
    contributions, $7,000 taken in 2026 at 45: the $7,000 is the taxable part of a 2024
    conversion, within its 5 years (§408A(d)(3)(F)), so Form 5329 line 1 is $7,000 and line 4
    $700, listed either way.
D2. An inherited Roth IRA's distribution that is not qualified is includible "in the same
    manner as it would have been included in the owner's income" (Pub. 590-B, "Distributions
    to beneficiaries"): by the ordering rules (§408A(d)(4)(B)), contributions first — not pro
    rata, the designated Roth account's rule (§402A(d)), which an heir of a plan keeps.
    Reviewer's case: examples/cases/inherited-roth.yaml with the owner's first Roth year 2023
    (balance $120,000, contributions $45,000; death 2024; $10,000 on 2026-11-23): the 5 years
    run to 2027, so the $10,000 is not qualified but comes out of the $45,000 of
    contributions — nothing taxable, Form 8606 Part III lines 19 $10,000, 22 $45,000, 23 $0,
    25c $0, no Form 5329; the custodian withholds 10% of it (code T), as from the owner's own
    Roth IRA.
D3. compare's PRO_RATA trap reads the lines of the outcome's own Form 8606: after-tax money
    rolled into the traditional IRA is basis (line 2; Pub. 590-B: basis includes rollovers of
    after-tax amounts from qualified plans).  Reviewer's case:
    examples/cases/in-service-at-60-mega-backdoor.yaml with a $7,000 backdoor Roth: $690,000
    rolled in, $45,000 of it after-tax; line 5 $52,000, line 9 $697,000, line 10 0.075, so
    $525 of the conversion is nontaxable and $6,475 (92.5%) taxable — not 99.0%.
"""

from __future__ import annotations

import copy
import itertools
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.compare import compare_case
from dist401k.roth_ira_ordering import RothIraHistory, ordered
from routes.conftest import outcome

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def _example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _assess(case: dict) -> dict:
    return assess_cases([parse_case(case)])[0]


def _codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


# ── D1: conversions of the same year are one ────────────────────────────────────────────────

NAN = float("nan")


def _history(conversions, contributions=0.0) -> RothIraHistory:
    return RothIraHistory(
        contributions=np.array([float(contributions)]),
        conversion_year=np.array([[float(c[0]) for c in conversions]]),
        conversion_amount=np.array([[float(c[1]) for c in conversions]]),
        conversion_taxable=np.array([[float(c[2]) for c in conversions]]),
        first_year=np.array([NAN]))


def _split(amount, conversions, contributions=0.0, year=2026) -> tuple[float, ...]:
    o = ordered(np.array([float(amount)]), _history(conversions, contributions),
                np.array([year]), np.array([5.0]))
    return tuple(float(getattr(o, k)[0]) for k in (
        "contributions", "conversion_taxable", "conversion_nontaxable", "earnings", "recapture"))


@pytest.mark.parametrize("conversions", [
    [(2024, 7000, 0), (2024, 20000, 20000)],
    [(2024, 20000, 20000), (2024, 7000, 0)],
])
def test_same_year_conversions_give_their_taxable_part_first_in_either_order(conversions):
    # (contributions, conversion taxable, nontaxable, earnings, recapture)
    assert _split(7000, conversions) == (0, 7000, 0, 0, 7000)
    assert _split(22000, conversions) == (0, 20000, 2000, 0, 20000)


def test_an_earlier_year_still_comes_out_whole_first():
    # 2023: $5,000, none taxable; 2024: $20,000 taxable and $7,000 not, listed apart and out of
    # order.  $10,000 takes the 2023 conversion, then $5,000 of 2024's taxable part.
    conversions = [(2024, 20000, 20000), (2023, 5000, 0), (2024, 7000, 0)]
    assert _split(10000, conversions) == (0, 5000, 5000, 0, 5000)
    # Past the 2024 conversions' taxable part: their nontaxable part, then earnings.
    assert _split(35000, conversions, contributions=1000) == (1000, 20000, 12000, 2000, 20000)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(2019, 2026), st.integers(0, 30000),
                          st.floats(0, 1)), min_size=1, max_size=5),
       st.integers(0, 100000), st.integers(0, 10000))
def test_the_order_the_conversions_are_listed_in_changes_nothing(rows, amount, contributions):
    conversions = [(y, a, round(a * f)) for y, a, f in rows]
    splits = {_split(amount, list(p), contributions)
              for p in itertools.islice(itertools.permutations(conversions), 24)}
    first = next(iter(splits))
    assert all(s == pytest.approx(first) for s in splits)


ROTH_IRA_CASE = {
    "person": {"birth_date": "1981-02-14", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2012-03-01"},
    "income": {"wages": 82000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 64000}}},
    "iras": {"roth": 30000, "roth_first_year": 2018, "roth_contributions": 0,
             "roth_conversions": [{"year": 2024, "amount": 7000, "taxable_amount": 0},
                                  {"year": 2024, "amount": 20000, "taxable_amount": 20000}]},
    "request": {"date": "2026-06-01", "amount": 7000},
}


@pytest.mark.parametrize("swap", [False, True])
def test_the_reviewers_case_is_recaptured_whatever_the_order(swap):
    case = copy.deepcopy(ROTH_IRA_CASE)
    if swap:
        case["iras"]["roth_conversions"].reverse()
    o = outcome(_assess(case), "roth_ira")
    assert o["form_8606_part_iii"]["line_19"] == 7000
    assert o["form_8606_part_iii"]["line_25c"] == 0 and o["taxable"] == 0
    p = o["form_5329"]
    assert (p["line_1"], p["line_3"], p["line_4"]) == (7000, 7000, 700)
    assert o["additional_tax_72t"] == 700 and "RI_RECAPTURE" in _codes(o)


# ── D2: an inherited Roth IRA is taxed by the ordering rules ─────────────────────────────────

def _inherited_roth(first_year=2023, amount=10000, account="ira") -> dict:
    case = _example("inherited-roth.yaml")
    case["account"]["sources"]["rollover_roth"]["first_year"] = first_year
    case["request"]["amount"] = amount
    case["beneficiary"]["account"] = account
    return case


def test_the_reviewers_inherited_roth_ira_comes_out_of_contributions_first():
    o = outcome(_assess(_inherited_roth()), "beneficiary")
    assert (o["gross"], o["taxable"], o["income_tax_increase"]) == (10000, 0, 0)
    assert o["form_1099r_codes"] == ["T"]
    iii = o["form_8606_part_iii"]
    assert (iii["line_19"], iii["line_21"], iii["line_22"], iii["line_23"], iii["line_24"],
            iii["line_25a"], iii["line_25c"]) == (10000, 10000, 45000, 0, 0, 0, 0)
    assert o["form_5329"] is None and o["additional_tax_72t"] == 0
    codes = _codes(o)
    assert "BN_ROTH_IRA_ORDERING" in codes and "OC_ROTH_NONQUALIFIED" not in codes
    # Withheld as from the owner's Roth IRA: 10% of a payment that is not qualified.
    assert o["withholding"] == 1000 and o["form_1099r"][0]["box_4"] == 1000
    assert o["form_1099r"][0]["box_2a"] is None


def test_beyond_the_contributions_only_the_earnings_are_taxable():
    # $60,000: $45,000 of contributions, then $15,000 of earnings (line 25c); death spares the
    # 10% tax (exception 04).
    o = outcome(_assess(_inherited_roth(amount=60000)), "beneficiary")
    assert (o["taxable"], o["withholding"]) == (15000, 6000)
    iii = o["form_8606_part_iii"]
    assert (iii["line_22"], iii["line_23"], iii["line_25c"]) == (45000, 15000, 15000)
    p = o["form_5329"]
    assert (p["line_1"], p["line_2"], p["line_4"], p["line_2_exception"]) == (
        15000, 15000, 0, "04")


def test_the_inherited_roth_ira_is_taxed_as_the_owners_own_roth_ira():
    # The same Roth IRA paid from the owner's side (route roth_ira, at 59½ so that no 10% tax
    # differs): the same taxable amount, Part III and withholding.
    for amount in (10000, 60000):
        heir = outcome(_assess(_inherited_roth(amount=amount)), "beneficiary")
        owner = copy.deepcopy(ROTH_IRA_CASE)
        owner["person"]["birth_date"] = "1965-01-01"
        owner["income"]["wages"] = 64000
        owner["iras"] = {"roth": 120000, "roth_first_year": 2023, "roth_contributions": 45000}
        owner["request"] = {"date": "2026-11-23", "amount": amount}
        own = outcome(_assess(owner), "roth_ira")
        assert own["form_1099r_codes"] == ["T"]
        for k in ("taxable", "withholding", "income_tax_increase", "form_8606_part_iii"):
            assert heir[k] == own[k], k


def test_a_qualified_inherited_roth_ira_is_unchanged():
    o = outcome(_assess(_inherited_roth(first_year=2005)), "beneficiary")
    assert (o["taxable"], o["withholding"], o["form_1099r_codes"]) == (0, 0, ["Q"])
    assert "form_8606_part_iii" not in o and o["form_5329"] is None


def test_designated_roth_money_inherited_in_a_plan_stays_pro_rata():
    # §402A(d)(2), §72(e)(8): 45,000 / 120,000 of each dollar is contributions, so 62.5% of
    # $10,000 is taxable earnings; no Part III (not a Roth IRA).
    o = outcome(_assess(_inherited_roth(account="plan")), "beneficiary")
    assert o["taxable"] == 6250 and "form_8606_part_iii" not in o
    assert "OC_ROTH_NONQUALIFIED" in _codes(o) and "BN_ROTH_IRA_ORDERING" not in _codes(o)
    assert o["form_1099r_codes"] == ["B4"]


def test_a_batch_of_heirs_and_owners_gives_each_its_own_answer():
    cases = [_inherited_roth(), _inherited_roth(account="plan"), ROTH_IRA_CASE,
             _inherited_roth(amount=60000), _inherited_roth(first_year=2005)]
    together = assess_cases([parse_case(c) for c in cases])
    for case, got in zip(cases, together, strict=True):
        alone = _assess(case)
        assert got["outcomes"] == alone["outcomes"]


# ── D3: the PRO_RATA trap reads the outcome's own Form 8606 ─────────────────────────────────

def _mega_backdoor() -> dict:
    case = _example("in-service-at-60-mega-backdoor.yaml")
    case["iras"]["backdoor_roth_planned"] = 7000
    return case


def test_the_pro_rata_trap_counts_after_tax_money_rolled_in_as_basis():
    case = _mega_backdoor()
    trap = next(t for t in compare_case(parse_case(case))["traps"] if t["code"] == "PRO_RATA")
    f = trap["figures"]
    assert f["rolled"] == 690000
    # Line 10: (7,000 + 45,000) / (690,000 + 7,000) = 0.0746 → 0.075; line 17 525, line 18 6,475.
    assert (f["taxable"], f["nontaxable"]) == (6475, 525)
    assert f["taxable_share"] == pytest.approx(0.925)
    assert (f["taxable_without"], f["nontaxable_without"]) == (0, 7000)
    assert "92.5% of the $7,000 conversion is taxable ($6,475)" in trap["text"]
    # The same lines as the Form 8606 assess shows beside the rollover.
    form = outcome(_assess(case), "in_service", "traditional_ira")["form_8606"]
    assert (form["line_2"], form["line_5"], form["line_9"], form["line_10"]) == (
        45000, 52000, 697000, 0.075)
    assert (form["line_17"], form["line_18"]) == (f["nontaxable"], f["taxable"])
