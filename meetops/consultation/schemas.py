"""OpenAPI components of the consultation API (documentation; the services validate).

They describe exactly what :mod:`meetops.consultation.services` returns (``area_dict``,
``deadline_dicts``, ``comment_dict``, ``support_matrix``) and accepts (``rows_from_json`` and
``clean_area_rows``, ``set_deadlines``, ``clean_comment``). Response schemas list every key, so
a key added to a serializer must be added here too (schemathesis checks it).
"""

from marshmallow import Schema, fields

from ..apidoc import component
from ..meetings.schemas import BilingualSchema
from ..registration.categories import CATEGORIES
from .models import DEFAULT_CATEGORY, HORIZONS, SUPPORT_TYPES
from .services import (
    CHAPTER_TITLE_LIMIT,
    CODE_PATTERN,
    DESCRIPTION_LIMIT,
    TEXT_LIMIT,
    TITLE_LIMIT,
)

UTC_EXAMPLE = "2025-11-15T02:59:59Z"
LOCAL_EXAMPLE = "2025-11-14T23:59:59-03:00"
#: the deadline values ``set_deadlines`` reads (it says which ones parse)
DEADLINE_PATTERN = r"^\d{4}-\d{2}-\d{2}([T ].+)?$"


def _utc(description: str = "ISO 8601 UTC", **kwargs):
    return fields.String(metadata={"example": UTC_EXAMPLE, "description": description},
                         **kwargs)


def _local(**kwargs):
    return fields.String(metadata={"example": LOCAL_EXAMPLE,
                                   "description": "the same instant in the meeting's zone"},
                         **kwargs)


# --- priority areas -----------------------------------------------------------------------------


@component("PriorityArea")
class PriorityAreaSchema(Schema):
    code = fields.String(required=True, metadata={"example": "A1.1"})
    chapter = fields.Integer(required=True, metadata={"minimum": 1, "maximum": 99})
    chapter_title = fields.Nested(BilingualSchema, required=True,
                                  metadata={"description": "empty strings when not given"})
    title = fields.Nested(BilingualSchema, required=True)
    provisional = fields.Boolean(required=True, metadata={
        "description": "true for the demo's provisional list, false once the secretariat "
                       "imports its own"})


@component("BilingualInput")
class BilingualInputSchema(Schema):
    en = fields.String(metadata={"maxLength": TITLE_LIMIT})
    es = fields.String(metadata={"maxLength": TITLE_LIMIT})


@component("PriorityAreaInput")
class PriorityAreaInputSchema(Schema):
    """One row of the list: titles nested (``title: {en, es}``) or flat (``title_en``...)."""

    code = fields.String(required=True, metadata={
        "pattern": CODE_PATTERN.pattern, "description": "unique in the list, ignoring case"})
    chapter = fields.Integer(required=True, metadata={
        "minimum": 1, "maximum": 99, "description": "a whole number (also as a string)"})
    title = fields.Nested(BilingualInputSchema,
                          metadata={"description": "or title_en and title_es (both required)"})
    title_en = fields.String(metadata={"maxLength": TITLE_LIMIT})
    title_es = fields.String(metadata={"maxLength": TITLE_LIMIT})
    chapter_title = fields.Nested(BilingualInputSchema,
                                  metadata={"description": "or chapter_title_en, _es"})
    chapter_title_en = fields.String(metadata={"maxLength": CHAPTER_TITLE_LIMIT})
    chapter_title_es = fields.String(metadata={"maxLength": CHAPTER_TITLE_LIMIT})


@component("PriorityAreaList")
class PriorityAreaListSchema(Schema):
    areas = fields.List(fields.Nested(PriorityAreaInputSchema), required=True,
                        metadata={"minItems": 1})


@component("PriorityAreaChapterArea")
class PriorityAreaChapterAreaSchema(Schema):
    code = fields.String(required=True, metadata={"pattern": CODE_PATTERN.pattern})
    title = fields.Nested(BilingualInputSchema, required=True)


@component("PriorityAreaChapter")
class PriorityAreaChapterSchema(Schema):
    chapter = fields.Integer(required=True, metadata={"minimum": 1, "maximum": 99})
    title = fields.Nested(BilingualInputSchema)
    areas = fields.List(fields.Nested(PriorityAreaChapterAreaSchema), required=True)


@component("PriorityAreaChapters")
class PriorityAreaChaptersSchema(Schema):
    """The demo file's shape: chapters with their areas."""

    chapters = fields.List(fields.Nested(PriorityAreaChapterSchema), required=True,
                           metadata={"minItems": 1})


@component("PriorityAreasReplaced")
class PriorityAreasReplacedSchema(Schema):
    created = fields.Integer(required=True)
    updated = fields.Integer(required=True)
    removed = fields.Integer(required=True)
    kept = fields.List(fields.String(), required=True, metadata={
        "description": "codes missing from the new list but kept: comments refer to them"})
    areas = fields.List(fields.Nested(PriorityAreaSchema), required=True)


# --- comment deadlines --------------------------------------------------------------------------

DEADLINE_CATEGORIES = [DEFAULT_CATEGORY, *CATEGORIES]


@component("CommentDeadline")
class CommentDeadlineSchema(Schema):
    category = fields.String(required=True, metadata={
        "enum": DEADLINE_CATEGORIES,
        "description": "a registration category, or `default` for every category without "
                       "its own deadline"})
    closes_at = _utc(required=True)
    closes_at_local = _local(required=True)


def _deadline_value(category: str):
    description = ("YYYY-MM-DD (the end of that day, 23:59:59, in the meeting's zone), or an "
                   "ISO 8601 date and time (without an offset: in the meeting's zone)")
    if category == DEFAULT_CATEGORY:
        return fields.String(metadata={"pattern": DEADLINE_PATTERN,
                                       "description": description + "; cannot be removed"})
    return fields.String(allow_none=True, metadata={
        "pattern": DEADLINE_PATTERN,
        "description": description + "; null removes it (the default applies again)"})


CommentDeadlinesInputSchema = component("CommentDeadlinesInput")(Schema.from_dict(
    {category: _deadline_value(category) for category in DEADLINE_CATEGORIES},
    name="CommentDeadlinesInputSchema"))


# --- comments -----------------------------------------------------------------------------------


@component("CommentInput")
class CommentInputSchema(Schema):
    priority_areas = fields.List(fields.String(), required=True, metadata={
        "minItems": 1, "description": "codes of the meeting's priority areas (any case)"})
    horizon = fields.String(required=True, metadata={"enum": list(HORIZONS)})
    support_type = fields.String(allow_none=True, metadata={
        "enum": [*SUPPORT_TYPES, None],
        "description": "the support offered, if any; needs support_description"})
    support_description = fields.String(metadata={
        "maxLength": DESCRIPTION_LIMIT,
        "description": "what the offer consists of; required with support_type"})
    text = fields.String(required=True, metadata={
        "maxLength": TEXT_LIMIT, "pattern": r"\S", "description": "not blank"})


@component("CommentChanges")
class CommentChangesSchema(Schema):
    """Only the fields sent change (the same rules as :class:`CommentInputSchema`)."""

    priority_areas = fields.List(fields.String(), metadata={"minItems": 1})
    horizon = fields.String(metadata={"enum": list(HORIZONS)})
    support_type = fields.String(allow_none=True, metadata={
        "enum": [*SUPPORT_TYPES, None],
        "description": "null withdraws the offer (and its description)"})
    support_description = fields.String(metadata={"maxLength": DESCRIPTION_LIMIT})
    text = fields.String(metadata={"maxLength": TEXT_LIMIT, "pattern": r"\S"})


class _CommentBaseSchema(Schema):
    id = fields.Integer(required=True)
    priority_areas = fields.List(fields.String(), required=True,
                                 metadata={"description": "codes, in the list's order"})
    horizon = fields.String(required=True, metadata={"enum": list(HORIZONS)})
    support_type = fields.String(required=True, allow_none=True,
                                 metadata={"enum": [*SUPPORT_TYPES, None]})
    support_description = fields.String(required=True,
                                        metadata={"description": "empty without an offer"})
    text = fields.String(required=True)
    created_at = _utc(required=True)
    updated_at = _utc(required=True)


@component("Comment")
class CommentSchema(_CommentBaseSchema):
    """A participant's own comment."""

    editable_until = _utc("the caller's category deadline (absent when none is set)")
    editable_until_local = _local()


@component("CommentAuthor")
class CommentAuthorSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "the registration"})
    name = fields.String(required=True)
    organization = fields.String(required=True)
    category = fields.String(required=True, metadata={"enum": list(CATEGORIES)})
    country = fields.String(required=True)


@component("CommentForAdmin")
class CommentForAdminSchema(_CommentBaseSchema):
    """A comment as the secretariat sees it: with its author, withdrawn ones too."""

    participant = fields.Nested(CommentAuthorSchema, required=True)
    withdrawn_at = fields.String(required=True, allow_none=True, metadata={
        "example": UTC_EXAMPLE, "description": "ISO 8601 UTC; null unless withdrawn"})


@component("MyComments")
class MyCommentsSchema(Schema):
    closes_at = fields.String(required=True, allow_none=True, metadata={
        "example": UTC_EXAMPLE, "description": "the caller's category deadline; null: none"})
    closes_at_local = fields.String(required=True, allow_none=True,
                                    metadata={"example": LOCAL_EXAMPLE})
    open = fields.Boolean(required=True, metadata={
        "description": "whether the caller may still send, change or withdraw comments"})
    comments = fields.List(fields.Nested(CommentSchema), required=True,
                           metadata={"description": "not withdrawn, oldest first"})


# --- the support matrix -------------------------------------------------------------------------


def _by_support_type(name: str, field_factory) -> type[Schema]:
    """A schema with one field per type of support."""
    return component(name.removesuffix("Schema"))(Schema.from_dict(
        {kind: field_factory() for kind in SUPPORT_TYPES}, name=name))


SupportCountsSchema = _by_support_type(
    "SupportCountsSchema", lambda: fields.Integer(required=True, metadata={"minimum": 0}))


@component("SupportOffer")
class SupportOfferSchema(Schema):
    comment_id = fields.Integer(required=True)
    participant = fields.Nested(CommentAuthorSchema, required=True)
    horizon = fields.String(required=True, metadata={"enum": list(HORIZONS)})
    description = fields.String(required=True)


SupportOffersSchema = _by_support_type(
    "SupportOffersSchema", lambda: fields.List(fields.Nested(SupportOfferSchema), required=True))


@component("SupportMatrixArea")
class SupportMatrixAreaSchema(Schema):
    code = fields.String(required=True)
    chapter = fields.Integer(required=True)
    title = fields.Nested(BilingualSchema, required=True)
    counts = fields.Nested(SupportCountsSchema, required=True)
    total = fields.Integer(required=True, metadata={"minimum": 0})
    offers = fields.Nested(SupportOffersSchema, required=True)
    missing = fields.List(fields.String(metadata={"enum": list(SUPPORT_TYPES)}), required=True,
                          metadata={"description": "types of support nobody offers yet"})


@component("SupportMatrix")
class SupportMatrixSchema(Schema):
    support_types = fields.List(fields.String(metadata={"enum": list(SUPPORT_TYPES)}),
                                required=True)
    category = fields.String(required=True, allow_none=True,
                             metadata={"description": "the category filter, if any"})
    areas = fields.List(fields.Nested(SupportMatrixAreaSchema), required=True)
    totals = fields.Nested(SupportCountsSchema, required=True,
                           metadata={"description": "offers (an offer on two areas counts once)"})
    offers = fields.Integer(required=True, metadata={"minimum": 0})
    areas_without_offers = fields.List(fields.String(), required=True)
    missing_by_type = fields.Nested(SupportCountsSchema, required=True,
                                    metadata={"description": "areas without an offer, by type"})
    gaps = fields.Integer(required=True, metadata={
        "minimum": 0, "description": "empty (area, type) cells"})
