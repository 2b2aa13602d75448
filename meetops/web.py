"""Helpers shared by the views: JSON bodies, visitor time zones, date formatting."""

from __future__ import annotations

from datetime import datetime, timedelta

from babel.dates import format_date, format_datetime, format_time, format_timedelta
from flask import current_app, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest as WerkzeugBadRequest

from .errors import BadRequest
from .timezones import is_valid_zone, to_local


def json_body() -> dict:
    """The request's JSON object, whatever the Content-Type says; 400 when malformed."""
    if not request.get_data(cache=True):
        raise BadRequest(_l("The request body is empty; send a JSON object."),
                         code="malformed_json")
    try:
        data = request.get_json(force=True, silent=False)
    except WerkzeugBadRequest:
        raise BadRequest(_l("The request body is not valid JSON."), code="malformed_json") \
            from None
    if not isinstance(data, dict):
        raise BadRequest(_l("The request body must be a JSON object."), code="malformed_json")
    return data


def visitor_zone() -> str | None:
    """The visitor's own IANA zone: ``?tz=``, else the ``tz`` cookie the browser sets."""
    for candidate in (request.args.get("tz"), request.cookies.get("tz")):
        if candidate and is_valid_zone(candidate):
            return candidate
    return None


def fmt_datetime(instant: datetime | None, zone: str, fmt: str = "full_short") -> str:
    """An instant shown in ``zone`` in the visitor's locale (``full_short``: weekday, date and
    time; ``time``: the time alone; ``date``: the date)."""
    if instant is None:
        return ""
    locale = get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]
    local = to_local(instant, zone)
    if fmt == "time":
        return format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    if fmt == "date":
        return format_date(local, "full", locale=locale)
    if fmt == "full_short":
        return (format_date(local, "full", locale=locale) + ", "
                + format_time(local, "HH:mm", tzinfo=local.tzinfo, locale=locale))
    return format_datetime(local, fmt, tzinfo=local.tzinfo, locale=locale)


def fmt_span(start: datetime, end: datetime | None, zone: str, fmt: str = "full_short") -> str:
    """``jueves, 27 de noviembre de 2025, 11:00–14:00``: a start, and the end's time when it
    falls on the same local day (else the end in full)."""
    text = fmt_datetime(start, zone, fmt)
    if end is None:
        return text
    same_day = to_local(start, zone).date() == to_local(end, zone).date()
    return text + "–" + fmt_datetime(end, zone, "time" if same_day else fmt)


def zone_label(zone: str) -> str:
    """``America/Santiago`` -> ``Santiago``."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")


def fmt_duration(seconds: int) -> str:
    """``180`` -> "3 minutes" / "3 minutos"."""
    locale = get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"]
    return format_timedelta(timedelta(seconds=seconds), threshold=1, locale=locale)
