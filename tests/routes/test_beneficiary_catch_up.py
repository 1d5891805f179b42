"""An heir's catch-up of a missed minimum, the §402(f) notice of an heir's eligible rollover
distribution, and the withholding words of one with nothing taxable.

Figures come from the sources, not from dist401k:

- Treas. Reg. §1.402(c)-2, Q&A-7(a): an amount required for a year and not distributed is
  treated as required in the later year it is paid; not an eligible rollover distribution
  (§402(c)(4)(B)), so 10% withheld unless the W-4R elects otherwise (§3405(b)), and only what
  is paid beyond it is an eligible rollover distribution (§402(c)(11): 20%, §3405(c)).  A
  missed annual amount of the 10-year rule that Notice 2023-54 or 2024-35 waives "need not be
  made up" (§IV), so it is not owed.
- The Single Life Table (Treas. Reg. §1.401(a)(9)-9(b)): 33.4 at 53; a beneficiary 53 in the
  year after the death divides by 33.4, then 32.4, then 31.4 (Treas. Reg.
  §1.401(a)(9)-5(d)(1)(ii); IRS Pub. 590-B's worked example).
- §402(f)(1): the plan administrator gives a written explanation to the recipient of any
  eligible rollover distribution; a non-spouse designated beneficiary's payment from a plan is
  one (§402(c)(11); Notice 2020-62's safe-harbor notice has its section); an estate's is not
  (§402(c)(11) is for a designated beneficiary), nor an IRA's (§402(c)(4), §408(d)(3)).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from routes.conftest import edited, make, outcome, route

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def example(name: str, **changes) -> dict:
    return edited(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()), changes)


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def route_codes(result: dict) -> set[str]:
    return {x["code"] for row in result["routes"] if row["route"] == "beneficiary"
            for x in row["reasons"]}


# A disabled son (an eligible designated beneficiary), 53 in 2024, of a father who died in 2023:
# $100,000 ÷ 32.4 = $3,086.42 was due in 2025 and skipped; 2026's is $100,000 ÷ 31.4 = $3,184.71.
SON = {"deceased_birth_date": "1945-02-01", "date_of_death": "2023-06-01",
       "relationship": "child", "disabled": True, "prior_year_end_balance": 100000,
       "missed": [{"year": 2025, "shortfall": 3086.42}]}
OWED_2026 = 100000 / 31.4
OWED_2025 = 3086.42


def son(**changes) -> dict:
    return make({"person.birth_date": "1971-05-01", "income.wages": 0, "employment": None,
                 "request.date": "2026-11-23", "request.amount": 10000, "beneficiary": SON,
                 "account.sources": {"elective_deferral": {"balance": 100000}}, **changes})


def test_a_missed_minimum_is_required_this_year_and_not_rollable(assess):
    """$10,000 in 2026: the first $3,184.71 + $3,086.42 = $6,271.13 is required (10%:
    $627.11), the other $3,728.87 an eligible rollover distribution (20%: $745.77) — $1,372.89
    withheld, not $1,362.26 (20% of all but 2026's own $3,184.71)."""
    r = assess(son())
    s = route(r, "beneficiary")
    assert s["required"] == pytest.approx(OWED_2026, abs=0.01)
    assert s["remaining"] == pytest.approx(OWED_2026 + OWED_2025, abs=0.01)
    assert {"BN_MISSED_STILL_OWED", "BN_NOT_ROLLABLE"} <= route_codes(r)
    o = outcome(r, "beneficiary")
    required = OWED_2026 + OWED_2025
    assert o["withholding"] == pytest.approx(
        round(0.10 * required, 2) + round(0.20 * (10000 - required), 2), abs=0.01)
    assert {"BN_WITHHOLDING_REQUIRED_PART", "BN_WITHHOLDING_ERD_PART"} <= codes(o)


def test_a_catch_up_payment_of_the_missed_amount_alone_is_no_eligible_rollover_distribution(assess):
    """$5,000, more than 2026's own $3,184.71 but less than the $6,271.13 owed: all required,
    10% = $500 (not $318.47 + 20% × $1,815.29 = $681.53), no §402(f) notice."""
    o = outcome(assess(son(**{"request.amount": 5000})), "beneficiary")
    assert o["withholding"] == pytest.approx(500.0)
    assert "OC_NON_ERD_WITHHOLDING" in codes(o)
    assert not codes(o) & {"BN_WITHHOLDING_ERD_PART", "OC_402F", "OC_ERD_SMALL"}


def test_a_shortfall_a_notice_waived_is_not_owed(assess):
    """10-year rule after the RBD (death 2021): the missed 2023 amount ($4,000, Notice 2023-54)
    need not be made up; the missed 2025 amount ($4,200) is owed on top of 2026's."""
    ben = {"deceased_birth_date": "1945-01-01", "date_of_death": "2021-08-01",
           "relationship": "individual",
           "missed": [{"year": 2023, "shortfall": 4000}, {"year": 2025, "shortfall": 4200}]}
    r = assess(make({"person.birth_date": "1980-01-01", "request.date": "2026-11-23",
                     "beneficiary": ben}))
    s = route(r, "beneficiary")
    assert s["required"] > 0
    assert s["remaining"] - s["required"] == pytest.approx(4200.0, abs=0.01)
    nothing = assess(make({"person.birth_date": "1980-01-01", "request.date": "2026-11-23",
                           "beneficiary": {**ben, "missed": [{"year": 2023, "shortfall": 4000}]}}))
    assert route(nothing, "beneficiary")["remaining"] == pytest.approx(s["required"], abs=0.01)
    assert "BN_MISSED_STILL_OWED" not in route_codes(nothing)


# --- the §402(f) notice -----------------------------------------------------------------------

def test_an_heirs_eligible_rollover_distribution_from_a_plan_has_the_402f_notice(assess):
    """inherited-ten-year-before-rbd: nothing required, the whole $15,000 from the plan to a
    designated beneficiary is an eligible rollover distribution: the notice is due."""
    r = assess(example("inherited-ten-year-before-rbd"))
    o = outcome(r, "beneficiary")
    assert "OC_402F_HEIR" in codes(o) and "§402(f) rollover notice" in o["notices"]
    assert "NOTICE_402F" in {n["code"] for n in r["notes"]}


def test_a_non_spouse_heirs_402f_note_offers_only_the_direct_transfer(assess):
    """A designated beneficiary other than the surviving spouse can move plan money only by a
    direct trustee-to-trustee transfer to an inherited IRA — no 60-day rollover (IRC
    §402(c)(11)(A); Notice 2020-62, nonspouse beneficiary): the notice's note says so and
    offers no 60-day rollover; a surviving spouse's is the participant's (§402(c)(9))."""
    r = assess(example("inherited-ten-year-before-rbd"))
    note = next(n for n in r["notes"] if n["code"] == "NOTICE_402F")
    assert "inherited IRA" in note["text"] and "60-day rollover is not open" in note["text"]
    assert "OC_402F" not in codes(outcome(r, "beneficiary"))
    spouse = assess(example("inherited-ten-year-before-rbd",
                            **{"beneficiary.relationship": "spouse"}))
    said = {n["code"]: n["text"] for n in spouse["notes"]}
    assert "60-day rollover" in said["NOTICE_402F"] and "not open" not in said["NOTICE_402F"]


@pytest.mark.parametrize("changes", [
    {"beneficiary.account": "ira"},                  # an inherited IRA: no ERD at all
    {"beneficiary.relationship": "non_designated"},  # an estate: §402(c)(11) does not reach it
])
def test_no_402f_notice_where_nothing_is_an_eligible_rollover_distribution(assess, changes):
    r = assess(example("inherited-ten-year-before-rbd", **changes))
    o = outcome(r, "beneficiary")
    assert not codes(o) & {"OC_402F", "OC_402F_HEIR"}
    assert "§402(f) rollover notice" not in o["notices"]
    assert "NOTICE_402F" not in {n["code"] for n in r["notes"]}


# --- nothing taxable ------------------------------------------------------------------------

def test_a_qualified_roth_eligible_rollover_distribution_is_not_said_to_have_10_percent(assess):
    """Designated Roth money since 2015, the employee dead in 2024: qualified (§402A(d)(2)(A)(ii),
    five years run), so $10,000 of it is all tax-free. From a plan to a designated beneficiary
    with nothing required it is an eligible rollover distribution of $200 or more: 20% of its
    taxable part — $0 — withheld (§3405(c)); not "10% withheld" (§3405(b) does not reach it,
    §3405(c)(1)(A))."""
    case = make({"person.birth_date": "1990-04-02", "income.wages": 0, "employment": None,
                 "request.date": "2026-06-01", "request.amount": 10000,
                 "account.sources": {"roth_deferral": {"balance": 50000, "contributions": 40000,
                                                       "first_year": 2015}},
                 "beneficiary": {"deceased_birth_date": "1960-09-15",
                                 "date_of_death": "2024-03-08", "relationship": "individual",
                                 "roth": True}})
    o = outcome(assess(case), "beneficiary")
    assert o["taxable"] == 0 and o["withholding"] == 0
    assert "OC_NON_ERD_WITHHOLDING" not in codes(o)
    assert {"BN_WITHHOLDING_ERD_PART", "OC_402F_HEIR"} <= codes(o)
