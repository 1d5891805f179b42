"""The state income tax of tax-table rows once their federal tax is known (`dist401k tax` and
the batch tax job with a ``state`` column): federal AGI, the taxable part of Social Security,
federal taxable income, the standard deduction the federal return took and the federal income
and net investment income taxes come from the federal computation of the same rows, the other
inputs from the table (docs/state.md).  The federal taxes may be given as columns instead (the
federal credits dist401k does not figure lower the income tax a state deducts)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from dist401k.bounds import PROBLEMS_SHOWN
from dist401k.law.loader import Law
from dist401k.tax.state.engine import state_tax
from dist401k.tax.state.units import COLUMNS, INCOME_KINDS, FiguredFederally, StateUnits
from dist401k.tax.units import COLUMNS as FEDERAL_COLUMNS

#: Figured by the federal tax of the row, never read from the table (state input → federal
#: output; the standard deduction is zero where the federal return itemizes).
FROM_FEDERAL = {"federal_agi": "agi", "taxable_social_security": "taxable_social_security",
                "federal_taxable_income": "taxable_income",
                "federal_standard_deduction": "standard_deduction"}
#: Figured by the federal tax of the row unless the table gives the column: Form 1040 line 22
#: (the regular tax and the AMT; no federal credit is figured) and the NIIT (Form 8960).
FEDERAL_TAXES = {"federal_income_tax": ("regular_tax", "amt"),
                 "federal_net_investment_income_tax": ("niit",)}
#: The federal figures a state may start from besides federal AGI and taxable Social Security
#: (each door passes every one of them).
FEDERAL_BASE = ("federal_taxable_income", "federal_standard_deduction", *FEDERAL_TAXES)
#: Input columns the state adds to the federal tax table.
STATE_INPUTS = tuple(c for c in COLUMNS if c not in FEDERAL_COLUMNS and c not in FROM_FEDERAL)
#: Output columns, in order: the taxes are null where the state is not covered.
STATE_TABLE_OUTPUTS = ("state_income_tax", "state_additional_tax", "state_covered",
                       "state_unconfirmed")


def state_inputs(columns: Mapping[str, Any]) -> FiguredFederally:
    """The table's columns the state reads (those figured federally left out, so marked:
    :class:`~dist401k.tax.state.units.FiguredFederally`)."""
    return FiguredFederally({k: columns[k] for k in COLUMNS
                             if k in columns and k not in FROM_FEDERAL})


def state_tax_with_federal(columns: Mapping[str, Any], federal: Mapping[str, np.ndarray],
                           law: Law, limit: int | None = PROBLEMS_SHOWN) -> dict[str, np.ndarray]:
    """The state outputs of each row; :class:`~dist401k.errors.InputError` names the row and
    column of each bad state input (a state code that is not one, a flag that is not one)."""
    cols = state_inputs(columns)
    cols.update({k: v for k, v in federal_figures(federal).items() if k not in cols})
    # The kinds of the other income are the federal table's columns: one it does not have is
    # zero there, so zero here too (its ``other_income``, of no kind, stays unknown).
    n = len(np.asarray(columns["tax_year"])) if "tax_year" in columns else 0
    cols.update({k: np.zeros(n) for k in INCOME_KINDS if k not in cols})
    result = state_tax(StateUnits.from_columns(cols, law, limit), law)
    return {k: result[k] for k in STATE_TABLE_OUTPUTS}


def federal_figures(federal: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The state inputs the federal tax of the same units decides (:func:`federal_tax`'s
    outputs): the standard deduction only where the federal return took it."""
    figures = {k: np.asarray(federal[v]) for k, v in FROM_FEDERAL.items()}
    figures.update({k: np.sum([np.asarray(federal[p], dtype=float) for p in parts], axis=0)
                    for k, parts in FEDERAL_TAXES.items()})
    figures["federal_standard_deduction"] = np.where(
        np.asarray(federal["itemizes"], dtype=bool), 0.0, figures["federal_standard_deduction"])
    return figures
