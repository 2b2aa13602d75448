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


def aim_at_real_data(case) -> None:
    """Point generated requests at the demo meeting and its priority areas, so that valid
    requests can succeed and their responses get checked too (a static schema cannot list the
    codes that happen to exist)."""
    if "slug" in (case.path_parameters or {}):
        case.path_parameters["slug"] = DEMO_SLUG
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("priority_areas"), list):
        body["priority_areas"] = [AREA_CODES[len(str(code)) % len(AREA_CODES)]
                                  for code in body["priority_areas"]]


def fuzz_every_operation(app, headers: dict) -> dict[str, set[int]]:
    """Run schemathesis on every documented operation (fixed seed and budget); return the
    operations it covered, each with the statuses it got."""
    operations = [result.ok() for result in load_document(app).get_all_operations()]
    covered: dict[str, set[int]] = {}
    # deletions last, so that the other operations still find what they would delete
    for operation in sorted(operations, key=lambda op: op.method.upper() == "DELETE"):
        covered[operation.label] = fuzz(operation, headers)
    return covered


def load_document(app):
    def wsgi(environ, start_response):  # each request in its own app context, as in production
        with app.app_context():
            return list(app(environ, start_response))

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi)


def fuzz(operation, headers: dict) -> set[int]:
    statuses: set[int] = set()

    @given(case=operation.as_strategy())
    @FUZZ
    def check(case):
        aim_at_real_data(case)
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


def test_fuzz_anonymous(app, meeting, register, consultation):
    """No 500 and no response outside the document, whatever the input."""
    covered = fuzz_every_operation(app, {})
    assert "POST /api/v1/meetings/{slug}/registrations" in covered
    assert 200 in covered["GET /api/v1/meetings/{slug}/priority-areas"]


def test_fuzz_as_admin(app, meeting, register, make_user, consultation):
    _, token = make_user("admin")
    covered = fuzz_every_operation(app, bearer(token))
    assert 200 in covered["GET /api/v1/meetings/{slug}/support-matrix"]
    assert 200 in covered["GET /api/v1/meetings/{slug}/comments"]


def test_fuzz_as_participant(app, meeting, register, consultation):
    """A participant whose category may still comment, with comments of their own."""
    covered = fuzz_every_operation(app, bearer(consultation))
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
