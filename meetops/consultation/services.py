"""Consultation domain: priority areas (load, import), comment deadlines by category, comments
and support offers (create, change, withdraw), the support matrix.

Every function takes the database session and, where time matters, ``now`` explicitly.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime
from importlib import resources

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session as DbSession

from ..dbtypes import without_nul
from ..errors import Forbidden, NotFound, ValidationError
from ..meetings.models import Meeting
from ..meetings.services import read_instant
from ..registration.categories import CATEGORIES
from ..registration.models import Registration
from ..timezones import (
    iso_local,
    iso_utc,
    to_local,
)
from ..web import zone_label
from .models import (
    DEFAULT_CATEGORY,
    HORIZONS,
    SUPPORT_TYPES,
    Comment,
    CommentDeadline,
    PriorityArea,
    comment_areas,
)

DEMO_FILE = "priority-areas.json"
TEXT_LIMIT = 5000
DESCRIPTION_LIMIT = 2000
TITLE_LIMIT = 500
CHAPTER_TITLE_LIMIT = 300
#: the largest id an INTEGER primary key holds (32-bit signed on PostgreSQL)
MAX_ID = 2**31 - 1
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,19}$")
CSV_AREA_COLUMNS = ("code", "chapter", "chapter_title_en", "chapter_title_es", "title_en",
                    "title_es")

HORIZON_LABELS = {
    "short": _l("Short term"),
    "medium": _l("Medium term"),
    "long": _l("Long term"),
}
SUPPORT_LABELS = {
    "technical": _l("Technical"),
    "material": _l("Material"),
    "financial": _l("Financial"),
}


class CommentsClosed(Forbidden):
    code = "comments_closed"
    default_message = _l("The period for comments has closed.")


# --- priority areas -------------------------------------------------------------------------


def list_areas(dbs: DbSession, meeting: Meeting) -> list[PriorityArea]:
    return list(dbs.execute(select(PriorityArea).filter_by(meeting_id=meeting.id).order_by(
        PriorityArea.position, PriorityArea.id)).scalars())


def areas_by_code(dbs: DbSession, meeting: Meeting) -> dict[str, PriorityArea]:
    """The meeting's areas by code (for the agenda's ``agenda_item_areas`` links)."""
    return {area.code: area for area in list_areas(dbs, meeting)}


def area_dict(area: PriorityArea) -> dict:
    return {"code": area.code, "chapter": area.chapter, "chapter_title": area.chapter_title,
            "title": area.title, "provisional": area.provisional}


def chapters(areas: list[PriorityArea]) -> list[tuple[int, dict, list[PriorityArea]]]:
    """Areas grouped by chapter, in order: ``[(number, chapter_title, [areas])]``."""
    grouped: dict[int, tuple[int, dict, list[PriorityArea]]] = {}
    for area in areas:
        grouped.setdefault(area.chapter, (area.chapter, area.chapter_title, []))[2].append(area)
    return sorted(grouped.values(), key=lambda item: item[0])


def demo_data() -> dict:
    return json.loads(resources.files("meetops.data").joinpath(DEMO_FILE).read_text("utf-8"))


def rows_from_json(data) -> list:
    """Accept the demo file's shape (``chapters`` with nested ``areas``), ``{"areas": [...]}``
    or a plain list of areas."""
    if isinstance(data, dict) and isinstance(data.get("chapters"), list):
        rows = []
        for chapter in data["chapters"]:
            if not isinstance(chapter, dict):
                raise ValidationError(fields={"chapters": _l("Each chapter must be an object.")})
            title = chapter.get("title") if isinstance(chapter.get("title"), dict) else {}
            areas = chapter.get("areas")
            if areas is None:
                areas = []
            if not isinstance(areas, list):
                raise ValidationError(fields={"chapters": _l(
                    "The areas of each chapter must be a list.")})
            for area in areas:
                row = dict(area) if isinstance(area, dict) else {"code": area}
                row.setdefault("chapter", chapter.get("chapter"))
                row.setdefault("chapter_title", title)
                rows.append(row)
        return rows
    if isinstance(data, dict) and isinstance(data.get("areas"), list):
        return data["areas"]
    if isinstance(data, list):
        return data
    raise ValidationError(fields={"file": _l(
        "Expected a list of priority areas, or an object with \"areas\" or \"chapters\".")})


def parse_areas_file(filename: str, content: bytes) -> list:
    """Rows of a JSON or CSV file of priority areas (CSV columns: code, chapter,
    chapter_title_en, chapter_title_es, title_en, title_es)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(fields={"file": _l("The file must be UTF-8 text.")}) from None
    if filename.lower().endswith(".json") or text.lstrip().startswith(("{", "[")):
        try:
            return rows_from_json(json.loads(text))
        except json.JSONDecodeError:
            raise ValidationError(fields={"file": _l("The file is not valid JSON.")}) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("code", "chapter", "title_en", "title_es")
               if c not in (reader.fieldnames or [])]
    if missing:
        raise ValidationError(fields={"file": _l(
            "The CSV file needs the columns %(columns)s.", columns=", ".join(CSV_AREA_COLUMNS))})
    return list(reader)


def _bilingual(row: dict, name: str) -> tuple:
    nested = row.get(name)
    if isinstance(nested, dict):
        return nested.get("en"), nested.get("es")
    return row.get(f"{name}_en"), row.get(f"{name}_es")


def clean_area_rows(rows: list) -> list[dict]:
    """Validate imported rows; raise :class:`ValidationError` naming each bad row and field."""
    if not isinstance(rows, list) or not rows:
        raise ValidationError(fields={"areas": _l("The list of priority areas is empty.")})
    errors: dict = {}
    out: list[dict] = []
    seen: set[str] = set()
    for index, row in enumerate(rows, start=1):
        key = f"areas[{index}]"
        if not isinstance(row, dict):
            errors[key] = _l("Each priority area must be an object.")
            continue
        code = row.get("code")
        code = code.strip() if isinstance(code, str) else ""
        if not CODE_PATTERN.match(code):
            errors[f"{key}.code"] = _l(
                "A code of 1 to 20 letters, digits, dots, dashes or underscores.")
        elif code.casefold() in seen:
            errors[f"{key}.code"] = _l("The code %(code)s appears twice.", code=code)
        seen.add(code.casefold())
        chapter = row.get("chapter")
        try:
            chapter = int(str(chapter).strip())
        except (TypeError, ValueError):
            chapter = 0
        if isinstance(row.get("chapter"), bool) or not 1 <= chapter <= 99:
            errors[f"{key}.chapter"] = _l("The chapter is a whole number from 1 to 99.")
        title_en, title_es = _bilingual(row, "title")
        chapter_en, chapter_es = _bilingual(row, "chapter_title")
        clean = {"code": code, "chapter": chapter}
        for name, value, limit, required in (
                ("title_en", title_en, TITLE_LIMIT, True),
                ("title_es", title_es, TITLE_LIMIT, True),
                ("chapter_title_en", chapter_en, CHAPTER_TITLE_LIMIT, False),
                ("chapter_title_es", chapter_es, CHAPTER_TITLE_LIMIT, False)):
            value = " ".join(without_nul(value).split()) if isinstance(value, str) else ""
            if required and not value:
                errors[f"{key}.{name}"] = _l("This field is required.")
            elif len(value) > limit:
                errors[f"{key}.{name}"] = _l("At most %(n)d characters.", n=limit)
            clean[name] = value
        out.append(clean)
    if errors:
        raise ValidationError(fields=errors)
    return out


def import_areas(dbs: DbSession, meeting: Meeting, rows: list, *, provisional: bool = False,
                 replace: bool = True) -> dict:
    """Create or update the meeting's areas from ``rows`` (matched by code, in file order).

    With ``replace``, areas missing from the file are removed, except those that comments
    refer to: these are kept (and reported) so no comment loses its areas.
    Returns ``{"created", "updated", "removed", "kept"}``.
    """
    cleaned = clean_area_rows(rows)
    existing = {area.code.casefold(): area for area in list_areas(dbs, meeting)}
    created = updated = 0
    for position, row in enumerate(cleaned, start=1):
        area = existing.pop(row["code"].casefold(), None)
        if area is None:
            area = PriorityArea(meeting_id=meeting.id)
            dbs.add(area)
            created += 1
        else:
            updated += 1
        for name, value in row.items():
            setattr(area, name, value)
        area.position = position
        area.provisional = provisional
    removed, kept = 0, []
    if replace and existing:
        used = set(dbs.execute(select(comment_areas.c.area_id).where(
            comment_areas.c.area_id.in_([a.id for a in existing.values()]))).scalars())
        for area in existing.values():
            if area.id in used:
                kept.append(area.code)
                area.position = len(cleaned) + len(kept)
                area.provisional = provisional
            else:
                dbs.delete(area)
                removed += 1
    dbs.flush()
    return {"created": created, "updated": updated, "removed": removed, "kept": kept}


def load_consultation(dbs: DbSession, meeting: Meeting, data: dict | None = None) -> dict:
    """Load the provisional areas and the comment deadlines of the demo (or ``data``) into
    ``meeting``, unless it has them already (idempotent: never overwrites admins' changes)."""
    data = data if data is not None else demo_data()
    result = {"areas": 0, "deadlines": 0}
    if not list_areas(dbs, meeting):
        result["areas"] = import_areas(dbs, meeting, rows_from_json(data),
                                       provisional=bool(data.get("provisional")))["created"]
    present = set(deadlines(dbs, meeting))
    wanted = {k: v for k, v in (data.get("comment_deadlines") or {}).items() if k not in present}
    if wanted:
        set_deadlines(dbs, meeting, wanted)
        result["deadlines"] = len(wanted)
    dbs.flush()
    return result


# --- deadlines --------------------------------------------------------------------------------


def deadlines(dbs: DbSession, meeting: Meeting) -> dict[str, datetime]:
    """``{category or DEFAULT_CATEGORY: last open instant}``."""
    rows = dbs.execute(select(CommentDeadline).filter_by(meeting_id=meeting.id)).scalars()
    return {row.category: row.closes_at for row in rows}


def deadline_for(dbs: DbSession, meeting: Meeting, category: str) -> datetime | None:
    """The category's own deadline, else the default one; None when none is set (open)."""
    table = deadlines(dbs, meeting)
    return table.get(category, table.get(DEFAULT_CATEGORY))


def is_open(closes_at: datetime | None, now: datetime) -> bool:
    """Open up to and including the closing second (23:59:59 local)."""
    return closes_at is None or now.replace(microsecond=0) <= closes_at


def deadline_dicts(dbs: DbSession, meeting: Meeting) -> list[dict]:
    table = deadlines(dbs, meeting)
    order = [DEFAULT_CATEGORY, *CATEGORIES]
    return [{"category": category, "closes_at": iso_utc(table[category]),
             "closes_at_local": iso_local(table[category], meeting.timezone)}
            for category in sorted(table, key=lambda c: order.index(c) if c in order else 99)]


def set_deadlines(dbs: DbSession, meeting: Meeting, data: dict) -> dict[str, datetime]:
    """Set deadlines from ``{category: value}``: a date means 23:59:59 that day in the
    meeting's zone (:func:`meetops.meetings.services.read_instant`); ``null`` removes a
    category's own deadline so the default applies again."""
    if not isinstance(data, dict) or not data:
        raise ValidationError(_l("Send an object of deadlines by category."))
    errors: dict = {}
    changes: dict[str, datetime | None] = {}
    for category, value in data.items():
        if category != DEFAULT_CATEGORY and category not in CATEGORIES:
            errors[category] = _l("Unknown category.")
        elif value is None:
            if category == DEFAULT_CATEGORY:
                errors[category] = _l("The default deadline cannot be removed.")
            changes[category] = None
        else:
            changes[category] = read_instant(value, meeting.timezone, category, errors, dates=True)
    if errors:
        raise ValidationError(fields=errors)
    rows = {row.category: row for row in dbs.execute(
        select(CommentDeadline).filter_by(meeting_id=meeting.id)).scalars()}
    for category, instant in changes.items():
        row = rows.get(category)
        if instant is None:
            if row is not None:
                dbs.delete(row)
        elif row is None:
            dbs.add(CommentDeadline(meeting_id=meeting.id, category=category, closes_at=instant))
        else:
            row.closes_at = instant
    dbs.flush()
    return deadlines(dbs, meeting)


def closes_at_for(dbs: DbSession, registration: Registration) -> datetime | None:
    return deadline_for(dbs, registration.meeting, registration.category)


def ensure_open(dbs: DbSession, registration: Registration, now: datetime) -> None:
    """403 ``comments_closed`` after the participant's category deadline; 403 for a
    cancelled registration."""
    if not registration.is_active:
        raise Forbidden(_l("Your registration is cancelled; reinstate it to send comments."),
                        code="registration_cancelled")
    closes_at = closes_at_for(dbs, registration)
    if not is_open(closes_at, now):
        zone = registration.meeting.timezone
        raise CommentsClosed(_l(
            "The period for comments has closed: participants in your category could send "
            "or change comments until %(deadline)s (%(zone)s time).",
            deadline=to_local(closes_at, zone).strftime("%Y-%m-%d %H:%M:%S"),
            zone=zone_label(zone)))


# --- comments ---------------------------------------------------------------------------------


def _clean_text(value, limit: int, name: str, errors: dict, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        errors[name] = _l("Must be text.")
        return ""
    value = without_nul(value).strip()
    if required and not value:
        errors[name] = _l("This field is required.")
    elif len(value) > limit:
        errors[name] = _l("At most %(n)d characters.", n=limit)
    return value


def clean_comment(dbs: DbSession, meeting: Meeting, data: dict,
                  current: Comment | None = None) -> dict:
    """Validate a comment (all fields, or with ``current`` only those present); raise
    :class:`ValidationError` with a message for each bad field."""
    if not isinstance(data, dict):
        raise ValidationError(_l("The body must be a JSON object."))
    present = (lambda name: name in data) if current is not None else (lambda name: True)
    errors: dict = {}
    out: dict = {}
    if present("priority_areas"):
        codes = data.get("priority_areas")
        if isinstance(codes, str):
            codes = [codes]
        if not isinstance(codes, list) or not codes:
            errors["priority_areas"] = _l("Choose at least one priority area.")
        else:
            known = {area.code.casefold(): area for area in list_areas(dbs, meeting)}
            unknown = [str(code) for code in codes
                       if not isinstance(code, str) or code.strip().casefold() not in known]
            if unknown:
                errors["priority_areas"] = _l("Unknown priority area: %(codes)s.",
                                              codes=", ".join(unknown))
            else:
                chosen = {known[code.strip().casefold()] for code in codes}
                out["areas"] = sorted(chosen, key=lambda a: (a.position, a.id))
    if present("horizon"):
        horizon = data.get("horizon")
        if horizon not in HORIZONS:
            errors["horizon"] = _l("Choose short, medium or long (term).")
        out["horizon"] = horizon
    if present("support_type"):
        support_type = data.get("support_type") or None
        if support_type is not None and support_type not in SUPPORT_TYPES:
            errors["support_type"] = _l(
                "Choose technical, material or financial support, or none.")
        out["support_type"] = support_type
    if present("support_description"):
        out["support_description"] = _clean_text(
            data.get("support_description"), DESCRIPTION_LIMIT, "support_description", errors,
            required=False)
    if present("text"):
        out["text"] = _clean_text(data.get("text"), TEXT_LIMIT, "text", errors, required=True)
    if "support_type" not in errors and "support_description" not in errors:
        support_type = out.get("support_type", current.support_type if current else None)
        if support_type is None and "support_description" not in out:
            out["support_description"] = ""  # no offer, no description
        description = out.get("support_description",
                              current.support_description if current else "")
        if support_type and not description:
            errors["support_description"] = _l("Describe the support you offer.")
        elif description and not support_type:
            errors["support_type"] = _l("Choose the type of support you describe.")
    if errors:
        raise ValidationError(fields=errors)
    return out


def create_comment(dbs: DbSession, registration: Registration, data: dict, *,
                   now: datetime) -> Comment:
    """A participant comments. 403 ``comments_closed`` after their category's deadline."""
    ensure_open(dbs, registration, now)
    fields = clean_comment(dbs, registration.meeting, data)
    comment = Comment(meeting_id=registration.meeting_id, registration_id=registration.id,
                      created_at=now, updated_at=now, **fields)
    dbs.add(comment)
    dbs.flush()
    return comment


def find_comment(dbs: DbSession, comment_id: int) -> Comment | None:
    """The comment with this id, or None (also for ids the id column cannot hold: the
    databases refuse those with an error, PostgreSQL above 2**31 - 1, SQLite above 2**63 - 1,
    instead of finding nothing)."""
    if not 0 < comment_id <= MAX_ID:
        return None
    return dbs.get(Comment, comment_id)


def own_comment(dbs: DbSession, registration: Registration, comment_id: int) -> Comment:
    """The participant's own, not withdrawn comment; 404 otherwise (others' stay unseen)."""
    comment = find_comment(dbs, comment_id)
    if comment is None or comment.registration_id != registration.id or comment.is_withdrawn:
        raise NotFound(_l("There is no such comment."))
    return comment


def update_comment(dbs: DbSession, comment: Comment, data: dict, *, now: datetime) -> Comment:
    ensure_open(dbs, comment.registration, now)
    fields = clean_comment(dbs, comment.registration.meeting, data, current=comment)
    for name, value in fields.items():
        setattr(comment, name, value)
    comment.updated_at = now
    dbs.flush()
    return comment


def withdraw_comment(dbs: DbSession, comment: Comment, *, now: datetime) -> Comment:
    ensure_open(dbs, comment.registration, now)
    comment.withdrawn_at = now
    comment.updated_at = now
    dbs.flush()
    return comment


def comments_of(dbs: DbSession, registration: Registration) -> list[Comment]:
    return list(dbs.execute(select(Comment).filter_by(
        registration_id=registration.id, withdrawn_at=None).order_by(
        Comment.created_at, Comment.id)).scalars())


def comment_listing(dbs: DbSession, meeting: Meeting, *, area: str | None = None,
                    category: str | None = None, support_type: str | None = None,
                    horizon: str | None = None, include_withdrawn: bool = False
                    ) -> list[Comment]:
    """The meeting's comments, oldest first, with optional filters."""
    if any("\x00" in value for value in (area, category, support_type, horizon) if value):
        return []  # nothing stored contains NUL, and PostgreSQL refuses it even in a query
    query = select(Comment).filter_by(meeting_id=meeting.id)
    if not include_withdrawn:
        query = query.filter_by(withdrawn_at=None)
    if area:
        query = query.where(Comment.areas.any(PriorityArea.code == area))
    if category:
        query = query.where(Comment.registration.has(Registration.category == category))
    if support_type == "none":
        query = query.filter_by(support_type=None)
    elif support_type:
        query = query.filter_by(support_type=support_type)
    if horizon:
        query = query.filter_by(horizon=horizon)
    return list(dbs.execute(query.order_by(Comment.created_at, Comment.id)).scalars())


def by_area(comments: list[Comment], areas: list[PriorityArea]
            ) -> list[tuple[PriorityArea, list[Comment]]]:
    """Each area with its comments (a comment on two areas appears under both)."""
    return [(area, [c for c in comments if area in c.areas]) for area in areas]


def by_category(comments: list[Comment]) -> list[tuple[str, list[Comment]]]:
    """The categories that commented, in the list's order, with their comments."""
    return [(category, [c for c in comments if c.registration.category == category])
            for category in CATEGORIES
            if any(c.registration.category == category for c in comments)]


def participant_dict(registration: Registration) -> dict:
    return {"id": registration.id, "name": registration.name,
            "organization": registration.organization, "category": registration.category,
            "country": registration.country}


def comment_dict(comment: Comment, *, closes_at: datetime | None = None,
                 staff: bool = False) -> dict:
    zone = comment.registration.meeting.timezone
    body = {
        "id": comment.id,
        "priority_areas": comment.area_codes,
        "horizon": comment.horizon,
        "support_type": comment.support_type,
        "support_description": comment.support_description,
        "text": comment.text,
        "created_at": iso_utc(comment.created_at),
        "updated_at": iso_utc(comment.updated_at),
    }
    if closes_at is not None:
        body["editable_until"] = iso_utc(closes_at)
        body["editable_until_local"] = iso_local(closes_at, zone)
    if staff:
        body["participant"] = participant_dict(comment.registration)
        body["withdrawn_at"] = iso_utc(comment.withdrawn_at)
    return body


# --- the support matrix -----------------------------------------------------------------------


def support_matrix(dbs: DbSession, meeting: Meeting, *, category: str | None = None) -> dict:
    """Offers counted by priority area and type of support, with who offers them.

    An offer concerning two areas counts once in each; ``totals`` counts offers (not cells).
    ``gaps`` lists, for each area, the types of support nobody offers yet.
    """
    areas = list_areas(dbs, meeting)
    offers = [c for c in comment_listing(dbs, meeting, category=category) if c.support_type]
    rows = []
    for area in areas:
        cells = {kind: [] for kind in SUPPORT_TYPES}
        for offer in offers:
            if area in offer.areas:
                cells[offer.support_type].append({
                    "comment_id": offer.id,
                    "participant": participant_dict(offer.registration),
                    "horizon": offer.horizon,
                    "description": offer.support_description,
                })
        counts = {kind: len(cells[kind]) for kind in SUPPORT_TYPES}
        rows.append({"code": area.code, "chapter": area.chapter, "title": area.title,
                     "counts": counts, "total": sum(counts.values()), "offers": cells,
                     "missing": [kind for kind in SUPPORT_TYPES if not counts[kind]]})
    totals = {kind: sum(1 for o in offers if o.support_type == kind) for kind in SUPPORT_TYPES}
    return {
        "support_types": list(SUPPORT_TYPES),
        "category": category,
        "areas": rows,
        "totals": totals,
        "offers": len(offers),
        "areas_without_offers": [row["code"] for row in rows if not row["total"]],
        "missing_by_type": {kind: sum(1 for row in rows if not row["counts"][kind])
                            for kind in SUPPORT_TYPES},
        "gaps": sum(len(row["missing"]) for row in rows),
    }
