"""Registration API."""

from __future__ import annotations

from flask import Blueprint, jsonify, url_for

from ..auth.access import require_staff
from ..clock import now
from ..extensions import db
from ..meetings.services import get_meeting
from ..security import limit
from ..web import json_body
from . import (
    mail,
    schemas,  # noqa: F401  (OpenAPI components)
)
from .access import current_participant
from .serializers import registration_dict
from .services import DuplicateRegistration, listing, register

bp = Blueprint("registration_api", __name__, url_prefix="/api/v1")


@bp.post("/meetings/<slug>/registrations")
@limit("MEETOPS_LIMIT_REGISTRATION")
def create(slug: str):
    """Register; 201 with the personal token, which is shown only here and in the link.
    ---
    post:
      summary: Register for a meeting
      tags: [registration]
      requestBody:
        required: true
        content: {application/json: {schema: RegistrationInput}}
      responses:
        201:
          description: Registered; the token is shown only here and in the personal link
          content: {application/json: {schema: RegistrationCreated}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409: {$ref: "#/components/responses/E409"}
        422: {$ref: "#/components/responses/E422"}
    """
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
@limit("MEETOPS_LIMIT_TOKEN")
def me():
    """The caller's own registration.
    ---
    get:
      summary: Read my registration (participant token)
      tags: [registration]
      security: [{bearer: []}]
      responses:
        200: {description: The registration, content: {application/json: {schema: Registration}}}
    """
    return jsonify(registration_dict(current_participant()))


@bp.get("/meetings/<slug>/registrations")
@require_staff("admin")
def all_registrations(slug: str):
    """All registrations of a meeting.
    ---
    get:
      summary: List registrations (admin)
      tags: [registration]
      security: [{bearer: []}]
      responses:
        200:
          description: The registrations
          content: {application/json: {schema: {type: array, items: Registration}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
    """
    meeting = get_meeting(db.session, slug)
    return jsonify([registration_dict(r) for r in listing(db.session, meeting)])
