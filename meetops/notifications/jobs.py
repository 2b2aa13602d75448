"""Sending the outbox: run every few seconds by the scheduler runner when SMTP is set."""

from __future__ import annotations

import logging
import smtplib

from flask import current_app

from ..clock import now
from ..extensions import db
from ..scheduler import job_app_context
from .services import send_pending

log = logging.getLogger(__name__)


def send_outbox() -> int:
    with job_app_context():
        config = current_app.config
        if not config.get("MEETOPS_SMTP_URL"):
            return 0
        try:
            return send_pending(db.session, smtp_url=config["MEETOPS_SMTP_URL"],
                                sender=config["MEETOPS_MAIL_FROM"], now=now())
        except (OSError, smtplib.SMTPException) as exc:  # server down: try again next time
            db.session.rollback()
            log.warning("could not reach the SMTP server: %s", exc)
            return 0
