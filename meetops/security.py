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


def limit(config_key: str):
    """A rate limit read from configuration (``MEETOPS_LIMIT_*``) at request time."""
    return limiter.limit(lambda: current_app.config[config_key])


def limit_post(config_key: str):
    """Like :func:`limit`, counting only POST requests (sign-in and forms)."""
    return limiter.limit(lambda: current_app.config[config_key],
                         exempt_when=lambda: request.method != "POST")


def set_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
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
