"""Building the agenda through the API: placing, fitting, overlaps, reorder, DST, publish."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meetops.agenda.models import AgendaItem
from meetops.agenda.services import current_item
from meetops.extensions import db
from meetops.meetings.models import MeetingSession

from .conftest import DEMO_SLUG, bearer, santiago


@pytest.fixture
def admin(make_user):
    return bearer(make_user("admin")[1])


@pytest.fixture
def day1(meeting):
    return next(s for s in meeting.sessions if s.key == "day-1")


def item(title="Opening", minutes=15, kind="opening", **extra):
    return {"title": {"en": title, "es": title + " (es)"}, "kind": kind,
            "duration_minutes": minutes, **extra}


def add(client, session, headers, **kwargs):
    return client.post(f"/api/v1/sessions/{session.id}/items", json=item(**kwargs),
                       headers=headers)


def starts(client, slug=DEMO_SLUG, headers=None):
    body = client.get(f"/api/v1/meetings/{slug}/agenda?drafts=1", headers=headers).get_json()
    return [(i["title"]["en"], i["starts_at_local"][11:16], i["ends_at_local"][11:16])
            for i in body["sessions"][0]["items"]]


def test_items_are_placed_one_after_another_from_the_session_start(client, day1, admin):
    first = add(client, day1, admin, title="Opening", minutes=15)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["starts_at"] == "2025-11-27T14:00:00Z"
    assert body["starts_at_local"] == "2025-11-27T11:00:00-03:00"
    assert body["ends_at"] == "2025-11-27T14:15:00Z" and body["duration_seconds"] == 900
    assert add(client, day1, admin, title="Keynote", minutes=30,
               kind="presentation").status_code == 201
    assert starts(client, headers=admin) == [("Opening", "11:00", "11:15"),
                                             ("Keynote", "11:15", "11:45")]


def test_an_explicit_start_is_read_in_santiago_time(client, day1, admin):
    response = add(client, day1, admin, title="Panel", minutes=60, kind="panel",
                   starts_at="2025-11-27T12:00:00")
    assert response.status_code == 201
    assert response.get_json()["starts_at"] == "2025-11-27T15:00:00Z"
    # with an offset it is an instant
    response = add(client, day1, admin, title="Closing", minutes=10, kind="closing",
                   starts_at="2025-11-27T16:50:00Z")
    assert response.get_json()["starts_at_local"] == "2025-11-27T13:50:00-03:00"


def test_an_item_that_runs_past_the_session_end_is_refused_with_the_minutes(client, day1,
                                                                              admin):
    assert add(client, day1, admin, minutes=170).status_code == 201
    response = add(client, day1, admin, title="Long debate", minutes=30, kind="discussion")
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == "does_not_fit"
    assert "20 minutes after the session ends" in body["message"]
    assert "14:00" in body["message"]
    spanish = client.post(f"/api/v1/sessions/{day1.id}/items?lang=es",
                          json=item(minutes=30, title="Debate"), headers=admin)
    assert "20 minutos" in spanish.get_json()["message"]


def test_an_item_before_the_session_start_is_refused(client, day1, admin):
    response = add(client, day1, admin, starts_at="2025-11-27T10:55:00")
    assert response.status_code == 409
    assert "5 minutes before the session starts" in response.get_json()["message"]


def test_an_overlap_is_refused_naming_the_other_item_and_the_minutes(client, day1, admin):
    add(client, day1, admin, title="Panel", minutes=60, starts_at="2025-11-27T12:00:00")
    response = add(client, day1, admin, title="Break", minutes=30, kind="break",
                   starts_at="2025-11-27T11:50:00")
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"] == "overlaps"
    assert "“Panel”" in body["message"] and "by 20 minutes" in body["message"]
    one = add(client, day1, admin, title="Short", minutes=1, starts_at="2025-11-27T12:59:30")
    assert "by 1 minute." in one.get_json()["message"]
    assert db.session.query(AgendaItem).count() == 1


def test_a_time_skipped_by_the_dst_change_is_refused(client, day1, admin):
    response = add(client, day1, admin, starts_at="2025-09-07T00:30:00")
    assert response.status_code == 422
    message = response.get_json()["fields"]["starts_at"]
    assert "2025-09-07 00:30" in message and "does not exist" in message
    ambiguous = add(client, day1, admin, starts_at="2025-04-05T23:30:00")
    assert "happens twice" in ambiguous.get_json()["fields"]["starts_at"]


@pytest.mark.parametrize("body, field", [
    ({"title": "x", "kind": "opening", "duration_minutes": 5}, "title"),
    ({"title": {"en": "", "es": ""}, "kind": "opening", "duration_minutes": 5}, "title"),
    ({"title": {"en": "A"}, "kind": "speech", "duration_minutes": 5}, "kind"),
    ({"title": {"en": "A"}, "kind": "other", "duration_minutes": 0}, "duration_minutes"),
    ({"title": {"en": "A"}, "kind": "other", "duration_minutes": "5"}, "duration_minutes"),
    ({"title": {"en": "A"}, "duration_minutes": 5, "starts_at": "tomorrow"}, "starts_at"),
    ({"title": {"en": "A"}, "duration_minutes": 5, "intervention_seconds": 0},
     "intervention_seconds"),
    ({"title": {"en": "A"}, "duration_minutes": 5, "documents": [{"url": "javascript:x"}]},
     "documents"),
    ({"title": {"en": "A"}, "duration_minutes": 5, "colour": "red"}, "colour"),
])
def test_bad_fields_are_named(client, day1, admin, body, field):
    response = client.post(f"/api/v1/sessions/{day1.id}/items", json=body, headers=admin)
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_only_admins_build_the_agenda(client, day1, make_user):
    assert client.post(f"/api/v1/sessions/{day1.id}/items", json=item()).status_code == 401
    chair = bearer(make_user("chair")[1])
    assert client.post(f"/api/v1/sessions/{day1.id}/items", json=item(),
                       headers=chair).status_code == 403
    assert client.post("/api/v1/sessions/999/items", json=item(),
                       headers=bearer(make_user("admin")[1])).status_code == 404


def test_reorder_re_times_the_items_after_the_moved_one(client, day1, admin):
    ids = [add(client, day1, admin, title=t, minutes=m).get_json()["id"]
           for t, m in (("A", 10), ("B", 20), ("C", 30), ("D", 5))]
    db.session.expire_all()
    revision = db.session.get(MeetingSession, day1.id).revision
    response = client.patch(f"/api/v1/items/{ids[3]}", json={"position": 2}, headers=admin)
    assert response.status_code == 200, response.get_json()
    assert starts(client, headers=admin) == [
        ("A", "11:00", "11:10"), ("D", "11:10", "11:15"), ("B", "11:15", "11:35"),
        ("C", "11:35", "12:05")]
    client.patch(f"/api/v1/items/{ids[0]}", json={"position": 4}, headers=admin)
    assert starts(client, headers=admin) == [
        ("D", "11:00", "11:05"), ("B", "11:05", "11:25"), ("C", "11:25", "11:55"),
        ("A", "11:55", "12:05")]
    positions = client.get(f"/api/v1/meetings/{DEMO_SLUG}/agenda?drafts=1",
                           headers=admin).get_json()["sessions"][0]["items"]
    assert [i["position"] for i in positions] == [1, 2, 3, 4]
    db.session.expire_all()
    assert db.session.get(MeetingSession, day1.id).revision == revision + 2


def test_changing_an_item_must_still_fit(client, day1, admin):
    first = add(client, day1, admin, title="A", minutes=10).get_json()["id"]
    add(client, day1, admin, title="B", minutes=10)
    longer = client.patch(f"/api/v1/items/{first}", json={"duration_minutes": 25},
                          headers=admin)
    assert longer.status_code == 409 and "by 10 minutes" in longer.get_json()["message"]
    moved = client.patch(f"/api/v1/items/{first}", json={"starts_at": "2025-11-27T13:00:00"},
                         headers=admin)
    assert moved.status_code == 200
    assert starts(client, headers=admin) == [("B", "11:10", "11:20"), ("A", "13:00", "13:10")]


def test_remove_an_item(client, day1, admin):
    first = add(client, day1, admin, title="A").get_json()["id"]
    assert client.delete(f"/api/v1/items/{first}", headers=admin).status_code == 204
    assert client.delete(f"/api/v1/items/{first}", headers=admin).status_code == 404
    assert starts(client, headers=admin) == []


def test_the_public_agenda_shows_only_published_items(client, day1, admin):
    a = add(client, day1, admin, title="A").get_json()["id"]
    add(client, day1, admin, title="B")
    public = client.get(f"/api/v1/meetings/{DEMO_SLUG}/agenda").get_json()
    assert public["sessions"][0]["items"] == []
    assert {"id", "title", "starts_at", "ends_at", "starts_at_local", "revision",
            "cancelled"} <= set(public["sessions"][0])
    client.patch(f"/api/v1/items/{a}", json={"published": True}, headers=admin)
    public = client.get(f"/api/v1/meetings/{DEMO_SLUG}/agenda").get_json()
    assert [i["title"]["en"] for i in public["sessions"][0]["items"]] == ["A"]
    assert "documents" not in public["sessions"][0]["items"][0]
    client.post(f"/api/v1/sessions/{day1.id}/publish", headers=admin)
    public = client.get(f"/api/v1/meetings/{DEMO_SLUG}/agenda").get_json()
    assert [i["title"]["en"] for i in public["sessions"][0]["items"]] == ["A", "B"]
    item0 = public["sessions"][0]["items"][0]
    assert {"id", "position", "kind", "title", "starts_at", "ends_at", "starts_at_local",
            "ends_at_local"} <= set(item0)


def test_floor_fields_and_priority_areas(client, day1, admin, register):
    speaker = register(name="Ana Pérez")
    response = add(client, day1, admin, title="Statements", minutes=60, kind="discussion",
                   intervention_seconds=120, priority_area_codes=["1.2", "3.1", "1.2"],
                   speakers=["Dr. Ruiz (ECLAC)"], speaker_registration_ids=[speaker["id"]],
                   documents=[{"title": "Notes", "url": "https://docs.example.org/n.pdf"}])
    body = response.get_json()
    assert body["intervention_seconds"] == 120
    assert body["priority_area_codes"] == ["1.2", "3.1"]
    assert body["speakers"] == ["Dr. Ruiz (ECLAC)", "Ana Pérez"]
    patched = client.patch(f"/api/v1/items/{body['id']}",
                           json={"priority_area_codes": ["3.1", "4.0"],
                                 "intervention_seconds": None}, headers=admin).get_json()
    assert patched["priority_area_codes"] == ["3.1", "4.0"]
    assert patched["intervention_seconds"] is None


def test_current_item_is_the_published_item_running_now(client, day1, admin):
    a = add(client, day1, admin, title="A", minutes=10).get_json()["id"]
    add(client, day1, admin, title="B", minutes=10)
    session = db.session.get(MeetingSession, day1.id)
    assert current_item(db.session, session, santiago(2025, 11, 27, 11, 5)) is None
    client.post(f"/api/v1/sessions/{day1.id}/publish", headers=admin)
    db.session.expire_all()
    assert current_item(db.session, session, santiago(2025, 11, 27, 11, 5)).id == a
    assert current_item(db.session, session, santiago(2025, 11, 27, 11, 10)).title_en == "B"
    assert current_item(db.session, session, santiago(2025, 11, 27, 11, 20)) is None


def test_moving_a_session_moves_its_agenda_and_raises_the_revision(client, day1, admin):
    add(client, day1, admin, title="A", minutes=30)
    db.session.expire_all()
    before = db.session.get(MeetingSession, day1.id).revision
    response = client.patch(f"/api/v1/sessions/{day1.id}",
                            json={"starts_at": "2025-11-27T12:00:00"}, headers=admin)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["starts_at"] == "2025-11-27T15:00:00Z"
    assert body["ends_at"] == "2025-11-27T18:00:00Z"
    assert body["revision"] == before + 1
    assert body["items"][0]["starts_at"] == "2025-11-27T15:00:00Z"
    short = client.patch(f"/api/v1/sessions/{day1.id}",
                         json={"ends_at": "2025-11-27T12:20:00"}, headers=admin)
    assert short.status_code == 409
    assert "10 minutes before its last agenda item ends" in short.get_json()["message"]
    bad = client.patch(f"/api/v1/sessions/{day1.id}",
                       json={"ends_at": "2025-11-27T10:00:00", "cancelled": "yes"},
                       headers=admin)
    assert bad.status_code == 422 and "cancelled" in bad.get_json()["fields"]
    cancelled = client.patch(f"/api/v1/sessions/{day1.id}", json={"cancelled": True},
                             headers=admin).get_json()
    assert cancelled["cancelled"] is True and cancelled["revision"] == before + 2
    db.session.expire_all()
    assert db.session.get(MeetingSession, day1.id).starts_at == datetime(
        2025, 11, 27, 15, tzinfo=UTC)


def test_out_of_range_ids_are_refused_like_unknown_ones(client, day1, admin):
    """Regression (found while documenting the API): ids beyond what a column holds gave a
    500 from the SQLite driver."""
    huge = 2**70
    response = add(client, day1, admin, speaker_registration_ids=[huge])
    assert response.status_code == 422
    assert "speaker_registration_ids" in response.get_json()["fields"]
    assert client.patch(f"/api/v1/items/{huge}", json={"published": True},
                        headers=admin).status_code == 404
    assert client.patch(f"/api/v1/sessions/{huge}", json={"cancelled": True},
                        headers=admin).status_code == 404


def test_publish_refuses_a_body_that_is_not_an_object_or_not_a_boolean(client, day1, admin):
    """Regression: a JSON body that was not an object gave a 500, and malformed JSON (or
    ``"published": "false"``) published the agenda instead of being refused."""
    assert add(client, day1, admin).status_code == 201
    url = f"/api/v1/sessions/{day1.id}/publish"
    for body in ([1], "no"):
        response = client.post(url, json=body, headers=admin)
        assert response.status_code == 400, response.get_json()
    garbled = client.post(url, data='{"published": fals', headers=admin,
                          content_type="application/json")
    assert garbled.status_code == 400
    wrong = client.post(url, json={"published": "false"}, headers=admin)
    assert wrong.status_code == 422 and "published" in wrong.get_json()["fields"]
    db.session.expire_all()
    assert not db.session.query(AgendaItem).filter_by(session_id=day1.id).one().published
    assert client.post(url, headers=admin).get_json()["items"][0]["published"] is True
    withdrawn = client.post(url, json={"published": False}, headers=admin)
    assert withdrawn.get_json()["items"][0]["published"] is False


def test_a_nul_character_in_a_text_is_refused_not_a_500(client, day1, admin):
    """Regression: PostgreSQL cannot store NUL (``\\u0000``) in text; a title holding one gave
    a 500 there. Every JSON body is checked (json_body), so it is a 400 everywhere."""
    response = add(client, day1, admin, title="Open\x00ing")
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed_json"
    renamed = client.patch(f"/api/v1/sessions/{day1.id}",
                           json={"title": {"en": "Day\x00one", "es": "Día uno"}}, headers=admin)
    assert renamed.status_code == 400
    assert client.get(f"/api/v1/meetings/{DEMO_SLUG}/agenda").status_code == 200
