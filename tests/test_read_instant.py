"""The one parser of typed instants (meeting dates, comment deadlines, agenda times)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from meetops.meetings.services import read_instant

ZONE = "America/Santiago"


@pytest.mark.parametrize(("value", "dates", "expected"), [
    ("2025-11-27T11:00:00", False, datetime(2025, 11, 27, 14, 0, tzinfo=UTC)),
    ("2025-11-27T11:00:00.750", False, datetime(2025, 11, 27, 14, 0, tzinfo=UTC)),
    ("2025-11-27T14:00:00Z", False, datetime(2025, 11, 27, 14, 0, tzinfo=UTC)),
    ("2025-11-27T11:00:00-03:00", False, datetime(2025, 11, 27, 14, 0, tzinfo=UTC)),
    (" 2025-11-10 ", True, datetime(2025, 11, 11, 2, 59, 59, tzinfo=UTC)),
    ("2025-11-10T12:00:00", True, datetime(2025, 11, 10, 15, 0, tzinfo=UTC)),
])
def test_instants(value, dates, expected, app):
    errors: dict = {}
    assert read_instant(value, ZONE, "when", errors, dates=dates) == expected
    assert errors == {}


@pytest.mark.parametrize(("value", "dates", "fragment"), [
    ("2025-09-07T00:30:00", False, "does not exist"),
    ("2025-04-05T23:30:00", False, "happens twice"),
    ("9999-12-31T23:00:00", False, "between"),
    ("0001-01-01T00:00:00", False, "between"),
    ("1999-12-31T12:00:00Z", False, "between"),
    ("tomorrow", False, "ISO 8601"),
    ("", True, "YYYY-MM-DD"),
    (20251110, True, "YYYY-MM-DD"),
])
def test_refusals_say_why(value, dates, fragment, app):
    errors: dict = {}
    assert read_instant(value, ZONE, "when", errors, dates=dates) is None
    assert fragment in str(errors["when"])
