"""PolicyEngine-US as an independent oracle: one simulation holding many households.

Each unit becomes a household with one tax unit (the head, and the spouse on a joint or
separate return).  The filing status is given, not inferred; income is on the head.  The
comparison figure is ``income_tax_before_credits`` (regular tax + capital gains tax + AMT)
plus ``net_investment_income_tax``.
"""

from __future__ import annotations

import numpy as np

STATUS = {"single": "SINGLE", "married_joint": "JOINT", "married_separate": "SEPARATE",
          "head_of_household": "HEAD_OF_HOUSEHOLD",
          "qualifying_surviving_spouse": "SURVIVING_SPOUSE"}


def policyengine_income_tax(cols: dict[str, np.ndarray]) -> np.ndarray:
    from policyengine_us import Simulation

    n = len(cols["tax_year"])
    out = np.full(n, np.nan)
    for year in np.unique(cols["tax_year"]):
        idx = np.flatnonzero(cols["tax_year"] == year)
        y = str(int(year))
        people, tax_units, households, families, spm, marital = {}, {}, {}, {}, {}, {}
        for j, i in enumerate(idx):
            g = {k: np.asarray(v)[i] for k, v in cols.items()}
            head = f"h{j}"
            members = [head]
            od, qd = float(g["ordinary_dividends"]), float(g["qualified_dividends"])
            people[head] = {
                "age": {y: int(g["age_head"])},
                "is_blind": {y: bool(g["blind_head"])},
                "employment_income": {y: float(g["wages"])},
                "taxable_interest_income": {y: float(g["taxable_interest"])},
                "tax_exempt_interest_income": {y: float(g["tax_exempt_interest"])},
                "qualified_dividend_income": {y: qd},
                "non_qualified_dividend_income": {y: od - qd},
                "long_term_capital_gains": {y: float(g["long_term_gains"])},
                "taxable_ira_distributions": {y: float(g["taxable_distributions"])},
                "social_security_retirement": {y: float(g["social_security"])},
                "unemployment_compensation": {y: float(g["other_income"])},
                "deductible_mortgage_interest": {y: float(g["itemized_deductions"])},
            }
            if "charitable_cash" in g:  # gifts in cash to public charities (§170(p))
                people[head]["charitable_cash_donations"] = {y: float(g["charitable_cash"])}
            if g["filing_status"] in ("married_joint", "married_separate"):
                spouse = f"s{j}"
                members.append(spouse)
                separate = g["filing_status"] == "married_separate"
                # A separate filer claims the spouse's §63(f) amounts only when the spouse had
                # no gross income (§151(b)); dist401k does not model that case, so the
                # separate filer's spouse here is under 65 and not blind.
                people[spouse] = {"age": {y: 40 if separate else int(g["age_spouse"])},
                                  "is_blind": {y: False if separate else bool(g["blind_spouse"])}}
                marital[f"m{j}"] = {"members": members}
            # PolicyEngine imputes a sales-tax deduction; the units here have no state or
            # local tax, so it is set to zero.
            unit = {"members": members, "filing_status": {y: STATUS[str(g["filing_status"])]},
                    "salt_deduction": {y: 0.0}}
            if g["filing_status"] == "married_separate":
                # PolicyEngine-US 2.68.0 zeroes only the basic standard deduction here (its
                # additional amounts stay: §63(c)(6)(A) zeroes the whole §63(c)(1) deduction),
                # so compare such units only under 65 and not blind.
                unit["separate_filer_itemizes"] = {y: bool(g.get("spouse_itemizes", 0))}
                unit["cohabitating_spouses"] = {y: not bool(g.get("lived_apart", 0))}
            tax_units[f"t{j}"] = unit
            households[f"hh{j}"] = {"members": members, "state_code": {y: "TX"}}
            families[f"f{j}"] = {"members": members}
            spm[f"spm{j}"] = {"members": members}
        situation = {"people": people, "tax_units": tax_units, "households": households,
                     "families": families, "spm_units": spm, "marital_units": marital}
        sim = Simulation(situation=situation)
        before = sim.calculate("income_tax_before_credits", int(year))
        niit = sim.calculate("net_investment_income_tax", int(year))
        out[idx] = np.asarray(before) + np.asarray(niit)
    return out
