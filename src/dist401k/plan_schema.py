"""The published parts of ``POST /plan``'s answer (``DrawdownPlan`` in :mod:`dist401k.api`):
the optimiser's answer, each strategy and its Monte Carlo summary, each row of the year-by-year
table, and the blocks a plan adds only where the case asks for them (docs/plan.md; the keys are
:func:`dist401k.planner.plan.plan_json`'s).

As every published answer (docs/api.md, "Answers"), the answer is written by the engine's own
function, never filtered or completed by these models: they only describe it in the OpenAPI
description.  Each model allows further keys, so that nothing the plan says is refused; a key
present only sometimes is declared with :func:`absent` (not required, never null), and a figure
the JSON may give as null is ``number | null``.  Money is in dollars: "today's dollars" are the
plan's start year's, "nominal" each year's own.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: Further keys allowed (as :data:`dist401k.api.Open`).
Open = ConfigDict(extra="allow")


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def absent(description: str) -> Any:
    """A key the answer leaves out where it does not apply (never null, no default), as
    :func:`dist401k.api.absent`."""
    return Field(None, description=description, json_schema_extra=_no_default)


def _d(description: str) -> Any:
    """A required key and what it means."""
    return Field(description=description)


class PlanOptimiser(BaseModel):
    """The linear programme's own answer, before the exact pricing: what the programme found,
    not what the plan pays (docs/plan.md, "The optimum"); quote the ``optimal`` strategy's."""

    model_config = Open
    spending_real: float = _d("max_spending: the spending a year of its last solve under its "
                              "convex approximation of the tax; max_estate: `spending.annual` "
                              "(today's dollars).")
    estate_real: float = _d("The estate by the same approximation (today's dollars, after the "
                            "heirs' tax on pre-tax money).")
    passes: int = _d("The linear programmes solved.")
    status: str = _d("HiGHS's status of the last solve.")


class PlanPercentiles(BaseModel):
    """The 5th, 25th, 50th, 75th and 95th percentiles of a figure across the market paths."""

    model_config = Open
    p5: float = _d("5th percentile.")
    p25: float = _d("25th percentile.")
    p50: float = _d("Median.")
    p75: float = _d("75th percentile.")
    p95: float = _d("95th percentile.")


class PlanPercentilesByYear(BaseModel):
    """Each year's percentiles across the market paths (today's dollars), a list by year from
    the first year of the paths: the bands of a fan chart."""

    model_config = Open
    p5: list[float | None] = _d("Each year's 5th percentile; null: too few paths going.")
    p25: list[float | None] = _d("Each year's 25th percentile; null: too few paths going.")
    p50: list[float | None] = _d("Each year's median; null: too few paths going.")
    p75: list[float | None] = _d("Each year's 75th percentile; null: too few paths going.")
    p95: list[float | None] = _d("Each year's 95th percentile; null: too few paths going.")


_WITH_MC = "With Monte Carlo (paths > 0): "


class PlanMonteCarlo(BaseModel):
    """A strategy over the Monte Carlo market paths (docs/plan.md, "Risk"); an empty object
    where no paths were run (`paths` 0, `--no-monte-carlo`)."""

    model_config = Open
    paths: int = absent(_WITH_MC + "the paths run (the historical model: the start years).")
    model: str = absent(_WITH_MC + "the market model: `bootstrap`, `lognormal` or "
                        "`historical`.")
    success_rate: float = absent(_WITH_MC + "the share of paths on which the strategy pays, "
                                 "every year, what it pays in the comparison "
                                 "(`measured_against`).")
    success_rate_se: float = absent(_WITH_MC + "one binomial standard error of "
                                    "`success_rate`, √(p(1 − p)/paths), a share.")
    measured_against: str = absent(_WITH_MC + "what a path must pay to succeed, in words.")
    spending_percentiles: PlanPercentiles = absent(
        _WITH_MC + "the percentiles of each path's mean spending a year (today's dollars).")
    estate_percentiles: PlanPercentiles = absent(
        _WITH_MC + "the percentiles of the estate left (today's dollars).")
    balance_percentiles_by_year: PlanPercentilesByYear = absent(
        _WITH_MC + "each year's percentiles of the total balance (today's dollars; with "
        "random lifetimes over the paths still going).")
    spending_real: float = absent(
        "The optimum's: the spending a year its random-market policy is tested at (today's "
        "dollars): the most that policy sustains on the fixed returns, at most the optimum's.")
    policy: str = absent("The optimum's: its policy on random markets, in words (its Roth "
                         "conversions kept, the spending drawn in the conventional order).")
    lowest_spending_percentiles: PlanPercentiles = absent(
        "A guardrail's: the percentiles of each path's lowest year of spending (today's "
        "dollars).")
    spending_percentiles_by_year: PlanPercentilesByYear = absent(
        "A guardrail's: each year's percentiles of its spending (today's dollars).")
    lifetimes: str = absent("With random lifetimes: `random` (each path draws each person's "
                            "year of death).")
    years: list[int] = absent("With random lifetimes: the first and the last year the paths "
                              "ran.")
    paths_alive_by_year: list[int] = absent(
        "With random lifetimes: each year's paths still going (someone alive), from the first "
        "of `years`.")
    paths_alive_minimum: int = absent(
        "With random lifetimes: the fewest paths still going from which a year's percentiles "
        "are given (20, or 5% of `paths` where more); a year with fewer has null percentiles.")


class PlanStrategy(BaseModel):
    """A strategy of the comparison, priced by the exact tax on the case's fixed returns
    (docs/plan.md, "What it prints")."""

    model_config = Open
    key: str = _d("`order`, `systematic`, `fill`, `optimal` (the optimum: the figures to "
                  "quote), `guyton_klinger` or `risk_guardrail`.")
    label: str = _d("The strategy in words.")
    spending_real: float = _d("max_spending: the most constant spending a year it sustains "
                              "while leaving the bequest (the systematic strategy and a "
                              "guardrail: their mean); max_estate: `spending.annual` (today's "
                              "dollars, before any change of spending).")
    lifetime_tax: float = _d("Federal income tax with the 10% additional tax, over the plan "
                             "(nominal).")
    lifetime_tax_real: float = _d("The same in today's dollars.")
    lifetime_state_tax: float | None = _d(
        "The state income tax over the plan (nominal), beside the federal `lifetime_tax`: each "
        "year's `state_tax` of its year-by-year table added up; 0 without a `state` (the plan "
        "figures none); null where a year's state tax is not figured (those years in "
        "`state_tax_not_figured`), never a sum that leaves them out.")
    lifetime_state_tax_real: float | None = _d("The same in today's dollars (null as above).")
    state_tax_not_figured: list[int] = absent("Where `lifetime_state_tax` is null: the years "
                                              "whose state tax is not figured.")
    irmaa: float = _d("Medicare IRMAA surcharges over the plan (nominal).")
    roth_conversions: float = _d("Roth conversions over the plan (nominal).")
    estate_real: float = _d("The estate at the end, after the heirs' tax on pre-tax money "
                            "(today's dollars).")
    shortfall: float = _d("What it leaves unpaid over the plan on the fixed returns (nominal) "
                          "of what it itself is to pay, as `shortfall_measured_against` says: "
                          "max_spending: its own spending (the systematic strategy: the "
                          "planned expenses it pays beside its share, never "
                          "`spending.annual`); max_estate: the need; with each, the gift where "
                          "the case gives one.")
    shortfall_measured_against: str = _d("What `shortfall` is measured against, in words.")
    unpaid_expenses: float = absent("The systematic strategy's, where the case plans expenses: "
                                    "the planned expenses left unpaid (nominal).")
    monte_carlo: PlanMonteCarlo = _d("Its Monte Carlo summary; `{}` without Monte Carlo.")


class PlanYear(BaseModel):
    """A year of the optimum on the case's fixed returns (nominal dollars; docs/plan.md,
    "What it prints")."""

    model_config = Open
    year: int = _d("The calendar year.")
    ages: list[int | None] = _d("Each person's age that year; null once the plan has outlived "
                                "them.")
    filing_status: str = _d("`married_joint` or `single`.")
    projected: bool = _d("The year's law is projected past the last enacted year (marked †).")
    state: str = absent("With a state: the state of residence that year (USPS code).")
    wages: float = _d("Wages (the household's: a couple's both).")
    pension: float = _d("Pensions paid (the household's).")
    social_security: float = _d("Social Security paid (the household's), net of what the "
                                "earnings test withholds.")
    rmd: float = _d("What is required: RMDs, an inherited account's minimum, a 72(t) payment.")
    pretax_withdrawal: float = _d("Taken from the pre-tax accounts (plans and IRAs, both "
                                  "people's; the RMDs in it), gross: before the tax withheld "
                                  "or paid on it (the tax is `income_tax`).")
    conversion: float = _d("Roth conversion.")
    roth_withdrawal: float = _d("Taken from the Roth accounts, gross.")
    taxable_withdrawal: float = _d("Taken from the brokerage account (the sale), gross: before "
                                   "the tax on its gain.")
    cash_withdrawal: float = _d("Taken from cash.")
    deposit: float = _d("The surplus deposited in the brokerage account (saved).")
    net_cash: float = _d("The year's money after tax: income (`wages`, `pension`, "
                         "`social_security`, `other_income`) and the gross withdrawals "
                         "(`pretax_withdrawal`, `roth_withdrawal`, `taxable_withdrawal`, "
                         "`cash_withdrawal`) less `income_tax`, `state_tax`, `irmaa` and "
                         "`marketplace_premium` less `premium_tax_credit`, within the cents its "
                         "figures' rounding leaves; it equals `spending` + `deposit` + the gift "
                         "paid from it (`charity` − `qcd`), to the cent.")
    agi: float = _d("Federal adjusted gross income.")
    taxable_income: float = _d("Federal taxable income.")
    income_tax: float = _d("Federal income tax: its parts (regular tax, AMT, NIIT, the 10% tax "
                           "of §72(t)) each rounded to the cent, added.")
    additional_tax_72t: float = _d("The 10% additional tax of IRC §72(t).")
    irmaa: float = _d("Medicare IRMAA surcharges.")
    spending: float = _d("Spent.")
    shortfall: float = _d("The year's spending (and gift) left unpaid.")
    pretax_balance: float = _d("Pre-tax balance at the start of the year.")
    roth_balance: float = _d("Roth balance at the start of the year.")
    taxable_balance: float = _d("Brokerage balance at the start of the year.")
    cash_balance: float = _d("Cash at the start of the year.")
    marginal_bracket: float = _d("The ordinary bracket's rate reached (a share).")
    interest: float = _d("Taxable interest: `market.cash` × the cash at the start of the year.")
    dividends: float = _d("Dividends, all qualified: the brokerage account's `dividend_yield` × "
                          "its balance at the start of the year.")
    capital_gains: float = _d("Long-term gain realised by the year's brokerage sale: the sale "
                              "× its share of unrealised gain (a loss negative, before the "
                              "§1211(b) limit and the §1212(b) carryover).")
    taxable_social_security: float = _d("The taxable part of Social Security (IRC §86).")
    taxable_basis: float = _d("The brokerage account's basis at the start of the year (after "
                              "the step-up at a first death).")
    ira_withdrawal: float = _d("The IRAs' part of `pretax_withdrawal`, both people's (the "
                               "rest is the plan accounts').")
    ira_conversion: float = _d("The IRAs' part of `conversion`, both people's (the rest is "
                               "the plan accounts').")
    spouse_withdrawal: float = absent("A couple's: the second person's part of "
                                      "`pretax_withdrawal` (after a first death, of the "
                                      "accounts the survivor took over too).")
    spouse_conversion: float = absent("A couple's: the second person's part of `conversion` "
                                      "(after a first death, of the accounts the survivor "
                                      "took over too).")
    spouse_ira_withdrawal: float = absent("A couple's: the second person's IRAs' part of "
                                          "`spouse_withdrawal` (the rest is their plan "
                                          "accounts'; the first person's IRAs: "
                                          "`ira_withdrawal` less this).")
    spouse_ira_conversion: float = absent("A couple's: the second person's IRAs' part of "
                                          "`spouse_conversion`.")
    spouse_wages: float = absent("A couple's: the second person's part of `wages`.")
    spouse_pension: float = absent("A couple's: the second person's part of `pension` (their "
                                   "own, or after the first death the survivor's share).")
    spouse_social_security: float = absent("A couple's: the second person's part of "
                                           "`social_security` (their own benefit, a spousal "
                                           "one, or after the first death the survivor's).")
    rmd_binds: bool = _d("The required amount is what binds (`*` in the terminal).")
    shadow_price: float = _d("The dual value of the year's cash-flow constraint: what a "
                             "dollar of that year's spending is worth to the objective.")
    other_income: float = absent("Where the case has `other_income`: that income (also in "
                                 "the income).")
    qcd: float = absent("With a charitable gift: paid by qualified charitable distributions.")
    charity: float = absent("With a charitable gift: the whole gift paid.")
    marketplace_premium: float = absent("With marketplace coverage: the premiums.")
    premium_tax_credit: float = absent("With marketplace coverage: the premium tax credit "
                                       "(IRC §36B).")
    household_income: float = absent("With marketplace coverage: household income (§36B).")
    poverty_line_share: float | None = absent(
        "With marketplace coverage: household income over the poverty line, cut to a whole "
        "percent (Form 8962 line 5); null in a year without coverage.")
    public_coverage: bool | None = absent(
        "With marketplace coverage: income within the state's Medicaid adult group or Basic "
        "Health Program (no credit); null in a year without coverage.")
    state_tax: float = absent("With a state: the state income tax.")
    need: float = absent("Where the spending changes or expenses are planned: the year's "
                         "need (the spending's profile and the planned expenses).")
    inflows: float = absent("Where the case has `inflows`: the money received that is not "
                            "income.")


class PlanCharityGift(BaseModel):
    """A strategy's gift over the plan (nominal)."""

    model_config = Open
    qcd: float = _d("Paid by qualified charitable distributions (IRC §408(d)(8)).")
    given: float = _d("The whole gift paid.")


class PlanCharity(BaseModel):
    """The charitable gift (docs/plan.md, "Giving to charity")."""

    model_config = Open
    annual: float = _d("The gift a year (today's dollars).")
    qcd_allowed: bool = _d("The case lets the gift be paid by QCDs.")
    strategies: dict[str, PlanCharityGift] = _d("By strategy `key`.")


class PlanConfidence(BaseModel):
    """The most constant spending at the case's chosen success rate (docs/plan.md, "Spending
    at a chosen confidence")."""

    model_config = Open
    target: float = _d("The success rate asked (`monte_carlo.confidence`).")
    spending_real: float = _d("The most constant spending a year found to meet it (today's "
                              "dollars).")
    success_rate: float = _d("Its success rate over the paths.")
    success_rate_se: float = _d("One binomial standard error of `success_rate`, a share.")
    next_spending_real: float = _d("The least spending found to miss the target (today's "
                                   "dollars).")
    next_success_rate: float = _d("Its success rate.")
    tolerance: float = _d("The search's tolerance.")
    paths: int | None = _d("The paths run.")
    simulations: int = _d("Simulations run.")
    optimum_spending_real: float = _d("The optimum's spending a year on the fixed returns.")
    optimum_tested_spending_real: float = _d("What the optimum's Monte Carlo is tested at.")
    optimum_success_rate: float | None = _d("The optimum's success rate there.")
    strategy: str = _d("The policy the spending is searched with, in words.")


class PlanMarketplaceCosts(BaseModel):
    """A strategy's marketplace coverage over the plan (nominal)."""

    model_config = Open
    premiums: float = _d("Premiums paid.")
    premium_tax_credit: float = _d("Premium tax credits (IRC §36B).")


class PlanMarketplace(BaseModel):
    """Health coverage before Medicare (docs/plan.md, "Health coverage before Medicare")."""

    model_config = Open
    benchmark_premium: float = _d("The benchmark plan's premium, as the case gives it.")
    region: str = _d("`contiguous`, `alaska` or `hawaii` (the poverty line's).")
    strategies: dict[str, PlanMarketplaceCosts] = _d("By strategy `key`.")


class PlanStateMove(BaseModel):
    """A move to another state."""

    model_config = Open
    year: int = _d("The first year in the new state.")
    state: str = _d("The new state (USPS code).")


class PlanStateTax(BaseModel):
    """A strategy's state income tax over the plan (nominal)."""

    model_config = Open
    state_tax: float | None = _d("State income tax over the plan (the strategy's "
                                 "`lifetime_state_tax`; null where a year's is not figured).")


class PlanState(BaseModel):
    """State income tax (docs/plan.md, "State income tax")."""

    model_config = Open
    state: str = _d("The state of residence (USPS code).")
    move: PlanStateMove | None = _d("The move; null where none.")
    unconfirmed_years: list[int] = _d("The years whose state figures are marked unconfirmed "
                                      "(docs/state.md).")
    notes: list[str] = _d("What the state tax leaves out that an input would add.")
    strategies: dict[str, PlanStateTax] = _d("By strategy `key`.")


class PlanHorizon(BaseModel):
    """A survival horizon (`horizon.survival`)."""

    model_config = Open
    survival: float = _d("The survival percentile the plan runs to.")
    ages: list[int] = _d("Each person's last age planned.")
    last_year: int = _d("The plan's last year.")


class PlanLongevity(BaseModel):
    """Who is alive each year, from SSA's death probabilities (docs/plan.md, "How long:
    lifetimes"); lists by person, each by year from the start."""

    model_config = Open
    lifetimes: str = _d("`fixed` or `random` (`monte_carlo.lifetimes`).")
    horizon: PlanHorizon | None = _d("The survival horizon; null where the ages of "
                                     "`life_expectancy` end the plan.")
    source: str = _d("The death probabilities' source.")
    years: list[int] = _d("The years of the table.")
    ages: list[list[int]] = _d("By person, the age in each year.")
    alive: list[list[float]] = _d("By person, the probability of being alive on January 1.")
    both_alive: list[float] = absent("A couple's: the probability both are alive.")
    either_alive: list[float] = absent("A couple's: the probability at least one is alive.")
    life_expectancy: list[float] = _d("By person, the life expectancy (years from the start).")


class PlanEarningsTestPerson(BaseModel):
    """A person's benefits withheld under the retirement earnings test (42 U.S.C. §403(b),
    (f))."""

    model_config = Open
    claim_age: float | None = _d("The claiming age; null: none.")
    benefit_claim_age: float = _d("The age the benefit is figured at from full retirement "
                                  "age, raised by the months withheld (§402(q)(7)).")
    months: int = _d("Months withheld.")
    withheld_real: float = _d("Withheld over the plan (start-year dollars).")
    years: dict[str, float] = _d("Withheld each year, by year (start-year dollars).")
    survivor_withheld_real: float = absent("A survivor's benefits withheld after the first "
                                           "death (start-year dollars), where some are.")


class PlanEarningsTest(BaseModel):
    """The retirement earnings test (docs/plan.md, "When to claim Social Security")."""

    model_config = Open
    people: list[PlanEarningsTestPerson] = _d("By person.")


class PlanWorkStopped(BaseModel):
    """A work stoppage (20 CFR 418.1205(d))."""

    model_config = Open
    person: int = _d("Whose (0 or 1).")
    year: int = _d("The year work stops.")


class PlanIrmaaAppealYear(BaseModel):
    """A year whose surcharge the request lowers (nominal)."""

    model_config = Open
    irmaa: float = _d("The optimum's IRMAA that year.")
    saving: float = _d("What the request takes off it.")


class PlanIrmaaAppeal(BaseModel):
    """IRMAA on a more recent year's income after work stops (form SSA-44; docs/plan.md)."""

    model_config = Open
    filed: bool = _d("The plan counts it (`strategy.irmaa_appeal`); false: it only says what "
                     "the request would save.")
    work_stopped: list[PlanWorkStopped] = _d("The work stoppages.")
    years: dict[str, PlanIrmaaAppealYear] = _d("By year, each year it lowers.")
    saving_real: float = _d("The saving in all (today's dollars).")


class PlanClaimingRow(BaseModel):
    """A choice of claiming ages, priced exactly."""

    model_config = Open
    choice: str = _d("`best`, `full_retirement_age` or `last_age`.")
    claim_ages: list[float | None] = _d("By person, the claiming age (years, to four decimals: "
                                        "as a `claim_age`, taken to the nearest month, it gives "
                                        "this row's plan); null: no benefit.")
    plan: bool = _d("A plan meets the case's spending and bequest with these ages; false: no "
                    "figures.")
    spending_real: float = absent("Where `plan`: the spending a year (today's dollars).")
    lifetime_tax_real: float = absent("Where `plan`: lifetime tax (today's dollars).")
    lifetime_state_tax_real: float | None = absent(
        "Where `plan`: the state income tax over the plan (today's dollars), beside the federal "
        "`lifetime_tax_real`: as a strategy's, 0 without a `state` (the plan figures none); null "
        "where a year's state tax is not figured (those years in `state_tax_not_figured`).")
    state_tax_not_figured: list[int] = absent("Where `lifetime_state_tax_real` is null: the "
                                              "years whose state tax is not figured.")
    irmaa: float = absent("Where `plan`: IRMAA (nominal).")
    estate_real: float = absent("Where `plan`: the estate (today's dollars).")


class PlanClaiming(BaseModel):
    """The claiming-age search (`strategy.search_claiming`; docs/plan.md, "When to claim
    Social Security")."""

    model_config = Open
    claim_ages: list[float | None] = _d("By person, the best claiming age (years); null: none "
                                        "to claim.")
    candidates: int = _d("The choices of ages tried.")
    compared: list[PlanClaimingRow] = _d("The best, full retirement age and 70.")
    kept: list[float | None] = absent("Where a claim already made was kept: by person, its "
                                      "age; null: searched or none.")
    notes: list[str] = absent("Where a claim was kept: the sentence saying so.")


class PlanSpendingChange(BaseModel):
    """A change of the base spending."""

    model_config = Open
    from_year: int = _d("Its first year.")
    from_age: int | None = _d("The first person's age it was given by; null: given by year.")
    fraction: float = _d("Its share of the spending level.")


class PlanExpense(BaseModel):
    """A planned expense."""

    model_config = Open
    year: int = _d("Its first year.")
    years: int = _d("How many years.")
    last_year: int = _d("Its last year.")
    amount: float = _d("The amount a year.")
    indexed: bool = _d("In today's dollars; false: nominal.")
    label: str | None = _d("What it is; null: not said.")


class PlanSpending(BaseModel):
    """Spending that changes (docs/plan.md, "Spending that changes")."""

    model_config = Open
    changes: list[PlanSpendingChange] = _d("The changes of the base spending.")
    expenses: list[PlanExpense] = _d("The planned expenses.")
    survivor_fraction: float | None = _d("A couple's survivor's share of the spending; null "
                                         "for one person.")


class PlanInflow(BaseModel):
    """Money received that is not income (docs/plan.md, "Money coming in")."""

    model_config = Open
    year: int = _d("The year received.")
    amount: float = _d("The amount.")
    indexed: bool = _d("In today's dollars; false: nominal.")
    label: str | None = _d("What it is; null: not said.")
