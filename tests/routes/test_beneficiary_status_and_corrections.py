"""Inherited accounts: a disabled minor child, a corrected shortfall and an estate's
W-4R.

Every expected figure is worked from the law's text, not from dist401k:

- IRC §401(a)(9)(E)(ii): an eligible designated beneficiary is a designated beneficiary who is
  (II) a child of the employee under majority, *or* (III) disabled, *or* (IV) chronically ill,
  "determined as of the date of death"; (E)(iii) ends the status of "an individual described in
  subclause (II)" at majority — a child disabled at the death is still described in (III), whose
  status nothing ends (Treas. Reg. §1.401(a)(9)-4(e)(1), (4), (5) as revised by T.D. 10001).
- The Single Life Table (Treas. Reg. §1.401(a)(9)-9(b)): 68.0 at 17, reduced by one a year.
- IRC §4974(a), (e); Treas. Reg. §54.4974-1(a)(2) (T.D. 10001): 10% instead of 25% where the
  shortfall is made up by a corrective distribution within the correction window; made up, it is
  no longer an amount required and not distributed (Treas. Reg. §1.402(c)-2, Q&A-7(a) carries
  forward only what was *not* distributed).
- Form W-4R (2026) instructions: the Marginal Rate Tables are by an individual's filing status;
  a payment to an estate is no eligible rollover distribution (§402(c)(11) reaches a designated
  beneficiary only), so §3405(b)'s 10% applies unless the payee elects another rate.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from routes.conftest import edited, make, outcome, route

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def route_codes(result: dict) -> set[str]:
    return {x["code"] for row in result["routes"] if row["route"] == "beneficiary"
            for x in row["reasons"]}


# --- 1. a disabled (or chronically ill) minor child ------------------------------------------

# Parent died in 2022 before the RBD; the child, born 2006-09-01, was 15 (a minor child).
CHILD = {"deceased_birth_date": "1975-01-01", "date_of_death": "2022-03-01",
         "relationship": "child", "prior_year_end_balance": 50000}


def child(date: str, **ben) -> dict:
    return make({"person.birth_date": "2006-09-01", "request.date": date,
                 "beneficiary": {**CHILD, **ben}})


@pytest.mark.parametrize("flag, kind", [("disabled", "disabled"),
                                        ("chronically_ill", "chronically_ill")])
def test_a_disabled_minor_child_keeps_life_expectancy_after_21(assess, flag, kind):
    """Disabled (or chronically ill) at the death: an eligible designated beneficiary under
    §401(a)(9)(E)(ii)(III)/(IV), not only (II), so the 10-year cut-off at 21 of (E)(iii) does not
    apply: life expectancy with no year by which the account must be empty.  2026: 68.0 − 3 =
    65.0; 2037 (when a minor child would have to empty it): 68.0 − 14 = 54.0, $50,000 ÷ 54.0 =
    $925.93, not the whole $100,000."""
    s26 = route(assess(child("2026-11-23", **{flag: True})), "beneficiary")
    assert s26["kind"] == kind and s26["method"] == "life_expectancy"
    assert s26["divisor"] == pytest.approx(65.0) and s26["empty_by"] is None
    r37 = assess(child("2037-06-01", **{flag: True}))
    s37 = route(r37, "beneficiary")
    assert s37["required"] == pytest.approx(round(50000 / 54.0, 2), abs=0.01)
    assert "BN_MINOR_TEN_YEAR" not in route_codes(r37)


def test_a_minor_child_not_disabled_still_switches_at_21(assess):
    """The same child, not disabled: 21 on 2027-09-01, so empty by 2037-12-31."""
    s = route(assess(child("2026-11-23")), "beneficiary")
    assert s["kind"] == "minor_child" and s["method"] == "minor_then_ten_year"
    assert s["empty_by"] == "2037-12-31"


# --- 2. a shortfall corrected is not owed again ----------------------------------------------

# A disabled son, 53 in 2024, of a father who died in 2023: $100,000 ÷ 32.4 = $3,086.42 due in
# 2025; 2026's own is $100,000 ÷ 31.4 = $3,184.71.
SON = {"deceased_birth_date": "1945-02-01", "date_of_death": "2023-06-01",
       "relationship": "child", "disabled": True, "prior_year_end_balance": 100000}
OWN_2026 = round(100000 / 31.4, 2)
MISSED_2025 = 3086.42


def son(missed: list[dict]) -> dict:
    return make({"person.birth_date": "1971-05-01", "income.wages": 0, "employment": None,
                 "request.date": "2026-11-23", "request.amount": 10000,
                 "beneficiary": {**SON, "missed": missed},
                 "account.sources": {"elective_deferral": {"balance": 100000}}})


def test_a_corrected_shortfall_is_not_owed_again(assess):
    """Made up by a corrective distribution (``corrected``): the 10% excise ($308.64) and
    nothing more to take for 2025 — this year's minimum is 2026's own; $10,000 then has
    $3,184.71 at 10% and $6,815.29 at 20% (§402(c)(11), §3405(c))."""
    r = assess(son([{"year": 2025, "shortfall": MISSED_2025, "corrected": True}]))
    s = route(r, "beneficiary")
    assert s["remaining"] == pytest.approx(OWN_2026, abs=0.01)
    assert s["excise_missed"] == pytest.approx(308.64, abs=0.01)
    assert "BN_MISSED_STILL_OWED" not in route_codes(r)
    assert "BN_MISSED_CORRECTED" in route_codes(r)
    o = outcome(r, "beneficiary")
    assert o["withholding"] == pytest.approx(
        round(0.10 * OWN_2026, 2) + round(0.20 * (10000 - OWN_2026), 2), abs=0.01)


def test_only_the_shortfalls_not_corrected_are_still_owed(assess):
    """2024's $2,994.01 made up (10%: $299.40), 2025's $3,086.42 not (25%: $771.61): only 2025's
    is added to 2026's own."""
    r = assess(son([{"year": 2024, "shortfall": 2994.01, "corrected": True},
                    {"year": 2025, "shortfall": MISSED_2025}]))
    s = route(r, "beneficiary")
    assert s["remaining"] == pytest.approx(OWN_2026 + MISSED_2025, abs=0.01)
    assert s["excise_missed"] == pytest.approx(299.40 + 771.61, abs=0.01)
    assert "BN_MISSED_STILL_OWED" in route_codes(r)


# --- 3. an estate's W-4R has no individual chart ---------------------------------------------

def test_an_estate_is_shown_no_individual_w4r_chart(assess):
    """The Marginal Rate Tables are an individual's by filing status: none for an estate, whose
    payment has the 10% of §3405(b) ($12,500 of $125,000) unless it elects another rate."""
    case = yaml.safe_load((EXAMPLES / "inherited-estate.yaml").read_text())
    r = assess(case)
    assert r["withholding_election"]["w4r_chart"] is None
    o = outcome(r, "beneficiary")
    assert o["withholding"] == pytest.approx(12500.0) and "w4r_chart_rate" not in o
    # An individual heir of the same account still sees the chart.
    heir = assess(edited(case, {"beneficiary.relationship": "individual"}))
    assert heir["withholding_election"]["w4r_chart"] is not None
