"""Outcomes: the 10% tax and its exceptions, withholding, 1099-R codes, hardship gross-up,
the SECURE 2.0 caps, and the Form 8606 pro-rata rule behind the backdoor-Roth trap."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from dist401k.basis import ira_pro_rata
from routes.conftest import make, outcome, route

SEPARATED = {"employment.status": "separated", "request.amount": 10000}


@pytest.mark.parametrize("separation, exempt", [
    ("2024-12-31", False),   # born 1970: the year before the one he turns 55
    ("2025-01-01", True),    # the year he turns 55 (birthday later in the year still counts)
])
def test_rule_of_55_turns_on_the_calendar_year_of_separation(assess, separation, exempt):
    r = assess(make(SEPARATED, **{"employment.separation_date": separation}))
    o = outcome(r, "separation")
    assert (o["additional_tax_72t"] == 0) is exempt
    assert o["form_1099r_codes"] == (["2"] if exempt else ["1"])
    if exempt:
        rolled = outcome(r, "separation", "traditional_ira")
        assert any(x["code"] == "OC_RULE_55_LOST" for x in rolled["reasons"])


def test_public_safety_at_50_in_a_governmental_plan(assess):
    case = make(SEPARATED, **{"person.birth_date": "1975-06-01",
                              "employment.separation_date": "2025-07-01",
                              "person.qualified_public_safety": True, "plan.governmental": True})
    assert outcome(assess(case), "separation")["additional_tax_72t"] == 0
    # The same separation from a private employer's plan: 10% tax (rule of 55 not reached).
    case["plan"]["governmental"] = False
    assert outcome(assess(case), "separation")["additional_tax_72t"] == pytest.approx(1000)


@pytest.mark.parametrize("plan", ["401k", "403b7", "money_purchase", "governmental_457b"])
def test_a_private_employers_firefighter_at_50(assess, plan):
    """IRC §72(t)(10)(A) as amended by SECURE 2.0 §308: a distribution from a plan of
    §402(c)(8)(B)(iii), (iv) or (vi) — a §401(a) plan, a 403(b) — to an employee who provides
    firefighting services takes the age-50 public safety exception whoever the employer; Form
    1099-R code 2.  (A governmental 457(b)'s money is outside §72(t) anyway.)  The same person
    not a firefighter, or a private employer's police officer (no such rule), owes the 10%."""
    case = make(SEPARATED, **{"person.birth_date": "1975-06-01",
                              "employment.separation_date": "2025-07-01",
                              "person.firefighter": True, "plan.type": plan,
                              "plan.governmental": plan == "governmental_457b"})
    o = outcome(assess(case), "separation")
    assert o["additional_tax_72t"] == 0 and o["form_1099r_codes"] == ["2"]
    case["person"]["firefighter"] = False
    case["person"]["qualified_public_safety"] = True  # not a governmental plan: not covered
    if plan != "governmental_457b":
        assert outcome(assess(case), "separation")["additional_tax_72t"] == pytest.approx(1000)


def test_a_state_firefighters_rolled_in_457b_money_takes_the_public_safety_exception(assess):
    """§72(t)(10)(B): an employee of a State or locality who provides firefighting services is
    a qualified public safety employee, so the money rolled into a governmental 457(b) — the
    only part §72(t) reaches there (§72(t)(9)) — is spared after a separation at 50, as it is
    when the case says `qualified_public_safety`."""
    case = make(SEPARATED, **{"person.birth_date": "1975-01-15",
                              "employment.separation_date": "2026-06-30",
                              "person.firefighter": True, "plan.type": "governmental_457b",
                              "plan.governmental": True, "request.amount": 30000,
                              "account.sources": {"elective_deferral": {"balance": 240000},
                                                  "rollover_pretax": {"balance": 35000}}})
    o = outcome(assess(case), "separation")
    assert o["additional_tax_72t"] == 0 and o["form_1099r_codes"] == ["2"]
    case["person"]["firefighter"] = False  # no exception: 10% on the rolled-in share
    o = outcome(assess(case), "separation")
    assert o["additional_tax_72t"] == pytest.approx(0.10 * 30000 * 35000 / 275000, abs=0.01)


def test_withholding_20_percent_on_eligible_rollover_10_on_hardship(assess):
    r = assess(make(SEPARATED, **{"employment.separation_date": "2020-01-01"}))
    assert outcome(r, "separation")["withholding"] == pytest.approx(2000)
    assert outcome(r, "separation", "traditional_ira")["withholding"] == 0
    ind = outcome(r, "separation", "indirect_60day")
    assert ind["withholding"] == pytest.approx(2000) and ind["makeup_needed"] == pytest.approx(2000)
    assert ind["after_all_taxes"] == 0
    # A 60-day rollover is paid to the participant: the check is the gross less the 20%
    # (§3405(c); Pub. 575, "Rollovers"), all of it and the $2,000 made up put back in 60 days.
    assert ind["check_received"] == ind["net_cash"] == pytest.approx(ind["gross"] - 2000)
    assert ind["kept_after_all_tax"] == 0
    h = assess(make({"plan.hardship": {"allowed": True}, "request.purpose": "funeral",
                     "request.amount": 5000}))
    assert outcome(h, "hardship")["withholding"] == pytest.approx(500)
    # A W-4R election of 0% on the hardship withdrawal.
    h = assess(make({"plan.hardship": {"allowed": True}, "request.purpose": "funeral",
                     "request.amount": 5000, "request.withholding_rate": 0}))
    assert outcome(h, "hardship")["withholding"] == 0


def test_hardship_amount_is_the_need_plus_its_taxes(assess):
    # Single, wages 60,000 (2026): taxable 43,900; 6,500 left in the 12% bracket, then 22%.
    # g = 10,000 + [12% × 6,500 + 22% × (g − 6,500)] + 10% g → 0.68 g = 9,350 → 13,750.
    r = assess(make({"plan.hardship": {"allowed": True}, "request.purpose": "eviction",
                     "request.need": 10000}))
    o = outcome(r, "hardship")
    assert o["gross"] == pytest.approx(9350 / 0.68, abs=0.02)
    assert o["gross"] - o["income_tax_increase"] - o["additional_tax_72t"] == pytest.approx(
        10000, abs=0.02)
    # Not an eligible rollover distribution (§402(c)(4)(C)): paid in cash, the outcome says so
    # with its 10% withholding; HS_NOT_ROLLABLE is for a destination asked elsewhere
    # (tests/routes/test_hardship_not_rollable.py).
    assert "OC_NON_ERD_WITHHOLDING" in {x["code"] for x in o["reasons"]}
    assert "HS_NOT_ROLLABLE" not in {x["code"] for row in r["routes"] for x in row["reasons"]}


def test_457_unforeseeable_emergency_is_narrower(assess):
    case = make({"plan.type": "governmental_457b", "plan.hardship": {"allowed": True},
                 "request.purpose": "tuition"})
    assert route(assess(case), "hardship")["eligible"] is False
    case["request"]["purpose"] = "medical"
    assert route(assess(case), "hardship")["eligible"] is True


def test_medical_exception_uses_agi_with_the_distribution(assess):
    # Wages 60,000, distribution 20,000: AGI 80,000; 7.5% = 6,000; medical 10,000 → 4,000 of
    # the distribution escapes the 10% tax: (20,000 − 4,000) × 10% = 1,600.
    r = assess(make(SEPARATED, **{"employment.separation_date": "2020-01-01",
                                  "request.amount": 20000, "income.medical_expenses": 10000}))
    o = outcome(r, "separation")
    assert o["additional_tax_72t"] == pytest.approx(1600)
    assert any(x["code"] == "PX_MEDICAL" for x in o["reasons"])


def test_secure2_caps(assess):
    eped = assess(make({"plan.secure2": {"emergency_expense": True}}))
    assert route(eped, "emergency_expense")["available"] == 1000
    # Only one per calendar year.
    again = assess(make({"plan.secure2": {"emergency_expense": True},
                         "account.last_emergency_year": 2026}))
    assert route(again, "emergency_expense")["eligible"] is False
    # Not repaid, taken in 2024: none until 2028.
    wait = assess(make({"plan.secure2": {"emergency_expense": True},
                        "account.last_emergency_year": 2024, "account.emergency_unrepaid": 500}))
    assert route(wait, "emergency_expense")["eligible"] is False
    abuse = assess(make({"plan.secure2": {"domestic_abuse": True}, "request.purpose":
                         "domestic_abuse", "request.event_date": "2026-03-01"}))
    assert route(abuse, "domestic_abuse")["available"] == 10500  # 2026 cap < half of 100,000
    late = assess(make({"plan.secure2": {"domestic_abuse": True}, "request.purpose":
                        "domestic_abuse", "request.event_date": "2025-10-01"}))
    assert route(late, "domestic_abuse")["eligible"] is False
    baby = assess(make({"plan.secure2": {"birth_adoption": True}, "request.purpose":
                        "birth_adoption", "request.event_date": "2026-01-10",
                        "account.prior_event_distributions": 2000}))
    assert route(baby, "birth_adoption")["available"] == 3000
    # 206 days after the incident: too late (180 days).
    storm = assess(make({"plan.secure2": {"disaster": True}, "request.purpose": "disaster",
                         "request.event_date": "2026-05-01", "request.disaster_declared": True}))
    assert route(storm, "disaster")["eligible"] is False
    # Not a federally declared disaster: closed.
    storm = assess(make({"plan.secure2": {"disaster": True}, "request.purpose": "disaster",
                         "request.event_date": "2026-10-01"}))
    assert route(storm, "disaster")["eligible"] is False
    storm = assess(make({"plan.secure2": {"disaster": True}, "request.purpose": "disaster",
                         "request.event_date": "2026-06-30", "request.disaster_declared": True,
                         "request.amount": 22000}))
    o = outcome(storm, "disaster")
    assert o["taxable"] == pytest.approx(22000) and o["taxable_later"] == pytest.approx(
        22000 * 2 / 3, abs=0.01)


def test_form_8606_backdoor_roth_is_mostly_taxable():
    # FACTS G.3: $500,000 rolled into a traditional IRA, $8,000 nondeductible contribution
    # converted in the same year: line 10 = 8,000 / 508,000; taxable conversion ≈ 98.4%.
    ratio, nontax, taxable, _, carried = ira_pro_rata(
        np.array(8000.0), np.array(500000.0), np.array(0.0), np.array(8000.0))
    assert float(ratio) == pytest.approx(0.015748, abs=1e-6)
    assert float(taxable) == pytest.approx(7874, abs=1)
    assert float(taxable) / 8000 == pytest.approx(0.984, abs=0.001)
    # Rounded to three places as the form allows: 0.016 → $7,872 taxable.
    _, _, taxable3, _, _ = ira_pro_rata(8000.0, 500000.0, 0.0, 8000.0, places=3)
    assert float(taxable3) == pytest.approx(7872)
    # Without the rollover, the conversion is tax-free.
    assert float(ira_pro_rata(8000.0, 0.0, 0.0, 8000.0)[2]) == 0


def test_roth_qualified_versus_not(assess):
    case = {"plan.in_service": {"roth_deferral": {"allowed": True, "min_age": 59.5}},
            "person.birth_date": "1960-01-01",
            "account.sources": {"roth_deferral": {"balance": 50000, "contributions": 30000,
                                                  "first_year": 2023}}}
    # First Roth year 2023: the 5-taxable-year period ends after 2027 — not qualified in 2026:
    # 40% earnings taxable.
    o = outcome(assess(make(case)), "in_service")
    assert o["taxable"] == pytest.approx(20000) and o["form_1099r_codes"] == ["B7"]
    case["account.sources"]["roth_deferral"]["first_year"] = 2020
    o = outcome(assess(make(case)), "in_service")
    assert o["taxable"] == 0
    # Roth money rolled with the rest goes to a Roth IRA (code H).
    assert outcome(assess(make(case)), "in_service", "roth_ira")["form_1099r_codes"] == ["H"]


def test_disability_code_3_and_no_additional_tax(assess):
    r = assess(make({"person.disabled": True, "request.amount": 10000}))
    o = outcome(r, "disability")
    assert o["additional_tax_72t"] == 0 and o["form_1099r_codes"] == ["3"]


def test_taxes_figured_together_equal_each_figured_alone():
    # The outcome module figures the tax of every destination's taxable amount in one call
    # over the stacked units; each must equal the tax figured on its own.
    import yaml

    from dist401k.batch import CaseBatch
    from dist401k.case import parse_case
    from dist401k.law import default_law
    from dist401k.outcome import TaxOf

    examples = sorted((Path(__file__).parents[2] / "examples" / "cases").glob("*.yaml"))
    b = CaseBatch.from_cases([parse_case(yaml.safe_load(p.read_text())) for p in examples])
    rng = np.random.default_rng(4)
    amounts = [rng.uniform(0, 300_000, len(b)) for _ in range(5)] + [np.zeros(len(b))]
    together = TaxOf(b, default_law())
    together.prefetch(amounts)
    assert len(together.seen) == 5  # the zero amount needs no tax computation
    for a in amounts:
        tax, agi = together.increase(a)
        tax1, agi1 = TaxOf(b, default_law()).increase(a)
        np.testing.assert_allclose(tax, tax1, atol=1e-9)
        np.testing.assert_allclose(agi, agi1, atol=1e-9)
    assert all((together.increase(a)[0][a > 100_000] > 0).all() for a in amounts[:5])


# -- why each figure is what it is, the two "cash" figures, what was capped or assumed ---------

RULE_55 = {**SEPARATED, "employment.separation_date": "2025-01-01"}


def test_a_spared_10_percent_tax_names_its_exception_in_the_row(assess):
    o = outcome(assess(make(RULE_55)), "separation")
    assert o["additional_tax_72t"] == 0
    assert "rule of 55" in o["why"]["short"]
    assert "rule of 55" in o["why"]["additional_tax_72t"]
    assert "§72(t)(2)(A)(v)" in o["why"]["additional_tax_72t"]
    assert o["why"]["taxable"].startswith("$10,000 of $10,000 taxable")
    # Without the exception the row says the tax applies, and how much.
    o = outcome(assess(make(SEPARATED, **{"employment.separation_date": "2024-12-31"})),
                "separation")
    assert o["why"]["additional_tax_72t"].startswith("$1,000: The 10% additional tax applies")
    assert "no exception" in o["why"]["short"]


def test_the_tax_free_part_of_a_roth_payment_is_explained_in_the_row(assess):
    case = make(SEPARATED, **{"account.sources.roth_deferral": {
        "balance": 20000, "contributions": 15000, "first_year": 2015},
        "employment.separation_date": "2024-12-31"})
    o = outcome(assess(case), "separation")
    assert o["nontaxable"] > 0
    assert "Roth contributions" in o["why"]["short"]
    assert "non-qualified Roth" in o["why"]["taxable"]


def test_check_received_and_kept_after_all_tax_are_named_apart(assess):
    o = outcome(assess(make(RULE_55)), "separation")
    assert o["check_received"] == o["net_cash"] == pytest.approx(10000 - o["withholding"])
    assert o["kept_after_all_tax"] == o["after_all_taxes"] == pytest.approx(
        10000 - o["income_tax_increase"] - o["additional_tax_72t"])
    assert o["check_received"] != o["kept_after_all_tax"]


def test_an_amount_above_what_a_route_pays_is_noted_not_silently_cut(assess):
    r = assess(make(RULE_55, **{"request.amount": 500000}))
    assert outcome(r, "separation")["gross"] == pytest.approx(100000)
    note = next(n for n in r["notes"] if n["code"] == "AMOUNT_CAPPED")
    assert note["field"] == "request.amount"
    assert "$500,000" in note["text"] and "$100,000" in note["text"]
    assert not [n for n in assess(make(RULE_55))["notes"] if n["code"] == "AMOUNT_CAPPED"]


def test_roth_money_without_its_contributions_is_noted_as_assumed(assess):
    roth = {"balance": 20000, "first_year": 2015}
    r = assess(make(SEPARATED, **{"account.sources.roth_deferral": roth,
                                  "employment.separation_date": "2024-12-31"}))
    note = next(n for n in r["notes"] if n["code"] == "ROTH_CONTRIBUTIONS_ASSUMED_ZERO")
    assert note["field"] == "account.sources.roth_deferral.contributions"
    # Given (even as 0), nothing is assumed.
    r = assess(make(SEPARATED, **{"account.sources.roth_deferral": {**roth, "contributions": 0},
                                  "employment.separation_date": "2024-12-31"}))
    assert not [n for n in r["notes"] if n["code"].startswith("ROTH_")]


def test_the_cost_table_carries_each_rows_reason_and_the_notes(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from dist401k.cli import app

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(make(RULE_55, **{"request.amount": 500000})))
    out = CliRunner().invoke(app, ["assess", str(path)])
    assert out.exit_code == 0, out.output
    table = out.output[out.output.index("What the request would cost"):]
    assert "rule of 55" in table
    assert "check" in table and "received" in table and "kept after" in table
    assert "cash now" not in table
    assert "request.amount" in table


def test_loan_offset_rollover_runs_to_the_extended_due_date(assess):
    # A qualified plan loan offset may be rolled over until the due date, with extensions, of
    # the return for the year of the offset (§402(c)(3)(C); TCJA §13613; Treas. Reg.
    # §1.402(c)-3(b)): April 15 (§6072(a)) and the automatic six months (Treas. Reg.
    # §1.6081-4(a)) — October 15 of the next year.
    left = assess(make({"employment.status": "separated",
                        "employment.separation_date": "2026-03-31",
                        "account.loans": {"outstanding": 6000, "highest_last_12_months": 9000,
                                          "count": 1}}))
    dates = [d["date"] for d in outcome(left, "separation")["deadlines"]
             if "loan offset" in d["what"]]
    assert dates == ["2027-10-15"]
    # Without a loan outstanding there is nothing to roll over.
    none = assess(make({"employment.status": "separated",
                        "employment.separation_date": "2026-03-31"}))
    assert not [d for d in outcome(none, "separation")["deadlines"] if "loan" in d["what"]]


def test_a_secure2_withdrawal_is_repayable_for_three_years(assess):
    # A qualified disaster recovery distribution may be repaid within 3 years of the day after
    # it is received (§72(t)(11)(C)): the deadline names the window and falls 3 years on.
    storm = assess(make({"plan.secure2": {"disaster": True}, "request.purpose": "disaster",
                         "request.event_date": "2026-06-30", "request.disaster_declared": True,
                         "request.amount": 22000}))
    [repay] = [d for d in outcome(storm, "disaster")["deadlines"] if "repay" in d["what"]]
    assert repay == {"what": "repay to a plan or IRA, if you wish (3 years)",
                     "date": "2029-11-23"}


@pytest.mark.parametrize(("birth", "aged"), [("1961-12-31", True), ("1962-01-01", True),
                                             ("1962-01-02", False)])
def test_one_born_on_january_1_is_65_on_the_return_the_year_before(assess, birth, aged):
    """Treas. Reg. §1.151-1(c)(2); IRS Pub. 501: "You are considered 65 on the day before your
    65th birthday" — born January 1, 1962, 65 at the end of 2026: the additional standard
    deduction ($2,050 single, Rev. Proc. 2025-32) and the $6,000 senior deduction
    (§151(d)(5)(C)) on the 2026 return, as for one born December 31, 1961."""
    case = make(SEPARATED, **{"person.birth_date": birth, "request.date": "2026-03-02",
                              "employment.separation_date": "2025-07-01",
                              "income.wages": 20000})
    o = outcome(assess(case), "separation")
    older = outcome(assess(make(SEPARATED, **{"person.birth_date": "1961-06-01",
                                              "request.date": "2026-03-02",
                                              "employment.separation_date": "2025-07-01",
                                              "income.wages": 20000})), "separation")
    assert (o["income_tax_increase"] == pytest.approx(older["income_tax_increase"])) is aged


def test_the_roth_five_years_are_the_plan_account_s_not_each_source_s(assess):
    """Born 1960, 66 in 2026: Roth deferrals since 2021 and Roth money rolled in (2024) from
    another plan.  The five-taxable-year period is the plan's designated Roth account's, from
    its first Roth contribution (2021): a direct rollover in may only start it earlier
    (§402A(d)(2)(B); Treas. Reg. §1.402A-1, Q&A-4(b)).  All $40,000 is a qualified
    distribution: nothing taxable (before, the rolled-in money's $2,000 of earnings was)."""
    r = assess(make({"person.birth_date": "1960-01-01", "employment.status": "active",
                     "request.date": "2026-06-01", "request.destination": "cash",
                     "plan.in_service": {"roth_deferral": {"allowed": True, "min_age": 59.5},
                                         "rollover_roth": {"allowed": True}},
                     "account.sources": {
                         "roth_deferral": {"balance": 30000, "contributions": 20000,
                                           "first_year": 2021},
                         "rollover_roth": {"balance": 10000, "contributions": 8000,
                                           "first_year": 2024}}}))
    o = outcome(r, "in_service", "cash")
    assert o["gross"] == pytest.approx(40000)
    assert o["taxable"] == 0 and o["withholding"] == 0 and o["income_tax_increase"] == 0
