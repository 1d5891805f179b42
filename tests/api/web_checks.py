"""Checks the web pages and the report share in Chromium: the charts' boxes (a plot that did
not collapse, a legend clear of the axis title), an axe-core accessibility run, and a walk of
the page by the Tab key alone."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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


# On a phone: each chart shown within the screen, its title whole (not cut at either side), the
# title, the legend and the plot apart, no toolbar over them, and a plot that is not squeezed
# by its axis labels.
NARROW_CHARTS = """() => {
  const W = document.documentElement.clientWidth, out = [];
  const box = (e) => e ? e.getBoundingClientRect() : null;
  const meet = (a, b) => !!a && !!b && a.width > 0 && b.width > 0 && a.left < b.right - 1
    && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1;
  for (const c of document.querySelectorAll('.js-plotly-plot')) {
    if (!c.offsetParent) continue;
    const r = box(c), svg = box(c.querySelector('.main-svg')), title = box(c.querySelector('.gtitle')),
          legend = box(c.querySelector('g.legend')), plot = box(c.querySelector('.nsewdrag'));
    const name = c.id || c.parentElement.id;
    if (r.left < 0 || r.right > W || svg.right > W + 0.5) out.push(`${name}: wider than the screen`);
    if (c.querySelector('.modebar')) out.push(`${name}: a toolbar`);
    if (title && (title.left < r.left - 0.5 || title.right > r.right + 0.5 || title.top < r.top - 0.5))
      out.push(`${name}: title cut`);
    if (meet(title, legend)) out.push(`${name}: title over the legend`);
    if (meet(title, plot)) out.push(`${name}: title over the plot`);
    if (meet(legend, plot)) out.push(`${name}: legend over the plot`);
    if (plot.width < 0.4 * r.width)
      out.push(`${name}: plot ${Math.round(plot.width)} px wide of ${Math.round(r.width)}`);
  }
  return out; }"""


def narrow_chart_problems(page) -> list[str]:
    """What is wrong with the charts shown on a phone-width screen, one line each."""
    return page.evaluate(NARROW_CHARTS)


def type_date(page, selector: str, keys: str) -> bool:
    """Types a date into a date field as a person does, part by part (month, day, year in
    Chromium's en-US order), since fill() cannot set a date that does not exist; whether the
    browser now holds an impossible date (its ``validity.badInput``)."""
    field = page.locator(selector)
    field.focus()
    page.keyboard.type(keys)
    return field.evaluate("e => e.validity.badInput")


def load_problems(page, url: str) -> list[str]:
    """The console errors, script errors and failed responses (a status of 400 or more) of
    loading ``url`` in a browser of its own (one asks for a site's icon once, then remembers)."""
    from dist401k.report import chromium

    found: list[str] = []
    browser = page.context.browser.browser_type.launch(executable_path=chromium(),
                                                       args=["--no-sandbox"])
    try:
        fresh = browser.new_page()
        fresh.on("console", lambda m: m.type == "error" and found.append(f"console: {m.text}"))
        fresh.on("response", lambda r: r.status >= 400 and found.append(f"{r.status} {r.url}"))
        fresh.on("pageerror", lambda e: found.append(f"pageerror: {e}"))
        fresh.goto(url)
        fresh.wait_for_timeout(1500)  # the icon is asked for after the page
    finally:
        browser.close()
    return found


def submit_and_look(page, form: str, results: str, download: str) -> dict:
    """Submits the form ``form`` (ids) and reads, at that moment, whether the answer before it
    (``results``) is marked out of date and busy and its ``download`` turned off."""
    return page.evaluate("""([form, results, download]) => {
      document.getElementById(form).requestSubmit();
      const r = document.getElementById(results);
      return {stale: r.classList.contains('stale'), busy: r.getAttribute('aria-busy'),
              download: document.getElementById(download).disabled}; }""",
                         [form, results, download])


def fill_random_lifetime_plan(page, base_url: str, form: dict, risk: bool = False) -> None:
    """The planner's form of ``form`` (name → value) for a man with random lifetimes over 20
    paths and the Guyton–Klinger guardrails (and the risk-based one with ``risk``), unsent."""
    page.goto(base_url + "/planner")
    for name, value in form.items():
        page.fill(f"[name='{name}']", value)
    page.select_option("[name='people.0.sex']", "male")
    page.locator("details summary").first.click()
    page.select_option("[name='monte_carlo.lifetimes']", "random")
    page.fill("[name='paths']", "20")
    page.check("[name='guardrails.guyton_klinger']")
    if risk:
        page.check("[name='guardrails.risk_based']")


def wait_for_message(page, field: str) -> str:
    """The message shown next to ``field`` (its ``err-<field>`` element), once there is one."""
    page.wait_for_function(f"document.getElementById('err-{field}').textContent.length > 0")
    return page.locator(f"[id='err-{field}']").inner_text()


def answer_goes_with_a_failed_request(page, ids: tuple[str, str, str], bad: tuple[str, str],
                                      good: tuple[str, str], submit: str) -> None:
    """With an answer on screen (``ids``: the form, the results, the download), a request that
    fails (``bad``: a field and its value) marks it out of date and turns its download off while
    asked, then hides it; the field set right (``good``) brings a new answer and the download."""
    form, results, download = ids
    page.wait_for_selector(f"#{results}:not([hidden])")
    assert page.locator(f"#{download}").is_enabled()
    page.fill(f"[name='{bad[0]}']", bad[1])
    asked = submit_and_look(page, form, results, download)
    assert asked == {"stale": True, "busy": "true", "download": True}
    wait_for_message(page, bad[0])
    page.wait_for_selector(f"#{results}", state="hidden")
    assert page.locator(f"#{download}").is_disabled()
    page.fill(f"[name='{good[0]}']", good[1])
    page.click(submit)
    page.wait_for_selector(f"#{results}:not([hidden]):not(.stale)")
    assert page.locator(f"#{download}").is_enabled()


def refused_in_the_page(page, field: str, submit: str) -> None:
    """Submitting gives "That date does not exist." next to ``field``, takes the focus there,
    and sends nothing."""
    with posts_sent(page) as posts:
        page.click(submit)
        assert wait_for_message(page, field) == "That date does not exist."
        page.wait_for_function(f"document.activeElement.name === '{field}'")
        page.wait_for_timeout(300)  # time for a request, were one sent
    assert posts == []


@contextmanager
def posts_sent(page) -> Iterator[list[str]]:
    """The URLs the page POSTs while the block runs."""
    posts: list[str] = []

    def sent(r):
        if r.method == "POST":
            posts.append(r.url)

    page.on("request", sent)
    try:
        yield posts
    finally:
        page.remove_listener("request", sent)
