"""The inputs of the state income tax: one array per column, one element per tax unit.

A state starts from facts the federal computation already has (federal AGI and its parts) and
from facts of the distribution's route (early or not, the plan's retirement conditions met,
a governmental plan, periodic payments).  The distribution is the head's (the case's person).
:meth:`StateUnits.from_columns` checks every value and names the field and row of each problem.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Annotated, Any, Literal, get_args

import numpy as np
from pydantic import BeforeValidator

from dist401k.bounds import AGE, PROBLEMS_SHOWN
from dist401k.errors import FieldProblem, InputError, year_without_law
from dist401k.law.filing_status import MARRIED_JOINT, codes_and_unknown
from dist401k.law.loader import Law, default_law
from dist401k.money import HALF_CENT
from dist401k.tax.units import (
    FALSE_WORDS,
    TRUE_WORDS,
    as_columns,
    misspelled_columns,
    not_a_filing_status,
    one_per_row,
    one_value_cells,
    only_not_one_value,
    shown,
    to_bool,
    to_float,
)

#: The 50 states and the District of Columbia (USPS codes).
StateCode = Literal[
    "AK", "AL", "AR", "AZ", "CA", "CO", "CT", "DC", "DE", "FL", "GA", "HI", "IA", "ID", "IL",
    "IN", "KS", "KY", "LA", "MA", "MD", "ME", "MI", "MN", "MO", "MS", "MT", "NC", "ND", "NE",
    "NH", "NJ", "NM", "NV", "NY", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT",
    "VA", "VT", "WA", "WI", "WV", "WY",
]
STATE_CODES: tuple[StateCode, ...] = get_args(StateCode)

AMOUNTS = (
    "federal_agi",
    "wages",
    "taxable_distributions",
    "early_distributions",
    "secure2_excepted_distributions",
    "state_basis_recovered",
    "social_security",
    "taxable_social_security",
    "tax_exempt_interest",
    "ira_distributions",
    "periodic_distributions",
)
AGES = ("age_head", "age_spouse")
FLAGS = ("plan_retirement_conditions_met", "governmental_plan", "periodic_payments")
#: Flags false unless given (optional: callers built before them keep their answers).
OPTIONAL_FLAGS = ("social_security_expected", "new_york_city_resident", "yonkers_resident")
#: The spouse's own retirement condition on a joint return: the head's unless given.
SPOUSE_FLAGS = ("spouse_plan_retirement_conditions_met",)
#: Optional amounts that are unknown (NaN) when their column is absent: a state that needs one
#: answers NaN for a unit where it is unknown, never a guess.
UNKNOWN_UNLESS_GIVEN = ("employer_attributable_distributions", "federal_taxable_income",
                        "federal_standard_deduction", "federal_income_tax",
                        "federal_net_investment_income_tax", "ira_early_distributions",
                        "survivor_distributions")
#: Facts of the head that are unknown (NaN) when their column is absent: a flag (1 / 0) and an
#: age.  A state whose rule turns on one answers NaN for a unit where it is unknown and could
#: change the answer (Iowa's retirement income exclusion under 55, Iowa Code §422.7(31)).
UNKNOWN_FLAGS = ("disabled",)
UNKNOWN_AGES = ("deceased_age",)
#: The kinds of the other income in federal AGI (named as the federal tax table names them):
#: a state that taxes interest, dividends or long-term gains apart reads them, and where they
#: are not given, or do not make up the other income, the kind is unknown (NaN for that state).
INCOME_KINDS = ("taxable_interest", "ordinary_dividends", "qualified_dividends",
                "long_term_gains")
#: A joint return's income by spouse: the spouse's own part of the wages, the distributions,
#: the Social Security and the other income (the head has the rest).  Unknown (NaN) unless
#: given: a state whose rule turns on whose income it is then counts all of it as the head's
#: where that cannot change the answer, and answers NaN where it can.
SPOUSE_PARTS = ("spouse_wages", "spouse_distributions", "spouse_early_distributions",
                "spouse_social_security", "spouse_other_income", "spouse_ira_distributions",
                "spouse_ira_early_distributions", "spouse_periodic_distributions")
#: Each spouse's part and the whole it is part of (the other income: federal AGI less wages,
#: distributions and taxable Social Security, a loss too).
SPOUSE_PART_OF = {"spouse_wages": "wages", "spouse_distributions": "taxable_distributions",
                  "spouse_early_distributions": "early_distributions",
                  "spouse_social_security": "social_security",
                  "spouse_other_income": "other_income",
                  "spouse_ira_distributions": "ira_distributions",
                  "spouse_ira_early_distributions": "ira_early_distributions",
                  "spouse_periodic_distributions": "periodic_distributions"}

#: What each input column means (the wiring's columns carry these names).
COLUMN_HELP = {
    "state": "state of residence for the year (USPS code: CA, NY, DC …)",
    "tax_year": "calendar tax year",
    "filing_status": "the federal filing status (states here follow it)",
    "age_head": "taxpayer's age at the end of the year",
    "age_spouse": "spouse's age at the end of the year (counts on a joint return)",
    "federal_agi": "federal adjusted gross income, all parts included",
    "federal_taxable_income": "federal taxable income (Form 1040 line 15), from the federal "
    "return of the same unit; unknown when the column is absent",
    "federal_standard_deduction": "the standard deduction the federal return took (the basic "
    "amount plus the additional amounts for age and blindness; zero when the return itemizes); "
    "unknown when the column is absent",
    "federal_income_tax": "the federal income tax of the year after nonrefundable credits (Form "
    "1040 line 22: the regular tax and the AMT, not the NIIT, self-employment or §72(t) taxes), "
    "the figure the states that deduct federal tax start from; where absent, the tax table "
    "and the outcomes take their own federal tax of the unit, elsewhere it is unknown",
    "federal_net_investment_income_tax": "the federal net investment income tax of the year "
    "(Form 8960 line 17; Alabama deducts it with the income tax); where absent, as "
    "federal_income_tax",
    "wages": "wages in federal AGI",
    "taxable_distributions": "taxable plan and IRA distributions in federal AGI (the head's)",
    "early_distributions": "the part of taxable_distributions subject to the federal §72(t) 10% "
    "tax (Form 1099-R code 1, no exception)",
    "secure2_excepted_distributions": "the part of taxable_distributions spared the §72(t) tax "
    "only by an exception SECURE 2.0 added (emergency, domestic abuse, terminal illness, "
    "disaster, long-term care)",
    "state_basis_recovered": "the part of taxable_distributions that returns contributions the "
    "state already taxed (Pennsylvania: elective deferrals; New Jersey: the contributions it "
    "taxed)",
    "ira_distributions": "the part of taxable_distributions paid from IRAs (traditional, SEP, "
    "SIMPLE; a conversion to a Roth IRA counts), the rest being an employer plan's; zero when "
    "the column is absent",
    "ira_early_distributions": "the part of early_distributions paid from IRAs (part of "
    "ira_distributions too); unknown when the column is absent, where the distributions are "
    "all an IRA's or all a plan's it follows",
    "social_security": "Social Security benefits received",
    "taxable_social_security": "the federally taxable part of social_security (in federal_agi)",
    "tax_exempt_interest": "tax-exempt interest (not in federal AGI; counts in a state's modified "
    "AGI, Utah's credits)",
    "plan_retirement_conditions_met": "the distribution is paid after the recipient retired "
    "having met the plan's conditions for retirement (age or years of service); for an IRA, 59½",
    "spouse_plan_retirement_conditions_met": "on a joint return, plan_retirement_conditions_met "
    "of the spouse's own distributions (spouse_distributions; Pennsylvania and Mississippi "
    "judge each spouse's); plan_retirement_conditions_met when the column is absent",
    "governmental_plan": "the distribution is from a governmental plan (public pension, "
    "governmental 457(b))",
    "periodic_payments": "the distribution is one of periodic payments (an annuity or "
    "installments), not a lump sum",
    "periodic_distributions": "the part of taxable_distributions, not an IRA's, paid as "
    "periodic payments (a pension or an annuity, none of it early), where the rest is a lump "
    "sum; zero when the column is absent (with periodic_payments all of it is periodic)",
    "spouse_periodic_distributions": "on a joint return, the part of periodic_distributions "
    "paid to the spouse (part of spouse_distributions too); unknown when the column is absent",
    "taxable_interest": "taxable interest in federal AGI (not from US obligations); with "
    "ordinary_dividends and long_term_gains it tells the kind of the other income; unknown "
    "when the column is absent",
    "ordinary_dividends": "ordinary dividends in federal AGI (qualified ones included); unknown "
    "when the column is absent",
    "qualified_dividends": "the part of ordinary_dividends that is qualified (§1(h)(11)); "
    "unknown when the column is absent",
    "long_term_gains": "net long-term capital gain in federal AGI (§1222(11)); unknown when "
    "the column is absent",
    "social_security_expected": "everyone on the return receives Social Security or Railroad "
    "Retirement benefits, or will (a spouse's or survivor's benefit counts): New Jersey's special "
    "exclusion for those who never will does not apply; false when absent (not known)",
    "new_york_city_resident": "the unit lives in New York City (state NY): New York City's "
    "personal income tax on New York taxable income is added to the state's; false when absent",
    "maryland_county": "the Maryland county (or Baltimore City) the unit lives in (state MD), "
    "by name (Montgomery, Prince George's, Baltimore City …): its county income tax on Maryland "
    "taxable income is added to the state's; blank or absent: none is added",
    "yonkers_resident": "the unit lives in the City of Yonkers (state NY): its resident income "
    "tax surcharge on the net New York State tax is added to the state's; false when absent",
    "spouse_wages": "on a joint return, the part of wages that is the spouse's own (the head "
    "has the rest); unknown when the column is absent",
    "spouse_distributions": "on a joint return, the part of taxable_distributions paid to the "
    "spouse (the spouse's own plans, IRAs and pension); unknown when the column is absent",
    "spouse_early_distributions": "on a joint return, the part of early_distributions paid to "
    "the spouse (part of spouse_distributions too); unknown when the column is absent",
    "spouse_ira_distributions": "on a joint return, the part of ira_distributions paid from the "
    "spouse's own IRAs (part of spouse_distributions too); unknown when the column is absent",
    "spouse_ira_early_distributions": "on a joint return, the part of ira_early_distributions "
    "paid from the spouse's own IRAs (part of spouse_early_distributions and "
    "spouse_ira_distributions too); unknown when the column is absent",
    "spouse_social_security": "on a joint return, the part of social_security paid to the "
    "spouse; unknown when the column is absent",
    "spouse_other_income": "on a joint return, the spouse's part of the other income (federal "
    "AGI less wages, distributions and taxable Social Security; half of a joint account's); "
    "between zero and the other income, a loss too; unknown when the column is absent",
    "disabled": "the head (the distribution's recipient) is disabled (federal or state "
    "criteria; Iowa excludes a disabled person's retirement income at any age); unknown when "
    "the column is absent",
    "survivor_distributions": "the part of taxable_distributions the head received on the "
    "death of another person as that person's surviving spouse, son, daughter, mother or "
    "father (Iowa's survivor with an insurable interest); unknown when the column is absent",
    "deceased_age": "the age that person would have reached at the end of the year "
    "(survivor_distributions; Iowa: one who would have qualified for its exclusion); unknown "
    "when the column is absent or blank",
    "employer_attributable_distributions": "the part of taxable_distributions attributable to "
    "employer contributions or to employee contributions the plan mandates, not to elective "
    "deferrals (Hawaii, HRS 235-7(a)(3): only that part); for Michigan give all of a 403(b), "
    "pension or IRA distribution (MCL 206.30(8)); unknown when the column is absent",
}
COLUMNS = ("state", "tax_year", "filing_status") + AGES + AMOUNTS + FLAGS + UNKNOWN_UNLESS_GIVEN \
    + INCOME_KINDS + OPTIONAL_FLAGS + ("maryland_county",) + SPOUSE_PARTS + SPOUSE_FLAGS \
    + UNKNOWN_FLAGS + UNKNOWN_AGES


#: The columns a state tax unit cannot be built without.
REQUIRED = ("state", "tax_year", "filing_status")
#: The words of a table without ``federal_agi``.
FEDERAL_AGI_MISSING = ("required column is missing (the states start from federal AGI; "
                       "dist401k.tax.table.tax_table figures it from the federal columns)")


class FiguredFederally(dict):
    """State inputs whose federal figures (:data:`~dist401k.tax.state.with_federal.FROM_FEDERAL`:
    federal AGI, the taxable Social Security …) the federal tax of the same rows gives, not
    the table (:func:`~dist401k.tax.state.with_federal.state_inputs`): built from it without
    ``federal_agi``, :meth:`StateUnits.from_columns` checks the other inputs with federal AGI
    unknown (NaN: no check against it refuses), where any other mapping without it is
    refused."""


@dataclass
class StateUnits:
    """A batch of state tax units (dollars as float64, flags as bool)."""

    state: np.ndarray  # USPS codes, upper case
    tax_year: np.ndarray
    filing_status: np.ndarray  # int8 codes, see dist401k.law.filing_status
    age_head: np.ndarray
    age_spouse: np.ndarray
    federal_agi: np.ndarray
    wages: np.ndarray
    taxable_distributions: np.ndarray
    early_distributions: np.ndarray
    secure2_excepted_distributions: np.ndarray
    state_basis_recovered: np.ndarray
    social_security: np.ndarray
    taxable_social_security: np.ndarray
    plan_retirement_conditions_met: np.ndarray
    governmental_plan: np.ndarray
    periodic_payments: np.ndarray
    #: Unknown (NaN) unless given; optional so that callers built before it keep working.
    #: None is accepted and replaced by NaN in ``__post_init__``: an array once built.
    employer_attributable_distributions: np.ndarray = None  # type: ignore[assignment]
    federal_taxable_income: np.ndarray = None  # type: ignore[assignment]
    federal_standard_deduction: np.ndarray = None  # type: ignore[assignment]
    federal_income_tax: np.ndarray = None  # type: ignore[assignment]
    federal_net_investment_income_tax: np.ndarray = None  # type: ignore[assignment]
    ira_early_distributions: np.ndarray = None  # type: ignore[assignment]
    survivor_distributions: np.ndarray = None  # type: ignore[assignment]
    #: :data:`UNKNOWN_FLAGS` (1.0 / 0.0) and :data:`UNKNOWN_AGES`: unknown (NaN) unless given.
    disabled: np.ndarray = None  # type: ignore[assignment]
    deceased_age: np.ndarray = None  # type: ignore[assignment]
    #: Zero unless given (a column of the federal table too); optional likewise.
    tax_exempt_interest: np.ndarray = None  # type: ignore[assignment]
    #: Zero unless given: every distribution an employer plan's, as before the column.
    ira_distributions: np.ndarray = None  # type: ignore[assignment]
    #: Zero unless given: a lump sum's, but where ``periodic_payments`` says all is periodic.
    periodic_distributions: np.ndarray = None  # type: ignore[assignment]
    #: The kinds of the other income (:data:`INCOME_KINDS`): unknown (NaN) unless given.
    taxable_interest: np.ndarray = None  # type: ignore[assignment]
    ordinary_dividends: np.ndarray = None  # type: ignore[assignment]
    qualified_dividends: np.ndarray = None  # type: ignore[assignment]
    long_term_gains: np.ndarray = None  # type: ignore[assignment]
    #: :data:`OPTIONAL_FLAGS`: false unless given.
    social_security_expected: np.ndarray = None  # type: ignore[assignment]
    new_york_city_resident: np.ndarray = None  # type: ignore[assignment]
    yonkers_resident: np.ndarray = None  # type: ignore[assignment]
    #: The Maryland county (or Baltimore City) of residence, as its place among the keys of
    #: ``state.md.local_rates``; -1 (not given) unless given: no county tax is added.
    maryland_county: np.ndarray = None  # type: ignore[assignment]
    #: :data:`SPOUSE_PARTS`: unknown (NaN) unless given.
    spouse_wages: np.ndarray = None  # type: ignore[assignment]
    spouse_distributions: np.ndarray = None  # type: ignore[assignment]
    spouse_early_distributions: np.ndarray = None  # type: ignore[assignment]
    spouse_social_security: np.ndarray = None  # type: ignore[assignment]
    spouse_other_income: np.ndarray = None  # type: ignore[assignment]
    spouse_ira_distributions: np.ndarray = None  # type: ignore[assignment]
    spouse_ira_early_distributions: np.ndarray = None  # type: ignore[assignment]
    spouse_periodic_distributions: np.ndarray = None  # type: ignore[assignment]
    #: :data:`SPOUSE_FLAGS`: the head's flag unless given.
    spouse_plan_retirement_conditions_met: np.ndarray = None  # type: ignore[assignment]

    def __post_init__(self) -> None:
        for name in UNKNOWN_UNLESS_GIVEN + INCOME_KINDS + SPOUSE_PARTS + UNKNOWN_FLAGS \
                + UNKNOWN_AGES:
            if getattr(self, name) is None:
                setattr(self, name, np.full(len(self), np.nan))
        for name in ("tax_exempt_interest", "ira_distributions", "periodic_distributions"):
            if getattr(self, name) is None:
                setattr(self, name, np.zeros(len(self)))
        for name in OPTIONAL_FLAGS:
            if getattr(self, name) is None:
                setattr(self, name, np.zeros(len(self), dtype=bool))
        if self.maryland_county is None:
            self.maryland_county = np.full(len(self), -1, dtype=np.int64)
        if self.spouse_plan_retirement_conditions_met is None:
            self.spouse_plan_retirement_conditions_met = np.array(
                self.plan_retirement_conditions_met, bool)

    def __len__(self) -> int:
        return int(self.tax_year.shape[0])

    @property
    def other_income(self) -> np.ndarray:
        """Federal AGI that is neither wages, plan distributions nor Social Security."""
        return self.federal_agi - self.wages - self.taxable_distributions - self.taxable_social_security

    def subset(self, index: np.ndarray) -> StateUnits:
        return StateUnits(**{f.name: getattr(self, f.name)[index] for f in fields(self)})

    @classmethod
    def from_columns(cls, columns: Mapping[str, Any], law: Law | None = None,
                     limit: int | None = PROBLEMS_SHOWN) -> StateUnits:
        """Check and convert columns (a mapping such as a dict or a DataFrame, or a pyarrow
        Table or RecordBatch); raise :class:`InputError` listing every problem (rows numbered
        from 1).  ``state``, ``tax_year``, ``filing_status`` and ``federal_agi`` are required:
        the states start from federal AGI, which is never taken as zero (docs/state.md; the
        with-federal door, :class:`FiguredFederally`, figures it).  A column whose name is near
        a known one is refused with the nearest name (:func:`misspelled_columns`).  Missing
        optional columns are zero / false; a blank is an error, but in a spouse's column on a
        return that is not joint (no value: 0, false)."""
        law = law or default_law()
        figured = isinstance(columns, FiguredFederally)
        columns = as_columns(columns)
        check = _Checker(columns, limit)
        check.problems += column_problems(columns, figured)
        if check.problems:
            raise InputError(check.problems)
        values = {"state": check.states(), "tax_year": check.years(law),
                  "filing_status": check.statuses()}
        # the spouse's age, flag and parts count on a joint return: blank on another one is no
        # value (0, false), as in the federal table (dist401k.tax.units._not_its_status)
        not_joint = values["filing_status"] != MARRIED_JOINT
        for name in AGES:
            values[name] = check.numbers(name, AGE.lo, AGE.hi, "age",
                                         not_joint if name == "age_spouse" else None)
        for name in AMOUNTS:  # federal_agi not given (FiguredFederally: not yet figured): NaN
            values[name] = (check.numbers(name, 0.0, None, "amount") if name in columns
                            or name != "federal_agi" else np.full(check.n, np.nan))
        for name in FLAGS + OPTIONAL_FLAGS:
            values[name] = check.flags(name)
        for name in SPOUSE_FLAGS:
            values[name] = (check.flags(name, not_joint) if name in columns
                            else values["plan_retirement_conditions_met"].copy())
            if name in columns:  # true on a return that is not joint: refused, as a part is
                check.add(name, values[name] & not_joint, lambda i: NOT_JOINT_FLAG)
        values["maryland_county"] = check.counties(law)
        for name in UNKNOWN_UNLESS_GIVEN + INCOME_KINDS + SPOUSE_PARTS:
            low = None if name == "spouse_other_income" else 0.0
            values[name] = (check.numbers(name, low, None, "amount",
                                          not_joint if name in SPOUSE_PARTS else None)
                            if name in columns else np.full(check.n, np.nan))
        for name in UNKNOWN_FLAGS:
            values[name] = (check.flags(name).astype(float) if name in columns
                            else np.full(check.n, np.nan))
        for name in UNKNOWN_AGES:
            values[name] = check.optional_ages(name)
        check.part_of(values, "qualified_dividends", "ordinary_dividends")
        check.part_of(values, "survivor_distributions", "taxable_distributions")
        check.part_of(values, "early_distributions", "taxable_distributions")
        check.part_of(values, "secure2_excepted_distributions", "taxable_distributions")
        check.part_of(values, "state_basis_recovered", "taxable_distributions")
        check.part_of(values, "employer_attributable_distributions", "taxable_distributions")
        check.part_of(values, "ira_distributions", "taxable_distributions")
        check.part_of(values, "ira_early_distributions", "ira_distributions")
        check.part_of(values, "ira_early_distributions", "early_distributions")
        check.add("periodic_distributions", values["periodic_distributions"]
                  + values["ira_distributions"] > values["taxable_distributions"] + HALF_CENT,
                  lambda i: "with ira_distributions is more than taxable_distributions (an "
                  "IRA's distribution is not in it)")
        check.part_of(values, "taxable_social_security", "social_security")
        check.part_of(values, "federal_taxable_income", "federal_agi")
        check.spouse_parts(values)
        check.add("new_york_city_resident", values["new_york_city_resident"]
                  & (values["state"] != "NY"), lambda i: "New York City is in New York: the "
                  f"state is {values['state'][i]}")
        check.add("maryland_county", (values["maryland_county"] >= 0) & (values["state"] != "MD"),
                  lambda i: f"a Maryland county needs state MD: the state is {values['state'][i]}")
        check.add("yonkers_resident", values["yonkers_resident"] & (values["state"] != "NY"),
                  lambda i: f"Yonkers is in New York: the state is {values['state'][i]}")
        check.add("yonkers_resident", values["yonkers_resident"]
                  & values["new_york_city_resident"],
                  lambda i: "Yonkers is not in New York City: give one of the two")
        if check.problems:
            problems = only_not_one_value(check.problems)  # a row with a list: that alone
            raise InputError(sorted(problems, key=lambda p: (p.row or 0, COLUMNS.index(p.field))))
        return cls(**values)


def column_problems(columns: Mapping[str, Any], figured: bool = False) -> list[FieldProblem]:
    """The columns' own problems: a name near a known one (:func:`misspelled_columns`), a
    required column missing — ``federal_agi`` too, but where the federal tax of the same rows
    figures it (``figured``: :class:`FiguredFederally`)."""
    problems = misspelled_columns(columns, COLUMNS)
    for c in REQUIRED if figured else REQUIRED + ("federal_agi",):
        if c not in columns:
            problems.append(FieldProblem(c, FEDERAL_AGI_MISSING if c == "federal_agi"
                                         else "required column is missing"))
    return problems


#: The words of a state's own input given a value in a unit without a state (a table without a
#: ``state`` column, a ``POST /tax`` unit without the key): only a state's tax reads it, so the
#: value would be dropped without a word (DESIGN.md: nothing is silently ignored).
NEEDS_A_STATE = ("needs a state: only a state's income tax reads it (give the unit's state, a "
                 "USPS code such as NY, or leave it out)")
#: The same words of the local taxes' inputs, naming the state they need, as the case's
#: (:func:`local_tax_problems`: "needs New York as the state").
NEEDS_ITS_STATE = {"new_york_city_resident": "needs a state: New York City is in New York "
                   "(give state NY)",
                   "yonkers_resident": "needs a state: Yonkers is in New York (give state NY)",
                   "maryland_county": "needs a state: a Maryland county needs state MD"}


def stateless_problems(columns: Mapping[str, Any], law: Law,
                       limit: int | None = PROBLEMS_SHOWN) -> list[FieldProblem]:
    """The problems of a state's own inputs (``STATE_INPUTS`` but ``state``) in a tax table
    without a ``state`` column, where no state's tax reads them: each value is checked as it
    is with a state (a flag true/false, an amount a number, 0 or more, a county Maryland's, an
    age within bounds), and one that would matter to a state — not blank, not 0, not false —
    is refused naming its column, :data:`NEEDS_A_STATE` (:data:`NEEDS_ITS_STATE`), in every
    door of a tax table (`dist401k tax`, ``POST /tax``, the batch ``tax`` job).  A blank is
    no value here (a column given for some units only).  A cell holding a list or an object
    is left to the federal check, which names it (:func:`dist401k.tax.units.TaxUnits`)."""
    from dist401k.tax.state.with_federal import STATE_INPUTS

    names = [c for c in STATE_INPUTS if c != "state" and c in columns]
    if not names or "tax_year" not in columns:
        return []
    raws = {c: one_per_row(columns[c]) for c in names}
    texts = {c: _text_cells(raws[c]) for c in names}
    check = _Checker({"tax_year": columns["tax_year"],
                      **{c: raws[c] if texts[c] is not None else _blank_as_none(raws[c], c)
                         for c in names}}, limit)
    for c in names:  # text alone (no list, no object): read as the array formulas read it
        if texts[c] is not None:
            check.given_text(c, raws[c])
    given = {c: _stateless_value(check, c, law, texts[c]) for c in names}
    for p in check.problems:  # a cell refused for its value gets no second problem
        if p.row is not None:
            given[p.field][p.row - 1] = False
    for name, matters in given.items():
        def words(i: int, c: str = name) -> str:
            return NEEDS_ITS_STATE.get(c, NEEDS_A_STATE)
        check.add(name, matters, words)
    return check.problems


def _blank_as_none(column: Any, name: str) -> np.ndarray:
    """A state input's cells, a blank (or a list or an object, which the federal check names)
    read as no value: 0 (false) in a flag or an amount column, None in the others (a county
    and an age take a blank as none).  (A column of text alone is read by
    :func:`_stateless_text`, the whole column at once.)"""
    raw = one_value_cells(one_per_row(column))[0]
    if name == "maryland_county" or name in UNKNOWN_AGES or raw.dtype.kind in "biuf":
        return raw  # (a column of numbers or flags holds no blank: a null is None, an object)
    return _blanks_as_zero(raw)


def _blanks_as_zero(raw: np.ndarray) -> np.ndarray:
    """The cells, each blank (None, or text of whitespace) as 0: no value in a flag or an
    amount, one cell at a time (Python's idea of whitespace)."""
    raw = raw.astype(object)
    blank = np.array([v is None or (isinstance(v, str) and not v.strip()) for v in raw], bool)
    raw[blank] = 0
    return raw


#: Whitespace that Python's ``str.strip`` and Arrow's kernels both strip: a cell trimmed of it
#: alone is decided by the array formulas of :func:`_stateless_text`; a cell they cannot
#: decide (another space, a word that is no flag's, text that is no plain number) is read
#: one at a time, as before, so that every verdict and every message stays the same.
_ASCII_SPACE = " \t\n\r\x0b\x0c"
#: A number as Python's ``float`` and Arrow's cast read it alike (ASCII digits, no ``_``).
_PLAIN_NUMBER = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"


def _text_cells(raw: np.ndarray) -> tuple[Any, np.ndarray] | None:
    """A column of text (and blanks) as its distinct values (an Arrow text array, a blank last)
    and each row's place among them; None where a cell holds anything else (a number, a flag,
    a NaN among text), which is read one cell at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if raw.dtype.kind not in "OU":
        return None
    try:
        enc = pc.dictionary_encode(pa.array(raw, type=pa.string()))
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    values = pa.concat_arrays([enc.dictionary, pa.nulls(1, pa.string())])
    return values, pc.fill_null(enc.indices, len(enc.dictionary)).to_numpy(zero_copy_only=False)


def _stateless_value(check: _Checker, name: str, law: Law, text: Any = None) -> np.ndarray:
    """Where the state input ``name`` holds a value that would matter to a state (its problems
    added to ``check``): a flag true, an amount not 0, a county, an age; ``text``: the column
    as text, where it holds text alone (:func:`_text_cells`)."""
    if name == "maryland_county":
        return check.counties(law) >= 0
    if text is not None:
        return _stateless_text(check, name, text)
    if name in UNKNOWN_AGES:  # 0, as blank, says nothing (docs/tax.md)
        ages = check.optional_ages(name)
        return np.isfinite(ages) & (ages != 0)
    if name in ALL_FLAGS:
        return check.flags(name)
    vals = check.numbers(name, _amount_low(name), None, "amount")
    return np.isfinite(vals) & (vals != 0)


#: Every true/false state input.
ALL_FLAGS = FLAGS + OPTIONAL_FLAGS + SPOUSE_FLAGS + UNKNOWN_FLAGS


def _amount_low(name: str) -> float | None:
    """The least a state amount may be: 0, but ``spouse_other_income`` (a loss is income)."""
    return None if name == "spouse_other_income" else 0.0


def _stateless_text(check: _Checker, name: str, text: tuple[Any, np.ndarray]) -> np.ndarray:
    """:func:`_stateless_value` of a column of text, as array formulas (Arrow's string kernels)
    on its distinct values, given to the rows: the same verdicts and words as reading it a cell
    at a time."""
    raw = check.required(name)
    values, at = text
    vals, bad = _text_values(name, values)
    vals, bad = vals[at], bad[at]
    if name in ALL_FLAGS:
        check.add(name, bad, lambda i: shown(raw[i], "is not true/false (1/0)"))
        return vals
    if name in UNKNOWN_AGES:  # a blank is unknown (NaN): 0, as blank, says nothing
        check.age_verdicts(name, raw, vals, bad)
    else:
        check.number_verdicts(name, raw, vals, bad, _amount_low(name), None, "amount")
    return np.isfinite(vals) & (vals != 0)


def _text_values(name: str, values: Any) -> tuple[np.ndarray, np.ndarray]:
    """The state input ``name``'s values (Arrow text: a flag true, a number; NaN an age left
    blank) and those that are not one, trimmed of :data:`_ASCII_SPACE` and judged by array
    formulas; a value they cannot decide is judged as before (:func:`to_bool`,
    :func:`to_float`, :func:`_age_cells`), whose words it keeps."""
    import pyarrow.compute as pc

    text = pc.utf8_trim(values, _ASCII_SPACE)
    given = np.array(values.to_pylist(), dtype=object)  # the distinct values: a few
    blank = np.asarray(pc.fill_null(pc.equal(text, ""), True).to_numpy(zero_copy_only=False), bool)
    if name in ALL_FLAGS:
        words = pc.utf8_lower(text)
        vals = _is_in(words, TRUE_WORDS)
        bad = ~(vals | _is_in(words, FALSE_WORDS) | blank)
        at = np.flatnonzero(bad)  # not a word of ours once trimmed: as before, one by one
        vals[at], bad[at] = to_bool(_blanks_as_zero(given[at]))
        return vals, bad
    plain = pc.fill_null(pc.match_substring_regex(text, _PLAIN_NUMBER), False)
    vals = pc.fill_null(pc.cast(pc.if_else(plain, text, None), "float64"), 0.0)
    vals = np.array(vals.to_numpy(zero_copy_only=False), float)
    at = np.flatnonzero(~blank & ~(np.asarray(plain.to_numpy(zero_copy_only=False), bool)
                                   & np.isfinite(vals)))
    bad = np.zeros(len(vals), bool)
    if name in UNKNOWN_AGES:
        vals[blank] = np.nan
        vals[at], bad[at], _ = _age_cells(given[at])
    else:
        vals[at], bad[at] = to_float(_blanks_as_zero(given[at]))
    return vals, bad


def _is_in(text: Any, words: tuple[str, ...]) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    found = pc.fill_null(pc.is_in(text, value_set=pa.array(words)), False)
    return np.asarray(found.to_numpy(zero_copy_only=False), bool)


def _age_cells(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An optional age's cells one at a time: the value (NaN where blank or not a number), the
    cells that are not a number, and the blank ones (None, whitespace, NaN)."""
    blank = np.array([v is None or (isinstance(v, str) and not v.strip())
                      or (isinstance(v, float) and math.isnan(v)) for v in raw], bool)
    vals, bad = to_float(np.array([0.0 if b else v for b, v in zip(blank, raw, strict=True)],
                                  dtype=object))
    return np.where(blank | bad, np.nan, vals), bad, blank


class _Checker:
    """Column conversions that collect every problem with its field and row."""

    def __init__(self, columns: Mapping[str, Any], limit: int | None):
        self.columns, self.limit = columns, limit
        self.problems: list[FieldProblem] = []
        #: Each column read, and its cells refused as unreadable (a list, an object, not a
        #: number), which get no second problem (:meth:`add`).
        self.read: dict[str, np.ndarray] = {}
        self.unread: dict[str, np.ndarray] = {}
        self.n = len(one_per_row(columns["tax_year"])) if "tax_year" in columns else 0

    def raw(self, name: str) -> np.ndarray | None:
        return self.required(name) if name in self.columns else None

    def required(self, name: str) -> np.ndarray:
        """A column that ``from_columns`` has found present (a pyarrow column's null as None:
        a blank, not the NaN of a cell ``nan``); a cell holding a list or an object is refused
        once, in the words of ``POST /tax`` ("is a list, not one value"), and read as None."""
        if name not in self.read:
            arr, words = one_value_cells(one_per_row(self.columns[name]))
            self.read[name] = arr
            self.unread[name] = np.zeros(len(arr), dtype=bool)
            self.unread[name][list(words)] = True
            self.add(name, self.unread[name], lambda i: words[i], skip=False)
        return self.read[name]

    def given_text(self, name: str, raw: np.ndarray) -> None:
        """The column ``name``, ``raw`` holding text and blanks alone (no list, no object:
        :func:`_text_cells` read it), taken as read, without looking at each cell again."""
        self.read[name] = raw
        self.unread[name] = np.zeros(len(raw), dtype=bool)

    def add(self, name: str, mask: np.ndarray, text, skip: bool = True) -> None:
        """A problem on ``name`` for each row of ``mask``; a cell already refused as
        unreadable (``skip``) gets none."""
        if skip and name in self.unread:
            mask = mask & ~self.unread[name]
        for i in np.flatnonzero(mask)[: self.limit]:
            self.problems.append(FieldProblem(name, text(int(i)), int(i) + 1))

    def states(self) -> np.ndarray:
        raw = self.required("state").astype(object)
        code, bad = state_codes(raw)
        self.add("state", bad, lambda i: shown(raw[i], "is not a US state code (two "
                                               "letters: CA, NY, DC …)"))
        return code

    def counties(self, law: Law) -> np.ndarray:
        """The ``maryland_county`` column as places among the law's counties (-1: blank or
        absent)."""
        raw = self.raw("maryland_county")
        if raw is None:
            return np.full(self.n, -1, dtype=np.int64)
        at, bad = maryland_counties(law, raw)
        self.add("maryland_county", bad, lambda i: shown(raw[i], "is not a Maryland county "
                 f"({', '.join(law.param(COUNTY_RATES).keys)})"))
        return at

    def years(self, law: Law) -> np.ndarray:
        y = self.numbers("tax_year", None, None, "year")
        lo, hi = law.known_years
        bad = (y != np.floor(y)) | (y < lo) | (y > hi)
        self.add("tax_year", bad, lambda i: year_without_law(lo, hi))
        return np.where(bad, lo, y).astype(np.int64)

    def statuses(self) -> np.ndarray:
        raw = self.required("filing_status")
        fs, bad = codes_and_unknown(raw)
        self.add("filing_status", bad, lambda i: not_a_filing_status(raw[i]))
        return fs.astype(np.int8)

    def numbers(self, name: str, low: float | None, high: float | None, kind: str,
                blank_ok: np.ndarray | None = None) -> np.ndarray:
        """A number column (zero where not given, or blank in the rows of ``blank_ok``)."""
        raw = self.raw(name)
        if raw is None:
            return np.zeros(self.n)
        vals, bad = to_float(raw)
        if blank_ok is not None:
            from dist401k.tax.units import blanks

            skipped = bad & blank_ok & blanks(raw)
            vals[skipped], bad = 0.0, bad & ~skipped
        return self.number_verdicts(name, raw, vals, bad, low, high, kind)

    def number_verdicts(self, name: str, raw: np.ndarray, vals: np.ndarray, bad: np.ndarray,
                        low: float | None, high: float | None, kind: str) -> np.ndarray:
        """The problems of a number column read as ``vals``, ``bad`` where not a number (its
        cells ``raw``), and the values."""
        self.add(name, bad, lambda i: shown(raw[i], "is not a number"))
        self.unread[name] = self.unread[name] | bad
        if low is not None:
            self.add(name, ~bad & (vals < low), lambda i: f"is negative ({kind}s "
                     "must be 0 or more)")
        if high is not None:
            self.add(name, ~bad & (vals > high), lambda i: f"is over {high:g}")
        return vals

    def optional_ages(self, name: str) -> np.ndarray:
        """An age column whose blank cells (and absence) are unknown (NaN)."""
        raw = self.raw(name)
        if raw is None:
            return np.full(self.n, np.nan)
        vals, bad, _ = _age_cells(raw)
        return self.age_verdicts(name, raw, vals, bad)

    def age_verdicts(self, name: str, raw: np.ndarray, vals: np.ndarray,
                     bad: np.ndarray) -> np.ndarray:
        """The problems of an optional age read as ``vals`` (NaN where blank or ``bad``, not
        a number; its cells ``raw``), and the values."""
        self.add(name, bad, lambda i: shown(raw[i], "is not a number"))
        self.add(name, ~bad & ((vals < AGE.lo) | (vals > AGE.hi)),
                 lambda i: f"is outside {AGE.lo:g}–{AGE.hi:g}")
        return vals

    def flags(self, name: str, blank_ok: np.ndarray | None = None) -> np.ndarray:
        """A true/false column (false where not given, or blank in the rows of ``blank_ok``)."""
        raw = self.raw(name)
        if raw is None:
            return np.zeros(self.n, dtype=bool)
        vals, bad = to_bool(raw)
        if blank_ok is not None:
            from dist401k.tax.units import blanks

            skipped = bad & blank_ok & blanks(raw)
            vals[skipped], bad = False, bad & ~skipped
        self.add(name, bad, lambda i: shown(raw[i], "is not true/false (1/0)"))
        return vals

    def spouse_parts(self, values: dict) -> None:
        """Each spouse's part given is part of its whole, and only on a joint return."""
        other = (values["federal_agi"] - values["wages"] - values["taxable_distributions"]
                 - values["taxable_social_security"])
        on_joint = values["filing_status"] == MARRIED_JOINT
        for name, whole in SPOUSE_PART_OF.items():
            self._spouse_part(name, values[name], whole,
                              other if whole == "other_income" else values[whole], on_joint)
        self.part_of(values, "spouse_early_distributions", "spouse_distributions")
        self.part_of(values, "spouse_ira_distributions", "spouse_distributions")
        self.part_of(values, "spouse_ira_early_distributions", "spouse_ira_distributions")
        self.part_of(values, "spouse_ira_early_distributions", "spouse_early_distributions")
        self.part_of(values, "spouse_periodic_distributions", "spouse_distributions")
        # The head's IRA part is part of the head's distributions.
        head = values["taxable_distributions"] - values["spouse_distributions"]
        head_ira = values["ira_distributions"] - values["spouse_ira_distributions"]
        self.add("spouse_ira_distributions", head_ira > head + HALF_CENT,
                 lambda i: "leaves the head more ira_distributions than the head's "
                 "taxable_distributions")

    def _spouse_part(self, name: str, a: np.ndarray, whole: str, b: np.ndarray,
                     on_joint: np.ndarray) -> None:
        # (a value that is not a number, or a negative amount, is already named)
        given = np.isfinite(a) & ((a >= 0) | (whole == "other_income"))
        self.add(name, given & ~on_joint & (np.abs(a) > HALF_CENT),
                 lambda i: "is given on a return that is not joint (only a joint return has "
                 "a spouse's part)")
        lo, hi = np.minimum(b, 0.0), np.maximum(b, 0.0)
        self.add(name, given & on_joint & ((a < lo - HALF_CENT) | (a > hi + HALF_CENT)),
                 lambda i: f"is not part of {whole}; the spouse's part is "
                 f"between 0 and {whole}")

    def part_of(self, values: dict, small: str, big: str) -> None:
        a, b = values[small], values[big]
        self.add(small, a > b + HALF_CENT, lambda i: f"exceeds {big}; it is part of {big}")


#: The words of a spouse's flag (:data:`SPOUSE_FLAGS`) given true on a return that is not joint,
#: as a spouse's part's (:meth:`_Checker._spouse_part`); a blank, 0 or false there is no value.
NOT_JOINT_FLAG = ("is given on a return that is not joint (only a joint return has a spouse's "
                  "flag)")


#: The Maryland county rates, whose keys are the counties ``maryland_county`` names.
COUNTY_RATES = "state.md.local_rates"


def maryland_county_key(value: Any) -> str:
    """A county's name as the law's key: "Prince George's" and "prince georges county" are
    ``prince_georges``, "St. Mary's" ``st_marys``, "Baltimore City" ``baltimore_city``."""
    key = re.sub(r"[^a-z]+", "_", str(value).lower().replace("'", "")).strip("_")
    return key.removesuffix("_county") if key != "baltimore_county" else key


def maryland_county_of(value: Any) -> str | None:
    """A case's or plan's ``maryland_county`` as the law's key (None: not given); a name that
    is no county's is a ValueError naming the counties, never the value given (it may be
    anything typed: reaches CLI and API messages)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    keys = default_law().param(COUNTY_RATES).keys
    key = maryland_county_key(value)
    if key not in keys:
        raise ValueError(f"is not a Maryland county ({', '.join(keys)})")
    return key


def local_tax_problems(states: tuple, new_york_city: bool, yonkers: bool,
                       maryland_county: str | None) -> list[tuple[str, str]]:
    """What is wrong with a case's or plan's local tax inputs (field, why) given the states it
    lives in (``states``: the state and the move's): New York City and Yonkers are in New York,
    and not one another; a Maryland county is in Maryland."""
    bad = []
    if new_york_city and "NY" not in states:
        bad.append(("new_york_city", "needs New York as the state (or the move's)"))
    if yonkers and "NY" not in states:
        bad.append(("yonkers", "needs New York as the state (or the move's)"))
    if yonkers and new_york_city:
        bad.append(("yonkers", "Yonkers is not in New York City: give one of the two"))
    if maryland_county and "MD" not in states:
        bad.append(("maryland_county", "needs Maryland as the state (or the move's)"))
    return bad


#: A case's or plan's Maryland county: the law's key of the name given (None: not given).
MarylandCounty = Annotated[str | None, BeforeValidator(maryland_county_of)]


def maryland_county_places(law: Law, names) -> np.ndarray:
    """Each county key's place among the law's counties (-1 for "" or None)."""
    return maryland_counties(law, np.asarray(names, dtype=object))[0]


def maryland_counties(law: Law, raw) -> tuple[np.ndarray, np.ndarray]:
    """Each value's place among the law's Maryland counties (-1 where blank) and a mask of
    those that name none: a column of text judged once per distinct value (Arrow's dictionary
    of it), another one value at a time."""
    import pyarrow as pa
    import pyarrow.compute as pc

    raw = np.asarray(raw, dtype=object) if not isinstance(raw, np.ndarray) else raw
    try:
        text = pa.array(raw, type=pa.string()) if raw.dtype.kind in "OU" else None
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        text = None
    if text is None:
        return _county_places(law, raw)
    enc = pc.dictionary_encode(text)
    at, bad = _county_places(law, np.asarray(enc.dictionary.to_pylist() + [None], dtype=object))
    idx = pc.fill_null(enc.indices, len(enc.dictionary)).to_numpy(zero_copy_only=False)
    return at[idx], bad[idx]


def _county_places(law: Law, raw) -> tuple[np.ndarray, np.ndarray]:
    """:func:`maryland_counties`, one value at a time."""
    keys = law.param(COUNTY_RATES).keys
    at = np.full(len(raw), -1, dtype=np.int64)
    bad = np.zeros(len(raw), dtype=bool)
    for i, v in enumerate(raw):
        if v is None or (isinstance(v, float) and math.isnan(v)) or str(v).strip() == "":
            continue
        key = maryland_county_key(v)
        if key in keys:
            at[i] = keys.index(key)
        else:
            bad[i] = True
    return at, bad


def state_codes(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value as a USPS code in capitals (blanks around it dropped) and a mask of those
    that are not a state's or DC's code ("" there): as array operations on the column's text
    (Arrow's string kernels), the values one by one only where the column mixes text with
    other types."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(raw, type=pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers or flags among the text
        text = pa.array([v if isinstance(v, str) else None for v in raw], type=pa.string())
    at = pc.index_in(pc.utf8_upper(pc.utf8_trim_whitespace(text)),
                     value_set=pa.array(STATE_CODES))
    at = pc.fill_null(at, -1).to_numpy(zero_copy_only=False)
    return _CODES_OR_BLANK[at + 1], at < 0


_CODES_OR_BLANK = np.array(("",) + STATE_CODES, dtype="<U2")
