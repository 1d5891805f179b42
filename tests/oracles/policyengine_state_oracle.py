"""PolicyEngine-US as an independent oracle for the state income tax.

Each unit becomes a household in the unit's state with one tax unit; income is the head's:
wages, interest, taxable 401(k) distributions and Social Security retirement benefits (on a
joint return of :func:`random_couples`, each split between the spouses).  The
comparison figure is the part of each state's tax dist401k models (see docs/state.md):

* the states without a wage income tax: ``state_income_tax_before_refundable_credits``
  (Washington's Working Families Tax Credit, a refundable credit, is outside dist401k)
* PA: ``pa_income_tax_after_forgiveness``
* CO: ``co_income_tax_before_non_refundable_credits``
* ID: ``id_income_tax_before_non_refundable_credits``
* IL: ``il_income_tax_before_non_refundable_credits``
* MS: ``ms_income_tax_before_credits_unit``
* NY: ``ny_income_tax_before_credits`` (main tax plus the supplemental tax), plus
  ``nyc_income_tax_before_credits`` for a resident of New York City (``in_nyc``)
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
* DE: ``de_income_tax_before_non_refundable_credits_unit`` less ``de_personal_credit`` and
  ``de_aged_personal_credit`` (the joint path, after the §1110 personal credits), or for a couple
  the sum of ``de_income_tax_after_non_refundable_credits_indv`` (each column after its own
  personal credits) where it is less (its EITC, outside dist401k, left out of the choice)
* GA: ``ga_income_tax_before_non_refundable_credits``
* VA: ``va_income_tax_before_non_refundable_credits``
* AL: ``al_income_tax_before_non_refundable_credits``
* MO: ``mo_income_tax_before_credits`` (a person's: summed over the tax unit)
* OR: ``or_income_tax_before_refundable_credits`` (after the exemption and retirement income
  credits, its only non-refundable credits)
* IA: ``ia_income_tax_before_refundable_credits`` (after the exemption credits, the low-income
  exemption and the income tax reduction; no other credit reaches these units)
* ND: ``nd_income_tax_before_credits`` (before the marriage penalty credit)
* MT: ``mt_income_tax_before_refundable_credits_unit`` (no non-refundable credit reaches these
  units)
* NM: ``nm_income_tax_before_non_refundable_credits``
* WV: ``wv_income_tax_before_non_refundable_credits`` (before the family tax credit)
* RI: ``ri_income_tax_before_non_refundable_credits``
* CT: ``ct_income_tax_after_personal_credits`` (before the AMT and the other credits)
* HI: the tax on ``hi_agi`` less ``hi_standard_deduction`` and ``hi_exemptions`` by its own
  schedules (``hi_income_tax_before_non_refundable_credits`` itemizes on imputed deductions;
  it taxes every 401(k) distribution)
* UT: ``ut_income_tax_before_non_refundable_credits`` less ``ut_retirement_credit`` and
  ``ut_ss_benefits_credit``
* NE: ``ne_income_tax_before_credits`` less ``ne_exemptions`` (the personal exemption credit)
* OH: ``oh_income_tax_before_non_refundable_credits`` less ``oh_retirement_credit``,
  ``oh_senior_citizen_credit`` and ``oh_exemption_credit`` (not the joint filing credit)
* ME: ``me_income_tax_before_credits`` (with the 2026 surcharge)
* SC: ``sc_income_tax_before_non_refundable_credits``
* VT: ``vt_income_tax_before_non_refundable_credits`` (the schedule or 3% of federal AGI)
* DC: ``dc_income_tax_before_credits`` (the lesser of the joint and the separate-on-one-return tax)
* WI: ``wi_income_tax_before_credits``, from 2025 the lesser of it and
  ``wi_retirement_income_exclusion_tax`` (Schedule SB line 16, claimed without credits) where
  ``wi_retirement_income_exclusion_amount`` is positive
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


#: The units' dividends and gains (columns of :func:`random_investors`) as PolicyEngine-US's
#: person inputs (the non-qualified part of the dividends apart; the gains long-term, from a
#: Schedule D: PolicyEngine-US's Arkansas does not read capital gain distributions).
INVESTMENT_INPUTS = {"qualified_dividends": "qualified_dividend_income",
                     "non_qualified_dividends": "non_qualified_dividend_income",
                     "long_term_gains": "long_term_capital_gains"}


def random_investors(n: int, seed: int, state: str, years=(2024, 2025, 2026),
                     most_gain: float = 400_000) -> dict[str, np.ndarray]:
    """:func:`random_retirees` with investment income too: qualified and other dividends and
    a net long-term capital gain up to ``most_gain`` (log-uniform amounts, each on about half
    the units)."""
    cols = random_retirees(n, seed, state, years)
    rng = np.random.default_rng(seed + 1)

    def amount(low: float, high: float) -> np.ndarray:
        on = rng.random(n) < 0.5
        return np.where(on, np.round(np.exp(rng.uniform(np.log(low), np.log(high), n))), 0.0)

    cols.update(qualified_dividends=amount(100, 80_000), non_qualified_dividends=amount(50, 20_000),
                long_term_gains=amount(100, most_gain))
    return cols


#: A joint return's split (:func:`random_couples`): the spouse's part of each of the unit's
#: amounts, and the PolicyEngine-US person input it goes to.
SPOUSE_INPUTS = {"wages": ("spouse_wages", "employment_income"),
                 "taxable_interest": ("spouse_interest", "taxable_interest_income"),
                 "taxable_distributions": ("spouse_distributions", "taxable_401k_distributions"),
                 "social_security": ("spouse_social_security", "social_security_retirement")}


def random_couples(n: int, seed: int, state: str, years=(2024, 2025, 2026)) -> dict[str, np.ndarray]:
    """:func:`random_retirees` all filing jointly, each amount split between the spouses (all
    the head's, all the spouse's, or a random share, a third of the units each): the spouse's
    parts in the columns of :data:`SPOUSE_INPUTS`."""
    cols = random_retirees(n, seed, state, years)
    rng = np.random.default_rng(seed + 2)
    cols["filing_status"] = np.full(n, "married_joint")
    cols["age_spouse"] = rng.integers(*AGE_RANGE, n)
    for whole, (part, _) in SPOUSE_INPUTS.items():
        share = np.choose(rng.integers(0, 3, n), [np.zeros(n), np.ones(n), rng.random(n)])
        cols[part] = np.round(cols[whole] * share, 2)
    return cols


def _household(j: int, g: dict, y: str) -> tuple[dict, dict, list]:
    """People and the tax unit of one household (the head holds all the income but the
    spouse's parts of :data:`SPOUSE_INPUTS` where given)."""
    head, spouse = f"h{j}", f"s{j}"

    def heads(whole: str) -> float:
        return float(g[whole]) - float(g.get(SPOUSE_INPUTS[whole][0], 0.0))

    people = {head: {
        "age": {y: int(g["age_head"])},
        "employment_income": {y: heads("wages")},
        "taxable_interest_income": {y: heads("taxable_interest")},
        "taxable_401k_distributions": {y: heads("taxable_distributions")},
        "social_security_retirement": {y: heads("social_security")},
        # Medical expenses are not inputs of dist401k: no Medicare Part B premium is imputed
        # (New Jersey's medical expense deduction, for one, would take it).
        "medical_expense_health_insurance_premiums": {y: 0.0},
    }}
    # Dividends and long-term gains where the units have them (INVESTMENT_INPUTS).
    people[head].update({pe: {y: float(g[ours])} for ours, pe in INVESTMENT_INPUTS.items()
                         if ours in g})
    members = [head]
    if g["filing_status"] in ("married_joint", "married_separate"):
        # As in the federal oracle: a separate filer's spouse is under 65 and claims nothing.
        age = int(g["age_spouse"]) if g["filing_status"] == "married_joint" else 40
        people[spouse] = {"age": {y: age}, "medical_expense_health_insurance_premiums": {y: 0.0}}
        people[spouse].update({pe: {y: float(g[part])} for part, pe in SPOUSE_INPUTS.values()
                               if part in g})
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
        s["households"][f"hh{j}"] = {"members": members, "state_code": {y: str(g["state"])},
                                     "in_nyc": {y: bool(g.get("new_york_city_resident", False))}}
        if str(g.get("maryland_county", "")):
            s["households"][f"hh{j}"]["county"] = {y: _pe_county(str(g["maryland_county"]))}
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
    "AL": "al_income_tax_before_non_refundable_credits",
    "OR": "or_income_tax_before_refundable_credits",
    "IA": "ia_income_tax_before_refundable_credits",
    "ND": "nd_income_tax_before_credits",
    "MT": "mt_income_tax_before_refundable_credits_unit",
    "NM": "nm_income_tax_before_non_refundable_credits",
    "ME": "me_income_tax_before_credits",
    "SC": "sc_income_tax_before_non_refundable_credits",
    "VT": "vt_income_tax_before_non_refundable_credits",
    "DC": "dc_income_tax_before_credits",
    "WI": "wi_income_tax_before_credits",
    "WV": "wv_income_tax_before_non_refundable_credits",
    "RI": "ri_income_tax_before_non_refundable_credits",
    "CT": "ct_income_tax_after_personal_credits",
}


#: A local tax dist401k adds to its state's answer: New York City's, for a resident of the city
#: (zero elsewhere).
LOCAL_VARIABLES = {"NY": "nyc_income_tax_before_credits"}


def _pe_county(name: str) -> str:
    """PolicyEngine-US's name of a Maryland county given as dist401k reads it."""
    from dist401k.tax.state.units import maryland_county_key

    key = maryland_county_key(name)
    if key.startswith("baltimore_"):
        return key.upper() + "_MD"
    named = {"prince_georges": "PRINCE_GEORGE_S", "queen_annes": "QUEEN_ANNE_S",
             "st_marys": "ST_MARY_S"}
    return named.get(key, key.upper()) + "_COUNTY_MD"


def _maryland_with_counties(calc, states: np.ndarray, county: np.ndarray | None,
                            out: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maryland's units' state tax plus their county's where ``county`` says it was given
    (the units then taken out of ``states``, figured)."""
    if county is None or "MD" not in set(states.tolist()) or not county.any():
        return out, states
    md = calc(STATE_VARIABLES["MD"]) + np.where(
        county, calc("md_local_income_tax_before_credits"), 0.0)
    return np.where(states == "MD", md, out), np.where(states == "MD", "", states)


def _modelled_part(sim, states: np.ndarray, year: int,
                   county: np.ndarray | None = None) -> np.ndarray:
    """Each unit's figure from the variable of its state (a Maryland unit's county tax where
    ``county`` says it was given)."""
    calc = lambda v: np.asarray(sim.calculate(v, year))  # noqa: E731
    out = calc("state_income_tax_before_refundable_credits")
    out, states = _maryland_with_counties(calc, states, county, out)
    present = set(states.tolist())
    for state, variable in STATE_VARIABLES.items():
        if state in present:
            also = calc(LOCAL_VARIABLES[state]) if state in LOCAL_VARIABLES else 0.0
            out = np.where(states == state, calc(variable) + also, out)
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
    if "MO" in present:
        mo = sim.calculate("mo_income_tax_before_credits", year, map_to="tax_unit")
        out = np.where(states == "MO", np.asarray(mo), out)
    if "HI" in present:
        out = np.where(states == "HI", _hawaii_on_standard_deduction(sim, year), out)
    if "DE" in present:
        # Delaware: the joint return's tax after the personal credits, or a couple's combined
        # separate returns' (each column after its own) where less (30 Del. C. §1110).
        together = np.maximum(0.0, calc("de_income_tax_before_non_refundable_credits_unit")
                              - calc("de_personal_credit") - calc("de_aged_personal_credit"))
        apart = np.asarray(sim.calculate("de_income_tax_after_non_refundable_credits_indv", year,
                                         map_to="tax_unit"))
        couple = np.asarray(sim.calculate("is_tax_unit_spouse", year, map_to="tax_unit")) > 0
        out = np.where(states == "DE", np.where(couple, np.minimum(together, apart), together), out)
    if "WI" in present and year >= 2025:
        # Wisconsin: the lesser of the ordinary return's tax before credits and the tax of the
        # return that claims Schedule SB line 16 (which forfeits them), as dist401k elects it
        # with the credits not modelled (PolicyEngine-US elects after its credits).
        line16 = calc("wi_retirement_income_exclusion_amount")
        wi = np.where(line16 > 0, np.minimum(calc("wi_income_tax_before_credits"),
                                             calc("wi_retirement_income_exclusion_tax")),
                      calc("wi_income_tax_before_credits"))
        out = np.where(states == "WI", wi, out)
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


#: PolicyEngine-US's Hawaii rate schedules by its filing status names.
HI_SCHEDULES = {"SINGLE": "single", "JOINT": "joint", "SEPARATE": "separate",
                "HEAD_OF_HOUSEHOLD": "head_of_household", "SURVIVING_SPOUSE": "surviving_spouse"}


def _hawaii_on_standard_deduction(sim, year: int) -> np.ndarray:
    """Hawaii's tax by PolicyEngine-US's own AGI, exemptions and schedules, on the standard
    deduction: it itemizes where its imputed itemized deductions exceed that, and itemized
    deductions are not inputs of dist401k."""
    taxable = np.maximum(0.0, np.asarray(sim.calculate("hi_agi", year))
                         - np.asarray(sim.calculate("hi_standard_deduction", year))
                         - np.asarray(sim.calculate("hi_exemptions", year)))
    status = sim.calculate("filing_status", year).decode_to_str()
    rates = sim.tax_benefit_system.parameters(f"{year}-01-01").gov.states.hi.tax.income.rates
    out = np.zeros(len(taxable))
    for name, schedule in HI_SCHEDULES.items():
        mine = status == name
        out[mine] = getattr(rates, schedule).calc(taxable[mine])
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
        county = (np.asarray([bool(str(c)) for c in np.asarray(cols["maryland_county"])[idx]])
                  if "maryland_county" in cols else None)
        out[idx] = _modelled_part(sim, np.asarray(cols["state"])[idx].astype(str), int(year),
                                  county)
    return out
