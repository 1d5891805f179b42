"""The federal income tax, vectorised over a batch of tax units (one unit = a batch of one)."""

from dist401k.tax.federal import OUTPUT_COLUMNS, federal_tax, marginal_cost
from dist401k.tax.units import COLUMN_HELP, COLUMNS, TaxUnits

__all__ = ["COLUMNS", "COLUMN_HELP", "OUTPUT_COLUMNS", "TaxUnits", "federal_tax", "marginal_cost"]
