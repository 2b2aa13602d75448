"""Each process's cache of floor states (meetops/floor/cache.py): served only while a push
notifier is connected, dropped by every change of this process (at its commit) and of the
others (at their notification), never past its age, a hard deadline, or a version a client has
already seen; a cached state reads exactly as a state built from the database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from meetops.extensions import db
from meetops.floor import services
from meetops.floor.broadcast import EXTENSION, Broadcaster
from meetops.floor.cache import StateCache
from meetops.floor.notifiers import PollingNotifier, PushNotifier

from .conftest import bearer, count_queries


class ConnectedNotifier(PushNotifier):
    """A push notifier whose listener is 'connected' and whose notifications the test sends
    by hand (:meth:`notified`), standing in for PostgreSQL LISTEN or Redis pub/sub."""

    name = "test"

    def __init__(self) -> None:
        super().__init__(safety=60, fallback=60)
        self.connected.set()

    def start(self) -> None:  # no listener thread: the test is the listener
        pass


@pytest.fixture
def live(app):
    """The app with a broadcaster whose notifier is connected: its cache is served."""
    notifier = ConnectedNotifier()
    broadcaster = app.extensions[EXTENSION] = Broadcaster(app, notifier, autostart=False)
    yield broadcaster
    app.extensions.pop(EXTENSION, None)


@pytest.fixture
def busy(client, floor_session, speakers, make_user):
    """Someone speaking, two waiting; returns (chair token, floor URL)."""
    chair = make_user("chair")[1]
    base = f"/api/v1/sessions/{floor_session.id}/floor"
    for person in speakers(3):
        assert client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                           headers=bearer(person.token)).status_code == 201
    version = client.get(base).get_json()["version"]
    assert client.post(f"{base}/next", json={"version": version},
                       headers=bearer(chair)).status_code == 200
    return chair, base


def bump_elsewhere(session_id: int) -> None:
    """Another instance changes the floor: a commit this process's hooks do not see."""
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE floor_states SET version = version + 1, "
                                "list_closed = :closed WHERE session_id = :id"),
                           {"closed": True, "id": session_id})


def test_a_repeated_read_costs_no_query_and_reads_as_a_fresh_build(
        live, client, busy, floor_session, clock):
    _chair, base = busy
    first = client.get(base)
    assert first.status_code == 200
    clock.advance(0.73)
    queries, again = count_queries(lambda: client.get(base))
    assert queries == 0
    assert again.status_code == 200 and again.headers["ETag"] == first.headers["ETag"]
    cached = again.get_json()
    assert cached["current"]["elapsed_ms"] == first.get_json()["current"]["elapsed_ms"] + 730
    # exactly what the database gives at the same instant
    with client.application.app_context():
        built = services.state_dict(db.session, db.session.merge(floor_session), clock.now())
    assert cached == built
    queries, not_modified = count_queries(lambda: client.get(
        base, headers={"If-None-Match": first.headers["ETag"]}))
    assert (queries, not_modified.status_code) == (0, 304)


def test_polling_serves_no_cache(app, client, busy):
    _chair, base = busy
    app.extensions[EXTENSION] = Broadcaster(app, PollingNotifier(60), autostart=False)
    client.get(base)
    queries, response = count_queries(lambda: client.get(base))
    assert response.status_code == 200 and queries > 0


def test_a_change_in_this_process_is_read_at_once(live, client, busy):
    chair, base = busy
    before = client.get(base).get_json()
    paused = client.post(f"{base}/pause", json={"version": before["version"]},
                         headers=bearer(chair))
    assert paused.status_code == 200
    after = client.get(base).get_json()
    assert after["version"] == paused.get_json()["version"] == before["version"] + 1
    assert after["current"]["state"] == "paused"


def test_a_change_elsewhere_is_read_once_notified(live, client, busy, floor_session):
    _chair, base = busy
    seen = client.get(base).get_json()
    bump_elsewhere(floor_session.id)
    # not told yet: the cached state (within its second), as a poll would have been
    assert client.get(base).get_json()["version"] == seen["version"]
    live.notifier.notified(str(floor_session.id))  # the NOTIFY / pub/sub message
    fresh = client.get(base).get_json()
    assert fresh["version"] == seen["version"] + 1 and fresh["list_closed"] is True


def test_a_client_that_saw_a_newer_version_is_not_served_an_older_one(
        live, client, busy, floor_session):
    _chair, base = busy
    first = client.get(base)
    bump_elsewhere(floor_session.id)
    newer = first.headers["ETag"].replace(f"-{first.get_json()['version']}-",
                                          f"-{first.get_json()['version'] + 1}-")
    response = client.get(base, headers={"If-None-Match": newer})
    assert response.status_code == 304  # (the database's state is the one they saw)
    assert response.headers["ETag"] == newer
    older = client.get(base, headers={"If-None-Match": first.headers["ETag"]})
    assert older.status_code == 200 and older.get_json()["list_closed"] is True


def test_an_entry_lives_one_second_then_the_database_is_read(live, client, busy, clock):
    _chair, base = busy
    client.get(base)
    clock.advance(0.999)
    assert count_queries(lambda: client.get(base))[0] == 0
    clock.advance(0.001)
    assert count_queries(lambda: client.get(base))[0] > 0


def test_the_hard_limit_ends_the_turn_through_a_cached_read(live, client, busy, clock):
    _chair, base = busy
    state = client.get(base).get_json()
    deadline = state["current"]["deadline_at"]
    clock.advance(state["current"]["remaining_seconds"] - 0.5)
    assert client.get(base).get_json()["current"] is not None  # (rebuilt: over a second)
    clock.advance(0.4)
    assert count_queries(lambda: client.get(base))[0] == 0
    clock.advance(0.1)  # the deadline: the cached entry is not served, the turn ends
    ended = client.get(base).get_json()
    assert ended["current"] is None and ended["version"] == state["version"] + 1
    assert ended["done"][-1]["ended_by"] == "limit"
    assert ended["done"][-1]["ended_at"] == deadline[:19] + "Z"


def test_many_viewers_connecting_cost_one_build(live, app, client, busy, monkeypatch,
                                                floor_session):
    _chair, _base = busy
    builds = 0
    real = services.build_state

    def counting(*args):
        nonlocal builds
        builds += 1
        return real(*args)

    monkeypatch.setattr(services, "build_state", counting)
    streams = [client.get(f"/sessions/{floor_session.id}/floor/stream") for _ in range(20)]
    try:
        firsts = [next(iter(s.response)) for s in streams]
        assert builds == 1
        assert all(b"\"version\"" in (f if isinstance(f, bytes) else f.encode())
                   for f in firsts)
    finally:
        for stream in streams:
            stream.close()


def test_a_chair_action_reads_the_state_it_acts_on_from_the_cache(live, client, busy):
    chair, base = busy
    version = client.get(base).get_json()["version"]
    cached, _ = count_queries(lambda: client.post(f"{base}/pause", json={"version": version},
                                                  headers=bearer(chair)))
    version = client.get(base).get_json()["version"]
    live.cache.invalidate()
    uncached, response = count_queries(lambda: client.post(
        f"{base}/resume", json={"version": version}, headers=bearer(chair)))
    assert response.status_code == 200
    assert cached < uncached, (cached, uncached)


def test_reconnecting_forgets_every_entry(live, client, busy, floor_session):
    _chair, base = busy
    client.get(base)
    bump_elsewhere(floor_session.id)
    live.notifier.connected.clear()  # the listener lost its connection: nothing is served
    assert client.get(base).get_json()["list_closed"] is True
    live.notifier._subscribed()  # connected again (notifications may have been missed)
    assert live.notifier.live and client.get(base).get_json()["list_closed"] is True


def test_the_broadcaster_drops_an_entry_behind_the_database(live, client, busy, floor_session):
    _chair, base = busy
    client.get(base)
    bump_elsewhere(floor_session.id)  # and the notification is lost
    live.tick()
    assert client.get(base).get_json()["list_closed"] is True


# --- the cache itself ----------------------------------------------------------------------


def state(version: int, session_id: int = 7) -> dict:
    return {"session_id": session_id, "version": version, "server_now": None,
            "limit_seconds": 180, "warning_seconds": 30, "enforcement": "hard",
            "list_closed": False, "current": None, "queue": [], "done": []}


def test_a_build_overtaken_by_a_change_is_not_kept(clock):
    cache = StateCache(1.0, lambda: True)
    token = cache.token(7)
    cache.invalidate(7)  # a notification arrives while the state is being built
    assert cache.store(token, state(3), None, clock.now()) is None
    assert cache.get(7, clock.now()) is None
    assert cache.store(cache.token(7), state(4), None, clock.now()) is not None
    assert cache.store(cache.token(7), state(3), None, clock.now()) is None  # never back
    assert cache.get(7, clock.now()).version == 4
    assert cache.get(7, clock.now(), min_version=5) is None
    cache.invalidate()  # every floor
    assert cache.get(7, clock.now()) is None


def test_no_cache_when_off_or_not_live(clock):
    assert StateCache(0, lambda: True).store((0, 0), state(1), None, clock.now()) is None
    dark = StateCache(1.0, lambda: False)
    dark.store(dark.token(7), state(1), None, clock.now())
    assert dark.get(7, clock.now()) is None


def test_an_entry_is_not_served_before_it_was_built(clock):
    cache = StateCache(1.0, lambda: True)
    cache.store(cache.token(7), state(1), None, clock.now())
    assert cache.get(7, clock.now() - timedelta(milliseconds=1)) is None


@pytest.mark.parametrize("header", ['"nZ[", W/""', 'W/"floor-1-99999999999999-x"', "*", '""'])
def test_odd_if_none_match_headers_are_answered(client, floor_session, header):
    response = client.get(f"/api/v1/sessions/{floor_session.id}/floor",
                          headers={"If-None-Match": header})
    assert response.status_code in (200, 304)
