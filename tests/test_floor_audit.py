"""Chair actions are in the audit log: who, what, when, the floor before and after."""

from __future__ import annotations

from meetops.audit.models import AuditEntry
from meetops.extensions import db

from .conftest import bearer


def test_chair_actions_are_audited(client, floor_session, speakers, make_user, clock):
    user, chair = make_user("chair")
    base = f"/api/v1/sessions/{floor_session.id}/floor"
    ana, bob = speakers(2)
    for person in (ana, bob):
        client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                    headers=bearer(person.token))
    assert db.session.query(AuditEntry).count() == 0  # participants' asks are not staff acts

    def act(action, **body):
        version = client.get(base).get_json()["version"]
        response = client.post(f"{base}/{action}", json={"version": version, **body},
                               headers=bearer(chair))
        assert response.status_code == 200, response.get_json()

    act("next")
    clock.advance(30)
    act("pause")
    act("close")
    version = client.get(base).get_json()["version"]
    bob_request = client.get(base).get_json()["queue"][0]["request_id"]
    client.delete(f"{base}/requests/{bob_request}?version={version}", headers=bearer(chair))
    entries = db.session.query(AuditEntry).order_by(AuditEntry.id).all()
    assert [e.action for e in entries] == ["floor.next_speaker", "floor.pause",
                                           "floor.close_list", "floor.withdraw"]
    assert all(e.actor == user.email and e.target == f"session:{floor_session.id}"
               for e in entries)
    first = entries[0]
    assert (first.before["speaking"], first.after["speaking"]) == (None, ana.name)
    assert (first.before["queue"], first.after["queue"]) == (2, 1)
    assert entries[1].after["turn"] == "paused"
    assert entries[2].after["list_closed"] is True
    assert entries[3].after["queue"] == 0
    assert entries[0].after["version"] < entries[3].after["version"]


def test_a_refused_action_is_not_audited(client, floor_session, speakers, make_user):
    _, chair = make_user("chair")
    base = f"/api/v1/sessions/{floor_session.id}/floor"
    assert client.post(f"{base}/next", json={"version": 999}, headers=bearer(chair)
                       ).status_code == 409
    assert db.session.query(AuditEntry).count() == 0
