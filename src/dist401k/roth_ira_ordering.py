"""Money out of a Roth IRA: the qualified distribution, the ordering rules, and what of a
nonqualified distribution is taxable and under the 10% additional tax — arrays over a batch.

- Qualified distribution (IRC §408A(d)(2); Treas. Reg. §1.408A-6, Q&A-1, Q&A-2): made after
  the 5-taxable-year period beginning with the first taxable year for which a contribution (a
  conversion included) was made to any Roth IRA of the owner (law
  ``roth.ira_five_year_period``), and on or after 59½, on account of disability, after death,
  or a first-time homebuyer distribution (§408A(d)(5), §72(t)(2)(F), (t)(8): up to the lifetime
  limit, law ``early_distributions.first_home_lifetime_cap``).  None of it is taxed.
- Ordering (§408A(d)(4)(B); Treas. Reg. §1.408A-6, Q&A-8, Q&A-9): a nonqualified distribution
  comes first out of regular contributions, then out of conversions and rollovers from plans,
  oldest year first (those of one year added together, Q&A-9), each year's taxable part
  before its nontaxable part, then out of earnings.  Only the earnings are includible in
  income (Form 8606, line 25c).
- Recapture (§408A(d)(3)(F); Q&A-5): the part allocable to the taxable part of a conversion
  made within the 5 taxable years beginning with the year of the conversion (law
  ``roth.conversion_recapture_years``) is treated as includible for §72(t) only, its
  exceptions applying.

Form 8606, Part III (lines 19-25c) is the same computation line by line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.money import HALF_CENT


@dataclass(frozen=True)
class RothIraHistory:
    """What the ordering rules need of each owner's Roth IRAs (all of them one, Q&A-9).

    ``contributions``: the basis in regular contributions (regular contributions less those
    distributed before; Form 8606, line 22); ``conversion_year``, ``conversion_amount``,
    ``conversion_taxable``: [n, K] the conversions and rollovers from plans still in the Roth
    IRAs by year (NaN year: none), each amount less what earlier distributions took of it, and
    the part of it that was taxable when converted; ``first_year``: the first year of a
    contribution to any Roth IRA (NaN: not known)."""

    contributions: np.ndarray
    conversion_year: np.ndarray
    conversion_amount: np.ndarray
    conversion_taxable: np.ndarray
    first_year: np.ndarray

    def start_of_period(self) -> np.ndarray:
        """The first year of the 5-year period: the first contribution's, or the first
        conversion's where that is earlier (a conversion is a contribution, Q&A-2)."""
        with np.errstate(invalid="ignore"):
            conv = np.fmin.reduce(self.conversion_year, axis=1, initial=np.nan) \
                if self.conversion_year.shape[1] else np.full(len(self.contributions), np.nan)
        return np.fmin(np.asarray(self.first_year, float), conv)


def five_years_met(tax_year, start, period) -> np.ndarray:
    """The 5-taxable-year period has ended before the tax year of the distribution; unknown
    (no first year) counts as not met."""
    start = np.asarray(start, float)
    with np.errstate(invalid="ignore"):
        return ~np.isnan(start) & (np.asarray(tax_year) >= start + np.asarray(period))


@dataclass(frozen=True)
class Ordered:
    """A distribution split by the ordering rules: out of regular contributions, out of the
    taxable and nontaxable parts of conversions, out of earnings; and the part out of the
    taxable parts of conversions made within the recapture period (``recapture``)."""

    contributions: np.ndarray
    conversion_taxable: np.ndarray
    conversion_nontaxable: np.ndarray
    earnings: np.ndarray
    recapture: np.ndarray


def ordered(amount, history: RothIraHistory, tax_year, recapture_years) -> Ordered:
    """Split ``amount`` by the ordering rules (§408A(d)(4)(B)): the conversions of one year are
    one (Treas. Reg. §1.408A-6, Q&A-9: all conversion contributions received in the same
    taxable year are added together), its taxable parts before its nontaxable parts
    (Q&A-8; §408A(d)(4)(B)(ii)), whatever order the case lists them in."""
    amount = np.asarray(amount, float)
    from_contrib = np.minimum(amount, np.maximum(0.0, history.contributions))
    rest = amount - from_contrib
    year = np.asarray(history.conversion_year, float)
    total = np.nan_to_num(history.conversion_amount)
    taxable = np.minimum(total, np.nan_to_num(history.conversion_taxable))
    k = year.shape[1]
    # 2K pieces: every conversion's taxable part, then every one's nontaxable part, ordered by
    # year and, within a year, taxable parts first (a stable sort keeps the rest as given).
    pieces = np.concatenate([taxable, total - taxable], axis=1)
    years = np.concatenate([year, year], axis=1)
    is_taxable = np.arange(2 * k) < k
    key = np.where(np.isnan(years), np.inf, 2 * np.nan_to_num(years) + ~is_taxable)
    order = np.argsort(key, axis=1, kind="stable")
    pieces = np.take_along_axis(pieces, order, axis=1)
    years = np.take_along_axis(years, order, axis=1)
    is_taxable = is_taxable[order]
    before = np.cumsum(pieces, axis=1) - pieces
    taken = np.clip(rest[:, None] - before, 0.0, pieces)
    with np.errstate(invalid="ignore"):
        within = np.asarray(tax_year)[:, None] < years + np.asarray(recapture_years)[:, None]
    conv_taxable = (taken * is_taxable).sum(axis=1)
    conv_all = taken.sum(axis=1)
    return Ordered(contributions=from_contrib, conversion_taxable=conv_taxable,
                   conversion_nontaxable=conv_all - conv_taxable,
                   earnings=rest - conv_all,
                   recapture=(taken * (is_taxable & within)).sum(axis=1))


@dataclass(frozen=True)
class PartIII:
    """Form 8606, Part III, of each case: lines 19-25c (all zero where the distribution is
    qualified: the part is not filled in), and ``filled`` where it is."""

    filled: np.ndarray
    line_19: np.ndarray
    line_20: np.ndarray
    line_21: np.ndarray
    line_22: np.ndarray
    line_23: np.ndarray
    line_24: np.ndarray
    line_25a: np.ndarray
    line_25b: np.ndarray
    line_25c: np.ndarray

    LINES = ("line_19", "line_20", "line_21", "line_22", "line_23", "line_24", "line_25a",
             "line_25b", "line_25c")


def part_iii(nonqualified, first_home, history: RothIraHistory, disaster=0.0) -> PartIII:
    """Lines 19-25c: line 19 the nonqualified distributions (a qualified first-time homebuyer
    distribution included), line 20 the first-time homebuyer expenses within the lifetime
    limit, line 22 the basis in regular contributions, line 24 the basis in conversions and
    rollovers, line 25b the part of line 25a that is a qualified disaster recovery distribution
    (up to ``disaster``, the includible part first: it is taxed by Form 8915-F), line 25c the
    rest, taxable this year."""
    line_19 = np.asarray(nonqualified, float)
    filled = line_19 > HALF_CENT
    line_20 = np.where(filled, np.minimum(line_19, first_home), 0.0)
    line_21 = np.maximum(0.0, line_19 - line_20)
    line_22 = np.where(filled, np.maximum(0.0, history.contributions), 0.0)
    line_23 = np.maximum(0.0, line_21 - line_22)
    line_24 = np.where(filled, np.nan_to_num(history.conversion_amount).sum(axis=1), 0.0)
    line_25a = np.maximum(0.0, line_23 - line_24)
    line_25b = np.minimum(line_25a, disaster)
    return PartIII(filled=filled, line_19=line_19, line_20=line_20, line_21=line_21,
                   line_22=line_22, line_23=line_23, line_24=line_24, line_25a=line_25a,
                   line_25b=line_25b, line_25c=line_25a - line_25b)


@dataclass(frozen=True)
class RothIraPaid:
    """A Roth IRA distribution of each case: qualified or not, its ordering, Form 8606 Part
    III, the amount includible in income (``taxable``: line 25a, a disaster's part included)
    and the amount the §72(t) tax reads (the taxable earnings and the recapture of conversions
    within 5 years; Form 5329, line 1, before a disaster's part is taken out)."""

    qualified: np.ndarray
    five_years: np.ndarray
    ordered: Ordered
    part_iii: PartIII
    taxable: np.ndarray
    early_includible: np.ndarray


@dataclass(frozen=True)
class RothIraLaw:
    """The law's periods, per case: the 5-taxable-year period of a qualified distribution
    (``roth.ira_five_year_period``) and the recapture period of a conversion
    (``roth.conversion_recapture_years``)."""

    five_year_period: np.ndarray
    recapture_years: np.ndarray


@dataclass(frozen=True)
class Left:
    """What a first-time homebuyer distribution may still be (the lifetime limit less earlier
    ones), and a qualified disaster recovery distribution (its limit less what was taken for
    the disaster); 0 where the request is not for one."""

    first_home: np.ndarray
    disaster: np.ndarray | float = 0.0


def roth_ira_paid(gross, history: RothIraHistory, tax_year, at_59_half, disabled, dead,
                  left: Left, law: RothIraLaw) -> RothIraPaid:
    """What a distribution of ``gross`` from the Roth IRAs is, with what of it a first home
    and a disaster may still be (``left``)."""
    gross = np.asarray(gross, float)
    first_home_left = left.first_home
    met = five_years_met(tax_year, history.start_of_period(), law.five_year_period)
    whole = met & (np.asarray(at_59_half) | np.asarray(disabled) | np.asarray(dead))
    home = np.where(met & ~whole, np.minimum(gross, first_home_left), 0.0)
    nonqualified = np.where(whole, 0.0, gross)
    p3 = part_iii(nonqualified, home, history, left.disaster)
    # The ordering runs on what is left after the qualified first-home part (lines 21-25a).
    o = ordered(p3.line_21, history, tax_year, law.recapture_years)
    taxable = p3.line_25a
    return RothIraPaid(qualified=whole | (met & (home >= gross - HALF_CENT) & (gross > 0)),
                       five_years=met, ordered=o, part_iii=p3, taxable=taxable,
                       early_includible=np.where(np.asarray(at_59_half), 0.0,
                                                 taxable + o.recapture + p3.line_20))
