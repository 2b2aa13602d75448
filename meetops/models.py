"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .audit.models import AuditEntry
from .auth.models import User
from .meetings.models import Meeting, MeetingSession
from .notifications.models import OutboxMessage
from .registration.models import Registration, registration_sessions

__all__ = ["AuditEntry", "Meeting", "MeetingSession", "OutboxMessage", "Registration", "User",
           "registration_sessions"]
