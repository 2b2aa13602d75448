"""When the database is unreachable or locked: a clear 503, and nothing half written."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import event

from meetops import create_app
from meetops.extensions import db
from meetops.registration.models import Registration

from .conftest import DEMO_SLUG, registration_payload


def test_unreachable_database_gives_503_in_the_users_language(tmp_path):
    app = create_app({"SECRET_KEY": "k", "TESTING": True, "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp_path}/missing-dir/nothing.sqlite"})
    client = app.test_client()
    response = client.get(f"/api/v1/meetings/{DEMO_SLUG}?lang=es")
    assert response.status_code == 503
    assert response.get_json() == {
        "error": "unavailable",
        "message": "El servicio no está disponible por el momento. Inténtelo de nuevo en unos "
                   "instantes."}
    page = client.get("/?lang=en")
    assert page.status_code == 503
    assert "temporarily unavailable" in page.get_data(as_text=True)


def test_locked_database_gives_503_and_writes_nothing(app, client, meeting, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite file locking")
    path = database_url.removeprefix("sqlite:///")
    blocker = sqlite3.connect(path, timeout=0.1)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        engine = db.engine
        engine.pool.dispose()  # new connections wait 0.1 s for the lock, not 10 s

        @event.listens_for(engine, "connect")
        def short_timeout(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA busy_timeout=100")

        response = client.post(f"/api/v1/meetings/{DEMO_SLUG}/registrations",
                               json=registration_payload())
        assert response.status_code == 503
        assert response.get_json()["error"] == "unavailable"
    finally:
        blocker.rollback()
        blocker.close()
    db.session.remove()
    assert db.session.query(Registration).count() == 0
