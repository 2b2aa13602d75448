"""The outward contract (shared/CONTRACT.md) in one walk: every path, field and status an
outside program relies on."""

from __future__ import annotations

from meetops.consultation.services import load_consultation
from meetops.extensions import db

from .conftest import DEMO_SLUG


def test_the_contract_holds(client, meeting, register, make_user, clock):
    load_consultation(db.session, meeting)
    db.session.commit()
    _, admin = make_user("admin")
    _, chair = make_user("chair")
    A = {"Authorization": f"Bearer {admin}"}
    C = {"Authorization": f"Bearer {chair}"}
    m = client.get(f"/api/v1/meetings/{DEMO_SLUG}").get_json()
    assert set(
        [
            "slug",
            "title",
            "timezone",
            "registration_opens_at",
            "registration_closes_at",
            "registration_open",
            "intervention_seconds",
            "warning_seconds",
            "enforcement",
            "sessions",
        ]
    ) <= set(m)
    assert set(["id", "title", "starts_at", "ends_at", "starts_at_local", "ends_at_local"]) <= set(
        m["sessions"][0]
    )
    sid = m["sessions"][0]["id"]
    r = client.post(
        f"/api/v1/sessions/{sid}/items",
        json={"title": {"en": "O", "es": "A"}, "kind": "opening", "duration_minutes": 10},
        headers=A,
    )
    assert r.status_code == 201, r.get_json()
    ag = client.get(f"/api/v1/meetings/{DEMO_SLUG}/agenda?drafts=1", headers=A).get_json()
    it = ag["sessions"][0]["items"][0]
    assert set(
        [
            "id",
            "position",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "starts_at_local",
            "ends_at_local",
        ]
    ) <= set(it), it
    assert (
        client.patch(
            f"/api/v1/items/{it['id']}", json={"duration_minutes": 15}, headers=A
        ).status_code
        == 200
    )
    assert (
        client.patch(f"/api/v1/sessions/{sid}", json={"cancelled": True}, headers=A).status_code
        == 200
    )
    assert (
        client.patch(f"/api/v1/sessions/{sid}", json={"cancelled": False}, headers=A).status_code
        == 200
    )
    assert client.delete(f"/api/v1/items/{it['id']}", headers=A).status_code in (200, 204)
    pa = client.get(f"/api/v1/meetings/{DEMO_SLUG}/priority-areas").get_json()
    assert set(["code", "chapter", "title"]) <= set(pa[0])
    reg = register()
    tok = {"Authorization": f"Bearer {reg['token']}"}
    c = client.post(
        f"/api/v1/meetings/{DEMO_SLUG}/comments",
        json={"priority_areas": [pa[0]["code"]], "horizon": "short", "text": "x"},
        headers=tok,
    )
    assert c.status_code == 201, c.get_json()
    assert client.get(f"/api/v1/meetings/{DEMO_SLUG}/comments", headers=A).status_code == 200
    assert client.get(f"/api/v1/meetings/{DEMO_SLUG}/support-matrix", headers=A).status_code == 200
    clock.set(meeting.sessions[0].starts_at)
    f = client.get(f"/api/v1/sessions/{sid}/floor").get_json()
    assert set(
        [
            "version",
            "server_now",
            "limit_seconds",
            "warning_seconds",
            "enforcement",
            "current",
            "queue",
            "done",
        ]
    ) <= set(f)
    rq = client.post(
        f"/api/v1/sessions/{sid}/floor/requests",
        json={"kind": "statement", "language": "es"},
        headers=tok,
    )
    assert rq.status_code == 201 and "request_id" in rq.get_json()
    assert (
        client.post(
            f"/api/v1/sessions/{sid}/floor/requests",
            json={"kind": "statement", "language": "es"},
            headers=tok,
        ).status_code
        == 409
    )
    v = client.get(f"/api/v1/sessions/{sid}/floor").get_json()["version"]
    n = client.post(f"/api/v1/sessions/{sid}/floor/next", json={"version": v}, headers=C)
    assert n.status_code == 200
    cur = n.get_json()["current"]
    assert set(
        [
            "intervention_id",
            "participant",
            "kind",
            "language",
            "state",
            "started_at",
            "elapsed_seconds",
            "remaining_seconds",
            "overtime_seconds",
        ]
    ) <= set(cur)
    assert set(["id", "name", "organization", "country"]) <= set(cur["participant"])
    stale = client.post(f"/api/v1/sessions/{sid}/floor/pause", json={"version": v}, headers=C)
    assert stale.status_code == 409 and stale.get_json()["error"] == "stale_version"
    for a in ("pause", "resume", "end"):
        v = client.get(f"/api/v1/sessions/{sid}/floor").get_json()["version"]
        assert (
            client.post(
                f"/api/v1/sessions/{sid}/floor/{a}", json={"version": v}, headers=C
            ).status_code
            == 200
        )
    d = client.get(f"/api/v1/sessions/{sid}/floor").get_json()["done"][0]
    assert set(
        [
            "intervention_id",
            "participant",
            "kind",
            "language",
            "started_at",
            "ended_at",
            "spoken_seconds",
            "overtime_seconds",
            "ended_by",
        ]
    ) <= set(d)
    assert client.get(f"/meetings/{DEMO_SLUG}/calendar.ics").mimetype == "text/calendar"
    assert client.get(f"/r/{reg['token']}/calendar.ics").mimetype == "text/calendar"
    for page in [
        "/",
        f"/meetings/{DEMO_SLUG}/register",
        f"/r/{reg['token']}",
        f"/meetings/{DEMO_SLUG}/agenda",
        f"/sessions/{sid}/live",
        "/login",
    ]:
        assert client.get(page).status_code == 200, page
    for page in [f"/sessions/{sid}/chair", f"/sessions/{sid}/interpret", "/admin"]:
        assert client.get(page, headers=A).status_code == 200, page
    assert client.get(f"/meetings/{DEMO_SLUG}/registrations.csv", headers=A).status_code == 200
