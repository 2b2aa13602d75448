"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .agenda.models import AgendaItem, AgendaItemArea, agenda_item_speakers
from .auth.models import User
from .meetings.models import Meeting, MeetingSession
from .notifications.models import OutboxMessage
from .registration.models import Registration, registration_sessions
from .scheduler import JOBS_TABLE

__all__ = ["JOBS_TABLE", "AgendaItem", "AgendaItemArea", "Meeting", "MeetingSession",
           "OutboxMessage", "Registration", "User", "agenda_item_speakers",
           "registration_sessions"]
