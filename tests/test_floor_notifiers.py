"""Live updates across instances: a change committed through one app instance wakes another
instance's broadcaster at once (PostgreSQL LISTEN/NOTIFY, Redis pub/sub), not at its next poll.

The cross-instance tests set every poll interval to 30 s, so only a notification can deliver
the change within the half-second they allow."""

from __future__ import annotations

import time

import pytest

from meetops import create_app
from meetops.extensions import db
from meetops.floor import notifiers, services
from meetops.floor.broadcast import get_broadcaster
from meetops.floor.notifiers import (
    PollingNotifier,
    PostgresNotifier,
    RedisNotifier,
    make_notifier,
    psycopg_conninfo,
)

from .conftest import TEST_DATABASE_URL, bearer

REDIS_URL = "redis://127.0.0.1:6379/15"
#: the push must beat this by far: every poll waits 30 s
PROMPT = 0.5
SLOW_POLL = 30.0


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


def on_postgresql() -> bool:
    return bool(TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql"))


# --- choosing a notifier -------------------------------------------------------------------


def test_the_notifier_follows_the_configuration():
    sqlite = {"SQLALCHEMY_DATABASE_URI": "sqlite:///x.sqlite"}
    pg = {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres:pw@127.0.0.1:5432/m"}

    class App:  # make_notifier reads only the configuration
        def __init__(self, **config):
            self.config = config

    assert type(make_notifier(App(**sqlite, MEETOPS_FLOOR_TICK_SECONDS=0.1))) \
        is PollingNotifier
    listener = make_notifier(App(**pg, MEETOPS_FLOOR_SAFETY_POLL_SECONDS=7))
    assert isinstance(listener, PostgresNotifier) and listener.safety == 7
    assert listener.conninfo == "postgresql://postgres:pw@127.0.0.1:5432/m"
    redis_one = make_notifier(App(**pg, MEETOPS_REDIS_URL=REDIS_URL))
    assert isinstance(redis_one, RedisNotifier) and redis_one.url == REDIS_URL
    custom = make_notifier(App(**pg, MEETOPS_FLOOR_NOTIFIER=f"{__name__}:custom_notifier"))
    assert isinstance(custom, PollingNotifier) and custom.interval == 42
    assert psycopg_conninfo("postgresql+psycopg://u@h/db") == "postgresql://u@h/db"


def custom_notifier(app):
    return PollingNotifier(42)


def test_a_push_notifier_polls_slowly_only_while_connected():
    notifier = PostgresNotifier("postgresql://nobody@127.0.0.1:1/none", safety=30, fallback=0.01)
    started = time.monotonic()
    notifier.wait()  # cannot connect: the fallback poll, not 30 s
    assert time.monotonic() - started < 5
    assert not notifier.connected.is_set()
    notifier.close()


# --- announcing ----------------------------------------------------------------------------


class CountingNotifier(PollingNotifier):
    def __init__(self, app=None):
        super().__init__(60)
        self.pokes = 0

    def poke(self):
        self.pokes += 1
        super().poke()


def test_a_committed_change_wakes_the_local_broadcaster_and_a_rolled_back_one_does_not(
        app, floor_session, clock):
    app.config["MEETOPS_FLOOR_NOTIFIER"] = f"{__name__}:CountingNotifier"
    notifier = get_broadcaster(app).notifier
    services.get_floor(db.session, floor_session.id, clock.now())
    db.session.commit()
    assert services._cas(db.session, floor_session.id, None, clock.now())
    db.session.rollback()
    assert notifier.pokes == 0
    assert notifiers.PENDING not in db.session.info
    assert services._cas(db.session, floor_session.id, None, clock.now())
    db.session.commit()
    assert notifier.pokes == 1


# --- across instances ----------------------------------------------------------------------


@pytest.fixture
def second_instance(app, clock):
    """Another app instance on the same database (as a second gunicorn instance would be)."""
    other = create_app({
        "TESTING": True, "SECRET_KEY": "test-only-key",
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEETOPS_CLOCK": clock, "WTF_CSRF_ENABLED": False, "SERVER_NAME": "meetops.test",
        "MEETOPS_REDIS_URL": app.config.get("MEETOPS_REDIS_URL"),
        "MEETOPS_LIMIT_FLOOR_REQUEST": "100000 per minute",
    })
    other.instance_path = app.instance_path
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def watch(app, session_id: int, clock):
    """Start ``app``'s broadcaster with its automatic notifier, all polls at 30 s; a
    subscriber at the current version."""
    app.config["MEETOPS_FLOOR_TICK_SECONDS"] = SLOW_POLL
    app.config["MEETOPS_FLOOR_SAFETY_POLL_SECONDS"] = SLOW_POLL
    version = services.get_floor(db.session, session_id, clock.now()).version
    db.session.commit()
    broadcaster = get_broadcaster(app)
    subscriber = broadcaster.subscribe(session_id, version)
    assert broadcaster.notifier.connected.wait(10), "the listener did not connect"
    time.sleep(0.1)  # the tick that follows the connection
    assert subscriber.queue.empty()
    return broadcaster, subscriber, version


def ask_and_time_the_event(other, subscriber, session_id: int, token: str) -> tuple:
    client = other.test_client()
    response = client.post(f"/api/v1/sessions/{session_id}/floor/requests",
                           json={"kind": "statement", "language": "es"}, headers=bearer(token))
    committed = time.monotonic()
    assert response.status_code == 201, response.get_json()
    event = subscriber.queue.get(timeout=5)
    return time.monotonic() - committed, event, response.get_json()


def assert_prompt_delivery(app, other, floor_session, speakers, clock, kind):
    (person,) = speakers(1)
    broadcaster, subscriber, version = watch(app, floor_session.id, clock)
    assert type(broadcaster.notifier) is kind
    reader = app.test_client()
    floor_url = f"/api/v1/sessions/{floor_session.id}/floor"
    assert reader.get(floor_url).get_json()["version"] == version  # now in this app's cache
    hits = broadcaster.cache.hits
    assert reader.get(floor_url).get_json()["version"] == version
    assert broadcaster.cache.hits == hits + 1
    received = broadcaster.notifier.received
    latency, event, body = ask_and_time_the_event(other, subscriber, floor_session.id,
                                                  person.token)
    assert latency < PROMPT, f"delivered after {latency:.3f} s"
    assert f'"request_id":{body["request_id"]}' in event
    assert f"id: {version + 1}\n" in event
    assert broadcaster.notifier.received > received
    # the other instance's change dropped the cached state (the frozen clock never ages it)
    fresh = reader.get(floor_url).get_json()
    assert fresh["version"] == version + 1 and len(fresh["queue"]) == 1
    # a chair's action next, still prompt (the listener keeps listening)
    token = chair_token(app)
    started = time.monotonic()
    response = other.test_client().post(f"/api/v1/sessions/{floor_session.id}/floor/next",
                                        json={"version": version + 1}, headers=bearer(token))
    assert response.status_code == 200, response.get_json()
    assert '"current":{' in subscriber.queue.get(timeout=5)
    assert time.monotonic() - started < PROMPT
    broadcaster.stop()


def chair_token(app) -> str:
    from meetops.auth.services import create_user

    _, token = create_user(db.session, f"chair-{time.monotonic_ns()}@example.org", "chair",
                           now=app.config["MEETOPS_CLOCK"].now())
    db.session.commit()
    return token


@pytest.mark.skipif(not on_postgresql(), reason="MEETOPS_TEST_DATABASE_URL is not PostgreSQL")
def test_listen_notify_wakes_another_instance_at_once(app, second_instance, floor_session,
                                                      speakers, clock):
    assert_prompt_delivery(app, second_instance, floor_session, speakers, clock,
                           PostgresNotifier)


@pytest.mark.skipif(not on_postgresql(), reason="MEETOPS_TEST_DATABASE_URL is not PostgreSQL")
def test_a_rolled_back_change_notifies_nobody(app, second_instance, floor_session, speakers,
                                              clock):
    (person,) = speakers(1)
    broadcaster, subscriber, version = watch(app, floor_session.id, clock)
    client = second_instance.test_client()
    closed = client.post(f"/api/v1/sessions/{floor_session.id}/floor/close",
                         json={"version": version}, headers=bearer(chair_token(app)))
    assert closed.status_code == 200
    assert '"list_closed":true' in subscriber.queue.get(timeout=PROMPT)
    time.sleep(0.2)
    received = broadcaster.notifier.received
    # the ask bumps the version, then is refused: the transaction, NOTIFY included, is undone
    refused = client.post(f"/api/v1/sessions/{floor_session.id}/floor/requests",
                          json={"kind": "statement", "language": "es"},
                          headers=bearer(person.token))
    assert refused.status_code == 403
    time.sleep(0.5)
    assert broadcaster.notifier.received == received
    assert subscriber.queue.empty()
    broadcaster.stop()


@pytest.fixture
def redis_app(app):
    if not redis_reachable():
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    app.config["MEETOPS_REDIS_URL"] = REDIS_URL
    return app


def test_redis_pubsub_wakes_another_instance_at_once(redis_app, second_instance,
                                                     floor_session, speakers, clock):
    assert second_instance.config["MEETOPS_REDIS_URL"] == REDIS_URL
    assert_prompt_delivery(redis_app, second_instance, floor_session, speakers, clock,
                           RedisNotifier)


def test_the_broadcaster_wakes_for_the_next_hard_deadline_even_with_a_slow_poll(
        app, client, floor_session, speakers, make_user, clock):
    from meetops.floor.broadcast import Broadcaster

    (person,) = speakers(1)
    chair = make_user("chair")[1]
    base = f"/api/v1/sessions/{floor_session.id}/floor"
    client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                headers=bearer(person.token))
    version = client.get(base).get_json()["version"]
    speaking = client.post(f"{base}/next", json={"version": version}, headers=bearer(chair))
    limit = speaking.get_json()["current"]["limit_seconds"]
    broadcaster = Broadcaster(app, PollingNotifier(SLOW_POLL), autostart=False)
    broadcaster.tick()
    assert broadcaster._until_next_due() == pytest.approx(limit, abs=0.1)
    clock.advance(limit - 10)
    assert broadcaster._until_next_due() == pytest.approx(10, abs=0.1)
    # a deadline this tick cannot end (enforcement off here) must not make the thread spin
    clock.advance(20)
    idle = Broadcaster(app, PollingNotifier(SLOW_POLL), enforce=False, autostart=False)
    idle.tick()
    assert idle._until_next_due() is None
