"""Input sanity bounds: the one declaration of how big, how old, how long and how many a case's
numbers may be, read by every door (the case model and its JSON Schema, flat batch rows, tax
units).

These are not legal numbers (those live in ``law/params``): they keep absurd input — a
balance of 1e308, a horizon at age one million, NaN or infinity — from being answered as if it
meant something.  Each field of the case names its kind here, through the helpers below; flat
columns and tax-unit columns read the same bounds (docs/assess.md, docs/batch.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import Field


@dataclass(frozen=True)
class Bound:
    """The closed range a number of one kind may take, and how the message names it."""

    lo: float
    hi: float
    unit: str

    def problem(self) -> str:
        """The one-line problem of a number outside the range (or not finite)."""
        return f"must be a finite number from {self.lo:g} to {self.hi:g} {self.unit}".rstrip()

    def outside(self, values):
        """Mask (arrays) or truth (scalars) of values that are NaN, infinite or out of range."""
        import numpy as np

        v = np.asarray(values, dtype=float)
        with np.errstate(invalid="ignore"):
            return ~np.isfinite(v) | (v < self.lo) | (v > self.hi)


#: Dollars: a balance, an income, a request ($100 billion is far above any account).
MONEY = Bound(0, 1e11, "dollars")
#: A person's age in years (the horizon of a comparison, a plan's in-service age).
AGE = Bound(0, 120, "years of age")
#: A plan's period in years (seasoning, participation).
PERIOD = Bound(0, 100, "years")
#: A count of things in a year or outstanding (withdrawals, loans).
COUNT = Bound(0, 1000, "")
#: A calendar year named in a case (a first Roth contribution, an emergency withdrawal).
YEAR = Bound(1900, 2100, "")
#: Children born or adopted in one event (a birth of twins, siblings adopted together): at least
#: one, and more than a dozen at once is not a real birth or adoption.
CHILDREN = Bound(1, 12, "children")
#: How many items a list of the case may hold.
MAX_HORIZONS = 10
MAX_SURRENDER_YEARS = 30
MAX_MISSED_YEARS = 100
#: Roth IRA conversions and rollovers by year (one a year since 1998 is far below it).
MAX_ROTH_CONVERSIONS = 200
#: How many problems a check of many rows lists before it stops (the rest are not shown).
PROBLEMS_SHOWN = 100
#: How long a free-text identifier may be.
MAX_ID_LENGTH = 200


def _field(bound: Bound, default: Any, description: str | None, **extra: Any) -> Any:
    return Field(default, ge=bound.lo, le=bound.hi, description=description, **extra)


def within(bound: Bound) -> Any:
    """The bound as the constraint of a list's items (``list[Annotated[float, within(AGE)]]``)."""
    return Field(ge=bound.lo, le=bound.hi)


def money(default: Any = 0, description: str | None = None, **extra: Any) -> Any:
    """A dollar field of the model, from 0 to :data:`MONEY`'s top (the model refuses NaN and
    infinity for every number)."""
    return _field(MONEY, default, description, **extra)


def age(default: Any = None, description: str | None = None, **extra: Any) -> Any:
    """An age field of the model (:data:`AGE`)."""
    return _field(AGE, default, description, **extra)


def period(default: Any = None, description: str | None = None, **extra: Any) -> Any:
    """A period in years (:data:`PERIOD`)."""
    return _field(PERIOD, default, description, **extra)


def count(default: Any = 0, description: str | None = None, **extra: Any) -> Any:
    """A count (:data:`COUNT`)."""
    return _field(COUNT, default, description, **extra)


def year(default: Any = None, description: str | None = None, **extra: Any) -> Any:
    """A calendar year (:data:`YEAR`)."""
    return _field(YEAR, default, description, **extra)


def children(default: Any = 1, description: str | None = None, **extra: Any) -> Any:
    """A count of children of one birth or adoption (:data:`CHILDREN`)."""
    return _field(CHILDREN, default, description, **extra)
