"""A claim already made stays made: the claiming search keeps a person whose case ``claim_age`` is
at or below their age at the plan's start.  An application for old-age benefits can be withdrawn
only within 12 months of the first month of entitlement, repaying all the benefits paid on it
(20 CFR 404.640(a)(4), as amended by 75 FR 76256, 2010); after that the benefit can only be
suspended from full retirement age (20 CFR 404.313; SSA POMS RS 00615.690) — it cannot be
stopped and claimed again later with delayed credits."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from dist401k.cli import app
from dist401k.law import default_law
from dist401k.plan_report import render_plan_html
from dist401k.planner.claiming import claim_months, kept_claims
from dist401k.planner.household import parse_household
from dist401k.planner.plan import make_plan, plan_json

LAW = default_law()
EXAMPLE = Path(__file__).parents[2] / "examples" / "plans" / "couple-one-earner.yaml"


def _couple(sam_claim):
    """The shipped one-earner couple with the claiming search; Sam (born 1962-02-10) is 63 and
    11 months in January 2026 (an age is attained the day before the birthday, 20 CFR 404.102)."""
    case = yaml.safe_load(EXAMPLE.read_text())
    case["people"][0]["social_security"]["claim_age"] = sam_claim
    case["strategy"]["search_claiming"] = True
    return case


def test_a_claim_before_the_start_is_not_a_candidate():
    hh = parse_household(_couple(62))
    assert kept_claims(hh) == (62.0, None)
    m = claim_months(hh, LAW)
    assert m[0] is None
    # Robin (born 1965-06-20, 60 and 6 months in January 2026) is still searched, 62 to 70.
    assert (m[1][0], m[1][-1]) == (62 * 12, 70 * 12)
    # A claim still ahead (65 > 63 y 11 m) is the search's to choose: from 63 y 11 m to 70.
    later = parse_household(_couple(65))
    assert kept_claims(later) == (None, None)
    assert (claim_months(later, LAW)[0][0], claim_months(later, LAW)[0][-1]) == (767, 840)
    # Claimed in the very month the plan starts (63 y 11 m): already made, kept.
    assert kept_claims(parse_household(_couple(767 / 12)))[0] == pytest.approx(767 / 12)


@pytest.fixture(scope="module")
def kept_plan():
    return make_plan(parse_household(_couple(62)), LAW, monte_carlo=False)


def test_the_plan_pays_the_claim_already_made(kept_plan):
    # Sam claimed at 62, paid from March 2024 (the first month he was 62 throughout, 20 CFR
    # 404.311(a)(2)): 59 months before full retirement age 67 (§416(l)), so 5/9% × 36 + 5/12% ×
    # 23 = 29 7/12% less (§402(q)(1), (9)): 3,400 × 0.7041667 = 2,394.17 a month, 28,730 in
    # 2026.  Robin's own benefit and the spouse's benefit cannot start before she is 62 (2027).
    plan = kept_plan
    assert plan.claiming.best[0] == 62.0
    assert plan.household.people[0].social_security.claim_age == 62.0
    ss_2026 = plan.strategies[0].result.cols["social_security"][0, 0]
    assert ss_2026 == pytest.approx(3_400 * (1 - 36 * 5 / 900 - 23 * 5 / 1200) * 12, abs=0.01)
    j = plan_json(plan)["claiming"]
    # No row re-claims Sam: the best, full retirement age and 70 all keep his 62.
    assert [r["claim_ages"][0] for r in j["compared"]] == [62.0, 62.0, 62.0]
    assert j["kept"] == [62.0, None]
    assert "20 CFR 404.640(a)(4)" in j["notes"][0] and "Sam at 62 y 0 m" in j["notes"][0]


def test_every_view_says_the_claim_was_kept(kept_plan, tmp_path):
    html = render_plan_html(kept_plan)
    assert "Sam at 62 y 0 m" in html and "404.640(a)(4)" in html
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(_couple(62)))
    r = CliRunner().invoke(app, ["plan", str(case), "--no-monte-carlo"],
                           env={"COLUMNS": "200"})
    assert r.exit_code == 0, r.output
    assert "Sam at 62 y 0 m" in r.output and "404.640(a)(4)" in r.output


def test_when_every_claim_is_made_nothing_is_searched():
    case = _couple(62)
    case["people"] = case["people"][:1]
    plan = make_plan(parse_household(case), LAW, monte_carlo=False)
    assert plan.claiming.best == (62.0,) and plan.claiming.candidates == 0
    j = plan_json(plan)["claiming"]
    assert j["compared"] == [] and j["kept"] == [62.0]
