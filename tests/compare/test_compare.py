"""The comparison: closed-form projections, and each trap with its figure worked out by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dist401k.case import parse_case
from dist401k.compare import compare_case
from routes.conftest import make

SEPARATED = {"employment.status": "separated", "employment.separation_date": "2025-06-30",
             "person.birth_date": "1975-03-01", "income.wages": 30000, "request.amount": 20000}


def opt(cmp, name):
    return next(o for o in cmp["options"] if o["option"] == name)


def test_no_fees_same_rates_leaving_equals_rolling_over():
    # Constant 5% growth, no expenses, the later tax rate equal to today's 12% (the $20,000
    # stays in the 12% bracket): leaving it, rolling it to an IRA and converting it to a Roth
    # IRA are worth the same at 65 — and leaving it is G × 1.05^T × (1 − 12%).
    case = parse_case(make(SEPARATED, **{"assumptions": {
        "growth": 0.05, "plan_expense": 0.0, "ira_expense": 0.0, "later_tax_rate": 0.12,
        "horizon_ages": [65]}}))
    cmp = compare_case(case)
    leave = opt(cmp, "leave")["after_tax_value_at"]["65"]
    import numpy as np

    from dist401k.dates import fractional_age
    years = 65 - float(fractional_age(np.datetime64("1975-03-01"), np.datetime64("2026-11-23")))
    assert leave == pytest.approx(20000 * 1.05 ** years * 0.88, abs=0.5)
    assert opt(cmp, "separation:traditional_ira")["after_tax_value_at"]["65"] == pytest.approx(
        leave, abs=0.5)
    roth = opt(cmp, "separation:roth_ira")
    assert roth["income_tax_now"] == pytest.approx(2400)
    assert roth["after_tax_value_at"]["65"] == pytest.approx(leave, abs=0.5)


def test_expenses_and_a_surrender_schedule():
    # The same money in an annuity with 15% surrender charges falling 1.5 points a year for
    # ten years and 1.25% expenses: worth less at 65 than the IRA, and the charge shows.
    sched = [0.15 - 0.015 * k for k in range(10)]
    case = parse_case(make(SEPARATED, **{"assumptions": {
        "growth": 0.05, "plan_expense": 0.0, "ira_expense": 0.0, "product_expense": 0.0125,
        "surrender_schedule": sched, "later_tax_rate": 0.12, "horizon_ages": [55, 65]}}))
    cmp = compare_case(case)
    prod = opt(cmp, "separation:product")
    ira = opt(cmp, "separation:traditional_ira")
    assert prod["after_tax_value_at"]["65"] < ira["after_tax_value_at"]["65"]
    # One year in (age ~51.7 → 52.7 is inside the schedule): the charge bites.
    year1 = prod["by_year"][1]
    assert year1 == pytest.approx(20000 * (1.05 - 0.0125) * (1 - sched[1]) * 0.88, rel=1e-6)


def test_pro_rata_trap_reproduces_form_8606():
    # $500,000 rolled to a traditional IRA in the year of an $8,000 backdoor Roth: line 10 =
    # 8,000 / 508,000 = 0.01575 → 0.016 (three places, as the form allows): line 11 = 128
    # nontaxable, line 18 = 7,872 taxable, 98.4% of the conversion (FACTS G.3, by hand).
    case = parse_case(make(SEPARATED, **{
        "account.sources": {"elective_deferral": {"balance": 500000}}, "request.amount": "max",
        "iras.backdoor_roth_planned": 8000, "plan.accepts_rollins": True}))
    trap = next(t for t in compare_case(case)["traps"] if t["code"] == "PRO_RATA")
    figures = trap["figures"]
    assert figures["taxable_share"] == pytest.approx(7872 / 8000)
    assert (figures["taxable"], figures["nontaxable"]) == (7872.0, 128.0)
    assert (figures["taxable_without"], figures["nontaxable_without"]) == (0.0, 8000.0)
    assert figures["taxable_share_without"] == 0
    # The IRAs held nothing before: the remedy is not to roll to one this year.
    assert "not to a traditional IRA this year" in trap["text"]


def test_nua_lump_sum_versus_rollover():
    # Shares worth $100,000 with a $20,000 cost; under 59½, separated at 50 (no rule of 55):
    # lump sum = 20,000 × marginal rate + 10% × 20,000 + the tax on the 80,000 of NUA as
    # long-term gain stacked on the year's taxable income (Pub. 575; §1(h)(1)): 0% up to
    # $49,450 for a single filer in 2026 (Rev. Proc. 2025-32 §4.03), 15% above; rollover =
    # 100,000 × the later rate.
    case = parse_case(make(SEPARATED, **{
        "account.employer_stock": {"value": 100000, "cost_basis": 20000},
        "assumptions": {"later_tax_rate": 0.22}}))
    cmp = compare_case(case)
    trap = next(t for t in cmp["traps"] if t["code"] == "NUA")
    rate = cmp["marginal"]["first_dollar_rate"]
    with_cost = cmp["marginal"]["taxable_income"][0] + 20000  # wages only: the cost adds as is
    assert with_cost < 49450  # part of the gain falls in the 0% band
    gain_tax = 0.15 * (with_cost + 80000 - 49450)
    assert trap["figures"]["lump_sum_tax"] == pytest.approx(20000 * rate + 2000 + gain_tax,
                                                            abs=1)
    assert "0% and 15%" in trap["text"]
    assert trap["figures"]["rollover_tax"] == pytest.approx(22000)


def test_nua_cost_is_taxed_through_the_brackets_it_fills():
    """The shares' cost is ordinary income stacked on the year's (Notice 98-24; §1(j)), not
    taxed at the first dollar's rate. 2026, married filing jointly, wages $61,000: taxable
    income 61,000 − 32,200 = 28,800, tax 2,480 + 12% × 4,000 = 2,960; with the $200,000 cost,
    228,800: 2,480 + 9,120 + 22% × 110,600 + 24% × 17,400 = 40,108 (Rev. Proc. 2025-32 §4.01,
    .03: brackets at 24,800, 100,800, 211,400; standard deduction 32,200): the cost adds
    37,148. The gain: 200,000 at 15% (all above the 0% band) = 30,000. Past 59½: no 10%."""
    case = parse_case({
        "id": "nua-big", "person": {"birth_date": "1965-02-14", "filing_status": "married_joint",
                                    "spouse_birth_date": "1966-07-07"},
        "employment": {"status": "separated", "hire_date": "1994-05-02",
                       "separation_date": "2026-06-30"},
        "income": {"wages": 61000}, "plan": {"type": "401k"},
        "account": {"sources": {"elective_deferral": {"balance": 420000},
                                "profit_sharing": {"balance": 400000}},
                    "employer_stock": {"value": 400000, "cost_basis": 200000}},
        "request": {"date": "2026-11-23", "amount": 60000},
        "assumptions": {"later_tax_rate": 0.22}})
    trap = next(t for t in compare_case(case)["traps"] if t["code"] == "NUA")
    assert trap["figures"]["lump_sum_tax"] == pytest.approx(37148 + 30000, abs=1)
    assert "about $37,148" in trap["text"]


@pytest.mark.parametrize("plan", ["403b7", "403b_annuity", "governmental_457b"])
def test_no_nua_offered_from_a_403b_or_a_457b(plan):
    """IRC §402(e)(4)(B), (D)(i): net unrealized appreciation is left out of income only in a
    lump-sum distribution from a trust of a §401(a) plan (or a §403(a) annuity plan); a 403(b)
    or a governmental 457(b) never qualifies.  The NUA trap does not offer the lump sum there;
    it says that the appreciation will be taxed as income."""
    case = parse_case(make(SEPARATED, **{
        "plan.type": plan, "plan.governmental": plan == "governmental_457b",
        "account.employer_stock": {"value": 100000, "cost_basis": 20000}}))
    codes = {t["code"]: t for t in compare_case(case)["traps"]}
    assert "NUA" not in codes
    trap = codes["NUA_NOT_AVAILABLE"]
    assert trap["figures"]["nua"] == 80000
    assert "§402(e)(4)(B), (D)(i)" in trap["citation"]
    assert "lump_sum_tax" not in trap["figures"]


@pytest.mark.parametrize(("status", "taxable", "gain", "tax"), [
    # 2026 thresholds, Rev. Proc. 2025-32 §4.03: married joint 0% to $98,900; single 0% to
    # $49,450, 15% to $545,500, 20% above.
    ("married_joint", 68800, 220000, 0.15 * (288800 - 98900)),
    ("single", 500000, 100000, 0.15 * (545500 - 500000) + 0.20 * (600000 - 545500)),
    ("single", 10000, 30000, 0.0),
    ("single", 600000, 1000, 200.0),
])
def test_capital_gain_tax_stacks_the_gain_on_taxable_income(status, taxable, gain, tax):
    from dist401k.law import default_law
    from dist401k.law.filing_status import CODE
    from dist401k.traps import capital_gain_tax

    got, rates = capital_gain_tax(default_law(), 2026, CODE[status], taxable, gain)
    assert got == pytest.approx(tax, abs=0.01)
    assert rates == sorted(rates) and rates


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 2e6), st.floats(0, 2e6), st.floats(0, 1e5))
def test_capital_gain_tax_is_a_marginal_schedule(taxable, gain, more):
    # Never more than the top rate, never negative, and more gain never costs less.
    from dist401k.law import default_law
    from dist401k.traps import capital_gain_tax

    law = default_law()
    tax, _ = capital_gain_tax(law, 2026, 0, taxable, gain)
    assert -1e-6 <= tax <= 0.20 * gain + 1e-6
    assert capital_gain_tax(law, 2026, 0, taxable, gain + more)[0] >= tax - 1e-6


def test_ira_only_exception_and_rule_55_traps():
    case = parse_case(make({"plan.hardship": {"allowed": True}, "request.purpose": "tuition",
                            "request.amount": 10000}))
    trap = next(t for t in compare_case(case)["traps"] if t["code"] == "IRA_ONLY_EXCEPTION")
    assert trap["figures"]["penalty_saved"] == pytest.approx(1000)
    assert "not tax-free" in trap["text"]
    rule55 = parse_case(make(SEPARATED, **{"person.birth_date": "1970-03-01"}))
    assert any(t["code"] == "RULE_55_LOST" for t in compare_case(rule55)["traps"])


def test_marginal_trap_names_social_security_and_senior_deduction():
    # A 67-year-old with $30,000 of Social Security and $20,000 of pension income
    # (provisional income $35,000, just past the adjusted base): a $60,000 distribution makes
    # more of the benefits taxable and lifts MAGI past $75,000, trimming the senior deduction.
    case = parse_case(make(SEPARATED, **{"person.birth_date": "1959-01-01",
                                         "income.wages": 0, "income.social_security": 30000,
                                         "income.other_distributions": 20000,
                                         "request.amount": 60000}))
    cmp = compare_case(case)
    trap = next(t for t in cmp["traps"] if t["code"] == "MARGINAL_RATE")
    assert "Social Security" in trap["text"] and "senior deduction" in trap["text"]
    assert cmp["marginal"]["last_dollar_rate"] > 0.22


# -- the person's stated need, and the two "cash" figures --------------------------------------

NEEDY = {**SEPARATED, "employment.separation_date": "2024-06-30", "request.amount": "max",
         "request.need": 40000}


def test_a_stated_need_is_answered_with_the_gross_to_ask_for():
    cmp = compare_case(parse_case(make(NEEDY)))
    cash = opt(cmp, "separation:cash")
    # 20% withheld, 10% tax before 59½ (separated before the year of 55): the check and what
    # is kept after all tax both reach $40,000, the smaller to the cent.
    assert min(cash["check_received"], cash["kept_after_all_tax"]) == pytest.approx(40000,
                                                                                    abs=0.01)
    assert cash["gross"] > 40000 / 0.8 - 0.01
    need = cmp["need"]
    assert need["met"] and need["option"] == "separation:cash"
    assert need["gross_to_ask"] == cash["gross"] and need["in_hand"] == 40000
    # One cent less would fall short.
    less = compare_case(parse_case(make(NEEDY, **{"request.need": None,
                                                  "request.amount": cash["gross"] - 0.01})))
    short = opt(less, "separation:cash")
    assert min(short["check_received"], short["kept_after_all_tax"]) < 40000


def test_the_recommendation_respects_the_stated_need():
    # Without a need, leaving it (or rolling it over) is worth the most later; with one, only
    # an option that puts the money in hand can be starred.
    free = compare_case(parse_case(make(NEEDY, **{"request.need": None})))
    assert not any(v.endswith(":cash") for v in free["best_at"].values())
    cmp = compare_case(parse_case(make(NEEDY)))
    assert all(v.endswith(":cash") for v in cmp["best_at"].values())
    for v in cmp["best_at"].values():
        o = opt(cmp, v)
        assert min(o["check_received"], o["kept_after_all_tax"]) >= 40000 - 0.01
    assert free["need"] is None


def test_a_need_no_option_can_meet_is_said():
    cmp = compare_case(parse_case(make(NEEDY, **{"request.need": 10_000_000})))
    assert cmp["need"]["met"] is False and cmp["need"]["gross_to_ask"] is None


def test_a_one_cent_need_is_not_met_by_a_rollover():
    cmp = compare_case(parse_case(make(NEEDY, **{"request.need": 0.01})))
    assert cmp["need"]["met"] and cmp["need"]["option"].endswith(":cash")
    assert cmp["need"]["check_received"] >= 0.01


def test_options_name_the_check_and_what_is_kept_apart():
    cmp = compare_case(parse_case(make(SEPARATED)))
    cash = opt(cmp, "separation:cash")
    a = next(o for o in cmp["assessment"]["outcomes"]
             if o["route"] == "separation" and o["destination"] == "cash")
    assert cash["check_received"] == a["check_received"] == pytest.approx(16000)
    assert cash["kept_after_all_tax"] == a["kept_after_all_tax"]
    assert cash["why"] == a["why"] and "no exception" in cash["why"]["short"]


def test_the_compare_table_names_both_figures_and_the_need(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from dist401k.cli import app

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(make(NEEDY)))
    out = CliRunner().invoke(app, ["compare", str(path)])
    assert out.exit_code == 0, out.output
    assert "cash now" not in out.output and "received" in out.output
    assert "You need $40,000 in hand: ask for $" in out.output


def test_qcd_trap_from_70_and_a_half_a_plan_cannot_pay_a_charity():
    """IRC §408(d)(8)(B): a QCD comes from an IRA only, on or after 70½ (six months after the
    70th birthday); 2025's limit $108,000 (Notice 2024-80).  Born 1955-06-15: 70½ on
    2025-12-15 — the trap shows on that day and not the day before."""
    old = {**SEPARATED, "person.birth_date": "1955-06-15", "request.date": "2025-12-15"}
    trap = [t for t in compare_case(parse_case(make(old)))["traps"]
            if t["code"] == "QCD_NOT_FROM_PLAN"]
    assert len(trap) == 1 and "roll" in trap[0]["text"].lower()
    assert trap[0]["figures"]["qcd_limit"] == 108_000 and "408(d)(8)" in trap[0]["citation"]
    assert "Notice 2024-80" in trap[0]["citation"] and "2025-67" not in trap[0]["citation"]
    young = {**old, "request.date": "2025-12-14"}
    assert not any(t["code"] == "QCD_NOT_FROM_PLAN"
                   for t in compare_case(parse_case(make(young)))["traps"])
    # 2025: a gift from the plan is deductible only by itemizing; from 2026 a non-itemizer
    # deducts up to $1,000 of cash gifts ($2,000 on a joint return), IRC §170(p) as P.L. 119-21
    # §70424 amended it — the rest only by itemizing.
    assert "deductible only if you itemize" in trap[0]["text"]
    later = {**old, "request.date": "2026-03-02"}
    (t26,) = [t for t in compare_case(parse_case(make(later)))["traps"]
              if t["code"] == "QCD_NOT_FROM_PLAN"]
    assert "deductible beyond $1,000 of cash gifts only if you itemize" in t26["text"]
    assert "170(p)" in t26["citation"] and t26["figures"]["qcd_limit"] == 111_000


def test_waiting_for_59_and_a_half_is_offered_when_it_is_near():
    """Born 1967-01-15: 59½ on 2026-07-15.  On 2026-06-10 the only cash payment is a hardship
    withdrawal, under the 10% additional tax (§72(t)(1)); on 2026-07-15 the plan's in-service
    withdrawal at 59½ opens and owes none (§72(t)(2)(A)(i)): the trap says so, with the tax
    waiting saves; a year and more before 59½ it says nothing."""
    case = {"person.birth_date": "1967-01-15", "employment.status": "active",
            "income.wages": 80000, "request.date": "2026-06-10", "request.purpose": "tuition",
            "request.need": 20000,
            "plan.in_service": {"elective_deferral": {"allowed": True, "min_age": 59.5}},
            "plan.hardship": {"allowed": True, "sources": ["elective_deferral"]},
            "account.sources": {"elective_deferral": {"balance": 100000}}}
    cmp = compare_case(parse_case(make(case)))
    trap = [t for t in cmp["traps"] if t["code"] == "WAIT_FOR_59_HALF"]
    assert len(trap) == 1
    f = trap[0]["figures"]
    assert f["on"] == "2026-07-15" and f["days"] == 35 and f["route_then"] == "in_service"
    hardship = next(o for o in cmp["assessment"]["outcomes"]
                    if o["route"] == "hardship" and o["destination"] == "cash")
    assert f["penalty_saved"] == pytest.approx(hardship["additional_tax_72t"])
    assert f["penalty_saved"] == pytest.approx(0.10 * hardship["gross"], abs=1)
    early = {**case, "request.date": "2025-06-10"}
    assert not any(t["code"] == "WAIT_FOR_59_HALF"
                   for t in compare_case(parse_case(make(early)))["traps"])


def test_a_disaster_distribution_meets_a_need_after_its_later_years_tax():
    """A qualified disaster recovery distribution's income is spread over three years
    (§72(t)(11)(E)(ii); Form 8915-F): single, wages $50,000 (the 12% bracket), a $15,000 need.
    Each year's third of the income bears 12%, so what is kept after all tax is 88% of the
    gross: $15,000 / 0.88 = $17,045.45 (before, $16,666.67 was taken as enough: this year's
    tax alone); the two later years' tax, 12% of $11,363.64 = $1,363.64, is shown."""
    case = {"person.birth_date": "1985-01-01", "employment.status": "active",
            "income.wages": 50000, "request.date": "2026-06-01",
            "request.purpose": "disaster", "request.event_date": "2026-03-15",
            "request.disaster_declared": True, "request.need": 15000,
            "plan.secure2": {"disaster": True},
            "account.sources": {"elective_deferral": {"balance": 50000}}}
    cmp = compare_case(parse_case(make(case)))
    d = opt(cmp, "disaster:cash")
    assert d["gross"] == pytest.approx(15000 / 0.88, abs=0.02)
    assert d["income_tax_later"] == pytest.approx(0.12 * d["gross"] * 2 / 3, abs=0.02)
    assert d["kept_after_all_tax"] - d["income_tax_later"] == pytest.approx(15000, abs=0.02)


SEPP_AFTER_TAX = """
id: v-sepp
person: {birth_date: 1969-03-10, filing_status: single}
employment: {status: separated, hire_date: 2001-06-04, separation_date: 2022-09-30}
income: {wages: 40000}
plan: {type: 401k}
account:
  sources:
    elective_deferral: {balance: 250000}
    after_tax: {balance: 250000, basis: 250000}
request: {date: 2026-03-01, amount: 32622.01, destination: cash}
sepp:
  first_payment_date: 2026-03-01
  account: plan
  federal_midterm_rates: [0.0381, 0.0379]
  table: single
"""


def test_a_series_payment_recovers_after_tax_basis_pro_rata():
    # Half the account is after-tax money that is all basis: half of each series payment is
    # tax-free (§72(e)(8)), as the cash option of the same gross says.  By hand (2026,
    # single, Rev. Proc. 2025-32): wages 40,000 − 16,100 = 23,900 taxable; the payment's
    # taxable 16,311.005 stays under the 12% bracket's top of 50,400: 12% × 16,311.005.
    import yaml

    cmp = compare_case(parse_case(yaml.safe_load(SEPP_AFTER_TAX)))
    assert opt(cmp, "sepp:amortization")["gross"] == pytest.approx(32622.01)
    assert opt(cmp, "sepp:amortization")["income_tax_now"] == pytest.approx(1957.32, abs=0.01)
    assert opt(cmp, "separation:cash")["income_tax_now"] == pytest.approx(1957.32, abs=0.01)


def test_a_series_of_qualified_roth_and_basis_only_is_tax_free_in_the_bracket():
    # Roth contributions 200,000 of 250,000 (not qualified before 59½) and after-tax basis
    # 240,000 of 250,000: the taxable share is (50,000 + 10,000) / 500,000 = 12%; with no
    # other income 12% of each payment stays under the 16,100 standard deduction: no tax.
    import yaml

    data = yaml.safe_load(SEPP_AFTER_TAX)
    data["income"]["wages"] = 0
    data["account"]["sources"] = {
        "roth_deferral": {"balance": 250000, "contributions": 200000, "first_year": 2010},
        "after_tax": {"balance": 250000, "basis": 240000}}
    from dist401k.compare import sepp_taxable_share
    from dist401k.law import default_law

    case = parse_case(data)
    assert sepp_taxable_share(case, default_law()) == pytest.approx(0.12)
    cmp = compare_case(case)
    for m in ("rmd", "amortization", "annuitization"):
        assert opt(cmp, f"sepp:{m}")["income_tax_now"] == 0.0
