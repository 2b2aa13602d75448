"""Security headers, the Content Security Policy, proxies and rate limits.

Pages load scripts and styles only from this origin (no inline script or style), may not be
framed, and never send the personal link as a Referer to other sites (a join link clicked on
``/r/<token>`` must not leak the token).
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "media-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

limiter = Limiter(get_remote_address, default_limits=[], headers_enabled=True)


#: the view functions that carry a limit (every other request skips the limiter's work)
_limited: set = set()


def _marked(decorate):
    def wrap(view):
        limited = decorate(view)
        _limited.add(limited)
        return limited
    return wrap


def limit(config_key: str):
    """A rate limit read from configuration (``MEETOPS_LIMIT_*``) at request time."""
    return _marked(limiter.limit(lambda: current_app.config[config_key]))


def limit_post(config_key: str):
    """Like :func:`limit`, counting only POST requests (sign-in and forms)."""
    return _marked(limiter.limit(lambda: current_app.config[config_key],
                                 exempt_when=lambda: request.method != "POST"))


@limiter.request_filter
def _unlimited() -> bool:
    """No limit on this view: skip resolving limits (a fifth of a light request's time, such
    as the floor's read, which live pages and tools poll)."""
    return current_app.view_functions.get(request.endpoint) not in _limited


#: (lower-case name, name, value) of the headers every response gets unless a view set them
HEADERS = tuple((name.lower(), name, value) for name, value in (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
))


def set_headers(response):
    headers = response.headers
    # one pass, not one per header (iterating Headers gives pairs, hence keys())
    present = {name.lower() for name in headers.keys()}  # noqa: SIM118
    for lower, name, value in HEADERS:
        if lower not in present:
            headers.add(name, value)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.path.startswith("/r/"):
        headers.setdefault("Cache-Control", "private, no-store")
    return response


def init_app(app: Flask) -> None:
    hops = int(app.config.get("MEETOPS_PROXY_HOPS") or 0)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.config.setdefault("RATELIMIT_STORAGE_URI",
                          app.config.get("MEETOPS_REDIS_URL") or "memory://")
    limiter.init_app(app)
    app.after_request(set_headers)
