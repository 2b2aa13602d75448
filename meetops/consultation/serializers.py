"""Comments and the support matrix as spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io

from ..registration.serializers import spreadsheet_safe
from ..timezones import iso_local, iso_utc
from .models import Comment, PriorityArea
from .services import CSV_AREA_COLUMNS

COMMENT_COLUMNS = ("id", "created_at", "created_at_local", "updated_at", "name", "email",
                   "organization", "category", "country", "priority_areas", "horizon",
                   "support_type", "support_description", "text")
MATRIX_COLUMNS = ("area", "chapter", "title_en", "title_es", "technical", "material",
                  "financial", "total", "offered_by")


def _csv(header, rows) -> str:
    """UTF-8 with a BOM (spreadsheets keep the accents); every cell neutralised."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(value) for value in row])
    return buffer.getvalue()


def comments_to_csv(comments: list[Comment]) -> str:
    def row(comment: Comment) -> list:
        registration = comment.registration
        zone = registration.meeting.timezone
        return [comment.id, iso_utc(comment.created_at), iso_local(comment.created_at, zone),
                iso_utc(comment.updated_at), registration.name, registration.email,
                registration.organization, registration.category, registration.country,
                " ".join(comment.area_codes), comment.horizon, comment.support_type or "",
                comment.support_description, comment.text]

    return _csv(COMMENT_COLUMNS, (row(c) for c in comments))


def areas_to_csv(areas: list[PriorityArea]) -> str:
    """The areas in the import format (edit in a spreadsheet, upload again)."""
    return _csv(CSV_AREA_COLUMNS, ([a.code, a.chapter, a.chapter_title_en, a.chapter_title_es,
                                    a.title_en, a.title_es] for a in areas))


def matrix_to_csv(matrix: dict) -> str:
    """One row per area: the counts by type and who offers (organization: type)."""
    def row(area: dict) -> list:
        offered_by = "; ".join(f"{o['participant']['organization']} ({kind})"
                               for kind in matrix["support_types"]
                               for o in area["offers"][kind])
        return [area["code"], area["chapter"], area["title"]["en"], area["title"]["es"],
                *(area["counts"][kind] for kind in matrix["support_types"]), area["total"],
                offered_by]

    return _csv(MATRIX_COLUMNS, (row(a) for a in matrix["areas"]))
