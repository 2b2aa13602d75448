"""Queueing mail in the outbox and sending it by SMTP.

Every mail is rendered in its recipient's language and stored first; :func:`send_pending`
delivers what is due when ``MEETOPS_SMTP_URL`` is set. Without it, mail stays readable in the
admin pages. Tests never reach a real server: they read the outbox.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from .models import OutboxMessage

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def queue(dbs: DbSession, *, to: str, template: str, language: str, kind: str, now: datetime,
          attachments: list[dict] | None = None, dedupe_key: str | None = None,
          **context) -> OutboxMessage | None:
    """Render ``mail/<template>.txt`` (its first line is the subject) in ``language`` and queue
    it. With a ``dedupe_key`` already queued, nothing is added and None is returned."""
    if dedupe_key is not None and dbs.execute(
            select(OutboxMessage.id).filter_by(dedupe_key=dedupe_key)).first():
        return None
    with force_locale(language):
        text = render_template(f"mail/{template}.txt", **context)
    subject, _, body = text.strip().partition("\n")
    message = OutboxMessage(recipient=to, subject=subject.strip(), body=body.strip() + "\n",
                            kind=kind, language=language, attachments=attachments or [],
                            dedupe_key=dedupe_key, created_at=now)
    dbs.add(message)
    return message


def smtp_settings(url: str) -> dict:
    """``smtp://user:pass@host:587`` (STARTTLS) or ``smtps://...:465`` (TLS)."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise ValueError("MEETOPS_SMTP_URL must start with smtp:// or smtps://")
    return {
        "ssl": parts.scheme == "smtps",
        "host": parts.hostname or "localhost",
        "port": parts.port or (465 if parts.scheme == "smtps" else 25),
        "username": unquote(parts.username) if parts.username else None,
        "password": unquote(parts.password) if parts.password else None,
    }


def to_email(message: OutboxMessage, sender: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail.set_content(message.body)
    mail["Content-Language"] = message.language  # after set_content, which drops Content-*
    for attachment in message.attachments or []:
        maintype, _, subtype = attachment["content_type"].partition("/")
        mail.add_attachment(attachment["content"].encode("utf-8"), maintype=maintype,
                            subtype=subtype.split(";")[0], filename=attachment["filename"])
    return mail


def send_pending(dbs: DbSession, *, smtp_url: str | None, sender: str, now: datetime,
                 limit: int = 100) -> int:
    """Send queued mail; returns how many went out. Failures are retried a few times."""
    if not smtp_url:
        return 0
    pending = list(dbs.execute(
        select(OutboxMessage).where(OutboxMessage.sent_at.is_(None),
                                    OutboxMessage.attempts < MAX_ATTEMPTS)
        .order_by(OutboxMessage.id).limit(limit)).scalars())
    if not pending:
        return 0
    settings = smtp_settings(smtp_url)
    sent = 0
    factory = smtplib.SMTP_SSL if settings["ssl"] else smtplib.SMTP
    with factory(settings["host"], settings["port"], timeout=30) as server:
        if not settings["ssl"] and server.has_extn("starttls"):
            server.starttls()
        if settings["username"]:
            server.login(settings["username"], settings["password"] or "")
        for message in pending:
            message.attempts += 1
            try:
                server.send_message(to_email(message, sender))
            except smtplib.SMTPException as exc:
                message.last_error = str(exc)[:1000]
                log.warning("mail %s to %s failed: %s", message.id, message.recipient, exc)
            else:
                message.sent_at = now
                sent += 1
            dbs.commit()
    return sent
