"""Consultation API: priority areas, comments (participants' own; all for admins), deadlines,
the support matrix."""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for

from ..auth.access import current_staff, require_staff
from ..clock import now
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..meetings.services import get_meeting
from ..registration.access import current_participant
from ..timezones import iso_local, iso_utc
from ..web import json_body
from . import services
from .models import Comment

bp = Blueprint("consultation_api", __name__, url_prefix="/api/v1")


@bp.get("/meetings/<slug>/priority-areas")
def priority_areas(slug: str):
    meeting = get_meeting(db.session, slug)
    return jsonify([services.area_dict(a) for a in services.list_areas(db.session, meeting)])


@bp.put("/meetings/<slug>/priority-areas")
@require_staff("admin")
def replace_priority_areas(slug: str):
    """Replace the list (the secretariat's official one): same shapes as the import file."""
    meeting = get_meeting(db.session, slug)
    data = request.get_json(force=True, silent=True)
    if not isinstance(data, list):
        data = json_body()  # an object, or the contract's 400 for a malformed body
    result = services.import_areas(db.session, meeting, services.rows_from_json(data))
    db.session.commit()
    return jsonify({**result, "areas": [services.area_dict(a) for a in
                                        services.list_areas(db.session, meeting)]})


@bp.get("/meetings/<slug>/comment-deadlines")
def comment_deadlines(slug: str):
    meeting = get_meeting(db.session, slug)
    return jsonify(services.deadline_dicts(db.session, meeting))


@bp.patch("/meetings/<slug>/comment-deadlines")
@require_staff("admin")
def set_comment_deadlines(slug: str):
    """Body ``{category|"default": "YYYY-MM-DD" | ISO date-time | null}``."""
    meeting = get_meeting(db.session, slug)
    services.set_deadlines(db.session, meeting, json_body())
    db.session.commit()
    return jsonify(services.deadline_dicts(db.session, meeting))


@bp.post("/meetings/<slug>/comments")
def create_comment(slug: str):
    registration = current_participant()
    meeting = get_meeting(db.session, slug)
    if registration.meeting_id != meeting.id:
        raise NotFound()
    comment = services.create_comment(db.session, registration, json_body(), now=now())
    db.session.commit()
    body = services.comment_dict(comment,
                                 closes_at=services.closes_at_for(db.session, registration))
    return jsonify(body), 201, {"Location": url_for("consultation_api.get_comment",
                                                    comment_id=comment.id)}


@bp.get("/meetings/<slug>/comments/mine")
def my_comments(slug: str):
    registration = current_participant()
    meeting = get_meeting(db.session, slug)
    if registration.meeting_id != meeting.id:
        raise NotFound()
    closes_at = services.closes_at_for(db.session, registration)
    return jsonify({
        "closes_at": iso_utc(closes_at),
        "closes_at_local": iso_local(closes_at, meeting.timezone),
        "open": services.is_open(closes_at, now()) and registration.is_active,
        "comments": [services.comment_dict(c, closes_at=closes_at)
                     for c in services.comments_of(db.session, registration)],
    })


@bp.get("/meetings/<slug>/comments")
@require_staff("admin")
def all_comments(slug: str):
    """Filters: ``area`` (code), ``category``, ``support_type`` (or ``none``), ``horizon``,
    ``include_withdrawn=1``."""
    meeting = get_meeting(db.session, slug)
    comments = services.comment_listing(db.session, meeting, **comment_filters())
    return jsonify([services.comment_dict(c, staff=True) for c in comments])


def comment_filters() -> dict:
    return {
        "area": request.args.get("area") or None,
        "category": request.args.get("category") or None,
        "support_type": request.args.get("support_type") or None,
        "horizon": request.args.get("horizon") or None,
        "include_withdrawn": request.args.get("include_withdrawn") in ("1", "true", "yes"),
    }


@bp.get("/meetings/<slug>/support-matrix")
@require_staff("admin")
def support_matrix(slug: str):
    meeting = get_meeting(db.session, slug)
    return jsonify(services.support_matrix(
        db.session, meeting, category=request.args.get("category") or None))


def _own(comment_id: int) -> Comment:
    registration = current_participant()
    return services.own_comment(db.session, registration, comment_id)


@bp.get("/comments/<int:comment_id>")
def get_comment(comment_id: int):
    """The participant's own comment; admins may read any."""
    staff = current_staff()
    if staff is not None and current_participant(required=False) is None:
        if not staff.has_role("admin"):
            raise Forbidden()
        comment = db.session.get(Comment, comment_id)
        if comment is None:
            raise NotFound()
        return jsonify(services.comment_dict(comment, staff=True))
    comment = _own(comment_id)
    return jsonify(services.comment_dict(
        comment, closes_at=services.closes_at_for(db.session, comment.registration)))


@bp.patch("/comments/<int:comment_id>")
def update_comment(comment_id: int):
    comment = _own(comment_id)
    services.update_comment(db.session, comment, json_body(), now=now())
    db.session.commit()
    return jsonify(services.comment_dict(
        comment, closes_at=services.closes_at_for(db.session, comment.registration)))


@bp.delete("/comments/<int:comment_id>")
def withdraw_comment(comment_id: int):
    comment = _own(comment_id)
    services.withdraw_comment(db.session, comment, now=now())
    db.session.commit()
    return "", 204
