"""OpenAPI components of the agenda API (documentation; the services validate).

They describe :func:`meetops.agenda.services.item_dict`, ``agenda_session_dict`` and
``agenda_dict``, and the bodies ``clean_item`` and ``update_session`` accept.
"""

from marshmallow import Schema, fields

from ..apidoc import component
from ..meetings.schemas import BilingualSchema, SessionSchema
from .models import KINDS
from .services import MAX_MINUTES, MAX_TEXT, MAX_TITLE

LOCAL_INPUT = {"description": "ISO 8601; without an offset, a wall-clock time in the meeting's "
                              "zone (refused when a daylight-saving change skips or repeats it)",
               "example": "2025-11-27T11:30:00"}


@component("AgendaDocument")
class AgendaDocumentSchema(Schema):
    title = fields.String(required=True, metadata={"maxLength": MAX_TITLE})
    url = fields.String(required=True, metadata={"description": "http or https",
                                                 "maxLength": 1000,
                                                 "example": "https://example.org/doc.pdf"})


@component("AgendaItem")
class AgendaItemSchema(Schema):
    id = fields.Integer(required=True)
    session_id = fields.Integer(required=True)
    position = fields.Integer(required=True, metadata={"description": "from 1, in start order"})
    kind = fields.String(required=True, metadata={"enum": list(KINDS)})
    title = fields.Nested(BilingualSchema, required=True)
    description = fields.Nested(BilingualSchema, required=True)
    speakers = fields.List(fields.String(), required=True, metadata={
        "description": "free-text speakers, then the registered participants who speak"})
    starts_at = fields.String(required=True, metadata={"example": "2025-11-27T14:00:00Z"})
    ends_at = fields.String(required=True)
    starts_at_local = fields.String(required=True,
                                    metadata={"example": "2025-11-27T11:00:00-03:00"})
    ends_at_local = fields.String(required=True)
    duration_seconds = fields.Integer(required=True)
    intervention_seconds = fields.Integer(required=True, allow_none=True, metadata={
        "description": "the limit of one intervention during this item; null: the meeting's"})
    priority_area_codes = fields.List(fields.String(), required=True)
    published = fields.Boolean(required=True)
    documents = fields.List(fields.Nested(AgendaDocumentSchema), metadata={
        "description": "documents for interpreters (admins only)"})
    speaker_registration_ids = fields.List(fields.Integer(), metadata={
        "description": "registrations of the speakers (admins only)"})


@component("AgendaItemAdmin")
class AgendaItemAdminSchema(AgendaItemSchema):
    documents = fields.List(fields.Nested(AgendaDocumentSchema), required=True,
                            metadata={"description": "documents for interpreters"})
    speaker_registration_ids = fields.List(fields.Integer(), required=True)


@component("AgendaSession")
class AgendaSessionSchema(SessionSchema):
    revision = fields.Integer(required=True, metadata={
        "description": "raised by every change (the calendar files' SEQUENCE)"})
    cancelled = fields.Boolean(required=True)
    items = fields.List(fields.Nested(AgendaItemSchema), required=True, metadata={
        "description": "published items; drafts too for admins"})


@component("Agenda")
class AgendaSchema(Schema):
    slug = fields.String(required=True)
    timezone = fields.String(required=True, metadata={"example": "America/Santiago"})
    sessions = fields.List(fields.Nested(AgendaSessionSchema), required=True)


@component("TitleInput")
class TitleInputSchema(Schema):
    """At least one language must be non-blank."""

    en = fields.String(metadata={"maxLength": MAX_TITLE})
    es = fields.String(metadata={"maxLength": MAX_TITLE})


@component("TextInput")
class TextInputSchema(Schema):
    en = fields.String(metadata={"maxLength": MAX_TEXT})
    es = fields.String(metadata={"maxLength": MAX_TEXT})


class _ItemFieldsSchema(Schema):
    description = fields.Nested(TextInputSchema)
    kind = fields.String(metadata={"enum": list(KINDS), "default": "other"})
    duration_minutes = fields.Integer(metadata={"minimum": 1, "maximum": MAX_MINUTES})
    duration_seconds = fields.Integer(metadata={
        "minimum": 1, "maximum": MAX_MINUTES * 60,
        "description": "instead of duration_minutes (it wins when both are given)"})
    starts_at = fields.String(allow_none=True, metadata={
        **LOCAL_INPUT, "description": LOCAL_INPUT["description"]
        + "; null or absent: after the last item (creating), unchanged (changing)"})
    speakers = fields.Raw(metadata={
        "description": "free-text speakers: one a line, or a list of names",
        "oneOf": [{"type": "string", "maxLength": MAX_TEXT},
                  {"type": "array", "items": {"type": "string"}}]})
    speaker_registration_ids = fields.List(fields.Integer(metadata={
        "minimum": 1, "maximum": 2**31 - 1}), metadata={
        "description": "registrations of this meeting who speak"})
    intervention_seconds = fields.Integer(allow_none=True, metadata={
        "minimum": 1, "maximum": 3600, "description": "null: the meeting's limit"})
    priority_area_codes = fields.List(fields.String(metadata={
        "minLength": 1, "maxLength": 40, "pattern": r"\S"}))
    documents = fields.List(fields.Nested(AgendaDocumentSchema))
    published = fields.Boolean()


@component("AgendaItemInput")
class AgendaItemInputSchema(_ItemFieldsSchema):
    """A new item: ``duration_minutes`` (or ``duration_seconds``) is needed."""

    title = fields.Nested(TitleInputSchema, required=True)


@component("AgendaItemChange")
class AgendaItemChangeSchema(_ItemFieldsSchema):
    title = fields.Nested(TitleInputSchema)
    position = fields.Integer(metadata={
        "minimum": 1, "description": "move the item there (1 first) and re-time the items "
                                     "from there on; not with starts_at or a duration"})


@component("SessionChange")
class SessionChangeSchema(Schema):
    starts_at = fields.String(metadata={
        **LOCAL_INPUT, "description": LOCAL_INPUT["description"]
        + "; the agenda (and the end, unless ends_at is given) moves with it"})
    ends_at = fields.String(metadata=LOCAL_INPUT)
    title = fields.Nested(TitleInputSchema)
    join_url = fields.String(allow_none=True, metadata={"maxLength": 500,
                                                        "description": "http or https"})
    cancelled = fields.Boolean()


@component("PublishInput")
class PublishInputSchema(Schema):
    published = fields.Boolean(metadata={"default": True,
                                         "description": "false withdraws the items"})
