"""`compare` for designated Roth rollovers, inherited accounts and estates, and the tax of the
72(t) series and of the NUA trap beside a loan deemed distributed this year — each figure worked
by hand from the rule it comes from."""

from __future__ import annotations

from pathlib import Path

import pytest

from dist401k.case import load_case, parse_case
from dist401k.compare import compare_case

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"

#: 2026, single (Rev. Proc. 2025-32 §4.01, §4.14; OBBBA): the standard deduction and the top
#: of the 12% and 22% bands.
STANDARD_2026, TOP_12, TOP_22 = 16100.0, 50400.0, 105700.0
#: 2026, an estate (Rev. Proc. 2025-32 §4.01 Table 5; §642(b)(1)): the tops of its 10%, 24%
#: and 35% bands, and its exemption.
ESTATE_TOPS, ESTATE_RATES, ESTATE_EXEMPTION = (3300.0, 11700.0, 16000.0), (0.10, 0.24, 0.35, 0.37), 600.0
#: The plan's net return of the examples: 5% less 0.5% of expenses.
NET = 0.045


def _opt(cmp: dict, name: str) -> dict:
    return next(o for o in cmp["options"] if o["option"] == name)


def _traps(cmp: dict, code: str) -> list[dict]:
    return [t for t in cmp["traps"] if t["code"] == code]


def _roth(sources: dict, amount: float) -> dict:
    """The designated Roth reviewer's case: born 1963-06-01 (59½ on 2022-12-01), separated in
    2025, other income 40,000, Roth contributions since 2010 (five taxable years: qualified,
    §402A(d)(2)); a direct rollover to a Roth IRA on 2026-03-01."""
    return {"id": "roth", "person": {"birth_date": "1963-06-01", "filing_status": "single"},
            "employment": {"status": "separated", "hire_date": "2005-01-01",
                           "separation_date": "2025-06-30"},
            "income": {"other_income": 40000}, "plan": {"type": "401k"},
            "account": {"sources": sources},
            "request": {"date": "2026-03-01", "amount": amount, "destination": "roth_ira"}}


ROTH_ONLY = {"roth_deferral": {"balance": 100000, "contributions": 60000, "first_year": 2010}}


def test_a_designated_roth_rollover_is_no_taxable_distribution_and_no_conversion():
    """Designated Roth money rolled directly to a Roth IRA is not includible (§402A(c)(3),
    §402(c); a qualified distribution, §402A(d)(1)) and is no conversion (Treas. Reg.
    §1.408A-10, Q&A-3; Form 1099-R code H): nothing taxable this year, so no bracket trap."""
    cmp = compare_case(parse_case(_roth(ROTH_ONLY, 100000)))
    roll = _opt(cmp, "separation:roth_ira")
    assert roll["income_tax_now"] == 0
    assert cmp["marginal"]["amount"] == 0
    assert not _traps(cmp, "MARGINAL_RATE")
    assert "(convert)" not in roll["label"] and "not a conversion" in roll["label"]


def test_a_mixed_rollover_to_a_roth_ira_taxes_only_the_pre_tax_half():
    """$100,000 pre-tax and $100,000 designated Roth: $50,000 to a Roth IRA is paid pro rata,
    $25,000 of each (§72(e)(8) as §402A applies it); the pre-tax $25,000 is converted and
    taxable (§408A(d)(3)(A)), the Roth $25,000 not.  Taxable income 40,000 − 16,100 = 23,900
    → 48,900, under the 12% band's top of 50,400: tax 12% × 25,000 = 3,000, no bracket trap."""
    sources = {"elective_deferral": {"balance": 100000}, **ROTH_ONLY}
    cmp = compare_case(parse_case(_roth(sources, 50000)))
    roll = _opt(cmp, "separation:roth_ira")
    assert cmp["marginal"]["amount"] == pytest.approx(25000)
    assert cmp["marginal"]["taxable_income"] == pytest.approx(
        (40000 - STANDARD_2026, 40000 - STANDARD_2026 + 25000))
    assert 40000 - STANDARD_2026 + 25000 < TOP_12
    assert roll["income_tax_now"] == pytest.approx(0.12 * 25000)
    assert not _traps(cmp, "MARGINAL_RATE")
    assert "designated Roth money rolled over, the rest converted" in roll["label"]


def test_pre_tax_money_to_a_roth_ira_is_still_a_conversion():
    cmp = compare_case(parse_case(_roth({"elective_deferral": {"balance": 100000}}, 20000)))
    assert _opt(cmp, "separation:roth_ira")["label"].endswith("roll to a Roth IRA (convert)")


def _estate_tax(income: float) -> float:
    """Form 1041 for 2026 by hand: the $600 exemption, then 10%, 24%, 35%, 37%."""
    taxable, tax, low = max(0.0, income - ESTATE_EXEMPTION), 0.0, 0.0
    for top, rate in zip((*ESTATE_TOPS, float("inf")), ESTATE_RATES, strict=True):
        tax += rate * max(0.0, min(taxable, top) - low)
        low = top
    return tax


def test_an_estate_is_valued_at_its_five_year_deadline_on_its_own_rates():
    """The shipped estate: the 5-year rule empties the account by 2028-12-31
    (§401(a)(9)(B)(ii)): the one horizon is that day, 2 years and 38 days of 365 from
    2026-11-23, nothing valued after it.  The estate's tax is its own (Form 1041: §1(e),
    §1(j)(2)(E), §642(b)): 330 + 2,016 + 1,505 + 37% × 108,400 = 43,959 on $125,000; no
    senior deduction, no age.  The later rate is its average, 43,959 / 125,000."""
    cmp = compare_case(load_case(EXAMPLES / "inherited-estate.yaml"))
    years = 2 + 38 / 365
    assert list(cmp["best_at"]) == ["2028-12-31"]
    assert cmp["assumptions"]["years"][-1] == pytest.approx(years)
    assert max(cmp["assumptions"]["years"]) <= years
    assert cmp["age"] is None and cmp["assumptions"]["horizon_ages"] == []
    tax = _estate_tax(125000)
    assert tax == pytest.approx(43959)
    assert cmp["assumptions"]["later_tax_rate"] == pytest.approx(tax / 125000)
    leave = _opt(cmp, "leave")["after_tax_value_at"]["2028-12-31"]
    assert leave == pytest.approx(125000 * (1 + NET) ** years * (1 - tax / 125000), abs=0.5)
    m = cmp["marginal"]
    assert m["estate"] and m["senior_deduction_lost"] == 0 and m["brackets"] == (0.10, 0.37)
    assert m["first_dollar_rate"] == pytest.approx(0.0)  # inside the exemption
    (trap,) = _traps(cmp, "MARGINAL_RATE")
    assert "the estate" in trap["text"] and "senior" not in trap["text"]
    assert "22%" not in trap["text"] and "§1(e)" in trap["citation"]


def test_an_heir_who_owes_a_minimum_takes_it_when_leaving_the_rest():
    """The nephew of the shipped 10-year case owes 262,000 / 39.9 − 2,000 = 4,566.42 by
    2026-12-31 (§401(a)(9)(H)(i), Treas. Reg. §1.401(a)(9)-5(d): his Single Life Table
    figure at 43 in 2023, 42.9, less one a year; §1.401(a)(9)-9(b)), and the 7,100 he missed
    in 2025, still required (Treas. Reg. §1.402(c)-2, Q&A-7(a)): 11,666.42. "leave it" pays
    that in cash — income tax 22% of it (taxable income 95,000 − 16,100 = 78,900, in the 22%
    band, and with it 90,566.42, still in it) — and keeps 20,000 − 11,666.42 to the 2032-12-31
    deadline (6 years and 38 days of 365), valued after the rate the nephew bears emptying the
    account by then: the 238,333.58 left in 6 level yearly payments at 4.5%, 46,207.73 each, on
    top of 78,900 of taxable income — 26,800 of it at 22% to 105,700, the rest at 24%."""
    cmp = compare_case(load_case(EXAMPLES / "inherited-ten-year-after-rbd.yaml"))
    owed = round(262000 / 39.9 - 2000 + 7100, 2)
    leave = _opt(cmp, "leave")
    assert owed == pytest.approx(11666.42)
    assert leave["gross"] == pytest.approx(owed)
    assert leave["income_tax_now"] == pytest.approx(0.22 * owed, abs=0.01)
    assert f"${owed:,.2f}" in leave["label"] and "25% excise" in " ".join(leave["notes"])
    years = 6 + 38 / 365
    assert list(cmp["best_at"]) == ["2032-12-31"]
    yearly = (250000 - owed) * NET / (1 - (1 + NET) ** -6)
    assert yearly == pytest.approx(46207.73, abs=0.01)
    rate = (0.22 * (TOP_22 - 78900) + 0.24 * (78900 + yearly - TOP_22)) / yearly
    assert cmp["assumptions"]["later_tax_rate"] == pytest.approx(rate, abs=1e-6)
    assert leave["after_tax_value_at"]["2032-12-31"] == pytest.approx(
        (20000 - owed) * (1 + NET) ** years * (1 - rate), abs=0.5)


def test_an_option_short_of_the_minimum_says_so():
    """Asked for $1,000 of the 11,666.42 owed (the year's 4,566.42 and the 7,100 missed in
    2025): leaving it is no choice (the minimum takes all of it), and the cash option leaves
    10,666.42 still to take by December 31 (§4974(a))."""
    case = load_case(EXAMPLES / "inherited-ten-year-after-rbd.yaml")
    case = case.model_copy(update={"request": case.request.model_copy(update={"amount": 1000})})
    cmp = compare_case(case)
    assert _opt(cmp, "leave")["gross"] == 1000
    assert _opt(cmp, "leave")["after_tax_value_at"]["2032-12-31"] == 0
    assert "$10,666.42 more" in " ".join(_opt(cmp, "beneficiary:cash")["notes"])


@pytest.mark.parametrize(("name", "deadline"), [("inherited-ten-year-before-rbd", "2035-12-31"),
                                                ("inherited-minor-child", "2041-12-31")])
def test_no_horizon_after_the_day_the_account_must_be_empty(name, deadline):
    """The 10-year rule (§401(a)(9)(H)(i); a minor child's ten years from majority,
    (E)(ii)(II), (H)(iii)): the horizon of 65 falls after it and gives way to the deadline."""
    cmp = compare_case(load_case(EXAMPLES / f"{name}.yaml"))
    assert list(cmp["best_at"]) == [deadline]
    assert "65" not in _opt(cmp, "leave")["after_tax_value_at"]


def test_a_participants_rmd_is_taken_when_leaving_the_rest():
    """The shipped RMD case: 18,181.82 is required this year (§401(a)(9)(A), (C)); "leave it"
    takes it, as the RMD option itself does, and is worth what that option is."""
    cmp = compare_case(load_case(EXAMPLES / "rmd-retired-younger-spouse.yaml"))
    leave, rmd = _opt(cmp, "leave"), _opt(cmp, "rmd:cash")
    assert leave["gross"] == pytest.approx(18181.82) == rmd["gross"]
    assert leave["after_tax_value_at"] == rmd["after_tax_value_at"]


#: A separated 51-year-old (no rule of 55) whose loan went bad in 2026: the 10,267.40 deemed
#: distributed (the loan-default example's) is income of the year (Treas. Reg. §1.72(p)-1,
#: Q&A-10(a)): taxable income 60,000 − 16,100 + 10,267.40 = 54,167.40, past the 12% band.
DEEMED = {
    "id": "deemed-and-sepp", "person": {"birth_date": "1975-05-10", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2015-01-01",
                   "separation_date": "2026-09-30"},
    "income": {"wages": 60000},
    "plan": {"type": "401k", "loans": {"allowed": True, "interest_rate": 0.08, "max_count": 2}},
    "account": {"sources": {"elective_deferral": {"balance": 200000}},
                "loans": {"outstanding": 10000, "count": 1, "missed_payment_date": "2026-05-31"}},
    "request": {"date": "2026-11-20", "amount": "max"},
}


def test_a_72t_series_is_taxed_on_top_of_the_deemed_loan():
    """The series' first payment (about $5,700 by the RMD method) stacked on 54,167.40 falls
    in the 22% band; without the deemed loan (43,900) it would be 12% (§1(j)(2))."""
    case = {**DEEMED, "sepp": {"first_payment_date": "2026-12-01", "account": "plan",
                               "federal_midterm_rates": [0.0381, 0.0379], "table": "single"}}
    cmp = compare_case(parse_case(case))
    deemed = cmp["marginal"]["loan_deemed_this_year"]
    assert deemed == pytest.approx(10267.40, abs=0.005)
    assert 60000 - STANDARD_2026 + deemed > TOP_12
    for method in ("rmd", "amortization", "annuitization"):
        o = _opt(cmp, f"sepp:{method}")
        assert 60000 - STANDARD_2026 + deemed + o["gross"] < TOP_22
        assert o["income_tax_now"] == pytest.approx(0.22 * o["gross"], abs=0.01)


def test_the_nua_trap_taxes_the_cost_on_top_of_the_deemed_loan():
    """Shares worth $100,000 that cost $20,000: the cost on top of 54,167.40 is taxed at 22%,
    4,400 (without the loan, 6,500 at 12% and 13,500 at 22%: 3,750); the 10% tax on it before
    59½, 2,000 (§72(t)); the $80,000 of NUA on top of 74,167.40, past the 0% band's top of
    49,450 (Rev. Proc. 2025-32 §4.03): 15%, 12,000.  In all 18,400."""
    case = {**DEEMED, "account": {**DEEMED["account"],
                                  "employer_stock": {"value": 100000, "cost_basis": 20000}}}
    (trap,) = _traps(compare_case(parse_case(case)), "NUA")
    assert trap["figures"]["lump_sum_tax"] == pytest.approx(0.22 * 20000 + 2000 + 0.15 * 80000)


def test_the_report_of_an_estate_names_no_age():
    """An estate is no person: the report's head says so instead of an age and a 59½, and
    its chart runs by years from the request (to the deadline, 2 years and 38 days)."""
    from dist401k.report import render_html, wealth_chart

    cmp = compare_case(load_case(EXAMPLES / "inherited-estate.yaml"))
    page = render_html(cmp)
    assert "the heir is an estate, taxed on Form 1041" in page and "59½ on" not in page
    fig = wealth_chart(cmp)
    assert fig.data[0].x[-1] == pytest.approx(2 + 38 / 365)
    assert fig.layout.xaxis.title.text == "years from the request"


def test_a_72t_series_is_taxed_to_the_cent():
    """The shipped early retiree, no other income: the series' first year by the RMD method,
    $16,778.52, less the 16,100 standard deduction leaves 678.52 taxed at 10%: $67.85."""
    cmp = compare_case(load_case(EXAMPLES / "sepp-early-retiree.yaml"))
    o = _opt(cmp, "sepp:rmd")
    assert o["gross"] == pytest.approx(16778.52)
    assert o["income_tax_now"] == pytest.approx(round(0.10 * (16778.52 - STANDARD_2026), 2))


def test_no_value_by_year_after_the_deadline_even_before_every_horizon():
    """A horizon just before the deadline (the nephew at 52.6, early December 2032) is kept,
    and the values by year stop at the deadline of 2032-12-31 all the same, not at the whole
    year after it (§401(a)(9)(H)(i))."""
    case = load_case(EXAMPLES / "inherited-ten-year-after-rbd.yaml")
    case = case.model_copy(update={"assumptions": case.assumptions.model_copy(
        update={"horizon_ages": [52.6]})})
    cmp = compare_case(case)
    assert list(cmp["best_at"]) == ["52.6"]
    assert max(cmp["assumptions"]["years"]) == pytest.approx(6 + 38 / 365)
