"""`dist401k compare`: a required minimum's tax counted once, the backdoor Roth's pro-rata tax on
the NUA option's rollover, the QCD words and option labels for an heir, and employer stock given
without its value or its cost.  Every expected figure is worked by hand from the rule (Rev. Proc.
2025-32's 2026 figures: single standard deduction $16,100, the 24% bracket from $105,700 to
$201,775; Form 8606 lines 6–18), not read from the program."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dist401k.api import create_app
from dist401k.case import parse_case
from dist401k.cli import app
from dist401k.compare import compare_case
from dist401k.errors import InputError
from dist401k.store import Store

#: The example rmd-retired-younger-spouse.yaml with $150,000 of other income, valued at 77,
#: with a later tax rate of 24% given (so the later values are worked by hand).
RMD_YEAR = {
    "id": "rmd-year",
    "person": {"birth_date": "1951-02-11", "filing_status": "married_joint",
               "spouse_birth_date": "1965-05-20", "spouse_sole_beneficiary": True},
    "employment": {"status": "separated", "hire_date": "1985-01-01",
                   "separation_date": "2020-12-31"},
    "income": {"social_security": 48000, "other_income": 150000, "qualified_dividends": 6000,
               "ordinary_dividends": 8000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 520000}},
                "prior_year_end_balance": 500000},
    "request": {"date": "2026-11-23", "amount": "max", "destination": "all"},
    "assumptions": {"horizon_ages": [77], "later_tax_rate": 0.24},
}

#: A nephew, 73, heir of an owner who died in 2022 after his required beginning date (annual
#: minimums in the ten years, two missed), asking for $100,000.
HEIR = {
    "id": "heir-qcd",
    "person": {"birth_date": "1953-05-05", "filing_status": "single"},
    "income": {"wages": 95000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 250000}}},
    "beneficiary": {"deceased_birth_date": "1949-03-20", "date_of_death": "2022-06-14",
                    "relationship": "individual", "prior_year_end_balance": 262000,
                    "distributed_this_year": 2000,
                    "missed": [{"year": 2023, "shortfall": 6400},
                               {"year": 2025, "shortfall": 7100}]},
    "request": {"date": "2026-11-23", "amount": 100000},
    "assumptions": {"later_tax_rate": 0.24},
}

#: Single, 50, separated in 2026, wages $160,000; $200,000 in the 401(k), $100,000 of it
#: employer stock that cost the plan $20,000; a $7,500 backdoor Roth planned, no IRA held.
NUA_BACKDOOR = {
    "id": "nua-backdoor",
    "person": {"birth_date": "1976-03-01", "filing_status": "single"},
    "employment": {"status": "separated", "hire_date": "2000-01-03",
                   "separation_date": "2026-02-27"},
    "income": {"wages": 160000},
    "plan": {"type": "401k"},
    "account": {"sources": {"elective_deferral": {"balance": 100000},
                            "profit_sharing": {"balance": 100000}},
                "employer_stock": {"value": 100000, "cost_basis": 20000}},
    "request": {"date": "2026-06-01", "amount": "max"},
    "assumptions": {"growth": 0.06, "later_tax_rate": 0.22, "horizon_ages": [60]},
    "iras": {"backdoor_roth_planned": 7500},
}


def _by_name(cmp: dict) -> dict[str, dict]:
    return {o["option"]: o for o in cmp["options"]}


# --- 1. A required minimum's tax is paid out of the minimum, once ---------------------------


def test_in_a_required_minimum_year_rolling_to_another_plan_is_worth_leaving_it():
    """Every option pays the year's minimum, 500,000 / 27.5 (Joint and Last Survivor Table, ages
    75 and 61: Treas. Reg. §1.401(a)(9)-9(d)) = $18,181.82, in cash, its tax netted in what is
    kept.  What stays invested is 520,000 − 18,181.82 = $501,818.18 in every option, so a year
    on, at 24% later tax: left in the plan (5% − 0.5% expenses) 501,818.18 × 1.045 × 0.76 =
    $398,544.00; in a traditional IRA (5% − 0.1%) 501,818.18 × 1.049 × 0.76 = $400,069.53;
    rolled to another plan, the same as left.  The minimum's tax is not taken a second time
    from the rollover (it was, $4,240 less in every rollover's year 0)."""
    cmp = compare_case(parse_case(copy.deepcopy(RMD_YEAR)))
    o = _by_name(cmp)
    assert o["leave"]["gross"] == pytest.approx(500000 / 27.5, abs=0.01)
    rolled = 520000 - round(500000 / 27.5, 2)
    assert o["leave"]["by_year"][1] == pytest.approx(rolled * 1.045 * 0.76, abs=0.05)
    for name in ("separation:other_plan",):
        assert o[name]["by_year"] == pytest.approx(o["leave"]["by_year"], abs=0.01)
        assert o[name]["after_tax_value_at"]["77"] == pytest.approx(
            o["leave"]["after_tax_value_at"]["77"], abs=0.01)
    for name in ("separation:traditional_ira", "separation:indirect_60day"):
        assert o[name]["by_year"][0] == pytest.approx(rolled * 0.76, abs=0.05)
        assert o[name]["by_year"][1] == pytest.approx(rolled * 1.049 * 0.76, abs=0.05)
    # The IRA's lower expenses make it worth more than leaving: the ★ is a rollover to an IRA.
    assert cmp["best_at"]["77"] in ("separation:traditional_ira", "separation:indirect_60day")


def test_in_a_required_minimum_year_a_conversion_counts_only_its_own_tax_as_other_money():
    """The Roth IRA option converts the same $501,818.18 and pays the minimum in cash: of its
    income tax, the minimum's share (the tax "leave it" pays on the same $18,181.82) comes out of
    the minimum; the rest, the conversion's, is paid from other money (docs/compare.md) and
    comes off what is invested, once: year 0 is 501,818.18 less that rest."""
    o = _by_name(compare_case(parse_case(copy.deepcopy(RMD_YEAR))))
    roth, leave = o["separation:roth_ira"], o["leave"]
    conversion_tax = roth["income_tax_now"] - leave["income_tax_now"]
    assert conversion_tax > 100000
    assert roth["by_year"][0] == pytest.approx(520000 - leave["gross"] - conversion_tax, abs=0.05)


def test_an_heirs_transfer_in_a_required_minimum_year_is_not_short_by_the_minimums_tax():
    """The heir's minimum (the year's and the two missed) is paid in cash by every option; the
    rest of the $100,000 is left in the plan (5% − 0.5%) or moved to an inherited IRA (5% −
    0.1%).  Year 0 is the same for both (the same pre-tax money at 24%); a year on the inherited
    IRA is worth more, and so takes the ★ (it was short by the minimum's tax, and "leave" had
    it)."""
    cmp = compare_case(parse_case(copy.deepcopy(HEIR)))
    o = _by_name(cmp)
    rolled = 100000 - o["leave"]["gross"]
    ira = o["beneficiary:traditional_ira"]
    assert ira["by_year"][0] == pytest.approx(rolled * 0.76, abs=0.05)
    assert ira["by_year"][1] == pytest.approx(rolled * 1.049 * 0.76, abs=0.05)
    assert o["leave"]["by_year"][1] == pytest.approx(rolled * 1.045 * 0.76, abs=0.05)
    assert set(cmp["best_at"].values()) == {"beneficiary:traditional_ira"}


# --- 2. The NUA option's rollover makes the backdoor Roth taxable, as every rollover does -----


def test_the_nua_options_rollover_counts_in_form_8606_line_6():
    """The NUA option rolls the other $100,000 to a traditional IRA.  Form 8606: line 6
    $100,000; line 9 $107,500; line 10 7,500 / 107,500 = 0.070 (three places); line 11 $525; so
    $6,975 of the $7,500 conversion is taxable.  Taxable income with the shares' $20,000 cost is
    160,000 − 16,100 + 20,000 = $163,900, in the 24% bracket, and stays there with $6,975 more:
    $1,674.00.  The cost's own tax is 20,000 × 24% = $4,800 and its 10% tax $2,000 (separated at
    50), so the income tax now is $6,474 and what is kept after all tax −$8,474 (the review's
    figures, with Tax-Calculator's 33,608 − 27,134 = 6,474)."""
    nua = _by_name(compare_case(parse_case(copy.deepcopy(NUA_BACKDOOR))))["separation:nua"]
    assert nua["backdoor_tax"] == pytest.approx(1674.00, abs=0.01)
    assert nua["backdoor_tax_detail"]["taxable_with"] == pytest.approx(6975.00, abs=0.01)
    assert nua["income_tax_now"] == pytest.approx(6474.00, abs=0.01)
    assert nua["kept_after_all_tax"] == pytest.approx(-8474.00, abs=0.01)
    assert any("backdoor Roth" in n and "$6,975.00" in n for n in nua["notes"])


def test_the_backdoor_tax_moves_the_star_off_the_nua_option():
    """Single, 56 (rule of 55), wages $150,000, $210,000 with $10,000 of stock that cost $3,000,
    a $7,500 backdoor, expenses 0.1% in plan and IRA alike.  The NUA option rolls $200,000:
    line 10 is 7,500 / 207,500 = 0.036, line 11 $270, $7,230 taxable, in the 24% bracket
    (150,000 − 16,100 + 3,000 = $136,900 before it): $1,735.20.  With it counted, NUA is worth
    less than leaving the money (equal expenses; leaving owes no tax now), and the ★ is no
    longer NUA's."""
    data = copy.deepcopy(NUA_BACKDOOR)
    data.update({
        "person": {"birth_date": "1970-01-01", "filing_status": "single"},
        "income": {"wages": 150000},
        "account": {"sources": {"elective_deferral": {"balance": 200000},
                                "profit_sharing": {"balance": 10000}},
                    "employer_stock": {"value": 10000, "cost_basis": 3000}},
        "assumptions": {"growth": 0.06, "plan_expense": 0.001, "ira_expense": 0.001,
                        "later_tax_rate": 0.24, "horizon_ages": [66]}})
    cmp = compare_case(parse_case(data))
    o = _by_name(cmp)
    assert o["separation:nua"]["backdoor_tax"] == pytest.approx(1735.20, abs=0.01)
    assert o["separation:nua"]["after_tax_value_at"]["66"] < o["leave"]["after_tax_value_at"]["66"]
    assert cmp["best_at"]["66"] != "separation:nua"


def test_the_nua_option_without_a_backdoor_owes_no_backdoor_tax():
    data = copy.deepcopy(NUA_BACKDOOR)
    del data["iras"]
    nua = _by_name(compare_case(parse_case(data)))["separation:nua"]
    assert nua.get("backdoor_tax") is None
    assert nua["income_tax_now"] == pytest.approx(4800.00, abs=0.01)


# --- 3. An heir's words: an inherited IRA, not a rollover to their own IRA -----------------------


def test_the_qcd_warning_tells_a_non_spouse_heir_of_the_inherited_ira():
    """A non-spouse heir can move plan money only by direct transfer to an inherited IRA
    (IRC §402(c)(11)), from which a QCD is allowed at 70½ (§408(d)(8); Notice 2007-7,
    Q&A-37): the warning says so, and not "roll the money to a traditional IRA first"."""
    cmp = compare_case(parse_case(copy.deepcopy(HEIR)))
    (qcd,) = [t for t in cmp["traps"] if t["code"] == "QCD_NOT_FROM_PLAN"]
    words = qcd.get("text") or json.dumps(qcd)
    assert "Roll the money to a traditional IRA first" not in words
    assert "inherited IRA" in words and "70½" in words
    assert "§402(c)(11)" in qcd["citation"] and "Notice 2007-7" in qcd["citation"]
    labels = {o["option"]: o["label"] for o in cmp["options"]}
    assert "inherited IRA" in labels["beneficiary:traditional_ira"]
    assert "roll to a traditional IRA" not in labels["beneficiary:traditional_ira"]
    assert "inherited Roth IRA" in labels["beneficiary:roth_ira"]


def test_the_qcd_warning_still_tells_a_participant_to_roll_to_an_ira():
    data = {"id": "qcd-72", "person": {"birth_date": "1954-03-01", "filing_status": "single"},
            "employment": {"status": "separated", "hire_date": "1990-01-02",
                           "separation_date": "2020-06-30"},
            "income": {"social_security": 30000}, "plan": {"type": "401k"},
            "account": {"prior_year_end_balance": 300000,
                        "sources": {"elective_deferral": {"balance": 300000}}},
            "request": {"date": "2026-06-01", "amount": 20000}}
    cmp = compare_case(parse_case(data))
    (qcd,) = [t for t in cmp["traps"] if t["code"] == "QCD_NOT_FROM_PLAN"]
    assert "Roll the money to a traditional IRA first" in json.dumps(qcd, ensure_ascii=False)
    labels = {o["option"]: o["label"] for o in cmp["options"]}
    assert labels["separation:traditional_ira"].endswith("roll to a traditional IRA")


# --- 4. Employer stock without its value or its cost is refused, not guessed --------------------


@pytest.mark.parametrize("stock, field", [
    ({"value": 100000}, "account.employer_stock.cost_basis"),
    ({"cost_basis": 20000}, "account.employer_stock.value"),
])
def test_employer_stock_missing_its_value_or_cost_is_a_one_line_error(stock, field, tmp_path):
    data = copy.deepcopy(NUA_BACKDOOR)
    data["account"]["employer_stock"] = stock
    with pytest.raises(InputError) as exc:
        parse_case(data)
    (found,) = [str(p) for p in exc.value.problems]
    assert found.startswith(f"{field}: required") and "\n" not in found
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data))
    r = CliRunner().invoke(app, ["compare", str(path)])
    assert r.exit_code == 2 and field in r.output and "Traceback" not in r.output, r.output
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 't.db'}"), token=""))
    api = client.post("/compare", json=data)
    assert api.status_code == 422, api.text
    assert any(".".join(map(str, d["loc"][1:])) == field for d in api.json()["detail"])


@pytest.mark.parametrize("stock", [{"value": 100000, "cost_basis": 0}, {}, {"value": 0}])
def test_employer_stock_given_in_full_or_not_at_all_is_accepted(stock):
    data = copy.deepcopy(NUA_BACKDOOR)
    data["account"]["employer_stock"] = stock
    assert parse_case(data).account.employer_stock.cost_basis == stock.get("cost_basis", 0)


# --- 5. A conversion's 10% within its 5 years is told by its own rule; the W-4R choice -------

ROTH_IRA = {
    "id": "roth-conv-edge",
    "person": {"birth_date": "1981-02-14", "filing_status": "single"},
    "employment": {"status": "active", "hire_date": "2012-03-01"},
    "income": {"wages": 82000},
    "plan": {"type": "401k", "hardship": {"allowed": True}},
    "account": {"sources": {"elective_deferral": {"balance": 64000}}},
    "iras": {"roth": 30000, "roth_first_year": 2021, "roth_contributions": 0,
             "roth_conversions": [{"year": 2021, "amount": 5000, "taxable_amount": 5000},
                                  {"year": 2022, "amount": 5000, "taxable_amount": 5000}]},
    "request": {"date": "2026-11-23", "amount": 10000, "purpose": "medical"},
}


def test_a_conversions_10_percent_within_5_years_cites_408a_d_3_f():
    """At 45, $10,000 from a Roth IRA holding no contributions: conversions first, oldest first
    (§408A(d)(4)(B)).  The 2021 conversion's 5 taxable years (2021–2025) are over; the 2022
    one's (2022–2026) are not, so its $5,000 taxable part owes 10%, $500 — under
    §408A(d)(3)(F), nothing of it being income (§72(t)(1) reaches only income)."""
    o = _by_name(compare_case(parse_case(copy.deepcopy(ROTH_IRA))))["roth_ira:cash"]
    assert o["penalty_now"] == pytest.approx(500.00, abs=0.01)
    assert o["why"]["additional_tax_72t"].startswith("$500: ")
    assert "§408A(d)(3)(F)" in o["why"]["additional_tax_72t"]
    assert "§72(t)(1)" not in o["why"]["additional_tax_72t"]
    assert "§408A(d)(3)(F)" in o["why"]["short"]


def test_a_need_priced_at_the_default_withholding_notes_the_w4r_choice():
    """$15,000 needed: $9,000 of contributions and the 2019 conversion's $6,000 (its 5 years
    over) cover it with no tax at all; at the default 10% withholding (§3405(b)(1)) the gross
    asked is $16,666.67 and its top reaches the 2024 conversion, under the 10% tax.  A note
    says that choosing no withholding on Form W-4R (§3405(b)(2)) asks less."""
    data = copy.deepcopy(ROTH_IRA)
    data["iras"] = {"roth": 38000, "roth_first_year": 2016, "roth_contributions": 9000,
                    "roth_conversions": [{"year": 2019, "amount": 6000, "taxable_amount": 6000},
                                         {"year": 2024, "amount": 7000, "taxable_amount": 7000}]}
    data["request"] = {"date": "2026-11-23", "amount": 15000, "purpose": "medical",
                       "need": 15000}
    o = _by_name(compare_case(parse_case(data)))["roth_ira:cash"]
    assert o["gross"] == pytest.approx(15000 / 0.9, abs=0.01)
    assert o["penalty_now"] == pytest.approx((15000 / 0.9 - 15000) * 0.10, abs=0.01)
    assert any("Form W-4R" in n and "§3405(b)(1), (b)(2)" in n for n in o["notes"])
    del data["request"]["need"]
    o = _by_name(compare_case(parse_case(data)))["roth_ira:cash"]
    assert not any("§3405(b)(1), (b)(2)" in n for n in o["notes"])
