from datetime import UTC, datetime

import pytest

from meetops.extensions import db
from meetops.notifications.models import OutboxMessage
from meetops.registration.models import Registration

from .conftest import DEMO_SLUG, bearer, registration_payload, santiago

URL = f"/api/v1/meetings/{DEMO_SLUG}/registrations"


def test_register_returns_token_and_links(client, meeting):
    response = client.post(URL, json=registration_payload())
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"id", "token", "manage_url", "calendar_url"}
    assert len(body["token"]) >= 16 + 43  # selector + 256-bit secret
    assert body["manage_url"].endswith(f"/r/{body['token']}")
    assert body["calendar_url"].endswith(f"/r/{body['token']}/calendar.ics")
    registration = db.session.get(Registration, body["id"])
    assert registration.email_normalized == "maria.nunez@example.org"
    assert [s.key for s in registration.sessions] == ["day-1", "day-2"]
    me = client.get("/api/v1/registrations/me", headers=bearer(body["token"]))
    assert me.status_code == 200
    assert me.get_json()["name"] == "María José Núñez"
    mail = db.session.query(OutboxMessage).one()
    assert mail.recipient == "maria.nunez@example.org"
    assert mail.language == "es"
    assert body["token"] in mail.body
    assert "Su inscripción" in mail.subject or "Tu inscripción" in mail.subject


def test_sessions_chosen(client, meeting):
    second = meeting.sessions[1].id
    body = client.post(URL, json=registration_payload(sessions=[second])).get_json()
    assert [s.id for s in db.session.get(Registration, body["id"]).sessions] == [second]


@pytest.mark.parametrize(("instant", "expected"), [
    # 23:59 on 21 November in Santiago (UTC-3 in summer): open
    (santiago(2025, 11, 21, 23, 59), 201),
    (santiago(2025, 11, 21, 23, 59, 59), 201),
    # 00:00 on 22 November in Santiago: closed
    (santiago(2025, 11, 22, 0, 0), 403),
    (santiago(2025, 11, 22, 0, 1), 403),
    # 22 Nov 02:30 UTC is still 21 Nov 23:30 in Santiago: code comparing UTC dates fails here
    (datetime(2025, 11, 22, 2, 30, tzinfo=UTC), 201),
    # before the concept note's circulation on 27 October
    (santiago(2025, 10, 26, 23, 59), 403),
    (santiago(2025, 10, 27, 0, 0), 201),
])
def test_deadline_in_santiago_time(client, meeting, clock, instant, expected):
    clock.set(instant)
    response = client.post(URL, json=registration_payload())
    assert response.status_code == expected, response.get_json()
    if expected == 403:
        assert response.get_json()["error"] == "registration_closed"


def test_closing_instant_is_not_lmt():
    """pytz given as tzinfo= would use Santiago's local mean time (-04:43)."""
    from meetops.meetings.services import demo_data
    from meetops.timezones import to_utc

    closes = to_utc(datetime.fromisoformat(demo_data()["registration_closes"]),
                    "America/Santiago")
    assert closes == datetime(2025, 11, 22, 2, 59, 59, tzinfo=UTC)


def test_closed_message_in_spanish_and_english(client, meeting, clock):
    clock.set(santiago(2025, 11, 22, 0, 0))
    es = client.post(URL + "?lang=es", json=registration_payload()).get_json()
    en = client.post(URL, json=registration_payload(),
                     headers={"Accept-Language": "en"}).get_json()
    assert es["message"] == "La inscripción para esta reunión está cerrada."
    assert en["message"] == "Registration for this meeting is closed."


def test_meeting_says_whether_registration_is_open(client, meeting, clock):
    body = client.get(f"/api/v1/meetings/{DEMO_SLUG}").get_json()
    assert body["registration_open"] is True
    assert body["registration_closes_at"] == "2025-11-22T02:59:59Z"
    assert body["registration_closes_at_local"] == "2025-11-21T23:59:59-03:00"
    assert body["sessions"][0]["starts_at"] == "2025-11-27T14:00:00Z"
    assert body["sessions"][0]["starts_at_local"] == "2025-11-27T11:00:00-03:00"
    assert "join_url" not in str(body)
    clock.set(santiago(2025, 11, 22, 0, 0))
    assert client.get(f"/api/v1/meetings/{DEMO_SLUG}").get_json()["registration_open"] is False


@pytest.mark.parametrize("email", ["MARIA.NUNEZ@EXAMPLE.ORG", "Maria.Nunez@Example.org",
                                   " maria.nunez@example.org "])
def test_duplicate_email_in_other_case(client, meeting, email):
    first = client.post(URL, json=registration_payload())
    assert first.status_code == 201
    again = client.post(URL, json=registration_payload(email=email, name="Someone else"))
    assert again.status_code == 409
    body = again.get_json()
    assert body["error"] == "duplicate"
    assert "token" not in body and first.get_json()["token"] not in again.get_data(as_text=True)
    assert db.session.query(Registration).count() == 1
    mails = db.session.query(OutboxMessage).order_by(OutboxMessage.id).all()
    assert [m.kind for m in mails] == ["registration", "duplicate"]
    assert first.get_json()["token"] in mails[1].body
    assert mails[1].recipient == "maria.nunez@example.org"


INVALID = [
    ("name", "", "required"),
    ("name", None, "required"),
    ("name", 42, "text"),
    ("name", "x" * 201, "200"),
    ("email", "not-an-email", "valid email"),
    ("email", "", "email"),
    ("email", ["a@b.org"], "email"),
    ("organization", "   ", "required"),
    ("position", "p" * 201, "200"),
    ("category", "government", "categor"),
    ("category", None, "categor"),
    ("country", "XX", "country"),
    ("country", "CHL", "country"),
    ("country", 56, "country"),
    ("language", "fr", "Spanish"),
    ("sessions", [999999], "sessions"),
    ("sessions", ["abc"], "sessions"),
    ("sessions", "day-1", "sessions"),
    ("accessibility", "a" * 2001, "2000"),
    ("consent", False, "consent"),
    ("consent", None, "consent"),
    ("consent", "false", "consent"),
]


@pytest.mark.parametrize(("field", "value", "fragment"), INVALID)
def test_every_invalid_field(client, meeting, field, value, fragment):
    response = client.post(URL, json=registration_payload(**{field: value}),
                           headers={"Accept-Language": "en"})
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid"
    assert fragment.lower() in body["fields"][field].lower()
    assert list(body["fields"]) == [field]
    assert db.session.query(Registration).count() == 0


def test_missing_fields_are_all_reported_in_spanish(client, meeting):
    response = client.post(URL + "?lang=es", json={})
    assert response.status_code == 422
    fields = response.get_json()["fields"]
    assert set(fields) >= {"name", "email", "organization", "category", "country", "language",
                           "consent"}
    assert fields["name"] == "Este campo es obligatorio."


def test_country_is_normalised(client, meeting):
    body = client.post(URL, json=registration_payload(country="cl")).get_json()
    assert db.session.get(Registration, body["id"]).country == "CL"


@pytest.mark.parametrize("data", [b"{not json", b"[1, 2]", b"", b"\xff\xfe"])
def test_malformed_json_is_400(client, meeting, data):
    response = client.post(URL, data=data, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed_json"


def test_oversized_body_is_413(client, meeting):
    big = {"name": "x" * (300 * 1024)}
    response = client.post(URL, json=big)
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"


def test_unknown_meeting_is_404(client, meeting):
    response = client.post("/api/v1/meetings/nope/registrations", json=registration_payload())
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Bearer ", "Basic abc",
                                    "Bearer " + "a" * 59])
def test_wrong_and_missing_participant_tokens(client, meeting, register, header):
    register()
    headers = {"Authorization": header} if header else {}
    response = client.get("/api/v1/registrations/me", headers=headers)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


def test_wrong_half_of_a_real_token_is_refused(client, meeting, register):
    token = register()["token"]
    forged = token[:16] + ("A" if token[16] != "A" else "B") + token[17:]
    assert client.get("/api/v1/registrations/me", headers=bearer(forged)).status_code == 401
    assert client.get(f"/r/{forged}").status_code == 404


def test_admin_lists_registrations_others_cannot(client, meeting, register, make_user):
    participant = register()["token"]
    _, admin = make_user("admin")
    _, chair = make_user("chair")
    _, interpreter = make_user("interpreter")
    assert client.get(URL).status_code == 401
    assert client.get(URL, headers=bearer(participant)).status_code == 401
    assert client.get(URL, headers=bearer(chair)).status_code == 403
    assert client.get(URL, headers=bearer(interpreter)).status_code == 403
    response = client.get(URL, headers=bearer(admin))
    assert response.status_code == 200
    assert [r["email"] for r in response.get_json()] == ["participant1@example.org"]
    assert "token" not in response.get_data(as_text=True).lower().replace("token_", "")


def test_revoked_staff_user_token_stops_working(client, meeting, make_user):
    user, token = make_user("admin")
    user.active = False
    db.session.commit()
    assert client.get(URL, headers=bearer(token)).status_code == 401


def test_nul_characters_are_dropped_from_text_fields(meeting, clock):
    """Found by fuzzing on PostgreSQL, which refuses NUL in text (it was a 500). The service
    drops it, for the API and the forms alike."""
    from meetops.errors import ValidationError
    from meetops.registration.services import register

    with pytest.raises(ValidationError) as refused:
        register(db.session, meeting, registration_payload(organization="\x00"), now=clock.now())
    assert set(refused.value.fields) == {"organization"}  # nothing left: required
    db.session.rollback()
    stored = register(db.session, meeting, registration_payload(
        name="María\x00 José", accessibility="Subtítulos\x00"), now=clock.now())
    db.session.commit()
    db.session.expire_all()
    assert (stored.name, stored.accessibility) == ("María José", "Subtítulos")
