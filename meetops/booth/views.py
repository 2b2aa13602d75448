"""The secretariat's forms for booth notes (shown on the interpreters' view to admins)."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ..auth.access import require_staff
from ..clock import now
from ..errors import ValidationError
from ..extensions import db
from ..meetings.services import get_session
from . import services

bp = Blueprint("booth", __name__)


def _back(session_id: int):
    return redirect(url_for("floor.interpret", session_id=session_id) + "#booth-notes-form")


@bp.route("/sessions/<int:session_id>/booth-notes", methods=["POST"])
@require_staff("admin", page=True)
def add_note(session_id: int):
    """Leave a note (or a glossary link) for the booths, for the session or one item."""
    session = get_session(db.session, session_id)
    try:
        services.add_note(db.session, session, request.form.to_dict(), author=g.staff,
                          now=now())
    except ValidationError as error:
        db.session.rollback()
        for message in (error.fields or {}).values():
            flash(str(message))
        return _back(session_id)
    db.session.commit()
    flash(_("The note for the booths has been saved."))
    return _back(session_id)


@bp.route("/sessions/<int:session_id>/booth-notes/remove", methods=["POST"])
@require_staff("admin", page=True)
def remove_note(session_id: int):
    """Remove a note: its id comes in the form (``note_id``)."""
    session = get_session(db.session, session_id)
    services.remove_note(db.session, session, request.form.get("note_id"), author=g.staff,
                         now=now())
    db.session.commit()
    flash(_("The note has been removed."))
    return _back(session_id)
