"""meetops benchmark: the app served as in production, measured from loopback.

    python benchmarks/run.py                  # everything (a few minutes)
    python benchmarks/run.py --viewers 100    # a quicker fan-out only run

What it does, bounded in time and on 127.0.0.1 only:

1. creates a throwaway PostgreSQL database (dropped at the end), migrates it with
   ``flask db upgrade`` and loads the demo meeting, a chair and 20 speakers;
2. starts two app instances with ``gunicorn wsgi:app`` (reading ``gunicorn.conf.py``) on two
   ports, plus ``gunicorn benchmarks.bare:app`` (a bare Flask endpoint, same settings);
3. floor JSON read: requests per second over keep-alive connections, beside the bare endpoint;
4. live fan-out: N Server-Sent Event viewers split over the two instances, a chair pausing and
   resuming once a second on the first: share of changes delivered to every viewer, delivery
   latency from the chair's click (request sent) to the event read, chair-action latency;
5. registration burst: 500 registrations from 50 concurrent clients over both instances, then
   50 racing with one email: errors, duplicate rows, p95;
6. calendar cost: the meeting file and a personal invite for 10, 100 and 1,000 agenda items.

The client is one asyncio process with raw sockets (no HTTP library), so that it is not the
bottleneck; it still shares the machine's cores with the servers and PostgreSQL.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = "pac-support-platform-2025"
HIGH_LIMIT = "1000000 per minute"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--viewers", default="100,1000,2000",
                        help="comma-separated viewer counts for the fan-out (default: %(default)s)")
    parser.add_argument("--actions", type=int, default=30,
                        help="chair actions per fan-out run, one a second; the chair p95 is "
                             "taken over them (default: %(default)s)")
    parser.add_argument("--read-seconds", type=float, default=5.0,
                        help="duration of each read-rate measurement (default: %(default)s)")
    parser.add_argument("--read-rounds", type=int, default=3,
                        help="interleaved rounds of the read measurements; the table gives "
                             "their medians (default: %(default)s)")
    parser.add_argument("--registrations", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--calendar-items", default="10,100,1000")
    parser.add_argument("--threads", type=int, default=0,
                        help="gunicorn threads per worker (MEETOPS_THREADS); 0: the "
                             "configuration's default, raised to fit the largest viewer count")
    parser.add_argument("--postgres", default="postgresql://postgres@127.0.0.1:5432/postgres",
                        help="a PostgreSQL server to create the throwaway database on")
    parser.add_argument("--skip", default="", help="comma-separated phases to skip: "
                        "read,fanout,burst,calendar")
    args = parser.parse_args(argv)
    args.viewer_counts = [int(v) for v in args.viewers.split(",") if v.strip()]
    args.item_counts = [int(v) for v in args.calendar_items.split(",") if v.strip()]
    args.skipped = {s.strip() for s in args.skip.split(",") if s.strip()}
    return args


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def ms(seconds: float) -> str:
    return "n/a" if seconds != seconds else f"{seconds * 1000:.0f} ms"


# --- database --------------------------------------------------------------------------------


def create_database(server: str) -> tuple[str, str]:
    import psycopg

    name = f"meetops_bench_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = server.rsplit("/", 1)[0]
    return name, f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"


def drop_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(url: str, env: dict) -> dict:
    """Migrate as production does, then the demo meeting, a chair and 20 speakers."""
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    from meetops import create_app
    from meetops.auth.services import create_user
    from meetops.extensions import db
    from meetops.meetings.services import demo_data, load_meeting
    from meetops.registration.services import register

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": env["MEETOPS_SECRET_KEY"]})
    now = datetime.now(UTC)
    with app.app_context():
        meeting, _ = load_meeting(db.session, demo_data())
        meeting.registration_opens_at = now - timedelta(days=1)
        meeting.registration_closes_at = now + timedelta(days=30)
        meeting.intervention_seconds = 3600  # the run pauses and resumes; no limit ends it
        db.session.flush()
        speakers = [register(db.session, meeting, registration_payload(f"speaker{i}"), now=now)
                    for i in range(20)]
        _, chair = create_user(db.session, "chair@bench.test", "chair", now=now)
        db.session.commit()
        data = {"session_id": meeting.sessions[0].id, "chair": chair,
                "speakers": [s.token for s in speakers]}
        db.session.remove()
        db.engine.dispose()
    return data


def registration_payload(local: str) -> dict:
    return {"name": f"Delegate {local}", "email": f"{local}@example.org",
            "organization": "Ministerio de Relaciones Exteriores", "position": "Director",
            "category": "lac_state", "country": "CL", "language": "es", "consent": True}


# --- servers ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(target: str, port: int, env: dict, log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", target, "--access-logfile", "/dev/null"],
        cwd=ROOT, env={**env, "MEETOPS_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL, stderr=handle, start_new_session=True)


def wait_serving(port: int, path: str, proc: subprocess.Popen, log: Path) -> None:
    limit = time.monotonic() + 60
    while time.monotonic() < limit:
        if proc.poll() is not None:
            raise SystemExit(f"server on {port} exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(OSError):
            status, _ = asyncio.run(request(port, "GET", path))
            if status == 200:
                return
        time.sleep(0.3)
    raise SystemExit(f"server on {port} did not start:\n{log.read_text()[-3000:]}")


def stop_servers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


# --- a small HTTP/1.1 client -----------------------------------------------------------------


class Connection:
    """One keep-alive connection; responses must carry Content-Length (Flask's do)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader = self.writer = None

    async def send(self, method: str, path: str, body: dict | None = None,
                   headers: dict | None = None) -> tuple[int, bytes, dict]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        payload = json.dumps(body).encode() if body is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}",
                 f"Content-Length: {len(payload)}"]
        if body is not None:
            lines.append("Content-Type: application/json")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        response_headers = {}
        for line in header_lines:
            if ":" in line:
                key, value = line.split(":", 1)
                response_headers[key.strip().lower()] = value.strip()
        length = int(response_headers.get("content-length", "0"))
        data = await self.reader.readexactly(length) if length else b""
        if response_headers.get("connection", "").lower() == "close":
            self.close()
        return int(status_line.split()[1]), data, response_headers

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def request(port: int, method: str, path: str, body: dict | None = None,
                  headers: dict | None = None) -> tuple[int, bytes]:
    conn = Connection(port)
    try:
        status, data, _ = await conn.send(method, path, body, headers)
        return status, data
    finally:
        conn.close()


# --- phases ----------------------------------------------------------------------------------


async def read_rate(port: int, path: str, seconds: float, clients: int = 32,
                    headers: dict | None = None) -> tuple[float, int]:
    """Requests per second over ``clients`` keep-alive connections; (rate, errors)."""
    done = errors = 0
    stop = time.perf_counter() + seconds

    async def loop() -> None:
        nonlocal done, errors
        conn = Connection(port)
        while time.perf_counter() < stop:
            try:
                status, _, _ = await conn.send("GET", path, headers=headers)
                if status in (200, 304):
                    done += 1
                else:
                    errors += 1
            except (OSError, asyncio.IncompleteReadError):
                errors += 1
                conn.close()
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(clients)))
    return done / (time.perf_counter() - started), errors


ID_LINE = re.compile(rb"\nid: (\d+)\n")


async def viewer(port: int, path: str, arrivals: list, connected: asyncio.Event,
                 counter: dict, gate: asyncio.Semaphore, stop: asyncio.Event) -> None:
    """One SSE viewer: records (version, perf_counter) of every event it reads."""
    writer = None
    try:
        async with gate:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         "Accept: text/event-stream\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            if b" 200 " not in head.split(b"\r\n", 1)[0]:
                counter["failed"] += 1
                return
            buffer = b"\n"
            while not ID_LINE.search(buffer):
                buffer += await reader.read(65536)
        counter["connected"] += 1
        if counter["connected"] + counter["failed"] >= counter["wanted"]:
            connected.set()
        seen = set()
        while not stop.is_set():
            for match in ID_LINE.finditer(buffer):
                version = int(match.group(1))
                if version not in seen:
                    seen.add(version)
                    arrivals.append((version, time.perf_counter()))
            buffer = buffer[-32:]
            read = asyncio.ensure_future(reader.read(65536))
            waiter = asyncio.ensure_future(stop.wait())
            finished, _ = await asyncio.wait({read, waiter},
                                             return_when=asyncio.FIRST_COMPLETED)
            if read not in finished:
                read.cancel()
                break
            waiter.cancel()
            data = read.result()
            if not data:
                counter["dropped"] += 1
                break
            buffer += data
    except (OSError, asyncio.IncompleteReadError):
        counter["failed"] += 1
        if counter["connected"] + counter["failed"] >= counter["wanted"]:
            connected.set()
    finally:
        if writer is not None:
            writer.close()


async def fanout(ports: list[int], data: dict, viewers: int, actions: int) -> dict:
    session_id, chair = data["session_id"], data["chair"]
    base = f"/api/v1/sessions/{session_id}/floor"
    auth = {"Authorization": f"Bearer {chair}"}
    status, body = await request(ports[0], "GET", base)
    state = json.loads(body)
    version = state["version"]
    paused = (state.get("current") or {}).get("state") == "paused"
    stop = asyncio.Event()
    connected = asyncio.Event()
    counter = {"connected": 0, "failed": 0, "dropped": 0, "wanted": viewers}
    arrivals: list[list] = [[] for _ in range(viewers)]
    gate = asyncio.Semaphore(64)
    path = f"/sessions/{session_id}/floor/stream"
    t_connect = time.perf_counter()
    tasks = [asyncio.ensure_future(viewer(ports[i % len(ports)], path, arrivals[i], connected,
                                          counter, gate, stop)) for i in range(viewers)]
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(connected.wait(), timeout=120)
    connect_seconds = time.perf_counter() - t_connect
    await asyncio.sleep(1.0)
    chair_conn = Connection(ports[0])
    sent: dict[int, float] = {}
    chair_latency = []
    chair_errors = 0
    kinds = ["resume", "pause"] if paused else ["pause", "resume"]
    for n in range(actions):
        tick = time.perf_counter()
        action = kinds[n % 2]
        t0 = time.perf_counter()
        try:
            status, body, _ = await chair_conn.send("POST", f"{base}/{action}",
                                                    {"version": version}, auth)
        except (OSError, asyncio.IncompleteReadError):
            chair_conn.close()
            status, body = 599, b"{}"
        t1 = time.perf_counter()
        state = json.loads(body or b"{}")
        if status == 200:
            version = state["version"]
            sent[version] = t0
            chair_latency.append(t1 - t0)
        else:
            chair_errors += 1
            print(f"chair {action}: {status} {body[:200]!r}", flush=True)
            version = state.get("floor", {}).get("version", version)
        await asyncio.sleep(max(0.0, 1.0 - (time.perf_counter() - tick)))
    await asyncio.sleep(2.0)  # the last events' grace
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    chair_conn.close()
    latencies = []
    delivered = 0
    for got in arrivals:
        for v, t in got:
            if v in sent:
                delivered += 1
                latencies.append(t - sent[v])
    expected = len(sent) * viewers
    return {"viewers": viewers, "connected": counter["connected"],
            "failed": counter["failed"], "connect_s": connect_seconds, "changes": len(sent),
            "delivered": delivered / expected if expected else float("nan"),
            "p50": pct(latencies, 50), "p95": pct(latencies, 95), "p99": pct(latencies, 99),
            "chair_p95": pct(chair_latency, 95), "chair_errors": chair_errors}


async def burst(ports: list[int], count: int, concurrency: int, run_tag: str) -> dict:
    path = f"/api/v1/meetings/{SLUG}/registrations"
    payloads = asyncio.Queue()
    for i in range(count):
        payloads.put_nowait(registration_payload(f"burst{i}-{run_tag}"))
    statuses: dict[int, int] = {}
    latencies = []

    async def worker(k: int) -> None:
        conn = Connection(ports[k % len(ports)])
        while True:
            try:
                payload = payloads.get_nowait()
            except asyncio.QueueEmpty:
                break
            t0 = time.perf_counter()
            try:
                status, _, _ = await conn.send("POST", path, payload)
            except (OSError, asyncio.IncompleteReadError):
                conn.close()
                status = 599
            latencies.append(time.perf_counter() - t0)
            statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(k) for k in range(concurrency)))
    elapsed = time.perf_counter() - started
    # the race: 50 clients, one email, as close together as the loop allows
    race_conns = [Connection(ports[k % len(ports)]) for k in range(concurrency)]
    for conn in race_conns:
        conn.reader, conn.writer = await asyncio.open_connection("127.0.0.1", conn.port)
    same = registration_payload(f"race-{run_tag}")
    race = await asyncio.gather(*(conn.send("POST", path, same) for conn in race_conns),
                                return_exceptions=True)
    for conn in race_conns:
        conn.close()
    race_status: dict = {}
    for result in race:
        key = result[0] if isinstance(result, tuple) else type(result).__name__
        race_status[key] = race_status.get(key, 0) + 1
    return {"statuses": statuses, "p95": pct(latencies, 95), "elapsed": elapsed,
            "rate": count / elapsed, "race": race_status}


def count_duplicates(url: str) -> tuple[int, int]:
    """(registrations whose lower-cased email appears more than once, rows for the race)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        dupes = conn.execute(text(
            "SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT lower(email) e, count(*) n "
            "FROM registrations GROUP BY lower(email) HAVING count(*) > 1) d")).scalar()
        race = conn.execute(text(
            "SELECT count(*) FROM registrations WHERE email LIKE 'race-%'")).scalar()
    engine.dispose()
    return int(dupes), int(race)


def calendar_cost(url: str, counts: list[int], secret: str) -> list[dict]:
    """Build the meeting file and one personal invite with n published agenda items spread
    over the meeting's sessions; the median of 3 builds."""
    from flask_babel import force_locale  # noqa: F401  (the app's locale machinery is loaded)
    from sqlalchemy import delete, select

    from meetops import create_app
    from meetops.agenda.models import AgendaItem
    from meetops.calendar.services import meeting_calendar, personal_calendar
    from meetops.extensions import db
    from meetops.meetings.models import Meeting
    from meetops.registration.models import Registration

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secret,
                      "SERVER_NAME": "bench.test"})
    rows = []
    with app.app_context(), app.test_request_context():
        meeting = db.session.execute(select(Meeting).where(Meeting.slug == SLUG)).scalar_one()
        registration = db.session.execute(
            select(Registration).where(Registration.meeting_id == meeting.id)
            .order_by(Registration.id).limit(1)).scalar_one()
        sessions = list(meeting.sessions)
        for n in counts:
            db.session.execute(delete(AgendaItem))
            for i in range(n):
                session = sessions[i % len(sessions)]
                start = session.starts_at + timedelta(seconds=i // len(sessions))
                db.session.add(AgendaItem(
                    session=session, position=i // len(sessions) + 1, kind="other",
                    title_en=f"Item {i}: statements by delegations",
                    title_es=f"Punto {i}: declaraciones de las delegaciones",
                    description_en="", description_es="", speakers="", documents=[],
                    starts_at=start, ends_at=start + timedelta(seconds=1), published=True))
            db.session.commit()
            now = datetime.now(UTC)
            timings = []
            for _ in range(3):
                t0 = time.perf_counter()
                meeting_calendar(meeting, "en", now)
                t1 = time.perf_counter()
                personal_calendar(registration, now, organizer="meetops@bench.test",
                                  sessions=sessions)
                t2 = time.perf_counter()
                timings.append((t1 - t0, t2 - t1))
                db.session.expire_all()
            rows.append({"items": n, "meeting": statistics.median(t[0] for t in timings),
                         "personal": statistics.median(t[1] for t in timings)})
        db.session.execute(delete(AgendaItem))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return rows


# --- the run ---------------------------------------------------------------------------------


def raise_open_files(wanted: int) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = min(hard, max(soft, wanted)) if hard != resource.RLIM_INFINITY else max(soft,
                                                                                      wanted)
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    biggest = max(args.viewer_counts, default=0)
    raise_open_files(biggest * 3 + 1000)
    # each instance holds half the viewers over its 2 workers, unevenly: room for 1.5x that
    threads = args.threads or max(500, (biggest // 2 // 2) * 3 // 2 + 50)
    secret = "bench-" + os.urandom(8).hex()
    name, url = create_database(args.postgres)
    workdir = Path(tempfile.mkdtemp(prefix="meetops-bench-"))
    env = {**os.environ, "MEETOPS_DATABASE_URL": url, "MEETOPS_SECRET_KEY": secret,
           "MEETOPS_THREADS": str(threads), "MEETOPS_LOG_LEVEL": "warning",
           "MEETOPS_LIMIT_REGISTRATION": HIGH_LIMIT, "MEETOPS_LIMIT_TOKEN": HIGH_LIMIT,
           "MEETOPS_LIMIT_SIGN_IN": HIGH_LIMIT, "MEETOPS_LIMIT_FLOOR_REQUEST": HIGH_LIMIT}
    for var in ("MEETOPS_CLOCK_START", "MEETOPS_REDIS_URL", "MEETOPS_RUN_SCHEDULER"):
        env.pop(var, None)
    procs: list[subprocess.Popen] = []
    report: dict = {"threads": threads}
    try:
        data = seed(url, env)
        ports = [free_port(), free_port()]
        bare_port = free_port()
        logs = [workdir / f"app-{p}.log" for p in ports]
        procs = [start_server("wsgi:app", p, env, log) for p, log in zip(ports, logs,
                                                                          strict=True)]
        bare_log = workdir / "bare.log"
        procs.append(start_server("benchmarks.bare:app", bare_port, env, bare_log))
        probe = f"/api/v1/sessions/{data['session_id']}/floor"
        for port, proc, log in zip(ports, procs[:2], logs, strict=True):
            wait_serving(port, probe, proc, log)
        wait_serving(bare_port, "/bare", procs[2], bare_log)
        # speakers in the queue and one speaking: a realistic floor state to send around
        for token in data["speakers"]:
            asyncio.run(request(ports[1], "POST", f"{probe}/requests",
                                {"kind": "statement", "language": "es"},
                                {"Authorization": f"Bearer {token}"}))
        state = json.loads(asyncio.run(request(ports[0], "GET", probe))[1])
        asyncio.run(request(ports[0], "POST", f"{probe}/next", {"version": state["version"]},
                            {"Authorization": f"Bearer {data['chair']}"}))
        state = json.loads(asyncio.run(request(ports[0], "GET", probe))[1])
        report["state_bytes"] = len(json.dumps(state, separators=(",", ":")))
        report["load_before"] = os.getloadavg()
        print(f"load average before: {report['load_before']}")
        print(f"database {name}; instances on {ports}, bare on {bare_port}; "
              f"{threads} threads x 2 workers per instance; floor state "
              f"{report['state_bytes']} bytes", flush=True)

        if "read" not in args.skipped:
            from meetops.floor.services import etag as floor_etag

            etag = f'W/"{floor_etag(state)}"'
            _, _, headers = asyncio.run(_one(ports[0], probe))
            etag = headers.get("etag", etag)
            asyncio.run(read_rate(ports[0], probe, 1.0))  # warm-up
            asyncio.run(read_rate(bare_port, "/bare", 1.0))
            clock_path = f"/api/v1/sessions/{data['session_id']}/floor/clock"
            probes = {"floor": (ports[0], probe, None),
                      "conditional": (ports[0], probe, {"If-None-Match": etag}),
                      "clock": (ports[0], clock_path, None),
                      "bare": (bare_port, "/bare", None)}
            rates: dict[str, list[float]] = {key: [] for key in probes}
            read_errors = 0
            for _round in range(args.read_rounds):  # interleaved: drift hits all alike
                for key, (port, path, headers) in probes.items():
                    rate, errors = asyncio.run(read_rate(port, path, args.read_seconds,
                                                         headers=headers))
                    rates[key].append(rate)
                    read_errors += errors
            floor_rate, cond_rate, clock_rate, bare_rate = (
                statistics.median(rates[key]) for key in ("floor", "conditional", "clock",
                                                          "bare"))
            report["read"] = {"floor": floor_rate, "conditional": cond_rate,
                              "bare": bare_rate, "clock": clock_rate,
                              "errors": read_errors,
                              "ratios": [round(f / b, 3) for f, b in
                                         zip(rates["floor"], rates["bare"], strict=True)]}
            print(f"read: floor {floor_rate:.0f}/s, conditional {cond_rate:.0f}/s, "
                  f"bare {bare_rate:.0f}/s (medians of {args.read_rounds} rounds; full/bare "
                  f"by round {report['read']['ratios']})", flush=True)

        report["fanout"] = []
        if "fanout" not in args.skipped:
            for n in args.viewer_counts:
                result = asyncio.run(fanout(ports, data, n, args.actions))
                report["fanout"].append(result)
                print(f"fan-out {n}: {result}", flush=True)

        if "burst" not in args.skipped:
            result = asyncio.run(burst(ports, args.registrations, args.concurrency,
                                       os.urandom(3).hex()))
            result["duplicates"], result["race_rows"] = count_duplicates(url)
            report["burst"] = result
            print(f"burst: {result}", flush=True)
    finally:
        stop_servers(procs)
    try:
        if "calendar" not in args.skipped:
            report["calendar"] = calendar_cost(url, args.item_counts, secret)
    finally:
        drop_database(args.postgres, name)
    print_table(report)
    before = report.get("load_before")
    print(f"\nload average (1, 5, 15 min) before the run {before}, after {os.getloadavg()}")
    print("(before: a 1-minute load above the core count means something else was running; "
          "after: the benchmark's own stream threads raise it)")
    if before and before[0] > (os.cpu_count() or 1):
        print("warning: the machine was busy before the run; the figures are pessimistic")
    return 0


async def _one(port: int, path: str):
    conn = Connection(port)
    try:
        return await conn.send("GET", path)
    finally:
        conn.close()


def print_table(report: dict) -> None:
    print()
    if report.get("fanout"):
        print("| viewers | connected | changes | delivered | p50 | p95 | p99 | chair p95 |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in report["fanout"]:
            print(f"| {r['viewers']} | {r['connected']} | {r['changes']} | "
                  f"{r['delivered'] * 100:.1f} % | {ms(r['p50'])} | {ms(r['p95'])} | "
                  f"{ms(r['p99'])} | {ms(r['chair_p95'])} |")
        print()
    if report.get("read"):
        r = report["read"]
        print("| read (1 instance, 32 keep-alive clients) | requests/s | ratio to bare |")
        print("|---|---:|---:|")
        print(f"| bare Flask endpoint | {r['bare']:.0f} | 1.00 |")
        print(f"| app, no database (floor/clock) | {r['clock']:.0f} | "
              f"{r['clock'] / r['bare']:.2f} |")
        print(f"| floor JSON, full 200 | {r['floor']:.0f} | {r['floor'] / r['bare']:.2f} |")
        print(f"| floor JSON, If-None-Match 304 | {r['conditional']:.0f} | "
              f"{r['conditional'] / r['bare']:.2f} |")
        print(f"(errors: {r['errors']})")
        print()
    if report.get("burst"):
        b = report["burst"]
        errors = sum(n for s, n in b["statuses"].items() if s != 201)
        print("| registration burst | result |")
        print("|---|---|")
        print(f"| 500 from 50 clients | {b['statuses']} ; errors {errors}; "
              f"p95 {ms(b['p95'])}; {b['rate']:.0f}/s |")
        print(f"| 50 racing with one email | {b['race']} ; rows {b['race_rows']} |")
        print(f"| duplicate rows in the database | {b['duplicates']} |")
        print()
    if report.get("calendar"):
        print("| agenda items | meeting file | personal invite | per item (meeting) |")
        print("|---:|---:|---:|---:|")
        for r in report["calendar"]:
            print(f"| {r['items']} | {r['meeting'] * 1000:.1f} ms | "
                  f"{r['personal'] * 1000:.1f} ms | {r['meeting'] / r['items'] * 1e6:.0f} µs |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
