"""Registrations as JSON and CSV."""

from __future__ import annotations

import csv
import io

from ..timezones import iso_utc
from .models import Registration

CSV_COLUMNS = ("id", "name", "email", "organization", "position", "category", "country",
               "language", "sessions", "accessibility", "status", "created_at")
DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def registration_dict(registration: Registration) -> dict:
    return {
        "id": registration.id,
        "meeting": registration.meeting.slug,
        "name": registration.name,
        "email": registration.email,
        "organization": registration.organization,
        "position": registration.position,
        "category": registration.category,
        "country": registration.country,
        "language": registration.language,
        "sessions": [s.id for s in registration.sessions],
        "accessibility": registration.accessibility,
        "status": registration.status,
        "created_at": iso_utc(registration.created_at),
        "updated_at": iso_utc(registration.updated_at),
    }


def spreadsheet_safe(value) -> str:
    """Neutralise a cell a spreadsheet would run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


def to_csv(registrations: list[Registration]) -> str:
    """UTF-8 CSV (with a BOM, so spreadsheets keep the accents) of the registrations."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for registration in registrations:
        row = registration_dict(registration)
        row["sessions"] = " ".join(s.key for s in registration.sessions)
        writer.writerow([spreadsheet_safe(row[column]) for column in CSV_COLUMNS])
    return buffer.getvalue()
