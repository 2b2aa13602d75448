"""The live stream: one broadcaster per process, SSE, and two processes on one database."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from meetops.extensions import db
from meetops.floor.broadcast import Broadcaster, PollingNotifier, get_broadcaster

from .conftest import bearer

ROOT = Path(__file__).parents[1]


def sse_states(chunks, until, timeout: float = 10.0) -> dict:
    """Read events from an iterator of text chunks until ``until(state)``; the state."""
    buffer = ""
    limit = time.monotonic() + timeout
    for chunk in chunks:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            data = [line[5:].strip() for line in block.splitlines() if line.startswith("data:")]
            if data:
                state = json.loads("".join(data))
                if until(state):
                    return state
        if time.monotonic() > limit:
            break
    raise AssertionError("the expected floor state never came")


@pytest.fixture
def live_app(app):
    app.config["MEETOPS_FLOOR_HEARTBEAT_SECONDS"] = 0.2
    app.config["MEETOPS_FLOOR_TICK_SECONDS"] = 0.05
    yield app
    get_broadcaster(app).stop()


def test_stream_sends_the_state_then_every_change(live_app, client, floor_session, speakers):
    (person,) = speakers(1)
    response = client.get(f"/sessions/{floor_session.id}/floor/stream")
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["Cache-Control"] == "no-cache"
    chunks = iter(response.response)
    first = next(chunks)
    first = first.decode() if isinstance(first, bytes) else first
    assert first.startswith("retry: ")
    initial = json.loads(first.split("data: ", 1)[1])
    assert initial["queue"] == [] and "server_now" in initial
    asked = client.post(f"/api/v1/sessions/{floor_session.id}/floor/requests",
                        json={"kind": "reply", "language": "en"}, headers=bearer(person.token))
    assert asked.status_code == 201
    state = sse_states(chunks, lambda s: s["version"] > initial["version"])
    assert state["queue"][0]["participant"]["name"] == person.name
    heartbeat = next(chunks)  # nothing new: a comment keeps the connection alive
    assert (heartbeat.decode() if isinstance(heartbeat, bytes) else heartbeat) == \
        ": heartbeat\n\n"
    assert get_broadcaster(live_app).subscriber_count() == 1
    response.close()
    assert get_broadcaster(live_app).subscriber_count() == 0


def test_broadcaster_queries_once_per_tick_whatever_the_number_of_viewers(
        live_app, floor_session, speakers, monkeypatch):
    from meetops.floor import services

    calls = {"versions": 0, "state": 0}
    real_versions, real_state = services.versions, services.build_state

    def counting_versions(dbs):
        calls["versions"] += 1
        return real_versions(dbs)

    def counting_state(dbs, session, now):
        calls["state"] += 1
        return real_state(dbs, session, now)

    monkeypatch.setattr(services, "versions", counting_versions)
    monkeypatch.setattr(services, "build_state", counting_state)
    services.get_floor(db.session, floor_session.id, floor_session.starts_at)
    db.session.commit()
    broadcaster = Broadcaster(live_app, PollingNotifier(60), autostart=False)
    subscribers = [broadcaster.subscribe(floor_session.id, 0) for _ in range(50)]
    broadcaster.tick()
    assert calls == {"versions": 1, "state": 1}
    assert all(s.queue.qsize() == 1 for s in subscribers)
    broadcaster.tick()  # no new version: nothing built, nothing sent
    assert calls == {"versions": 2, "state": 1}
    assert all(s.queue.qsize() == 1 for s in subscribers)


def test_the_broadcaster_tick_enforces_a_due_limit(live_app, client, floor_session, speakers,
                                                   make_user, clock):
    (person,) = speakers(1)
    chair = make_user("chair")[1]
    base = f"/api/v1/sessions/{floor_session.id}/floor"
    client.post(f"{base}/requests", json={"kind": "statement", "language": "es"},
                headers=bearer(person.token))
    version = client.get(base).get_json()["version"]
    client.post(f"{base}/next", json={"version": version}, headers=bearer(chair))
    clock.advance(181)
    broadcaster = Broadcaster(live_app, PollingNotifier(60), autostart=False)
    broadcaster.tick()  # no request read the floor: the tick ends the intervention
    from meetops.floor.models import Intervention

    db.session.expire_all()
    assert db.session.query(Intervention).one().ended_by == "limit"


# --- two processes on one SQLite file ------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(port: int, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    limit = time.monotonic() + timeout
    while time.monotonic() < limit:
        if proc.poll() is not None:
            raise AssertionError(f"server on {port} exited: {proc.stderr.read().decode()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/api/v1/sessions/1/floor/clock")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"server on {port} did not start")


def call(port: int, method: str, path: str, body: dict | None = None, token: str | None = None
         ) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "application/json"}
    if token:
        headers.update(bearer(token))
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers=headers)
    response = conn.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def stream_chunks(port: int, path: str, timeout: float = 10.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request("GET", path, headers={"Accept": "text/event-stream"})
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")
    try:
        while True:
            line = response.fp.readline()
            if not line:
                return
            yield line
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_a_change_on_one_process_is_streamed_by_another(tmp_path, backend):
    """Two servers share one database (a SQLite file; PostgreSQL too when
    MEETOPS_TEST_DATABASE_URL is set); a participant asks on A, the chair acts on A, B's
    stream shows both, and a one-second hard limit ends the turn by itself."""
    from meetops import create_app
    from meetops.auth.services import create_user
    from meetops.clock import now as clock_now
    from meetops.meetings.services import demo_data, load_meeting
    from meetops.registration.services import register

    from .conftest import OPEN_INSTANT, registration_payload

    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    if backend == "postgresql":
        url = os.environ.get("MEETOPS_TEST_DATABASE_URL", "")
        if not url.startswith("postgresql"):
            pytest.skip("MEETOPS_TEST_DATABASE_URL is not a PostgreSQL database")
    setup = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "k"})
    with setup.app_context():
        db.drop_all()
        db.create_all()
        meeting, _ = load_meeting(db.session, demo_data())
        meeting.intervention_seconds = 1
        person = register(db.session, meeting, registration_payload(), now=OPEN_INSTANT)
        _, chair = create_user(db.session, "chair@example.org", "chair", now=clock_now())
        db.session.commit()
        session_id, token, person_id = meeting.sessions[0].id, person.token, person.id
        db.session.remove()
        db.engine.dispose()

    env = {**os.environ, "MEETOPS_DATABASE_URL": url, "MEETOPS_SECRET_KEY": "k"}
    env.pop("MEETOPS_CLOCK_START", None)
    ports = [free_port(), free_port()]
    procs = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "run",
                               "--port", str(port), "--no-reload", "--no-debugger"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE) for port in ports]
    try:
        for port, proc in zip(ports, procs, strict=True):
            wait_until_serving(port, proc)
        a, b = ports
        base = f"/api/v1/sessions/{session_id}/floor"
        chunks = stream_chunks(b, f"/sessions/{session_id}/floor/stream")
        lines = (line for line in chunks)
        initial = sse_states(lines, lambda s: True)
        started = time.monotonic()
        status, body = call(a, "POST", f"{base}/requests", {"kind": "statement",
                                                            "language": "es"}, token)
        assert status == 201, body
        state = sse_states(lines, lambda s: s["queue"])
        assert time.monotonic() - started < 3
        assert state["queue"][0]["request_id"] == body["request_id"]
        assert state["version"] > initial["version"]
        status, body = call(a, "POST", f"{base}/next", {"version": state["version"]}, chair)
        assert status == 200, body
        speaking = sse_states(lines, lambda s: s["current"] is not None)
        assert speaking["current"]["participant"]["id"] == person_id
        ended = sse_states(lines, lambda s: s["current"] is None and s["done"])
        assert ended["done"][0]["ended_by"] == "limit"
        assert ended["done"][0]["spoken_seconds"] == 1
        assert time.monotonic() - started < 8
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            proc.stderr.close()
        with setup.app_context():
            db.drop_all()
            db.session.remove()
            db.engine.dispose()
