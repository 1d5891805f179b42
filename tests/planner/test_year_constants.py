"""What a year's passes of the fixed point do not move is figured once a year (the tax
engine's ``Steady``, the simulator's ``YearFlows``), and a random-lifetime year whose living
paths share one filing status reads the year's law gathered once: only to do less work, so
every figure must be, bit for bit, what the work done each pass (and the law gathered per
path) gives."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.law.filing_status import MARRIED_JOINT, SINGLE
from dist401k.law.loader import Lookup
from dist401k.planner import returns as market
from dist401k.planner import simulate as sim
from dist401k.planner import survivors
from dist401k.planner.household import load_household
from dist401k.planner.medicare import irmaa_surcharge, irmaa_tier
from dist401k.planner.plan import draw_lives, lifetime_timeline
from dist401k.planner.simulate import Policy
from dist401k.planner.timeline import build_timeline
from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.brackets import ends_passed
from dist401k.tax.federal import MOVING, Steady

LAW = default_law()
PLANS = Path(__file__).resolve().parents[2] / "examples" / "plans"
N = 3000


def _units(seed: int, statuses=("single", "married_joint", "married_separate",
                                 "head_of_household")) -> TaxUnits:
    """Returns from none to millions: benefits, itemizers, separate filers who lived apart."""
    rng = np.random.default_rng(seed)
    return TaxUnits.from_columns({
        "tax_year": rng.choice([2025, 2026, 2033], N),
        "filing_status": (fs := rng.choice(statuses, N)),
        "age_head": rng.integers(40, 90, N), "age_spouse": rng.integers(40, 90, N),
        # lived_apart is a separate filer's only (§86(c)(1)(C)(ii)): refused elsewhere
        "lived_apart": rng.choice([0, 1], N) * (fs == "married_separate"),
        "wages": rng.choice([0.0, 1.0], N) * rng.lognormal(11, 1, N),
        "taxable_interest": rng.lognormal(8, 2, N),
        "ordinary_dividends": (d := rng.lognormal(9, 2, N)),
        "qualified_dividends": d * rng.uniform(0, 1, N),
        "social_security": rng.choice([0.0, 1.0], N) * rng.uniform(0, 60000, N),
        "itemized_deductions": rng.choice([0.0, 1.0], N) * rng.lognormal(10, 1, N),
    }, LAW)


def _moved(u: TaxUnits, seed: int) -> TaxUnits:
    """``u`` with other moving lines (a pass's withdrawals and sale)."""
    rng = np.random.default_rng(seed)
    dist = rng.lognormal(11, 1.5, N)
    return u.replace(long_term_gains=rng.choice([0.0, 1.0], N) * rng.lognormal(11, 1.5, N),
                     taxable_distributions=dist,
                     early_distributions=dist * rng.choice([0.0, 1.0], N))


def _same(a: dict, b: dict) -> None:
    assert a.keys() == b.keys()
    for k in a:
        np.testing.assert_array_equal(a[k], b[k], err_msg=k)


@pytest.mark.parametrize("seed", [1, 2])
def test_steady_parts_of_a_batch_give_the_figures_of_each_pass(seed):
    """Figured on one batch, used on batches that differ in the moving lines alone (and on
    some of its units): every column as federal_tax figures it from scratch."""
    u = _units(seed)
    lk = Lookup(LAW, u.tax_year, u.filing_status)
    steady = Steady.of(u, lk)
    assert set(MOVING) <= {f.name for f in dataclasses.fields(u)}
    for k in range(3):
        moved = _moved(u, 10 * seed + k)
        got = federal_tax(moved, LAW, lk, steady)
        _same(got, federal_tax(moved, LAW))
        # The income lines summed in the order of Form 1040 (lines 1, 2b, 3b, 7, 4b–5b, 8)
        # as before the steady parts were kept: the same AGI to the bit.
        income = (moved.wages + moved.taxable_interest + moved.ordinary_dividends
                  + moved.long_term_gains + moved.taxable_distributions + moved.other_income)
        np.testing.assert_array_equal(got["agi"], income + got["taxable_social_security"])
        assert got["itemizes"].any() and (got["amt"] > 0).any()
    idx = np.flatnonzero(np.random.default_rng(seed).uniform(size=N) < 0.3)
    part = _moved(u, 99)
    part = dataclasses.replace(part, **{f.name: getattr(part, f.name)[idx]
                                        for f in dataclasses.fields(part)})
    _same(federal_tax(part, LAW, lk.subset(idx), steady.on_units(idx, N)),
          federal_tax(part, LAW))


def test_steady_parts_on_one_pair_batches():
    """The planner's batches: one (year, status) on every unit, the law with no gather."""
    u = _units(5, statuses=("married_joint",))
    u = u.replace(tax_year=np.full(N, 2030))
    lk = Lookup.one_pair(LAW, 2030, MARRIED_JOINT.value)
    steady = Steady.of(u, lk)
    moved = _moved(u, 6)
    _same(federal_tax(moved, LAW, lk, steady), federal_tax(moved, LAW))


def test_ends_passed_counts_like_a_comparison_with_every_end():
    rng = np.random.default_rng(3)
    ends = np.array([11925.0, 48475.0, 103350.0, 197300.0, 250525.0, 626350.0])
    amount = np.concatenate([rng.uniform(0, 800000, 5000), ends, ends - 0.01, [0.0]])
    np.testing.assert_array_equal(ends_passed(amount, ends),
                                  (amount[:, None] >= ends).sum(axis=1))
    np.testing.assert_array_equal(ends_passed(amount, ends, strict=True),
                                  (amount[:, None] > ends).sum(axis=1))
    per_unit = ends[:, None] + rng.uniform(-500, 500, (ends.size, amount.size))
    np.testing.assert_array_equal(ends_passed(amount, per_unit),
                                  (amount[None, :] >= per_unit).sum(axis=0))


def test_irmaa_of_one_status_as_of_a_status_a_path():
    """IRMAA read with one filing status for all (a tier counted figure by figure) equals the
    same read with the status given path by path — at and just over each 2026 threshold
    (CMS: single $109,000 / $137,000 / $171,000 / $205,000 / $500,000)."""
    magi = np.array([0.0, 109000.0, 109000.01, 137000.0, 137000.01, 171000.01, 205000.01,
                     500000.0, 500000.01, 2e6])
    for fs in (SINGLE, MARRIED_JOINT):
        one = irmaa_surcharge(LAW, 2026, fs, magi, 1)
        each = irmaa_surcharge(LAW, 2026, np.full(magi.size, fs), magi, np.ones(magi.size))
        np.testing.assert_array_equal(one, each)
    single = irmaa_surcharge(LAW, 2026, SINGLE, magi, 1)
    assert single[1] == 0.0 and single[2] > 0.0  # "above $109,000": the first tier
    # From $500,000 itself the top tier ("at least $500,000", 42 U.S.C. §1395r(i)(3)(C)(i)(III)).
    assert single[6] < single[7] == single[8] == single[9]


def test_random_lifetimes_with_the_law_of_one_status_where_the_living_share_it(monkeypatch):
    """A year whose living paths all file one way reads the law gathered once: the same
    figures as the law gathered path by path."""
    hh = load_household(PLANS / "couple-social-security.yaml")
    hh.people[0].sex, hh.people[1].sex = "male", "female"
    tl = lifetime_timeline(hh, build_timeline(hh, LAW), LAW)
    rets = market.bootstrap(400, tl.T, seed=3)
    lives = draw_lives(hh, tl, LAW, 400)
    shared = []
    one_status = sim._one_status

    def counted(fs):
        got = one_status(fs)
        shared.append(np.ndim(fs) > 0 and got is not None)
        return got

    monkeypatch.setattr(sim, "_one_status", counted)
    fast = sim.simulate(hh, tl, LAW, rets, Policy("fill", fill_rate=0.22), 90000.0, lives=lives)
    assert any(shared)  # some years did read the law of one status
    monkeypatch.setattr(sim, "_one_status", lambda fs: int(fs) if np.ndim(fs) == 0 else None)
    slow = sim.simulate(hh, tl, LAW, rets, Policy("fill", fill_rate=0.22), 90000.0, lives=lives)
    for col in fast.cols:
        np.testing.assert_array_equal(fast[col], slow[col], err_msg=col)
    np.testing.assert_array_equal(fast.estate, slow.estate)


def test_mixed_statuses_read_per_status_as_per_path():
    """With a filing status a path (couples and survivors), the marginal bracket and the IRMAA
    tier read each status's law on every path and keep the path's own: the figures of the law
    gathered path by path."""
    rng = np.random.default_rng(5)
    n = 2000
    fs = rng.choice([SINGLE, MARRIED_JOINT], n)
    income = np.concatenate([rng.uniform(0, 900_000, n - 8), [0.0, 1.0, -5.0, 1e7],
                             LAW.get("income_tax.brackets", 2031, SINGLE)[:2],
                             LAW.get("income_tax.brackets", 2031, MARRIED_JOINT)[:2]])
    rates = LAW.get("income_tax.rates", 2031)
    k = (LAW.get("income_tax.brackets", 2031, fs) < income[:, None]).sum(axis=-1)
    # no taxable income (0, or below) reaches no bracket: 0%
    np.testing.assert_array_equal(sim._bracket_rate(LAW, 2031, fs, income),
                                  np.where(income > 0.005, rates[np.minimum(k, len(rates) - 1)], 0.0))
    tiers = (income[:, None] > LAW.get("medicare.irmaa_thresholds", 2031, fs)).sum(axis=-1)
    np.testing.assert_array_equal(irmaa_tier(LAW, 2031, fs, income), tiers)


def test_a_draws_yearly_facts_rollovers_and_ends_as_read_path_by_path():
    """A draw of lifetimes read year by year (rows, rollovers, the paths that end) gives what
    its (paths, years) arrays give."""
    hh = load_household(PLANS / "couple-social-security.yaml")
    hh.people[0].sex, hh.people[1].sex = "male", "female"
    tl = lifetime_timeline(hh, build_timeline(hh, LAW), LAW)
    lives = draw_lives(hh, tl, LAW, 500)
    rng = np.random.default_rng(2)
    pre = rng.uniform(0, 1e6, (tl.pools, 500))
    basis = pre * rng.uniform(0, 0.3, pre.shape)
    for t, year in enumerate(tl.years):
        np.testing.assert_array_equal(lives.by_year["filing_status"][t], lives.filing_status[:, t])
        np.testing.assert_array_equal(lives.going(year), lives.anyone[:, t].astype(float))
        np.testing.assert_array_equal(lives.widowed(year), lives.widowed_years[:, t])
        np.testing.assert_array_equal(lives.ended_paths(year), np.flatnonzero(lives.ended(year)))
        want_pre, want_basis = pre.copy(), basis.copy()
        for d in range(tl.people):  # the rollover as a mask over all paths
            paths = (lives.rollover_year == t) & (lives.deceased == d)
            src, into = survivors.rollover_pools(tl, d, 1 - d)
            if paths.any() and into >= 0:
                for a in (want_pre, want_basis):
                    a[into, paths] += a[src][:, paths].sum(axis=0)
                    a[np.ix_(src, np.nonzero(paths)[0])] = 0.0
        survivors.roll_over(tl, lives, t, pre, basis)
        np.testing.assert_array_equal(pre, want_pre)
        np.testing.assert_array_equal(basis, want_basis)
    assert sum(len(lives.rollovers(tl, t)) for t in range(tl.T)) > 0  # some rollovers ran
