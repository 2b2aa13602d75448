"""Two `flask meetops scheduler` processes on one database: one runs the jobs, one stands by."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def flask(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60, **kwargs)


@pytest.mark.slow
def test_two_scheduler_processes_send_each_reminder_once(tmp_path):
    if os.environ.get("MEETOPS_TEST_DATABASE_URL"):
        pytest.skip("uses its own SQLite file")
    database = tmp_path / "two.sqlite"
    env = {**os.environ, "MEETOPS_DATABASE_URL": f"sqlite:///{database}",
           "MEETOPS_SECRET_KEY": "k", "MEETOPS_SCHEDULER_POLL_SECONDS": "0.2",
           # three seconds before the 15-minute reminder of the first session
           "MEETOPS_CLOCK_START": "2025-11-27T10:44:57-03:00"}
    assert flask(env, "db", "upgrade").returncode == 0
    assert flask(env, "meetops", "load-demo").returncode == 0
    with sqlite3.connect(database) as conn:
        conn.execute(
            "INSERT INTO registrations (meeting_id, name, email, email_normalized, "
            "organization, position, category, country, language, accessibility, consent_at, "
            "status, created_at, updated_at, token_selector, token_verifier) VALUES (1, 'A', "
            "'a@example.org', 'a@example.org', 'O', '', 'lac_state', 'CL', 'en', '', "
            "'2025-11-10 00:00:00', 'active', '2025-11-10 00:00:00', '2025-11-10 00:00:00', "
            "'selector00000000', 'verifier')")
        conn.execute("INSERT INTO registration_sessions VALUES (1, 1)")
    runners = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "meetops",
                                 "scheduler"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        deadline = time.monotonic() + 20
        sent = []
        while time.monotonic() < deadline:
            with sqlite3.connect(database) as conn:
                sent = conn.execute("SELECT recipient, subject FROM outbox").fetchall()
            if sent:
                time.sleep(1)  # give a second runner the chance to repeat it
                break
            time.sleep(0.2)
    finally:
        for runner in runners:
            runner.terminate()
        logs = [runner.communicate(timeout=10)[1] for runner in runners]
    with sqlite3.connect(database) as conn:
        sent = conn.execute("SELECT recipient, subject FROM outbox").fetchall()
    assert len(sent) == 1, logs
    assert sent[0][0] == "a@example.org" and "15 minutes" in sent[0][1]
    assert sum("standing by" in log for log in logs) == 1
