"""Imports every model so that SQLAlchemy and Alembic see the whole schema."""

from .audit.models import AuditEntry
from .auth.models import User
from .consultation.models import Comment, CommentDeadline, PriorityArea, comment_areas
from .meetings.models import Meeting, MeetingSession
from .notifications.models import OutboxMessage
from .registration.models import Registration, registration_sessions

__all__ = ["AuditEntry", "Comment", "CommentDeadline", "Meeting", "MeetingSession",
           "OutboxMessage", "PriorityArea", "Registration", "User", "comment_areas",
           "registration_sessions"]
