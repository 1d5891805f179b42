"""The federal and state income tax of a tax table: the figures of `dist401k tax`, from Python.

:func:`tax_table` is what the command (and ``POST /tax``, the batch ``tax`` job's columns) give
for a table of tax units: the input columns, then the federal tax columns
(:data:`~dist401k.tax.federal.OUTPUT_COLUMNS`, money rounded to cents, ``income_tax`` the sum
of its rounded parts: :func:`~dist401k.tax.federal.in_cents`), the basis of a
projected year's law, and, where the table has a ``state`` column, the state's tax figured from
the federal figures of the same rows (:mod:`dist401k.tax.state.with_federal`; docs/tax.md,
docs/state.md, docs/library.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from dist401k.errors import InputError
from dist401k.law.loader import Law, default_law
from dist401k.money import cents
from dist401k.tax.federal import OUTPUT_COLUMNS, federal_tax, in_cents
from dist401k.tax.state.units import StateUnits
from dist401k.tax.state.with_federal import STATE_TABLE_OUTPUTS, state_inputs, state_tax_with_federal
from dist401k.tax.units import TaxUnits

STATE_MONEY = ("state_income_tax", "state_additional_tax")
#: The basis of a projected row's law, after ``projected`` (null where the law is enacted).
PROJECTION_COLUMNS = ("enacted_through", "projected_inflation")


def tax_table(table: Any, law: Law | None = None) -> pa.Table:
    """The input table with the tax columns appended (money rounded to cents) and the basis of
    a projected row's law; with a ``state`` column, the state's too (null where the state is
    not covered: an unknown tax, never a zero).

    ``table``: a pyarrow Table or RecordBatch, a pandas DataFrame or a list of dicts (one a
    unit; a key absent from a unit is a blank there).  Bad input is an
    :class:`~dist401k.errors.InputError` naming the row (from 1) and the column of each
    problem; a column near a known name (``wagez``) is refused with that name, another unknown
    column (a name, a note) is copied to the output, as `dist401k tax` does.
    """
    from dist401k.io.tables import columns_of

    law = law or default_law()
    table = as_table(table)
    columns = ids_as_given(table, columns_of(table))
    try:
        result = federal_tax(TaxUnits.from_columns(columns, law=law, n=table.num_rows), law)
    except InputError as exc:
        raise with_state_problems(exc, columns, law) from None
    names: tuple[str, ...] = OUTPUT_COLUMNS + PROJECTION_COLUMNS
    if "state" in columns:
        result = {**result, **state_tax_with_federal(columns, result, law)}
        names += STATE_TABLE_OUTPUTS
    result = in_cents(result)  # after the state's tax, which reads the unrounded figures
    basis = projection_columns(result["projected"], law)
    out = table
    for name in names:
        if name in out.column_names:
            out = out.drop_columns([name])
        out = out.append_column(name, basis[name] if name in basis else _column(name, result))
    return out


def with_state_problems(federal: InputError, columns: dict, law: Law) -> InputError:
    """The federal problems of a tax table and, where it has a ``state`` column, those of the
    state's own inputs (a code that is no state, a flag that is not one) too, so that every door
    (`dist401k tax`, ``POST /tax``) lists every problem of every row, as the batch ``tax`` job
    does and in its words: each (row, column, problem) once, federal first within a row, by row
    (docs/tax.md).  Checked only once the federal check has failed: a table it passes has its
    state's inputs checked as its state tax is figured."""
    if "state" not in columns:
        return federal
    problems = list(federal.problems)
    seen = set(problems)
    try:
        StateUnits.from_columns(state_inputs(columns), law)
    except InputError as exc:
        problems += [p for p in exc.problems if p not in seen]
    return InputError(sorted(problems, key=lambda p: p.row or 0))


def as_table(table: Any) -> pa.Table:
    """A pyarrow Table of what :func:`tax_table` takes (a TypeError for anything else: a
    mistake of the program, not of its input)."""
    from dist401k.io.tables import records_to_table

    if isinstance(table, pa.Table):
        return table
    if isinstance(table, pa.RecordBatch):
        return pa.Table.from_batches([table])
    if isinstance(table, list) and all(isinstance(r, dict) for r in table):
        return records_to_table(table)
    if type(table).__name__ == "DataFrame" and hasattr(table, "to_dict"):
        try:
            return pa.Table.from_pandas(table, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # a column mixing kinds: as JSON would
            return records_to_table(table.to_dict("records"))
    raise TypeError("tax_table takes a pyarrow Table or RecordBatch, a pandas DataFrame or a "
                    f"list of dicts, not {type(table).__name__}")


def projection_columns(projected: np.ndarray, law: Law) -> dict[str, pa.Array]:
    """The basis of each row's projected law (dist401k.projection): the last enacted year it
    is projected from and the inflation rate used (``--inflation``, else the assumed rate);
    null where the row's law is enacted."""
    enacted = ~np.asarray(projected, dtype=bool)
    n = len(enacted)
    return {"enacted_through": pa.array(np.full(n, law.enacted_through), mask=enacted),
            "projected_inflation": pa.array(np.full(n, law.inflation), mask=enacted)}


def _column(name: str, result: dict) -> pa.Array:
    """A tax column: money to the cent (the federal columns already are: :func:`in_cents`); a
    state not covered has its taxes null (unknown), never zero."""
    v = result[name]
    if name in STATE_MONEY:
        v = cents(v)
    return pa.array(v, mask=np.isnan(v) if name in STATE_MONEY else None)


def ids_as_given(table: pa.Table, columns: dict) -> dict:
    """The columns of a tax table with a true/false ``participant_id`` kept as true/false, not
    the words every other flag column is read as, so that the check of the identifier
    (:func:`dist401k.tax.units.TaxUnits.from_columns`) refuses it as ``POST /tax`` does."""
    if "participant_id" in table.column_names and pa.types.is_boolean(
            table.schema.field("participant_id").type):
        columns = {**columns, "participant_id": np.array(
            table.column("participant_id").to_pylist(), dtype=object)}
    return columns

