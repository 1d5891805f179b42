"""The planner's review of the advice (`dist401k compare`, `dist401k assess`): each defect
found, with the case that showed it and the figure worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from dist401k.case import parse_case
from dist401k.compare import compare_case
from dist401k.dates import fractional_age

# c08: 45, still working, $40,000 of after-tax money ($36,000 basis) the plan pays in service.
AFTER_TAX_45 = """
id: c08-aftertax-45
person: {birth_date: 1981-05-05, filing_status: married_joint, spouse_birth_date: 1982-01-01}
employment: {status: active, hire_date: 2016-01-04}
income: {wages: 190000}
plan:
  type: 401k
  in_service:
    after_tax: {allowed: true}
  loans: {allowed: true, max_count: 1, interest_rate: 0.085}
account:
  sources:
    elective_deferral: {balance: 200000}
    after_tax: {balance: 40000, basis: 36000}
request: {date: 2026-06-01, amount: 20000}
assumptions: {growth: 0.05, plan_expense: 0.0, ira_expense: 0.0, later_tax_rate: 0.22,
              horizon_ages: [65]}
"""

# c19: 50, active, a hardship withdrawal for tuition; $60,000 in a traditional IRA.
TUITION_IRA = """
id: c19-tuition-ira
person: {birth_date: 1976-04-10, filing_status: married_joint, spouse_birth_date: 1977-02-02}
employment: {status: active, hire_date: 2010-01-04}
income: {wages: 120000}
plan:
  type: 401k
  hardship: {allowed: true}
account:
  sources:
    elective_deferral: {balance: 150000}
iras: {traditional: 60000}
request: {date: 2026-07-01, amount: 15000, purpose: tuition, need: 15000}
"""

# c04: 58, a down payment on a first home; loans and a hardship; $40,000 in an IRA.
DOWN_PAYMENT_58 = """
id: c04-downpayment-58
person: {birth_date: 1968-01-15, filing_status: married_joint, spouse_birth_date: 1969-03-03}
employment: {status: active, hire_date: 2010-09-01}
income: {wages: 110000}
plan:
  type: 401k
  hardship: {allowed: true, sources: [elective_deferral]}
  loans: {allowed: true, max_count: 1, interest_rate: 0.08, residence_term_years: 15}
account:
  sources:
    elective_deferral: {balance: 150000}
    match: {balance: 50000}
iras: {traditional: 40000, first_home_prior: 4000}
request: {date: 2026-04-10, amount: 30000, purpose: home_purchase, need: 30000}
"""

# c18: 59½ on 2026-07-20; a medical hardship on 2026-05-15 needs $20,000 in hand.
HARDSHIP_NEAR_59 = """
id: c18-59-hardship-near
person: {birth_date: 1967-01-20, filing_status: single}
employment: {status: active, hire_date: 2000-01-10}
income: {wages: 80000}
plan:
  type: 401k
  in_service:
    elective_deferral: {allowed: true, min_age: 59.5}
  hardship: {allowed: true}
account:
  sources:
    elective_deferral: {balance: 300000}
request: {date: 2026-05-15, amount: 20000, purpose: medical, need: 20000}
"""

# c14: 53, separated in February (no rule of 55), wants $20,000 in hand after all tax.
PA_SEPARATED_53 = """
id: c14-pa-sep53
person: {birth_date: 1973-03-03, filing_status: single, state: PA}
employment: {status: separated, hire_date: 2008-05-01, separation_date: 2026-02-28}
income: {wages: 20000}
plan: {type: 401k}
account:
  sources:
    elective_deferral: {balance: 150000}
request: {date: 2026-05-01, net_amount: 20000, net_of: all_tax}
"""

# c06: 59, active, in-service at 59½ not yet reached; a plan loan of $20,000.
IN_SERVICE_59 = """
id: c06-inservice-59
person: {birth_date: 1967-01-20, filing_status: married_joint, spouse_birth_date: 1966-06-01}
employment: {status: active, hire_date: 2000-01-10}
income: {wages: 95000}
plan:
  type: 401k
  in_service:
    elective_deferral: {allowed: true, min_age: 59.5}
    match: {allowed: true, min_age: 59.5}
  loans: {allowed: true, max_count: 1, interest_rate: 0.08}
account:
  sources:
    elective_deferral: {balance: 300000}
    match: {balance: 90000}
request: {date: 2026-05-15, amount: 20000, need: 20000}
"""


def case_of(text: str, **changes):
    data = yaml.safe_load(text)
    for path, value in changes.items():
        node = data
        *keys, last = path.split(".")
        for k in keys:
            node = node.setdefault(k, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return parse_case(data)


def opt(cmp, name):
    return next(o for o in cmp["options"] if o["option"] == name)


def trap(cmp, code):
    return next(t for t in cmp["traps"] if t["code"] == code)


def years_to(birth: str, day: str, age: float) -> float:
    return age - float(fractional_age(np.datetime64(birth), np.datetime64(day)))


# -- 1. after-tax basis: a fixed amount in a traditional IRA, tax-free growth in a Roth IRA --


def test_the_notice_2014_54_split_is_worth_the_later_tax_on_the_basis_growth():
    """$20,000 of after-tax money ($18,000 of it basis) paid in service.  In a traditional
    IRA the basis stays $18,000 and the growth on it is taxed when withdrawn (§72(e)(8),
    §408(d)(1)–(2), Form 8606): 20,000·F − 22%·(20,000·F − 18,000).  Split, the $2,000 of
    earnings go to a traditional IRA and the basis to a Roth IRA, where its growth is tax-free:
    2,000·F·78% + 18,000·F.  The split is worth 18,000·(F − 1)·22% more; left in the plan
    (the after-tax account: 10% earnings, 90% basis) the same as the traditional IRA (no
    expenses).  Before, all three were 52,293 and the ★ fell on the traditional IRA by list
    order."""
    cmp = compare_case(case_of(AFTER_TAX_45))
    f = 1.05 ** years_to("1981-05-05", "2026-06-01", 65)
    trad = opt(cmp, "in_service:traditional_ira")["after_tax_value_at"]["65"]
    split = opt(cmp, "in_service:split_2014_54")["after_tax_value_at"]["65"]
    assert trad == pytest.approx(20000 * f - 0.22 * (20000 * f - 18000), abs=0.01)
    assert split == pytest.approx(2000 * f * 0.78 + 18000 * f, abs=0.01)
    assert split - trad == pytest.approx(18000 * (f - 1) * 0.22, abs=0.02)
    assert opt(cmp, "leave")["after_tax_value_at"]["65"] == pytest.approx(trad, abs=0.01)
    # Converting all of it pays 22% on the $2,000 of earnings now instead of later: at the same
    # rate, worth the same as the split; either is the ★, never the traditional IRA.
    convert = opt(cmp, "in_service:roth_ira")["after_tax_value_at"]["65"]
    assert convert == pytest.approx(split, abs=0.01)
    assert cmp["best_at"]["65"] in ("in_service:split_2014_54", "in_service:roth_ira")


def test_the_mega_backdoor_example_stars_the_split_not_a_tie():
    from pathlib import Path

    from dist401k.case import load_case

    path = Path(__file__).parents[2] / "examples/cases/in-service-at-60-mega-backdoor.yaml"
    cmp = compare_case(load_case(path))
    split = opt(cmp, "in_service:split_2014_54")["after_tax_value_at"]["65"]
    trad = opt(cmp, "in_service:traditional_ira")["after_tax_value_at"]["65"]
    assert split > trad + 1000  # $45,000 of basis growing 4½ years, 22% later
    assert cmp["best_at"]["65"] == "in_service:split_2014_54"


def test_roth_money_rolled_out_with_the_pre_tax_is_valued_tax_free():
    """The Roth deferrals of a rollover to a traditional IRA go to a Roth IRA (§402A(c)(3)):
    tax-free at 65 (qualified by then), not taxed like the pre-tax money (before, their
    $10,000 of earnings were).  Left in the plan, the same."""
    cmp = compare_case(case_of(PA_SEPARATED_53, **{
        "person.state": None, "request.net_amount": None, "request.amount": "max",
        "account.sources.roth_deferral": {"balance": 50000, "contributions": 40000,
                                          "first_year": 2022},
        "assumptions": {"growth": 0.05, "plan_expense": 0.0, "ira_expense": 0.0,
                        "later_tax_rate": 0.22, "horizon_ages": [65]}}))
    f = 1.05 ** years_to("1973-03-03", "2026-05-01", 65)
    trad = opt(cmp, "separation:traditional_ira")["after_tax_value_at"]["65"]
    assert trad == pytest.approx(150000 * f * 0.78 + 50000 * f, abs=0.01)
    assert opt(cmp, "leave")["after_tax_value_at"]["65"] == pytest.approx(trad, abs=0.01)


# -- 2. an IRA-only exception: the person's own traditional IRA, and no impossible rollover ---


def test_the_ira_only_trap_points_to_the_traditional_ira_the_person_has():
    """Tuition from a hardship withdrawal owes the 10% tax (§72(t)(2)(E) is for IRAs only); the
    $60,000 traditional IRA pays it free of that tax up to the $15,000 of expenses
    (§72(t)(7)(A)): the saving is 10% of $15,000, not the 10% on the hardship's gross-up for its
    taxes, which an IRA distribution would owe too.  An active employee's only way out is a
    hardship, which cannot be rolled over (§402(c)(4)(C)): no "roll to an IRA first"."""
    cmp = compare_case(case_of(TUITION_IRA))
    hardship = opt(cmp, "hardship:cash")
    t = trap(cmp, "IRA_ONLY_EXCEPTION")
    assert hardship["gross"] > 15000 and hardship["penalty_now"] > 1500
    assert t["figures"]["own_ira_saving"] == pytest.approx(1500, abs=0.01)
    assert t["figures"]["penalty_saved"] == pytest.approx(1500, abs=0.01)
    assert "$60,000 in a traditional IRA" in t["text"]
    assert "up to the expenses, $15,000" in t["text"]
    assert f"saves $1,500 of the hardship payment's ${hardship['penalty_now']:,.0f}" in t["text"]
    assert t["figures"]["roll_first"] is False and "roll" not in t["text"].lower()
    assert "reasonably available" in t["text"]
    assert "§1.401(k)-1(d)(3)(iii)(B)" in t["citation"]


def test_the_first_home_saving_is_capped_by_the_lifetime_limit_left():
    """$10,000 in a lifetime less the $4,000 taken before: 10% of $6,000 saved."""
    cmp = compare_case(case_of(DOWN_PAYMENT_58))
    t = trap(cmp, "IRA_ONLY_EXCEPTION")
    assert t["figures"]["first_home_left"] == 6000
    assert t["figures"]["own_ira_saving"] == pytest.approx(600)
    assert t["figures"]["penalty_saved"] == pytest.approx(600)


def test_roll_first_only_where_the_plan_pays_a_rollable_distribution():
    no_ira = compare_case(case_of(TUITION_IRA, **{"iras.traditional": 0}))
    t = trap(no_ira, "IRA_ONLY_EXCEPTION")
    assert "cannot be rolled" in t["text"] and "§402(c)(4)(C)" in t["citation"]
    assert t["figures"]["own_ira_saving"] == 0
    separated = compare_case(case_of(TUITION_IRA, **{
        "iras.traditional": 0, "employment.status": "separated",
        "employment.separation_date": "2026-03-31", "plan.hardship": None}))
    t = trap(separated, "IRA_ONLY_EXCEPTION")
    assert t["figures"]["roll_first"] is True and "rolling it to an IRA first" in t["text"]


# -- 3. waiting for 59½: the figures of the rows the table shows -----------------------------


def test_the_wait_for_59_and_a_half_quotes_the_need_priced_rows():
    """The table prices the hardship at the $20,000 need: $29,411.76 gross, $2,941.18 of 10%
    tax.  On 2026-07-20 the in-service withdrawal delivers the same $20,000 after all tax with
    no 10% tax and a smaller gross: waiting saves the 10% tax and the income tax on the
    gross-up (the two grosses' difference, as both leave $20,000)."""
    cmp = compare_case(case_of(HARDSHIP_NEAR_59))
    hardship = opt(cmp, "hardship:cash")
    t = trap(cmp, "WAIT_FOR_59_HALF")
    f = t["figures"]
    assert f["penalty_saved"] == pytest.approx(hardship["penalty_now"], abs=0.01)
    assert f"${hardship['penalty_now']:,.0f} of 10% additional tax" in t["text"]
    assert f["gross_now"] == hardship["gross"] and f["route_then"] == "in_service"
    assert f["tax_saved"] == pytest.approx(f["gross_now"] - f["gross_then"], abs=0.05)
    assert f["income_tax_saved"] > 0
    assert f["tax_saved"] == pytest.approx(f["penalty_saved"] + f["income_tax_saved"], abs=0.01)
    assert "$2,000" not in t["text"]


# -- 4. a net amount wanted is a need ------------------------------------------------------


def test_a_net_amount_wanted_is_answered_by_an_option_that_pays_it():
    """"$20,000 in hand after all tax" (request.net_amount, net_of all_tax): a rollover pays
    nothing and cannot be the ★."""
    cmp = compare_case(case_of(PA_SEPARATED_53))
    assert cmp["best_at"] == {"65": "separation:cash"}
    need = cmp["need"]
    assert need["met"] and need["in_hand"] == 20000 and need["net_of"] == "all_tax"
    assert need["kept_after_all_tax"] == pytest.approx(20000, abs=0.01)


def test_a_net_amount_of_withholding_is_the_check_and_not_a_60_day_rollover():
    cmp = compare_case(case_of(PA_SEPARATED_53, **{"request.net_of": "withholding"}))
    assert cmp["best_at"] == {"65": "separation:cash"}
    assert cmp["need"]["check_received"] == pytest.approx(20000, abs=0.01)
    assert cmp["need"]["net_of"] == "withholding"


# -- 5. a loan is named only where the plan lends -------------------------------------------


def test_the_marginal_rate_trap_names_a_loan_only_where_the_plan_lends():
    left = trap(compare_case(case_of(PA_SEPARATED_53)), "MARGINAL_RATE")
    assert "loan" not in left["text"] and "two tax years" in left["text"]
    lends = trap(compare_case(case_of(DOWN_PAYMENT_58)), "MARGINAL_RATE")
    assert "plan loan" in lends["text"]


# -- 6. the loan's payment is that of the amount asked --------------------------------------


def test_assess_says_the_loan_payment_is_on_the_amount_asked():
    from dist401k.assess import assess_cases
    from dist401k.commands.assess import _route_terms

    r = assess_cases([case_of(IN_SERVICE_59)])[0]
    loan = next(s for s in r["route_summary"] if s["route"] == "loan")
    assert (loan["maximum"], loan["principal"], loan["payment"]) == (50000, 20000, 405.53)
    assert _route_terms(loan) == (" Up to $50,000; on the $20,000 asked, 12 payments a year "
                                  "of $405.53 for 5 years.")
    whole = assess_cases([case_of(IN_SERVICE_59, **{"request.amount": 50000})])[0]
    loan = next(s for s in whole["route_summary"] if s["route"] == "loan")
    assert _route_terms(loan).startswith(" Up to $50,000: 12 payments a year of $")


def test_a_need_no_option_meets_is_not_called_met_by_the_star(tmp_path):
    """$500,000 in hand from a $100,000 account: no option delivers it, so the ★ is not said
    to be among the options that meet the need — in the terminal and in the report."""
    from typer.testing import CliRunner

    from dist401k.cli import app

    case = tmp_path / "big-need.yaml"
    case.write_text(
        "id: big-need\n"
        "person: {birth_date: 1980-03-03, filing_status: single}\n"
        "employment: {status: separated, hire_date: 2008-05-01, separation_date: 2025-02-28}\n"
        "income: {wages: 60000}\nplan: {type: 401k}\n"
        "account: {sources: {elective_deferral: {balance: 100000}}}\n"
        "request: {date: 2026-05-01, amount: max, net_amount: 500000, net_of: all_tax}\n")
    out = CliRunner().invoke(app, ["compare", str(case)], env={"COLUMNS": "200"})
    assert out.exit_code == 0
    assert "(no option meets your need)" in out.output
    assert "among the options that meet your need" not in out.output
    report = tmp_path / "r.html"
    assert CliRunner().invoke(app, ["report", str(case), "-o", str(report)]).exit_code == 0
    text = report.read_text()
    assert "(none puts your need in hand)" in text
    assert "among those that put your need in hand" not in text


def test_moving_money_of_another_character_is_set_against_leaving_the_same_money():
    """After-tax money paid in service (90% basis) beside a pre-tax hardship: rolling it to
    another plan on the same terms is worth what leaving it is, and with no expenses and the
    same rates now and later a traditional IRA too; only the Roth IRA (the basis's growth
    tax-free) is worth more. With IRA expenses, leaving it is the best."""
    data = yaml.safe_load("""
id: two-characters
person: {birth_date: 1981-05-05, filing_status: single}
employment: {status: active, hire_date: 2016-01-04}
income: {wages: 90000}
plan: {type: 401k, in_service: {after_tax: {allowed: true}}, hardship: {allowed: true}}
account: {sources: {elective_deferral: {balance: 200000}, after_tax: {balance: 40000, basis: 36000}}}
request: {date: 2026-06-01, amount: 20000, purpose: medical}
assumptions: {plan_expense: 0.0, ira_expense: 0.0, later_tax_rate: 0.22}
""")
    cmp = compare_case(parse_case(data))
    at = {o["option"]: o["after_tax_value_at"]["65"] for o in cmp["options"]}
    assert at["in_service:other_plan"] == pytest.approx(at["leave"], abs=0.01)
    assert at["in_service:traditional_ira"] == pytest.approx(at["leave"], abs=0.01)
    assert at["in_service:split_2014_54"] > at["leave"] + 1000
    data["assumptions"]["ira_expense"] = 0.015
    cmp = compare_case(parse_case(data))
    assert cmp["best_at"]["65"] == "leave"


def test_an_inherited_roth_ira_option_carries_form_8606_part_iii():
    """The heir's option in compare carries the Part III that assess gives (contributions
    first: line 22 the owner's $45,000, nothing taxable)."""
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "examples" / "cases" / "inherited-roth.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["account"]["sources"]["rollover_roth"]["first_year"] = 2023
    cmp = compare_case(parse_case(data))
    heir = next(o for o in cmp["options"] if o["option"] == "beneficiary:cash")
    assert heir["form_8606_part_iii"]["line_22"] == 45000.0
    assert heir["form_8606_part_iii"]["line_25c"] == 0.0
