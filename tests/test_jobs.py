"""The runner's periodic jobs: sending the outbox, purging expired personal data."""

from __future__ import annotations

import smtplib
from datetime import UTC, datetime

import pytest

from meetops.audit.models import AuditEntry
from meetops.extensions import db
from meetops.notifications.jobs import send_outbox
from meetops.notifications.models import OutboxMessage
from meetops.registration.models import Registration
from meetops.retention.jobs import purge_expired


class FakeSMTP:
    """Stands in for smtplib.SMTP: tests never reach a real mail server."""

    sent: list = []
    fail_for: set = set()

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def has_extn(self, name):
        return False

    def login(self, user, password):
        self.user = user

    def send_message(self, message):
        if message["To"] in self.fail_for:
            raise smtplib.SMTPRecipientsRefused({message["To"]: (550, b"no such user")})
        FakeSMTP.sent.append(message)


@pytest.fixture
def smtp(monkeypatch, app):
    FakeSMTP.sent, FakeSMTP.fail_for = [], set()
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    app.config["MEETOPS_SMTP_URL"] = "smtp://user:secret@mail.example.org:587"
    return FakeSMTP


def test_outbox_job_sends_in_the_recipients_language_and_retries_failures(
        app, meeting, register, smtp, clock):
    register(email="ana@example.org", language="es")
    register(email="bounce@example.org", language="en")
    smtp.fail_for = {"bounce@example.org"}
    assert send_outbox() == 1
    message = smtp.sent[0]
    assert message["To"] == "ana@example.org" and message["Content-Language"] == "es"
    assert "inscripción" in message["Subject"].lower()
    rows = {m.recipient: m for m in db.session.query(OutboxMessage)}
    assert rows["ana@example.org"].sent_at == clock.now()
    assert rows["bounce@example.org"].sent_at is None
    assert rows["bounce@example.org"].attempts == 1 and "no such user" in rows[
        "bounce@example.org"].last_error
    smtp.fail_for = set()
    assert send_outbox() == 1  # retried, and the sent one is not sent twice
    assert [m["To"] for m in smtp.sent] == ["ana@example.org", "bounce@example.org"]


def test_outbox_job_without_smtp_keeps_the_mail(app, meeting, register):
    register()
    assert send_outbox() == 0
    assert db.session.query(OutboxMessage).one().sent_at is None


def test_outbox_job_survives_an_unreachable_server(app, meeting, register, monkeypatch):
    register()
    app.config["MEETOPS_SMTP_URL"] = "smtp://127.0.0.1:9"

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("refused")

    monkeypatch.setattr(smtplib, "SMTP", refuse)
    assert send_outbox() == 0
    assert db.session.query(OutboxMessage).one().sent_at is None


def test_retention_job_purges_only_expired_meetings_and_audits(app, meeting, register, clock):
    register(name="Ana")
    clock.set(datetime(2026, 5, 27, 16, 59, tzinfo=UTC))
    assert purge_expired() == []
    clock.set(datetime(2026, 5, 27, 17, 0, tzinfo=UTC))
    assert purge_expired() == [meeting.slug]
    assert db.session.query(Registration).one().name == ""
    entry = db.session.query(AuditEntry).one()
    assert (entry.actor_type, entry.action) == ("system", "retention.purge")
    assert purge_expired() == []  # once
