"""Agenda items of a session, their speakers and the priority areas they serve."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime
from ..extensions import db
from ..meetings.models import MeetingSession
from ..registration.models import Registration

KINDS = ("opening", "presentation", "panel", "discussion", "break", "closing", "other")

#: speakers who are registered participants (free-text speakers live in ``speakers``)
agenda_item_speakers = Table(
    "agenda_item_speakers",
    db.metadata,
    Column("item_id", ForeignKey("agenda_items.id", ondelete="CASCADE"), primary_key=True),
    Column("registration_id", ForeignKey("registrations.id", ondelete="CASCADE"),
           primary_key=True),
)


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    #: order within the session, from 1, always the order of the start times
    position: Mapped[int] = mapped_column(default=1)
    #: one of KINDS
    kind: Mapped[str] = mapped_column(String(20), default="other")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    title_es: Mapped[str] = mapped_column(String(300), default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_es: Mapped[str] = mapped_column(Text, default="")
    #: free-text speakers ("Ms. A (Chile); Mr. B (ECLAC)")
    speakers: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the limit of one intervention during this item, in seconds (None: the meeting's)
    intervention_seconds: Mapped[int | None] = mapped_column()
    #: documents for interpreters: [{"title": ..., "url": ...}]
    documents: Mapped[list] = mapped_column(JSON, default=list)
    #: shown on the public agenda and used by the floor only once published
    published: Mapped[bool] = mapped_column(default=False)

    session: Mapped[MeetingSession] = relationship()
    areas: Mapped[list[AgendaItemArea]] = relationship(
        cascade="all, delete-orphan", order_by="AgendaItemArea.area_code")
    speaker_registrations: Mapped[list[Registration]] = relationship(
        secondary=agenda_item_speakers, order_by=Registration.name)

    @property
    def title(self) -> dict[str, str]:
        return {"en": self.title_en, "es": self.title_es}

    @property
    def description(self) -> dict[str, str]:
        return {"en": self.description_en, "es": self.description_es}

    @property
    def speaker_names(self) -> list[str]:
        """The free-text speakers, one a line, then the linked participants."""
        typed = [line.strip() for line in (self.speakers or "").split("\n") if line.strip()]
        return typed + [r.name for r in self.speaker_registrations]

    @property
    def priority_area_codes(self) -> list[str]:
        return [area.area_code for area in self.areas]

    @property
    def duration_seconds(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds())


class AgendaItemArea(db.Model):
    """A priority area an item serves, by code. The consultation feature owns the areas
    (table ``priority_areas``); the code is joined to it, deliberately without a foreign key."""

    __tablename__ = "agenda_item_areas"

    item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"),
                                         primary_key=True)
    #: the priority area's ``code``
    area_code: Mapped[str] = mapped_column(String(40), primary_key=True)
