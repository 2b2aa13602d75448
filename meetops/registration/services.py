"""Registering for a meeting: validation, the deadline, duplicates, the personal token."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import pycountry
from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as DbSession

from ..dbtypes import without_nul
from ..errors import Conflict, Forbidden, ValidationError
from ..meetings.models import Meeting, MeetingSession
from ..meetings.services import registration_is_open
from .categories import CATEGORIES
from .models import Registration
from .signals import category_changing

SELECTOR_LENGTH = 16
TEXT_LIMITS = {"name": 200, "organization": 200, "position": 200, "accessibility": 2000}
REQUIRED_TEXT = ("name", "organization")
FIELDS = ("name", "email", "organization", "position", "category", "country", "language",
          "sessions", "accessibility", "consent")
EDITABLE = ("name", "organization", "position", "category", "country", "language", "sessions",
            "accessibility")


class DuplicateRegistration(Conflict):
    code = "duplicate"
    default_message = _l("This email address is already registered for this meeting. "
                         "We have sent the personal link to it again.")

    def __init__(self, existing: Registration) -> None:
        super().__init__()
        self.existing = existing


def _text(data: dict, name: str, errors: dict, *, required: bool) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            errors[name] = _l("This field is required.")
        return ""
    if not isinstance(value, str):
        errors[name] = _l("Must be text.")
        return ""
    value = without_nul(value)
    value = " ".join(value.split()) if name != "accessibility" else value.strip()
    if required and not value:
        errors[name] = _l("This field is required.")
    elif len(value) > TEXT_LIMITS[name]:
        errors[name] = _l("At most %(n)d characters.", n=TEXT_LIMITS[name])
    return value


def _sessions(meeting: Meeting, value, errors: dict) -> list[MeetingSession] | None:
    if value is None or value == []:
        return None
    if not isinstance(value, list):
        value = [value]
    by_id = {s.id: s for s in meeting.sessions}
    chosen = []
    for item in value:
        try:
            session_id = int(item)
        except (TypeError, ValueError):
            session_id = None
        if isinstance(item, bool) or session_id not in by_id:
            errors["sessions"] = _l("Choose sessions of this meeting.")
            return None
        if by_id[session_id] not in chosen:
            chosen.append(by_id[session_id])
    return chosen


def clean(meeting: Meeting, data: dict, *, partial: bool = False) -> dict:
    """Validate registration fields; raise :class:`ValidationError` with every bad field.

    With ``partial`` (a correction), only the fields present are checked and returned.
    """
    if not isinstance(data, dict):
        raise ValidationError(_l("The body must be a JSON object."))
    errors: dict = {}
    out: dict = {}
    present = (lambda name: name in data) if partial else (lambda name: True)
    for name in ("name", "organization", "position", "accessibility"):
        if present(name):
            out[name] = _text(data, name, errors, required=name in REQUIRED_TEXT)
    if present("email"):
        email = data.get("email")
        if not isinstance(email, str) or not email.strip():
            errors["email"] = _l("Enter your email address.")
        else:
            try:
                out["email"] = validate_email(email.strip(), check_deliverability=False).normalized
            except EmailNotValidError:
                errors["email"] = _l("Enter a valid email address.")
            else:
                if len(out["email"]) > 254:
                    errors["email"] = _l("Enter a valid email address.")
    if present("category"):
        category = data.get("category")
        if category not in CATEGORIES:
            errors["category"] = _l("Choose one of the listed categories.")
        out["category"] = category
    if present("country"):
        country = data.get("country")
        found = (pycountry.countries.get(alpha_2=country.upper())
                 if isinstance(country, str) and len(country) == 2 and country.isalpha() else None)
        if found is None:
            errors["country"] = _l("Choose a country (ISO 3166 two-letter code).")
        else:
            out["country"] = found.alpha_2
    if present("language"):
        language = data.get("language")
        if language not in ("es", "en"):
            errors["language"] = _l("Choose Spanish (es) or English (en).")
        out["language"] = language
    if present("sessions"):
        out["sessions"] = _sessions(meeting, data.get("sessions"), errors)
    if not partial:
        consent = data.get("consent")
        if consent not in (True, "true", "on", "y", "yes", "1"):
            errors["consent"] = _l("Your consent to the processing of your data is required.")
    if errors:
        raise ValidationError(fields=errors)
    return out


def normalize_email(email: str) -> str:
    return email.strip().casefold()


def find_by_email(dbs: DbSession, meeting: Meeting, email: str) -> Registration | None:
    return dbs.execute(select(Registration).filter_by(
        meeting_id=meeting.id, email_normalized=normalize_email(email))).scalar_one_or_none()


def new_token() -> tuple[str, str]:
    """(selector, verifier): 64 bits to find the row, 256 bits of secret."""
    return secrets.token_hex(SELECTOR_LENGTH // 2), secrets.token_urlsafe(32)


def find_by_token(dbs: DbSession, token: str | None) -> Registration | None:
    """The registration whose personal token this is; the secret half is compared in
    constant time."""
    if not token or len(token) <= SELECTOR_LENGTH or len(token) > 200:
        return None
    selector, verifier = token[:SELECTOR_LENGTH], token[SELECTOR_LENGTH:]
    registration = dbs.execute(
        select(Registration).filter_by(token_selector=selector)).scalar_one_or_none()
    if registration is None:
        hmac.compare_digest(verifier, verifier)
        return None
    if not hmac.compare_digest(registration.token_verifier.encode(), verifier.encode()):
        return None
    return registration


def register(dbs: DbSession, meeting: Meeting, data: dict, *, now: datetime) -> Registration:
    """Register a participant. Raises 403 ``registration_closed``, 422 field errors, or
    :class:`DuplicateRegistration` (409) for an email already registered in any letter case."""
    if not registration_is_open(meeting, now):
        raise Forbidden(_l("Registration for this meeting is closed."),
                        code="registration_closed")
    fields = clean(meeting, data)
    existing = find_by_email(dbs, meeting, fields["email"])
    if existing is not None:
        raise DuplicateRegistration(existing)
    sessions = fields.pop("sessions") or list(meeting.sessions)
    selector, verifier = new_token()
    registration = Registration(
        meeting_id=meeting.id, email_normalized=normalize_email(fields["email"]),
        consent_at=now, created_at=now, updated_at=now, status="active",
        token_selector=selector, token_verifier=verifier, **fields)
    registration.sessions = sessions
    try:
        # Added inside the savepoint: begin_nested() flushes what is pending *before* the
        # SAVEPOINT, so a row added earlier would fail in the outer transaction and take the
        # whole request down with it (a 500 instead of the 409).
        with dbs.begin_nested():
            dbs.add(registration)
            dbs.flush()
    except IntegrityError:  # a concurrent request registered the same email first
        # Rolling back the savepoint expunged the row; the winner's is committed and visible.
        existing = find_by_email(dbs, meeting, fields["email"])
        if existing is None:
            raise
        raise DuplicateRegistration(existing) from None
    return registration


def update(registration: Registration, data: dict, *, now: datetime) -> Registration:
    """The participant corrects their registration (the email stays: it is their identity)."""
    if isinstance(data, dict) and "email" in data:
        raise ValidationError(fields={"email": _l(
            "The email address cannot be changed; cancel and register again.")})
    fields = clean(registration.meeting, {k: v for k, v in data.items() if k in EDITABLE},
                   partial=True)
    sessions = fields.pop("sessions", None)
    if fields.get("category", registration.category) != registration.category:
        category_changing.send(registration, new_category=fields["category"], now=now)
    for name, value in fields.items():
        setattr(registration, name, value)
    if "sessions" in data:
        registration.sessions = sessions or list(registration.meeting.sessions)
    registration.updated_at = now
    return registration


def reissue_token(registration: Registration, *, now: datetime) -> Registration:
    """Give the registration a new personal link; the old one stops working at once."""
    registration.token_selector, registration.token_verifier = new_token()
    registration.updated_at = now
    return registration


def set_status(registration: Registration, status: str, *, now: datetime) -> Registration:
    """Cancel (``cancelled``) or reinstate (``active``) a registration."""
    if status not in ("active", "cancelled"):
        raise ValidationError(fields={"status": _l("Choose active or cancelled.")})
    registration.status = status
    registration.updated_at = now
    return registration


def listing(dbs: DbSession, meeting: Meeting, *, category: str | None = None,
            country: str | None = None, session_id: int | None = None,
            status: str | None = None) -> list[Registration]:
    query = select(Registration).filter_by(meeting_id=meeting.id)
    if category:
        query = query.filter_by(category=category)
    if country:
        query = query.filter_by(country=country.upper())
    if status:
        query = query.filter_by(status=status)
    if session_id:
        query = query.where(Registration.sessions.any(MeetingSession.id == session_id))
    return list(dbs.execute(query.order_by(Registration.created_at, Registration.id)).scalars())
