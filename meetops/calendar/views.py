"""Calendar routes: the public meeting file and each participant's invite (and its webcal
subscription address)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, url_for

from ..clock import now
from ..errors import NotFound
from ..extensions import db
from ..i18n import current_language
from ..meetings.services import get_meeting
from ..registration.access import participant_from_link
from ..security import limit
from .services import meeting_calendar, personal_calendar

bp = Blueprint("calendar", __name__)
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _ics(data: bytes, filename: str, *, private: bool) -> Response:
    response = Response(data, content_type=CONTENT_TYPE)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store" if private else "public, max-age=300"
    return response


@bp.route("/meetings/<slug>/calendar.ics")
def meeting_file(slug: str):
    """Every session of the meeting, public: no join links."""
    meeting = get_meeting(db.session, slug)
    data = meeting_calendar(meeting, current_language(), now(), agenda_url=url_for(
        "agenda.agenda_page", slug=meeting.slug, _external=True))
    return _ics(data, f"{meeting.slug}.ics", private=False)


@bp.route("/r/<token>/calendar.ics")
@limit("MEETOPS_LIMIT_TOKEN")
def personal_calendar_file(token: str):
    """The participant's own invite (``?session=ID`` for one session)."""
    registration = participant_from_link(token)
    sessions = None
    if request.args.get("session"):
        sessions = [s for s in registration.sessions
                    if str(s.id) == request.args["session"]]
        if not sessions:
            raise NotFound()
    data = personal_calendar(
        registration, now(), organizer=current_app.config["MEETOPS_MAIL_FROM"],
        sessions=sessions,
        agenda_url=url_for("agenda.agenda_page", slug=registration.meeting.slug,
                           _external=True))
    return _ics(data, f"{registration.meeting.slug}-invite.ics", private=True)


def webcal_url(url: str) -> str:
    """The subscription address of a calendar file's http(s) address."""
    scheme, sep, rest = url.partition("://")
    return f"webcal://{rest}" if sep and scheme in ("http", "https") else url


@bp.app_template_global("personal_webcal_url")
def personal_webcal_url(token: str) -> str:
    return webcal_url(url_for("calendar.personal_calendar_file", token=token, _external=True))
