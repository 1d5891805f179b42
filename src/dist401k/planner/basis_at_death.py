"""The taxable account at the first death of a couple: its basis, and the loss carried over.

Property acquired from a decedent takes its fair market value at the date of death as basis
(IRC §1014(a)(1)): stepped up, or down.  The couple's brokerage account is taken as theirs
jointly.  Held as joint tenants (a qualified joint interest), half of it is the decedent's and
is included in the estate (§2040(b)(1)), so that half takes the value at death (§1014(b)(9))
and the survivor's half keeps its cost: half the account's unrealized gain or loss goes.  As
community property both halves take the value at death (§1014(b)(6)): all of it goes.  The
account is community property where the case says so (``taxable.community_property``), else
where the couple lives in a community property state in the year of the death.  The part of
the capital loss carried over that was the decedent's — half — is not the survivor's to carry
past the year of death (IRS Pub. 559).
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Law
from dist401k.planner.household import Household


def gain_share_removed(hh: Household, law: Law, years: np.ndarray) -> np.ndarray:
    """(T,) the share of the taxable account's unrealized gain (or loss) that a first death in
    each year removes: 0 for one person; all of it as community property, else the decedent's
    half."""
    if len(hh.people) < 2:
        return np.zeros(len(years))
    half = law.get("estate.decedent_share_of_joint_interest", years)
    community = np.asarray(
        [hh.taxable.community_property if hh.taxable.community_property is not None
         else _community_state(law, hh.state_in(int(y)), int(y)) for y in years], dtype=bool)
    return np.where(community, 1.0, half)


def _community_state(law: Law, state: str | None, year: int) -> bool:
    return bool(law.keyed("estate.community_property", year, state)[0])


def loss_share_kept(hh: Household, law: Law, years: np.ndarray) -> np.ndarray:
    """(T,) the share of the capital loss carried over that the survivor keeps after a first
    death in each year: the survivor's own half (all of it for one person)."""
    if len(hh.people) < 2:
        return np.ones(len(years))
    return 1.0 - law.get("estate.decedent_share_of_joint_interest", years)


def basis_after_death(balance: np.ndarray | float, basis: np.ndarray | float,
                      removed: np.ndarray | float) -> np.ndarray | float:
    """The account's basis once ``removed`` of its unrealized gain or loss is gone."""
    return basis + removed * (balance - basis)
