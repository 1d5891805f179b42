"""Work the tax engine skips where it cannot change a figure: the AMT's Part III on units whose
AMT a bound shows is zero, the taxable part of Social Security in a batch without benefits, the
NIIT in a batch where no MAGI reaches the threshold.  Each skip must give the figures of the
full computation, bit for bit (and the batches here hold units on both sides of each line)."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import MARRIED_JOINT
from dist401k.law.loader import Lookup
from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.amt import alternative_minimum_tax
from dist401k.tax.capital_gains import capital_gain_worksheet
from dist401k.tax.niit import net_investment_income_tax
from dist401k.tax.social_security import taxable_social_security

LAW = default_law()
N = 4000


def _units(seed: int, years=(2024, 2026, 2031), statuses=("single", "married_joint",
                                                          "married_separate", "head_of_household")):
    """Random returns from none to millions, many with large gains (where the AMT binds)."""
    rng = np.random.default_rng(seed)
    cols = {
        "tax_year": rng.choice(years, N), "filing_status": rng.choice(statuses, N),
        "age_head": rng.integers(30, 90, N), "age_spouse": rng.integers(30, 90, N),
        "wages": rng.choice([0.0, 1.0], N) * rng.lognormal(11, 1.2, N),
        "taxable_interest": rng.lognormal(8, 2, N),
        "ordinary_dividends": (d := rng.lognormal(9, 2, N)),
        "qualified_dividends": d * rng.uniform(0, 1, N),
        "long_term_gains": rng.choice([0.0, 1.0], N) * rng.lognormal(12, 1.5, N),
        "taxable_distributions": rng.lognormal(10, 1.5, N),
        "social_security": rng.choice([0.0, 1.0], N) * rng.uniform(0, 60000, N),
        "itemized_deductions": rng.choice([0.0, 1.0], N) * rng.lognormal(10, 1, N),
    }
    return TaxUnits.from_columns(cols, LAW)


def _amt_both(lk, u):
    """The AMT with and without the bound, and how many units the bound spared."""
    income = (u.wages + u.taxable_interest + u.ordinary_dividends + u.long_term_gains
              + u.taxable_distributions)
    agi = income + taxable_social_security(lk, u.social_security, income,
                                           u.tax_exempt_interest, u.lived_apart)
    taxable = np.maximum(0.0, agi - lk.get("income_tax.standard_deduction"))
    ws = capital_gain_worksheet(lk, taxable, u.qualified_dividends, u.long_term_gains)
    fast = alternative_minimum_tax(lk, agi, ws, ws.tax)
    full = alternative_minimum_tax(lk, agi, ws, ws.tax, bound=False)
    return fast, full


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_amt_bound_gives_the_full_figures(seed):
    u = _units(seed)
    fast, full = _amt_both(Lookup(LAW, u.tax_year, u.filing_status), u)
    np.testing.assert_array_equal(fast, full)
    assert (full > 0).sum() > 20 and (full == 0).sum() > 20  # both sides of the line


def test_amt_bound_on_one_pair_batches():
    """The planner's batches: one (year, status) for every unit, the law with no gather."""
    for year in (2026, 2040):
        u = _units(7, years=(year,), statuses=("married_joint",))
        fast, full = _amt_both(Lookup.one_pair(LAW, year, MARRIED_JOINT.value), u)
        np.testing.assert_array_equal(fast, full)
        assert (full > 0).any() and (full == 0).any()


def test_federal_tax_same_with_and_without_the_bound(monkeypatch):
    """Through federal_tax (the itemizers' second choice too): every column the same."""
    from dist401k.tax import federal

    u = _units(11)
    fast = federal_tax(u, LAW)
    assert (fast["amt"] > 0).sum() > 20
    monkeypatch.setattr(federal, "alternative_minimum_tax",
                        lambda *a: alternative_minimum_tax(*a, bound=False))
    full = federal_tax(u, LAW)
    for k in fast:
        np.testing.assert_array_equal(fast[k], full[k], err_msg=k)


def test_no_benefits_no_work_same_figures():
    """A batch without benefits against the same units beside one with benefits (which makes
    the worksheet run on every unit)."""
    u = _units(5)
    lk = Lookup(LAW, u.tax_year, u.filing_status)
    other = u.wages + u.taxable_distributions
    none = np.zeros(N)
    alone = taxable_social_security(lk, none, other, u.tax_exempt_interest, u.lived_apart)
    with_one = taxable_social_security(lk, np.r_[none[:-1], 20000.0], other,
                                       u.tax_exempt_interest, u.lived_apart)
    np.testing.assert_array_equal(alone[:-1], with_one[:-1])
    assert with_one[-1] > 0 or other[-1] < 25000
    assert alone.shape == (N,) and not alone.any()


def test_niit_below_threshold_no_work_same_figures():
    u = _units(6)
    lk = Lookup(LAW, u.tax_year, u.filing_status)
    threshold = lk.get("niit.threshold")
    nii = u.taxable_interest + u.ordinary_dividends + u.long_term_gains
    magi = threshold * np.random.default_rng(6).uniform(0, 1, N)  # every one at most the line
    magi[:10] = threshold[:10]  # exactly at it: still nothing
    alone = net_investment_income_tax(lk, nii, magi)
    over = magi.copy()
    over[-1] = threshold[-1] + 50000.0
    with_one = net_investment_income_tax(lk, nii, over)
    np.testing.assert_array_equal(alone[:-1], with_one[:-1])
    assert with_one[-1] > 0 and alone.shape == (N,) and not alone.any()
