"""Reminder mails, 24 hours and 15 minutes before each session, with the invite attached.

"24 hours" is computed in the meeting's zone: the same wall-clock time the day before, so a
reminder across a daylight-saving change still comes at the session's hour.

Each session has two jobs with explicit ids (``reminder:<session id>:24h`` / ``:15m``),
planned again (``replace_existing``) whenever the session moves, and when the runner starts.
The job looks up the participants when it runs; the outbox ``dedupe_key`` (session, kind,
participant and the session's start instant) makes a repeated run, or a second runner, queue
nothing twice, while a session moved to another time gets its reminders again.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app, has_request_context, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from .. import scheduler
from ..clock import now as clock_now
from ..extensions import db
from ..meetings.models import MeetingSession
from ..notifications import services as outbox
from ..registration.models import Registration, registration_sessions
from ..timezones import LocalTimeError, to_local, to_utc

log = logging.getLogger(__name__)
#: kind -> how long before the session starts; largest first
OFFSETS = {"24h": timedelta(hours=24), "15m": timedelta(minutes=15)}
JOB_FUNC = "meetops.agenda.reminders:send_reminders_job"
#: a job that wakes this much before its time belongs to an older start: it does nothing
EARLY_SLACK = timedelta(minutes=1)
#: a late reminder is skipped when the next one is due within this margin anyway
LATE_MARGIN = timedelta(minutes=30)


def job_id(session: MeetingSession | int, kind: str) -> str:
    session_id = session if isinstance(session, int) else session.id
    return f"reminder:{session_id}:{kind}"


def due_at(session: MeetingSession, kind: str) -> datetime:
    """When a reminder is due. "24h" is the same wall-clock time the day before in the
    meeting's zone (23 or 25 hours across a daylight-saving change); "15m" is 15 minutes."""
    if kind == "24h":
        zone = session.meeting.timezone
        wall = to_local(session.starts_at, zone).replace(tzinfo=None) - timedelta(days=1)
        try:
            return to_utc(wall, zone)
        except LocalTimeError:
            return session.starts_at - OFFSETS[kind]
    return session.starts_at - OFFSETS[kind]


def plan(session: MeetingSession, now: datetime) -> dict[str, datetime | None]:
    """When each reminder should go (None: not at all). A reminder whose time has passed
    goes at once, unless the session has started or a later reminder is due (or soon will
    be: within ``LATE_MARGIN``)."""
    if session.cancelled or now >= session.starts_at:
        return dict.fromkeys(OFFSETS)
    times: dict[str, datetime | None] = {}
    kinds = list(OFFSETS)
    for index, kind in enumerate(kinds):
        due = due_at(session, kind)
        if due > now:
            times[kind] = due
        else:
            later_also_due = any(due_at(session, k) <= now + LATE_MARGIN
                                 for k in kinds[index + 1:])
            times[kind] = None if later_also_due else now
    return times


def schedule_session(session: MeetingSession, now: datetime | None = None) -> None:
    """(Re)plan the session's reminder jobs: same ids, replaced, never duplicated."""
    for kind, due in plan(session, now or clock_now()).items():
        if due is None:
            scheduler.cancel(job_id(session, kind))
        else:
            scheduler.schedule_once(job_id(session, kind), JOB_FUNC, due,
                                    {"session_id": session.id, "kind": kind})


def replan_after_commit(session: MeetingSession) -> None:
    """After a committed move: re-plan, logging (not raising) a failure, which the runner's
    hourly re-planning repairs. The change itself is saved either way."""
    try:
        schedule_session(session)
    except Exception:
        log.exception("could not re-plan the reminders of session %s", session.id)


def schedule_all() -> int:
    """Plan the reminders of every session to come (the runner does this when it starts)."""
    with scheduler.job_app_context():
        instant = clock_now()
        sessions = list(db.session.execute(
            select(MeetingSession).where(MeetingSession.starts_at > instant)).scalars())
        for session in sessions:
            schedule_session(session, instant)
        return len(sessions)


def participants(dbs: DbSession, session: MeetingSession) -> list[Registration]:
    return list(dbs.execute(
        select(Registration).join(registration_sessions)
        .where(registration_sessions.c.session_id == session.id,
               Registration.status == "active")
        .order_by(Registration.id)).scalars())


def dedupe_key(session: MeetingSession, kind: str, registration: Registration) -> str:
    return (f"reminder:{session.id}:{kind}:{registration.id}:"
            f"{session.starts_at.strftime('%Y%m%dT%H%M%SZ')}")


def send_reminders(dbs: DbSession, session_id: int, kind: str, *, now: datetime) -> int:
    """Queue the reminder ``kind`` for every participant of the session; returns how many
    were queued (0 for a cancelled, started or moved-later session, or a repeat)."""
    from ..calendar.services import personal_calendar

    session = dbs.get(MeetingSession, session_id)
    if session is None or kind not in OFFSETS or session.cancelled \
            or now >= session.starts_at or now < due_at(session, kind) - EARLY_SLACK:
        return 0
    meeting = session.meeting
    queued = 0
    for registration in participants(dbs, session):
        token = registration.token
        invite = personal_calendar(
            registration, now, organizer=current_app.config["MEETOPS_MAIL_FROM"],
            sessions=[session],
            agenda_url=url_for("agenda.agenda_page", slug=meeting.slug, _external=True))
        message = outbox.queue(
            dbs, to=registration.email, template=f"reminder_{kind}",
            language=registration.language, kind="reminder", now=now,
            dedupe_key=dedupe_key(session, kind, registration),
            attachments=[{"filename": f"{meeting.slug}-{session.key}.ics",
                          "content_type": "text/calendar; charset=utf-8; method=PUBLISH",
                          "content": invite.decode("utf-8")}],
            registration=registration, meeting=meeting, session=session,
            personal_url=url_for("registration.personal", token=token, _external=True))
        queued += message is not None
    return queued


def send_reminders_job(session_id: int, kind: str) -> int:
    """The scheduled job (referenced by import path)."""
    with scheduler.job_app_context():
        app = current_app._get_current_object()
        base = app.config.get("MEETOPS_BASE_URL") or "http://127.0.0.1:5000"
        context = app.test_request_context("/", base_url=base) \
            if not has_request_context() and not app.config.get("SERVER_NAME") else None
        if context is not None:
            context.push()
        try:
            count = send_reminders(db.session, session_id, kind, now=clock_now())
            db.session.commit()
        finally:
            if context is not None:
                context.pop()
        return count
