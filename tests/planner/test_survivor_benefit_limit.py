"""The widow's or widower's limit (RIB-LIM) applies after the reduction for the survivor's age.

42 U.S.C. §402(e)(2)(A), (f)(3)(A): the widow(er)'s benefit is 100% of the deceased's primary
insurance amount (with the delayed credits the deceased earned, §402(e)(2)(C)), reduced for the
months it starts before the survivor's full retirement age (§402(q)(1): 28.5% at 60, prorated).
§402(e)(2)(D), (f)(3)(D): where the deceased had taken a reduced retirement benefit, the
widow(er)'s benefit may not exceed the larger of that reduced benefit and 82½% of the PIA.
SSA POMS RS 00615.320 A.3: "The RIB LIM will apply when the WIB after adjustment for the family
maximum and reduction for age is more than BOTH 82 1/2 percent of the NH's death PIA and the RIB
… if they were alive" — the cap compares the benefit already reduced for age (GN 00204.045 C:
the month of the highest benefit is where the reduced WIB reaches the RIB LIM, found by dividing
the RIB LIM by the unreduced WIB).

Before, the plan took the larger of the deceased's reduced benefit and 82½% of the PIA first and
then reduced that for the survivor's age: too little for a survivor who starts early.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.household import parse_household
from dist401k.planner.social_security_benefit import survivor_benefit
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline

LAW = default_law()

# The deceased: born 1962 (full retirement age 67, §416(l)), PIA $2,000 a month.
PIA = 2_000.0
# Claimed at 62, 60 months early: 5/9% × 36 + 5/12% × 24 = 30% less (§402(q)(1), (9)): $1,400.
RIB_AT_62 = PIA * (1 - 36 * 5 / 900 - 24 * 5 / 1200)
# The limit (RIB-LIM): the larger of that and 82½% of the PIA, $1,650.
RIB_LIM = max(RIB_AT_62, 0.825 * PIA)


def _widow_early(survivor_life: int) -> dict:
    """Sam (PIA $2,000, claimed at 62) dies at the end of 2026, at 64; Lee (born January 1966,
    PIA $500, to claim at 67) is then 60 and 11 months, and attains 61 in January 2027."""
    return {"id": "widow-early", "start_year": 2026,
            "people": [{"name": "Sam", "birth_date": "1962-01-15", "life_expectancy": 64,
                        "social_security": {"monthly_at_full_age": 2000, "claim_age": 62},
                        "accounts": {"ira": 300_000}},
                       {"name": "Lee", "birth_date": "1966-01-15", "life_expectancy": survivor_life,
                        "social_security": {"monthly_at_full_age": 500, "claim_age": 67},
                        "accounts": {"ira": 100_000}}],
            "taxable": {"balance": 100_000, "basis": 100_000},
            "spending": {"annual": 40_000, "survivor_fraction": 0.7},
            "market": {"stocks": 0.05, "bonds": 0.03, "cash": 0.02, "stock_share": 0.5,
                       "inflation": 0.0}}


def test_the_limit_is_the_larger_of_the_reduced_benefit_and_825_percent_of_the_pia():
    assert RIB_AT_62 == pytest.approx(1_400)
    assert RIB_LIM == pytest.approx(1_650)


def test_a_survivor_starting_at_61_is_reduced_below_the_limit():
    """Lee's widow's benefit from January 2027, the month she attains 61 (on January 14, the
    day before her birthday, 20 CFR 404.102): 72 months before the month she attains her
    survivor's full retirement age of 67 (84 months after 60), so 1 − 28.5% × 72/84 = 75.571%
    of the PIA, $1,511.43 — under the limit of $1,650, which therefore does not apply (POMS
    RS 00615.320 A.3).  $18,137.14 a year; her own $500 from 67 is less."""
    monthly = PIA * (1 - 0.285 * 72 / 84)
    assert monthly == pytest.approx(1_511.43, abs=0.005)
    assert monthly < RIB_LIM
    tl = build_timeline(parse_household(_widow_early(70)), LAW)
    year = {int(y): k for k, y in enumerate(tl.years)}
    for y in range(2027, 2037):
        assert tl.social_security[1, year[y]] == pytest.approx(12 * monthly), y


def test_a_long_lived_survivor_of_an_early_claimer_takes_the_benefit_at_once():
    """Expected to live to 95: $1,511.43 from 2027 (35 years: $635k) pays more than waiting
    for the limit of $1,650 at 67 in 2033 (29 years: $574k) with nothing of her own before
    (§402(e), (q)); so the plan takes it at once — fixed lifetimes and random ones alike."""
    monthly = PIA * (1 - 0.285 * 72 / 84)
    assert 35 * 12 * monthly > 29 * 12 * RIB_LIM
    hh = parse_household(_widow_early(95))
    tl = build_timeline(hh, LAW)
    year = {int(y): k for k, y in enumerate(tl.years)}
    assert tl.social_security[1, year[2027]] == pytest.approx(12 * monthly)
    assert tl.social_security[1, year[2040]] == pytest.approx(12 * monthly)
    # Random lifetimes: a path on which Sam dies in 2026, Lee lives on.
    long = build_timeline(hh.model_copy(update={"people": [
        p.model_copy(update={"life_expectancy": 2090 - p.birth_date.year}) for p in hh.people]}),
        LAW, keep_iras=True)
    lives = path_lives(hh, long, LAW, np.array([[2026 - 2026, long.T]]))
    k = int(np.flatnonzero(long.years == 2030)[0])
    assert lives.social_security[0][k] == pytest.approx(12 * monthly)


def _widow(start_age: float, claim_age: float = 62.0, death_age: float = 64.0) -> float:
    """The monthly widow's benefit of a survivor born 1962 (survivor's full retirement age 67)
    who starts it at ``start_age``, on the record of a worker born 1962 with a PIA of $2,000."""
    deceased = (1962, PIA, claim_age, death_age)
    return float(survivor_benefit(LAW, 2026, deceased, 1962, start_age,
                                  np.array([start_age + 1]))[0]) / 12


def test_a_survivor_at_full_retirement_age_is_capped_at_the_limit():
    """At the survivor's full retirement age the widow's benefit is the whole PIA, $2,000, more
    than both $1,400 and $1,650: capped at $1,650 (§402(e)(2)(D); POMS RS 00615.320)."""
    assert _widow(67.0) == pytest.approx(RIB_LIM)


def test_a_survivor_at_65_is_capped_after_the_reduction():
    """At 65, 24 months before 67: $2,000 × (1 − 28.5% × 24/84) = $1,837.14, more than both the
    deceased's $1,400 and $1,650: the limit applies, $1,650.  (Reducing the limit for age instead
    would give $1,650 × 0.91857 = $1,515.64.)"""
    reduced = PIA * (1 - 0.285 * 24 / 84)
    assert reduced == pytest.approx(1_837.14, abs=0.005)
    assert _widow(65.0) == pytest.approx(min(reduced, RIB_LIM))
    assert _widow(65.0) == pytest.approx(1_650)


def test_no_limit_where_the_deceased_did_not_claim_early():
    """Claimed at full retirement age, 67: no reduced benefit, no limit; the survivor at 60 gets
    71.5% of the PIA, $1,430, at 67 the PIA.  Claimed at 70 (24% of delayed credit, §402(w)):
    $2,480 at 67.  Died at 61 before claiming at 62: the PIA, unlimited."""
    assert _widow(60.0, claim_age=67.0) == pytest.approx(0.715 * PIA)
    assert _widow(67.0, claim_age=67.0) == pytest.approx(PIA)
    assert _widow(67.0, claim_age=70.0, death_age=80.0) == pytest.approx(1.24 * PIA)
    assert _widow(67.0, claim_age=62.0, death_age=61.0) == pytest.approx(PIA)
    assert _widow(60.0, claim_age=62.0, death_age=61.0) == pytest.approx(0.715 * PIA)
