"""Building iCalendar files with the icalendar library.

Times are written in UTC (``DTSTART:20251127T140000Z``), not as a TZID with a VTIMEZONE:
see docs/calendar.md for why. Text goes through the library, which escapes commas,
semicolons and line breaks and folds long lines, so no title can break the file or add
properties.

* The public meeting file: one VEVENT per session, without join links.
* A participant's invite: their sessions, with them as ATTENDEE, the join link and an alarm
  15 minutes before.

UIDs are stable: ``<meeting slug>.<session key>@meetops`` for the session, in every file and
forever. SEQUENCE is the session's ``revision`` (raised on every change), DTSTAMP is when the
file was made. A cancelled session is STATUS:CANCELLED; a file whose events are all cancelled
is METHOD:CANCEL.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Alarm, Calendar, Event, vCalAddress, vText

from ..agenda.services import session_items
from ..extensions import db
from ..i18n import pick
from ..meetings.models import Meeting, MeetingSession
from ..registration.models import Registration
from ..timezones import to_local
from ..web import zone_label

PRODID = "-//meetops//meetops calendar//EN"
UID_DOMAIN = "meetops"
ALARM_BEFORE = timedelta(minutes=15)


def session_uid(session: MeetingSession) -> str:
    """The session's UID: the same in every file, for ever (the key never changes)."""
    return f"{session.meeting.slug}.{session.key}@{UID_DOMAIN}"


def _hhmm(instant: datetime, zone: str) -> str:
    return to_local(instant, zone).strftime("%H:%M")


def _description(session: MeetingSession, lang: str, *, agenda_url: str | None,
                 join_url: str | None) -> str:
    meeting = session.meeting
    zone = meeting.timezone
    start = to_local(session.starts_at, zone)
    lines = [pick(meeting.title, lang),
             _("%(date)s, %(start)s–%(end)s (%(place)s time)",
               date=start.strftime("%Y-%m-%d"), start=_hhmm(session.starts_at, zone),
               end=_hhmm(session.ends_at, zone), place=zone_label(zone))]
    if session.cancelled:
        lines.append(_("This session is cancelled."))
    if join_url:
        lines += ["", _("Join link (personal, do not share): %(url)s", url=join_url)]
    items = session_items(db.session, session, published_only=True)
    if items:
        lines += ["", _("Agenda (%(place)s time):", place=zone_label(zone))]
        lines += [f"{_hhmm(i.starts_at, zone)}–{_hhmm(i.ends_at, zone)} {pick(i.title, lang)}"
                  for i in items]
    if agenda_url:
        lines += ["", _("Agenda: %(url)s", url=agenda_url)]
    return "\n".join(lines)


def _event(session: MeetingSession, lang: str, now: datetime, *, agenda_url: str | None,
           registration: Registration | None = None, organizer: str | None = None) -> Event:
    meeting = session.meeting
    cancelled = session.cancelled or (registration is not None and not registration.is_active)
    join_url = session.join_url if registration is not None and not cancelled else None
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", now)
    event.add("sequence", session.revision or 0)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", f"{pick(session.title, lang)} · {pick(meeting.title, lang)}")
    event.add("description", _description(session, lang, agenda_url=agenda_url,
                                          join_url=join_url))
    event.add("location", join_url or _("Online"))
    if agenda_url:  # never the personal link: calendars get shared more than mail
        event.add("url", agenda_url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    if registration is not None:
        if organizer:
            address = vCalAddress(f"mailto:{organizer}")
            address.params["CN"] = vText(pick(meeting.title, lang)[:200])
            event.add("organizer", address)
        attendee = vCalAddress(f"mailto:{registration.email}")
        attendee.params["CN"] = vText(registration.name)
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("ACCEPTED")
        attendee.params["RSVP"] = vText("FALSE")
        event.add("attendee", attendee)
        if not cancelled:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -ALARM_BEFORE)
            alarm.add("description", _("%(session)s starts in 15 minutes",
                                       session=pick(session.title, lang)))
            event.add_component(alarm)
    return event


def _calendar(name: str, events: list[Event]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    all_cancelled = bool(events) and all(str(e.get("status")) == "CANCELLED" for e in events)
    calendar.add("method", "CANCEL" if all_cancelled else "PUBLISH")
    calendar.add("x-wr-calname", name)
    # subscribed calendars: look again every hour, so changes arrive by themselves
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for event in events:
        calendar.add_component(event)
    return calendar


def meeting_calendar(meeting: Meeting, lang: str, now: datetime, *,
                     agenda_url: str | None = None) -> bytes:
    """The public file: every session, no join links, no attendees."""
    with force_locale(lang):
        events = [_event(s, lang, now, agenda_url=agenda_url) for s in meeting.sessions]
        return _calendar(pick(meeting.title, lang), events).to_ical()


def personal_calendar(registration: Registration, now: datetime, *, organizer: str,
                      sessions: list[MeetingSession] | None = None,
                      agenda_url: str | None = None) -> bytes:
    """A participant's invite, in their language: their sessions (or ``sessions``)."""
    lang = registration.language
    chosen = sessions if sessions is not None else registration.sessions
    with force_locale(lang):
        events = [_event(s, lang, now, agenda_url=agenda_url, registration=registration,
                         organizer=organizer) for s in chosen]
        return _calendar(pick(registration.meeting.title, lang), events).to_ical()
