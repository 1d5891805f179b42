"""How long people live: the Social Security Administration's death probabilities, read along
each person's year of birth.

The Office of the Chief Actuary publishes, with each Trustees Report, the probability ``q(x)``
that a person of exact age ``x`` dies within a year, by sex, single year of age (0–119) and
calendar year — historical and projected under the intermediate assumptions (the files the
period life tables of ``ssa.gov/oact/STATS/table4c6.html`` come from).  A person born in year
``b`` lives calendar year ``y`` at age ``y − b``, so reading ``q`` of year ``y`` at that age,
year after year, gives the mortality of that person's own birth cohort, with the improvement
the Trustees project (the construction of SSA's cohort life tables, Actuarial Study No. 120).
The table ships in ``planner/data/`` (see its README for the source and how it was obtained).

Every function works on whole arrays: survival curves of one or two people over the plan's
years, and death years drawn for every Monte Carlo path at once.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).parent / "data"
#: The Trustees Report whose death probabilities the planner uses.
TRUSTEES_REPORT = 2025
#: The table of each sex (SSA's file names, unchanged).
TABLE_FILES = {
    "male": DATA_DIR / "DeathProbsE_M_Alt2_TR2025.csv",
    "female": DATA_DIR / "DeathProbsE_F_Alt2_TR2025.csv",
}
SEXES: tuple[str, ...] = tuple(TABLE_FILES)
#: The oldest age of the table; the planner closes the table there (nobody lives past it).
OLDEST_AGE = 119
#: A birthday's share of the year after it is (this − its month) ÷ 12: the birthday's month
#: counted half on each side.
BIRTHDAY_MONTH_AFTER = 12.5
#: The share of a year lived by those who die in it (SSA's convention for T(x)).
DYING_YEAR_LIVED = 0.5
#: Mixed into the case's seed so that lifetimes draw a stream of their own.
LIFETIME_SEED_SALT = 0x4C49
#: Decimal places shown: probabilities to four, life expectancies (years) to two.
PROBABILITY_DIGITS, YEARS_DIGITS = 4, 2
#: A short table shows every this-many-th year.
SHOWN_STEP = 5
#: A probability under half a percent from 0 or 1 would round to 0% or 100%.
HALF_PERCENT = 0.005
#: The citation shown with every figure drawn from the table.
SOURCE = (f"SSA Office of the Chief Actuary, {TRUSTEES_REPORT} Trustees Report, death "
          "probabilities by calendar year and single year of age, intermediate assumptions "
          "(https://www.ssa.gov/oact/HistEst/PerLifeTablesHome.html)")


@lru_cache(maxsize=len(TABLE_FILES))
def death_probabilities(sex: str) -> tuple[np.ndarray, np.ndarray]:
    """SSA's ``q(x)`` for ``sex``: the calendar years (Y,) and the probabilities (Y, 120), ages
    0–119 (read-only arrays)."""
    if sex not in TABLE_FILES:
        raise ValueError(f"sex must be one of {', '.join(SEXES)}, not {sex!r}")
    path = TABLE_FILES[sex]
    with open(path, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.reader(fh) if r]
    header, body = rows[0], rows[1:]
    if header[0] != "Year" or header[1:] != [str(a) for a in range(OLDEST_AGE + 1)]:
        raise ValueError(f"{path.name}: the header is not Year, 0..{OLDEST_AGE}")
    years = np.array([int(r[0]) for r in body])
    q = np.array([[float(v) for v in r[1:]] for r in body])
    if np.any(np.diff(years) != 1) or np.any((q < 0) | (q > 1)):
        raise ValueError(f"{path.name}: years must be consecutive and probabilities in [0, 1]")
    years.setflags(write=False)
    q.setflags(write=False)
    return years, q


def table_years() -> tuple[int, int]:
    """The first and last calendar year of the shipped table."""
    years, _ = death_probabilities(SEXES[0])
    return int(years[0]), int(years[-1])


def _q_at(sex: str, years: np.ndarray, ages: np.ndarray) -> np.ndarray:
    """``q`` of each calendar year at each exact age (broadcast); years past the table take its
    last year, years before it its first; the oldest age and beyond die within the year."""
    ty, q = death_probabilities(sex)
    row = np.clip(np.asarray(years) - ty[0], 0, len(ty) - 1)
    age = np.asarray(ages)
    out = q[row, np.clip(age, 0, OLDEST_AGE)]
    return np.where(age >= OLDEST_AGE, 1.0, out)


def yearly_death_probability(sex: str, birth_year: int, birth_month: int,
                             years) -> np.ndarray:
    """The probability that a person alive on January 1 of each of ``years`` dies during it.

    The person reaches age ``y − birth_year`` during year ``y``: before the birthday the table's
    age below applies, after it that age, so the year's probability is the two weighted by the
    months on each side of the birthday (the birthday's month counted half on each)."""
    years = np.asarray(years)
    age = years - birth_year
    after = (BIRTHDAY_MONTH_AFTER - birth_month) / 12.0  # share of the year after the birthday
    q_before = _q_at(sex, years, np.maximum(age - 1, 0))
    q_after = _q_at(sex, years, age)
    return np.where(age - 1 >= OLDEST_AGE, 1.0, (1 - after) * q_before + after * q_after)


def survival_curve(q: np.ndarray) -> np.ndarray:
    """From the yearly death probabilities (..., T): the probability of being alive on January 1
    of each year (..., T), given alive on January 1 of the first (so the first is 1)."""
    q = np.asarray(q, float)
    alive_end = np.cumprod(1.0 - q, axis=-1)
    return np.concatenate([np.ones(q.shape[:-1] + (1,)), alive_end[..., :-1]], axis=-1)


def household_survival(q: np.ndarray) -> dict[str, np.ndarray]:
    """The probabilities that each person (rows of ``q``, shaped (I, T)) is alive on January 1
    of each year, and for a couple that both are and that at least one is — lifetimes taken
    as independent (SSA's tables give no joint mortality)."""
    each = survival_curve(q)
    both = each.prod(axis=0)
    either = 1.0 - (1.0 - each).prod(axis=0)
    return {"each": each, "both": both, "either": either}


def survival_horizon(either: np.ndarray, years, percentile: float) -> int:
    """The last year of a plan that outlives the household with probability ``percentile``:
    the year after which the probability that anyone is still alive (``either``, alive on
    January 1 of each of ``years``) is no more than ``1 − percentile``.  The last of ``years``
    when the household outlives them all with a larger probability."""
    years = np.asarray(years)
    alive_after = np.append(np.asarray(either)[1:], np.nan)
    done = np.nonzero(alive_after <= 1.0 - percentile + 1e-12)[0]
    return int(years[done[0]]) if done.size else int(years[-1])


def sample_death_years(q: np.ndarray, paths: int, seed: int) -> np.ndarray:
    """Each person's year of death on each of ``paths`` paths: (paths, I) indices into the T
    years of ``q`` (I, T) — ``T`` where the person outlives them all.  Inverse-transform
    sampling of each person's own distribution, independent people, reproducible by ``seed``
    (a stream of its own: the draws take nothing from the markets' stream).  That does not
    keep a seed's market paths: random lifetimes run the markets on a longer grid (to the
    survival horizon), and the market models draw path by path (``(paths, years)``,
    row-major), so with the bootstrap every path but the first gets other years than with
    fixed lifetimes, no lognormal path keeps all its draws, and the historical model leaves
    out the later start years; the paths are then put in the order of their last deaths.  A
    fixed and a random-lifetime run of one seed are not on common market paths."""
    q = np.asarray(q, float)
    alive = survival_curve(q)
    dies = alive * q  # probability of dying in each year
    cdf = np.cumsum(dies, axis=-1)
    u = np.random.default_rng([int(seed), LIFETIME_SEED_SALT]).random((paths, q.shape[0]))
    return np.stack([np.searchsorted(cdf[i], u[:, i], side="right")
                     for i in range(q.shape[0])], axis=1)


def life_expectancy(q_from_age: np.ndarray) -> float:
    """The complete expectation of life at the first age of ``q_from_age`` (the death
    probabilities of that age and every later one): each year lived in full by those who
    survive it and half by those who die in it — SSA's ``T(x) / l(x)`` (Actuarial Study
    No. 120, section IV)."""
    q = np.asarray(q_from_age, float)
    lx = np.concatenate([[1.0], np.cumprod(1.0 - q)[:-1]])
    return float((lx * (1.0 - q * DYING_YEAR_LIVED)).sum())


def period_life_expectancy(sex: str, year: int, age: int) -> float:
    """Life expectancy at ``age`` on the period table of ``year`` (that year's mortality at
    every later age) — the figure SSA prints in its period life tables."""
    ages = np.arange(age, OLDEST_AGE + 1)
    return life_expectancy(_q_at(sex, np.full(ages.shape, year), ages))


def cohort_life_expectancy(sex: str, birth_year: int, age: int) -> float:
    """Life expectancy at ``age`` of a person born in ``birth_year``: each later age at the
    mortality of the year it is lived (the cohort table)."""
    ages = np.arange(age, OLDEST_AGE + 1)
    return life_expectancy(_q_at(sex, birth_year + ages, ages))


# -- a household's lives -------------------------------------------------------------------------


def household_q(people, years) -> np.ndarray:
    """(I, T): each person's probability of dying in each of ``years``, alive on January 1 of
    it (``people``: the plan file's people, each with a ``sex`` and a ``birth_date``)."""
    return np.stack([yearly_death_probability(p.sex, p.birth_date.year, p.birth_date.month,
                                              years) for p in people])


def last_possible_year(people) -> int:
    """The last year anyone of ``people`` could live: the year after the one in which the
    youngest reaches the table's oldest age, whose death probability is 1 (one born after
    January is still that age on the next January 1: :func:`yearly_death_probability`)."""
    return max(p.birth_date.year for p in people) + OLDEST_AGE + 1


def horizon_ages(people, start_year: int, percentile: float) -> list[int]:
    """The age each person is planned to reach under a survival horizon: the last survivor
    reaches the year the household is outlived with probability ``percentile``
    (:func:`survival_horizon`); the other of a couple the year that person alone is outlived
    with it.  The survivor is the one whose own year is the later (the first of the two if
    they tie)."""
    years = np.arange(start_year, last_possible_year(people) + 1)
    q = household_q(people, years)
    own = [survival_horizon(household_survival(q[i:i + 1])["either"], years, percentile)
           for i in range(len(people))]
    end = survival_horizon(household_survival(q)["either"], years, percentile)
    last = int(np.argmax(own))
    return [(end if i == last else own[i]) - p.birth_date.year for i, p in enumerate(people)]


#: Survival rows stop at the first year in which anyone is alive with less than this
#: probability (or at the table's oldest age).
TABLE_FLOOR = 0.005


def survival_table(people, start_year: int) -> dict:
    """The probability that each person, both and at least one of them are alive on January 1
    of each year from ``start_year`` (each alive then), with each one's age that year and life
    expectancy (years from January 1 of the start year) — until anyone is alive with a
    probability under ``TABLE_FLOOR``."""
    years = np.arange(start_year, last_possible_year(people) + 1)
    q = household_q(people, years)
    s = household_survival(q)
    keep = int(np.argmax(np.append(s["either"] < TABLE_FLOOR, True)))
    keep = max(min(keep + 1, len(years)), 1)

    def r(x):
        return [round(float(v), PROBABILITY_DIGITS) for v in x[:keep]]

    expect = [float((alive * (1 - qi * DYING_YEAR_LIVED)).sum())
              for alive, qi in zip(s["each"], q, strict=True)]
    return {
        "source": SOURCE,
        "years": [int(y) for y in years[:keep]],
        "ages": [[int(y - p.birth_date.year) for y in years[:keep]] for p in people],
        "alive": [r(a) for a in s["each"]],
        **({"both_alive": r(s["both"]), "either_alive": r(s["either"])} if len(people) == 2
           else {}),
        "life_expectancy": [round(e, YEARS_DIGITS) for e in expect],
    }


def shown_years(table: dict, step: int = SHOWN_STEP, also: tuple[int, ...] = ()) -> list[int]:
    """Indices of the rows of a :func:`survival_table` to show in a short table: every
    ``step``-th year from the start, the last, and the years in ``also`` (a plan's end)."""
    years = table["years"]
    keep = set(range(0, len(years), step)) | {len(years) - 1}
    keep |= {years.index(y) for y in also if y in years}
    return sorted(keep)


def alive_percent(p: float) -> str:
    """A probability of being alive as a person reads it: whole percents, '<1%' and '>99%'
    where rounding would say 0 or 100 of something that is neither."""
    if 0 < p < HALF_PERCENT:
        return "<1%"
    if 1 - HALF_PERCENT <= p < 1:
        return ">99%"
    return f"{p:.0%}"


def horizon_text(end: int, horizon: dict | None, names: list[str]) -> str:
    """Where the plan ends, in words (the terminal's and the report's): at the survival
    horizon, the year after which anyone of the household (a couple: either of them) is still
    alive with probability ``1 − survival`` or less (:func:`survival_horizon`); else at the
    people's own ``life_expectancy``."""
    if not horizon:
        return f"The plan ends in {end} (each person's life_expectancy)."
    who = "either of them is" if len(names) > 1 else f"{names[0]} is"
    left = round(1 - horizon["survival"], PROBABILITY_DIGITS) * 100
    return (f"The plan ends in {end}, the year after which {who} still alive with probability "
            f"{left:g}% or less.")
