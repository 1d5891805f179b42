"""Where a joint return's split by spouse is not given: the least and the most each spouse's
part can be, so that a state answers where the split cannot change its answer and leaves the
unit NaN where it can.

A part given is the spouse's (:func:`~dist401k.tax.state.common.own`); the distributions not
split are the head's (``taxable_distributions`` is the head's, ``spouse_distributions`` the
part paid to the spouse); a part of them (``ira_distributions``, ``periodic_distributions``)
whose split is not given lies anywhere the two spouses' distributions allow; wages, Social
Security and other income whose split is not given may be anywhere from none to all of them
the spouse's (a loss too: a part shares its whole's sign).
"""

from __future__ import annotations

import numpy as np

from dist401k.tax.state.common import SPOUSE_PART, Own, joint, own, share_bounds
from dist401k.tax.state.units import StateUnits


def part_range(u: StateUnits, whole: str) -> tuple[np.ndarray, np.ndarray]:
    """The least and the most of the spouse's part of ``whole`` (``wages``,
    ``social_security``, ``other_income``): the part given (none off a joint return or where
    there is none of it); on a joint return where it is not given, none to all of it."""
    o = own(u, whole)
    total = getattr(u, whole)
    return (np.where(o.known, o.spouse, np.minimum(0.0, total)),
            np.where(o.known, o.spouse, np.maximum(0.0, total)))


def distribution_part_range(u: StateUnits, name: str, d: Own) -> tuple[np.ndarray, np.ndarray]:
    """The least and the most of the spouse's part of ``name``, a part of the distributions
    (``ira_distributions``, ``periodic_distributions``; ``d``: :func:`own` of the
    distributions): the spouse's part given where the spouse's distributions are given too;
    otherwise as much of it as the head's distributions cannot hold to as much as the spouse's
    can (none where the distributions are all the head's)."""
    part = getattr(u, SPOUSE_PART[name])
    given = joint(u) & ~np.isnan(part) & d.known
    least, most = share_bounds(getattr(u, name), d.spouse, u.taxable_distributions)
    return np.where(given, part, least), np.where(given, part, most)


def capped_pair_range(total, least, most, head_cap, spouse_cap) -> tuple[np.ndarray, np.ndarray]:
    """The least and the most of ``min(total − x, head_cap) + min(x, spouse_cap)`` (each term
    at least zero) for the spouse's share ``x`` of ``total`` anywhere from ``least`` to
    ``most``: two people's capped exclusions of one amount shared between them.  The sum is
    concave in ``x``: its least is at an end, its most at an end or where a cap starts to
    bind."""
    total = np.asarray(total, dtype=float)

    def at(x):
        return (np.maximum(0.0, np.minimum(total - x, head_cap))
                + np.maximum(0.0, np.minimum(x, spouse_cap)))

    ends = (at(least), at(most))
    kinks = [at(np.clip(k, least, most)) for k in (total - head_cap, spouse_cap)]
    return np.minimum(*ends), np.maximum.reduce([*ends, *kinks])


def pension_part_range(u: StateUnits, d: Own, ira, periodic
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The qualifying pension part of the distributions — all of them where they are
    periodic payments, else their IRA and periodic parts — and the least and the most of it
    the spouse's (``ira``, ``periodic``: :func:`distribution_part_range` of each part)."""
    whole = np.where(u.periodic_payments, u.taxable_distributions,
                     np.minimum(u.ira_distributions + u.periodic_distributions,
                                u.taxable_distributions))
    share = share_bounds(whole, d.spouse, u.taxable_distributions)
    least = np.where(u.periodic_payments, d.spouse, np.maximum(ira[0] + periodic[0], share[0]))
    most = np.where(u.periodic_payments, d.spouse, np.minimum(ira[1] + periodic[1], share[1]))
    return whole, least, np.maximum(least, most)
