"""The assess page's "where to" of a rollover to a traditional IRA from an account holding
designated Roth money says where the Roth part goes, as the row's own words do
(OC_ROTH_TO_ROTH_IRA) and as the report and the terminal name it (compare.destination_label):
Roth money may be rolled over only to a Roth IRA or another designated Roth account (IRC
§402A(c)(3)), so it cannot go to the traditional IRA the row would otherwise name."""

from __future__ import annotations

import pytest

from api.test_web import fill
from dist401k.compare import ROTH_PART_TO_ROTH_IRA

pytestmark = pytest.mark.slow

# Left the job on 2025-06-30 at 55 or later (born 1968-04-10): pre-tax $60,000, Roth $40,000
# (contributions $30,000, first year 2020); $20,000 asked on 2026-06-15, every way shown.
MIXED = {
    "form": {"person.birth_date": "1968-04-10", "income.wages": "40000", "employment.hire_date": "2015-02-01",
             "employment.separation_date": "2025-06-30", "src.elective_deferral": "60000",
             "src.roth_deferral": "40000", "src.roth_deferral.contributions": "30000",
             "src.roth_deferral.first_year": "2020", "request.amount": "20000", "request.date": "2026-06-15"},
    "selects": {"employment.status": "separated"},
}


@pytest.fixture
def on(page, base_url):
    page.base_url_ = base_url
    return page


def test_a_mixed_rollover_to_a_traditional_ira_names_where_its_roth_part_goes(on):
    """The $20,000 is paid pro rata from the two sources, 40,000 / 100,000 of it Roth money:
    $8,000 goes to a Roth IRA and $12,000 to the traditional IRA. The row's "where to" says
    both, not "roll to a traditional IRA" alone."""
    fill(on, on.base_url_, MIXED)
    on.wait_for_selector("#results:not([hidden])")
    row = on.locator("#outcomes tr[data-route='separation'][data-destination='traditional_ira']")
    cells = row.locator("td").all_inner_texts()
    assert cells[1] == f"roll to a traditional IRA ({ROTH_PART_TO_ROTH_IRA})", cells
    assert row.get_attribute("data-gross") == "20000"
    assert ("$12,000 goes to the traditional IRA, the $8,000 of designated Roth money to a Roth IRA"
            in cells[-1])
    assert not on.errors, on.errors


def test_an_outcome_with_no_roth_part_keeps_its_destination_words(on):
    """A rollover to a traditional IRA with no Roth money (to_roth_ira 0), and an heir's (whose
    IRA is an inherited one, compare.destination_label): the destination's words alone."""
    fill(on, on.base_url_, MIXED)
    on.wait_for_selector("#results:not([hidden])")
    plain = {"destination": "traditional_ira", "to_roth_ira": 0}
    assert on.evaluate("(o) => outcomeDestination(o)", plain) == "roll to a traditional IRA"
    mixed = {"destination": "traditional_ira", "to_roth_ira": 8000}
    assert on.evaluate("(o) => outcomeDestination(o, true)", mixed) == "roll to a traditional IRA"
    assert on.evaluate("(o) => outcomeDestination(o)", mixed).endswith(f"({ROTH_PART_TO_ROTH_IRA})")
