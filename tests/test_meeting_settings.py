"""Admins change the meeting's limit, warning, enforcement and dates; the audit log keeps it."""

from __future__ import annotations

import pytest

from meetops.audit.models import AuditEntry
from meetops.extensions import db

from .conftest import DEMO_SLUG, bearer

URL = f"/api/v1/meetings/{DEMO_SLUG}"


def test_admin_changes_settings_and_it_is_audited(client, meeting, make_user):
    user, token = make_user("admin")
    response = client.patch(URL, json={"intervention_seconds": 120, "warning_seconds": 20,
                                       "enforcement": "soft",
                                       "registration_closes_at": "2025-11-23T23:59:59"},
                            headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["intervention_seconds"], body["warning_seconds"], body["enforcement"]) == (
        120, 20, "soft")
    assert body["registration_closes_at"] == "2025-11-24T02:59:59Z"  # read in Santiago time
    entry = db.session.query(AuditEntry).one()
    assert (entry.actor, entry.action, entry.target) == (user.email, "meeting.update",
                                                         f"meeting:{DEMO_SLUG}")
    assert entry.before["intervention_seconds"] == 180
    assert entry.after["intervention_seconds"] == 120
    page = client.get("/admin/audit", headers=bearer(token)).get_data(as_text=True)
    assert "meeting.update" in page and user.email in page


@pytest.mark.parametrize(("body", "field"), [
    ({"intervention_seconds": 0}, "intervention_seconds"),
    ({"intervention_seconds": 3601}, "intervention_seconds"),
    ({"intervention_seconds": 90.5}, "intervention_seconds"),
    ({"intervention_seconds": "180"}, "intervention_seconds"),
    ({"intervention_seconds": True}, "intervention_seconds"),
    ({"warning_seconds": 200}, "warning_seconds"),
    ({"enforcement": "strict"}, "enforcement"),
    ({"registration_closes_at": "tomorrow"}, "registration_closes_at"),
    ({"registration_closes_at": "2025-09-07T00:30:00"}, "registration_closes_at"),
    ({"registration_closes_at": "2025-10-01T00:00:00Z"}, "registration_closes_at"),
    ({"slug": "other"}, "slug"),
])
def test_invalid_settings_are_refused_and_nothing_changes(client, meeting, make_user, body,
                                                           field):
    _, token = make_user("admin")
    response = client.patch(URL + "?lang=es", json=body, headers=bearer(token))
    assert response.status_code == 422
    assert field in response.get_json()["fields"]
    db.session.expire_all()
    assert (meeting.intervention_seconds, meeting.enforcement) == (180, "hard")
    assert db.session.query(AuditEntry).count() == 0


def test_dst_gap_message_is_clear(client, meeting, make_user):
    _, token = make_user("admin")
    response = client.patch(URL + "?lang=en", json={
        "registration_closes_at": "2025-09-07T00:30:00"}, headers=bearer(token))
    assert "does not exist in America/Santiago" in response.get_json()["fields"][
        "registration_closes_at"]


@pytest.mark.parametrize("role", ["chair", "interpreter"])
def test_only_admins_change_settings(client, meeting, make_user, register, role):
    _, token = make_user(role)
    assert client.patch(URL, json={"enforcement": "soft"}, headers=bearer(token)
                        ).status_code == 403
    assert client.patch(URL, json={"enforcement": "soft"}).status_code == 401
    participant = register()["token"]
    assert client.patch(URL, json={"enforcement": "soft"}, headers=bearer(participant)
                        ).status_code == 401


def test_cookie_signed_in_admin_needs_csrf_for_api_writes(app, meeting, make_user):
    user, _ = make_user("admin", password="long-password")
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    import re
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post("/login", data={"email": user.email, "password": "long-password",
                                "csrf_token": csrf})
    assert client.patch(URL, json={"enforcement": "soft"}).status_code == 400
    ok = client.patch(URL, json={"enforcement": "soft"}, headers={"X-CSRFToken": csrf})
    assert ok.status_code == 200


@pytest.mark.parametrize("body", [
    {"registration_closes_at": "9999-12-31T23:59:59"},  # year 10000 once in UTC
    {"registration_opens_at": "0001-01-01T00:00:00Z"},  # year 0 in Santiago time
    {"registration_opens_at": "0001-01-01T05:00:00+05:00"},
    {"registration_opens_at": "1999-12-31T12:00:00"},
    {"registration_closes_at": "3000-01-01T00:00:00"},
])
def test_dates_out_of_range_are_refused_and_the_meeting_stays_readable(client, meeting,
                                                                       make_user, body):
    """Found while fixing the same in comment deadlines: an OverflowError (a 500), or a date
    stored that made every later read of the meeting fail."""
    _, token = make_user("admin")
    response = client.patch(URL, json=body, headers=bearer(token))
    assert response.status_code == 422
    assert "2000" in response.get_json()["fields"][next(iter(body))]
    assert client.get(URL).status_code == 200
