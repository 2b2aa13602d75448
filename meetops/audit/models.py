"""The audit log: who did what to which object, when, with the values before and after."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime
from ..extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: when the action happened (server clock)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    #: the meeting concerned, when there is one
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True)
    #: "staff", "participant" or "system"
    actor_type: Mapped[str] = mapped_column(String(20))
    #: the staff member's email, or the participant's registration id, or the job's name
    actor: Mapped[str] = mapped_column(String(254))
    #: what was done, e.g. "registration.cancel", "meeting.update", "floor.next"
    action: Mapped[str] = mapped_column(String(60), index=True)
    #: the object acted on, e.g. "registration:12"
    target: Mapped[str] = mapped_column(String(80))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
