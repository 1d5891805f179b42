"""A beneficiary's eligible rollover part under $200: Treas. Reg. §31.3405(c)-1, Q&A-14 (no
§3405(c) withholding from eligible rollover distributions that total less than $200 in the
year) reads the eligible rollover part, not the payment with its required part; and the reason
says none is withheld from it, not the 10% of a nonperiodic payment (§3405(c)(1)(A): §3405(b)
does not apply to an eligible rollover distribution).

inherited-ten-year-after-rbd: $262,000 ÷ 39.9 = $6,566.42 required, $2,000 taken, and the missed
2025 amount, $7,100, still owed (Treas. Reg. §1.402(c)-2, Q&A-7(a)), so $11,666.42 is still
required this year (§402(c)(4)(B): not an eligible rollover distribution, 10%, §3405(b)); what a
designated beneficiary takes from the plan beyond it is an eligible rollover
distribution (§402(c)(11))."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from routes.conftest import edited, outcome

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cases"
REQUIRED = 262000 / 39.9 - 2000 + 7100


def example(name: str, **changes) -> dict:
    """An example case file, with ``{"a.b": value}`` changes."""
    return edited(yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text()), changes)


def codes(o: dict) -> set[str]:
    return {r["code"] for r in o["reasons"]}


def test_an_eligible_rollover_part_under_200_beside_the_required_part_has_none(assess):
    """$150 beyond the required $11,666.42: 10% of the required part only, $1,166.64 (not
    $1,166.64 + 20% × $150 = $1,196.64)."""
    o = outcome(assess(example("inherited-ten-year-after-rbd",
                               **{"request.amount": round(REQUIRED + 150, 2)})), "beneficiary")
    assert o["withholding"] == pytest.approx(0.10 * REQUIRED, abs=0.01)
    assert {"OC_ERD_SMALL", "OC_NON_ERD_WITHHOLDING"} <= codes(o)
    assert "BN_WITHHOLDING_ERD_PART" not in codes(o)


def test_a_heirs_payment_under_200_is_not_said_to_have_10_percent(assess):
    """Nothing required (death before the RBD, the 10-year rule): $150 is all an eligible
    rollover distribution under $200: nothing withheld, and no "10% withheld" reason."""
    o = outcome(assess(example("inherited-ten-year-before-rbd", **{"request.amount": 150})),
                "beneficiary")
    assert o["withholding"] == 0.0
    assert "OC_ERD_SMALL" in codes(o)
    assert not codes(o) & {"OC_NON_ERD_WITHHOLDING", "BN_WITHHOLDING_ERD_PART"}
