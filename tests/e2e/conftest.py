"""Real-browser fixtures: the app served by gunicorn on a free local port, Debian's Chromium
driven by Playwright, and axe-core to check accessibility.

Chromium comes from Debian (``apt-get install chromium``; ``make test`` installs it as root):
Playwright's own browser download cannot work on these machines, so it is launched through
``executable_path``. Without Chromium these tests are skipped with a message, except under CI
(``CI`` set), where they must run.
"""

from __future__ import annotations

import os
import shutil

import pytest

from .server import ADMIN_EMAIL, ADMIN_PASSWORD, start_server

CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def _require_chromium() -> None:
    if CHROMIUM:
        return
    message = ("Chromium is not installed: the browser tests in tests/e2e need Debian's "
               "package (`apt-get install chromium`; `make test` installs it when run as root).")
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The app as production runs it: migrated SQLite file, demo meeting, an admin, gunicorn,
    clock started inside the registration window."""
    _require_chromium()
    server = start_server(tmp_path_factory.mktemp("e2e"), workers=1, threads=20)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser, live_app):
    """A fresh browser profile (no cookies) whose relative URLs go to the live app; the
    visitor is in Madrid, so pages also show times in the visitor's zone (localtime.js)."""
    context = browser.new_context(base_url=live_app.url, locale="en-US",
                                  timezone_id="Europe/Madrid")
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def admin_page(page):
    """A page signed in as the secretariat (admin), through the sign-in form."""
    page.goto("/login?lang=en")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password or API token").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert "/login" not in page.url, page.content()
    return page
