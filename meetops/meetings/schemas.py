"""OpenAPI components of the meeting API (documentation; the services validate)."""

from marshmallow import Schema, fields

from ..apidoc import component


@component("Bilingual")
class BilingualSchema(Schema):
    en = fields.String(required=True)
    es = fields.String(required=True)


@component("Session")
class SessionSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.Nested(BilingualSchema, required=True)
    starts_at = fields.String(required=True, metadata={"example": "2025-11-27T14:00:00Z"})
    ends_at = fields.String(required=True)
    starts_at_local = fields.String(required=True,
                                    metadata={"example": "2025-11-27T11:00:00-03:00"})
    ends_at_local = fields.String(required=True)


@component("Meeting")
class MeetingSchema(Schema):
    slug = fields.String(required=True)
    title = fields.Nested(BilingualSchema, required=True)
    timezone = fields.String(required=True, metadata={"example": "America/Santiago"})
    languages = fields.List(fields.String(), required=True)
    registration_opens_at = fields.String(required=True)
    registration_opens_at_local = fields.String(required=True)
    registration_closes_at = fields.String(required=True)
    registration_closes_at_local = fields.String(required=True)
    registration_open = fields.Boolean(required=True)
    intervention_seconds = fields.Integer(required=True)
    warning_seconds = fields.Integer(required=True)
    enforcement = fields.String(required=True, metadata={"enum": ["hard", "soft"]})
    sessions = fields.List(fields.Nested(SessionSchema), required=True)


@component("MeetingSettings")
class MeetingSettingsSchema(Schema):
    intervention_seconds = fields.Integer(metadata={"minimum": 1, "maximum": 3600})
    warning_seconds = fields.Integer(metadata={"minimum": 0, "maximum": 3600})
    enforcement = fields.String(metadata={"enum": ["hard", "soft"]})
    registration_opens_at = fields.String(
        metadata={"description": "ISO 8601; without an offset, in the meeting's zone"})
    registration_closes_at = fields.String()
