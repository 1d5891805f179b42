"""The planner page stars the strategy every door stars (the plan's ``best``, the terminal's ★):
a New York couple whose taxable-first strategy spends more on the exact pricing than the
optimum (the optimiser approximates the state's IRA exclusion) is told that strategy, with the
year-by-year table titled as the optimum's rows; and wages typed with no retirement age are
sent, so the server's refusal shows by the field instead of the wages being dropped."""

from __future__ import annotations

import json

import pytest
import yaml
from typer.testing import CliRunner

from api.test_web_plan_review import fill, submit, wait_for_answer
from api.web_checks import wait_for_message
from dist401k.cli import app as cli

pytestmark = pytest.mark.slow

#: A reviewer's household: a couple born 1962 and 1963 in New York, a 401(k) and an IRA.
NEW_YORK = {"start_year": "2026", "state": "NY",
            "people.0.birth_date": "1962-01-01", "people.1.birth_date": "1963-01-01",
            "people.0.accounts.pretax": "600000", "people.0.accounts.ira": "300000",
            "spending.annual": "80000"}


def test_the_page_stars_the_strategy_the_terminal_stars(page, base_url, tmp_path):
    fill(page, base_url, NEW_YORK)
    sent = submit(page)
    wait_for_answer(page)
    case = tmp_path / "household.yaml"
    case.write_text(yaml.safe_dump(sent))
    r = CliRunner().invoke(cli, ["plan", str(case), "-f", "json", "--no-monte-carlo"])
    assert r.exit_code == 0, r.output
    plan = json.loads(r.stdout)
    label = {s["key"]: s["label"] for s in plan["strategies"]}
    best = max(plan["strategies"], key=lambda s: s["spending_real"])
    assert plan["best"] == best["key"] != "optimal"  # the case this test is for
    assert f"The best plan: {label[plan['best']]}" in page.inner_text("#headline-help")
    assert page.locator("#strategies tr.best").get_attribute("data-key") == plan["best"]
    title = page.inner_text("#years-title")
    assert title.startswith("The optimum, year by year") and label[plan["best"]] in title
    assert not page.errors, page.errors


def test_wages_with_no_retirement_age_are_refused_by_the_field(page, base_url):
    fill(page, base_url, {"people.0.birth_date": "1968-01-01", "people.0.wages": "80000",
                          "people.0.accounts.pretax": "500000"}, who="1")
    sent = submit(page)
    assert sent["people"][0]["wages"] == 80000 and "retirement_age" not in sent["people"][0]
    said = wait_for_message(page, "people.0.wages")  # the server's words, in the page's labels
    assert "is given, but there is no" in said and "Age you will retire" in said, said
    assert page.locator("#plan-results").is_hidden()
