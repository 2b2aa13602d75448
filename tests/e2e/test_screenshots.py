"""Screenshots of the interpreters' view and the chair's console in a realistic state (a
speaker on the floor, a queue, the agenda under way), taken against the live server.

They are written to a temporary folder on every run (the pages must render); with
``MEETOPS_SCREENSHOTS=docs/screenshots`` they replace the pictures in the docs::

    MEETOPS_SCREENSHOTS=docs/screenshots python -m pytest tests/e2e/test_screenshots.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .booth import CHAIR_EMAIL, INTERPRETER_EMAIL, ask, chair_action, clear_floor, sign_in

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def target(tmp_path: Path) -> Path:
    wanted = os.environ.get("MEETOPS_SCREENSHOTS")
    folder = (ROOT / wanted) if wanted else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_screenshots_of_the_interpreter_and_chair_views(booth_app, browser, booth_context,
                                                        tmp_path):
    base, world = booth_app.url, booth_app.world
    folder = target(tmp_path)
    clear_floor(base, world)
    people = world.participants
    # earlier: a Chilean delegate spoke in Spanish; now Brazil speaks Portuguese (relay)
    for person in (people[5], people[2], people[1], people[4], people[9]):
        ask(base, world, person)
    chair_action(base, world, "next")
    booth_context.new_page().wait_for_timeout(4000)  # Sofía speaks a few seconds
    chair_action(base, world, "next")

    interpreter = booth_context.new_page()
    sign_in(interpreter, INTERPRETER_EMAIL, lang="es")
    interpreter.goto(f"/sessions/{world.session_id}/interpret?lang=es")
    interpreter.locator('[data-floor="name"]', has_text="Luiza Andrade").wait_for()
    interpreter.locator('[data-booth="next"] li').nth(2).wait_for()
    interpreter.locator('[data-booth="elapsed"]', has_text=":0").wait_for()
    interpreter.wait_for_timeout(2500)  # a few seconds spoken
    interpreter.screenshot(path=str(folder / "interpreter.png"), full_page=True)

    chair_context = browser.new_context(base_url=base, locale="en-US",
                                        viewport={"width": 1280, "height": 900})
    try:
        chair = chair_context.new_page()
        sign_in(chair, CHAIR_EMAIL, lang="en")
        chair.goto(f"/sessions/{world.session_id}/chair?lang=en")
        chair.locator('[data-floor="name"]', has_text="Luiza Andrade").wait_for()
        chair.locator("tr[data-request]").nth(2).wait_for()
        chair.locator('[data-floor="done"] tr').first.wait_for()
        chair.wait_for_timeout(1000)
        chair.screenshot(path=str(folder / "chair.png"), full_page=True)
    finally:
        chair_context.close()
    for name in ("interpreter.png", "chair.png"):
        assert (folder / name).stat().st_size > 10_000
    clear_floor(base, world)
