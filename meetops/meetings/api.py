"""Meeting API: read it; admins change its settings."""

from __future__ import annotations

from flask import Blueprint, jsonify

from ..auth.access import require_staff
from ..clock import now
from ..extensions import db
from ..web import json_body
from .services import get_meeting, meeting_dict, update_settings

bp = Blueprint("meetings_api", __name__, url_prefix="/api/v1")


@bp.get("/meetings/<slug>")
def meeting(slug: str):
    return jsonify(meeting_dict(get_meeting(db.session, slug), now()))


@bp.patch("/meetings/<slug>")
@require_staff("admin")
def patch_meeting(slug: str):
    meeting = get_meeting(db.session, slug)
    update_settings(meeting, json_body())
    db.session.commit()
    return jsonify(meeting_dict(meeting, now()))
