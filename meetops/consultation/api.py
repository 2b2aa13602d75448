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
from . import (
    schemas,  # noqa: F401  (OpenAPI components)
    services,
)
from .models import Comment

bp = Blueprint("consultation_api", __name__, url_prefix="/api/v1")


@bp.get("/meetings/<slug>/priority-areas")
def priority_areas(slug: str):
    """The meeting's priority areas, in order.
    ---
    get:
      summary: List the priority areas
      tags: [consultation]
      responses:
        200:
          description: The areas, in the list's order
          content: {application/json: {schema: {type: array, items: PriorityArea}}}
        404: {$ref: "#/components/responses/E404"}
    """
    meeting = get_meeting(db.session, slug)
    return jsonify([services.area_dict(a) for a in services.list_areas(db.session, meeting)])


@bp.put("/meetings/<slug>/priority-areas")
@require_staff("admin")
def replace_priority_areas(slug: str):
    """Replace the list (the secretariat's official one): same shapes as the import file.
    ---
    put:
      summary: Replace the priority areas (admin)
      description: >-
        Areas are matched by code; those missing from the new list are removed, except the ones
        comments refer to, which are kept (and listed in `kept`). The new list is not
        provisional.
      tags: [consultation]
      security: [{bearer: []}]
      requestBody:
        required: true
        description: >-
          A list of areas, `{"areas": [...]}`, or the demo file's `{"chapters": [...]}`
        content:
          application/json:
            schema:
              oneOf:
                - {type: array, items: PriorityAreaInput, minItems: 1}
                - PriorityAreaList
                - PriorityAreaChapters
      responses:
        200:
          description: What changed, and the new list
          content: {application/json: {schema: PriorityAreasReplaced}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        422: {$ref: "#/components/responses/E422"}
    """
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
    """The comment deadlines: the default one and each category's own.
    ---
    get:
      summary: List the comment deadlines
      description: >-
        A participant may send, change or withdraw comments up to and including the closing
        second of their category's deadline, else of the `default` one; with none, always.
      tags: [consultation]
      responses:
        200:
          description: The deadlines, `default` first
          content: {application/json: {schema: {type: array, items: CommentDeadline}}}
        404: {$ref: "#/components/responses/E404"}
    """
    meeting = get_meeting(db.session, slug)
    return jsonify(services.deadline_dicts(db.session, meeting))


@bp.patch("/meetings/<slug>/comment-deadlines")
@require_staff("admin")
def set_comment_deadlines(slug: str):
    """Body ``{category|"default": "YYYY-MM-DD" | ISO date-time | null}``.
    ---
    patch:
      summary: Set comment deadlines (admin)
      tags: [consultation]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: CommentDeadlinesInput}}
      responses:
        200:
          description: All the deadlines, as after the change
          content: {application/json: {schema: {type: array, items: CommentDeadline}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        422: {$ref: "#/components/responses/E422"}
    """
    meeting = get_meeting(db.session, slug)
    services.set_deadlines(db.session, meeting, json_body())
    db.session.commit()
    return jsonify(services.deadline_dicts(db.session, meeting))


@bp.post("/meetings/<slug>/comments")
def create_comment(slug: str):
    """The participant comments, optionally offering support.
    ---
    post:
      summary: Send a comment (participant token)
      tags: [consultation]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: CommentInput}}
      responses:
        201:
          description: Created; `Location` is the comment's URL
          headers:
            Location: {description: The comment's URL, schema: {type: string}}
          content: {application/json: {schema: Comment}}
        403:
          description: >-
            `comments_closed` after the deadline of the caller's category;
            `registration_cancelled`
          content: {application/json: {schema: Error}}
        404: {$ref: "#/components/responses/E404"}
        422: {$ref: "#/components/responses/E422"}
    """
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
    """The participant's own comments (not withdrawn) and their deadline.
    ---
    get:
      summary: List my comments (participant token)
      tags: [consultation]
      security: [{bearer: []}]
      responses:
        200: {description: My comments, content: {application/json: {schema: MyComments}}}
        404: {$ref: "#/components/responses/E404"}
    """
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
    ``include_withdrawn=1``.
    ---
    get:
      summary: List all comments (admin)
      tags: [consultation]
      security: [{bearer: []}]
      parameters:
        - {in: query, name: area, schema: {type: string}, description: a priority area's code}
        - {in: query, name: category, schema: {type: string},
           description: "a registration category (`lac_state`, ...)"}
        - in: query
          name: support_type
          schema: {type: string, enum: [technical, material, financial, none]}
          description: "`none`: comments without an offer"
        - {in: query, name: horizon, schema: {type: string, enum: [short, medium, long]}}
        - in: query
          name: include_withdrawn
          schema: {type: boolean, default: false}
          description: "`1`, `true` or `yes` include withdrawn comments"
      responses:
        200:
          description: The comments, oldest first
          content: {application/json: {schema: {type: array, items: CommentForAdmin}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
    """
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
    """Offers counted by priority area and type of support, with who offers them.
    ---
    get:
      summary: The support matrix (admin)
      tags: [consultation]
      security: [{bearer: []}]
      parameters:
        - {in: query, name: category, schema: {type: string},
           description: "count only the offers of this registration category"}
      responses:
        200: {description: The matrix, content: {application/json: {schema: SupportMatrix}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
    """
    meeting = get_meeting(db.session, slug)
    return jsonify(services.support_matrix(
        db.session, meeting, category=request.args.get("category") or None))


def _own(comment_id: int) -> Comment:
    registration = current_participant()
    return services.own_comment(db.session, registration, comment_id)


@bp.get("/comments/<int:comment_id>")
def get_comment(comment_id: int):
    """The participant's own comment; admins may read any.
    ---
    get:
      summary: Read a comment (its participant's token, or admin)
      tags: [consultation]
      security: [{bearer: []}]
      responses:
        200:
          description: The comment (`CommentForAdmin` for admins)
          content: {application/json: {schema: {oneOf: [Comment, CommentForAdmin]}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
    """
    staff = current_staff()
    if staff is not None and current_participant(required=False) is None:
        if not staff.has_role("admin"):
            raise Forbidden()
        comment = services.find_comment(db.session, comment_id)
        if comment is None:
            raise NotFound()
        return jsonify(services.comment_dict(comment, staff=True))
    comment = _own(comment_id)
    return jsonify(services.comment_dict(
        comment, closes_at=services.closes_at_for(db.session, comment.registration)))


@bp.patch("/comments/<int:comment_id>")
def update_comment(comment_id: int):
    """Change one's own comment until the category's deadline.
    ---
    patch:
      summary: Change my comment (participant token)
      tags: [consultation]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: CommentChanges}}
      responses:
        200: {description: The comment, content: {application/json: {schema: Comment}}}
        403:
          description: "`comments_closed` after the deadline; `registration_cancelled`"
          content: {application/json: {schema: Error}}
        404: {$ref: "#/components/responses/E404"}
        422: {$ref: "#/components/responses/E422"}
    """
    comment = _own(comment_id)
    services.update_comment(db.session, comment, json_body(), now=now())
    db.session.commit()
    return jsonify(services.comment_dict(
        comment, closes_at=services.closes_at_for(db.session, comment.registration)))


@bp.delete("/comments/<int:comment_id>")
def withdraw_comment(comment_id: int):
    """Withdraw one's own comment until the category's deadline (it is kept, not counted).
    ---
    delete:
      summary: Withdraw my comment (participant token)
      tags: [consultation]
      security: [{bearer: []}]
      responses:
        204: {description: Withdrawn}
        403:
          description: "`comments_closed` after the deadline; `registration_cancelled`"
          content: {application/json: {schema: Error}}
        404: {$ref: "#/components/responses/E404"}
    """
    comment = _own(comment_id)
    services.withdraw_comment(db.session, comment, now=now())
    db.session.commit()
    return "", 204
