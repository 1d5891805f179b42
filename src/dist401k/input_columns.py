"""The columns a table may hold, by door: a column dist401k does not read is refused in one line
naming it and the nearest known name (as a case file refuses a misspelled field), never
silently ignored — a misspelled ``wagez`` would otherwise leave the wages at zero and change
the answer.  So is a column named twice, and, in a plan book, a column of lists or mappings.
`dist401k tax`, which copies a table's other columns to its output (a name, a note), refuses
only an unknown column near a known name.

A book's documented extra columns are known too: ``participant_id``, the forms job's payer
and recipient columns (docs/forms.md), ``request_route``, the former names still read
(docs/batch.md); a tax table's state inputs (docs/tax.md, docs/state.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import pyarrow as pa

from dist401k.did_you_mean import did_you_mean, nearest
from dist401k.io.tables import TableFormatError

#: A row's identifier, copied to the results (docs/batch.md).
ID_COLUMNS = ("participant_id",)


@lru_cache(maxsize=1)
def book_columns() -> frozenset[str]:
    """Every column the plan-book jobs (rmd, eligibility, outcome, forms) read."""
    from dist401k.filing import PARTY_COLUMNS
    from dist401k.flat import RENAMED_COLUMNS, columns

    return frozenset((*columns(), *RENAMED_COLUMNS, *ID_COLUMNS, "request_route",
                      *PARTY_COLUMNS))


@lru_cache(maxsize=1)
def tax_columns() -> frozenset[str]:
    """Every column of a tax table (`dist401k tax`, the tax job, ``POST /tax``)."""
    from dist401k.tax import COLUMNS
    from dist401k.tax.state.with_federal import STATE_INPUTS

    return frozenset((*COLUMNS, "state", *STATE_INPUTS, *ID_COLUMNS))


def known_columns(job: str) -> frozenset[str]:
    return tax_columns() if job == "tax" else book_columns()


def unknown_column(name: str, known: Iterable[str]) -> str:
    """The one-line problem of a column (or field) dist401k does not read."""
    hint = did_you_mean(name, sorted(known))
    return f"is not a column dist401k reads{hint or ' (see docs/batch.md and docs/tax.md)'}"


def column_problems(schema: pa.Schema, known: frozenset[str], values_only: bool = True,
                    carried: bool = False) -> list[str]:
    """Each problem of a table's columns, one line each, naming the column: named twice, not
    known (with the nearest known name), holding lists or mappings (``values_only``).  Where
    the door copies the input's other columns to its output (``carried``: `dist401k tax`), a
    column is refused only where it is near a known name (``wagez``), so a name or a note is
    still carried."""
    out = [f"column `{name}` appears {k} times" for name, k in Counter(schema.names).items()
           if k > 1]
    out += [f"column `{name}` {unknown_column(name, known)}" for name in dict.fromkeys(
        schema.names) if name not in known and not (carried and nearest(name, known) is None)]
    if values_only:
        out += [f"column `{f.name}` holds {f.type} values, not one value a row" for f in schema
                if pa.types.is_nested(f.type)]
    return out


def check_columns(schema: pa.Schema, job: str, file_name: str, values_only: bool = True,
                  carried: bool = False) -> None:
    """:class:`~dist401k.io.tables.TableFormatError` (one line, naming the file and each
    column's problem) where the table's columns are not those ``job`` reads
    (:func:`column_problems`)."""
    problems = column_problems(schema, known_columns(job), values_only, carried)
    if problems:
        raise TableFormatError(f"{file_name}: " + "; ".join(problems))
