"""The loader's ``indexing.derived`` (a projected year's figures of one filing status set from
another's) and its rounding to the nearest multiple (half a multiple up), on a small law
written here: each expected figure is the file's own numbers worked by hand at its 10%."""

from __future__ import annotations

import pytest

from dist401k.law import Law, LawError
from dist401k.law.filing_status import MARRIED_JOINT, MARRIED_SEPARATE, SINGLE
from law.test_loader import write_law

TIERS = """
description: tiers
metadata:
  unit: USD
  period: year
  label: tiers
  breakdown: [filing_status, bracket]
  indexing:
    index: chained_cpi
    round: 1000
    direction: nearest
    derived:
      married_joint: {from: single, times: [2, 1.5]}
      married_separate: {from: single, less_first: true}
  reference: [{title: "42 USC 1395r(i)(3)(C)", href: "https://example.org"}]
values:
  2026-01-01:
    single: [105000, 500000]
    married_joint: [210000, 750000]
    married_separate: [105000, 395000]
    head_of_household: [105000, 500000]
    qualifying_surviving_spouse: [105000, 500000]
"""


def test_projected_figures_round_to_the_nearest_thousand_half_up(tmp_path):
    law = write_law(tmp_path, {"medicare/tiers": TIERS})
    # 105,000 × 1.1 = 115,500 → 116,000 (half up); 500,000 × 1.1 = 550,000.
    assert law.get("medicare.tiers", 2027, SINGLE).tolist() == [116_000, 550_000]
    # 105,000 × 1.21 = 127,050 → 127,000; 500,000 × 1.21 = 605,000.
    assert law.get("medicare.tiers", 2028, SINGLE).tolist() == [127_000, 605_000]
    # At 2.5%: 500,000 × 1.025 = 512,500 → 513,000 (a float makes it 512,499.99999999994);
    # 105,000 × 1.025 = 107,625 → 108,000.
    at = Law(params_dir=tmp_path, inflation=0.025)
    assert at.get("medicare.tiers", 2027, SINGLE).tolist() == [108_000, 513_000]


def test_derived_statuses_follow_the_rounded_source(tmp_path):
    law = write_law(tmp_path, {"medicare/tiers": TIERS})
    # 2 × 116,000 and 1.5 × 550,000, not 210,000 × 1.1 = 231,000 on its own.
    assert law.get("medicare.tiers", 2027, MARRIED_JOINT).tolist() == [232_000, 825_000]
    # 116,000, and 550,000 − 116,000.
    assert law.get("medicare.tiers", 2027, MARRIED_SEPARATE).tolist() == [116_000, 434_000]
    # The enacted year is as written.
    assert law.get("medicare.tiers", 2026, MARRIED_SEPARATE).tolist() == [105_000, 395_000]


def test_a_derived_rule_must_name_statuses_and_a_rule(tmp_path):
    bad = TIERS.replace("married_separate: {from: single, less_first: true}",
                        "married_separate: {from: nobody, less_first: true}")
    with pytest.raises(LawError, match="derived"):
        write_law(tmp_path, {"medicare/tiers": bad}).get("medicare.tiers", 2027, SINGLE)
    bad = TIERS.replace("less_first: true", "plus: 1")
    with pytest.raises(LawError, match="times"):
        write_law(tmp_path, {"medicare/tiers": bad}).get("medicare.tiers", 2027, SINGLE)
