"""The case: a person, their plan's provisions, their account by money source, IRAs outside
the plan, and an optional request — one model for the CLI, the API and batch files.

A case is written once (YAML or JSON) and validated here; ``dist401k schema`` prints its JSON
Schema.  Each field is declared once, here: its type, default, help and bounds (the input
bounds of :mod:`dist401k.bounds`); flat batch columns read theirs from it
(:func:`declared_field`).  Every date goes through :func:`dist401k.dates.parse_date`; no number
may be NaN or infinite.  A plan provision the law forbids for some money only is applied where
lawful by the in-service route, which closes the rest with the rule; a provision no answer can
be given for is an error on that field with the rule.  Rules never read this model directly:
:mod:`dist401k.batch` flattens cases into arrays.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from dist401k.bounds import (
    AGE,
    MAX_HORIZONS,
    MAX_ID_LENGTH,
    MAX_MISSED_YEARS,
    MAX_ROTH_CONVERSIONS,
    MAX_SURRENDER_YEARS,
    MONEY,
    Bound,
    age,
    children,
    count,
    money,
    period,
    within,
    year,
)
from dist401k.dates import parse_date
from dist401k.did_you_mean import did_you_mean
from dist401k.errors import (
    NOT_A_NUMBER,
    NUMBERS_IN_TEXT,
    TOO_LARGE,
    FieldProblem,
    FieldProblems,
    InputError,
    Refused,
    not_a_number,
    problem_text,
    problems_from_validation,
    year_without_law,
)
from dist401k.ira_contribution_limit import contribution_limit, over_limit, over_limit_words
from dist401k.law.filing_status import FilingStatusName
from dist401k.money import dollars_text
from dist401k.numerals import reads_as_number, written_in_digits
from dist401k.sources import AFTER_TAX, ALWAYS_VESTED, ROTH, SOURCES, SourceName, vesting_rule
from dist401k.sources import INDEX as SOURCE_INDEX
from dist401k.tax.state.units import STATE_CODES, MarylandCounty, StateCode, local_tax_problems
from dist401k.tax.units import FALSE_WORDS, SPOUSE_ITEMIZES_SEPARATE_ONLY, TRUE_WORDS, total_with_parts
from dist401k.withholding_elections import ELECTION_NEEDS_STATE, ELECTION_NO_TAX, election_refused

# The names a case gives, each set declared once as a Literal (the model's type, read by the
# type checker) and as a tuple of names in that order; a set a rule compares in a batch's
# integer arrays has an IntEnum as well, member k for name k (tests/test_codes.py).
PlanTypeName = Literal["401k", "403b_annuity", "403b7", "governmental_457b", "profit_sharing",
                       "money_purchase"]
PLAN_TYPES: tuple[PlanTypeName, ...] = typing.get_args(PlanTypeName)
PurposeName = Literal["none", "medical", "tuition", "home_purchase", "eviction", "funeral",
                      "casualty", "disaster", "emergency", "domestic_abuse", "birth_adoption",
                      "long_term_care"]
PURPOSES: tuple[PurposeName, ...] = typing.get_args(PurposeName)
DestinationChoice = Literal["all", "cash", "traditional_ira", "roth_ira", "other_plan",
                            "split_2014_54", "indirect_60day"]
DESTINATION_CHOICES: tuple[DestinationChoice, ...] = typing.get_args(DestinationChoice)
NetOfName = Literal["withholding", "all_tax"]
#: Form W-4P's Step 1(c) boxes (married filing separately checks the single box; a qualifying
#: surviving spouse the joint one).
W4pStatusName = Literal["single", "married_joint", "head_of_household"]
W4P_STATUSES: tuple[W4pStatusName, ...] = typing.get_args(W4pStatusName)
NET_OF: tuple[NetOfName, ...] = typing.get_args(NetOfName)


class Destination(IntEnum):
    """The code of a requested destination in a batch's array (``DESTINATION_CHOICES``)."""

    ALL = 0
    CASH = 1
    TRADITIONAL_IRA = 2
    ROTH_IRA = 3
    OTHER_PLAN = 4
    SPLIT_2014_54 = 5
    INDIRECT_60DAY = 6


class NetOf(IntEnum):
    """What a net amount is net of, as ``CaseBatch.net_of`` codes it (NET_OF)."""

    WITHHOLDING = 0
    ALL_TAX = 1


class PlanType(IntEnum):
    """A plan type as ``CaseBatch.plan_type`` codes it (PLAN_TYPES)."""

    PLAN_401K = 0
    PLAN_403B_ANNUITY = 1
    PLAN_403B7 = 2
    GOVERNMENTAL_457B = 3
    PROFIT_SHARING = 4
    MONEY_PURCHASE = 5


#: The plan types whose lump-sum distribution can carry net unrealized appreciation in employer
#: securities: a trust forming part of a §401(a) plan (or a §403(a) annuity plan, which dist401k
#: does not model).  A 403(b) (§403(b)(7) account or annuity) or a governmental 457(b) never
#: qualifies (IRC §402(e)(4)(B), (D)(i)).
NUA_PLAN_TYPES = (PlanType.PLAN_401K, PlanType.PROFIT_SHARING, PlanType.MONEY_PURCHASE)
#: The plan types under §401(a) (the same three): their accounts become nonforfeitable on the
#: plan's termination (IRC §411(d)(3)).
SECTION_401A_PLANS = NUA_PLAN_TYPES

#: The plan types of §402(c)(8)(B)(iii), (iv), (vi) — a §401(a) trust, a §403(a) annuity plan,
#: a 403(b) — from which a firefighter's distribution takes the public safety exception
#: whoever the employer (§72(t)(10)(A)); not a 457(b).
FIREFIGHTER_PLAN_TYPES = (PlanType.PLAN_401K, PlanType.PLAN_403B_ANNUITY, PlanType.PLAN_403B7,
                          PlanType.PROFIT_SHARING, PlanType.MONEY_PURCHASE)


class Purpose(IntEnum):
    """A request's purpose as ``CaseBatch.purpose`` codes it (PURPOSES)."""

    NONE = 0
    MEDICAL = 1
    TUITION = 2
    HOME_PURCHASE = 3
    EVICTION = 4
    FUNERAL = 5
    CASUALTY = 6
    DISASTER = 7
    EMERGENCY = 8
    DOMESTIC_ABUSE = 9
    BIRTH_ADOPTION = 10
    LONG_TERM_CARE = 11


# Every date of the case goes through the one parser (YYYY-MM-DD, a day that exists).
Date = Annotated[dt.date, BeforeValidator(parse_date)]


class Model(BaseModel):
    """A part of a case (or of a plan file): no number may be NaN or infinite (YAML .inf, JSON
    1e400, Infinity, NaN), true or false, or an integer beyond a float (:func:`numbers_checked`)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, allow_inf_nan=False)

    @model_validator(mode="before")
    @classmethod
    def _numbers_only(cls, data: Any) -> Any:
        return numbers_checked(cls, data)


_FLOAT_MAX = sys.float_info.max
_BOOLEAN = Refused(NOT_A_NUMBER)
_BEYOND_FLOAT = Refused(TOO_LARGE)


def numbers_checked(model: type[BaseModel], data: Any) -> Any:
    """``data`` (the mapping given for ``model``) with each value of a number field, or item of
    a list of numbers, that is true or false (which pydantic would take for 1 and 0: a YAML
    ``wages: true``, a JSON ``"vested": true``) or an integer beyond a float replaced by a
    :class:`~dist401k.errors.Refused`: the field's own check then fails there, naming it, in
    the words every door uses ("is not a number", as for a CSV cell ``true``).  Booleans stay
    booleans in boolean fields.  One look at the keys given, once a mapping."""
    if not isinstance(data, dict):
        return data
    kinds = _number_fields(model)
    texts = _text_fields(model)
    out = None
    for key in (kinds.keys() | texts.keys()) & data.keys():
        value = data[key]
        checked = _text_read(texts.get(key), value)
        if key in kinds:
            checked = _numbers_in_list(checked) if kinds[key] else _number_only(checked)
        if checked is not value:
            out = dict(data) if out is None else out
            out[key] = checked
    return data if out is None else out


def _text_read(kind: str | None, value: Any) -> Any:
    """A text given for a true/false or a number field, read by the rule of every door (a batch
    cell, a ``tax`` column: :func:`dist401k.tax.units.to_bool`, :func:`~dist401k.tax.units.to_float`):
    a true/false field takes :data:`~dist401k.tax.units.TRUE_WORDS`/``FALSE_WORDS`` in any
    case, spaces around them ignored (``"1.0"``, as a spreadsheet writes 1, is true); a number
    written with ``_`` (``1_000``, which Python alone reads) or with anything but ASCII
    (``١٢٣``, ``１２３``: :func:`dist401k.numerals.written_in_digits`) is no number, refused here
    (a field's check would call ``"٢.٥"`` not whole rather than no number); a number has the
    spaces around it that Python strips taken off (:func:`dist401k.numerals.number_text`: the
    separators U+001C-U+001F too, which pydantic would keep and refuse); a whole-number field
    takes any number written as text (``"1e1"``, ``"3."``), and its own check says whether it
    is whole.  Any other text is left to the field's check."""
    if not isinstance(value, str) or kind is None:
        return value
    text = value.strip()
    if kind == "bool":
        word = text.lower()
        return True if word in TRUE_WORDS else False if word in FALSE_WORDS else value
    if not written_in_digits(text):
        return Refused(not_a_number(value))
    if kind == "whole" and _NUMBER_TEXT.fullmatch(text) and not _WHOLE_TEXT.fullmatch(text):
        return float(text)
    return text if reads_as_number(text) else value  # "\x1c1000": 1000, as a batch cell


#: A number written as text, as every door reads one (digits, a point, an exponent), and one
#: written as a whole number (which the model's whole-number fields read themselves).
_NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)
_WHOLE_TEXT = re.compile(r"[+-]?\d+", re.ASCII)


def _number_only(value: Any) -> Any:
    if isinstance(value, bool):
        return _BOOLEAN
    if type(value) is int and not -_FLOAT_MAX <= value <= _FLOAT_MAX:
        return _BEYOND_FLOAT
    return value


def _numbers_in_list(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    checked = [_number_only(v) for v in value]
    return value if all(c is v for c, v in zip(checked, value, strict=True)) else checked


@functools.cache
def _number_fields(model: type[BaseModel]) -> dict[str, bool]:
    """The keys (names and aliases) of ``model``'s number fields: False for a number, True for
    a list of numbers."""
    return _keys_of(model, _number_kind)


@functools.cache
def _text_fields(model: type[BaseModel]) -> dict[str, str]:
    """The keys (names and aliases) of ``model``'s fields that read a text given for them
    (:func:`_text_read`): ``bool``, ``whole`` (an int) or ``number``."""
    return _keys_of(model, _text_kind)


def _text_kind(annotation: Any) -> str | None:
    members = _union_members(annotation)
    if Any in members:
        return None
    if bool in members:
        return "bool"
    if int in members and float not in members:
        return "whole"
    return "number" if float in members else None


def _keys_of(model: type[BaseModel], kind_of: Callable[[Any], Any]) -> dict[str, Any]:
    """The keys (names and aliases) of ``model``'s fields whose ``kind_of(annotation)`` is not
    None, each with it."""
    out = {}
    for name, info in model.model_fields.items():
        kind = kind_of(info.annotation)
        if kind is None:
            continue
        alias = info.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else [alias, info.alias]
        out.update({k: kind for k in (name, *choices) if isinstance(k, str)})
    return out


def _number_kind(annotation: Any) -> bool | None:
    """False where the annotation is a number (an int or a float, maybe None or a word), True
    where a list of numbers, None otherwise (a boolean field included)."""
    members = _union_members(annotation)
    if bool in members or Any in members:
        return None
    if int in members or float in members:
        return False
    for m in members:
        if typing.get_origin(m) in (list, tuple) and any(
                i in (int, float) for a in typing.get_args(m) for i in _union_members(a)):
            return True
    return None


def _union_members(annotation: Any) -> list[Any]:
    """The members of a union (Optional included), each without its Annotated metadata."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _union_members(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return [m for a in typing.get_args(annotation) for m in _union_members(a)]
    return [annotation]


#: How every door reads a state code, said in the published schema beside its choices: a
#: client that sends "ny" gets NY, as a case file, a batch row and ``POST /tax`` do.
ANY_CASE = ("in any case: \"ny\" is read as NY (the answer gives NY); surrounding spaces are "
            "ignored")


def _state_code_of(value: Any) -> Any:
    """Two letters of a state or DC, in either case (one message, not the 51 choices): every
    door reads a state this way (:data:`ANY_CASE`)."""
    if value is None:
        return None
    code = value.strip().upper() if isinstance(value, str) else None
    if code not in STATE_CODES:
        raise ValueError("is not a US state code (two letters: CA, NY, DC …)")
    return code


class StateMove(Model):
    """A change of the state of residence on a date (a part-year resident): a distribution is
    taxed by the state of residence on the day it is paid — a state may not tax a nonresident's
    retirement income (4 U.S.C. §114), and a state's part-year rules put such income with the
    residence at receipt."""

    date: Date = Field(description="First day of residence in the new state.")
    state: StateCode = Field(description=f"The new state of residence (USPS code, {ANY_CASE}).")

    @field_validator("state", mode="before")
    @classmethod
    def _state_code(cls, value: Any) -> Any:
        return _state_code_of(value)


#: The words of ``lived_apart`` on another filing status, the same through every door
#: (dist401k.flat).
LIVED_APART_SEPARATE_ONLY = ("applies only to married_separate: living apart from the spouse "
                             "all year changes a separate filer's §86 base amounts (IRC "
                             "§86(c)(1)(C)(ii))")
#: The words of ``spouse_blind`` on a return other than a joint one, the same through every
#: door (dist401k.flat): the spouse's §63(f) amounts count on a separate return only for a
#: spouse with no gross income who is not another's dependent (§63(f)(1)(B), (f)(2)(B),
#: §151(b)) — not modelled; single, head of household and a surviving spouse have no spouse
#: on the return.
SPOUSE_BLIND_JOINT_ONLY = ("applies only to married_joint: the spouse's additional standard "
                           "deduction for blindness counts on a joint return (IRC §63(f)(2)(B)); "
                           "on a separate return only for a spouse with no gross income who is "
                           "not another's dependent (§151(b)), which dist401k does not model")


class ParentReturn(Model):
    """The figures of a child's parent that Form 8615 takes: the tax of a child reached by
    IRC §1(g) is figured at the parent's rate on the child's net unearned income."""

    taxable_income: float = money(..., description="The parent's taxable income (Form 8615 "
                                  "line 6), taken as ordinary income.")
    filing_status: FilingStatusName = Field(description="The parent's filing status (Form 8615 "
                                            "line 9).")
    other_children_net_unearned_income: float = money(
        0, description="The net unearned income of the parent's other children under §1(g) "
        "(Form 8615 line 7).")



#: The words of the checks of an inherited account and an alternate payee, the same through
#: every door (dist401k.flat).
BORN_AFTER_DEATH = "the beneficiary was born after the date of death"
ROTH_MADE_OWN = ("Roth money a surviving spouse made their own is their own Roth IRA, taxed by its "
                 "ordering rules with that Roth IRA's contributions and years: not modelled as an "
                 "inherited account (give it in iras.roth, or assess it with spouse_election: "
                 "beneficiary)")
HEIR_OR_PAYEE = ("give either beneficiary (an inherited account) or alternate_payee (a QDRO), "
                 "not both")
DEPENDENT_NO_ROLLOVER = ("a child or other dependent alternate payee cannot roll over a QDRO "
                         "payment: only a spouse or former spouse may (IRC §402(e)(1)(B)); ask for "
                         "cash")
PARTICIPANT_IS_PERSON = ("a child's or dependent's person is the participant: give the "
                         "participant's birth date as person.birth_date and leave this out")

#: The words of ``person.parent`` on a joint return, the same through every door.
PARENT_NOT_ON_JOINT = ("a child who files a joint return is not taxed at the parent's rate "
                       "(IRC §1(g)(2)(C)): leave the parent's figures out")


class Person(Model):
    birth_date: Date = Field(description="Date of birth; ages and 59½ are computed from it.")
    filing_status: FilingStatusName = Field(
        "single", description="Federal filing status for the year of the request.")
    spouse_birth_date: Date | None = Field(
        None, description="Spouse's birth date (joint return; RMD joint table). Absent on a "
        "joint return: the spouse is taken as under 65 — no additional standard deduction "
        "(§63(f)) and no senior deduction (§151(d)(5)(C)) for the spouse, and a note says so; "
        "giving it may lower the tax.")
    lived_apart: bool = Field(
        False, description="Married filing separately only: lived apart from the spouse at all "
        "times during the year, so Social Security is taxed with the base amounts of a single "
        "filer instead of zero (IRC §86(c)(1)(C)(ii), (c)(2)(C); Pub. 915). Absent: taken as "
        "having lived together at some time in the year, and a note says so where Social "
        "Security is given.")
    blind: bool = Field(
        False, description="Blind at the end of the year (or at death): the additional standard "
        "deduction of IRC §63(f)(2)(A) (law data `income_tax.additional_standard_deduction`, "
        "by year and filing status), on top of the one for age 65 (§63(f)(1)).")
    spouse_blind: bool = Field(
        False, description="Married filing jointly only: the spouse is blind, so the spouse's "
        "additional amount counts too (IRC §63(f)(2)(B)). On a separate return the spouse's "
        "amounts count only where the spouse has no gross income and is not another's "
        "dependent (§63(f)(1)(B), (f)(2)(B), §151(b)): not modelled, so refused there.")
    spouse_itemizes: bool = Field(
        False, description="Married filing separately only: the spouse itemizes deductions on "
        "a separate return, so this return's standard deduction, basic and additional amounts, "
        "is zero and it itemizes (`income.itemized_deductions`, possibly 0) (IRC "
        "§63(c)(6)(A); Form 1040, \"Spouse itemizes on a separate return\").")
    spouse_sole_beneficiary: bool = Field(
        False, description="The spouse is the sole beneficiary all year (RMD joint table).")
    disabled: bool = Field(False, description="Totally and permanently disabled (§72(m)(7)).")
    terminally_ill: bool = Field(
        False, description="A physician certified death expected within 84 months (§72(t)(2)(L)).")
    five_percent_owner: bool = Field(False, description="5% owner of the employer (§416(i)), "
                                     "counting what a spouse, children, grandchildren and "
                                     "parents own (§416(i)(1)(B)(iii), §318(a)(1)); one who is "
                                     "a 5% owner in the plan year ending in the year of the "
                                     "applicable age stays one (§401(a)(9)(C)(ii)(I)); "
                                     "no still-working RMD delay, but in a governmental plan "
                                     "(§401(a)(9)(C)(iv)) or a 403(b), which have no 5% owner "
                                     "rule (Treas. Reg. §1.403(b)-6(e)(3)).")
    qualified_public_safety: bool = Field(
        False, description="Qualified public safety employee of a governmental plan "
        "(§72(t)(10)(B), as amended by SECURE 2.0 §330): an employee of a State or local "
        "government who provides police protection, firefighting services or emergency medical "
        "services, or serves as a corrections officer or as a forensic security employee caring "
        "for forensic patients; or a federal law enforcement officer, customs and border "
        "protection officer, firefighter, air traffic controller, nuclear materials courier, "
        "member of the Capitol Police or Supreme Court Police, or another federal employee the "
        "statute lists. Leaving the employer in or after the year of 50, or after 25 years of "
        "service under the plan, then frees this plan's payments of the 10% tax "
        "(§72(t)(10)(A)).")
    firefighter: bool = Field(
        False, description="Provides firefighting services, for any employer: the public "
        "safety exception (leaving in or after the year of 50, or after 25 years of service "
        "under the plan) reaches a §401(a) plan or 403(b) too, private employers' included "
        "(§72(t)(10)(A), SECURE 2.0 §308).")
    state: StateCode | None = Field(
        None, description="State of residence for the tax year (USPS code: CA, NY, DC …, "
        f"{ANY_CASE}); absent: no state income tax is figured. With `state_move`: the state "
        "before the move.")
    state_move: StateMove | None = Field(
        None, description="A move to another state (`date`, `state`): a payment on or after "
        "the date is taxed by the new state, one before it by `state` (4 U.S.C. §114).")
    new_york_city: bool = Field(
        False, description="Lives in New York City while the state of residence is New York: "
        "the city's personal income tax is added to the state's (NY Tax Law §1304).")
    yonkers: bool = Field(
        False, description="Lives in the City of Yonkers while the state of residence is New "
        "York: the city's resident income tax surcharge on the net state tax is added (NY Tax "
        "Law §1321).")

    dependent: bool = Field(
        False, description="Another taxpayer (a parent) may claim this person as a dependent: "
        "the basic standard deduction is limited to the greater of the §63(c)(5)(A) amount "
        "and earned income (wages) plus the (B) amount (IRC §63(c)(5)), and where the age "
        "brings the person under §1(g) without `parent`, the tax shown is a lower bound and a "
        "note says so.")
    full_time_student: bool = Field(
        False, description="A full-time student: §1(g) reaches a student under 24 whose earned "
        "income is not more than half of the student's support (§1(g)(2)(A)(ii)).")
    earned_over_half_support: bool = Field(
        False, description="Earned income more than half of the person's own support: §1(g) "
        "then reaches only a child under 18.")
    parent: ParentReturn | None = Field(
        None, description="For a child under 18 (or 18, or a full-time student under 24, "
        "without earned income over half of support) with a parent alive at the end of the "
        "year: the parent's taxable income and filing status (and the other children's net "
        "unearned income). The child's unearned income — an inherited account's payments "
        "included — above twice the §63(c)(5)(A) amount is then taxed at the parent's rate "
        "where that is more (IRC §1(g), Form 8615).")
    maryland_county: MarylandCounty = Field(
        None, description="The Maryland county (or Baltimore City) of residence while the state "
        "of residence is Maryland, by name (Montgomery, Prince George's, Baltimore City …): its "
        "county income tax on Maryland taxable income is added (Md. Code, Tax-General "
        "§10-106). Absent: the state's tax alone.")

    @field_validator("state", mode="before")
    @classmethod
    def _state_code(cls, value: Any) -> Any:
        return _state_code_of(value)

    @model_validator(mode="after")
    def _lived_apart_separate_only(self) -> "Person":
        """Living apart all year changes only a separate filer's §86 base amounts."""
        if self.lived_apart and self.filing_status != "married_separate":
            raise PlanProblems([("person.lived_apart", LIVED_APART_SEPARATE_ONLY)])
        if self.spouse_itemizes and self.filing_status != "married_separate":
            raise PlanProblems([("person.spouse_itemizes", SPOUSE_ITEMIZES_SEPARATE_ONLY)])
        if self.spouse_blind and self.filing_status != "married_joint":
            raise PlanProblems([("person.spouse_blind", SPOUSE_BLIND_JOINT_ONLY)])
        if self.parent is not None and self.filing_status == "married_joint":
            raise PlanProblems([("person.parent", PARENT_NOT_ON_JOINT)])
        return self

    def state_on(self, day: dt.date) -> str | None:
        """The state of residence on ``day`` (the move's from its date on)."""
        if self.state_move is not None and day >= self.state_move.date:
            return self.state_move.state
        return self.state


class Employment(Model):
    status: Literal["active", "separated"] = Field(
        "active", description="Still working for the plan's sponsor, or separated from it.")
    hire_date: Date | None = Field(None, description="Start of employment with the sponsor.")
    participation_date: Date | None = Field(
        None, description="Start of plan participation (five years of participation: Rev. Rul. "
        "68-24); defaults to the hire date.")
    separation_date: Date | None = Field(
        None, description="Date of severance, if separated: required with status separated, "
        "never after the request date; with status active (the default) refused, as the two "
        "contradict each other.")
    years_of_service: float | None = Field(
        None, ge=0, le=80, description="Years of service under the plan (public safety 25-year "
        "rule); defaults to the time since hire.")


class Income(Model):
    """The rest of the year's tax picture (the tax engine's columns)."""

    wages: float = money()
    taxable_interest: float = money()
    tax_exempt_interest: float = money()
    ordinary_dividends: float = money()
    qualified_dividends: float = money()
    long_term_gains: float = money()
    other_distributions: float = money(0, description="Other taxable pension/IRA income.")
    social_security: float = money()
    other_income: float = money()
    itemized_deductions: float = money(
        0, description="The Schedule A total, each line after its own limits (the SALT cap, the "
        "7.5% medical floor, from 2026 the 0.5% charity floor) and before the §68 limitation, "
        "which dist401k applies. It is held the same on the return without the request and on "
        "the return with it, though the request raises AGI, so those limits are not refigured: "
        "give its parts instead (state_local_taxes, itemized_charity, other_itemized, "
        "medical_expenses) to have them figured at each return's AGI; not with them. All of it "
        "is allowed for the AMT.")
    state_local_taxes: float = money(
        0, description="State and local income (or general sales) taxes and real and personal "
        "property taxes paid in the year (Schedule A lines 5a-5c), before the SALT cap: deducted "
        "up to the cap at each return's MAGI (IRC §164(b)(6), (7)); the AMT adds them back "
        "(§56(b)(1)(A)(ii)). Not with itemized_deductions.")
    itemized_charity: float = money(
        0, description="Gifts to charity deducted by one who itemizes (Schedule A lines 11-13), "
        "before the floor: from 2026 only the part above 0.5% of AGI is deducted (IRC "
        "§170(b)(1)(I)); the 60%/30% AGI ceilings are not applied. Not with itemized_deductions.")
    other_itemized: float = money(
        0, description="The other itemized deductions (mortgage interest, casualty losses and "
        "the rest of Schedule A), as allowed on their lines. Not with itemized_deductions.")
    charitable_cash: float = money(
        0, description="Gifts in cash to public charities in the year: from 2026 a return that "
        "does not itemize deducts up to $1,000 ($2,000 joint) of them (IRC §170(p)); the tax "
        "engine's column of the same name.")
    medical_expenses: float = money(
        0, description="Unreimbursed medical expenses of the year (§213), before the floor: "
        "the part above 7.5% of AGI gives the §72(t)(2)(B) exception, and is an itemized "
        "deduction (§213(a)), alone or with the other parts of Schedule A, where itemizing beats "
        "the standard deduction; with itemized_deductions it is taken as already in that total.")

    @model_validator(mode="after")
    def _qualified_within_ordinary(self) -> "Income":
        if self.qualified_dividends > self.ordinary_dividends:
            raise ValueError("qualified_dividends cannot exceed ordinary_dividends")
        return self

    @model_validator(mode="after")
    def _total_or_parts(self) -> "Income":
        """The Schedule A total is held whatever the AGI; its parts are limited at each
        return's AGI (§164(b)(7), §170(b)(1)(I)): a case gives one or the other.  Medical
        expenses serve the §72(t)(2)(B) exception too, so they may come with the total."""
        if self.itemized_deductions > 0:
            for part in ITEMIZED_PARTS_OF_CASE:
                if getattr(self, part) > 0:
                    raise PlanProblems([("income.itemized_deductions",
                                         total_with_parts(f"income.{part}",
                                                          ITEMIZED_PARTS_OF_CASE))])
        return self


#: The parts of Schedule A refused beside ``income.itemized_deductions`` (medical expenses,
#: which also serve the §72(t)(2)(B) exception, are taken as inside the total).
ITEMIZED_PARTS_OF_CASE = ("state_local_taxes", "itemized_charity", "other_itemized")


class SourceRule(Model):
    """When the plan pays this money source while the participant still works."""

    allowed: bool = Field(False, description="The plan permits in-service withdrawals of it.")
    min_age: float | None = age(None, description="Earliest age the plan allows.")
    seasoning_years: float | None = period(
        None, description="Employer money only: paid only once contributed this many years "
        "(a period shorter than the law's gives way to it: Rev. Rul. 71-295).")
    participation_years: float | None = period(
        None, description="Employer money only: all of it paid after this many years of "
        "participation (a period shorter than the law's gives way to it: Rev. Rul. 68-24).")


def _deferrals() -> list[SourceName]:
    """The sources a plan's hardship withdrawals draw on unless it says otherwise."""
    return ["elective_deferral", "roth_deferral"]


class Hardship(Model):
    allowed: bool = False
    self_certification: bool = Field(True, description="Relies on the employee's written "
                                     "certification (SECURE 2.0 §312).")
    sources: list[SourceName] = Field(
        default_factory=_deferrals, max_length=len(SOURCES),
        description="Money sources hardship may draw on.")


class Loans(Model):
    allowed: bool = False
    max_count: int = Field(1, ge=0, le=50, description="Loans outstanding at once.")
    lends_to_floor: bool = Field(
        False, validation_alias=AliasChoices("lends_to_floor", "floor_10000"),
        description="Lends up to the §72(p)(2)(A)(ii) floor (the law's loans.floor) even above "
        "half the vested balance, with other security.  Formerly floor_10000, still accepted "
        "for one release.")
    interest_rate: float = Field(0.085, ge=0, le=0.5, description="Yearly rate, e.g. prime + 1%.")
    residence_term_years: int = Field(15, ge=5, le=30, description="Term for a principal "
                                      "residence loan.")
    payments_per_year: Literal[12, 26, 52, 4] = 12
    cure_days: int | None = count(
        None, description="The plan's cure period for a missed loan payment, in "
        "days after the payment was due; never past the end of the calendar quarter after the "
        "quarter it was due (Treas. Reg. §1.72(p)-1, Q&A-10(a)).  Absent: to that quarter's "
        "end, the latest the regulation allows; 0: no cure period.")


class Secure2(Model):
    """Optional SECURE 2.0 withdrawals the plan adopted."""

    emergency_expense: bool = False
    domestic_abuse: bool = False
    birth_adoption: bool = False
    disaster: bool = False
    long_term_care: bool = False


class Plan(Model):
    type: PlanTypeName = Field(description="Plan type.")
    governmental: bool = Field(False, description="Sponsored by a governmental employer "
                               "(§414(d)); always true for a governmental 457(b), which only a "
                               "State or local government may maintain (§457(e)(1)(A)), so "
                               "false is read as true for one. A tax-exempt employer's 457(b) "
                               "is not covered.")
    in_service: dict[SourceName, SourceRule] = Field(
        default_factory=dict, description="In-service rules per money source.")
    withdrawals_per_year: int | None = count(None, description="In-service withdrawals "
                                             "allowed per year.")
    minimum_withdrawal: float = money()
    hardship: Hardship = Field(default_factory=Hardship)
    loans: Loans = Field(default_factory=Loans)
    secure2: Secure2 = Field(default_factory=Secure2)
    accepts_rollins: bool = Field(False, description="Accepts rollovers in (roll an IRA back).")
    spousal_consent: bool = Field(False, description="Subject to the QJSA rules: a married "
                                  "participant's distributions and loans need spousal consent.")
    small_account_cash_out: bool = Field(
        False, description="A governmental 457(b) provides the in-service cash-out of a small "
        "account (§457(e)(9)(A); Treas. Reg. §1.457-6(e)): optional for the plan, so, as for "
        "hardship and loans, not provided unless the plan says so.")
    still_working_exception: bool = Field(True, description="Delays RMDs while the participant "
                                          "works (§401(a)(9)(C)).")
    disability_distributions: bool = Field(True, description="Pays on disability.")
    terminated: bool = Field(False, description="The plan is being terminated: a loan still "
                             "owed is offset against the account (a qualified plan loan "
                             "offset, IRC §402(c)(3)(C)).")
    alternative_dc_plan: bool = Field(
        False, description="The employer maintains another defined contribution plan that bars the "
        "payout on the plan's termination: for a 401(k), an alternative defined contribution plan "
        "(not an ESOP, SEP, SIMPLE IRA, 403(b) or 457 plan, nor one that covers fewer than 2% of "
        "the employees eligible under the 401(k)) from the termination to 12 months after the last "
        "payment (Treas. Reg. §1.401(k)-1(d)(4)(i)); for a 403(b), contributions to another "
        "403(b) contract (Treas. Reg. §1.403(b)-10(a)(1)). The deferrals then stay in the plan.")
    retirement_age: float | None = age(
        None, description="The plan's earliest retirement age (early or normal retirement): a "
        "distribution after separation from this age has met the plan's conditions for "
        "retirement, which Pennsylvania and Mississippi exempt; default 59½.")

    @model_validator(mode="after")
    def _lawful(self) -> "Plan":
        """A provision the law forbids for some money (in-service withdrawals before 59½ of
        deferral-type money, a seasoning or participation period shorter than the law's) is
        not refused here: the in-service route applies it where it is lawful and closes the
        rest with the rule (IRC §401(k)(2)(B), §401(a)(36), Rev. Rul. 71-295, 68-24).  Only a
        plan no answer can be given for is refused."""
        if self.type == "governmental_457b" and not self.governmental:
            self.governmental = True
        # A money purchase plan is always subject to §417 (§401(a)(11)(B)(ii)).
        if self.secure2.domestic_abuse and (self.spousal_consent
                                            or self.type == "money_purchase"):
            raise PlanProblems([("plan.secure2.domestic_abuse",
                                 "domestic abuse distributions are for plans not subject to the "
                                 "spousal-consent rules (IRC §401(a)(11)/§417; §72(t)(2)(K))")])
        return self


class PlanProblems(FieldProblems):
    """The case's own checks, each naming its field (see :class:`dist401k.errors.FieldProblems`)."""


def _roth_year_schema(schema: dict[str, Any]) -> None:
    """The published minimum of a Roth year (``iras.roth_first_year``, a conversion's ``year``,
    ``account.sources.*.first_year``): the lowest floor their checks read, the law's first year
    of Roth IRAs (:func:`roth_first_year_floor`, IRC §408A: 1998 on), not a year before any Roth
    money; a plan's designated Roth money is checked against its own later floor (§402A: 2006
    on).  Looked up when the schema is built, as :func:`_emergency_year_schema`."""
    floor, _ = roth_first_year_floor(roth_ira=True)
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "integer":
            branch["minimum"] = floor


class InPlanRothRollover(Model):
    """An in-plan Roth rollover (IRC §402A(c)(4)) into this designated Roth money in one year:
    its taxable amount still in the account."""

    year: int = year(..., description="The year of the in-plan Roth rollover: its 5-taxable-"
                     "year recapture period starts on January 1 of it (Notice 2010-84, Q&A-12); not "
                     "before in-plan Roth rollovers began (the first year of the law file "
                     "roth.in_plan_rollover_recapture_years) nor after the request's year.")
    amount: float = money(..., description="The taxable amount rolled over that year (included "
                          "in income then), less what earlier distributions were allocated of "
                          "it; it is part of the contributions (investment in the contract).")


class SourceBalance(Model):
    balance: float = money(0, description="Account balance of this source: the money in it, "
                           "NOT counting loans outstanding (what can be paid out); the loan "
                           "receivable is account.loans.outstanding.")
    vested: float = Field(1.0, ge=0, le=1, description="Vested fraction (0–1).")
    seasoned: float | None = money(None, description="Part contributed at least two "
                                   "years ago (employer money); defaults to all of it.")
    basis: float = money(0, description="After-tax money: contributions not yet recovered "
                         "(investment in the contract, §72(e)(8)); more than the balance "
                         "after a loss (every payment then tax-free).")
    pre_1987_basis: float = money(0, description="After-tax money only: the part of the basis "
                                  "that is the investment in the contract as of December 31, "
                                  "1986, less what distributions after 1986 recovered of it (at "
                                  "most the basis). Giving it states that the plan, on May 5, "
                                  "1986, permitted the withdrawal of employee contributions "
                                  "before separation from service: a payment from this money is "
                                  "then tax-free up to it first, and only the rest is taxed pro "
                                  "rata, on the basis left over the balance left (IRC "
                                  "§72(e)(8)(D)). 0: none, or the plan did not permit it then.")
    contributions: float = money(0, description="Roth money: contributions (the "
                                 "non-taxable part of a non-qualified distribution); more "
                                 "than the balance after a loss.")
    first_year: int | None = year(None, description="Roth money: first year "
                                  "of a Roth contribution to this plan (5-year rule); not "
                                  "before designated Roth contributions began (IRC §402A; an "
                                  "inherited Roth IRA's: before Roth IRAs, §408A).",
                                  json_schema_extra=_roth_year_schema)
    in_plan_roth_rollovers: list[InPlanRothRollover] | None = Field(
        None, max_length=MAX_ROTH_CONVERSIONS,
        description="Roth money: the in-plan Roth rollovers into it by year (year, amount), "
        "[] for none; absent: not known, and Form 1099-R box 10 is left blank "
        "(not_figured). A distribution within 5 taxable years of one owes the 10% tax on the "
        "part allocable to it (IRC §402A(c)(4)(D), §408A(d)(3)(F)).")

    @model_validator(mode="after")
    def _parts(self) -> "SourceBalance":
        # The basis and the Roth contributions may exceed the balance: after a market loss the
        # investment in the contract is more than the account is worth, and every payment is
        # then tax-free (§72(e)(8): payment × basis / balance, at most the payment).
        if self.seasoned is not None and self.seasoned > self.balance + 0.005:
            raise ValueError("seasoned cannot exceed balance")
        return self


class LoanState(Model):
    outstanding: float = money(0, description="Loan balances outstanding now: the plan's loan "
                               "receivable, not counted in account.sources.*.balance. With the "
                               "vested balance it is the accrued benefit of the new-loan "
                               "maximum (§72(p)(2)(A)); at severance it is offset against the "
                               "account beside the balance paid (route loan_offset). Loans of "
                               "the employer's other plans (§72(p)(2)(D)) are not modelled.")
    highest_last_12_months: float = money(0, description="Highest outstanding balance in "
                                          "the 12 months before today.")
    count: int = count(0)
    residence: bool | None = Field(
        None, description="The new loan buys a principal residence (IRC §72(p)(2)(B)(ii)): "
        "the plan's residence term instead of five years. Not given: a request whose purpose "
        "is home_purchase is taken as one; false keeps five years.")
    missed_payment_date: Date | None = Field(
        None, description="The due date of a loan payment missed and not made up since: the "
        "loan is a deemed distribution at the end of the cure period (IRC §72(p)(1); Treas. "
        "Reg. §1.72(p)-1, Q&A-4, Q&A-10).")
    accrued_interest: float | None = money(
        None, description="Interest accrued and unpaid on the loans outstanding at the end of "
        "the cure period (or at the offset), as the plan's books show; absent: figured at the "
        "plan's rate, simple, from the missed payment's due date (the offset: none).")

    @model_validator(mode="after")
    def _highest(self) -> "LoanState":
        if self.highest_last_12_months < self.outstanding:
            self.highest_last_12_months = self.outstanding
        return self


#: What every door says of employer stock worth more than the account that holds it.
STOCK_WITHIN_VESTED = ("is more than the vested balance of account.sources (the shares are held "
                       "in it): give the value of the vested shares")


#: What every door says of employer stock given without its value or without its cost: the
#: lump sum's tax now is the shares' cost to the plan and the NUA their value over it (IRC
#: §402(e)(4)(B); Treas. Reg. §1.402(a)-1(b)(2)); neither is guessed.
STOCK_BASIS_REQUIRED = ("required where account.employer_stock.value is given: the plan's cost "
                        "basis of the shares (the plan or its statement gives it)")
STOCK_VALUE_REQUIRED = ("required where account.employer_stock.cost_basis is given: the value "
                        "of the vested employer shares the account holds")


class EmployerStock(Model):
    value: float = money(description="Value of the employer securities the account holds: "
                         "part of the vested balance of its money sources (only vested shares "
                         "are paid out), so not more than it; required with cost_basis.")
    cost_basis: float = money(0, description="The plan's cost basis of the shares; required "
                              "where value is given (not guessed).")

    @model_validator(mode="after")
    def _value_and_cost(self) -> "EmployerStock":
        """Stock is given with both its value and its cost to the plan, or not at all: the
        cost is what the lump sum taxes now (IRC §402(e)(4)(B)) — a missing one is refused,
        naming it, not taken as 0."""
        given = self.model_fields_set
        if "value" in given and "cost_basis" not in given and self.value > 0:
            raise PlanProblems([("account.employer_stock.cost_basis", STOCK_BASIS_REQUIRED)])
        if "cost_basis" in given and "value" not in given:
            raise PlanProblems([("account.employer_stock.value", STOCK_VALUE_REQUIRED)])
        return self


def _emergency_year_schema(schema: dict[str, Any]) -> None:
    """The published minimum of ``account.last_emergency_year``: the floor its check reads, the
    law's first year of emergency personal expense distributions (:func:`emergency_year_floor`,
    IRC §72(t)(2)(I): 2024 on), not the 1900 of any year; looked up when the schema is built."""
    floor, _ = emergency_year_floor()
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "integer":
            branch["minimum"] = floor


class Account(Model):
    as_of: Date | None = Field(None, description="Date of the balances (default: request "
                                  "date).")
    sources: dict[SourceName, SourceBalance] = Field(
        description="Balances by money source.")
    prior_year_end_balance: float | None = money(
        None, description="Balance on December 31 of last year, without Roth money (RMD); "
        "defaults to today's non-Roth balance.")
    loans: LoanState = Field(default_factory=LoanState)
    withdrawals_this_year: int = count(0, description="In-service withdrawals already "
                                       "taken this year.")
    distributed_this_year: float = money(0, description="Amount already distributed "
                                         "this year that counts toward the RMD. Leave out what "
                                         "does not: corrective distributions of excess "
                                         "deferrals, excess contributions and excess aggregate "
                                         "contributions (§402(g)(2), §401(k)(8), §401(m)(6)) "
                                         "and elective deferrals returned under §415, loans "
                                         "deemed distributed (§72(p)), §404(k) dividends and "
                                         "the cost of life insurance (Treas. Reg. "
                                         "§1.401(a)(9)-5, Q&A-9, 2002 rules).")
    last_year_rmd_unpaid: float = money(0, description="Last year's RMD not yet taken: the "
                                        "first, which may wait until April 1 of this year, or a "
                                        "missed one (RMD; what is paid this year counts toward "
                                        "it first).")
    last_emergency_year: int | None = year(None, description="Year of the last emergency "
                                            "personal expense distribution.",
                                            json_schema_extra=_emergency_year_schema)
    emergency_unrepaid: float = money(0, description="Part of it not repaid.")
    emergency_contributions_since: float = money(
        0, description="Elective deferrals and employee contributions made to the plan (an IRA: "
        "contributions to it) since the last emergency personal expense distribution: at least "
        "the part not repaid lifts the 3-year bar (IRC §72(t)(2)(I)(vii)).")
    prior_event_distributions: float = money(
        0, description="Already treated, from all plans and IRAs, as distributions of the "
        "exception the request's purpose names: for the same child or children (birth or "
        "adoption), the same disaster, or any domestic abuse victim distribution (the limit is "
        "on their aggregate, IRC §72(t)(2)(K)(ii)).")
    employer_stock: EmployerStock = Field(default_factory=EmployerStock)
    deferrals_last_two_years: bool = Field(True, description="Deferred into the plan in the last "
                                           "2 years (457(b) de minimis test).")
    prior_small_account_cash_out: bool = Field(
        False, description="The plan already paid the participant a small-account cash-out "
        "(§457(e)(9)(A)): it may be paid once only (§457(e)(9)(A)(ii)(II)).")
    state_taxed_contributions: float = money(
        0, description="Contributions to the plan the state of residence already taxed and not "
        "yet recovered, beyond the federal basis (account.sources.*.basis): Pennsylvania's "
        "elective deferrals, which it does not exclude when made. An early payment recovers "
        "them first (cost recovery, PA-40 instructions line 5; 61 Pa. Code §101.6(c)(8)); "
        "another state's own recovery rule is not modelled (docs/state.md).")

    @model_validator(mode="after")
    def _stock_held(self) -> "Account":
        """The employer stock is held in the account: its value is part of the sources' vested
        balance (the money in them; the loan receivable, account.loans.outstanding, holds no
        shares), and the lump sum pays the vested balance only (IRC §402(e)(4)(D)(i): the
        balance to the credit of the employee)."""
        vested = sum(s.balance * s.vested for s in self.sources.values())
        if self.employer_stock.value > vested + 0.005:
            raise PlanProblems([("account.employer_stock.value", STOCK_WITHIN_VESTED)])
        return self


class Assumptions(Model):
    """What the comparison assumes about the future (shown with every comparison)."""

    growth: float = Field(0.05, ge=-0.5, le=0.5, description="Yearly return before expenses.")
    plan_expense: float = Field(0.005, ge=0, le=0.1, description="The plan's yearly fund "
                                "expenses and fees.")
    ira_expense: float = Field(0.001, ge=0, le=0.1, description="An IRA's yearly expenses.")
    product_expense: float = Field(0.0, ge=0, le=0.1, description="A product the money would be "
                                   "rolled into (e.g. an annuity): yearly expenses.")
    product_growth: float | None = Field(None, ge=-0.5, le=0.5, description="Its yearly "
                                         "crediting rate (default: growth).")
    surrender_schedule: list[Annotated[float, Field(ge=0, le=1)]] = Field(
        default_factory=list, max_length=MAX_SURRENDER_YEARS, description="The product's "
                                            "surrender charge by contract year, e.g. "
                                            "[0.15, 0.135, …] (empty: no product option).")
    later_tax_rate: float | None = Field(None, ge=0, le=0.6, description="Tax rate on pre-tax "
                                         "money when withdrawn later (default: today's federal "
                                         "rate on the first dollar withdrawn; an heir whose "
                                         "account must be empty by a deadline: the average "
                                         "federal rate on paying it out in level yearly "
                                         "payments by then).")
    horizon_ages: list[Annotated[float, within(AGE)]] = Field(
        default_factory=lambda: [65.0], min_length=1, max_length=MAX_HORIZONS,
        description="Ages at which to value each option.")
    retirement_age: float | None = Field(None, ge=40, le=90, description="Also value at this "
                                         "age.")
    leave_job_in_years: float | None = Field(None, ge=0, le=30, description="If you may leave "
                                             "the job this soon, a loan still owed is offset.")


class RothConversion(Model):
    """A conversion to a Roth IRA, or a rollover from a plan's pre-tax money to one, in one
    year: what of it is still in the Roth IRAs, and the part of that which was taxable."""

    year: int = year(..., description="The year of the conversion or rollover; not "
                     "before Roth IRAs began (IRC §408A, law roth.ira_first_year).",
                     json_schema_extra=_roth_year_schema)
    amount: float = money(..., description="The amount converted or rolled over, less what "
                          "earlier Roth IRA distributions took of it (ordering rules).")
    taxable_amount: float = money(0, description="The part of amount that was taxable when "
                                  "converted (Form 8606 line 18 of that year, less what earlier "
                                  "distributions took of it): recaptured by the 10% tax if "
                                  "taken within 5 years (IRC §408A(d)(3)(F)).")

    @model_validator(mode="after")
    def _taxable_within(self) -> "RothConversion":
        if self.taxable_amount > self.amount + 0.005:
            raise ValueError("taxable_amount cannot exceed amount")
        return self


class Iras(Model):
    traditional: float = money(0, description="Traditional, SEP and SIMPLE IRA balances.")
    traditional_basis: float = money(0, description="Nondeductible basis (Form 8606 "
                                     "line 14).")
    roth: float = money(0, description="Roth IRA balances (all Roth IRAs are one for the "
                        "ordering rules).")
    roth_first_year: int | None = year(
        None, json_schema_extra=_roth_year_schema, description="The first year for which a "
        "contribution (a conversion included) was made to any Roth IRA: the 5-year period of a "
        "qualified distribution starts with it (IRC §408A(d)(2)(B)); not before Roth IRAs began "
        "(§408A, law roth.ira_first_year); default: the first conversion's year.")
    roth_contributions: float = money(0, description="Basis in regular Roth IRA "
                                      "contributions: those made less those already taken out "
                                      "(Form 8606 line 22); they come out first, free of tax "
                                      "and of the 10% tax.")
    roth_conversions: list[RothConversion] = Field(
        default_factory=list, max_length=MAX_ROTH_CONVERSIONS,
        description="Conversions and rollovers from plans to a Roth IRA by year (year, amount, "
        "taxable_amount): they come out after the contributions, oldest first (IRC "
        "§408A(d)(4)(B)); the rest of the Roth IRA is earnings.")
    first_home_prior: float = money(0, description="Earlier first-time homebuyer distributions "
                                    "from IRAs: the lifetime limit counts them (IRC "
                                    "§72(t)(8)(B)).")
    backdoor_roth_planned: float = money(0, description="A nondeductible IRA contribution "
                                         "to be converted to Roth this year (backdoor Roth).")


SeriesName = Literal["none", "life", "joint_life", "period"]
SERIES: tuple[SeriesName, ...] = typing.get_args(SeriesName)
CorrectiveName = Literal["none", "excess_deferral", "excess_contribution",
                         "excess_aggregate_contribution", "excess_annual_addition",
                         "permissible_withdrawal"]
CORRECTIVES: tuple[CorrectiveName, ...] = typing.get_args(CorrectiveName)
#: Why each corrective distribution is refused: the rule, and what an ordinary distribution's
#: answer would get wrong (no §72(t) tax; not an eligible rollover distribution: Treas. Reg.
#: §1.402(c)-2, Q&A-4, pre-2025 numbering; Form 1099-R code 8, P or E).
CORRECTIVE_PROBLEM = {
    "excess_deferral": "a corrective distribution of excess deferrals (IRC §402(g)(2)) is not "
    "modelled: no §72(t) tax (§402(g)(2)(C)), not an eligible rollover distribution (Treas. Reg. "
    "§1.402(c)-2, Q&A-4), Form 1099-R code 8 or P",
    "excess_contribution": "a corrective distribution of excess contributions (ADP, IRC "
    "§401(k)(8)) is not modelled: no §72(t) tax (§401(k)(8)(D)), not an eligible rollover "
    "distribution (Treas. Reg. §1.402(c)-2, Q&A-4), Form 1099-R code 8 or P",
    "excess_aggregate_contribution": "a corrective distribution of excess aggregate "
    "contributions (ACP, IRC §401(m)(6)) is not modelled: no §72(t) tax (§401(m)(7)(A)), not an "
    "eligible rollover distribution (Treas. Reg. §1.402(c)-2, Q&A-4), Form 1099-R code 8 or P",
    "excess_annual_addition": "a return of excess annual additions (IRC §415; EPCRS) is not "
    "modelled: not an eligible rollover distribution (Treas. Reg. §1.402(c)-2, Q&A-4), Form "
    "1099-R code E",
    "permissible_withdrawal": "a permissible withdrawal from an eligible automatic contribution "
    "arrangement (IRC §414(w)) is not modelled: no §72(t) tax (§414(w)(1)(B))",
}


#: The hint after the purposes listed, for a purpose none of the law's (a car): the words of
#: every door (dist401k.flat).
PURPOSE_OTHER = "for anything else (a car, a trip, debts) the purpose is none"


def purpose_problem(value: str) -> str:
    """The one line of a purpose that is not one of the law's: the choices, the nearest one
    where it looks misspelled, and that ``none`` is the purpose of anything else."""
    return f"is not one of {', '.join(PURPOSES)}{did_you_mean(value, PURPOSES)}; {PURPOSE_OTHER}"


class Request(Model):
    date: Date = Field(description="The day of the request: ages, 59½ and deadlines count "
                          "from it; its year is the tax year.")
    amount: Annotated[float, money(...)] | Literal["max"] = Field(
        "max", description="Gross amount, or 'max'.")
    purpose: PurposeName = Field("none", description="What the money is for, where a rule "
                                 "or exception turns on it; none for anything else (a car, a "
                                 "trip, debts).")
    need: float | None = money(None, description="The financial need (hardship): the gross "
                               "adds the taxes on it.")
    event_date: Date | None = Field(None, description="The day of the birth or adoption, of "
                                    "the abuse, or, for a disaster, the first day of the "
                                    "incident period (its window opens then, IRC "
                                    "§72(t)(11)(A)(i)); without disaster_declaration_date it is "
                                    "also the applicable date the 180 days count from.")
    event_children: int = children(1, description="Children born or adopted in the event "
                                   "(twins: 2): the birth or adoption limit is per child (IRC "
                                   "§72(t)(2)(H)(ii); Notice 2020-68).")
    disaster_declared: bool = Field(False, description="Federally declared disaster, main home "
                                    "in the area, economic loss.")
    disaster_declaration_date: Date | None = Field(
        None, description="The date of the disaster declaration: the window ends before 180 "
        "days after the later of it and event_date (the applicable date, IRC §72(t)(11)(A)(i), "
        "(D)). It may be after the request date: a payment after the incident began and before "
        "the declaration qualifies once declared, claimed on the return (Form 8915-F).")
    long_term_care_premiums: float = money()
    destination: DestinationChoice = "all"
    withholding_rate: float | None = Field(None, ge=0, le=1, description="Form W-4R rate "
                                           "elected (0 to 1): for a payment that is not an "
                                           "eligible rollover distribution (default 10%); for "
                                           "one paid in cash only above 20% (§3405(c)).")
    payee_tin_furnished: bool = Field(True, description="The payee furnished a correct TIN "
                                      "to the payer (false: none furnished, or the IRS told "
                                      "the payer it is incorrect): otherwise no W-4R election "
                                      "below the 10% default is in effect (IRC §3405(e)(12)).")
    delivered_outside_us: bool = Field(False, description="The payment is to be delivered "
                                       "outside the United States and its possessions (Treas. "
                                       "Reg. §31.3405(e)-1): no W-4R election below the 10% "
                                       "default may be made for it (IRC §3405(e)(13)); the "
                                       "nonresident alien's certification is not modelled.")
    w4p_filing_status: W4pStatusName | None = Field(
        None, description="Form W-4P, Step 1(c), for a payment in a periodic series (request."
        "series; not an eligible rollover distribution): single (or married filing separately), "
        "married_joint (or qualifying surviving spouse), head_of_household. Given, the payment "
        "is withheld as wages by it and Steps 2 to 4 (IRC §3405(a); Pub. 15-T, Worksheet 1A); "
        "not given, as single with no adjustments (§3405(a)(4)). Refused for any other payment "
        "(its election is withholding_rate, Form W-4R).")
    w4p_step2: bool = Field(False, description="Form W-4P, Step 2(c): the box checked (income "
                            "from a job or another pension): Pub. 15-T's Step 2 tables, no "
                            "Worksheet 1A line 1g amount.")
    w4p_credits: float = money(0, description="Form W-4P, Step 3: the credits claimed (USD a "
                               "year), taken off the withholding.")
    w4p_other_income: float = money(0, description="Form W-4P, Step 4(a): other income (USD a "
                                    "year) withheld on as if paid with the pension.")
    w4p_deductions: float = money(0, description="Form W-4P, Step 4(b): deductions beyond the "
                                  "standard deduction (USD a year).")
    w4p_extra: float = money(0, description="Form W-4P, Step 4(c): extra withholding (USD each "
                             "payment).")
    w4p_no_withholding: bool = Field(False, description="Form W-4P: the payee elects to have no "
                                     "federal income tax withheld (IRC §3405(a)(2)); no election "
                                     "is in effect without a TIN furnished or for a payment "
                                     "delivered outside the United States (§3405(e)(12), (13)).")
    state_withholding_rate: float | None = Field(
        None, ge=0, le=1, description="The state withholding rate the payee elected (0 to 1) "
        "of the taxable payment, where the state lets the payee choose: it replaces the "
        "state's default; where the state requires its withholding, no less than that is "
        "withheld (docs/state.md, Withholding). Refused for a state that withholds none.")
    net_amount: float | None = money(None, description="The cash wanted in hand, instead of "
                                     "amount: each route's gross is the amount that leaves "
                                     "this much after withholding or after all tax (net_of).")
    net_of: NetOfName = Field("withholding", description="What net_amount is net of: the "
                              "withholding (the check received) or all the year's tax on it "
                              "(income tax, additional tax, state tax).")
    series: SeriesName = Field(
        "none", description="The payment is one of a series of substantially equal periodic "
        "payments (installments, an annuity the plan pays): for the employee's life (life), the "
        "joint lives of the employee and the designated beneficiary (joint_life), or a specified "
        "period (period, with series_years). For life, joint lives or 10 years or more it is no "
        "eligible rollover distribution (IRC §402(c)(4)(A)): paid in cash, no 20% withholding; "
        "amount is one payment of the series (docs/assess.md, Payments in a series).")
    series_years: int | None = Field(None, ge=1, le=100, description="The specified period of "
                                     "a period series, in years.")
    series_payments_per_year: Literal[1, 2, 4, 12] = Field(
        12, description="Payments of the series a year (12: monthly); the Simplified Method's "
        "anticipated payments are adjusted to them (IRC §72(d)(1)(F)).")
    annuity_start_date: Date | None = Field(
        None, description="The annuity starting date of the series (the first day of the first "
        "period for which a payment is received): the Simplified Method reads the ages on it "
        "(IRC §72(d)(1)(B)(iii), (iv)).")
    series_cost: float | None = money(
        None, description="The cost (investment in the contract) at the annuity starting date: "
        "after-tax contributions not recovered before it. Given, the taxable part of each "
        "payment is figured by the Simplified Method (IRC §72(d)(1); Pub. 575, Worksheet A) "
        "where it applies: a §401(a) plan or a 403(b), not a governmental 457(b) (§72(d)(1)(G)), "
        "and not an annuitant of 75 with 5 or more guaranteed years (§72(d)(1)(E)).")
    series_cost_recovered: float = money(
        0, description="The part of series_cost already recovered tax free by earlier payments "
        "(Worksheet A, line 6): no more is excluded than the rest (IRC §72(b)(2)).")
    series_beneficiary_birth_date: Date | None = Field(
        None, description="The designated beneficiary's birth date, for a joint_life series "
        "(default: person.spouse_birth_date): the combined ages of IRC §72(d)(1)(B)(iv).")
    series_guaranteed_years: float | None = Field(
        None, ge=0, le=100, description="The years of guaranteed payments of a life or "
        "joint_life series (a period certain's years; a guaranteed amount: the years of payments "
        "it equals, ignoring increases; 0: none). Where the annuitant had attained 75 on the "
        "annuity starting date the Simplified Method applies only with fewer than 5 (IRC "
        "§72(d)(1)(E)); not given, its figure is not given. A period series' payments are all "
        "guaranteed: its series_years.")
    corrective: CorrectiveName = Field(
        "none", description="The payment is a corrective distribution or a permissible "
        "withdrawal: excess_deferral (§402(g)(2)), excess_contribution (ADP, §401(k)(8)), "
        "excess_aggregate_contribution (ACP, §401(m)(6)), excess_annual_addition (§415, "
        "returned under EPCRS), permissible_withdrawal (§414(w)). Not modelled: refused with the "
        "rule, rather than answered as an ordinary distribution (docs/assess.md).")

    @model_validator(mode="after")
    def _one_amount(self) -> "Request":
        """A gross amount or a net amount, not both."""
        if self.net_amount is not None and self.amount != "max":
            raise PlanProblems([("request.net_amount", "give either amount or net_amount, "
                                 "not both")])
        return self

    @field_validator("purpose", mode="before")
    @classmethod
    def _purpose_known(cls, value: Any) -> Any:
        """A purpose none of the law's: the choices, and ``none`` for anything else."""
        if isinstance(value, str) and value not in PURPOSES:
            raise ValueError(purpose_problem(value))
        return value

    @field_validator("amount", mode="before")
    @classmethod
    def _amount(cls, value: Any) -> Any:
        """'max', or an amount read as every other amount is (numeric text too: "5000",
        YAML's ``1e4``) and checked in its words — one message, not one per member of the
        union."""
        if isinstance(value, str) and value == "max":
            return value
        try:
            return _AMOUNT.validate_python(value)
        except ValidationError as exc:
            problem = problem_text(exc.errors()[0])
            raise ValueError(f"{problem} (or 'max')" if problem == NOT_A_NUMBER else problem
                             ) from None


#: A request's amount when it is not 'max': a money field like every other.
_AMOUNT = TypeAdapter(Annotated[float, money(...)], config=ConfigDict(allow_inf_nan=False))


RelationshipName = Literal["spouse", "child", "individual", "non_designated"]
RELATIONSHIPS: tuple[RelationshipName, ...] = typing.get_args(RelationshipName)
SpouseElectionName = Literal["beneficiary", "employee", "own"]
SPOUSE_ELECTIONS: tuple[SpouseElectionName, ...] = typing.get_args(SpouseElectionName)
InheritedAccount = Literal["plan", "ira"]
INHERITED_ACCOUNTS: tuple[InheritedAccount, ...] = typing.get_args(InheritedAccount)


class Relationship(IntEnum):
    """A beneficiary's relationship as ``CaseBatch.relationship`` codes it (RELATIONSHIPS)."""

    SPOUSE = 0
    CHILD = 1
    INDIVIDUAL = 2
    NON_DESIGNATED = 3


class SpouseElection(IntEnum):
    """A surviving spouse's election as ``CaseBatch.spouse_election`` codes it
    (SPOUSE_ELECTIONS)."""

    BENEFICIARY = 0
    EMPLOYEE = 1
    OWN = 2


class MissedRmd(Model):
    year: int = Field(ge=1987, le=2100, description="The year whose RMD was missed.")
    shortfall: float = Field(gt=0, le=MONEY.hi, description="Required amount not distributed that year.")
    corrected: bool = Field(False, description="Made up by a corrective distribution within "
                            "the correction window (IRC §4974(e)): not owed again, the lower "
                            "excise rate; leave that distribution out of distributed_this_year.")


class Beneficiary(Model):
    """An inherited account: ``person`` is the beneficiary, ``account`` the inherited account
    (IRC §401(a)(9)(B), (E), (H); Treas. Reg. §1.401(a)(9)-3 to -5)."""

    deceased_birth_date: Date = Field(description="The employee's (account owner's) birth date.")
    date_of_death: Date = Field(description="The employee's date of death.")
    relationship: RelationshipName = Field(
        description="spouse; child (of the employee); individual (any other person); "
        "non_designated (estate, charity, trust that is not a see-through trust).")
    account: InheritedAccount = Field(
        "plan", description="plan (401(k), 403(b), governmental 457(b): the plan section "
        "applies) or ira (traditional or Roth IRA).")
    roth: bool = Field(False, description="A Roth IRA (no required beginning date). For a plan "
                       "account the money sources decide (designated Roth money only: no required "
                       "beginning date from 2024); the flag is accepted there but not needed.")
    required_beginning_date: Date | None = Field(
        None, description="The employee's required beginning date, if not the one the "
        "applicable age gives (a plan participant still working: April 1 after retiring).")
    sole_beneficiary: bool = Field(True, description="The only beneficiary of the account.")
    disabled: bool = Field(False, description="Disabled at the employee's death (§72(m)(7)); "
                           "a minor child who is stays an eligible designated beneficiary after 21.")
    chronically_ill: bool = Field(False, description="Chronically ill at the employee's death "
                                  "(§7702B(c)(2)).")
    spouse_election: SpouseElectionName = Field(
        "beneficiary", description="Spouse: beneficiary (stay the beneficiary), employee (the "
        "§401(a)(9)(B)(iv) election to be treated as the employee), own (treat as own IRA / "
        "spousal rollover).")
    elected_ten_year: bool = Field(False, description="An eligible designated beneficiary of an "
                                   "employee who died before the required beginning date chose "
                                   "the 10-year rule.")
    prior_year_end_balance: float | None = money(
        None, description="Balance of the inherited account on December 31 of last year "
        "(default: today's balance).")
    distributed_this_year: float = money(0, description="Already distributed this year.")
    missed: list[MissedRmd] = Field(default_factory=list, max_length=MAX_MISSED_YEARS,
                                    description="RMDs missed in earlier "
                                    "years (excise tax, §4974).")

    @model_validator(mode="after")
    def _consistent(self) -> "Beneficiary":
        problems = []
        if self.date_of_death < self.deceased_birth_date:
            problems.append(("beneficiary.date_of_death", "is before deceased_birth_date"))
        elif self.date_of_death.year - self.deceased_birth_date.year > AGE.hi:
            problems.append(("beneficiary.deceased_birth_date", "gives an age over 120 at "
                             "date_of_death"))
        if self.required_beginning_date is not None and self.account == "ira":
            problems.append(("beneficiary.required_beginning_date", "an IRA has no "
                             "still-working exception (IRC §401(a)(9)(C)(ii)(II))"))
        if self.relationship != "spouse" and self.spouse_election != "beneficiary":
            problems.append(("beneficiary.spouse_election", "only a surviving spouse may make it "
                             "(IRC §401(a)(9)(B)(iv); §402(c)(9); §408(d)(3)(C))"))
        if self.relationship == "non_designated" and (self.disabled or self.chronically_ill
                                                      or self.elected_ten_year):
            problems.append(("beneficiary.relationship", "a non-designated beneficiary cannot be "
                             "an eligible designated beneficiary or elect the 10-year rule"))
        if problems:
            raise PlanProblems(problems)
        return self


SeppAccount = Literal["plan", "ira"]
SEPP_ACCOUNTS: tuple[SeppAccount, ...] = typing.get_args(SeppAccount)
SeppTableName = Literal["single", "uniform", "joint"]
SEPP_TABLES: tuple[SeppTableName, ...] = typing.get_args(SeppTableName)


class SeppTable(IntEnum):
    """A 72(t) series' life expectancy table as its arrays code it (SEPP_TABLES)."""

    SINGLE = 0
    UNIFORM = 1
    JOINT = 2


#: A federal mid-term rate (§1274(d)) as a fraction: the check of each of a series' rates and
#: its published schema read these bounds (an input sanity bound, not law).
MIDTERM_RATE = Bound(0, 0.25, "")


class Sepp(Model):
    """A series of substantially equal periodic payments (IRC §72(t)(2)(A)(iv); Notice 2022-6)
    from the plan account or the traditional IRAs: priced by the three methods side by side."""

    first_payment_date: Date = Field(description="Date of the first payment of the series.")
    account: SeppAccount = Field(
        "plan", description="plan (this plan's account: payments must begin after separation "
        "from service, §72(t)(3)(B)) or ira (the traditional IRA balance in iras).")
    balance: float | None = Field(None, gt=0, le=MONEY.hi, description="Account balance the series is set on "
                                  "(default: the vested plan balance, or iras.traditional).")
    interest_rate: float | None = Field(None, ge=0, le=0.25, description="Rate for the fixed "
                                        "amortization and annuitization methods, a fraction "
                                        "(default: the ceiling).")
    federal_midterm_rates: list[float] = Field(
        min_length=1, max_length=2, description="The federal mid-term rate (§1274(d)) for the two "
        "months before the month of the first payment, as fractions (e.g. [0.0398, 0.0402]); the "
        "ceiling is the greater of 5% and 120% of either.",
        json_schema_extra={"items": {"type": "number", "minimum": MIDTERM_RATE.lo,
                                     "maximum": MIDTERM_RATE.hi}})
    table: SeppTableName = Field(
        "single", description="Life expectancy table: single, uniform or joint (joint and last "
        "survivor with beneficiary_birth_date).")
    beneficiary_birth_date: Date | None = Field(None, description="Designated beneficiary's "
                                                   "birth date (joint table).")
    assumed_return: float | None = Field(None, ge=-0.5, le=0.5, description="Yearly return on "
                                         "the account (default: assumptions.growth).")
    switch_to_rmd_year: int | None = Field(None, ge=1987, le=2100, description="Year of the "
                                           "one-time switch from a fixed method to the RMD "
                                           "method (Rev. Rul. 2002-62 §2.03(b)).")
    modification_date: Date | None = Field(None, description="Price breaking the series on "
                                              "this date (§72(t)(4) recapture).")

    @model_validator(mode="after")
    def _consistent(self) -> "Sepp":
        problems = []
        for k, r in enumerate(self.federal_midterm_rates):
            if not MIDTERM_RATE.lo <= r <= MIDTERM_RATE.hi:
                problems.append((f"sepp.federal_midterm_rates.{k}", f"must be a fraction between "
                                 f"{MIDTERM_RATE.lo:g} and {MIDTERM_RATE.hi:g} (e.g. 0.04 for 4%)"))
        if self.table == "joint" and self.beneficiary_birth_date is None:
            problems.append(("sepp.beneficiary_birth_date", "is required with the joint table"))
        if self.beneficiary_birth_date and self.beneficiary_birth_date > self.first_payment_date:
            problems.append(("sepp.beneficiary_birth_date", "is after first_payment_date"))
        elif self.beneficiary_birth_date and \
                self.first_payment_date.year - self.beneficiary_birth_date.year > AGE.hi:
            problems.append(("sepp.beneficiary_birth_date", "gives an age over 120 at "
                             "first_payment_date"))
        if self.modification_date and self.modification_date <= self.first_payment_date:
            problems.append(("sepp.modification_date", "must be after first_payment_date"))
        if self.switch_to_rmd_year and self.switch_to_rmd_year <= self.first_payment_date.year:
            problems.append(("sepp.switch_to_rmd_year", "must be after the year of the first "
                             "payment"))
        if problems:
            raise PlanProblems(problems)
        return self


AlternatePayeeRelationship = Literal["spouse", "former_spouse", "child", "dependent"]
ALTERNATE_PAYEE_RELATIONSHIPS: tuple[AlternatePayeeRelationship, ...] = typing.get_args(
    AlternatePayeeRelationship)


class AlternatePayee(Model):
    """A payment to an alternate payee under a qualified domestic relations order (IRC
    §414(p)(1), (8); applied to a 403(b) by §414(p)(9), to a governmental 457(b) by
    §414(p)(11)): ``account`` is the alternate payee's share awarded by the order.  A spouse
    or former spouse is the distributee (§402(e)(1)(A)): ``person`` and ``income`` are theirs,
    and they may roll it over as the employee could (§402(e)(1)(B)).  A payment to a child or
    other dependent is taxed to the participant (§402(e)(1)(A) reaches only a spouse or former
    spouse; Pub. 504): ``person`` and ``income`` are then the participant's, and it cannot be
    rolled over.  No payment under a QDRO owes the 10% additional tax (§72(t)(2)(C))."""

    relationship: AlternatePayeeRelationship = Field(
        description="The alternate payee's relation to the participant: spouse, former_spouse "
        "(the distributee, may roll over), child or dependent (taxed to the participant).")
    payable_now: bool = Field(
        True, description="The plan (or the order) permits payment to the alternate payee now: "
        "most plans pay an alternate payee at once; otherwise not before the participant's "
        "earliest retirement age (IRC §414(p)(4)).")
    participant_birth_date: Date | None = Field(
        None, description="The participant's date of birth, for a spouse or former spouse "
        "alternate payee (a child's or dependent's `person` is the participant): the share's "
        "required minimum distributions follow the participant's required beginning date "
        "(Treas. Reg. §1.401(a)(9)-8 as amended by T.D. 10001; Q&A-6 in the pre-2025 "
        "numbering), and an RMD cannot be rolled over (IRC "
        "§402(c)(4)(B)); a designated Roth payment is qualified only on or after the "
        "participant's 59½, death or disability (Treas. Reg. §1.402A-1, Q&A-2(b)): required "
        "where the share holds Roth money.")


#: The alternate payees who are the distributee and may roll over (IRC §402(e)(1)(A), (B)).
ALTERNATE_PAYEE_SPOUSES = ("spouse", "former_spouse")


#: Why designated Roth money in a spouse's or former spouse's share needs the participant's
#: birth date and each Roth source's first year, and what to give.
ALTERNATE_PAYEE_ROTH = (
    "designated Roth money in a QDRO share: its payment is qualified (tax-free) only after the "
    "participant's 5-taxable-year period and on or after the participant's 59½, death or "
    "disability (Treas. Reg. §1.402A-1, Q&A-2, Q&A-4; IRC §402A(d)(2)) — the participant's, not "
    "yours; give the participant's birth date as alternate_payee.participant_birth_date and the "
    "year of the participant's first Roth contribution to the plan as "
    "account.sources.<roth source>.first_year, or leave the roth_* sources out of "
    "account.sources to assess the rest")


def _roth_share_problems(value: AlternatePayee, data: dict) -> list[tuple[str, str]]:
    """Designated Roth money in a spouse's or former spouse's share: answered where the
    participant's birth date (their 59½, Treas. Reg. §1.402A-1, Q&A-2(b)) and each Roth
    source's first year (the 5-taxable-year period, Q&A-4) are given; refused, naming each
    missing field, where not.  A child's or dependent's ``person`` is the participant: the
    participant's own test applies."""
    account = data.get("account")
    if account is None or value.relationship not in ALTERNATE_PAYEE_SPOUSES:
        return []
    roth = [src for src, sb in account.sources.items()
            if ROTH[SOURCE_INDEX[src]] and sb.balance > 0]
    if not roth:
        return []
    if value.participant_birth_date is None:
        return [("alternate_payee.participant_birth_date", ALTERNATE_PAYEE_ROTH)]
    return [(f"account.sources.{src}.first_year", ALTERNATE_PAYEE_ROTH)
            for src in roth if account.sources[src].first_year is None]


def _law_has_year(year: int) -> bool:
    """Whether dist401k has law for the request's year: a year beyond it is the request date's
    error alone (:func:`with_known_year` names ``request.date``), never an age blamed on a birth
    date ("gives an age over 120" of a request dated 2200)."""
    from dist401k.law.loader import default_law

    lo, hi = default_law().known_years
    return lo <= year <= hi


def other_birth_problems(field: str, born: dt.date | None, day: dt.date) -> list[tuple[str, str]]:
    """A birth date of someone other than the person, checked as ``person.birth_date`` is and in
    its words: not after the request date ``day``, and an age of at most 120 (``AGE.hi``) in the
    request's year (a year without law is the request date's error alone).  A spouse born after
    the request, or aged over 120, is no spouse whose age sets the joint and last survivor divisor
    (the joint and last survivor table of Treas. Reg. §1.401(a)(9)-9(d))."""
    if born is None:
        return []
    if born > day:
        return [(field, "is after the request date")]
    if _law_has_year(day.year) and day.year - born.year > AGE.hi:
        return [(field, "gives an age over 120")]
    return []


def _participant_birth_problems(value: AlternatePayee, data: dict) -> list[tuple[str, str]]:
    """The participant's birth date: a spouse's or former spouse's only (a child's or
    dependent's ``person`` is the participant), not after the request, an age of at most 120."""
    born, field = value.participant_birth_date, "alternate_payee.participant_birth_date"
    if born is None:
        return []
    if value.relationship not in ALTERNATE_PAYEE_SPOUSES:
        return [(field, PARTICIPANT_IS_PERSON)]
    request = data.get("request")
    if request is not None and born > request.date:
        return [(field, "is after the request date")]
    if request is not None and _law_has_year(request.date.year) and \
            request.date.year - born.year > 120:
        return [(field, "gives an age over 120")]
    return []


def _alternate_payee_fits(value: AlternatePayee | None, info: ValidationInfo
                          ) -> AlternatePayee | None:
    """An alternate payee's case against the rest of it: not also an heir's; no rollover asked
    for a child or other dependent (§402(e)(1)(B) gives it to a spouse or former spouse only);
    designated Roth money only with what decides whether its payment is qualified
    (:func:`_roth_share_problems`)."""
    if value is None:
        return value
    data, problems = info.data, []
    if data.get("beneficiary") is not None:
        problems.append(("alternate_payee", HEIR_OR_PAYEE))
    request = data.get("request")
    if request is not None and value.relationship not in ALTERNATE_PAYEE_SPOUSES and \
            request.destination not in ("all", "cash"):
        problems.append(("request.destination", DEPENDENT_NO_ROLLOVER))
    problems += _participant_birth_problems(value, data)
    problems += _roth_share_problems(value, data)
    if problems:
        raise PlanProblems(problems)
    return value


class Case(Model):
    """Everything dist401k needs to say how money can leave the plan, and what it costs."""

    id: str | None = Field(None, max_length=MAX_ID_LENGTH,
                           description="Your reference for the case (a batch's "
                           "`participant_id`): text; a number is refused, as in a batch "
                           "(write `\"000123\"`, quoted: a leading zero would be lost).")
    person: Person
    employment: Employment = Field(default_factory=Employment)
    income: Income = Field(default_factory=Income)
    plan: Plan
    account: Account
    iras: Iras = Field(default_factory=Iras)
    request: Request
    assumptions: Assumptions = Field(default_factory=Assumptions)
    beneficiary: Beneficiary | None = Field(None, description="Set when the account was inherited.")
    sepp: Sepp | None = Field(None, description="A 72(t) series of substantially equal payments.")
    alternate_payee: Annotated[AlternatePayee | None, AfterValidator(_alternate_payee_fits)] = Field(
        None, description="Set when the account is an alternate payee's share under a QDRO.")

    @field_validator("id", mode="before")
    @classmethod
    def _id_is_text(cls, value: Any) -> Any:
        """The case's reference is text in every door: a number is refused in the words a
        batch's numeric ``participant_id`` gets (:data:`~dist401k.errors.NUMBERS_IN_TEXT`),
        never taken as its digits — a YAML ``id: 000123`` has already become 83 (an octal) and
        a JSON 123 may have lost zeros."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(NUMBERS_IN_TEXT)
        return value

    @model_validator(mode="after")
    def _terminated_plan_vests(self) -> "Case":
        """A terminated §401(a) plan's accounts are nonforfeitable (IRC §411(d)(3)): every
        source 100% vested, for every answer read from the case (the batch does the same:
        :func:`dist401k.batch.vested_on_termination`)."""
        if self.plan.terminated and PLAN_TYPES.index(self.plan.type) in SECTION_401A_PLANS:
            for source in self.account.sources.values():
                source.vested = 1.0
        return self

    @model_validator(mode="after")
    def _dates(self) -> "Case":
        problems = []
        day = self.request.date
        if self.person.birth_date > day:
            problems.append(("person.birth_date", "is after the request date"))
        if _law_has_year(day.year) and day.year - self.person.birth_date.year > 120:
            problems.append(("person.birth_date", "gives an age over 120"))
        problems += other_birth_problems("person.spouse_birth_date", self.person.spouse_birth_date,
                                         day)
        problems += other_birth_problems("request.series_beneficiary_birth_date",
                                         self.request.series_beneficiary_birth_date, day)
        problems += _employment_problems(self.employment, self.person.birth_date, day)
        problems += _state_move_problems(self.person)
        if self.person.filing_status in ("married_joint", "married_separate") and (
                self.person.spouse_sole_beneficiary and self.person.spouse_birth_date is None):
            problems.append(("person.spouse_birth_date", "is required when the spouse is the "
                             "sole beneficiary"))
        problems += _source_problems(self.account, day)
        problems += _emergency_year_problems(self.account, day)
        problems += _roth_law_year_problems(self)
        if self.request.purpose in ("birth_adoption", "disaster", "domestic_abuse") and \
                self.request.event_date is None:
            problems.append(("request.event_date", f"is required for purpose "
                             f"'{self.request.purpose}'"))
        if self.request.event_date and self.request.event_date > day:
            problems.append(("request.event_date", "is after the request date"))
        if self.beneficiary is not None:
            problems += _beneficiary_problems(self, self.beneficiary)
        problems += _roth_ira_problems(self.iras, day)
        problems += first_home_prior_problems(self.iras.first_home_prior, day.year)
        problems += _ira_contribution_problems(self)
        problems += _series_problems(self)
        problems += _w4p_problems(self)
        if problems:
            raise PlanProblems(problems)
        return self


#: The law files whose first date bounds a series' annuity starting date with a cost: the
#: Simplified Method's tables (IRC §72(d)(1)(B)(iii), (iv)).
SERIES_SINGLE_LAW = "annuity.anticipated_payments_single"
SERIES_JOINT_LAW = "annuity.anticipated_payments_joint"


def _series_problems(case: Case) -> list[tuple[str, str]]:
    """A payment in a series (request.series): what each kind needs, one problem per field;
    a series is the participant's own (not an heir's, not an alternate payee's).  The checks
    are :func:`series_problems`, the flat door's too (dist401k.flat): one verdict, one wording."""
    r = case.request
    if r.corrective != "none":
        return [("request.corrective", CORRECTIVE_PROBLEM[r.corrective])]
    if r.series == "none":
        return []

    def one(value: Any, kind: str = "datetime64[D]") -> np.ndarray:
        return np.array([np.datetime64("NaT") if value is None else value], dtype=kind)

    found = series_problems(SeriesFacts(
        kind=np.array([SERIES.index(r.series)]),
        years=np.array([np.nan if r.series_years is None else r.series_years], float),
        start=one(r.annuity_start_date), day=one(r.date), birth=one(case.person.birth_date),
        cost=np.array([np.nan if r.series_cost is None else r.series_cost], float),
        recovered=np.array([r.series_cost_recovered], float),
        other_birth=one(r.series_beneficiary_birth_date or case.person.spouse_birth_date),
        not_own=np.array([case.beneficiary is not None or case.alternate_payee is not None]),
        no_amount=np.array([r.amount == "max" and r.net_amount is None]),
        guaranteed=np.array([np.nan if r.series_guaranteed_years is None
                             else r.series_guaranteed_years], float)))
    return [(field, why) for field, mask, why in found if mask[0]]


#: The Form W-4P fields of the request, with their defaults (none given).
W4P_FIELDS = {"w4p_filing_status": None, "w4p_step2": False, "w4p_credits": 0.0,
              "w4p_other_income": 0.0, "w4p_deductions": 0.0, "w4p_extra": 0.0,
              "w4p_no_withholding": False}
#: The one-line problems of a Form W-4P (the case model's and the flat door's words, each field
#: named as the door names it: ``{series}``, ``{withholding_rate}``, ``{fields}``).
W4P_NOT_PERIODIC = ("is for a payment in a periodic series ({series} life or joint_life, "
                    "or a period of 10 years or more): another payment's election is "
                    "{withholding_rate} (Form W-4R)")
W4P_NEEDS_STATUS = "is required with {fields} (Form W-4P, Step 1(c))"


def _named(name: Callable[[str], str], paths: list[str]) -> str:
    """``paths`` as a door names them, in words: "a", "a and b", "a, b and c"."""
    shown = [name(p) for p in paths]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def w4p_problems(given, entries, periodic, name: Callable[[str], str] = str
                 ) -> list[tuple[str, np.ndarray, str]]:
    """The problems of a Form W-4P as array formulas: any of its fields given (``given``:
    [n, field] in W4P_FIELDS' order) for a payment that is not periodic (§3405(a) reads it;
    §3405(b) and (c) do not); Steps 2 to 4 (``entries``: [n]) without the filing status, saying
    which of them were given.  ``name`` gives a case field (``request.w4p_step2``) as the door
    names it (a batch's column)."""
    given = np.asarray(given, bool)
    periodic = np.asarray(periodic, bool)
    first = np.argmax(given, axis=1)
    fields = [f"request.{k}" for k in W4P_FIELDS]
    refused = W4P_NOT_PERIODIC.format(series=name("request.series"),
                                      withholding_rate=name("request.withholding_rate"))
    out = [(path, given.any(axis=1) & (first == k) & ~periodic, refused)
           for k, path in enumerate(fields)]
    # Steps 2 to 4 (fields 1 to 5), the ones given, as one number per case: one problem each
    steps = given[:, 1:6]
    bits = steps @ (1 << np.arange(steps.shape[1]))
    lacking = periodic & np.asarray(entries, bool) & ~given[:, 0]
    for code in np.unique(bits[lacking]).tolist():
        which = [fields[1 + k] for k in range(steps.shape[1]) if code >> k & 1]
        out.append((fields[0], lacking & (bits == code),
                    W4P_NEEDS_STATUS.format(fields=_named(name, which))))
    return out


#: The law's lifetime limit of first-time homebuyer distributions (IRC §72(t)(8)(B)).
FIRST_HOME_CAP_LAW = "early_distributions.first_home_lifetime_cap"


def first_home_prior_problems(prior: float, year: int) -> list[tuple[str, str]]:
    """``iras.first_home_prior``, the first-time homebuyer distributions taken before, cannot
    exceed the law's lifetime limit (IRC §72(t)(8)(B): what the exception ever covered is at
    most that).  A year without law is the request date's error alone."""
    if not _law_has_year(year):
        return []
    from dist401k.law.loader import default_law

    cap = float(default_law().get(FIRST_HOME_CAP_LAW, year))
    if prior <= cap + 0.005:  # half a cent, as the case's other amount checks
        return []
    return [("iras.first_home_prior", first_home_prior_too_much(cap))]


def first_home_prior_too_much(cap: float) -> str:
    """The words for first-time homebuyer distributions taken before that pass the law's
    lifetime limit ``cap`` (IRC §72(t)(8)(B)), the same in every door."""
    return (f"is more than the ${dollars_text(cap)} lifetime limit of first-time homebuyer "
            "distributions (IRC §72(t)(8)(B))")


def _w4p_problems(case: Case) -> list[tuple[str, str]]:
    """A Form W-4P on the request (:func:`w4p_problems`): the payment must be periodic (a
    series of life, joint lives or at least the law's years, IRC §402(c)(4)(A)), and Steps 2
    to 4 need the filing status."""
    r = case.request
    given = np.array([[getattr(r, k) != v for k, v in W4P_FIELDS.items()]])
    if not given.any():
        return []
    from dist401k.law.loader import default_law

    least = default_law().get("annuity.eligible_rollover_series_years", r.date.year)
    periodic = r.series in ("life", "joint_life") or (
        r.series == "period" and r.series_years is not None and r.series_years >= least)
    entries = given[:, 1:6].any(axis=1)
    found = w4p_problems(given, entries, np.array([periodic]))
    return [(field, why) for field, mask, why in found if mask[0]]


@dataclass(frozen=True)
class SeriesFacts:
    """What the series checks read, one entry per case (arrays): the series' kind (its index
    in SERIES, 0 = none), its period in years (NaN: none), the annuity starting date, the
    request's date, the birth date, the cost (NaN: not given) and the part recovered, the other
    annuitant's birth date (the beneficiary given, else the spouse; NaT: none), whether the
    case is an heir's or an alternate payee's, whether no amount is given ('max'), and the
    years of guaranteed payments (NaN: not given)."""

    kind: np.ndarray
    years: np.ndarray
    start: np.ndarray
    day: np.ndarray
    birth: np.ndarray
    cost: np.ndarray
    recovered: np.ndarray
    other_birth: np.ndarray
    not_own: np.ndarray
    no_amount: np.ndarray
    guaranteed: np.ndarray


def series_problems(f: SeriesFacts, law: Any = None) -> list[tuple[str, np.ndarray, str]]:
    """The problems of payments in a series as array formulas, in the case model's order: (the
    case field, the cases that have it, the words).  Each door tells them by its own names
    (a case file by the field, a book row by its column: dist401k.flat)."""
    series = np.asarray(f.kind) != 0
    period = np.asarray(f.kind) == SERIES.index("period")
    joint = np.asarray(f.kind) == SERIES.index("joint_life")
    years = ~np.isnan(np.asarray(f.years, float))
    start = np.asarray(f.start, "datetime64[D]")
    dated = series & ~np.isnat(start)
    with np.errstate(invalid="ignore"):
        over = ~np.isnan(f.cost) & (np.asarray(f.recovered, float) > f.cost)
    return [
        ("request.series", series & np.asarray(f.not_own, bool), "is the participant's own "
         "series; an inherited account's or an alternate payee's series is not modelled"),
        ("request.amount", series & np.asarray(f.no_amount, bool),
         "give the amount of one payment of the series (not 'max')"),
        ("request.series_years", period & ~years, "is required for a period series"),
        ("request.series_years", series & ~period & years, "is only for a period series"),
        ("request.series_guaranteed_years", period & ~np.isnan(np.asarray(f.guaranteed, float)),
         "is only for a life or joint_life series (a period series' payments are all "
         "guaranteed: series_years)"),
        *_series_date_problems(f, series, dated, law),
        ("request.series_beneficiary_birth_date", dated & joint & np.isnat(
            np.asarray(f.other_birth, "datetime64[D]")), "is required for a joint_life series "
         "(or person.spouse_birth_date)"),
        ("request.series_cost_recovered", series & over, "is more than series_cost"),
    ]


def _series_date_problems(f: SeriesFacts, series: np.ndarray, dated: np.ndarray,
                          law: Any) -> list[tuple[str, np.ndarray, str]]:
    """The annuity starting date: given, not after the request, not before the birth; with a
    cost, not before the Simplified Method's table for the series (its law file's first date,
    IRC §72(d)(1)(B)(iii) one life, (iv) joint lives)."""
    start = np.asarray(f.start, "datetime64[D]")
    costed = dated & ~np.isnan(f.cost) & (np.asarray(f.kind) != SERIES.index("period"))
    joint = np.asarray(f.kind) == SERIES.index("joint_life")
    out = [("request.annuity_start_date", series & np.isnat(start), "is required for a series"),
           ("request.annuity_start_date", dated & (start > np.asarray(f.day, "datetime64[D]")),
            "is after the request date"),
           ("request.annuity_start_date", dated & (start < np.asarray(f.birth, "datetime64[D]")),
            "is before person.birth_date")]
    for name, which in ((SERIES_SINGLE_LAW, ~joint), (SERIES_JOINT_LAW, joint)):
        since = law_since(name, law)
        out.append(("request.annuity_start_date",
                    costed & which & (start < np.datetime64(since, "D")),
                    f"is before {since}: the Simplified Method's table for it is not modelled "
                    "(IRC §72(d)(1))"))
    return out


def _state_move_problems(p: Person) -> list[tuple[str, str]]:
    """A move needs the state moved from, and another state to move to; the local taxes' inputs
    their state (:func:`~dist401k.tax.state.units.local_tax_problems`)."""
    move = p.state_move
    local = local_tax_problems((p.state, move and move.state), p.new_york_city, p.yonkers,
                               p.maryland_county)
    if local:
        return [(f"person.{field}", why) for field, why in local]
    if move is None:
        return []
    if p.state is None:
        return [("person.state_move", "needs the state moved from: set person.state")]
    if move.state == p.state:
        return [("person.state_move.state", "is the state already lived in")]
    return []


def _roth_ira_problems(iras: Iras, day: dt.date) -> list[tuple[str, str]]:
    """The Roth IRA's years: none after the request's, none before Roth IRAs began
    (:func:`roth_first_year_floor`, the law's ``roth.ira_first_year``: IRC §408A, from 1998),
    the first year no later than a conversion's (a conversion is a contribution to a Roth IRA,
    Treas. Reg. §1.408A-6, Q&A-2)."""
    out = []
    floor, before = roth_first_year_floor(roth_ira=True)
    if iras.roth_first_year is not None and iras.roth_first_year > day.year:
        out.append(("iras.roth_first_year", "is after the request year"))
    elif iras.roth_first_year is not None and iras.roth_first_year < floor:
        out.append(("iras.roth_first_year", before))
    for k, conv in enumerate(iras.roth_conversions):
        if conv.year > day.year:
            out.append((f"iras.roth_conversions.{k}.year", "is after the request year"))
        elif conv.year < floor:
            out.append((f"iras.roth_conversions.{k}.year", before))
        elif iras.roth_first_year is not None and conv.year < iras.roth_first_year:
            out.append(("iras.roth_first_year", f"is after the year of a conversion "
                        f"({conv.year}): a conversion is a contribution to a Roth IRA"))
    return out


def _ira_contribution_problems(case: Case) -> list[tuple[str, str]]:
    """The backdoor Roth's nondeductible contribution within the IRA contribution limit of the
    request's year: the lesser of the dollar limit (with the catch-up at 50) and the wages, the
    wages not counted on a joint return, where the spouse's compensation counts too (IRC
    §219(b)(1), (b)(5), (c); §408(o)(2)(B); :func:`dist401k.ira_contribution_limit.contribution_limit`,
    the batch's check the same).  A year without law is the request date's error alone."""
    amount = case.iras.backdoor_roth_planned
    if amount <= 0:
        return []
    from dist401k.law.loader import default_law

    law, year = default_law(), case.request.date.year
    lo, hi = law.known_years
    if not lo <= year <= hi:
        return []
    limit = contribution_limit(law, [year], [case.person.birth_date.year], [case.income.wages],
                               [case.person.filing_status == "married_joint"])
    if not over_limit(limit, [amount])[0]:
        return []
    return [("iras.backdoor_roth_planned", over_limit_words(limit, 0, "income.wages"))]


#: Not a time (a date not given), for the array checks.
NAT = np.datetime64("NaT", "D")


def active_but_separated(separated, separation, day) -> np.ndarray:
    """[n]: the cases whose separation date is on or before the request date while the status
    is active (given so, or by default), the same in every door (:mod:`dist401k.flat`).  Which
    of the two is wrong cannot be guessed: a separation date says the person has left, the
    status that they still work there, and the routes read the status.  A separation date after
    the request date is refused on its own, whatever the status (a separation planned for later
    is not modelled)."""
    sep = np.asarray(separation, "datetime64[D]")
    on = np.asarray(day, "datetime64[D]")
    return ~np.asarray(separated, bool) & ~np.isnat(sep) & ~np.isnat(on) & (sep <= on)


def active_but_separated_words(status_field: str, date_field: str, separated_on) -> str:
    """The words of :func:`active_but_separated`, naming the door's fields."""
    return (f"is active (the default where not given) but {date_field} {separated_on} is on or "
            f"before the request date: set {status_field} to separated (or remove {date_field})")


def _employment_problems(e: Employment, birth: dt.date, day: dt.date) -> list[tuple[str, str]]:
    """Hire and separation dates checked against each other, the birth and the request; a
    separation date on or before the request with the status active (:func:`active_but_separated`)."""
    out = []
    if e.status == "separated" and e.separation_date is None:
        out.append(("employment.separation_date", "is required when separated"))
    if e.separation_date and e.separation_date > day:
        out.append(("employment.separation_date", "is after the request date"))
    if active_but_separated([e.status == "separated"], [e.separation_date or NAT], [day])[0]:
        out.append(("employment.status", active_but_separated_words(
            "employment.status", "employment.separation_date", e.separation_date)))
    if e.hire_date and e.hire_date > day:
        out.append(("employment.hire_date", "is after the request date"))
    if e.hire_date and e.hire_date < birth:
        out.append(("employment.hire_date", "is before the birth date"))
    if e.separation_date and e.hire_date and e.separation_date < e.hire_date:
        out.append(("employment.separation_date", "is before the hire date"))
    return out


def _source_problems(account: Account, day: dt.date) -> list[tuple[str, str]]:
    """Each money source: money the law vests always given as less than vested; Roth money
    whose first contribution year is after the request's year."""
    out = []
    for src, bal in account.sources.items():
        if ALWAYS_VESTED[SOURCE_INDEX[src]] and bal.vested < 1:
            out.append((f"account.sources.{src}.vested", vesting_rule(src)))
        if ROTH[SOURCE_INDEX[src]] and bal.balance > 0 \
                and bal.first_year and bal.first_year > day.year:
            out.append((f"account.sources.{src}.first_year", "is after the request year"))
        out += _pre_1987_problems(src, bal)
        out += _irr_problems(src, bal, day)
    return out


def _pre_1987_problems(src: SourceName, bal: SourceBalance) -> list[tuple[str, str]]:
    """The pre-1987 investment (§72(e)(8)(D)): after-tax money only, and part of its basis."""
    field = f"account.sources.{src}.pre_1987_basis"
    if bal.pre_1987_basis <= 0:
        return []
    if not AFTER_TAX[SOURCE_INDEX[src]]:
        return [(field, PRE_1987_AFTER_TAX_ONLY)]
    if bal.pre_1987_basis > bal.basis + 0.005:
        return [(field, PRE_1987_WITHIN_BASIS)]
    return []


#: The words of the pre-1987 investment's checks, the same through every door (dist401k.flat).
PRE_1987_AFTER_TAX_ONLY = "is for after-tax money only (IRC §72(e)(8)(D))"
PRE_1987_WITHIN_BASIS = "cannot exceed the basis: it is part of the investment in the contract"


def _irr_problems(src: SourceName, bal: SourceBalance, day: dt.date) -> list[tuple[str, str]]:
    """In-plan Roth rollovers: only into Roth money, none after the request's year, their
    taxable amounts within the contributions (they are investment in the contract)."""
    field = f"account.sources.{src}.in_plan_roth_rollovers"
    if not bal.in_plan_roth_rollovers:
        return []
    if not ROTH[SOURCE_INDEX[src]]:
        return [(field, "an in-plan Roth rollover goes into designated Roth money only")]
    out = [(f"{field}.{k}.year", "is after the request year")
           for k, r in enumerate(bal.in_plan_roth_rollovers) if r.year > day.year]
    if sum(r.amount for r in bal.in_plan_roth_rollovers) > bal.contributions + 0.005:
        out.append((field, f"their amounts exceed account.sources.{src}.contributions: a "
                    "rollover's taxable amount is part of the investment in the contract"))
    return out


#: The law files whose first dated value is the first year a Roth year of the case may name:
#: designated Roth contributions (IRC §402A, taxable years beginning after 2005), in-plan Roth
#: rollovers (§402A(c)(4), after September 27, 2010: Small Business Jobs Act of 2010, §2112).
#: Roth IRAs' first year is the value of its own law file (§408A; Taxpayer Relief Act of 1997,
#: §302(f): taxable years beginning after December 31, 1997).
DESIGNATED_ROTH_LAW = "roth.five_year_period"
ROTH_IRA_LAW = "roth.ira_first_year"
IN_PLAN_ROLLOVER_LAW = "roth.in_plan_rollover_recapture_years"
EMERGENCY_LAW = "secure2.emergency_expense_cap"


def law_since(name: str, law: Any = None) -> dt.date:
    """The day the law file ``name`` first takes effect (its first dated value; the shipped law
    where ``law`` is None)."""
    if law is None:
        from dist401k.law.loader import default_law

        law = default_law()
    return law.param(name).dates[0]


def shipped_roth_ira_first_year() -> int:
    """The first year of Roth IRAs in the shipped law file ``roth.ira_first_year`` (its first
    dated value), read from that one file without loading the whole law: a schema's bound,
    known when the schema is declared (the planner's ``accounts.roth_first_year``)."""
    from dist401k.law.loader import PARAMS_DIR, read_law_yaml

    name = "params/roth/ira_first_year.yaml"
    values = read_law_yaml(PARAMS_DIR / "roth" / "ira_first_year.yaml", name)["values"]
    return int(values[min(values)])


def roth_ira_first_year(law: Any = None) -> int:
    """The first year of Roth IRAs: the value of ``roth.ira_first_year`` as it took effect (the
    shipped law where ``law`` is None)."""
    if law is None:
        from dist401k.law.loader import default_law

        law = default_law()
    p = law.param(ROTH_IRA_LAW)
    return int(p.value_on(p.dates[0]))


def roth_first_year_floor(roth_ira: bool = False, law: Any = None) -> tuple[int, str]:
    """The earliest ``account.sources.*.first_year`` and the problem of one before it: the
    first year of designated Roth contributions, or where the source is an inherited Roth IRA
    (``roth_ira``, and the Roth IRA's own years) the first year of Roth IRAs.  The same words in
    every door (dist401k.flat)."""
    if roth_ira:
        year = roth_ira_first_year(law)
        return year, f"is before {year}: Roth IRAs began in {year} (IRC §408A)"
    year = law_since(DESIGNATED_ROTH_LAW, law).year
    return year, (f"is before {year}: designated Roth contributions began in {year} "
                  "(IRC §402A)")


def emergency_year_floor(law: Any = None) -> tuple[int, str]:
    """The earliest ``account.last_emergency_year`` and the problem of one before it: the first
    year of emergency personal expense distributions.  The same words in every door."""
    year = law_since(EMERGENCY_LAW, law).year
    return year, (f"is before {year}: emergency personal expense distributions began in {year} "
                  "(IRC §72(t)(2)(I))")


def _emergency_year_problems(account: Account, day: dt.date) -> list[tuple[str, str]]:
    """The last emergency personal expense distribution: not after the request's year, not
    before the law that made them."""
    last = account.last_emergency_year
    if last is None:
        return []
    if last > day.year:
        return [("account.last_emergency_year", "is after the request year")]
    floor, why = emergency_year_floor()
    return [("account.last_emergency_year", why)] if last < floor else []


def in_plan_rollover_floor(law: Any = None) -> tuple[int, str]:
    """The earliest year of an in-plan Roth rollover and the problem of one before it."""
    since = law_since(IN_PLAN_ROLLOVER_LAW, law)
    return since.year, (f"is before {since.year}: in-plan Roth rollovers began on "
                        f"{since:%B} {since.day}, {since.year} (IRC §402A(c)(4); Small "
                        "Business Jobs Act of 2010, §2112)")


def _roth_law_year_problems(case: Case) -> list[tuple[str, str]]:
    """Roth years before the law that made them: a Roth source's first year before designated
    Roth contributions existed (an inherited Roth IRA's: before Roth IRAs), an in-plan Roth
    rollover before one could be made.  Given with or without a balance, the first year still
    sets the account's (box 11, the five-year period: dist401k.form_1099r_boxes)."""
    ben = case.beneficiary
    floor, why = roth_first_year_floor(ben is not None and ben.roth and ben.account == "ira")
    irr_floor, irr_why = in_plan_rollover_floor()
    out = []
    for src, bal in case.account.sources.items():
        if not ROTH[SOURCE_INDEX[src]]:
            continue
        field = f"account.sources.{src}"
        if bal.first_year is not None and bal.first_year < floor:
            out.append((f"{field}.first_year", why))
        out += [(f"{field}.in_plan_roth_rollovers.{k}.year", irr_why)
                for k, r in enumerate(bal.in_plan_roth_rollovers or ()) if r.year < irr_floor]
    return out


def _beneficiary_problems(case: Case, ben: Beneficiary) -> list[tuple[str, str]]:
    """Dates of an inherited account checked against the request and the beneficiary."""
    day, out = case.request.date, []
    if ben.date_of_death > day:
        out.append(("beneficiary.date_of_death", "is after the request date"))
    if ben.deceased_birth_date > day:
        out.append(("beneficiary.deceased_birth_date", "is after the request date"))
    if ben.roth and any(sb.balance > 0 for src, sb in case.account.sources.items()
                        if src not in ("roth_deferral", "rollover_roth", "roth_employer")):
        out.append(("beneficiary.roth", "the account holds money other than Roth money; give "
                    "the Roth and the other money as separate cases (separate accounts)"))
    if case.person.birth_date > ben.date_of_death:
        out.append(("person.birth_date", BORN_AFTER_DEATH))
    if ben.roth and ben.relationship == "spouse" and ben.spouse_election == "own":
        out.append(("beneficiary.spouse_election", ROTH_MADE_OWN))
    # A missed year is checked against the year of death only where that date stands: one
    # after the request is the error to name, not the missed years it would put before it.
    death_year = ben.date_of_death.year if ben.date_of_death <= day else None
    for k, m in enumerate(ben.missed):
        if m.year >= day.year:
            out.append((f"beneficiary.missed.{k}.year", "must be a year before the request year"))
        elif death_year is not None and m.year < death_year:
            out.append((f"beneficiary.missed.{k}.year", "is before the year of death"))
    return out


def parse_case(data: Any, row: int | None = None) -> Case:
    """A mapping → a validated :class:`Case`, or :class:`InputError` naming each field."""
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(exc, row)) from None
    return with_known_year(case, row)


def with_known_year(case: Case, row: int | None = None) -> Case:
    """The case, if dist401k has law for its tax year and its state can take the payee's
    elected state rate; :class:`InputError` otherwise."""
    from dist401k.law.loader import default_law

    law = default_law()
    lo, hi = law.known_years
    year = case.request.date.year
    if not lo <= year <= hi:
        raise InputError(FieldProblem("request.date", year_without_law(lo, hi, year), row))
    rate = case.request.state_withholding_rate
    if rate is not None:  # the state of the payment (a move's, from its date)
        no_state, no_tax = election_refused(
            law, [case.person.state_on(case.request.date) or ""], year, rate)
        if no_state[0] or no_tax[0]:
            raise InputError(FieldProblem("request.state_withholding_rate", ELECTION_NEEDS_STATE
                                          if no_state[0] else ELECTION_NO_TAX, row))
    return case


def load_case(path: str | Path) -> Case:
    """Read a case from a YAML or JSON file (a drawdown plan or a tax request given instead is
    named as such, with what to run: :func:`dist401k.io.files.other_kind`)."""
    from dist401k.io.files import CASE, read_case_file

    data = read_case_file(path, CASE)
    return parse_case(data)


def case_schema() -> dict:
    """The JSON Schema of a case file."""
    schema = Case.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dist401k case"
    return schema


def declared_field(path: str) -> tuple[Any, Any]:
    """(annotation, FieldInfo) of the case field at a dotted path (``*`` stands for a money
    source): the one declaration other doors read their checks from (:mod:`dist401k.flat`)."""
    model: Any = Case
    annotation, info = None, None
    for part in path.split("."):
        if part == "*":
            continue
        info = model.model_fields[part]
        annotation = info.annotation
        model = next((t for t in _members(annotation) if isinstance(t, type)
                      and issubclass(t, BaseModel)), None)
    return annotation, info


def _members(annotation: Any) -> list[Any]:
    """The types inside an annotation (Optional, unions, dict values, Annotated)."""
    args = typing.get_args(annotation)
    if not args:
        return [annotation]
    if typing.get_origin(annotation) is Annotated:
        return _members(args[0])
    return [t for a in args for t in _members(a)]


def declared_whole(path: str) -> bool:
    """True where the case field at ``path`` is a whole number (a count, a year)."""
    annotation, _ = declared_field(path)
    members = _members(annotation)
    return int in members and float not in members


def declared_range(path: str) -> tuple[float, float]:
    """The lowest and highest value the case model allows at ``path`` (±inf where open)."""
    annotation, info = declared_field(path)
    metadata = list(info.metadata)
    for arg in typing.get_args(annotation):  # a number or a word ('max'): the number's range
        if typing.get_origin(arg) is Annotated:
            metadata += [m for a in typing.get_args(arg)[1:] for m in getattr(a, "metadata", [a])]
    lo, hi = -np.inf, np.inf
    for m in metadata:
        lo = max(lo, float(getattr(m, "ge", getattr(m, "gt", -np.inf))))
        hi = min(hi, float(getattr(m, "le", getattr(m, "lt", np.inf))))
    return lo, hi
