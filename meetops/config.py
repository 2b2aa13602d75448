"""Configuration: defaults, then ``instance/config.py``, then ``MEETOPS_*`` environment,
then a test mapping. The secret key is generated once into ``instance/secret_key``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_VARS = {
    "MEETOPS_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "MEETOPS_SECRET_KEY": "SECRET_KEY",
    "MEETOPS_CLOCK_START": "MEETOPS_CLOCK_START",
    "MEETOPS_REDIS_URL": "MEETOPS_REDIS_URL",
    "MEETOPS_SMTP_URL": "MEETOPS_SMTP_URL",
    "MEETOPS_MAIL_FROM": "MEETOPS_MAIL_FROM",
    "MEETOPS_BASE_URL": "MEETOPS_BASE_URL",
    "MEETOPS_RUN_SCHEDULER": "MEETOPS_RUN_SCHEDULER",
    "MEETOPS_PROXY_HOPS": "MEETOPS_PROXY_HOPS",
    "MEETOPS_RETENTION_DAYS": "MEETOPS_RETENTION_DAYS",
    "MEETOPS_LIMIT_REGISTRATION": "MEETOPS_LIMIT_REGISTRATION",
    "MEETOPS_LIMIT_TOKEN": "MEETOPS_LIMIT_TOKEN",
    "MEETOPS_LIMIT_SIGN_IN": "MEETOPS_LIMIT_SIGN_IN",
    "MEETOPS_LIMIT_FLOOR_REQUEST": "MEETOPS_LIMIT_FLOOR_REQUEST",
    "MEETOPS_SECURE_COOKIES": "SESSION_COOKIE_SECURE",
}
BOOLEANS = ("MEETOPS_RUN_SCHEDULER", "SESSION_COOKIE_SECURE")


def defaults(instance_path: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + os.path.join(instance_path, "meetops.sqlite"),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "MAX_CONTENT_LENGTH": 256 * 1024,  # requests larger than this get a 413
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "MEETOPS_LANGUAGES": ("en", "es"),
        "MEETOPS_CLOCK_START": None,
        "MEETOPS_REDIS_URL": None,
        "MEETOPS_SMTP_URL": None,
        "MEETOPS_MAIL_FROM": "meetops@localhost",
        "MEETOPS_BASE_URL": None,
        "MEETOPS_RUN_SCHEDULER": False,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "SESSION_COOKIE_SECURE": False,  # MEETOPS_SECURE_COOKIES=1 behind HTTPS
        "MEETOPS_PROXY_HOPS": 0,  # reverse proxies in front that set X-Forwarded-*
        "MEETOPS_RETENTION_DAYS": 180,  # personal data kept this long after the last session
        # rate limits per client address (Flask-Limiter syntax)
        "MEETOPS_LIMIT_REGISTRATION": "20 per minute; 200 per hour",
        "MEETOPS_LIMIT_TOKEN": "60 per minute",
        "MEETOPS_LIMIT_SIGN_IN": "10 per minute; 50 per hour",
        "MEETOPS_LIMIT_FLOOR_REQUEST": "20 per minute",
    }


def from_environment(environ=os.environ) -> dict:
    values = {}
    for var, key in ENV_VARS.items():
        if environ.get(var):
            values[key] = environ[var]
    for key in BOOLEANS:
        if key in values:
            values[key] = values[key].lower() in ("1", "true", "yes", "on")
    if "SESSION_COOKIE_SECURE" in values:
        values["REMEMBER_COOKIE_SECURE"] = values["SESSION_COOKIE_SECURE"]
    return values


def ensure_secret_key(instance_path: str) -> str:
    """Read ``instance/secret_key``, creating it (mode 600) on first start."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key:
            return key
    key = secrets.token_hex(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another worker won the race: use its key
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
