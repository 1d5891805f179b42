"""The premium tax credit (IRC §36B) on figures worked from the published tables — the
applicable percentage tables of Rev. Proc. 2024-35 (2025, the temporary table of
§36B(b)(3)(A)(iii)) and Rev. Proc. 2025-25 (2026), the HHS poverty guidelines — following the
lines of Form 8962, and on the credit's invariants over random households."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.law import default_law
from dist401k.law.loader import LawError
from dist401k.tax.premium_tax_credit import (
    applicable_figure,
    income_share,
    poverty_line,
    premium_tax_credit,
)

LAW = default_law()


def ptc(year, income, size, bench, **kw):
    r = premium_tax_credit(LAW, [year], [income], [size], [bench], **kw)
    return {k: (v[0].item() if hasattr(v, "shape") else v) for k, v in vars(r).items()
            if k != "reasons"} | {"reasons": [c for c, m in r.reasons.items() if m[0]]}


def test_couple_2026_line_by_line():
    # Coverage year 2026 uses the 2025 guidelines: 15,650 + 5,500 = 21,150 for two (line 4).
    # Line 5: 40,000 / 21,150 = 189.1% → 189%.  Line 7: the 150–200% band of Rev. Proc.
    # 2025-25 runs 4.19% → 6.60%: 4.19 + 39/50 × 2.41 = 6.0698% → 0.0607.  Line 8a: 40,000 ×
    # 0.0607 = 2,428.  Credit: 24,000 − 2,428 = 21,572.
    r = ptc(2026, 40_000, 2, 24_000)
    assert r["poverty_line"] == 21_150
    assert r["income_share"] == pytest.approx(1.89)
    assert r["applicable_figure"] == pytest.approx(0.0607)
    assert r["contribution"] == 2_428
    assert r["credit"] == pytest.approx(21_572)
    assert r["reasons"] == ["PTC_ALLOWED"]


def test_single_2025_temporary_table():
    # 2025 uses the 2024 guidelines: 15,060 for one.  30,000 / 15,060 = 199.2% → 199%; the
    # 150–200% band runs 0% → 2%: 49/50 × 2% = 1.96%; 30,000 × 0.0196 = 588; 9,000 − 588.
    r = ptc(2025, 30_000, 1, 9_000)
    assert r["applicable_figure"] == pytest.approx(0.0196)
    assert r["credit"] == pytest.approx(8_412)
    # Above 400% in 2025 the credit continues at 8.5% of income (§36B(c)(1)(E)): 100,000 ×
    # 0.085 = 8,500 against a benchmark of 12,000.
    r = ptc(2025, 100_000, 1, 12_000)
    assert r["applicable_figure"] == pytest.approx(0.085)
    assert r["credit"] == pytest.approx(3_500)


def test_the_400_percent_cliff_returns_in_2026():
    # 400% of the 2025 single guideline is 62,600: still eligible (at most 400%), at 9.96%.
    at = ptc(2026, 62_600, 1, 14_000)
    assert at["eligible"] and at["applicable_figure"] == pytest.approx(0.0996)
    assert at["credit"] == pytest.approx(14_000 - round(62_600 * 0.0996))
    # 401% (62,760) is past it: no credit at all, whatever the premium.
    over = ptc(2026, 62_760, 1, 14_000)
    assert not over["eligible"] and over["credit"] == 0
    assert over["reasons"] == ["PTC_ABOVE_400_PERCENT"]


@pytest.mark.parametrize(("year", "share", "figure"), [
    # Rev. Proc. 2025-25 §3.01: initial percentages at each band's lower end, 2026.
    (2026, 1.00, 0.0210), (2026, 1.32, 0.0210), (2026, 1.33, 0.0314), (2026, 1.50, 0.0419),
    (2026, 2.00, 0.0660), (2026, 2.50, 0.0844), (2026, 3.00, 0.0996), (2026, 4.00, 0.0996),
    # Inside a band, 2026: 140% is 7/17 of the way through 133–150%: 3.14 + 7/17 × 1.05 =
    # 3.5724% → 0.0357; 275% is halfway through 250–300%: (8.44 + 9.96) / 2 = 9.20%.
    (2026, 1.40, 0.0357), (2026, 2.75, 0.0920),
    # The temporary table (Rev. Proc. 2024-35, 2025): 0 up to 150%, 2% at 200%, 4% at 250%,
    # 6% at 300%, 8.5% from 400% on.
    (2025, 1.00, 0.0), (2025, 1.49, 0.0), (2025, 2.00, 0.02), (2025, 2.50, 0.04),
    (2025, 3.00, 0.06), (2025, 3.50, 0.0725), (2025, 4.00, 0.085), (2025, 6.00, 0.085),
])
def test_applicable_figure_on_the_table(year, share, figure):
    assert applicable_figure(LAW, year, share)[0] == pytest.approx(figure, abs=1e-9)


def test_poverty_line_by_region_and_size():
    # HHS 2025 guidelines (coverage year 2026): 48 states 15,650 + 5,500 a person; Alaska
    # 19,550 + 6,880; Hawaii 17,990 + 6,330.
    got = poverty_line(LAW, [2026, 2026, 2026], [4, 1, 3], ["contiguous", "alaska", "hawaii"])
    assert got.tolist() == [32_150, 19_550, 30_650]


def test_below_the_poverty_line_and_months():
    r = ptc(2026, 15_000, 1, 10_000)
    assert not r["eligible"] and r["credit"] == 0
    assert r["reasons"] == ["PTC_BELOW_POVERTY_LINE"]
    # Six months of coverage: half the yearly credit; a cheaper plan caps it (§36B(b)(2)(A)).
    full = ptc(2026, 40_000, 2, 24_000)["credit"]
    assert ptc(2026, 40_000, 2, 24_000, months=[6])["credit"] == pytest.approx(full / 2)
    assert ptc(2026, 40_000, 2, 24_000, premium=[5_000])["credit"] == pytest.approx(5_000)


def test_unknown_region_is_refused():
    with pytest.raises(LawError, match="guam"):
        poverty_line(LAW, 2026, 1, "guam")


incomes = st.floats(0, 400_000, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(year=st.sampled_from([2024, 2025, 2026, 2027, 2040]), a=incomes, b=incomes,
       size=st.integers(1, 8), bench=st.floats(0, 60_000), paid=st.floats(0, 60_000))
def test_invariants(year, a, b, size, bench, paid):
    lo, hi = min(a, b), max(a, b)
    r = premium_tax_credit(LAW, [year, year], [lo, hi], [size, size], [bench, bench],
                           premium=[paid, paid])
    # Never negative, never more than the premium paid or the benchmark.
    assert np.all(r.credit >= 0) and np.all(r.credit <= min(bench, paid) + 0.005)
    # More income never raises the credit once the household is past the poverty line.
    if r.eligible[0] or not r.reasons["PTC_BELOW_POVERTY_LINE"][0]:
        assert r.credit[1] <= r.credit[0] + 0.005
    # The required contribution grows with income.
    if r.eligible.all():
        assert r.contribution[1] >= r.contribution[0]
    # A batch gives what each household gives alone.
    one = premium_tax_credit(LAW, [year], [hi], [size], [bench], premium=[paid])
    assert one.credit[0] == r.credit[1]


@pytest.mark.parametrize(("income", "size", "bench"), [
    # 2026 uses the 2025 guidelines.  Two: 21,150; 400% = 84,600; 84,811 / 21,150 = 400.998%.
    (84_811, 2, 22_000), (84_601, 2, 22_000),
    # One: 15,650; 400% = 62,600; 62,700 / 15,650 = 400.64%.
    (62_700, 1, 14_000),
])
def test_just_past_400_percent_is_past_the_cliff(income, size, bench):
    # IRC §36B(c)(1)(A): household income that "does not exceed 400 percent" of the poverty line.
    # Form 8962, line 5 worksheet: "Multiply the amount on line 2 by 4.0.  Is the amount on line 1
    # more than the amount on line 3?  Yes. ... Enter 401 here and on line 5" — the test is on the
    # unrounded income, before the share is cut to a whole percent; line 6 then allows no credit.
    r = ptc(2026, income, size, bench)
    assert not r["eligible"] and r["credit"] == 0 and r["contribution"] == 0
    assert r["reasons"] == ["PTC_ABOVE_400_PERCENT"]
    assert r["income_share"] == pytest.approx(4.01)  # the worksheet's 401, not a cut 400


def test_past_400_percent_in_a_suspended_year_keeps_the_credit():
    # 2025 (§36B(c)(1)(E)): 2024 guidelines, 15,060 for one; 60,300 / 15,060 = 400.4% → the 8.5%
    # of the top band: 60,300 × 0.085 = 5,125.50 → 5,126 (line 8a); 14,000 − 5,126 = 8,874.
    r = ptc(2025, 60_300, 1, 14_000)
    assert r["eligible"] and r["applicable_figure"] == pytest.approx(0.085)
    assert r["credit"] == pytest.approx(8_874)


def test_the_plan_tables_share_reads_401_just_past_the_ceiling():
    # The planner's `poverty_line_share` column is this share: 84,811 / 21,150 = 400.998% reads
    # 401 in 2026 (the worksheet's entry past 400%); 2025's suspended ceiling leaves 400.4% at 400.
    assert income_share(LAW, 2026, 84_811, 21_150)[0] == pytest.approx(4.01)
    assert income_share(LAW, 2026, 84_600, 21_150)[0] == pytest.approx(4.00)
    assert income_share(LAW, 2026, 105_750, 21_150)[0] == pytest.approx(5.00)
    assert income_share(LAW, 2025, 60_300, 15_060)[0] == pytest.approx(4.00)
