"""72(t) substantially equal periodic payments, checked against figures from outside dist401k:
the IRS SEPP FAQ examples under Notice 2022-6 (age 50, $400,000, 4%: RMD $11,050, amortization
factor 18.9559 and $21,102, annuity factor 18.1568 and $22,030) and under Rev. Rul. 2002-62 with
the old tables' figures as inputs (life expectancy 34.2, 2.98%: $11,696, $18,811; annuity
factor 21.345: $18,740), the Single Life Table of Treas. Reg. §1.401(a)(9)-9(b), the ceiling
rule, the length of the series, the one-time switch, the recapture and the CLI."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from dist401k.case import load_case, parse_case
from dist401k.cli import app
from dist401k.errors import InputError
from dist401k.law import default_law
from dist401k.sepp import (
    SeppProjection,
    amortization_factor,
    annuity_factor,
    life_expectancy,
    sepp_amortization_payment,
    sepp_annuitization_payment,
    sepp_cases,
    sepp_end,
    sepp_modification_cost,
    sepp_rate_ceiling,
    sepp_rmd_payment,
    sepp_schedule,
)

LAW = default_law()
#: The balance growing 5% a year after each payment.
GROWTH_5 = SeppProjection(0.05)
EXAMPLE = Path(__file__).parents[2] / "examples" / "cases" / "sepp-early-retiree.yaml"
runner = CliRunner()


# -- the tables -------------------------------------------------------------------------------

# Treas. Reg. §1.401(a)(9)-9(b) / Pub. 590-B Table I, read independently of the YAML file.
SINGLE_LIFE_SPOTS = {0: 84.6, 10: 74.9, 25: 60.2, 35: 50.5, 48: 38.1, 50: 36.2, 51: 35.3,
                     55: 31.6, 57: 29.8, 60: 27.1, 64: 23.7, 72: 17.2, 75: 14.8, 81: 10.5,
                     100: 2.8, 119: 1.1, 120: 1.0}


def test_single_life_table_spot_values():
    ages = np.array(list(SINGLE_LIFE_SPOTS))
    got = LAW.table("rmd.single_life", 2026, ages)
    assert got.tolist() == list(SINGLE_LIFE_SPOTS.values())
    assert LAW.param("rmd.single_life").keys == tuple(range(121))


def test_single_life_table_never_rises_with_age():
    v = LAW.table("rmd.single_life", 2026, np.arange(121))
    assert np.all(np.diff(v) <= 0)


def _survival(q, age):
    t = np.arange(130)
    return np.cumprod(1 - q[np.clip(age + t, 0, 120)])


def test_mortality_rates_give_the_single_life_table():
    # The 2022 tables were built from the §1.401(a)(9)-9(e) rates: each life expectancy they
    # give is within 0.1 year of the table (curtate expectancy + ½).
    q = LAW.table("sepp.mortality", 2026, np.arange(121))
    table = LAW.table("rmd.single_life", 2026, np.arange(121))
    for age in range(110):
        assert abs(_survival(q, age).sum() + 0.5 - table[age]) < 0.1, age


def test_uniform_table_for_sepp_matches_the_rmd_table_and_the_mortality_rates():
    ages = np.arange(72, 121)
    assert np.array_equal(LAW.table("sepp.uniform_lifetime", 2026, ages),
                          LAW.table("rmd.uniform_lifetime", 2026, ages))
    q = LAW.table("sepp.mortality", 2026, np.arange(121))
    u = LAW.table("sepp.uniform_lifetime", 2026, np.arange(10, 110))
    for i, age in enumerate(range(10, 110)):
        a, b = _survival(q, age), _survival(q, age - 10)
        assert abs((a + b - a * b).sum() + 0.5 - u[i]) < 0.1, age


# -- the three methods: the IRS examples ------------------------------------------------------

def test_irs_faq_example_2022_tables():
    le, held = life_expectancy(LAW, 2023, 0, 50)
    assert le == 36.2 and held
    assert round(float(sepp_rmd_payment(400000, le))) == 11050
    assert round(float(amortization_factor(le, 0.04)), 4) == 18.9559
    assert round(float(sepp_amortization_payment(400000, le, 0.04))) == 21102
    f = annuity_factor(LAW, 2023, 50, 0.04)
    assert round(float(f[0]), 4) == 18.1568
    assert round(float(sepp_annuitization_payment(400000, f)[0])) == 22030


def test_rev_rul_2002_62_era_example_with_its_stated_inputs():
    # The IRS FAQ example under Rev. Rul. 2002-62 (old tables): age 50, $400,000, 2.98%;
    # single life expectancy 34.2 (33.3 at 51), annuity factor 21.345 from its Appendix B.
    assert round(float(sepp_rmd_payment(400000, 34.2))) == 11696
    assert round(float(sepp_rmd_payment(408304, 33.3))) == 12261
    assert round(float(sepp_amortization_payment(400000, 34.2, 0.0298))) == 18811
    assert round(float(sepp_annuitization_payment(400000, 21.345))) == 18740


def test_joint_and_uniform_tables():
    le, held = life_expectancy(LAW, 2026, [1, 2, 2], [57, 57, 57], [0, 45, 50])
    assert le[0] == LAW.table("sepp.uniform_lifetime", 2026, 57)
    assert le[1] == LAW.table("rmd.joint_life", 2026, 57045) and held[1]
    # A beneficiary fewer than ten years younger: the shipped joint table has no such pair.
    assert np.isnan(le[2]) and not held[2]


def test_joint_annuity_factor_is_longer_than_single():
    single = annuity_factor(LAW, 2026, 57, 0.05)
    joint = annuity_factor(LAW, 2026, 57, 0.05, 40)
    assert joint[0] > single[0]


# -- the rate ceiling -------------------------------------------------------------------------

def test_ceiling_is_greater_of_5_percent_and_120_percent_of_midterm():
    got = sepp_rate_ceiling(LAW, [2023, 2023, 2023], [[0.0398, 0.0428], [0.03, 0.02],
                                                      [0.045, np.nan]])
    assert got == pytest.approx([0.05136, 0.05, 0.054])


def test_before_2022_no_floor_only_120_percent():
    assert sepp_rate_ceiling(LAW, [2021], [[0.0100, 0.0120]]) == pytest.approx([0.0144])
    assert sepp_rate_ceiling(LAW, [2022], [[0.0100, 0.0120]]) == pytest.approx([0.05])


# -- how long the series runs -----------------------------------------------------------------

def test_started_at_57_runs_five_years_to_62():
    sch = sepp_schedule(LAW, "1969-03-10", "2026-03-01", 500000, 0.05, 0, None, GROWTH_5)
    assert str(sch["end"][0]) == "2031-03-01"
    assert sch["payments"][0] == 5
    assert sch["age"][0, :5].tolist() == [57, 58, 59, 60, 61]


def test_started_at_52_runs_to_59_and_a_half():
    sch = sepp_schedule(LAW, "1974-03-10", "2026-03-01", 500000, 0.05, 0, None, GROWTH_5)
    assert str(sch["end"][0]) == "2033-09-10"  # 59½, later than March 2031
    assert sch["payments"][0] == 8  # March 2026 … March 2033


def test_irs_faq_modification_dates():
    # Born August 15, 1968, first payment December 1, 2024: 59½ on February 15, 2028; the
    # fifth anniversary, December 1, 2029, is later.
    assert str(sepp_end(LAW, ["1968-08-15"], ["2024-12-01"])[0]) == "2029-12-01"


def test_rmd_method_recomputed_each_year_fixed_methods_level():
    sch = sepp_schedule(LAW, "1969-03-10", "2026-03-01", 500000, 0.05, 0, None, GROWTH_5)
    rmd, amort = sch["payment_rmd"][0, :5], sch["payment_amortization"][0, :5]
    bal = sch["balance_rmd"][0, :5]
    assert rmd == pytest.approx(bal / np.array([29.8, 28.9, 28.0, 27.1, 26.2]))
    assert bal[1] == pytest.approx((500000 - 500000 / 29.8) * 1.05)
    assert np.all(np.diff(rmd) != 0)
    assert np.allclose(amort, amort[0])


def test_one_time_switch_to_rmd_method():
    sch = sepp_schedule(LAW, "1969-03-10", "2026-03-01", 500000, 0.05, 0, None,
                        SeppProjection(0.05, [2028]))
    a, bal = sch["payment_amortization"][0, :5], sch["balance_amortization"][0, :5]
    assert a[0] == a[1]
    le = np.array([28.0, 27.1, 26.2])
    assert a[2:] == pytest.approx(bal[2:] / le)


def test_batch_of_accounts_matches_one_by_one():
    args = (["1969-03-10", "1974-03-10"], ["2026-03-01", "2026-03-01"], [500000, 250000],
            [0.05, 0.045], [0, 1], None)
    growth = [0.05, 0.03]
    both = sepp_schedule(LAW, *args, SeppProjection(growth))
    for i in range(2):
        one = sepp_schedule(LAW, *(a[i] if isinstance(a, list) else a for a in args),
                            SeppProjection(growth[i]))
        k = one["payments"][0]
        assert both["payment_annuitization"][i, :k] == pytest.approx(
            one["payment_annuitization"][0, :k])


# -- breaking the series ----------------------------------------------------------------------

def test_modification_cost_recaptures_10_percent_plus_interest():
    sch = sepp_schedule(LAW, "1969-03-10", "2026-03-01", 500000, 0.05, 0, None, GROWTH_5)
    c = sepp_modification_cost(LAW, sch["date"], sch["payment_amortization"], ["1969-03-10"],
                               ["2028-06-01"], sch["end"])
    p = sch["payment_amortization"][0, 0]
    assert c["modified_early"][0]
    assert c["recaptured_payments"][0] == pytest.approx(3 * p)  # 2026, 2027, 2028 payments
    assert c["recapture_tax"][0] == pytest.approx(round(0.3 * p, 2))
    # 2026 payment: interest from 2027-04-15 to 2029-04-15; 2027: to 2029-04-15; 2028: none.
    # 7% a year, compounded daily (§6622): 1/365 of it a day, 1/366 in the leap year 2028.
    d365, d366 = np.log1p(0.07 / 365), np.log1p(0.07 / 366)
    y2027 = 261 * d365  # 2027-04-15 .. 2028-01-01
    y2028 = 366 * d366
    y2029 = 104 * d365  # 2029-01-01 .. 2029-04-15
    two = np.exp(y2027 + y2028 + y2029) - 1
    one = np.exp(261 * d366 + y2029) - 1  # 2028-04-15 .. 2029-04-15
    assert c["interest"][0] == pytest.approx(round(0.1 * p * (two + one), 2), abs=0.01)
    assert c["total"][0] == pytest.approx(c["recapture_tax"][0] + c["interest"][0], abs=0.01)


def test_no_recapture_after_the_series_may_end_or_on_payments_after_59_half():
    sch = sepp_schedule(LAW, "1969-03-10", "2026-03-01", 500000, 0.05, 0, None, GROWTH_5)
    after = sepp_modification_cost(LAW, sch["date"], sch["payment_rmd"], ["1969-03-10"],
                                   ["2031-04-01"], sch["end"])
    assert not after["modified_early"][0] and after["total"][0] == 0
    late = sepp_modification_cost(LAW, sch["date"], sch["payment_rmd"], ["1969-03-10"],
                                  ["2030-06-01"], sch["end"])
    # Five payments made, but only the three before 59½ (September 2028) were exempted.
    assert late["recaptured_payments"][0] == pytest.approx(sch["payment_rmd"][0, :3].sum())


# -- cases and the command --------------------------------------------------------------------

def base_case(**sepp) -> dict:
    return {
        "person": {"birth_date": "1969-03-10"},
        "employment": {"status": "separated", "hire_date": "2001-01-01",
                       "separation_date": "2022-09-30"},
        "plan": {"type": "401k"},
        "account": {"sources": {"elective_deferral": {"balance": 500000}}},
        "request": {"date": "2026-03-01"},
        "sepp": {"first_payment_date": "2026-03-01", "federal_midterm_rates": [0.0381, 0.0379],
                 **sepp},
    }


def codes(r):
    return {x["code"] for x in r["reasons"]}


def test_case_defaults_rate_to_ceiling_and_balance_to_account():
    r = sepp_cases([parse_case(base_case())])[0]
    assert r["available"] and r["interest_rate"] == 0.05 and r["balance"] == 500000
    assert r["series_ends"] == "2031-03-01" and len(r["schedule"]) == 5
    assert "SP_PLAN_SEPARATED" in codes(r)


def test_from_the_plan_while_still_employed_is_refused_with_the_rule():
    c = base_case()
    c["employment"] = {"status": "active", "hire_date": "2001-01-01"}
    r = sepp_cases([parse_case(c)])[0]
    assert not r["available"]
    why = next(x for x in r["reasons"] if x["code"] == "SP_PLAN_NOT_SEPARATED")
    assert "§72(t)(3)(B)" in why["citation"]
    # From an IRA the same person may start a series.
    c["iras"] = {"traditional": 300000}
    c["sepp"]["account"] = "ira"
    r = sepp_cases([parse_case(c)])[0]
    assert r["available"] and r["balance"] == 300000 and "SP_IRA" in codes(r)


def test_rate_above_ceiling_is_refused():
    r = sepp_cases([parse_case(base_case(interest_rate=0.06))])[0]
    assert not r["available"] and "SP_RATE_ABOVE_CEILING" in codes(r)


@pytest.mark.parametrize("change, field", [
    ({"table": "joint"}, "sepp.beneficiary_birth_date"),
    ({"federal_midterm_rates": [4.1, 4.0]}, "sepp.federal_midterm_rates.0"),
    ({"interest_rate": -0.01}, "sepp.interest_rate"),
    ({"modification_date": "2025-01-01"}, "sepp.modification_date"),
    ({"first_payment_date": "2021-06-01"}, "sepp.first_payment_date"),
    ({"federal_midterm_rates": None}, "sepp.federal_midterm_rates"),
    ({"tabel": "single"}, "sepp.tabel"),
])
def test_bad_input_names_the_field(change, field):
    c = base_case()
    for k, v in change.items():
        if v is None:
            c["sepp"].pop(k)
        else:
            c["sepp"][k] = v
    with pytest.raises(InputError) as exc:
        sepp_cases([parse_case(copy.deepcopy(c))])
    assert field in {p.field for p in exc.value.problems}


def test_cli_table_output():
    r = runner.invoke(app, ["sepp", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    for text in ("RMD method", "Fixed amortization", "Fixed annuitization", "2031-03-01",
                 "ceiling", "§72(t)(3)(B)", "Breaking the series", "32,622.01"):
        assert text in r.output, text


def test_cli_json_output():
    r = runner.invoke(app, ["sepp", "--json", str(EXAMPLE)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["series_ends"] == "2031-03-01" and out["rate_ceiling"] == 0.05
    assert [row["age"] for row in out["schedule"]] == [57, 58, 59, 60, 61]
    assert out["modification"]["amortization"]["modified_early"] is True
    assert all(x["citation"] for x in out["reasons"])


def test_cli_bad_input_exits_2_naming_the_field(tmp_path):
    c = load_case(EXAMPLE).model_dump(mode="json", exclude_none=True)
    c["sepp"]["table"] = "joint"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(c))
    r = runner.invoke(app, ["sepp", str(bad)])
    assert r.exit_code == 2
    assert "sepp.beneficiary_birth_date" in r.output


def test_compare_offers_the_series_without_the_10_percent_tax():
    """`dist401k compare` lists a 72(t) series by each method: its first payment, taxed as
    income and free of the 10% tax, the rest left in the account."""
    from dist401k.compare import compare_case
    from dist401k.sepp import sepp_cases

    case = load_case(EXAMPLE)
    first = sepp_cases([case])[0]["first_year"]
    options = {o["option"]: o for o in compare_case(case)["options"]}
    for m in ("rmd", "amortization", "annuitization"):
        o = options[f"sepp:{m}"]
        assert o["gross"] == pytest.approx(first[m], abs=0.01)
        assert o["penalty_now"] == 0.0
        assert o["cash_now"] == pytest.approx(o["gross"] - o["income_tax_now"], abs=0.01)
    assert options["separation:cash"]["penalty_now"] > 0
