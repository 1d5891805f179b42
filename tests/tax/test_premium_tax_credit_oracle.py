"""dist401k's premium tax credit against PolicyEngine-US's ``aca_ptc``: random households of
one or two adults under 65, 2024–2027, incomes from below the poverty line to six times it,
in states with and without Medicaid's adult group (Texas, Florida and Georgia without it;
California, Ohio, Alaska and Hawaii to 138% of the poverty line; Wisconsin to 100%; the
District of Columbia to 215% until 2025) and with a Basic Health Program (Minnesota, New York,
Oregon, the District from 2026), so that a household eligible for either is not allowed the
credit in either model (§36B(c)(2)(B); 42 U.S.C. §18051(e)(2)).

Known differences: PolicyEngine neither rounds the applicable figure to four places (Form 8962
line 7) nor the contribution to a dollar (line 8a), so the two may part by the income times
half a ten-thousandth, plus a dollar.
"""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.planner.simulate import ReturnIncome, household_return
from dist401k.tax import federal_tax
from dist401k.tax.medicaid import coverage_months, medicaid_income_limit, public_coverage_limit
from dist401k.tax.premium_tax_credit import premium_tax_credit
from oracles.policyengine_aca_oracle import policyengine_ptc

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

N = 100


def _households(seed: int = 36) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    size = rng.integers(1, 3, N)
    state = np.array(["TX", "FL", "GA", "CA", "NY", "OH", "WI", "DC", "MN", "OR", "AK", "HI"])[
        rng.integers(0, 12, N)]
    region = np.select([state == "AK", state == "HI"], ["alaska", "hawaii"], "contiguous")
    # Income from half the poverty line to six times it (about $8,000 to $200,000).
    income = np.round(np.exp(rng.uniform(np.log(8_000), np.log(200_000), N)))
    ss = np.where(rng.random(N) < 0.3, np.round(rng.uniform(5_000, 30_000, N)), 0.0)
    return {"year": rng.choice(np.array([2024, 2025, 2026, 2027]), N), "household_size": size,
            "region": region, "state": state, "age": rng.integers(40, 64, N), "distributions": income,
            "social_security": ss,
            "benchmark": np.round(rng.uniform(6_000, 30_000, N) * size)}


@pytest.fixture(scope="module")
def compared():
    cols = _households()
    law = default_law()
    two = cols["household_size"] == 2
    units = household_return(cols["year"], two.astype(int), cols["age"],
                             np.where(two, cols["age"] - 2, 0),
                             ReturnIncome(distributions=cols["distributions"],
                                          ss=cols["social_security"]))
    tax = federal_tax(units, law)
    # Household income: AGI plus the Social Security left out of it (§36B(d)(2)(B)(ii)).
    magi = tax["agi"] + cols["social_security"] - tax["taxable_social_security"]
    medicaid = medicaid_income_limit(law, cols["year"], cols["household_size"],
                                     public_coverage_limit(law, cols["year"], cols["state"]),
                                     cols["region"])
    ours = premium_tax_credit(law, cols["year"], magi, cols["household_size"],
                              cols["benchmark"], region=cols["region"],
                              months=coverage_months(12, magi, medicaid))
    return cols, magi, ours, policyengine_ptc(cols)


def test_agrees_with_policyengine(compared):
    cols, magi, ours, theirs = compared
    allowed = 0.00005 * magi + 1.0
    diff = np.abs(ours.credit - theirs)
    worst = int(np.argmax(diff - allowed))
    assert np.all(diff <= allowed), (f"{int((diff > allowed).sum())} differ; "
        f"household {worst} ({int(cols['year'][worst])}, size {cols['household_size'][worst]}, "
        f"{cols['region'][worst]}, income {magi[worst]:.0f}): ours {ours.credit[worst]:.2f}, "
        f"PolicyEngine {theirs[worst]:.2f}")


def test_sample_reaches_every_branch(compared):
    cols, _, ours, _ = compared
    assert ours.reasons["PTC_BELOW_POVERTY_LINE"].any()
    assert ours.reasons["PTC_ABOVE_400_PERCENT"].any()
    public = ours.reasons["PTC_NO_COVERAGE_MONTH"]
    assert (public & (ours.income_share < 1.38)).any()  # Medicaid
    assert (public & (ours.income_share > 1.45)).any()  # a Basic Health Program
    assert (public & (cols["year"] == 2027)).any()  # community engagement in force
    assert (ours.credit > 0).sum() > N // 3
    assert ((cols["year"] <= 2025) & (ours.income_share > 4) & (ours.credit > 0)).any()
