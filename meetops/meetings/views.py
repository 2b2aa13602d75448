"""Public meeting pages and the secretariat's home."""

from __future__ import annotations

from flask import Blueprint, g, render_template
from sqlalchemy import select

from ..auth.access import require_staff
from ..clock import now
from ..errors import NotFound
from ..extensions import db
from .models import Meeting
from .services import first_meeting, get_meeting, registration_is_open

bp = Blueprint("meetings", __name__)


@bp.route("/")
def home():
    """The meeting home: title, dates in the meeting's zone and the visitor's, links."""
    meeting = first_meeting(db.session)
    if meeting is None:
        raise NotFound()
    return render_template("meetings/home.html", meeting=meeting,
                           registration_open=registration_is_open(meeting, now()))


@bp.route("/meetings/<slug>")
def meeting_home(slug: str):
    meeting = get_meeting(db.session, slug)
    return render_template("meetings/home.html", meeting=meeting,
                           registration_open=registration_is_open(meeting, now()))


@bp.route("/admin")
@require_staff(page=True)
def admin_home():
    """The secretariat's entry page."""
    meetings = list(db.session.execute(select(Meeting).order_by(Meeting.id)).scalars())
    return render_template("admin/home.html", meetings=meetings,
                           is_admin=g.staff.has_role("admin"))
