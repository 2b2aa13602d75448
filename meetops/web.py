"""Helpers shared by the views: JSON bodies, visitor time zones, date formatting."""

from __future__ import annotations

from datetime import datetime, timedelta

import orjson
from babel.dates import format_date, format_datetime, format_time, format_timedelta
from flask import current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest as WerkzeugBadRequest
from werkzeug.routing import IntegerConverter

from .dbtypes import MAX_INTEGER
from .errors import BadRequest
from .timezones import is_valid_zone, to_local


class FastJSONProvider(DefaultJSONProvider):
    """Flask's JSON responses, encoded by orjson: the same JSON as Flask's own encoder (sorted
    keys; dates, decimals, lazy translations through Flask's ``default``), about ten times
    faster on the floor's 6 KB state, which live pages and tools read many times a second.
    Non-ASCII text is sent as UTF-8 rather than ``\\u`` escapes. What orjson refuses
    (integers beyond 64 bits) falls back to the standard encoder. Reading stays standard."""

    def dumps(self, obj, **kwargs) -> str:
        option = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS
        if kwargs.get("sort_keys", self.sort_keys):
            option |= orjson.OPT_SORT_KEYS
        if kwargs.get("indent"):
            option |= orjson.OPT_INDENT_2
        try:
            return orjson.dumps(obj, default=kwargs.get("default", self.default),
                                option=option).decode()
        except TypeError:  # orjson.JSONEncodeError: e.g. an integer beyond 64 bits
            return super().dumps(obj, **kwargs)


def _has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def json_body() -> dict:
    """The request's JSON object, whatever the Content-Type says; 400 when malformed, or when
    a text holds the NUL character (``\\u0000``), which PostgreSQL cannot store."""
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
    if _has_nul(data):
        raise BadRequest(_l("Texts in the request cannot contain the NUL character."),
                         code="malformed_json")
    return data


class IdConverter(IntegerConverter):
    """``<int:...>`` in URLs, up to the largest id a column holds: a longer number is a 404
    like any unknown id, not an overflow in the database driver."""

    #: the numbers 0 to 2**31 - 1 (2147483647) and nothing else, so that a larger one matches
    #: no route at all (a converter that refused it later made werkzeug answer 405 when the
    #: same path had other methods)
    regex = ("(?:[0-9]{1,9}|1[0-9]{9}|20[0-9]{8}|21[0-3][0-9]{7}|214[0-6][0-9]{6}"
             "|2147[0-3][0-9]{5}|21474[0-7][0-9]{4}|214748[0-2][0-9]{3}|2147483[0-5][0-9]{2}"
             "|21474836[0-3][0-9]|214748364[0-7])")

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(map, *args, **kwargs)


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
