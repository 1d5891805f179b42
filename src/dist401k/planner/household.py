"""The drawdown case: a single person or a couple, their accounts, incomes and spending.

One model for ``dist401k plan``, the API and the tests.  Amounts are dollars; a spending need
is in today's dollars (the start year's), grown by inflation.  A couple files jointly while both
live; from the year after the first death the survivor files single and inherits the
deceased's accounts (a spouse's rollover, IRC §402(c)(9), §408(d)(3)), the larger of the two
Social Security benefits (42 U.S.C. §402(e), (f)) and the pension's survivor share.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, ValidationError, field_validator, model_validator

from dist401k.case import Beneficiary, Date, Model, shipped_roth_ira_first_year
from dist401k.errors import (
    FieldProblem,
    FieldProblems,
    InputError,
    problems_from_validation,
    year_without_law,
)
from dist401k.io.files import PLAN, read_case_file
from dist401k.planner.guardrails import (
    GK_ADJUSTMENT,
    GK_BAND,
    GK_INFLATION_CAP,
    GK_NO_CUT_FINAL_YEARS,
    RISK_STEP,
    RISK_SUCCESS_HIGH,
    RISK_SUCCESS_LOW,
)
from dist401k.planner.inherited import beneficiary_problems, overdue_problems
from dist401k.tax.state.units import STATE_CODES, MarylandCounty, local_tax_problems

#: The largest dollar amount a case may hold ($10 trillion: beyond any household, and far
#: enough from float overflow that every sum and product of the plan stays finite).
MAX_AMOUNT = 1e13
#: The most Monte Carlo paths a case may ask for (memory grows with paths × years).
MAX_PATHS = 100_000

# The plan file's defaults and bounds: plan options and sanity limits of the input, not law
# (each shown in the schema; a figure of law is read from law/params where the rule runs).
#: Ages: a pension's default and earliest start; a person's default horizon and its bounds;
#: the earliest and latest age wages may stop.
DEFAULT_PENSION_AGE, MIN_PENSION_AGE = 65, 40
DEFAULT_LIFE_EXPECTANCY, MIN_LIFE_EXPECTANCY, MAX_LIFE_EXPECTANCY = 90, 50, 120
MIN_RETIREMENT_AGE, MAX_RETIREMENT_AGE = 30, 90
#: Years a date of the plan may name; a first Roth contribution no earlier than the year Roth
#: IRAs began, read from the law file ``roth.ira_first_year`` (IRC §408A; Taxpayer Relief Act
#: of 1997, §302(f)) when the schema is declared (the five-year clock itself is figured from the
#: year given).
FIRST_YEAR, LAST_YEAR = 1900, 2200
FIRST_ROTH_YEAR = shipped_roth_ira_first_year()
#: The longest name, the largest tax family, and the most inherited accounts or years of MAGI
#: history a plan lists.
MAX_NAME, MAX_HOUSEHOLD_SIZE, MAX_ENTRIES = 60, 20, 10
#: The longest state text read (a code is two letters; a longer text is refused by name).
MAX_STATE_TEXT = 20
#: Rates a year: the largest interest rate or dividend yield, returns within ±50%, inflation
#: and premium growth from -10% to 30%, a share of spending or savings at most half.
MAX_YIELD, MAX_RETURN, MIN_GROWTH, MAX_GROWTH, MAX_SHARE = 0.2, 0.5, -0.1, 0.3, 0.5
#: The market of the fixed plan by default: returns of stocks, bonds and cash, the stock share,
#: the dividend yield.
DEFAULT_STOCKS, DEFAULT_BONDS, DEFAULT_CASH, DEFAULT_STOCK_SHARE = 0.07, 0.04, 0.03, 0.6
DEFAULT_DIVIDEND_YIELD = 0.018
#: The largest yearly investment fee (``market.fee``, a share of the invested money): 5%, above
#: any fund's expense ratio plus an advisory fee.
MAX_FEE = 0.05
#: Strategy defaults: the survivor's share of spending, the heirs' tax rate (and its bound),
#: the systematic withdrawal rate; the bracket rate filled with conversions by default (a plan
#: option, the planner's choice, not law) and its bounds as a rate, above 0 and below 1: whether
#: it is a bracket of §1(j) with a top to fill is the law's check when the plan runs
#: (dist401k.planner.simulate.fill_bracket_problem, which reads ``income_tax.rates``).
DEFAULT_SURVIVOR_SPENDING, DEFAULT_HEIRS_RATE, MAX_HEIRS_RATE = 0.6, 0.3, 0.6
DEFAULT_SYSTEMATIC_RATE = 0.04
DEFAULT_FILL_BRACKET, MIN_FILL_BRACKET, MAX_FILL_BRACKET = 0.22, 0, 1
#: Monte Carlo: the default number of paths, the largest seed (32 bits), the bounds of a
#: success rate or survival probability asked for.
DEFAULT_PATHS, MAX_SEED = 1000, 2**32 - 1
MIN_CONFIDENCE, MAX_CONFIDENCE, MIN_SURVIVAL = 0.01, 0.99, 0.5
#: The bounds of the guardrails' settings (their defaults are the rules', in guardrails.py).
MAX_BAND, MAX_NO_CUT_YEARS, MAX_REVIEW_YEARS = 0.9, 75, 10


class _Model(Model):
    """A part of a plan file, checked as a case's parts are (no NaN, no infinity, no true or
    false for a number: :class:`dist401k.case.Model`)."""


def _claim_age_schema(schema: dict[str, Any]) -> None:
    """``claim_age``'s published bounds: the least and the greatest age the check takes
    (:func:`claim_age_edges`) from the law's earliest claiming age
    (``social_security.earliest_claim_age``, 42 U.S.C. §402(a), §416(l)(2)) and its last age of
    delayed credit (``social_security.delayed_credit_last_age``, §402(w)), those of this year (the
    nearest year dist401k has law for), read when the schema is made (``dist401k schema plan``,
    the API's OpenAPI description), as ``start_year``'s years are; the check itself reads the
    plan's own start year (:func:`claim_age_problem`), not the model's sanity bounds."""
    import datetime as _dt

    from dist401k.law.loader import default_law

    law = default_law()
    first, last = law.known_years
    lo, hi = claim_age_edges(law, min(max(_dt.date.today().year, first), last))
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "number":
            branch.update({"minimum": lo, "maximum": hi})


def _medicare_age_schema(schema: dict[str, Any]) -> None:
    """``medicare_from_age``'s published least age: the law's Medicare eligibility age
    (``medicare.eligibility_age``, 42 U.S.C. §426(a)) of this year (the nearest year dist401k
    has law for), read when the schema is made, as ``claim_age``'s bounds are; the check
    itself reads the plan's start year (:func:`medicare_age_problem`)."""
    import datetime as _dt

    from dist401k.law.loader import default_law

    law = default_law()
    first, last = law.known_years
    year = min(max(_dt.date.today().year, first), last)
    for branch in schema.get("anyOf", [schema]):
        if branch.get("type") == "number":
            branch["minimum"] = float(law.get("medicare.eligibility_age", year))


def medicare_age_problem(law, year: int, age: float | None) -> str | None:
    """Why a ``medicare_from_age`` is refused, or None: Part B and Part D cannot begin before
    the eligibility age (42 U.S.C. §426(a), §1395o; ``medicare.eligibility_age``)."""
    if age is None:
        return None
    least = float(law.get("medicare.eligibility_age", year))
    if age < least:
        return (f"is {age:g}, before the Medicare eligibility age, {least:g} "
                f"({law.citation('medicare.eligibility_age')}): give {least:g} or later, or "
                "leave it out")
    return None


def claim_age_edges(law, year: int) -> tuple[float, float]:
    """The least and the greatest claiming age :func:`claim_age_problem` takes in ``year``: the
    age is checked on its nearest month (a half month up), so the bounds are half a month
    outside the law's ages — 62 less half a month (61.9583…: 61.96 is 62 and 0 months) and 70
    plus just under half a month (70.0416…, itself 70 and 1 month, refused: 70.04 is 70 and 0
    months) — each found as the float at the check's own edge, so that the schema and the
    check agree on every number."""
    month = 1 / 12
    earliest = float(law.get("social_security.earliest_claim_age", year))
    last = float(law.get("social_security.delayed_credit_last_age", year))

    def takes(age: float) -> bool:
        return claim_age_problem(law, year, age) is None

    return (_edge(takes, earliest, earliest - month), _edge(takes, last, last + month))


def _edge(takes, inside: float, outside: float) -> float:
    """The float nearest ``outside`` that ``takes`` still takes, between an age it takes
    (``inside``) and one it refuses (``outside``): halved until the two are neighbours."""
    from statistics import fmean

    while (mid := fmean((inside, outside))) not in (inside, outside):
        inside, outside = (mid, outside) if takes(mid) else (inside, mid)
    return inside


class SocialSecurity(_Model):
    monthly_at_full_age: float = Field(0, ge=0, le=MAX_AMOUNT, description="Primary insurance amount: the "
                                       "monthly benefit at full retirement age, today's dollars "
                                       "(from the person's SSA statement).")
    claim_age: float | None = Field(None, ge=0, le=100, description="Age the benefit starts, "
                                    "in years with months as twelfths (66.5 is 66 and 6 months), "
                                    "rounded to the nearest month, a half month up (default: full "
                                    "retirement age; the rounded month from the law's earliest "
                                    "claiming age to its last age of delayed credit, so the "
                                    "bounds are the ages that round to those months: 61.96 is "
                                    "62, 70.04 is 70).",
                                    json_schema_extra=_claim_age_schema)


class Pension(_Model):
    monthly: float = Field(0, ge=0, le=MAX_AMOUNT, description="Monthly pension (start-year dollars).")
    start_age: float = Field(DEFAULT_PENSION_AGE, ge=MIN_PENSION_AGE, le=100)
    indexed: bool = Field(False, description="Grows with inflation (a COLA).")
    survivor_fraction: float = Field(0, ge=0, le=1, description="Share paid on to the "
                                     "surviving spouse (joint-and-survivor election). After a "
                                     "death before start_age it is paid from the year the "
                                     "holder would have reached start_age, the plan's "
                                     "stand-in for the earliest retirement age (the qualified "
                                     "pre-retirement survivor annuity, IRC §417(c)(1)).")
    governmental: bool = Field(False, description="Paid by a governmental plan (IRC §414(d)): "
                               "a federal, state or local government's or the military's "
                               "pension. Many states exempt such a pension wholly or more than "
                               "a private one (New York Tax Law §612(c)(3): a New York or "
                               "federal pension; only $20,000 of a private one, §612(c)(3-a)). "
                               "With `state`, the state's tax takes the pension's years as a "
                               "governmental plan's: a state whose rule turns on which "
                               "government pays it refuses those years, naming the rule, "
                               "rather than tax the pension as a private one.")


class Accounts(_Model):
    pretax: float = Field(0, ge=0, le=MAX_AMOUNT, description="Plan pre-tax money: 401(k), 403(b), 457(b) "
                          "(all sources but designated Roth; after-tax money as basis).")
    pretax_basis: float = Field(0, ge=0, le=MAX_AMOUNT, description="After-tax money (basis) inside the plan "
                                "account (IRC §72(e)(8)).")
    governmental_457b: bool = Field(False, description="The plan money is in a governmental "
                                    "457(b): free of the 10% additional tax at any age (IRC "
                                    "§72(t)(9)). Leave it off if any of it was rolled in from a "
                                    "401(k), 403(b) or IRA: that part keeps the 10% tax, and "
                                    "the plan then charges the tax on all of it (the cautious "
                                    "side).")
    state_taxed_contributions: float = Field(0, ge=0, le=MAX_AMOUNT, description="Contributions "
                                             "to the plan account that the state of residence "
                                             "already taxed when they were made and that are "
                                             "not yet recovered (beyond the federal basis, "
                                             "pretax_basis): New Jersey's employee "
                                             "contributions to a 403(b), 457(b) or 414(h) plan "
                                             "(it defers only 401(k) contributions: N.J.S.A. "
                                             "54A:6-21; N.J.A.C. 18:35-2.5(a)), Pennsylvania's "
                                             "elective deferrals (61 Pa. Code §101.6(c)(8); "
                                             "PA-40 instructions, line 5). The state's own "
                                             "recovery of them over the years is not worked: "
                                             "a New Jersey year drawing from a plan account, "
                                             "and a Pennsylvania year drawing from one before "
                                             "the plan's conditions for retirement are met, "
                                             "are then not figured.")
    employer_share: float | None = Field(None, ge=0, le=1, description="The share of the plan "
                                         "account from employer contributions (matching, "
                                         "profit sharing, non-elective), not the person's own "
                                         "deferrals: Hawaii and Michigan exempt a plan "
                                         "distribution's employer part (HRS §235-7(a)(3); MCL "
                                         "206.30(8)); without it such a year there is not "
                                         "figured.")
    ira: float = Field(0, ge=0, le=MAX_AMOUNT, description="Traditional, SEP and SIMPLE IRAs.")
    ira_employer_share: float | None = Field(None, ge=0, le=1, description="The share of the "
                                             "IRAs rolled over from employer contributions to "
                                             "a plan (matching, profit sharing): Hawaii exempts "
                                             "that part of an IRA distribution (HRS "
                                             "§235-7(a)(3)); without it an IRA distribution "
                                             "there is not figured.")
    ira_basis: float = Field(0, ge=0, le=MAX_AMOUNT, description="Nondeductible IRA basis "
                             "(Form 8606 line 14).")
    roth: float = Field(0, ge=0, le=MAX_AMOUNT, description="Roth 401(k) and Roth IRA, "
                        "together. The planner treats all of it as a Roth IRA, as if the "
                        "Roth 401(k) were rolled over to one: contributions come out first, "
                        "then conversions, then earnings (§408A(d)(4)(B)). A payment from a "
                        "designated Roth account still in the plan that is not qualified is "
                        "pro rata instead, part earnings (§72(e)(8), §402A(d)(4)): give such "
                        "a payment to `dist401k assess`.")
    roth_contributions: float | None = Field(None, ge=0, le=MAX_AMOUNT,
                                             description="Roth contributions "
                                             "(basis): from a Roth IRA they come out before "
                                             "59½ free of tax and of the 10% "
                                             "(§408A(d)(4)(B)), as the planner takes all Roth "
                                             "money. Default: the whole Roth balance (no "
                                             "earnings), which the plan's `assumptions` say "
                                             "where it matters.")
    roth_first_year: int | None = Field(None, ge=FIRST_ROTH_YEAR, le=LAST_YEAR, description="First year of a "
                                        "Roth contribution (the five-year clock, §402A(d)(2)(B),"
                                        " §408A(d)(2)(B)).")


class Person(_Model):
    # Its schema's title: the case's person is "Person" too, and a client generated from
    # /openapi.json makes one model per title (two "Person"s lost /plan and /plan/report).
    model_config = ConfigDict(title="PlanPerson")

    name: str = Field("", max_length=MAX_NAME)
    birth_date: Date
    life_expectancy: int = Field(DEFAULT_LIFE_EXPECTANCY, ge=MIN_LIFE_EXPECTANCY,
                                 le=MAX_LIFE_EXPECTANCY, description="Plan until the end of the year "
                                 "this age is reached (the plan's horizon for this person; "
                                 "replaced by `horizon.survival` where that is set).")
    sex: Literal["male", "female"] | None = Field(None, description="Chooses SSA's death "
                                                  "probabilities: needed for random lifetimes "
                                                  "(`monte_carlo.lifetimes`) and a survival "
                                                  "horizon (`horizon.survival`).")
    retirement_age: float | None = Field(None, ge=MIN_RETIREMENT_AGE, le=MAX_RETIREMENT_AGE,
                                         description="Wages stop at this "
                                         "age (default: already retired). With `wages`, it must be "
                                         "reached in or after the plan's first year (start_year): "
                                         "wages with none, or with one already reached, are refused.")
    wages: float = Field(0, ge=0, le=MAX_AMOUNT, description="Yearly wages until "
                       "retirement_age (start-year $); needs a retirement_age reached in or after "
                       "start_year.")
    wages_from_plan_employer: bool = Field(True, description="The wages are paid by the "
                                           "employer that maintains the plan account "
                                           "(accounts.pretax). False: they come from another "
                                           "employer, so the person has already left the "
                                           "plan's employer — its RMDs start at the "
                                           "applicable age (the still-working exception "
                                           "needs retirement from employment with the "
                                           "employer maintaining the plan, §401(a)(9)(C)(i)"
                                           "(II); Treas. Reg. §1.401(a)(9)-2(b)(1)(ii)) and "
                                           "it pays before 59½ (with the 10% tax unless "
                                           "separated_at_55). Social Security's earnings "
                                           "test counts the wages either way.")
    medicare_from_age: float | None = Field(
        None, le=MAX_LIFE_EXPECTANCY, json_schema_extra=_medicare_age_schema,
        description="Age Medicare Part B and Part D begin, from the first of that birthday's "
        "month as at 65 (default: the Medicare eligibility age, 65). A person — or the spouse "
        "of one — covered by a group health plan through current employment may delay Part B "
        "and enroll later in a special enrollment period without the late penalty (42 U.S.C. "
        "§1395p(i); 42 CFR §407.20): IRMAA is owed only from then (42 U.S.C. §1395r(i)). Not "
        "inferred from wages; not checked against them. At least the eligibility age, reached "
        "within the person's years of the plan. Marketplace coverage still ends at the "
        "eligibility age: premium-free Part A is minimum essential coverage (IRC "
        "§36B(c)(2)(B); Notice 2013-41).")
    separated_at_55: bool = Field(False, description="Left the plan's employer in or after the "
                                  "year of turning 55: plan money is free of the 10% tax "
                                  "(§72(t)(2)(A)(v)).")
    public_safety: bool = Field(False, description="Left the plan's employer as a public safety "
                                "employee in or after the year of turning 50, or after 25 years "
                                "of service under the plan (years_of_service_at_retirement), "
                                "whichever is earlier: plan money is free of the 10% tax from "
                                "that separation (§72(t)(10)), IRAs' never. Who qualifies: from "
                                "a governmental plan (§414(d)), a qualified public safety "
                                "employee of a State or locality — police, firefighters, "
                                "emergency medical services, corrections officers and forensic "
                                "security employees — or a federal law enforcement officer, "
                                "customs and border protection officer, federal firefighter, "
                                "air traffic controller, nuclear materials courier, Capitol or "
                                "Supreme Court police officer or diplomatic security agent "
                                "(§72(t)(10)(B), SECURE 2.0 §330); from any 401(k), "
                                "other §401(a) plan or 403(b), one who provides firefighting "
                                "services, a private employer's too (§72(t)(10)(A), SECURE 2.0 "
                                "§308).")
    years_of_service_at_retirement: float | None = Field(
        None, ge=0, le=MAX_RETIREMENT_AGE, description="Years of service under the plan at the "
        "separation (with public_safety): enough of them free the plan money of the 10% tax "
        "from the separation whatever the age (§72(t)(10)(A), SECURE 2.0 §329). Empty: the age "
        "alone decides.")
    five_percent_owner: bool = Field(False, description="Owns more than 5% of the employer "
                                     "(§416(i)(1)(B)), counting what a spouse, children, "
                                     "grandchildren and parents own (§416(i)(1)(B)(iii), "
                                     "§318(a)(1)): the plan account's RMDs start at the "
                                     "applicable age even while the wages go on; one who is a "
                                     "5% owner in the plan year ending in the year of the "
                                     "applicable age stays one (§401(a)(9)(C)(ii)(I)).")
    blind: bool = Field(False, description="Blind: the additional standard deduction of "
                        "§63(f)(2) (law data `income_tax.additional_standard_deduction`) on every return "
                        "the person is on — the couple's joint return, and the survivor's own.")
    converts: bool = Field(True, description="May convert this person's pre-tax money to Roth.")
    social_security: SocialSecurity = Field(default_factory=SocialSecurity)
    pension: Pension = Field(default_factory=Pension)
    accounts: Accounts = Field(default_factory=Accounts)


class OtherIncome(_Model):
    """Income outside the accounts, wages and pensions: rent, a business's profit, an annuity
    bought outside a plan, a part-time fee.  Ordinary taxable income of the person's: in
    federal AGI (so in §86 provisional income, IRMAA's MAGI and the ACA's household income)
    and the state's AGI as other income — never wages: not earnings for Social Security's
    earnings test, not work for the plan's employer (RMDs, the plan before separation), not
    wages for a state's rule."""

    person: int = Field(0, ge=0, le=1, description="Whose income it is (0 or 1): paid while "
                        "that person lives.")
    annual: float = Field(ge=0, le=MAX_AMOUNT, description="Yearly amount, today's dollars "
                          "(grown with inflation where `indexed`; else the same nominal "
                          "dollars every year).")
    start_year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="First year "
                                   "(default: the start year).")
    end_year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="Last year, "
                                 "included (default: the plan's last year).")
    indexed: bool = Field(True, description="Grows with inflation (default); false: the same "
                          "nominal dollars every year.")


class InheritedBeneficiary(Beneficiary):
    """Who died and when, and how the heir is related: a case's `beneficiary` section. A plan
    starts on January 1 of start_year with the account's balance: it refuses `missed`,
    `prior_year_end_balance` and `distributed_this_year` (price them with `dist401k assess`)."""

    @model_validator(mode="after")
    def _consistent(self) -> "InheritedBeneficiary":
        # The case's checks run in Household._inherited_problems (planner.inherited's
        # beneficiary_problems), naming the field under inherited.<j>.beneficiary.
        return self


class Inherited(_Model):
    """An account inherited from someone else (not the other member of the couple)."""

    heir: int = Field(0, ge=0, le=1, description="Which person inherited it (0 or 1).")
    balance: float = Field(ge=0, le=MAX_AMOUNT, description="Its value on January 1 of the start year.")
    beneficiary: InheritedBeneficiary = Field(description="Who died and when, and how the heir is "
                                     "related (the `beneficiary` section of a case).")
    governmental: bool = Field(False, description="A plan account (`beneficiary.account: plan`) "
                               "of a governmental employer (§414(d)): the 10-year rule only for "
                               "deaths after 2021 (SECURE Act §401(b)).")


class SeppSeries(_Model):
    """A 72(t) series of substantially equal periodic payments (IRC §72(t)(2)(A)(iv), Notice
    2022-6) from one person's IRA or plan account, starting in the plan's first year."""

    person: int = Field(0, ge=0, le=1)
    account: Literal["ira", "plan"] = Field("ira", description="A plan only after separation "
                                            "from service (§72(t)(3)(B)).")
    balance: float | None = Field(None, ge=0, le=MAX_AMOUNT, description="The part of the account that pays "
                                  "the series (an IRA split off for it); default: all of it.")
    first_payment: Date = Field(description="Date of the first payment (in the start year).")
    method: Literal["amortization", "annuitization", "rmd"] = "amortization"
    rate: float | None = Field(None, ge=0, le=MAX_YIELD, description="Interest rate (at most the "
                               "Notice 2022-6 ceiling: the greater of the floor and 120% of the "
                               "federal mid-term rate; `dist401k sepp` shows it); default: the "
                               "floor, `sepp.rate_floor` of the first payment's year.")
    table: Literal["single", "uniform"] = "single"


class Taxable(_Model):
    balance: float = Field(0, ge=0, le=MAX_AMOUNT, description="Brokerage account value.")
    basis: float = Field(0, ge=0, le=MAX_AMOUNT, description="Its cost basis.")
    dividend_yield: float = Field(DEFAULT_DIVIDEND_YIELD, ge=0, le=MAX_YIELD,
                                  description="Qualified dividends a year, "
                                  "as a share of the value (part of the return).")
    community_property: bool | None = Field(None, description="A couple's account is community "
                                            "property: at the first death all of it takes its "
                                            "value then as basis (IRC §1014(b)(6)), not only "
                                            "the decedent's half of a joint account (§2040(b)); "
                                            "default: as the state of residence that year is a "
                                            "community property state or not.")


#: Spending that changes: the largest multiple of the base spending a change may ask, the
#: longest run of years of a planned expense, the most changes or expenses a plan lists (bounds
#: of the input, not law).
MAX_SPENDING_FRACTION, MAX_EXPENSE_YEARS, MAX_SPENDING_ENTRIES = 10.0, 100, 50


class SpendingChange(_Model):
    """From a year on, the base spending is ``fraction`` × ``spending.annual`` (a step down at
    80, a mortgage paid off): the year is ``from_year``, or the calendar year in which the
    first person of the plan (``people.0``) reaches ``from_age`` (birth year + age), whether
    alive or not.  The survivor's share multiplies on top."""

    from_year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="First year "
                                  "of the new spending (give this or from_age).")
    from_age: int | None = Field(None, ge=0, le=MAX_LIFE_EXPECTANCY, description="The new "
                                 "spending starts in the calendar year the first person of the "
                                 "plan (people.0) reaches this age (give this or from_year).")
    fraction: float = Field(ge=0, le=MAX_SPENDING_FRACTION, description="From that year the "
                            "base spending is this share of spending.annual (0.8: a fifth "
                            "less), until the next change.")


class Expense(_Model):
    """A planned expense on top of the spending: a roof, a car, a wedding — or, with ``years``,
    a run of payments such as a mortgage's.  Paid in full while anyone of the plan lives: not
    scaled by the spending the plan finds, not cut by the survivor's share."""

    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="Year of the expense (the "
                      "first, for a run of years).")
    amount: float = Field(ge=0, le=MAX_AMOUNT, description="After-tax amount a year, today's "
                          "dollars (grown with inflation), or the nominal dollars of each "
                          "year where `indexed` is false.")
    years: int = Field(1, ge=1, le=MAX_EXPENSE_YEARS, description="Years it is paid, from "
                       "`year` (default 1: once).")
    indexed: bool = Field(True, description="The amount grows with inflation (default); false: "
                          "the same nominal dollars every year, as a fixed-rate mortgage's "
                          "payment.")
    label: str | None = Field(None, max_length=MAX_NAME, description="What it is for (shown "
                              "in the output).")


class Inflow(_Model):
    """Money received in a year that is not income: a gift or an inheritance (excluded from
    gross income, IRC §102(a)), or the net proceeds of a home sold with its gain within the
    §121 exclusion (a gain above it is not modelled).  It is cash: it goes into the cash
    account at the start of its year, all of it basis, to spend that year and after."""

    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="Year it is received (at the "
                      "start of the year).")
    amount: float = Field(ge=0, le=MAX_AMOUNT, description="Amount received, today's dollars "
                          "(grown with inflation), or the nominal dollars of its year where "
                          "`indexed` is false.")
    indexed: bool = Field(True, description="The amount is in today's dollars (default); "
                          "false: nominal dollars of its year.")
    label: str | None = Field(None, max_length=MAX_NAME, description="What it is (shown in "
                              "the output).")
    basis: float | None = Field(None, ge=0, le=MAX_AMOUNT, description="Its basis: leave it "
                                "out for cash (all of it is basis); shares with a carried-over "
                                "basis (IRC §1015) are not modelled.")


class Spending(_Model):
    annual: float = Field(0, ge=0, le=MAX_AMOUNT, description="After-tax spending need a year, today's "
                          "dollars, that every strategy pays under objective max_estate; under "
                          "max_spending not the spending planned, and nothing is measured "
                          "against it (each strategy's shortfall is of what it itself pays).")
    survivor_fraction: float = Field(DEFAULT_SURVIVOR_SPENDING, ge=0, le=1,
                                     description="Share the survivor spends.")
    bequest: float = Field(0, ge=0, le=MAX_AMOUNT, description="After-tax estate to leave at "
                           "the end, today's "
                           "dollars (objective max_spending).")
    changes: list[SpendingChange] = Field(
        default_factory=list, max_length=MAX_SPENDING_ENTRIES, description="Changes of the base "
        "spending over time, in increasing order of their years: from each one's year the "
        "base spending is its fraction × the spending (objective max_spending: × the level "
        "the plan finds).")
    expenses: list[Expense] = Field(
        default_factory=list, max_length=MAX_SPENDING_ENTRIES, description="Planned expenses "
        "on top of the spending, paid in full in their years.")

    @property
    def flat(self) -> bool:
        """A constant real spending (× the survivor's share): no changes and no expenses."""
        return not self.changes and not self.expenses

    def change_years(self, head_birth_year: int) -> list[int]:
        """Each change's first year: ``from_year``, or the year ``people.0`` (born in
        ``head_birth_year``) reaches ``from_age``."""
        return [c.from_year if c.from_year is not None else head_birth_year + (c.from_age or 0)
                for c in self.changes]

    def schedule(self, years: Any, head_birth_year: int) -> tuple[Any, Any, Any]:
        """Over ``years`` (an array of calendar years): the profile — the base spending's
        multiple of ``annual`` each year, 1 before the first change —, the expenses in today's
        dollars (to be grown with the price level) and those in nominal dollars (``indexed``
        false), each an array shaped like ``years``."""
        import numpy as np

        yrs = np.asarray(years)
        profile = np.ones(yrs.shape)
        for first, c in zip(self.change_years(head_birth_year), self.changes, strict=True):
            profile = np.where(yrs >= first, c.fraction, profile)
        real, nominal = np.zeros(yrs.shape), np.zeros(yrs.shape)
        for e in self.expenses:
            run = (yrs >= e.year) & (yrs < e.year + e.years)
            if e.indexed:
                real = real + np.where(run, e.amount, 0.0)
            else:
                nominal = nominal + np.where(run, e.amount, 0.0)
        return profile, real, nominal


class Charity(_Model):
    """A yearly charitable gift.  From 70½ it is paid, as far as the law lets, by qualified
    charitable distributions: straight from a person's IRAs to the charity, up to the year's
    limit a person, left out of gross income (so out of AGI and IRMAA's MAGI) and counted
    toward that IRA's RMD (IRC §408(d)(8); Pub. 590-B).  A 401(k), 403(b) or 457(b) cannot pay
    one.  The rest of the gift is paid from after-tax money, with no deduction (the plan takes
    the standard deduction)."""

    annual: float = Field(0, ge=0, le=MAX_AMOUNT, description="Gift a year, today's dollars "
                          "(grown with inflation), while anyone lives.")
    qcd: bool = Field(True, description="Pay the gift by qualified charitable distributions "
                      "from IRAs where the law allows (from 70½, up to `charity.qcd_limit`).")


class Marketplace(_Model):
    """Health coverage bought on a Health Insurance Marketplace before Medicare, and its
    premium tax credit (IRC §36B).  Each person is covered from the first year until the month
    before Medicare begins (the month of the 65th birthday); the premium, less the credit the
    year's household income allows, is a cost of the year like the spending need."""

    benchmark_premium: float = Field(ge=0, le=MAX_AMOUNT, description="Yearly premium of the "
                                     "benchmark plan (the second-lowest-cost silver plan) for "
                                     "the people of the plan not yet on Medicare in the first "
                                     "year, today's dollars (HealthCare.gov shows it); split "
                                     "equally between them.")
    premium: float | None = Field(None, ge=0, le=MAX_AMOUNT, description="Yearly premium of the "
                                  "plan bought, for the same people, today's dollars (default: "
                                  "the benchmark).")
    household_size: int | None = Field(None, ge=1, le=MAX_HOUSEHOLD_SIZE, description="People on the tax "
                                       "return (the tax family, §36B(d)(1)), dependents "
                                       "included; one fewer after the first death. Default: "
                                       "the plan's people alive that year.")
    region: Literal["contiguous", "alaska", "hawaii"] = Field(
        "contiguous", description="Which poverty guidelines apply: the 48 contiguous states "
        "and D.C., Alaska or Hawaii.")
    first_year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="First year of "
                                   "marketplace coverage (default: the start year).")
    last_year: int | None = Field(None, ge=FIRST_YEAR, le=LAST_YEAR, description="Last year of "
                                  "marketplace coverage (default: until Medicare).")
    premium_growth: float | None = Field(None, ge=MIN_GROWTH, le=MAX_GROWTH, description="Yearly growth "
                                         "of the premiums (default: inflation).")
    medicaid: bool = Field(False, description="Take Medicaid, with no premium, in a year whose "
                           "household income is within the Medicaid adult group of the state "
                           "of residence (to 138% of the poverty line where the state expanded "
                           "Medicaid; needs `state`). From 2027 the group is open only to an "
                           "adult who shows 80 hours a month of work, community service or "
                           "school, or is exempt (42 U.S.C. §1396a(xx)). Default: the "
                           "marketplace plan is bought at full price in such a year (no credit "
                           "is allowed there, IRC §36B(c)(2)(B)).")


class Market(_Model):
    stocks: float = Field(DEFAULT_STOCKS, ge=-MAX_RETURN, le=MAX_RETURN,
                          description="Yearly stock return (fixed plan).")
    bonds: float = Field(DEFAULT_BONDS, ge=-MAX_RETURN, le=MAX_RETURN)
    cash: float = Field(DEFAULT_CASH, ge=-MAX_RETURN, le=MAX_RETURN, description="Cash / bills return.")
    stock_share: float = Field(DEFAULT_STOCK_SHARE, ge=0, le=1,
                               description="Share of invested money in stocks.")
    inflation: float | None = Field(None, ge=MIN_GROWTH, le=MAX_GROWTH, description="Yearly inflation "
                                    "(default: the law's assumed chained CPI).")
    fee: float = Field(0.0, ge=0, le=MAX_FEE, description="Yearly investment fees (fund expense "
                       "ratios plus an advisory fee) as a share of the invested money (0.01 for "
                       "1%): taken from the return of the pre-tax, Roth and brokerage money every "
                       "year, on the fixed plan and on every market path — (1 + r)(1 − fee) − 1; "
                       "not from cash. Not deductible (IRC §67(g)).")

    def invested_return(self) -> float:
        """The fixed plan's yearly return of the invested money (stocks and bonds at
        ``stock_share``, rebalanced), net of ``fee``
        (:func:`~dist401k.planner.returns.net_of_fee`)."""
        from dist401k.planner.returns import net_of_fee

        return float(net_of_fee(self.stock_share * self.stocks + (1 - self.stock_share) * self.bonds,
                                self.fee))


class Strategy(_Model):
    objective: Literal["max_spending", "max_estate"] = "max_spending"
    heirs_rate: float = Field(DEFAULT_HEIRS_RATE, ge=0, le=MAX_HEIRS_RATE,
                              description="Heirs' tax rate on pre-tax money "
                              "left (valuing the estate).")
    fill_bracket: float = Field(DEFAULT_FILL_BRACKET, gt=MIN_FILL_BRACKET,
                                lt=MAX_FILL_BRACKET, description="Bracket rate to fill with "
                                "conversions in the bracket-filling strategy: an ordinary "
                                "income tax rate of the law below the top one (the top "
                                "bracket has no top to fill to; IRC §1(j)(2)), checked "
                                "against the law's brackets of every year of the plan. "
                                "Default: 0.22, a plan option.")
    systematic_rate: float = Field(DEFAULT_SYSTEMATIC_RATE, ge=0, le=MAX_SHARE,
                                   description="Systematic strategy: share "
                                   "of invested money withdrawn each year.")
    max_conversion: float | None = Field(None, ge=0, le=MAX_AMOUNT, description="Cap on a year's Roth "
                                         "conversion (today's $), all strategies.")
    roth_conversions: bool = True
    medicare: bool = Field(True, description="Count Medicare IRMAA surcharges as a cost.")
    irmaa_appeal: bool = Field(False, description="After a person's work stops (their "
                               "`retirement_age`), ask SSA to figure IRMAA on a more recent "
                               "year's income where that lowers it (form SSA-44, a work "
                               "stoppage: 20 CFR 418.1201, 418.1205(d)); without it the plan "
                               "says what the request would save.")
    search_claiming: bool = Field(False, description="Choose each person's Social Security "
                                  "claiming month (from the earliest claiming age, or the age "
                                  "at the start, to the last age of delayed credit) with the "
                                  "drawdown; the plan compares it with full retirement age and "
                                  "the last age. Replaces `claim_age` of the people who have a "
                                  "benefit.")


#: What every door says of ``monte_carlo.paths`` below 1 in a plan: how to plan without Monte
#: Carlo instead (the file's paths are checked before the command's --paths replaces them).
NO_PATHS = ("must be at least 1 (to plan without Monte Carlo, leave it out and run "
            "`dist401k plan --no-monte-carlo` or `--paths 0`, or POST /plan?paths=0)")


class MonteCarlo(_Model):
    paths: int = Field(DEFAULT_PATHS, ge=1, le=MAX_PATHS, description="Market paths (through the "
                       "API at most 2,000 a request, or its `paths` query's).")

    @field_validator("paths", mode="before")
    @classmethod
    def _some_paths(cls, v: Any) -> Any:
        """0 (or fewer) paths refused with the way to skip Monte Carlo (:data:`NO_PATHS`); any
        other value is left to the field's own checks."""
        if (isinstance(v, int | float) and not isinstance(v, bool) and float(v).is_integer()
                and v < 1):
            raise ValueError(NO_PATHS)
        return v
    model: Literal["bootstrap", "lognormal", "historical"] = "bootstrap"
    seed: int = Field(1, ge=0, le=MAX_SEED)
    confidence: float | None = Field(None, ge=MIN_CONFIDENCE, le=MAX_CONFIDENCE,
                                     description="A target success "
                                     "rate (0.9 for 90%): the plan adds the most constant "
                                     "spending a year whose success over the paths is at "
                                     "least this, beside the optimum's.")
    lifetimes: Literal["fixed", "random"] = Field("fixed", description="`fixed`: everyone "
                                                  "lives to the plan's horizon on every path; "
                                                  "`random`: each path draws each person's "
                                                  "year of death from SSA's death "
                                                  "probabilities (by sex and year of birth).")


class Guardrails(_Model):
    """Spending rules that change spending path by path as the markets go (plan options, not
    law): the Guyton–Klinger decision rules (Journal of Financial Planning, March 2006) and a
    risk-based guardrail; each is a strategy of its own, drawn in the conventional order."""

    guyton_klinger: bool = Field(False, description="Add the Guyton–Klinger strategy.")
    risk_based: bool = Field(False, description="Add the risk-based guardrail strategy.")
    initial_spending: float | None = Field(None, gt=0, le=MAX_AMOUNT, description="First "
                                           "year's after-tax spending, today's dollars, more "
                                           "than 0 (0 would spend nothing every year: a rule "
                                           "cuts and raises by shares of it) (default: the "
                                           "optimum's constant spending; objective "
                                           "max_estate: spending.annual).")
    band: float = Field(GK_BAND, gt=0, le=MAX_BAND, description="Guyton–Klinger guardrails: how far "
                        "(a share) the withdrawal rate may move from its initial level before "
                        "a cut or a raise.")
    adjustment: float = Field(GK_ADJUSTMENT, gt=0, le=MAX_SHARE,
                              description="Guyton–Klinger: each cut or "
                              "raise, a share of the spending.")
    no_cut_final_years: int = Field(GK_NO_CUT_FINAL_YEARS, ge=0, le=MAX_NO_CUT_YEARS,
                                    description="Guyton–Klinger: no "
                                    "capital-preservation cut in this many last years.")
    inflation_cap: float = Field(GK_INFLATION_CAP, ge=0, le=MAX_GROWTH,
                                 description="Guyton–Klinger: the "
                                 "largest inflation raise of a year.")
    success_low: float = Field(RISK_SUCCESS_LOW, ge=0, le=1, description="Risk-based: cut when the "
                               "success of the rest of the plan falls below this.")
    success_high: float = Field(RISK_SUCCESS_HIGH, ge=0, le=1, description="Risk-based: raise when it "
                                "rises above this.")
    step: float = Field(RISK_STEP, gt=0, le=MAX_SHARE, description="Risk-based: each cut or raise, a "
                        "share of the spending.")
    interval: int = Field(1, ge=1, le=MAX_REVIEW_YEARS, description="Risk-based: years between reviews.")


class Move(_Model):
    """A change of state of residence: from January 1 of ``year`` the household lives, and is
    taxed, in ``state`` (the plan's years are whole years: a move during a year is planned as
    made at its start)."""

    year: int = Field(ge=FIRST_YEAR, le=LAST_YEAR, description="First year of residence in "
                      "the new state (after the start year, within the plan).")
    state: str = Field(min_length=1, max_length=MAX_STATE_TEXT, description="The new state "
                       "(USPS code: FL, TX …).", json_schema_extra={"enum": list(STATE_CODES)})

    @field_validator("state", mode="before")
    @classmethod
    def _code(cls, v: Any) -> Any:
        return v.strip().upper() if isinstance(v, str) else v


class Horizon(_Model):
    """Where the plan ends when it is not each person's fixed `life_expectancy`."""

    survival: float = Field(ge=MIN_SURVIVAL, le=MAX_CONFIDENCE,
                            description="Plan until the household (the last "
                            "survivor of a couple) is outlived with this probability: 0.9 ends "
                            "the plan in the year after which the chance that anyone is still "
                            "alive is at most 10% (SSA's death probabilities, by sex and year "
                            "of birth).")


def _law_years() -> tuple[int, int]:
    """The first and last year dist401k has law for (``meta.years``: enacted, then projected)."""
    from dist401k.law.loader import default_law

    return default_law().known_years


def _law_years_schema(schema: dict[str, Any]) -> None:
    """``start_year``'s bounds in the JSON Schema: the law's years, read when the schema is
    made (``dist401k schema plan``, the API's OpenAPI description)."""
    schema["minimum"], schema["maximum"] = _law_years()


class Household(_Model):
    """A drawdown case (``dist401k plan CASE``)."""

    id: str | None = None
    start_year: int = Field(description="First year of the plan (balances as of January 1): a "
                            "year dist401k has law for.", json_schema_extra=_law_years_schema)
    state: str | None = Field(None, min_length=1, max_length=MAX_STATE_TEXT,
                              description="State of residence (USPS code: NY, NJ, FL …): the "
                              "plan adds its income tax to the federal tax every year "
                              "(docs/plan.md). Absent: federal tax only.",
                              json_schema_extra={"enum": [*STATE_CODES, None]})
    move: Move | None = Field(None, description="A move to another state in a later year of "
                              "the plan (needs `state`).")
    new_york_city: bool = Field(False, description="The household lives in New York City while "
                                "its state is New York: the city's personal income tax is "
                                "added (NY Tax Law §1304; NYC Administrative Code §11-1701).")
    yonkers: bool = Field(False, description="The household lives in the City of Yonkers while "
                          "its state is New York: the city's resident income tax surcharge on "
                          "the net state tax is added (NY Tax Law §1321).")
    maryland_county: MarylandCounty = Field(
        None, description="The Maryland county (or Baltimore City) the household lives in while "
        "its state is Maryland, by name (Montgomery, Prince George's, Baltimore City …): its "
        "county income tax on Maryland taxable income is added (Md. Code, Tax-General §10-106). "
        "Absent: the state's tax alone.")
    social_security_expected: bool = Field(
        False, description="Everyone of the plan will receive Social Security or Railroad "
        "Retirement benefits, though none is entered in `people[].social_security`: New "
        "Jersey's special exclusion for a filer 62 or older who never can (N.J.S.A. 54A:6-15; "
        "NJ-1040 line 28b) then does not apply. A benefit entered implies it. Without either, a "
        "New Jersey year that could claim the exclusion is refused (it is not modelled).")
    people: list[Person] = Field(min_length=1, max_length=2, description="One person, or a "
                                 "married couple filing jointly.")
    taxable: Taxable = Field(default_factory=Taxable)
    cash: float = Field(0, ge=0, le=MAX_AMOUNT)
    spending: Spending = Field(default_factory=Spending)
    charity: Charity = Field(default_factory=Charity)
    market: Market = Field(default_factory=Market)
    strategy: Strategy = Field(default_factory=Strategy)
    monte_carlo: MonteCarlo = Field(default_factory=MonteCarlo)
    guardrails: Guardrails = Field(default_factory=Guardrails)
    horizon: Horizon | None = Field(None, description="End the plan at a survival percentile "
                                    "instead of each person's `life_expectancy`.")
    inherited: list[Inherited] = Field(default_factory=list, max_length=MAX_ENTRIES,
                                       description="Inherited IRAs and "
                                        "plan accounts: their yearly minimums and deadline.")
    sepp: SeppSeries | None = Field(None, description="A 72(t) series to reach pre-tax money "
                                    "before 59½ without the 10% tax.")
    marketplace: Marketplace | None = Field(None, description="Marketplace health coverage "
                                            "before Medicare and its premium tax credit.")
    magi_history: list[Annotated[float, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)]] = Field(
        default_factory=list, max_length=MAX_ENTRIES, description="Modified AGI of the "
                                      "two years before the start (oldest first), for the "
                                      "IRMAA look-back.")
    other_income: list[OtherIncome] = Field(
        default_factory=list, max_length=MAX_ENTRIES, description="Other taxable income "
        "(rent, a business, an annuity bought outside a plan): ordinary income in AGI, never "
        "wages (docs/plan.md).")
    inflows: list[Inflow] = Field(
        default_factory=list, max_length=MAX_SPENDING_ENTRIES, description="Money received "
        "that is not income — a gift or an inheritance (IRC §102(a)), a home's net proceeds "
        "with its gain within §121's exclusion: cash at the start of its year.")

    @field_validator("start_year")
    @classmethod
    def _known_year(cls, year: int) -> int:
        """A year dist401k has law for, checked before the people, whose checks read it: an
        unknown one is named alone (the model's checks run only on fields that pass)."""
        lo, hi = _law_years()
        if not lo <= year <= hi:  # the year is not echoed: nothing typed is
            raise ValueError(year_without_law(lo, hi))
        return year

    @model_validator(mode="after")
    def _check(self) -> "Household":
        bad = self._people_problems() + self._inherited_problems() + self._sepp_problems()
        bad += _other_income_problems(self)
        if self.guardrails.success_low >= self.guardrails.success_high:
            bad.append(("guardrails.success_low", "must be below guardrails.success_high"))
        bad += _marketplace_problems(self)
        if self.taxable.basis > 0 and self.taxable.balance == 0:
            bad.append(("taxable.basis", "is set with no balance"))
        bad += self._longevity_problems()
        bad += _state_problems(self)
        if bad:
            raise HouseholdProblems(bad)
        return self

    def _people_problems(self) -> list[tuple[str, str]]:
        """Each person alive at the start — born before January 1 of the start year, when the
        plan's first year begins (a rule of the input, the same in every door; the web page
        also refuses a birth after today) —, with no basis over its balance."""
        bad = []
        for i, p in enumerate(self.people):
            if p.birth_date.year >= self.start_year:
                bad.append((f"people.{i}.birth_date", f"is not before January 1, "
                            f"{self.start_year}, when the plan begins (start_year): each person "
                            "of the plan is born before it"))
            if p.birth_date.year + p.life_expectancy < self.start_year:
                bad.append((f"people.{i}.life_expectancy", "ends before the start year"))
            bad += _roth_first_year_problems(i, p, self.start_year)
            if p.birth_date.year < self.start_year:  # else the birth date's own problem says it
                flags = (_separated_at_55_problems(i, p, self.start_year)
                         + _public_safety_problems(i, p, self.start_year))
                # one contradiction of the person's work at a time: a flag's names it first
                bad += flags or _wages_problems(i, p, self.start_year)
            if p.accounts.roth_contributions and p.accounts.roth_contributions > p.accounts.roth:
                bad.append((f"people.{i}.accounts.roth_contributions", "is more than the Roth "
                            "balance"))
            if p.accounts.pretax_basis > p.accounts.pretax:
                bad.append((f"people.{i}.accounts.pretax_basis", "is more than the balance"))
            if p.accounts.ira_basis > p.accounts.ira:
                bad.append((f"people.{i}.accounts.ira_basis", "is more than the balance"))
        return bad

    def _inherited_problems(self) -> list[tuple[str, str]]:
        """Each inherited account held by a person of the case, its owner dead before the
        start; only a plan's account is governmental."""
        bad = []
        for j, a in enumerate(self.inherited):
            if a.heir >= len(self.people):
                bad.append((f"inherited.{j}.heir", "names a person the case does not have"))
            elif a.governmental and a.beneficiary.account != "plan":
                bad.append((f"inherited.{j}.governmental", "applies to a plan account "
                            "(beneficiary.account: plan), not an IRA"))
            bad += beneficiary_problems(j, a.beneficiary, self.start_year)
        return bad

    def _sepp_problems(self) -> list[tuple[str, str]]:
        """The 72(t) series: a person of the case, starting in the start year, from a balance
        held, from a plan only after separation from service."""
        sp = self.sepp
        if sp is None:
            return []
        if sp.person >= len(self.people):
            return [("sepp.person", "names a person the case does not have")]
        if sp.first_payment.year != self.start_year:
            return [("sepp.first_payment", "must be in the start year")]
        bad = []
        person = self.people[sp.person]
        held = person.accounts.ira if sp.account == "ira" else person.accounts.pretax
        if (sp.balance or held) > held or held == 0:
            bad.append(("sepp.balance", f"is more than the {sp.account} balance"))
        if sp.account == "plan" and person.retirement_age is not None \
                and person.wages_from_plan_employer \
                and person.birth_date.year + person.retirement_age > self.start_year:
            bad.append(("sepp.account", "a plan pays a 72(t) series only after "
                        "separation from service (IRC §72(t)(3)(B))"))
        return bad

    def _longevity_problems(self) -> list[tuple[str, str]]:
        """Random lifetimes and a survival horizon read SSA's table of each person's sex."""
        why = [w for w, on in (("random lifetimes (monte_carlo.lifetimes)",
                                self.monte_carlo.lifetimes == "random"),
                               ("a survival horizon (horizon.survival)", self.horizon is not None))
               if on]
        if not why:
            return []
        return [(f"people.{i}.sex", f"is needed for {' and '.join(why)}: male or female")
                for i, p in enumerate(self.people) if p.sex is None]

    @field_validator("state", mode="before")
    @classmethod
    def _code(cls, v: Any) -> Any:
        return v.strip().upper() if isinstance(v, str) else v

    @model_validator(mode="after")
    def _spending_check(self) -> "Household":
        """The spending's changes and expenses within the plan's years, the changes in order
        (:func:`_spending_problems`)."""
        bad = _spending_problems(self)
        if bad:
            raise HouseholdProblems(bad)
        return self

    @model_validator(mode="after")
    def _inflows_check(self) -> "Household":
        """Each inflow in a year of the plan, and cash (:func:`_inflow_problems`)."""
        bad = _inflow_problems(self)
        if bad:
            raise HouseholdProblems(bad)
        return self

    @property
    def couple(self) -> bool:
        return len(self.people) == 2

    def state_in(self, year: int) -> str | None:
        """The state of residence in ``year`` (the move's from its year on), or None."""
        if self.move is not None and year >= self.move.year:
            return self.move.state
        return self.state


def _spending_problems(hh: "Household") -> list[tuple[str, str]]:
    """Each change of the spending and each expense in a year of the plan — from ``start_year``
    to the last year of its lifetimes (or its survival horizon) —, the changes in increasing
    order of their years, one a year, each change given by exactly one of ``from_year`` and
    ``from_age``."""
    sp = hh.spending
    if sp.flat:
        return []
    first, last = hh.start_year, _last_plan_year(hh)
    where = f"the plan's years are {first}–{last}" if last is not None else ""
    bad: list[tuple[str, str]] = []
    head = hh.people[0].birth_date.year
    before: int | None = None
    for i, (c, year) in enumerate(zip(sp.changes, sp.change_years(head), strict=True)):
        name = f"spending.changes.{i}"
        if (c.from_year is None) == (c.from_age is None):
            bad.append((name, "give from_year or from_age (one of them)"))
            continue
        field = f"{name}.{'from_year' if c.from_year is not None else 'from_age'}"
        what = f"{year}" if c.from_year is not None else f"reached in {year}"
        if year < first or (last is not None and year > last):
            bad.append((field, f"{what} is outside the plan: {where}"))
        elif before is not None and year <= before:
            bad.append((field, f"{what} is {'the year of' if year == before else 'before'} the "
                        f"change before it ({before}): list the changes in increasing order of "
                        "their years, one a year"))
        before = year
    for j, e in enumerate(sp.expenses):
        name = f"spending.expenses.{j}"
        if e.year < first or (last is not None and e.year > last):
            bad.append((f"{name}.year", f"{e.year} is outside the plan: {where}"))
        elif last is not None and e.year + e.years - 1 > last:
            bad.append((f"{name}.years", f"{e.years} years from {e.year} run past the plan's "
                        f"last year ({last})"))
    return bad


def _inflow_problems(hh: "Household") -> list[tuple[str, str]]:
    """Each inflow received in a year of the plan (``start_year`` to its last year), and cash:
    a basis, where given, equal to the amount (shares with a carried-over basis, §1015, are
    not modelled)."""
    if not hh.inflows:
        return []
    first, last = hh.start_year, _last_plan_year(hh)
    bad: list[tuple[str, str]] = []
    for j, f in enumerate(hh.inflows):
        name = f"inflows.{j}"
        if f.year < first or (last is not None and f.year > last):
            where = f"{first}–{last}" if last is not None else f"from {first}"
            bad.append((f"{name}.year", f"{f.year} is outside the plan: the plan's years are "
                        f"{where}"))
        if f.basis is not None and f.basis != f.amount:
            bad.append((f"{name}.basis", "must equal the amount (money received is cash, all "
                        "basis): shares with a carried-over basis (IRC §1015) are not modelled"))
    return bad


def _last_plan_year(hh: "Household") -> int | None:
    """The plan's last year: the last person's ``life_expectancy`` reached, or the survival
    horizon's (:func:`with_horizon`); None where the horizon cannot be figured (a person's
    sex missing: that check names it)."""
    if hh.horizon is not None and any(p.sex is None for p in hh.people):
        return None
    return max(p.birth_date.year + p.life_expectancy for p in with_horizon(hh).people)


def _other_income_problems(hh: "Household") -> list[tuple[str, str]]:
    """Each other income a person of the case has, its years in order and not before the plan
    (the plan's last year is checked with the horizon, :func:`parse_household`)."""
    bad = []
    for j, o in enumerate(hh.other_income):
        if o.person >= len(hh.people):
            bad.append((f"other_income.{j}.person", "names a person the case does not have"))
        if o.start_year is not None and o.start_year < hh.start_year:
            bad.append((f"other_income.{j}.start_year", f"is before the plan's first year "
                        f"({hh.start_year})"))
        elif o.end_year is not None and o.end_year < (o.start_year or hh.start_year):
            bad.append((f"other_income.{j}.end_year", "is before its start_year (the first "
                        "year of the plan where start_year is not given)"))
    return bad


def _other_income_after_end(hh: "Household", end: int) -> list[FieldProblem]:
    """An other income whose first or last year is after the plan's last year ``end``."""
    bad = []
    for j, o in enumerate(hh.other_income):
        for name, year in (("start_year", o.start_year), ("end_year", o.end_year)):
            if year is not None and year > end:
                bad.append(FieldProblem(f"other_income.{j}.{name}", f"is after the plan's "
                                        f"last year ({end})"))
                break
    return bad


def _roth_first_year_problems(i: int, p: Person, start_year: int) -> list[tuple[str, str]]:
    """A first Roth contribution after the plan's first year, with Roth money held on January 1
    of it: impossible, for the five-year period begins with the taxable year of the first
    contribution (Treas. Reg. §1.408A-6, Q&A-2; §1.402A-1, Q&A-4), and the money on hand was
    put in that year or before. With no Roth money a later year is a contribution to come."""
    first = p.accounts.roth_first_year
    if first is None or first <= start_year or p.accounts.roth <= 0:
        return []
    return [(f"people.{i}.accounts.roth_first_year",
             f"is after {start_year}, the plan's first year, yet the person holds Roth money "
             "then: the five years begin with the year of the first Roth contribution "
             "(Treas. Reg. §1.408A-6, Q&A-2; §1.402A-1, Q&A-4)")]


def _separated_at_55_problems(i: int, p: Person, start_year: int) -> list[tuple[str, str]]:
    """``separated_at_55`` against the person's own facts: the exception needs a separation
    from service in or after the calendar year the person attains 55 (IRC §72(t)(2)(A)(v);
    Notice 87-13, Q&A-20), so a ``retirement_age`` whose calendar year comes before that year,
    or an already retired person (no ``retirement_age``: work stopped before the plan; or
    wages from another employer, ``wages_from_plan_employer`` false: the plan's employer left
    before the plan) who reaches 55 only after the plan's first year, contradicts it.  The age
    is the law's
    (``early_distributions.separation_age``); the public-safety age of §72(t)(10) is
    ``public_safety``'s (:func:`_public_safety_problems`)."""
    if not p.separated_at_55:
        return []
    from dist401k.law.loader import default_law
    from dist401k.planner.timeline import year_reaching

    law = default_law()
    age = float(law.scalar("early_distributions.separation_age", start_year))
    by, bm = p.birth_date.year, p.birth_date.month
    year_55 = int(year_reaching(by, bm, age))
    rule = (f"the rule of {age:g} needs a separation from service in or after the calendar year "
            f"of turning {age:g} (IRC §72(t)(2)(A)(v); Notice 87-13, Q&A-20)")
    if p.retirement_age is not None and p.wages_from_plan_employer:
        left = int(year_reaching(by, bm, p.retirement_age))
        if left < year_55:
            return [(f"people.{i}.separated_at_55", f"is set, yet retirement_age "
                     f"{p.retirement_age:g} ends work in {left}, before {year_55}: {rule}")]
    elif year_55 > start_year:
        why = ("with no retirement_age the person left work" if p.retirement_age is None else
               "with wages_from_plan_employer false the person left the plan's employer")
        return [(f"people.{i}.separated_at_55", f"is set, yet {why} before {start_year} and "
                 f"turns {age:g} only in {year_55}: {rule}")]
    return []


def _wages_problems(i: int, p: Person, start_year: int) -> list[tuple[str, str]]:
    """``wages`` that no year of the plan would pay, refused rather than dropped (nothing is
    silently guessed): wages run until ``retirement_age``, the share of each year before the
    month it is reached (the timeline's ``_incomes``), so with no ``retirement_age`` (the
    person is taken as already retired) or one reached by December of the year before
    ``start_year`` the wages would be none in every year."""
    if p.wages <= 0:
        return []
    if p.retirement_age is None:
        return [(f"people.{i}.wages", "is given, but there is no retirement_age, so the person is "
                 "taken as already retired and no wages are paid: give retirement_age (the age "
                 "the wages stop), or leave wages out")]
    # Age at December 31 of the year before the plan, months past the birthday's month counted.
    before = start_year - 1 - p.birth_date.year + (12 - p.birth_date.month) / 12.0
    if p.retirement_age <= before:
        return [(f"people.{i}.retirement_age", f"is {p.retirement_age:g}, reached before "
                 f"{start_year}, the plan's first year, so the wages (people.{i}.wages) are never "
                 "paid: give a later retirement_age, or leave wages out")]
    return []


def _public_safety_problems(i: int, p: Person, start_year: int) -> list[tuple[str, str]]:
    """``public_safety`` against the person's own facts, as ``separated_at_55`` is checked: the
    exception of §72(t)(10)(A) needs a separation from service in or after the calendar year
    the person attains 50 (``early_distributions.public_safety_age``), or after 25 years of
    service under the plan (``early_distributions.public_safety_years``, SECURE 2.0 §329),
    whichever is earlier.  A ``retirement_age`` whose year comes before the year of 50, or an
    already retired person who turns 50 only after the plan's first year, contradicts it unless
    ``years_of_service_at_retirement`` reaches the years.  Those years without the flag, or more
    of them than the person's age at the separation, are refused too."""
    field = f"people.{i}.years_of_service_at_retirement"
    service = p.years_of_service_at_retirement
    if service is not None and not p.public_safety:
        return [(field, "is set without public_safety: the years of service count only for "
                 "the public safety exception (IRC §72(t)(10))")]
    if service is not None and p.retirement_age is not None and service > p.retirement_age:
        return [(field, f"is more than retirement_age {p.retirement_age:g}: the years of "
                 "service under the plan end at the separation")]
    if not p.public_safety:
        return []
    return _public_safety_separation_problems(i, p, start_year)


def _public_safety_separation_problems(i: int, p: Person, start_year: int) -> list[tuple[str, str]]:
    """The separation of a ``public_safety`` person: in or after the year of 50, or after the
    years of service, or refused naming ``people.N.public_safety`` (IRC §72(t)(10)(A))."""
    from dist401k.law.loader import default_law
    from dist401k.planner.timeline import year_reaching

    law = default_law()
    age = float(law.scalar("early_distributions.public_safety_age", start_year))
    years = float(law.scalar("early_distributions.public_safety_years", start_year))
    if p.years_of_service_at_retirement is not None and p.years_of_service_at_retirement >= years:
        return []
    by, bm = p.birth_date.year, p.birth_date.month
    year_50 = int(year_reaching(by, bm, age))
    rule = (f"the public safety exception needs a separation from service in or after the "
            f"calendar year of turning {age:g}, or after {years:g} years of service under the "
            "plan (years_of_service_at_retirement) (IRC §72(t)(10)(A))")
    if p.retirement_age is not None and p.wages_from_plan_employer:
        left = int(year_reaching(by, bm, p.retirement_age))
        if left < year_50:
            return [(f"people.{i}.public_safety", f"is set, yet retirement_age "
                     f"{p.retirement_age:g} ends work in {left}, before {year_50}: {rule}")]
    elif year_50 > start_year:
        why = ("with no retirement_age the person left work" if p.retirement_age is None else
               "with wages_from_plan_employer false the person left the plan's employer")
        return [(f"people.{i}.public_safety", f"is set, yet {why} before {start_year} and "
                 f"turns {age:g} only in {year_50}: {rule}")]
    return []


def _state_problems(hh: "Household") -> list[tuple[str, str]]:
    """The state and the move: US state codes, a move after the start to another state."""
    from dist401k.tax.state.units import STATE_CODES

    bad = []
    for name, code in (("state", hh.state), ("move.state", hh.move and hh.move.state)):
        if code is not None and code not in STATE_CODES:
            bad.append((name, "is not a US state code (two letters: CA, NY, DC …)"))
    if hh.move is not None:
        if hh.state is None:
            bad.append(("move", "needs the state moved from: set `state`"))
        elif hh.move.state == hh.state:
            bad.append(("move.state", "is the state already lived in"))
        if hh.move.year <= hh.start_year:
            bad.append(("move.year", "must be after the start year (the state of the start "
                        "year is `state`)"))
    return bad + local_tax_problems((hh.state, hh.move and hh.move.state), hh.new_york_city,
                                    hh.yonkers, hh.maryland_county)


def _marketplace_problems(hh: "Household") -> list[tuple[str, str]]:
    """The marketplace section's own checks: its years inside the plan, in order."""
    mk = hh.marketplace
    if mk is None:
        return []
    bad = []
    first = hh.start_year if mk.first_year is None else mk.first_year
    if first < hh.start_year:
        bad.append(("marketplace.first_year", "is before the start year"))
    if mk.last_year is not None and mk.last_year < first:
        bad.append(("marketplace.last_year", "is before the first year of coverage"))
    if mk.medicaid and hh.state is None:
        bad.append(("marketplace.medicaid", "needs the plan's state: Medicaid is the state's"))
    return bad


class HouseholdProblems(FieldProblems):
    """The household's own checks, each naming its field."""


def parse_household(data: Any) -> Household:
    """A mapping → :class:`Household`, or :class:`InputError` naming each field."""
    try:
        hh = Household.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from_validation(
            exc, unknown="is not a field dist401k knows (see docs/plan.md)")) from None
    from dist401k.law.loader import default_law

    law = default_law()
    hi = law.known_years[1]  # start_year within the law's years: Household._known_year
    planned = with_horizon(hh)
    ends = [p.birth_date.year + p.life_expectancy for p in planned.people]
    end = max(ends)
    if end > hi:  # the horizon, or each person whose life runs past the law's last year
        past = [("horizon.survival", end)] if hh.horizon else [
            (f"people.{i}.life_expectancy", e) for i, e in enumerate(ends) if e > hi]
        raise InputError([FieldProblem(field, f"the plan runs to {e}, past the last year of "
                                       f"projected law ({hi})") for field, e in past])
    if hh.move is not None and hh.move.year > end:
        raise InputError(FieldProblem("move.year", f"{hh.move.year} is after the plan's last "
                                      f"year ({end})"))
    if late := _other_income_after_end(hh, end):
        raise InputError(late)
    _check_state_covered(hh)
    if overdue := overdue_problems(hh, law):
        raise InputError([FieldProblem(field, why) for field, why in overdue])
    problems = [FieldProblem(f"people.{i}.social_security.claim_age", why)
                for i, p in enumerate(hh.people)
                if (why := claim_age_problem(law, hh.start_year, p.social_security.claim_age))]
    problems += [FieldProblem(f"people.{i}.medicare_from_age", why)
                 for i, (p, e) in enumerate(zip(hh.people, ends, strict=True))
                 if (why := medicare_age_problem(law, hh.start_year, p.medicare_from_age)
                     or _medicare_after_end(p, e))]
    if problems:
        raise InputError(problems)
    if hh.marketplace is not None:
        from dist401k.planner.medicare import medicare_months_before

        first = hh.marketplace.first_year or hh.start_year
        if first > end or not medicare_months_before(
                law, [p.birth_date for p in hh.people], [first]).any():
            raise InputError(FieldProblem("marketplace.first_year", "no one of the plan is "
                                          "before Medicare in that year: nobody to cover"))
    return hh


def _medicare_after_end(p: Person, end: int) -> str | None:
    """A ``medicare_from_age`` first reached after the person's last year of the plan (``end``)
    would keep the person off Medicare for the whole plan: refused, as a typing slip is more
    likely than a plan that means it.  The year is the one whose month Part B begins
    (:func:`~dist401k.planner.medicare.medicare_months_before`)."""
    age = p.medicare_from_age
    if age is None:
        return None
    b = p.birth_date
    year = (b.year * 12 + (b.month - 1) - (1 if b.day == 1 else 0) + round(age * 12)) // 12
    if year <= end:
        return None
    return (f"is {age:g}, reached in {year}, after this person's last year of the plan ({end}): "
            "give an age reached within the plan, or leave it out")


def _check_state_covered(hh: Household) -> None:
    """A state whose income tax dist401k does not figure is refused by name: a plan without
    the state's tax would be wrong (docs/state.md lists the states covered)."""
    from dist401k.tax.state import COVERED

    for name, code in (("state", hh.state), ("move.state", hh.move and hh.move.state)):
        if code is not None and code not in COVERED:
            raise InputError(FieldProblem(name, f"{code}'s income tax is not modelled yet "
                                          f"(covered: {', '.join(COVERED)}); a plan without "
                                          "it would be wrong"))


def with_horizon(hh: Household) -> Household:
    """The household with each person's `life_expectancy` set by its survival horizon
    (``dist401k.planner.longevity.horizon_ages``); itself when it has none."""
    if hh.horizon is None:
        return hh
    from dist401k.planner.longevity import horizon_ages

    ages = horizon_ages(hh.people, hh.start_year, hh.horizon.survival)
    return hh.model_copy(update={"people": [p.model_copy(update={"life_expectancy": a})
                                            for p, a in zip(hh.people, ages, strict=True)]})


def claim_age_problem(law, year: int, claim_age: float | None) -> str | None:
    """Why a Social Security claiming age is refused, or None: a retirement benefit starts no
    earlier than the earliest claiming age (42 U.S.C. §402(a), §416(l)(2)) and earns no delayed
    credit after its last age (§402(w)), so a later claim only loses benefits.  The bounds are
    checked on the month the plan takes, the age rounded to the nearest month
    (:func:`~dist401k.planner.social_security_benefit.claim_month`, 20 CFR 404.311): 70.03 is
    70 and 0 months, taken; 70.05 is 70 and 1 month, refused."""
    if claim_age is None:
        return None
    from dist401k.planner.social_security_benefit import claim_month

    earliest = float(law.get("social_security.earliest_claim_age", year))
    last = float(law.get("social_security.delayed_credit_last_age", year))
    month = claim_month(claim_age)
    lead = "is " + _rounded_words(claim_age, month)
    if month < claim_month(earliest):
        return (f"{lead}before the earliest claiming age, {earliest:g} "
                f"({law.citation('social_security.earliest_claim_age')})")
    if month > claim_month(last):
        return (f"{lead}after {last:g}, the last age that earns delayed credit "
                f"({law.citation('social_security.delayed_credit_last_age')})")
    return None


def _rounded_words(claim_age: float, month: float) -> str:
    """"70 years and 1 month to the nearest month, " where the age given is not a whole month
    (a refusal then names the month it read, as :func:`claim_age_problem` checks it); "" where
    it is."""
    if abs(month - claim_age) < 1e-9:
        return ""
    months = round(month * 12)
    plural = "" if months % 12 == 1 else "s"
    return f"{months // 12} years and {months % 12} month{plural} to the nearest month, "


def household_schema() -> dict:
    """The JSON Schema of a drawdown plan file (`dist401k schema plan`)."""
    schema = Household.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "dist401k drawdown plan"
    return schema


def load_household(path: str | Path) -> Household:
    """Read a drawdown plan from YAML or JSON (its refusals say "not a drawdown plan"; a case
    or a tax request given instead is named as such: :func:`dist401k.io.files.other_kind`)."""
    return parse_household(read_case_file(path, PLAN))
