"""Withholding from a payment to an eligible designated beneficiary (IRC §401(a)(9)(E)(ii))
out of an inherited plan account whose designated Roth money is figured apart
(``BN_ROTH_PART_APART``): the employee died after the RBD in 2024, so the other money follows
the after-RBD rule and the Roth money, owing no RMD in the employee's life (§402A(d)(5)), is
treated as if the employee died before it (the July 2024 proposed regulations, REG-103529-23).
An eligible designated beneficiary takes the Roth part over the own life expectancy too, so it
owes its own annual minimum, met by its own money.

The required amount of each part is no eligible rollover distribution (§402(c)(4)(B); Treas.
Reg. §1.402(c)-2, Q&A-7): 10% of its taxable part (§3405(b)); the rest of each part is one
(§402(c)(11)): 20% of its taxable part (§3405(c)).  A payment is split pro rata over the
sources; Roth money not qualified (first Roth year 2022: the five taxable years of §402A(d)(2)
end with 2026, so a 2026 payment is not qualified) is taxable pro rata to its contributions
(§72(e)(8), §402A(d)): (120,000 − 45,000) / 120,000 = 0.625 of it.

The cases (as tests/routes/test_beneficiary_roth_sources.py): pre-tax $100,000 and designated
Roth $120,000 (contributions $45,000) inherited from an employee born 1943-06-30 who died
2024-11-11 after his RBD; the request is dated 2026-11-23.  Single Life Table, Treas. Reg.
§1.401(a)(9)-9(b): 29 → 56.3, 81 → 10.5, 87 → 7.1.

Before the fix the whole year's minimum was met from the pre-tax dollars and every Roth dollar
was withheld at 20% as an eligible rollover distribution.
"""

from __future__ import annotations

import pytest

from routes.conftest import outcome, route
from routes.test_beneficiary_roth_sources import heir

NONQUALIFIED = {"elective_deferral": {"balance": 100000},
                "roth_deferral": {"balance": 120000, "contributions": 45000, "first_year": 2022}}
QUALIFIED = {"elective_deferral": {"balance": 100000},
             "roth_deferral": {"balance": 120000, "contributions": 45000, "first_year": 2015}}
#: The nephew of the other tests, disabled at the death: an eligible designated beneficiary
#: (§401(a)(9)(E)(ii)(III)), 29 in 2025: 56.3, 55.3 in 2026 for both parts (after the RBD the
#: longer of his and the employee's 10.5 − 2 = 8.5).
DISABLED = {"disabled": True}
#: A sister born 1938-03-01, older than the employee (not more than 10 years younger,
#: §401(a)(9)(E)(ii)(V)): 87 in 2025, 7.1, so 6.1 in 2026.  The other money, after the RBD,
#: takes the longer of hers and the employee's remaining 8.5; the Roth part, as before the
#: RBD, hers alone: 6.1.
SISTER = {"person.birth_date": "1938-03-01"}

RATE_REQUIRED, RATE_ERD, TAXABLE_ROTH = 0.10, 0.20, 0.625


def _by_hand(pre_tax_min: float, roth_min: float, gross: float, roth_taxable: float):
    """The withholding of each part worked from the rule: its minimum at 10%, the rest at 20%,
    each on its taxable share (pre-tax: all of it)."""
    pre_tax = gross * 100 / 220
    roth = gross * 120 / 220
    pre = RATE_REQUIRED * min(pre_tax, pre_tax_min) + RATE_ERD * max(0.0, pre_tax - pre_tax_min)
    ro = roth_taxable * (RATE_REQUIRED * min(roth, roth_min) + RATE_ERD * max(0.0, roth - roth_min))
    return pre, ro


def _paid(assess, sources: dict, ben: dict, **changes) -> tuple[dict, dict]:
    res = assess(heir(sources, ben, **changes))
    o = outcome(res, "beneficiary")
    assert o is not None
    return route(res, "beneficiary"), o


def _box(o: dict, part: str, box: str):
    return next(f[box] for f in o["form_1099r"] if f["part"] == part)


def test_disabled_heir_roth_part_minimum_at_ten_percent(assess):
    """$10,000: pre-tax 4,545.45, of which 100,000 / 55.3 = 1,808.32 required: 180.83 +
    20% × 2,737.14 = 547.43, box 4 $728.26; Roth 5,454.55, of which 120,000 / 55.3 = 2,169.98
    required: 0.625 × (10% × 2,169.98 + 20% × 3,284.56) = 135.62 + 410.57, box 4 $546.19;
    in all $1,274.45 (before: $1,193.08, the Roth's $3,409.09 taxable all at 20%)."""
    s, o = _paid(assess, NONQUALIFIED, DISABLED)
    assert s["method"] == "life_expectancy" and s["divisor"] == 55.3
    assert s["required"] == pytest.approx(100000 / 55.3 + 120000 / 55.3, abs=0.005)
    pre, ro = _by_hand(100000 / 55.3, 120000 / 55.3, 10000, TAXABLE_ROTH)
    assert (round(pre, 2), round(ro, 2)) == (728.26, 546.19)
    assert o["withholding"] == pytest.approx(round(pre + ro, 2), abs=0.005)
    assert _box(o, "pretax_cash", "box_4") == pytest.approx(728.26, abs=0.005)
    assert _box(o, "roth_cash", "box_4") == pytest.approx(546.19, abs=0.005)
    assert _box(o, "roth_cash", "box_2a") == pytest.approx(10000 * 120 / 220 * 0.625, abs=0.01)
    assert _box(o, "pretax_cash", "box_7") == "4" and _box(o, "roth_cash", "box_7") == "B4"
    codes = {r["code"] for r in o["reasons"]}
    assert {"BN_WITHHOLDING_ERD_PART", "BN_WITHHOLDING_REQUIRED_PART"} <= codes


def test_older_sister_each_part_by_its_own_divisor(assess):
    """$40,000: pre-tax 18,181.82, of which 100,000 / 8.5 = 11,764.71 required: 1,176.47 +
    20% × 6,417.11 = 1,283.42, in all 2,459.8931; Roth 21,818.18, of which 120,000 / 6.1 =
    19,672.13 required: 0.625 × (1,967.21 + 20% × 2,146.05) = 1,497.7645; in all
    3,957.6576, $3,957.66 withheld.  The two boxes 4 add up to it to the cent, the cent left
    over to the larger remainder (the largest-remainder rule of the forms): $2,459.89 and
    $1,497.77.  Before: all the pre-tax dollars as the minimum at 10% ($1,818.18) and the
    Roth's taxable $13,636.36 at 20% ($2,727.27): $4,545.45, box 4 shared by the taxable
    amounts."""
    s, o = _paid(assess, NONQUALIFIED, {}, **{**SISTER, "request.amount": 40000})
    assert s["method"] == "life_expectancy" and s["divisor"] == 8.5
    assert s["required"] == pytest.approx(100000 / 8.5 + 120000 / 6.1, abs=0.005)
    pre, ro = _by_hand(100000 / 8.5, 120000 / 6.1, 40000, TAXABLE_ROTH)
    assert (round(pre, 2), round(ro, 2), round(pre + ro, 2)) == (2459.89, 1497.76, 3957.66)
    assert o["withholding"] == pytest.approx(3957.66, abs=0.005)
    assert _box(o, "pretax_cash", "box_4") == pytest.approx(2459.89, abs=0.005)
    assert _box(o, "roth_cash", "box_4") == pytest.approx(1497.77, abs=0.005)


def test_older_sister_payment_under_both_minimums_all_at_ten_percent(assess):
    """$10,000: pre-tax 4,545.45 under 11,764.71 and Roth 5,454.55 under 19,672.13: all of it
    required, 10% of the taxable 4,545.45 + 3,409.09 = $795.45 (before: $1,136.36); no
    eligible rollover part, so no 20% and no §402(f) notice."""
    _, o = _paid(assess, NONQUALIFIED, {}, **SISTER)
    assert o["withholding"] == pytest.approx(795.45, abs=0.005)
    codes = {r["code"] for r in o["reasons"]}
    assert "BN_WITHHOLDING_ERD_PART" not in codes and "OC_402F_HEIR" not in codes
    assert "OC_NON_ERD_WITHHOLDING" in codes


def test_qualified_roth_part_disabled_heir(assess):
    """Qualified Roth money (first year 2015) has nothing taxable: only the pre-tax part is
    withheld, 1,808.32 at 10% and 2,737.14 at 20%: $728.26, box 4 of the Roth form $0 (before:
    $511.26, the Roth part's $2,169.98 minimum counted against the pre-tax dollars)."""
    _, o = _paid(assess, QUALIFIED, DISABLED)
    assert o["withholding"] == pytest.approx(728.26, abs=0.005)
    assert _box(o, "roth_cash", "box_4") == 0.0


def test_maryland_on_the_eligible_rollover_parts(assess):
    """Maryland withholds 7.75% of an eligible rollover distribution from which federal tax
    must be withheld, nothing on the rest (Md. Code, Tax-Gen. §10-908(f); law
    state/md/withholding_rate, withholding_erd_only): the disabled nephew's $10,000 has
    2,737.14 pre-tax and 0.625 × 3,284.56 = 2,052.85 Roth taxable dollars beyond the minimums:
    0.0775 × 4,789.99 = $371.22 (before: 0.0775 × 3,976.25 = $308.16)."""
    _, o = _paid(assess, NONQUALIFIED, DISABLED, **{"person.state": "MD"})
    erd = (10000 * 100 / 220 - 100000 / 55.3) + TAXABLE_ROTH * (10000 * 120 / 220 - 120000 / 55.3)
    assert round(0.0775 * erd, 2) == 371.22
    assert o["state_withholding"] == pytest.approx(371.22, abs=0.005)
    assert o["withholding"] == pytest.approx(1274.45, abs=0.005)


def test_non_edb_nonqualified_roth_all_eligible(assess):
    """The nephew not disabled: the 10-year rule, the Roth part owing no annual amount, so all
    its taxable $3,409.09 is at 20% ($681.82) and the pre-tax part as before ($728.26): box 4
    of each form its own (before: $805.76 and $604.32, the $1,410.08 shared by taxable
    amounts)."""
    _, o = _paid(assess, NONQUALIFIED, {})
    assert o["withholding"] == pytest.approx(1410.08, abs=0.005)
    assert _box(o, "pretax_cash", "box_4") == pytest.approx(728.26, abs=0.005)
    assert _box(o, "roth_cash", "box_4") == pytest.approx(681.82, abs=0.005)


def test_maryland_box_14_of_each_form_on_its_own_eligible_part(assess):
    """The sister's $40,000 in Maryland: 7.75% of the eligible rollover parts only (Md. Code,
    Tax-Gen. §10-908(f)): pre-tax 18,181.82 − 11,764.71 = 6,417.11, Roth 0.625 × (21,818.18 −
    19,672.13) = 1,341.28: 0.0775 × 7,758.39 = $601.28 in all; box 14 of each form its own
    part's, 497.326 and 103.949, to the cent adding up: $497.33 and $103.95 (shared by the
    taxable amounts, 18,181.82 : 13,636.36, they would be $343.59 and $257.69)."""
    _, o = _paid(assess, NONQUALIFIED, {}, **{**SISTER, "request.amount": 40000,
                                              "person.state": "MD"})
    pre = 40000 * 100 / 220 - 100000 / 8.5
    roth = TAXABLE_ROTH * (40000 * 120 / 220 - 120000 / 6.1)
    assert round(0.0775 * (pre + roth), 2) == 601.28
    assert o["state_withholding"] == pytest.approx(601.28, abs=0.005)
    assert _box(o, "pretax_cash", "box_14") == pytest.approx(497.33, abs=0.005)
    assert _box(o, "roth_cash", "box_14") == pytest.approx(103.95, abs=0.005)


def test_earlier_payment_counts_toward_both_parts(assess):
    """$1,000 already paid this year (``beneficiary.distributed_this_year``, given for the
    whole account) counts toward the parts in proportion to what each owes — here 100 : 120,
    as a payment split pro rata over the sources would: 3,978.30 − 1,000 = 2,978.30 still
    required, 1,353.77 pre-tax and 1,624.53 Roth.  $10,000: pre-tax 10% × 1,353.77 + 20% ×
    3,191.68 = 773.71; Roth 0.625 × (10% × 1,624.53 + 20% × 3,830.02) = 580.29; $1,354.00
    (1,353.9988)."""
    s, o = _paid(assess, NONQUALIFIED, {**DISABLED, "distributed_this_year": 1000})
    due = 100000 / 55.3 + 120000 / 55.3
    assert s["remaining"] == pytest.approx(due - 1000, abs=0.005)
    left = (due - 1000) / due
    pre, ro = _by_hand(100000 / 55.3 * left, 120000 / 55.3 * left, 10000, TAXABLE_ROTH)
    assert round(pre + ro, 2) == 1354.00
    assert o["withholding"] == pytest.approx(1354.00, abs=0.005)
    assert _box(o, "roth_cash", "box_4") == pytest.approx(ro, abs=0.01)
