"""A note or a glossary link for the booths, for a whole session or one agenda item."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..dbtypes import UTCDateTime
from ..extensions import db

KINDS = ("note", "glossary")


class BoothNote(db.Model):
    __tablename__ = "booth_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the session the note is for
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    #: the agenda item it concerns; None: the whole session
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_items.id", ondelete="CASCADE"), index=True)
    #: "note" (a message to the booths) or "glossary" (a link to a glossary or term list)
    kind: Mapped[str] = mapped_column(String(20), default="note")
    #: the note itself, or the glossary link's title
    text: Mapped[str] = mapped_column(Text, default="")
    #: the link of a glossary (http or https); None for a plain note
    url: Mapped[str | None] = mapped_column(String(1000))
    #: when the secretariat wrote it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the staff member's email
    author: Mapped[str] = mapped_column(String(254), default="")
