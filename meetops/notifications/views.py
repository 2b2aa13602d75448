"""The outbox, readable by the secretariat."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import select

from ..auth.access import require_staff
from ..extensions import db
from .models import OutboxMessage

bp = Blueprint("notifications", __name__)


@bp.route("/admin/outbox")
@require_staff("admin", page=True)
def outbox():
    """Queued and sent mail, newest first (the only copy when no SMTP server is set)."""
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(200)
    if request.args.get("to"):
        query = query.where(OutboxMessage.recipient == request.args["to"].strip())
    messages = list(db.session.execute(query).scalars())
    return render_template("admin/outbox.html", messages=messages)
