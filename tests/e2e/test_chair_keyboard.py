"""The chair's console by keyboard alone, with a visible focus; the timer announced politely
(a live region that speaks on events, never every second); states shown by text and icon,
not by colour alone."""

from __future__ import annotations

import pytest

from .axe import assert_accessible
from .booth import CHAIR_EMAIL, ask, clear_floor, sign_in

pytestmark = pytest.mark.e2e

FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) { return null; }
  const s = getComputedStyle(e);
  return {action: e.getAttribute('data-action'), tag: e.tagName, disabled: e.disabled === true,
          outline: s.outlineStyle, width: parseFloat(s.outlineWidth) || 0,
          shadow: s.boxShadow};
}"""


def tab_to(page, action: str, *, limit: int = 80) -> dict:
    """Press Tab until the control ``data-action=action`` has the focus; its focus ring."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["action"] == action:
            return focused
    raise AssertionError(f"Tab never reached the {action!r} button")


def assert_visible_focus(focused: dict) -> None:
    assert (focused["outline"] not in ("none", "") and focused["width"] >= 2) \
        or focused["shadow"] not in ("none", ""), focused


def icon(page) -> str:
    return page.evaluate("""() => getComputedStyle(
        document.querySelector('[data-floor="clock"] .floor-icon'), '::before').content""")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_chair_runs_the_floor_with_the_keyboard_only(booth_app, booth_context, lang):
    base, world = booth_app.url, booth_app.world
    clear_floor(base, world)
    first, second = world.participants[6], world.participants[7]
    ask(base, world, first)
    ask(base, world, second)

    page = booth_context.new_page()
    sign_in(page, CHAIR_EMAIL, lang=lang)
    page.goto(f"/sessions/{world.session_id}/chair?lang={lang}")
    page.locator("tr[data-request]").nth(1).wait_for()
    assert_accessible(page)

    # the markup: the big timer is hidden from screen readers; a polite status speaks instead
    announce = page.locator('[data-floor="announce"]')
    assert announce.get_attribute("aria-live") == "polite"
    assert announce.get_attribute("role") == "status"
    assert page.locator('[data-floor="timer"]').get_attribute("aria-hidden") == "true"

    # Next speaker: Tab to it (a visible focus ring), Enter
    assert_visible_focus(tab_to(page, "next"))
    page.keyboard.press("Enter")
    page.locator('[data-floor="name"]', has_text=first["name"]).wait_for()
    page.locator('[data-floor="clock"][data-phase="speaking"]').wait_for()
    assert "●" in icon(page)
    page.locator('[data-floor="announce"]', has_text=first["name"]).wait_for()

    # while the time runs, the live region stays quiet: no announcement every second
    page.evaluate("""() => {
        window.__announcements = 0;
        new MutationObserver(() => { window.__announcements += 1; }).observe(
            document.querySelector('[data-floor="announce"]'),
            {childList: true, characterData: true, subtree: true});
    }""")
    before = page.locator('[data-floor="timer"]').inner_text()
    page.wait_for_timeout(3200)
    assert page.locator('[data-floor="timer"]').inner_text() != before  # the timer did run
    assert page.evaluate("() => window.__announcements") == 0

    # Pause: Tab to it, Enter; the state is said in words and with an icon
    assert_visible_focus(tab_to(page, "pause-resume"))
    page.keyboard.press("Enter")
    page.locator('[data-floor="clock"][data-phase="paused"]').wait_for()
    assert "❚❚" in icon(page)
    assert page.locator('[data-floor="phase-text"]').inner_text() in ("Paused", "En pausa")
    assert page.locator('[data-action="pause-resume"]').inner_text().startswith(
        ("Resume", "Reanudar"))
    # the announcement of the pause is polite and once
    page.wait_for_timeout(300)
    assert 1 <= page.evaluate("() => window.__announcements") <= 2

    # Resume: the focus is still on the button; Space presses it
    focused = page.evaluate(FOCUSED)
    assert focused["action"] == "pause-resume"
    assert_visible_focus(focused)
    page.keyboard.press("Space")
    page.locator('[data-floor="clock"][data-phase="speaking"]').wait_for()

    # End: Tab to it, Enter; nobody has the floor
    assert_visible_focus(tab_to(page, "end"))
    page.keyboard.press("Enter")
    page.locator('[data-floor="clock"][data-phase="idle"]').wait_for()
    page.locator('[data-floor="done"] tr', has_text=first["name"]).first.wait_for()

    # the queue by keyboard too: J selects the next request (marked by text, not colour), G gives
    page.keyboard.press("j")
    selected = page.locator("tr.selected")
    selected.wait_for()
    assert selected.get_attribute("aria-selected") == "true"
    assert "▶" in selected.inner_text() and second["name"] in selected.inner_text()
    page.keyboard.press("g")
    page.locator('[data-floor="name"]', has_text=second["name"]).wait_for()
    page.keyboard.press("e")
    page.locator('[data-floor="clock"][data-phase="idle"]').wait_for()
    clear_floor(base, world)
