"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .auth.models import User
from .floor.models import FloorRequest, FloorState, Intervention
from .meetings.models import Meeting, MeetingSession
from .notifications.models import OutboxMessage
from .registration.models import Registration, registration_sessions

__all__ = ["FloorRequest", "FloorState", "Intervention", "Meeting", "MeetingSession",
           "OutboxMessage", "Registration", "User", "registration_sessions"]
