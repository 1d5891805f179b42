"""Lifetimes from SSA's death probabilities: the shipped table, the life-table arithmetic
checked against a table SSA printed, survival curves, the survival horizon and the sampling of
death years."""

from __future__ import annotations

import numpy as np
from scipy.stats import binom
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.planner import longevity as L

# SSA's period life table as printed on ssa.gov/oact/STATS/table4c6.html (the 2010 period
# table for the Social Security area population, as copied in the mortalitab project): the
# death probabilities q(x) from 65 to 119 and the life expectancies SSA printed beside them.
SSA_2010_Q65 = {
    "male": [0.016182, 0.017612, 0.019138, 0.020752, 0.022497, 0.024488, 0.026747, 0.029212,
             0.031885, 0.034832, 0.038217, 0.042059, 0.046261, 0.050826, 0.055865, 0.06162,
             0.068153, 0.075349, 0.08323, 0.091933, 0.101625, 0.112448, 0.124502, 0.137837,
             0.152458, 0.168352, 0.185486, 0.203817, 0.223298, 0.243867, 0.264277, 0.284168,
             0.303164, 0.320876, 0.336919, 0.353765, 0.371454, 0.390026, 0.409528, 0.430004,
             0.451504, 0.474079, 0.497783, 0.522673, 0.548806, 0.576246, 0.605059, 0.635312,
             0.667077, 0.700431, 0.735453, 0.772225, 0.810837, 0.851378, 0.893947],
    "female": [0.010298, 0.011281, 0.01237, 0.013572, 0.014908, 0.01644, 0.018162, 0.020019,
               0.022003, 0.024173, 0.026706, 0.029603, 0.032718, 0.036034, 0.039683, 0.043899,
               0.048807, 0.054374, 0.060661, 0.067751, 0.075729, 0.084673, 0.094645, 0.105694,
               0.117853, 0.131146, 0.145585, 0.161175, 0.17791, 0.195774, 0.213849, 0.231865,
               0.249525, 0.266514, 0.282504, 0.299455, 0.317422, 0.336467, 0.356655, 0.378055,
               0.400738, 0.424782, 0.450269, 0.477285, 0.505922, 0.536278, 0.568454, 0.602561,
               0.638715, 0.677038, 0.71766, 0.76072, 0.806363, 0.851378, 0.893947],
}
SSA_2010_LIFE_EXPECTANCY = {"male": {65: 17.51, 75: 10.87, 85: 5.80, 100: 2.12},
                            "female": {65: 20.19, 75: 12.79, 85: 6.95, 100: 2.49}}


@pytest.mark.parametrize("sex", L.SEXES)
def test_life_expectancy_reproduces_ssas_printed_table(sex):
    q = np.array(SSA_2010_Q65[sex])
    for age, printed in SSA_2010_LIFE_EXPECTANCY[sex].items():
        # SSA prints two decimals: the arithmetic agrees to the rounding.
        assert L.life_expectancy(q[age - 65:]) == pytest.approx(printed, abs=0.005 + 1e-9)


@pytest.mark.parametrize("sex", L.SEXES)
def test_the_shipped_table(sex):
    years, q = L.death_probabilities(sex)
    assert (int(years[0]), int(years[-1])) == L.table_years() == (2023, 2100)
    assert q.shape == (78, L.OLDEST_AGE + 1)
    assert not q.flags.writeable
    # Mortality rises with age after childhood and falls over the projected years (the
    # intermediate assumptions project improvement at every age).
    assert np.all(np.diff(q[:, 40:], axis=1) > 0)
    assert np.all(q[-1, 40:110] < q[0, 40:110])


def test_cohort_lives_longer_than_its_period_table():
    # A cohort table reads later, lower mortality: a woman born in 1961 reaching 65 in 2026
    # expects more years than the 2026 period table says.
    for sex in L.SEXES:
        assert L.cohort_life_expectancy(sex, 1961, 65) > L.period_life_expectancy(sex, 2026, 65)
    assert L.period_life_expectancy("female", 2030, 65) > L.period_life_expectancy("male", 2030, 65)


def test_unknown_sex_is_refused():
    with pytest.raises(ValueError, match="sex must be one of male, female"):
        L.death_probabilities("other")


def test_yearly_probability_weights_the_birthday():
    years = np.array([2026])
    _, q = L.death_probabilities("male")
    row = 2026 - 2023
    jan = L.yearly_death_probability("male", 1961, 1, years)[0]
    dec = L.yearly_death_probability("male", 1961, 12, years)[0]
    # Born in January: 65 almost all year; in December: 64 almost all year.
    assert jan == pytest.approx(q[row, 64] / 24 + q[row, 65] * 23 / 24)
    assert dec == pytest.approx(q[row, 64] * 23 / 24 + q[row, 65] / 24)
    assert L.yearly_death_probability("female", 1900, 6, years)[0] == 1.0  # past the table


qs = st.lists(st.floats(0.0, 1.0), min_size=1, max_size=40)


@given(qs, qs)
def test_survival_is_a_probability_and_never_rises(q0, q1):
    n = min(len(q0), len(q1))
    s = L.household_survival(np.array([q0[:n], q1[:n]]))
    for curve in (*s["each"], s["both"], s["either"]):
        assert curve[0] == 1.0
        assert np.all((curve >= 0) & (curve <= 1))
        assert np.all(np.diff(curve) <= 1e-15)
    assert np.all(s["both"] <= s["each"].min(axis=0) + 1e-15)
    assert np.all(s["either"] >= s["each"].max(axis=0) - 1e-15)


@given(st.floats(0.5, 0.99), st.integers(1930, 1990), st.sampled_from(L.SEXES))
def test_survival_horizon_is_the_percentile(p, born, sex):
    years = np.arange(2026, born + L.OLDEST_AGE + 1)
    q = L.yearly_death_probability(sex, born, 6, years)[None, :]
    either = L.household_survival(q)["either"]
    end = L.survival_horizon(either, years, p)
    k = end - 2026
    alive_after = either[k + 1] if k + 1 < len(years) else 0.0
    assert alive_after <= 1 - p + 1e-12
    if k > 0:
        assert either[k] > 1 - p


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from(L.SEXES), st.integers(1940, 1975))
def test_sampled_deaths_follow_the_table(seed, sex, born):
    years = np.arange(2026, born + L.OLDEST_AGE + 1)
    q = L.yearly_death_probability(sex, born, 3, years)[None, :]
    n = 20_000
    d = L.sample_death_years(q, n, seed)[:, 0]
    alive = L.survival_curve(q)[0]
    # Alive on January 1 of each year: the number of paths whose death is later, inside the
    # binomial's central interval of probability 1 - 2e-7 at the table's probability (exact:
    # a normal approximation fails where the table gives one in a million and a path lives).
    for k in range(0, len(years), 5):
        count = int((d >= k).sum())
        lo, hi = binom.ppf([1e-7, 1 - 1e-7], n, min(alive[k], 1.0))
        assert lo <= count <= hi, (k, count, alive[k])
    assert d.max() < len(years)  # the table closes at its oldest age


def test_sampling_is_reproducible_and_independent_of_the_other_person():
    q = L.household_q([_P("male", 1960), _P("female", 1962)], np.arange(2026, 2082))
    a = L.sample_death_years(q, 500, seed=7)
    assert np.array_equal(a, L.sample_death_years(q, 500, seed=7))
    assert not np.array_equal(a, L.sample_death_years(q, 500, seed=8))
    assert abs(np.corrcoef(a[:, 0], a[:, 1])[0, 1]) < 0.15


def test_horizon_ages_of_a_couple():
    people = [_P("male", 1962), _P("female", 1962)]
    ages = L.horizon_ages(people, 2026, 0.9)
    years = np.arange(2026, L.last_possible_year(people) + 1)
    q = L.household_q(people, years)
    alone = L.survival_horizon(L.household_survival(q[:1])["either"], years, 0.9) - 1962
    both = L.survival_horizon(L.household_survival(q)["either"], years, 0.9) - 1962
    assert ages == [alone, both]  # the woman, likelier to live longer, is the last survivor
    assert ages[1] > ages[0]


class _P:
    """A person of the plan file, as far as lifetimes need one."""

    def __init__(self, sex, year, month=6):
        import datetime as dt

        self.sex, self.birth_date = sex, dt.date(year, month, 1)
