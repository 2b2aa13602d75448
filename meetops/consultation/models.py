"""Priority areas, comment deadlines by stakeholder category, and comments with offers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime
from ..extensions import db
from ..meetings.models import Meeting
from ..registration.models import Registration

#: the category key of the deadline that applies to every category without its own
DEFAULT_CATEGORY = "default"
HORIZONS = ("short", "medium", "long")
SUPPORT_TYPES = ("technical", "material", "financial")

comment_areas = Table(
    "comment_areas",
    db.metadata,
    Column("comment_id", ForeignKey("comments.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("priority_areas.id", ondelete="CASCADE"), primary_key=True),
)


class PriorityArea(db.Model):
    """One of the priority areas the meeting works on (five per thematic chapter)."""

    __tablename__ = "priority_areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    #: short stable code, unique within the meeting ("A1.2"); agenda items link to it
    code: Mapped[str] = mapped_column(String(20))
    #: number of the thematic chapter of the Plan of Action
    chapter: Mapped[int] = mapped_column()
    #: the chapter's title, repeated on each of its areas
    chapter_title_en: Mapped[str] = mapped_column(String(300), default="")
    chapter_title_es: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(500))
    title_es: Mapped[str] = mapped_column(String(500))
    #: order of display within the meeting
    position: Mapped[int] = mapped_column(default=0)
    #: true for the demo's provisional list, false once the secretariat imports its own
    provisional: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship()

    __table_args__ = (db.UniqueConstraint("meeting_id", "code"),)

    @property
    def title(self) -> dict[str, str]:
        return {"en": self.title_en, "es": self.title_es}

    @property
    def chapter_title(self) -> dict[str, str]:
        return {"en": self.chapter_title_en, "es": self.chapter_title_es}


class CommentDeadline(db.Model):
    """The last instant at which one stakeholder category may comment (or change comments)."""

    __tablename__ = "comment_deadlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    #: a registration category, or DEFAULT_CATEGORY for every category without its own row
    category: Mapped[str] = mapped_column(String(40))
    #: the last open second (23:59:59 in the meeting's zone, stored as UTC)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (db.UniqueConstraint("meeting_id", "category"),)


class Comment(db.Model):
    """A participant's comment on priority areas, optionally with an offer of support."""

    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"),
                                            index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    #: horizon of the collaboration: short, medium or long (term)
    horizon: Mapped[str] = mapped_column(String(10))
    #: the support offered: technical, material, financial, or none
    support_type: Mapped[str | None] = mapped_column(String(20), index=True)
    #: what the offer consists of (empty without an offer)
    support_description: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: when the participant withdrew it; withdrawn comments are kept but not counted
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()
    areas: Mapped[list[PriorityArea]] = relationship(
        secondary=comment_areas, order_by=PriorityArea.position)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def area_codes(self) -> list[str]:
        return [area.code for area in self.areas]
