"""The Roth IRA ordering rules and Form 8606 Part III, worked from the IRS's examples.

- Pub. 590-B, "Ordering Rules for Distributions", the example of Justin: $80,000 converted on
  October 15, 2016, $20,000 of it basis (so $60,000 taxable); a $5,000 regular contribution on
  February 23, 2020; a $7,000 distribution on November 8, 2020, at 60.  "The first $5,000 ... is
  a return of Justin's regular contribution"; "the next $2,000 ... isn't includible in income
  because it was included previously."
- Instructions for Form 5329 (2016), line 1, "Recapture amount subject to the additional tax on
  early distributions", Example: $20,000 converted in 2012 (2012 Form 8606: $5,000 on line 17,
  $15,000 on line 18) and $10,000 in 2013 (line 17 $3,000, line 18 $7,000); regular
  contributions of $2,000 for 2012 and for 2013; on July 9, 2016, at 53, a $33,000
  distribution.  The 2016 Form 8606 shows $33,000 on line 19, $29,000 on line 23 and $0 on line
  25; $4,000 goes to the contributions, then $15,000 to the 2012 line 18, $5,000 to the 2012
  line 17, $7,000 to the 2013 line 18 and $2,000 to the 2013 line 17.  The recapture on Form
  5329 line 1 is the taxable parts of conversions within 5 years: $15,000 + $7,000 = $22,000.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.roth_ira_ordering import (
    Left,
    RothIraHistory,
    RothIraLaw,
    ordered,
    part_iii,
    roth_ira_paid,
)

NAN = float("nan")


def history(contributions, conversions, first_year=NAN) -> RothIraHistory:
    """One owner's Roth IRA history: conversions as (year, amount, taxable amount)."""
    k = max(1, len(conversions))
    pad = [(NAN, 0.0, 0.0)] * (k - len(conversions))
    rows = list(conversions) + pad
    return RothIraHistory(
        contributions=np.array([float(contributions)]),
        conversion_year=np.array([[r[0] for r in rows]], float),
        conversion_amount=np.array([[r[1] for r in rows]], float),
        conversion_taxable=np.array([[r[2] for r in rows]], float),
        first_year=np.array([float(first_year)]))


def paid(gross, h, year, at_59_half=False, disabled=False, first_home_left=0.0):
    return roth_ira_paid(np.array([float(gross)]), h, np.array([year]), np.array([at_59_half]),
                         np.array([disabled]), np.array([False]),
                         Left(np.array([first_home_left])),
                         RothIraLaw(np.array([5.0]), np.array([5.0])))


JUSTIN = history(5000, [(2016, 80000, 60000)])
FORM_5329 = history(4000, [(2012, 20000, 15000), (2013, 10000, 7000)])


def test_justin_pub_590b():
    p = paid(7000, JUSTIN, 2020, at_59_half=True)
    # First contribution: the 2016 conversion; 2020 is in 2016-2020, so the 5 years are not
    # over and the distribution is not qualified although he is 60.
    assert not p.qualified[0] and not p.five_years[0]
    assert p.ordered.contributions[0] == 5000
    assert p.ordered.conversion_taxable[0] == 2000
    assert p.ordered.earnings[0] == 0
    iii = p.part_iii
    assert [float(getattr(iii, k)[0]) for k in iii.LINES] == [
        7000, 0, 7000, 5000, 2000, 80000, 0, 0, 0]
    assert p.taxable[0] == 0
    assert p.early_includible[0] == 0  # 60: not an early distribution


def test_form_5329_recapture_example():
    p = paid(33000, FORM_5329, 2016)
    assert not p.qualified[0]  # first contribution 2012: the 5 years end with 2016
    o = p.ordered
    assert o.contributions[0] == 4000
    assert o.conversion_taxable[0] == 15000 + 7000
    assert o.conversion_nontaxable[0] == 5000 + 2000
    assert o.earnings[0] == 0
    assert p.part_iii.line_19[0] == 33000
    assert p.part_iii.line_23[0] == 29000
    assert p.part_iii.line_24[0] == 30000
    assert p.part_iii.line_25c[0] == 0
    assert o.recapture[0] == 22000
    assert p.early_includible[0] == 22000


def test_recapture_ends_after_five_years():
    # The same distribution in 2017: the 2012 conversion's 5 years (2012-2016) are over, the
    # 2013 one's (2013-2017) are not: only its $7,000 taxable part is recaptured.  The first
    # contribution was in 2012, so 2017 ends the 5-year period: at 53 the distribution is
    # still not qualified (no 59½, disability or first home).
    p = paid(33000, FORM_5329, 2017)
    assert p.five_years[0] and not p.qualified[0]
    assert p.ordered.recapture[0] == 7000


def test_earnings_after_all_basis_are_taxable():
    # Worked by hand: $4,000 contributions, $30,000 conversions; $40,000 taken: the last
    # $6,000 is earnings (line 25c), in 2014 the 2012 and 2013 taxable parts are recaptured.
    p = paid(40000, FORM_5329, 2014)
    assert p.part_iii.line_25a[0] == 40000 - 4000 - 30000
    assert p.taxable[0] == 6000
    assert p.ordered.recapture[0] == 22000
    assert p.early_includible[0] == 6000 + 22000


def test_qualified_distribution_fills_no_part_iii():
    # First contribution 2012; in 2017 at 59½ the whole distribution is qualified.
    p = paid(50000, FORM_5329, 2017, at_59_half=True)
    assert p.qualified[0]
    assert not p.part_iii.filled[0] and p.part_iii.line_19[0] == 0
    assert p.taxable[0] == 0 and p.early_includible[0] == 0


def test_disability_qualifies_after_five_years_only():
    assert paid(1000, FORM_5329, 2017, disabled=True).qualified[0]
    assert not paid(1000, FORM_5329, 2016, disabled=True).qualified[0]


def test_first_home_after_five_years():
    # Worked by hand: $12,000 taken for a first home in 2017 (5 years met), $10,000 of the
    # lifetime limit left: line 20 $10,000, line 21 $2,000, all out of the contributions.
    p = paid(12000, FORM_5329, 2017, first_home_left=10000)
    iii = p.part_iii
    assert (iii.line_19[0], iii.line_20[0], iii.line_21[0], iii.line_23[0]) == (
        12000, 10000, 2000, 0)
    assert not p.qualified[0]  # only part of it is


def test_first_home_before_five_years_is_not_line_20():
    p = paid(12000, FORM_5329, 2016, first_home_left=10000)
    assert p.part_iii.line_20[0] == 0


def test_first_year_from_the_first_conversion():
    # No regular contribution year given: the 2016 conversion starts the period.
    assert JUSTIN.start_of_period()[0] == 2016
    assert history(0, [(2016, 1, 1)], first_year=2010).start_of_period()[0] == 2010


def test_unknown_first_year_is_not_met():
    p = paid(1000, history(1000, []), 2030, at_59_half=True)
    assert not p.five_years[0] and not p.qualified[0]


def test_part_iii_lines_follow_the_form():
    h = history(3000, [(2020, 5000, 5000)])
    iii = part_iii(np.array([10000.0]), np.array([0.0]), h)
    assert (iii.line_23[0], iii.line_25a[0], iii.line_25c[0]) == (7000, 2000, 2000)


conversion = st.tuples(st.integers(1998, 2026), st.integers(0, 50000), st.integers(0, 50000))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 100000), st.integers(0, 30000),
                          st.lists(conversion, max_size=4), st.integers(1998, 2030),
                          st.booleans()), min_size=1, max_size=6))
def test_batch_equals_one_at_a_time(rows):
    """The batch's answer for each owner is that owner's answer alone; the pieces add up."""
    k = max(1, max(len(r[2]) for r in rows))

    def padded(convs):
        convs = [(y, a, min(a, t)) for y, a, t in convs]
        return convs + [(NAN, 0.0, 0.0)] * (k - len(convs))

    hs = [history(r[1], padded(r[2])) for r in rows]
    batch = RothIraHistory(*(np.concatenate([getattr(h, f) for h in hs]) for f in (
        "contributions", "conversion_year", "conversion_amount", "conversion_taxable",
        "first_year")))
    n = len(rows)
    gross = np.array([float(r[0]) for r in rows])
    years = np.array([r[3] for r in rows])
    old = np.array([r[4] for r in rows])
    args = (np.zeros(n, bool), np.zeros(n, bool))
    law = RothIraLaw(np.full(n, 5.0), np.full(n, 5.0))
    together = roth_ira_paid(gross, batch, years, old, *args, Left(np.zeros(n)), law)
    for i, h in enumerate(hs):
        alone = roth_ira_paid(gross[i:i + 1], h, years[i:i + 1], old[i:i + 1],
                              *(a[:1] for a in args), Left(np.zeros(1)),
                              RothIraLaw(law.five_year_period[:1], law.recapture_years[:1]))
        for line in together.part_iii.LINES:
            assert getattr(together.part_iii, line)[i] == getattr(alone.part_iii, line)[0]
        assert together.ordered.recapture[i] == alone.ordered.recapture[0]
        assert together.early_includible[i] == alone.early_includible[0]
    o = ordered(gross, batch, years, np.full(n, 5.0))
    assert np.allclose(o.contributions + o.conversion_taxable + o.conversion_nontaxable
                       + o.earnings, gross)
    assert (o.recapture <= o.conversion_taxable + 1e-9).all()
