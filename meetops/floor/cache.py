"""Each process's cache of floor states: the floor's JSON read, a new stream's first event and
the chair's "before" cost no query while the floor has not changed.

The database stays the one source of truth; the cache only saves reading it again. An entry
is a state built from the database at some version, with the timing of its current
intervention, so it can be told at any later instant (:func:`services.retimed`). It is served
only while all of this holds:

* the process's broadcaster runs and its notifier is *connected* (PostgreSQL ``LISTEN`` or
  Redis pub/sub): every committed change of any instance then reaches this process within the
  notification's delay, and drops the entry of its session (:meth:`StateCache.invalidate`).
  With the polling notifier (SQLite, no Redis) the cache is off: every read goes to the
  database, as a poll could not tell a change in time;
* the entry is younger than ``MEETOPS_FLOOR_CACHE_SECONDS`` (1 s; 0 turns the cache off): what
  a state may change without a new version (the limit of the next turn, set by the agenda item
  under way) is at most that old;
* the hard deadline of its turn has not come: a due limit is applied by a database read, as
  before;
* the caller has not seen a newer version (a chair's ``version``, a client's ``If-None-Match``:
  a change this process has not been told of yet).

A build that started before an invalidation is not stored (each session has a generation,
taken before the build and checked when storing), so a notification that overtakes a slow
build cannot leave an old state behind. Changes made in this process drop their entries when
they commit (:func:`meetops.floor.notifiers.floor_changed`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from . import services

__all__ = ["Entry", "StateCache"]


@dataclass(frozen=True)
class Entry:
    version: int
    state: dict
    timing: services.Timing | None
    etag: str
    #: the hard deadline of the running turn (None: nothing due)
    due: datetime | None
    built_at: datetime
    expires_at: datetime

    def at(self, now: datetime) -> dict:
        """The state as it reads at ``now``."""
        return services.retimed(self.state, self.timing, now)


class StateCache:
    def __init__(self, ttl: float, is_live: Callable[[], bool]) -> None:
        self.ttl = ttl
        self.is_live = is_live
        self._entries: dict[int, Entry] = {}
        self._generations: dict[int, int] = {}
        self._epoch = 0
        self._lock = threading.Lock()
        #: served and missed reads (benchmarks and tests)
        self.hits = self.misses = 0

    @property
    def enabled(self) -> bool:
        return self.ttl > 0

    def token(self, session_id: int) -> tuple[int, int]:
        """Take before reading the database for ``session_id``; give to :meth:`store`."""
        with self._lock:
            return self._epoch, self._generations.get(session_id, 0)

    def invalidate(self, session_id: int | None = None) -> None:
        """The floor of ``session_id`` (of every session when None) changed."""
        with self._lock:
            if session_id is None:
                self._epoch += 1
                self._entries.clear()
            else:
                self._generations[session_id] = self._generations.get(session_id, 0) + 1
                self._entries.pop(session_id, None)

    def seen(self, session_id: int, version: int) -> None:
        """The database is at ``version``: drop an entry behind it (a lost notification)."""
        with self._lock:
            entry = self._entries.get(session_id)
        if entry is not None and entry.version < version:
            self.invalidate(session_id)

    def store(self, token: tuple[int, int], state: dict, timing: services.Timing | None,
              built_at: datetime) -> Entry | None:
        """Keep a state built from the database after ``token`` was taken, unless its session
        changed since."""
        if not self.enabled:
            return None
        session_id = state["session_id"]
        due = None
        if timing is not None and state["enforcement"] == "hard":
            due = services.deadline(timing)
        entry = Entry(state["version"], state, timing, services.etag(state), due, built_at,
                      built_at + timedelta(seconds=self.ttl))
        with self._lock:
            if token != (self._epoch, self._generations.get(session_id, 0)):
                return None
            old = self._entries.get(session_id)
            if old is not None and old.version > entry.version:
                return None
            self._entries[session_id] = entry
        return entry

    def get(self, session_id: int, now: datetime, *, min_version: int = 0) -> Entry | None:
        """The entry to serve at ``now``, None when the database must be read."""
        if not self.enabled or not self.is_live():
            return None
        with self._lock:
            entry = self._entries.get(session_id)
        if entry is None or entry.version < min_version or not \
                entry.built_at <= now < entry.expires_at or \
                (entry.due is not None and now >= entry.due):
            self.misses += 1
            return None
        self.hits += 1
        return entry
