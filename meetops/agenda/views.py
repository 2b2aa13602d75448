"""Agenda pages: the public agenda and the secretariat's editor."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..auth.access import require_staff
from ..consultation.services import areas_by_code
from ..errors import AppError
from ..extensions import db
from ..meetings.services import get_meeting, get_session
from ..timezones import to_local
from . import reminders
from .models import KINDS
from .services import (
    KIND_LABELS,
    add_item,
    get_item,
    publish,
    remove_item,
    session_items,
    update_item,
    update_session,
)

bp = Blueprint("agenda", __name__)


@bp.route("/meetings/<slug>/agenda")
def agenda_page(slug: str):
    """The published agenda, each time in the meeting's zone and the visitor's own."""
    meeting = get_meeting(db.session, slug)
    agenda = [(s, session_items(db.session, s, published_only=True)) for s in meeting.sessions]
    return render_template("agenda/agenda.html", meeting=meeting, agenda=agenda,
                           kind_labels=KIND_LABELS, areas=areas_by_code(db.session, meeting))


# --- the secretariat's editor ---------------------------------------------------------------


def _local_input(instant, zone: str) -> str:
    """An instant as the value of a datetime-local input in the meeting's zone."""
    return to_local(instant, zone).strftime("%Y-%m-%dT%H:%M")


def _int(name: str):
    value = request.form.get(name, "").strip()
    try:
        return int(value)
    except ValueError:
        return value or None


def _item_payload() -> dict:
    form = request.form
    data = {
        "title": {"en": form.get("title_en", ""), "es": form.get("title_es", "")},
        "description": {"en": form.get("description_en", ""),
                        "es": form.get("description_es", "")},
        "kind": form.get("kind", "other"),
        "duration_minutes": _int("duration_minutes"),
        "speakers": form.get("speakers", "").replace("\r\n", "\n"),
        "intervention_seconds": _int("intervention_seconds"),
        "priority_area_codes": [c.strip() for c in form.get("priority_area_codes", "")
                                .split(",") if c.strip()],
        "published": bool(form.get("published")),
    }
    if form.get("starts_at", "").strip():
        data["starts_at"] = form["starts_at"].strip()
    return data


def _editor(slug: str, *, status: int = 200, error: AppError | None = None,
            values: dict | None = None):
    meeting = get_meeting(db.session, slug)
    agenda = [(s, session_items(db.session, s)) for s in meeting.sessions]
    return render_template(
        "agenda/admin.html", meeting=meeting, agenda=agenda, kinds=KINDS,
        kind_labels=KIND_LABELS, local_input=_local_input, error=error,
        values=values or {}), status


def _back(slug: str):
    return redirect(url_for("agenda.admin_agenda", slug=slug))


@bp.route("/admin/meetings/<slug>/agenda")
@require_staff("admin", page=True)
def admin_agenda(slug: str):
    """Every session with all its items (drafts too), and the forms that change them."""
    return _editor(slug)


@bp.route("/admin/sessions/<int:session_id>/items", methods=["POST"])
@require_staff("admin", page=True)
def admin_add_item(session_id: int):
    session = get_session(db.session, session_id)
    try:
        add_item(db.session, session, _item_payload())
    except AppError as error:
        db.session.rollback()
        return _editor(session.meeting.slug, status=error.status, error=error,
                       values={"session_id": session_id, **request.form.to_dict()})
    db.session.commit()
    flash(_("The item has been added."))
    return _back(session.meeting.slug)


@bp.route("/admin/items/<int:item_id>", methods=["POST"])
@require_staff("admin", page=True)
def admin_change_item(item_id: int):
    """Change, move (up/down) or remove an item."""
    item = get_item(db.session, item_id)
    slug = item.session.meeting.slug
    action = request.form.get("action", "save")
    try:
        if action == "delete":
            remove_item(db.session, item)
            message = _("The item has been removed.")
        elif action in ("up", "down"):
            update_item(db.session, item, {
                "position": max(1, item.position + (-1 if action == "up" else 1))})
            message = _("The item has been moved; the items after it were re-timed.")
        else:
            update_item(db.session, item, _item_payload())
            message = _("The item has been saved.")
    except AppError as error:
        db.session.rollback()
        return _editor(slug, status=error.status, error=error)
    db.session.commit()
    flash(message)
    return _back(slug)


@bp.route("/admin/sessions/<int:session_id>/publish", methods=["POST"])
@require_staff("admin", page=True)
def admin_publish(session_id: int):
    session = get_session(db.session, session_id)
    wanted = request.form.get("published", "1") == "1"
    publish(db.session, session, wanted)
    db.session.commit()
    flash(_("The agenda of this session is published.") if wanted
          else _("The agenda of this session is withdrawn from the public page."))
    return _back(session.meeting.slug)


@bp.route("/admin/sessions/<int:session_id>", methods=["POST"])
@require_staff("admin", page=True)
def admin_change_session(session_id: int):
    """Move a session, change its join link, cancel or reinstate it."""
    session = get_session(db.session, session_id)
    form = request.form
    data = {"starts_at": form.get("starts_at", ""), "ends_at": form.get("ends_at", ""),
            "join_url": form.get("join_url", "").strip() or None,
            "cancelled": bool(form.get("cancelled"))}
    try:
        moved = update_session(db.session, session, data)
    except AppError as error:
        db.session.rollback()
        return _editor(session.meeting.slug, status=error.status, error=error)
    db.session.commit()
    if moved:
        reminders.replan_after_commit(session)
    flash(_("The session has been saved; calendars will show the change."))
    return _back(session.meeting.slug)
