"""Floor API: read the floor (ETag), ask for it, and the chair's actions (compare-and-set)."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from flask_babel import lazy_gettext as _l

from ..audit.services import record
from ..auth.access import current_staff, require_staff
from ..clock import now
from ..errors import ValidationError
from ..extensions import db
from ..meetings.services import get_session
from ..registration.access import current_participant
from ..security import limit
from ..web import json_body
from . import (
    schemas,  # noqa: F401  (OpenAPI components)
    services,
)
from .broadcast import floor_state

bp = Blueprint("floor_api", __name__, url_prefix="/api/v1")


def committed(session, *, before: dict | None = None, sync_job: bool = True) -> dict:
    """The state after a change, read in the change's own transaction, then the commit (which
    notifies the other instances and wakes this process's broadcaster). A chair's change is
    written to the audit log in the same transaction (``before``: the state acted on). The
    limit job is re-armed when the turn's hard deadline moved (always with ``sync_job`` when
    the state before is unknown)."""
    instant = now()
    session_id = session.id  # (read before the commit expires it)
    state = services.state_dict(db.session, session, instant)
    if before is not None:
        record(db.session, now=instant, actor=current_staff(),
               action=f"floor.{request.endpoint.rsplit('.', 1)[-1]}",
               target=f"session:{session_id}", before=_summary(before), after=_summary(state),
               meeting_id=session.meeting_id)
    db.session.commit()
    if before is not None:
        sync_job = services.hard_due(state) != services.hard_due(before)
    if sync_job:
        services.sync_limit_job(db.session, session_id, instant)
        db.session.commit()
    return state


def _acted_on(session_id: int, version, instant) -> dict:
    """The state a chair acts on: this process's cached state when it is at their
    ``version``, else read from the database (applying a due limit)."""
    known = version if isinstance(version, int) and not isinstance(version, bool) \
        and version > 0 else 0
    return floor_state(current_app, session_id, instant, min_version=known)[0]


def _state_response(state: dict, status: int = 200):
    response = jsonify(state)
    response.status_code = status
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sessions/<int:session_id>/floor")
def floor(session_id: int):
    """The floor state; ``If-None-Match`` with the last ETag gives a 304 while nothing
    changed (the timer is computed by the client from the timestamps).
    ---
    get:
      summary: Read the floor of a session
      tags: [floor]
      parameters:
        - in: header
          name: If-None-Match
          required: false
          description: the ETag of the last state read; 304 while the floor has not changed
          schema: {type: string}
      responses:
        200:
          description: The floor state
          headers:
            ETag: {description: a weak entity tag of this state, schema: {type: string}}
          content: {application/json: {schema: FloorState}}
        304:
          description: Not modified since the state of the ETag sent in If-None-Match
          headers:
            ETag: {description: the same weak entity tag, schema: {type: string}}
        404: {$ref: "#/components/responses/E404"}
    """
    # a client that saw a newer version than this process knows of gets it from the database
    seen = max((services.etag_version(tag, session_id)
                for tag in request.if_none_match.as_set(include_weak=True)), default=0)
    state, tag = floor_state(current_app, session_id, now(), min_version=seen)
    if request.if_none_match.contains_weak(tag):
        response = current_app.response_class(status=304)
    else:
        response = _state_response(state)
    response.set_etag(tag, weak=True)
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/sessions/<int:session_id>/floor/clock")
def clock(session_id: int):
    """The server's clock, for the pages' offset measurement (corrected for round trip).
    ---
    get:
      summary: Read the server's clock (for countdowns)
      description: >-
        The pages measure their offset from the server's clock with it; the session is not
        looked up, so any session id is answered.
      tags: [floor]
      responses:
        200:
          description: The server's current instant (never cached)
          content: {application/json: {schema: FloorClock}}
    """
    response = jsonify({"server_now": services.iso_ms(now())})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/sessions/<int:session_id>/floor/requests")
@limit("MEETOPS_LIMIT_FLOOR_REQUEST")
def ask(session_id: int):
    """A participant asks for the floor: ``{kind, language}`` -> 201 ``{request_id}``.
    ---
    post:
      summary: Ask for the floor (participant token)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorRequestInput}}
      responses:
        201:
          description: Waiting for the floor
          content: {application/json: {schema: FloorRequestCreated}}
        403:
          description: >-
            Not registered for this meeting, or cancelled (`not_registered`); the list of
            speakers is closed (`list_closed`)
          content: {application/json: {schema: Error}}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            The caller is already waiting for the floor in this session (`already_waiting`)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    participant = current_participant()
    session = get_session(db.session, session_id)
    floor_request = services.ask(db.session, session, participant, json_body(), now())
    request_id = floor_request.id
    state = committed(session, sync_job=False)  # the queue changed, not the turn
    return jsonify({"request_id": request_id, "floor": state}), 201


@bp.delete("/sessions/<int:session_id>/floor/requests/<int:request_id>")
def withdraw(session_id: int, request_id: int):
    """Withdraw: the participant their own request; the chair any (``?version=`` checks the
    floor version, as the chair's other actions do).
    ---
    delete:
      summary: Withdraw a request for the floor (the participant's own, or the chair any)
      tags: [floor]
      security: [{bearer: []}]
      parameters:
        - in: query
          name: version
          required: false
          description: the chair's check of the floor version (compare-and-set)
          schema: {type: integer, minimum: 1, maximum: 2147483647}
      responses:
        200: {description: The new floor state, content: {application/json: {schema: FloorState}}}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            The chair's `version` is not the current one (`stale_version`)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    session = get_session(db.session, session_id)
    staff = current_staff()
    if staff is not None and staff.has_role("chair"):
        version = request.args.get("version", type=int)
        if version is None and request.args.get("version") is not None:
            raise ValidationError(fields={"version": _l("The floor version you acted on.")})
        instant = now()
        before = _acted_on(session.id, version, instant)
        services.withdraw(db.session, session, request_id, instant, version=version)
        return _state_response(committed(session, before=before))
    else:
        participant = current_participant()
        services.withdraw(db.session, session, request_id, now(), registration=participant)
        return _state_response(committed(session, sync_job=False))


def _summary(state: dict) -> dict:
    """What the audit log keeps of a floor state."""
    current = state.get("current")
    return {"version": state["version"], "list_closed": state.get("list_closed"),
            "speaking": current["participant"]["name"] if current else None,
            "turn": current["state"] if current else None, "queue": len(state["queue"])}


def _chair_action(session_id: int, action) -> tuple:
    session = get_session(db.session, session_id)
    data = json_body()
    instant = now()
    before = _acted_on(session_id, data.get("version"), instant)
    action(session, data, instant)
    return _state_response(committed(session, before=before))


@bp.post("/sessions/<int:session_id>/floor/next")
@require_staff("chair")
def next_speaker(session_id: int):
    """End the current intervention and give the floor to the first waiting: ``{version}``.
    ---
    post:
      summary: End the current intervention and give the floor to the first waiting (chair)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorVersion}}
      responses:
        200: {description: The new floor state, content: {application/json: {schema: FloorState}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            Stale `version` (`stale_version`, with the current state), or nobody is speaking or
            waiting (`queue_empty`)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    return _chair_action(session_id, lambda s, d, t: services.next_speaker(
        db.session, s, d.get("version"), t))


@bp.post("/sessions/<int:session_id>/floor/pause")
@require_staff("chair")
def pause(session_id: int):
    """Pause the current intervention: ``{version}``.
    ---
    post:
      summary: Pause the current intervention (chair)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorVersion}}
      responses:
        200: {description: The new floor state, content: {application/json: {schema: FloorState}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            Stale `version` (`stale_version`, with the current state), or nobody is speaking
            (`not_speaking`)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    return _chair_action(session_id, lambda s, d, t: services.pause(
        db.session, s, d.get("version"), t))


@bp.post("/sessions/<int:session_id>/floor/resume")
@require_staff("chair")
def resume(session_id: int):
    """Resume the paused intervention: ``{version}``.
    ---
    post:
      summary: Resume the paused intervention (chair)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorVersion}}
      responses:
        200: {description: The new floor state, content: {application/json: {schema: FloorState}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            Stale `version` (`stale_version`, with the current state), or nothing is paused
            (`not_paused`)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    return _chair_action(session_id, lambda s, d, t: services.resume(
        db.session, s, d.get("version"), t))


@bp.post("/sessions/<int:session_id>/floor/end")
@require_staff("chair")
def end(session_id: int):
    """End the current intervention: ``{version}``.
    ---
    post:
      summary: End the current intervention (chair)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorVersion}}
      responses:
        200: {description: The new floor state, content: {application/json: {schema: FloorState}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            Stale `version` (`stale_version`, with the current state), or nobody has the floor
            (`nobody_speaking`)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    return _chair_action(session_id, lambda s, d, t: services.end(
        db.session, s, d.get("version"), t))


@bp.post("/sessions/<int:session_id>/floor/give")
@require_staff("chair")
def give(session_id: int):
    """Give the floor to a chosen request: ``{version, request_id}``.
    ---
    post:
      summary: Give the floor to a chosen waiting request (chair)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorGive}}
      responses:
        200: {description: The new floor state, content: {application/json: {schema: FloorState}}}
        403: {$ref: "#/components/responses/E403"}
        404:
          description: No such session, or no such request waiting in it
          content: {application/json: {schema: Error}}
        409:
          description: >-
            Stale `version` (`stale_version`, with the current state)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    return _chair_action(session_id, lambda s, d, t: services.give_floor(
        db.session, s, d.get("version"), d.get("request_id"), t))


@bp.post("/sessions/<int:session_id>/floor/move")
@require_staff("chair")
def move(session_id: int):
    """Move a request in the queue: ``{version, request_id, to_index}`` (0 is first).
    ---
    post:
      summary: Move a waiting request in the queue (chair)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorMove}}
      responses:
        200: {description: The new floor state, content: {application/json: {schema: FloorState}}}
        403: {$ref: "#/components/responses/E403"}
        404:
          description: No such session, or no such request waiting in it
          content: {application/json: {schema: Error}}
        409:
          description: >-
            Stale `version` (`stale_version`, with the current state)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    return _chair_action(session_id, lambda s, d, t: services.move(
        db.session, s, d.get("version"), d.get("request_id"), d.get("to_index"), t))


@bp.post("/sessions/<int:session_id>/floor/close")
@require_staff("chair")
def close_list(session_id: int):
    """Close the list of speakers: ``{version}``.
    ---
    post:
      summary: Close the list of speakers (chair)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorVersion}}
      responses:
        200: {description: The new floor state, content: {application/json: {schema: FloorState}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            Stale `version` (`stale_version`, with the current state)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    return _chair_action(session_id, lambda s, d, t: services.set_list_closed(
        db.session, s, d.get("version"), True, t))


@bp.post("/sessions/<int:session_id>/floor/open")
@require_staff("chair")
def open_list(session_id: int):
    """Open the list of speakers again: ``{version}``.
    ---
    post:
      summary: Open the list of speakers again (chair)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorVersion}}
      responses:
        200: {description: The new floor state, content: {application/json: {schema: FloorState}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            Stale `version` (`stale_version`, with the current state)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    return _chair_action(session_id, lambda s, d, t: services.set_list_closed(
        db.session, s, d.get("version"), False, t))


@bp.post("/sessions/<int:session_id>/floor/add")
@require_staff("chair")
def add_on_behalf(session_id: int):
    """Add a participant to the queue on their behalf:
    ``{version, registration_id, kind, language}`` -> 201 ``{request_id, floor}``.
    ---
    post:
      summary: Add a participant to the queue on their behalf (chair)
      tags: [floor]
      security: [{bearer: []}]
      requestBody:
        required: true
        content: {application/json: {schema: FloorAddInput}}
      responses:
        201:
          description: Waiting for the floor
          content: {application/json: {schema: FloorRequestCreated}}
        403:
          description: >-
            Not a chair (`forbidden`), or the participant's registration is cancelled
            (`not_registered`)
          content: {application/json: {schema: Error}}
        404: {$ref: "#/components/responses/E404"}
        409:
          description: >-
            Stale `version` (`stale_version`, with the current state), or the participant already
            waits (`already_waiting`)
          content: {application/json: {schema: FloorConflict}}
        422: {$ref: "#/components/responses/E422"}
    """
    session = get_session(db.session, session_id)
    data = json_body()
    registration = services.find_registration(db.session, session, data.get("registration_id"))
    instant = now()
    before = _acted_on(session.id, data.get("version"), instant)
    floor_request = services.ask(db.session, session, registration, data, instant,
                                 by_chair=True, version=data.get("version"))
    request_id = floor_request.id
    state = committed(session, before=before)
    return jsonify({"request_id": request_id, "floor": state}), 201


@bp.get("/sessions/<int:session_id>/floor/totals")
@require_staff("chair")
def totals(session_id: int):
    """Interventions, spoken seconds and overtime per participant and stakeholder category;
    ``?scope=meeting`` adds up every session of the meeting.
    ---
    get:
      summary: Speaking time per participant and category (chair)
      tags: [floor]
      security: [{bearer: []}]
      parameters:
        - in: query
          name: scope
          required: false
          description: "`meeting`: every session of the meeting; otherwise this session"
          schema: {type: string, enum: [session, meeting], default: session}
      responses:
        200: {description: The totals, content: {application/json: {schema: FloorTotals}}}
        403: {$ref: "#/components/responses/E403"}
        404: {$ref: "#/components/responses/E404"}
    """
    session = get_session(db.session, session_id)
    instant = now()
    floor_state(current_app, session.id, instant)  # a due limit is applied first
    return jsonify(services.totals(db.session, session, instant,
                                   whole_meeting=request.args.get("scope") == "meeting"))
