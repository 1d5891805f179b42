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
from dist401k.errors import PROBLEMS_LISTED, more_problems
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


@lru_cache(maxsize=1)
def tax_output_columns() -> frozenset[str]:
    """The columns `dist401k tax` (and ``POST /tax``) adds to its input: the federal and the
    state figures and the projection's basis."""
    from dist401k.tax.federal import OUTPUT_COLUMNS
    from dist401k.tax.state.engine import OUTPUT_COLUMNS as STATE_OUTPUTS
    from dist401k.tax.table import PROJECTION_COLUMNS

    return frozenset((*OUTPUT_COLUMNS, *STATE_OUTPUTS, *PROJECTION_COLUMNS))


#: The words of a tax answer's own figure given back as an input (a unit of ``POST /tax``).
AN_OUTPUT = ("is a figure dist401k tax gives, not one it reads: give the input columns only "
             "(the figures are figured again)")


def unknown_column(name: str, known: Iterable[str]) -> str:
    """The one-line problem of a column (or field) dist401k does not read: a tax answer's own
    figure (:func:`tax_output_columns`) is named as one, not sent to the nearest input's name
    (``taxable_income`` is no misspelled ``parent_taxable_income``)."""
    if name in tax_output_columns() and known == tax_columns():
        return AN_OUTPUT
    hint = did_you_mean(name, sorted(known))
    return f"is not a column dist401k reads{hint or ' (see docs/batch.md and docs/tax.md)'}"


#: How many columns a table whose other columns are carried to the output (`dist401k tax`) may
#: hold beyond those dist401k reads (a name, a note): each is searched for a near known name.
MAX_CARRIED_COLUMNS = 1_000


def column_problems(schema: pa.Schema, known: frozenset[str], values_only: bool = True,
                    carried: bool = False) -> list[str]:
    """Each problem of a table's columns, one line each, naming the column: named twice, not
    known (with the nearest known name), holding lists or mappings (``values_only``).  Where
    the door copies the input's other columns to its output (``carried``: `dist401k tax`), a
    column is refused only where it is near a known name (``wagez``), so a name or a note is
    still carried — up to :data:`MAX_CARRIED_COLUMNS` of them.  The first
    :data:`~dist401k.errors.PROBLEMS_LISTED` problems are listed (only they get a nearest
    name, a search), the others counted in one last line."""
    names = schema.names
    other = [name for name in dict.fromkeys(names) if name not in known]
    if carried and len(other) > MAX_CARRIED_COLUMNS:
        return [f"holds {len(other):,} columns dist401k does not read, more than the "
                f"{MAX_CARRIED_COLUMNS:,} a table may carry to its output"]
    if carried:  # a tax answer's own figure would be carried beside the new one: refused
        other = [name for name in other if name in tax_output_columns()
                 or nearest(name, known) is not None]
    found: list[tuple[str, str]] = [(name, f"appears {k} times") for name, k in
                                    Counter(names).items() if k > 1]
    figures = [name for name in other if name in tax_output_columns()] \
        if known == tax_columns() else []
    found += [(name, "") for name in other if name not in figures]  # put in words below
    lead = [answer_given_back(figures)] if figures else []
    if values_only:
        found += [(f.name, f"holds {f.type} values, not one value a row") for f in schema
                  if pa.types.is_nested(f.type)]
    listed = lead + [f"column `{name}` {words or unknown_column(name, known)}"
                     for name, words in found[:PROBLEMS_LISTED - len(lead)]]
    hidden = len(found) + len(lead) - len(listed)
    return listed + ([more_problems(hidden, what="columns").problem] if hidden else [])


#: How many of a tax answer's figures given back as input are named.
FIGURES_NAMED = 3


def answer_given_back(figures: list[str]) -> str:
    """The one problem of a table holding a tax answer's own figures (its output file given
    back as input): they are named, a few, with what to do."""
    named = ", ".join(f"`{f}`" for f in figures[:FIGURES_NAMED])
    more = f" and {len(figures) - FIGURES_NAMED} more" if len(figures) > FIGURES_NAMED else ""
    return (f"holds figures dist401k tax gives, not reads ({named}{more}): an answer given "
            "back as input — keep its input columns only; the figures are figured again")


def check_columns(schema: pa.Schema, job: str, file_name: str, values_only: bool = True,
                  carried: bool = False) -> None:
    """:class:`~dist401k.io.tables.TableFormatError` (one line, naming the file and each
    column's problem) where the table's columns are not those ``job`` reads
    (:func:`column_problems`)."""
    problems = column_problems(schema, known_columns(job), values_only, carried)
    if problems:
        raise TableFormatError(f"{file_name}: " + "; ".join(problems))


def tax_unit_schema() -> dict:
    """The JSON Schema of one tax unit of ``POST /tax`` (its OpenAPI description), built from
    the declaration the checks read, never a second list: the columns :func:`tax_columns`
    knows (no other: ``additionalProperties`` false, as ``refuse_tax_unit_fields`` refuses
    one), the required ones (:data:`dist401k.tax.units.REQUIRED`), each column's kind by the
    group that declares it (federal: :mod:`dist401k.tax.units`; state:
    :mod:`dist401k.tax.state.units`), the bounds the checks take (:data:`~dist401k.bounds.MONEY`,
    :data:`~dist401k.bounds.AGE`, the law's known years, its Maryland counties) and each
    column's help.  A check's words may be wider than JSON's (``"2026"`` for a year, ``"yes"``
    for a flag: a CSV cell's text); the schema states the JSON form.  Cross-column checks (a
    part within its total) are the API's, in its 422."""
    from dist401k.tax.state import units as state
    from dist401k.tax.units import COLUMN_HELP, REQUIRED

    kinds = _tax_column_kinds()
    missing = sorted(tax_columns() - kinds.keys())
    if missing:  # a column declared without a kind: a mistake of the program
        raise LookupError(f"tax columns without a schema kind: {', '.join(missing)}")
    help_ = {**state.COLUMN_HELP, **COLUMN_HELP}
    props = {name: {**kinds[name], **({"description": help_[name]} if name in help_ else {})}
             for name in sorted(tax_columns())}
    return {"type": "object", "properties": props, "required": list(REQUIRED),
            "additionalProperties": False}


def _tax_column_kinds() -> dict[str, dict]:
    """Each tax column's JSON Schema kind, by the group of the declaration it belongs to: the
    federal groups first (their checks come first and bound every amount), then the state's
    (an amount bounded below only, ``spouse_other_income`` not at all, a blank age unknown)."""
    from dist401k.bounds import AGE, MONEY
    from dist401k.law import default_law
    from dist401k.law.filing_status import ALIASES, FILING_STATUSES
    from dist401k.tax import units as federal
    from dist401k.tax.state import units as state

    law = default_law()
    lo, hi = law.known_years
    statuses = [*FILING_STATUSES, *ALIASES]
    amount = {"type": "number", "minimum": MONEY.lo, "maximum": MONEY.hi}
    age = {"type": "number", "minimum": AGE.lo, "maximum": AGE.hi}
    flag = {"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}]}
    groups: list[tuple[tuple[str, ...], dict]] = [
        (("tax_year",), {"type": "integer", "minimum": lo, "maximum": hi}),
        (("filing_status",), {"type": "string", "enum": statuses}),
        (federal.AGES, age),
        (federal.FLAGS, flag),
        (federal.PARENT_AMOUNTS, {**amount, "type": ["number", "null"]}),
        (federal.AMOUNTS, amount),
        ((federal.PARENT_STATUS,), {"enum": [*statuses, None]}),
        (("state",), {"type": "string", "enum": list(state.STATE_CODES)}),
        (("maryland_county",), {"enum": [*law.param(state.COUNTY_RATES).keys, None]}),
        (("spouse_other_income",), {"type": "number"}),
        (state.UNKNOWN_AGES, {**age, "type": ["number", "null"]}),
        (state.FLAGS + state.OPTIONAL_FLAGS + state.SPOUSE_FLAGS + state.UNKNOWN_FLAGS, flag),
        (state.AMOUNTS + state.UNKNOWN_UNLESS_GIVEN + state.SPOUSE_PARTS,
         {"type": "number", "minimum": 0}),
        (ID_COLUMNS, {"type": ["string", "integer"]}),
    ]
    kinds: dict[str, dict] = {}
    for names, kind in groups:
        for name in names:
            kinds.setdefault(name, kind)
    return kinds
