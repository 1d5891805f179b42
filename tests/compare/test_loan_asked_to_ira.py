"""A plan loan is paid to the participant, never to an IRA (IRC §72(p)(1)): asked to an IRA, the
assessment refuses the loan there (LN_NOT_TO_IRA), but the comparison still weighs the loan in
cash, as it weighs a hardship paid in cash.  Before, asking for a traditional IRA dropped the
loan from the comparison and starred a taxed hardship instead."""
from pathlib import Path

import pytest
import yaml

from dist401k.case import parse_case
from dist401k.compare import compare_case

CASE = Path(__file__).resolve().parents[2] / "examples" / "cases" / "hardship-medical.yaml"


def _compare(destination: str) -> dict:
    data = yaml.safe_load(CASE.read_text())
    data["request"]["destination"] = destination
    return compare_case(parse_case(data))


@pytest.mark.parametrize("destination", ["traditional_ira", "roth_ira"])
def test_the_loan_is_weighed_in_cash_whatever_the_destination_asked(destination):
    asked, cash = _compare(destination), _compare("cash")
    loan = next(o for o in asked["options"] if o["option"] == "loan:cash")
    same = next(o for o in cash["options"] if o["option"] == "loan:cash")
    # A loan within the limits is no distribution: the $12,000 needed is lent, untaxed.
    assert loan["gross"] == pytest.approx(12000.0)
    assert loan["income_tax_now"] == 0 and loan["penalty_now"] == 0
    assert loan["kept_after_all_tax"] == pytest.approx(12000.0)
    assert loan["after_tax_value_at"] == pytest.approx(same["after_tax_value_at"])
    assert loan["by_year"] == pytest.approx(same["by_year"])
    assert asked["need"]["option"] == cash["need"]["option"] == "loan:cash"
    # The assessment itself still has no loan paid to an IRA, and says why.
    assert not [o for o in asked["assessment"]["outcomes"] if o["route"] == "loan"]
