"""Live floor updates: one broadcaster per process fans new floor states out to that process's
Server-Sent Event streams.

The broadcaster is a thread. Each tick it runs ONE small query for every floor's
``(session_id, version, limit_due_at)`` (not one per viewer), ends interventions whose hard
limit has passed (so the limit holds within a tick while any app process runs), and for each
watched session whose version moved it builds the state once and puts the ready-made event on
every subscriber's queue.

How it learns of changes is pluggable: a *notifier* (:mod:`meetops.floor.notifiers`) decides
how long a tick waits. On PostgreSQL a ``LISTEN``/``NOTIFY`` listener, with
``MEETOPS_REDIS_URL`` a Redis pub/sub subscriber, wakes it as soon as any instance commits a
change, with a slow safety poll behind; otherwise :class:`PollingNotifier` waits
``MEETOPS_FLOOR_TICK_SECONDS``. Changes made in this process wake it at once, and it never
sleeps past the next hard deadline of a floor it knows of, so the limit holds on time without a
scheduler. A notifier implements ``wait(timeout)``, ``poke()`` and ``close()``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import queue
import threading
import time

from flask import Flask

from .cache import StateCache
from .notifiers import PollingNotifier, make_notifier

__all__ = ["Broadcaster", "PollingNotifier", "Subscriber", "get_broadcaster", "poke",
           "sse_event"]

log = logging.getLogger(__name__)

EXTENSION = "meetops.floor.broadcaster"


class Subscriber:
    """One open stream: its queue of ready-made events and the last version it was sent."""

    def __init__(self, session_id: int, version: int, maxsize: int = 32) -> None:
        self.session_id = session_id
        self.version = version
        self.queue: queue.Queue[str | None] = queue.Queue(maxsize=maxsize)

    def offer(self, event: str) -> None:
        """Queue an event; a slow reader loses its oldest event, never blocks the others
        (each event is a whole state, so the latest is what matters)."""
        while True:
            try:
                self.queue.put_nowait(event)
                return
            except queue.Full:
                with contextlib.suppress(queue.Empty):
                    self.queue.get_nowait()


def sse_event(state: dict) -> str:
    """A floor state as one Server-Sent Event (``id`` is the version)."""
    data = json.dumps(state, separators=(",", ":"), ensure_ascii=False)
    return f"id: {state['version']}\ndata: {data}\n\n"


class Broadcaster:
    def __init__(self, app: Flask, notifier=None, *, enforce: bool = True,
                 idle_stop: float | None = None, autostart: bool = True) -> None:
        self.app = app
        #: start the thread with the first subscriber (tests drive :meth:`tick` by hand)
        self.autostart = autostart
        self.notifier = notifier or PollingNotifier(
            float(app.config.get("MEETOPS_FLOOR_TICK_SECONDS", 0.25)))
        self.enforce = enforce
        #: stop the thread after this many seconds without subscribers (tests); None: never
        self.idle_stop = idle_stop
        self._subscribers: dict[int, set[Subscriber]] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._idle_since = time.monotonic()
        #: the earliest hard deadline seen by the last tick (app clock), None: none
        self._next_due = None
        #: the states this process last built, served while its notifier is connected
        #: (a connected notifier's listener was started by this broadcaster's thread, and
        #: is closed when the thread ends)
        self.cache = StateCache(float(app.config.get("MEETOPS_FLOOR_CACHE_SECONDS", 1.0)),
                                lambda: getattr(self.notifier, "live", False))
        if hasattr(self.notifier, "on_change"):
            self.notifier.on_change = self.cache.invalidate

    # -- subscribers --

    def subscribe(self, session_id: int, version: int) -> Subscriber:
        subscriber = Subscriber(session_id, version)
        with self._lock:
            self._subscribers.setdefault(session_id, set()).add(subscriber)
        if self.autostart:
            self.start()
        return subscriber

    def unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            subs = self._subscribers.get(subscriber.session_id)
            if subs is not None:
                subs.discard(subscriber)
                if not subs:
                    del self._subscribers[subscriber.session_id]
            if not self._subscribers:
                self._idle_since = time.monotonic()

    def subscriber_count(self) -> int:
        with self._lock:
            return sum(len(s) for s in self._subscribers.values())

    # -- the thread --

    def start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._stop.clear()
            self._idle_since = time.monotonic()
            self._thread = threading.Thread(target=self._run, name="meetops-floor-broadcaster",
                                            daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.notifier.poke()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        with self._lock:
            for subs in self._subscribers.values():
                for sub in subs:
                    sub.offer(None)

    def poke(self, session_ids=()) -> None:
        """Something changed in this process (the floors of ``session_ids``, when known): tick
        now rather than at the next interval."""
        for session_id in session_ids:
            self.cache.invalidate(session_id)
        self.notifier.poke()

    def state(self, session_id: int, now, *, min_version: int = 0) -> tuple[dict, str]:
        """The floor state of ``session_id`` at ``now`` and its entity tag: from the cache
        when it can be trusted (:mod:`meetops.floor.cache`), else from the database, applying a
        due limit first. Needs an app context; 404 for an unknown session."""
        entry = self.cache.get(session_id, now, min_version=min_version)
        if entry is not None:
            return entry.at(now), entry.etag
        from ..extensions import db
        from ..meetings.services import get_session
        from .services import build_state, enforce_due, etag, sync_limit_job

        token = self.cache.token(session_id)  # before the reads the entry is made of
        session = get_session(db.session, session_id)
        if enforce_due(db.session, session_id, now):  # (then the token is stale: no entry)
            db.session.commit()
            sync_limit_job(db.session, session_id, now)
        state, timing = build_state(db.session, session, now)
        db.session.commit()  # the floor row may have just been created
        self.cache.store(token, state, timing, now)
        return state, etag(state)

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                self.tick()
                failures = 0
            except Exception:  # the thread must outlive a database hiccup
                failures += 1
                if failures == 1 or failures % 100 == 0:  # no log flood while the db is down
                    log.exception("floor broadcaster tick failed (%d in a row)", failures)
                self._stop.wait(min(5.0, 0.25 * 2 ** min(failures, 5)))
            if self.idle_stop is not None:
                with self._lock:
                    idle = not self._subscribers and \
                        time.monotonic() - self._idle_since > self.idle_stop
                if idle:
                    break
            self.notifier.wait(self._until_next_due())
        self.notifier.close()

    def _until_next_due(self) -> float | None:
        """Seconds to the next hard deadline (a little after it), None when none."""
        if self._next_due is None:
            return None
        from ..clock import now

        with self.app.app_context():
            return max(0.0, (self._next_due - now()).total_seconds()) + 0.01

    def tick(self) -> None:
        """One round: enforce due limits, then send new versions to their watchers."""
        from ..clock import now
        from ..errors import NotFound
        from ..extensions import db
        from .services import enforce_due, sync_limit_job, versions

        with self.app.app_context():
            instant = now()
            rows = versions(db.session)
            db.session.rollback()
            if self.enforce:
                ended = False
                for session_id, _version, due in rows:
                    if due is not None and due <= instant:
                        if enforce_due(db.session, session_id, instant):
                            db.session.commit()
                            sync_limit_job(db.session, session_id, instant)
                            ended = True
                        db.session.rollback()
                if ended:
                    rows = versions(db.session)
                    db.session.rollback()
            # wake for the next deadline still ahead (one this tick could not end, e.g.
            # under soft enforcement, must not make the thread spin)
            self._next_due = min((due for _sid, _version, due in rows
                                  if due is not None and due > instant), default=None)
            with self._lock:
                watched = {sid: list(subs) for sid, subs in self._subscribers.items()}
            for session_id, version, _due in rows:
                self.cache.seen(session_id, version)
                behind = [s for s in watched.get(session_id, ()) if s.version < version]
                if not behind:
                    continue
                try:
                    state, _tag = self.state(session_id, now(), min_version=version)
                except NotFound:  # the session was deleted meanwhile
                    db.session.rollback()
                    continue
                event = sse_event(state)
                for sub in behind:
                    if sub.version < state["version"]:
                        sub.version = state["version"]
                        sub.offer(event)


def get_broadcaster(app: Flask) -> Broadcaster:
    """This process's broadcaster for ``app`` (created on first use, not yet started)."""
    app = app._get_current_object() if hasattr(app, "_get_current_object") else app
    broadcaster = app.extensions.get(EXTENSION)
    if broadcaster is None:
        broadcaster = app.extensions[EXTENSION] = Broadcaster(
            app, make_notifier(app), enforce=app.config.get("MEETOPS_FLOOR_ENFORCE_ON_TICK", True),
            idle_stop=5.0 if app.testing else None)
    return broadcaster


def poke(app: Flask, session_ids=()) -> None:
    """Tell this process's broadcaster that the floor changed (if it runs)."""
    broadcaster = app.extensions.get(EXTENSION)
    if broadcaster is not None:
        broadcaster.poke(session_ids)


def floor_state(app: Flask, session_id: int, now, *, min_version: int = 0) -> tuple[dict, str]:
    """The floor state of ``session_id`` at ``now`` and its entity tag, as this process's
    broadcaster serves it (:meth:`Broadcaster.state`)."""
    return get_broadcaster(app).state(session_id, now, min_version=min_version)


def init_app(app: Flask) -> None:
    """Outside tests, start the broadcaster with the first request a process serves (after
    any fork), so that every running process enforces limits even with no viewer."""
    if app.testing or not app.config.get("MEETOPS_FLOOR_BROADCASTER", True):
        return

    @app.before_request
    def _start_broadcaster() -> None:
        broadcaster = get_broadcaster(app)
        if not broadcaster.is_running():
            broadcaster.start()
