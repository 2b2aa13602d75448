"""A participant's registration for a meeting."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime
from ..extensions import db
from ..meetings.models import Meeting, MeetingSession

registration_sessions = Table(
    "registration_sessions",
    db.metadata,
    Column("registration_id", ForeignKey("registrations.id", ondelete="CASCADE"),
           primary_key=True),
    Column("session_id", ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True),
)


class Registration(db.Model):
    __tablename__ = "registrations"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    name: Mapped[str] = mapped_column(String(200))
    #: as typed by the participant
    email: Mapped[str] = mapped_column(String(254))
    #: lower-cased, for the duplicate check (unique per meeting)
    email_normalized: Mapped[str] = mapped_column(String(254))
    organization: Mapped[str] = mapped_column(String(200))
    position: Mapped[str] = mapped_column(String(200), default="")
    #: one of CATEGORIES
    category: Mapped[str] = mapped_column(String(40), index=True)
    #: ISO 3166-1 alpha-2
    country: Mapped[str] = mapped_column(String(2), index=True)
    #: preferred language: es or en
    language: Mapped[str] = mapped_column(String(5))
    accessibility: Mapped[str] = mapped_column(Text, default="")
    #: when the participant consented to the processing of their data
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: "active" or "cancelled"
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: public half of the personal token (looked up by index)
    token_selector: Mapped[str] = mapped_column(String(16), unique=True)
    #: secret half of the personal token (compared in constant time)
    token_verifier: Mapped[str] = mapped_column(String(64))

    meeting: Mapped[Meeting] = relationship()
    sessions: Mapped[list[MeetingSession]] = relationship(
        secondary=registration_sessions, order_by=MeetingSession.starts_at)

    __table_args__ = (db.UniqueConstraint("meeting_id", "email_normalized"),)

    @property
    def token(self) -> str:
        return self.token_selector + self.token_verifier

    @property
    def is_active(self) -> bool:
        return self.status == "active"
