"""The IRA contribution limit of a person for a year (IRC §219(b)(1), (b)(5), (c)), which
holds a nondeductible contribution too (§408(o)(2)(B)): an input rule, below the case.

The case model (``iras.backdoor_roth_planned``) and the flat batch's checks refuse a backdoor
Roth contribution above it with :func:`over_limit_words`; Form 8606 (:mod:`dist401k.form_8606`)
figures the contribution's basis once it is taken.  The figures are law
(``ira.contribution_limit``, ``ira.catch_up_contribution``, ``ira.catch_up_age``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dist401k.money import HALF_CENT, dollars_text

#: The IRA contribution limit (§219(b)(5)(A)), its catch-up (§219(b)(5)(B)) and the catch-up's age.
LIMIT = "ira.contribution_limit"
CATCH_UP = "ira.catch_up_contribution"
CATCH_UP_AGE = "ira.catch_up_age"


@dataclass(frozen=True)
class ContributionLimit:
    """The most each person may contribute to all their IRAs for the year, which holds the
    backdoor Roth's nondeductible contribution too (§408(o)(2)(B)): the lesser of the
    deductible amount (``dollar``: the limit plus, at 50 by the close of the year, the
    ``catch_up``; §219(b)(1)(A), (b)(5)) and the compensation includible in gross income
    (§219(b)(1)(B)) — except on a joint return, where the spouses' compensation counts together
    (§219(c)) and the case holds only the person's: ``most``."""

    year: np.ndarray
    dollar: np.ndarray
    catch_up: np.ndarray
    most: np.ndarray


def contribution_limit(law, year, birth_year, wages, joint) -> ContributionLimit:
    """The IRA contribution limit of each person (arrays: the tax year, the birth year, the
    wages, a joint return): :class:`ContributionLimit`."""
    year = np.asarray(year, np.int64)
    age = year - np.asarray(birth_year, np.int64)  # the age reached in the year (its birthday)
    catch_up = np.where(age >= law.get(CATCH_UP_AGE, year), law.get(CATCH_UP, year), 0.0)
    dollar = law.get(LIMIT, year) + catch_up
    compensation = np.where(joint, np.inf, np.maximum(np.asarray(wages, float), 0.0))
    return ContributionLimit(year, dollar, catch_up, np.minimum(dollar, compensation))


def over_limit(limit: ContributionLimit, amount) -> np.ndarray:
    """Where a contribution is above the person's limit (by more than half a cent)."""
    return np.asarray(amount, float) > limit.most + HALF_CENT


def _usd(x: float) -> str:
    """An amount in the words of a problem: whole dollars where it has no cents."""
    return f"${dollars_text(x)}" if abs(x - round(x)) < HALF_CENT else f"${x:,.2f}"


def over_limit_words(limit: ContributionLimit, k: int, wages_field: str) -> str:
    """The one-line problem of person ``k``'s contribution above the limit, with the rule
    (``wages_field``: the door's name of the wages)."""
    year, dollar, most = int(limit.year[k]), float(limit.dollar[k]), float(limit.most[k])
    rule = "§408(o)(2)(B) for a nondeductible contribution"
    if most < dollar - HALF_CENT:
        return (f"is above the IRA contribution limit for {year}, {_usd(most)}: the compensation "
                f"({wages_field}), less than the {_usd(dollar)} dollar limit (IRC §219(b)(1)(B); "
                f"{rule})")
    catch_up = float(limit.catch_up[k])
    why = (f"{_usd(dollar - catch_up)} and the {_usd(catch_up)} catch-up at 50 or older; "
           if catch_up > 0 else "")
    return (f"is above the IRA contribution limit for {year}, {_usd(dollar)} ({why}IRC "
            f"§219(b)(1)(A), (b)(5); {rule})")
