"""Agenda changes by the secretariat are in the audit log, through the API and the editor."""

from __future__ import annotations

from meetops.audit.models import AuditEntry
from meetops.extensions import db

from .conftest import bearer


def test_api_and_editor_changes_are_audited(client, meeting, make_user):
    user, admin = make_user("admin")
    session = meeting.sessions[0]
    created = client.post(f"/api/v1/sessions/{session.id}/items", headers=bearer(admin), json={
        "title": {"en": "Opening", "es": "Apertura"}, "kind": "opening",
        "duration_minutes": 15}).get_json()
    client.patch(f"/api/v1/items/{created['id']}", headers=bearer(admin),
                 json={"duration_minutes": 20})
    client.post(f"/api/v1/sessions/{session.id}/publish", headers=bearer(admin))
    client.patch(f"/api/v1/sessions/{session.id}", headers=bearer(admin),
                 json={"starts_at": "2025-11-27T11:30:00", "ends_at": "2025-11-27T14:30:00"})
    client.post(f"/admin/items/{created['id']}", headers=bearer(admin),
                data={"action": "delete"})
    entries = db.session.query(AuditEntry).order_by(AuditEntry.id).all()
    assert [e.action for e in entries] == [
        "agenda.add_item", "agenda.change_item", "agenda.publish", "agenda.change_session",
        "agenda.remove_item"]
    assert all(e.actor == user.email for e in entries)
    add, change, _, moved, removed = entries
    assert add.before is None and add.after["title"]["es"] == "Apertura"
    assert (change.before["ends_at"], change.after["ends_at"]) == (
        "2025-11-27T14:15:00Z", "2025-11-27T14:20:00Z")
    assert moved.before["starts_at"].startswith("2025-11-27T14:00")
    assert moved.after["starts_at"].startswith("2025-11-27T14:30")
    assert removed.before["id"] == created["id"] and removed.after is None


def test_refused_changes_are_not_audited(client, meeting, make_user):
    _, admin = make_user("admin")
    response = client.post(f"/api/v1/sessions/{meeting.sessions[0].id}/items",
                           headers=bearer(admin), json={
                               "title": {"en": "Too long", "es": "Demasiado"},
                               "kind": "panel", "duration_minutes": 500})
    assert response.status_code == 409
    assert db.session.query(AuditEntry).count() == 0
