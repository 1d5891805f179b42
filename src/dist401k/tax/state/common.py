"""What every state's rule shares: its answer, and the counts of people on a return."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dist401k.law.filing_status import MARRIED_JOINT, QUALIFYING_SURVIVING_SPOUSE
from dist401k.money import HALF_CENT
from dist401k.tax.state.units import SPOUSE_PART_OF, StateUnits

#: The spouse's column of each whole (the inverse of ``SPOUSE_PART_OF``).
SPOUSE_PART = {whole: part for part, whole in SPOUSE_PART_OF.items()}


@dataclass
class StateAnswer:
    """One state's answer for its units (arrays over those units only)."""

    income_tax: np.ndarray
    additional_tax: np.ndarray
    reasons: dict[str, np.ndarray] = field(default_factory=dict)


def answer_unless(uncovered: np.ndarray, income_tax, reasons: dict[str, np.ndarray],
                  additional_tax=0.0) -> StateAnswer:
    """The answer, with NaN (not covered) for the units whose rule is not modelled — a public
    pension whose payer decides the exclusion, say — never a guessed figure."""
    return StateAnswer(income_tax=np.where(uncovered, np.nan, income_tax),
                       additional_tax=np.where(uncovered, np.nan, additional_tax),
                       reasons=reasons)


def disabled_before(u: StateUnits, age) -> np.ndarray:
    """A head known disabled (``disabled`` 1; unknown is NaN, not counted) under ``age`` with a
    distribution: the state's exclusion for the disabled before that age is not figured, so the
    unit is not covered (Georgia O.C.G.A. §48-7-27(a)(5), New Jersey N.J.S.A. 54A:6-15, Maryland Tax-Gen.
    §10-209(b), West Virginia Code §11-21-12(c), Delaware 30 Del. C. §1106(b)(2))."""
    return (np.nan_to_num(u.disabled, nan=0.0) == 1) & (u.age_head < age) & (
        u.taxable_distributions > 0)


def survivor_before(u: StateUnits, age) -> np.ndarray:
    """A head under ``age`` paid a decedent's retirement income as a survivor
    (``survivor_distributions`` given and positive; unknown, NaN, not counted): a state whose
    exclusion reaches a survivor before its own age (Colorado's secondary beneficiary, New
    York's decedent's pension, South Carolina's surviving spouse) does not figure it here, so
    the unit is not covered."""
    return (np.nan_to_num(u.survivor_distributions, nan=0.0) > 0) & (u.age_head < age)


def joint(u: StateUnits) -> np.ndarray:
    """A joint return (the spouse's exemptions and age count)."""
    return u.filing_status == MARRIED_JOINT


def people(u: StateUnits) -> np.ndarray:
    """Personal exemptions on the return: two on a joint return, else one."""
    return 1 + joint(u).astype(np.int64)


def people_with_surviving_spouse(u: StateUnits) -> np.ndarray:
    """Personal exemptions where a qualifying surviving spouse counts two (California)."""
    return people(u) + (u.filing_status == QUALIFYING_SURVIVING_SPOUSE)


def aged(u: StateUnits, age) -> np.ndarray:
    """People on the return at or over ``age`` by the end of the year (the spouse on a joint
    return only)."""
    return (u.age_head >= age).astype(np.int64) + (joint(u) & (u.age_spouse >= age))


@dataclass(frozen=True)
class Own:
    """Each spouse's own part of one kind of income (:func:`own`)."""

    head: np.ndarray
    spouse: np.ndarray
    #: The split is known: not a joint return (all the head's), the spouse's part given, or
    #: none of that income on the return (nothing to split).
    known: np.ndarray


def own(u: StateUnits, whole: str) -> Own:
    """The head's and the spouse's own parts of ``whole`` (``wages``,
    ``taxable_distributions``, ``social_security``, ``other_income`` …) from the unit's
    ``spouse_…`` column (:data:`~dist401k.tax.state.units.SPOUSE_PART_OF`).  A part not given
    where the return has none of that income is known: zero each (a couple who give
    ``spouse_distributions`` and have no wages need not give ``spouse_wages``).  Where a joint
    return has some and its split is not given, the head holds it all and ``known`` is false:
    a state whose answer would turn on the split leaves such a unit NaN."""
    total = getattr(u, whole)
    part = getattr(u, SPOUSE_PART[whole])
    on_joint = joint(u)
    given = ~np.isnan(part)
    known = ~on_joint | given | (np.abs(total) <= HALF_CENT)
    spouse = np.where(on_joint & given, part, 0.0)
    return Own(total - spouse, spouse, known)


def own_income(u: StateUnits) -> Own:
    """Each spouse's own income in federal AGI but taxable Social Security: wages,
    distributions and other income (:func:`own` of each: a part given is the spouse's, a part
    not given the head's), known where all three splits are (each given, or none of it)."""
    w, d, o = own(u, "wages"), own(u, "taxable_distributions"), own(u, "other_income")
    return Own(w.head + d.head + o.head, w.spouse + d.spouse + o.spouse,
               w.known & d.known & o.known)


def share_bounds(amount, within, whole) -> tuple[np.ndarray, np.ndarray]:
    """The least and the most of ``amount``, a part of ``whole``, that can lie in ``within``,
    another part of it, where how ``amount`` spreads over ``whole`` is not known (the employer
    part of a couple's distributions, one figure for the return, in the distributions of the
    spouse who retired): all of it where ``within`` is the whole, none where it is nothing.
    NaN where ``amount`` is."""
    amount = np.asarray(amount, dtype=float)
    least = np.maximum(0.0, amount - np.maximum(0.0, whole - within))
    most = np.minimum(amount, within)
    return np.where(np.isnan(amount), np.nan, least), np.where(np.isnan(amount), np.nan, most)


def spouse_benefit_share(u: StateUnits, ss: Own) -> np.ndarray:
    """The spouse's share of the return's Social Security benefits (``ss``: :func:`own` of
    them): the share of the taxable benefits, and of a state's modification of them, that is
    the spouse's."""
    return np.divide(ss.spouse, u.social_security, out=np.zeros(len(u)),
                     where=u.social_security > 0)


def own_early(u: StateUnits, d: Own) -> tuple[Own, np.ndarray]:
    """Each spouse's part of ``early_distributions`` (``d``: of the distributions) and the units
    where it is unknown: a joint return where both spouses have distributions, some early, and
    the spouse's early part was not given (where the spouse has none, all is the head's)."""
    e = own(u, "early_distributions")
    unknown = ~e.known & (d.spouse > HALF_CENT) & (u.early_distributions > HALF_CENT)
    return e, unknown


def retirement_taxable_unless_retired(u: StateUnits) -> tuple[np.ndarray, np.ndarray]:
    """The taxable distribution a state taxes only when paid before the plan's conditions for
    retirement were met (Pennsylvania, Mississippi): the amount and the mask of such units.
    Each spouse's own distributions by their own retirement on a joint return where the
    split is given (a joint return holds both spouses' incomes, each figured as their own, 61
    Pa. Code §121.15(c), (d): the exemption is the recipient's); where
    it is not, all by the head's."""
    d = own(u, "taxable_distributions")
    head = np.where(u.plan_retirement_conditions_met, 0.0, d.head)
    spouse = np.where(u.spouse_plan_retirement_conditions_met, 0.0, d.spouse)
    taxed = np.where(d.known, head + spouse,
                     np.where(u.plan_retirement_conditions_met, 0.0, u.taxable_distributions))
    taxed = np.where(u.taxable_distributions > 0, taxed, 0.0)
    return taxed, taxed > 0


def federal_figures_unknown(u: StateUnits, *names: str) -> np.ndarray:
    """Units whose federal figures a state starts from (``federal_taxable_income``,
    ``federal_standard_deduction``) were not given: NaN, with the reason
    STATE_FEDERAL_FIGURES_NOT_GIVEN."""
    return np.logical_or.reduce([np.isnan(getattr(u, name)) for name in names])


def by_step(values: np.ndarray, steps: np.ndarray, amount, from_step: bool = True) -> np.ndarray:
    """Each unit's value of the step its ``amount`` reaches: ``values`` (units × k+1) for the
    amounts below ``steps[0]``, then from each of the k ``steps`` (units × k); a step's own
    amount belongs to it when ``from_step``, else to the step below ("$25,000 or less")."""
    amount = np.asarray(amount, dtype=float)[:, None]
    k = (amount >= steps if from_step else amount > steps).sum(axis=1)
    return np.take_along_axis(values, k[:, None], axis=1)[:, 0]


def other_income_unknown(u: StateUnits, losses: bool = False) -> np.ndarray:
    """Units with federal AGI besides wages, distributions and taxable Social Security whose
    kind is not known: where a state taxes interest, dividends or gains apart it needs
    ``taxable_interest``, ``ordinary_dividends`` and ``long_term_gains`` (and
    ``qualified_dividends``), and they must make up that other income.  ``losses``: a net loss
    of no known kind too (a state that builds its own income from the kinds cannot place it)."""
    other = np.abs(u.other_income) if losses else u.other_income
    return (other > HALF_CENT) & ~other_income_by_kind(u)


def other_income_by_kind(u: StateUnits) -> np.ndarray:
    """Units whose other income (a loss too) is made up of the kinds given."""
    kinds = u.taxable_interest + u.ordinary_dividends + u.long_term_gains
    return ~np.isnan(u.qualified_dividends) & (np.abs(u.other_income - kinds) <= HALF_CENT)


@dataclass(frozen=True)
class OtherIncome:
    """The other income of each unit by kind: taxable interest, ordinary dividends, the
    qualified part of them, and net long-term capital gain — zero where a unit has none, and
    where its kind is unknown (:func:`other_income_unknown`: a state leaves that unit's answer
    NaN, so the zero only keeps a table's lookups in range)."""

    interest: np.ndarray
    dividends: np.ndarray
    qualified_dividends: np.ndarray
    long_term_gains: np.ndarray

    @property
    def total(self) -> np.ndarray:
        """Interest, dividends and gains together (a net loss lowers it)."""
        return self.interest + self.dividends + self.long_term_gains

    @classmethod
    def of(cls, u: StateUnits) -> OtherIncome:
        known = other_income_by_kind(u)

        def kind(a: np.ndarray) -> np.ndarray:
            return np.where(known, a, 0.0)

        return cls(kind(u.taxable_interest), kind(u.ordinary_dividends),
                   kind(u.qualified_dividends), kind(u.long_term_gains))


def share_of_federal_additional_tax(lk, u: StateUnits, share_name: str) -> np.ndarray:
    """A state's own tax on early distributions figured as a share of the federal §72(t)
    additional tax on them (Vermont's 24%, Wisconsin's 33%)."""
    return (lk.get(share_name) * lk.get("early_distributions.additional_tax_rate")
            * u.early_distributions)
