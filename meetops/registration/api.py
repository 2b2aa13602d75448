"""Registration API."""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for

from ..auth.access import require_staff
from ..clock import now
from ..extensions import db
from ..meetings.services import get_meeting
from ..web import json_body
from . import mail
from .access import current_participant
from .serializers import registration_dict
from .services import DuplicateRegistration, listing, register

bp = Blueprint("registration_api", __name__, url_prefix="/api/v1")


@bp.post("/meetings/<slug>/registrations")
def create(slug: str):
    """Register; 201 with the personal token, which is shown only here and in the link."""
    meeting = get_meeting(db.session, slug)
    data = json_body()
    instant = now()
    try:
        registration = register(db.session, meeting, data, now=instant)
    except DuplicateRegistration as duplicate:
        mail.resend_link(db.session, duplicate.existing, now=instant)
        db.session.commit()
        raise
    mail.confirm(db.session, registration, now=instant)
    db.session.commit()
    body = {
        "id": registration.id,
        "token": registration.token,
        "manage_url": url_for("registration.personal", token=registration.token,
                              _external=True),
        "calendar_url": url_for("calendar.personal_calendar_file", token=registration.token,
                                _external=True),
    }
    return jsonify(body), 201, {"Location": body["manage_url"]}


@bp.get("/registrations/me")
def me():
    return jsonify(registration_dict(current_participant()))


@bp.get("/meetings/<slug>/registrations")
@require_staff("admin")
def all_registrations(slug: str):
    meeting = get_meeting(db.session, slug)
    return jsonify([registration_dict(r) for r in listing(db.session, meeting)])
