"""Real-browser fixtures: the app served by gunicorn on a free local port, Debian's Chromium
driven by Playwright, and axe-core to check accessibility.

Chromium comes from Debian (``apt-get install chromium``; ``make test`` installs it as root):
Playwright's own browser download cannot work on these machines, so it is launched through
``executable_path``. Without Chromium these tests are skipped with a message, except under CI
(``CI`` set), where they must run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from .booth import BOOTH_CLOCK, BoothWorld, seed
from .server import ADMIN_EMAIL, ADMIN_PASSWORD, start_server

CHROMIUM = shutil.which("chromium")
CSP_GUARD = Path(__file__).with_name("csp_guard.js")
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
def booth_app(tmp_path_factory):
    """A second server, its clock inside the first session (27 November, 11:25 Santiago):
    a published agenda, booth notes, a chair, an interpreter and a dozen participants
    (tests/e2e/booth.py). ``booth_app.world`` says what was made."""
    _require_chromium()
    world = BoothWorld()
    server = start_server(tmp_path_factory.mktemp("booth"), workers=1, threads=20,
                          clock_start=BOOTH_CLOCK, seed=seed(world))
    server.world = world
    yield server
    server.stop()


@pytest.fixture
def booth_context(browser, booth_app):
    """Like ``context``, on the booth server."""
    context = browser.new_context(base_url=booth_app.url, locale="en-US",
                                  timezone_id="Europe/Madrid",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    seen = guard_csp(context)
    yield context
    for page in context.pages:
        assert_no_csp_violations(seen, page)
    context.close()
    assert_no_csp_violations(seen)


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                              headless=True)
        yield chromium
        chromium.close()


def is_csp_report(text: str) -> bool:
    """A console message that reports a Content-Security-Policy violation: our guard's, or
    Chromium's own "Refused to ... because it violates the ... Content Security Policy"."""
    return text.startswith("[csp-violation]") or (
        "Refused to" in text and "Content Security Policy" in text)


def guard_csp(context) -> list[str]:
    """Watch every page of ``context`` for Content-Security-Policy violations; the returned
    list fills as they happen (see :func:`assert_no_csp_violations`)."""
    violations: list[str] = []
    context.add_init_script(path=str(CSP_GUARD))
    context.csp_violations = violations  # read by axe.assert_accessible after each page

    def on_console(message) -> None:
        if is_csp_report(message.text):
            where = message.page.url if message.page is not None else "?"
            violations.append(f"{where}: {message.text}")

    context.on("console", on_console)
    return violations


def assert_no_csp_violations(violations: list[str], page=None) -> None:
    """No violation so far in the context, nor recorded in ``page`` (read from the page
    itself, so a violation is caught even before its console message arrives)."""
    recorded = list(violations)
    if page is not None and not page.is_closed():
        # a page navigating or gone cannot answer: the console list still counts
        with contextlib.suppress(Exception):
            recorded += page.evaluate("() => window.__cspViolations || []")
    assert not recorded, "Content-Security-Policy violations:\n" + "\n".join(recorded)


@pytest.fixture
def context(browser, live_app):
    """A fresh browser profile (no cookies) whose relative URLs go to the live app; the
    visitor is in Madrid, so pages also show times in the visitor's zone (localtime.js).
    Every page is watched for Content-Security-Policy violations: any fails the test."""
    context = browser.new_context(base_url=live_app.url, locale="en-US",
                                  timezone_id="Europe/Madrid")
    context.set_default_timeout(15_000)
    seen = guard_csp(context)
    yield context
    for page in context.pages:
        assert_no_csp_violations(seen, page)
    context.close()
    assert_no_csp_violations(seen)


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
