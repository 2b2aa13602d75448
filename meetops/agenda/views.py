"""Agenda pages: the public agenda and the secretariat's editor."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..extensions import db
from ..meetings.services import get_meeting
from .services import KIND_LABELS, session_items

bp = Blueprint("agenda", __name__)


@bp.route("/meetings/<slug>/agenda")
def agenda_page(slug: str):
    """The published agenda, each time in the meeting's zone and the visitor's own."""
    meeting = get_meeting(db.session, slug)
    agenda = [(s, session_items(db.session, s, published_only=True)) for s in meeting.sessions]
    return render_template("agenda/agenda.html", meeting=meeting, agenda=agenda,
                           kind_labels=KIND_LABELS)
