"""Scheduled jobs: APScheduler 3 with a persistent job store in the app database.

Features schedule work by job id and import path:

* ``schedule_once(job_id, func_path, run_at, kwargs)``: run ``func_path`` ("module:function")
  once at ``run_at`` (aware UTC, by the app's clock), replacing any job with the same id;
* ``cancel(job_id)``: forget a job (no error when it does not exist).

Job functions take only JSON-able keyword arguments and open their app context with
:func:`job_app_context`.

Exactly one process runs the jobs: ``flask --app wsgi meetops scheduler`` (or, for the
single-process demo, the runner ``meetops demo`` starts). Web workers only write jobs to the
store: their scheduler is a :class:`StoreWriter`, started paused, with no thread, so it can
never execute anything. The runner takes a lock (a PostgreSQL advisory lock, else a file lock
in ``instance/``) so a second runner started by mistake stands by instead of running jobs
twice. It looks at the store every ``MEETOPS_SCHEDULER_POLL_SECONDS`` so jobs other processes
add are picked up.

The app's clock may run ahead of or behind the real time (``MEETOPS_CLOCK_START``): jobs are
stored at the real instant that corresponds to ``run_at`` on the app's clock.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from datetime import UTC, datetime, timedelta

from apscheduler.executors.debug import DebugExecutor
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask, current_app, has_app_context
from sqlalchemy import Column, Float, LargeBinary, Table, Unicode, text

from .extensions import db

log = logging.getLogger(__name__)

#: APScheduler's job table, declared in our metadata so migrations create it
JOBS_TABLE = Table(
    "apscheduler_jobs",
    db.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
ADVISORY_LOCK_KEY = 0x6D656574  # "meet"
_runner_app: Flask | None = None
_runner: BackgroundScheduler | None = None


class StoreWriter(BaseScheduler):
    """A scheduler that only writes to the job store: started paused, it has no thread and
    never processes jobs (what web workers use)."""

    def wakeup(self) -> None:  # nothing to wake: this scheduler never runs jobs
        pass

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait)


class _JobStore(SQLAlchemyJobStore):
    """APScheduler's SQLAlchemy store on the app's engine, which it must not dispose of."""

    def shutdown(self) -> None:
        pass


def _job_store() -> SQLAlchemyJobStore:
    store = _JobStore(engine=db.engine)
    store.jobs_t = JOBS_TABLE  # the same table, declared once in our metadata
    return store


def _writer() -> BaseScheduler:
    """The runner itself in the runner's process (it wakes at once), else a store writer."""
    if _runner is not None and current_app._get_current_object() is _runner_app:
        return _runner
    writer = current_app.extensions.get("meetops.scheduler_writer")
    if writer is None:
        writer = StoreWriter(jobstores={"default": _job_store()},
                             executors={"default": DebugExecutor()},
                             job_defaults=JOB_DEFAULTS, timezone=UTC)
        writer.start(paused=True)
        current_app.extensions["meetops.scheduler_writer"] = writer
    return writer


def _clock_offset() -> timedelta:
    """App clock minus real clock (zero in production)."""
    from .clock import now

    return now() - datetime.fromtimestamp(time.time(), UTC)


def schedule_once(job_id: str, func_path: str, run_at: datetime, kwargs: dict | None = None
                  ) -> None:
    """Schedule ``func_path`` to run once at ``run_at`` (replaces a job with the same id)."""
    if run_at.tzinfo is None:
        raise ValueError("run_at must be an aware UTC instant")
    real = run_at.astimezone(UTC) - _clock_offset()
    # the name keeps the due instant on the app's clock (what planned() reports)
    _writer().add_job(func_path, trigger="date", run_date=real, id=job_id,
                      name=run_at.astimezone(UTC).isoformat(), kwargs=kwargs or {},
                      replace_existing=True, jobstore="default")


def cancel(job_id: str) -> None:
    """Remove the job ``job_id`` if it is scheduled."""
    with contextlib.suppress(JobLookupError):
        _writer().remove_job(job_id, jobstore="default")


def planned(job_id: str) -> datetime | None:
    """When the job will run, on the app's clock; None when not scheduled."""
    job = _writer().get_job(job_id, jobstore="default")
    if job is None or job.next_run_time is None:
        return None
    try:
        return datetime.fromisoformat(job.name)
    except (TypeError, ValueError):  # a job added by other means
        return job.next_run_time.astimezone(UTC) + _clock_offset()


def job_ids(prefix: str = "") -> list[str]:
    return sorted(job.id for job in _writer().get_jobs(jobstore="default")
                  if job.id.startswith(prefix))


@contextlib.contextmanager
def job_app_context():
    """The app context a job runs in: the current one, else the runner's app."""
    if has_app_context():
        yield
        return
    app = _runner_app
    if app is None:
        from . import create_app

        app = create_app()
    with app.app_context():
        try:
            yield
        finally:
            db.session.remove()


# --- the one runner -------------------------------------------------------------------------


class _AdvisoryLock:
    """A PostgreSQL session lock, held by one connection kept out of the pool's reach."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def close(self) -> None:
        self.connection.execute(text("SELECT pg_advisory_unlock(:key)"),
                                {"key": ADVISORY_LOCK_KEY})
        self.connection.commit()
        self.connection.close()


def _take_lock(app: Flask):
    """Hold the runner lock for the life of the process; None when another runner has it."""
    if db.engine.dialect.name == "postgresql":
        connection = db.engine.connect()
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"),
                                 {"key": ADVISORY_LOCK_KEY}).scalar()
        connection.commit()
        if got:
            return _AdvisoryLock(connection)
        connection.close()
        return None
    import fcntl

    # the lock belongs to the database, not to the app folder: runners of two databases
    # (a demo and the tests, say) must not keep each other waiting
    database = db.engine.url.database
    path = (database + ".scheduler-lock" if database and database != ":memory:"
            else os.path.join(app.instance_path, "scheduler.lock"))
    handle = open(path, "a")  # noqa: SIM115
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def _poll() -> None:
    """A no-op: its only effect is that the runner looks at the store again."""


def start_runner(app: Flask, *, poll_seconds: float | None = None,
                 wait_for_lock: bool = False) -> BackgroundScheduler | None:
    """Start the process's job runner (in the background) once it holds the runner lock.
    Returns None when another runner holds it and ``wait_for_lock`` is false."""
    global _runner_app, _runner
    poll = poll_seconds or float(app.config.get("MEETOPS_SCHEDULER_POLL_SECONDS")
                                 or os.environ.get("MEETOPS_SCHEDULER_POLL_SECONDS") or 15)
    with app.app_context():
        lock = _take_lock(app)
        while lock is None and wait_for_lock:
            log.warning("another scheduler runner holds the lock; standing by")
            time.sleep(poll)
            lock = _take_lock(app)
        if lock is None:
            return None
        _runner_app = app
        scheduler = BackgroundScheduler(
            jobstores={"default": _job_store(), "poll": MemoryJobStore()},
            executors={"default": ThreadPoolExecutor(4)}, job_defaults=JOB_DEFAULTS,
            timezone=UTC)
        from .agenda.reminders import schedule_all

        scheduler.add_job(_poll, "interval", seconds=poll, id="poll", jobstore="poll")
        # sessions created outside the API (load-demo, import) get their reminders too
        scheduler.add_job(schedule_all, "interval", hours=1, id="replan", jobstore="poll")
        scheduler.add_job("meetops.notifications.jobs:send_outbox", "interval", seconds=30,
                          id="outbox", jobstore="poll")
        scheduler.add_job("meetops.retention.jobs:purge_expired", "interval", hours=24,
                          id="retention", jobstore="poll",
                          next_run_time=datetime.now(UTC) + timedelta(minutes=5))

        try:
            schedule_all()  # nothing lost while no runner ran: re-plan every reminder
        except Exception:
            log.exception("could not re-plan the reminders")
        scheduler.start()
        scheduler.meetops_lock = lock
        _runner = scheduler
    return scheduler


def stop_runner(scheduler: BackgroundScheduler) -> None:
    """Stop the runner and release its lock."""
    global _runner_app, _runner
    _runner = None
    scheduler.shutdown(wait=True)
    lock = getattr(scheduler, "meetops_lock", None)
    if lock is not None:
        lock.close()
    _runner_app = None


def run_forever(app: Flask) -> None:
    """``flask meetops scheduler``: run the jobs until interrupted."""
    import signal
    import sys

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop cleanly on SIGTERM too
    scheduler = start_runner(app, wait_for_lock=True)
    log.info("scheduler runner started")
    try:
        while True:
            time.sleep(3600)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        if scheduler is not None:
            stop_runner(scheduler)
