"""The clock, configuration, CLI, migrations and the translation catalog."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from meetops import create_app
from meetops.auth.models import User
from meetops.auth.services import hash_token
from meetops.clock import FrozenClock, OffsetClock, clock_from_config, parse_instant
from meetops.config import ensure_secret_key
from meetops.extensions import db
from meetops.meetings.models import Meeting, MeetingSession
from meetops.timezones import LocalTimeError, iso_local, to_utc

from .conftest import wall

CATALOG = Path(__file__).parents[1] / "meetops" / "translations" / "es" / "LC_MESSAGES"


def test_offset_clock_starts_at_the_given_instant_and_runs():
    clock = clock_from_config("2025-11-27T11:00:00-03:00")
    assert isinstance(clock, OffsetClock)
    first = clock.now()
    assert abs(first - datetime(2025, 11, 27, 14, 0, tzinfo=UTC)) < timedelta(seconds=1)
    time.sleep(0.05)
    assert clock.now() > first
    assert clock.now().tzinfo is UTC


def test_clock_start_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MEETOPS_CLOCK_START", "2025-11-21T23:59:00-03:00")
    monkeypatch.setenv("MEETOPS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    app = create_app({"SECRET_KEY": "k"})
    with app.app_context():
        from meetops.clock import now
        assert abs(now() - datetime(2025, 11, 22, 2, 59, tzinfo=UTC)) < timedelta(seconds=5)


def test_clock_start_needs_an_offset():
    with pytest.raises(ValueError):
        parse_instant("2025-11-27T11:00:00")


def test_frozen_clock_moves_only_when_told():
    clock = FrozenClock(datetime(2025, 1, 1, tzinfo=UTC))
    assert clock.now() == clock.now()
    clock.advance(90)
    assert clock.now() == datetime(2025, 1, 1, 0, 1, 30, tzinfo=UTC)


def test_santiago_conversions_use_localize():
    assert to_utc(wall(2025, 11, 27, 11, 0), "America/Santiago") == datetime(
        2025, 11, 27, 14, 0, tzinfo=UTC)
    assert iso_local(datetime(2025, 11, 27, 14, 0, tzinfo=UTC), "America/Santiago") == \
        "2025-11-27T11:00:00-03:00"
    with pytest.raises(LocalTimeError) as gap:  # clocks jump from 00:00 to 01:00
        to_utc(wall(2025, 9, 7, 0, 30), "America/Santiago")
    assert gap.value.kind == "nonexistent"
    with pytest.raises(LocalTimeError) as fold:  # 23:30 happens twice on 5 April 2025
        to_utc(wall(2025, 4, 5, 23, 30), "America/Santiago")
    assert fold.value.kind == "ambiguous"


def test_secret_key_generated_once_into_instance(tmp_path):
    first = ensure_secret_key(str(tmp_path))
    assert len(first) == 64
    assert ensure_secret_key(str(tmp_path)) == first
    assert oct(os.stat(tmp_path / "secret_key").st_mode & 0o777) == "0o600"


def test_app_without_secret_key_generates_one(tmp_path, monkeypatch):
    monkeypatch.delenv("MEETOPS_SECRET_KEY", raising=False)
    monkeypatch.setenv("MEETOPS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    app = create_app()
    key_file = Path(app.instance_path) / "secret_key"
    assert key_file.exists() and app.config["SECRET_KEY"] == key_file.read_text().strip()


def test_load_demo_is_idempotent(runner, app):
    first = runner.invoke(args=["meetops", "load-demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["meetops", "load-demo"])
    assert second.exit_code == 0 and "Already loaded" in second.output
    assert db.session.query(Meeting).count() == 1
    sessions = db.session.query(MeetingSession).order_by(MeetingSession.starts_at).all()
    assert [(s.starts_at, s.ends_at) for s in sessions] == [
        (datetime(2025, 11, 27, 14, tzinfo=UTC), datetime(2025, 11, 27, 17, tzinfo=UTC)),
        (datetime(2025, 11, 28, 14, tzinfo=UTC), datetime(2025, 11, 28, 17, tzinfo=UTC)),
    ]
    meeting = db.session.query(Meeting).one()
    assert meeting.registration_opens_at == datetime(2025, 10, 27, 3, tzinfo=UTC)
    assert meeting.registration_closes_at == datetime(2025, 11, 22, 2, 59, 59, tzinfo=UTC)
    assert (meeting.intervention_seconds, meeting.warning_seconds, meeting.enforcement) == (
        180, 30, "hard")


def test_add_user_prints_token_last_and_stores_only_its_hash(runner, app):
    result = runner.invoke(args=["meetops", "add-user", "Chair@Example.org", "--role", "chair"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("mo_") and " " not in token
    user = db.session.query(User).one()
    assert user.email == "chair@example.org" and user.role == "chair"
    assert user.token_hash == hash_token(token) and token not in (user.token_hash or "")
    again = runner.invoke(args=["meetops", "add-user", "chair@example.org", "--role", "chair"])
    assert again.exit_code != 0
    bad_role = runner.invoke(args=["meetops", "add-user", "x@example.org", "--role", "king"])
    assert bad_role.exit_code != 0


def test_migrations_build_the_same_schema_as_the_models(tmp_path):
    """``db upgrade`` on a new database, then Alembic finds nothing left to migrate."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from flask_migrate import upgrade

    url = os.environ.get("MEETOPS_TEST_DATABASE_URL") or f"sqlite:///{tmp_path / 'm.sqlite'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "k"})
    with app.app_context():
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
        assert diff == []
        db.drop_all()
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE alembic_version")
        db.engine.dispose()


def test_spanish_catalog_is_complete_and_compiled():
    """Fails when a string has no Spanish translation, is fuzzy, or the .mo is stale."""
    with open(CATALOG / "messages.po", "rb") as fh:
        catalog = read_po(fh)
    missing = [m.id for m in catalog if m.id and (
        not m.string or (isinstance(m.string, tuple) and not all(m.string)))]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert missing == [] and fuzzy == []
    import io
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    assert (CATALOG / "messages.mo").read_bytes() == compiled.getvalue(), \
        "run `make translations` to recompile messages.mo"


def test_every_string_in_the_code_is_in_the_catalog(tmp_path):
    """Extract the strings again: none may be missing from messages.po."""
    from babel.messages.frontend import CommandLineInterface

    root = Path(__file__).parents[1]
    pot = tmp_path / "fresh.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"),
                                "-k", "_l", "-k", "lazy_gettext", "-o", str(pot),
                                "--no-location", str(root)])
    with open(pot, "rb") as fh:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    with open(CATALOG / "messages.po", "rb") as fh:
        have = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    assert len(wanted) > 100  # the extraction itself worked
    assert sorted(wanted - have) == []


@pytest.mark.parametrize("url", ["/", "/meetings/pac-support-platform-2025/register", "/login"])
def test_pages_in_both_languages(client, meeting, url):
    for lang, word in (("es", 'lang="es"'), ("en", 'lang="en"')):
        response = client.get(url, headers={"Accept-Language": lang})
        assert response.status_code == 200
        assert f"<html {word}" in response.get_data(as_text=True)
