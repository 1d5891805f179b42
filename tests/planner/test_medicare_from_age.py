"""``people[].medicare_from_age``: the age Medicare Part B and Part D begin for one who delays
them while covered by a group health plan through current employment (their own or a
spouse's), enrolling later in a special enrollment period without the late penalty (42 U.S.C.
§1395p(i); 42 CFR §407.20; SSA POMS HI 00805.275: any month while so covered, or the eight
months after).  IRMAA is an adjustment of the Part B and Part D premiums, owed only while
enrolled (42 U.S.C. §1395r(i), §1395w-113(a)(7)), so none before that age.  The plan charged it
from 65 to everyone: the reviewer's heir, still working at 66 with employer coverage, paid
$4,620 of IRMAA in 2026 and every working year after.

The marketplace's coverage still ends at the eligibility age: premium-free Part A is minimum
essential coverage whether or not one enrolls (IRC §36B(c)(2)(B); Notice 2013-41 treats a
person as eligible for Medicare Part A only once enrolled where Part A needs a premium), and
delaying Part B does not delay it."""

from __future__ import annotations

import json

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.planner.household import household_schema, parse_household
from dist401k.planner.marketplace import coverage
from dist401k.planner.survivors import path_lives
from dist401k.planner.timeline import build_timeline

LAW = default_law()

#: The reviewer's heir: born February 12, 1960, 66 in the plan's first year, wages of $90,000
#: from the employer whose 401(k) he holds until 77, MAGI of $180,000 in 2024 and 2025.
HEIR = {
    "id": "heir-working", "start_year": 2026, "state": "OH",
    "people": [{"name": "Vic", "birth_date": "1960-02-12", "sex": "male", "life_expectancy": 90,
                "retirement_age": 77, "wages": 90000,
                "social_security": {"monthly_at_full_age": 2800, "claim_age": 70},
                "accounts": {"pretax": 800000, "ira": 100000, "roth": 50000,
                             "roth_first_year": 2015}}],
    "inherited": [{"heir": 0, "balance": 300000,
                   "beneficiary": {"deceased_birth_date": "1936-06-01",
                                   "date_of_death": "2022-09-15", "relationship": "child",
                                   "account": "ira"}}],
    "taxable": {"balance": 100000, "basis": 70000}, "cash": 20000,
    "spending": {"annual": 80000}, "strategy": {"objective": "max_spending"},
    "magi_history": [180000, 180000],
}


def _with_age(case: dict, age) -> dict:
    out = json.loads(json.dumps(case))
    out["people"][0]["medicare_from_age"] = age
    return out


def _on_medicare(case: dict) -> dict[int, float]:
    tl = build_timeline(parse_household(case), LAW)
    return dict(zip(tl.years.tolist(), tl.on_medicare.tolist(), strict=True))


def test_the_heir_is_on_medicare_from_the_month_he_turns_78():
    """Born February 12, 1960: 78 on February 12, 2038, so Part B from February 1, 2038 — 11
    months of 2038 (11/12 of a person), every month after; none from 2026 to 2037.  Before, he
    was counted on Medicare from 2026 (66 already)."""
    on = _on_medicare(_with_age(HEIR, 78))
    assert all(on[y] == 0.0 for y in range(2026, 2038))
    assert on[2038] == pytest.approx(11 / 12)
    assert all(on[y] == 1.0 for y in range(2039, 2051))


def test_without_it_medicare_starts_at_65_as_before():
    """The default is the eligibility age: the heir (66 in 2026) is on Medicare from the first
    year; one born July 20, 1962 from July 1, 2027 (6 months of 2027); an age of 65 given is
    the same."""
    assert set(_on_medicare(HEIR).values()) == {1.0}
    later = json.loads(json.dumps(HEIR))
    later["people"][0]["birth_date"] = "1962-07-20"
    on = _on_medicare(later)
    assert (on[2026], on[2027], on[2028]) == (0.0, pytest.approx(0.5), 1.0)
    assert _on_medicare(_with_age(later, 65)) == on


def test_the_heir_pays_no_irmaa_before_78(tmp_path):
    """`dist401k plan -f json`: IRMAA 0 in every year from 2026 to 2037 (it was $4,620 in 2026
    on the $180,000 of 2024), and some from 2038, 11/12 of a year's in 2038."""
    path = tmp_path / "heir.yaml"
    path.write_text(yaml.safe_dump(_with_age(HEIR, 78)))
    r = CliRunner().invoke(app, ["plan", str(path), "-f", "json", "--no-monte-carlo"])
    assert r.exit_code == 0, r.output
    irmaa = {row["year"]: row["irmaa"] for row in json.loads(r.stdout)["table"]}
    assert all(irmaa[y] == 0.0 for y in range(2026, 2038)), irmaa
    assert irmaa[2038] > 0 and irmaa[2039] > 0


def test_random_lifetimes_follow_it_too():
    """The per-path people on Medicare (random lifetimes) read the same age: none before 2038
    on a path where he lives throughout."""
    hh = parse_household(_with_age(HEIR, 78))
    tl = build_timeline(hh, LAW)
    lives = path_lives(hh, tl, LAW, np.full((1, 1), tl.T - 1))
    on = dict(zip(tl.years.tolist(), lives.on_medicare[0].tolist(), strict=True))
    assert all(on[y] == 0.0 for y in range(2026, 2038))
    assert on[2038] == pytest.approx(11 / 12)


def test_marketplace_coverage_still_ends_at_the_eligibility_age():
    """Born July 20, 1962: marketplace coverage January–June 2027 (Medicare's month of 65 is
    July 2027), with or without a later Part B: premium-free Part A is minimum essential
    coverage (IRC §36B(c)(2)(B))."""
    case = json.loads(json.dumps(HEIR))
    case["people"][0]["birth_date"] = "1962-07-20"
    case["marketplace"] = {"benchmark_premium": 9000}
    months = []
    for c in (case, _with_age(case, 70)):
        hh = parse_household(c)
        tl = build_timeline(hh, LAW)
        months.append(coverage(hh, LAW, tl.years, tl.alive).months[0][:3].tolist())
    assert months == [[12.0, 6.0, 0.0]] * 2


def _cli_and_api(tmp_path, case: dict) -> tuple[str, list]:
    """The CLI's output (exit status 2 asserted) and the API's 422 details for ``case``."""
    from fastapi.testclient import TestClient

    from dist401k.api import create_app
    from dist401k.store import Store

    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(case))
    r = CliRunner().invoke(app, ["plan", str(path), "--no-monte-carlo"])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output
    client = TestClient(create_app(store=Store(f"sqlite:///{tmp_path / 'store.db'}")),
                        raise_server_exceptions=False)
    res = client.post("/plan?paths=0", json=case)
    assert res.status_code == 422, res.text
    return r.output, res.json()["detail"]


@pytest.mark.parametrize(("age", "words"), [
    (64, "is 64, before the Medicare eligibility age, 65"),
    (-1, "is -1, before the Medicare eligibility age, 65"),
    # 91 on February 12, 2051: past 2050, the last year of a life expectancy of 90.
    (91, "is 91, reached in 2051, after this person's last year of the plan (2050)"),
    ("soon", "is not a number"),
])
def test_a_bad_age_is_refused_by_name_in_the_cli_and_the_api(tmp_path, age, words):
    out, detail = _cli_and_api(tmp_path, _with_age(HEIR, age))
    lines = [ln for ln in out.splitlines() if "medicare_from_age" in ln]
    assert len(lines) == 1 and words in lines[0], out
    assert "people.0.medicare_from_age" in lines[0]
    assert [d["loc"] for d in detail] == [["body", "people", 0, "medicare_from_age"]]
    assert words in detail[0]["msg"]


def test_the_last_year_of_the_plan_is_taken(tmp_path):
    """90 on February 12, 2050, the plan's last year: taken (Part B from February 2050)."""
    on = _on_medicare(_with_age(HEIR, 90))
    assert on[2049] == 0.0 and on[2050] == pytest.approx(11 / 12)


def test_the_schema_publishes_the_eligibility_age_as_its_least():
    prop = household_schema()["$defs"]["Person"]["properties"]["medicare_from_age"]
    (number,) = [b for b in prop["anyOf"] if b.get("type") == "number"]
    assert number["minimum"] == LAW.scalar("medicare.eligibility_age", 2026) == 65
