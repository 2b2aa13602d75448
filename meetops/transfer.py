"""Export a meeting with all its data as one JSON document, and import it back.

The tables that belong to a meeting are found from the schema itself: ``meetings``, every table
with a foreign key to a table already included, and so on (association tables too). So a table
added by a new feature travels without changes here. Staff accounts, the outbox and the
scheduler's own tables are not meeting data and stay behind.

On import every row gets a new primary key in the target database and its foreign keys follow,
so a meeting can be restored next to others. Instants are written as ISO 8601 UTC.
"""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime

from sqlalchemy import Date, Table, select
from sqlalchemy.orm import Session as DbSession

from .dbtypes import UTCDateTime
from .errors import Conflict, ValidationError
from .extensions import db
from .meetings.models import Meeting

FORMAT = "meetops-meeting-export"
VERSION = 1
EXCLUDED = {"users", "outbox", "apscheduler_jobs", "alembic_version"}


def meeting_tables() -> list[Table]:
    """Tables holding meeting data, parents before children."""
    metadata = db.metadata
    included = {"meetings"}
    changed = True
    while changed:
        changed = False
        for table in metadata.sorted_tables:
            if table.name in included or table.name in EXCLUDED:
                continue
            if any(fk.column.table.name in included for fk in table.foreign_keys
                   if fk.column.table.name != table.name):
                included.add(table.name)
                changed = True
    return [t for t in metadata.sorted_tables if t.name in included]


def _encode(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return {"$base64": base64.b64encode(value).decode()}
    return value


def _decode(column, value):
    if value is None:
        return None
    if isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    if isinstance(value, dict) and "$base64" in value:
        return base64.b64decode(value["$base64"])
    return value


def _parents(table: Table, tables: list[Table]) -> dict[str, Table]:
    """For each foreign-key column, the included table it points to."""
    names = {t.name for t in tables}
    return {fk.parent.name: fk.column.table for fk in table.foreign_keys
            if fk.column.table.name in names}


def _outside_links(table: Table, tables: list[Table]) -> set[str]:
    """Foreign-key columns pointing outside the meeting (staff accounts): not carried over,
    since the target database has its own."""
    names = {t.name for t in tables}
    return {fk.parent.name for fk in table.foreign_keys if fk.column.table.name not in names}


def export_meeting(dbs: DbSession, slug: str, *, now: datetime) -> dict:
    meeting = dbs.execute(select(Meeting).filter_by(slug=slug)).scalar_one_or_none()
    if meeting is None:
        raise ValidationError(fields={"slug": f"no meeting {slug!r}"})
    tables = meeting_tables()
    kept: dict[str, set] = {}
    data: dict[str, list[dict]] = {}
    for table in tables:
        rows = dbs.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        parents = _parents(table, tables)
        selected = []
        for row in rows:
            if table.name == "meetings":
                keep = row["id"] == meeting.id
            else:
                links = [(col, parent) for col, parent in parents.items()
                         if row[col] is not None]
                keep = bool(links) and all(row[col] in kept[parent.name]
                                           for col, parent in links)
            if keep:
                selected.append({k: _encode(v) for k, v in row.items()})
        pk = table.primary_key.columns
        kept[table.name] = ({r[pk[0].name] for r in selected} if len(pk) == 1 else set())
        data[table.name] = selected
    return {"format": FORMAT, "version": VERSION, "exported_at": _encode(now),
            "meeting": slug, "tables": data}


def import_meeting(dbs: DbSession, document: dict) -> Meeting:
    """Insert the exported meeting; refuses when a meeting with its slug exists."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValidationError(fields={"format": f"not a {FORMAT} document"})
    if document.get("version") != VERSION:
        raise ValidationError(fields={"version": f"version {VERSION} expected"})
    slug = document["meeting"]
    if dbs.execute(select(Meeting.id).filter_by(slug=slug)).first():
        raise Conflict(f"meeting {slug!r} already exists", code="duplicate")
    tables = meeting_tables()
    unknown = set(document["tables"]) - {t.name for t in tables}
    if unknown:
        raise ValidationError(fields={"tables": f"unknown tables: {sorted(unknown)}"})
    new_ids: dict[str, dict] = {}
    connection = dbs.connection()
    for table in tables:
        parents = _parents(table, tables)
        outside = _outside_links(table, tables)
        pk = list(table.primary_key.columns)
        # a surrogate key gets a new value; a key that is also a foreign key (floor_states'
        # session_id) follows its parent like any other foreign key
        single_pk = pk[0].name if len(pk) == 1 and not pk[0].foreign_keys \
            and pk[0].autoincrement in (True, "auto") else None
        mapping = new_ids.setdefault(table.name, {})
        for row in document["tables"].get(table.name, []):
            values = {}
            for column in table.columns:
                if column.name not in row:
                    continue
                value = _decode(column, row[column.name])
                if column.name in parents and value is not None:
                    value = new_ids[parents[column.name].name][value]
                elif column.name in outside:
                    value = None
                values[column.name] = value
            old_id = values.pop(single_pk) if single_pk else None
            result = connection.execute(table.insert().values(**values))
            if single_pk:
                mapping[old_id] = result.inserted_primary_key[0]
    dbs.expire_all()
    return dbs.execute(select(Meeting).filter_by(slug=slug)).scalar_one()
