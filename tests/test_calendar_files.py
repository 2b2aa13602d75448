"""Calendar files read back by an independent parser (vobject), compared as UTC instants."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import vobject

from meetops.agenda.services import add_item, publish
from meetops.extensions import db

from .conftest import DEMO_SLUG, bearer


def parse(response):
    assert response.status_code == 200
    assert response.content_type.startswith("text/calendar")
    return vobject.readOne(response.get_data(as_text=True))


def events(calendar):
    return sorted(calendar.vevent_list, key=lambda e: e.dtstart.value)


def utc(value):
    return value.astimezone(UTC)


@pytest.fixture
def admin(make_user):
    return bearer(make_user("admin")[1])


def test_public_file_has_every_session_at_the_right_utc_instant(client, meeting):
    calendar = parse(client.get(f"/meetings/{DEMO_SLUG}/calendar.ics?lang=en"))
    assert calendar.version.value == "2.0"
    assert calendar.method.value == "PUBLISH"
    first, second = events(calendar)
    # 27 November 2025, 11:00 in Santiago (UTC-3, summer time) is 14:00Z
    assert utc(first.dtstart.value) == datetime(2025, 11, 27, 14, 0, tzinfo=UTC)
    assert utc(first.dtend.value) == datetime(2025, 11, 27, 17, 0, tzinfo=UTC)
    assert utc(second.dtstart.value) == datetime(2025, 11, 28, 14, 0, tzinfo=UTC)
    assert first.uid.value == f"{DEMO_SLUG}.day-1@meetops"
    assert int(first.sequence.value) == 0
    assert first.status.value == "CONFIRMED"
    assert first.dtstamp.value.tzinfo is not None
    assert "First session" in first.summary.value


def test_public_file_has_no_join_links_and_no_attendees(client, meeting):
    text = client.get(f"/meetings/{DEMO_SLUG}/calendar.ics").get_data(as_text=True)
    assert "video.example.org" not in text
    assert "ATTENDEE" not in text and "VALARM" not in text


def test_times_are_utc_not_floating_or_tzid(client, meeting):
    text = client.get(f"/meetings/{DEMO_SLUG}/calendar.ics").get_data(as_text=True)
    assert "DTSTART:20251127T140000Z" in text
    assert "TZID" not in text and "VTIMEZONE" not in text


def test_personal_invite(client, meeting, register):
    body = register(name="María José Núñez", language="es", email="mj@example.org")
    response = client.get(f"/r/{body['token']}/calendar.ics")
    assert response.headers["Cache-Control"] == "private, no-store"
    calendar = parse(response)
    first, second = events(calendar)
    assert utc(first.dtstart.value) == datetime(2025, 11, 27, 14, 0, tzinfo=UTC)
    assert first.uid.value == f"{DEMO_SLUG}.day-1@meetops"
    assert first.attendee.value == "mailto:mj@example.org"
    assert first.attendee.params["CN"] == ["María José Núñez"]
    assert first.organizer.value.startswith("mailto:")
    assert "https://video.example.org/j/pac-support-platform-day-1" in first.location.value
    assert "video.example.org/j/pac-support-platform-day-1" in first.description.value
    assert "Primera sesión" in first.summary.value  # in the participant's language
    alarm = first.valarm
    assert alarm.trigger.value == -timedelta(minutes=15)
    assert alarm.action.value == "DISPLAY"
    assert "day-2" in second.location.value
    # the personal link (which manages the registration) is not put into calendars
    assert body["token"] not in response.get_data(as_text=True)


def test_personal_invite_for_one_session_and_unknown_tokens(client, meeting, register):
    body = register()
    day2 = meeting.sessions[1]
    calendar = parse(client.get(f"/r/{body['token']}/calendar.ics?session={day2.id}"))
    assert [e.uid.value for e in calendar.vevent_list] == [f"{DEMO_SLUG}.day-2@meetops"]
    assert client.get(f"/r/{body['token']}/calendar.ics?session=999").status_code == 404
    assert client.get("/r/nottherighttoken/calendar.ics").status_code == 404


def test_uids_are_stable_and_sequence_rises_after_a_change(client, meeting, register, admin,
                                                           clock):
    token = register()["token"]
    before = {e.uid.value: int(e.sequence.value)
              for e in parse(client.get(f"/r/{token}/calendar.ics")).vevent_list}
    day1 = meeting.sessions[0]
    moved = client.patch(f"/api/v1/sessions/{day1.id}", json={"starts_at": "2025-11-27T12:00:00"},
                         headers=admin)
    assert moved.status_code == 200
    clock.advance(60)
    calendar = parse(client.get(f"/r/{token}/calendar.ics"))
    after = {e.uid.value: e for e in calendar.vevent_list}
    assert set(after) == set(before)  # the same objects keep their UIDs
    first = after[f"{DEMO_SLUG}.day-1@meetops"]
    assert int(first.sequence.value) > before[f"{DEMO_SLUG}.day-1@meetops"]
    assert utc(first.dtstart.value) == datetime(2025, 11, 27, 15, 0, tzinfo=UTC)
    assert utc(first.dtstamp.value) == clock.now().replace(microsecond=0)
    second = after[f"{DEMO_SLUG}.day-2@meetops"]
    assert int(second.sequence.value) == before[f"{DEMO_SLUG}.day-2@meetops"]
    public = {e.uid.value for e in parse(
        client.get(f"/meetings/{DEMO_SLUG}/calendar.ics")).vevent_list}
    assert public == set(before)


def test_a_cancelled_session(client, meeting, register, admin):
    token = register()["token"]
    day1 = meeting.sessions[0]
    client.patch(f"/api/v1/sessions/{day1.id}", json={"cancelled": True}, headers=admin)
    calendar = parse(client.get(f"/r/{token}/calendar.ics"))
    by_uid = {e.uid.value: e for e in calendar.vevent_list}
    cancelled = by_uid[f"{DEMO_SLUG}.day-1@meetops"]
    assert cancelled.status.value == "CANCELLED"
    assert int(cancelled.sequence.value) == 1
    assert not hasattr(cancelled, "valarm")
    assert "day-1" not in str(getattr(cancelled, "location", "").value)
    assert calendar.method.value == "PUBLISH"  # the other session still stands
    alone = parse(client.get(f"/r/{token}/calendar.ics?session={day1.id}"))
    assert alone.method.value == "CANCEL"
    assert alone.vevent.status.value == "CANCELLED"
    assert "video.example.org" not in alone.serialize()


def test_a_cancelled_registration_cancels_its_events(client, meeting, register):
    token = register()["token"]
    client.post(f"/r/{token}/cancel")
    calendar = parse(client.get(f"/r/{token}/calendar.ics"))
    assert calendar.method.value == "CANCEL"
    assert {e.status.value for e in calendar.vevent_list} == {"CANCELLED"}


NASTY = "Panel: water, energy; \"rights\"\r\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:evil ñandú"


def test_titles_cannot_break_the_file_or_inject_properties(client, meeting, register):
    day1 = meeting.sessions[0]
    day1.title_en = NASTY[:300]
    add_item(db.session, day1, {"title": {"en": NASTY, "es": NASTY}, "kind": "panel",
                                "duration_minutes": 30})
    publish(db.session, day1)
    db.session.commit()
    token = register(language="en", name='Eve "x"; ROLE=CHAIR:mailto:evil@example.org')["token"]
    for url in (f"/meetings/{DEMO_SLUG}/calendar.ics?lang=en", f"/r/{token}/calendar.ics"):
        text = client.get(url).get_data(as_text=True)
        calendar = vobject.readOne(text)
        assert len(calendar.vevent_list) == 2
        first = events(calendar)[0]
        assert first.summary.value.startswith(NASTY.split("\r")[0][:40])
        assert "END:VEVENT" in first.summary.value  # kept as text, not as a line
        assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
        assert text.split("\r\n").count("BEGIN:VEVENT") == 2
        assert text.split("\r\n").count("END:VEVENT") == 2
        if "/r/" in url:
            assert len(first.attendee_list) == 1
            # the quote is RFC 6868-escaped (^'), and the rest stays inside CN
            assert first.attendee.params["CN"][0].endswith("; ROLE=CHAIR:mailto:evil@example.org")
            assert first.attendee.value == f"mailto:participant{1}@example.org"
            assert first.attendee.params.get("ROLE") == ["REQ-PARTICIPANT"]


def test_the_personal_page_offers_download_and_webcal_subscription(client, meeting, register):
    token = register()["token"]
    html = client.get(f"/r/{token}?lang=en").get_data(as_text=True)
    assert f'href="/r/{token}/calendar.ics"' in html
    assert f'href="webcal://meetops.test/r/{token}/calendar.ics"' in html
