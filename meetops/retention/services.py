"""Retention: a meeting's personal data is purged some time after it ends.

Purging blanks what identifies a person (name, email, organisation, position, accessibility
needs) and revokes personal links, and keeps what the statistics need (category, country,
language, sessions attended, and the rows other features hang on registrations, such as
interventions and comments, now anonymous).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from ..errors import Conflict
from ..meetings.models import Meeting
from ..registration.models import Registration
from ..registration.services import new_token


def purge_due_at(meeting: Meeting, retention_days: int) -> datetime:
    """When the personal data of ``meeting`` may be purged."""
    last_end = max((s.ends_at for s in meeting.sessions), default=meeting.registration_closes_at)
    return last_end + timedelta(days=retention_days)


def purge_personal_data(dbs: DbSession, meeting: Meeting, *, now: datetime,
                        retention_days: int, force: bool = False) -> int:
    """Anonymise the meeting's registrations; returns how many. Refused before the retention
    period has passed unless ``force``."""
    if not force and now < purge_due_at(meeting, retention_days):
        raise Conflict(_l("The retention period of this meeting has not ended yet."),
                       code="retention_not_over")
    registrations = dbs.execute(
        select(Registration).filter_by(meeting_id=meeting.id)).scalars().all()
    for registration in registrations:
        placeholder = f"purged-{registration.id}@invalid"
        registration.name = ""
        registration.email = placeholder
        registration.email_normalized = placeholder
        registration.organization = ""
        registration.position = ""
        registration.accessibility = ""
        registration.token_selector, registration.token_verifier = new_token()
        registration.updated_at = now
    meeting.personal_data_purged_at = now
    return len(registrations)


def purge_due(dbs: DbSession, *, now: datetime, retention_days: int) -> list[str]:
    """Purge every meeting whose retention period is over (the scheduled job)."""
    purged = []
    for meeting in dbs.execute(select(Meeting).where(
            Meeting.personal_data_purged_at.is_(None))).scalars():
        if now >= purge_due_at(meeting, retention_days):
            purge_personal_data(dbs, meeting, now=now, retention_days=retention_days)
            purged.append(meeting.slug)
    return purged
