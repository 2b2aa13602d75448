"""Meeting API: read it; admins change its settings."""

from __future__ import annotations

from flask import Blueprint, g, jsonify

from ..audit import services as audit
from ..auth.access import require_staff
from ..clock import now
from ..extensions import db
from ..floor import services as floor_services
from ..web import json_body
from . import schemas  # noqa: F401  (OpenAPI components)
from .services import get_meeting, meeting_dict, update_settings

bp = Blueprint("meetings_api", __name__, url_prefix="/api/v1")

#: the settings the floor runs by: changing one moves every floor of the meeting
FLOOR_RULES = ("intervention_seconds", "warning_seconds", "enforcement")


@bp.get("/meetings/<slug>")
def meeting(slug: str):
    """A meeting with its sessions.
    ---
    get:
      summary: Read a meeting
      tags: [meetings]
      responses:
        200: {description: The meeting, content: {application/json: {schema: Meeting}}}
        404: {$ref: "#/components/responses/E404"}
    """
    return jsonify(meeting_dict(get_meeting(db.session, slug), now()))


@bp.patch("/meetings/<slug>")
@require_staff("admin")
def patch_meeting(slug: str):
    """Change the intervention limit, warning, enforcement or registration dates.
    ---
    patch:
      summary: Change a meeting's settings (admin)
      tags: [meetings]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: MeetingSettings}}
      responses:
        200: {description: The meeting, content: {application/json: {schema: Meeting}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        422: {$ref: "#/components/responses/E422"}
    """
    meeting = get_meeting(db.session, slug)
    fields = (*FLOOR_RULES, "registration_opens_at", "registration_closes_at")
    before = audit.snapshot(meeting, fields)
    update_settings(meeting, json_body())
    after = audit.snapshot(meeting, fields)
    audit.record(db.session, now=now(), actor=g.staff, action="meeting.update",
                 target=f"meeting:{meeting.slug}", before=before, after=after,
                 meeting_id=meeting.id)
    floors = []
    if any(before[name] != after[name] for name in FLOOR_RULES):
        floors = floor_services.rules_changed(db.session, meeting, now())
    db.session.commit()
    for session_id in floors:
        floor_services.sync_limit_job(db.session, session_id, now())
    db.session.commit()
    return jsonify(meeting_dict(meeting, now()))
