"""Maryland (Form 502) on hand-worked cases: each line written out from the law files'
amounts (Tax-General §§10-105, 10-207, 10-209, 10-211, 10-217; Worksheet 13A), not read back
from the engine."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.errors import InputError
from dist401k.tax.state import StateUnits, state_tax


def one(**kw) -> dict:
    cols = {"state": "MD", "tax_year": 2024, "filing_status": "single", "age_head": 70}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


def test_pension_exclusion_reduced_by_social_security():
    # Single, 70, 2024: $50,000 from a 401(k), $20,000 Social Security of which $17,000 is
    # federally taxable; federal AGI 67,000.
    # Line 11 Social Security 17,000; Worksheet 13A: 39,500 − 20,000 = 19,500 excluded (line 10a);
    # Maryland AGI 67,000 − 17,000 − 19,500 = 30,500; standard deduction 15% = 4,575, at most
    # 2,700; exemptions 3,200 (federal AGI ≤ 100,000) + 1,000 (65) = 4,200; taxable 23,600;
    # tax 20 + 30 + 40 + 4.75% × 20,600 = 1,068.50.
    r = one(federal_agi=67_000, taxable_distributions=50_000, social_security=20_000,
            taxable_social_security=17_000)
    assert r["state_covered"] and r["state_income_tax"] == pytest.approx(1_068.50)
    assert r["reasons"]["STATE_MD_PENSION_EXCLUSION"] and r["state_additional_tax"] == 0


def test_exemption_falls_with_federal_agi_and_early_distribution_is_taxed():
    # Single, 50, 2024, an early $110,000 distribution: no exclusion before 65, exemption 1,600
    # (federal AGI over 100,000, not over 125,000), standard deduction 2,700; taxable 105,700;
    # tax 90 + 4.75% × 97,000 + 5% × 5,700 = 4,982.50; no Maryland tax of its own on it.
    r = one(age_head=50, federal_agi=110_000, taxable_distributions=110_000,
            early_distributions=110_000)
    assert r["state_income_tax"] == pytest.approx(4_982.50) and r["state_additional_tax"] == 0


def test_2025_flat_standard_deduction_and_joint_schedule():
    # Joint, both 66, 2025: $300,000 distribution, no Social Security.  Head's exclusion 41,200
    # (the distribution is the head's); Maryland AGI 258,800; standard deduction 6,700;
    # exemptions 0 × 2 (federal AGI over 200,000) + 2 × 1,000; taxable 250,100; tax
    # 90 + 4.75% × 147,000 + 5% × 25,000 + 5.25% × 50,000 + 5.5% × 25,100 = 12,328.
    r = one(tax_year=2025, filing_status="married_joint", age_head=66, age_spouse=66,
            federal_agi=300_000, taxable_distributions=300_000)
    assert r["state_income_tax"] == pytest.approx(12_328.0)


def test_2025_top_brackets():
    # Single, 60, 2025, $1,200,000: taxable 1,200,000 − 3,350 = 1,196,650; tax 90 + 4,607.50
    # + 1,250 + 1,312.50 + 5,500 + 14,375 + 6.25% × 500,000 + 6.5% × 196,650 = 71,167.25.
    r = one(tax_year=2025, age_head=60, federal_agi=1_200_000, taxable_distributions=1_200_000)
    assert r["state_income_tax"] == pytest.approx(71_167.25)


def test_joint_social_security_split_decides_only_where_it_can():
    # Joint, both 70: $50,000 distribution, $20,000 Social Security between them: the head's
    # exclusion is 39,500 if none of it is the head's, 19,500 if all is, and Maryland AGI
    # 10,500 to 30,500: not guessed.
    r = one(filing_status="married_joint", age_spouse=70, federal_agi=67_000,
            taxable_distributions=50_000, social_security=20_000, taxable_social_security=17_000)
    assert not r["state_covered"] and np.isnan(r["state_income_tax"])
    assert r["reasons"]["STATE_MD_SOCIAL_SECURITY_NOT_SPLIT"]
    # $15,000: within 39,500 − 20,000 whatever the split: excluded in full.
    # Maryland AGI 15,000 + 2,000 − 2,000 − 15,000 = 0: no tax.
    r = one(filing_status="married_joint", age_spouse=70, federal_agi=17_000,
            taxable_distributions=15_000, social_security=20_000, taxable_social_security=2_000)
    assert r["state_covered"] and r["state_income_tax"] == 0


def test_capital_gains_surtax_from_2025_is_not_guessed():
    kw = {"age_head": 60, "federal_agi": 410_000, "taxable_distributions": 400_000}
    r = one(tax_year=2025, **kw)
    assert not r["state_covered"] and r["reasons"]["STATE_MD_CAPITAL_GAINS_SURTAX_NOT_MODELLED"]
    assert one(tax_year=2024, **kw)["state_covered"]


def test_county_tax_by_hand():
    # 2025, single, 50, $100,000 of wages: Maryland taxable income $93,450 ($100,000 less the
    # $3,350 flat deduction and the $3,200 exemption). Montgomery (3.2%): $2,990.40; Anne
    # Arundel, 2.70% to $50,000 and 2.94% above: $2,627.43; Frederick, the whole at the 2.96%
    # of its $50,000–$150,000 level: $2,766.12. Without a county: none, and a reason says so.
    base = dict(state="MD", tax_year=2025, filing_status="single", age_head=50,
                federal_agi=100_000, wages=100_000)
    state = one(**base)
    assert state["reasons"]["STATE_MD_COUNTY_NOT_GIVEN"]
    for county, local in (("Montgomery", 0.032 * 93_450),
                          ("anne arundel", 0.027 * 50_000 + 0.0294 * 43_450),
                          ("Frederick County", 0.0296 * 93_450),
                          ("Prince George's", 0.032 * 93_450), ("Baltimore City", 0.032 * 93_450),
                          ("worcester", 0.0225 * 93_450)):
        r = one(**base, maryland_county=county)
        assert r["state_income_tax"] - state["state_income_tax"] == pytest.approx(local, abs=0.005)
        assert r["reasons"]["STATE_MD_COUNTY_TAX"]
        assert not r["reasons"]["STATE_MD_COUNTY_NOT_GIVEN"]


def test_frederick_county_takes_the_rate_of_its_level_on_the_whole_income():
    # 2024, joint: $25,000 or less at 2.25%; over $25,000 to $100,000 at 2.75% of all of it;
    # over $100,000 to $250,000 at 2.96%. The taxable income is Montgomery's tax at 3.2%.
    base = dict(state="MD", tax_year=2024, filing_status="married_joint", age_head=50,
                age_spouse=50, spouse_wages=0)
    levels = set()
    for agi in (30_000.0, 60_000.0, 140_000.0):
        state = one(**base, federal_agi=agi, wages=agi)["state_income_tax"]
        taxable = (one(**base, federal_agi=agi, wages=agi, maryland_county="montgomery")
                   ["state_income_tax"] - state) / 0.032
        rate = 0.0225 if taxable <= 25_000 else 0.0275 if taxable <= 100_000 else 0.0296
        levels.add(rate)
        local = one(**base, federal_agi=agi, wages=agi, maryland_county="frederick")[
            "state_income_tax"] - state
        assert local == pytest.approx(rate * taxable, abs=0.01)
    assert levels == {0.0225, 0.0275, 0.0296}


def test_a_county_is_a_maryland_county_of_a_maryland_unit():
    with pytest.raises(InputError) as e:
        StateUnits.from_columns({"state": ["VA"], "tax_year": [2025], "filing_status": ["single"],
                                 "federal_agi": [0], "maryland_county": ["Montgomery"]})
    assert e.value.problems[0].field == "maryland_county"
    with pytest.raises(InputError) as e:
        StateUnits.from_columns({"state": ["MD"], "tax_year": [2025], "filing_status": ["single"],
                                 "federal_agi": [0], "maryland_county": ["Gotham"]})
    assert e.value.problems[0].field == "maryland_county"
    assert "not a Maryland county" in str(e.value) and "montgomery" in str(e.value)


def test_county_tax_agrees_with_policyengine():
    """Random Maryland retirees of every filing status, 2024–2025, each in a county drawn at
    random, against PolicyEngine-US's state tax before credits plus its county tax before
    credits, to $1."""
    pytest.importorskip("policyengine_us")
    from dist401k.law import default_law
    from oracles.policyengine_state_oracle import policyengine_state_tax, random_retirees
    from tax.state.test_policyengine_state_oracle import _ours

    keys = default_law().param("state.md.local_rates").keys
    cols = random_retirees(72, seed=2411, state="MD", years=(2024, 2025))
    cols["maryland_county"] = np.array([keys[i % len(keys)] for i in range(72)])
    ours = _ours(cols)
    theirs = policyengine_state_tax(cols)
    assert ours["reasons"]["STATE_MD_COUNTY_TAX"].sum() >= 30
    # PolicyEngine-US gives a separate filer the spouse's exemption too (Tax-General §10-211
    # allows it on a joint return only: test_policyengine_state_oracle.py): the county tax's
    # gap is then at most the exemption at the county's rate, above the state's at its top rate.
    separate = cols["filing_status"] == "married_separate"
    covered = ours["state_covered"] & ~separate
    np.testing.assert_allclose(ours["state_income_tax"][covered], theirs[covered], atol=1.0)
    gap = (ours["state_income_tax"] - theirs)[ours["state_covered"] & separate]
    assert gap.size and gap.min() >= -1.0 and gap.max() <= (0.065 + 0.033) * 3_200 + 1.0


def test_an_ira_distribution_gets_no_pension_exclusion():
    # Single, 70, 2025: $60,000 from a traditional IRA, $10,000 Social Security of which $8,500
    # is federally taxable; federal AGI 68,500.  "A traditional IRA, a Roth IRA, a simplified
    # employee plan (SEP), a Keogh Plan or an ineligible deferred compensation plan does not
    # qualify" (Form 502 Instruction 13; Tax-General §10-209: an employee retirement
    # system's).  Maryland AGI 68,500 − 8,500 = 60,000; standard deduction 3,350; exemptions
    # 3,200 + 1,000 = 4,200; taxable 52,450; tax 20 + 30 + 40 + 4.75% × 49,450 = 2,438.88.
    ira = one(tax_year=2025, federal_agi=68_500, taxable_distributions=60_000,
              ira_distributions=60_000, social_security=10_000, taxable_social_security=8_500)
    assert ira["state_income_tax"] == pytest.approx(2_438.875, abs=0.01)
    assert not ira["reasons"]["STATE_MD_PENSION_EXCLUSION"]
    # The same from a 401(k): 41,200 − 10,000 = 31,200 excluded; taxable 21,250; tax
    # 90 + 4.75% × 18,250 = 956.88.
    plan = one(tax_year=2025, federal_agi=68_500, taxable_distributions=60_000,
               social_security=10_000, taxable_social_security=8_500)
    assert plan["state_income_tax"] == pytest.approx(956.875, abs=0.01)
    # Half from each: the plan's 30,000 is under the 31,200 room: all of it excluded.
    half = one(tax_year=2025, federal_agi=68_500, taxable_distributions=60_000,
               ira_distributions=30_000, social_security=10_000, taxable_social_security=8_500)
    assert half["state_income_tax"] == pytest.approx(
        90 + 0.0475 * (60_000 - 30_000 - 3_350 - 4_200 - 3_000), abs=0.01)
