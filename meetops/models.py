"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .agenda.models import AgendaItem, AgendaItemArea, agenda_item_speakers
from .audit.models import AuditEntry
from .auth.models import User
from .booth.models import BoothNote
from .consultation.models import Comment, CommentDeadline, PriorityArea, comment_areas
from .floor.models import FloorRequest, FloorState, Intervention
from .meetings.models import Meeting, MeetingSession
from .notifications.models import OutboxMessage
from .registration.models import Registration, registration_sessions
from .scheduler import JOBS_TABLE

__all__ = ["JOBS_TABLE", "AgendaItem", "AgendaItemArea", "AuditEntry", "BoothNote", "Comment",
           "CommentDeadline", "FloorRequest", "FloorState", "Intervention", "Meeting",
           "MeetingSession", "OutboxMessage", "PriorityArea", "Registration", "User",
           "agenda_item_speakers", "comment_areas", "registration_sessions"]
