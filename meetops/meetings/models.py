"""A meeting and its sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime
from ..extensions import db


class Meeting(db.Model):
    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the meeting's address: /meetings/{slug}
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title_en: Mapped[str] = mapped_column(String(300))
    title_es: Mapped[str] = mapped_column(String(300))
    #: IANA zone in which the meeting's local times are given (America/Santiago)
    timezone: Mapped[str] = mapped_column(String(64))
    registration_opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the last instant at which registration is open (23:59:59 local)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the limit of one intervention, in seconds
    intervention_seconds: Mapped[int] = mapped_column(default=180)
    #: the warning comes this many seconds before the limit
    warning_seconds: Mapped[int] = mapped_column(default=30)
    #: "hard": the intervention ends at the limit; "soft": overtime is counted
    enforcement: Mapped[str] = mapped_column(String(10), default="hard")
    #: comma-separated ISO 639-1 codes of the interpreted languages
    languages: Mapped[str] = mapped_column(String(50), default="es,en")
    #: when personal data was purged (retention); null while it is kept
    personal_data_purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    sessions: Mapped[list[MeetingSession]] = relationship(
        back_populates="meeting", order_by="MeetingSession.starts_at",
        cascade="all, delete-orphan")

    @property
    def title(self) -> dict[str, str]:
        return {"en": self.title_en, "es": self.title_es}

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.languages.split(",") if code]


class MeetingSession(db.Model):
    """One sitting of a meeting (named so to stay clear of the database session)."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    #: stable key within the meeting, used by the demo loader ("day-1")
    key: Mapped[str] = mapped_column(String(40))
    title_en: Mapped[str] = mapped_column(String(300))
    title_es: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the video platform's join link: shown only to registered participants
    join_url: Mapped[str | None] = mapped_column(String(500))
    #: raised on every change that moves the session or its agenda (calendar SEQUENCE)
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    #: a cancelled session stays listed, marked cancelled (calendar STATUS:CANCELLED)
    cancelled: Mapped[bool] = mapped_column(default=False, server_default=sa_false())

    meeting: Mapped[Meeting] = relationship(back_populates="sessions")

    __table_args__ = (db.UniqueConstraint("meeting_id", "key"),)

    @property
    def title(self) -> dict[str, str]:
        return {"en": self.title_en, "es": self.title_es}
