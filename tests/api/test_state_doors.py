"""State income tax through every door: a case file (assess), a flat batch row (the outcome
job) and the API give the same figures, worked by hand from the state's own instructions.

California 2025 (Form 540 instructions, FTB 3805P): single, federal AGI $40,000, no Social
Security; standard deduction $5,706 → taxable $34,294; tax 1% × 11,079 + 2% × (26,264 − 11,079)
+ 4% × (34,294 − 26,264) = 110.79 + 303.70 + 321.20 = $735.69; less the personal exemption
credit $153 → $582.69.  The 2.5% additional tax (R&TC §17085(c)(1)) reaches only what §72(t)
reaches: none after separation in the year of turning 55; $1,000.00 on $40,000 otherwise.

Pennsylvania 2026 (PA-40 instructions): 3.07% on an early distribution (not retired under the
plan's conditions): 0.0307 × 30,000 = $921.00, no forgiveness at that income; none once retired
having met them (61 Pa. Code §101.6(c)(8)).
"""

from __future__ import annotations

import copy
import json
import re

import pyarrow as pa
import pytest

from api.conftest import EXAMPLES, example
from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law

LAW = default_law()
STATE_KEYS = ("state_income_tax_increase", "state_additional_tax", "state_covered")


def cash_outcome(case: dict) -> dict:
    answer = assess_cases([parse_case(case)])[0]
    return next(o for o in answer["outcomes"] if o["destination"] == "cash")


def pat(**changes) -> dict:
    case = copy.deepcopy(example("pat-california-rule-of-55"))
    for path, value in changes.items():
        *parents, last = path.split("__")
        node = case
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return case


def test_pat_california_rule_of_55_pays_the_income_tax_not_the_early_tax():
    o = cash_outcome(pat())
    assert o["state_covered"] is True
    assert o["state_income_tax_increase"] == 582.69
    assert o["state_additional_tax"] == 0.0
    assert o["additional_tax_72t"] == 0.0
    assert o["kept_after_all_tax"] == round(40000 - o["income_tax_increase"] - 582.69, 2)


def test_pat_separated_at_54_pays_californias_two_and_a_half_percent():
    o = cash_outcome(pat(employment__separation_date="2023-12-15"))
    assert o["additional_tax_72t"] == 4000.0
    assert o["state_additional_tax"] == 1000.0
    assert o["state_income_tax_increase"] == 582.69
    assert "STATE_CA_EARLY_TAX" in [r["code"] for r in o["reasons"]]
    assert o["kept_after_all_tax"] == round(
        40000 - o["income_tax_increase"] - 4000 - 582.69 - 1000, 2)


def test_pennsylvania_retiree_of_60_pays_no_pennsylvania_tax():
    o = cash_outcome(example("pennsylvania-retiree-60"))
    assert o["state_income_tax_increase"] == 0.0 and o["state_additional_tax"] == 0.0
    assert o["income_tax_increase"] > 0
    assert "STATE_PA_RETIREMENT_EXEMPT" in [r["code"] for r in o["reasons"]]


def test_pennsylvania_before_the_plans_retirement_age_is_taxed():
    case = example("pennsylvania-retiree-60")
    case["plan"]["retirement_age"] = 62
    o = cash_outcome(case)
    assert o["state_income_tax_increase"] == 921.0
    assert "STATE_PA_EARLY_TAXABLE" in [r["code"] for r in o["reasons"]]


#: Notes of the notices the law requires (docs/assess.md): not what these tests are about.
NOTICES = {"NOTICE_402F", "SPOUSAL_CONSENT", "SPOUSAL_CONSENT_LOAN"}


def assumed(answer: dict) -> list[dict]:
    """The answer's notes other than the notices."""
    return [n for n in answer["notes"] if n["code"] not in NOTICES]


def test_pennsylvania_says_when_the_plans_retirement_age_was_assumed():
    case = example("pennsylvania-retiree-60")
    del case["plan"]["retirement_age"]
    case["person"]["birth_date"] = "1967-01-10"  # 59 on the request date: before 59½
    answer = assess_cases([parse_case(case)])[0]
    cash = next(o for o in answer["outcomes"] if o["destination"] == "cash")
    assert cash["state_income_tax_increase"] == 921.0
    assert [n["code"] for n in assumed(answer)] == ["PLAN_RETIREMENT_AGE_ASSUMED"]
    assert assumed(assess_cases([parse_case(example("pennsylvania-retiree-60"))])[0]) == []


def test_a_state_not_covered_says_so_rather_than_zero(uncovered_state):
    case = pat(person__state=uncovered_state)
    answer = assess_cases([parse_case(case)])[0]
    o = answer["outcomes"][0]
    assert o["state_covered"] is False
    assert o["state_income_tax_increase"] is None and o["state_additional_tax"] is None
    assert "STATE_NOT_COVERED" in [r["code"] for r in o["reasons"]]
    assert [(n["code"], n["field"]) for n in assumed(answer)] == [
        ("STATE_NOT_COVERED", "person.state")]
    # kept_after_all_tax leaves the unknown state tax out (it is not taken as zero silently:
    # the note and the reason say so)
    assert o["kept_after_all_tax"] == round(40000 - o["income_tax_increase"], 2)


def test_a_covered_state_whose_rule_needs_a_fact_not_given_says_which():
    # Arkansas taxes half of a long-term gain and interest in full: with other income of no
    # kind the case gives (`other_income`) the figure is unknown, and the note does not call a
    # covered state "not covered".  Interest, dividends and gains it figures (below).
    answer = assess_cases([parse_case(pat(person__state="AR", income__other_income=2000))])[0]
    o = answer["outcomes"][0]
    assert o["state_covered"] is False and o["state_income_tax_increase"] is None
    assert "STATE_AR_OTHER_INCOME_NOT_MODELLED" in [r["code"] for r in o["reasons"]]
    assert [(n["code"], n["field"]) for n in assumed(answer)] == [
        ("STATE_NOT_FIGURED", "person.state")]
    assert cash_outcome(pat(person__state="AR"))["state_covered"] is True


def test_no_state_no_state_figures():
    case = pat()
    del case["person"]["state"]
    answer = assess_cases([parse_case(case)])[0]
    assert "state" not in answer
    assert not any(k in o for o in answer["outcomes"] for k in STATE_KEYS)
    assert not any(r["code"].startswith("STATE_") for o in answer["outcomes"]
                   for r in o["reasons"])


def test_state_code_in_either_case_and_a_bad_one_named():
    assert parse_case(pat(person__state=" ca ")).person.state == "CA"
    with pytest.raises(InputError) as exc:
        parse_case(pat(person__state="XX"))
    assert [p.field for p in exc.value.problems] == ["person.state"]
    assert "is not a US state code" in str(exc.value.problems[0])


def pat_row(state: str) -> pa.Table:
    return pa.table({
        "participant_id": ["pat"], "request_date": ["2025-10-15"], "birth_date": ["1969-06-12"],
        "plan_type": ["401k"], "state": [state], "employment_status": ["separated"],
        "hire_date": ["2009-02-02"], "separation_date": ["2024-12-13"],
        "balance_elective_deferral": [180000.0], "balance_match": [60000.0],
        "request_amount": [40000.0], "request_route": ["separation"],
        "request_destination": ["cash"]})


def test_the_same_answer_in_a_flat_batch_row_and_the_api(client):
    want = cash_outcome(pat())
    row = run_job(pat_row("ca"), "outcome", LAW).to_pylist()[0]
    assert row["status"] == "ok"
    for k in STATE_KEYS + ("kept_after_all_tax",):
        got = row[k if k != "kept_after_all_tax" else "after_all_taxes"]
        assert got == want[k], k
    r = client.post("/assess", json=json.loads(json.dumps(pat(), default=str)))
    assert r.status_code == 200
    body = r.json()
    body = body[0] if isinstance(body, list) else body
    api = next(o for o in body["outcomes"] if o["destination"] == "cash")
    assert {k: api[k] for k in STATE_KEYS} == {k: want[k] for k in STATE_KEYS}


def test_a_bad_state_is_an_error_row_and_a_422(client):
    out = run_job(pat_row("Ca."), "outcome", LAW).to_pylist()[0]
    assert out["status"] == "error" and out["error_column"] == "state"
    assert "is not a US state code" in out["error_message"]
    r = client.post("/assess", json=json.loads(json.dumps(pat(person__state="ZZ"), default=str)))
    assert r.status_code == 422
    assert [d["loc"][-2:] for d in r.json()["detail"]] == [["person", "state"]]


def test_a_batch_without_a_state_column_has_no_state_columns():
    table = pat_row("ca").drop_columns(["state"])
    assert not any(c.startswith("state") for c in run_job(table, "outcome", LAW).column_names)



TAX_UNITS = """tax_year,filing_status,age_head,taxable_distributions,early_distributions,state,\
plan_retirement_conditions_met
2025,single,56,40000,0,CA,1
2025,single,56,40000,40000,ca,0
2026,single,60,30000,0,PA,1
2026,single,60,30000,0,PA,0
2026,single,60,30000,0,{uncovered},1
"""


def test_the_tax_command_gives_the_same_state_figures(tmp_path, uncovered_state):
    from typer.testing import CliRunner

    from dist401k.cli import app

    src, out = tmp_path / "units.csv", tmp_path / "out.json"
    src.write_text(TAX_UNITS.format(uncovered=uncovered_state))
    r = CliRunner().invoke(app, ["tax", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    rows = json.loads(out.read_text())
    got = [(x["state_income_tax"], x["state_additional_tax"], x["state_covered"]) for x in rows]
    assert got == [(582.69, 0.0, True), (582.69, 1000.0, True), (0.0, 0.0, True),
                   (921.0, 0.0, True), (None, None, False)]
    assert cash_outcome(pat())["state_income_tax_increase"] == rows[0]["state_income_tax"]


def test_the_tax_command_names_a_bad_state_row(tmp_path):
    from typer.testing import CliRunner

    from dist401k.cli import app

    src = tmp_path / "units.csv"
    src.write_text("tax_year,filing_status,state\n2025,single,CA\n2025,single,XX\n")
    r = CliRunner().invoke(app, ["tax", str(src)])
    assert r.exit_code == 2
    assert "row 2, state: is not a US state code" in r.output
    assert "Traceback" not in r.output


def test_the_batch_tax_job_keeps_a_bad_state_row_as_an_error_row(uncovered_state):
    import pyarrow.csv as pacsv

    table = pacsv.read_csv(pa.BufferReader(
        (TAX_UNITS.format(uncovered=uncovered_state) + "2025,single,56,1,0,XX,1\n").encode()))
    rows = run_job(table, "tax", LAW).to_pylist()
    assert [r["status"] for r in rows] == ["ok"] * 5 + ["error"]
    assert rows[-1]["error_column"] == "state"
    assert [r["state_income_tax"] for r in rows[:5]] == [582.69, 582.69, 0.0, 921.0, None]


def test_compare_and_report_show_the_state_tax():
    from dist401k.compare import compare_case
    from dist401k.report import render_html

    cmp = compare_case(parse_case(pat()))
    cash = next(o for o in cmp["options"] if o["option"] == "separation:cash")
    assert (cash["state_income_tax_now"], cash["state_additional_tax_now"]) == (582.69, 0.0)
    assert "<th>state tax</th>" in render_html(cmp) and "<td>583</td>" in render_html(cmp)
    case = pat()
    del case["person"]["state"]
    plain = compare_case(parse_case(case))
    assert not any("state_covered" in o for o in plain["options"])
    assert "<th>state tax</th>" not in render_html(plain)


def test_a_batch_mixing_states_and_none_answers_each_as_alone(uncovered_state):
    plain = pat()
    del plain["person"]["state"]
    cases = [pat(), plain, pat(person__state=uncovered_state), example("pennsylvania-retiree-60")]
    together = assess_cases([parse_case(c) for c in cases])
    alone = [assess_cases([parse_case(c)])[0] for c in cases]
    assert together == alone


def test_the_assess_table_has_a_state_column_only_with_a_state(tmp_path):
    from typer.testing import CliRunner

    from dist401k.cli import app

    with_state = CliRunner().invoke(app, ["assess", str(EXAMPLES / "pat-california-rule-of-55.yaml")])
    assert with_state.exit_code == 0 and "state" in with_state.output and "583" in with_state.output
    plain = pat()
    del plain["person"]["state"]
    path = tmp_path / "plain.json"
    path.write_text(json.dumps(plain, default=str))
    without = CliRunner().invoke(app, ["assess", str(path)])
    assert without.exit_code == 0
    assert "no state given (person.state)" in " ".join(without.output.split())
    # The whole number, not digits inside the run's hash (which changes with the law files).
    assert not re.search(r"(?<![0-9a-f])583(?![0-9a-f])", without.output)


@pytest.mark.parametrize("state", ["CA", "PA"])
def test_a_hardship_is_grossed_up_for_the_state_tax_too(state):
    # Treas. Reg. §1.401(k)-1(d)(3)(iii)(A): the need plus "any federal, state, or local income
    # taxes or penalties reasonably anticipated" from the distribution.
    case = example("hardship-medical")
    case["person"]["state"] = state
    # No other way out pays first (Treas. Reg. §1.401(k)-1(d)(3)(iii)(B)(1)): the hardship pays
    # all the need.
    del case["plan"]["in_service"]["match"]
    case["plan"]["secure2"] = {}
    o = next(o for o in assess_cases([parse_case(case)])[0]["outcomes"] if o["route"] == "hardship")
    assert o["state_covered"] and o["state_income_tax_increase"] > 0
    taxes = (o["income_tax_increase"] + o["additional_tax_72t"] + o["state_income_tax_increase"]
             + o["state_additional_tax"])
    assert abs(o["gross"] - 12000 - taxes) < 0.02
    assert abs(o["kept_after_all_tax"] - 12000) < 0.02


@pytest.mark.parametrize("job", ["outcome", "tax"])
def test_a_batch_run_writes_the_state_columns(tmp_path, job, uncovered_state):
    import pyarrow.csv as pacsv

    from dist401k.runner import run_local

    src, out = tmp_path / "book.csv", tmp_path / "out.csv"
    if job == "tax":
        src.write_text(TAX_UNITS.format(uncovered=uncovered_state))
    else:
        pacsv.write_csv(pat_row("CA"), src)
    run_local(src, job, out, LAW)
    rows = pacsv.read_csv(out).to_pylist()
    key = "state_income_tax" if job == "tax" else "state_income_tax_increase"
    assert rows[0][key] == 582.69 and rows[0]["state_covered"] is True


def test_california_spares_a_secure2_emergency_withdrawal_as_federally():
    # R&TC §17085(c)(1): California's 2.5% follows §72(t) as applicable federally that year, so
    # the federal exception for the $1,000 emergency withdrawal (§72(t)(2)(I)) spares it in
    # California too (its taxable part: $892.31, the Roth contributions tax-free pro rata).
    case = example("hardship-medical")
    case["person"]["state"] = "CA"
    case["income"]["medical_expenses"] = 0  # else the older medical exception spares it too
    o = next(o for o in assess_cases([parse_case(case)])[0]["outcomes"]
             if o["route"] == "emergency_expense")
    assert o["gross"] == 1000.0 and o["additional_tax_72t"] == 0.0
    assert o["taxable"] == 892.31 and o["state_additional_tax"] == 0.0
    assert "STATE_CA_SECURE2_NOT_ADOPTED" not in [r["code"] for r in o["reasons"]]


#: Single, 70, 2024: a 30,000 distribution, 25,000 of dividends (20,000 qualified) and a 50,000
#: long-term gain; federal AGI 105,000, taxable income 88,450.  North Dakota (ND-1): less 40% of
#: the gain and of the qualified dividends: 60,450; 1.95% x (60,450 - 47,150) = 259.35.
#: Montana: less 5,500 from 65: 82,950, of which 32,950 ordinary: 4.7% x 20,500 + 5.9% x
#: 12,450 = 1,698.05, and the gain above the bracket at 4.1%: 2,050; 3,748.05.  With 5,000 of
#: `other_income` instead (of no kind given) North Dakota does not figure it.
INVESTORS = ("tax_year,filing_status,age_head,state,taxable_distributions,ordinary_dividends,"
             "qualified_dividends,long_term_gains,other_income\n") + """\
2024,single,70,ND,30000,25000,20000,50000,0
2024,single,70,MT,30000,25000,20000,50000,0
2024,single,70,ND,30000,0,0,0,5000
"""


def test_gains_and_dividends_by_kind_through_the_doors(tmp_path):
    import pyarrow.csv as pacsv
    from typer.testing import CliRunner

    from dist401k.cli import app

    src, out = tmp_path / "units.csv", tmp_path / "out.json"
    src.write_text(INVESTORS)
    r = CliRunner().invoke(app, ["tax", str(src), "-o", str(out)])
    assert r.exit_code == 0, r.output
    expected = [259.35, 3748.05, None]
    assert [x["state_income_tax"] for x in json.loads(out.read_text())] == expected
    rows = run_job(pacsv.read_csv(pa.BufferReader(INVESTORS.encode())), "tax", LAW).to_pylist()
    assert [x["state_income_tax"] for x in rows] == expected
    # A case with the same income in North Dakota: the state figures the distribution's tax.
    kinds = pat(person__state="ND", income__ordinary_dividends=25_000,
                income__qualified_dividends=20_000, income__long_term_gains=50_000)
    assert cash_outcome(kinds)["state_covered"] is True
    assert cash_outcome(pat(person__state="AR", income__taxable_interest=2000))["state_covered"]
    assert cash_outcome(pat(person__state="ND", income__other_income=5_000))["state_covered"] \
        is False


def test_new_york_city_through_every_door(client):
    """Pat in New York City: the state's tax and the city's (NY Tax Law §1304) on the same
    New York taxable income — the increase is the engine's with and without the $40,000; the
    case file, a flat batch row and the API agree, and New York City outside New York is named
    in each."""
    from dist401k.tax.state import StateUnits, state_tax

    ny = cash_outcome(pat(person__state="NY"))
    nyc = cash_outcome(pat(person__state="NY", person__new_york_city=True))
    assert nyc["state_covered"] and nyc["state_income_tax_increase"] > ny[
        "state_income_tax_increase"]

    def ny_tax(agi: float, city: bool) -> float:
        units = StateUnits.from_columns({
            "state": ["NY"], "tax_year": [2025], "filing_status": ["single"], "age_head": [56],
            "federal_agi": [agi], "taxable_distributions": [agi],
            "new_york_city_resident": [city]})
        return float(state_tax(units, LAW)["state_income_tax"][0])

    city_part = (ny_tax(40_000, True) - ny_tax(0, True)) - (ny_tax(40_000, False) - ny_tax(0, False))
    assert nyc["state_income_tax_increase"] - ny["state_income_tax_increase"] == pytest.approx(
        city_part, abs=0.01)
    _batch_and_api_agree(client, "new_york_city", nyc)
    # New York City outside New York: named, in the case, the batch row and the API.
    with pytest.raises(InputError) as exc:
        parse_case(pat(person__new_york_city=True))
    assert [p.field for p in exc.value.problems] == ["person.new_york_city"]
    out = run_job(pat_row("ca").append_column("new_york_city", pa.array([True])), "outcome",
                  LAW).to_pylist()[0]
    assert out["status"] == "error" and out["error_column"] == "new_york_city"
    r = client.post("/assess", json=json.loads(json.dumps(pat(person__new_york_city=True),
                                                          default=str)))
    assert r.status_code == 422


def test_yonkers_through_every_door(client):
    """Pat in Yonkers: the state's tax and the city's resident income tax surcharge, 16.75% of
    the net state tax (NY Tax Law §1321; IT-201 line 55) — so the increase is 1.1675 times the
    state's; the case file, a flat batch row and the API agree, and Yonkers outside New York or
    in New York City too is named in each."""
    ny = cash_outcome(pat(person__state="NY"))
    yonkers = cash_outcome(pat(person__state="NY", person__yonkers=True))
    assert yonkers["state_covered"]
    assert yonkers["state_income_tax_increase"] == pytest.approx(
        1.1675 * ny["state_income_tax_increase"], abs=0.02)
    _batch_and_api_agree(client, "yonkers", yonkers)
    for bad, column in ((pat(person__yonkers=True), "ca"),
                        (pat(person__state="NY", person__yonkers=True,
                             person__new_york_city=True), "ny")):
        with pytest.raises(InputError) as exc:
            parse_case(bad)
        assert [p.field for p in exc.value.problems] == ["person.yonkers"]
        both = pat_row(column).append_column("yonkers", pa.array([True]))
        if column == "ny":
            both = both.append_column("new_york_city", pa.array([True]))
        out = run_job(both, "outcome", LAW).to_pylist()[0]
        assert out["status"] == "error" and out["error_column"] == "yonkers"
        r = client.post("/assess", json=json.loads(json.dumps(bad, default=str)))
        assert r.status_code == 422


def _batch_and_api_agree(client, flag: str, case_outcome: dict, state: str = "NY",
                         value=True) -> None:
    """Pat in ``state`` with ``flag`` (``new_york_city``, ``yonkers``, ``maryland_county``) set
    to ``value``: a flat batch row and the API give the case file's state tax increase."""
    table = pat_row(state.lower()).append_column(flag, pa.array([value]))
    row = run_job(table, "outcome", LAW).to_pylist()[0]
    assert row["status"] == "ok"
    assert row["state_income_tax_increase"] == case_outcome["state_income_tax_increase"]
    r = client.post("/assess", json=json.loads(json.dumps(
        pat(person__state=state, **{f"person__{flag}": value}), default=str)))
    body = r.json()
    body = body[0] if isinstance(body, list) else body
    api = next(o for o in body["outcomes"] if o["destination"] == "cash")
    assert api["state_income_tax_increase"] == case_outcome["state_income_tax_increase"]


def test_maryland_county_through_every_door(client):
    """Pat in Montgomery County, Maryland: the state's tax and the county's 3.2% on the same
    Maryland taxable income (Tax-General §§10-106, 10-604); the case file, a flat batch row and
    the API agree, and a county outside Maryland, or no county's name, is named in each."""
    md = cash_outcome(pat(person__state="MD"))
    county = cash_outcome(pat(person__state="MD", person__maryland_county="Montgomery"))
    assert county["state_covered"]
    assert county["state_income_tax_increase"] > md["state_income_tax_increase"]
    _batch_and_api_agree(client, "maryland_county", county, "MD", "montgomery")
    for bad, state, name in ((pat(person__maryland_county="Montgomery"), "ca", "montgomery"),
                             (pat(person__state="MD", person__maryland_county="Gotham"), "md",
                              "gotham")):
        with pytest.raises(InputError) as exc:
            parse_case(bad)
        assert [p.field for p in exc.value.problems] == ["person.maryland_county"]
        out = run_job(pat_row(state).append_column("maryland_county", pa.array([name])),
                      "outcome", LAW).to_pylist()[0]
        assert out["status"] == "error" and out["error_column"] == "maryland_county"
        r = client.post("/assess", json=json.loads(json.dumps(bad, default=str)))
        assert r.status_code == 422
