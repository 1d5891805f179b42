"""PolicyEngine-US as an independent oracle for the state income tax.

Each unit becomes a household in the unit's state with one tax unit; income is the head's:
wages, interest, taxable 401(k) distributions and Social Security retirement benefits.  The
comparison figure is the part of each state's tax dist401k models (see docs/state.md):

* the states without a wage income tax: ``state_income_tax_before_refundable_credits``
  (Washington's Working Families Tax Credit, a refundable credit, is outside dist401k)
* PA: ``pa_income_tax_after_forgiveness``
* CO: ``co_income_tax_before_non_refundable_credits``
* ID: ``id_income_tax_before_non_refundable_credits``
* IL: ``il_income_tax_before_non_refundable_credits``
* MS: ``ms_income_tax_before_credits_unit``
* NY: ``ny_income_tax_before_credits`` (main tax plus the supplemental tax)
* NC: ``nc_income_tax_before_credits``
* NJ: ``nj_income_tax_before_refundable_credits`` (no non-refundable credit reaches these units)
* OK: ``ok_income_tax_before_credits``
* IN: ``in_agi_tax`` (the state tax; county taxes are outside dist401k)
* AZ: ``az_income_tax_before_non_refundable_credits``
* MA: ``ma_income_tax_before_credits`` (Parts A, B and C and the 4% surtax)
* MD: ``md_income_tax_before_credits`` (the state tax; county taxes are outside dist401k)
* MI: ``mi_income_tax_before_non_refundable_credits``
* MN: ``mn_basic_tax`` (before the AMT, the net investment income tax and credits)
* KS: ``ks_income_tax_before_credits``
* KY: ``ky_income_tax_before_non_refundable_credits_unit``
* LA: ``la_income_tax_before_non_refundable_credits``
* DE: ``de_income_tax_before_non_refundable_credits_unit`` (the joint path; before the personal credits)
* GA: ``ga_income_tax_before_non_refundable_credits``
* VA: ``va_income_tax_before_non_refundable_credits``
* UT: ``ut_income_tax_before_non_refundable_credits`` less ``ut_retirement_credit`` and
  ``ut_ss_benefits_credit``
* NE: ``ne_income_tax_before_credits`` less ``ne_exemptions`` (the personal exemption credit)
* OH: ``oh_income_tax_before_non_refundable_credits`` less ``oh_retirement_credit``,
  ``oh_senior_citizen_credit`` and ``oh_exemption_credit`` (not the joint filing credit)
* AR: ``ar_income_tax_before_non_refundable_credits_unit`` less ``ar_personal_credits`` (the
  better of the joint and separate columns; not the other non-refundable credits)
* CA: ``ca_income_tax_before_credits`` less ``ca_exemptions`` (not below zero) plus
  ``ca_mental_health_services_tax`` (Form 540 before other credits and the California AMT)
"""

from __future__ import annotations

import numpy as np

from oracles.policyengine_oracle import STATUS

AGE_RANGE = (50, 86)
STATUSES = tuple(STATUS)


def random_retirees(n: int, seed: int, state: str, years=(2024, 2025, 2026)) -> dict[str, np.ndarray]:
    """Random units with retirement income in one state: ages 50–85, every filing status,
    with and without Social Security and wages (log-uniform amounts)."""
    rng = np.random.default_rng(seed)

    def amount(p_nonzero: float, low: float, high: float) -> np.ndarray:
        on = rng.random(n) < p_nonzero
        return np.where(on, np.round(np.exp(rng.uniform(np.log(low), np.log(high), n))), 0.0)

    fs = rng.integers(0, 5, n)
    return {
        "state": np.full(n, state),
        "tax_year": rng.choice(np.array(years), n),
        "filing_status": np.array(STATUSES)[fs],
        "age_head": rng.integers(*AGE_RANGE, n),
        "age_spouse": np.where(fs == 1, rng.integers(*AGE_RANGE, n), 0),
        "wages": amount(0.4, 1_000, 400_000),
        "taxable_interest": amount(0.4, 100, 60_000),
        "taxable_distributions": amount(0.9, 500, 1_500_000),
        "social_security": amount(0.6, 5_000, 90_000),
    }


def _household(j: int, g: dict, y: str) -> tuple[dict, dict, list]:
    """People and the tax unit of one household (the head holds all the income)."""
    head, spouse = f"h{j}", f"s{j}"
    people = {head: {
        "age": {y: int(g["age_head"])},
        "employment_income": {y: float(g["wages"])},
        "taxable_interest_income": {y: float(g["taxable_interest"])},
        "taxable_401k_distributions": {y: float(g["taxable_distributions"])},
        "social_security_retirement": {y: float(g["social_security"])},
        # Medical expenses are not inputs of dist401k: no Medicare Part B premium is imputed
        # (New Jersey's medical expense deduction, for one, would take it).
        "medical_expense_health_insurance_premiums": {y: 0.0},
    }}
    members = [head]
    if g["filing_status"] in ("married_joint", "married_separate"):
        # As in the federal oracle: a separate filer's spouse is under 65 and claims nothing.
        age = int(g["age_spouse"]) if g["filing_status"] == "married_joint" else 40
        people[spouse] = {"age": {y: age}, "medical_expense_health_insurance_premiums": {y: 0.0}}
        members.append(spouse)
    unit = {"members": members, "filing_status": {y: STATUS[str(g["filing_status"])]}}
    return people, unit, members


def _situation(cols: dict, idx: np.ndarray, y: str) -> dict:
    s = {k: {} for k in ("people", "tax_units", "households", "families", "spm_units",
                         "marital_units")}
    for j, i in enumerate(idx):
        g = {k: np.asarray(v)[i] for k, v in cols.items()}
        people, unit, members = _household(j, g, y)
        s["people"].update(people)
        s["tax_units"][f"t{j}"] = unit
        s["households"][f"hh{j}"] = {"members": members, "state_code": {y: str(g["state"])}}
        s["families"][f"f{j}"] = {"members": members}
        s["spm_units"][f"spm{j}"] = {"members": members}
        if len(members) == 2:
            s["marital_units"][f"m{j}"] = {"members": members}
    return s


#: The PolicyEngine-US variable holding the part dist401k models, for each state whose
#: ``state_income_tax_before_refundable_credits`` includes more (California: below).
STATE_VARIABLES = {
    "PA": "pa_income_tax_after_forgiveness",
    "CO": "co_income_tax_before_non_refundable_credits",
    "ID": "id_income_tax_before_non_refundable_credits",
    "IL": "il_income_tax_before_non_refundable_credits",
    "MS": "ms_income_tax_before_credits_unit",
    "NY": "ny_income_tax_before_credits",
    "NC": "nc_income_tax_before_credits",
    "NJ": "nj_income_tax_before_refundable_credits",
    "OK": "ok_income_tax_before_credits",
    "IN": "in_agi_tax",
    "AZ": "az_income_tax_before_non_refundable_credits",
    "MA": "ma_income_tax_before_credits",
    "MD": "md_income_tax_before_credits",
    "MI": "mi_income_tax_before_non_refundable_credits",
    "MN": "mn_basic_tax",
    "KS": "ks_income_tax_before_credits",
    "KY": "ky_income_tax_before_non_refundable_credits_unit",
    "LA": "la_income_tax_before_non_refundable_credits",
    "DE": "de_income_tax_before_non_refundable_credits_unit",
    "GA": "ga_income_tax_before_non_refundable_credits",
    "VA": "va_income_tax_before_non_refundable_credits",
}


def _modelled_part(sim, states: np.ndarray, year: int) -> np.ndarray:
    """Each unit's figure from the variable of its state."""
    calc = lambda v: np.asarray(sim.calculate(v, year))  # noqa: E731
    out = calc("state_income_tax_before_refundable_credits")
    present = set(states.tolist())
    for state, variable in STATE_VARIABLES.items():
        if state in present:
            out = np.where(states == state, calc(variable), out)
    if "UT" in present:
        # The tax after the taxpayer credit, less the retirement or Social Security credit
        # (TC-40A; the other non-refundable credits are outside dist401k).
        ut = (calc("ut_income_tax_before_non_refundable_credits") - calc("ut_retirement_credit")
              - calc("ut_ss_benefits_credit"))
        out = np.where(states == "UT", ut, out)
    if "NE" in present:
        # Nebraska: the tax less the personal exemption credit (no more than the tax).
        ne = np.maximum(0.0, calc("ne_income_tax_before_credits") - calc("ne_exemptions"))
        out = np.where(states == "NE", ne, out)
    if "OH" in present:
        # Ohio: the tax less the credits dist401k models (each as PolicyEngine-US applies it,
        # no more than the tax left), not the joint filing credit.
        oh = (calc("oh_income_tax_before_non_refundable_credits") - calc("oh_retirement_credit")
              - calc("oh_senior_citizen_credit") - calc("oh_exemption_credit"))
        out = np.where(states == "OH", oh, out)
    if "AR" in present:
        # Arkansas: the tax less the personal tax credits (no more than the tax).
        ar = np.maximum(0.0, calc("ar_income_tax_before_non_refundable_credits_unit")
                        - calc("ar_personal_credits"))
        out = np.where(states == "AR", ar, out)
    if "CA" in present:
        ca = (np.maximum(0.0, calc("ca_income_tax_before_credits") - calc("ca_exemptions"))
              + calc("ca_mental_health_services_tax"))
        out = np.where(states == "CA", ca, out)
    return out


def policyengine_state_tax(cols: dict[str, np.ndarray]) -> np.ndarray:
    """PolicyEngine-US's figure for each unit (one simulation per year, every state in it)."""
    from policyengine_us import Simulation

    n = len(cols["tax_year"])
    out = np.full(n, np.nan)
    years = np.asarray(cols["tax_year"])
    for year in np.unique(years):
        idx = np.flatnonzero(years == year)
        sim = Simulation(situation=_situation(cols, idx, str(int(year))))
        out[idx] = _modelled_part(sim, np.asarray(cols["state"])[idx].astype(str), int(year))
    return out
