"""California personal income tax on a tax unit with retirement income (Form 540, FTB 3805P).

California starts from federal AGI less taxable Social Security (R&TC §17087), takes the
standard deduction (§17073.5), taxes the rest by the schedules of §17041, subtracts the
personal and senior exemption credits (§17054) as reduced above the AGI threshold (§17054.1),
and adds the 1% Mental Health Services Tax (§17043).  Its additional tax on early
distributions is 2.5% (§17085(c)(1), FTB 3805P) on what the federal §72(t) tax reaches:
§17085(c)(1) computes it by §72(t) "as applicable for federal income tax purposes for the same
taxable year", so every federal exception spares a distribution in California too — the rule of
55, the birth or adoption exception and those SECURE 2.0 added (``secure2_excepted_distributions``
bears no California tax), whatever the January 1, 2015 conformity date of §17024.5.
"""

from __future__ import annotations

import numpy as np

from dist401k.law.loader import Lookup
from dist401k.tax.brackets import schedule_tax
from dist401k.tax.state.common import StateAnswer, aged, people_with_surviving_spouse
from dist401k.tax.state.units import StateUnits


def california_tax(lk: Lookup, u: StateUnits) -> StateAnswer:
    """Form 540 tax (line 31 less exemption credits, plus line 62) and FTB 3805P line 4."""
    ss_exempt = lk.get("state.ca.social_security_exempt") > 0
    ca_agi = u.federal_agi - np.where(ss_exempt, u.taxable_social_security, 0.0)
    taxable = np.maximum(0.0, ca_agi - lk.get("state.ca.standard_deduction"))
    credits, reduced = exemption_credits(lk, u)
    mental_health = lk.get("state.ca.mental_health_tax_rate") * np.maximum(
        0.0, taxable - lk.get("state.ca.mental_health_tax_threshold"))
    regular = schedule_tax(lk, "state.ca.brackets", "state.ca.rates", taxable)
    secure2_taxed = (lk.get("state.ca.secure2_exceptions_adopted") == 0) & (
        u.secure2_excepted_distributions > 0)
    subject = u.early_distributions + np.where(secure2_taxed, u.secure2_excepted_distributions, 0.0)
    return StateAnswer(
        income_tax=np.maximum(0.0, regular - credits) + mental_health,
        additional_tax=lk.get("state.ca.early_distribution_rate") * subject,
        reasons={
            "STATE_CA_EARLY_TAX": subject > 0,
            "STATE_CA_SECURE2_NOT_ADOPTED": secure2_taxed,
            "STATE_CA_EXEMPTION_CREDIT_PHASED_OUT": reduced,
            "STATE_CA_MENTAL_HEALTH_TAX": mental_health > 0,
            "STATE_SOCIAL_SECURITY_EXEMPT": ss_exempt & (u.taxable_social_security > 0),
        },
    )


def exemption_credits(lk: Lookup, u: StateUnits) -> tuple[np.ndarray, np.ndarray]:
    """Personal and senior exemption credits after the phase-out (Form 540 line 32 worksheet):
    each credit loses a fixed amount per step of federal AGI (or part of one) over the
    threshold.  Returns the credits and where they were reduced."""
    count = people_with_surviving_spouse(u) + aged(u, lk.get("state.ca.senior_exemption_age"))
    over = np.maximum(0.0, u.federal_agi - lk.get("state.ca.exemption_credit_phaseout_start"))
    steps = np.ceil(over / lk.get("state.ca.exemption_credit_phaseout_step") - 1e-9)
    each = np.maximum(0.0, lk.get("state.ca.exemption_credit")
                      - steps * lk.get("state.ca.exemption_credit_phaseout_per_step"))
    return count * each, over > 0
