"""Enforcement that does not depend on a browser: concurrent chairs, the limit job, restarts."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from meetops import create_app
from meetops.clock import FrozenClock
from meetops.extensions import db
from meetops.floor import jobs
from meetops.floor import services as fs
from meetops.floor.models import Intervention

from .conftest import bearer


@pytest.fixture
def chair(make_user):
    return make_user("chair")[1]


@pytest.fixture
def base(floor_session):
    return f"/api/v1/sessions/{floor_session.id}/floor"


def queue_up(client, base, speakers, count: int, clock) -> list:
    people = speakers(count)
    for person in people:
        response = client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                               headers=bearer(person.token))
        assert response.status_code == 201
        clock.advance(1)
    return people


@pytest.mark.parametrize("action", ["next", "end"])
def test_simultaneous_chair_actions_change_the_floor_exactly_once(
        app, client, base, speakers, chair, clock, floor_session, action):
    """Eight chairs press the same button at the same version at once: one wins, seven get
    409 stale_version (threads against a real database file, or PostgreSQL)."""
    queue_up(client, base, speakers, 3, clock)
    if action == "end":
        version = client.get(base).get_json()["version"]
        assert client.post(f"{base}/next", json={"version": version},
                           headers=bearer(chair)).status_code == 200
    version = client.get(base).get_json()["version"]
    barrier = threading.Barrier(8)
    results: list = []
    lock = threading.Lock()

    def press():
        own = app.test_client()
        barrier.wait()
        response = own.post(f"{base}/{action}", json={"version": version},
                            headers=bearer(chair))
        with lock:
            results.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=press) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    codes = sorted(code for code, _ in results)
    assert codes == [200] + [409] * 7, results
    assert all(body["error"] == "stale_version" for code, body in results if code == 409)
    final = client.get(base).get_json()
    assert final["version"] == version + 1
    db.session.expire_all()
    ivs = db.session.query(Intervention).filter_by(session_id=floor_session.id).all()
    assert len(ivs) == 1
    assert (ivs[0].ended_at is None) == (action == "next")


def run_at_once(count: int, fn) -> list:
    barrier = threading.Barrier(count)
    results: list = []
    lock = threading.Lock()

    def run():
        barrier.wait()
        outcome = fn()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_simultaneous_asks_by_one_participant_queue_one_request(
        app, client, base, speakers, floor_session):
    (person,) = speakers(1)
    token = person.token

    def ask():
        return app.test_client().post(f"{base}/requests", headers=bearer(token),
                                      json={"kind": "statement", "language": "es"}).status_code

    assert sorted(run_at_once(6, ask)) == [201] + [409] * 5
    assert len(client.get(base).get_json()["queue"]) == 1


def test_concurrent_enforcers_end_the_intervention_once(
        app, client, base, speakers, chair, clock, floor_session):
    """The job, the broadcasters' ticks and readers may all notice the deadline at once."""
    queue_up(client, base, speakers, 1, clock)
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/next", json={"version": version}, headers=bearer(chair))
    clock.advance(200)
    before = fs.get_floor(db.session, floor_session.id, clock.now()).version
    db.session.commit()
    session_id = floor_session.id

    def enforce():
        with app.app_context():
            ended = fs.enforce_due(db.session, session_id, clock.now())
            db.session.commit()
            return ended

    assert sorted(run_at_once(6, enforce)) == [False] * 5 + [True]
    db.session.expire_all()
    assert fs.get_floor(db.session, floor_session.id, clock.now()).version == before + 1
    assert db.session.query(Intervention).one().ended_by == "limit"


def test_the_limit_job_is_armed_moved_and_cancelled(
        app, client, base, speakers, chair, clock, floor_session, monkeypatch):
    from meetops import scheduler

    calls = []
    monkeypatch.setattr(scheduler, "schedule_once",
                        lambda *args, **kw: calls.append(("schedule", *args)))
    monkeypatch.setattr(scheduler, "cancel", lambda job_id: calls.append(("cancel", job_id)))
    queue_up(client, base, speakers, 1, clock)
    job = f"floor-limit-{floor_session.id}"

    def post(action):
        version = client.get(base).get_json()["version"]
        return client.post(f"{base}/{action}", json={"version": version}, headers=bearer(chair))

    calls.clear()
    post("next")
    start = clock.now()
    assert calls == [("schedule", job, "meetops.floor.jobs:enforce_limit",
                      start + timedelta(seconds=180), {"session_id": floor_session.id})]
    clock.advance(30)
    calls.clear()
    post("pause")
    assert calls == [("cancel", job)]
    clock.advance(20)
    calls.clear()
    post("resume")
    assert calls[0][:2] == ("schedule", job)
    assert calls[0][3] == start + timedelta(seconds=200)
    calls.clear()
    post("end")
    assert calls == [("cancel", job)]


def test_queue_actions_leave_the_limit_job_alone(
        app, client, base, speakers, chair, clock, floor_session, monkeypatch):
    """Only a moved hard deadline re-arms the job: closing the list, moving or adding to the
    queue while someone speaks write nothing to the scheduler's job store."""
    from meetops import scheduler

    people = queue_up(client, base, speakers, 3, clock)
    version = client.get(base).get_json()["version"]
    assert client.post(f"{base}/next", json={"version": version},
                       headers=bearer(chair)).status_code == 200
    calls = []
    monkeypatch.setattr(scheduler, "schedule_once", lambda *args, **kw: calls.append(args))
    monkeypatch.setattr(scheduler, "cancel", lambda job_id: calls.append(job_id))
    state = client.get(base).get_json()
    moved = client.post(f"{base}/move", headers=bearer(chair), json={
        "version": state["version"], "request_id": state["queue"][1]["request_id"],
        "to_index": 0})
    assert moved.status_code == 200
    closed = client.post(f"{base}/close", json={"version": moved.get_json()["version"]},
                         headers=bearer(chair))
    assert closed.status_code == 200
    removed = client.delete(f"{base}/requests/{state['queue'][0]['request_id']}"
                            f"?version={closed.get_json()['version']}", headers=bearer(chair))
    assert removed.status_code == 200
    assert calls == [] and len(people) == 3


def test_switching_to_hard_mid_turn_arms_the_limit_and_tells_the_viewers(
        app, client, base, speakers, chair, clock, floor_session, meeting, make_user):
    """The meeting's rules are part of the floor: changing them moves every floor's version,
    and switching to hard enforcement mid-turn ends an overdue speaker at their deadline."""
    _, admin = make_user("admin")
    settings = f"/api/v1/meetings/{meeting.slug}"
    assert client.patch(settings, json={"enforcement": "soft"},
                        headers=bearer(admin)).status_code == 200
    queue_up(client, base, speakers, 1, clock)
    version = client.get(base).get_json()["version"]
    assert client.post(f"{base}/next", json={"version": version},
                       headers=bearer(chair)).status_code == 200
    start = clock.now()
    clock.advance(200)  # soft: overtime
    speaking = client.get(base).get_json()
    assert speaking["current"]["overtime_seconds"] == 20
    assert fs.get_floor(db.session, floor_session.id, clock.now()).limit_due_at is None
    db.session.rollback()
    assert client.patch(settings, json={"warning_seconds": 20},
                        headers=bearer(admin)).status_code == 200
    warned = client.get(base).get_json()
    assert (warned["version"], warned["warning_seconds"]) == (speaking["version"] + 1, 20)
    assert client.patch(settings, json={"enforcement": "hard"},
                        headers=bearer(admin)).status_code == 200
    db.session.expire_all()
    assert fs.get_floor(db.session, floor_session.id, clock.now()).limit_due_at == \
        start + timedelta(seconds=180)
    db.session.rollback()
    ended = client.get(base).get_json()
    assert ended["current"] is None and ended["enforcement"] == "hard"
    assert ended["done"][-1]["ended_by"] == "limit"
    assert ended["done"][-1]["spoken_seconds"] == 180


def test_the_job_ends_the_intervention_at_its_deadline_and_is_idempotent(
        app, client, base, speakers, chair, clock, floor_session):
    queue_up(client, base, speakers, 1, clock)
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/next", json={"version": version}, headers=bearer(chair))
    start = clock.now()
    clock.advance(100)
    assert jobs.enforce_limit(floor_session.id) is False  # too early: nothing happens
    clock.advance(80.5)
    assert jobs.enforce_limit(floor_session.id) is True
    assert jobs.enforce_limit(floor_session.id) is False
    db.session.expire_all()
    iv = db.session.query(Intervention).one()
    assert (iv.ended_at, iv.ended_by) == (start + timedelta(seconds=180), "limit")


def test_the_job_opens_its_own_app_context(
        app, client, base, speakers, chair, clock, floor_session, database_url, monkeypatch):
    """The scheduler's runner calls the job with no app context: it builds the app from the
    environment (here: the test database and a clock already past the deadline)."""
    queue_up(client, base, speakers, 1, clock)
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/next", json={"version": version}, headers=bearer(chair))
    start = clock.now()
    monkeypatch.setenv("MEETOPS_DATABASE_URL", database_url)
    monkeypatch.setenv("MEETOPS_SECRET_KEY", "test-only-key")
    monkeypatch.setenv("MEETOPS_CLOCK_START", fs.iso_ms(start + timedelta(seconds=190)))
    outcome = []
    session_id = floor_session.id
    worker = threading.Thread(target=lambda: outcome.append(jobs.enforce_limit(session_id)))
    worker.start()
    worker.join(timeout=30)
    assert outcome == [True]
    db.session.expire_all()
    iv = db.session.query(Intervention).one()
    assert (iv.ended_at, iv.ended_by) == (start + timedelta(seconds=180), "limit")


def _restarted(app, clock) -> object:
    """A new app instance on the same database, as after a restart of the server."""
    return create_app({
        "TESTING": True, "SECRET_KEY": "test-only-key", "MEETOPS_CLOCK": clock,
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "WTF_CSRF_ENABLED": False, "SERVER_NAME": "meetops.test"})


@pytest.mark.parametrize("downtime, speaking", [(60, True), (400, False)])
def test_a_restart_mid_intervention_continues_or_has_ended_at_the_limit(
        app, client, base, speakers, chair, clock, floor_session, downtime, speaking):
    queue_up(client, base, speakers, 2, clock)
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/next", json={"version": version}, headers=bearer(chair))
    start = clock.now()
    clock.advance(50)
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/pause", json={"version": version}, headers=bearer(chair))
    clock.advance(10)
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/resume", json={"version": version}, headers=bearer(chair))
    db.session.remove()
    db.engine.dispose()  # the old process is gone

    later = FrozenClock(clock.now() + timedelta(seconds=downtime))
    second = _restarted(app, later)
    with second.app_context():
        state = second.test_client().get(base).get_json()
        if speaking:
            current = state["current"]
            assert current["state"] == "speaking"
            assert current["elapsed_seconds"] == 50 + downtime
            assert current["remaining_seconds"] == 180 - 50 - downtime
            assert current["deadline_at"] == fs.iso_ms(start + timedelta(seconds=190))
            later.advance(180)
            state = second.test_client().get(base).get_json()
        assert state["current"] is None
        (done,) = state["done"]
        assert done["ended_by"] == "limit"
        assert done["ended_at"] == fs._iso(start + timedelta(seconds=190))
        assert done["spoken_seconds"] == 180
        assert len(state["queue"]) == 1  # the next speaker waits for the chair
        db.session.remove()
        db.engine.dispose()
