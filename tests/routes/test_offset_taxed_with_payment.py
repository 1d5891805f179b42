"""A loan offset is an actual distribution of the year it is made (Treas. Reg. §1.402(c)-2,
Q&A-9(b); §1.72(p)-1, Q&A-13): a payment of the whole account after the severance goes out
with it, and the two are income of the same year.  The offset's own outcome is figured on the
year's other income; the payment's outcomes on top of the offset kept (not rolled over), so
that the two rows added are the year's tax of both — and ``compare`` adds the offset's taxes
to every option whose payment goes out with it.

The case is the shipped examples/cases/loan-offset.yaml: single, 51, wages $50,000, left the job
on 2026-06-30, $60,000 in the account and a $15,000 loan offset on 2026-09-15.  The 2026
figures (Rev. Proc. 2025-32 as amended by P.L. 119-21; Form W-4R (2026)): standard deduction
$16,100; 10% to $12,400 of taxable income, 12% to $50,400, 22% to $105,700, 24% above.
Worked by hand:

* wages alone: taxable income 50,000 − 16,100 = 33,900;
* the offset kept on top: 33,900 → 48,900, all at 12%: $1,800; its 10% tax $1,500;
* the $60,000 on top of both: 48,900 → 108,900: 1,500 × 12% + 55,300 × 22% + 3,200 × 24%
  = 180 + 12,166 + 768 = $13,114; its 10% tax $6,000;
* together $14,914 — the tax of one $75,000 payment on wages alone (33,900 → 108,900:
  16,500 × 12% + 12,166 + 768).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dist401k.case import parse_case
from dist401k.compare import compare_case
from routes.conftest import edited, outcome

EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "loan-offset.yaml"


def _case(**changes) -> dict:
    import yaml

    return edited(yaml.safe_load(EXAMPLE.read_text()), changes)


def _codes(row: dict) -> set[str]:
    return {r["code"] for r in row["reasons"]}


def test_the_separation_in_cash_is_taxed_on_top_of_the_offset_kept(assess):
    r = assess(_case())
    offset = outcome(r, "loan_offset")
    cash = outcome(r, "separation")
    # The offset's own row: on wages alone, as before.
    assert offset["income_tax_increase"] == pytest.approx(1800.00, abs=0.01)
    assert offset["additional_tax_72t"] == pytest.approx(1500.00, abs=0.01)
    # The $60,000 on top of the $15,000 offset kept: $13,114 (was $11,550, figured as if
    # the offset were not income of the year).
    assert cash["income_tax_increase"] == pytest.approx(13114.00, abs=0.01)
    assert cash["additional_tax_72t"] == pytest.approx(6000.00, abs=0.01)
    assert cash["kept_after_all_tax"] == pytest.approx(60000 - 13114 - 6000, abs=0.01)
    # The withholding is unchanged: 20% of $75,000, at most the cash (Treas. Reg.
    # §31.3405(c)-1, Q&A-11).
    assert cash["withholding"] == pytest.approx(15000.00, abs=0.01)
    assert "LO_TAXED_WITH" in _codes(cash)
    assert "LO_TAXED_WITH" not in _codes(offset)


def test_the_two_rows_add_up_to_one_payment_of_75000(assess):
    r = assess(_case())
    both = outcome(r, "loan_offset")["income_tax_increase"] + \
        outcome(r, "separation")["income_tax_increase"]
    alone = outcome(assess(_case(**{"account.sources.elective_deferral.balance": 75000,
                                    "account.loans": None})), "separation")
    assert alone["income_tax_increase"] == pytest.approx(14914.00, abs=0.01)
    assert both == pytest.approx(14914.00, abs=0.01)


def test_a_roth_conversion_of_the_whole_account_is_stacked_too(assess):
    # Rolled to a Roth IRA, the $60,000 is converted (§408A(d)(3)): taxable this year, on top
    # of the offset kept, as the cash is: $13,114.
    r = assess(_case())
    converted = outcome(r, "separation", "roth_ira")
    assert converted["income_tax_increase"] == pytest.approx(13114.00, abs=0.01)
    assert "LO_TAXED_WITH" in _codes(converted)


def test_a_payment_of_part_of_the_account_is_not_stacked(assess):
    # $10,000 of the $60,000: no offset goes out with it (docs/assess.md): on wages alone,
    # 33,900 → 43,900, all at 12%: $1,200.
    r = assess(_case(**{"request.amount": 10000}))
    cash = outcome(r, "separation")
    assert cash["income_tax_increase"] == pytest.approx(1200.00, abs=0.01)
    assert "LO_TAXED_WITH" not in _codes(cash)


def test_the_offset_is_income_like_any_other_distribution_state_too(assess):
    # The same payment with the offset, or with the same $15,000 given as other taxable
    # distributions of the year and no loan: the same federal and California tax added.
    state = {"person.state": "CA"}
    with_offset = outcome(assess(_case(**state)), "separation")
    other = outcome(assess(_case(**state, **{"account.loans": None,
                                              "income.other_distributions": 15000})),
                    "separation")
    assert with_offset["income_tax_increase"] == pytest.approx(other["income_tax_increase"],
                                                               abs=0.01)
    assert with_offset["state_income_tax_increase"] == pytest.approx(
        other["state_income_tax_increase"], abs=0.01)


def _option(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


def test_compare_take_it_in_cash_counts_the_offsets_taxes():
    cmp = compare_case(parse_case(_case()))
    cash = _option(cmp, "separation:cash")
    # 13,114 + 1,800 income tax; 6,000 + 1,500 10% tax; 60,000 less all of it kept.
    assert cash["income_tax_now"] == pytest.approx(14914.00, abs=0.01)
    assert cash["penalty_now"] == pytest.approx(7500.00, abs=0.01)
    assert cash["kept_after_all_tax"] == pytest.approx(60000 - 14914 - 7500, abs=0.01)
    assert cash["withholding"] == pytest.approx(15000.00, abs=0.01)
    assert cash["check_received"] == pytest.approx(45000.00, abs=0.01)


def test_compare_a_direct_rollover_still_owes_the_offsets_taxes():
    # The $60,000 rolled over directly: the $15,000 offset is still distributed and, kept,
    # costs $1,800 + $1,500 from other money.
    cmp = compare_case(parse_case(_case()))
    rolled = _option(cmp, "separation:traditional_ira")
    assert rolled["income_tax_now"] == pytest.approx(1800.00, abs=0.01)
    assert rolled["penalty_now"] == pytest.approx(1500.00, abs=0.01)
    assert rolled["kept_after_all_tax"] == pytest.approx(-3300.00, abs=0.01)

