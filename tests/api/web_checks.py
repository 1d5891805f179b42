"""Checks the web pages and the report share in Chromium: the charts' boxes (a plot that did
not collapse, a legend clear of the axis title), an axe-core accessibility run, and a walk of
the page by the Tab key alone."""

from __future__ import annotations

BOX = "el => { const r = el.getBoundingClientRect(); return [r.top, r.bottom, r.height]; }"


def chart_boxes(page, selector: str = ".js-plotly-plot") -> list[dict]:
    """Each chart's plot area, legend and x-axis title as [top, bottom, height], its bars,
    and whether its toolbar is there and shown."""
    out = []
    for chart in page.locator(selector).all():
        bar = chart.locator(".modebar-container")
        out.append({"plot": chart.locator(".nsewdrag").first.evaluate(BOX),
                    "legend": chart.locator("g.legend").first.evaluate(BOX),
                    "xtitle": chart.locator("text.xtitle").first.evaluate(BOX),
                    "bars": chart.locator("g.point").count(),
                    "toolbar": chart.locator(".modebar").count(),
                    "toolbar_shown": bar.count() > 0 and bar.first.is_visible()})
    return out


def assert_legend_clear_of_axis_title(chart: dict) -> None:
    legend, title = chart["legend"], chart["xtitle"]
    assert legend[1] <= title[0] or title[1] <= legend[0], chart


def serious_accessibility_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
            for v in found if v["impact"] in ("serious", "critical")]


FOCUSED = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  return {key: e.name ? `${e.name}=${e.type === 'radio' ? 'radio' : ''}` : (e.id || e.textContent.trim()),
          visible: s.outlineStyle !== 'none' || s.boxShadow !== 'none'}; }"""

CONTROLS = """() => [...document.querySelectorAll('input, select, button, summary, a[href]')]
  .filter((e) => !e.disabled && e.offsetParent !== null && e.type !== 'hidden')
  .map((e) => e.name ? `${e.name}=${e.type === 'radio' ? 'radio' : ''}` : (e.id || e.textContent.trim()))"""


def tab_walk(page, limit: int = 250) -> tuple[set[str], list[str]]:
    """Press Tab from the top until the focus comes round: the controls reached, and those
    reached without a visible focus mark."""
    page.evaluate("() => { const s = document.createElement('span'); s.id = 'walk-start'; "
                  "s.tabIndex = -1; document.body.prepend(s); s.focus(); }")  # from the top
    reached, unmarked = [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        f = page.evaluate(FOCUSED)
        if f is None or (reached and f["key"] == reached[0]):
            break
        reached.append(f["key"])
        if not f["visible"]:
            unmarked.append(f["key"])
    page.evaluate("() => document.getElementById('walk-start').remove()")
    return set(reached), unmarked


def controls(page) -> set[str]:
    """Every shown control of the page (a radio group counts once)."""
    return set(page.evaluate(CONTROLS))
