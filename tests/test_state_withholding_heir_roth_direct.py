"""A beneficiary's direct rollover: the state's withholding base is the taxable amount paid in
cash beside it (docs/state.md, "Withholding"), the required part's designated Roth money
included where it is not qualified.

Lee (born 1952), the designated beneficiary (not the spouse) of a participant born 1950 who
died in 2024, after the required beginning date: the plan holds $80,000 of elective deferrals
and $20,000 of Roth deferrals ($15,000 of contributions, first year 2024, so not qualified in
2026: the 5-year period runs to 2028, §402A(d)(2)(B)).  In 2026 Lee takes $20,000 and rolls
the rest over directly.

The year's required amount (Treas. Reg. §1.401(a)(9)-5(d)(1)(ii); the longer of Lee's life
expectancy and the deceased's remaining one): Lee is 73 in 2025, the Single Life Table's 16.4,
less 1 for 2026 = 15.4 (the deceased's: 15.6 at 74 in 2024, 13.6 in 2026); $100,000 / 15.4 =
$6,493.51, paid in cash, pro rata by money: non-Roth 0.8 × 6,493.51 = $5,194.81 (all taxable),
Roth 0.2 × 6,493.51 = $1,298.70, of which the earnings share 5,000 / 20,000 = 25% is taxable =
$324.68.  Taxable in cash: 5,194.81 + 324.68 = $5,519.48 (10% federal = $551.95, §3405(b)).

- Oregon (8% of the taxable payment beside the federal, OAR 150-316-0305): 0.08 × 5,519.48 =
  $441.56 (without the Roth part: 0.08 × 5,194.81 = $415.58, the defect); cash in hand
  6,493.51 − 551.95 − 441.56 = $5,500.00; box 14 of the Roth money's Form 1099-R
  0.08 × 324.68 = $25.97.
- Michigan (its 4.25% rate unless the payee opts out, MCL 206.703): 0.0425 × 5,519.48 = $234.58.
"""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case


def outcomes(state: str) -> dict[str, dict]:
    case = {"id": "lee", "person": {"birth_date": "1952-05-01", "state": state},
            "income": {"wages": 60000}, "plan": {"type": "401k"},
            "account": {"sources": {"elective_deferral": {"balance": 80000},
                                    "roth_deferral": {"balance": 20000, "contributions": 15000,
                                                      "first_year": 2024}}},
            "beneficiary": {"deceased_birth_date": "1950-03-01", "date_of_death": "2024-06-01",
                            "relationship": "individual", "account": "plan"},
            "request": {"date": "2026-06-01", "amount": 20000, "destination": "all"}}
    answer = assess_cases([parse_case(case)])[0]
    return {o["destination"]: o for o in answer["outcomes"] if o["route"] == "beneficiary"}


@pytest.mark.parametrize("dest", ["traditional_ira", "roth_ira"])
def test_oregon_withholds_on_the_roth_part_paid_in_cash(dest):
    o = outcomes("OR")[dest]
    if dest == "traditional_ira":  # to a Roth IRA the pre-tax money rolled is converted, taxed too
        assert o["taxable"] == 5519.48
    assert o["withholding"] == 551.95
    assert o["state_withholding"] == 441.56
    assert o["check_received"] == 5500.00
    if dest == "traditional_ira":
        roth = next(f for f in o["form_1099r"] if f["part"] == "roth_cash")
        assert roth["box_2a"] == 324.68
        assert roth["box_14"] == 25.97
        assert sum(f["box_14"] for f in o["form_1099r"]) == pytest.approx(441.56, abs=0.005)


def test_michigan_withholds_on_the_roth_part_paid_in_cash():
    out = outcomes("MI")
    for dest in ("traditional_ira", "roth_ira"):
        assert out[dest]["state_withholding"] == 234.58, dest


def test_cash_is_as_before():
    o = outcomes("OR")["cash"]
    assert o["taxable"] == 17000.00  # 16,000 non-Roth + 25% of 4,000 Roth
    assert o["state_withholding"] == 1360.00  # 0.08 × 17,000
