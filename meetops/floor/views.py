"""Floor pages: the chair's console, the public live view, the live stream, the totals CSV,
and the participant's ask/withdraw forms on the personal page."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import validate_csrf

from ..agenda.services import KIND_LABELS, current_item, session_items
from ..auth.access import require_staff
from ..booth.services import session_notes
from ..clock import now
from ..errors import AppError, BadRequest
from ..extensions import db
from ..meetings.services import get_session
from ..registration.access import participant_from_link
from ..registration.categories import CATEGORIES
from ..security import limit
from ..timezones import iso_utc
from . import services
from .broadcast import get_broadcaster, sse_event

bp = Blueprint("floor", __name__)

KIND_CHOICES = ("statement", "point_of_order", "reply")


def _page(template: str, session_id: int, **extra):
    session = get_session(db.session, session_id)
    return render_template(template, session=session, meeting=session.meeting, **extra)


@bp.route("/sessions/<int:session_id>/chair")
@require_staff("chair", page=True)
def chair(session_id: int):
    """The chair's console: the queue, the timer and its controls (rendered by floor-chair.js
    from the API and the stream)."""
    session = get_session(db.session, session_id)
    return render_template("floor/chair.html", session=session, meeting=session.meeting,
                           participants=services.participants(db.session, session),
                           categories=CATEGORIES)


@bp.route("/sessions/<int:session_id>/live")
def live(session_id: int):
    """The public view: who has the floor, the timer, who is next."""
    return _page("floor/live.html", session_id)


@bp.route("/sessions/<int:session_id>/interpret")
@require_staff("interpreter", "chair", page=True)
def interpret(session_id: int):
    """The interpreters' view (read-only): the agenda in Spanish and English side by side with
    the current item marked, who has the floor and in which language, the next three speakers,
    the current item's documents, glossaries and the secretariat's notes for the booths.
    interpret.js keeps it live from the floor stream; admins also get the notes form."""
    session = get_session(db.session, session_id)
    instant = now()
    items = session_items(db.session, session, published_only=True)
    current = current_item(db.session, session, instant)
    notes = session_notes(db.session, session)
    return render_template(
        "floor/interpret.html", session=session, meeting=session.meeting, items=items,
        current=current, kind_labels=KIND_LABELS,
        session_notes=[n for n in notes if n.item_id is None and n.kind == "note"],
        session_glossaries=[n for n in notes if n.item_id is None and n.kind == "glossary"],
        item_notes={i.id: [n for n in notes if n.item_id == i.id] for i in items},
        all_notes=notes, can_write_notes=g.staff.role == "admin", iso_utc=iso_utc)


@bp.route("/sessions/<int:session_id>/floor/stream")
def stream(session_id: int):
    """Server-Sent Events: the state now, then every new state; a comment as heartbeat."""
    broadcaster = get_broadcaster(current_app)
    state, _tag = broadcaster.state(session_id, now())  # one build for many new viewers
    db.session.commit()  # no connection held while streaming
    subscriber = broadcaster.subscribe(session_id, state["version"])
    # a viewer who left is noticed only at the next write: the heartbeat bounds how long their
    # stream holds a thread (a whole audience reconnecting at once needs those threads back)
    heartbeat = float(current_app.config.get("MEETOPS_FLOOR_HEARTBEAT_SECONDS", 5))
    retry_ms = int(current_app.config.get("MEETOPS_FLOOR_RETRY_MS", 2000))

    def events():
        try:
            yield f"retry: {retry_ms}\n" + sse_event(state)
            while True:
                try:
                    event = subscriber.queue.get(timeout=heartbeat)
                except Exception:  # queue.Empty: nothing new, keep proxies from closing it
                    yield ": heartbeat\n\n"
                    continue
                if event is None:
                    return
                yield event
        finally:
            broadcaster.unsubscribe(subscriber)

    return Response(events(), mimetype="text/event-stream", headers={
        "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


@bp.route("/sessions/<int:session_id>/floor/totals.csv")
@require_staff("chair", page=True)
def totals_csv(session_id: int):
    """Totals of the session, or of the whole meeting with ``?scope=meeting``."""
    session = get_session(db.session, session_id)
    whole = request.args.get("scope") == "meeting"
    data = services.totals(db.session, session, now(), whole_meeting=whole)
    name = f"floor-{session.meeting.slug}-totals.csv" if whole \
        else f"floor-session-{session.id}-totals.csv"
    return Response(services.totals_csv(data), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


def _checked_form() -> None:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except Exception:  # ValidationError of wtforms: a stale or forged form
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            raise BadRequest(_("The form expired or was sent from elsewhere. Reload the page "
                               "and try again."), code="csrf_failed") from None


@bp.route("/r/<token>/floor/<int:session_id>/ask", methods=["POST"])
@limit("MEETOPS_LIMIT_FLOOR_REQUEST")
def personal_ask(token: str, session_id: int):
    """Ask for the floor from the personal page."""
    registration = participant_from_link(token)
    _checked_form()
    session = get_session(db.session, session_id)
    language = request.form.get("language", "")
    if language == "other":
        language = (request.form.get("language_other") or "").strip()
    data = {"kind": request.form.get("kind", "statement"), "language": language}
    try:
        services.ask(db.session, session, registration, data, now())
    except AppError as error:
        db.session.rollback()
        message = error.message
        if error.fields:
            message = " ".join(str(m) for m in error.fields.values())
        flash(str(message))
    else:
        db.session.commit()  # (the commit wakes this process's broadcaster)
        flash(_("You are on the list of speakers."))
    return redirect(url_for("registration.personal", token=token) + "#floor")


@bp.route("/r/<token>/floor/<int:session_id>/withdraw", methods=["POST"])
def personal_withdraw(token: str, session_id: int):
    registration = participant_from_link(token)
    _checked_form()
    session = get_session(db.session, session_id)
    own = services.own_request(db.session, session, registration)
    if own is not None:
        services.withdraw(db.session, session, own.id, now(), registration=registration)
        db.session.commit()  # (the commit wakes this process's broadcaster)
        flash(_("You have withdrawn your request for the floor."))
    return redirect(url_for("registration.personal", token=token) + "#floor")


def personal_floor(registration) -> list[dict]:
    """For the personal page: each of the participant's sessions with their waiting request
    and its place in the queue."""
    rows = []
    sessions = registration.sessions or registration.meeting.sessions
    for session in sessions:
        queue = services.waiting(db.session, session.id)
        place = next((i for i, r in enumerate(queue) if r.registration_id == registration.id),
                     None)
        floor = db.session.get(services.FloorState, session.id)
        rows.append({"session": session, "request": queue[place] if place is not None else None,
                     "place": place + 1 if place is not None else None,
                     "list_closed": bool(floor and floor.list_closed)})
    return rows


@bp.app_context_processor
def _floor_helpers() -> dict:
    return {"floor_personal": personal_floor, "floor_kinds": KIND_CHOICES}
