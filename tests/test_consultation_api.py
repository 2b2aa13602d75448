"""Consultation API: priority areas, comments by category deadlines, roles, the matrix."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meetops.consultation.models import Comment, CommentDeadline, PriorityArea
from meetops.consultation.services import load_consultation
from meetops.extensions import db

from .conftest import DEMO_SLUG, bearer, santiago

AREAS = f"/api/v1/meetings/{DEMO_SLUG}/priority-areas"
COMMENTS = f"/api/v1/meetings/{DEMO_SLUG}/comments"
MINE = f"/api/v1/meetings/{DEMO_SLUG}/comments/mine"
MATRIX = f"/api/v1/meetings/{DEMO_SLUG}/support-matrix"
DEADLINES = f"/api/v1/meetings/{DEMO_SLUG}/comment-deadlines"


@pytest.fixture
def consultation(meeting):
    load_consultation(db.session, meeting)
    db.session.commit()
    return meeting


def comment(**overrides) -> dict:
    data = {"priority_areas": ["A1.1"], "horizon": "short", "text": "Proponemos un taller."}
    data.update(overrides)
    return data


def test_priority_areas_are_the_provisional_demo_list(client, consultation):
    response = client.get(AREAS)
    assert response.status_code == 200
    areas = response.get_json()
    assert len(areas) == 15
    assert [a["code"] for a in areas[:3]] == ["A1.1", "A1.2", "A1.3"]
    assert {a["chapter"] for a in areas} == {1, 2, 3}
    assert all(sum(a["chapter"] == n for a in areas) == 5 for n in (1, 2, 3))
    first = areas[0]
    assert first["title"] == {
        "en": "Protection along the displacement route and at borders",
        "es": "Protección a lo largo de la ruta del desplazamiento y en las fronteras"}
    assert first["chapter_title"]["es"] == "Protección internacional"
    assert all(a["provisional"] for a in areas)


def test_loading_twice_changes_nothing_and_keeps_admin_changes(client, consultation, make_user):
    _, admin = make_user("admin")
    client.patch(DEADLINES, json={"lac_state": "2025-11-12"}, headers=bearer(admin))
    assert load_consultation(db.session, consultation) == {"areas": 0, "deadlines": 0}
    db.session.commit()
    assert db.session.query(PriorityArea).count() == 15
    assert db.session.query(CommentDeadline).count() == 2
    lac = db.session.query(CommentDeadline).filter_by(category="lac_state").one()
    assert lac.closes_at == santiago(2025, 11, 12, 23, 59, 59)


def test_demo_deadlines_are_the_end_of_day_in_santiago(client, consultation):
    body = {d["category"]: d for d in client.get(DEADLINES).get_json()}
    assert body["lac_state"]["closes_at"] == "2025-11-11T02:59:59Z"
    assert body["lac_state"]["closes_at_local"] == "2025-11-10T23:59:59-03:00"
    assert body["default"]["closes_at"] == "2025-11-15T02:59:59Z"
    assert body["default"]["closes_at_local"] == "2025-11-14T23:59:59-03:00"


@pytest.mark.parametrize(("category", "instant", "expected"), [
    # Latin American and Caribbean States: until 10 November 23:59:59 Santiago time
    ("lac_state", santiago(2025, 11, 10, 23, 59, 58), 201),
    ("lac_state", santiago(2025, 11, 10, 23, 59, 59), 201),
    ("lac_state", santiago(2025, 11, 11, 0, 0, 0), 403),
    # 11 Nov 02:30 UTC is still 10 Nov 23:30 in Santiago (comparing UTC dates fails here)
    ("lac_state", datetime(2025, 11, 11, 2, 30, tzinfo=UTC), 201),
    # every other stakeholder: until 14 November 23:59:59 Santiago time
    ("donor_state", santiago(2025, 11, 11, 0, 0, 0), 201),
    ("civil_society", santiago(2025, 11, 14, 23, 59, 58), 201),
    ("civil_society", santiago(2025, 11, 14, 23, 59, 59), 201),
    ("civil_society", santiago(2025, 11, 15, 0, 0, 0), 403),
    ("un_agency", santiago(2025, 11, 15, 0, 0, 0), 403),
])
def test_deadline_by_category_in_santiago_time(client, consultation, register, clock, category,
                                               instant, expected):
    token = register(category=category)["token"]
    clock.set(instant)
    response = client.post(COMMENTS, json=comment(), headers=bearer(token))
    assert response.status_code == expected, response.get_json()
    if expected == 403:
        assert response.get_json()["error"] == "comments_closed"
        assert db.session.query(Comment).count() == 0


@pytest.mark.parametrize(("language", "accept", "words"), [
    ("es", "en", ["El plazo para enviar comentarios ha terminado", "2025-11-10 23:59:59",
                  "hora de Santiago"]),
    ("en", "es", ["The period for comments has closed", "2025-11-10 23:59:59",
                  "Santiago time"]),
])
def test_comments_closed_in_the_participants_language(client, consultation, register, clock,
                                                      language, accept, words):
    token = register(category="lac_state", language=language)["token"]
    clock.set(santiago(2025, 11, 11, 0, 0, 0))
    response = client.post(COMMENTS, json=comment(),
                           headers={**bearer(token), "Accept-Language": accept})
    assert response.status_code == 403
    message = response.get_json()["message"]
    for word in words:
        assert word in message


def test_create_read_change_and_withdraw_own_comment(client, consultation, register):
    token = register(category="donor_state")["token"]
    response = client.post(COMMENTS, headers=bearer(token), json=comment(
        priority_areas=["A2.1", "a1.1", "A2.1"], horizon="medium", support_type="financial",
        support_description="Fondo semilla de USD 50.000", text="  Apoyo a la inclusión.  "))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["priority_areas"] == ["A1.1", "A2.1"]  # deduplicated, in the list's order
    assert body["text"] == "Apoyo a la inclusión."
    assert body["support_type"] == "financial"
    assert body["editable_until"] == "2025-11-15T02:59:59Z"
    assert body["editable_until_local"] == "2025-11-14T23:59:59-03:00"
    assert response.headers["Location"].endswith(f"/api/v1/comments/{body['id']}")
    url = f"/api/v1/comments/{body['id']}"

    changed = client.patch(url, headers=bearer(token), json={"support_type": None,
                                                             "horizon": "long"})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["support_type"] is None
    assert changed.get_json()["support_description"] == ""
    assert changed.get_json()["horizon"] == "long"

    mine = client.get(MINE, headers=bearer(token)).get_json()
    assert mine["open"] is True and mine["closes_at_local"] == "2025-11-14T23:59:59-03:00"
    assert [c["id"] for c in mine["comments"]] == [body["id"]]

    assert client.delete(url, headers=bearer(token)).status_code == 204
    assert client.get(MINE, headers=bearer(token)).get_json()["comments"] == []
    assert client.get(url, headers=bearer(token)).status_code == 404
    db.session.expire_all()
    assert db.session.get(Comment, body["id"]).withdrawn_at is not None


def test_editing_and_withdrawing_after_the_deadline_are_refused(client, consultation, register,
                                                                 clock):
    token = register(category="lac_state")["token"]
    clock.set(santiago(2025, 11, 10, 23, 59, 59))
    created = client.post(COMMENTS, json=comment(), headers=bearer(token)).get_json()
    url = f"/api/v1/comments/{created['id']}"
    clock.advance(1)
    for response in (client.patch(url, json={"text": "Cambio tardío"}, headers=bearer(token)),
                     client.delete(url, headers=bearer(token))):
        assert response.status_code == 403
        assert response.get_json()["error"] == "comments_closed"
    db.session.expire_all()
    stored = db.session.get(Comment, created["id"])
    assert stored.text == "Proponemos un taller." and stored.withdrawn_at is None
    mine = client.get(MINE, headers=bearer(token)).get_json()
    assert mine["open"] is False and len(mine["comments"]) == 1  # still readable


def test_others_comments_are_not_theirs_to_change(client, consultation, register):
    first = register()["token"]
    second = register()["token"]
    created = client.post(COMMENTS, json=comment(), headers=bearer(first)).get_json()
    url = f"/api/v1/comments/{created['id']}"
    assert client.get(url, headers=bearer(second)).status_code == 404
    assert client.patch(url, json={"text": "x"}, headers=bearer(second)).status_code == 404
    assert client.delete(url, headers=bearer(second)).status_code == 404
    assert client.get(MINE, headers=bearer(second)).get_json()["comments"] == []


@pytest.mark.parametrize(("overrides", "field", "fragment"), [
    ({"priority_areas": ["A1.1", "Z9.9", "nope"]}, "priority_areas", "Z9.9, nope"),
    ({"priority_areas": []}, "priority_areas", "at least one"),
    ({"priority_areas": [7]}, "priority_areas", "7"),
    ({"horizon": "forever"}, "horizon", "short, medium or long"),
    ({"horizon": None}, "horizon", "short, medium or long"),
    ({"support_type": "moral", "support_description": "x"}, "support_type", "technical"),
    ({"support_type": "technical"}, "support_description", "Describe"),
    ({"support_description": "Asesoría"}, "support_type", "type of support"),
    ({"text": "   "}, "text", "required"),
    ({"text": "x" * 5001}, "text", "5000"),
    ({"text": 12}, "text", "text"),
])
def test_invalid_comments_get_field_messages(client, consultation, register, overrides, field,
                                             fragment):
    token = register(language="en")["token"]
    response = client.post(COMMENTS, json=comment(**overrides), headers=bearer(token))
    assert response.status_code == 422
    body = response.get_json()
    assert body["error"] == "invalid"
    assert fragment in body["fields"][field]
    assert db.session.query(Comment).count() == 0


def test_field_messages_in_spanish(client, consultation, register):
    token = register(language="es")["token"]
    response = client.post(COMMENTS, json=comment(priority_areas=["X1"], horizon="pronto"),
                           headers=bearer(token))
    fields = response.get_json()["fields"]
    assert fields["priority_areas"] == "Área prioritaria desconocida: X1."
    assert fields["horizon"] == "Elija corto, mediano o largo plazo."


def test_malformed_body_is_a_400(client, consultation, register):
    token = register()["token"]
    response = client.post(COMMENTS, data="{not json", headers=bearer(token))
    assert response.status_code == 400
    assert response.get_json()["error"] == "malformed_json"


def test_cancelled_registration_cannot_comment(client, consultation, register):
    from meetops.registration.models import Registration

    body = register()
    db.session.get(Registration, body["id"]).status = "cancelled"
    db.session.commit()
    response = client.post(COMMENTS, json=comment(), headers=bearer(body["token"]))
    assert response.status_code == 403
    assert response.get_json()["error"] == "registration_cancelled"


@pytest.mark.parametrize("url", [COMMENTS, MATRIX])
def test_only_admins_see_all_comments_and_the_matrix(client, consultation, register,
                                                     make_user, url):
    participant = register()["token"]
    assert client.get(url).status_code in (401, 302)
    assert client.get(url, headers=bearer(participant)).status_code == 401
    for role in ("chair", "interpreter"):
        _, token = make_user(role)
        assert client.get(url, headers=bearer(token)).status_code == 403
    _, admin = make_user("admin")
    assert client.get(url, headers=bearer(admin)).status_code == 200


def test_staff_and_anonymous_cannot_post_comments(client, consultation, make_user):
    _, admin = make_user("admin")
    assert client.post(COMMENTS, json=comment()).status_code == 401
    response = client.post(COMMENTS, json=comment(), headers=bearer(admin))
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"


@pytest.fixture
def known_comments(client, consultation, register):
    """Four participants, six comments (one withdrawn, one without an offer)."""
    state = register(name="Ministerio A", category="lac_state", organization="Cancillería")
    donor = register(name="Donante B", category="donor_state", organization="Agencia B")
    bank = register(name="Banco C", category="financial_institution", organization="Banco C")
    ngo = register(name="ONG D", category="civil_society", organization="ONG D")

    def post(who, **data):
        response = client.post(COMMENTS, json=comment(**data), headers=bearer(who["token"]))
        assert response.status_code == 201, response.get_json()
        return response.get_json()["id"]

    post(state, priority_areas=["A1.1"], horizon="short", text="Necesitamos apoyo en frontera.")
    post(donor, priority_areas=["A1.1", "A2.1"], support_type="technical",
         support_description="Capacitación de personal", horizon="medium")
    post(donor, priority_areas=["A2.1"], support_type="financial",
         support_description="Fondo de USD 100.000", horizon="long")
    post(bank, priority_areas=["A2.1"], support_type="financial",
         support_description="Línea de crédito", horizon="long")
    withdrawn = post(ngo, priority_areas=["A3.1"], support_type="material",
                     support_description="Kits", horizon="short")
    client.delete(f"/api/v1/comments/{withdrawn}", headers=bearer(ngo["token"]))
    post(ngo, priority_areas=["A1.1"], support_type="material",
         support_description="Kits de higiene", horizon="short")
    return {"state": state, "donor": donor, "bank": bank, "ngo": ngo}


def test_support_matrix_figures(client, known_comments, make_user):
    _, admin = make_user("admin")
    matrix = client.get(MATRIX, headers=bearer(admin)).get_json()
    rows = {row["code"]: row for row in matrix["areas"]}
    assert len(rows) == 15
    assert rows["A1.1"]["counts"] == {"technical": 1, "material": 1, "financial": 0}
    assert rows["A1.1"]["missing"] == ["financial"]
    assert rows["A2.1"]["counts"] == {"technical": 1, "material": 0, "financial": 2}
    assert rows["A2.1"]["total"] == 3
    assert rows["A3.1"]["counts"] == {"technical": 0, "material": 0, "financial": 0}  # withdrawn
    assert matrix["totals"] == {"technical": 1, "material": 1, "financial": 2}
    assert matrix["offers"] == 4
    assert matrix["areas_without_offers"] == [c for c in rows if c not in ("A1.1", "A2.1")]
    assert matrix["gaps"] == 1 + 1 + 13 * 3
    who = {o["participant"]["name"] for o in rows["A2.1"]["offers"]["financial"]}
    assert who == {"Donante B", "Banco C"}
    assert rows["A2.1"]["offers"]["financial"][0]["description"] == "Fondo de USD 100.000"
    only_banks = client.get(MATRIX + "?category=financial_institution",
                            headers=bearer(admin)).get_json()
    assert only_banks["totals"] == {"technical": 0, "material": 0, "financial": 1}


def test_admin_listing_with_filters(client, known_comments, make_user):
    _, admin = make_user("admin")
    everything = client.get(COMMENTS, headers=bearer(admin)).get_json()
    assert len(everything) == 5
    assert everything[0]["participant"]["name"] == "Ministerio A"
    assert everything[0]["participant"]["category"] == "lac_state"
    by_area = client.get(COMMENTS + "?area=A2.1", headers=bearer(admin)).get_json()
    assert {c["participant"]["name"] for c in by_area} == {"Donante B", "Banco C"}
    by_category = client.get(COMMENTS + "?category=civil_society",
                             headers=bearer(admin)).get_json()
    assert [c["support_description"] for c in by_category] == ["Kits de higiene"]
    with_withdrawn = client.get(COMMENTS + "?include_withdrawn=1", headers=bearer(admin))
    assert len(with_withdrawn.get_json()) == 6
    no_offer = client.get(COMMENTS + "?support_type=none", headers=bearer(admin)).get_json()
    assert [c["participant"]["name"] for c in no_offer] == ["Ministerio A"]
    one = client.get(f"/api/v1/comments/{everything[1]['id']}", headers=bearer(admin))
    assert one.get_json()["participant"]["name"] == "Donante B"
    _, chair = make_user("chair")
    assert client.get(f"/api/v1/comments/{everything[1]['id']}",
                      headers=bearer(chair)).status_code == 403


def test_admin_changes_deadlines(client, consultation, register, make_user, clock):
    _, admin = make_user("admin")
    _, chair = make_user("chair")
    assert client.patch(DEADLINES, json={"default": "2025-11-20"},
                        headers=bearer(chair)).status_code == 403
    response = client.patch(DEADLINES, headers=bearer(admin), json={
        "lac_state": "2025-11-12T18:00:00", "academia": "2025-11-20"})
    assert response.status_code == 200, response.get_json()
    body = {d["category"]: d["closes_at_local"] for d in response.get_json()}
    assert body["lac_state"] == "2025-11-12T18:00:00-03:00"
    assert body["academia"] == "2025-11-20T23:59:59-03:00"
    token = register(category="lac_state")["token"]
    clock.set(santiago(2025, 11, 12, 18, 0, 0))
    assert client.post(COMMENTS, json=comment(), headers=bearer(token)).status_code == 201
    clock.advance(1)
    assert client.post(COMMENTS, json=comment(), headers=bearer(token)).status_code == 403
    removed = client.patch(DEADLINES, json={"lac_state": None}, headers=bearer(admin))
    assert "lac_state" not in {d["category"] for d in removed.get_json()}
    assert client.post(COMMENTS, json=comment(), headers=bearer(token)).status_code == 201


@pytest.mark.parametrize(("data", "field"), [
    ({"martians": "2025-11-20"}, "martians"),
    ({"default": None}, "default"),
    ({"default": "20 November"}, "default"),
    ({"lac_state": "2026-09-06T00:30:00"}, "lac_state"),  # skipped at the DST change
])
def test_bad_deadlines_are_refused(client, consultation, make_user, data, field):
    _, admin = make_user("admin")
    response = client.patch(DEADLINES, json=data, headers=bearer(admin))
    assert response.status_code == 422
    assert field in response.get_json()["fields"]


def test_admin_replaces_the_areas_keeping_those_with_comments(client, known_comments,
                                                              make_user):
    _, admin = make_user("admin")
    official = [{"code": "P1", "chapter": 1, "title": {"en": "One", "es": "Uno"}},
                {"code": "A2.1", "chapter": 2, "title": {"en": "Two", "es": "Dos"}}]
    response = client.put(AREAS, json=official, headers=bearer(admin))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["created"], body["updated"]) == (1, 1)
    assert body["kept"] == ["A1.1", "A3.1"]  # comments (even withdrawn ones) refer to them
    codes = [a["code"] for a in client.get(AREAS).get_json()]
    assert codes[:2] == ["P1", "A2.1"]
    assert not any(a["provisional"] for a in client.get(AREAS).get_json())
    bad = client.put(AREAS, json=[{"code": "bad code!", "chapter": "x"}], headers=bearer(admin))
    assert bad.status_code == 422
    assert set(bad.get_json()["fields"]) == {"areas[1].code", "areas[1].chapter",
                                             "areas[1].title_en", "areas[1].title_es"}


@pytest.mark.parametrize("comment_id", [2**31, 2**63, 10**30])
def test_ids_beyond_any_database_integer_are_not_found(client, consultation, register, make_user,
                                                       comment_id):
    """Found by fuzzing: the databases refused such ids with an error (a 500): PostgreSQL's
    INTEGER stops at 2**31 - 1, SQLite's at 2**63 - 1."""
    url = f"/api/v1/comments/{comment_id}"
    participant = bearer(register()["token"])
    for response in (client.get(url, headers=participant),
                     client.patch(url, json={"text": "x"}, headers=participant),
                     client.delete(url, headers=participant)):
        assert response.status_code == 404
        assert response.get_json()["error"] == "not_found"
    _, admin = make_user("admin")
    assert client.get(url, headers=bearer(admin)).status_code == 404


def test_chapters_whose_areas_are_not_a_list_are_refused(client, consultation, make_user):
    """Found by reading the importer while documenting it: a TypeError (a 500)."""
    _, admin = make_user("admin")
    for areas in (5, "A1", {"code": "X1"}):
        response = client.put(AREAS, headers=bearer(admin),
                              json={"chapters": [{"chapter": 1, "areas": areas}]})
        assert response.status_code == 422
        assert "list" in response.get_json()["fields"]["chapters"]
    assert len(client.get(AREAS).get_json()) == 15


@pytest.mark.parametrize("value", [
    "9999-12-31",  # 23:59:59 in Santiago is already year 10000 in UTC
    "9999-12-31T23:00:00-05:00",
    "0001-01-01T00:00:00+05:00",  # before year 1 in UTC
    "0001-01-01T01:00:00Z",  # stored, it could not be shown in Santiago time (year 0)
    "1999-12-31",
    "3000-01-01",
])
def test_deadlines_out_of_range_are_refused(client, consultation, make_user, value):
    """Found by reading the parser while documenting it: an OverflowError (a 500), or a
    deadline stored that made every later read of the deadlines fail."""
    _, admin = make_user("admin")
    response = client.patch(DEADLINES, json={"default": value}, headers=bearer(admin))
    assert response.status_code == 422
    assert "default" in response.get_json()["fields"]
    assert client.get(DEADLINES).status_code == 200
    assert client.patch(DEADLINES, json={"default": "2999-12-31"},
                        headers=bearer(admin)).status_code == 200


def test_nul_characters_never_reach_the_database(client, consultation, register, make_user,
                                                 clock):
    """PostgreSQL refuses NUL in text, even in a query's parameters (a 500 there). The
    services drop it from what they store (comment forms, area lists); filters holding it
    match nothing."""
    from meetops.consultation.services import create_comment
    from meetops.registration.models import Registration

    created = register(category="donor_state")
    registration = db.session.get(Registration, created["id"])
    stored = create_comment(db.session, registration, comment(
        text="Apoyo\x00 técnico", support_type="technical", support_description="\x00Kits"),
        now=clock.now())
    db.session.commit()
    db.session.expire_all()
    assert (stored.text, stored.support_description) == ("Apoyo técnico", "Kits")
    _, admin = make_user("admin")
    for query in ("area=A1.1%00", "category=donor_state%00", "horizon=short%00",
                  "support_type=technical%00"):
        listed = client.get(f"{COMMENTS}?{query}", headers=bearer(admin))
        assert listed.status_code == 200 and listed.get_json() == []
    matrix = client.get(f"{MATRIX}?category=donor_state%00", headers=bearer(admin))
    assert matrix.status_code == 200 and matrix.get_json()["offers"] == 0
    replaced = client.put(AREAS, headers=bearer(admin), json=[
        {"code": "P1", "chapter": 1, "title": {"en": "One\x00", "es": "Uno"}}])
    assert replaced.status_code == 200, replaced.get_json()
    assert replaced.get_json()["areas"][0]["title"]["en"] == "One"
