"""Meetings and sessions: lookups, the registration window, settings, the demo loader."""

from __future__ import annotations

import json
from datetime import date, datetime
from importlib import resources

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from ..errors import NotFound, ValidationError
from ..timezones import (
    SUPPORTED_YEARS,
    LocalTimeError,
    in_supported_years,
    is_valid_zone,
    iso_local,
    iso_utc,
    local_end_of_day,
    to_utc,
)
from .models import Meeting, MeetingSession

DEMO_FILE = "demo-meeting.json"
ENFORCEMENTS = ("hard", "soft")


def get_meeting(dbs: DbSession, slug: str) -> Meeting:
    meeting = dbs.execute(select(Meeting).filter_by(slug=slug)).scalar_one_or_none()
    if meeting is None:
        raise NotFound(_l("There is no meeting at this address."))
    return meeting


def get_session(dbs: DbSession, session_id: int) -> MeetingSession:
    session = dbs.get(MeetingSession, session_id)
    if session is None:
        raise NotFound(_l("There is no such session."))
    return session


def first_meeting(dbs: DbSession) -> Meeting | None:
    return dbs.execute(select(Meeting).order_by(Meeting.id).limit(1)).scalar_one_or_none()


def registration_is_open(meeting: Meeting, now: datetime) -> bool:
    """Open from the opening instant to the closing second inclusive (23:59:59 local)."""
    second = now.replace(microsecond=0)
    return meeting.registration_opens_at <= second <= meeting.registration_closes_at


def session_dict(session: MeetingSession) -> dict:
    zone = session.meeting.timezone
    return {
        "id": session.id,
        "title": session.title,
        "starts_at": iso_utc(session.starts_at),
        "ends_at": iso_utc(session.ends_at),
        "starts_at_local": iso_local(session.starts_at, zone),
        "ends_at_local": iso_local(session.ends_at, zone),
    }


def meeting_dict(meeting: Meeting, now: datetime) -> dict:
    zone = meeting.timezone
    return {
        "slug": meeting.slug,
        "title": meeting.title,
        "timezone": zone,
        "languages": meeting.language_list,
        "registration_opens_at": iso_utc(meeting.registration_opens_at),
        "registration_opens_at_local": iso_local(meeting.registration_opens_at, zone),
        "registration_closes_at": iso_utc(meeting.registration_closes_at),
        "registration_closes_at_local": iso_local(meeting.registration_closes_at, zone),
        "registration_open": registration_is_open(meeting, now),
        "intervention_seconds": meeting.intervention_seconds,
        "warning_seconds": meeting.warning_seconds,
        "enforcement": meeting.enforcement,
        "sessions": [session_dict(s) for s in meeting.sessions],
    }


def _whole_seconds(value, name: str, low: int, high: int, errors: dict) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        errors[name] = _l("A whole number of seconds from %(low)d to %(high)d.",
                          low=low, high=high)
        return None
    return value


def read_instant(value, zone: str, name: str, errors: dict, *,
                 dates: bool = False) -> datetime | None:
    """An instant typed in ISO 8601: with an offset it is that instant; without one, a
    wall-clock time in ``zone`` (refused where the daylight-saving change skips or repeats
    it). With ``dates``, a bare date means 23:59:59 that day in ``zone``. Instants outside
    the supported years are refused. Errors go into ``errors[name]``; None is returned."""
    invalid = (_l("A date (YYYY-MM-DD) or a date and time in ISO 8601.") if dates
               else _l("A date and time in ISO 8601."))
    if not isinstance(value, str) or not value.strip():
        errors[name] = invalid
        return None
    text = value.strip()
    try:
        if dates and len(text) == 10:
            instant = local_end_of_day(date.fromisoformat(text), zone)
        else:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
            instant = to_utc(parsed.replace(microsecond=0), zone)
    except LocalTimeError as exc:
        errors[name] = local_time_message(exc)
        return None
    except OverflowError:  # beyond year 9999 (or before year 1) once in UTC
        errors[name] = years_message()
        return None
    except ValueError:
        errors[name] = invalid
        return None
    if not in_supported_years(instant, zone):
        errors[name] = years_message()
        return None
    return instant


def years_message():
    """Why an instant outside :data:`meetops.timezones.SUPPORTED_YEARS` is refused."""
    first, last = SUPPORTED_YEARS
    return _l("A date between the years %(first)d and %(last)d.", first=first, last=last)


def local_time_message(exc: LocalTimeError):
    if exc.kind == "nonexistent":
        return _l("%(time)s does not exist in %(zone)s (the clocks skip it at the "
                  "daylight-saving change). Choose another time.",
                  time=exc.local.strftime("%Y-%m-%d %H:%M"), zone=exc.zone)
    return _l("%(time)s happens twice in %(zone)s (the clocks go back at the daylight-saving "
              "change). Choose another time.",
              time=exc.local.strftime("%Y-%m-%d %H:%M"), zone=exc.zone)


def update_settings(meeting: Meeting, data: dict) -> Meeting:
    """Change the limit, the warning, the enforcement and the registration dates."""
    if not isinstance(data, dict):
        raise ValidationError(_l("The body must be a JSON object."))
    errors: dict = {}
    changes: dict = {}
    allowed = {"intervention_seconds", "warning_seconds", "enforcement",
               "registration_opens_at", "registration_closes_at"}
    for name in set(data) - allowed:
        errors[name] = _l("This field cannot be changed here.")
    if "intervention_seconds" in data:
        changes["intervention_seconds"] = _whole_seconds(
            data["intervention_seconds"], "intervention_seconds", 1, 3600, errors)
    if "warning_seconds" in data:
        changes["warning_seconds"] = _whole_seconds(
            data["warning_seconds"], "warning_seconds", 0, 3600, errors)
    if "enforcement" in data:
        if data["enforcement"] not in ENFORCEMENTS:
            errors["enforcement"] = _l("Choose hard or soft.")
        changes["enforcement"] = data["enforcement"]
    for name in ("registration_opens_at", "registration_closes_at"):
        if name in data:
            changes[name] = read_instant(data[name], meeting.timezone, name, errors)
    if not errors:
        limit = changes.get("intervention_seconds", meeting.intervention_seconds)
        warning = changes.get("warning_seconds", meeting.warning_seconds)
        if warning >= limit:
            errors["warning_seconds"] = _l("The warning must come before the limit.")
        opens = changes.get("registration_opens_at", meeting.registration_opens_at)
        closes = changes.get("registration_closes_at", meeting.registration_closes_at)
        if closes <= opens:
            errors["registration_closes_at"] = _l("Registration must close after it opens.")
    if errors:
        raise ValidationError(fields=errors)
    for name, value in changes.items():
        setattr(meeting, name, value)
    return meeting


def demo_data() -> dict:
    return json.loads(resources.files("meetops.data").joinpath(DEMO_FILE).read_text("utf-8"))


def load_meeting(dbs: DbSession, data: dict) -> tuple[Meeting, bool]:
    """Create the meeting described by ``data`` (local times in its zone) unless a meeting
    with its slug exists. Returns the meeting and whether it was created."""
    existing = dbs.execute(select(Meeting).filter_by(slug=data["slug"])).scalar_one_or_none()
    if existing is not None:
        return existing, False
    zone = data["timezone"]
    if not is_valid_zone(zone):
        raise ValueError(f"unknown time zone {zone!r}")

    def local(value: str) -> datetime:
        return to_utc(datetime.fromisoformat(value), zone)

    meeting = Meeting(
        slug=data["slug"], title_en=data["title"]["en"], title_es=data["title"]["es"],
        timezone=zone, registration_opens_at=local(data["registration_opens"]),
        registration_closes_at=local(data["registration_closes"]),
        intervention_seconds=data.get("intervention_seconds", 180),
        warning_seconds=data.get("warning_seconds", 30),
        enforcement=data.get("enforcement", "hard"),
        languages=",".join(data.get("languages", ["es", "en"])))
    for item in data["sessions"]:
        meeting.sessions.append(MeetingSession(
            key=item["key"], title_en=item["title"]["en"], title_es=item["title"]["es"],
            starts_at=local(item["starts"]), ends_at=local(item["ends"]),
            join_url=item.get("join_url")))
    dbs.add(meeting)
    dbs.flush()
    return meeting, True
