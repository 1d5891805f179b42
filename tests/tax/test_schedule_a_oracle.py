"""Schedule A from its parts against PolicyEngine-US 2.68.0, given the same raw amounts
(``real_estate_taxes``, ``itemized_medical_expenses``, ``charitable_cash_donations``,
``deductible_mortgage_interest``; Texas, PolicyEngine's imputed sales tax set to zero): random
2025–2026 single and joint units of $150,000–$250,000 of other income, each with and without a
large distribution, so the SALT cap's phase-down (§164(b)(7)), the 0.5% charity floor
(§170(b)(1)(I)) and the 7.5% medical floor (§213(a)) are met at both AGIs.  Comparison figure:
``income_tax_before_credits`` + ``net_investment_income_tax``, to $1."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.tax import TaxUnits, federal_tax

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

N = 24
STATUS = {"single": "SINGLE", "married_joint": "JOINT"}


def _units() -> list[dict]:
    rng = np.random.default_rng(164)
    units = []
    for _ in range(N):
        fs = str(rng.choice(["single", "married_joint"]))
        other = rng.uniform(150_000, 250_000)
        interest, qdiv, ltcg, pension = (other * rng.dirichlet([1, 1, 1, 1])).round(0)
        base = dict(
            tax_year=int(rng.choice([2025, 2026])), filing_status=fs,
            age_head=int(rng.integers(60, 80)),
            age_spouse=int(rng.integers(58, 80)) if fs == "married_joint" else 0,
            taxable_interest=interest, ordinary_dividends=qdiv, qualified_dividends=qdiv,
            long_term_gains=ltcg,
            state_local_taxes=float(rng.choice([0, rng.uniform(5_000, 70_000)]).round(0)),
            other_itemized=float(rng.choice([0, rng.uniform(0, 40_000)]).round(0)),
            itemized_charity=float(rng.choice([0, rng.uniform(0, 60_000)]).round(0)),
            medical_expenses=float(rng.choice([0, 0, rng.uniform(0, 80_000)]).round(0)))
        # The same gifts are a non-itemizer's §170(p) cash gifts (PolicyEngine takes both
        # from charitable_cash_donations).
        base["charitable_cash"] = base["itemized_charity"]
        dist = round(float(rng.uniform(250_000, 900_000)))
        units.append(dict(base, taxable_distributions=pension))
        units.append(dict(base, taxable_distributions=pension + dist))
    return units


def _policyengine(units: list[dict]) -> np.ndarray:
    from policyengine_us import Simulation

    out = np.full(len(units), np.nan)
    for year in sorted({u["tax_year"] for u in units}):
        idx = [i for i, u in enumerate(units) if u["tax_year"] == year]
        y = str(year)
        people, tax_units, households, families, spm, marital = {}, {}, {}, {}, {}, {}
        for j, i in enumerate(idx):
            u = units[i]
            head, members = f"h{j}", [f"h{j}"]
            people[head] = {
                "age": {y: u["age_head"]}, "taxable_interest_income": {y: u["taxable_interest"]},
                "qualified_dividend_income": {y: u["qualified_dividends"]},
                "long_term_capital_gains": {y: u["long_term_gains"]},
                "taxable_ira_distributions": {y: u["taxable_distributions"]},
                "real_estate_taxes": {y: u["state_local_taxes"]},
                "deductible_mortgage_interest": {y: u["other_itemized"]},
                "charitable_cash_donations": {y: u["itemized_charity"]}}
            if u["filing_status"] == "married_joint":
                people[f"s{j}"] = {"age": {y: u["age_spouse"]}}
                members.append(f"s{j}")
                marital[f"m{j}"] = {"members": members}
            tax_units[f"t{j}"] = {"members": members,
                                  "filing_status": {y: STATUS[u["filing_status"]]},
                                  "state_sales_tax": {y: 0.0}, "local_sales_tax": {y: 0.0},
                                  # Schedule A line 1 as given: PolicyEngine would otherwise
                                  # add the Medicare premiums it imputes to a person of 65.
                                  "itemized_medical_expenses": {y: u["medical_expenses"]}}
            households[f"hh{j}"] = {"members": members, "state_code": {y: "TX"}}
            families[f"f{j}"] = {"members": members}
            spm[f"spm{j}"] = {"members": members}
        sim = Simulation(situation={"people": people, "tax_units": tax_units,
                                    "households": households, "families": families,
                                    "spm_units": spm, "marital_units": marital})
        before = np.asarray(sim.calculate("income_tax_before_credits", year))
        niit = np.asarray(sim.calculate("net_investment_income_tax", year))
        out[idx] = before + niit
    return out


def test_schedule_a_parts_agree_with_policyengine():
    units = _units()
    ours = federal_tax(TaxUnits.from_records(units))
    theirs = _policyengine(units)
    diff = np.abs(ours["income_tax"] - theirs)
    worst = int(np.argmax(diff))
    assert diff.max() <= 1.0, f"unit {worst} differs by ${diff.max():.2f}: {units[worst]}"
    # The draw reaches the rules: itemizers, AGIs past the SALT threshold, AMT or not.
    assert ours["itemizes"].sum() >= N // 2
    assert (ours["agi"] > 505_000).sum() >= N // 2
