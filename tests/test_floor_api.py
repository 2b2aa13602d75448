"""The floor API: asking, the chair's actions with versions, ETag, totals."""

from __future__ import annotations

import pytest

from .conftest import bearer


@pytest.fixture
def register(speakers):
    """Participants registered before the deadline: ``{id, token}``."""

    def make(**overrides) -> dict:
        (registration,) = speakers(1, **overrides)
        return {"id": registration.id, "token": registration.token}

    return make


@pytest.fixture
def chair(make_user):
    return make_user("chair")[1]


@pytest.fixture
def base(floor_session):
    return f"/api/v1/sessions/{floor_session.id}/floor"


def floor(client, base) -> dict:
    response = client.get(base)
    assert response.status_code == 200
    return response.get_json()


def chair_post(client, base, chair, action, **body):
    body.setdefault("version", floor(client, base)["version"])
    return client.post(f"{base}/{action}", json=body, headers=bearer(chair))


def test_participant_asks_and_withdraws(client, base, register, clock):
    me = register()
    response = client.post(f"{base}/requests", json={"kind": "reply", "language": "en"},
                           headers=bearer(me["token"]))
    assert response.status_code == 201
    request_id = response.get_json()["request_id"]
    (queued,) = floor(client, base)["queue"]
    assert queued["request_id"] == request_id
    assert queued["participant"]["id"] == me["id"]
    assert (queued["kind"], queued["language"]) == ("reply", "en")
    assert queued["requested_at"].endswith("Z")
    again = client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                        headers=bearer(me["token"]))
    assert again.status_code == 409
    assert again.get_json()["error"] == "already_waiting"
    gone = client.delete(f"{base}/requests/{request_id}", headers=bearer(me["token"]))
    assert gone.status_code == 200
    assert gone.get_json()["queue"] == []
    assert client.delete(f"{base}/requests/{request_id}",
                         headers=bearer(me["token"])).status_code == 404


def test_asking_needs_a_participant_and_valid_fields(client, base, register):
    assert client.post(f"{base}/requests", json={"kind": "statement", "language": "es"}
                       ).status_code == 401
    me = register()
    bad = client.post(f"{base}/requests", json={"kind": "rant", "language": "klingon"},
                      headers=bearer(me["token"]))
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"kind", "language"}
    malformed = client.post(f"{base}/requests", data="{", headers=bearer(me["token"]))
    assert malformed.status_code == 400
    assert client.get("/api/v1/sessions/99999/floor").status_code == 404


def test_chair_actions_need_the_chair(client, base, register, make_user):
    me = register()
    assert client.post(f"{base}/next", json={"version": 1}).status_code == 401
    assert client.post(f"{base}/next", json={"version": 1},
                       headers=bearer(me["token"])).status_code == 401
    interpreter = make_user("interpreter")[1]
    assert client.post(f"{base}/next", json={"version": 1},
                       headers=bearer(interpreter)).status_code == 403


def test_next_pause_resume_end_and_stale_version(client, base, register, chair, clock):
    a, b = register(), register()
    for who in (a, b):
        client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                    headers=bearer(who["token"]))
        clock.advance(1)
    v = floor(client, base)["version"]
    first = client.post(f"{base}/next", json={"version": v}, headers=bearer(chair))
    assert first.status_code == 200
    state = first.get_json()
    assert state["version"] == v + 1
    assert state["current"]["participant"]["id"] == a["id"]
    assert state["current"]["state"] == "speaking"
    stale = client.post(f"{base}/next", json={"version": v}, headers=bearer(chair))
    assert stale.status_code == 409
    body = stale.get_json()
    assert body["error"] == "stale_version"
    assert body["floor"]["version"] == v + 1
    assert body["floor"]["current"]["participant"]["id"] == a["id"]
    clock.advance(40)
    paused = chair_post(client, base, chair, "pause").get_json()
    assert paused["current"]["state"] == "paused"
    clock.advance(300)
    resumed = chair_post(client, base, chair, "resume").get_json()
    assert resumed["current"]["elapsed_seconds"] == 40
    clock.advance(10)
    ended = chair_post(client, base, chair, "end").get_json()
    assert ended["current"] is None
    assert ended["done"][0]["spoken_seconds"] == 50
    assert ended["done"][0]["ended_by"] == "chair"
    no_version = client.post(f"{base}/pause", json={}, headers=bearer(chair))
    assert no_version.status_code == 422
    assert chair_post(client, base, chair, "pause").get_json()["error"] == "not_speaking"


def test_etag_gives_304_until_the_floor_changes(client, base, register):
    first = client.get(base)
    tag = first.headers["ETag"]
    assert client.get(base, headers={"If-None-Match": tag}).status_code == 304
    me = register()
    client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                headers=bearer(me["token"]))
    changed = client.get(base, headers={"If-None-Match": tag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != tag
    assert len(changed.get_json()["queue"]) == 1


def test_hard_limit_applies_on_read_through_the_api(client, base, register, chair, clock):
    me = register()
    client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                headers=bearer(me["token"]))
    started = chair_post(client, base, chair, "next").get_json()["current"]["started_at"]
    clock.advance(181)
    state = floor(client, base)
    assert state["current"] is None
    assert state["done"][0]["ended_by"] == "limit"
    assert state["done"][0]["spoken_seconds"] == 180
    assert state["done"][0]["started_at"] == started[:19] + "Z"


def test_give_move_close_add_and_remove(client, base, register, chair, meeting):
    a, b, c = register(), register(), register()
    ids = []
    for who in (a, b):
        ids.append(client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                               headers=bearer(who["token"])).get_json()["request_id"])
    moved = chair_post(client, base, chair, "move", request_id=ids[1], to_index=0)
    assert [q["request_id"] for q in moved.get_json()["queue"]] == [ids[1], ids[0]]
    closed = chair_post(client, base, chair, "close")
    assert closed.get_json()["list_closed"] is True
    refused = client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                          headers=bearer(c["token"]))
    assert refused.status_code == 403 and refused.get_json()["error"] == "list_closed"
    added = chair_post(client, base, chair, "add", registration_id=c["id"], kind="reply",
                       language="fr")
    assert added.status_code == 201
    queue = added.get_json()["floor"]["queue"]
    assert queue[0]["participant"]["id"] == c["id"] and queue[0]["added_by_chair"] is True
    assert chair_post(client, base, chair, "open").get_json()["list_closed"] is False
    version = floor(client, base)["version"]
    removed = client.delete(f"{base}/requests/{ids[0]}?version={version}", headers=bearer(chair))
    assert removed.status_code == 200
    given = chair_post(client, base, chair, "give", request_id=ids[1]).get_json()
    assert given["current"]["participant"]["id"] == b["id"]
    assert [q["participant"]["id"] for q in given["queue"]] == [c["id"]]
    unknown = chair_post(client, base, chair, "add", registration_id=999999, kind="reply",
                         language="es")
    assert unknown.status_code == 422


def test_totals_json_and_csv(client, base, register, chair, clock, floor_session, meeting):
    meeting_sessions = list(meeting.sessions)
    me = register(name="Ana Pérez")
    client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                headers=bearer(me["token"]))
    chair_post(client, base, chair, "next")
    clock.advance(75)
    chair_post(client, base, chair, "end")
    data = client.get(f"{base}/totals", headers=bearer(chair)).get_json()
    assert data["participants"][0]["spoken_seconds"] == 75
    assert data["categories"][0]["category"] == "lac_state"
    csv = client.get(f"/sessions/{floor_session.id}/floor/totals.csv", headers=bearer(chair))
    assert csv.status_code == 200
    assert csv.mimetype == "text/csv"
    assert "participant,Ana Pérez," in csv.get_data(as_text=True)
    assert client.get(f"{base}/totals").status_code == 401
    other = meeting_sessions[1]
    other_base = f"/api/v1/sessions/{other.id}/floor"
    assert client.get(f"{other_base}/totals", headers=bearer(chair)).get_json()[
        "participants"] == []
    whole = client.get(f"{other_base}/totals?scope=meeting", headers=bearer(chair)).get_json()
    assert whole["scope"] == "meeting"
    assert whole["participants"][0]["spoken_seconds"] == 75
    whole_csv = client.get(f"/sessions/{other.id}/floor/totals.csv?scope=meeting",
                           headers=bearer(chair))
    assert "participant,Ana Pérez," in whole_csv.get_data(as_text=True)
    assert "pac-support-platform-2025" in whole_csv.headers["Content-Disposition"]


def test_clock_endpoint_gives_the_server_time(client, base, clock):
    body = client.get(f"{base}/clock").get_json()
    assert body["server_now"] == "2025-11-27T14:30:00.000Z"


#: a number no id or version column holds (beyond 64 bits: the SQLite driver overflows)
HUGE = 2**70


def test_out_of_range_numbers_are_refused_like_unknown_ones(client, base, chair, register):
    """Regression (found while documenting the API): numbers beyond what a column holds gave
    a 500 from the database driver; ``true`` as an id failed on PostgreSQL."""
    stale = chair_post(client, base, chair, "next", version=HUGE)
    assert stale.status_code == 409 and stale.get_json()["error"] == "stale_version"
    for request_id in (HUGE, True):
        gone = chair_post(client, base, chair, "give", request_id=request_id)
        assert gone.status_code == 404, gone.get_json()
    added = chair_post(client, base, chair, "add", registration_id=HUGE, language="es")
    assert added.status_code == 422
    assert "registration_id" in added.get_json()["fields"]
    assert client.delete(f"{base}/requests/{HUGE}", headers=bearer(chair)).status_code == 404
    session_id = base.split("/")[4]
    assert client.get(f"/api/v1/sessions/{HUGE}/floor").status_code == 404
    me = register()
    asked = client.post(f"{base}/requests", json={"language": "es"},
                        headers=bearer(me["token"])).get_json()["request_id"]
    huge_version = client.delete(f"{base}/requests/{asked}?version={HUGE}",
                                 headers=bearer(chair))
    assert huge_version.status_code == 409
    assert huge_version.get_json()["floor"]["session_id"] == int(session_id)


def test_chair_withdraw_with_an_unreadable_version_is_refused(client, base, chair, register):
    """``?version=`` that is not a number was ignored, removing the request unchecked."""
    me = register()
    asked = client.post(f"{base}/requests", json={"language": "es"},
                        headers=bearer(me["token"])).get_json()["request_id"]
    response = client.delete(f"{base}/requests/{asked}?version=abc", headers=bearer(chair))
    assert response.status_code == 422
    assert "version" in response.get_json()["fields"]
    assert [q["request_id"] for q in floor(client, base)["queue"]] == [asked]
