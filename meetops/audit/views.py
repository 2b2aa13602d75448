"""The audit log, readable by admins."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from ..auth.access import require_staff
from ..extensions import db
from .services import entries

bp = Blueprint("audit", __name__)


@bp.route("/admin/audit")
@require_staff("admin", page=True)
def audit_log():
    """The latest staff and chair actions, newest first, optionally by action prefix."""
    action = request.args.get("action") or None
    return render_template("admin/audit.html", entries=entries(db.session, action=action),
                           action=action)
