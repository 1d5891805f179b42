"""The web pages on a server started with DIST401K_API_TOKEN: the pages themselves are open, the
API behind them is not, so a page asks for the token once (a prompt), keeps it for the tab and
sends it as a bearer token — before, every request of the page was refused (401) and the form
could not answer."""

from __future__ import annotations

import pytest

from api.conftest import chromium, served
from api.test_web_plan import HOUSEHOLDS, fill
from dist401k.api import create_app
from dist401k.store import Store

pytestmark = pytest.mark.slow
TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def token_url(tmp_path_factory):
    yield from served(create_app(
        store=Store(f"sqlite:///{tmp_path_factory.mktemp('t') / 'db.sqlite'}"), token=TOKEN))


def _browser_page(answer: str | None):
    from playwright.sync_api import sync_playwright

    p = sync_playwright().start()
    browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    asked: list[str] = []

    def on_dialog(d):
        asked.append(d.message)
        d.accept(answer) if answer is not None else d.dismiss()
    page.on("dialog", on_dialog)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return p, browser, page, asked, errors


def test_the_planner_asks_for_the_token_once_and_plans(token_url):
    p, browser, page, asked, errors = _browser_page(TOKEN)
    try:
        fill(page, token_url, HOUSEHOLDS["single-retiree"])
        page.wait_for_selector("#plan-results:not([hidden])")
        assert len(asked) == 1 and "DIST401K_API_TOKEN" in asked[0]
        fill(page, token_url, HOUSEHOLDS["single-retiree"])  # the tab keeps it: not asked again
        page.wait_for_selector("#plan-results:not([hidden])")
        assert len(asked) == 1 and not errors, errors
    finally:
        browser.close()
        p.stop()


def test_without_the_token_the_page_says_why(token_url):
    p, browser, page, asked, errors = _browser_page(None)
    try:
        fill(page, token_url, HOUSEHOLDS["single-retiree"])
        page.wait_for_function("document.body.innerText.includes('asks for its API token')")
        assert asked and not errors, errors
    finally:
        browser.close()
        p.stop()
