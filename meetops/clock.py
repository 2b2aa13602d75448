"""The one source of "now".

Everything that needs the current instant asks :func:`now`; services receive ``now`` as an
argument so tests can pass any instant. Three clocks exist:

* :class:`SystemClock`: the real time (production);
* :class:`OffsetClock`: starts at ``MEETOPS_CLOCK_START`` and runs forward in real time
  (rehearsals, demos, acceptance checks);
* :class:`FrozenClock`: stands still until a test moves it.

All return aware UTC datetimes.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from flask import current_app


def _real_utc() -> datetime:
    return datetime.fromtimestamp(time.time(), UTC)


class SystemClock:
    def now(self) -> datetime:
        return _real_utc()


class OffsetClock:
    """Starts at ``start`` when created, then runs forward at real speed."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock start needs a UTC offset")
        self._offset = start.astimezone(UTC) - _real_utc()

    def now(self) -> datetime:
        return _real_utc() + self._offset


class FrozenClock:
    """A clock for tests: it moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self.set(start)

    def set(self, instant: datetime) -> None:
        if instant.tzinfo is None:
            raise ValueError("FrozenClock needs an aware datetime")
        self._now = instant.astimezone(UTC)

    def advance(self, seconds: float = 0, **kwargs: float) -> datetime:
        self._now += timedelta(seconds=seconds, **kwargs)
        return self._now

    def now(self) -> datetime:
        return self._now


def parse_instant(value: str) -> datetime:
    """Parse an ISO 8601 instant that carries an offset (``Z`` allowed) into aware UTC."""
    parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return parsed.astimezone(UTC)


def clock_from_config(start: str | None):
    return OffsetClock(parse_instant(start)) if start else SystemClock()


def get_clock():
    return current_app.extensions["meetops.clock"]


def now() -> datetime:
    """The current instant (aware UTC) by the application's clock."""
    return get_clock().now()
