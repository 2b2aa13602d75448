"""Agenda API: anyone reads the published agenda; admins build it and move sessions."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from ..auth.access import current_staff, require_staff
from ..extensions import db
from ..meetings.services import get_meeting, get_session
from ..web import json_body
from . import reminders
from .services import (
    add_item,
    agenda_dict,
    agenda_session_dict,
    get_item,
    item_dict,
    publish,
    remove_item,
    update_item,
    update_session,
)

bp = Blueprint("agenda_api", __name__, url_prefix="/api/v1")


def _staff_view() -> bool:
    user = current_staff()
    return bool(request.args.get("drafts")) and user is not None and user.has_role("admin")


@bp.get("/meetings/<slug>/agenda")
def agenda(slug: str):
    """The published agenda; admins add ``?drafts=1`` to see unpublished items too."""
    return jsonify(agenda_dict(db.session, get_meeting(db.session, slug), staff=_staff_view()))


@bp.post("/sessions/<int:session_id>/items")
@require_staff("admin")
def create_item(session_id: int):
    item = add_item(db.session, get_session(db.session, session_id), json_body())
    db.session.commit()
    return jsonify(item_dict(item, staff=True)), 201


@bp.patch("/items/<int:item_id>")
@require_staff("admin")
def patch_item(item_id: int):
    item = update_item(db.session, get_item(db.session, item_id), json_body())
    db.session.commit()
    return jsonify(item_dict(item, staff=True))


@bp.delete("/items/<int:item_id>")
@require_staff("admin")
def delete_item(item_id: int):
    remove_item(db.session, get_item(db.session, item_id))
    db.session.commit()
    return "", 204


@bp.post("/sessions/<int:session_id>/publish")
@require_staff("admin")
def publish_session(session_id: int):
    """Publish every item of the session (``{"published": false}`` withdraws them)."""
    session = get_session(db.session, session_id)
    wanted = request.get_json(silent=True) or {}
    publish(db.session, session, wanted.get("published", True) is not False)
    db.session.commit()
    return jsonify(agenda_session_dict(db.session, session, staff=True))


@bp.patch("/sessions/<int:session_id>")
@require_staff("admin")
def patch_session(session_id: int):
    """Change a session's times, titles, join link or cancellation (SEQUENCE is raised)."""
    session = get_session(db.session, session_id)
    moved = update_session(db.session, session, json_body())
    db.session.commit()
    if moved:
        reminders.replan_after_commit(session)
    return jsonify(agenda_session_dict(db.session, session, staff=True))
