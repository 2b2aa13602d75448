"""Fixtures: an app on a fresh database with a frozen clock, clients, factories."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import event

from meetops import create_app
from meetops.auth.services import create_user
from meetops.clock import FrozenClock
from meetops.extensions import db
from meetops.meetings.services import demo_data, load_meeting

DEMO_SLUG = "pac-support-platform-2025"
#: a moment when registration for the demo meeting is open
OPEN_INSTANT = datetime(2025, 11, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(OPEN_INSTANT)


#: a throwaway PostgreSQL database for the whole run (``make test-postgres``), else SQLite
TEST_DATABASE_URL = os.environ.get("MEETOPS_TEST_DATABASE_URL")


@pytest.fixture(scope="session", autouse=True)
def _fresh_test_database():
    """On PostgreSQL, start the run from an empty ``public`` schema: tables or an
    ``alembic_version`` left by an interrupted run (or another branch's models) would make
    ``drop_all``/``create_all`` fail or hide a missing migration. The database named by
    ``MEETOPS_TEST_DATABASE_URL`` is therefore a throwaway one, never a real one."""
    if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"):
        from sqlalchemy import create_engine

        engine = create_engine(TEST_DATABASE_URL)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
        engine.dispose()
    yield


@pytest.fixture
def database_url(tmp_path) -> str:
    return TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite'}"


class IsolatedClient(FlaskClient):
    """Each request gets its own application context (its own ``g`` and database session),
    as in production, even though the test itself holds one open."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def app(tmp_path, clock, database_url):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-only-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MEETOPS_CLOCK": clock,
        "MEETOPS_SMTP_URL": None,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": "meetops.test",
        # limits are on, as in production, but too high to matter unless a test lowers them
        "MEETOPS_LIMIT_REGISTRATION": "100000 per minute",
        "MEETOPS_LIMIT_TOKEN": "100000 per minute",
        "MEETOPS_LIMIT_SIGN_IN": "100000 per minute",
        "MEETOPS_LIMIT_FLOOR_REQUEST": "100000 per minute",
    })
    app.instance_path = str(tmp_path)
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        broadcaster = app.extensions.get("meetops.floor.broadcaster")
        if broadcaster is not None:  # a stream started it: stop it before the tables go
            broadcaster.stop()
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def meeting(app):
    meeting, _ = load_meeting(db.session, demo_data())
    db.session.commit()
    return meeting


@pytest.fixture
def make_user(app, clock):
    """``make_user("chair")`` -> (user, token)."""
    counter = iter(range(1, 10_000))

    def make(role: str, password: str | None = None):
        user, token = create_user(db.session, f"{role}{next(counter)}@example.org", role,
                                  now=clock.now(), password=password)
        db.session.commit()
        return user, token

    return make


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def registration_payload(**overrides) -> dict:
    data = {
        "name": "María José Núñez",
        "email": "maria.nunez@example.org",
        "organization": "Ministerio de Relaciones Exteriores",
        "position": "Directora",
        "category": "lac_state",
        "country": "CL",
        "language": "es",
        "consent": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def register(client, meeting):
    """Register through the API; returns the 201 body."""
    counter = iter(range(1, 10_000))

    def do(**overrides):
        overrides.setdefault("email", f"participant{next(counter)}@example.org")
        response = client.post(f"/api/v1/meetings/{DEMO_SLUG}/registrations",
                               json=registration_payload(**overrides))
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    return do


def wall(*args) -> datetime:
    """A naive wall-clock time, as a person types it (to be read in a meeting's zone)."""
    return datetime(*args)  # noqa: DTZ001


def santiago(*args) -> datetime:
    """The UTC instant of a wall-clock time in Santiago de Chile."""
    from meetops.timezones import to_utc

    return to_utc(wall(*args), "America/Santiago")


#: a moment during the demo meeting's first session (27 November 2025, 11:30 Santiago)
IN_SESSION = datetime(2025, 11, 27, 14, 30, tzinfo=UTC)


@pytest.fixture
def floor_session(meeting, clock):
    """The demo meeting's first session, with the clock inside it."""
    clock.set(IN_SESSION)
    return meeting.sessions[0]


@pytest.fixture
def speakers(app, meeting, clock):
    """``speakers(3)`` -> three registrations (rows) of the demo meeting, made directly."""
    from meetops.registration.services import register as do_register

    counter = iter(range(1, 10_000))

    def make(count: int = 1, **overrides):
        made = []
        for _ in range(count):
            n = next(counter)
            data = registration_payload(**{"email": f"speaker{n}@example.org",
                                           "name": f"Speaker {n}", **overrides})
            made.append(do_register(db.session, meeting, data, now=OPEN_INSTANT))
        db.session.commit()
        return made

    return make


def count_queries(action) -> tuple[int, object]:
    """(statements the database ran during ``action()``, what ``action()`` returned)."""
    count = 0

    def counter(*_args):
        nonlocal count
        count += 1

    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        result = action()
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    return count, result
