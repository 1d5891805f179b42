from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn
import yaml
from fastapi.testclient import TestClient

from dist401k.api import create_app
from dist401k.report import chromium
from dist401k.store import Store

EXAMPLES = Path(__file__).parents[2] / "examples" / "cases"


def screenshot(page, name: str, tmp_dir: Path) -> Path:
    """A screenshot of the page, checked not blank; written over docs/<name> (the README's
    pictures) only when DIST401K_UPDATE_SCREENSHOTS=1, so that a test run leaves the
    repository as it found it."""
    import os
    import shutil

    path = tmp_dir / name
    page.screenshot(path=str(path), full_page=False)
    assert path.stat().st_size > 10_000, "the screenshot is (nearly) blank"
    if os.environ.get("DIST401K_UPDATE_SCREENSHOTS") == "1":
        shutil.copyfile(path, Path(__file__).parents[2] / "docs" / name)
    return path


def example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / f"{name}.yaml").read_text())


@pytest.fixture(scope="session")
def postgres_url():
    """A PostgreSQL server of the test session's own (tests/api/postgres.py)."""
    from api.postgres import TempPostgres

    pg = TempPostgres()
    url = pg.start()
    yield url
    pg.stop()


@pytest.fixture
def store(tmp_path):
    return Store(f"sqlite:///{tmp_path / 'test.db'}")


@pytest.fixture
def client(store):
    return TestClient(create_app(store=store, token=""))


def served(app):
    """Serve ``app`` on a free local port in a thread; yield its URL, then stop it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


# The browser tests' server and page (tests/api/test_web*.py).
@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    yield from served(create_app(
        store=Store(f"sqlite:///{tmp_path_factory.mktemp('w') / 'db.sqlite'}"), token=""))


@pytest.fixture(scope="module")
def page(base_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), args=["--no-sandbox"])
        pg = browser.new_page(viewport={"width": 1000, "height": 900})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.errors = errors
        yield pg
        browser.close()


def untimed(plan):
    """A plan's JSON without its timings (``seconds``, at any depth), which no two runs share."""
    if isinstance(plan, dict):
        return {k: untimed(v) for k, v in plan.items() if k != "seconds"}
    if isinstance(plan, list):
        return [untimed(v) for v in plan]
    return plan
