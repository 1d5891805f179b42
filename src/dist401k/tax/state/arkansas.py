"""Arkansas individual income tax on a tax unit with retirement income (Form AR1000F).

Arkansas does not start from federal AGI: its gross income here is wages and the plan
distribution (Social Security is not income, Ark. Code Ann. §26-51-404(b)).  The retirement
benefits exemption (§26-51-307) takes the first $6,000 of each person's benefits from a plan
related to public or private employment, a premature distribution included (DFA Rule
2.26-51-307), and of an individual retirement account's (``ira_distributions``, each spouse's
own ``spouse_ira_distributions``) only those received after 59½ or on the participant's death
or disability (§26-51-307(a)(2): :func:`_exemptions`), one $6,000 for both; each spouse's own
as ``spouse_distributions`` says (all the head's without it), whether or not the wages and
other income are split.  What is left is Arkansas AGI (line 24); the
standard deduction (§26-51-430) comes off and the tax is read, for net taxable income below the
table's limit, in the Regular Income Tax Table: the DFA rate card (rate × income − reduction,
§26-51-201) at the middle of the income's $100 row, rounded to whole dollars; above it, the
card on the income itself.  The card's reductions carry the bracket adjustment of high incomes,
so the tax is neither convex nor even monotone in income: it is read as the tables give it.  A
return that qualifies for the Low Income Tax Tables (by Arkansas AGI and filing status, not a
separate filer's) takes the smaller of the two.  A married couple may file separately on the
same return, each column with its own income (the ``spouse_…`` parts) and its own standard
deduction; the smaller tax of the two ways is taken.
The personal tax credits (§26-51-501) come off: one each for the filer and spouse, one more each
from 65, one more (the "65 special") for each 65 or older claiming no retirement exemption, one
more for a head of household or qualifying surviving spouse; and the additional tax credit for
qualified individuals (§26-51-501(a)(6), AR1000TC line 6: $60 a taxpayer up to the table's first
row of net taxable income, $5 less for each $100 row above it; a joint return's doubled, each
column's own on a couple's separate columns, the way of filing chosen after it:
:func:`additional_credit`).  Its figures were read in PolicyEngine-US and in a transcription of
the DFA's worksheet, not in the DFA's text (flagged unconfirmed, as every Arkansas figure).

Arkansas's additional tax on an early distribution is 10% of the federal §72(t) additional
tax (§26-51-414(c)); Arkansas adopts §72 as of a fixed date before SECURE 2.0, so a
distribution spared only by a SECURE 2.0 exception bears it too.

Interest and dividends are Arkansas income in full; half of a net capital gain is exempt, and
all of it above $10 million (§26-51-815).

Not covered (NaN): a unit with other income whose kind was not given (``taxable_interest``,
``ordinary_dividends``, ``qualified_dividends``, ``long_term_gains``) and a joint return with
wages or other income whose split by spouse was not given (``spouse_wages``,
``spouse_other_income``: each spouse's column holds the spouse's own income, and the table is
neither convex nor monotone, so no bound settles it).
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from dist401k.law.filing_status import HEAD_OF_HOUSEHOLD, QUALIFYING_SURVIVING_SPOUSE
from dist401k.law.loader import Lookup
from dist401k.money import HALF_CENT, whole_dollars
from dist401k.tax.state.common import (
    OtherIncome,
    Own,
    StateAnswer,
    aged,
    answer_unless,
    joint,
    other_income_unknown,
    own,
    people,
)
from dist401k.tax.state.pennsylvania import IRA_AGE_NOT_KNOWN, ira_early_ranges
from dist401k.tax.state.spouse_ranges import distribution_part_range
from dist401k.tax.state.units import StateUnits

#: Whole dollars: a table row covers the dollars from its start to one below the next row's,
#: and from the shift on the rows start one dollar above a multiple of the width.
DOLLAR = 1.0


def arkansas_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form AR1000F tax less the personal tax credits, and the additional tax on early
    distributions, for each unit."""
    on_joint = joint(u)
    other_unknown = other_income_unknown(u, losses=True)
    d, w, o = own(u, "taxable_distributions"), own(u, "wages"), own(u, "other_income")
    # Whose wages or other income it is decides the separate columns (not the joint one).
    wages_unknown, other_whose_unknown = on_joint & ~w.known, on_joint & ~o.known
    whose_unknown = wages_unknown | other_whose_unknown
    # Each person's exemption of their own benefits (without ``spouse_distributions``, all
    # the head's), whether or not the wages and other income are split.
    mine = (d.head, d.spouse)
    exemptions, ira_not_known = _exemptions(lk, u, d)
    exemption = exemptions[0] + exemptions[1]
    kinds = OtherIncome.of(u)
    ar_agi = np.maximum(0.0, u.wages + u.taxable_distributions - exemption
                        + _other(lk, kinds, 1.0))
    regular = regular_tax(lk, ar_agi - lk.get("state.ar.standard_deduction"))
    low = low_income_tax(lk, ar_agi)
    # The additional tax credit for qualified individuals comes off each way of filing before
    # the smaller is taken (a column's as the column's net income says).
    separate, column_net = _columns_tax(lk, u, (w, o), exemptions, kinds, mine)
    line28 = np.where(low < regular, ar_agi, ar_agi - lk.get("state.ar.standard_deduction"))
    tax = np.minimum(regular, low) - additional_credit(lk, line28, people(u))
    couples = np.flatnonzero(on_joint)
    sub = lk.subset(couples)
    tax[couples] = np.minimum(tax[couples], separate - additional_credit(sub, column_net[0], 1)
                              - additional_credit(sub, column_net[1], 1))
    before = np.minimum(regular, low)
    before[couples] = np.minimum(before[couples], separate)

    age = lk.get("state.ar.personal_credit_aged_age")
    special = (((u.age_head >= age) & (exemptions[0] <= 0)).astype(np.int64)
               + (on_joint & (u.age_spouse >= age) & (exemptions[1] <= 0)))
    surviving_or_head = np.isin(u.filing_status, (HEAD_OF_HOUSEHOLD, QUALIFYING_SURVIVING_SPOUSE))
    credits = (people(u) + aged(u, age) + special + surviving_or_head) * lk.get(
        "state.ar.personal_credit")
    took = np.maximum(0.0, tax - credits) < np.maximum(0.0, before - credits) - HALF_CENT

    secure2_taxed = (lk.get("state.ar.secure2_exceptions_adopted") == 0) & (
        u.secure2_excepted_distributions > 0)
    subject = u.early_distributions + np.where(secure2_taxed, u.secure2_excepted_distributions, 0.0)
    additional = (lk.get("state.ar.early_distribution_share")
                  * lk.get("early_distributions.additional_tax_rate") * subject)
    uncovered = other_unknown | whose_unknown | ira_not_known
    return answer_unless(uncovered, np.maximum(0.0, tax - credits), {
        "STATE_AR_RETIREMENT_EXEMPTION": ~uncovered & (exemption > 0),
        "STATE_AR_LOW_INCOME_TABLE": ~uncovered & (low < regular),
        "STATE_AR_EARLY_DISTRIBUTION_TAX": ~uncovered & (subject > 0),
        "STATE_AR_SECURE2_NOT_ADOPTED": ~uncovered & secure2_taxed,
        "STATE_AR_OTHER_INCOME_NOT_MODELLED": other_unknown,
        IRA_AGE_NOT_KNOWN: ira_not_known & ~other_unknown & ~whose_unknown,
        "STATE_AR_JOINT_INCOME_NOT_SPLIT": wages_unknown & ~other_unknown,
        "STATE_AR_OTHER_INCOME_NOT_SPLIT": other_whose_unknown & ~other_unknown,
        "STATE_AR_ADDITIONAL_CREDIT": ~uncovered & took,
        "STATE_SOCIAL_SECURITY_EXEMPT": u.taxable_social_security > 0,
        "STATE_AR_CAPITAL_GAIN_EXEMPTION": ~uncovered & (kinds.long_term_gains > 0),
    }, additional_tax=additional)


def _columns_tax(lk: Lookup, u: StateUnits, wo: tuple[Own, Own], exemptions: list[np.ndarray],
                 kinds: OtherIncome, mine: tuple[np.ndarray, np.ndarray]
                 ) -> tuple[np.ndarray, list[np.ndarray]]:
    """A couple filing separately on the same return (AR1000F filing status 4), for each joint
    return: the two columns' tax, and each column's net taxable income (line 28).  Each column
    holds that spouse's own income and takes one person's deduction (not figured where whose it
    is is not known: the unit is then not covered)."""
    w, o = wo
    couples = np.flatnonzero(joint(u))
    per_person = np.broadcast_to(lk.as_single("state.ar.standard_deduction"), u.wages.shape)
    share = np.divide(o.spouse, u.other_income, out=np.zeros(len(u)),
                      where=np.abs(u.other_income) > HALF_CENT)
    columns = ((w.head, mine[0], exemptions[0], 1.0 - share),
               (w.spouse, mine[1], exemptions[1], share))
    sub = lk.subset(couples)
    separate = np.zeros(len(couples))
    net = []
    for wages, paid, exempt, part in columns:
        column_agi = np.maximum(0.0, wages + paid - exempt + _other(lk, kinds, part))[couples]
        net.append(column_agi - per_person[couples])
        separate = separate + regular_tax(sub, net[-1])
    return separate, net


def additional_credit(lk: Lookup, net_income, taxpayers) -> np.ndarray:
    """The additional tax credit for qualified individuals (§26-51-501(a)(6); AR1000TC line 6;
    the worksheet's table) on a return or a column with ``net_income`` (line 28: for a return
    read in the Low Income Tax Tables, Arkansas AGI, as PolicyEngine-US reads it): the full
    credit up to the table's first row, less a step for each row, or part of one, above it, none
    below zero; for each of ``taxpayers`` (a joint return's doubled).  No more than the tax:
    the caller's answer is never below zero."""
    above = np.maximum(0.0, np.asarray(net_income, dtype=float)
                       - lk.get("state.ar.additional_credit_reduction_start"))
    rows = np.ceil(above / lk.get("state.ar.additional_credit_step_width"))
    each = np.maximum(0.0, lk.get("state.ar.additional_credit_max")
                      - rows * lk.get("state.ar.additional_credit_step"))
    return taxpayers * each


def _exemptions(lk: Lookup, u: StateUnits, d: Own) -> tuple[list[np.ndarray], np.ndarray]:
    """Each person's exemption (the head's, the spouse's) and where it is not known
    (§26-51-307(a)): the first $6,000 of the person's employer plan benefits (at any age) and
    individual retirement account benefits together.  An IRA's benefits count only where
    received after 59½ (``state.ar.ira_benefits_age``, the age at December 31: whole years at
    the case door, the months counted in the drawdown planner) or, before it, on the
    participant's death or disability ((a)(2)(A)–(B)): the head's where ``disabled`` (the
    spouse's disability is not an input); a death's payment to an heir is given outside
    ``ira_distributions``, as for Pennsylvania (the planner's and the case door's are).  Every
    other premature distribution, a 72(t) series' included, does not ((a)(2)(C)), nor, in the
    year of 59½, the IRA's part under the federal §72(t) tax (paid before 59½).  Where the IRA
    part's split by spouse, or its part under the §72(t) tax, is not given and changes a
    person's exemption, it is not known."""
    limit = lk.get("state.ar.retirement_exclusion")
    age = lk.get("state.ar.ira_benefits_age")
    on_joint = joint(u) & d.known
    disabled = np.nan_to_num(u.disabled, nan=0.0) == 1
    before = ((u.age_head < age) & ~disabled, u.age_spouse < age)
    e = own(u, "early_distributions")
    ends = []
    for end in distribution_part_range(u, "ira_distributions", d):
        ira = (np.maximum(0.0, u.ira_distributions - np.where(on_joint, end, 0.0)),
               np.where(on_joint, end, 0.0))
        plan = (np.maximum(0.0, d.head - ira[0]),
                np.where(on_joint, np.maximum(0.0, d.spouse - ira[1]), 0.0))
        early = ira_early_ranges(u, e, ira, plan, on_joint)
        for k in (0, 1):  # the least and the most of the IRA part under the §72(t) tax
            ends.append([np.minimum(plan[p] + ira[p] - np.where(before[p], ira[p], early[p][k]),
                                    limit) for p in (0, 1)])
    spread = [np.ptp([each[p] for each in ends], axis=0) for p in (0, 1)]
    return ends[0], (spread[0] > HALF_CENT) | (spread[1] > HALF_CENT)


def _other(lk: Lookup, kinds: OtherIncome, part) -> np.ndarray:
    """Arkansas's income of ``part`` of the other income: its interest and dividends, and the
    part of its net capital gain not exempt."""
    return part * (kinds.interest + kinds.dividends) + taxable_capital_gain(
        lk, part * kinds.long_term_gains)


def taxable_capital_gain(lk: Lookup, net_capital_gain) -> np.ndarray:
    """§26-51-815(b): the part of a net capital gain Arkansas taxes — the share not exempt of
    the gain up to the amount above which it is all exempt; a net loss counts as it is (within
    the same $3,000 limit as the federal one, §1211(b), that the input already bears)."""
    gain = np.minimum(net_capital_gain, lk.get("state.ar.capital_gain_exempt_above"))
    return np.where(gain > 0, (1.0 - lk.get("state.ar.capital_gain_exempt_share")) * gain, gain)


def card_tax(lk: Lookup, income) -> np.ndarray:
    """The DFA rate card on ``income``: the rate of its row times the income, less the row's
    reduction (the row: the last whose lower bound is at or below the income)."""
    income = np.asarray(income, dtype=float)
    row = _rows(lk, "state.ar.tax_card_thresholds", income, "right") - 1
    return (_at(lk, "state.ar.tax_card_rates", row) * income
            - _at(lk, "state.ar.tax_card_reductions", row))


def regular_tax(lk: Lookup, net_income) -> np.ndarray:
    """The Regular Income Tax Table: the card at the middle of the whole dollars of the income's
    row, rounded half up to whole dollars, below the table's limit; the card on the income from
    it.  Never below zero."""
    x = np.maximum(0.0, np.asarray(net_income, dtype=float))
    width = lk.get("state.ar.tax_table_row_width")
    shift = np.where(x >= lk.get("state.ar.tax_table_row_shift_from"), DOLLAR, 0.0)
    start = np.floor((x - shift) / width) * width + shift
    middle = np.mean([start, start + width - DOLLAR], axis=0)  # of the row's first and last dollars
    table = whole_dollars(card_tax(lk, middle))
    return np.maximum(0.0, np.where(x < lk.get("state.ar.tax_table_limit"), table,
                                    card_tax(lk, x)))


def low_income_tax(lk: Lookup, ar_agi) -> np.ndarray:
    """The Low Income Tax Tables' tax by Arkansas AGI (a row's upper end included); infinite
    where the table does not apply (above its last row, or a separate filer)."""
    name = "state.ar.low_income_table_bounds"
    row = _rows(lk, name, np.asarray(ar_agi, dtype=float), "left")
    k = lk.small(name).shape[-1]
    tax = _at(lk, "state.ar.low_income_table_tax", np.minimum(row, k - 1))
    return np.where(row < k, tax, np.inf)


def _rows(lk: Lookup, name: str, x: np.ndarray, side: Literal["left", "right"]) -> np.ndarray:
    """Each unit's position in its (year, status) pair's sorted row bounds, with one
    ``searchsorted``: the pairs' bounds laid end to end, each pair's shifted past the one
    before, and each income clipped to just outside its bounds and shifted with its pair (no
    [units, rows] table is gathered)."""
    bounds = lk.small(name)
    pairs, k = bounds.shape
    low, high = bounds.min() - DOLLAR, bounds.max() + DOLLAR
    span = high - low
    laid = (bounds + np.arange(pairs)[:, None] * span).ravel()
    combo = 0 if lk.shared else lk.combo
    return np.searchsorted(laid, np.clip(x, low, high) + combo * span, side=side) - combo * k


def _at(lk: Lookup, name: str, row: np.ndarray) -> np.ndarray:
    """Each unit's value in its row of a table by (year, status) pair."""
    table = lk.small(name)
    return table[0, row] if lk.shared else table[lk.combo, row]
