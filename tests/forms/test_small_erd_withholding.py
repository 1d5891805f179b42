"""The withholding of an eligible rollover distribution under $200, and of a payment that is all
the year's RMD: the reasons and notices say what the amounts do.

Figures come from the sources, not from dist401k:

- IRC §3405(c)(1): an eligible rollover distribution has 20% withheld, and §3405(a), (b) (the
  10% of a nonperiodic payment) "shall not apply" to it;
- Treas. Reg. §31.3405(c)-1, Q&A-14: no withholding under §3405(c) from eligible rollover
  distributions that total less than $200 in the year (aggregated under the same plan; the
  payer that does not know of others need not withhold from the first) — the payment stays an
  eligible rollover distribution (§402(c)(4)), so the §402(f) notice is still due (§402(f) has
  no floor);
- IRC §402(c)(4)(B), Treas. Reg. §1.402(c)-2, Q&A-7: the year's RMD, paid first, is not an
  eligible rollover distribution: 10% withheld unless the W-4R elects otherwise (§3405(b));
- Uniform Lifetime Table (Treas. Reg. §1.401(a)(9)-9(c)): 25.5 at age 74, so born 1952 with
  $240,000 at the end of 2025, the 2026 RMD is $240,000 / 25.5 = $9,411.76.
"""

from __future__ import annotations

import pytest

from dist401k.assess import assess_cases
from dist401k.case import parse_case
from routes.conftest import make, outcome

#: Born 1969, left the job in December 2024 (the rule of 55 spares the 10% tax).
SEPARATED = {"person.birth_date": "1969-06-12", "employment.status": "separated",
             "employment.hire_date": "2009-02-02", "employment.separation_date": "2024-12-13",
             "request.date": "2026-03-15", "account.sources": {
                 "elective_deferral": {"balance": 180000}, "match": {"balance": 60000}}}
#: Born 1952-05-01 (74 at the end of 2026), separated in 2015: the 2026 RMD is $9,411.76.
RMD_AGE = {**SEPARATED, "person.birth_date": "1952-05-01", "employment.hire_date": "1990-01-01",
           "employment.separation_date": "2015-06-30", "account.prior_year_end_balance": 240000}
RMD = 240000 / 25.5


def assess(case: dict) -> dict:
    (r,) = assess_cases([parse_case(case)])
    return r


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def test_under_200_no_20_percent_said_and_the_small_distribution_rule_named():
    """$150 paid in cash: under $200, nothing withheld (Q&A-14), so no "20%, no opt-out"
    reason; the small-distribution reason instead, citing Q&A-14. Still an eligible rollover
    distribution: the §402(f) notice stays."""
    r = assess(make(SEPARATED, **{"request.amount": 150, "request.destination": "all"}))
    cash = outcome(r, "separation")
    assert cash["withholding"] == 0.0
    assert "OC_ERD_WITHHOLDING" not in codes(cash)
    assert "OC_NON_ERD_WITHHOLDING" not in codes(cash)  # no 10% either: §3405(c)(1)(A)
    small = next(x for x in cash["reasons"] if x["code"] == "OC_ERD_SMALL")
    assert "Q&A-14" in small["citation"]
    assert "OC_402F" in codes(cash)
    assert "NOTICE_402F" in {n["code"] for n in r["notes"]}
    sixty = outcome(r, "separation", "indirect_60day")
    assert sixty["withholding"] == 0.0 and "OC_ERD_WITHHOLDING" not in codes(sixty)


def test_under_200_a_w4r_rate_below_20_percent_is_not_said_refused():
    """A 10% W-4R election on $150: no 20% applies, so nothing is refused; the elected rate is
    what is withheld: 0.10 × $150 = $15."""
    r = assess(make(SEPARATED, **{"request.amount": 150, "request.destination": "cash",
                                  "request.withholding_rate": 0.1}))
    cash = outcome(r, "separation")
    assert cash["withholding"] == pytest.approx(15.0)
    assert "OC_W4R_BELOW_ERD" not in codes(cash)
    assert "OC_ERD_WITHHOLDING" not in codes(cash) and "OC_ERD_SMALL" in codes(cash)


def test_at_200_the_20_percent_and_the_refusal_apply():
    """$200 is not "less than $200": 20% = $40, a 10% election refused (§3405(c)(1))."""
    r = assess(make(SEPARATED, **{"request.amount": 200, "request.destination": "cash",
                                  "request.withholding_rate": 0.1}))
    cash = outcome(r, "separation")
    assert cash["withholding"] == pytest.approx(40.0)
    assert {"OC_ERD_WITHHOLDING", "OC_W4R_BELOW_ERD"} <= codes(cash)
    assert "OC_ERD_SMALL" not in codes(cash)


def test_a_payment_that_is_all_the_rmd_is_not_an_eligible_rollover_distribution():
    """$5,000, below the $9,411.76 RMD: all of it the RMD, none rollable (§402(c)(4)(B)):
    10% = $500 (§3405(b)); no 20% reason, no §402(f) notice."""
    r = assess(make(RMD_AGE, **{"request.amount": 5000, "request.destination": "all"}))
    cash = outcome(r, "separation")
    assert cash["withholding"] == pytest.approx(500.0)
    assert {"OC_NON_ERD_WITHHOLDING", "RM_NOT_ROLLABLE"} <= codes(cash)
    assert not codes(cash) & {"OC_ERD_WITHHOLDING", "OC_402F", "OC_ERD_SMALL"}
    assert "NOTICE_402F" not in {n["code"] for n in r["notes"]}


def test_the_200_floor_reads_the_eligible_rollover_part_not_the_rmd():
    """The RMD plus $150: the eligible rollover part is $150, under $200 (Q&A-14 counts
    eligible rollover distributions), so only the RMD's 10% is withheld: 0.10 × $9,411.76 =
    $941.18, not $941.18 + 20% × $150."""
    r = assess(make(RMD_AGE, **{"request.amount": round(RMD + 150, 2),
                                "request.destination": "cash"}))
    cash = outcome(r, "separation")
    assert cash["withholding"] == pytest.approx(0.10 * RMD, abs=0.01)
    assert {"OC_ERD_SMALL", "OC_NON_ERD_WITHHOLDING", "OC_402F"} <= codes(cash)
    assert "OC_ERD_WITHHOLDING" not in codes(cash)
    # $250 beyond the RMD reaches the floor: + 20% × $250 = $50.
    r = assess(make(RMD_AGE, **{"request.amount": round(RMD + 250, 2),
                                "request.destination": "cash"}))
    cash = outcome(r, "separation")
    assert cash["withholding"] == pytest.approx(0.10 * RMD + 50.0, abs=0.01)
    assert "OC_ERD_WITHHOLDING" in codes(cash) and "OC_ERD_SMALL" not in codes(cash)

