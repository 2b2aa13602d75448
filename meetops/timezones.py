"""Conversions between UTC instants and a meeting's IANA zone.

pytz zones must be applied with ``localize`` and ``normalize``; giving one as ``tzinfo=`` picks
the zone's first historical offset (local mean time) and is wrong by minutes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytz


class LocalTimeError(ValueError):
    """A wall-clock time that does not exist, or exists twice, in a zone."""

    def __init__(self, kind: str, local: datetime, zone: str) -> None:
        self.kind = kind  # "nonexistent" or "ambiguous"
        self.local = local
        self.zone = zone
        super().__init__(f"{local:%Y-%m-%d %H:%M} is {kind} in {zone}")


def zone(name: str) -> pytz.BaseTzInfo:
    return pytz.timezone(name)


def is_valid_zone(name: str) -> bool:
    return name in pytz.all_timezones_set


def to_utc(local: datetime, zone_name: str) -> datetime:
    """A naive wall-clock time in ``zone_name`` to aware UTC; refuses DST gaps and overlaps."""
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    tz = zone(zone_name)
    try:
        aware = tz.localize(local, is_dst=None)
    except pytz.NonExistentTimeError as exc:
        raise LocalTimeError("nonexistent", local, zone_name) from exc
    except pytz.AmbiguousTimeError as exc:
        raise LocalTimeError("ambiguous", local, zone_name) from exc
    return aware.astimezone(UTC)


def local_end_of_day(day: date, zone_name: str) -> datetime:
    """23:59:59 of ``day`` in the zone, as aware UTC."""
    return to_utc(datetime.combine(day, time(23, 59, 59)), zone_name)


#: the years (in the meeting's zone) of the instants people may type (deadlines, dates); far
#: beyond them an instant cannot even be converted between zones (datetime ends at 1 and 9999)
SUPPORTED_YEARS = (2000, 2999)


def in_supported_years(instant: datetime, zone_name: str) -> bool:
    """Whether ``instant`` falls in :data:`SUPPORTED_YEARS` in ``zone_name``."""
    first, last = SUPPORTED_YEARS
    # the UTC year first: only near the range can the local one be computed
    return (first - 1 <= instant.astimezone(UTC).year <= last + 1
            and first <= to_local(instant, zone_name).year <= last)


def to_local(instant: datetime, zone_name: str) -> datetime:
    """An aware instant as an aware datetime in ``zone_name``."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime: store and pass instants in aware UTC")
    tz = zone(zone_name)
    return tz.normalize(instant.astimezone(tz))


def iso_utc(instant: datetime | None) -> str | None:
    """``2025-11-27T14:00:00Z``."""
    if instant is None:
        return None
    return instant.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_local(instant: datetime | None, zone_name: str) -> str | None:
    """``2025-11-27T11:00:00-03:00``."""
    if instant is None:
        return None
    return to_local(instant, zone_name).replace(microsecond=0).isoformat()


def parse_local_input(value: str, zone_name: str) -> datetime:
    """Parse a form value: ISO with an offset is an instant; without one, meeting-local time."""
    text = value.strip().replace("Z", "+00:00")
    parsed = datetime.fromisoformat(text)
    return to_utc(parsed, zone_name)
