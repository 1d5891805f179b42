"""The law as cited, dated data (see ``loader``) and the filing-status codes."""

from dist401k.law.filing_status import FILING_STATUSES, filing_status_codes
from dist401k.law.loader import (
    Law,
    LawError,
    LawFileError,
    Lookup,
    Parameter,
    UnknownYear,
    default_law,
)

__all__ = [
    "FILING_STATUSES",
    "Law",
    "LawError",
    "LawFileError",
    "Lookup",
    "Parameter",
    "UnknownYear",
    "default_law",
    "filing_status_codes",
]
