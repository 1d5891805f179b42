"""The AFTER_TAX_TO_ROTH trap tells what the Notice 2014-54 split sends to a Roth IRA beyond
what the plain rollover sends there: the after-tax basis.

Notice 2014-54 lets one distribution be split so that the after-tax amounts go to a Roth IRA
and the pre-tax amounts to a traditional IRA; the designated Roth money goes to a Roth
account under every rollover (IRC §402A(c)(3)(A)), split or not.  The example of
examples/cases/in-service-at-60-mega-backdoor.yaml, by hand: $770,000 paid in service —
$420,000 of deferrals and $210,000 of match (pre-tax), $60,000 of after-tax money ($45,000
of it basis) and $80,000 of designated Roth money.  The plain rollover sends the $80,000 of
Roth money to a Roth IRA; the split sends it and the $45,000 of basis ($125,000): $45,000 more."""

from __future__ import annotations

from pathlib import Path

import yaml

from dist401k.case import parse_case
from dist401k.compare import compare_case

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "in-service-at-60-mega-backdoor.yaml"


def _trap(case: dict) -> dict:
    (trap,) = [t for t in compare_case(parse_case(case))["traps"] if t["code"] == "AFTER_TAX_TO_ROTH"]
    return trap


def test_the_trap_counts_only_what_the_split_adds_to_the_roth_ira():
    trap = _trap(yaml.safe_load(EXAMPLE.read_text()))
    assert trap["figures"] == {"after_tax_to_roth_ira": 45000.0}
    assert "$45,000" in trap["text"] and "$125,000" not in trap["text"]


def test_without_designated_roth_money_it_is_the_whole_basis():
    """No Roth money: the plain rollover sends nothing to a Roth IRA, the split the $45,000."""
    case = yaml.safe_load(EXAMPLE.read_text())
    del case["account"]["sources"]["roth_deferral"]
    del case["plan"]["in_service"]["roth_deferral"]
    assert _trap(case)["figures"] == {"after_tax_to_roth_ira": 45000.0}


def test_asked_for_the_split_alone_the_figure_is_the_same():
    """The figure does not depend on the plain rollover being among the destinations asked."""
    case = yaml.safe_load(EXAMPLE.read_text())
    case["request"]["destination"] = "split_2014_54"
    assert _trap(case)["figures"] == {"after_tax_to_roth_ira": 45000.0}
