"""Registrations racing with one email: exactly one wins, on SQLite and on PostgreSQL.

The requests run in threads through the app (each in its own application context, so each has
its own database session and connection, as in a threaded server). ``make test`` runs this on a
SQLite file, ``make test-postgres`` on PostgreSQL. The last test runs the same race over HTTP
against gunicorn (gunicorn.conf.py, two worker processes). The unique constraint on
(meeting_id, email_normalized) decides the race; the losers must get the contract's 409
``duplicate``, never a 500.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from meetops.extensions import db
from meetops.registration.models import Registration

from .conftest import DEMO_SLUG, TEST_DATABASE_URL, registration_payload
from .e2e.server import drop_postgres_database, sibling_postgres_database, start_server

URL = f"/api/v1/meetings/{DEMO_SLUG}/registrations"
RACERS = 50
CASES = ("ana.perez@example.org", "ANA.PEREZ@EXAMPLE.ORG", "Ana.Perez@Example.org",
         "ana.PEREZ@example.ORG", " Ana.Perez@example.org ")


def race(app, payloads: list[dict]) -> list[tuple[int, dict | None]]:
    """POST every payload at once (a barrier releases the threads together)."""
    barrier = threading.Barrier(len(payloads))

    def post(payload: dict) -> tuple[int, dict | None]:
        client = app.test_client()
        barrier.wait(timeout=30)
        response = client.post(URL, json=payload)
        return response.status_code, response.get_json(silent=True)

    with ThreadPoolExecutor(max_workers=len(payloads)) as pool:
        return list(pool.map(post, payloads))


def test_fifty_concurrent_registrations_with_one_email(app, meeting):
    # Threads need more connections than the default pool keeps; the test holds none open.
    db.session.commit()
    payloads = [registration_payload(email=CASES[i % len(CASES)], name=f"Ana Pérez {i}")
                for i in range(RACERS)]
    results = race(app, payloads)

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 409: RACERS - 1}, results
    for status, body in results:
        if status == 409:
            assert body["error"] == "duplicate"
            assert "token" not in body
    db.session.expire_all()
    rows = db.session.execute(select(Registration).filter_by(meeting_id=meeting.id)).scalars()
    assert [r.email_normalized for r in rows] == ["ana.perez@example.org"]


def test_concurrent_registrations_with_different_emails_all_succeed(app, meeting):
    db.session.commit()
    payloads = [registration_payload(email=f"delegate{i}@example.org") for i in range(20)]
    results = race(app, payloads)

    assert Counter(status for status, _ in results) == {201: 20}, results
    db.session.expire_all()
    count = db.session.execute(select(func.count()).select_from(Registration)).scalar_one()
    assert count == 20


def test_the_unique_constraint_path_answers_409(client, meeting, monkeypatch):
    """Force the race deterministically: the duplicate check misses the winner's row (as when
    both requests check before either commits), so the insert hits the unique constraint."""
    from meetops.registration import services

    first = client.post(URL, json=registration_payload(email="race@example.org"))
    assert first.status_code == 201
    real_find = services.find_by_email
    calls = []

    def find_missing_first(dbs, meeting, email):
        calls.append(email)
        return None if len(calls) == 1 else real_find(dbs, meeting, email)

    monkeypatch.setattr(services, "find_by_email", find_missing_first)
    response = client.post(URL, json=registration_payload(email="RACE@example.org"))
    assert response.status_code == 409, response.get_json()
    assert response.get_json()["error"] == "duplicate"
    assert len(calls) == 2  # the second lookup ran after the constraint refused the insert
    db.session.expire_all()
    count = db.session.execute(select(func.count()).select_from(Registration)).scalar_one()
    assert count == 1


@pytest.fixture
def live_server(tmp_path):
    """gunicorn with two worker processes on the test database's kind (a SQLite file, or a
    PostgreSQL database beside the throwaway test database)."""
    database_url = None
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        database_url = sibling_postgres_database(TEST_DATABASE_URL, "live")
    server = start_server(tmp_path / "live", database_url, workers=2, threads=30)
    yield server
    server.stop()
    if database_url:
        drop_postgres_database(database_url)


@pytest.mark.slow
def test_fifty_concurrent_registrations_at_a_real_server(live_server):
    """The same race over HTTP against gunicorn (two processes, threads): one 201, 49 409."""
    url = live_server.url + URL
    barrier = threading.Barrier(RACERS)

    def post(i: int) -> tuple[int, dict]:
        payload = registration_payload(email=CASES[i % len(CASES)], name=f"Ana Pérez {i}")
        request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        barrier.wait(timeout=30)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            return error.code, json.load(error)

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        results = list(pool.map(post, range(RACERS)))

    assert Counter(status for status, _ in results) == {201: 1, 409: RACERS - 1}, results
    assert {body["error"] for status, body in results if status == 409} == {"duplicate"}
    admin = urllib.request.Request(
        f"{live_server.url}/api/v1/meetings/{DEMO_SLUG}/registrations",
        headers={"Authorization": f"Bearer {live_server.admin_token}"})
    with urllib.request.urlopen(admin, timeout=10) as response:
        listed = json.load(response)
    assert [r["email"].casefold() for r in listed] == ["ana.perez@example.org"]


def test_a_registration_is_one_transaction(client, meeting, monkeypatch):
    """When the confirmation mail cannot be queued, the registration is not kept either: the
    savepoint around the insert must not commit on its own (it did on SQLite)."""
    from meetops.registration import api

    def broken_confirm(*_args, **_kwargs):
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(api.mail, "confirm", broken_confirm)
    response = client.post(URL, json=registration_payload(email="atomic@example.org"))
    assert response.status_code == 500
    db.session.expire_all()
    count = db.session.execute(select(func.count()).select_from(Registration)).scalar_one()
    assert count == 0
