"""Charts that stay laid out for their width when the window changes size after they are drawn
(the browser review's defect): a chart drawn on a wide window and then narrowed to a phone's
375 px is laid out again as a phone's (its title wrapped, clear of every legend entry), and one
narrowed and widened again is laid out as a wide one (its toolbar back, its title one line in
Plotly's own size) — on the main page and on the planner."""

from __future__ import annotations

import pytest

from api.test_web import fill as fill_main
from api.test_web_plan import HOUSEHOLDS
from api.test_web_plan import fill as fill_plan
from api.web_checks import narrow_chart_problems

pytestmark = pytest.mark.slow

#: The reviewer's "own plan" case: married filing jointly in New York, born 1962-02-10, hired
#: 2012-01-01, $85,000 of wages, $150,000 of elective deferrals and a $50,000 match 60% vested,
#: $30,000 asked for on 2026-09-15.
OWN_PLAN = {
    "selects": {"person.filing_status": "married_joint"},
    "form": {"person.birth_date": "1962-02-10", "person.state": "NY", "income.wages": "85000",
             "employment.hire_date": "2012-01-01", "src.elective_deferral": "150000",
             "src.match": "50000", "src.match_vested": "60", "request.amount": "30000",
             "request.date": "2026-09-15"},
}

#: Each shown chart: its id, whether the title's box meets any legend entry's box, whether it
#: has a toolbar, its title's font size and number of lines, its height and top margin.
CHARTS = """() => {
  const meet = (a, b) => a.width > 0 && b.width > 0 && a.left < b.right - 1 && b.left < a.right - 1
    && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  return [...document.querySelectorAll('.js-plotly-plot')].filter((c) => c.offsetParent).map((c) => {
    const title = c.querySelector('.gtitle');
    const t = title.getBoundingClientRect();
    const items = [...c.querySelectorAll('g.legend g.traces')].map((g) => g.getBoundingClientRect());
    return {name: c.id || c.parentElement.id, overlap: items.some((i) => meet(t, i)),
            toolbar: !!c.querySelector('.modebar'), font: parseFloat(getComputedStyle(title).fontSize),
            lines: title.querySelectorAll('tspan.line').length || 1,
            height: c._fullLayout.height, top: c._fullLayout.margin.t};
  }); }"""


def charts(page) -> list[dict]:
    return page.evaluate(CHARTS)


def resize(page, width: int) -> None:
    """The window set to ``width``, and time for the charts to be laid out again."""
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(1200)


def assert_narrowed_and_widened(page, count: int) -> None:
    wide = charts(page)
    assert len(wide) == count and all(c["toolbar"] and c["lines"] == 1 for c in wide), wide
    try:
        resize(page, 375)
        narrow = charts(page)
        assert [c["name"] for c in narrow if c["overlap"]] == [], narrow
        assert narrow_chart_problems(page) == []
        assert all(not c["toolbar"] and c["font"] < wide[0]["font"] for c in narrow), narrow
    finally:
        resize(page, 1000)
    again = charts(page)
    assert again == wide
    assert not page.errors, page.errors


def test_main_page_charts_follow_the_window(page, base_url):
    page.set_viewport_size({"width": 1000, "height": 900})
    fill_main(page, base_url, OWN_PLAN)
    page.wait_for_selector("#chart-dollars .main-svg")
    page.wait_for_selector("#chart-wealth .main-svg")
    assert_narrowed_and_widened(page, 2)


def test_planner_charts_follow_the_window(page, base_url):
    page.set_viewport_size({"width": 1000, "height": 900})
    fill_plan(page, base_url, HOUSEHOLDS["single-retiree"])
    page.wait_for_selector("#chart-income .main-svg")
    assert_narrowed_and_widened(page, 2)


def test_a_chart_drawn_on_a_phone_is_laid_out_wide_on_a_wide_window(page, base_url):
    """The reverse: drawn at 375 px, then widened to 1000 px, each chart is laid out as one
    drawn at 1000 px (the toolbar, the title on one line in Plotly's size, the same height and
    room above the plot)."""
    page.set_viewport_size({"width": 1000, "height": 900})
    fill_main(page, base_url, OWN_PLAN)
    page.wait_for_selector("#chart-wealth .main-svg")
    wide = charts(page)
    page.set_viewport_size({"width": 375, "height": 900})
    try:
        fill_main(page, base_url, OWN_PLAN)
        page.wait_for_selector("#chart-wealth .main-svg")
        narrow = charts(page)
        assert len(narrow) == 2 and all(not c["toolbar"] and c["font"] < wide[0]["font"]
                                        for c in narrow), narrow
    finally:
        resize(page, 1000)
    assert charts(page) == wide
    assert all(c["toolbar"] and c["lines"] == 1 for c in wide), wide
    assert not page.errors, page.errors
