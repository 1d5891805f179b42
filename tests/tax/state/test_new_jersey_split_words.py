"""New Jersey's other retirement income exclusion on a joint return where one spouse only is 62
or older reads that spouse's own other income (N.J.S.A. 54A:6-15; NJ-1040 instructions, line
28b).  Whose income it is can be given — the tax table's spouse_wages and spouse_other_income
columns (docs/state.md, "A joint return's income by spouse") — so the reason that the tax is not
figured names them instead of saying the split "is not among the inputs"."""

from __future__ import annotations

from dist401k.explain import reason


def test_the_not_split_reason_names_the_columns_that_give_the_split():
    text = reason("STATE_NJ_RETIREMENT_INCOME_NOT_SPLIT").text
    assert "spouse_wages" in text and "spouse_other_income" in text
    assert "not among the inputs" not in text
