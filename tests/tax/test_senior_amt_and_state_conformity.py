"""Open review items checked at their sources, each on a hand-worked case.

1. Form 6251 (2025) lines 1a–1b: AMTI starts from AGI less total deductions *less the Schedule
   1-A line 37 senior deduction* (IRC §151(d)(5)(C) is a §151 deduction, which §56(b)(1)(D)
   disallows), so the senior deduction is added back whether or not the return itemizes.
3. California's 2.5% additional tax follows the federal §72(t) of the same year, exceptions and
   all: R&TC §17085(c)(1) computes it "in accordance with Sections 72(m), (q), (t), and (v) of
   the Internal Revenue Code, as applicable for federal income tax purposes for the same taxable
   year"; FTB, 2023 Schedule CA (540) instructions: California "conforms to the changes to the
   retirement provisions under the SECURE 2.0 Act".
5. Massachusetts: exemptions Part B income leaves unused reduce Part A income only on a joint
   return (or a married head of household): M.G.L. c. 62 §3(A)(b); DOR Directive 86-27.
"""

from __future__ import annotations

import shutil

import pytest

from dist401k.law import default_law
from dist401k.law.loader import Law
from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.state import StateUnits, state_tax


def _law_without_amt_exemption(tmp_path) -> Law:
    """The law with no AMT exemption, so that AMTI shows in the AMT figure itself."""
    params = tmp_path / "params"
    shutil.copytree(default_law().params_dir, params)
    f = params / "amt" / "exemption.yaml"
    text = f.read_text()
    head, values = text.split("values:\n", 1)
    zeros = "\n".join(line.split(":", 1)[0] + ": {single: 0, married_joint: 0, married_separate: 0, "
                      "head_of_household: 0, qualifying_surviving_spouse: 0}"
                      for line in values.splitlines() if line.strip())
    f.write_text(head + "values:\n" + zeros + "\n")
    return Law(params)


def _federal(law: Law, **unit) -> dict:
    r = federal_tax(TaxUnits.from_records([unit]), law)
    return {k: v[0] for k, v in r.items()}


def test_form_6251_adds_the_senior_deduction_back(tmp_path):
    # Single, 66, 2025, wages 100,000 (no AMT exemption in this altered law).  Schedule 1-A:
    # 6,000 − 6% × (100,000 − 75,000) = 4,500.  Standard deduction 15,750 + 2,000 = 17,750;
    # taxable income 100,000 − 22,250 = 77,750; regular tax 10% × 11,925 + 12% × 36,550
    # + 22% × 29,275 = 1,192.50 + 4,386 + 6,440.50 = 12,019.
    # Form 6251: line 1a = 22,250 − 4,500 = 17,750; line 1b = 100,000 − 17,750 = 82,250;
    # line 2a (standard deduction) 17,750; line 4 AMTI = 100,000.  Tentative minimum tax 26% ×
    # 100,000 = 26,000; AMT = 26,000 − 12,019 = 13,981 (with the senior deduction allowed it
    # would be 26% × 95,500 − 12,019 = 12,811).
    r = _federal(_law_without_amt_exemption(tmp_path), tax_year=2025, filing_status="single",
                 age_head=66, wages=100_000)
    assert r["senior_deduction"] == pytest.approx(4_500)
    assert r["regular_tax"] == pytest.approx(12_019)
    assert r["amt"] == pytest.approx(13_981)


def test_an_itemizer_adds_the_senior_deduction_back_too(tmp_path):
    # Single, 66, 2025, wages 100,000, mortgage interest and gifts 30,000 (allowed for the AMT).
    # Senior 4,500; taxable 100,000 − 30,000 − 4,500 = 65,500; regular tax 1,192.50 + 4,386 +
    # 22% × 17,025 = 9,324.  Form 6251 line 1a = 34,500 − 4,500 = 30,000; AMTI 70,000;
    # TMT 18,200; AMT 8,876 (the standard side: 26,000 − 12,019 = 13,981 is dearer).
    r = _federal(_law_without_amt_exemption(tmp_path), tax_year=2025, filing_status="single",
                 age_head=66, wages=100_000, itemized_deductions=30_000)
    assert r["itemizes"]
    assert r["regular_tax"] == pytest.approx(9_324)
    assert r["amt"] == pytest.approx(8_876)


def _state(**kw) -> dict:
    cols = {"tax_year": 2024, "filing_status": "single"}
    cols.update(kw)
    r = state_tax(StateUnits.from_columns({k: [v] for k, v in cols.items()}))
    return {k: (v[0] if k != "reasons" else {c: bool(m[0]) for c, m in v.items()})
            for k, v in r.items()}


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_california_follows_the_secure2_exceptions(year):
    # Single, 40: wages 30,000 and a 1,000 emergency personal expense distribution
    # (§72(t)(2)(I)), spared the federal 10% tax, so spared California's 2.5% too (FTB 3805P
    # line 3 = 0); a 4,000 early distribution with no exception bears 2.5% × 4,000 = 100.
    r = _state(state="CA", tax_year=year, age_head=40, federal_agi=35_000, wages=30_000,
               taxable_distributions=5_000, early_distributions=4_000,
               secure2_excepted_distributions=1_000)
    assert r["state_additional_tax"] == pytest.approx(100.0)
    assert not r["reasons"].get("STATE_CA_SECURE2_NOT_ADOPTED", False)


def test_massachusetts_separate_filer_keeps_no_unused_exemption_for_interest():
    # Married filing separately, 70, 2024: a 3,000 distribution and 20,000 of interest.
    # Part B 3,000 − exemptions (4,400 + 700) → 0; 2,100 unused, but §3(A)(b) allows them
    # against Part A only on a joint return: Part A taxable 20,000 × 5% = 1,000.  Joint (both
    # 70, 8,800 + 1,400 = 10,200 of exemptions): 7,200 unused; Part A 12,800 × 5% = 640.
    sep = _state(state="MA", filing_status="married_separate", age_head=70, federal_agi=23_000,
                 taxable_distributions=3_000, taxable_interest=20_000, ordinary_dividends=0,
                 qualified_dividends=0, long_term_gains=0)
    joint = _state(state="MA", filing_status="married_joint", age_head=70, age_spouse=70,
                   federal_agi=23_000, taxable_distributions=3_000, taxable_interest=20_000,
                   ordinary_dividends=0, qualified_dividends=0, long_term_gains=0)
    assert sep["state_covered"] and sep["state_income_tax"] == pytest.approx(1_000.0)
    assert joint["state_income_tax"] == pytest.approx(640.0)
