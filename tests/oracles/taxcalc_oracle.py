"""Tax-Calculator (taxcalc) as an independent oracle: the same units, its own law and code.

Two parameter values of taxcalc 6.8.0 differ from the law and are corrected here, each with the
document that decides it (see docs/tax.md, "Differences from the oracles"):
- STD_Aged for a qualifying surviving spouse in 2024 is the unmarried $1,950; IRC §63(f)(3)
  gives the higher amount only to one "not married and not a surviving spouse": $1,550.
- AMT_em_pe (the AMTI where a separate filer's add-back stops) in 2026 is 639,200; Rev. Proc.
  2025-32 and the statute's arithmetic (500,000 + 70,100 / 50%) give 640,200.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

MARS = {"single": 1, "married_joint": 2, "married_separate": 3, "head_of_household": 4,
        "qualifying_surviving_spouse": 5}

# A reform value holds for its year and is indexed onward, so each is applied only when
# computing its own year.
CORRECTIONS = {
    2024: {"STD_Aged": {2024: [1950.0, 1550.0, 1550.0, 1950.0, 1550.0]}},
    2026: {"AMT_em_pe": {2026: 640200.0}},
}


def taxcalc_income_tax(cols: dict[str, np.ndarray]) -> np.ndarray:
    """Regular tax + AMT + NIIT per taxcalc (c05800 + niit), before credits.

    Tax-Calculator's records carry no lived-apart flag; its separate-filer Social Security
    thresholds are those of spouses who lived apart all year, so compare with units that say so.
    """
    import taxcalc as tc

    n = len(cols["tax_year"])
    out = np.full(n, np.nan)
    for year in np.unique(cols["tax_year"]):
        idx = np.flatnonzero(cols["tax_year"] == year)
        g = {k: np.asarray(v)[idx] for k, v in cols.items()}
        wages = g["wages"].astype(float)
        df = pd.DataFrame({
            "RECID": np.arange(1, len(idx) + 1),
            "MARS": [MARS[s] for s in g["filing_status"]],
            "XTOT": np.where(np.isin(g["filing_status"], ["married_joint"]), 2, 1),
            "age_head": g["age_head"].astype(int),
            "age_spouse": g["age_spouse"].astype(int),
            "blind_head": g["blind_head"].astype(int),
            "blind_spouse": g["blind_spouse"].astype(int),
            "e00200": wages, "e00200p": wages, "e00200s": 0.0,
            "e00300": g["taxable_interest"].astype(float),
            "e00400": g["tax_exempt_interest"].astype(float),
            "e00600": g["ordinary_dividends"].astype(float),
            "e00650": g["qualified_dividends"].astype(float),
            "p23250": g["long_term_gains"].astype(float),
            "e01500": g["taxable_distributions"].astype(float),
            "e01700": g["taxable_distributions"].astype(float),
            "e02400": g["social_security"].astype(float),
            "e02300": g["other_income"].astype(float),
            "e19200": g["itemized_deductions"].astype(float),
            # MIDR: a separate filer whose spouse itemizes (its standard deduction is zero,
            # §63(c)(6)(A)); taxcalc reads it on MARS 3 only.
            "MIDR": np.asarray(g.get("spouse_itemizes", np.zeros(len(idx)))).astype(int),
        })
        records = tc.Records(data=df, start_year=int(year), gfactors=None, weights=None,
                             adjust_ratios=None)
        policy = tc.Policy()
        policy.implement_reform(CORRECTIONS.get(int(year), {}))
        calc = tc.Calculator(policy=policy, records=records, verbose=False)
        calc.calc_all()
        out[idx] = calc.array("c05800") + calc.array("niit")
    return out


def taxcalc_departures(cols: dict[str, np.ndarray], result: dict[str, np.ndarray]) -> np.ndarray:
    """Units where taxcalc 6.8.0's code departs from the statute, so it cannot be the oracle.

    - A separate filer whose AMTI passes the point where the exemption is gone: §55(d)(3)
      (Form 6251 line 4 instructions) adds back the lesser of the phase-out rate times the
      excess and the exemption; taxcalc only zeroes the exemption.
    - From 2026, an itemizer whose income passes the start of the 37% bracket: §68 as amended
      by OBBBA §70111 reduces itemized deductions by 2/37 of the *lesser* of the deductions
      and the excess; taxcalc takes 2/37 of the excess alone.
    PolicyEngine-US follows the statute in both; tests/tax/test_policyengine_oracle.py covers them.
    """
    from dist401k.law import default_law

    law = default_law()
    year = np.asarray(cols["tax_year"])
    fs = result["filing_status_code"]
    ex = law.get("amt.exemption", year, fs)
    start = law.get("amt.exemption_phaseout_start", year, fs)
    rate = law.get("amt.exemption_phaseout_rate", year)
    amti = result["agi"] - np.where(result["itemizes"], np.asarray(cols["itemized_deductions"]), 0)
    mfs_addback = (fs == 2) & (amti > start + ex / rate - 1)
    top = law.get("income_tax.brackets", year, fs)[..., -1]
    obbba_68 = (year >= 2026) & (np.asarray(cols["itemized_deductions"]) > 0) & (result["agi"] > top)
    return mfs_addback | obbba_68
