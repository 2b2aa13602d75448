"""The floor's rows: one state row per session, requests to speak, interventions.

Nothing here counts time: elapsed, remaining and overtime are derived from the instants of an
:class:`Intervention` and ``now`` (see :mod:`meetops.floor.services`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dbtypes import UTCDateTime
from ..extensions import db
from ..registration.models import Registration

KINDS = ("point_of_order", "reply", "statement")
#: the queue's automatic order: points of order, then replies, then statements
PRIORITY = {"point_of_order": 0, "reply": 1, "statement": 2}


class FloorState(db.Model):
    """The floor of one session: its version (compare-and-set) and whether the list is closed."""

    __tablename__ = "floor_states"

    #: the session this floor belongs to (one row per session)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), primary_key=True)
    #: bumped by every change; chair actions name the version they were taken on
    version: Mapped[int] = mapped_column(default=1)
    #: when true, participants can no longer ask for the floor (the chair still can add them)
    list_closed: Mapped[bool] = mapped_column(default=False)
    #: when the floor last changed
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: the hard limit of the intervention now speaking, so that any process can enforce it
    #: with one small query (null when nobody speaks, when paused, or under soft enforcement)
    limit_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class FloorRequest(db.Model):
    """A participant asking for the floor in a session."""

    __tablename__ = "floor_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    #: statement, point_of_order or reply
    kind: Mapped[str] = mapped_column(String(20))
    #: ISO 639-1 code of the language the participant will speak
    language: Mapped[str] = mapped_column(String(8))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: "waiting", "granted" (became an intervention), "withdrawn" or "removed"
    status: Mapped[str] = mapped_column(String(12), default="waiting", index=True)
    #: sort key, first part: the kind's priority, changed when the chair moves the request
    rank: Mapped[int] = mapped_column()
    #: sort key, second part: seconds since the epoch of the request, changed by a move
    position: Mapped[float] = mapped_column(Float)
    #: true when the chair added the request on the participant's behalf
    added_by_chair: Mapped[bool] = mapped_column(default=False)
    #: when the request stopped waiting (granted, withdrawn or removed)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()


class Intervention(db.Model):
    """One turn at the floor, from the moment it was given to the moment it ended."""

    __tablename__ = "interventions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"),
                                            index=True)
    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    #: the request it answered (null if the floor was given without one)
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("floor_requests.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(8))
    #: the limit that applied when the floor was given, in seconds
    limit_seconds: Mapped[int] = mapped_column()
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    #: set while paused; the clock stops then
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: seconds spent paused in earlier pauses (the current pause is paused_at..now)
    paused_total: Mapped[float] = mapped_column(Float, default=0.0)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: "chair" or "limit"
    ended_by: Mapped[str | None] = mapped_column(String(10))

    registration: Mapped[Registration] = relationship()
