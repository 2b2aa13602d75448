"""axe-core on every page, in Spanish and in English: no serious or critical violation."""

from __future__ import annotations

import json
import urllib.request

import pytest

from .axe import assert_accessible

pytestmark = pytest.mark.e2e

SLUG = "pac-support-platform-2025"
LANGUAGES = ("es", "en")
PUBLIC_PAGES = ["/", f"/meetings/{SLUG}", f"/meetings/{SLUG}/register", "/login",
                "/no-such-page", "/api/v1/docs"]
# {session} is the demo meeting's first session. The floor pages with a session under way
# (a speaker, a queue, an agenda) are checked in test_interpreter_journey.py and
# test_chair_keyboard.py.
SESSION_PAGES = [f"/meetings/{SLUG}/agenda", "/sessions/{session}/live"]
STAFF_SESSION_PAGES = ["/sessions/{session}/chair", "/sessions/{session}/interpret",
                       f"/admin/meetings/{SLUG}/agenda"]
ADMIN_PAGES = ["/admin", "/admin/registrations", f"/admin/meetings/{SLUG}/registrations",
               "/admin/outbox", "/admin/audit", f"/admin/meetings/{SLUG}/comments",
               f"/admin/meetings/{SLUG}/support", f"/admin/meetings/{SLUG}/consultation"]


def with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def visit(page, path: str, lang: str, *, expect_ok: bool = True):
    response = page.goto(with_lang(path, lang))
    if expect_ok:
        assert response.ok, (path, response.status)
    assert page.locator("html").get_attribute("lang") == lang
    return response


@pytest.fixture(scope="module")
def personal_link(live_app) -> str:
    """A registration made through the API; its personal page path."""
    body = json.dumps({"name": "Axe Tester", "email": "axe.tester@example.org",
                       "organization": "Accessibility Lab", "category": "academia",
                       "country": "AR", "language": "en", "consent": True}).encode()
    request = urllib.request.Request(
        f"{live_app.url}/api/v1/meetings/{SLUG}/registrations", data=body, method="POST",
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return "/r/" + json.load(response)["token"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages(page, path, lang):
    visit(page, path, lang, expect_ok=path != "/no-such-page")
    assert_accessible(page)


@pytest.fixture(scope="module")
def first_session(live_app) -> int:
    with urllib.request.urlopen(f"{live_app.url}/api/v1/meetings/{SLUG}", timeout=10) as response:
        return json.load(response)["sessions"][0]["id"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", SESSION_PAGES)
def test_session_pages(page, first_session, path, lang):
    visit(page, path.format(session=first_session), lang)
    page.locator("#floor[data-role], main h1").first.wait_for()
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", STAFF_SESSION_PAGES)
def test_staff_session_pages(admin_page, first_session, path, lang):
    visit(admin_page, path.format(session=first_session), lang)
    assert_accessible(admin_page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_registration_form_with_errors(page, lang):
    """The form after a submission with every field missing: errors must stay accessible."""
    visit(page, f"/meetings/{SLUG}/register", lang)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("[aria-invalid=true]").count() >= 3
    assert_accessible(page)


@pytest.fixture(scope="module")
def personal_comment(live_app, personal_link) -> str:
    """A comment of the registration above, made through the API; its edit page's path."""
    token = personal_link.rsplit("/", 1)[1]
    with urllib.request.urlopen(f"{live_app.url}/api/v1/meetings/{SLUG}/priority-areas",
                                timeout=10) as response:
        code = json.load(response)[0]["code"]
    body = json.dumps({"priority_areas": [code], "horizon": "short",
                       "text": "Un comentario para revisar la accesibilidad."}).encode()
    request = urllib.request.Request(
        f"{live_app.url}/api/v1/meetings/{SLUG}/comments", data=body, method="POST",
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return f"{personal_link}/comments/{json.load(response)['id']}/edit"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_personal_page(page, personal_link, lang):
    visit(page, personal_link, lang)
    assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_comment_pages(page, personal_link, personal_comment, lang):
    for path in (f"{personal_link}/comments/new", personal_comment):
        visit(page, path, lang)
        assert_accessible(page)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_secretariat_pages(admin_page, personal_link, path, lang):
    visit(admin_page, path, lang)
    assert_accessible(admin_page)


def test_axe_reports_a_violation_it_should(page):
    """The checker itself works: an image without a text alternative is a critical failure."""
    from .axe import axe_violations

    page.set_content('<!doctype html><html lang="en"><head><title>t</title></head><body>'
                     '<main><img src="data:,"></main></body></html>')
    assert [v["id"] for v in axe_violations(page)] == ["image-alt"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_first_tab_reaches_a_visible_skip_link(page, lang):
    """Keyboard users first meet "skip to content", shown when focused, leading to <main>."""
    visit(page, f"/meetings/{SLUG}/register", lang)
    page.keyboard.press("Tab")
    focused = page.locator(":focus")
    assert focused.get_attribute("href") == "#main"
    box = focused.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0 and box["width"] > 0
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
