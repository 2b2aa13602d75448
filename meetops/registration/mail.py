"""Mail about registrations."""

from __future__ import annotations

from datetime import datetime

from flask import url_for
from sqlalchemy.orm import Session as DbSession

from ..notifications import services as outbox
from .models import Registration


def personal_url(registration: Registration) -> str:
    return url_for("registration.personal", token=registration.token, _external=True)


def confirm(dbs: DbSession, registration: Registration, *, now: datetime) -> None:
    outbox.queue(dbs, to=registration.email, template="registration_confirmed",
                 language=registration.language, kind="registration", now=now,
                 registration=registration, meeting=registration.meeting,
                 personal_url=personal_url(registration))


def resend_link(dbs: DbSession, registration: Registration, *, now: datetime) -> None:
    outbox.queue(dbs, to=registration.email, template="registration_link",
                 language=registration.language, kind="duplicate", now=now,
                 registration=registration, meeting=registration.meeting,
                 personal_url=personal_url(registration))


def new_link(dbs: DbSession, registration: Registration, *, now: datetime) -> None:
    outbox.queue(dbs, to=registration.email, template="registration_new_link",
                 language=registration.language, kind="new_link", now=now,
                 registration=registration, meeting=registration.meeting,
                 personal_url=personal_url(registration))
