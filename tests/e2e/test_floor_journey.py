"""The chair's console and the live page in a real browser (skipped without Chromium)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from meetops.extensions import db

from ..test_floor_stream import ROOT, call, free_port, wait_until_serving
from .axe import assert_accessible
from .conftest import assert_no_csp_violations, guard_csp

ICON = """() => getComputedStyle(
    document.querySelector('[data-floor="clock"] .floor-icon'), '::before').content"""


@pytest.mark.e2e
@pytest.mark.slow
def test_chair_gives_the_floor_and_both_screens_count_down_to_the_limit(tmp_path, browser):
    from meetops import create_app
    from meetops.auth.services import create_user
    from meetops.clock import now as clock_now
    from meetops.meetings.services import demo_data, load_meeting
    from meetops.registration.services import register

    from ..conftest import OPEN_INSTANT, registration_payload

    url = f"sqlite:///{tmp_path / 'e2e.sqlite'}"
    setup = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "k"})
    with setup.app_context():
        db.create_all()
        meeting, _ = load_meeting(db.session, demo_data())
        # a short limit; the warning phase (the last 5 s) is long enough for a slow machine
        meeting.intervention_seconds, meeting.warning_seconds = 6, 5
        person = register(db.session, meeting, registration_payload(name="Ana Pérez"),
                          now=OPEN_INSTANT)
        _, chair = create_user(db.session, "chair@example.org", "chair", now=clock_now())
        db.session.commit()
        session_id, token = meeting.sessions[0].id, person.token
        db.session.remove()
        db.engine.dispose()

    port = free_port()
    env = {**os.environ, "MEETOPS_DATABASE_URL": url, "MEETOPS_SECRET_KEY": "k"}
    env.pop("MEETOPS_CLOCK_START", None)
    server = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "run", "--port",
                               str(port), "--no-reload"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(port, server)
        errors: list[str] = []
        context = browser.new_context(extra_http_headers={"Authorization": f"Bearer {chair}"})
        context.set_default_timeout(15_000)
        csp = guard_csp(context)
        console = context.new_page()
        console.on("pageerror", lambda e: errors.append(str(e)))
        console.goto(f"{base}/sessions/{session_id}/chair")
        live_context = browser.new_context()
        live_context.set_default_timeout(15_000)
        live_csp = guard_csp(live_context)
        live = live_context.new_page()
        live.on("pageerror", lambda e: errors.append(str(e)))
        live.goto(f"{base}/sessions/{session_id}/live?lang=es")
        # the live page is opened once: every change below reaches it without a reload
        live.evaluate("() => { window.__sameDocument = true; }")
        console.wait_for_selector('[data-floor="clock"][data-phase="idle"]')

        status, _ = call(port, "POST", f"/api/v1/sessions/{session_id}/floor/requests",
                         {"kind": "reply", "language": "pt"}, token)
        assert status == 201
        console.wait_for_selector("tr[data-request]", timeout=10_000)
        assert "Ana Pérez" in console.text_content('[data-floor="queue"]')
        live.locator('[data-floor="next"]', has_text="Ana Pérez").wait_for(timeout=10_000)

        console.keyboard.press("n")  # keyboard shortcut: next speaker
        # locator waits, not wait_for_function: the CSP forbids evaluating strings
        live.locator('[data-floor="name"]', has_text="Ana").wait_for(timeout=10_000)
        assert "Derecho de réplica" in live.text_content('[data-floor="detail"]')
        for page in (console, live):
            page.wait_for_selector('[data-floor="clock"][data-phase="warning"]',
                                   timeout=5000)
        assert "⚠" not in console.text_content('[data-floor="timer"]')
        # the warning is said in words and shown with an icon, never by colour alone
        for page in (console, live):
            assert "⚠" in page.evaluate(ICON)
        assert live.text_content('[data-floor="phase-text"]').startswith("Aviso")
        # heard on the console (sound on from the start), opt-in on the public page
        assert console.get_attribute('[data-action="sound"]', "aria-pressed") == "true"
        assert live.get_attribute('[data-action="sound"]', "aria-pressed") == "false"
        assert console.text_content('[data-floor="phase-text"]').startswith("Warning")
        # the limit: the server ends the turn by itself, both screens follow
        console.locator('[data-floor="done"]', has_text="ended at the limit").wait_for(
            timeout=12_000)
        live.wait_for_selector('[data-floor="clock"][data-phase="idle"]', timeout=10_000)
        assert live.text_content('[data-floor="name"]') == "Nadie tiene la palabra."
        assert live.evaluate("() => window.__sameDocument === true")
        assert errors == []
        assert_accessible(live)
        for page, seen in ((console, csp), (live, live_csp)):
            assert_no_csp_violations(seen, page)
        context.close()
        live_context.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        server.stderr.close()
