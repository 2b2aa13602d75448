"""Start the real app as production does (``gunicorn wsgi:app`` reading gunicorn.conf.py) on a
free local port, on a database migrated with ``flask db upgrade``, the demo meeting loaded."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: registration for the demo meeting is open then (it closes on 21 November)
CLOCK_START = "2025-11-10T12:00:00-03:00"
ADMIN_EMAIL = "admin@example.org"
ADMIN_PASSWORD = "correct horse battery staple"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _bin(name: str) -> str:
    """A console script of the running interpreter's environment."""
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


@dataclass
class LiveServer:
    url: str
    database_url: str
    admin_token: str
    process: subprocess.Popen
    log: Path
    env: dict = field(repr=False, default_factory=dict)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()  # gunicorn: graceful stop of the master and its workers
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _run(args: list[str], env: dict, log: Path) -> str:
    with log.open("a") as out:
        done = subprocess.run(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=out,
                              text=True, timeout=120, check=False)
        out.write(done.stdout)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed; see {log}")
    return done.stdout


def start_server(workdir: Path, database_url: str | None = None, *, workers: int = 1,
                 threads: int = 50, clock_start: str = CLOCK_START,
                 seed: Callable[[str], None] | None = None) -> LiveServer:
    """Migrate, load the demo, add an admin, call ``seed(database_url)`` (more data for a
    scenario), start gunicorn with its clock at ``clock_start`` and wait until it answers."""
    workdir.mkdir(parents=True, exist_ok=True)
    database_url = database_url or f"sqlite:///{workdir / 'live.sqlite'}"
    port = free_port()
    log = workdir / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEETOPS_")}
    env.update({
        "MEETOPS_DATABASE_URL": database_url,
        "MEETOPS_SECRET_KEY": "live-server-test-key",
        "MEETOPS_CLOCK_START": clock_start,
        "MEETOPS_BASE_URL": f"http://127.0.0.1:{port}",
        "MEETOPS_BIND": f"127.0.0.1:{port}",
        "MEETOPS_WORKERS": str(workers),
        "MEETOPS_THREADS": str(threads),
        "MEETOPS_LOG_LEVEL": "warning",
        # the browser tests sign in and register many times from one address
        "MEETOPS_LIMIT_REGISTRATION": "10000 per minute",
        "MEETOPS_LIMIT_TOKEN": "10000 per minute",
        "MEETOPS_LIMIT_SIGN_IN": "10000 per minute",
        "MEETOPS_LIMIT_FLOOR_REQUEST": "10000 per minute",
        "PYTHONUNBUFFERED": "1",
    })
    flask = _bin("flask")
    _run([flask, "--app", "wsgi", "db", "upgrade"], env, log)
    _run([flask, "--app", "wsgi", "meetops", "load-demo"], env, log)
    admin = _run([flask, "--app", "wsgi", "meetops", "add-user", ADMIN_EMAIL, "--role", "admin",
                  "--password", ADMIN_PASSWORD], env, log)
    token = admin.strip().splitlines()[-1]
    if seed is not None:
        seed(database_url)
    with log.open("a") as out:
        process = subprocess.Popen([_bin("gunicorn"), "wsgi:app"], cwd=ROOT, env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}", database_url, token, process, log, env)
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited ({process.returncode}); see {log}:\n"
                               + log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(server.url + "/", timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"the server did not answer within 30 s; see {log}")
        time.sleep(0.1)


def sibling_postgres_database(test_url: str, suffix: str) -> str:
    """A fresh database beside the throwaway test database (``<name>_<suffix>``), for a server
    that migrates its own schema; :func:`drop_postgres_database` removes it."""
    from sqlalchemy import create_engine, make_url

    url = make_url(test_url)
    name = f"{url.database}_{suffix}"
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url_string: str) -> None:
    from sqlalchemy import create_engine, make_url

    url = make_url(url_string)
    engine = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)')
    engine.dispose()
