"""The language switcher in a real browser: the choice persists from page to page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_switching_language_persists_across_pages(page):
    page.goto("/")  # the browser asks for English (locale en-US)
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Español").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("link", name="Español").get_attribute("aria-current") == "true"

    page.get_by_role("link", name="Inscribirse").first.click()  # a page without ?lang=
    page.wait_for_load_state()
    assert "lang=" not in page.url
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("heading", level=1, name="Inscribirse").wait_for()

    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    page.get_by_role("heading", level=1, name="Register").wait_for()
    page.goto("/login")
    assert page.locator("html").get_attribute("lang") == "en"
