"""State income tax over a batch of tax units (docs/state.md)."""

from dist401k.tax.state.engine import COVERED, NOT_COVERED, OUTPUT_COLUMNS, state_tax
from dist401k.tax.state.units import COLUMN_HELP, STATE_CODES, StateUnits

__all__ = ["COLUMN_HELP", "COVERED", "NOT_COVERED", "OUTPUT_COLUMNS", "STATE_CODES", "StateUnits",
           "state_tax"]
