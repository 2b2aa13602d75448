"""Staff accounts: admins (the secretariat), chairs and interpreters."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime
from ..extensions import db

ROLES = ("admin", "chair", "interpreter")


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: sign-in name, stored lower-case
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: admin, chair or interpreter
    role: Mapped[str] = mapped_column(String(20))
    #: argon2 hash; null until a password is set (the API token signs in meanwhile)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    #: SHA-256 of the API token; the token itself is shown once and never stored
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    #: preferred interface language
    language: Mapped[str] = mapped_column(String(5), default="en")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def has_role(self, *roles: str) -> bool:
        """Admins may do what any staff role may."""
        return self.role == "admin" or self.role in roles
