"""Who is asking: staff (session cookie or Bearer API token) or a participant (Bearer token
or personal link). Views call these helpers; services never look at the request."""

from __future__ import annotations

from functools import wraps

from flask import g, redirect, request, url_for
from flask_login import current_user

from ..errors import Forbidden, Unauthorized
from ..extensions import csrf, db, login_manager
from .models import User
from .services import user_by_token


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None


@login_manager.request_loader
def _load_user_from_header(req) -> User | None:
    token = bearer_token()
    if token:
        user = user_by_token(db.session, token)
        if user is not None:
            g.auth_by_bearer = True
        return user
    return None


def current_staff() -> User | None:
    return current_user if current_user.is_authenticated else None


def check_csrf_for_cookie_auth() -> None:
    """API writes authenticated by the session cookie need the CSRF header (X-CSRFToken) too;
    Bearer-token and anonymous calls carry no ambient authority and need none."""
    if request.method in ("GET", "HEAD", "OPTIONS") or bearer_token() is not None:
        return
    if current_user.is_authenticated:
        csrf.protect()


def require_staff(*roles: str, page: bool = False):
    """Allow signed-in staff with one of ``roles`` (admins always). Pages send strangers to
    the sign-in form; the API answers 401, and 403 to the wrong role."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_staff()
            if user is None:
                if page and bearer_token() is None:
                    return redirect(url_for("auth.login", next=request.full_path))
                raise Unauthorized()
            if roles and not user.has_role(*roles):
                raise Forbidden()
            g.staff = user
            return view(*args, **kwargs)

        return wrapped

    return decorator
