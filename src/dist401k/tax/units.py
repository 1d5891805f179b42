"""Tax units: the inputs of the federal income tax, as one array per column.

One tax unit is a batch of one.  :meth:`TaxUnits.from_columns` takes any mapping of column
name to values (a dict of lists, a pyarrow Table's columns, a DataFrame) and checks every
value, collecting each problem with its row and column, so bad input is never taxed as zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from dist401k.bounds import AGE, MONEY, PROBLEMS_SHOWN
from dist401k.did_you_mean import did_you_mean
from dist401k.errors import (
    NUMBERS_IN_TEXT,
    TOO_LARGE,
    FieldProblem,
    InputError,
    integer_beyond_float,
    year_without_law,
)
from dist401k.law.filing_status import (
    ALIASES,
    FILING_STATUSES,
    MARRIED_JOINT,
    MARRIED_SEPARATE,
    codes_and_unknown,
)
from dist401k.law.loader import Law, default_law
from dist401k.money import HALF_CENT
from dist401k.numerals import number_text

REQUIRED = ("tax_year", "filing_status")
AMOUNTS = (
    "wages",
    "taxable_interest",
    "tax_exempt_interest",
    "ordinary_dividends",
    "qualified_dividends",
    "long_term_gains",
    "taxable_distributions",
    "early_distributions",
    "social_security",
    "other_income",
    "itemized_deductions",
    "state_local_taxes",
    "medical_expenses",
    "itemized_charity",
    "other_itemized",
    "charitable_cash",
    "parent_taxable_income",
    "other_children_net_unearned_income",
)
AGES = ("age_head", "age_spouse")
FLAGS = ("blind_head", "blind_spouse", "lived_apart", "spouse_itemizes", "dependent",
         "full_time_student", "earned_over_half_support")
#: The flags of a separate return only (married_separate), each refused on another filing
#: status in the words of every door: ``lived_apart`` in those of the case
#: (:data:`dist401k.case.LIVED_APART_SEPARATE_ONLY`), ``spouse_itemizes`` in
#: :data:`SPOUSE_ITEMIZES_SEPARATE_ONLY`.
SEPARATE_ONLY = ("lived_apart", "spouse_itemizes")
#: The parent's filing status of a child under §1(g) (Form 8615 line 9): blank, not given.
PARENT_STATUS = "parent_filing_status"
#: The columns of a child's parent (Form 8615 lines 6–7), read only with PARENT_STATUS.
PARENT_AMOUNTS = ("parent_taxable_income", "other_children_net_unearned_income")
#: The words of a parent's filing status without the parent's taxable income, the same in
#: every door (dist401k.flat; the case model: ``person.parent.taxable_income`` is required).
PARENT_INCOME_REQUIRED = "is required with parent_filing_status"
COLUMNS = REQUIRED + AGES + FLAGS + AMOUNTS + (PARENT_STATUS,)
#: The words of ``spouse_itemizes`` on another filing status, the same in every door of a tax
#: table (`dist401k tax`, ``POST /tax``, the batch tax job).
SPOUSE_ITEMIZES_SEPARATE_ONLY = ("applies only to married_separate: a separate filer's standard "
                                 "deduction is zero where the spouse itemizes (IRC §63(c)(6)(A))")

#: What each input column means (docs/tax.md and ``dist401k tax --help`` print this).
COLUMN_HELP = {
    "tax_year": "calendar tax year (2024 on; years after the last enacted one are projected)",
    "filing_status": "single, married_joint, married_separate, head_of_household or "
    "qualifying_surviving_spouse (also mfj, mfs, hoh, qss)",
    "age_head": "taxpayer's age at the end of the year (0–120)",
    "age_spouse": "spouse's age at the end of the year (counts on a joint return)",
    "blind_head": "taxpayer is blind (0/1, true/false)",
    "blind_spouse": "spouse is blind (counts on a joint return)",
    "lived_apart": "married filing separately and lived apart from the spouse all year "
    "(changes the §86 Social Security thresholds from zero)",
    "spouse_itemizes": "married filing separately and the spouse itemizes deductions on a "
    "separate return (0/1; Form 1040's box \"Spouse itemizes on a separate return\"): the "
    "standard deduction, basic and additional amounts, is zero (§63(c)(6)(A)), so the unit "
    "itemizes (itemized_deductions, possibly 0) and takes no §170(p) deduction",
    "wages": "wages, salaries and tips (Form 1040 line 1)",
    "taxable_interest": "taxable interest (line 2b)",
    "tax_exempt_interest": "tax-exempt interest (line 2a; counts only in §86 provisional income)",
    "ordinary_dividends": "ordinary dividends (line 3b), including the qualified ones",
    "qualified_dividends": "qualified dividends (line 3a), at most the ordinary dividends",
    "long_term_gains": "net long-term capital gain, not below zero (Schedule D)",
    "taxable_distributions": "taxable pensions, annuities, IRA and plan distributions (4b + 5b)",
    "early_distributions": "the part of taxable_distributions subject to the §72(t) 10% tax",
    "social_security": "Social Security benefits received (line 6a); the taxable part is computed",
    "other_income": "other ordinary income that is not investment income (Schedule 1)",
    "itemized_deductions": "the Schedule A total, each line after its own limits (the SALT cap, "
    "the 7.5% medical floor, from 2026 the 0.5% charity floor) and before the §68 limitation, "
    "which dist401k applies; held the same whatever the AGI, and all of it allowed for the AMT. "
    "Give instead its parts (state_local_taxes, medical_expenses, itemized_charity, "
    "other_itemized) to have the limits figured at the return's own AGI; not with them",
    "state_local_taxes": "state and local income (or general sales) taxes and real and personal "
    "property taxes paid (Schedule A lines 5a-5c): deducted up to the SALT cap at the return's "
    "MAGI (§164(b)(6), (7)); the AMT adds them back (§56(b)(1)(A)(ii))",
    "medical_expenses": "unreimbursed medical and dental expenses (Schedule A line 1), before the "
    "floor: the part above 7.5% of AGI is deducted (§213(a))",
    "itemized_charity": "gifts to charity of one who itemizes (Schedule A lines 11-13), before the "
    "floor: from 2026 only the part above 0.5% of AGI is deducted (§170(b)(1)(I)); the 60%/30% "
    "AGI ceilings are not applied",
    "other_itemized": "the other itemized deductions (mortgage interest, casualty losses and the "
    "rest of Schedule A), as allowed on their lines",
    "charitable_cash": "gifts made in cash to public charities (§170(b)(1)(A); not to a donor "
    "advised fund or a supporting organization): from 2026 one who does not itemize deducts "
    "them, up to the year's limit, beside the standard deduction (§170(p), §63(b)(4)); an "
    "itemizer's gifts belong in itemized_charity (or itemized_deductions)",
    "dependent": "the taxpayer may be claimed as a dependent on another's return (0/1): the basic "
    "standard deduction is limited to the greater of the §63(c)(5)(A) amount and wages plus "
    "the (B) amount",
    "full_time_student": "the taxpayer was a full-time student (0/1): §1(g) reaches a student "
    "under 24 (§1(g)(2)(A)(ii))",
    "earned_over_half_support": "the taxpayer's earned income was more than half of the "
    "taxpayer's own support (0/1): §1(g) then reaches only a child under 18",
    "parent_filing_status": "the parent's filing status, for a child whose unearned income "
    "§1(g) taxes at the parent's rate (Form 8615 line 9); blank: no parent's figures — "
    "§1(g) is not figured (a child its age tests reach is marked kiddie_tax_not_figured)",
    "parent_taxable_income": "the parent's taxable income (Form 8615 line 6), taken as "
    "ordinary income: required with parent_filing_status; blank where that is blank",
    "other_children_net_unearned_income": "the net unearned income of the parent's other "
    "children under §1(g) (Form 8615 line 7; needs parent_filing_status; blank where that is "
    "blank)",
}


#: The columns a batch may be built without, and their value then.
_OPTIONAL = {"charitable_cash": 0.0, "state_local_taxes": 0.0, "medical_expenses": 0.0,
             "itemized_charity": 0.0, "other_itemized": 0.0, "spouse_itemizes": False,
             "dependent": False, "full_time_student": False,
             "earned_over_half_support": False, "parent_filing_status": -1,
             "parent_taxable_income": 0.0, "other_children_net_unearned_income": 0.0}


@dataclass
class TaxUnits:
    """A batch of tax units, one array per input (dollars as float64)."""

    tax_year: np.ndarray
    filing_status: np.ndarray  # int8 codes, see dist401k.law.filing_status
    age_head: np.ndarray
    age_spouse: np.ndarray
    blind_head: np.ndarray
    blind_spouse: np.ndarray
    lived_apart: np.ndarray
    wages: np.ndarray
    taxable_interest: np.ndarray
    tax_exempt_interest: np.ndarray
    ordinary_dividends: np.ndarray
    qualified_dividends: np.ndarray
    long_term_gains: np.ndarray
    taxable_distributions: np.ndarray
    early_distributions: np.ndarray
    social_security: np.ndarray
    other_income: np.ndarray
    itemized_deductions: np.ndarray
    #: Cash gifts to public charities (§170(p)); zero where not given (a batch built without
    #: the column: every unit gave none).
    charitable_cash: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: Schedule A's parts before their limits (figured at each return's AGI where any is
    #: above zero, in place of ``itemized_deductions``); zero where not given.
    state_local_taxes: np.ndarray = field(default_factory=lambda: np.zeros(0))
    medical_expenses: np.ndarray = field(default_factory=lambda: np.zeros(0))
    itemized_charity: np.ndarray = field(default_factory=lambda: np.zeros(0))
    other_itemized: np.ndarray = field(default_factory=lambda: np.zeros(0))
    #: A separate filer whose spouse itemizes (§63(c)(6)(A)): false where not given.
    spouse_itemizes: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    #: A dependent's §63(c)(5) standard deduction and a child's §1(g) tax (Form 8615): the
    #: flags false, the parent's filing status -1 (not given) and the amounts zero where a
    #: batch is built without them.
    dependent: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    full_time_student: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    earned_over_half_support: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    parent_filing_status: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int8))
    parent_taxable_income: np.ndarray = field(default_factory=lambda: np.zeros(0))
    other_children_net_unearned_income: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __post_init__(self) -> None:
        shape = self.tax_year.shape
        for name, fill in _OPTIONAL.items():
            value = getattr(self, name)
            if not value.size and shape != (0,):
                setattr(self, name, np.full(shape, fill, dtype=value.dtype))

    def __len__(self) -> int:
        return int(self.tax_year.shape[0])

    def replace(self, **changes: Any) -> TaxUnits:
        """A copy with some columns replaced (arrays broadcast to the batch length)."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        for k, v in changes.items():
            if k not in values:
                raise KeyError(k)
            values[k] = np.broadcast_to(np.asarray(v, dtype=values[k].dtype), (len(self),))
        return TaxUnits(**values)

    def repeat(self, times: int) -> TaxUnits:
        """The units repeated ``times`` times, one copy after the other (``np.tile`` order):
        the same households with several amounts, figured in one call."""
        return TaxUnits(**{f.name: np.tile(getattr(self, f.name), times) for f in fields(self)})

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], law: Law | None = None) -> TaxUnits:
        """From a list of dicts (a JSON array of objects).  A key absent from a record is an
        absent optional field (zero; the parent's taxable income: not given); an explicit null
        is an error, but in the parent's columns where the parent's filing status is null or
        absent too (no parent's figures)."""
        records = list(records)
        if not records:  # no units: an empty batch (federal_tax of it gives empty arrays)
            return cls.from_columns({k: [] for k in REQUIRED}, law=law, n=0)
        names: list[str] = []
        for r in records:
            for k in r:
                if k not in names:
                    names.append(k)
        not_given = (*REQUIRED, PARENT_STATUS, "parent_taxable_income")
        columns = {k: [r.get(k, None if k in not_given else 0) for r in records]
                   for k in names}
        return cls.from_columns(columns, law=law, n=len(records))

    @classmethod
    def from_columns(
        cls, columns: Mapping[str, Any], law: Law | None = None, n: int | None = None,
        limit: int | None = PROBLEMS_SHOWN,
    ) -> TaxUnits:
        """Check and convert columns; raise :class:`InputError` listing every problem.

        ``columns``: a mapping of name to values (a dict of lists or arrays, a DataFrame) or
        a pyarrow Table or RecordBatch.  Rows are numbered from 1 (the first data row).  A
        column whose name is near a known one (``wagez``) is refused with the nearest name, as
        `dist401k tax` refuses it (:func:`misspelled_columns`); another unknown column (a
        name, a note) is not read.  Missing optional columns are zero, and a blank value is an
        error, never a silent zero.  ``limit`` caps the problems reported per check (None:
        all, as batch runs need).
        """
        law = law or default_law()
        columns = as_columns(columns)
        problems = misspelled_columns(columns)
        problems += [FieldProblem(c, "required column is missing") for c in REQUIRED
                     if c not in columns]
        if problems:
            raise InputError(problems)
        read = _Reader(columns, len(columns["tax_year"]) if n is None else n, limit)
        _one_value_a_cell(read)
        _participant_id_text(read)
        year = _tax_years(read, law)
        fs = _filing_statuses(read)
        apart = _not_its_status(fs)
        ages = {name: _ages(read, name, apart.get(name)) for name in AGES}
        flags = {name: _flags(read, name, apart.get(name)) for name in FLAGS}
        _separate_only(read, fs, flags)
        amounts = {name: _amounts(read, name) for name in AMOUNTS if name not in PARENT_AMOUNTS}
        _parts_within_totals(read, amounts)
        _total_or_parts(read, amounts)
        parent, no_parent = _parent_statuses(read)
        amounts.update(_parent_amounts(read, parent, no_parent))
        _state_inputs_without_state(read, law)
        if read.problems:
            last = len(COLUMNS)  # a problem of no column comes after those of every column
            problems = only_not_one_value(read.problems)
            problems.sort(key=lambda p: (p.row or 0, COLUMNS.index(p.field)
                                         if p.field in COLUMNS else last))
            raise InputError(problems)
        return cls(tax_year=year, filing_status=fs.astype(np.int8), **ages, **flags, **amounts,
                   parent_filing_status=parent)


def as_columns(columns: Any) -> Mapping[str, Any]:
    """A pyarrow Table or RecordBatch as its columns (:func:`dist401k.io.tables.columns_of`,
    a null as a blank); any other mapping (a dict, a DataFrame) as it is."""
    if _is_arrow(columns) and hasattr(columns, "column_names"):
        import pyarrow as pa

        from dist401k.io.tables import columns_of

        if not isinstance(columns, pa.Table):
            columns = pa.Table.from_batches([columns])
        return columns_of(columns)
    return columns


def misspelled_columns(columns: Iterable[str], also: Iterable[str] = ()) -> list[FieldProblem]:
    """A problem for each column a tax table may not hold whose name is near one it may
    (``wagez``: did you mean `wages`?): the check and the words of `dist401k tax`
    (:func:`dist401k.input_columns.column_problems` with ``carried``), so a misspelled
    column is never taxed as zero.  A name near none (a name, a note) is no problem, as that
    command copies it.  ``also``: more names known beside the tax table's."""
    from dist401k.did_you_mean import nearest
    from dist401k.input_columns import tax_columns, unknown_column

    known = tax_columns() | frozenset(also)
    names = [str(name) for name in columns]
    return [FieldProblem(name, unknown_column(name, known)) for name in names
            if name not in known and nearest(name, known) is not None]


@dataclass
class _Reader:
    """The columns being read, and the problems found so far (at most ``limit`` per check)."""

    columns: Mapping[str, Any]
    n: int
    limit: int | None
    problems: list[FieldProblem] = field(default_factory=list)
    #: Each column read, a cell holding a list or an object as None (:func:`one_value_cells`).
    read: dict[str, np.ndarray] = field(default_factory=dict)
    #: The cells of each column refused as unreadable (a list, an object, not a number): a
    #: cell gets one problem, never a second one about the value it could not be read as.
    unread: dict[str, np.ndarray] = field(default_factory=dict)

    def column(self, name: str) -> np.ndarray | None:
        """A column as a NumPy array (None: not given); a cell holding a list or an object is
        refused once, in the words of ``POST /tax`` ("is a list, not one value"), and read as
        None."""
        if name not in self.columns:
            return None
        if name not in self.read:
            arr, words = one_value_cells(one_per_row(self.columns[name]))
            self.read[name] = arr
            self.unread[name] = np.zeros(len(arr), dtype=bool)
            self.unread[name][list(words)] = True
            self.refuse(self.unread[name], name, lambda i: words[int(i)], skip=False)
        return self.read[name]

    def refuse(self, where: np.ndarray, name: str, problem: Callable[[int], str],
               skip: bool = True) -> None:
        """A problem on ``name`` for each row of ``where`` (a mask), in the words of
        ``problem(i)``; a cell already refused as unreadable (``skip``) gets none."""
        if skip and name in self.unread:
            where = where & ~self.unread[name]
        for i in np.flatnonzero(where)[:self.limit]:
            self.problems.append(FieldProblem(name, problem(i), int(i) + 1))

    def numbers(self, name: str, default: float, blank_ok: np.ndarray | None = None) -> np.ndarray:
        """A number column (``default`` where not given); a value that is no number is
        refused, but a blank one in the rows of ``blank_ok`` (a mask), which reads as
        ``default``."""
        raw = self.column(name)
        if raw is None:
            return np.full(self.n, default, dtype=float)
        vals, bad = to_float(raw)
        if blank_ok is not None:
            skipped = bad & blank_ok & blanks(raw)
            vals[skipped] = default
            bad &= ~skipped
        self.refuse(bad, name, lambda i: TOO_LARGE if integer_beyond_float(raw[i])
                    else shown(raw[i], "is not a number"))
        self.unread[name] = self.unread[name] | bad
        return vals

    def given(self, name: str) -> np.ndarray:
        """The rows whose ``name`` holds a value (not blank; a column not given: none)."""
        raw = self.column(name)
        return np.zeros(self.n, dtype=bool) if raw is None else ~blanks(raw)


def _one_value_a_cell(read: _Reader) -> None:
    """A cell of any column of a tax table holding a list or an object is refused, naming its
    row and column, as ``POST /tax`` refuses it: one value a cell, in every door — the state's
    columns and ``participant_id`` too, and a column `dist401k tax` copies to its output (a
    note), which no CSV output could hold."""
    for name in list(read.columns):
        read.column(name)


def _participant_id_text(read: _Reader) -> None:
    """A ``participant_id`` given as a number or true/false is refused, naming its row, as
    ``POST /tax``, a case's ``id`` and a batch's other jobs refuse it: an identifier is text
    (``000123`` read as a number has lost its zeros); a blank is none."""
    raw = read.column("participant_id")
    if raw is None:
        return
    if raw.dtype.kind in "biuf":
        bad = ~np.isnan(raw) if raw.dtype.kind == "f" else np.ones(len(raw), dtype=bool)
        flag = np.full(len(raw), raw.dtype.kind == "b")
    else:
        flag = np.frompyfunc(lambda v: isinstance(v, bool), 1, 1)(raw).astype(bool)
        bad = flag | np.frompyfunc(lambda v: isinstance(v, int | float) and v == v, 1, 1)(
            raw).astype(bool)
    read.refuse(bad, "participant_id", lambda i: "must be text" if flag[i] else NUMBERS_IN_TEXT)


def _tax_years(read: _Reader, law: Law) -> np.ndarray:
    """Whole years the law is known for (a value that is no number is refused as that alone:
    :meth:`_Reader.refuse` says nothing more of a cell it could not read)."""
    year_f = read.numbers("tax_year", np.nan)
    ok = np.isfinite(year_f)
    whole = ok & (year_f == np.floor(np.where(ok, year_f, 0)))
    read.refuse(ok & ~whole, "tax_year", lambda i: "is not a whole year")
    year = np.where(whole, year_f, law.first_year).astype(np.int64)
    lo, hi = law.known_years
    read.refuse(whole & ((year < lo) | (year > hi)), "tax_year",
                lambda i: year_without_law(lo, hi))
    return year


def _filing_statuses(read: _Reader) -> np.ndarray:
    """Filing-status codes (dist401k.law.filing_status), the names or their abbreviations."""
    fs_raw = read.column("filing_status")
    if fs_raw is None:  # REQUIRED: from_columns refuses a batch without it
        raise InputError([FieldProblem("filing_status", "required column is missing")])
    fs, fs_bad = codes_and_unknown(fs_raw, names_only=True)  # a code (3) is not a name
    read.refuse(fs_bad, "filing_status", lambda i: not_a_filing_status(fs_raw[i]))
    return fs


def _parent_statuses(read: _Reader) -> tuple[np.ndarray, np.ndarray]:
    """The parent's filing status of a child under §1(g) (a name, as ``filing_status``; blank
    or not given: -1, none) and where it is blank or not given; a child who files a joint
    return is not reached by §1(g) (§1(g)(2)(C))."""
    raw = read.column(PARENT_STATUS)
    codes = np.full(read.n, -1, dtype=np.int8)
    absent = np.ones(read.n, dtype=bool)
    if raw is not None:
        blank = np.array([v is None or (isinstance(v, str) and not v.strip())
                          or (isinstance(v, float) and v != v) for v in raw], dtype=bool)
        fs, bad = codes_and_unknown(np.where(blank, "single", raw.astype(object)),
                                    names_only=True)
        bad &= ~blank
        read.refuse(bad, PARENT_STATUS, lambda i: not_a_filing_status(raw[i]))
        codes = np.where(blank | bad, -1, fs).astype(np.int8)
        absent = blank
    joint = read.column("filing_status")
    if joint is not None:
        fs_child, _ = codes_and_unknown(joint, names_only=True)
        read.refuse((codes >= 0) & (fs_child == MARRIED_JOINT.value), PARENT_STATUS,
                    lambda i: "a child who files a joint return is not taxed at the parent's "
                    "rate (IRC §1(g)(2)(C)): leave the parent's figures out")
    return codes, absent


def _parent_amounts(read: _Reader, codes: np.ndarray, blank: np.ndarray) -> dict[str, np.ndarray]:
    """The parent's taxable income and the other children's net unearned income (Form 8615
    lines 6–7) beside the parent's filing status (line 9, ``codes``; ``blank``: not given).
    The income is required with the filing status, in the words of the other doors (the case's
    ``person.parent.taxable_income``, dist401k.flat); either amount needs the filing status;
    an amount left blank where the filing status is blank is no parent's figure, not a number
    missing (a file of children with and without a parent's figures), and the other children's
    left blank beside it is none (0, as in a case file and a plan book)."""
    out = {}
    for name in PARENT_AMOUNTS:
        # a blank income beside a filing status is refused below, in those words; the other
        # children's figure left blank is none, 0 (its default in the case and the batch)
        blank_ok = np.ones(read.n, bool)
        out[name] = _amounts(read, name, blank_ok)
        read.refuse(blank & (out[name] > 0), name,
                    lambda i: "is given without parent_filing_status (a child's parent's figures "
                    "need the parent's filing status)")
    read.refuse((codes >= 0) & ~read.given("parent_taxable_income"), "parent_taxable_income",
                lambda i: PARENT_INCOME_REQUIRED)
    return out


def _state_inputs_without_state(read: _Reader, law: Law) -> None:
    """A table without a ``state`` column has no state's tax to read the state's own inputs:
    each is checked all the same, and one given a value that would matter (not blank, 0 or
    false) is refused, "needs a state", never dropped without a word
    (:func:`dist401k.tax.state.units.stateless_problems`; with a state column,
    :class:`~dist401k.tax.state.units.StateUnits` checks them)."""
    if "state" in read.columns:
        return
    from dist401k.tax.state.units import stateless_problems

    read.problems += stateless_problems(read.columns, law, read.limit)


def _not_its_status(fs: np.ndarray) -> dict[str, np.ndarray]:
    """The rows where a spouse's column does not apply to the filing status, so that a blank
    there is no value (a table mixing single and joint filers leaves the spouse's age blank on
    a single filer's row, as a JSON table leaves the key out): the spouse's age and blindness
    count on a joint return (§63(f)(1)(B), (f)(2)(B)), ``lived_apart`` and ``spouse_itemizes``
    on a separate one (§86(c)(1)(C)(ii), §63(c)(6)(A)).  A value given there is read, and
    checked, as anywhere."""
    not_joint, not_separate = fs != MARRIED_JOINT.value, fs != MARRIED_SEPARATE.value
    return {"age_spouse": not_joint, "blind_spouse": not_joint,
            **{name: not_separate for name in SEPARATE_ONLY}}


def _ages(read: _Reader, name: str, blank_ok: np.ndarray | None = None) -> np.ndarray:
    """Ages within the bounds of an age (dist401k.bounds); zero where not given (or blank in
    the rows of ``blank_ok``)."""
    a = read.numbers(name, 0.0, blank_ok)
    read.refuse(np.isfinite(a) & AGE.outside(a), name,
                lambda i: f"is outside {AGE.lo:g}–{AGE.hi:g}")
    return a


def _flags(read: _Reader, name: str, blank_ok: np.ndarray | None = None) -> np.ndarray:
    """True/false (1/0, yes/no); false where not given (or blank in the rows of
    ``blank_ok``)."""
    raw = read.column(name)
    if raw is None:
        return np.zeros(read.n, dtype=bool)
    vals, bad = to_bool(raw)
    if blank_ok is not None:
        skipped = bad & blank_ok & blanks(raw)
        vals[skipped] = False
        bad &= ~skipped
    read.refuse(bad, name, lambda i: shown(raw[i], "is not true/false (1/0)"))
    return vals


def _separate_only(read: _Reader, fs: np.ndarray, flags: dict[str, np.ndarray]) -> None:
    """``lived_apart`` (§86(c)(1)(C)(ii)) and ``spouse_itemizes`` (§63(c)(6)(A)) speak of a
    married individual filing a separate return, ``blind_spouse`` of a joint one
    (§63(f)(2)(B)): set on another filing status (a status the user may have mistyped), each is
    refused, naming the column, in the words of the case and the batch
    (``LIVED_APART_SEPARATE_ONLY``, ``SPOUSE_BLIND_JOINT_ONLY``) — never silently ignored.  A
    filing status refused itself brings no second problem."""
    _, unknown = codes_and_unknown(read.column("filing_status"), names_only=True)
    other = ~unknown & (fs != MARRIED_SEPARATE.value)
    for name in SEPARATE_ONLY:
        where = flags[name] & other
        if where.any():
            words = _separate_only_words(name)

            def problem(i: int, w: str = words) -> str:
                return w
            read.refuse(where, name, problem)
    # The spouse's blindness counts on a joint return (§63(f)(2)(B)): the case's verdict, too.
    where = flags["blind_spouse"] & ~unknown & (fs != MARRIED_JOINT.value)
    if where.any():
        from dist401k.case import SPOUSE_BLIND_JOINT_ONLY

        read.refuse(where, "blind_spouse", lambda i: SPOUSE_BLIND_JOINT_ONLY)


def _separate_only_words(name: str) -> str:
    """The words of a separate return's flag on another filing status: the case's for
    ``lived_apart`` (one verdict through every door), :data:`SPOUSE_ITEMIZES_SEPARATE_ONLY`."""
    if name == "lived_apart":
        from dist401k.case import LIVED_APART_SEPARATE_ONLY

        return LIVED_APART_SEPARATE_ONLY
    return SPOUSE_ITEMIZES_SEPARATE_ONLY


def _amounts(read: _Reader, name: str, blank_ok: np.ndarray | None = None) -> np.ndarray:
    """Dollars from 0 to the bound of every amount (dist401k.bounds); zero where not given
    (and where blank in the rows of ``blank_ok``)."""
    a = read.numbers(name, 0.0, blank_ok)
    read.refuse(np.isfinite(a) & (a < 0), name,
                lambda i: "is negative (amounts must be 0 or more)")
    read.refuse(np.isfinite(a) & (a > MONEY.hi), name,
                lambda i: f"is more than {MONEY.hi:g} dollars (the bound of every "
                "amount)")
    return a


def _parts_within_totals(read: _Reader, amounts: dict[str, np.ndarray]) -> None:
    """Qualified dividends are part of the ordinary dividends, early distributions part of the
    taxable distributions: neither may exceed its total."""
    for small, big in (("qualified_dividends", "ordinary_dividends"),
                       ("early_distributions", "taxable_distributions")):
        def exceeds(i: int, b: str = big) -> str:  # the amounts are the input's: never said
            return f"exceeds {b}; it is part of {b}"
        read.refuse(amounts[small] > amounts[big] + HALF_CENT, small, exceeds)


#: The parts of Schedule A, each refused beside the total (``itemized_deductions``).
ITEMIZED_PARTS = ("state_local_taxes", "medical_expenses", "itemized_charity", "other_itemized")


def total_with_parts(part: str, parts: tuple[str, ...] = ITEMIZED_PARTS) -> str:
    """The words of ``itemized_deductions`` given with one of its ``parts``, the same in every
    door (a case's medical expenses, which serve the §72(t)(2)(B) exception too, may come with
    the total: the case model's ``income`` block names the other parts)."""
    return (f"cannot be given with {part}: give either the Schedule A total or its parts "
            f"({', '.join(parts)})")


def _total_or_parts(read: _Reader, amounts: dict[str, np.ndarray]) -> None:
    """The Schedule A total is held whatever the AGI; its parts are limited at the return's
    own AGI (§164(b)(7), §170(b)(1)(I), §213(a)): a row gives one or the other, never both
    (a part above zero beside a total above zero would be counted twice)."""
    total = amounts["itemized_deductions"] > 0
    for name in ITEMIZED_PARTS:
        def problem(i: int, part: str = name) -> str:
            return total_with_parts(part)
        read.refuse(total & (amounts[name] > 0), "itemized_deductions", problem)
        total = total & ~(amounts[name] > 0)  # one problem a row


def _is_arrow(v: Any) -> bool:
    return type(v).__module__.startswith("pyarrow")


def arrow_values(v: Any) -> np.ndarray:
    """An Arrow column's values, a null (a blank cell) as None: Arrow gives a float column's
    null as NaN, which is also what a CSV cell ``nan`` reads as, and the two are refused in
    different words (:func:`shown`)."""
    arr = v.to_numpy(zero_copy_only=False)
    if v.null_count and arr.dtype.kind == "f":
        arr = arr.astype(object)
        arr[np.asarray(v.is_null().to_numpy(zero_copy_only=False), bool)] = None
    return arr


def one_per_row(v: Any) -> np.ndarray:
    """A column as a 1-D NumPy array, one element a row: a pyarrow column's values (a null as
    None: :func:`arrow_values`), a DataFrame's or a list's; a list or a mapping given as a
    value stays one element (NumPy would make it a dimension, or fail on lists of two
    lengths)."""
    if hasattr(v, "to_numpy"):
        v = arrow_values(v) if _is_arrow(v) else v.to_numpy()
    arr = np.asarray(v) if not _nested(v) else None
    if arr is None or arr.ndim != 1:
        arr = np.fromiter(list(v), dtype=object, count=len(v))
    return arr


#: The words of a cell holding more than one value, those of ``POST /tax`` (docs/api.md).
A_LIST, AN_OBJECT = "is a list, not one value", "is an object, not one value"


def not_one_value(v: Any) -> str | None:
    """The words of a cell holding a list (a JSON array, an Arrow list or map cell) or an
    object (a JSON object, an Arrow struct cell) rather than one value; None for one value."""
    if isinstance(v, list | tuple | np.ndarray):
        return A_LIST
    return AN_OBJECT if isinstance(v, Mapping) else None


#: The types of a cell holding more than one value (:func:`not_one_value`).
_NOT_ONE = (list, tuple, np.ndarray, Mapping)


def one_value_cells(raw: np.ndarray) -> tuple[np.ndarray, dict[int, str]]:
    """``raw`` with each cell holding a list or an object as None (which no reader fails on),
    and the words of each such cell by its place (:func:`not_one_value`)."""
    if raw.dtype != object or not any(issubclass(t, _NOT_ONE) for t in set(map(type, raw))):
        return raw, {}  # (the types of the values first: a column of millions, looked at fast)
    words = {i: w for i, v in enumerate(raw) if (w := not_one_value(v)) is not None}
    if words:
        raw = raw.copy()
        raw[list(words)] = None
    return raw, words


def only_not_one_value(problems: list[FieldProblem]) -> list[FieldProblem]:
    """The problems, but of a row with a cell holding a list or an object, only those cells':
    its other cells' problems may follow from reading that cell as blank (qualified dividends
    more than ordinary dividends read as 0), and ``POST /tax`` refuses such a row before it
    reads a value (one verdict in every door)."""
    rows = {p.row for p in problems if p.problem in (A_LIST, AN_OBJECT)}
    return [p for p in problems if p.row not in rows or p.problem in (A_LIST, AN_OBJECT)]


def _nested(v: Any) -> bool:
    """A plain list of values holding a list or a mapping (which NumPy would make a dimension
    or fail on)."""
    return isinstance(v, list | tuple) and any(isinstance(x, list | tuple | dict) for x in v)


def to_float(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values → float64 and a mask of those that are blank or not numbers — "50,000" and
    "$5000" too, as a case file's amounts and a batch row's are (one verdict in every door):
    a number written as text is read as every door reads it
    (:func:`dist401k.numerals.number_text`)."""
    if raw.dtype.kind in "iub":
        return raw.astype(float), np.zeros(raw.shape, dtype=bool)
    if raw.dtype.kind == "f":
        return np.where(np.isnan(raw), 0.0, raw), ~np.isfinite(raw)
    out = np.zeros(raw.shape, dtype=float)
    bad = np.zeros(raw.shape, dtype=bool)
    for i, v in enumerate(raw.astype(object)):
        try:
            if isinstance(v, bool) or v is None:
                raise ValueError
            f = number_text(v) if isinstance(v, str) else float(v)
            if not np.isfinite(f):
                raise ValueError
            out[i] = f
        except (TypeError, ValueError):
            bad[i] = True
    return out, bad


#: The words of true and of false, in every door and whatever a column's type (docs/batch.md):
#: any case, spaces around them ignored; ``1.0``/``0.0`` as a spreadsheet may write 1 and 0;
#: ``on``/``off`` as a case file and the API read them (pydantic's words for a bool).
TRUE_WORDS = ("1", "true", "yes", "y", "t", "on", "1.0")
FALSE_WORDS = ("0", "false", "no", "n", "f", "off", "0.0")


def to_bool(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if raw.dtype.kind == "b":
        return raw.astype(bool), np.zeros(raw.shape, dtype=bool)
    if raw.dtype.kind in "iuf":
        bad = ~np.isin(raw, (0, 1))
        return raw == 1, bad
    s = np.char.lower(np.char.strip(raw.astype(str)))
    t = np.isin(s, TRUE_WORDS)
    f = np.isin(s, FALSE_WORDS)
    return t, ~(t | f)


def blanks(raw: np.ndarray) -> np.ndarray:
    """Where values are blank: null or empty text (a NaN was given: :func:`shown`)."""
    return np.array([v is None or (isinstance(v, str) and not v.strip()) for v in raw],
                    dtype=bool)


#: The words of an unknown filing status: the names taken (never the value given).
NOT_A_FILING_STATUS = f"is not a filing status ({', '.join(FILING_STATUSES)})"


def shown(v: Any, problem: str) -> str:
    """The words of a problem with the value ``v``, which never quote it (docs/reliability.md:
    nothing from the input's values — names, amounts, identifiers — reaches a log): only the
    words the parser itself knows are said, a blank ("a blank value is not a number") and a
    NaN or an infinity ("nan is not a number", as a cell ``nan`` or ``inf`` reads); any other
    value is the problem alone ("is not a number")."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return f"a blank value {problem}"
    word = _non_finite(v.item() if isinstance(v, np.generic) else v)
    return f"{word} {problem}" if word else problem


def _non_finite(v: Any) -> str | None:
    """``nan``, ``inf`` or ``-inf`` where ``v`` reads as one (a float, or text such as
    ``NaN``, ``-Infinity`` or ``1e400``); None otherwise: an integer's digits too large for a
    float (400 of them, :func:`~dist401k.errors.integer_beyond_float`) are a finite number,
    not named an infinity."""
    if isinstance(v, bool) or not isinstance(v, str | float | int) or integer_beyond_float(v):
        return None
    try:
        f = number_text(v) if isinstance(v, str) else float(v)
    except (ValueError, OverflowError):
        return None
    return None if math.isfinite(f) else str(f)


def not_a_filing_status(v: Any) -> str:
    """The words of an unknown filing status: the names taken and, where the text given is
    near one of them or of their abbreviations, ``(did you mean `married_joint`?)`` — the name
    suggested, never the value given."""
    hint = ""
    if isinstance(v, str) and v.strip():
        key = v.strip().lower().replace(" ", "_").replace("-", "_")
        hint = did_you_mean(key, [*FILING_STATUSES, *ALIASES])
    return shown(v, NOT_A_FILING_STATUS) + hint
