"""Recording staff and chair actions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from .models import AuditEntry


def snapshot(obj, fields: tuple[str, ...]) -> dict:
    """The JSON-able values of ``fields`` on ``obj`` (instants as ISO strings)."""
    values = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = value.isoformat() if isinstance(value, datetime) else value
    return values


def record(dbs: DbSession, *, now: datetime, actor, action: str, target: str,
           before: dict | None = None, after: dict | None = None,
           meeting_id: int | None = None) -> AuditEntry:
    """Add an entry in the caller's transaction (it is written with the change or not at all).

    ``actor`` is a staff user, a registration, or a string naming a system job.
    """
    from ..auth.models import User

    if isinstance(actor, User):
        actor_type, label = "staff", actor.email
    elif isinstance(actor, str):
        actor_type, label = "system", actor
    else:
        actor_type, label = "participant", f"registration:{actor.id}"
    entry = AuditEntry(at=now, meeting_id=meeting_id, actor_type=actor_type, actor=label,
                       action=action, target=target, before=before, after=after)
    dbs.add(entry)
    return entry


def entries(dbs: DbSession, *, meeting_id: int | None = None, action: str | None = None,
            limit: int = 500) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    if meeting_id is not None:
        query = query.where(AuditEntry.meeting_id == meeting_id)
    if action:
        query = query.where(AuditEntry.action.startswith(action))
    return list(dbs.execute(query).scalars())
