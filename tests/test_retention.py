"""Personal data is purged after the retention period; the statistics stay."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meetops.errors import Conflict
from meetops.extensions import db
from meetops.registration.models import Registration
from meetops.retention.services import purge_due, purge_due_at, purge_personal_data

from .conftest import bearer


def test_purge_blanks_identities_and_keeps_statistics(app, client, meeting, register, clock):
    token = register(name="Ana", email="ana@example.org", category="lac_state",
                     country="CL", accessibility="Subtítulos")["token"]
    register(name="Bob", category="donor_state", country="DE")
    assert purge_due_at(meeting, 180) == datetime(2026, 5, 27, 17, tzinfo=UTC)
    clock.set(datetime(2026, 5, 27, 17, tzinfo=UTC))
    assert purge_personal_data(db.session, meeting, now=clock.now(), retention_days=180) == 2
    db.session.commit()
    rows = db.session.query(Registration).order_by(Registration.id).all()
    assert [(r.name, r.organization, r.accessibility) for r in rows] == [("", "", "")] * 2
    assert all(r.email.endswith("@invalid") for r in rows)
    assert [(r.category, r.country, r.language) for r in rows] == [
        ("lac_state", "CL", "es"), ("donor_state", "DE", "es")]
    assert all(len(r.sessions) == 2 for r in rows)
    assert client.get("/api/v1/registrations/me", headers=bearer(token)).status_code == 401
    assert meeting.personal_data_purged_at == clock.now()


def test_purge_refused_before_the_period_ends(app, meeting, register, clock):
    register()
    clock.set(datetime(2026, 5, 27, 16, 59, 59, tzinfo=UTC))
    with pytest.raises(Conflict):
        purge_personal_data(db.session, meeting, now=clock.now(), retention_days=180)
    assert purge_due(db.session, now=clock.now(), retention_days=180) == []
    clock.advance(1)
    assert purge_due(db.session, now=clock.now(), retention_days=180) == [meeting.slug]


def test_purge_command(runner, app, meeting, register):
    register()
    early = runner.invoke(args=["meetops", "purge", meeting.slug])
    assert early.exit_code != 0 and "--force" in early.output
    forced = runner.invoke(args=["meetops", "purge", meeting.slug, "--force"])
    assert forced.exit_code == 0 and "1 registration" in forced.output
