"""PolicyEngine-US's premium tax credit (``aca_ptc``) as an independent oracle.

Each household is a tax unit of one or two adults under 65 in the state of its ``state``
column (default: Texas, which has no Medicaid for childless adults; Alaska and Hawaii for their
own poverty lines), its income as taxable IRA distributions and Social Security on the head,
and the benchmark premium given (``slcsp``), so the comparison isolates §36B: household income
(AGI plus the Social Security left out of it), the prior year's poverty line, the applicable
percentage, the 400% limit and, where the state covers the adult group, Medicaid's.
All the households are in one simulation (its set-up is most of the time), each read in its
own year.
"""

from __future__ import annotations

import numpy as np

STATE = {"contiguous": "TX", "alaska": "AK", "hawaii": "HI"}


def policyengine_ptc(cols: dict[str, np.ndarray]) -> np.ndarray:
    from policyengine_us import Simulation

    people, units, households, families, spm, marital = {}, {}, {}, {}, {}, {}
    for j in range(len(cols["year"])):
        y = str(int(cols["year"][j]))
        head = f"h{j}"
        members = [head]
        people[head] = {
            "age": {y: int(cols["age"][j])},
            "taxable_ira_distributions": {y: float(cols["distributions"][j])},
            "social_security_retirement": {y: float(cols["social_security"][j])},
            # PolicyEngine pays every Alaskan the Permanent Fund Dividend, taxable income the
            # household here does not have.
            "ak_permanent_fund_dividend": {y: 0.0},
        }
        if int(cols["household_size"][j]) == 2:
            spouse = f"s{j}"
            members.append(spouse)
            people[spouse] = {"age": {y: int(cols["age"][j]) - 2},
                              "ak_permanent_fund_dividend": {y: 0.0}}
            marital[f"m{j}"] = {"members": members}
        status = "JOINT" if len(members) == 2 else "SINGLE"
        units[f"t{j}"] = {"members": members, "filing_status": {y: status},
                          "slcsp": {y: float(cols["benchmark"][j])}}
        # The credit reads the poverty line of the year before (Treas. Reg. §1.36B-1(h)),
        # which PolicyEngine looks up by that year's state: the state both years.
        state = str(cols["state"][j]) if "state" in cols else STATE[str(cols["region"][j])]
        households[f"hh{j}"] = {"members": members,
                                "state_code": {y: state, str(int(y) - 1): state}}
        families[f"f{j}"] = {"members": members}
        spm[f"spm{j}"] = {"members": members}
    sim = Simulation(situation={"people": people, "tax_units": units, "households": households,
                                "families": families, "spm_units": spm,
                                "marital_units": marital})
    out = np.full(len(cols["year"]), np.nan)
    for year in np.unique(cols["year"]):
        mine = cols["year"] == year
        out[mine] = np.asarray(sim.calculate("aca_ptc", int(year)))[mine]
    return out
