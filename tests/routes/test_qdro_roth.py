"""Designated Roth money in an alternate payee's QDRO share, worked from the law's text by hand.

Whether a payment from a designated Roth account is qualified turns on the *employee*: it is
qualified when made after the 5-taxable-year period of participation and on or after the date
the employee attains 59½, dies or becomes disabled (IRC §402A(d)(2); Treas. Reg. §1.402A-1,
Q&A-2(b), Q&A-4); TD 9324's preamble: for a distribution to an alternate payee "the age, death or
disability of the participant are used".  A non-qualified one recovers the designated Roth
contributions pro rata and taxes the earnings (§72(e)(8); Q&A-3).  No payment under a QDRO owes
the 10% tax (§72(t)(2)(C)).

A former spouse of 40 (born January 1986) is awarded a share of $60,000 of Roth money
(contributions $40,000) and $60,000 of pre-tax money, and takes $20,000 in cash in June 2026.
The payment comes from both pro rata: $10,000 Roth, $10,000 pre-tax.

* participant born 1960 (66: past 59½), first Roth year 2012 (five years run from 2017): the
  Roth $10,000 is qualified, tax-free; taxable $10,000 (the pre-tax part); 20% withheld on it,
  $2,000 (§3405(c)(1)).  Forms: the pre-tax part box 1 10,000, box 2a 10,000, code 2; the Roth
  part box 1 10,000, box 2a 0, box 5 10,000 × 40/60 = 6,666.67, code B2, box 11 2012.
* participant born 1975 (51: under 59½): not qualified; the Roth part's contributions
  10,000 × 40/60 = 6,666.67 come back tax-free and its earnings 3,333.33 are taxable; taxable
  13,333.33; withheld 0.20 × 13,333.33 = 2,666.67; still no 10% tax.
* participant born 1960 but first Roth year 2023: the five taxable years are 2023–2027, so in
  2026 the payment is not qualified — the same 13,333.33 taxable.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa
import pytest
import yaml
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.assess import assess_cases
from dist401k.case import parse_case
from dist401k.errors import InputError
from dist401k.jobs import run_job
from dist401k.law import default_law

SPOUSE = Path(__file__).parents[2] / "examples" / "cases" / "qdro-former-spouse.yaml"


def share_case(participant_born: str | None = "1960-03-01", first_year: int | None = 2012,
               **request) -> dict:
    case = json.loads(json.dumps(yaml.safe_load(SPOUSE.read_text()), default=str))
    case["person"]["birth_date"] = "1986-01-15"
    roth: dict = {"balance": 60000, "contributions": 40000}
    if first_year is not None:
        roth["first_year"] = first_year
    case["account"] = {"sources": {"roth_deferral": roth, "elective_deferral": {"balance": 60000}}}
    case["alternate_payee"] = {"relationship": "former_spouse"}
    if participant_born:
        case["alternate_payee"]["participant_birth_date"] = participant_born
    case["request"] = {"date": "2026-06-01", "amount": 20000, "destination": "cash", **request}
    return case


def outcome(case: dict, route: str = "qdro", destination: str = "cash") -> dict:
    r = assess_cases([parse_case(case)])[0]
    return next(o for o in r["outcomes"] if o["route"] == route and o["destination"] == destination)


def codes(o: dict) -> set[str]:
    return {x["code"] for x in o["reasons"]}


def forms(o: dict) -> dict[str, dict]:
    return {f["part"]: f for f in o["form_1099r"]}


def test_past_the_participants_59_and_a_half_the_roth_part_is_qualified_tax_free():
    o = outcome(share_case())
    assert o["gross"] == 20000.0
    assert o["taxable"] == pytest.approx(10000.0, abs=0.005)
    assert o["additional_tax_72t"] == 0.0
    assert o["withholding"] == pytest.approx(2000.0, abs=0.005)
    assert "OC_ROTH_QUALIFIED" in codes(o) and "OC_ROTH_NONQUALIFIED" not in codes(o)
    assert "QD_ROTH_PARTICIPANT" in codes(o)
    assert "QD_ROTH_DISABILITY_NOT_KNOWN" not in codes(o)  # qualified already: nothing to add
    f = forms(o)
    pre, roth = f["pretax_cash"], f["roth_cash"]
    assert (pre["box_1"], pre["box_2a"], pre["box_7"]) == pytest.approx((10000, 10000, "2"))
    assert (roth["box_1"], roth["box_2a"], roth["box_5"], roth["box_7"], roth["box_11"]) == \
        pytest.approx((10000, 0, 6666.67, "B2", 2012), abs=0.005)
    assert pre["box_4"] + roth["box_4"] == pytest.approx(2000.0, abs=0.005)


def test_under_the_participants_59_and_a_half_the_earnings_are_taxed_pro_rata_no_10_percent():
    # The payee's own age (40) is not what decides: the participant's (51) is.
    o = outcome(share_case(participant_born="1975-03-01"))
    assert o["taxable"] == pytest.approx(13333.33, abs=0.005)
    assert o["additional_tax_72t"] == 0.0
    assert o["withholding"] == pytest.approx(2666.67, abs=0.01)
    assert "OC_ROTH_NONQUALIFIED" in codes(o) and "OC_ROTH_QUALIFIED" not in codes(o)
    # The participant's disability or death would make it qualified: not an input, said so.
    assert {"QD_ROTH_PARTICIPANT", "QD_ROTH_DISABILITY_NOT_KNOWN"} <= codes(o)
    why = next(x for x in o["reasons"] if x["code"] == "QD_ROTH_DISABILITY_NOT_KNOWN")
    assert "disab" in why["text"] and "death" in why["text"] and "1.402A-1" in why["citation"]
    roth = forms(o)["roth_cash"]
    assert (roth["box_1"], roth["box_2a"], roth["box_5"], roth["box_7"]) == \
        pytest.approx((10000, 3333.33, 6666.67, "B2"), abs=0.005)


def test_a_payee_past_59_and_a_half_does_not_make_the_participants_roth_qualified():
    # The former spouse is 61; the participant 51: not qualified (the employee's 59½).
    case = share_case(participant_born="1975-03-01")
    case["person"]["birth_date"] = "1965-01-15"
    o = outcome(case)
    assert o["taxable"] == pytest.approx(13333.33, abs=0.005)
    assert forms(o)["roth_cash"]["box_7"] == "B7"  # the code reads the payee's age (docs/forms.md)


def test_five_taxable_years_not_run_not_qualified():
    o = outcome(share_case(first_year=2023))
    assert o["taxable"] == pytest.approx(13333.33, abs=0.005)
    assert o["additional_tax_72t"] == 0.0
    assert "OC_ROTH_NONQUALIFIED" in codes(o)
    # Disability or death would not help before the five years have run (§402A(d)(2)(B)).
    assert "QD_ROTH_DISABILITY_NOT_KNOWN" not in codes(o)
    assert forms(o)["roth_cash"]["box_11"] == 2023


def test_a_spouse_rolls_roth_money_only_to_a_roth_ira_or_a_plans_roth_account():
    # §402A(c)(3): designated Roth money rolls to a Roth IRA or another designated Roth account.
    o = outcome(share_case(destination="traditional_ira"), destination="traditional_ira")
    assert o["taxable"] == 0.0 and o["withholding"] == 0.0
    assert sorted(f["box_7"] for f in o["form_1099r"]) == ["G", "H"]
    assert "OC_ROTH_TO_ROTH_IRA" in codes(o)
    o = outcome(share_case(destination="other_plan"), destination="other_plan")
    assert sorted(f["box_7"] for f in o["form_1099r"]) == ["BG", "G"]


def test_a_childs_share_uses_the_participants_own_facts():
    # A child's case: `person` is the participant (51), so the usual test applies: not
    # qualified, earnings 3,333.33 + pre-tax 10,000 taxable to the participant, 10% withheld
    # as a nonperiodic payment (§3405(b)(1)): 1,333.33; no 10% tax.
    case = share_case(participant_born=None)
    case["person"]["birth_date"] = "1975-03-01"
    case["alternate_payee"] = {"relationship": "child"}
    o = outcome(case, "qdro_dependent")
    assert o["taxable"] == pytest.approx(13333.33, abs=0.005)
    assert o["withholding"] == pytest.approx(1333.33, abs=0.01)
    assert o["additional_tax_72t"] == 0.0
    assert forms(o)["roth_cash"]["box_7"] == "B2"


@pytest.mark.parametrize("born, first, field", [
    (None, 2012, "alternate_payee.participant_birth_date"),
    ("1960-03-01", None, "account.sources.roth_deferral.first_year"),
])
def test_without_what_decides_roth_money_is_refused_naming_the_field(born, first, field):
    case = share_case(participant_born=born, first_year=first)
    with pytest.raises(InputError) as err:
        parse_case(case)
    (p,) = err.value.problems
    assert p.field == field
    assert "participant" in p.problem and "59½" in p.problem and "Q&A-2" in p.problem
    bad = TestClient(create_app(token="")).post("/assess", json=case)
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"][1:] == field.split(".")


def _row(**changes) -> dict:
    row = {"participant_id": "share", "request_date": dt.date(2026, 6, 1),
           "birth_date": dt.date(1986, 1, 15), "filing_status": "single", "wages": 60000.0,
           "plan_type": "401k", "balance_elective_deferral": 60000.0,
           "balance_roth_deferral": 60000.0, "roth_contributions_roth_deferral": 40000.0,
           "roth_first_year_roth_deferral": 2012.0, "ap_relationship": "former_spouse",
           "ap_participant_birth_date": dt.date(1960, 3, 1), "request_amount": 20000.0,
           "request_destination": "cash", "request_route": "qdro"}
    return {**row, **changes}


def test_a_batch_row_gives_the_same_verdicts():
    rows = [_row(), _row(ap_participant_birth_date=None)]
    names = list(rows[0])
    table = pa.table({k: pa.array([r[k] for r in rows]) for k in names})
    out = run_job(table, "outcome", default_law()).to_pylist()
    assert out[0]["status"] == "ok", out[0]
    assert out[0]["taxable"] == pytest.approx(10000.0, abs=0.005)
    assert (out[1]["status"], out[1]["error_column"]) == ("error", "ap_participant_birth_date")
    assert "59½" in out[1]["error_message"]
