"""Staff accounts, passwords and API tokens."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session as DbSession

from ..errors import ValidationError
from .models import ROLES, User

_hasher = PasswordHasher()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_api_token() -> str:
    """A 256-bit random token; only its hash is stored."""
    return "mo_" + secrets.token_urlsafe(32)


def create_user(dbs: DbSession, email: str, role: str, *, now: datetime,
                password: str | None = None, language: str = "en") -> tuple[User, str]:
    """Create a staff account; returns it and its API token (shown once)."""
    email = email.strip().lower()
    if role not in ROLES:
        raise ValidationError(fields={"role": f"one of {', '.join(ROLES)}"})
    if "@" not in email:
        raise ValidationError(fields={"email": "an email address"})
    if dbs.query(User).filter_by(email=email).first():
        raise ValidationError(fields={"email": "already exists"})
    token = new_api_token()
    user = User(email=email, role=role, token_hash=hash_token(token), created_at=now,
                language=language)
    if password:
        user.password_hash = _hasher.hash(password)
    dbs.add(user)
    dbs.flush()
    return user, token


def rotate_token(user: User) -> str:
    """Replace the user's API token (the old one stops working)."""
    token = new_api_token()
    user.token_hash = hash_token(token)
    return token


def revoke_token(user: User) -> None:
    """The user's API token stops working; sign-in with a password still does."""
    user.token_hash = None


def set_password(user: User, password: str) -> None:
    user.password_hash = _hasher.hash(password)


def user_by_token(dbs: DbSession, token: str) -> User | None:
    if not token or not token.startswith("mo_"):
        return None
    user = dbs.query(User).filter_by(token_hash=hash_token(token)).first()
    return user if user is not None and user.active else None


def check_credentials(dbs: DbSession, email: str, secret: str) -> User | None:
    """The user whose password (or, before one is set, API token) matches; else None."""
    user = dbs.query(User).filter_by(email=(email or "").strip().lower()).first()
    if user is None or not user.active or not secret:
        _hasher.hash("timing-equaliser")  # same cost whether or not the user exists
        return None
    if user.password_hash:
        try:
            _hasher.verify(user.password_hash, secret)
            return user
        except (VerificationError, InvalidHashError):
            return None
    if user.token_hash and hmac.compare_digest(user.token_hash, hash_token(secret)):
        return user
    return None
