"""Agenda API: anyone reads the published agenda; admins build it and move sessions."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask_babel import lazy_gettext as _l

from ..auth.access import current_staff, require_staff
from ..errors import ValidationError
from ..extensions import db
from ..meetings.services import get_meeting, get_session
from ..web import json_body
from . import (
    auditing,
    reminders,
    schemas,  # noqa: F401  (OpenAPI components)
)
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
    """The published agenda; admins add ``?drafts=1`` to see unpublished items too.
    ---
    get:
      summary: Read a meeting's agenda
      tags: [agenda]
      parameters:
        - in: query
          name: drafts
          required: false
          description: >-
            Any non-empty value: unpublished items too, with their documents and speaker
            registrations (admins only, with their Bearer token; ignored for anyone else)
          schema: {type: string, example: "1"}
      responses:
        200:
          description: The agenda of every session
          content: {application/json: {schema: Agenda}}
        404: {$ref: "#/components/responses/E404"}
    """
    return jsonify(agenda_dict(db.session, get_meeting(db.session, slug), staff=_staff_view()))


@bp.post("/sessions/<int:session_id>/items")
@require_staff("admin")
def create_item(session_id: int):
    """Add an item after the last one (at the session's start when it is the first), or at
    ``starts_at``.
    ---
    post:
      summary: Add an agenda item to a session (admin)
      tags: [agenda]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: AgendaItemInput}}
      responses:
        201:
          description: The new item (a draft unless published is true)
          content: {application/json: {schema: AgendaItemAdmin}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            The item does not fit the session (`does_not_fit`) or overlaps another item
            (`overlaps`); the message says by how many minutes
          content: {application/json: {schema: Error}}
        422: {$ref: "#/components/responses/E422"}
    """
    item = add_item(db.session, get_session(db.session, session_id), json_body())
    db.session.flush()
    auditing.record_item("add_item", item, None, auditing.item_state(item))
    db.session.commit()
    return jsonify(item_dict(item, staff=True)), 201


@bp.patch("/items/<int:item_id>")
@require_staff("admin")
def patch_item(item_id: int):
    """Change an item; a new ``position`` reorders and re-times the items from there on.
    ---
    patch:
      summary: Change an agenda item (admin)
      tags: [agenda]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: AgendaItemChange}}
      responses:
        200: {description: The item, content: {application/json: {schema: AgendaItemAdmin}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            The new start or duration does not fit the session (`does_not_fit`) or overlaps
            another item (`overlaps`)
          content: {application/json: {schema: Error}}
        422: {$ref: "#/components/responses/E422"}
    """
    item = get_item(db.session, item_id)
    before = auditing.item_state(item)
    item = update_item(db.session, item, json_body())
    auditing.record_item("change_item", item, before, auditing.item_state(item))
    db.session.commit()
    return jsonify(item_dict(item, staff=True))


@bp.delete("/items/<int:item_id>")
@require_staff("admin")
def delete_item(item_id: int):
    """Remove an item; the others keep their times.
    ---
    delete:
      summary: Remove an agenda item (admin)
      tags: [agenda]
      security: [{bearer: []}]
      responses:
        204: {description: Removed}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
    """
    item = get_item(db.session, item_id)
    auditing.record_item("remove_item", item, auditing.item_state(item), None)
    remove_item(db.session, item)
    db.session.commit()
    return "", 204


@bp.post("/sessions/<int:session_id>/publish")
@require_staff("admin")
def publish_session(session_id: int):
    """Publish every item of the session (``{"published": false}`` withdraws them).
    ---
    post:
      summary: Publish (or withdraw) a session's agenda (admin)
      tags: [agenda]
      security: [{bearer: []}]
      requestBody:
        required: false
        content: {application/json: {schema: PublishInput}}
      responses:
        200:
          description: The session with all its items
          content: {application/json: {schema: AgendaSession}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        422: {$ref: "#/components/responses/E422"}
    """
    session = get_session(db.session, session_id)
    published = json_body().get("published", True) if request.get_data(cache=True) else True
    if not isinstance(published, bool):
        raise ValidationError(fields={"published": _l("true or false.")})
    publish(db.session, session, published)
    auditing.record_session("publish" if published else "unpublish", session, {}, {})
    db.session.commit()
    return jsonify(agenda_session_dict(db.session, session, staff=True))


@bp.patch("/sessions/<int:session_id>")
@require_staff("admin")
def patch_session(session_id: int):
    """Change a session's times, titles, join link or cancellation (SEQUENCE is raised).
    ---
    patch:
      summary: Move, rename or cancel a session (admin)
      tags: [agenda]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: SessionChange}}
      responses:
        200:
          description: The session with all its items
          content: {application/json: {schema: AgendaSession}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            The session would end before its last agenda item (`does_not_fit`)
          content: {application/json: {schema: Error}}
        422: {$ref: "#/components/responses/E422"}
    """
    session = get_session(db.session, session_id)
    before = auditing.session_state(session)
    moved = update_session(db.session, session, json_body())
    auditing.record_session("change_session", session, before, auditing.session_state(session))
    db.session.commit()
    if moved:
        reminders.replan_after_commit(session)
    return jsonify(agenda_session_dict(db.session, session, staff=True))
