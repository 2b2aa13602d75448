"""The OpenAPI document covers the whole API, and the API keeps to it under fuzzing."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from meetops.consultation.services import demo_data as consultation_demo
from meetops.consultation.services import load_consultation
from meetops.extensions import db

from .conftest import DEMO_SLUG, bearer

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def test_document_is_served_and_lists_every_api_route(app, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, ops in document["paths"].items()
                  for method in ops}
    served = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint.startswith("apidoc."):
            continue
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", f"{{{name}}}").replace(
                f"<{name}>", f"{{{name}}}")
        served |= {(path, method) for method in rule.methods & METHODS}
    assert sorted(served - documented) == []
    assert sorted(documented - served) == []


def test_who_has_the_floor_is_checked_not_just_any_object(client):
    """``current`` is null or a FloorCurrent: written so that schemathesis checks the object
    (apispec's nullable Nested would let any object through)."""
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    current = schemas["FloorState"]["properties"]["current"]
    assert current["nullable"] is True
    assert current["anyOf"] == [{"$ref": "#/components/schemas/FloorCurrent"}]


def test_readable_page_in_both_languages(client):
    es = client.get("/api/v1/docs?lang=es").get_data(as_text=True)
    assert "Referencia de la API" in es and "/api/v1/meetings/{slug}" in es
    en = client.get("/api/v1/docs?lang=en").get_data(as_text=True)
    assert "API reference" in en and "RegistrationInput" in en
    # a body with alternatives names each of them
    assert "[PriorityAreaInput] | PriorityAreaList | PriorityAreaChapters" in en


FUZZ = settings(max_examples=30, derandomize=True, deadline=None, database=None,
                suppress_health_check=list(HealthCheck))


#: the demo's priority area codes, to aim generated comments at areas that exist
AREA_CODES = [area["code"] for chapter in consultation_demo()["chapters"]
              for area in chapter["areas"]]


@pytest.fixture
def fuzz_ids(meeting, speakers, clock) -> dict:
    """Real ids, so that requests can succeed: the demo's first session, an agenda item in
    it, its floor with someone speaking and a long queue, and a registration of the
    meeting."""
    from meetops.agenda.services import add_item
    from meetops.floor.services import ask, get_floor, next_speaker

    session = meeting.sessions[0]
    item = add_item(db.session, session, {"title": {"en": "Opening", "es": "Apertura"},
                                          "kind": "opening", "duration_minutes": 15})
    *waiting, other = speakers(50)  # enough for the chair's actions to keep someone speaking
    requests = [ask(db.session, session, registration, {"language": "es"}, clock.now())
                for registration in waiting]
    next_speaker(db.session, session, get_floor(db.session, session.id, clock.now()).version,
                 clock.now())  # someone has the floor
    db.session.commit()
    return {"slug": DEMO_SLUG, "session_id": session.id, "item_id": item.id,
            "request_id": requests[-1].id, "registration_id": other.id}


def aim(client, case, ids: dict) -> None:
    """Point a case at real rows, so that valid requests can succeed and their responses get
    checked too (a static schema cannot list the ids and codes that happen to exist): path
    parameters always (a request id: the last waiting); generated comments at the demo's
    priority areas; in half the bodies (by the parity of the generated ``version``), the
    floor's current version, the last waiting request and a registration, so that the
    chair's actions also succeed."""
    def floor() -> dict:
        return client.get(f"/api/v1/sessions/{ids['session_id']}/floor").get_json()

    for name in set(case.path_parameters or {}) & set(ids):
        case.path_parameters[name] = ids[name]
        if name == "request_id" and (queue := floor()["queue"]):
            case.path_parameters[name] = queue[-1]["request_id"]
    body = case.body if isinstance(case.body, dict) else {}
    if isinstance(body.get("priority_areas"), list):
        body["priority_areas"] = [AREA_CODES[len(str(code)) % len(AREA_CODES)]
                                  for code in body["priority_areas"]]
    if isinstance(body.get("version"), int) and body["version"] % 2:
        state = floor()
        body["version"] = state["version"]
        if "request_id" in body and state["queue"]:
            body["request_id"] = state["queue"][-1]["request_id"]
        if "registration_id" in body:
            body["registration_id"] = ids["registration_id"]


def load_document(app):
    def wsgi(environ, start_response):  # each request in its own app context, as in production
        with app.app_context():
            return list(app(environ, start_response))

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi)


def fuzz_every_operation(app, headers: dict, ids: dict) -> dict[str, set[int]]:
    """Run schemathesis on every documented operation (fixed seed and budget); return the
    operations it covered, each with the statuses it got."""
    client = app.test_client()
    operations = [result.ok() for result in load_document(app).get_all_operations()]
    # removals last, so that the other operations still find the rows
    return {operation.label: fuzz(operation, client, headers, ids)
            for operation in sorted(operations, key=lambda op: op.method.upper() == "DELETE")}


def fuzz(operation, client, headers: dict, ids: dict) -> set[int]:
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @FUZZ
    def check(case):
        aim(client, case, ids)
        # positive_data_acceptance is left out: validity that depends on the data (an
        # existing session id, a real country code) cannot be written in a static schema
        response = case.call_and_validate(headers=headers,
                                          excluded_checks=[positive_data_acceptance])
        statuses.add(response.status_code)

    check()
    return statuses


@pytest.fixture
def consultation(client, meeting, register):
    """The demo's priority areas and deadlines, and a participant with two comments (one
    offering support) and a withdrawn one, so listings, the matrix and comment ids have data."""
    load_consultation(db.session, meeting)
    db.session.commit()
    token = register(category="donor_state")["token"]
    comments = f"/api/v1/meetings/{DEMO_SLUG}/comments"
    ids = [client.post(comments, headers=bearer(token), json=body).get_json()["id"] for body in (
        {"priority_areas": ["A1.1"], "horizon": "short", "text": "Un taller regional."},
        {"priority_areas": ["A2.1", "A1.2"], "horizon": "long", "text": "Apoyo al empleo.",
         "support_type": "technical", "support_description": "Asesoría técnica"},
        {"priority_areas": ["A3.1"], "horizon": "medium", "text": "Retirado."})]
    assert client.delete(f"/api/v1/comments/{ids[2]}", headers=bearer(token)).status_code == 204
    return token


def test_fuzz_anonymous(app, meeting, register, consultation, fuzz_ids):
    """No 500 and no response outside the document, whatever the input."""
    covered = fuzz_every_operation(app, {}, fuzz_ids)
    assert "POST /api/v1/meetings/{slug}/registrations" in covered
    assert 200 in covered["GET /api/v1/meetings/{slug}/priority-areas"]
    assert 200 in covered["GET /api/v1/sessions/{session_id}/floor"]
    assert "PATCH /api/v1/items/{item_id}" in covered


def test_fuzz_as_admin(app, meeting, register, make_user, consultation, fuzz_ids):
    _, token = make_user("admin")
    covered = fuzz_every_operation(app, bearer(token), fuzz_ids)
    assert 200 in covered["GET /api/v1/meetings/{slug}/support-matrix"]
    assert 200 in covered["GET /api/v1/meetings/{slug}/comments"]
    assert 200 in covered["POST /api/v1/sessions/{session_id}/floor/next"]


def test_fuzz_as_participant(app, meeting, register, consultation, fuzz_ids):
    """A participant whose category may still comment, with comments of their own."""
    mine = app.test_client().get(f"/api/v1/meetings/{DEMO_SLUG}/comments/mine",
                                 headers=bearer(consultation)).get_json()["comments"]
    ids = dict(fuzz_ids, comment_id=mine[0]["id"])  # one of the participant's own comments
    covered = fuzz_every_operation(app, bearer(consultation), ids)
    assert 201 in covered["POST /api/v1/meetings/{slug}/comments"]
    assert 200 in covered["GET /api/v1/meetings/{slug}/comments/mine"]
    assert 200 in covered["GET /api/v1/comments/{comment_id}"]
    assert 204 in covered["DELETE /api/v1/comments/{comment_id}"]


def test_successful_consultation_calls_match_the_document(app, client, consultation,
                                                          make_user):
    """The successes random input rarely reaches (valid deadlines, a whole new list of
    areas, each kind of comment), checked against the document one by one."""
    document = load_document(app)
    participant = bearer(consultation)
    _, token = make_user("admin")
    admin = bearer(token)
    slug = f"/api/v1/meetings/{DEMO_SLUG}"
    calls = [
        ("GET", "/api/v1/comments/{comment_id}", "/api/v1/comments/2", participant, None, 200),
        ("PATCH", "/api/v1/comments/{comment_id}", "/api/v1/comments/2", participant,
         {"support_type": None, "text": "Sin oferta."}, 200),
        ("GET", "/api/v1/comments/{comment_id}", "/api/v1/comments/3", admin, None, 200),
        ("GET", "/api/v1/meetings/{slug}/comments/mine", f"{slug}/comments/mine", participant,
         None, 200),
        ("GET", "/api/v1/meetings/{slug}/comments", f"{slug}/comments?include_withdrawn=1",
         admin, None, 200),
        ("GET", "/api/v1/meetings/{slug}/support-matrix", f"{slug}/support-matrix", admin,
         None, 200),
        ("PATCH", "/api/v1/meetings/{slug}/comment-deadlines", f"{slug}/comment-deadlines",
         admin, {"lac_state": None, "academia": "2025-11-20T18:00:00"}, 200),
        ("PATCH", "/api/v1/meetings/{slug}/comment-deadlines", f"{slug}/comment-deadlines",
         admin, {"default": "2025-11-20"}, 200),
        ("PUT", "/api/v1/meetings/{slug}/priority-areas", f"{slug}/priority-areas", admin,
         {"chapters": [{"chapter": 1, "title": {"en": "One", "es": "Uno"},
                        "areas": [{"code": "P1", "title": {"en": "A", "es": "B"}}]}]}, 200),
        ("PUT", "/api/v1/meetings/{slug}/priority-areas", f"{slug}/priority-areas", admin,
         [{"code": "P2", "chapter": "2", "title_en": "C", "title_es": "D"}], 200),
        ("DELETE", "/api/v1/comments/{comment_id}", "/api/v1/comments/1", participant, None,
         204),
        ("DELETE", "/api/v1/comments/{comment_id}", "/api/v1/comments/1", participant, None,
         404),
    ]
    for method, path, url, headers, body, status in calls:
        response = client.open(url, method=method, headers=headers, json=body)
        assert response.status_code == status, (method, url, response.get_json())
        document[path][method].validate_response(response)
