"""The agenda's entries in the audit log, for the API and the editor alike."""

from __future__ import annotations

from flask import g

from ..audit.services import record, snapshot
from ..clock import now
from ..extensions import db
from ..meetings.models import MeetingSession
from .models import AgendaItem
from .services import item_dict

SESSION_FIELDS = ("starts_at", "ends_at", "cancelled", "join_url", "revision")


def item_state(item: AgendaItem | None) -> dict | None:
    return item_dict(item, staff=True) if item is not None else None


def session_state(session: MeetingSession) -> dict:
    return snapshot(session, SESSION_FIELDS)


def record_item(action: str, item: AgendaItem, before: dict | None, after: dict | None) -> None:
    record(db.session, now=now(), actor=g.staff, action=f"agenda.{action}",
           target=f"item:{item.id}", before=before, after=after,
           meeting_id=item.session.meeting_id)


def record_session(action: str, session: MeetingSession, before: dict, after: dict) -> None:
    record(db.session, now=now(), actor=g.staff, action=f"agenda.{action}",
           target=f"session:{session.id}", before=before, after=after,
           meeting_id=session.meeting_id)
