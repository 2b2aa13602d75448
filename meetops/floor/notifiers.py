"""How a process's floor broadcaster learns that a floor changed, possibly on another instance.

Two halves:

* **Announcing** (:func:`floor_changed`, called by the floor's compare-and-set whenever it bumps
  a version): on PostgreSQL it runs ``SELECT pg_notify('meetops_floor', '<session id>')`` in the
  same transaction as the change, so the notification is delivered when, and only if, the change
  commits. It also remembers the session id on the database session; after the commit the
  ids are published on Redis (when ``MEETOPS_REDIS_URL`` is set) and this process's own
  broadcaster is woken.
* **Listening** (a *notifier*, one per process, owned by the broadcaster): its ``wait(timeout)``
  returns when there may be something new. :class:`PostgresNotifier` holds one ``LISTEN``
  connection per process, :class:`RedisNotifier` one pub/sub subscription; each wakes the
  broadcaster as soon as a notification arrives. Both keep a slow safety poll
  (``MEETOPS_FLOOR_SAFETY_POLL_SECONDS``, 5 s) and fall back to the ordinary poll
  (``MEETOPS_FLOOR_TICK_SECONDS``) while their connection is down, so a lost notification or a
  restarting Redis delays an update, never loses it: the broadcaster's tick always compares
  versions in the database, the one source of truth.

:func:`make_notifier` picks one: ``MEETOPS_FLOOR_NOTIFIER`` ("module:factory") when set, else
Redis when ``MEETOPS_REDIS_URL`` is set, else ``LISTEN``/``NOTIFY`` on PostgreSQL, else polling.
"""

from __future__ import annotations

import importlib
import logging
import threading

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

#: the PostgreSQL channel and the Redis channel
CHANNEL = "meetops_floor"
REDIS_CHANNEL = "meetops:floor"
#: key in ``Session.info`` of the session ids changed in the current transaction
PENDING = "meetops.floor.changed"
REDIS_CLIENT = "meetops.floor.redis"


# --- announcing ----------------------------------------------------------------------------


def floor_changed(dbs: Session, session_id: int) -> None:
    """The floor of ``session_id`` changed in the current transaction: NOTIFY (PostgreSQL,
    delivered at commit), and publish / wake the local broadcaster after the commit."""
    if dbs.get_bind().dialect.name == "postgresql":
        dbs.execute(text("SELECT pg_notify(:channel, :payload)"),
                    {"channel": CHANNEL, "payload": str(session_id)})
    dbs.info.setdefault(PENDING, set()).add(session_id)


def _after_commit(dbs: Session) -> None:
    changed = dbs.info.pop(PENDING, None)
    if not changed or not has_app_context():
        return
    app = current_app._get_current_object()
    url = app.config.get("MEETOPS_REDIS_URL")
    if url:
        try:
            client = _redis_client(app, url)
            for session_id in sorted(changed):
                client.publish(REDIS_CHANNEL, str(session_id))
        except Exception:  # the other instances' safety poll delivers it a little later
            log.warning("could not publish a floor change on Redis", exc_info=True)
    from .broadcast import poke

    poke(app, changed)  # drops this process's cached states of those floors, wakes it


def _after_rollback(dbs: Session) -> None:
    dbs.info.pop(PENDING, None)


def _redis_client(app: Flask, url: str):
    client = app.extensions.get(REDIS_CLIENT)
    if client is None:
        import redis

        client = app.extensions[REDIS_CLIENT] = redis.Redis.from_url(
            url, socket_connect_timeout=2, socket_timeout=2)
    return client


def install() -> None:
    """Hook the after-commit publishing into every SQLAlchemy session (once)."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_rollback", _after_rollback)


install()


# --- listening -----------------------------------------------------------------------------


class PollingNotifier:
    """The database-only fallback: wake every ``interval`` seconds, or when poked."""

    #: whether every change of every instance reaches this process as it commits (the
    #: floor's state cache is served only then)
    live = False

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self._event = threading.Event()

    def wait(self, timeout: float | None = None) -> None:
        limit = self.interval if timeout is None else min(self.interval, max(0.0, timeout))
        self._event.wait(limit)
        self._event.clear()

    def poke(self) -> None:
        self._event.set()

    def close(self) -> None:
        self._event.set()


class PushNotifier(PollingNotifier):
    """A notifier fed by a listener thread: wakes at a notification, a local poke, or the
    slow safety poll; polls at ``fallback`` while the listener is not connected."""

    name = "push"

    def __init__(self, safety: float = 5.0, fallback: float = 0.25) -> None:
        super().__init__(safety)
        self.safety = safety
        self.fallback = fallback
        #: the listener is connected and subscribed (notifications will arrive)
        self.connected = threading.Event()
        #: notifications received (tests and diagnostics)
        self.received = 0
        #: called with the session id of each notification (None: any floor may have
        #: changed); the broadcaster drops its cached state there
        self.on_change = None
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the listener thread (done by the first :meth:`wait`, i.e. in the worker
        process after any fork)."""
        with self._lock:
            self._closed.clear()  # a thread still finishing after close() carries on
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._run, daemon=True,
                                            name=f"meetops-floor-{self.name}-listener")
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        self.start()
        self.interval = self.safety if self.connected.is_set() else self.fallback
        super().wait(timeout)

    def close(self) -> None:
        """Stop listening: the thread closes its connection within half a second."""
        self._closed.set()
        super().close()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2)

    @property
    def live(self) -> bool:
        return self.connected.is_set()

    def notified(self, payload=None) -> None:
        """A notification (its payload: the session id) arrived."""
        self.received += 1
        if self.on_change is not None:
            if isinstance(payload, bytes):
                payload = payload.decode("ascii", "replace")
            session_id = int(payload) if isinstance(payload, str) and payload.isdigit() \
                else None
            self.on_change(session_id)
        self._event.set()

    def _run(self) -> None:
        failures = 0
        while not self._closed.is_set():
            try:
                self.listen()
                failures = 0
            except Exception:
                failures += 1
                if failures == 1 or failures % 100 == 0:
                    log.warning("floor %s listener lost its connection (%d in a row)",
                                self.name, failures, exc_info=True)
            self.connected.clear()
            self._event.set()  # poll at once and then quickly until connected again
            self._closed.wait(min(5.0, 0.2 * 2 ** min(failures, 5)))

    def listen(self) -> None:  # pragma: no cover - implemented by subclasses
        raise NotImplementedError

    def _subscribed(self) -> None:
        """Connected: from now on nothing is missed; tick once for what came before, and
        forget states cached before (a change may have been missed while disconnected)."""
        if self.on_change is not None:
            self.on_change(None)
        self.connected.set()
        self._event.set()


class PostgresNotifier(PushNotifier):
    """One ``LISTEN meetops_floor`` connection per process (psycopg 3, autocommit)."""

    name = "postgresql"

    def __init__(self, conninfo: str, safety: float = 5.0, fallback: float = 0.25) -> None:
        super().__init__(safety, fallback)
        self.conninfo = conninfo

    def listen(self) -> None:
        import psycopg

        with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            self._subscribed()
            while not self._closed.is_set():
                for notify in conn.notifies(timeout=0.5):
                    self.notified(notify.payload)
                # a dead connection raises above; a quiet one just loops


class RedisNotifier(PushNotifier):
    """One pub/sub subscription to ``meetops:floor`` per process."""

    name = "redis"

    def __init__(self, url: str, safety: float = 5.0, fallback: float = 0.25) -> None:
        super().__init__(safety, fallback)
        self.url = url

    def listen(self) -> None:
        import redis

        client = redis.Redis.from_url(self.url, socket_connect_timeout=2,
                                      health_check_interval=10)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            pubsub.subscribe(REDIS_CHANNEL)
            self._subscribed()
            while not self._closed.is_set():
                message = pubsub.get_message(timeout=0.5)
                if message is not None:
                    self.notified(message.get("data"))
        finally:
            pubsub.close()
            client.close()


def psycopg_conninfo(url: str) -> str:
    """A SQLAlchemy ``postgresql+psycopg://`` URL as a libpq connection string."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


def make_notifier(app: Flask):
    """The notifier for ``app``'s broadcaster (see the module's docstring)."""
    path = app.config.get("MEETOPS_FLOOR_NOTIFIER")
    if path:
        module, _, name = path.partition(":")
        return getattr(importlib.import_module(module), name)(app)
    fallback = float(app.config.get("MEETOPS_FLOOR_TICK_SECONDS", 0.25))
    safety = float(app.config.get("MEETOPS_FLOOR_SAFETY_POLL_SECONDS", 5.0))
    if app.config.get("MEETOPS_REDIS_URL"):
        return RedisNotifier(app.config["MEETOPS_REDIS_URL"], safety, fallback)
    url = str(app.config.get("SQLALCHEMY_DATABASE_URI") or "")
    if url.startswith("postgresql"):
        return PostgresNotifier(psycopg_conninfo(url), safety, fallback)
    return PollingNotifier(fallback)
