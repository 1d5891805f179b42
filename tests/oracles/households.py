"""Random tax units for the oracle comparisons: every filing status, 2024–2026, incomes from
zero to several million, with and without Social Security and preferential income."""

from __future__ import annotations

import numpy as np

STATUSES = ("single", "married_joint", "married_separate", "head_of_household",
            "qualifying_surviving_spouse")


def random_units(n: int, seed: int, years=(2024, 2025, 2026)) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)

    def amount(p_nonzero: float, scale: float) -> np.ndarray:
        # Log-uniform from $100 to `scale`: many small, some very large amounts.
        on = rng.random(n) < p_nonzero
        return np.where(on, np.round(np.exp(rng.uniform(np.log(100), np.log(scale), n))), 0.0)

    fs = rng.integers(0, 5, n)
    joint = fs == 1
    age_head = rng.integers(20, 95, n)
    age_spouse = np.where(joint | (fs == 2), rng.integers(20, 95, n), 0)
    ordinary_dividends = amount(0.4, 400_000)
    qualified_dividends = np.round(ordinary_dividends * rng.choice([0, 0.5, 0.9, 1.0], n))
    taxable_distributions = amount(0.6, 1_500_000)
    early = np.where(rng.random(n) < 0.3, np.round(taxable_distributions * rng.random(n)), 0.0)
    return {
        "tax_year": rng.choice(np.array(years), n),
        "filing_status": np.array(STATUSES)[fs],
        "age_head": age_head,
        "age_spouse": age_spouse,
        "blind_head": (rng.random(n) < 0.05).astype(int),
        "blind_spouse": ((rng.random(n) < 0.05) & joint).astype(int),
        "lived_apart": ((fs == 2) & (rng.random(n) < 0.5)).astype(int),
        "wages": amount(0.6, 3_000_000),
        "taxable_interest": amount(0.5, 200_000),
        "tax_exempt_interest": amount(0.1, 50_000),
        "ordinary_dividends": ordinary_dividends,
        "qualified_dividends": qualified_dividends,
        "long_term_gains": amount(0.35, 4_000_000),
        "taxable_distributions": taxable_distributions,
        "early_distributions": early,
        "social_security": amount(0.45, 90_000),
        "other_income": amount(0.15, 60_000),
        "itemized_deductions": amount(0.3, 150_000),
    }
