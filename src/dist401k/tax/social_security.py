"""Taxable Social Security benefits: IRC §86 (Form 1040 Social Security Benefits Worksheet)."""

from __future__ import annotations

import numpy as np

from dist401k.law.filing_status import MARRIED_SEPARATE
from dist401k.law.loader import Lookup


def base_amounts(lk: Lookup, benefits, lived_apart=False) -> tuple[np.ndarray, np.ndarray, bool]:
    """The base and adjusted base amounts of each unit (IRC §86(c)) and whether any unit has
    benefits.  A married person filing separately has base amounts of zero when the spouses
    lived together at any time in the year; with ``lived_apart`` (all year) the general
    amounts of §86(c)(1)(A) and (c)(2)(A) apply, as for a single filer."""
    apart = (lk.filing_status == MARRIED_SEPARATE.value) & np.asarray(lived_apart, dtype=bool)
    base = lk.get("social_security.base_amount")
    adjusted = lk.get("social_security.adjusted_base_amount")
    if np.any(apart):
        base = np.where(apart, lk.as_single("social_security.base_amount"), base)
        adjusted = np.where(apart, lk.as_single("social_security.adjusted_base_amount"),
                            adjusted)
    return base, adjusted, bool(np.any(np.asarray(benefits) > 0))


def taxable_social_security(
    lk: Lookup, benefits, other_income, tax_exempt_interest, lived_apart=False,
    bases: tuple[np.ndarray, np.ndarray, bool] | None = None
) -> np.ndarray:
    """The part of Social Security benefits included in gross income (IRC §86(a)–(c)).

    ``other_income`` is modified AGI before the benefits (§86(b)(2)): AGI without them.
    Provisional income is that plus tax-exempt interest plus half the benefits, measured
    against the base amounts (:func:`base_amounts`, or ``bases`` as it gave them for these
    units).
    """
    base, adjusted, any_benefits = (bases if bases is not None
                                    else base_amounts(lk, benefits, lived_apart))
    if not any_benefits:
        # No unit has benefits: nothing to include (the worksheet's line 1 is zero).
        return np.zeros(np.broadcast_shapes(np.shape(benefits), np.shape(other_income),
                                            np.shape(tax_exempt_interest), np.shape(base)))
    r1 = lk.get("social_security.first_tier_rate")
    r2 = lk.get("social_security.second_tier_rate")
    provisional = other_income + tax_exempt_interest + r1 * benefits  # worksheet lines 1–6
    over_base = np.maximum(0.0, provisional - base)                    # line 9
    over_adjusted = np.maximum(0.0, over_base - (adjusted - base))     # lines 10–11
    first = np.minimum(over_base, adjusted - base)                      # line 12
    tier1 = np.minimum(r1 * first, r1 * benefits)                       # lines 13–14
    taxable = np.minimum(r2 * over_adjusted + tier1, r2 * benefits)     # lines 15–18
    return np.where(benefits > 0, taxable, 0.0)
