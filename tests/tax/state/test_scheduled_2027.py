"""State rates the statutes already schedule for 2027 and later, worked by hand and checked
against PolicyEngine-US.

A year after the last enacted one (2026) carries each state figure "but for a change the law
already schedules" (docs/state.md): these are such changes.

- Mississippi, Miss. Code §27-7-5 as amended by 2025 HB 1 (the Build Up Mississippi Act): none
  on the first $10,000 of taxable income, then 3.75% for 2027, 3.5% 2028, 3.25% 2029, 3% from
  2030.  Single: $2,300 standard deduction and $6,000 exemption; joint $4,600 and $12,000.
- Indiana, Ind. Code §6-3-2-1(a)(8): 2.9% for taxable years beginning after December 31, 2026,
  on AGI less the $1,000 exemptions.
- New York, §601 as amended by L. 2025, ch. 59, Part A: 3.8%, 4.3%, 5.05%, 5.3%, 5.8% for the
  five lowest brackets from 2027 (standard deduction $8,000 single, $16,050 joint).
- Nebraska, §77-2715.03(2)(b)–(c) (LB 754): rates three and four 3.99% from 2027; the indexed
  brackets, standard deduction and $176 exemption credit of 2026 carried (not indexed here).
- Hawaii, §235-51 as amended by Act 46 (2024) and Act 24 (2026), §235-2.4: the 2027 schedule
  (1.4% to $14,400 single, 2.5% to $19,200, 5% to $24,000, 6.4% to $36,000, 6.8% to $48,000,
  7.2% to $125,000 …; joint twice), 2029's wider one, standard deduction $8,000 (2026–2027),
  $9,000 (2028–2029), $12,000 (2031) single, exemption $1,144 each.
"""

from __future__ import annotations

import numpy as np
import pytest
from state_cases import one as state_case

from dist401k.law import default_law
from dist401k.tax import TaxUnits, federal_tax
from dist401k.tax.state import StateUnits, state_tax
from dist401k.tax.state.with_federal import federal_figures

#: Single, 45, $100,000 of wages: state taxable income by hand.
#: MS 100,000 - 2,300 - 6,000 = 91,700; IN 99,000; NY 92,000; NE 90,950; HI 90,856.
SINGLE = {
    # (91,700 - 10,000) x 3.75% / 3.5% / 3.25% / 3%.
    ("MS", 2027): 3_063.75, ("MS", 2028): 2_859.50, ("MS", 2029): 2_655.25, ("MS", 2030): 2_451.00,
    # 99,000 x 2.9%, every year from 2027.
    ("IN", 2027): 2_871.00, ("IN", 2030): 2_871.00,
    # 8,500 x 3.8% + 3,200 x 4.3% + 2,200 x 5.05% + 66,750 x 5.3% + 11,350 x 5.8%.
    ("NY", 2027): 4_767.75,
    # Nebraska indexes its brackets, standard deduction and credit (§77-2715.03(2),
    # §77-2716.01), projected at 2.5%: ends 4,130 and 24,760 -> 4,230 and 25,380 (nearest $10),
    # the deduction 8,850 -> 9,050 (down to $50), the credit 176 -> 180; taxable 90,950:
    # 4,230 x 2.46% + 21,150 x 3.51% + 65,570 x 3.99% - 180.
    ("NE", 2027): 3_282.67,
    # 14,400 x 1.4% + 4,800 x 2.5% + 4,800 x 5% + 12,000 x 6.4% + 12,000 x 6.8% + 42,856 x 7.2%.
    ("HI", 2027): 5_231.23,
    # 2029: taxable 89,856: 19,200 x 1.4% + 4,800 x 2.5% + 12,000 x 5% + 12,000 x 6.4%
    # + 41,856 x 6.8%.
    ("HI", 2029): 4_603.01,
    # 2031: taxable 86,856, the same schedule: ... + 38,856 x 6.8%.
    ("HI", 2031): 4_399.01,
}

#: Married filing jointly, both 45, $60,000 and $40,000 of wages, 2027.
JOINT = {
    # Two columns, each past its untaxed $10,000: (100,000 - 4,600 - 12,000 - 20,000) x 3.75%.
    "MS": 2_377.50,
    # (100,000 - 2,000) x 2.9%.
    "IN": 2_842.00,
    # Taxable 83,950: 17,150 x 3.8% + 6,450 x 4.3% + 4,300 x 5.05% + 56,050 x 5.3%.
    "NY": 4_116.85,
    # Indexed as above: ends 8,460 and 50,770, the deduction 18,100, the credit 180; taxable
    # 81,900: 8,460 x 2.46% + 42,310 x 3.51% + 31,130 x 3.99% - 2 x 180.
    "NE": 2_575.28,
    # Taxable 100,000 - 16,000 - 2,288 = 81,712: 28,800 x 1.4% + 9,600 x 2.5% + 9,600 x 5%
    # + 24,000 x 6.4% + 9,712 x 6.8%.
    "HI": 3_319.62,
}

#: The 2026 answers, carried into 2027 before the scheduled rates were entered.
CARRIED_2026 = {"MS": 3_268.00, "IN": 2_920.50, "NY": 4_859.75, "NE": 3_670.46, "HI": 5_796.26}


def _units(rows: list[dict]) -> dict[str, np.ndarray]:
    """Columns of the units (wages only), as the PolicyEngine-US oracle reads them."""
    keys = ("state", "tax_year", "filing_status", "age_head", "age_spouse", "wages",
            "spouse_wages", "taxable_interest", "taxable_distributions", "social_security")
    return {k: np.array([r.get(k, 0) for r in rows]) for k in keys}


def _ours(cols: dict[str, np.ndarray]) -> dict:
    """dist401k's state answer for the units, from their federal tax."""
    fed = federal_tax(TaxUnits.from_columns({
        k: cols[k] for k in ("tax_year", "filing_status", "age_head", "age_spouse", "wages")}))
    return state_tax(StateUnits.from_columns({
        **{k: cols[k] for k in ("state", "tax_year", "filing_status", "age_head", "age_spouse",
                                "wages", "spouse_wages")},
        **federal_figures(fed)}))


def _single(state: str, year: int) -> dict:
    return {"state": state, "tax_year": year, "filing_status": "single", "age_head": 45,
            "wages": 100_000.0}


def _joint(state: str, year: int) -> dict:
    return {"state": state, "tax_year": year, "filing_status": "married_joint", "age_head": 45,
            "age_spouse": 45, "wages": 100_000.0, "spouse_wages": 40_000.0}


@pytest.mark.parametrize(("state", "year"), list(SINGLE))
def test_single_100000_by_hand(state, year):
    out = _ours(_units([_single(state, year)]))
    assert out["state_income_tax"][0] == pytest.approx(SINGLE[(state, year)], abs=0.005)
    assert out["projected"][0]


@pytest.mark.parametrize("state", list(JOINT))
def test_joint_100000_in_2027_by_hand(state):
    out = _ours(_units([_joint(state, 2027)]))
    assert out["state_income_tax"][0] == pytest.approx(JOINT[state], abs=0.005)


def test_2026_is_unchanged():
    """The 2026 answers stay those of the 2026 law (the scheduled rates start in 2027)."""
    out = _ours(_units([_single(s, 2026) for s in CARRIED_2026]))
    assert out["state_income_tax"] == pytest.approx(list(CARRIED_2026.values()), abs=0.005)


def test_2027_differs_from_the_carried_2026_figure():
    out = _ours(_units([_single(s, 2027) for s in CARRIED_2026]))
    assert all(abs(t - CARRIED_2026[s]) > 40 for s, t in zip(CARRIED_2026, out["state_income_tax"],
                                                             strict=True))


def test_marks_follow_the_source_read():
    """Indiana's 2.9% was read in the statute's text: 2027 is not marked unconfirmed.
    Mississippi's 2027 schedule was read only in the act's title and a summary: marked."""
    out = _ours(_units([_single("IN", 2027), _single("MS", 2027), _single("MS", 2026)]))
    assert list(out["state_unconfirmed"]) == [False, True, False]
    law = default_law()
    assert 2027 in law.param("state.ms.rates").unconfirmed
    assert 2027 not in law.param("state.in.rate").unconfirmed


def test_hawaii_pre_2027_schedule_unchanged_by_the_empty_bracket():
    """Before 2027 the twelfth upper end repeats the eleventh (an empty bracket at 11%): a 2025
    single filer with $400,000 of taxable income pays the twelve-rate schedule's tax:
    9,600 x 1.4% + 4,800 x 3.2% + 4,800 x 5.5% + 4,800 x 6.4% + 12,000 x 6.8% + 12,000 x 7.2%
    + 77,000 x 7.6% + 50,000 x 7.9% + 50,000 x 8.25% + 50,000 x 9% + 50,000 x 10%
    + 75,000 x 11% = 34,216.20."""
    agi = 400_000 + 4_400 + 1_144
    r = state_case({"state": "HI", "filing_status": "single", "age_head": 45}, tax_year=2025,
                   federal_agi=agi, wages=agi)
    assert r["state_income_tax"] == pytest.approx(34_216.20, abs=0.005)


@pytest.mark.oracle
@pytest.mark.slow
def test_against_policyengine():
    """PolicyEngine-US, 2027: single $100,000 and the joint household of each state agree to $1,
    but Nebraska's, whose indexed amounts both project for 2027 by different rates
    (PolicyEngine-US its CPI forecast, dist401k its assumed 2.5%): there the gap is at most
    those amounts' growth at 4% (the standard
    deduction at the top rate, the exemption credit, the first two bracket ends at the next
    rate's difference)."""
    from oracles.policyengine_state_oracle import policyengine_state_tax

    # One year (one simulation: PolicyEngine-US is slow to start); the later years' schedules
    # are worked by hand above.
    rows = [_single(s, 2027) for s in CARRIED_2026] + [_joint(s, 2027) for s in CARRIED_2026]
    cols = _units(rows)
    mine, theirs = _ours(cols)["state_income_tax"], policyengine_state_tax(cols)
    law = default_law()
    fs = np.array([0, 1])
    ends = law.get("state.ne.brackets", [2026, 2026], fs)
    rates = law.get("state.ne.rates", 2027)
    growth = 0.04 * (law.get("state.ne.standard_deduction", [2026, 2026], fs) * rates[-1]
                     + law.get("state.ne.exemption_credit", 2026) * np.array([1, 2])
                     + ends[:, 0] * (rates[1] - rates[0]) + ends[:, 1] * (rates[2] - rates[1]))
    most = np.where(cols["state"] == "NE", np.where(cols["filing_status"] == "single",
                                                    growth[0], growth[1]), 0.0) + 1.0
    gap = np.abs(mine - theirs)
    shown = [(str(s), int(y), str(f), round(float(a), 2), round(float(b), 2))
             for s, y, f, a, b in zip(cols["state"], cols["tax_year"], cols["filing_status"],
                                      mine, theirs, strict=True)]
    assert np.all(gap <= most), shown
