"""The charitable deduction of one who does not itemize (IRC §170(p) as amended by P.L. 119-21
§70424, taxable years beginning after December 31, 2025): cash gifts to public charities, at
most $1,000 ($2,000 on a joint return), taken beside the standard deduction in figuring taxable
income (§63(b)(4)), not AGI, and allowed for the AMT (§56(b)(1)(D) takes away only the §63(c)
standard deduction and the §151 deductions).

Hand-worked from the statute and the 2025 and 2026 figures of Rev. Procs. 2024-40 and 2025-32
(single 2026: standard deduction $16,100, 10% to $12,400, 12% to $50,400, 22% to $105,700;
joint 2026: $32,200, 10% to $24,800, 12% to $100,800; single 2025: $15,750, 10% to $11,925),
then against PolicyEngine-US 2.68.0 (``charitable_cash_donations``,
``charitable_deduction_for_non_itemizers``) on random households."""

from __future__ import annotations

import numpy as np
import pytest

from dist401k.law import default_law
from dist401k.tax import TaxUnits, federal_tax
from oracles.households import random_units
from oracles.policyengine_oracle import policyengine_income_tax

LAW = default_law()


def tax_of(**unit):
    unit.setdefault("tax_year", 2026)
    unit.setdefault("filing_status", "single")
    unit.setdefault("age_head", 50)
    r = federal_tax(TaxUnits.from_records([unit]))
    return {k: (v[0].item() if hasattr(v[0], "item") else v[0]) for k, v in r.items()}


def test_the_limit_is_the_statutes_by_filing_status():
    """§170(p): $1,000, $2,000 on a joint return — a surviving spouse, a head of household and a
    separate filer file no joint return — from 2026; nothing 2024–2025; not indexed."""
    for year, want in ((2024, [0, 0, 0, 0, 0]), (2025, [0, 0, 0, 0, 0]),
                       (2026, [1_000, 2_000, 1_000, 1_000, 1_000]),
                       (2030, [1_000, 2_000, 1_000, 1_000, 1_000])):
        got = [LAW.scalar("charity.nonitemizer_deduction_limit", year, fs) for fs in range(5)]
        assert got == want, year


def test_single_2026_deducts_1000_of_3000_beside_the_standard_deduction():
    # Wages 60,000; gifts 3,000 → deduction min(3,000, 1,000) = 1,000.  AGI stays 60,000
    # (§63(b): taxable income is AGI minus it).  Taxable income 60,000 − 16,100 − 1,000 =
    # 42,900; tax 10% × 12,400 = 1,240 + 12% × 30,500 = 3,660 → 4,900 (without it: 43,900,
    # 1,240 + 12% × 31,500 = 3,780 → 5,020).
    r = tax_of(wages=60_000, charitable_cash=3_000)
    assert r["agi"] == 60_000
    assert r["charitable_deduction"] == 1_000
    assert r["taxable_income"] == pytest.approx(42_900)
    assert r["income_tax"] == pytest.approx(4_900)
    assert tax_of(wages=60_000)["income_tax"] == pytest.approx(5_020)


def test_joint_2026_deducts_the_whole_1500():
    # Joint, wages 100,000, gifts 1,500 (under the $2,000 limit): deducted whole.  Taxable
    # income 100,000 − 32,200 − 1,500 = 66,300; tax 10% × 24,800 = 2,480 + 12% × 41,500 =
    # 4,980 → 7,460.
    r = tax_of(filing_status="married_joint", age_spouse=50, wages=100_000, charitable_cash=1_500)
    assert r["charitable_deduction"] == 1_500
    assert r["taxable_income"] == pytest.approx(66_300)
    assert r["income_tax"] == pytest.approx(7_460)
    r = tax_of(filing_status="married_joint", age_spouse=50, wages=100_000, charitable_cash=9_000)
    assert r["charitable_deduction"] == 2_000


@pytest.mark.parametrize("status", ["married_separate", "head_of_household",
                                    "qualifying_surviving_spouse"])
def test_no_joint_return_no_2000(status):
    assert tax_of(filing_status=status, wages=90_000, charitable_cash=5_000)[
        "charitable_deduction"] == 1_000


def test_2025_has_no_such_deduction():
    # 2025: §170(p) applied only to 2021 until OBBBA; its new text starts in 2026.  Taxable
    # income 60,000 − 15,750 = 44,250; tax 10% × 11,925 = 1,192.50 + 12% × 32,325 = 3,879 →
    # 5,071.50, with or without gifts.
    r = tax_of(tax_year=2025, wages=60_000, charitable_cash=3_000)
    assert r["charitable_deduction"] == 0
    assert r["taxable_income"] == pytest.approx(44_250)
    assert r["income_tax"] == pytest.approx(5_071.50)


def test_an_itemizer_takes_nothing_more():
    # Itemized deductions 40,000 (Schedule A, the gifts in it) far above 16,100 + 1,000: the
    # return itemizes and §170(p) gives nothing ("does not elect to itemize").  Taxable income
    # 200,000 − 40,000 = 160,000 with or without the column.
    with_gifts = tax_of(wages=200_000, itemized_deductions=40_000, charitable_cash=3_000)
    without = tax_of(wages=200_000, itemized_deductions=40_000)
    assert with_gifts["itemizes"] and with_gifts["charitable_deduction"] == 0
    assert with_gifts["taxable_income"] == without["taxable_income"] == pytest.approx(160_000)
    assert with_gifts["income_tax"] == without["income_tax"]


def test_the_election_weighs_itemizing_against_the_standard_side_with_the_gifts():
    # Wages 60,000, itemized 16,600, gifts 1,000: itemizing leaves 60,000 − 16,600 = 43,400;
    # not itemizing 60,000 − 16,100 − 1,000 = 42,900 — lower, so no election (§63(e)); the
    # standard side wins though 16,600 > 16,100.
    r = tax_of(wages=60_000, itemized_deductions=16_600, charitable_cash=1_000)
    assert not r["itemizes"]
    assert r["taxable_income"] == pytest.approx(42_900)
    # With no tax either way (wages 10,000) the larger deduction is taken: 16,600 < 17,100,
    # not itemized; 17,500 > 17,100, itemized.
    assert not tax_of(wages=10_000, itemized_deductions=16_600, charitable_cash=1_000)["itemizes"]
    assert tax_of(wages=10_000, itemized_deductions=17_500, charitable_cash=1_000)["itemizes"]


def test_the_amt_allows_it():
    # Separate filer, 2026, wages 90,000, long-term gain 2,000,000, gifts 5,000 → deduction
    # 1,000.  AGI 2,090,000; regular taxable income 2,090,000 − 16,100 − 1,000 = 2,072,900, its
    # ordinary part 72,900.  AMTI (the standard deduction added back, not the §170(p) one):
    # 2,089,000, plus the §55(d)(3) add-back min(50% × (2,089,000 − 640,200), 70,100) = 70,100
    # → 2,159,100; the exemption is gone.  Part III: ordinary 159,100 at 26% to 122,250
    # (31,785) and 28% above (10,318) = 42,103; the gain at 15% up to 306,850 − 72,900 =
    # 233,950 (35,092.50) and 20% on 1,766,050 (353,210): tentative minimum tax 430,405.50.
    # It is above the regular tax, so regular tax + AMT = 430,405.50.  Added back, AMTI and
    # its ordinary part would be 1,000 more: 280 more at 28% (430,685.50).
    r = tax_of(filing_status="married_separate", wages=90_000, long_term_gains=2_000_000,
               charitable_cash=5_000)
    assert r["amt"] > 0
    assert r["regular_tax"] + r["amt"] == pytest.approx(430_405.50)
    # Without the gifts: AMTI 2,160,100, ordinary 160,100 (31,785 + 10,598), 15% zone 232,950
    # (34,942.50), 20% on 1,767,050 (353,410): 430,735.50 — 330 more.
    r0 = tax_of(filing_status="married_separate", wages=90_000, long_term_gains=2_000_000)
    assert r0["regular_tax"] + r0["amt"] == pytest.approx(430_735.50)


def test_a_batch_without_the_column_deducts_nothing():
    units = TaxUnits.from_records([{"tax_year": 2026, "filing_status": "single", "wages": 60_000}])
    assert units.charitable_cash.tolist() == [0.0]
    assert federal_tax(units)["charitable_deduction"].tolist() == [0.0]


def test_a_negative_gift_is_refused():
    from dist401k.errors import InputError

    with pytest.raises(InputError, match="charitable_cash"):
        TaxUnits.from_records([{"tax_year": 2026, "filing_status": "single",
                                "charitable_cash": -5}])


# --- against PolicyEngine-US ---------------------------------------------------------------

N = 120
FLOOR = 0.005  # §170(b)(1)(I) (P.L. 119-21 §70425): an itemizer's gifts count above 0.5% of AGI

TARGETED = [
    # itemized 16,000 + (700 − 0.5% × 60,000 = 400) = 16,400: above 16,100, below 16,800
    dict(tax_year=2026, filing_status="single", age_head=50, wages=60_000,
         itemized_deductions=16_000, charitable_cash=700),
    # a separate filer whose AMT binds: the deduction lowers it
    dict(tax_year=2026, filing_status="married_separate", age_head=50, wages=90_000,
         long_term_gains=2_000_000, charitable_cash=5_000),
    # joint, over 65, the senior deduction beside it
    dict(tax_year=2026, filing_status="married_joint", age_head=70, age_spouse=68,
         taxable_distributions=90_000, social_security=40_000, charitable_cash=2_500),
]


def _oracle_columns() -> tuple[dict, dict]:
    """Random 2025–2026 units with cash gifts (one in four none), and the targeted ones: the
    columns PolicyEngine gets (the mortgage interest as ``itemized_deductions``, the gifts as
    ``charitable_cash``) and dist401k's, whose ``itemized_deductions`` add the gifts an
    itemizer's Schedule A allows: above 0.5% of AGI from 2026 (§170(b)(1)(I)).  An itemizer's
    gifts are kept under half its AGI, below the 60% ceiling of §170(b)(1)(G)(i)."""
    cols = random_units(N, seed=170, years=(2025, 2026, 2026))
    rng = np.random.default_rng(70424)
    gifts = np.where(rng.random(N) < 0.75, np.round(np.exp(rng.uniform(np.log(50),
                                                                       np.log(8_000), N))), 0.0)
    cols["charitable_cash"] = gifts
    for unit in TARGETED:
        for k in cols:
            cols[k] = np.append(cols[k], unit.get(k, "single" if k == "filing_status" else 0))
    agi = federal_tax(TaxUnits.from_columns(cols))["agi"]
    mortgage = cols["itemized_deductions"]
    gifts = np.where(mortgage > 0, np.minimum(cols["charitable_cash"], np.floor(agi / 2)),
                     cols["charitable_cash"])
    pe = dict(cols, charitable_cash=gifts)
    floor = np.where(cols["tax_year"] >= 2026, FLOOR * agi, 0.0)
    ours = dict(pe, itemized_deductions=np.where(mortgage > 0,
                                                 mortgage + np.maximum(0.0, gifts - floor), 0.0))
    return pe, ours


@pytest.mark.oracle
@pytest.mark.slow
def test_agrees_with_policyengine_to_a_dollar():
    pe, ours_cols = _oracle_columns()
    ours = federal_tax(TaxUnits.from_columns(ours_cols))
    theirs = policyengine_income_tax(pe)
    mine = ours["income_tax"] - ours["additional_tax_72t"]
    diff = np.abs(mine - theirs)
    worst = int(np.argmax(diff))
    assert diff.max() <= 1.0, (f"unit {worst} differs by ${diff.max():.2f}: "
                               f"{ {k: v[worst] for k, v in ours_cols.items()} }")
    # The comparison reached the rule: non-itemizers of 2026 who deduct gifts, some whole,
    # some at the limit; itemizers who give; the targeted AMT unit.
    took = ours["charitable_deduction"]
    y26 = ours_cols["tax_year"] == 2026
    assert np.sum(y26 & (took > 0) & (took < 1_000)) >= 5
    assert np.sum(y26 & (took >= 1_000)) >= 10
    assert np.sum(ours["itemizes"] & (ours_cols["charitable_cash"] > 0)) >= 5
    assert not ours["itemizes"][N] and ours["amt"][N + 1] > 0
