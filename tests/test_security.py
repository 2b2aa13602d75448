"""Security headers, the CSP the templates must satisfy, cookies and rate limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .conftest import DEMO_SLUG, registration_payload

TEMPLATES = Path(__file__).parents[1] / "templates"


@pytest.mark.parametrize("url", ["/", f"/meetings/{DEMO_SLUG}/register", "/login",
                                 f"/api/v1/meetings/{DEMO_SLUG}", "/nowhere"])
def test_security_headers_on_every_response(client, meeting, url):
    response = client.get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_personal_pages_are_not_cached(client, meeting, register):
    token = register()["token"]
    response = client.get(f"/r/{token}")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"  # join links leak no token


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"(\sstyle\s*=|<style)", re.IGNORECASE)


@pytest.mark.parametrize("template", sorted(p for p in TEMPLATES.rglob("*.html")),
                         ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_satisfy_the_csp(template):
    """No inline script, event handler or style: the CSP would block them."""
    text = template.read_text("utf-8")
    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_HANDLER.search(text)
    assert not INLINE_STYLE.search(text)


def test_session_cookie_is_httponly_and_samesite(client, meeting, make_user):
    user, _token = make_user("admin", password="pw-long-enough")
    response = client.post("/login", data={"email": user.email, "password": "pw-long-enough"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_when_configured(monkeypatch):
    from meetops.config import from_environment

    values = from_environment({"MEETOPS_SECURE_COOKIES": "1"})
    assert values["SESSION_COOKIE_SECURE"] is True and values["REMEMBER_COOKIE_SECURE"] is True


@pytest.fixture
def limited(app):
    from meetops.security import limiter

    app.config.update(MEETOPS_LIMIT_REGISTRATION="3 per minute",
                      MEETOPS_LIMIT_SIGN_IN="2 per minute", MEETOPS_LIMIT_TOKEN="3 per minute")
    limiter.reset()
    yield app
    limiter.reset()


def test_registration_rate_limit_answers_429_in_the_users_language(client, meeting, limited):
    url = f"/api/v1/meetings/{DEMO_SLUG}/registrations?lang=es"
    codes = [client.post(url, json=registration_payload(email=f"p{i}@example.org")).status_code
             for i in range(4)]
    assert codes == [201, 201, 201, 429]
    body = client.post(url, json=registration_payload(email="late@example.org")).get_json()
    assert body["error"] == "too_many_requests"
    assert body["message"] == "Demasiadas solicitudes. Espere un momento e inténtelo de nuevo."


def test_sign_in_rate_limit(client, meeting, limited):
    codes = [client.post("/login", data={"email": "x@example.org", "password": "nope"}
                         ).status_code for _ in range(3)]
    assert codes == [401, 401, 429]
    assert client.get("/login").status_code == 200  # reading the form is not limited


def test_token_lookup_rate_limit(client, meeting, limited):
    codes = [client.get(f"/r/{'a' * 60}").status_code for _ in range(4)]
    assert codes == [404, 404, 404, 429]
