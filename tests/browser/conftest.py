"""Browser tests: the app served by uvicorn on a free local port (on the test ``engine``, so on
SQLite and PostgreSQL), driven by Playwright through Debian's Chromium.

Nothing is downloaded: Playwright's Python package drives the system browser at
``/usr/bin/chromium`` (``apt-get install chromium``; CI's ``.ci/run`` installs it). Set
CITYDIPLOMACY_CHROMIUM to use another binary. Screenshots of the main pages are saved to
``test-artifacts/screenshots/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CITYDIPLOMACY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives Chromium through Playwright (deselect with -m 'not browser')")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(web_app) -> str:
    """Base URL of the app served by uvicorn in a background thread."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium (the Debian package), one per test session."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium) or set "
            "CITYDIPLOMACY_CHROMIUM; deselect browser tests with -m 'not browser'"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def backend(database_url) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


@pytest.fixture
def screenshot(backend) -> Callable:
    """``screenshot(page, "dashboard")`` saves test-artifacts/screenshots/<backend>-dashboard.png (full page)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{backend}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def open_browser(browser, live_server, test_users, engine):
    """``open_browser("viewer", workspace)``: a page signed in through /login as that role of the
    workspace (``None``: nobody signed in). ``phone=True`` gives a 375 px wide viewport."""
    from citydiplomacy.services import accounts
    from citydiplomacy.services.registry import Actor
    from tests.fixtures.web import TEST_PASSWORD

    contexts = []

    def make(role: str | None, workspace: str | None = None, *, phone: bool = False):
        context = browser.new_context(viewport=PHONE if phone else DESKTOP, base_url=live_server, device_scale_factor=1)
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        if role is None:
            return page
        user = test_users[role]
        if workspace is not None:
            accounts.grant_role(engine, user.username, workspace, role, Actor.system("python"))
        page.goto("/login")
        page.get_by_label("User name").fill(user.username)
        page.get_by_label("Password").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert "/login" not in page.url, page.content()[:2000]
        return page

    yield make
    for context in contexts:
        context.close()
